package storetest

import (
	"errors"
	"strings"
	"testing"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// RunInvariants holds a store to the data model's rules on every write
// path (kg.CheckStored inside the write transaction): the defects of
// issue 11 — a merge that stored a self-loop, an edge that closed a PART_OF
// cycle — and the text rules of the writers that take text directly.
func RunInvariants(t *testing.T, newStore func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"MergeStoresNoSelfLoop", testMergeNoSelfLoop},
		{"LoadRefusesHierarchyCycle", testLoadCycle},
		{"LoadRefusesSelfLoop", testLoadSelfLoop},
		{"LoadRefusesDanglingReferences", testLoadDangling},
		{"WritersRefuseBadText", testWriterText},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newStore(t)) })
	}
}

// checkNoSelfLoops reads every relation and fails on one from an actor to itself.
func checkNoSelfLoops(t *testing.T, s store.Store) {
	t.Helper()
	for id, r := range graphOf(t, s).Relations {
		if r.From == r.To {
			t.Errorf("relation %s is a self-loop of %s", id, r.From)
		}
	}
}

// testMergeNoSelfLoop: issue 11, item 1. Merging two actors joined by
// relations (a hierarchy edge and an ordinary one, in both directions)
// stored self-loops; now they go into the merge record, and unmerge
// restores them.
func testMergeNoSelfLoop(t *testing.T, s store.Store) {
	g := Fixture()
	back := g.Relations[3] // r-threat: freedonia -> ruritania
	back.ID, back.From, back.To = "r-back", "ruritania", "freedonia"
	back.Status, back.Condition = kg.Actual, ""
	g.Relations = append(g.Relations, back)
	load(t, s, g)
	// r-deny denies r-accuse, which the second merge takes out: it goes first.
	if err := s.DeleteRelation(ctx(), "r-deny", store.DeletionInfo{By: "ann", Reason: "test", At: at(2)}); err != nil {
		t.Fatal(err)
	}
	orig := graphOf(t, s)
	m, err := s.MergeActors(ctx(), "ruritania", "army", info(1)) // r-army: army PART_OF ruritania
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "kept aside (hierarchy)", m.KeptAside, []string{"r-army"})
	checkNoSelfLoops(t, s)
	m2, err := s.MergeActors(ctx(), "freedonia", "ruritania", info(3))
	if err != nil {
		t.Fatal(err)
	}
	// r-imported (freedonia -> army) reached ruritania with the first merge.
	eq(t, "kept aside (both directions)", m2.KeptAside, []string{"r-accuse", "r-back", "r-imported", "r-threat"})
	checkNoSelfLoops(t, s)
	for _, id := range []string{m2.ID, m.ID} {
		if _, err := s.Unmerge(ctx(), id); err != nil {
			t.Fatal(err)
		}
	}
	eq(t, "graph after both unmerges", graphOf(t, s), orig)
}

// testLoadCycle: issue 11, item 2. hb PART_OF ha, hc PART_OF hb written
// one at a time, then ha PART_OF hc, which closes the cycle: refused,
// nothing written.
func testLoadCycle(t *testing.T, s store.Store) {
	load(t, s, Fixture())
	var actors []kg.Actor
	for _, id := range []string{"ha", "hb", "hc"} {
		actors = append(actors, kg.Actor{ID: id, Name: strings.ToUpper(id), Kind: kg.KindArmedGroup})
	}
	load(t, s, &kg.Graph{Actors: actors})
	part := func(id, from, to string) kg.Relation {
		r := Fixture().Relations[6] // r-army, a PART_OF
		r.ID, r.From, r.To = id, from, to
		return r
	}
	load(t, s, &kg.Graph{Relations: []kg.Relation{part("p1", "hb", "ha")}})
	load(t, s, &kg.Graph{Relations: []kg.Relation{part("p2", "hc", "hb")}})
	before := graphOf(t, s)
	err := s.Load(ctx(), &kg.Graph{Relations: []kg.Relation{part("p3", "ha", "hc")}})
	isErr(t, "edge closing a PART_OF cycle", err, store.ErrInvalid)
	if !errors.Is(err, kg.ErrCycle) {
		t.Errorf("err = %v, want kg.ErrCycle", err)
	}
	var fe *kg.FieldError
	if !errors.As(err, &fe) || fe.Field != "to" {
		t.Errorf("err = %v, want a FieldError on to", err)
	}
	eq(t, "graph after the refused edge", graphOf(t, s), before)
	// Through HOLDS_ROLE as well: gen HOLDS_ROLE staff, staff PART_OF army;
	// army PART_OF gen would close it.
	err = s.Load(ctx(), &kg.Graph{Relations: []kg.Relation{part("p4", "army", "gen")}})
	isErr(t, "edge closing a HOLDS_ROLE/PART_OF cycle", err, store.ErrInvalid)
	// Two edges of one load closing a cycle between them.
	load(t, s, &kg.Graph{Actors: []kg.Actor{{ID: "hd", Name: "HD", Kind: kg.KindOther}, {ID: "he", Name: "HE", Kind: kg.KindOther}}})
	err = s.Load(ctx(), &kg.Graph{Relations: []kg.Relation{part("p5", "hd", "he"), part("p6", "he", "hd")}})
	isErr(t, "two edges of one load closing a cycle", err, store.ErrInvalid)
	eq(t, "graph after the refused loads", graphOf(t, s).Relations, before.Relations)
}

