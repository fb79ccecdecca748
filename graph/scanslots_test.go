package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/testenv"
)

// peakCounts is the real embedded store, noting how many CountRelations
// calls run at once (each held a little, so concurrent ones overlap).
type peakCounts struct {
	store.Store
	in, peak atomic.Int64
}

func (c *peakCounts) CountRelations(ctx context.Context, f store.RelationFilter) (int, error) {
	n := c.in.Add(1)
	defer c.in.Add(-1)
	for p := c.peak.Load(); n > p && !c.peak.CompareAndSwap(p, n); p = c.peak.Load() {
	}
	time.Sleep(20 * time.Millisecond)
	return c.Store.CountRelations(ctx, f)
}

// TestScanSlots (issue 11, item 3): the filtered totalCounts of one request
// that may each read every relation run at most one per two cores at once
// (gqlgen resolves root fields concurrently, so without the bound 12
// aliases scan at once), while counts that start from an actor are not
// held back; every alias still gets the store's answer.
func TestScanSlots(t *testing.T) {
	real := testenv.SeededBolt(t)
	want, err := real.CountRelations(context.Background(), store.RelationFilter{MinConfidence: 0.1, RollUp: true})
	if err != nil {
		t.Fatal(err)
	}
	slots := int64(max(1, runtime.GOMAXPROCS(0)/2))
	for _, tc := range []struct {
		filter  string
		bounded bool
	}{
		{`{minConfidence: 0.1}`, true},
		{`{from: "russia", minConfidence: 0.1}`, false},
	} {
		s := &peakCounts{Store: real}
		url := serve(t, s)
		var q strings.Builder
		q.WriteString("{")
		for i := range 12 {
			fmt.Fprintf(&q, " a%d: relations(first: 0, filter: %s) { totalCount }", i, tc.filter)
		}
		q.WriteString(" }")
		status, r := post(t, url, q.String())
		if status != 200 || len(r.Errors) > 0 {
			t.Fatalf("%s: status %d, errors %v", tc.filter, status, r.Errors)
		}
		var d map[string]struct{ TotalCount int }
		if err := json.Unmarshal(r.Data, &d); err != nil {
			t.Fatal(err)
		}
		for alias, c := range d {
			if tc.bounded && c.TotalCount != want {
				t.Errorf("%s %s: totalCount %d, the store counts %d", tc.filter, alias, c.TotalCount, want)
			}
		}
		peak := s.peak.Load()
		t.Logf("%s: at most %d counts at once (%d slot(s))", tc.filter, peak, slots)
		switch {
		case tc.bounded && peak > slots:
			t.Errorf("%s: %d counts that read every relation ran at once, over the %d slot(s)", tc.filter, peak, slots)
		case !tc.bounded && peak <= slots:
			t.Errorf("%s: counts from an actor ran at most %d at once: held back, or the query never ran them concurrently (then the bound above proves nothing)", tc.filter, peak)
		}
	}
}
