package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// RunChangeLog runs the change log's conformance tests (store.ChangeLog):
// every write appends one entry per changed entity in its own transaction,
// sequences are gap-free and follow commit order, and compaction expires
// cursors instead of skipping entries.
func RunChangeLog(t *testing.T, newStore func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"LoadEntries", testLogLoad},
		{"WriterEntries", testLogWriter},
		{"FailedWriteLogsNothing", testLogFailed},
		{"Paging", testLogPaging},
		{"CompactByCount", testLogCompactCount},
		{"CompactByAge", testLogCompactAge},
		{"WipeKeepsSequence", testLogWipe},
		{"ConcurrentWritersLiveTailer", testLogConcurrent},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newStore(t)) })
	}
}

// since returns every entry after seq, checking the sequences are
// consecutive.
func since(t *testing.T, s store.Store, after int64) []store.Change {
	t.Helper()
	var out []store.Change
	for {
		page, err := s.Changes(ctx(), after, 500)
		if err != nil {
			t.Fatalf("Changes(%d): %v", after, err)
		}
		if len(page) == 0 {
			return out
		}
		if after == 0 { // from the oldest retained entry
			after = page[0].Seq - 1
		}
		for _, ch := range page {
			if ch.Seq != after+1 {
				t.Fatalf("Changes: seq %d after %d (gap or disorder)", ch.Seq, after)
			}
			after = ch.Seq
		}
		out = append(out, page...)
	}
}

