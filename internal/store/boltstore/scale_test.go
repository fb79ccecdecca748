package boltstore_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/scalegen"
	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/boltstore"
)

// scaleStore opens a store in a fresh directory and loads a scalegen graph
// of n relations into it.
func scaleStore(t testing.TB, n int) *boltstore.Store {
	t.Helper()
	s, err := boltstore.Open(t.TempDir(), boltstore.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	err = scalegen.Each(scalegen.Config{Seed: 1, Relations: n, Batch: 20_000}, func(g *kg.Graph) error {
		return s.Load(context.Background(), g)
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// writeAllocs is the allocations of one small write (an actor's aliases
// changed, a relation added and deleted) on s.
func writeAllocs(t *testing.T, s *boltstore.Store) float64 {
	ctx := context.Background()
	i := 0
	return testing.AllocsPerRun(20, func() {
		i++
		a := scalegen.Actor(5)
		a.Aliases = []string{fmt.Sprintf("alias %d", i)}
		if err := s.PutActor(ctx, a); err != nil {
			t.Fatal(err)
		}
		r := scalegen.New(scalegen.Config{Seed: uint64(i), Relations: 10}).Relation()
		r.ID = fmt.Sprintf("w%06d", i)
		if err := s.Load(ctx, &kg.Graph{Relations: []kg.Relation{r}}); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteRelation(ctx, r.ID, store.DeletionInfo{By: "test", At: time.Now()}); err != nil {
			t.Fatal(err)
		}
	})
}

// TestWriteCostFlat: a write allocates about as much on a 200k-relation
// store as on a 10k one (the index is updated, not rebuilt: a rebuild
// allocates in proportion to the store, 20× here).
func TestWriteCostFlat(t *testing.T) {
	big := 200_000
	if testing.Short() {
		big = 50_000
	}
	small := writeAllocs(t, scaleStore(t, 10_000))
	large := writeAllocs(t, scaleStore(t, big))
	t.Logf("allocations per write: %.0f at 10k relations, %.0f at %d", small, large, big)
	if large > 2*small {
		t.Fatalf("a write allocates %.0f at %d relations, %.0f at 10k: more than 2×", large, big, small)
	}
}

// TestSnapshotConsistent: a pinned snapshot keeps one state while a writer
// adds and deletes relations: its count equals what paging returns, the
// same on every pass, and a read without the snapshot sees the writes.
func TestSnapshotConsistent(t *testing.T) {
	ctx := context.Background()
	s := scaleStore(t, 3000)
	pctx, release := s.Snapshot(ctx)
	defer release()
	want, err := s.CountRelations(pctx, store.RelationFilter{From: scalegen.HubID})
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	writes := 0
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			r := scalegen.New(scalegen.Config{Seed: uint64(i), Relations: 300}).Relation() // a hub relation
			r.ID = fmt.Sprintf("x%06d", i)
			if err := s.Load(ctx, &kg.Graph{Relations: []kg.Relation{r}}); err != nil {
				t.Error(err)
				return
			}
			if i%2 == 1 { // delete one of the hub's original relations too
				if err := s.DeleteRelation(ctx, scalegen.RelationID(i*10), store.DeletionInfo{By: "t", At: time.Now()}); err != nil && !errors.Is(err, store.ErrNotFound) {
					t.Error(err)
					return
				}
			}
			writes++
		}
	}()
	for pass := 0; pass < 5; pass++ {
		n := 0
		var after *store.Cursor
		for {
			page, err := s.ListRelations(pctx, store.RelationFilter{From: scalegen.HubID}, store.Order{Field: store.SortOccurred}, store.Page{First: 50, After: after})
			if err != nil {
				t.Fatal(err)
			}
			n += len(page.Items)
			if !page.HasNext {
				break
			}
			c := store.CursorOf(page.Items[len(page.Items)-1], store.Order{Field: store.SortOccurred})
			after = &c
		}
		count, err := s.CountRelations(pctx, store.RelationFilter{From: scalegen.HubID})
		if err != nil {
			t.Fatal(err)
		}
		if n != want || count != want {
			t.Fatalf("pass %d: paging returned %d, count %d, snapshot's count %d", pass, n, count, want)
		}
	}
	close(stop)
	wg.Wait()
	now, err := s.CountRelations(ctx, store.RelationFilter{From: scalegen.HubID})
	if err != nil {
		t.Fatal(err)
	}
	if writes == 0 || now == want {
		t.Fatalf("%d writes; the count outside the snapshot is %d, as inside", writes, now)
	}
}

// cancelAfter is a context whose Err turns to Canceled at its n-th call:
// a deadline that passes in the middle of a scan, without a clock.
type cancelAfter struct {
	context.Context
	n atomic.Int32
}

func (c *cancelAfter) Err() error {
	if c.n.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

// TestCountHonoursCancel: a long filtered count stops when its context is
// cancelled midway (the store checks every few thousand items).
func TestCountHonoursCancel(t *testing.T) {
	s := scaleStore(t, 20_000)
	ctx := &cancelAfter{Context: context.Background()}
	ctx.n.Store(2) // the call's own check, then the scan's first
	_, err := s.CountRelations(ctx, store.RelationFilter{MinConfidence: 0.5})
	if !errors.Is(err, store.ErrUnavailable) || !errors.Is(err, context.Canceled) {
		t.Fatalf("count under a cancelled context: %v", err)
	}
}
