package storetest

import (
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// RunWriter runs the writer's conformance tests (store.Writer): merge and
// unmerge, review, delete, put and aliases, with their failure cases. Each
// subtest gets a fresh, empty store from newStore.
func RunWriter(t *testing.T, newStore func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store, w store.Writer)
	}{
		{"MergeUnmergeSeed", testMergeUnmergeSeed},
		{"MergeErrors", testMergeErrors},
		{"MergeClaimsAndSelfLoops", testMergeClaims},
		{"UnmergeKeepsLaterChanges", testUnmergeKeepsLater},
		{"UnmergeConflicts", testUnmergeConflicts},
		{"Review", testReview},
		{"DeleteRelation", testDeleteRelation},
		{"DeleteActor", testDeleteActor},
		{"PutActorAndAliases", testPutActor},
		{"WipeClearsRecords", testWipeRecords},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			tc.fn(t, s, s)
		})
	}
}

// RunWriterAtomic proves every write is all or nothing: setFailpoint makes
// the store fail each write transaction at its very end (after all its
// statements ran), and the graph and the records must be as before.
// setFailpoint(nil) clears it.
func RunWriterAtomic(t *testing.T, newStore func(t *testing.T) store.Store, setFailpoint func(func(op string) error)) {
	s := newStore(t)
	w := store.Writer(s)
	seedGraph(t, s)
	// Some records first, so that failed writes have records to spoil.
	if _, err := w.MergeActors(ctx(), "russia", "russian-government", info(1)); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Review(ctx(), "kerry-threatens-russia", store.ReviewInfo{Status: kg.ReviewConfirmed, Reviewer: "ann", At: at(2)}); err != nil {
		t.Fatal(err)
	}
	injected := errors.New("injected failure")
	var ops []string
	fail := func(op string) error { ops = append(ops, op); return injected }
	setFailpoint(fail)
	defer setFailpoint(nil)
	del := store.DeletionInfo{By: "ann", Reason: "test", At: at(3)}
	for _, c := range []struct {
		name  string
		setup func() error
		do    func() error
	}{
		{"PutActor", nil, func() error {
			return w.PutActor(ctx(), kg.Actor{ID: "russia", Name: "Renamed", Kind: kg.KindOther})
		}},
		{"AddAliases", nil, func() error { _, err := w.AddAliases(ctx(), "russia", []string{"Rossiya"}); return err }},
		{"MergeActors", nil, func() error { _, err := w.MergeActors(ctx(), "russia", "russian-military", info(4)); return err }},
		{"Unmerge", nil, func() error { _, err := w.Unmerge(ctx(), store.MergeID("russia", "russian-government")); return err }},
		{"Review", nil, func() error {
			_, err := w.Review(ctx(), "kerry-threatens-russia", store.ReviewInfo{Status: kg.ReviewRejected, Reviewer: "bob", At: at(5)})
			return err
		}},
		{"DeleteRelation", nil, func() error { return w.DeleteRelation(ctx(), "kerry-threatens-russia", del) }},
		{"DeleteActor", func() error {
			return w.PutActor(ctx(), kg.Actor{ID: "lonely", Name: "Lonely", Kind: kg.KindOther})
		}, func() error { return w.DeleteActor(ctx(), "lonely", del) }},
	} {
		if c.setup != nil {
			setFailpoint(nil)
			if err := c.setup(); err != nil {
				t.Fatalf("%s: setup: %v", c.name, err)
			}
			setFailpoint(fail)
		}
		before := snapshot(t, s, w)
		n := len(ops)
		if err := c.do(); !errors.Is(err, injected) {
			t.Errorf("%s with a failing transaction: err = %v, want the injected failure", c.name, err)
		}
		if len(ops) != n+1 {
			t.Errorf("%s: the failpoint ran %d times, want once", c.name, len(ops)-n)
		}
		eq(t, c.name+": state after a failed write", snapshot(t, s, w), before)
	}
}

var t0 = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

// at is a fixed time, n minutes after t0.
func at(n int) time.Time { return t0.Add(time.Duration(n) * time.Minute) }

func info(n int) store.MergeInfo { return store.MergeInfo{By: "ann", Note: "same actor", At: at(n)} }

