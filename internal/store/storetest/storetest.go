// Package storetest is the conformance suite every store.Store must pass
// (the Dex pattern): Run calls each behaviour as a subtest on a fresh, empty
// store, so the embedded store and Neo4j are held to the same answers.
package storetest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/seed"
	"github.com/actorgraph/actorgraph/internal/store"
)

// Run runs the suite. newStore must return an empty store for each call.
func Run(t *testing.T, newStore func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"LoadAndStats", testLoadAndStats},
		{"LoadIsIdempotent", testLoadIdempotent},
		{"LoadRejectsBadTypeAtomically", testLoadAtomic},
		{"LoadRejectsMissingEnds", testLoadMissingEnds},
		{"BadDirection", testBadDirection},
		{"RoundTrip", testRoundTrip},
		{"ActorByName", testActorByName},
		{"ListActors", testListActors},
		{"ListRelationsFilters", testListRelations},
		{"RollUp", testRollUp},
		{"RelationsOf", testRelationsOf},
		{"RelationsOfHubLimit", testHubLimit},
		{"Linked", testLinked},
		{"EventsPlacesSources", testOthers},
		{"Wipe", testWipe},
		{"Ordering", testOrdering},
		{"PaginationWalk", testPaginationWalk},
		{"WalkWhileInserting", testWalkWhileInserting},
		{"MoreFilters", testMoreFilters},
		{"ClaimedByAndPlace", testClaimedByAndPlace},
		{"Counts", testCounts},
		{"NestedPages", testNestedPages},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newStore(t)) })
	}
}

func ctx() context.Context { return context.Background() }

func f64(v float64) *float64 { return &v }

// Fixture is a small graph with a three-level hierarchy
// (gen -HOLDS_ROLE-> staff -PART_OF-> army -PART_OF-> ruritania),
// an accusation, the alleged act and its denial.
func Fixture() *kg.Graph {
	ev := func(q string) []kg.Evidence { return []kg.Evidence{{Quote: q, Start: 0, End: len([]rune(q))}} }
	day := kg.Date{Date: "2020-01-02", Precision: kg.PrecisionDay}
	prov := kg.Provenance{Confidence: 0.9, Method: kg.MethodCurated, Review: kg.ReviewConfirmed}
	rel := func(id string, t kg.RelationType, from, to string) kg.Relation {
		r := kg.Relation{ID: id, Type: t, From: from, To: to, Attribution: kg.Asserted, Status: kg.Actual,
			Occurred: day, Reported: day, SourceID: "src", Provenance: prov, Evidence: ev("Ruritania")}
		if ti, _ := t.Info(); len(ti.CAMEO) > 0 {
			r.CAMEO = ti.CAMEO[0]
			if g, ok := kg.Goldstein(r.CAMEO); ok {
				r.Goldstein = f64(g)
			}
		}
		return r
	}
	accuse := rel("r-accuse", kg.Accuses, "freedonia", "ruritania")
	accuse.Alleges = "r-attack"
	attack := rel("r-attack", kg.Attacks, "army", "convoy")
	attack.Attribution, attack.ClaimedBy = kg.Alleged, "freedonia"
	attack.EventID, attack.PlaceID = "ev-attack", "capital"
	deny := rel("r-deny", kg.Denies, "gen", "freedonia")
	deny.Denies = "r-accuse"
	deny.Evidence = []kg.Evidence{{Quote: "Ruri", Start: 0, End: 4}, {Quote: "tania", Start: 4, End: 9}}
	threat := rel("r-threat", kg.Threatens, "freedonia", "ruritania")
	threat.Status, threat.Condition = kg.Conditional, "unless it stops"
	holds := rel("r-holds", kg.HoldsRole, "gen", "staff")
	holds.Role = "Gen."
	return &kg.Graph{
		Sources: []kg.Source{{ID: "src", Title: "Ruritania", Publisher: "Daily", Published: "2020-01-02", Text: "Ruritania"}},
		Actors: []kg.Actor{
			{ID: "ruritania", Name: "Ruritania", Kind: kg.KindState, Aliases: []string{"Strelsau", "the Ruritanian side"}, Country: "RUR", CAMEOCode: "RUR"},
			{ID: "army", Name: "Ruritanian Army", Kind: kg.KindMilitary, Country: "RUR", CAMEOCode: "RURMIL"},
			{ID: "staff", Name: "General Staff", Kind: kg.KindMilitary, Country: "RUR"},
			{ID: "gen", Name: "Gen. Rudolf", Kind: kg.KindPerson, Country: "RUR"},
			{ID: "freedonia", Name: "Freedonia", Kind: kg.KindState, Aliases: []string{"Fredonia"}, Country: "FRE"},
			{ID: "convoy", Name: "aid convoy", Kind: kg.KindHumanitarian},
		},
		Places: []kg.Place{{ID: "capital", Name: "Strelsau", Kind: kg.PlaceCity, Country: "RUR"},
			{ID: "old-town", Name: "Old Town", Kind: kg.PlaceDistrict, ParentID: "capital"}},
		Events: []kg.Event{
			{ID: "ev-attack", Name: "convoy attack", Kind: kg.EventAttack, Occurred: day, PlaceID: "capital", SourceID: "src", Evidence: ev("Ruritania")},
			{ID: "ev-talks", Name: "talks", Kind: kg.EventTalks, Occurred: kg.Date{Precision: kg.PrecisionUnknown}},
		},
		Relations: []kg.Relation{accuse, attack, deny, threat, holds, imported(),
			rel("r-army", kg.PartOf, "army", "ruritania"),
			rel("r-staff", kg.PartOf, "staff", "army"),
			rel("r-controls", kg.Controls, "army", "old-town"),
		},
	}
}

