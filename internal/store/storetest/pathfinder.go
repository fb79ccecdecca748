package storetest

import (
	"cmp"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// RunPathFinder runs the neighbourhood and path conformance tests; each
// subtest gets a fresh, empty store, which must implement store.PathFinder.
func RunPathFinder(t *testing.T, newStore func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store, pf store.PathFinder)
	}{
		{"PathsUSAToJFS", testPathsSeed},
		{"PathsAllAndOne", testPathsAllAndOne},
		{"PathsAttributionAndPlaces", testPathsFilters},
		{"PathsUnconnected", testPathsUnconnected},
		{"BadArguments", testPathFinderBadArguments},
		{"UnknownActor", testPathFinderUnknown},
		{"NeighborhoodRussia", testNeighborhoodRussia},
		{"NeighborhoodDirection", testNeighborhoodDirection},
		{"NeighborhoodTypesAndDates", testNeighborhoodFilters},
		{"NeighborhoodLimit", testNeighborhoodLimit},
		{"NeighborhoodHub", testNeighborhoodHub},
		{"AgainstReference", testPathFinderReference},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			tc.fn(t, s, s)
		})
	}
}

// pfHops spells a path by relation ids; "<" marks a relation walked
// backwards.
func pfHops(p store.Path) []string {
	out := make([]string, len(p))
	for i, h := range p {
		out[i] = h.Relation.ID
		if !h.Forward {
			out[i] = "<" + out[i]
		}
	}
	return out
}

func pfPathList(ps []store.Path) [][]string {
	out := [][]string{}
	for _, p := range ps {
		out = append(out, pfHops(p))
	}
	return out
}

func pfPaths(t *testing.T, pf store.PathFinder, from, to string, q store.PathQuery) [][]string {
	t.Helper()
	ps, err := pf.Paths(ctx(), from, to, q)
	if err != nil {
		t.Fatalf("Paths(%s, %s, %+v): %v", from, to, q, err)
	}
	if ps == nil {
		t.Errorf("Paths(%s, %s, %+v) = nil, want a (possibly empty) slice", from, to, q)
	}
	return pfPathList(ps)
}

// pfNoHierarchy is every relation type but PART_OF and HOLDS_ROLE.
func pfNoHierarchy() []kg.RelationType {
	var out []kg.RelationType
	for _, t := range kg.RelationTypes() {
		if !t.IsHierarchy() {
			out = append(out, t)
		}
	}
	return out
}

// testPathsSeed: how the United States is connected to al-Qaida's
// affiliate in the seed graph, with the evidence and attribution of every hop.
func testPathsSeed(t *testing.T, s store.Store, pf store.PathFinder) {
	g := seedGraph(t, s)
	want := [][]string{{"<us-military-part-of-usa", "us-military-attacks-jfs-conditional"}}
	for _, all := range []bool{false, true} {
		ps, err := pf.Paths(ctx(), "usa", "jabhat-fateh-al-sham", store.PathQuery{MaxLength: 6, All: all})
		if err != nil {
			t.Fatal(err)
		}
		eq(t, fmt.Sprintf("usa to JFS (all=%v)", all), pfPathList(ps), want)
		byID := map[string]kg.Relation{}
		for _, r := range g.Relations {
			byID[r.ID] = r
		}
		for _, p := range ps {
			for _, h := range p {
				if len(h.Relation.Evidence) == 0 || h.Relation.Evidence[0].Quote == "" {
					t.Errorf("hop %s has no evidence", h.Relation.ID)
				}
				if h.Relation.Attribution == "" {
					t.Errorf("hop %s has no attribution", h.Relation.ID)
				}
				eq(t, "hop "+h.Relation.ID+" as loaded", h.Relation, byID[h.Relation.ID])
			}
		}
	}
	// Without the hierarchy the shortest way is Poznikhir's offer of talks,
	// then his accusations of the rebels, whom he says JFS absorbed.
	eq(t, "usa to JFS without hierarchy", pfPaths(t, pf, "usa", "jabhat-fateh-al-sham", store.PathQuery{MaxLength: 6, Types: pfNoHierarchy()}),
		[][]string{{"<poznikhir-offers-talks-usa", "poznikhir-accuses-rebels-chemical-plan", "rebels-affiliated-with-jfs"}})
	// And the other way round: the same relations, reversed and flipped.
	eq(t, "JFS to usa", pfPaths(t, pf, "jabhat-fateh-al-sham", "usa", store.PathQuery{MaxLength: 6, All: true}),
		[][]string{{"<us-military-attacks-jfs-conditional", "us-military-part-of-usa"}})
	eq(t, "usa to JFS within 1 hop", pfPaths(t, pf, "usa", "jabhat-fateh-al-sham", store.PathQuery{MaxLength: 1}), [][]string{})
}