// graphState is everything the read methods say about the graph.
type graphState struct {
	Stats     store.Stats
	Actors    map[string]kg.Actor
	Relations map[string]kg.Relation
	Names     map[string]string // folded name or alias -> ActorByName's id
}

// state is the graph plus the writer's records.
type state struct {
	Graph     graphState
	Merges    []store.Merge
	Deletions []store.Deletion
	Reviews   map[string][]store.ReviewInfo
}

func graphOf(t *testing.T, s store.Store) graphState {
	t.Helper()
	st, err := s.Stats(ctx())
	if err != nil {
		t.Fatal(err)
	}
	g := graphState{Stats: st, Actors: map[string]kg.Actor{}, Relations: map[string]kg.Relation{}, Names: map[string]string{}}
	as, err := s.ListActors(ctx(), store.ActorFilter{}, store.Order{Field: store.SortID}, store.Page{First: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range as.Items {
		g.Actors[a.ID] = a
	}
	for _, a := range as.Items {
		for _, n := range a.Names() {
			b, err := s.ActorByName(ctx(), n)
			if err != nil {
				t.Fatalf("ActorByName(%q): %v", n, err)
			}
			g.Names[n] = b.ID
		}
	}
	rs, err := s.ListRelations(ctx(), store.RelationFilter{}, store.Order{Field: store.SortID}, store.Page{First: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs.Items {
		g.Relations[r.ID] = r
	}
	eq(t, "actors listed = counted", len(g.Actors), st.Actors)
	eq(t, "relations listed = counted", len(g.Relations), st.Relations)
	return g
}

func snapshot(t *testing.T, s store.Store, w store.Writer) state {
	t.Helper()
	st := state{Graph: graphOf(t, s), Reviews: map[string][]store.ReviewInfo{}}
	var err error
	if st.Merges, err = w.Merges(ctx(), 0); err != nil {
		t.Fatal(err)
	}
	if st.Deletions, err = w.Deletions(ctx(), 0); err != nil {
		t.Fatal(err)
	}
	for id := range st.Graph.Relations {
		rv, err := w.Reviews(ctx(), id)
		if err != nil {
			t.Fatal(err)
		}
		if len(rv) > 0 {
			st.Reviews[id] = rv
		}
	}
	return st
}

func isErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: err = %v, want %v", what, err, want)
	}
}

// touching returns, sorted by id, the relations of g with actor id at an
// end or as ClaimedBy.
func touching(g graphState, id string) []kg.Relation {
	var out []kg.Relation
	for _, r := range g.Relations {
		if r.From == id || r.To == id || r.ClaimedBy == id {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b kg.Relation) int { return cmpStr(a.ID, b.ID) })
	return out
}

func cmpStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func testMergeUnmergeSeed(t *testing.T, s store.Store, w store.Writer) {
	seedGraph(t, s)
	orig := graphOf(t, s)
	moved := touching(orig, "russian-military")
	if len(moved) < 5 {
		t.Fatalf("seed: russian-military has %d relations, want several", len(moved))
	}
	russia := orig.Actors["russia"]

	// Times in another zone are kept as UTC.
	mi := store.MergeInfo{By: "ann", Note: "one actor", At: at(1).In(time.FixedZone("MSK", 3*3600))}
	m, err := w.MergeActors(ctx(), "russia", "russian-military", mi)
	if err != nil {
		t.Fatalf("MergeActors: %v", err)
	}
	mi.At = at(1)
	keptAside := "russian-military-part-of-russia"
	want := store.Merge{ID: "merge:russia:russian-military", Survivor: "russia", Merged: "russian-military", Info: mi,
		Actor: orig.Actors["russian-military"], AliasesBefore: russia.Aliases,
		AddedAliases: []string{"Russian military", "Russian armed forces", "Armed Forces of the Russian Federation"},
		Moved:        moved, KeptAside: []string{keptAside}}
	eq(t, "merge record", m, want)
	merges, err := w.Merges(ctx(), 0)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "Merges after merge", merges, []store.Merge{want})

	after := graphOf(t, s)
	eq(t, "stats after merge", after.Stats, store.Stats{Actors: orig.Stats.Actors - 1, Places: orig.Stats.Places,
		Events: orig.Stats.Events, Sources: orig.Stats.Sources, Relations: orig.Stats.Relations - 1,
		Evidence: orig.Stats.Evidence - len(orig.Relations[keptAside].Evidence)})
	if _, ok := after.Actors["russian-military"]; ok {
		t.Error("the merged actor is still listed")
	}
	if got, _ := s.Actors(ctx(), []string{"russian-military"}); len(got) != 0 {
		t.Error("the merged actor is still found by id")
	}
	wantRussia := russia
	wantRussia.Aliases = append(slices.Clone(russia.Aliases), want.AddedAliases...)
	eq(t, "survivor after merge", after.Actors["russia"], wantRussia)
	for _, n := range []string{"Russian military", "armed forces of the russian federation", "Moscow"} {
		a, err := s.ActorByName(ctx(), n)
		if err != nil || a.ID != "russia" {
			t.Errorf("ActorByName(%q) after merge = %q, %v; want russia", n, a.ID, err)
		}
	}
	for _, r := range moved {
		got, ok := after.Relations[r.ID]
		if r.ID == keptAside {
			if ok {
				t.Errorf("the self-loop %s was created", r.ID)
			}
			continue
		}
		w := r
		for _, end := range []*string{&w.From, &w.To, &w.ClaimedBy} {
			if *end == "russian-military" {
				*end = "russia"
			}
		}
		eq(t, "moved relation "+r.ID, got, w)
	}
	for id, r := range orig.Relations {
		if !slices.ContainsFunc(moved, func(m kg.Relation) bool { return m.ID == id }) {
			eq(t, "untouched relation "+id, after.Relations[id], r)
		}
	}
	// The hierarchy moved: the General Staff is now part of Russia, and
	// Poznikhir's words still roll up to Russia.
	eq(t, "moved hierarchy edge", after.Relations["russian-general-staff-part-of-russian-military"].To, "russia")
	page, err := s.ListRelations(ctx(), store.RelationFilter{From: "russia", RollUp: true, Types: []kg.RelationType{kg.Accuses}},
		store.Order{Field: store.SortID}, store.Page{First: 100})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(relIDs(page.Items), "poznikhir-accuses-rebels-convoy") {
		t.Errorf("rolled-up accusations of russia after merge: %v, want Poznikhir's", relIDs(page.Items))
	}
	in, err := s.RelationsOf(ctx(), []string{"russia"}, store.In, store.RelationFilter{Types: []kg.RelationType{kg.PartOf}}, store.Order{Field: store.SortID}, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "parts of russia after merge", relIDs(in["russia"].Items), []string{"russian-air-force-part-of-russian-military",
		"russian-general-staff-part-of-russian-military", "russian-government-part-of-russia"})

	// Merging again, or the merged actor into another, conflicts.
	_, err = w.MergeActors(ctx(), "russia", "russian-military", info(2))
	isErr(t, "merge twice", err, store.ErrConflict)
	_, err = w.MergeActors(ctx(), "russian-government", "russian-military", info(2))
	isErr(t, "merge a merged actor elsewhere", err, store.ErrConflict)
	_, err = w.MergeActors(ctx(), "russian-military", "russian-government", info(2))
	isErr(t, "merge into a merged actor", err, store.ErrConflict)
	eq(t, "graph after refused merges", graphOf(t, s), after)

	// Unmerge restores the graph exactly.
	u, err := w.Unmerge(ctx(), m.ID)
	if err != nil {
		t.Fatalf("Unmerge: %v", err)
	}
	want.Undone = true
	eq(t, "unmerge record", u, want)
	eq(t, "graph after unmerge", graphOf(t, s), orig)
	merges, _ = w.Merges(ctx(), 0)
	eq(t, "Merges after unmerge", merges, []store.Merge{want})
	_, err = w.Unmerge(ctx(), m.ID)
	isErr(t, "unmerge twice", err, store.ErrConflict)
	_, err = w.Unmerge(ctx(), "merge:nobody:nothing")
	isErr(t, "unmerge unknown", err, store.ErrNotFound)
	eq(t, "graph after refused unmerges", graphOf(t, s), orig)

	// The pair may be merged again after an unmerge (the record is replaced),
	// and undone again.
	m2, err := w.MergeActors(ctx(), "russia", "russian-military", info(3))
	if err != nil {
		t.Fatalf("merge after unmerge: %v", err)
	}
	eq(t, "second merge's moved relations", m2.Moved, moved)
	eq(t, "graph after the second merge", graphOf(t, s), after)
	if _, err := w.Unmerge(ctx(), m2.ID); err != nil {
		t.Fatal(err)
	}
	eq(t, "graph after the second unmerge", graphOf(t, s), orig)
}

func testMergeErrors(t *testing.T, s store.Store, w store.Writer) {
	load(t, s, Fixture())
	before := snapshot(t, s, w)
	for _, c := range []struct {
		name, survivor, merged string
		info                   store.MergeInfo
		want                   error
	}{
		{"into itself", "army", "army", info(1), store.ErrInvalid},
		{"empty id", "army", "", info(1), store.ErrInvalid},
		{"no time", "ruritania", "army", store.MergeInfo{By: "ann"}, store.ErrInvalid},
		{"unknown survivor", "nobody", "army", info(1), store.ErrNotFound},
		{"unknown merged", "ruritania", "nobody", info(1), store.ErrNotFound},
		{"place as merged", "ruritania", "capital", info(1), store.ErrNotFound},
		// staff -PART_OF-> army -PART_OF-> ruritania: the path would close into a cycle.
		{"hierarchy cycle", "staff", "ruritania", info(1), store.ErrConflict},
		{"hierarchy cycle upwards", "ruritania", "staff", info(1), store.ErrConflict},
		{"hierarchy cycle via a role", "gen", "army", info(1), store.ErrConflict},
	} {
		_, err := w.MergeActors(ctx(), c.survivor, c.merged, c.info)
		isErr(t, "merge "+c.name, err, c.want)
	}
	eq(t, "state after refused merges", snapshot(t, s, w), before)
}

// testMergeClaims: the merged actor's claims move (ClaimedBy), a relation
// between the two becomes a self-loop unless it is a hierarchy edge.
func testMergeClaims(t *testing.T, s store.Store, w store.Writer) {
	load(t, s, Fixture())
	// r-accuse (freedonia -> ruritania) is between the two, so the merge
	// takes it out; r-deny still denies it, so the merge is refused until
	// the denial is gone (it would dangle).
	if _, err := w.MergeActors(ctx(), "ruritania", "freedonia", info(1)); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("merge taking out a denied relation: err = %v, want ErrConflict", err)
	}
	if err := w.DeleteRelation(ctx(), "r-deny", store.DeletionInfo{By: "ann", Reason: "test", At: at(1)}); err != nil {
		t.Fatal(err)
	}
	orig := graphOf(t, s)
	m, err := w.MergeActors(ctx(), "ruritania", "freedonia", info(2))
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "moved", relIDs(m.Moved), []string{"r-accuse", "r-attack", "r-imported", "r-threat"})
	eq(t, "kept aside (every relation between the two)", m.KeptAside, []string{"r-accuse", "r-threat"})
	eq(t, "added aliases", m.AddedAliases, []string{"Freedonia", "Fredonia"})
	got, err := s.Relations(ctx(), []string{"r-accuse", "r-attack", "r-threat"})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "no self-loop stored", len(got), 1)
	eq(t, "claim moved", got["r-attack"].ClaimedBy, "ruritania")
	n, err := s.CountRelationsOf(ctx(), []string{"ruritania"}, store.Both, store.RelationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	// r-army and r-imported.
	eq(t, "ruritania's degree after merge", n["ruritania"], 2)
	if _, err := w.Unmerge(ctx(), m.ID); err != nil {
		t.Fatal(err)
	}
	eq(t, "graph after unmerge", graphOf(t, s), orig)
}

