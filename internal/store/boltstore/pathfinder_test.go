package boltstore_test

import (
	"context"
	"testing"

	"github.com/actorgraph/actorgraph/internal/seed"
	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/boltstore"
	"github.com/actorgraph/actorgraph/internal/store/storetest"
	"github.com/actorgraph/actorgraph/internal/testenv"
)

func TestPathFinder(t *testing.T) {
	storetest.RunPathFinder(t, func(t *testing.T) store.Store { return testenv.Bolt(t, boltstore.Options{}) })
}

// TestPathFinderOneReadTx: each call is one read transaction, whatever its
// depth, length or result size.
func TestPathFinderOneReadTx(t *testing.T) {
	views := 0
	s := testenv.Bolt(t, boltstore.Options{OnReadTx: func() { views++ }})
	ctx := context.Background()
	g, err := seed.Graph()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Load(ctx, g); err != nil {
		t.Fatal(err)
	}
	views = 0
	for depth := 1; depth <= 3; depth++ {
		if _, err := s.Neighborhood(ctx, "russia", store.NeighborhoodQuery{Depth: depth, Direction: store.Both, Limit: 100, PerNode: 5}); err != nil {
			t.Fatal(err)
		}
		if views != 1 {
			t.Errorf("Neighborhood depth %d: %d read transactions, want 1", depth, views)
		}
		views = 0
	}
	for _, to := range []string{"jabhat-fateh-al-sham", "islamic-state"} {
		if _, err := s.Paths(ctx, "usa", to, store.PathQuery{MaxLength: 6, All: true}); err != nil {
			t.Fatal(err)
		}
		if views != 1 {
			t.Errorf("Paths to %s: %d read transactions, want 1", to, views)
		}
		views = 0
	}
}