// testPathsAllAndOne: All returns every shortest path by id list; without
// it, the first of them.
func testPathsAllAndOne(t *testing.T, s store.Store, pf store.PathFinder) {
	seedGraph(t, s)
	q := store.PathQuery{MaxLength: 6, Types: pfNoHierarchy(), All: true}
	all := pfPaths(t, pf, "usa", "jabhat-fateh-al-sham", q)
	eq(t, "all shortest", all, [][]string{
		{"<poznikhir-offers-talks-usa", "poznikhir-accuses-rebels-chemical-plan", "rebels-affiliated-with-jfs"},
		{"<poznikhir-offers-talks-usa", "poznikhir-accuses-rebels-convoy", "rebels-affiliated-with-jfs"},
		{"<poznikhir-offers-talks-usa", "poznikhir-accuses-rebels-jfs-integration", "rebels-affiliated-with-jfs"},
		{"<poznikhir-offers-talks-usa", "poznikhir-blames-rebels-truce-collapse", "rebels-affiliated-with-jfs"},
		{"<poznikhir-requests-usa-joint-work", "poznikhir-accuses-rebels-chemical-plan", "rebels-affiliated-with-jfs"},
		{"<poznikhir-requests-usa-joint-work", "poznikhir-accuses-rebels-convoy", "rebels-affiliated-with-jfs"},
		{"<poznikhir-requests-usa-joint-work", "poznikhir-accuses-rebels-jfs-integration", "rebels-affiliated-with-jfs"},
		{"<poznikhir-requests-usa-joint-work", "poznikhir-blames-rebels-truce-collapse", "rebels-affiliated-with-jfs"},
	})
	q.All = false
	one := pfPaths(t, pf, "usa", "jabhat-fateh-al-sham", q)
	if len(all) > 0 {
		eq(t, "the one path is the first of all", one, all[:1])
	}
	q.All, q.Limit = true, 2
	eq(t, "all, limit 2", pfPaths(t, pf, "usa", "jabhat-fateh-al-sham", q), all[:2])
	// Parallel relations: usa and russia share seven, each a path of one hop.
	eq(t, "usa to russia", pfPaths(t, pf, "usa", "russia", store.PathQuery{MaxLength: 3, All: true}), [][]string{
		{"<russia-consults-usa-geneva-planned"}, {"<russia-denies-convoy-accusation"}, {"<russia-party-to-sept9-deal"},
		{"us-accuses-russia-convoy"}, {"usa-brokers-sept9-deal"}, {"usa-consults-russia-bilateral-engagement"}, {"usa-party-to-sept9-deal"},
	})
	eq(t, "usa to russia, one", pfPaths(t, pf, "usa", "russia", store.PathQuery{MaxLength: 3}),
		[][]string{{"<russia-consults-usa-geneva-planned"}})
}

// testPathsFilters: attribution filters every hop; a place can be an
// intermediate node.
func testPathsFilters(t *testing.T, s store.Store, pf store.PathFinder) {
	seedGraph(t, s)
	eq(t, "alleged only", pfPaths(t, pf, "usa", "jabhat-fateh-al-sham", store.PathQuery{MaxLength: 6, Attribution: kg.Alleged, All: true}),
		[][]string{{"<russia-consults-usa-geneva-planned", "russia-attacks-convoy", "<rebels-attack-convoy", "rebels-affiliated-with-jfs"}})
	eq(t, "alleged only, too short", pfPaths(t, pf, "usa", "jabhat-fateh-al-sham", store.PathQuery{MaxLength: 3, Attribution: kg.Alleged}),
		[][]string{})
	eq(t, "asserted, no hierarchy", pfPaths(t, pf, "usa", "jabhat-fateh-al-sham",
		store.PathQuery{MaxLength: 6, Attribution: kg.Asserted, Types: pfNoHierarchy()}), [][]string{})
	eq(t, "through a place", pfPaths(t, pf, "russia", "syrian-government", store.PathQuery{MaxLength: 2, All: true}),
		[][]string{{"russia-attacks-aleppo", "<syrian-government-attacks-aleppo"}})
}

func testPathsUnconnected(t *testing.T, s store.Store, pf store.PathFinder) {
	seedGraph(t, s)
	load(t, s, &kg.Graph{Actors: []kg.Actor{{ID: "hermit", Name: "Hermit", Kind: kg.KindOther}}})
	for _, all := range []bool{false, true} {
		eq(t, "usa to the hermit", pfPaths(t, pf, "usa", "hermit", store.PathQuery{MaxLength: 6, All: all}), [][]string{})
		eq(t, "the hermit to usa", pfPaths(t, pf, "hermit", "usa", store.PathQuery{MaxLength: 6, All: all}), [][]string{})
	}
	sg, err := pf.Neighborhood(ctx(), "hermit", store.NeighborhoodQuery{Depth: 3, Direction: store.Both, Limit: 10, PerNode: 10})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "hermit's neighbourhood", pfSummary(sg), pfSubgraph{Actors: []string{"hermit"}, Places: []string{}, Relations: []string{}})
}