// imported is an event-data row: no evidence, the row's own fields kept.
func imported() kg.Relation {
	tone := -3.25
	return kg.Relation{ID: "r-imported", Type: kg.Backs, From: "freedonia", To: "army",
		Attribution: kg.Asserted, Status: kg.Actual,
		Occurred: kg.Date{Date: "2019-10-24", Precision: kg.PrecisionDay}, Reported: kg.Date{Date: "2019-10-24", Precision: kg.PrecisionDay},
		SourceID: "src", CAMEO: "0234", Goldstein: f64(-2.5),
		Provenance: kg.Provenance{Confidence: 0.5, Method: kg.MethodImport, Detail: "gdelt2", Review: kg.ReviewProposed},
		Row: &kg.ImportRow{Format: "gdelt2", RowID: "874200001", Actor1: "FRE", Actor2: "RURMIL", QuadClass: 2,
			NumMentions: 10, NumSources: 1, NumArticles: 10, AvgTone: &tone, URL: "https://example.org/a"},
	}
}

// seedGraph loads the curated article graph into s and returns it.
func seedGraph(t *testing.T, s store.Store) *kg.Graph {
	t.Helper()
	g, err := seed.Graph()
	if err != nil {
		t.Fatal(err)
	}
	load(t, s, g)
	return g
}

func load(t *testing.T, s store.Store, g *kg.Graph) {
	t.Helper()
	if err := s.Load(ctx(), g); err != nil {
		t.Fatalf("Load: %v", err)
	}
}

func ids[T any](items []T, id func(T) string) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, id(it))
	}
	return out
}

func relIDs(rs []kg.Relation) []string { return ids(rs, func(r kg.Relation) string { return r.ID }) }

func eq(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %#v\nwant %#v", what, got, want)
	}
}

func testLoadAndStats(t *testing.T, s store.Store) {
	load(t, s, Fixture())
	st, err := s.Stats(ctx())
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "stats", st, store.Stats{Actors: 6, Places: 2, Events: 2, Sources: 1, Relations: 9, Evidence: 9})
}

func testLoadIdempotent(t *testing.T, s store.Store) {
	load(t, s, Fixture())
	load(t, s, Fixture())
	st, _ := s.Stats(ctx())
	eq(t, "stats after loading twice", st.Relations, 9)
	eq(t, "actors after loading twice", st.Actors, 6)
	// A reload with a changed relation replaces it.
	g := Fixture()
	g.Relations[3].Status = kg.Planned
	load(t, s, g)
	m, err := s.Relations(ctx(), []string{"r-threat"})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "updated status", m["r-threat"].Status, kg.Planned)
}

func testLoadAtomic(t *testing.T, s store.Store) {
	load(t, s, Fixture())
	g := &kg.Graph{
		Actors:    []kg.Actor{{ID: "newcomer", Name: "Newcomer", Kind: kg.KindOther}},
		Relations: []kg.Relation{{ID: "bad", Type: "DROP_DATABASE", From: "newcomer", To: "ruritania"}},
	}
	err := s.Load(ctx(), g)
	if !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("Load with a bad type: err = %v, want ErrInvalid", err)
	}
	st, _ := s.Stats(ctx())
	eq(t, "actors after refused load", st.Actors, 6)
}

func testLoadMissingEnds(t *testing.T, s store.Store) {
	load(t, s, Fixture())
	for _, r := range []kg.Relation{
		{ID: "dangling-from", Type: kg.Accuses, From: "nobody", To: "ruritania", SourceID: "src"},
		{ID: "dangling-to", Type: kg.Accuses, From: "ruritania", To: "nowhere", SourceID: "src"},
	} {
		g := &kg.Graph{Actors: []kg.Actor{{ID: "extra", Name: "Extra", Kind: kg.KindOther}}, Relations: []kg.Relation{r}}
		if err := s.Load(ctx(), g); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("Load of %s: err = %v, want ErrInvalid", r.ID, err)
		}
	}
	st, _ := s.Stats(ctx())
	eq(t, "actors after refused loads", st.Actors, 6)
	// Ends may come from the store or from the same graph.
	g := &kg.Graph{Actors: []kg.Actor{{ID: "extra", Name: "Extra", Kind: kg.KindOther}},
		Relations: []kg.Relation{{ID: "ok", Type: kg.Accuses, From: "extra", To: "ruritania", SourceID: "src"}}}
	load(t, s, g)
}