// testUnmergeKeepsLater: what happened to the survivor after the merge
// stays; changes to moved relations are kept while their ends go back.
func testUnmergeKeepsLater(t *testing.T, s store.Store, w store.Writer) {
	load(t, s, Fixture())
	orig := graphOf(t, s)
	m, err := w.MergeActors(ctx(), "ruritania", "army", info(1))
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "kept aside", m.KeptAside, []string{"r-army"})
	eq(t, "moved", relIDs(m.Moved), []string{"r-army", "r-attack", "r-controls", "r-imported", "r-staff"})
	later := Fixture().Relations[1] // r-attack as a new relation of the survivor
	later.ID, later.From = "r-later", "ruritania"
	load(t, s, &kg.Graph{Relations: []kg.Relation{later}})
	if _, err := w.Review(ctx(), "r-imported", store.ReviewInfo{Status: kg.ReviewConfirmed, Reviewer: "ann", At: at(2)}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.AddAliases(ctx(), "ruritania", []string{"Kingdom of Ruritania"}); err != nil {
		t.Fatal(err)
	}
	if err := w.DeleteRelation(ctx(), "r-controls", store.DeletionInfo{By: "ann", Reason: "wrong", At: at(3)}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Unmerge(ctx(), m.ID); err != nil {
		t.Fatal(err)
	}
	want := orig
	want.Relations = map[string]kg.Relation{}
	for id, r := range orig.Relations {
		want.Relations[id] = r
	}
	delete(want.Relations, "r-controls")
	want.Relations["r-later"] = later
	imp := want.Relations["r-imported"]
	imp.Provenance.Review = kg.ReviewConfirmed
	want.Relations["r-imported"] = imp
	want.Actors = map[string]kg.Actor{}
	for id, a := range orig.Actors {
		want.Actors[id] = a
	}
	rur := want.Actors["ruritania"]
	rur.Aliases = append(slices.Clone(rur.Aliases), "Kingdom of Ruritania")
	want.Actors["ruritania"] = rur
	want.Names = map[string]string{}
	for n, id := range orig.Names {
		want.Names[n] = id
	}
	want.Names["kingdom of ruritania"] = "ruritania"
	st := orig.Stats
	st.Evidence += len(later.Evidence) - len(orig.Relations["r-controls"].Evidence)
	want.Stats = st
	eq(t, "graph after unmerge with later changes", graphOf(t, s), want)
}

func testUnmergeConflicts(t *testing.T, s store.Store, w store.Writer) {
	load(t, s, Fixture())
	m, err := w.MergeActors(ctx(), "ruritania", "army", info(1))
	if err != nil {
		t.Fatal(err)
	}
	// The merged actor's id is taken again.
	if err := w.PutActor(ctx(), kg.Actor{ID: "army", Name: "New Army", Kind: kg.KindMilitary}); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, s, w)
	_, err = w.Unmerge(ctx(), m.ID)
	isErr(t, "unmerge with the merged id taken", err, store.ErrConflict)
	eq(t, "state after refused unmerge", snapshot(t, s, w), before)
	if err := w.DeleteActor(ctx(), "army", store.DeletionInfo{By: "ann", At: at(2)}); err != nil {
		t.Fatal(err)
	}
	// The survivor merged away in turn: undo that first. (r-deny denies
	// r-accuse, which is between the two: it goes first.)
	if err := w.DeleteRelation(ctx(), "r-deny", store.DeletionInfo{By: "ann", Reason: "test", At: at(2)}); err != nil {
		t.Fatal(err)
	}
	m2, err := w.MergeActors(ctx(), "freedonia", "ruritania", info(3))
	if err != nil {
		t.Fatal(err)
	}
	before = snapshot(t, s, w)
	_, err = w.Unmerge(ctx(), m.ID)
	isErr(t, "unmerge with the survivor merged away", err, store.ErrConflict)
	eq(t, "state after refused unmerge", snapshot(t, s, w), before)
	if _, err := w.Unmerge(ctx(), m2.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Unmerge(ctx(), m.ID); err != nil {
		t.Fatalf("unmerge in reverse order: %v", err)
	}
	merges, err := w.Merges(ctx(), 0)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "merges newest first", []string{merges[0].ID, merges[1].ID}, []string{m2.ID, m.ID})
	eq(t, "both undone", merges[0].Undone && merges[1].Undone, true)
	one, _ := w.Merges(ctx(), 1)
	eq(t, "merges limited", len(one), 1)
}