func testLoadSelfLoop(t *testing.T, s store.Store) {
	load(t, s, Fixture())
	before := graphOf(t, s)
	loop := Fixture().Relations[3] // r-threat
	loop.ID, loop.To = "r-loop", loop.From
	err := s.Load(ctx(), &kg.Graph{Relations: []kg.Relation{loop}})
	isErr(t, "self-loop", err, store.ErrInvalid)
	if !errors.Is(err, kg.ErrSelfLoop) {
		t.Errorf("err = %v, want kg.ErrSelfLoop", err)
	}
	eq(t, "graph after the refused self-loop", graphOf(t, s), before)
}

// testLoadDangling: a relation naming a claimant, event, place, source or
// linked relation that is not stored is refused (as a conflict: the
// write's own checks saw them, so it raced their removal).
func testLoadDangling(t *testing.T, s store.Store) {
	load(t, s, Fixture())
	before := graphOf(t, s)
	base := Fixture().Relations[1] // r-attack: alleged, with event and place
	for _, c := range []struct {
		field string
		edit  func(r *kg.Relation)
	}{
		{"claimedBy", func(r *kg.Relation) { r.ClaimedBy = "nobody" }},
		{"event", func(r *kg.Relation) { r.EventID = "no-event" }},
		{"place", func(r *kg.Relation) { r.PlaceID = "no-place" }},
		{"source", func(r *kg.Relation) { r.SourceID = "no-source" }},
		{"alleges", func(r *kg.Relation) { r.Type, r.Alleges, r.CAMEO, r.Goldstein = kg.Accuses, "no-relation", "", nil }},
		{"claimedBy", func(r *kg.Relation) { r.ClaimedBy = "capital" }}, // a place, not an actor
	} {
		r := base
		r.ID = "r-dangling"
		c.edit(&r)
		err := s.Load(ctx(), &kg.Graph{Relations: []kg.Relation{r}})
		isErr(t, "dangling "+c.field, err, store.ErrConflict)
		var fe *kg.FieldError
		if !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("dangling %s: err = %v, want a FieldError on %s", c.field, err, c.field)
		}
	}
	eq(t, "graph after the refused relations", graphOf(t, s), before)
}

// testWriterText: the writers that take text (aliases, review and merge
// notes, deletion reasons) apply kg's text rules.
func testWriterText(t *testing.T, s store.Store) {
	load(t, s, Fixture())
	before := snapshot(t, s, s)
	bad := []string{"Ruritania\u202Egnp.exe", "a\x00b", "\x1b[31mred", strings.Repeat("x", kg.MaxName+1)}
	for _, b := range bad {
		_, err := s.AddAliases(ctx(), "ruritania", []string{b})
		isErr(t, "alias "+b[:1], err, store.ErrInvalid)
		_, err = s.Review(ctx(), "r-imported", store.ReviewInfo{Status: kg.ReviewConfirmed, Reviewer: b, At: at(1)})
		isErr(t, "reviewer", err, store.ErrInvalid)
		err = s.DeleteRelation(ctx(), "r-imported", store.DeletionInfo{By: "ann", Reason: b + strings.Repeat("y", kg.MaxNote), At: at(1)})
		isErr(t, "deletion reason", err, store.ErrInvalid)
		_, err = s.MergeActors(ctx(), "ruritania", "convoy", store.MergeInfo{By: "ann", Note: "\x1b" + b + strings.Repeat("z", kg.MaxNote), At: at(1)})
		isErr(t, "merge note", err, store.ErrInvalid)
		err = s.PutActor(ctx(), kg.Actor{ID: "x", Name: b, Kind: kg.KindOther})
		isErr(t, "actor name", err, store.ErrInvalid)
	}
	err := s.PutActor(ctx(), kg.Actor{ID: strings.Repeat("x", kg.MaxID+1), Name: "X", Kind: kg.KindOther})
	isErr(t, "long id", err, store.ErrInvalid)
	eq(t, "state after refused writes", snapshot(t, s, s), before)
	// Line breaks are fine in a note, not in a name.
	if _, err := s.Review(ctx(), "r-imported", store.ReviewInfo{Status: kg.ReviewConfirmed, Reviewer: "ann", Note: "two\nlines", At: at(2)}); err != nil {
		t.Errorf("review note with a line break: %v", err)
	}
	_, err = s.AddAliases(ctx(), "ruritania", []string{"two\nlines"})
	isErr(t, "alias with a line break", err, store.ErrInvalid)
}