func pfWantErr(t *testing.T, what string, err, sentinel error, mention string) {
	t.Helper()
	if !errors.Is(err, sentinel) {
		t.Errorf("%s: err = %v, want %v", what, err, sentinel)
		return
	}
	if !strings.Contains(err.Error(), mention) {
		t.Errorf("%s: err = %q, want it to name %q", what, err, mention)
	}
}

func testPathFinderBadArguments(t *testing.T, s store.Store, pf store.PathFinder) {
	seedGraph(t, s)
	good := store.NeighborhoodQuery{Depth: 1, Direction: store.Both, Limit: 10, PerNode: 10}
	for _, c := range []struct {
		mention string
		edit    func(q *store.NeighborhoodQuery)
	}{
		{"depth: must be 1..3, got 10", func(q *store.NeighborhoodQuery) { q.Depth = 10 }},
		{"depth", func(q *store.NeighborhoodQuery) { q.Depth = 0 }},
		{"limit", func(q *store.NeighborhoodQuery) { q.Limit = 0 }},
		{"perNode", func(q *store.NeighborhoodQuery) { q.PerNode = -1 }},
		{"direction", func(q *store.NeighborhoodQuery) { q.Direction = "SIDEWAYS" }},
		{"direction", func(q *store.NeighborhoodQuery) { q.Direction = "" }},
		{"types", func(q *store.NeighborhoodQuery) { q.Types = []kg.RelationType{kg.Accuses, "DROP_DATABASE"} }},
		{"dates", func(q *store.NeighborhoodQuery) { q.Dates = store.DateRange{From: "2016-09-30", To: "2016-09-01"} }},
		{"dates", func(q *store.NeighborhoodQuery) { q.Dates = store.DateRange{From: "2016-9-1"} }},
		{"dates", func(q *store.NeighborhoodQuery) { q.Dates = store.DateRange{To: "2016-02-30"} }},
		{"dates", func(q *store.NeighborhoodQuery) { q.Dates = store.DateRange{From: "2016-09-01", On: "PUBLISHED"} }},
	} {
		q := good
		c.edit(&q)
		_, err := pf.Neighborhood(ctx(), "russia", q)
		pfWantErr(t, fmt.Sprintf("Neighborhood(%+v)", q), err, store.ErrInvalid, c.mention)
		// Arguments are checked before the actor is looked up.
		_, err = pf.Neighborhood(ctx(), "nobody", q)
		pfWantErr(t, fmt.Sprintf("Neighborhood(nobody, %+v)", q), err, store.ErrInvalid, c.mention)
	}
	for _, c := range []struct {
		mention  string
		from, to string
		q        store.PathQuery
	}{
		{"maxLength: must be 1..6, got 50", "usa", "russia", store.PathQuery{MaxLength: 50}},
		{"maxLength", "usa", "russia", store.PathQuery{MaxLength: 0}},
		{"maxLength", "usa", "russia", store.PathQuery{MaxLength: -1}},
		{"to", "usa", "usa", store.PathQuery{MaxLength: 3}},
		{"limit", "usa", "russia", store.PathQuery{MaxLength: 3, All: true, Limit: -1}},
		{"types", "usa", "russia", store.PathQuery{MaxLength: 3, Types: []kg.RelationType{"accuses"}}},
		{"attribution", "usa", "russia", store.PathQuery{MaxLength: 3, Attribution: "RUMOURED"}},
	} {
		_, err := pf.Paths(ctx(), c.from, c.to, c.q)
		pfWantErr(t, fmt.Sprintf("Paths(%s, %s, %+v)", c.from, c.to, c.q), err, store.ErrInvalid, c.mention)
	}
}

func testPathFinderUnknown(t *testing.T, s store.Store, pf store.PathFinder) {
	seedGraph(t, s)
	_, err := pf.Neighborhood(ctx(), "nobody", store.NeighborhoodQuery{Depth: 2, Direction: store.Both, Limit: 10, PerNode: 10})
	pfWantErr(t, "Neighborhood(nobody)", err, store.ErrNotFound, "nobody")
	// A place is not an actor.
	_, err = pf.Neighborhood(ctx(), "aleppo", store.NeighborhoodQuery{Depth: 2, Direction: store.Both, Limit: 10, PerNode: 10})
	pfWantErr(t, "Neighborhood(aleppo)", err, store.ErrNotFound, "aleppo")
	for _, c := range [][2]string{{"nobody", "usa"}, {"usa", "nobody"}, {"usa", "aleppo"}} {
		for _, all := range []bool{false, true} {
			_, err := pf.Paths(ctx(), c[0], c[1], store.PathQuery{MaxLength: 3, All: all})
			pfWantErr(t, fmt.Sprintf("Paths(%s, %s)", c[0], c[1]), err, store.ErrNotFound, "")
		}
	}
}