func testReview(t *testing.T, s store.Store, w store.Writer) {
	load(t, s, Fixture())
	zone := time.FixedZone("CEST", 2*3600)
	confirm := store.ReviewInfo{Status: kg.ReviewConfirmed, Reviewer: "ann", Note: "checked the row", At: at(1).In(zone)}
	r, err := w.Review(ctx(), "r-imported", confirm)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "review status after CONFIRMED", r.Provenance.Review, kg.ReviewConfirmed)
	confirm.At = at(1)
	want := Fixture().Relations[5]
	want.Provenance.Review = kg.ReviewConfirmed
	eq(t, "reviewed relation", r, want)
	got, _ := s.Relations(ctx(), []string{"r-imported"})
	eq(t, "reviewed relation read back", got["r-imported"], want)
	n, _ := s.CountRelations(ctx(), store.RelationFilter{Review: kg.ReviewProposed})
	eq(t, "PROPOSED relations after review", n, 0)

	reject := store.ReviewInfo{Status: kg.ReviewRejected, Reviewer: "bob", At: at(2)}
	if _, err := w.Review(ctx(), "r-imported", reject); err != nil {
		t.Fatal(err)
	}
	// The same input again, also at another time: a no-op.
	if _, err := w.Review(ctx(), "r-imported", reject); err != nil {
		t.Fatal(err)
	}
	again := reject
	again.At = at(3)
	r, err = w.Review(ctx(), "r-imported", again)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "status after REJECTED", r.Provenance.Review, kg.ReviewRejected)
	hist, err := w.Reviews(ctx(), "r-imported")
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "history", hist, []store.ReviewInfo{confirm, reject})
	back := store.ReviewInfo{Status: kg.ReviewProposed, Reviewer: "ann", Note: "not sure", At: at(4)}
	if _, err := w.Review(ctx(), "r-imported", back); err != nil {
		t.Fatal(err)
	}
	hist, _ = w.Reviews(ctx(), "r-imported")
	eq(t, "history after going back", hist, []store.ReviewInfo{confirm, reject, back})
	n, _ = s.CountRelations(ctx(), store.RelationFilter{Review: kg.ReviewProposed})
	eq(t, "PROPOSED relations after going back", n, 1)

	before := snapshot(t, s, w)
	_, err = w.Review(ctx(), "nothing", confirm)
	isErr(t, "review an unknown relation", err, store.ErrNotFound)
	_, err = w.Review(ctx(), "r-imported", store.ReviewInfo{Status: "MAYBE", Reviewer: "ann", At: at(5)})
	isErr(t, "review with a bad status", err, store.ErrInvalid)
	_, err = w.Review(ctx(), "r-imported", store.ReviewInfo{Status: kg.ReviewConfirmed, Reviewer: "ann"})
	isErr(t, "review without a time", err, store.ErrInvalid)
	eq(t, "state after refused reviews", snapshot(t, s, w), before)
	// The batched read agrees with the one-by-one read.
	batch, err := w.ReviewsOf(ctx(), []string{"r-imported", "r-threat", "r-accuse", "missing"})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"r-imported", "r-threat", "r-accuse"} {
		one, _ := w.Reviews(ctx(), id)
		if len(one) == 0 {
			if _, ok := batch[id]; ok {
				t.Errorf("ReviewsOf has %s, never reviewed", id)
			}
			continue
		}
		if !reflect.DeepEqual(batch[id], one) {
			t.Errorf("ReviewsOf[%s] = %+v, Reviews = %+v", id, batch[id], one)
		}
	}
	hist, err = w.Reviews(ctx(), "r-threat")
	if err != nil || len(hist) != 0 {
		t.Errorf("history of an unreviewed relation: %v, %v; want none", hist, err)
	}
}

