package coder

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/actorgraph/actorgraph/internal/coder/corenlp"
	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/seed"
)

// The parse coder's tests need a CoreNLP server (nlp-launcher/corenlpctl
// start; CORENLP_URL). Without one they skip, except under CI=true.
func parseCoder(t testing.TB) *ParseCoder {
	t.Helper()
	u := os.Getenv("CORENLP_URL")
	if u == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but CORENLP_URL is not set (start nlp-launcher/corenlpctl)")
		}
		t.Skip("CORENLP_URL not set: start a server with nlp-launcher/corenlpctl start")
	}
	cl, err := corenlp.New(u)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	pc, err := NewParseCoder(c, cl)
	if err != nil {
		t.Fatal(err)
	}
	return pc
}

// seedKnown is the curated graph's actors and places: a knowledge base the
// sentences' actors resolve against.
func seedKnown(t testing.TB) Known {
	g, err := seed.Graph()
	if err != nil {
		t.Fatal(err)
	}
	return Known{Actors: g.Actors, Places: g.Places}
}

func codeText(t testing.TB, pc *ParseCoder, text string, known Known) *Result {
	t.Helper()
	res, err := pc.CodeContext(context.Background(), Document{Text: text, SourceID: "test", Published: time.Date(2016, 9, 28, 0, 0, 0, 0, time.UTC)}, known)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// describe renders a relation with actor names, for messages and matching.
func describe(res *Result, known Known, r kg.Relation) string {
	name := func(id string) string {
		for _, a := range res.Actors {
			if a.ID == id {
				return a.Name
			}
		}
		for _, a := range known.Actors {
			if a.ID == id {
				return a.Name
			}
		}
		for _, p := range append(slices.Clone(known.Places), res.Places...) {
			if p.ID == id {
				return p.Name
			}
		}
		return id
	}
	s := name(r.From) + " " + string(r.Type) + " " + name(r.To) + " " + string(r.Status)
	if r.Attribution == kg.Alleged {
		s += " ALLEGED by " + name(r.ClaimedBy)
	}
	return s
}

func TestParseDebug(t *testing.T) {
	text := os.Getenv("PARSE_DEBUG")
	if text == "" {
		t.Skip("PARSE_DEBUG not set")
	}
	pc := parseCoder(t)
	known := seedKnown(t)
	if os.Getenv("PARSE_FRESH") != "" {
		known = Known{}
	}
	if f, err := os.ReadFile(text); err == nil {
		text = string(f)
	}
	res := codeText(t, pc, text, known)
	for _, r := range res.Relations {
		t.Logf("%-60s %s conf %.2f", describe(res, known, r), r.Provenance.Detail, r.Provenance.Confidence)
	}
	for _, a := range res.Actors {
		t.Logf("new actor %s %s %s", a.ID, a.Name, a.Kind)
	}
}

// TestParseSentences: each case is a sentence of news English the parse
// coder must code (want: relations rendered by describe) and must not
// (never). The actors resolve against the seed graph's actors (a knowledge
// base) or are created from the dictionary and NER.
func TestParseSentences(t *testing.T) {
	pc := parseCoder(t)
	known := seedKnown(t)
	cases := []struct {
		name, text  string
		want, never []string
	}{
		{"coordinated subjects and objects",
			"Turkish and Iraqi warplanes bombed Kurdish militants and Islamic State fighters on Tuesday.",
			[]string{"Turkish military ATTACKS Islamic State ACTUAL", "Iraqi military ATTACKS Islamic State ACTUAL"}, nil},
		{"passive with agent",
			"The village was attacked by Islamic State fighters, residents said.",
			nil, []string{"ATTACKS Residents ACTUAL"}},
		{"participle agent phrase is not inverted",
			"Kurdish fighters, backed by American warplanes, attacked Islamic State positions near Raqqa.",
			[]string{"military BACKS"}, []string{"BACKS American military", "BACKS U.S. military"}},
		{"reported speech is alleged, with the implied accusation",
			"Ukraine said Russian troops shelled the town of Avdiivka on Sunday.",
			[]string{"Russian military ATTACKS Avdiivka ACTUAL ALLEGED by Ukraine", "Ukraine ACCUSES Russian military ACTUAL"},
			[]string{"Russian military ATTACKS Avdiivka ACTUAL\x00"}},
		{"the content of a claim noun is the claimant's claim, a purpose within it too",
			"Ankara rejected Damascus's accusations that Turkish soldiers had entered Syria to support the rebels.",
			nil, []string{"Turkish military BACKS Syrian rebels ACTUAL\x00", "Turkey BACKS Syrian rebels ACTUAL\x00"}},
		{"negation",
			"Iran did not attack Israel, officials said.",
			nil, []string{"Iran ATTACKS Israel ACTUAL"}},
		{"plan",
			"Turkey plans to attack Kurdish militants in northern Syria.",
			[]string{"Turkey ATTACKS", "PLANNED"}, []string{"ATTACKS Kurdish militants ACTUAL"}},
		{"blame keeps the victim out of it",
			"The U.S. blamed Russia for an attack on a humanitarian convoy.",
			[]string{"United States ACCUSES Russia ACTUAL"}, []string{"ATTACKS United States"}},
		{"titled person from NER",
			"Ukrainian Foreign Minister Dmytro Kuleba accused Russia of shelling Kharkiv.",
			[]string{"Dmytro Kuleba ACCUSES Russia ACTUAL", "Dmytro Kuleba HOLDS_ROLE"}, nil},
		{"coreference",
			"Kenya's defense minister, Raychelle Omamo, visited Mogadishu on Monday. She said Kenya would support the Somali army.",
			[]string{"BACKS Somali military", "ALLEGED by Raychelle Omamo"}, nil},
		{"pointed non-response",
			"Zakharova didn't make any reference to Blinken's statement.",
			[]string{"Zakharova RESPONDS_TO Blinken NEGATED"}, nil},
		{"closing parenthetical names the speaker",
			"Ethiopia has agreed to reopen its border with Eritrea, Kenyan officials said on Monday.",
			[]string{"Ethiopia EXPRESS_INTENT_TO_COOPERATE Eritrea ACTUAL ALLEGED by Kenya"}, []string{"Eritrea ACTUAL\n"}},
		{"closing parenthetical with an unknown speaker is never a fact",
			"Ethiopia has agreed to reopen its border with Eritrea, a statement issued on Monday said.",
			nil, []string{"Ethiopia EXPRESS_INTENT_TO_COOPERATE Eritrea ACTUAL\x00"}},
		{"coordinated nationality modifiers",
			"The Turkish and Greek sides of the island have agreed to cooperate on missing persons.",
			[]string{"Turkey EXPRESS_INTENT_TO_COOPERATE Greece", "Greece EXPRESS_INTENT_TO_COOPERATE Turkey"}, nil},
		{"an event noun under continue/resume is the light verb's subject's act",
			"Japan has promised to continue economic aid to the Philippines.",
			[]string{"Japan BACKS Philippines PLANNED", "Japan EXPRESS_INTENT_TO_COOPERATE"}, nil},
		{"a future act of aid is an intent to provide aid",
			"Norway will give Kenya a loan of 20 million dollars.",
			[]string{"Norway EXPRESS_INTENT_TO_COOPERATE Kenya ACTUAL", "Norway BACKS Kenya PLANNED"}, nil},
		{"a future conditional act of force is a threat",
			"Ghana will attack Togo unless Togo withdraws its troops from the border.",
			[]string{"Ghana THREATENS Togo ACTUAL", "Ghana ATTACKS Togo PLANNED"}, []string{"Ghana ATTACKS Togo ACTUAL"}},
		{"an unnamed source claims what it reports",
			"Ugandan police arrested two Kenyan journalists on Friday, witnesses said.",
			[]string{"Kenya ACTUAL ALLEGED by witnesses"}, []string{"ACCUSES", "Kenya ACTUAL\n"}},
		{"a protest addresses the country it happens in",
			"Thousands of Iraqi students demonstrated in Turkey on Sunday.",
			[]string{"Iraqi civilians PROTEST Turkey ACTUAL"}, nil},
		{"what a speaker says another must do is a demand",
			"Egypt said on Monday that Ethiopia must release the detained engineers.",
			[]string{"Egypt REQUESTS Ethiopia ACTUAL"}, []string{"YIELD Ethiopia ACTUAL", "Ethiopia YIELD"}},
		{"what is demanded has not happened",
			"Kenya renewed its demand that Somalia withdraw its troops from the border.",
			[]string{"Kenya REQUESTS Somalia ACTUAL"}, []string{"YIELD Somali military ACTUAL"}},
		{"a withdrawal is from where the troops were",
			"Rwanda will withdraw its soldiers from Burundi next month.",
			[]string{"Rwanda YIELD Burundi PLANNED"}, []string{"YIELD Rwandan military"}},
		{"fundamentalists placed by their nationality are radicals",
			"Algerian fundamentalists demonstrated in Algiers on Friday.",
			[]string{"Algerian radicals PROTEST Algeria ACTUAL"}, nil},
		{"relaxing a curfew eases it",
			"Thailand's government relaxed the curfew in Bangkok on Monday.",
			[]string{"Thai government YIELD Thailand ACTUAL"}, []string{"COERCE"}},
		{"stepping down is a resignation",
			"Peru's prime minister stepped down on Friday.",
			[]string{"Peruvian government YIELD Peru ACTUAL"}, nil},
		{"an agentless arrest is by the state where it was made",
			"Two French journalists were arrested in Iran on Sunday.",
			[]string{"Iran COERCE France ACTUAL"}, nil},
		{"being committed to an act is an intent of the subject",
			"Vietnam is committed to helping Laos.",
			[]string{"Vietnam EXPRESS_INTENT_TO_COOPERATE Laos ACTUAL"}, nil},
		{"what a sum is of, and to whom ('pledged $1 billion in aid to X')",
			"Japan pledged $1 billion in aid to Indonesia.",
			[]string{"Japan EXPRESS_INTENT_TO_COOPERATE Indonesia ACTUAL"}, nil},
		{"a title with its own country is that country's, whatever coreference says; a junta is a government",
			"Iran summoned the British ambassador on Monday. Mali's junta expelled the French ambassador.",
			[]string{"Malian government REDUCES_RELATIONS French government ACTUAL"}, []string{"REDUCES_RELATIONS British"}},
		{"one's own envoy or troops are what one acts with: the target is whom they go to",
			"Iran summoned the British ambassador on Monday. Morocco recalled its ambassador to Algeria. Kenya sent its troops to Somalia.",
			[]string{"Morocco REDUCES_RELATIONS Algeria ACTUAL", "Kenya BACKS Somalia ACTUAL"}, []string{"REDUCES_RELATIONS British", "BACKS Kenyan military"}},
		{"summoning someone to protest is protesting to them",
			"Iran's foreign ministry summoned the British ambassador to protest the seizure of an Iranian tanker.",
			[]string{"Iranian government PROTEST British government ACTUAL"}, []string{"British government PROTEST"}},
		{"a participle the parser took for the main verb ('troops backed by X recaptured ...')",
			"Somali troops backed by Kenyan forces recaptured the town of Kismayo from al-Shabaab.",
			[]string{"Kenyan military BACKS Somali military ACTUAL", "Somali military ATTACKS Kismayo ACTUAL"}, []string{"Somali military BACKS"}},
		{"armed men with no country named who attack a country's forces are of that country",
			"Insurgents killed five Malian soldiers in an ambush near Gao. Two Nigerian policemen were shot dead by gunmen in Kano.",
			[]string{"Malian rebels ATTACKS Malian military ACTUAL", "Nigerian rebels ATTACKS Nigerian police ACTUAL"}, nil},
		{"'it' as the subject of what a speaker says is the speaker, whatever coreference says",
			"The Sudanese army said it repelled an attack. The Ukrainian army said it had retaken the village from Russian forces.",
			[]string{"Ukrainian military ATTACKS Russian military ACTUAL"}, []string{"Sudanese military ATTACKS"}},
		{"the army a government orders is its own, not the last army named",
			"The Sudanese army said it repelled an attack. Ethiopia's prime minister ordered the army to launch an offensive.",
			[]string{"Ethiopian government REQUESTS Ethiopian military ACTUAL"}, []string{"REQUESTS Sudanese military"}},
		{"an object the parser made the subject of a participle ('arrested two Palestinians suspected of ...')",
			"Israeli police arrested two Palestinians suspected of planning an attack.",
			[]string{"Israeli police COERCE Palestine ACTUAL"}, []string{"COERCE Israel ACTUAL"}},
		{"paying someone to do something is asking them: they do it",
			"Qatar paid Sudan to release two Eritrean journalists.",
			[]string{"Sudan YIELD Eritrea ACTUAL"}, []string{"Qatar YIELD"}},
		{"a lawsuit is a complaint",
			"Kenya sued Uganda over the closure of the border.",
			[]string{"Kenya DISAPPROVE Uganda ACTUAL"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := codeText(t, pc, tc.text, known)
			var got []string
			for _, r := range res.Relations {
				got = append(got, describe(res, known, r))
			}
			all := strings.Join(got, "\n") + "\n"
			for _, w := range tc.want {
				for _, part := range strings.Split(w, "\x00") {
					if !strings.Contains(all, part) {
						t.Errorf("want %q in:\n%s", part, all)
					}
				}
			}
			for _, n := range tc.never {
				if strings.Contains(all, strings.TrimSuffix(n, "\x00")+"\n") || !strings.HasSuffix(n, "\x00") && strings.Contains(all, n) {
					t.Errorf("must not propose %q:\n%s", n, all)
				}
			}
		})
	}
}

// TestParseLongerSectorPhrase: with only "Syrian government" known,
// "Syrian government forces" are still the Syrian military, as they are
// when nothing is known: a known name does not cut a longer country-and-
// sector phrase it starts (found as a second ingest of the seed article
// changing what it proposed).
func TestParseLongerSectorPhrase(t *testing.T) {
	pc := parseCoder(t)
	text := "Syrian government forces shelled rebel positions near Homs on Friday."
	gov := Known{Actors: []kg.Actor{{ID: "syr-gov", Name: "Syrian government", Kind: kg.KindGovernment, Country: "SYR"}}}
	for _, k := range []Known{{}, gov} {
		res := codeText(t, pc, text, k)
		var from []string
		for _, r := range res.Relations {
			if r.Type == kg.Attacks {
				from = append(from, r.From)
			}
		}
		if len(from) == 0 || slices.Contains(from, "syr-gov") {
			t.Errorf("with %d known actors: attacks from %v, want the Syrian military's only", len(k.Actors), from)
		}
	}
}

// TestParseStoreIndependent: the same article gives the same proposals
// whatever else the store holds (actors the text does not name).
func TestParseStoreIndependent(t *testing.T) {
	pc := parseCoder(t)
	text := "Ukraine said Russian troops shelled the town of Avdiivka on Sunday. Kyiv accused Moscow of violating the ceasefire. Russia denied it."
	a := codeText(t, pc, text, Known{})
	other := Known{Actors: []kg.Actor{{ID: "bolivian-army", Name: "Bolivian Army", Kind: kg.KindMilitary, Country: "BOL", CAMEOCode: "BOLMIL"},
		{ID: "some-ngo", Name: "Friends of the Andes", Kind: kg.KindOther}}}
	b := codeText(t, pc, text, other)
	render := func(res *Result, k Known) []string {
		var out []string
		for _, r := range res.Relations {
			out = append(out, describe(res, k, r)+" "+r.Provenance.Detail)
		}
		slices.Sort(out)
		return out
	}
	if ra, rb := render(a, Known{}), render(b, other); !slices.Equal(ra, rb) || len(ra) == 0 {
		t.Errorf("proposals differ with unrelated actors in the store:\n%v\nvs\n%v", ra, rb)
	}
}

// TestParseLexicon: a sentence of its own for each event word added in the
// third tuning round (data/events.tsv), all coded from one document so
// that CI pays one CoreNLP call; each want fails when its word is removed.
func TestParseLexicon(t *testing.T) {
	pc := parseCoder(t)
	cases := []struct{ text, want string }{
		{"Kenya congratulated Tanzania on its peaceful election.", "Kenya BACKS Tanzania ACTUAL [051]"},
		{"Brazil hailed Argentina for its economic reforms.", "Brazil BACKS Argentina ACTUAL [051]"},
		{"Chile ratified a trade treaty with Peru.", "Chile PARTY_TO Peru ACTUAL [057]"},
		{"Spain extradited two suspects to France.", "Spain BACKS France ACTUAL [063]"},
		{"Iran pardoned two British journalists.", "Iran YIELD United Kingdom ACTUAL [0841]"},
		{"Angolan rebels demobilized in March.", "Angolan rebels YIELD Angola ACTUAL [0873]"},
		{"Ethiopia announced a ceasefire with Eritrea.", "Ethiopia YIELD Eritrea ACTUAL [0871]"},
		{"Uganda announced a truce with the Congolese army.", "Uganda YIELD Congolese military ACTUAL [0871]"},
		{"Pakistan lambasted India over the dam.", "Pakistan CRITICIZES India ACTUAL [111]"},
		{"Cuba spurned an offer from Mexico.", "Cuba REJECTS Mexico ACTUAL [120]"},
		{"Japan snubbed South Korea at the conference.", "Japan REJECTS South Korea ACTUAL [120]"},
		{"A Chinese court sentenced a Canadian citizen to death.", "Chinese judiciary COERCE Canada ACTUAL [173]"},
		{"A Russian court convicted an American journalist.", "Russian judiciary COERCE United States ACTUAL [173]"},
		{"Bahrain outlawed the Bahraini opposition.", "Bahrain COERCE Bahraini opposition ACTUAL [1722]"},
		{"Vietnam and Laos held a summit in Hanoi.", "Vietnam CONSULTS Laos ACTUAL [040]"},
		{"Venezuela broke off relations with Colombia.", "Venezuela REDUCES_RELATIONS Colombia ACTUAL [161]"},
		{"Armenia ruled out talks with Azerbaijan.", "Armenia REJECTS Azerbaijan ACTUAL [120]"},
		{"Croatia turned down an offer from Slovenia.", "Croatia REJECTS Slovenia ACTUAL [120]"},
		{"Ghana called off talks with Togo.", "Ghana REDUCES_RELATIONS Togo ACTUAL [164]"},
		{"The Malian rebels backed down on Sunday.", "Malian rebels YIELD Mali ACTUAL [080]"},
		{"The Somali rebels gave up after a week.", "Somali rebels YIELD Somalia ACTUAL [080]"},
		{"Afghan militants carried out a suicide bombing in Kandahar.", "Afghan rebels ATTACKS Kandahar ACTUAL [183]"},
		{"Iraqi insurgents staged a car bombing in Basra.", "Iraqi rebels ATTACKS Basra ACTUAL [183]"},
		{"Taliban fighters mounted a roadside bombing in Helmand.", "ATTACKS Helmand ACTUAL [183]"},
		{"Pakistani militants launched a suicide attack in Peshawar.", "Pakistani rebels ATTACKS Peshawar ACTUAL [183]"},
		{"Britain apologised to Kenya for colonial abuses.", "United Kingdom BACKS Kenya ACTUAL [055]"},
		{"India and Pakistan exchanged fire along the border.", "Pakistan ATTACKS India ACTUAL [190]"},
		{"Armenia and Azerbaijan traded accusations on Monday.", "Azerbaijan ACCUSES Armenia ACTUAL [112]"},
		{"Norway reprimanded Sweden over the fishing dispute.", "Norway CRITICIZES Sweden ACTUAL [111]"},
		{"Zimbabwean police rounded up opposition supporters.", "Zimbabwean police COERCE Zimbabwe ACTUAL [173]"},
		{"Yemeni gunmen hijacked a Saudi airliner.", "ATTACKS Saudi Arabia ACTUAL [181]"},
		{"Colombian soldiers gunned down two Venezuelan smugglers.", "Colombian military ATTACKS Venezuela ACTUAL [180]"},
	}
	var text strings.Builder
	for _, c := range cases {
		text.WriteString(c.text + " ")
	}
	res := codeText(t, pc, text.String(), Known{})
	validateResult(t, testSource(text.String()), Known{}, res)
	var got []string
	for _, r := range res.Relations {
		got = append(got, describe(res, Known{}, r)+" ["+r.CAMEO+"]")
	}
	all := strings.Join(got, "\n") + "\n"
	for _, c := range cases {
		if !strings.Contains(all, c.want) {
			t.Errorf("%q: want %q in:\n%s", c.text, c.want, all)
		}
	}
}

// TestParseKnownRoles: the title before a person the store already knows is
// evidence of the role they hold, proposed as for a new person.
func TestParseKnownRoles(t *testing.T) {
	pc := parseCoder(t)
	known := Known{Actors: []kg.Actor{{ID: "dmytro-kuleba", Name: "Dmytro Kuleba", Kind: kg.KindPerson, Country: "UKR"}}}
	text := "Ukrainian Foreign Minister Dmytro Kuleba met Turkish officials in Ankara on Monday."
	res := codeText(t, pc, text, known)
	validateResult(t, testSource(text), known, res)
	var got []string
	for _, r := range res.Relations {
		got = append(got, describe(res, known, r))
	}
	all := strings.Join(got, "\n")
	if !strings.Contains(all, "Dmytro Kuleba HOLDS_ROLE Ukrainian government ACTUAL") {
		t.Errorf("want the known person's role in:\n%s", all)
	}
	for _, a := range res.Actors {
		if a.Kind == kg.KindPerson {
			t.Errorf("the known person was made anew: %+v", a)
		}
	}
}

// testSource is the source codeText's documents stand for.
func testSource(text string) kg.Source {
	sum := sha256.Sum256([]byte(text))
	return kg.Source{ID: "test", Title: "test", Publisher: "test", Published: "2016-09-28", Text: text, SHA256: hex.EncodeToString(sum[:])}
}
