package neo4jstore

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/actorgraph/actorgraph/internal/seed"
	"github.com/actorgraph/actorgraph/internal/store"
)

// pfStore is a wiped store whose statements runs counts (may be nil).
func pfStore(t *testing.T, runs *runCounter) *Store {
	t.Helper()
	s := open(t, testURI(t), runs)
	if err := s.Wipe(context.Background()); err != nil {
		t.Fatalf("Wipe: %v", err)
	}
	return s
}

// TestPathFinderStatements: each call is one statement, whatever its depth,
// length or result size.
func TestPathFinderStatements(t *testing.T) {
	runs := &runCounter{}
	s := pfStore(t, runs)
	ctx := context.Background()
	g, err := seed.Graph()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Load(ctx, g); err != nil {
		t.Fatal(err)
	}
	runs.reset()
	for depth := 1; depth <= 3; depth++ {
		for _, dir := range []store.Direction{store.Out, store.In, store.Both} {
			if _, err := s.Neighborhood(ctx, "russia", store.NeighborhoodQuery{Depth: depth, Direction: dir, Limit: 100, PerNode: 5}); err != nil {
				t.Fatal(err)
			}
			if n := runs.reset(); n != 1 {
				t.Errorf("Neighborhood depth %d %s sent %d RUN, want 1", depth, dir, n)
			}
		}
	}
	for n := 1; n <= 6; n++ {
		for _, all := range []bool{false, true} {
			if _, err := s.Paths(ctx, "usa", "jabhat-fateh-al-sham", store.PathQuery{MaxLength: n, All: all}); err != nil {
				t.Fatal(err)
			}
			if got := runs.reset(); got != 1 {
				t.Errorf("Paths maxLength %d sent %d RUN, want 1", n, got)
			}
		}
	}
	for _, call := range []func() error{
		func() error {
			_, err := s.Neighborhood(ctx, "nobody", store.NeighborhoodQuery{Depth: 1, Direction: store.Both, Limit: 1, PerNode: 1})
			return err
		},
		func() error { _, err := s.Paths(ctx, "nobody", "usa", store.PathQuery{MaxLength: 2}); return err },
	} {
		if err := call(); err == nil {
			t.Error("unknown actor: no error")
		}
		if got := runs.reset(); got != 1 {
			t.Errorf("unknown actor: %d RUN, want 1", got)
		}
	}
}

// planOps lists a profiled plan's operators.
func planOps(t *testing.T, s *Store, cypher string, params map[string]any) []string {
	t.Helper()
	return operators(profiled(t, s, cypher, params))
}

// TestPathFinderPlans: the start is an index seek; each level caps every
// node inside the expansion (a Top per level over one Expand); paths use
// the shortest-path search with the filter inlined (no Filter above it,
// which would mean the exhaustive fallback).
func TestPathFinderPlans(t *testing.T) {
	s := pfStore(t, nil)
	count := func(ops []string, prefix string) int {
		n := 0
		for _, o := range ops {
			if strings.HasPrefix(o, prefix) {
				n++
			}
		}
		return n
	}
	for dir, cypher := range qNeighborhood {
		ops := planOps(t, s, cypher, map[string]any{"id": "a", "depth": int64(3), "limit": int64(1000), "perNode": int64(25),
			"perNodeMore": int64(26), "types": []any{"ACCUSES"}, "dateFrom": "2016-01-01", "dateTo": "", "dateProp": "occurredDate"})
		if count(ops, "NodeUniqueIndexSeek") != 1 || count(ops, "Expand(All)") != 3 || count(ops, "Top") != 3 ||
			count(ops, "AllNodesScan")+count(ops, "NodeByLabelScan") != 0 {
			t.Errorf("neighborhood %s plan: %v", dir, ops)
		}
	}
	for n := 1; n <= 6; n++ {
		ops := planOps(t, s, qPaths[n], map[string]any{"from": "a", "to": "b", "limit": int64(10),
			"types": []any{"ACCUSES"}, "attribution": "ASSERTED"})
		i := slices.IndexFunc(ops, func(o string) bool { return strings.HasPrefix(o, "ShortestPath") })
		if i < 1 || strings.HasPrefix(ops[i-1], "Filter") || count(ops, "VarLengthExpand") != 0 {
			t.Errorf("paths maxLength %d plan: %v", n, ops)
		}
	}
}