// pfSubgraph is a Subgraph by ids.
type pfSubgraph struct {
	Actors, Places, Relations []string
	Truncated                 bool
}

func pfSummary(sg store.Subgraph) pfSubgraph {
	return pfSubgraph{
		Actors:    ids(sg.Actors, func(a kg.Actor) string { return a.ID }),
		Places:    ids(sg.Places, func(p kg.Place) string { return p.ID }),
		Relations: relIDs(sg.Relations), Truncated: sg.Truncated,
	}
}

func pfNeighborhood(t *testing.T, pf store.PathFinder, id string, q store.NeighborhoodQuery) pfSubgraph {
	t.Helper()
	sg, err := pf.Neighborhood(ctx(), id, q)
	if err != nil {
		t.Fatalf("Neighborhood(%s, %+v): %v", id, q, err)
	}
	return pfSummary(sg)
}

// pfRussiaLevel1 are Russia's own relations, either way.
var pfRussiaLevel1 = []string{
	"kerry-threatens-russia",
	"russia-attacks-aleppo",
	"russia-attacks-convoy",
	"russia-consults-usa-geneva-planned",
	"russia-denies-convoy-accusation",
	"russia-party-to-sept9-deal",
	"russian-government-part-of-russia",
	"russian-military-part-of-russia",
	"us-accuses-russia-convoy",
	"usa-brokers-sept9-deal",
	"usa-consults-russia-bilateral-engagement",
	"usa-party-to-sept9-deal",
}

func testNeighborhoodRussia(t *testing.T, s store.Store, pf store.PathFinder) {
	g := seedGraph(t, s)
	q := store.NeighborhoodQuery{Depth: 1, Direction: store.Both, Limit: 100, PerNode: 100}
	eq(t, "russia, depth 1", pfNeighborhood(t, pf, "russia", q), pfSubgraph{
		Actors:    []string{"humanitarian-convoy", "kerry", "russia", "russian-government", "russian-military", "usa"},
		Places:    []string{"aleppo"},
		Relations: pfRussiaLevel1,
	})
	q.Depth = 2
	// Level 2 expands the actors reached (Aleppo, a place, is a leaf): the
	// convoy's attackers, Kerry's role, the Russian government's and
	// military's relations, and the United States'.
	eq(t, "russia, depth 2", pfNeighborhood(t, pf, "russia", q), pfSubgraph{
		Actors: []string{"humanitarian-convoy", "islamic-state", "jabhat-fateh-al-sham", "kerry", "poznikhir", "russia",
			"russian-air-force", "russian-general-staff", "russian-government", "russian-military", "syrian-rebels",
			"us-military", "us-state-department", "usa"},
		Places: []string{"aleppo"},
		Relations: []string{
			"kerry-holds-role-state-department",
			"kerry-threatens-russia",
			"poznikhir-offers-talks-usa",
			"poznikhir-requests-usa-joint-work",
			"poznikhir-responds-to-kerry-negated",
			"rebels-attack-convoy",
			"russia-attacks-aleppo",
			"russia-attacks-convoy",
			"russia-consults-usa-geneva-planned",
			"russia-denies-convoy-accusation",
			"russia-party-to-sept9-deal",
			"russian-air-force-part-of-russian-military",
			"russian-general-staff-part-of-russian-military",
			"russian-government-part-of-russia",
			"russian-military-attacks-islamic-state-conditional",
			"russian-military-attacks-jfs-conditional",
			"russian-military-backs-us-military-conditional",
			"russian-military-part-of-russia",
			"russian-officials-blame-rebels-truce-collapse",
			"us-accuses-russia-convoy",
			"us-military-backs-russian-military-conditional",
			"us-military-part-of-usa",
			"us-state-department-part-of-usa",
			"usa-brokers-sept9-deal",
			"usa-consults-russia-bilateral-engagement",
			"usa-party-to-sept9-deal",
		},
	})
	// The subgraph carries whole relations (evidence, attribution) and nodes.
	sg, err := pf.Neighborhood(ctx(), "russia", q)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]kg.Relation{}
	for _, r := range g.Relations {
		byID[r.ID] = r
	}
	for _, r := range sg.Relations {
		eq(t, "relation "+r.ID+" as loaded", r, byID[r.ID])
	}
	for _, a := range g.Actors {
		if i := slices.IndexFunc(sg.Actors, func(x kg.Actor) bool { return x.ID == a.ID }); i >= 0 {
			eq(t, "actor "+a.ID+" as loaded", sg.Actors[i], a)
		}
	}
	for _, p := range g.Places {
		if p.ID == "aleppo" {
			eq(t, "aleppo as loaded", sg.Places, []kg.Place{p})
		}
	}
}