func testDeleteRelation(t *testing.T, s store.Store, w store.Writer) {
	load(t, s, Fixture())
	orig := graphOf(t, s)
	d1 := store.DeletionInfo{By: "ann", Reason: "duplicate", At: at(1)}
	if err := w.DeleteRelation(ctx(), "r-threat", d1); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Relations(ctx(), []string{"r-threat"})
	eq(t, "deleted relation read", len(got), 0)
	page, _ := s.RelationsOf(ctx(), []string{"freedonia"}, store.Out, store.RelationFilter{}, store.Order{Field: store.SortID}, store.Page{})
	eq(t, "freedonia's relations after delete", relIDs(page["freedonia"].Items), []string{"r-accuse", "r-imported"})
	st, _ := s.Stats(ctx())
	eq(t, "relations after delete", st.Relations, orig.Stats.Relations-1)
	threat := orig.Relations["r-threat"]
	want1 := store.Deletion{ID: store.DeletionID(store.DeletedRelation, "r-threat", at(1)), Kind: store.DeletedRelation, Info: d1, Relation: &threat}

	before := snapshot(t, s, w)
	d := store.DeletionInfo{By: "ann", Reason: "x", At: at(2)}
	isErr(t, "delete the denied accusation", w.DeleteRelation(ctx(), "r-accuse", d), store.ErrConflict)
	isErr(t, "delete the alleged attack", w.DeleteRelation(ctx(), "r-attack", d), store.ErrConflict)
	isErr(t, "delete an unknown relation", w.DeleteRelation(ctx(), "r-threat", d), store.ErrNotFound)
	isErr(t, "delete without a time", w.DeleteRelation(ctx(), "r-deny", store.DeletionInfo{By: "ann"}), store.ErrInvalid)
	eq(t, "state after refused deletes", snapshot(t, s, w), before)

	// Delete the denial first, then the accusation it denied.
	d2 := store.DeletionInfo{By: "bob", Reason: "retracted", At: at(2)}
	d3 := store.DeletionInfo{By: "bob", Reason: "retracted", At: at(3)}
	if err := w.DeleteRelation(ctx(), "r-deny", d2); err != nil {
		t.Fatal(err)
	}
	if err := w.DeleteRelation(ctx(), "r-accuse", d3); err != nil {
		t.Fatal(err)
	}
	deny, accuse := orig.Relations["r-deny"], orig.Relations["r-accuse"]
	want := []store.Deletion{
		{ID: store.DeletionID(store.DeletedRelation, "r-accuse", at(3)), Kind: store.DeletedRelation, Info: d3, Relation: &accuse},
		{ID: store.DeletionID(store.DeletedRelation, "r-deny", at(2)), Kind: store.DeletedRelation, Info: d2, Relation: &deny},
		want1,
	}
	dels, err := w.Deletions(ctx(), 0)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "deletions newest first", dels, want)
	dels, _ = w.Deletions(ctx(), 2)
	eq(t, "deletions limited", dels, want[:2])
	linked, _ := s.Linked(ctx(), []string{"r-accuse", "r-attack"}, store.LinkDenies)
	eq(t, "denials of the deleted accusation", len(linked["r-accuse"]), 0)
}

