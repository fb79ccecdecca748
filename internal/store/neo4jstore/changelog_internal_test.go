package neo4jstore

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/actorgraph/actorgraph/internal/feed"
	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
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

// TestChangeLogReadsEarlierLayout: a database whose log was written by an
// earlier version holds one node per entry (json a string, no first).
// Those entries are read, in order and with the chunks written after them,
// and compaction counts them like any others.
func TestChangeLogReadsEarlierLayout(t *testing.T) {
	s := testStore(t)
	ctx := context.Background()
	start, err := s.LastSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Two entries as the earlier version appended them.
	for i, id := range []string{"old-a", "old-b"} {
		data := fmt.Sprintf(`{"op":"put actor","entity":"ACTOR","id":%q,"kind":"CREATED","at":"2026-01-01T00:00:00Z"}`, id)
		if _, err := s.runAutoCommit(ctx, "test", `MERGE (l:ChangeLog {id: $log}) ON CREATE SET l.seq = 0, l.floor = 0
SET l.seq = l.seq + 1 CREATE (:Change {seq: l.seq, at: $at, json: $json})`,
			map[string]any{"log": changeLogID, "at": time.Now().UnixMilli() + int64(i), "json": data}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.PutActor(ctx, kg.Actor{ID: "new-c", Name: "C", Kind: kg.KindOther}); err != nil {
		t.Fatal(err)
	}
	var got []string
	for after := start; ; {
		page, err := s.Changes(ctx, after, 1) // one at a time: every cursor position
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		if page[0].Seq != after+1 {
			t.Fatalf("seq %d after %d", page[0].Seq, after)
		}
		got = append(got, page[0].ID)
		after = page[0].Seq
	}
	if strings.Join(got, " ") != "old-a old-b new-c" {
		t.Errorf("entries after %d: %v, want old-a old-b new-c", start, got)
	}
	n, err := s.Compact(ctx, store.Retention{MaxEntries: 1}, time.Now())
	if err != nil || n != 2 { // the store is wiped: its floor is start
		t.Errorf("compacted %d (%v), want the 2 earlier-layout entries", n, err)
	}
	if page, err := s.Changes(ctx, 0, 10); err != nil || len(page) != 1 || page[0].ID != "new-c" {
		t.Errorf("after compaction: %v %v, want new-c alone", page, err)
	}
}
