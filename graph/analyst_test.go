package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/seed"
	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/boltstore"
	"github.com/actorgraph/actorgraph/internal/testenv"
)

// The analyst's traps (issue 12): every answer here is computed from the
// seed graph itself, and every check would fail if the feature broke.

type fullResponse struct {
	Data       map[string]json.RawMessage `json:"data"`
	Errors     []map[string]any           `json:"errors"`
	Extensions map[string]json.RawMessage `json:"extensions"`
}

func ask(t *testing.T, url, q string) fullResponse {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": q})
	res, err := http.Post(url+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var r fullResponse
	if err := json.NewDecoder(res.Body).Decode(&r); err != nil {
		t.Fatal(err)
	}
	return r
}

func askOK(t *testing.T, url, q string, into any) fullResponse {
	t.Helper()
	r := ask(t, url, q)
	if len(r.Errors) > 0 {
		t.Fatalf("%s: errors %v", q, r.Errors)
	}
	raw, _ := json.Marshal(r.Data)
	if err := json.Unmarshal(raw, into); err != nil {
		t.Fatal(err)
	}
	return r
}

// askErr asks q and checks its one error's code and field.
func askErr(t *testing.T, url, q, code, field string) map[string]any {
	t.Helper()
	r := ask(t, url, q)
	if len(r.Errors) != 1 {
		t.Fatalf("%s: want one error, got %v (data %s)", q, r.Errors, r.Data)
	}
	ext, _ := r.Errors[0]["extensions"].(map[string]any)
	if ext["code"] != code || ext["field"] != field {
		t.Errorf("%s: extensions %v, want code %s field %s", q, ext, code, field)
	}
	return ext
}

type count struct {
	TotalCount int `json:"totalCount"`
	Nodes      []struct {
		ID     string `json:"id"`
		Type   string `json:"type"`
		Status string `json:"status"`
	} `json:"nodes"`
}

func ids(c count) []string {
	var out []string
	for _, n := range c.Nodes {
		out = append(out, n.ID)
	}
	return out
}

func runAnalyst(t *testing.T, s store.Store) {
	loadSeed(t, s)
	// Two actors sharing an alias make a name ambiguous.
	twins := &kg.Graph{Actors: []kg.Actor{
		{ID: "twin-a", Name: "Twin A", Kind: kg.KindOther, Aliases: []string{"Gemini"}},
		{ID: "twin-b", Name: "Twin B", Kind: kg.KindOther, Aliases: []string{"gemini"}},
	}}
	if err := s.Load(context.Background(), twins); err != nil {
		t.Fatal(err)
	}
	url := serve(t, s)
	g, err := seed.Graph()
	if err != nil {
		t.Fatal(err)
	}

	t.Run("actor arguments take ids, names and aliases", func(t *testing.T) {
		var byID struct{ R count }
		askOK(t, url, `{ r: relations(filter: {from: "russia"}) { totalCount } }`, &byID)
		if byID.R.TotalCount == 0 {
			t.Fatal("russia has no relations")
		}
		for ref, by := range map[string]string{"Russia": "name", "moscow": "alias", "  RUSSIAN   federation ": "alias"} {
			var got struct{ R count }
			r := askOK(t, url, `{ r: relations(filter: {from: "`+ref+`"}) { totalCount } }`, &got)
			if got.R.TotalCount != byID.R.TotalCount {
				t.Errorf("from %q: %d relations, by id %d", ref, got.R.TotalCount, byID.R.TotalCount)
			}
			var res []map[string]string
			json.Unmarshal(r.Extensions["resolved"], &res)
			if len(res) != 1 || res[0]["field"] != "filter.from" || res[0]["id"] != "russia" || res[0]["by"] != by || res[0]["input"] != ref {
				t.Errorf("from %q: extensions.resolved %v, want filter.from → russia by %s", ref, res, by)
			}
		}
		// Accents do not matter, either way round.
		var acc struct{ R count }
		askOK(t, url, `{ r: relations(filter: {from: "Víktor Pózníkhír", types: [RESPONDS_TO]}) { totalCount nodes { id } } }`, &acc)
		if acc.R.TotalCount != 1 {
			t.Errorf("accented name: %d RESPONDS_TO, want 1", acc.R.TotalCount)
		}
		askErr(t, url, `{ relations(filter: {from: "Atlantis"}) { totalCount } }`, "NOT_FOUND", "filter.from")
		askErr(t, url, `{ relations(filter: {claimedBy: "nobody"}) { totalCount } }`, "NOT_FOUND", "filter.claimedBy")
		askErr(t, url, `{ relations(filter: {event: "no-such-event"}) { totalCount } }`, "NOT_FOUND", "filter.event")
		ext := askErr(t, url, `{ relations(filter: {to: "Gemini"}) { totalCount } }`, "BAD_USER_INPUT", "filter.to")
		if c, _ := ext["candidates"].([]any); len(c) != 2 || c[0] != "twin-a" || c[1] != "twin-b" {
			t.Errorf("ambiguous alias: candidates %v, want twin-a, twin-b", ext["candidates"])
		}
		// paths names the end it cannot find.
		askErr(t, url, `{ paths(from: "Russia", to: "Atlantis") { reason } }`, "NOT_FOUND", "to")
		askErr(t, url, `{ paths(from: "Atlantis", to: "Russia") { reason } }`, "NOT_FOUND", "from")
		var p struct {
			Paths struct{ Paths []struct{ Length int } }
		}
		askOK(t, url, `{ paths(from: "Kerry", to: "Moscow", maxLength: 1) { paths { length } } }`, &p)
		if len(p.Paths.Paths) == 0 {
			t.Error("paths by alias found nothing between Kerry and Russia")
		}
		for _, q := range []string{
			`{ neighborhood(actor: "Atlantis") { truncated } }`,
			`{ timeline(actor: "Atlantis") { date { date } } }`,
			`{ dyads(from: "Atlantis") { relations } }`,
			`{ disputes(actor: "Atlantis") { claim { id } } }`,
		} {
			field := "actor"
			if strings.Contains(q, "dyads") {
				field = "from"
			}
			askErr(t, url, q, "NOT_FOUND", field)
		}
	})

	t.Run("claimedBy selects what an actor claims", func(t *testing.T) {
		var got struct{ R count }
		askOK(t, url, `{ r: relations(filter: {claimedBy: "Russia"}) { totalCount nodes { id } } }`, &got)
		var want []string
		below := map[string]bool{"russia": true, "russian-military": true, "russian-general-staff": true, "poznikhir": true,
			"russian-government": true, "russian-air-force": true}
		for _, r := range g.Relations {
			if r.Attribution == kg.Alleged && below[r.ClaimedBy] {
				want = append(want, r.ID)
			}
		}
		slices.Sort(want)
		if !slices.Equal(ids(got.R), want) || got.R.TotalCount != len(want) || len(want) == 0 {
			t.Errorf("claimedBy Russia: %v (total %d), want %v", ids(got.R), got.R.TotalCount, want)
		}
		if slices.Contains(ids(got.R), "russia-attacks-convoy") {
			t.Error("the U.S. claim about Russia is listed as Russia's claim")
		}
	})

	t.Run("outgoing takes the other end, place relations, totals", func(t *testing.T) {
		var got struct {
			Actor struct{ Outgoing count }
			Place struct{ Relations count }
			All   count
			E     struct{ TotalCount int }
			P     struct{ TotalCount int }
			S     struct{ TotalCount int }
		}
		askOK(t, url, `{
  actor(id: "poznikhir") { outgoing(filter: {other: "John Kerry"}) { totalCount nodes { id type status } } }
  place(id: "eastern-aleppo") { relations { totalCount nodes { id } } }
  all: relations(filter: {place: "eastern-aleppo"}) { totalCount nodes { id } }
  e: events { totalCount } p: places { totalCount } s: sources { totalCount }
}`, &got)
		o := got.Actor.Outgoing
		if o.TotalCount != 1 || len(o.Nodes) != 1 || o.Nodes[0].Type != "RESPONDS_TO" || o.Nodes[0].Status != "NEGATED" {
			t.Errorf("Poznikhir → Kerry: %+v, want the one NEGATED RESPONDS_TO", o)
		}
		var atPlace []string
		for _, r := range g.Relations {
			if r.PlaceID == "eastern-aleppo" {
				atPlace = append(atPlace, r.ID)
			}
		}
		slices.Sort(atPlace)
		if !slices.Equal(ids(got.Place.Relations), atPlace) || got.Place.Relations.TotalCount != len(atPlace) || !slices.Equal(ids(got.All), atPlace) {
			t.Errorf("eastern-aleppo: place.relations %v, relations(place) %v, want %v", ids(got.Place.Relations), ids(got.All), atPlace)
		}
		if got.E.TotalCount != len(g.Events) || got.P.TotalCount != len(g.Places) || got.S.TotalCount != len(g.Sources) {
			t.Errorf("totalCount events %d places %d sources %d, want %d %d %d", got.E.TotalCount, got.P.TotalCount, got.S.TotalCount,
				len(g.Events), len(g.Places), len(g.Sources))
		}
	})

	t.Run("an alleged act shows who disputes it", func(t *testing.T) {
		var got struct {
			Relation struct {
				Asserted   bool
				Status     string
				DeniedBy   []struct{ ID string }
				DisputedBy []struct{ ID string }
			}
		}
		askOK(t, url, `{ relation(id: "russia-attacks-convoy") { asserted status deniedBy { id } disputedBy { id } } }`, &got)
		r := got.Relation
		if r.Asserted || r.Status != "ACTUAL" {
			t.Errorf("asserted %v status %s, want an ALLEGED act reading asserted: false", r.Asserted, r.Status)
		}
		if len(r.DisputedBy) != 1 || r.DisputedBy[0].ID != "russia-denies-convoy-accusation" {
			t.Errorf("disputedBy %v, want Russia's denial of the accusation", r.DisputedBy)
		}
	})

	t.Run("timeline filter", func(t *testing.T) {
		var got struct {
			Timeline []struct {
				Relation *struct{ ID, Type string }
				Event    *struct{ ID string }
			}
		}
		askOK(t, url, `{ timeline(actor: "Poznikhir", filter: {types: [REQUESTS, RESPONDS_TO]}) { relation { id type } event { id } } }`, &got)
		var rels, events []string
		for _, e := range got.Timeline {
			if e.Relation != nil {
				rels = append(rels, e.Relation.ID)
			} else {
				events = append(events, e.Event.ID)
			}
		}
		wantRels := []string{"poznikhir-requests-usa-joint-work", "poznikhir-responds-to-kerry-negated"}
		if !slices.Equal(rels, wantRels) || !slices.Equal(events, []string{"geneva-consultations"}) {
			t.Errorf("timeline: relations %v events %v, want %v and the request's event", rels, events, wantRels)
		}
	})

	t.Run("facts-only dyads keep a conditional threat", func(t *testing.T) {
		var got struct {
			Dyads []struct {
				Goldstein float64
				ByType    []struct {
					Type      string
					Goldstein float64
				}
			}
		}
		askOK(t, url, `{ dyads(from: "USA", to: "Russia", types: [THREATENS]) { goldstein byType { type goldstein } } }`, &got)
		var want float64
		for _, r := range g.Relations {
			if r.Type == kg.Threatens && r.Status == kg.Conditional && r.Attribution == kg.Asserted && (r.From == "kerry") && r.To == "russia" {
				want += *r.Goldstein
			}
		}
		if want == 0 || len(got.Dyads) != 1 || got.Dyads[0].Goldstein != want {
			t.Errorf("US → Russia THREATENS: %+v, want goldstein %v (Kerry's conditional threat)", got.Dyads, want)
		}
	})

	t.Run("dyads take the relation filter", func(t *testing.T) {
		// What Russia (and those below it) claims, by pair: the relations
		// list's answer to the same filter, counted per dyad.
		var got struct {
			Dyads []struct{ Relations int }
			R     count
		}
		askOK(t, url, `{ dyads(includeClaims: true, first: 500, filter: {claimedBy: "Russia", types: [ACCUSES, ATTACKS, DENIES]}) { relations }
		  r: relations(filter: {claimedBy: "Russia", types: [ACCUSES, ATTACKS, DENIES]}) { totalCount nodes { id } } }`, &got)
		total := 0
		for _, d := range got.Dyads {
			total += d.Relations
		}
		if got.R.TotalCount == 0 || total != got.R.TotalCount {
			t.Errorf("dyads claimed by Russia count %d relations, relations(filter) %d", total, got.R.TotalCount)
		}
		var all struct{ Dyads []struct{ Relations int } }
		askOK(t, url, `{ dyads(includeClaims: true, first: 500, types: [ACCUSES, ATTACKS, DENIES]) { relations } }`, &all)
		if len(all.Dyads) <= len(got.Dyads) {
			t.Errorf("the filter kept every dyad (%d of %d)", len(got.Dyads), len(all.Dyads))
		}
		askErr(t, url, `{ dyads(filter: {claimedBy: "Atlantis"}) { relations } }`, "NOT_FOUND", "filter.claimedBy")
		askErr(t, url, `{ dyads(from: "USA", filter: {from: "Russia"}) { relations } }`, "BAD_USER_INPUT", "filter.from")
	})

	t.Run("weekly series place only what they can date", func(t *testing.T) {
		var got struct {
			Dyads []struct {
				Relations int
				Series    []struct {
					Start     string
					Relations int
				}
			}
		}
		askOK(t, url, `{ dyads(from: "USA", to: "Russia", types: [CONSULTS], interval: WEEK) { relations series { start relations } } }`, &got)
		// usa-consults-russia-bilateral-engagement is dated September 2016
		// (month precision): no week holds it, least of all one of August.
		for _, d := range got.Dyads {
			for _, b := range d.Series {
				if b.Start < "2016-09-01" {
					t.Errorf("weekly bucket %s holds a September relation", b.Start)
				}
			}
		}
		if len(got.Dyads) != 1 || got.Dyads[0].Relations == 0 {
			t.Fatalf("US → Russia CONSULTS: %+v", got.Dyads)
		}
	})
}

func TestAnalystEmbedded(t *testing.T) { runAnalyst(t, testenv.Bolt(t, boltstore.Options{})) }
func TestAnalystNeo4j(t *testing.T)    { runAnalyst(t, testenv.Neo4j(t, nil)) }