func testBadDirection(t *testing.T, s store.Store) {
	load(t, s, Fixture())
	if _, err := s.RelationsOf(ctx(), []string{"ruritania"}, "SIDEWAYS", store.RelationFilter{}, byID, store.Page{}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("RelationsOf with a bad direction: err = %v, want ErrInvalid", err)
	}
}

func testRoundTrip(t *testing.T, s store.Store) {
	g := Fixture()
	load(t, s, g)
	want := map[string]kg.Relation{}
	var all []string
	for _, r := range g.Relations {
		want[r.ID] = r
		all = append(all, r.ID)
	}
	got, err := s.Relations(ctx(), append(all, "missing"))
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "relations round trip", got, want)
	actors, err := s.Actors(ctx(), []string{"ruritania", "missing"})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "actor round trip", actors, map[string]kg.Actor{"ruritania": g.Actors[0]})
	events, _ := s.Events(ctx(), []string{"ev-attack", "ev-talks"})
	eq(t, "events round trip", events, map[string]kg.Event{"ev-attack": g.Events[0], "ev-talks": g.Events[1]})
	places, _ := s.Places(ctx(), []string{"old-town"})
	eq(t, "place round trip", places, map[string]kg.Place{"old-town": g.Places[1]})
	sources, _ := s.Sources(ctx(), []string{"src"})
	eq(t, "source round trip", sources, map[string]kg.Source{"src": g.Sources[0]})
}

func testActorByName(t *testing.T, s store.Store) {
	load(t, s, Fixture())
	for _, name := range []string{"Ruritania", "ruritania", "  STRELSAU ", "the  ruritanian SIDE"} {
		a, err := s.ActorByName(ctx(), name)
		if err != nil {
			t.Errorf("ActorByName(%q): %v", name, err)
			continue
		}
		eq(t, "ActorByName("+name+")", a.ID, "ruritania")
	}
	if _, err := s.ActorByName(ctx(), "Ruri"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("ActorByName(substring) err = %v, want ErrNotFound", err)
	}
}

func actorIDs(t *testing.T, s store.Store, f store.ActorFilter, limit int) []string {
	t.Helper()
	as, err := s.ListActors(ctx(), f, store.Order{Field: store.SortName}, store.Page{First: limit})
	if err != nil {
		t.Fatal(err)
	}
	return ids(as.Items, func(a kg.Actor) string { return a.ID })
}

func testListActors(t *testing.T, s store.Store) {
	load(t, s, Fixture())
	// By folded name: "aid convoy", "freedonia", "gen. rudolf", "general staff", "ruritania", "ruritanian army".
	eq(t, "all", actorIDs(t, s, store.ActorFilter{}, 0), []string{"convoy", "freedonia", "gen", "staff", "ruritania", "army"})
	eq(t, "limit", actorIDs(t, s, store.ActorFilter{}, 2), []string{"convoy", "freedonia"})
	eq(t, "kinds", actorIDs(t, s, store.ActorFilter{Kinds: []kg.ActorKind{kg.KindState, kg.KindPerson}}, 0), []string{"freedonia", "gen", "ruritania"})
	eq(t, "name contains (alias, folded)", actorIDs(t, s, store.ActorFilter{NameContains: "STRELS"}, 0), []string{"ruritania"})
	eq(t, "name contains", actorIDs(t, s, store.ActorFilter{NameContains: "ruritan"}, 0), []string{"ruritania", "army"})
	eq(t, "country", actorIDs(t, s, store.ActorFilter{Country: "FRE"}, 0), []string{"freedonia"})
	eq(t, "no match", actorIDs(t, s, store.ActorFilter{Country: "XXX"}, 0), []string{})
}

func list(t *testing.T, s store.Store, f store.RelationFilter, limit int) []string {
	t.Helper()
	rs, err := s.ListRelations(ctx(), f, byID, store.Page{First: limit})
	if err != nil {
		t.Fatal(err)
	}
	return relIDs(rs.Items)
}

var byID = store.Order{Field: store.SortID}

// of runs RelationsOf ordered by id and flattens it to ids.
func of(t *testing.T, s store.Store, actors []string, dir store.Direction, f store.RelationFilter, first int) map[string][]string {
	t.Helper()
	got, err := s.RelationsOf(ctx(), actors, dir, f, byID, store.Page{First: first})
	if err != nil {
		t.Fatal(err)
	}
	flat := map[string][]string{}
	for k, v := range got {
		flat[k] = relIDs(v.Items)
	}
	return flat
}