func testNeighborhoodDirection(t *testing.T, s store.Store, pf store.PathFinder) {
	seedGraph(t, s)
	q := store.NeighborhoodQuery{Depth: 1, Direction: store.Out, Limit: 100, PerNode: 100}
	eq(t, "russia, out", pfNeighborhood(t, pf, "russia", q), pfSubgraph{
		Actors: []string{"humanitarian-convoy", "russia", "usa"}, Places: []string{"aleppo"},
		Relations: []string{"russia-attacks-aleppo", "russia-attacks-convoy", "russia-consults-usa-geneva-planned",
			"russia-denies-convoy-accusation", "russia-party-to-sept9-deal"},
	})
	q.Direction = store.In
	eq(t, "russia, in", pfNeighborhood(t, pf, "russia", q), pfSubgraph{
		Actors: []string{"kerry", "russia", "russian-government", "russian-military", "usa"}, Places: []string{},
		Relations: []string{"kerry-threatens-russia",
			"russian-government-part-of-russia",
			"russian-military-part-of-russia",
			"us-accuses-russia-convoy",
			"usa-brokers-sept9-deal",
			"usa-consults-russia-bilateral-engagement",
			"usa-party-to-sept9-deal"},
	})
	// In, two levels: who acts on Russia, and who acts on them.
	q.Depth = 2
	eq(t, "russia, in, depth 2", pfNeighborhood(t, pf, "russia", q), pfSubgraph{
		Actors: []string{"kerry", "poznikhir", "russia", "russian-air-force", "russian-general-staff", "russian-government",
			"russian-military", "us-military", "us-state-department", "usa"},
		Places: []string{},
		Relations: []string{"kerry-threatens-russia",
			"poznikhir-offers-talks-usa",
			"poznikhir-requests-usa-joint-work",
			"poznikhir-responds-to-kerry-negated",
			"russia-consults-usa-geneva-planned",
			"russia-denies-convoy-accusation",
			"russia-party-to-sept9-deal",
			"russian-air-force-part-of-russian-military",
			"russian-general-staff-part-of-russian-military",
			"russian-government-part-of-russia",
			"russian-military-part-of-russia",
			"us-accuses-russia-convoy",
			"us-military-backs-russian-military-conditional",
			"us-military-part-of-usa",
			"us-state-department-part-of-usa",
			"usa-brokers-sept9-deal",
			"usa-consults-russia-bilateral-engagement",
			"usa-party-to-sept9-deal"},
	})
}

func testNeighborhoodFilters(t *testing.T, s store.Store, pf store.PathFinder) {
	seedGraph(t, s)
	q := store.NeighborhoodQuery{Depth: 1, Direction: store.Both, Limit: 100, PerNode: 100,
		Types: []kg.RelationType{kg.Accuses, kg.Denies}}
	eq(t, "russia, accusations and denials", pfNeighborhood(t, pf, "russia", q), pfSubgraph{
		Actors: []string{"russia", "usa"}, Places: []string{},
		Relations: []string{"russia-denies-convoy-accusation", "us-accuses-russia-convoy"},
	})
	q.Depth = 3
	eq(t, "russia, accusations and denials, depth 3", pfNeighborhood(t, pf, "russia", q), pfSubgraph{
		Actors: []string{"russia", "usa"}, Places: []string{},
		Relations: []string{"russia-denies-convoy-accusation", "us-accuses-russia-convoy"},
	})
	// Occurred between Sept. 9 and Wednesday: the deal, the week's strikes
	// and Kerry's threat; relations of unknown date never match.
	q = store.NeighborhoodQuery{Depth: 1, Direction: store.Both, Limit: 100, PerNode: 100,
		Dates: store.DateRange{From: "2016-09-09", To: "2016-09-28"}}
	eq(t, "russia, occurred 9-28 Sept", pfNeighborhood(t, pf, "russia", q), pfSubgraph{
		Actors: []string{"kerry", "russia", "usa"}, Places: []string{"aleppo"},
		Relations: []string{"kerry-threatens-russia", "russia-attacks-aleppo", "russia-party-to-sept9-deal", "usa-brokers-sept9-deal", "usa-party-to-sept9-deal"},
	})
	q.Dates = store.DateRange{To: "2016-09-09"}
	eq(t, "russia, occurred until Sept. 9", pfNeighborhood(t, pf, "russia", q), pfSubgraph{
		Actors: []string{"humanitarian-convoy", "russia", "usa"}, Places: []string{},
		Relations: []string{"russia-attacks-convoy",
			"russia-denies-convoy-accusation",
			"russia-party-to-sept9-deal",
			"us-accuses-russia-convoy",
			"usa-brokers-sept9-deal",
			"usa-consults-russia-bilateral-engagement",
			"usa-party-to-sept9-deal"},
	})
	// Every relation was reported on Wednesday.
	q.Dates = store.DateRange{From: "2016-09-28", To: "2016-09-28", On: store.OnReported}
	eq(t, "russia, reported on Wednesday", pfNeighborhood(t, pf, "russia", q).Relations, pfRussiaLevel1)
	q.Dates = store.DateRange{From: "2016-09-29", On: store.OnReported}
	eq(t, "russia, reported later", pfNeighborhood(t, pf, "russia", q), pfSubgraph{Actors: []string{"russia"}, Places: []string{}, Relations: []string{}})
}

