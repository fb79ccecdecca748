package actorref

import (
	"context"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// IDLookup reads events, sources and places by id.
type IDLookup interface {
	Events(ctx context.Context, ids []string) (map[string]kg.Event, error)
	Sources(ctx context.Context, ids []string) (map[string]kg.Source, error)
	Places(ctx context.Context, ids []string) (map[string]kg.Place, error)
}

// CheckIDs answers a *NotFoundError, naming the field (prefix + "event",
// "source" or "place"), for a relation filter's event, source or place id
// that nothing has: a filter never selects nothing silently because of a
// typo. The GraphQL filter (prefix "filter.") and the exports (no prefix)
// both check through it.
func CheckIDs(ctx context.Context, s IDLookup, prefix string, f store.RelationFilter) error {
	for _, c := range []struct {
		kind, id string
		count    func(context.Context, []string) (int, error)
	}{
		{"event", f.Event, func(ctx context.Context, ids []string) (int, error) { m, err := s.Events(ctx, ids); return len(m), err }},
		{"source", f.Source, func(ctx context.Context, ids []string) (int, error) {
			m, err := s.Sources(ctx, ids)
			return len(m), err
		}},
		{"place", f.Place, func(ctx context.Context, ids []string) (int, error) { m, err := s.Places(ctx, ids); return len(m), err }},
	} {
		if c.id == "" {
			continue
		}
		n, err := c.count(ctx, []string{c.id})
		if err != nil {
			return err
		}
		if n == 0 {
			return &NotFoundError{Field: prefix + c.kind, Input: c.id, Kind: c.kind}
		}
	}
	return nil
}