func testListRelations(t *testing.T, s store.Store) {
	load(t, s, Fixture())
	eq(t, "all by id", list(t, s, store.RelationFilter{}, 0),
		[]string{"r-accuse", "r-army", "r-attack", "r-controls", "r-deny", "r-holds", "r-imported", "r-staff", "r-threat"})
	eq(t, "limit", list(t, s, store.RelationFilter{}, 3), []string{"r-accuse", "r-army", "r-attack"})
	eq(t, "types", list(t, s, store.RelationFilter{Types: []kg.RelationType{kg.Accuses, kg.Denies}}, 0), []string{"r-accuse", "r-deny"})
	eq(t, "from", list(t, s, store.RelationFilter{From: "freedonia"}, 0), []string{"r-accuse", "r-imported", "r-threat"})
	eq(t, "to place", list(t, s, store.RelationFilter{To: "old-town"}, 0), []string{"r-controls"})
	eq(t, "attribution", list(t, s, store.RelationFilter{Attribution: kg.Alleged}, 0), []string{"r-attack"})
	eq(t, "status", list(t, s, store.RelationFilter{Status: kg.Conditional}, 0), []string{"r-threat"})
	eq(t, "event", list(t, s, store.RelationFilter{Event: "ev-attack"}, 0), []string{"r-attack"})
	eq(t, "source", list(t, s, store.RelationFilter{Source: "src", Types: []kg.RelationType{kg.Threatens}}, 0), []string{"r-threat"})
	eq(t, "source none", list(t, s, store.RelationFilter{Source: "other"}, 0), []string{})
	eq(t, "combined", list(t, s, store.RelationFilter{From: "freedonia", To: "ruritania", Types: []kg.RelationType{kg.Accuses}}, 0), []string{"r-accuse"})
}

func testRollUp(t *testing.T, s store.Store) {
	load(t, s, Fixture())
	// Without rollUp only ruritania's own relations; with it, the general's
	// denial and the army's alleged attack count as Ruritania's.
	eq(t, "from ruritania", list(t, s, store.RelationFilter{From: "ruritania"}, 0), []string{})
	eq(t, "from ruritania rolled up", list(t, s, store.RelationFilter{From: "ruritania", RollUp: true}, 0),
		[]string{"r-army", "r-attack", "r-controls", "r-deny", "r-holds", "r-staff"})
	eq(t, "denials by ruritania rolled up", list(t, s, store.RelationFilter{From: "ruritania", Types: []kg.RelationType{kg.Denies}, RollUp: true}, 0),
		[]string{"r-deny"})
	eq(t, "to ruritania rolled up", list(t, s, store.RelationFilter{To: "ruritania", Types: []kg.RelationType{kg.Accuses}, RollUp: true}, 0),
		[]string{"r-accuse"})
	eq(t, "to the staff rolled up", list(t, s, store.RelationFilter{To: "staff", RollUp: true}, 0), []string{"r-holds"})
}

func testRelationsOf(t *testing.T, s store.Store) {
	load(t, s, Fixture())
	flat := of(t, s, []string{"freedonia", "ruritania", "gen", "missing"}, store.Out, store.RelationFilter{}, 0)
	eq(t, "out", flat, map[string][]string{"freedonia": {"r-accuse", "r-imported", "r-threat"}, "ruritania": {}, "gen": {"r-deny", "r-holds"}})

	eq(t, "out rolled up", of(t, s, []string{"ruritania"}, store.Out, store.RelationFilter{RollUp: true, Types: []kg.RelationType{kg.Denies, kg.Attacks}}, 0)["ruritania"], []string{"r-attack", "r-deny"})
	eq(t, "in", of(t, s, []string{"freedonia"}, store.In, store.RelationFilter{}, 0)["freedonia"], []string{"r-deny"})
	eq(t, "both with limit", of(t, s, []string{"freedonia"}, store.Both, store.RelationFilter{}, 2)["freedonia"], []string{"r-accuse", "r-deny"})
	eq(t, "both filtered", of(t, s, []string{"army"}, store.Both, store.RelationFilter{Attribution: kg.Asserted}, 0)["army"], []string{"r-army", "r-controls", "r-imported", "r-staff"})
}

// testHubLimit: the per-actor limit holds on a hub.
func testHubLimit(t *testing.T, s store.Store) {
	g := Fixture()
	for i := 0; i < 300; i++ {
		r := g.Relations[0]
		r.ID = fmt.Sprintf("hub-%04d", i)
		r.Alleges = ""
		g.Relations = append(g.Relations, r)
	}
	load(t, s, g)
	got := of(t, s, []string{"freedonia", "gen"}, store.Out, store.RelationFilter{}, 5)
	eq(t, "hub page", got["freedonia"], []string{"hub-0000", "hub-0001", "hub-0002", "hub-0003", "hub-0004"})
	eq(t, "small node page", got["gen"], []string{"r-deny", "r-holds"})
	eq(t, "list limit", len(list(t, s, store.RelationFilter{From: "freedonia"}, 10)), 10)
	eq(t, "max limit", len(list(t, s, store.RelationFilter{From: "freedonia"}, 1_000_000)), 303)
}

