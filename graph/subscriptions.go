package graph

import (
	"context"
	"slices"
	"strings"

	"github.com/actorgraph/actorgraph/graph/model"
	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// matches reports whether a just-written relation passes a filter. Ends
// match exactly (rollUp would need the hierarchy at every write) and actor
// kinds are not checked (they would need a lookup per relation).
func matches(f store.RelationFilter, r kg.Relation) bool {
	date := r.Occurred.Date
	if f.Dates.On == store.OnReported {
		date = r.Reported.Date
	}
	switch {
	case len(f.Types) > 0 && !slices.Contains(f.Types, r.Type),
		f.From != "" && r.From != f.From,
		f.To != "" && r.To != f.To,
		f.Attribution != "" && r.Attribution != f.Attribution,
		f.Status != "" && r.Status != f.Status,
		f.Review != "" && r.Provenance.Review != f.Review,
		f.Source != "" && r.SourceID != f.Source,
		f.Event != "" && r.EventID != f.Event,
		f.CAMEORoot != "" && !strings.HasPrefix(r.CAMEO, f.CAMEORoot),
		f.PLOVER != "" && r.PLOVER() != f.PLOVER,
		r.Provenance.Confidence < f.MinConfidence,
		!f.Dates.IsZero() && (date == "" || (f.Dates.From != "" && date < f.Dates.From) || (f.Dates.To != "" && date > f.Dates.To)):
		return false
	}
	return true
}

// relationAdded streams the relations this server writes that pass filter,
// until the client goes away.
func (r *Resolver) relationAdded(ctx context.Context, filter *model.RelationFilter) (<-chan *model.Relation, error) {
	f, err := r.relationFilter(ctx, filter)
	if err != nil {
		return nil, err
	}
	in, cancel := r.Events.Subscribe(func(rel kg.Relation) bool { return matches(f, rel) })
	out := make(chan *model.Relation, 1)
	go func() {
		defer close(out)
		defer cancel()
		for {
			select {
			case <-ctx.Done():
				return
			case rel, ok := <-in:
				if !ok {
					return
				}
				select {
				case out <- model.Relations([]kg.Relation{rel})[0]:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out, nil
}