func testDeleteActor(t *testing.T, s store.Store, w store.Writer) {
	load(t, s, Fixture())
	// claimer only claims a relation between others.
	claim := Fixture().Relations[1]
	claim.ID, claim.ClaimedBy = "r-claimed", "claimer"
	load(t, s, &kg.Graph{Actors: []kg.Actor{{ID: "claimer", Name: "Claimer", Kind: kg.KindPerson}}, Relations: []kg.Relation{claim}})
	before := snapshot(t, s, w)
	d := store.DeletionInfo{By: "ann", Reason: "gone", At: at(1)}
	isErr(t, "delete an actor with relations", w.DeleteActor(ctx(), "ruritania", d), store.ErrConflict)
	isErr(t, "delete an actor who claims a relation", w.DeleteActor(ctx(), "claimer", d), store.ErrConflict)
	isErr(t, "delete an unknown actor", w.DeleteActor(ctx(), "nobody", d), store.ErrNotFound)
	isErr(t, "delete a place as an actor", w.DeleteActor(ctx(), "capital", d), store.ErrNotFound)
	eq(t, "state after refused deletes", snapshot(t, s, w), before)

	lonely := kg.Actor{ID: "lonely", Name: "Lonely Actor", Kind: kg.KindOther, Aliases: []string{"Solo"}}
	if err := w.PutActor(ctx(), lonely); err != nil {
		t.Fatal(err)
	}
	if err := w.DeleteActor(ctx(), "lonely", d); err != nil {
		t.Fatal(err)
	}
	eq(t, "graph after put and delete", graphOf(t, s), before.Graph)
	if _, err := s.ActorByName(ctx(), "solo"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleted actor's alias: err = %v, want ErrNotFound", err)
	}
	dels, err := w.Deletions(ctx(), 0)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "deletions", dels, []store.Deletion{{ID: "deletion:actor:lonely:" + store.TimeKey(at(1)), Kind: store.DeletedActor, Info: d, Actor: &lonely}})
}

