package coder

import (
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/actorgraph/actorgraph/internal/kg"
)

var testDate = time.Date(2016, 9, 28, 0, 0, 0, 0, time.UTC) // a Wednesday

func code(t *testing.T, text string, known Known) *Result {
	t.Helper()
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.CodeWith(Document{Text: text, SourceID: "test-doc", Published: testDate}, known)
	if err != nil {
		t.Fatal(err)
	}
	src := kg.Source{ID: "test-doc", Title: "t", Publisher: "p", Published: "2016-09-28", Text: text}
	validateResult(t, src, known, res)
	return res
}

// rel finds the relations of a type between two actors.
func rels(res *Result, typ kg.RelationType, from, to string) []kg.Relation {
	var out []kg.Relation
	for _, r := range res.Relations {
		if r.Type == typ && (from == "" || r.From == from) && (to == "" || r.To == to) {
			out = append(out, r)
		}
	}
	return out
}

func dump(res *Result) string {
	var b strings.Builder
	for _, a := range res.Actors {
		fmt.Fprintf(&b, "  actor %s %q %s %s %s\n", a.ID, a.Name, a.Kind, a.Country, a.CAMEOCode)
	}
	for _, r := range res.Relations {
		fmt.Fprintf(&b, "  %s %s -> %s %s/%s %s %q %s %v (%s)\n", r.Type, r.From, r.To, r.Attribution, r.ClaimedBy, r.Status, r.Condition, r.CAMEO, r.Occurred, r.Provenance.Detail)
	}
	return b.String()
}

func TestDictionaryCoverage(t *testing.T) {
	d, err := DefaultDictionary()
	if err != nil {
		t.Fatal(err)
	}
	members, iso := 0, map[string]bool{}
	for _, c := range d.Countries {
		if iso[c.ISO3] {
			t.Errorf("country %s twice", c.ISO3)
		}
		iso[c.ISO3] = true
		if c.Member {
			members++
		}
		if len(c.Adjectives) == 0 && c.ISO3 != "DMA" && c.ISO3 != "COG" {
			t.Errorf("%s has no adjective or demonym", c.Name)
		}
		if len(c.Capitals) == 0 {
			t.Errorf("%s has no capital", c.Name)
		}
	}
	if members != 193 {
		t.Errorf("%d UN member states, want 193", members)
	}
	want := map[string]bool{"MIL": false, "GOV": false, "REB": false, "COP": false, "OPP": false}
	for _, s := range d.Sectors {
		if _, ok := want[s.Code]; ok {
			want[s.Code] = true
		}
	}
	for code, ok := range want {
		if !ok {
			t.Errorf("no sector %s", code)
		}
	}
	for _, o := range []string{"un", "eu", "nato", "au", "arableague", "opec", "iaea", "who", "icrc"} {
		if !slices.ContainsFunc(d.Orgs, func(x Org) bool { return x.ID == o }) {
			t.Errorf("no organisation %s", o)
		}
	}
	phrases := 0
	for _, s := range d.Sectors {
		phrases += len(s.Phrases)
	}
	titles := 0
	for _, s := range d.Titles {
		titles += len(s.Phrases)
	}
	t.Logf("dictionary: %d countries (%d UN members), %d organisations and groups, %d sectors (%d phrases), %d titles",
		len(d.Countries), members, len(d.Orgs), len(d.Sectors), phrases, titles)
}

