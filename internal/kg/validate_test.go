package kg

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math"
	"strings"
	"testing"
	"unicode/utf8"
)

// tinyText has non-ASCII characters before most quotes, so byte offsets and
// code-point offsets differ.
const tinyText = "Gen. Gore of Alpha’s army said Monday the army shelled Betatown. " +
	"Beta accused Alpha of shelling Betatown, which Alpha denied. " +
	"Beta’s militia holds Betatown. " +
	"Beta threatened to cut ties unless the shelling stops."

// ev returns the evidence of the first occurrence of quote in tinyText.
func ev(t testing.TB, quote string) Evidence {
	t.Helper()
	b := strings.Index(tinyText, quote)
	if b < 0 {
		t.Fatalf("quote %q not in tinyText", quote)
	}
	start := utf8.RuneCountInString(tinyText[:b])
	return Evidence{Quote: quote, Start: start, End: start + utf8.RuneCountInString(quote)}
}

func score(f float64) *float64 { return &f }

// tinyGraph is a small graph that passes Validate and exercises every kind of
// entry and the main relation rules.
func tinyGraph(t testing.TB) *Graph {
	sum := sha256.Sum256([]byte(tinyText))
	day := Date{Date: "2016-09-26", Precision: PrecisionDay}
	prov := Provenance{Confidence: 0.9, Method: MethodCurated, Review: ReviewConfirmed}
	rel := func(r Relation) Relation {
		r.SourceID = "src"
		r.Reported = day
		if r.Occurred.Precision == "" {
			r.Occurred = Date{Precision: PrecisionUnknown}
		}
		if r.Attribution == "" {
			r.Attribution = Asserted
		}
		if r.Status == "" {
			r.Status = Actual
		}
		if r.CAMEO != "" {
			g, _ := Goldstein(r.CAMEO)
			r.Goldstein = &g
		}
		r.Provenance = prov
		return r
	}
	return &Graph{
		Sources: []Source{{ID: "src", Title: "Tiny", Publisher: "Test Wire", Country: "USA",
			Published: "2016-09-26", Text: tinyText, SHA256: hex.EncodeToString(sum[:])}},
		Actors: []Actor{
			{ID: "alpha", Name: "Alpha", Kind: KindState, Country: "AAA", CAMEOCode: "AAA", Wikidata: "Q1"},
			{ID: "alpha-army", Name: "Alpha army", Kind: KindMilitary, CAMEOCode: "AAAMIL", Aliases: []string{"the army"}},
			{ID: "gore", Name: "Gore", Kind: KindPerson},
			{ID: "beta", Name: "Beta", Kind: KindState},
			{ID: "beta-militia", Name: "Beta militia", Kind: KindArmedGroup},
		},
		Places: []Place{
			{ID: "beta-land", Name: "Beta land", Kind: PlaceCountry},
			{ID: "betatown", Name: "Betatown", Kind: PlaceCity, ParentID: "beta-land"},
		},
		Events: []Event{{ID: "shelling", Name: "Shelling of Betatown", Kind: EventAttack,
			Occurred: day, PlaceID: "betatown", SourceID: "src",
			Evidence: []Evidence{ev(t, "the army shelled Betatown")}}},
		Relations: []Relation{
			rel(Relation{ID: "army-part-of-alpha", Type: PartOf, From: "alpha-army", To: "alpha",
				Evidence: []Evidence{ev(t, "Alpha’s army")}}),
			rel(Relation{ID: "gore-role", Type: HoldsRole, From: "gore", To: "alpha-army", Role: "Gen.",
				Evidence: []Evidence{ev(t, "Gen. Gore of Alpha’s army")}}),
			rel(Relation{ID: "army-shells-town", Type: Attacks, From: "alpha-army", To: "betatown", CAMEO: "194",
				Occurred: day, EventID: "shelling", PlaceID: "betatown",
				Evidence: []Evidence{ev(t, "the army shelled Betatown")}}),
			rel(Relation{ID: "beta-accuses-alpha", Type: Accuses, From: "beta", To: "alpha", CAMEO: "112",
				Alleges: "alpha-shells-town-alleged", Evidence: []Evidence{ev(t, "Beta accused Alpha of shelling Betatown")}}),
			rel(Relation{ID: "alpha-shells-town-alleged", Type: Attacks, From: "alpha", To: "betatown", CAMEO: "190",
				Attribution: Alleged, ClaimedBy: "beta", Evidence: []Evidence{ev(t, "Alpha of shelling Betatown")}}),
			rel(Relation{ID: "alpha-denies", Type: Denies, From: "alpha", To: "beta", CAMEO: "016",
				Denies: "beta-accuses-alpha", Evidence: []Evidence{ev(t, "which Alpha denied")}}),
			rel(Relation{ID: "militia-holds-town", Type: Controls, From: "beta-militia", To: "betatown",
				Evidence: []Evidence{ev(t, "Beta’s militia holds Betatown")}}),
			rel(Relation{ID: "militia-part-of-beta", Type: PartOf, From: "beta-militia", To: "beta",
				Evidence: []Evidence{ev(t, "Beta’s militia")}}),
			rel(Relation{ID: "beta-threatens-alpha", Type: Threatens, From: "beta", To: "alpha", CAMEO: "1313",
				Status: Conditional, Condition: "unless the shelling stops",
				Evidence: []Evidence{ev(t, "Beta threatened to cut ties unless the shelling stops.")}}),
		},
	}
}

