package neo4jstore

import (
	"context"
	"testing"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/seed"
	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/storetest"
)

// TestAnalystStatements: every analyst call is one statement, whatever its
// shape or the size of the graph.
func TestAnalystStatements(t *testing.T) {
	runs := &runCounter{}
	ctx := context.Background()
	s := pfStore(t, runs)
	g, err := seed.Graph()
	if err != nil {
		t.Fatal(err)
	}
	gen := storetest.Generate(3, 300, 3000, seed.SourceID)
	week := store.DateRange{From: "2016-09-19", To: "2016-09-25"}
	calls := map[string]func() error{
		"timeline actor": func() error {
			_, err := s.Timeline(ctx, store.TimelineQuery{Actor: "russia", Dates: week})
			return err
		},
		"timeline actor rolled up": func() error {
			_, err := s.Timeline(ctx, store.TimelineQuery{Actor: "russia", RollUp: true, Limit: 3})
			return err
		},
		"timeline pair": func() error {
			_, err := s.Timeline(ctx, store.TimelineQuery{Pair: [2]string{"usa", "russia"}})
			return err
		},
		"timeline pair rolled up": func() error {
			_, err := s.Timeline(ctx, store.TimelineQuery{Pair: [2]string{"usa", "russia"}, RollUp: true})
			return err
		},
		"disputes": func() error {
			_, err := s.Disputes(ctx, "", store.DateRange{}, 0)
			return err
		},
		"disputes of an actor": func() error {
			_, err := s.Disputes(ctx, "russia", week, 2)
			return err
		},
		"search": func() error {
			_, err := s.Search(ctx, "al Qaida", nil, 5)
			return err
		},
		"search evidence": func() error {
			_, err := s.Search(ctx, "convoy", []store.SearchKind{store.HitEvidence}, 0)
			return err
		},
	}
	for _, rollUp := range []bool{false, true} {
		for _, from := range []string{"", "russia"} {
			for _, to := range []string{"", "usa"} {
				q := store.DyadQuery{RollUp: rollUp, From: from, To: to, Interval: store.Week, IncludeClaims: from == ""}
				calls["dyads "+from+">"+to+map[bool]string{true: " rolled up"}[rollUp]] = func() error {
					_, err := s.Dyads(ctx, q)
					return err
				}
			}
		}
	}
	for _, graph := range []*kg.Graph{g, gen} {
		if err := s.Load(ctx, graph); err != nil {
			t.Fatal(err)
		}
		runs.reset()
		for name, call := range calls {
			if err := call(); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if n := runs.reset(); n != 1 {
				t.Errorf("%s (%d relations) sent %d RUN, want 1", name, len(graph.Relations), n)
			}
		}
	}
}
