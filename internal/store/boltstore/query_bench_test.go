package boltstore_test

import (
	"context"
	"testing"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/scalegen"
	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/boltstore"
)

// BenchmarkQueries times single queries on a scalegen store of -scale
// relations (5,000 under -short), through the store interface only, so the
// same file runs against an older version of the store for a before/after
// comparison:
//
//	go test -run '^$' -bench Queries ./internal/store/boltstore -scale=200000
func BenchmarkQueries(b *testing.B) {
	n := *scale
	if testing.Short() {
		n = 5_000
	}
	s, err := boltstore.Open(b.TempDir(), boltstore.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close(context.Background())
	ctx := context.Background()
	err = scalegen.Each(scalegen.Config{Seed: 1, Relations: n, Batch: 20_000}, func(g *kg.Graph) error { return s.Load(ctx, g) })
	if err != nil {
		b.Fatal(err)
	}
	far := scalegen.ActorID(scalegen.Config{Relations: n}.Normalized().Actors - 1)
	page := func(actor string, o store.Order) func() error {
		return func() error {
			_, err := s.RelationsOf(ctx, []string{actor}, store.Out, store.RelationFilter{}, o, store.Page{First: 10})
			return err
		}
	}
	for _, q := range []struct {
		name string
		fn   func() error
	}{
		{"HubPage", page(scalegen.HubID, store.Order{Field: store.SortID})},
		{"SmallPage", page(scalegen.SmallID, store.Order{Field: store.SortID})},
		{"HubPageByDate", page(scalegen.HubID, store.Order{Field: store.SortOccurred, Desc: true})},
		{"HubCount", func() error {
			_, err := s.CountRelationsOf(ctx, []string{scalegen.HubID}, store.Out, store.RelationFilter{})
			return err
		}},
		{"Paths", func() error {
			_, err := s.Paths(ctx, scalegen.SmallID, far, store.PathQuery{MaxLength: 3, Limit: 5})
			return err
		}},
		{"Neighborhood", func() error {
			_, err := s.Neighborhood(ctx, scalegen.SmallID, store.NeighborhoodQuery{Depth: 2, PerNode: 10, Limit: 100, Direction: store.Both})
			return err
		}},
		{"DyadsOfHub", func() error {
			_, err := s.Dyads(ctx, store.DyadQuery{From: scalegen.HubID})
			return err
		}},
		{"DyadsAll", func() error {
			_, err := s.Dyads(ctx, store.DyadQuery{Limit: 10})
			return err
		}},
		{"FilteredCount", func() error {
			_, err := s.CountRelations(ctx, store.RelationFilter{MinConfidence: 0.5})
			return err
		}},
	} {
		b.Run(q.name, func(b *testing.B) {
			for b.Loop() {
				if err := q.fn(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
