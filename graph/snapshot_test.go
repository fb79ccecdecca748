package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/scalegen"
	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/boltstore"
	"github.com/actorgraph/actorgraph/internal/testenv"
)

// TestQueryReadsOneSnapshot (issue 11, item 6): on the embedded store a
// query's totalCount equals the nodes it returns, and its two lists agree,
// while a writer adds and deletes relations of the actor without pause.
// Without one snapshot per query the count and the pages come from
// different states.
func TestQueryReadsOneSnapshot(t *testing.T) {
	s := testenv.Bolt(t, boltstore.Options{NoSync: true})
	ctx := context.Background()
	err := scalegen.Each(scalegen.Config{Seed: 2, Relations: 2000, HubDegree: 300}, func(g *kg.Graph) error {
		return s.Load(ctx, g)
	})
	if err != nil {
		t.Fatal(err)
	}
	url := serve(t, s)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			r := scalegen.New(scalegen.Config{Seed: uint64(i), Relations: 200}).Relation() // the hub's
			r.ID = fmt.Sprintf("snap%06d", i)
			if err := s.Load(ctx, &kg.Graph{Relations: []kg.Relation{r}}); err != nil {
				t.Error(err)
				return
			}
			if i >= 5 {
				if err := s.DeleteRelation(ctx, fmt.Sprintf("snap%06d", i-5), store.DeletionInfo{By: "t", At: time.Now()}); err != nil {
					t.Error(err)
					return
				}
			}
		}
	}()
	defer func() { close(stop); wg.Wait() }()
	q := fmt.Sprintf(`{ actor(id: %q) {
		a: outgoing(first: 1000) { totalCount nodes { id } }
		b: outgoing(first: 1000) { totalCount nodes { id } } } }`, scalegen.HubID)
	type conn struct {
		TotalCount int
		Nodes      []struct{ ID string }
	}
	counts := map[int]bool{}
	for i := range 60 {
		status, r := post(t, url, q)
		if status != 200 || len(r.Errors) > 0 {
			t.Fatalf("status %d, errors %v", status, r.Errors)
		}
		var d struct{ Actor struct{ A, B conn } }
		if err := json.Unmarshal(r.Data, &d); err != nil {
			t.Fatal(err)
		}
		a, b := d.Actor.A, d.Actor.B
		if a.TotalCount != len(a.Nodes) || b.TotalCount != len(b.Nodes) || a.TotalCount != b.TotalCount {
			t.Fatalf("read %d: totalCount %d with %d nodes, and %d with %d in the same query", i, a.TotalCount, len(a.Nodes), b.TotalCount, len(b.Nodes))
		}
		counts[a.TotalCount] = true
	}
	if len(counts) < 2 {
		t.Fatalf("every read saw the same count %v: the writer's changes were not visible between queries", counts)
	}
}