func testPutActor(t *testing.T, s store.Store, w store.Writer) {
	load(t, s, Fixture())
	before := snapshot(t, s, w)
	for _, a := range []kg.Actor{
		{ID: "x", Name: "X", Kind: "DRAGON"},
		{ID: "x", Name: "  ", Kind: kg.KindOther},
		{ID: "", Name: "X", Kind: kg.KindOther},
		{ID: "Not A Slug", Name: "X", Kind: kg.KindOther},
		{ID: "capital", Name: "Strelsau Council", Kind: kg.KindGovernment}, // a place's id
	} {
		isErr(t, "PutActor "+a.ID+"/"+a.Name+"/"+string(a.Kind), w.PutActor(ctx(), a), store.ErrInvalid)
	}
	_, err := w.AddAliases(ctx(), "nobody", []string{"Someone"})
	isErr(t, "AddAliases to an unknown actor", err, store.ErrNotFound)
	eq(t, "state after refused writes", snapshot(t, s, w), before)

	a := kg.Actor{ID: "zenda", Name: "Zenda", Kind: kg.KindArmedGroup, Country: "RUR"}
	if err := w.PutActor(ctx(), a); err != nil {
		t.Fatal(err)
	}
	a.Kind, a.Description, a.CAMEOCode = kg.KindGovernment, "the castle", "RURGOV"
	if err := w.PutActor(ctx(), a); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Actors(ctx(), []string{"zenda"})
	eq(t, "replaced actor", got["zenda"], a)
	n, _ := s.CountActors(ctx(), store.ActorFilter{Kinds: []kg.ActorKind{kg.KindGovernment}})
	eq(t, "governments", n, 1)

	r, err := w.AddAliases(ctx(), "ruritania", []string{"RURITANIA", " Kingdom of Ruritania ", "kingdom  of ruritania", "", "strelsau"})
	if err != nil {
		t.Fatal(err)
	}
	want := Fixture().Actors[0]
	want.Aliases = append(want.Aliases, "Kingdom of Ruritania")
	eq(t, "actor with aliases", r, want)
	same, err := w.AddAliases(ctx(), "ruritania", []string{"kingdom of RURITANIA"})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "adding a known alias", same, want)
	b, err := s.ActorByName(ctx(), "kingdom of ruritania")
	if err != nil || b.ID != "ruritania" {
		t.Errorf("ActorByName(new alias) = %q, %v", b.ID, err)
	}
	list, _ := s.ListActors(ctx(), store.ActorFilter{NameContains: "kingdom"}, store.Order{Field: store.SortName}, store.Page{})
	eq(t, "actors named like the new alias", ids(list.Items, func(a kg.Actor) string { return a.ID }), []string{"ruritania"})
}