func last(t *testing.T, s store.Store) int64 {
	t.Helper()
	n, err := s.LastSeq(ctx())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// summary lists entries as "KIND ENTITY id" (in log order).
func summary(chs []store.Change) []string {
	out := []string{}
	for _, ch := range chs {
		out = append(out, fmt.Sprintf("%s %s %s", ch.Kind, ch.Entity, ch.ID))
	}
	return out
}

func testLogLoad(t *testing.T, s store.Store) {
	start := last(t, s)
	g := Fixture()
	load(t, s, g)
	chs := since(t, s, start)
	n := len(g.Actors) + len(g.Places) + len(g.Events) + len(g.Sources) + len(g.Relations)
	eq(t, "entries of one load", len(chs), n)
	eq(t, "last seq", last(t, s), start+int64(n))
	kinds := map[store.ChangeEntity]int{}
	for _, ch := range chs {
		if ch.Kind != store.ChangeCreated || ch.Op != store.OpLoad || ch.At.IsZero() {
			t.Errorf("load entry %+v: want CREATED by %q with a time", ch, store.OpLoad)
		}
		kinds[ch.Entity]++
		if ch.Entity == store.EntityRelation && (ch.Relation == nil || ch.Relation.ID != ch.ID) {
			t.Errorf("relation entry %s carries %+v", ch.ID, ch.Relation)
		}
		if ch.Entity == store.EntityActor && (ch.Actor == nil || ch.Actor.ID != ch.ID) {
			t.Errorf("actor entry %s carries %+v", ch.ID, ch.Actor)
		}
	}
	eq(t, "entities", kinds, map[store.ChangeEntity]int{store.EntityActor: 6, store.EntityPlace: 2,
		store.EntityEvent: 2, store.EntitySource: 1, store.EntityRelation: 9})

	// Loading again updates; a relation moved to new ends is one update; a
	// named op is kept.
	g.Relations = g.Relations[:2]
	g.Relations[1].To = "freedonia"
	g.Actors, g.Places, g.Events, g.Sources = nil, nil, nil, nil
	mark := last(t, s)
	if err := s.Load(store.WithOp(ctx(), "import"), g); err != nil {
		t.Fatal(err)
	}
	chs = since(t, s, mark)
	eq(t, "reload", summary(chs), []string{"UPDATED RELATION r-accuse", "UPDATED RELATION r-attack"})
	if chs[1].Op != "import" || chs[1].Relation.To != "freedonia" {
		t.Errorf("moved relation entry: %+v", chs[1])
	}
}

func testLogWriter(t *testing.T, s store.Store) {
	load(t, s, Fixture())
	w := s.(store.Writer)
	mark := last(t, s)
	if err := s.PutActor(ctx(), kg.Actor{ID: "grand-fenwick", Name: "Grand Fenwick", Kind: kg.KindState}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.AddAliases(ctx(), "grand-fenwick", []string{"Fenwick"}); err != nil {
		t.Fatal(err)
	}
	// Aliases it already has change nothing: no entry.
	if _, err := w.AddAliases(ctx(), "grand-fenwick", []string{"fenwick"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Review(ctx(), "r-threat", store.ReviewInfo{Status: kg.ReviewRejected, Reviewer: "ann", At: at(1)}); err != nil {
		t.Fatal(err)
	}
	if err := w.DeleteRelation(ctx(), "r-imported", store.DeletionInfo{By: "ann", At: at(2)}); err != nil {
		t.Fatal(err)
	}
	chs := since(t, s, mark)
	eq(t, "writes", summary(chs), []string{"CREATED ACTOR grand-fenwick", "UPDATED ACTOR grand-fenwick",
		"UPDATED RELATION r-threat", "DELETED RELATION r-imported"})
	if got := chs[1].Actor; got == nil || len(got.Aliases) != 1 {
		t.Errorf("alias entry carries %+v", got)
	}
	if r := chs[2].Relation; r == nil || r.Provenance.Review != kg.ReviewRejected || chs[2].Before == nil || chs[2].Before.Provenance.Review == kg.ReviewRejected {
		t.Errorf("review entry: relation %+v before %+v", chs[2].Relation, chs[2].Before)
	}
	if d := chs[3]; d.Relation != nil || d.Last() == nil || d.Last().From != "freedonia" {
		t.Errorf("deletion entry: relation %+v, last %+v (want the relation as it was)", d.Relation, d.Last())
	}

	// A merge: the merged actor deleted, the survivor and every moved
	// relation updated, once each, in one write. (r-deny denies r-accuse,
	// which joins the pair and is kept aside by the merge: a merge may not
	// take out a relation another still denies, so r-deny goes first.)
	if err := w.DeleteRelation(ctx(), "r-deny", store.DeletionInfo{By: "ann", At: at(2)}); err != nil {
		t.Fatal(err)
	}
	mark = last(t, s)
	if _, err := w.MergeActors(ctx(), "ruritania", "freedonia", info(3)); err != nil {
		t.Fatal(err)
	}
	chs = since(t, s, mark)
	got := map[string]int{}
	for _, ch := range chs {
		got[fmt.Sprintf("%s %s %s", ch.Kind, ch.Entity, ch.ID)]++
		if ch.Op == "" || !ch.At.Equal(chs[0].At) {
			t.Errorf("merge entry %+v: one write has one op and one time", ch)
		}
	}
	// r-accuse and r-threat join the pair: kept aside in the merge record
	// (deleted), never stored as self-loops; r-attack, claimed by freedonia, moves.
	want := map[string]int{"DELETED ACTOR freedonia": 1, "UPDATED ACTOR ruritania": 1,
		"DELETED RELATION r-accuse": 1, "DELETED RELATION r-threat": 1, "UPDATED RELATION r-attack": 1}
	eq(t, "merge entries", got, want)
	if err := w.DeleteActor(ctx(), "grand-fenwick", store.DeletionInfo{By: "ann", At: at(4)}); err != nil {
		t.Fatal(err)
	}
	eq(t, "actor deletion", summary(since(t, s, mark+int64(len(chs)))), []string{"DELETED ACTOR grand-fenwick"})
}

func testLogFailed(t *testing.T, s store.Store) {
	load(t, s, Fixture())
	w := s.(store.Writer)
	mark := last(t, s)
	// Refused writes: a conflict, a missing end, a bad type.
	if err := w.DeleteActor(ctx(), "army", store.DeletionInfo{By: "ann", At: at(1)}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("DeleteActor with relations: %v", err)
	}
	bad := Fixture().Relations[0]
	bad.ID, bad.To = "r-nowhere", "atlantis"
	if err := s.Load(ctx(), &kg.Graph{Actors: []kg.Actor{{ID: "x1", Name: "X", Kind: kg.KindOther}}, Relations: []kg.Relation{bad}}); err == nil {
		t.Fatal("Load with a missing end succeeded")
	}
	eq(t, "entries after refused writes", len(since(t, s, mark)), 0)
	eq(t, "last seq after refused writes", last(t, s), mark)
}

func testLogPaging(t *testing.T, s store.Store) {
	start := last(t, s)
	// 602 entries in one transaction: more than one chunk on Neo4j (256
	// entries a node), and pages of 7 resume inside chunks.
	g := bulkGraph(600)
	load(t, s, g)
	var seen []int64
	after := start
	for {
		page, err := s.Changes(ctx(), after, 7)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		if len(page) > 7 {
			t.Fatalf("page of %d, limit 7", len(page))
		}
		for _, ch := range page {
			seen = append(seen, ch.Seq)
		}
		after = page[len(page)-1].Seq
	}
	eq(t, "paged entries", len(seen), 602)
	for i, seq := range seen {
		if seq != start+int64(i)+1 {
			t.Fatalf("paged seq %d at %d", seq, i)
		}
	}
	// after 0: from the oldest retained entry.
	all := since(t, s, 0)
	eq(t, "from the start", all[len(all)-1].Seq, last(t, s))
}

// bulkGraph is two actors and n relations between them (an import batch):
// n+2 entries.
func bulkGraph(n int) *kg.Graph {
	g := &kg.Graph{Actors: []kg.Actor{{ID: "bulk-a", Name: "A", Kind: kg.KindState}, {ID: "bulk-b", Name: "B", Kind: kg.KindState}}}
	for i := range n {
		r := imported()
		r.ID, r.From, r.To, r.SourceID = fmt.Sprintf("bulk-%04d", i), "bulk-a", "bulk-b", ""
		g.Relations = append(g.Relations, r)
	}
	return g
}

func testLogCompactCount(t *testing.T, s store.Store) {
	start := last(t, s)
	load(t, s, bulkGraph(50))
	end := last(t, s)
	n, err := s.Compact(ctx(), store.Retention{MaxEntries: 10}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if n < 41 {
		t.Errorf("compacted %d entries, want at least %d", n, 41)
	}
	// A cursor in the dropped range expires; one at the floor or above reads on.
	if _, err := s.Changes(ctx(), start+1, 10); !errors.Is(err, store.ErrCursorExpired) {
		t.Errorf("Changes below the floor: err = %v, want ErrCursorExpired", err)
	}
	rest := since(t, s, end-10)
	eq(t, "retained", len(rest), 10)
	all := since(t, s, 0)
	eq(t, "from the oldest retained", len(all), 10)
	eq(t, "oldest retained", all[0].Seq, end-9)
	eq(t, "last seq kept", last(t, s), end)
	// Compacting again drops nothing.
	if n, err := s.Compact(ctx(), store.Retention{MaxEntries: 10}, time.Now()); err != nil || n != 0 {
		t.Errorf("second compaction: %d, %v", n, err)
	}
}

func testLogCompactAge(t *testing.T, s store.Store) {
	start := last(t, s)
	load(t, s, Fixture())
	end := last(t, s)
	// Nothing is a day old yet.
	if n, err := s.Compact(ctx(), store.Retention{MaxAge: 24 * time.Hour}, time.Now()); err != nil || n != 0 {
		t.Fatalf("compact fresh entries: %d, %v", n, err)
	}
	if n, err := s.Compact(ctx(), store.Retention{MaxAge: time.Hour}, time.Now().Add(2*time.Hour)); err != nil || n != int(end-start) {
		t.Fatalf("compact old entries: %d, %v (want %d)", n, err, end-start)
	}
	if _, err := s.Changes(ctx(), end-1, 10); !errors.Is(err, store.ErrCursorExpired) {
		t.Errorf("cursor below an emptied log: err = %v, want ErrCursorExpired", err)
	}
	eq(t, "caught-up cursor reads on", len(since(t, s, end)), 0)
	// New writes continue the sequence.
	if err := s.PutActor(ctx(), kg.Actor{ID: "later", Name: "Later", Kind: kg.KindOther}); err != nil {
		t.Fatal(err)
	}
	eq(t, "after compaction", summary(since(t, s, end)), []string{"CREATED ACTOR later"})
	eq(t, "seq continues", since(t, s, 0)[0].Seq, end+1)
}

func testLogWipe(t *testing.T, s store.Store) {
	load(t, s, Fixture())
	end := last(t, s)
	if err := s.Wipe(ctx()); err != nil {
		t.Fatal(err)
	}
	eq(t, "last seq after wipe", last(t, s), end)
	if _, err := s.Changes(ctx(), 1, 10); end > 1 && !errors.Is(err, store.ErrCursorExpired) {
		t.Errorf("cursor from before the wipe: err = %v, want ErrCursorExpired", err)
	}
	load(t, s, Fixture())
	eq(t, "first entry after wipe", since(t, s, end)[0].Seq, end+1)
}

// testLogConcurrent: writers on two goroutines while a tailer polls: the
// tailer never sees a sequence at or below one it has seen, never skips
// one, and in the end sees every entry once.
func testLogConcurrent(t *testing.T, s store.Store) {
	load(t, s, Fixture())
	start := last(t, s)
	const writers, each = 4, 15
	stop := make(chan struct{})
	tailed := make(chan []int64)
	go func() {
		var got []int64
		after := start
		for done := false; ; {
			page, err := s.Changes(ctx(), after, 100)
			if err != nil {
				t.Error(err)
				break
			}
			for _, ch := range page {
				if ch.Seq != after+1 {
					t.Errorf("tailer: seq %d after %d", ch.Seq, after)
				}
				after = ch.Seq
				got = append(got, ch.Seq)
			}
			if done && len(page) == 0 {
				break
			}
			select {
			case <-stop:
				done = true
			case <-time.After(5 * time.Millisecond):
			}
		}
		tailed <- got
	}()
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				id := fmt.Sprintf("w%d-%d", w, i)
				if err := s.PutActor(ctx(), kg.Actor{ID: id, Name: id, Kind: kg.KindOther}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	got := <-tailed
	eq(t, "entries tailed", len(got), writers*each)
	eq(t, "last seq", last(t, s), start+writers*each)
}