func TestValidateGoodGraph(t *testing.T) {
	if err := tinyGraph(t).Validate(); err != nil {
		t.Fatalf("good graph refused:\n%v", err)
	}
}

func TestValidateImportedRowsNeedNoEvidence(t *testing.T) {
	g := tinyGraph(t)
	g.Relations = append(g.Relations, Relation{ID: "imported", Type: Attacks, From: "alpha", To: "beta",
		Attribution: Asserted, Status: Actual, SourceID: "src", CAMEO: "190", Goldstein: score(-9.1), // a row's own score
		Occurred: Date{Date: "2016-09-01", Precision: PrecisionMonth}, Reported: Date{Precision: PrecisionUnknown},
		Provenance: Provenance{Confidence: 1, Method: MethodImport, Detail: "gdelt2", Review: ReviewProposed}})
	if err := g.Validate(); err != nil {
		t.Fatalf("imported row refused:\n%v", err)
	}
}

// relIdx finds a relation of the tiny graph by id.
func relIdx(g *Graph, id string) *Relation {
	for i := range g.Relations {
		if g.Relations[i].ID == id {
			return &g.Relations[i]
		}
	}
	panic("no relation " + id)
}

func TestValidateRules(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(g *Graph)
		want   string // a line of the error
	}{
		// ids
		{"empty id", func(g *Graph) { g.Actors[4].ID = "" }, `actor[4]: id is empty`},
		{"id not a slug", func(g *Graph) { g.Events[0].ID = "Shelling 1" }, `event "Shelling 1": id "Shelling 1" is not a slug`},
		{"duplicate id within kind", func(g *Graph) { g.Actors[4].ID = "beta" }, `actor "beta": duplicate id: another actor has id "beta"`},
		{"duplicate id across kinds", func(g *Graph) { g.Places[0].ID = "beta" }, `place "beta": duplicate id: an actor already has id "beta"`},
		{"relation id shared with event", func(g *Graph) { relIdx(g, "beta-threatens-alpha").ID = "shelling" },
			`relation "shelling": duplicate id: an event already has id "shelling"`},

		// sources
		{"source title", func(g *Graph) { g.Sources[0].Title = " " }, `source "src": title is empty`},
		{"source published date", func(g *Graph) { g.Sources[0].Published = "26/09/2016" }, `source "src": published: date "26/09/2016" is not a valid YYYY-MM-DD calendar date`},
		{"source url", func(g *Graph) { g.Sources[0].URL = "example.com/a" }, `source "src": url "example.com/a" is not an absolute http(s) URL`},
		{"sha256 mismatch", func(g *Graph) { g.Sources[0].Text += " " }, `source "src": sha256 `},
		{"sha256 form", func(g *Graph) { g.Sources[0].SHA256 = "ABC" }, `source "src": sha256 "ABC" is not 64 lower-case hex digits`},

		// actors and places
		{"actor kind", func(g *Graph) { g.Actors[0].Kind = "NATION" }, `actor "alpha": kind "NATION" is not an ActorKind`},
		{"actor name", func(g *Graph) { g.Actors[0].Name = "" }, `actor "alpha": name is empty`},
		{"actor country", func(g *Graph) { g.Actors[0].Country = "us" }, `actor "alpha": country "us" is not an ISO 3166-1 alpha-3 code`},
		{"actor wikidata", func(g *Graph) { g.Actors[0].Wikidata = "159" }, `actor "alpha": wikidata "159" is not a QID`},
		{"actor cameo code", func(g *Graph) { g.Actors[0].CAMEOCode = "rus" }, `actor "alpha": cameoCode "rus" is not a CAMEO actor code`},
		{"repeated alias", func(g *Graph) { g.Actors[1].Aliases = []string{"the army", "The  Army"} }, `actor "alpha-army": aliases[1] "The  Army" repeats another alias`},
		{"place kind", func(g *Graph) { g.Places[1].Kind = "TOWN" }, `place "betatown": kind "TOWN" is not a PlaceKind`},
		{"place parent missing", func(g *Graph) { g.Places[1].ParentID = "alpha" }, `place "betatown": parent "alpha" is not a place`},
		{"place parent cycle", func(g *Graph) { g.Places[0].ParentID = "betatown" }, `place "beta-land": parent chain loops back to "beta-land"`},

		// events
		{"event kind", func(g *Graph) { g.Events[0].Kind = "BATTLE" }, `event "shelling": kind "BATTLE" is not an EventKind`},
		{"event place", func(g *Graph) { g.Events[0].PlaceID = "alpha" }, `event "shelling": place "alpha" is not a place`},
		{"event date", func(g *Graph) { g.Events[0].Occurred.Date = "2016-02-30" }, `event "shelling": occurred: date "2016-02-30" is not a valid YYYY-MM-DD calendar date`},
		{"event evidence offset", func(g *Graph) { g.Events[0].Evidence[0].Start++ }, `event "shelling": evidence[0]: quote does not match text at [39,63): quote "the army shelled Betatown", text "he army shelled Betatown"; the quote first occurs at [38,63)`},
		{"event evidence without source", func(g *Graph) { g.Events[0].SourceID = "" }, `event "shelling": has evidence but no source to check it against`},

		// relation type and endpoints
		{"bad type", func(g *Graph) { relIdx(g, "beta-threatens-alpha").Type = "BOMBS" }, `relation "beta-threatens-alpha": type "BOMBS" is not in the relation vocabulary`},
		{"from not an actor", func(g *Graph) { relIdx(g, "beta-threatens-alpha").From = "betatown" }, `relation "beta-threatens-alpha": from "betatown" is not an actor`},
		{"from unknown", func(g *Graph) { relIdx(g, "beta-threatens-alpha").From = "gamma" }, `relation "beta-threatens-alpha": from "gamma" is not an actor`},
		{"to a place on a non-place type", func(g *Graph) { relIdx(g, "beta-threatens-alpha").To = "betatown" }, `relation "beta-threatens-alpha": to "betatown" is not an actor`},
		{"CONTROLS to an actor", func(g *Graph) { relIdx(g, "militia-holds-town").To = "alpha" }, `relation "militia-holds-town": to "alpha" is not a place (CONTROLS points at a place)`},
		{"ATTACKS to nothing", func(g *Graph) { relIdx(g, "army-shells-town").To = "gammatown" }, `relation "army-shells-town": to "gammatown" is neither an actor nor a place`},
		{"self relation", func(g *Graph) { relIdx(g, "beta-threatens-alpha").To = "beta" }, `relation "beta-threatens-alpha": to: "beta" is the relation's from as well: is a self-loop`},

		// attribution, status, role
		{"attribution", func(g *Graph) { relIdx(g, "beta-threatens-alpha").Attribution = "REPORTED" }, `relation "beta-threatens-alpha": attribution "REPORTED" is not an Attribution`},
		{"ALLEGED without claimedBy", func(g *Graph) { relIdx(g, "alpha-shells-town-alleged").ClaimedBy = "" }, `relation "alpha-shells-town-alleged": attribution ALLEGED needs claimedBy`},
		{"claimedBy on ASSERTED", func(g *Graph) { relIdx(g, "beta-threatens-alpha").ClaimedBy = "alpha" }, `relation "beta-threatens-alpha": claimedBy "alpha" is set but attribution is "ASSERTED", not ALLEGED`},
		{"claimedBy not an actor", func(g *Graph) { relIdx(g, "alpha-shells-town-alleged").ClaimedBy = "betatown" }, `relation "alpha-shells-town-alleged": claimedBy "betatown" is not an actor`},
		{"status", func(g *Graph) { relIdx(g, "army-shells-town").Status = "DONE" }, `relation "army-shells-town": status "DONE" is not a Status`},
		{"CONDITIONAL without condition", func(g *Graph) { relIdx(g, "beta-threatens-alpha").Condition = "" }, `relation "beta-threatens-alpha": status CONDITIONAL needs a condition`},
		{"condition without CONDITIONAL", func(g *Graph) { relIdx(g, "army-shells-town").Condition = "if" }, `relation "army-shells-town": condition is set but status is "ACTUAL", not CONDITIONAL`},
		{"role off HOLDS_ROLE", func(g *Graph) { relIdx(g, "army-part-of-alpha").Role = "Gen." }, `relation "army-part-of-alpha": role is set on a PART_OF relation (only HOLDS_ROLE has one)`},
		{"HOLDS_ROLE without role", func(g *Graph) { relIdx(g, "gore-role").Role = "" }, `relation "gore-role": HOLDS_ROLE needs a role`},
		{"HOLDS_ROLE from a non-person", func(g *Graph) { relIdx(g, "gore-role").From = "beta" }, `relation "gore-role": HOLDS_ROLE from "beta", a STATE, not a PERSON`},
		{"hierarchy cycle", func(g *Graph) {
			r := *relIdx(g, "army-part-of-alpha")
			r.ID, r.From, r.To = "alpha-part-of-army", "alpha", "alpha-army"
			g.Relations = append(g.Relations, r)
		}, `relation "army-part-of-alpha": PART_OF closes a hierarchy cycle: alpha -> alpha-army -> alpha`},

		// references
		{"source missing", func(g *Graph) { relIdx(g, "army-shells-town").SourceID = "" }, `relation "army-shells-town": source is empty`},
		{"source unknown", func(g *Graph) { relIdx(g, "army-shells-town").SourceID = "wire" }, `relation "army-shells-town": source "wire" is not a source`},
		{"event unknown", func(g *Graph) { relIdx(g, "army-shells-town").EventID = "raid" }, `relation "army-shells-town": event "raid" is not an event`},
		{"place unknown", func(g *Graph) { relIdx(g, "army-shells-town").PlaceID = "alpha" }, `relation "army-shells-town": place "alpha" is not a place`},
		{"dangling alleges", func(g *Graph) { relIdx(g, "beta-accuses-alpha").Alleges = "nothing" }, `relation "beta-accuses-alpha": alleges "nothing" is not a relation`},
		{"alleges itself", func(g *Graph) { relIdx(g, "beta-accuses-alpha").Alleges = "beta-accuses-alpha" }, `relation "beta-accuses-alpha": alleges names the relation itself`},
		{"alleges off ACCUSES", func(g *Graph) { relIdx(g, "army-shells-town").Alleges = "beta-accuses-alpha" }, `relation "army-shells-town": alleges is set on a ATTACKS relation (only ACCUSES has it)`},
		{"DENIES without denies", func(g *Graph) { relIdx(g, "alpha-denies").Denies = "" }, `relation "alpha-denies": DENIES needs denies`},
		{"dangling denies", func(g *Graph) { relIdx(g, "alpha-denies").Denies = "nothing" }, `relation "alpha-denies": denies "nothing" is not a relation`},

		// CAMEO and Goldstein
		{"CAMEO not in codebook", func(g *Graph) { relIdx(g, "army-shells-town").CAMEO = "199" }, `relation "army-shells-town": cameo "199" is not a code of the CAMEO codebook`},
		{"CAMEO of another type", func(g *Graph) { relIdx(g, "beta-accuses-alpha").CAMEO = "190" }, `relation "beta-accuses-alpha": cameo "190" maps to ATTACKS, not ACCUSES`},
		{"BESIEGES is not ATTACKS", func(g *Graph) { relIdx(g, "army-shells-town").CAMEO = "191" }, `relation "army-shells-town": cameo "191" maps to BESIEGES, not ATTACKS`},
		{"CAMEO on structural", func(g *Graph) { relIdx(g, "militia-holds-town").CAMEO = "192" }, `relation "militia-holds-town": structural type CONTROLS takes no CAMEO code, has "192"`},
		{"Goldstein on structural", func(g *Graph) { relIdx(g, "army-part-of-alpha").Goldstein = score(1) }, `relation "army-part-of-alpha": structural type PART_OF takes no Goldstein score`},
		{"curated Goldstein differs", func(g *Graph) { relIdx(g, "beta-threatens-alpha").Goldstein = score(-4.4) }, `relation "beta-threatens-alpha": goldstein -4.4 is not the score of CAMEO 1313 (-5.8)`},
		{"Goldstein out of range", func(g *Graph) { relIdx(g, "beta-threatens-alpha").Goldstein = score(-11) }, `relation "beta-threatens-alpha": goldstein -11 is outside [-10, 10]`},

		// dates
		{"precision", func(g *Graph) { relIdx(g, "army-shells-town").Occurred.Precision = "HOUR" }, `relation "army-shells-town": occurred: precision "HOUR" is not a Precision`},
		{"date with UNKNOWN", func(g *Graph) { relIdx(g, "beta-accuses-alpha").Occurred.Date = "2016-09-26" }, `relation "beta-accuses-alpha": occurred: date "2016-09-26" is set but precision is UNKNOWN`},
		{"DAY without date", func(g *Graph) { relIdx(g, "army-shells-town").Reported.Date = "" }, `relation "army-shells-town": reported: precision DAY needs a date`},
		{"not a calendar date", func(g *Graph) { relIdx(g, "army-shells-town").Occurred.Date = "2016-09-31" }, `relation "army-shells-town": occurred: date "2016-09-31" is not a valid YYYY-MM-DD calendar date`},
		{"WEEK not a Monday", func(g *Graph) {
			relIdx(g, "army-shells-town").Occurred = Date{Date: "2016-09-28", Precision: PrecisionWeek}
		}, `relation "army-shells-town": occurred: WEEK date 2016-09-28 is a Wednesday, not the week's Monday`},
		{"MONTH not the 1st", func(g *Graph) {
			relIdx(g, "army-shells-town").Occurred = Date{Date: "2016-09-09", Precision: PrecisionMonth}
		}, `relation "army-shells-town": occurred: MONTH date 2016-09-09 is not the 1st of the month`},

		// provenance
		{"confidence above 1", func(g *Graph) { relIdx(g, "army-shells-town").Provenance.Confidence = 1.5 }, `relation "army-shells-town": confidence 1.5 is outside [0, 1]`},
		{"confidence NaN", func(g *Graph) { relIdx(g, "army-shells-town").Provenance.Confidence = math.NaN() }, `relation "army-shells-town": confidence NaN is outside [0, 1]`},
		{"method", func(g *Graph) { relIdx(g, "army-shells-town").Provenance.Method = "MANUAL" }, `relation "army-shells-town": method "MANUAL" is not a Method`},
		{"review", func(g *Graph) { relIdx(g, "army-shells-town").Provenance.Review = "OK" }, `relation "army-shells-town": review "OK" is not a Review`},
		{"coder without rule id", func(g *Graph) { relIdx(g, "army-shells-town").Provenance.Method = MethodCoder }, `relation "army-shells-town": method CODER needs a detail`},

		// evidence
		{"curated without evidence", func(g *Graph) { relIdx(g, "army-part-of-alpha").Evidence = nil }, `relation "army-part-of-alpha": a CURATED relation needs at least one evidence`},
		{"wrong offset", func(g *Graph) { relIdx(g, "beta-accuses-alpha").Evidence[0].Start += 2 },
			`relation "beta-accuses-alpha": evidence[0]: quote does not match text at [67,104): quote "Beta accused Alpha of shelling Betatown", text "ta accused Alpha of shelling Betatown"; the quote first occurs at [65,104)`},
		{"byte offsets instead of code points", func(g *Graph) {
			e := &relIdx(g, "militia-holds-town").Evidence[0]
			b := strings.Index(tinyText, e.Quote)
			e.Start, e.End = b, b+len(e.Quote)
		}, `relation "militia-holds-town": evidence[0]: quote does not match text at [128,159): quote "Beta’s militia holds Betatown", text "ta’s militia holds Betatown. Be"; the quote first occurs at [126,155)`},
		{"quote edited", func(g *Graph) { relIdx(g, "alpha-denies").Evidence[0].Quote = "which Alpha denies" },
			`relation "alpha-denies": evidence[0]: quote does not match text at [106,124): quote "which Alpha denies", text "which Alpha denied"; the quote is not in the text`},
		{"offsets past the end", func(g *Graph) { relIdx(g, "alpha-denies").Evidence[0].End = 10000 }, `relation "alpha-denies": evidence[0]: offsets [106,10000) are not a non-empty span of the text's 211 code points`},
		{"empty span", func(g *Graph) { relIdx(g, "alpha-denies").Evidence[0].End = 106 }, `relation "alpha-denies": evidence[0]: offsets [106,106) are not a non-empty span`},
		{"empty quote", func(g *Graph) { relIdx(g, "alpha-denies").Evidence[0].Quote = "" }, `relation "alpha-denies": evidence[0]: quote is empty`},
		{"duplicate evidence", func(g *Graph) {
			r := relIdx(g, "alpha-denies")
			r.Evidence = append(r.Evidence, r.Evidence[0])
		}, `relation "alpha-denies": evidence[1]: duplicates evidence[0] at [106,124)`},
		{"source text not loaded", func(g *Graph) { g.Sources[0].Text = "" }, `relation "alpha-denies": has evidence but source "src" has no text loaded`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := tinyGraph(t)
			tc.mutate(g)
			err := g.Validate()
			if err == nil {
				t.Fatalf("broken graph accepted; want %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error does not say %q; got:\n%v", tc.want, err)
			}
			var ee *EntryError
			if !errors.As(err, &ee) {
				t.Fatalf("error is not an *EntryError: %T", err)
			}
		})
	}
}

func TestValidateJoinsAllProblems(t *testing.T) {
	g := tinyGraph(t)
	g.Actors[0].Kind = "NATION"
	relIdx(g, "beta-accuses-alpha").Alleges = "nothing"
	relIdx(g, "alpha-denies").Evidence[0].Start++
	err := g.Validate()
	if err == nil {
		t.Fatal("broken graph accepted")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 3 {
		t.Fatalf("want 3 problems, one a line; got %d:\n%v", len(lines), err)
	}
	for i, prefix := range []string{`actor "alpha": `, `relation "beta-accuses-alpha": `, `relation "alpha-denies": `} {
		if !strings.HasPrefix(lines[i], prefix) {
			t.Errorf("line %d = %q, want prefix %q", i, lines[i], prefix)
		}
	}
	var ee *EntryError
	if !errors.As(err, &ee) || ee.Kind != "actor" || ee.ID != "alpha" {
		t.Errorf("errors.As: got %+v, want the actor alpha", ee)
	}
}