func TestActorRecognition(t *testing.T) {
	known := Known{Actors: []kg.Actor{
		{ID: "usa", Name: "United States", Kind: kg.KindState, Country: "USA", CAMEOCode: "USA", Aliases: []string{"U.S."}},
		{ID: "rus-mil", Name: "Russian military", Kind: kg.KindMilitary, Country: "RUS", CAMEOCode: "RUSMIL"},
	}}
	for _, tc := range []struct {
		text string
		want []string // actor ids of the sentence's mentions, in order
	}{
		{"Moscow said it would respond.", []string{"coder-rus"}},
		{"Troops arrived in Moscow.", nil},
		{"Russian warplanes struck the town.", []string{"rus-mil"}},
		{"Syrian rebels said they held the town.", []string{"coder-syr-reb"}},
		{"Syrian government forces advanced.", []string{"coder-syr-mil"}},
		{"U.S. officials declined to comment.", []string{"coder-usa-gov"}},
		{"Ukraine's air force denied it.", []string{"coder-ukr-mil"}},
		{"Authorities in Azerbaijan said so.", []string{"coder-aze-gov"}},
		{"The Government of Somalia said so.", []string{"coder-som-gov"}},
		{"Ankara and Washington disagreed.", []string{"coder-tur", "usa"}},
		{"The U.N. and NATO met.", []string{"coder-org-un", "coder-org-nato"}},
		{"WHO said who was sick.", []string{"coder-org-who"}},
		{"Hamas militants fired rockets.", []string{"coder-org-hamas"}},
		{"Secretary of State John Kerry spoke.", []string{"coder-person-john-kerry"}},
		{"Russian President Vladimir Putin spoke.", []string{"coder-person-vladimir-putin"}},
		{"A pro-Russian rebel commander spoke.", nil},
		{"Ukrainian military planes flew.", []string{"coder-ukr-mil"}},
		{"No military planes flew.", nil},
	} {
		c, _ := Default()
		r := c.newRun(Document{Text: tc.text, SourceID: "x", Published: testDate}, known)
		var got []string
		for i := range r.sents {
			r.cur = &r.sents[i]
			for _, m := range r.scanMentions(&r.sents[i]) {
				if m.pronoun != "" {
					continue
				}
				for _, rf := range m.refs {
					if !rf.place {
						got = append(got, rf.id)
					}
				}
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%q: mentions %q, want %q", tc.text, got, tc.want)
		}
	}
}

func TestSectorActorsAndRoles(t *testing.T) {
	res := code(t, "MOSCOW – Russian warplanes bombed Syrian rebels, and U.S. Secretary of State John Kerry condemned Russia.", Known{})
	byID := map[string]kg.Actor{}
	for _, a := range res.Actors {
		byID[a.ID] = a
	}
	if a := byID["coder-rus-mil"]; a.CAMEOCode != "RUSMIL" || a.Kind != kg.KindMilitary || a.Country != "RUS" {
		t.Errorf("Russian warplanes: %+v, want a RUSMIL military of RUS", a)
	}
	if a := byID["coder-syr-reb"]; a.CAMEOCode != "SYRREB" || a.Kind != kg.KindArmedGroup {
		t.Errorf("Syrian rebels: %+v, want an SYRREB armed group", a)
	}
	if len(rels(res, kg.PartOf, "coder-rus-mil", "coder-rus")) != 1 {
		t.Errorf("no PART_OF Russian military -> Russia:\n%s", dump(res))
	}
	if len(rels(res, kg.PartOf, "coder-syr-reb", "")) != 0 {
		t.Errorf("rebels are not part of the state:\n%s", dump(res))
	}
	hr := rels(res, kg.HoldsRole, "coder-person-john-kerry", "coder-usa-gov")
	if len(hr) != 1 || hr[0].Role != "Secretary of State" {
		t.Errorf("want HOLDS_ROLE Kerry -> U.S. government (Secretary of State):\n%s", dump(res))
	}
	if len(rels(res, kg.Attacks, "coder-rus-mil", "coder-syr-reb")) != 1 {
		t.Errorf("want ATTACKS Russian military -> Syrian rebels:\n%s", dump(res))
	}
	if r := rels(res, kg.Attacks, "coder-rus-mil", "coder-syr-reb"); len(r) == 1 && r[0].CAMEO != "195" {
		t.Errorf("bombed: CAMEO %s, want 195 (aerial weapons)", r[0].CAMEO)
	}
	if len(rels(res, kg.Criticizes, "coder-person-john-kerry", "coder-rus")) != 1 {
		t.Errorf("want CRITICIZES Kerry -> Russia:\n%s", dump(res))
	}
}

func TestPersonOfOrganisation(t *testing.T) {
	res := code(t, "The Russian military said it was ready. Lt. Gen. Viktor Poznikhir of the military's General Staff said Russia blamed the U.S. He denied it.", Known{})
	hr := rels(res, kg.HoldsRole, "coder-person-viktor-poznikhir", "coder-rus-mil")
	if len(hr) != 1 || hr[0].Role != "Lt. Gen." {
		t.Errorf("want HOLDS_ROLE Poznikhir -> the Russian military (Lt. Gen.):\n%s", dump(res))
	}
	res = code(t, "Russia and Turkey agreed to a truce. The U.N. said so.", Known{})
	if len(rels(res, kg.PartyTo, "coder-rus", "coder-tur")) != 1 {
		t.Errorf("want PARTY_TO Russia -> Turkey:\n%s", dump(res))
	}
}

func TestPronouns(t *testing.T) {
	res := code(t, "General Ali Hassan met Kenyan officials. He accused Ethiopia of shelling the border town.", Known{})
	if len(rels(res, kg.Accuses, "coder-person-ali-hassan", "coder-eth")) != 1 {
		t.Errorf("he = the last named person:\n%s", dump(res))
	}
	res = code(t, "Ukraine said it shot down Russian drones.", Known{})
	if len(rels(res, kg.Attacks, "coder-ukr", "coder-rus-mil")) != 1 {
		t.Errorf("it (in reported speech) = the speaker:\n%s", dump(res))
	}
}

// TestPatterns runs the verb patterns on sentences of their own, one
// construction each.
func TestPatterns(t *testing.T) {
	type want struct {
		typ         kg.RelationType
		from, to    string
		attribution kg.Attribution
		claimedBy   string
		status      kg.Status
		condition   string
		cameo       string
	}
	for _, tc := range []struct {
		text string
		want []want
		none []kg.RelationType // types that must not be proposed
	}{
		{"Ukraine accused Russia of shelling Kharkiv.", []want{
			{kg.Accuses, "coder-ukr", "coder-rus", kg.Asserted, "", kg.Actual, "", "112"},
			{kg.Attacks, "coder-rus", "coder-ukr", kg.Alleged, "coder-ukr", kg.Actual, "", "194"}}, nil},
		{"The U.S. blamed Iran for an attack on Israel.", []want{
			{kg.Accuses, "coder-usa", "coder-irn", kg.Asserted, "", kg.Actual, "", "112"},
			{kg.Attacks, "coder-irn", "coder-isr", kg.Alleged, "coder-usa", kg.Actual, "", "190"}}, nil},
		{"The U.S. blamed Iran for an attack on Israel, accusations Tehran has denied.", []want{
			{kg.Denies, "coder-irn", "coder-usa", kg.Asserted, "", kg.Actual, "", "016"}}, nil},
		{"Pakistan accused India of an airstrike. India denied the accusation.", []want{
			{kg.Denies, "coder-ind", "coder-pak", kg.Asserted, "", kg.Actual, "", "016"}}, nil},
		{"India denied it.", nil, []kg.RelationType{kg.Denies}},
		{"Syrian government forces backed by Russian warplanes attacked Syrian rebels.", []want{
			{kg.Backs, "coder-rus-mil", "coder-syr-mil", kg.Asserted, "", kg.Actual, "", "062"},
			{kg.Attacks, "coder-syr-mil", "coder-syr-reb", kg.Asserted, "", kg.Actual, "", "190"}}, nil},
		{"Syrian rebels attacked a base. The rebels later attacked Turkish troops.", []want{
			{kg.Attacks, "coder-syr-reb", "coder-tur-mil", kg.Asserted, "", kg.Actual, "", "190"}}, nil},
		{"Iran-backed Houthis attacked U.S. troops.", []want{
			{kg.Backs, "coder-irn", "coder-org-houthis", kg.Asserted, "", kg.Actual, "", "050"},
			{kg.Attacks, "coder-org-houthis", "coder-usa-mil", kg.Asserted, "", kg.Actual, "", "190"}}, nil},
		{"Egypt brokered a truce between Israel and Hamas.", []want{
			{kg.Brokers, "coder-egy", "coder-isr", kg.Asserted, "", kg.Actual, "", "045"},
			{kg.Brokers, "coder-egy", "coder-org-hamas", kg.Asserted, "", kg.Actual, "", "045"}}, nil},
		{"The deal brokered last week collapsed.", nil, []kg.RelationType{kg.Brokers}},
		{"Turkey and Russia signed an agreement.", []want{
			{kg.PartyTo, "coder-tur", "coder-rus", kg.Asserted, "", kg.Actual, "", "057"},
			{kg.PartyTo, "coder-rus", "coder-tur", kg.Asserted, "", kg.Actual, "", "057"}}, nil},
		{"Russia threatened to cut ties with Ukraine unless Kyiv withdraws its troops.", []want{
			{kg.Threatens, "coder-rus", "coder-ukr", kg.Asserted, "", kg.Conditional, "unless Kyiv withdraws its troops", "1313"}},
			[]kg.RelationType{kg.ReducesRelations}},
		{"China warned Taiwan.", []want{{kg.Threatens, "coder-chn", "coder-twn", kg.Asserted, "", kg.Actual, "", "130"}}, nil},
		{"The Russian side is ready to resume talks with Ukraine.", []want{
			{kg.OffersTalks, "coder-rus", "coder-ukr", kg.Asserted, "", kg.Actual, "", "036"}}, nil},
		{"Putin met with Erdogan's envoys in Ankara. Russia met Turkey.", []want{
			{kg.Consults, "coder-rus", "coder-tur", kg.Asserted, "", kg.Actual, "", "040"}}, nil},
		{"Russia will attack Ukraine.", []want{{kg.Attacks, "coder-rus", "coder-ukr", kg.Asserted, "", kg.Planned, "", "190"}}, nil},
		{"Russia is preparing to strike Ukraine.", []want{{kg.Attacks, "coder-rus", "coder-ukr", kg.Asserted, "", kg.Planned, "", "190"}}, nil},
		{"Russia did not attack Ukraine.", []want{{kg.Attacks, "coder-rus", "coder-ukr", kg.Asserted, "", kg.Negated, "", "190"}}, nil},
		{"Russia never attacked Ukraine.", []want{{kg.Attacks, "coder-rus", "coder-ukr", kg.Asserted, "", kg.Negated, "", "190"}}, nil},
		{"Russia could attack Ukraine.", []want{{kg.Attacks, "coder-rus", "coder-ukr", kg.Asserted, "", kg.Hypothetical, "", "190"}}, nil},
		{"Russia would attack Ukraine if NATO expands.", []want{
			{kg.Attacks, "coder-rus", "coder-ukr", kg.Asserted, "", kg.Conditional, "if NATO expands", "190"}}, nil},
		{"Kenya said Somali militants attacked its troops.", []want{
			{kg.Attacks, "coder-som-reb", "coder-ken-mil", kg.Alleged, "coder-ken", kg.Actual, "", "190"},
			{kg.Accuses, "coder-ken", "coder-som-reb", kg.Asserted, "", kg.Actual, "", "112"}}, nil},
		{"Kenya alleged that Somali militants are preparing to attack its troops.", []want{
			{kg.Attacks, "coder-som-reb", "coder-ken-mil", kg.Alleged, "coder-ken", kg.Planned, "", "190"},
			{kg.Accuses, "coder-ken", "coder-som-reb", kg.Asserted, "", kg.Actual, "", "112"}}, nil},
		{"Israel said its troops attacked Hamas.", []want{
			{kg.Attacks, "coder-isr-mil", "coder-org-hamas", kg.Alleged, "coder-isr", kg.Actual, "", "190"}},
			[]kg.RelationType{kg.Accuses}},
		{"Syrian rebels have integrated with al-Qaida, Damascus said.", []want{
			{kg.AffiliatedWith, "coder-syr-reb", "coder-org-alqaida", kg.Alleged, "coder-syr", kg.Actual, "", ""}}, nil},
		{"China urged the United States to show restraint.", []want{
			{kg.Requests, "coder-chn", "coder-usa", kg.Asserted, "", kg.Actual, "", "020"}}, nil},
		{"The EU imposed sanctions on Russia.", []want{
			{kg.ReducesRelations, "coder-org-eu", "coder-rus", kg.Asserted, "", kg.Actual, "", "163"}}, nil},
		{"Rebels attacked a village. France condemned the attack.", nil, nil},
		{"Sudanese rebels besieged El Fasher.", nil, nil},
		{"He traveled to Moscow to attack the plan.", nil, []kg.RelationType{kg.Attacks}},
		{"Russia launched an offensive against Ukraine.", []want{
			{kg.Attacks, "coder-rus", "coder-ukr", kg.Asserted, "", kg.Actual, "", "190"}}, nil},
		{"Russian and Syrian government attacks on Turkey continued.", []want{
			{kg.Attacks, "coder-rus", "coder-tur", kg.Asserted, "", kg.Actual, "", "190"},
			{kg.Attacks, "coder-syr-gov", "coder-tur", kg.Asserted, "", kg.Actual, "", "190"}}, nil},
		{"Fighting between Armenia and Azerbaijan erupted.", []want{
			{kg.Attacks, "coder-arm", "coder-aze", kg.Asserted, "", kg.Actual, "", "190"},
			{kg.Attacks, "coder-aze", "coder-arm", kg.Asserted, "", kg.Actual, "", "190"}}, nil},
	} {
		res := code(t, tc.text, Known{})
		for _, w := range tc.want {
			found := false
			for _, r := range res.Relations {
				if r.Type == w.typ && (w.from == "" || r.From == w.from) && (w.to == "" || r.To == w.to) &&
					r.Attribution == w.attribution && r.ClaimedBy == w.claimedBy && r.Status == w.status &&
					r.Condition == w.condition && r.CAMEO == w.cameo {
					found = true
				}
			}
			if !found {
				t.Errorf("%q: no %+v in\n%s", tc.text, w, dump(res))
			}
		}
		for _, typ := range tc.none {
			if rs := rels(res, typ, "", ""); len(rs) > 0 {
				t.Errorf("%q: unexpected %s in\n%s", tc.text, typ, dump(res))
			}
		}
	}
}

func TestAllegesAndDeniesLinks(t *testing.T) {
	res := code(t, "The U.S. blamed Russia for an attack on Georgia, accusations Moscow has denied.", Known{})
	acc := rels(res, kg.Accuses, "coder-usa", "coder-rus")
	den := rels(res, kg.Denies, "coder-rus", "coder-usa")
	if len(acc) != 1 || len(den) != 1 {
		t.Fatalf("want one accusation and one denial:\n%s", dump(res))
	}
	act := rels(res, kg.Attacks, "coder-rus", "coder-geo")
	if len(act) != 1 || acc[0].Alleges != act[0].ID {
		t.Errorf("alleges = %q, want the attack's id:\n%s", acc[0].Alleges, dump(res))
	}
	if den[0].Denies != acc[0].ID {
		t.Errorf("denies = %q, want the accusation's id %q", den[0].Denies, acc[0].ID)
	}
}

func TestEvidenceDatesAndMerging(t *testing.T) {
	text := "Russia attacked Ukraine on Monday.\nKyiv said Wednesday that Russia attacked Ukraine.\nRussia attacked Ukraine on Monday.\nRussia attacked Ukraine last week."
	res := code(t, text, Known{})
	asserted := rels(res, kg.Attacks, "coder-rus", "coder-ukr")
	var a kg.Relation
	for _, r := range asserted {
		if r.Attribution == kg.Asserted {
			a = r
		}
	}
	if len(a.Evidence) != 2 {
		t.Errorf("want one asserted attack with two evidences (the repeated line adds none):\n%s%+v", dump(res), a.Evidence)
	}
	if a.Occurred != (kg.Date{Date: "2016-09-26", Precision: kg.PrecisionDay}) {
		t.Errorf("occurred %v, want Monday 2016-09-26", a.Occurred)
	}
	if a.Reported != (kg.Date{Date: "2016-09-28", Precision: kg.PrecisionDay}) {
		t.Errorf("reported %v, want the published date", a.Reported)
	}
	runes := []rune(text)
	for _, r := range res.Relations {
		for _, e := range r.Evidence {
			if string(runes[e.Start:e.End]) != e.Quote {
				t.Errorf("%s: evidence %q does not match [%d,%d)", r.ID, e.Quote, e.Start, e.End)
			}
		}
	}
	// Deterministic: the same document gives the same result.
	again := code(t, text, Known{})
	if !reflect.DeepEqual(res, again) {
		t.Error("coding the same document twice gave different results")
	}
}

func TestKnownActorsByCode(t *testing.T) {
	known := Known{Actors: []kg.Actor{
		{ID: "syria", Name: "Syria", Kind: kg.KindState, Country: "SYR", CAMEOCode: "SYR"},
		{ID: "rebels", Name: "Free fighters", Kind: kg.KindArmedGroup, Country: "SYR", CAMEOCode: "SYRREB"},
		{ID: "gov", Name: "Assad government", Kind: kg.KindGovernment, Country: "SYR", CAMEOCode: "SYRGOV"},
	}}
	res := code(t, "Syrian government troops shelled the rebels. Damascus blamed the rebels.", known)
	if len(rels(res, kg.Attacks, "coder-syr-mil", "rebels")) != 1 {
		t.Errorf("want ATTACKS Syrian military -> rebels (a known SYRREB actor):\n%s", dump(res))
	}
	if len(rels(res, kg.PartOf, "coder-syr-mil", "syria")) != 1 {
		t.Errorf("a created sector actor is PART_OF the known state:\n%s", dump(res))
	}
	if len(rels(res, kg.Accuses, "syria", "rebels")) != 1 {
		t.Errorf("Damascus = the known state; the rebels = the known SYRREB actor:\n%s", dump(res))
	}
}

func TestCodeErrors(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, doc := range []Document{
		{Text: "x", Published: testDate},
		{Text: "x", SourceID: "s"},
		{Text: "\xff", SourceID: "s", Published: testDate},
	} {
		if _, err := c.Code(doc, nil); err == nil {
			t.Errorf("Code(%+v) succeeded, want an error", doc)
		}
	}
}

// TestRulesDocumented checks that data/README.md documents every rule id.
func TestRulesDocumented(t *testing.T) {
	b, err := os.ReadFile("data/README.md")
	if err != nil {
		t.Fatal(err)
	}
	p, err := DefaultPatterns()
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{"accuse.reported", "accuse.alleged-that", "act.attack-anaphor", "act.attack-victim",
		"actor.sector", "actor.org", "actor.title", "control.held", "affiliate.possessive"}
	for _, r := range p.Rules {
		ids = append(ids, r.ID)
	}
	for _, id := range ids {
		if !strings.Contains(string(b), "`"+id+"`") {
			t.Errorf("rule %s is not documented in data/README.md", id)
		}
	}
}
