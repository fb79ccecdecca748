package seed

import (
	"context"
	"fmt"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// EnsureLoaded loads the curated article graph into s when s is empty, so a
// first start serves something useful. It reports whether it loaded.
func EnsureLoaded(ctx context.Context, s store.Store) (bool, error) {
	if el, ok := s.(emptyLoader); ok {
		g, err := Graph()
		if err != nil {
			return false, err
		}
		loaded, err := el.LoadIfEmpty(store.WithOp(ctx, "seed"), "seed", g)
		if err != nil {
			return false, fmt.Errorf("seed: load: %w", err)
		}
		return loaded, nil
	}
	st, err := s.Stats(ctx)
	if err != nil {
		return false, fmt.Errorf("seed: %w", err)
	}
	if st != (store.Stats{}) {
		return false, nil
	}
	g, err := Graph()
	if err != nil {
		return false, err
	}
	if err := s.Load(store.WithOp(ctx, "seed"), g); err != nil {
		return false, fmt.Errorf("seed: load: %w", err)
	}
	return true, nil
}

// emptyLoader is a store shared by many processes (Neo4j): it decides
// "empty, so load" inside one transaction guarded by a marker, so servers
// starting together load the seed exactly once.
type emptyLoader interface {
	LoadIfEmpty(ctx context.Context, marker string, g *kg.Graph) (bool, error)
}
