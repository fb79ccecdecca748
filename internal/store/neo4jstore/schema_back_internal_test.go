package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// TestSchemaComesBack (issue 11, item 5): when the database loses its
// schema under a running server (recreated, restored from a dump without
// constraints), the store's monitor notices and recreates the uniqueness
// constraints by itself, so concurrent writes of one new id still make one
// node. Before, the schema was made once per process: 30 parallel
// putActor("dup-x") made 8 nodes and the next start failed with
// ConstraintCreationFailed.
func TestSchemaComesBack(t *testing.T) {
	s := testStore(t)
	ctx := context.Background()
	// Lose the schema as a recreated database would: every constraint of
	// ours dropped (their backing indexes go with them).
	// (The monitor may already recreate some while later ones are dropped:
	// the lowest count seen shows the drops took effect.)
	lowest := constraintTotal
	for _, name := range constraintNames {
		if _, err := neo4j.ExecuteQuery(ctx, s.driver, "DROP CONSTRAINT $name IF EXISTS", map[string]any{"name": name},
			neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(s.opts.Database)); err != nil {
			t.Fatal(err)
		}
		if n, err := s.constraintCount(ctx); err == nil {
			lowest = min(lowest, n)
		}
	}
	if lowest == constraintTotal {
		t.Fatalf("the constraints were never missing (%d of %d after each drop)", lowest, constraintTotal)
	}
	// The monitor checks every second and recreates what is missing; writes
	// wait for it (the store reports itself down meanwhile).
	start := time.Now()
	deadline := start.Add(2 * time.Minute)
	last := ""
	for {
		n, err := s.constraintCount(ctx)
		if st := fmt.Sprintf("%d constraints, down=%v, err=%v", n, s.health.down.Load(), err); st != last {
			t.Logf("%6.1fs: %s", time.Since(start).Seconds(), st)
			last = st
		}
		if err == nil && n == constraintTotal && !s.health.down.Load() {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("constraints not recreated within 2 minutes: %d of %d (%v)", n, constraintTotal, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 30)
	for range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := s.PutActor(ctx, kg.Actor{ID: "dup-x", Name: "Dup X", Kind: kg.KindArmedGroup})
			if err != nil && !errors.Is(err, store.ErrConflict) {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("putActor: %v", err)
	}
	res, err := neo4j.ExecuteQuery(ctx, s.driver, "MATCH (a:Actor {id: 'dup-x'}) RETURN count(a) AS n", nil,
		neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(s.opts.Database))
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.Records[0].Get("n"); n != int64(1) {
		t.Errorf("30 concurrent putActor of one id made %v nodes, want 1", n)
	}
}
