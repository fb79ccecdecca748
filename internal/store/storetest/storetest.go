// Package storetest is the conformance suite every store.Store must pass
// (the Dex pattern): Run calls each behaviour as a subtest on a fresh, empty
// store, so the embedded store and Neo4j are held to the same answers.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/actorgraph/actorgraph/internal/kg"
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
	if _, err := s.RelationsOf(ctx(), []string{"ruritania"}, "SIDEWAYS", store.RelationFilter{}, 0); !errors.Is(err, store.ErrInvalid) {
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
	as, err := s.ListActors(ctx(), f, limit)
	if err != nil {
		t.Fatal(err)
	}
	return ids(as, func(a kg.Actor) string { return a.ID })
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
	rs, err := s.ListRelations(ctx(), f, limit)
	if err != nil {
		t.Fatal(err)
	}
	return relIDs(rs)
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
	got, err := s.RelationsOf(ctx(), []string{"freedonia", "ruritania", "gen", "missing"}, store.Out, store.RelationFilter{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	flat := map[string][]string{}
	for k, v := range got {
		flat[k] = relIDs(v)
	}
	eq(t, "out", flat, map[string][]string{"freedonia": {"r-accuse", "r-imported", "r-threat"}, "ruritania": {}, "gen": {"r-deny", "r-holds"}})

	got, _ = s.RelationsOf(ctx(), []string{"ruritania"}, store.Out, store.RelationFilter{RollUp: true, Types: []kg.RelationType{kg.Denies, kg.Attacks}}, 0)
	eq(t, "out rolled up", relIDs(got["ruritania"]), []string{"r-attack", "r-deny"})
	got, _ = s.RelationsOf(ctx(), []string{"freedonia"}, store.In, store.RelationFilter{}, 0)
	eq(t, "in", relIDs(got["freedonia"]), []string{"r-deny"})
	got, _ = s.RelationsOf(ctx(), []string{"freedonia"}, store.Both, store.RelationFilter{}, 2)
	eq(t, "both with limit", relIDs(got["freedonia"]), []string{"r-accuse", "r-deny"})
	got, _ = s.RelationsOf(ctx(), []string{"army"}, store.Both, store.RelationFilter{Attribution: kg.Asserted}, 0)
	eq(t, "both filtered", relIDs(got["army"]), []string{"r-army", "r-controls", "r-imported", "r-staff"})
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
	got, err := s.RelationsOf(ctx(), []string{"freedonia", "gen"}, store.Out, store.RelationFilter{}, 5)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "hub page", relIDs(got["freedonia"]), []string{"hub-0000", "hub-0001", "hub-0002", "hub-0003", "hub-0004"})
	eq(t, "small node page", relIDs(got["gen"]), []string{"r-deny", "r-holds"})
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
	ev, _ := s.RelationsOfEvents(ctx(), []string{"ev-attack", "ev-talks"}, 0)
	eq(t, "event relations", relIDs(ev["ev-attack"]), []string{"r-attack"})
	eq(t, "event without relations", relIDs(ev["ev-talks"]), []string{})
}

func testOthers(t *testing.T, s store.Store) {
	load(t, s, Fixture())
	ps, err := s.ListPlaces(ctx(), 0)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "places by name", ids(ps, func(p kg.Place) string { return p.ID }), []string{"old-town", "capital"})
	es, _ := s.ListEvents(ctx(), 0)
	eq(t, "events by date (unknown first)", ids(es, func(e kg.Event) string { return e.ID }), []string{"ev-talks", "ev-attack"})
	ss, _ := s.ListSources(ctx(), 0)
	eq(t, "sources", ids(ss, func(x kg.Source) string { return x.ID }), []string{"src"})
	es, _ = s.ListEvents(ctx(), 1)
	eq(t, "events limit", len(es), 1)
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