func testWipeRecords(t *testing.T, s store.Store, w store.Writer) {
	load(t, s, Fixture())
	if _, err := w.MergeActors(ctx(), "ruritania", "army", info(1)); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Review(ctx(), "r-imported", store.ReviewInfo{Status: kg.ReviewConfirmed, Reviewer: "ann", At: at(2)}); err != nil {
		t.Fatal(err)
	}
	if err := w.DeleteRelation(ctx(), "r-threat", store.DeletionInfo{By: "ann", At: at(3)}); err != nil {
		t.Fatal(err)
	}
	if err := s.Wipe(ctx()); err != nil {
		t.Fatal(err)
	}
	merges, err1 := w.Merges(ctx(), 0)
	dels, err2 := w.Deletions(ctx(), 0)
	revs, err3 := w.Reviews(ctx(), "r-imported")
	if err := errors.Join(err1, err2, err3); err != nil {
		t.Fatal(err)
	}
	if len(merges)+len(dels)+len(revs) != 0 {
		t.Errorf("records after Wipe: %d merges, %d deletions, %d reviews; want none", len(merges), len(dels), len(revs))
	}
	// A wiped store takes writes again.
	load(t, s, Fixture())
	if _, err := w.MergeActors(ctx(), "ruritania", "army", info(4)); err != nil {
		t.Fatalf("merge after Wipe: %v", err)
	}
}