func testNeighborhoodLimit(t *testing.T, s store.Store, pf store.PathFinder) {
	seedGraph(t, s)
	q := store.NeighborhoodQuery{Depth: 2, Direction: store.Both, Limit: 5, PerNode: 100}
	eq(t, "russia, limit 5", pfNeighborhood(t, pf, "russia", q), pfSubgraph{
		Actors: []string{"humanitarian-convoy", "kerry", "russia", "usa"}, Places: []string{"aleppo"},
		Relations: pfRussiaLevel1[:5], Truncated: true,
	})
	// Exactly level 1 fits: level 2 would add more, so it is cut.
	q.Limit = len(pfRussiaLevel1)
	got := pfNeighborhood(t, pf, "russia", q)
	eq(t, "russia, limit 12, depth 2", got.Relations, pfRussiaLevel1)
	eq(t, "russia, limit 12, depth 2, truncated", got.Truncated, true)
	q.Depth = 1
	eq(t, "russia, limit 12, depth 1, truncated", pfNeighborhood(t, pf, "russia", q).Truncated, false)
	// Per node: Russia's first three relations by id.
	q = store.NeighborhoodQuery{Depth: 1, Direction: store.Both, Limit: 100, PerNode: 3}
	eq(t, "russia, per node 3", pfNeighborhood(t, pf, "russia", q), pfSubgraph{
		Actors: []string{"humanitarian-convoy", "kerry", "russia"}, Places: []string{"aleppo"},
		Relations: pfRussiaLevel1[:3], Truncated: true,
	})
	q.PerNode = len(pfRussiaLevel1)
	eq(t, "russia, per node 12", pfNeighborhood(t, pf, "russia", q).Truncated, false)
}

// pfHubGraph is a generated graph plus a hub with n relations to its actors.
func pfHubGraph(n int) *kg.Graph {
	g := Generate(5, 200, 1500, "src")
	g.Sources = []kg.Source{{ID: "src", Title: "Generated", Publisher: "Generator", Published: "2016-09-28"}}
	g.Actors = append(g.Actors, kg.Actor{ID: "hub", Name: "Hub", Kind: kg.KindState, Country: "HUB"})
	base := g.Relations[0]
	for i := 0; i < n; i++ {
		r := base
		r.ID = fmt.Sprintf("hub-rel-%05d", i)
		r.From, r.To = "hub", g.Actors[i%200].ID
		if i%2 == 1 {
			r.From, r.To = r.To, r.From
		}
		g.Relations = append(g.Relations, r)
	}
	return g
}

func testNeighborhoodHub(t *testing.T, s store.Store, pf store.PathFinder) {
	load(t, s, pfHubGraph(2500))
	q := store.NeighborhoodQuery{Depth: 1, Direction: store.Both, Limit: 1000, PerNode: 5}
	got := pfNeighborhood(t, pf, "hub", q)
	eq(t, "hub, per node 5", got.Relations, []string{"hub-rel-00000", "hub-rel-00001", "hub-rel-00002", "hub-rel-00003", "hub-rel-00004"})
	eq(t, "hub, truncated", got.Truncated, true)
	eq(t, "hub, actors", got.Actors, []string{"gen-actor-00000", "gen-actor-00001", "gen-actor-00002", "gen-actor-00003", "gen-actor-00004", "hub"})
	q.Direction = store.Out
	eq(t, "hub, out, per node 5", pfNeighborhood(t, pf, "hub", q).Relations,
		[]string{"hub-rel-00000", "hub-rel-00002", "hub-rel-00004", "hub-rel-00006", "hub-rel-00008"})
	// Two levels: five neighbours, five relations each at most.
	q.Depth, q.Direction = 2, store.Both
	got = pfNeighborhood(t, pf, "hub", q)
	if len(got.Relations) > 5+5*5 || !got.Truncated {
		t.Errorf("hub, depth 2: %d relations, truncated %v; want at most 30, truncated", len(got.Relations), got.Truncated)
	}
}