func testLinked(t *testing.T, s store.Store) {
	load(t, s, Fixture())
	al, err := s.Linked(ctx(), []string{"r-attack", "r-accuse"}, store.LinkAlleges)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "alleged by", relIDs(al["r-attack"]), []string{"r-accuse"})
	eq(t, "alleged by none", relIDs(al["r-accuse"]), []string{})
	de, _ := s.Linked(ctx(), []string{"r-accuse"}, store.LinkDenies)
	eq(t, "denied by", relIDs(de["r-accuse"]), []string{"r-deny"})
	ev, err := s.RelationsOfEvents(ctx(), []string{"ev-attack", "ev-talks", "missing"}, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "event relations", relIDs(ev["ev-attack"].Items), []string{"r-attack"})
	eq(t, "event without relations", relIDs(ev["ev-talks"].Items), []string{})
	counts, err := s.CountRelationsOfEvents(ctx(), []string{"ev-attack", "ev-talks", "missing"})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "event relation counts", counts, map[string]int{"ev-attack": 1, "ev-talks": 0})
	if _, ok := ev["missing"]; ok {
		t.Error("a missing event has a page")
	}
}

func testOthers(t *testing.T, s store.Store) {
	load(t, s, Fixture())
	ps, err := s.ListPlaces(ctx(), store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "places by name", ids(ps.Items, func(p kg.Place) string { return p.ID }), []string{"old-town", "capital"})
	ps, _ = s.ListPlaces(ctx(), store.Page{First: 1, After: &store.Cursor{Str: "old town", ID: "old-town"}})
	eq(t, "places after a cursor", ids(ps.Items, func(p kg.Place) string { return p.ID }), []string{"capital"})
	es, _ := s.ListEvents(ctx(), store.Page{})
	eq(t, "events by date (unknown first)", ids(es.Items, func(e kg.Event) string { return e.ID }), []string{"ev-talks", "ev-attack"})
	ss, _ := s.ListSources(ctx(), store.Page{})
	eq(t, "sources", ids(ss.Items, func(x kg.Source) string { return x.ID }), []string{"src"})
	es, _ = s.ListEvents(ctx(), store.Page{First: 1})
	eq(t, "events limit", len(es.Items), 1)
	eq(t, "events has next", es.HasNext, true)
	es, _ = s.ListEvents(ctx(), store.Page{First: 1, After: &store.Cursor{Str: "", ID: "ev-talks"}})
	eq(t, "events after a cursor", ids(es.Items, func(e kg.Event) string { return e.ID }), []string{"ev-attack"})
	eq(t, "events last page", es.HasNext, false)
	if err := s.Ping(ctx()); err != nil {
		t.Errorf("Ping: %v", err)
	}
}

func testWipe(t *testing.T, s store.Store) {
	load(t, s, Fixture())
	if err := s.Wipe(ctx()); err != nil {
		t.Fatal(err)
	}
	st, _ := s.Stats(ctx())
	eq(t, "stats after wipe", st, store.Stats{})
	eq(t, "list after wipe", list(t, s, store.RelationFilter{}, 0), []string{})
}

// Generate makes a reproducible synthetic graph of n actors and m relations
// (ACCUSES, BACKS, ATTACKS, DENIES between random actors, each with one
// evidence quote) citing sourceID, which the caller's graph must hold.
func Generate(seed int64, n, m int, sourceID string) *kg.Graph {
	rng := rand.New(rand.NewPCG(uint64(seed), 1))
	g := &kg.Graph{}
	for i := 0; i < n; i++ {
		g.Actors = append(g.Actors, kg.Actor{
			ID: fmt.Sprintf("gen-actor-%05d", i), Name: fmt.Sprintf("Generated actor %05d", i),
			Kind: kg.ActorKinds[i%len(kg.ActorKinds)], Country: "GEN",
		})
	}
	types := []kg.RelationType{kg.Accuses, kg.Backs, kg.Attacks, kg.Denies}
	codes := map[kg.RelationType]string{kg.Accuses: "112", kg.Backs: "051", kg.Attacks: "190", kg.Denies: "016"}
	day := kg.Date{Date: "2016-09-28", Precision: kg.PrecisionDay}
	for j := 0; j < m; j++ {
		t := types[rng.IntN(len(types))]
		from, to := rng.IntN(n), rng.IntN(n)
		if to == from && n > 1 { // stores refuse self-loops (kg.CheckStored)
			to = (to + 1) % n
		}
		gs, _ := kg.Goldstein(codes[t])
		g.Relations = append(g.Relations, kg.Relation{
			ID: fmt.Sprintf("gen-rel-%07d", j), Type: t,
			From: g.Actors[from].ID, To: g.Actors[to].ID,
			Attribution: kg.Asserted, Status: kg.Actual, Occurred: day, Reported: day,
			SourceID: sourceID, CAMEO: codes[t], Goldstein: f64(gs),
			Provenance: kg.Provenance{Confidence: 0.5, Method: kg.MethodImport, Detail: "generated", Review: kg.ReviewProposed},
			Evidence:   []kg.Evidence{{Quote: "x", Start: 0, End: 1}},
		})
	}
	return g
}

