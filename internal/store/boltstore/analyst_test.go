package boltstore_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/actorgraph/actorgraph/internal/seed"
	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/boltstore"
	"github.com/actorgraph/actorgraph/internal/store/storetest"
	"github.com/actorgraph/actorgraph/internal/testenv"
)

// TestAnalyst runs the analyst conformance suite on the embedded store.
func TestAnalyst(t *testing.T) {
	storetest.RunAnalyst(t, func(t *testing.T) store.Store { return testenv.Bolt(t, boltstore.Options{}) })
}

// TestAnalystReadTransactions: every analyst call is one read transaction,
// the first after a load (which builds the analytics snapshot) included.
func TestAnalystReadTransactions(t *testing.T) {
	var views atomic.Int64
	s := testenv.Bolt(t, boltstore.Options{OnReadTx: func() { views.Add(1) }})
	ctx := context.Background()
	g, err := seed.Graph()
	if err != nil {
		t.Fatal(err)
	}
	calls := []struct {
		name string
		call func() error
	}{
		{"search", func() error { _, err := s.Search(ctx, "convoy", nil, 0); return err }},
		{"timeline", func() error {
			_, err := s.Timeline(ctx, store.TimelineQuery{Actor: "russia", RollUp: true})
			return err
		}},
		{"timeline pair", func() error {
			_, err := s.Timeline(ctx, store.TimelineQuery{Pair: [2]string{"usa", "russia"}, RollUp: true})
			return err
		}},
		{"dyads", func() error {
			_, err := s.Dyads(ctx, store.DyadQuery{RollUp: true, Interval: store.Week})
			return err
		}},
		{"disputes", func() error { _, err := s.Disputes(ctx, "russia", store.DateRange{}, 0); return err }},
	}
	for _, graph := range []func() error{
		func() error { return s.Load(ctx, g) },
		func() error { return s.Load(ctx, storetest.Generate(3, 300, 3000, seed.SourceID)) },
	} {
		if err := graph(); err != nil {
			t.Fatal(err)
		}
		for _, c := range calls {
			views.Store(0)
			if err := c.call(); err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if n := views.Load(); n != 1 {
				t.Errorf("%s: %d read transactions, want 1", c.name, n)
			}
		}
	}
}