// testPathFinderReference compares both questions, on a generated graph
// with a hub and varied dates, with a plain implementation of the rules.
func testPathFinderReference(t *testing.T, s store.Store, pf store.PathFinder) {
	g := pfHubGraph(300)
	rng := rand.New(rand.NewPCG(9, 9))
	for i := range g.Relations {
		switch rng.IntN(4) {
		case 0:
			g.Relations[i].Occurred = kg.Date{Precision: kg.PrecisionUnknown}
		case 1:
			g.Relations[i].Occurred = kg.Date{Date: fmt.Sprintf("2016-09-%02d", 1+rng.IntN(28)), Precision: kg.PrecisionDay}
		}
		if rng.IntN(5) == 0 {
			g.Relations[i].Attribution, g.Relations[i].ClaimedBy = kg.Alleged, g.Relations[i].From
		}
	}
	// A place end and an isolated actor. (No self-loop: stores refuse them.)
	place := g.Relations[2]
	place.ID, place.To = "to-place", "somewhere"
	g.Relations = append(g.Relations, place)
	g.Places = []kg.Place{{ID: "somewhere", Name: "Somewhere", Kind: kg.PlaceCity}}
	g.Actors = append(g.Actors, kg.Actor{ID: "alone", Name: "Alone", Kind: kg.KindOther})
	load(t, s, g)

	starts := []string{"hub", "alone", g.Relations[1].From, place.From}
	for i := 0; i < 8; i++ {
		starts = append(starts, g.Actors[rng.IntN(200)].ID)
	}
	dirs := []store.Direction{store.Out, store.In, store.Both}
	typeSets := [][]kg.RelationType{nil, {kg.Accuses}, {kg.Backs, kg.Attacks}}
	dateSets := []store.DateRange{{}, {From: "2016-09-10", To: "2016-09-20"}, {To: "2016-09-05"}, {From: "2016-09-28", On: store.OnReported}}
	truncated, big, found := 0, 0, 0
	for _, start := range starts {
		for k := 0; k < 6; k++ {
			q := store.NeighborhoodQuery{
				Depth: 1 + rng.IntN(3), Direction: dirs[rng.IntN(3)], Types: typeSets[rng.IntN(len(typeSets))],
				Dates: dateSets[rng.IntN(len(dateSets))], Limit: []int{3, 20, 200, 1000}[rng.IntN(4)], PerNode: []int{1, 4, 15, 1000}[rng.IntN(4)],
			}
			want := refNeighborhood(g, start, q)
			eq(t, fmt.Sprintf("Neighborhood(%s, %+v)", start, q), pfNeighborhood(t, pf, start, q), want)
			if want.Truncated {
				truncated++
			}
			if len(want.Relations) > 5 {
				big++
			}
		}
	}
	attrs := []kg.Attribution{"", kg.Asserted, kg.Alleged}
	several := 0
	for i := 0; i < 60; i++ {
		from, to := starts[rng.IntN(len(starts))], g.Actors[rng.IntN(len(g.Actors))].ID
		if from == to {
			continue
		}
		q := store.PathQuery{MaxLength: 1 + rng.IntN(6), Types: typeSets[rng.IntN(len(typeSets))], Attribution: attrs[rng.IntN(3)],
			All: rng.IntN(4) > 0, Limit: []int{0, 2, 50}[rng.IntN(3)]}
		want := refPaths(g, from, to, q)
		eq(t, fmt.Sprintf("Paths(%s, %s, %+v)", from, to, q), pfPaths(t, pf, from, to, q), want)
		if len(want) > 0 {
			found++
		}
		if len(want) > 1 {
			several++
		}
	}
	// The cases must not be trivial.
	t.Logf("%d truncated and %d larger neighbourhoods; paths found %d times, several %d times", truncated, big, found, several)
	if truncated < 10 || big < 10 || found < 20 || several < 5 {
		t.Errorf("too few telling cases: %d truncated, %d larger neighbourhoods, paths found %d times, several %d times",
			truncated, big, found, several)
	}
}