// dated is a graph of n relations from freedonia to ruritania with varied
// occurred/reported dates (some unknown), confidences and kinds of review.
func dated(n int) *kg.Graph {
	g := Fixture()
	base := g.Relations[0]
	base.Alleges = ""
	for i := 0; i < n; i++ {
		r := base
		r.ID = fmt.Sprintf("d-%03d", i)
		r.Occurred = kg.Date{Date: fmt.Sprintf("2020-%02d-%02d", 1+i%12, 1+i%7), Precision: kg.PrecisionDay}
		if i%5 == 0 {
			r.Occurred = kg.Date{Precision: kg.PrecisionUnknown}
		}
		r.Reported = kg.Date{Date: fmt.Sprintf("2021-01-%02d", 1+i%3), Precision: kg.PrecisionDay}
		r.Provenance.Confidence = float64(i%4) / 4
		g.Relations = append(g.Relations, r)
	}
	return g
}

// reference sorts the relations as a store must, for field and direction.
func reference(rs []kg.Relation, o store.Order) []string {
	sorted := slices.Clone(rs)
	slices.SortFunc(sorted, func(a, b kg.Relation) int {
		ca, cb := store.CursorOf(a, o), store.CursorOf(b, o)
		c := cmp.Or(cmp.Compare(ca.Str, cb.Str), cmp.Compare(ca.Num, cb.Num), cmp.Compare(ca.ID, cb.ID))
		if o.Desc {
			return -c
		}
		return c
	})
	return relIDs(sorted)
}

// walk reads every page of ListRelations under o, pageSize at a time.
func walk(t *testing.T, s store.Store, f store.RelationFilter, o store.Order, pageSize int, between func()) []string {
	t.Helper()
	var out []string
	var after *store.Cursor
	for pages := 0; ; pages++ {
		if pages > 1000 {
			t.Fatal("pagination does not end")
		}
		p, err := s.ListRelations(ctx(), f, o, store.Page{First: pageSize, After: after})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Items) > pageSize {
			t.Fatalf("page of %d items, asked for %d", len(p.Items), pageSize)
		}
		out = append(out, relIDs(p.Items)...)
		if !p.HasNext {
			return out
		}
		c := store.CursorOf(p.Items[len(p.Items)-1], o)
		after = &c
		if between != nil {
			between()
		}
	}
}

func testOrdering(t *testing.T, s store.Store) {
	g := dated(40)
	load(t, s, g)
	for _, o := range []store.Order{
		{Field: store.SortID}, {Field: store.SortID, Desc: true},
		{Field: store.SortOccurred}, {Field: store.SortOccurred, Desc: true},
		{Field: store.SortReported}, {Field: store.SortConfidence, Desc: true},
	} {
		p, err := s.ListRelations(ctx(), store.RelationFilter{}, o, store.Page{})
		if err != nil {
			t.Fatal(err)
		}
		eq(t, fmt.Sprintf("order %+v", o), relIDs(p.Items), reference(g.Relations, o))
		byActor, err := s.RelationsOf(ctx(), []string{"freedonia"}, store.Out, store.RelationFilter{}, o, store.Page{First: 7})
		if err != nil {
			t.Fatal(err)
		}
		var outOfFreedonia []kg.Relation
		for _, r := range g.Relations {
			if r.From == "freedonia" {
				outOfFreedonia = append(outOfFreedonia, r)
			}
		}
		eq(t, fmt.Sprintf("RelationsOf order %+v", o), relIDs(byActor["freedonia"].Items), reference(outOfFreedonia, o)[:7])
		eq(t, "RelationsOf has next", byActor["freedonia"].HasNext, true)
	}
	if _, err := s.ListRelations(ctx(), store.RelationFilter{}, store.Order{Field: store.SortName}, store.Page{}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("relations by name: err = %v, want ErrInvalid", err)
	}
	if _, err := s.ListActors(ctx(), store.ActorFilter{}, store.Order{Field: store.SortOccurred}, store.Page{}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("actors by date: err = %v, want ErrInvalid", err)
	}
	as, _ := s.ListActors(ctx(), store.ActorFilter{}, store.Order{Field: store.SortID, Desc: true}, store.Page{First: 2})
	eq(t, "actors by id desc", ids(as.Items, func(a kg.Actor) string { return a.ID }), []string{"staff", "ruritania"})
	c := store.ActorCursor(as.Items[1], store.Order{Field: store.SortID})
	as, _ = s.ListActors(ctx(), store.ActorFilter{}, store.Order{Field: store.SortID, Desc: true}, store.Page{First: 2, After: &c})
	eq(t, "actors by id desc, page 2", ids(as.Items, func(a kg.Actor) string { return a.ID }), []string{"gen", "freedonia"})
	nc := store.ActorCursor(kg.Actor{ID: "freedonia", Name: "Freedonia"}, store.Order{Field: store.SortName})
	as, _ = s.ListActors(ctx(), store.ActorFilter{}, store.Order{Field: store.SortName}, store.Page{First: 2, After: &nc})
	eq(t, "actors by name after freedonia", ids(as.Items, func(a kg.Actor) string { return a.ID }), []string{"gen", "staff"})
}

