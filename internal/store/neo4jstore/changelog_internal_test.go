package neo4jstore

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/actorgraph/actorgraph/internal/feed"
	"github.com/actorgraph/actorgraph/internal/kg"
)

// TestIdleTailCost: what an idle server pays to tail the log. The poll of
// a caught-up tailer is one statement per poll, and that statement seeks
// the seq index: its db hits do not grow with the log (counted at two log
// sizes, 40 and 2,040 entries).
func TestIdleTailCost(t *testing.T) {
	s := testStore(t)
	ctx := context.Background()
	profile := func() (int64, []string) {
		t.Helper()
		last, err := s.LastSeq(ctx)
		if err != nil {
			t.Fatal(err)
		}
		p := profiled(t, s, qcChanges, map[string]any{"log": changeLogID, "after": last, "limit": int64(500)})
		return planDBHits(p), operators(p)
	}
	load := func(n, from int) {
		t.Helper()
		g := &kg.Graph{}
		for i := range n {
			id := fmt.Sprintf("tail-%05d", from+i)
			g.Actors = append(g.Actors, kg.Actor{ID: id, Name: id, Kind: kg.KindOther})
		}
		if err := s.Load(ctx, g); err != nil {
			t.Fatal(err)
		}
	}
	load(40, 0)
	small, ops := profile()
	if !strings.Contains(strings.Join(ops, " "), "NodeUniqueIndexSeekByRange") {
		t.Errorf("the poll does not seek the seq index: %v", ops)
	}
	load(2000, 40)
	large, _ := profile()
	if large != small {
		t.Errorf("an idle poll costs %d db hits over 40 entries and %d over 2,040: want the same", small, large)
	}
	t.Logf("idle poll: %d db hits at both log sizes", small)

	// One statement per poll.
	runs := &runCounter{}
	counted := open(t, testURI(t), runs)
	f := feed.New(counted, feed.Options{Interval: 20 * time.Millisecond, CompactEvery: -1})
	fctx, cancel := context.WithCancel(ctx)
	runs.reset()
	if err := f.Start(fctx); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	cancel()
	time.Sleep(100 * time.Millisecond) // let a poll in flight finish
	polls, sent := f.Polls(), int64(runs.reset())
	if polls < 2 || sent != polls+1 { // +1: LastSeq at start
		t.Errorf("idle tailer: %d statements for %d polls, want one each (plus one at start)", sent, polls)
	}
}