// refNeighborhood computes a neighbourhood from the rules, over the graph.
func refNeighborhood(g *kg.Graph, start string, q store.NeighborhoodQuery) pfSubgraph {
	places := map[string]bool{}
	for _, p := range g.Places {
		places[p.ID] = true
	}
	rels := slices.Clone(g.Relations)
	slices.SortFunc(rels, func(a, b kg.Relation) int { return cmp.Compare(a.ID, b.ID) })
	match := func(r kg.Relation, n string) bool {
		switch {
		case q.Direction == store.Out && r.From != n,
			q.Direction == store.In && r.To != n,
			r.From != n && r.To != n,
			len(q.Types) > 0 && !slices.Contains(q.Types, r.Type):
			return false
		}
		if q.Dates.IsZero() {
			return true
		}
		d := r.Occurred.Date
		if q.Dates.On == store.OnReported {
			d = r.Reported.Date
		}
		return d != "" && (q.Dates.From == "" || d >= q.Dates.From) && (q.Dates.To == "" || d <= q.Dates.To)
	}
	held := map[string]kg.Relation{}
	reached := map[string]bool{start: true}
	frontier := []string{start}
	out := pfSubgraph{}
	for level := 1; level <= q.Depth; level++ {
		slices.Sort(frontier)
		var fresh []kg.Relation // in (first selecting node, id) order
		picked := map[string]bool{}
		for _, n := range frontier {
			if places[n] {
				continue
			}
			count := 0
			for _, r := range rels {
				if !match(r, n) {
					continue
				}
				if count++; count > q.PerNode {
					out.Truncated = true
					break
				}
				if _, ok := held[r.ID]; !ok && !picked[r.ID] {
					picked[r.ID] = true
					fresh = append(fresh, r)
				}
			}
		}
		stop := false
		if room := q.Limit - len(held); len(fresh) > room {
			fresh, out.Truncated, stop = fresh[:room], true, true
		}
		frontier = nil
		for _, r := range fresh {
			held[r.ID] = r
			for _, e := range []string{r.From, r.To} {
				if !reached[e] {
					reached[e] = true
					frontier = append(frontier, e)
				}
			}
		}
		if stop {
			break
		}
	}
	out.Actors, out.Places, out.Relations = []string{}, []string{}, []string{}
	for n := range reached {
		if places[n] {
			out.Places = append(out.Places, n)
		} else {
			out.Actors = append(out.Actors, n)
		}
	}
	for id := range held {
		out.Relations = append(out.Relations, id)
	}
	slices.Sort(out.Actors)
	slices.Sort(out.Places)
	slices.Sort(out.Relations)
	return out
}

// refPaths enumerates every simple path of at most MaxLength matching
// relations, keeps the shortest, orders them by id list and cuts.
func refPaths(g *kg.Graph, from, to string, q store.PathQuery) [][]string {
	var ok []kg.Relation
	for _, r := range g.Relations {
		if (len(q.Types) == 0 || slices.Contains(q.Types, r.Type)) && (q.Attribution == "" || r.Attribution == q.Attribution) {
			ok = append(ok, r)
		}
	}
	incident := map[string][]kg.Relation{}
	for _, r := range ok {
		incident[r.From] = append(incident[r.From], r)
		if r.To != r.From {
			incident[r.To] = append(incident[r.To], r)
		}
	}
	// Distances to the target bound the enumeration: a partial path only
	// steps to a node from which the target is still reachable in time.
	distTo := map[string]int{to: 0}
	for queue := []string{to}; len(queue) > 0; queue = queue[1:] {
		n := queue[0]
		for _, r := range incident[n] {
			for _, e := range []string{r.From, r.To} {
				if _, seen := distTo[e]; !seen {
					distTo[e] = distTo[n] + 1
					queue = append(queue, e)
				}
			}
		}
	}
	d, reachable := distTo[from]
	if !reachable || d > q.MaxLength {
		return [][]string{}
	}
	type partial struct {
		at    string
		hops  []string
		nodes map[string]bool
	}
	level := []partial{{at: from, nodes: map[string]bool{from: true}}}
	var found [][]string
	for length := 1; length <= d && len(found) == 0 && len(level) > 0; length++ {
		var next []partial
		for _, p := range level {
			for _, r := range incident[p.at] {
				other, fwd := r.To, r.From == p.at
				if !fwd {
					other = r.From
				}
				if dt, ok := distTo[other]; p.nodes[other] || !ok || dt > d-length {
					continue
				}
				h := r.ID
				if !fwd {
					h = "<" + h
				}
				hs := append(slices.Clone(p.hops), h)
				if other == to {
					found = append(found, hs)
					continue
				}
				nodes := map[string]bool{other: true}
				for n := range p.nodes {
					nodes[n] = true
				}
				next = append(next, partial{at: other, hops: hs, nodes: nodes})
			}
		}
		level = next
	}
	key := func(p []string) []string {
		out := make([]string, len(p))
		for i, h := range p {
			out[i] = strings.TrimPrefix(h, "<")
		}
		return out
	}
	slices.SortFunc(found, func(a, b []string) int { return slices.Compare(key(a), key(b)) })
	limit := 1
	if q.All {
		limit = cmp.Or(q.Limit, 10)
	}
	if len(found) > limit {
		found = found[:limit]
	}
	return append([][]string{}, found...)
}