func testPaginationWalk(t *testing.T, s store.Store) {
	g := dated(40)
	load(t, s, g)
	for _, o := range []store.Order{{Field: store.SortID}, {Field: store.SortOccurred, Desc: true}, {Field: store.SortConfidence}} {
		for _, size := range []int{1, 3, 49, 1000} {
			eq(t, fmt.Sprintf("walk %+v by %d", o, size), walk(t, s, store.RelationFilter{}, o, size, nil), reference(g.Relations, o))
		}
	}
	f := store.RelationFilter{From: "freedonia", Types: []kg.RelationType{kg.Accuses}}
	var want []kg.Relation
	for _, r := range g.Relations {
		if r.From == "freedonia" && r.Type == kg.Accuses {
			want = append(want, r)
		}
	}
	eq(t, "filtered walk", walk(t, s, f, store.Order{Field: store.SortReported}, 4, nil), reference(want, store.Order{Field: store.SortReported}))
}

// testWalkWhileInserting: keyset pages never repeat or skip an item that
// was there when the walk began, whatever is added between requests.
func testWalkWhileInserting(t *testing.T, s store.Store) {
	g := dated(30)
	load(t, s, g)
	before := reference(g.Relations, store.Order{Field: store.SortID})
	n := 0
	add := func() {
		base := g.Relations[0]
		base.Alleges = ""
		var extra []kg.Relation
		for _, prefix := range []string{"a-new", "d-015x", "z-new"} { // before, amid, after the cursor
			r := base
			r.ID = fmt.Sprintf("%s-%03d", prefix, n)
			extra = append(extra, r)
		}
		n++
		load(t, s, &kg.Graph{Relations: extra})
	}
	got := walk(t, s, store.RelationFilter{}, store.Order{Field: store.SortID}, 4, add)
	seen := map[string]bool{}
	for _, id := range got {
		if seen[id] {
			t.Fatalf("%s returned twice", id)
		}
		seen[id] = true
	}
	for _, id := range before {
		if !seen[id] {
			t.Errorf("%s skipped", id)
		}
	}
	if !seen["z-new-000"] {
		t.Error("an item added after the cursor was not reached")
	}
}

func testMoreFilters(t *testing.T, s store.Store) {
	g := dated(20)
	g.Relations[2].Provenance.Review = kg.ReviewRejected // r-deny
	load(t, s, g)
	match := func(keep func(kg.Relation) bool) []string {
		var out []kg.Relation
		for _, r := range g.Relations {
			if keep(r) {
				out = append(out, r)
			}
		}
		return reference(out, byID)
	}
	for name, tc := range map[string]struct {
		f    store.RelationFilter
		keep func(kg.Relation) bool
	}{
		"review":         {store.RelationFilter{Review: kg.ReviewRejected}, func(r kg.Relation) bool { return r.Provenance.Review == kg.ReviewRejected }},
		"cameo root":     {store.RelationFilter{CAMEORoot: "11"}, func(r kg.Relation) bool { return strings.HasPrefix(r.CAMEO, "11") }},
		"plover":         {store.RelationFilter{PLOVER: "REJECT"}, func(r kg.Relation) bool { return r.PLOVER() == "REJECT" }},
		"plover by code": {store.RelationFilter{PLOVER: "SUPPORT"}, func(r kg.Relation) bool { return r.PLOVER() == "SUPPORT" }},
		"confidence":     {store.RelationFilter{MinConfidence: 0.5}, func(r kg.Relation) bool { return r.Provenance.Confidence >= 0.5 }},
		"occurred range": {store.RelationFilter{Dates: store.DateRange{From: "2020-03-01", To: "2020-06-30"}},
			func(r kg.Relation) bool {
				d := r.Occurred.Date
				return d != "" && d >= "2020-03-01" && d <= "2020-06-30"
			}},
		"reported from": {store.RelationFilter{Dates: store.DateRange{From: "2021-01-03", On: store.OnReported}},
			func(r kg.Relation) bool { return r.Reported.Date >= "2021-01-03" }},
		"from kinds": {store.RelationFilter{FromKinds: []kg.ActorKind{kg.KindPerson, kg.KindMilitary}},
			func(r kg.Relation) bool { return r.From == "gen" || r.From == "army" || r.From == "staff" }},
		"to kinds": {store.RelationFilter{ToKinds: []kg.ActorKind{kg.KindHumanitarian}}, func(r kg.Relation) bool { return r.To == "convoy" }},
	} {
		got := list(t, s, tc.f, 0)
		want := match(tc.keep)
		if len(want) == 0 {
			t.Fatalf("%s: the fixture has nothing to match", name)
		}
		eq(t, name, got, want)
		n, err := s.CountRelations(ctx(), tc.f)
		if err != nil {
			t.Fatal(err)
		}
		eq(t, name+" count", n, len(want))
	}
}

func testCounts(t *testing.T, s store.Store) {
	g := dated(10)
	load(t, s, g)
	n, err := s.CountRelations(ctx(), store.RelationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "all", n, len(g.Relations))
	n, _ = s.CountRelations(ctx(), store.RelationFilter{Types: []kg.RelationType{kg.Accuses, kg.PartOf, kg.Accuses}})
	eq(t, "types", n, 13) // 1 + 10 accusations, 2 PART_OF
	n, _ = s.CountRelations(ctx(), store.RelationFilter{From: "ruritania", RollUp: true})
	eq(t, "rolled up", n, 6)
	c, err := s.CountRelationsOf(ctx(), []string{"freedonia", "gen", "ruritania", "missing"}, store.Both, store.RelationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "degrees", c, map[string]int{"freedonia": 14, "gen": 2, "ruritania": 13})
	c, _ = s.CountRelationsOf(ctx(), []string{"ruritania"}, store.Out, store.RelationFilter{RollUp: true})
	eq(t, "rolled-up degree", c, map[string]int{"ruritania": 6})
	c, _ = s.CountRelationsOf(ctx(), []string{"freedonia"}, store.Out, store.RelationFilter{Types: []kg.RelationType{kg.Threatens}})
	eq(t, "filtered degree", c, map[string]int{"freedonia": 1})
	a, err := s.CountActors(ctx(), store.ActorFilter{})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "actors", a, 6)
	a, _ = s.CountActors(ctx(), store.ActorFilter{Country: "RUR"})
	eq(t, "actors of a country", a, 4)
}

// testNestedPages: a per-actor page continues after a cursor.
func testNestedPages(t *testing.T, s store.Store) {
	load(t, s, dated(10))
	o := store.Order{Field: store.SortID}
	p1, err := s.RelationsOf(ctx(), []string{"freedonia"}, store.Out, store.RelationFilter{}, o, store.Page{First: 5})
	if err != nil {
		t.Fatal(err)
	}
	c := store.CursorOf(p1["freedonia"].Items[4], o)
	p2, _ := s.RelationsOf(ctx(), []string{"freedonia"}, store.Out, store.RelationFilter{}, o, store.Page{First: 100, After: &c})
	all := append(relIDs(p1["freedonia"].Items), relIDs(p2["freedonia"].Items)...)
	eq(t, "two pages", all, []string{"d-000", "d-001", "d-002", "d-003", "d-004", "d-005", "d-006", "d-007", "d-008", "d-009", "r-accuse", "r-imported", "r-threat"})
	eq(t, "last page", p2["freedonia"].HasNext, false)
}

// testClaimedByAndPlace: who claims it (rolled up through the hierarchy like
// from/to) and where it happened, on the seed article; the expected sets are
// computed from the seed graph itself.
func testClaimedByAndPlace(t *testing.T, s store.Store) {
	g := seedGraph(t, s)
	below := func(root string) map[string]bool { // root and every actor under it
		set := map[string]bool{root: true}
		for grew := true; grew; {
			grew = false
			for _, r := range g.Relations {
				if r.Type.IsHierarchy() && set[r.To] && !set[r.From] {
					set[r.From], grew = true, true
				}
			}
		}
		return set
	}
	russia := below("russia")
	for name, tc := range map[string]struct {
		f    store.RelationFilter
		keep func(kg.Relation) bool
	}{
		"claimedBy":        {store.RelationFilter{ClaimedBy: "usa"}, func(r kg.Relation) bool { return r.ClaimedBy == "usa" }},
		"claimedBy exact":  {store.RelationFilter{ClaimedBy: "russia"}, func(r kg.Relation) bool { return r.ClaimedBy == "russia" }},
		"claimedBy rollUp": {store.RelationFilter{ClaimedBy: "russia", RollUp: true}, func(r kg.Relation) bool { return russia[r.ClaimedBy] }},
		"place":            {store.RelationFilter{Place: "eastern-aleppo"}, func(r kg.Relation) bool { return r.PlaceID == "eastern-aleppo" }},
	} {
		var want []kg.Relation
		for _, r := range g.Relations {
			if tc.keep(r) {
				want = append(want, r)
			}
		}
		if len(want) == 0 && name != "claimedBy exact" {
			t.Fatalf("%s: the seed has nothing to match", name)
		}
		eq(t, name, list(t, s, tc.f, 0), reference(want, byID))
		n, err := s.CountRelations(ctx(), tc.f)
		if err != nil {
			t.Fatal(err)
		}
		eq(t, name+" count", n, len(want))
	}
	if len(russia) < 3 {
		t.Fatalf("russia's hierarchy in the seed: %v", russia)
	}
}
