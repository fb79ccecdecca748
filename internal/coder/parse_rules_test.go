package coder

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// TestParseRulesPLOVER: a case for each general rule of the parse coder
// that was written while tuning on the PLOVER gold standard's tuning half
// (odd positions; the test half is never looked at). Each case is one
// sentence of that half, by position, coded from a fresh store; want and
// never are relations rendered by describe followed by " [CAMEO code]";
// a want without a code must match up to the code. events: CAMEO codes
// the events of named words must have (for rules whose relation needs more
// than the sentence gives, such as a source the dictionaries lack).
// It needs CoreNLP (CORENLP_URL), or CORENLP_CACHE holding its answers for
// these sentences, and ../shared/data/plover.
func TestParseRulesPLOVER(t *testing.T) {
	pc := parseCoder(t)
	recs := ploverRecords(t)
	cases := []struct {
		name        string
		pos         int // 1-based position among the non-DOCUMENT records; odd only
		want, never []string
		events      map[string]string // word -> CAMEO code of its event ("": no event)
	}{
		{"a country after a non-locative preposition is the state (hand over to X)", 5,
			[]string{"Libya YIELD United Kingdom PLANNED ALLEGED by Egypt"}, nil, nil},
		{"a bare title stands for its country's government", 43,
			[]string{"Taiwanese government CONSULTS Russia ACTUAL"}, nil, nil},
		{"'according to' an unnamed source: alleged, claimed by it", 67,
			[]string{"Israeli intelligence BACKS United States ACTUAL ALLEGED by governmental officials"}, nil, nil},
		{"coreference resolves a mention no event has resolved ('its demand')", 137,
			[]string{"International Labor Office REQUESTS Israel ACTUAL"}, nil, nil},
		{"a surrender with no one named is to the source's own state", 97,
			[]string{"Ugandan rebels YIELD Uganda ACTUAL ALLEGED by local official"}, nil, nil},
		{"a protest with no one named addresses the protesters' state; a sector placed in a country", 229,
			[]string{"Indonesian civilians PROTEST Indonesia ACTUAL"}, nil, nil},
		{"a return has an object: no home target for it", 1,
			nil, []string{"YIELD Romania"}, nil},
		{"a vow or threat made on a condition targets the condition's subject", 221,
			[]string{"Iran THREATENS Iraq ACTUAL"}, nil, nil},
		{"an organisation's name beats the capital inside it; the condition inside an infinitive", 213,
			[]string{"Russia THREATENS United States ACTUAL ALLEGED by Washington Post"}, []string{"ALLEGED by United States"}, nil},
		{"a curfew is coercion; a capital after a preposition is its state", 209,
			[]string{"Abdelaziz Bouteflicka THREATENS Algeria ACTUAL", "Abdelaziz Bouteflicka COERCE Algeria HYPOTHETICAL"}, nil, nil},
		{"coercion with no one named falls on the source's own state", 283,
			[]string{"Turkish government COERCE Turkey ACTUAL ALLEGED by security sources"}, nil, nil},
		{"armed force on civilians is an assault; militiamen are an armed group; a camp for refugees", 293,
			[]string{"Burundian rebels ATTACKS Congolese civilians ACTUAL ALLEGED by UNHCR [180]"}, nil, nil},
		{"a blocked place is no target of a protest: the protesters' state is; workers are civilians", 241,
			[]string{"French civilians PROTEST France ACTUAL [144]"}, nil, nil},
		{"an organisation's words stand for it ('demands/appeal from X'); rebels in a country are its rebels", 185,
			[]string{"Ivorian rebels REJECTS Laurent Gbago ACTUAL"}, nil, nil},
		{"an announced act is the announcer's; an event noun's target through what it is of ('a suspension of air links with X')", 259,
			[]string{"Italy REDUCES_RELATIONS Serbia ACTUAL [160]"}, nil, nil},
		{"an infinitive's or gerund's subject and status come from its controller, however deep", 253,
			[]string{"Macedonian military ATTACKS Albanian rebels PLANNED"}, nil, nil},
		{"deploying forces in a country places the act there", 173,
			[]string{"Pakistan REJECTS Iraq ACTUAL", "Pakistan EXHIBIT_FORCE_POSTURE Iraq NEGATED"}, nil, nil},
		{"crimes committed by X stand for X", 111,
			[]string{"Serbian military INVESTIGATE Croatian military ACTUAL ALLEGED by newspaper jutarnji list"}, nil, nil},
		{"people, not states, demonstrate and block roads", 245,
			[]string{"Algerian civilians PROTEST Algeria ACTUAL"}, []string{"Algeria PROTEST"}, nil},
		{"a force mobilised for a war is mobilised against the war's target", 257,
			[]string{"British military EXHIBIT_FORCE_POSTURE Iraq ACTUAL"}, []string{"EXHIBIT_FORCE_POSTURE British military"}, nil},
		{"an act announced to happen unless the target complies is a threat", 199,
			[]string{"Nigeria THREATENS Chad ACTUAL ALLEGED by Nigeria [130]"}, []string{"EXPRESS_INTENT_TO_COOPERATE"}, nil},
		{"a protest lodged with someone is an official complaint", 159,
			[]string{"Serbia DISAPPROVE Albania ACTUAL [114]"}, []string{"Serbia PROTEST Albania"}, nil},
		{"a declaration is its issuer's: 'issued a declaration demanding that X ...'", 119,
			[]string{"PKK REQUESTS Turkish government ACTUAL"}, nil, nil},
		{"an object the parser hangs on a bare weekday ('rejected Thursday a UN appeal')", 183,
			[]string{"Lebanon REJECTS United Nations ACTUAL"}, nil, nil},
		{"defending someone's right is verbal support", 55,
			[]string{"United States BACKS Russian military ACTUAL [052]"}, nil, nil},
		{"a country the dictionary knows is the state before it is a new place from NER", 105,
			[]string{"United Nations INVESTIGATE Bosnia and Herzegovina ACTUAL"}, nil, nil},
		{"an unnamed speaker is what its pronouns refer to ('the party said it will boycott ... unless')", 225,
			[]string{"nation party THREATENS Algeria ACTUAL [1312]", "nation party REJECTS Algeria PLANNED"}, nil, nil},
		{"a killing done by an attack is that attack", 321,
			[]string{"United States ATTACKS al-Qaida ACTUAL ALLEGED by pentagon sources [190]"}, nil, nil},
		{"a vow to use force is a threat of it", 219, nil, nil, map[string]string{"sworn": "138"}},
		{"stopping negotiations is halting them", 213, nil, nil, map[string]string{"stop": "164"}},
		{"ending a mediation is halting it (end codes only when it ends a cooperation)", 269,
			nil, nil, map[string]string{"ended": "165"}},
		{"ending a war is no halt of a cooperation", 129, nil, nil, map[string]string{"ending": ""}},
		{"a frame noun carries its compound modifier's event ('a mediation effort')", 49, nil, nil, map[string]string{"effort": "045"}},
		{"two-word event nouns before their head ('hunger strike')", 233, nil, nil, map[string]string{"strike": "142"}},
		{"site nouns: targets in a place", 317,
			[]string{"Israel ATTACKS Jericho ACTUAL ALLEGED by witnesses"}, nil, nil},
		// Third round.
		{"a verb the tagger took for a noun ('they would blockade Paris') reads as a verb", 211,
			[]string{"French civilians BESIEGES France HYPOTHETICAL ALLEGED by French civilians", "French civilians THREATENS France ACTUAL ALLEGED by French civilians"}, nil, nil},
		{"a purpose infinitive is done by its governor's subject, less confidently", 211,
			[]string{"French civilians REQUESTS European Community ACTUAL [100]"}, nil, nil},
		{"sending someone to do something is doing it, where they were sent", 105,
			[]string{"United Nations INVESTIGATE Bosnia and Herzegovina ACTUAL [090]"}, []string{"BACKS"}, nil},
		{"lifting a blockade eases it (0872), on whom it was", 95,
			[]string{"Israeli military YIELD Palestine ACTUAL ALLEGED by officials [0872]"}, []string{"BESIEGES"}, nil},
		{"shortening a curfew eases it (0813); 'the curfew imposed in X' falls on X", 83,
			[]string{"Omar El Bashir YIELD Sudan ACTUAL [0813]"}, []string{"COERCE"}, nil},
		{"phrasal verbs: 'blew up' destroys property; guerillas are rebels", 277,
			[]string{"Afghan rebels COERCE Afghanistan ACTUAL ALLEGED by Ceteka [1712]"}, nil, nil},
		{"hacking into computers is coercion of their owners", 287,
			[]string{"North Korea COERCE South Korean military PLANNED ALLEGED by officials [170]"}, nil, nil},
		{"an order to someone is a demand of them; a judge is the judiciary", 115,
			[]string{"Argentine judiciary REQUESTS Carlos Menem ACTUAL ALLEGED by court sources [100]"}, nil, nil},
		{"what one comes for is one's own act ('return to Geneva for talk')", 47,
			[]string{"Russian government CONSULTS American government ACTUAL [040]", "American government CONSULTS Russian government ACTUAL [040]"}, nil, nil},
		{"a name the parser hangs on a common noun ('the opposition newspaper La Prensa') is whom it names", 281,
			[]string{"Nicaragua REQUESTS La Prensa ACTUAL [100]"}, nil, nil},
		{"a part of a cooperation stands for it ('suspended part of a military aid program for X')", 265,
			[]string{"United States REDUCES_RELATIONS Bosnia and Herzegovina ACTUAL [162]"}, nil, nil},
		{"aid deliveries are aid; halting aid in a capital reduces it to its state", 263,
			[]string{"International Committee of the Red Cross REDUCES_RELATIONS Iraq ACTUAL [162]"}, nil, nil},
		{"refugees fleeing (a war in) a country are its civilians", 15,
			[]string{"United Nations EXPRESS_INTENT_TO_COOPERATE Liberian civilians ACTUAL ALLEGED by World Food Programme [033]"}, nil, nil},
		{"preparing to use force is a show of force against its target", 253,
			[]string{"Macedonian military EXHIBIT_FORCE_POSTURE Albanian rebels ACTUAL [150]"}, nil, nil},
		{"forces a country leads are its own ('Vietnamese-led forces')", 309,
			[]string{"Vietnamese military ATTACKS Cambodia ACTUAL ALLEGED by Thai military [190]"}, nil, nil},
		{"'its European Community partners' are the organisation, not the owner; a country's long form ('Republic of X')", 121,
			[]string{"Greece REQUESTS European Community ACTUAL [100]", "European Community REJECTS North Macedonia HYPOTHETICAL [120]"}, nil, nil},
		{"people with no country named that a country's police act on are of that country", 313,
			[]string{"Egyptian police ATTACKS Egyptian opposition ACTUAL ALLEGED by security sources [190]"}, nil, nil},
		{"withdrawing inspectors is ending an involvement (166), and announcing it a threat", 215,
			[]string{"Kofi Annan REDUCES_RELATIONS Iraq PLANNED ALLEGED by Kofi Annan [166]", "Kofi Annan THREATENS Iraq ACTUAL ALLEGED by Kofi Annan [1313]"},
			[]string{"YIELD"}, nil},
		{"a title's holder hung on it through the office ('the Minister for Interior X')", 89,
			[]string{"Aftab Ahmad Khan Sherpao YIELD Maulana Fazl-ur-Rehman ACTUAL ALLEGED by Pakistan [083]"}, nil, nil},
		{"going back on one's own undertaking rejects whom it was made to ('reneged on his commitment to X')", 177,
			[]string{"Levy Mwanawasa REJECTS Zambia ACTUAL [120]"}, nil, nil},
		{"an infinitive after the object of a verb that is not one of asking or making is the subject's ('summoned X to complain')", 147,
			[]string{"Nigerian government DISAPPROVE Brah Mohamane ACTUAL [114]"}, nil, nil},
		{"a resignation accedes to a change in leadership, to the holder's own state", 103,
			[]string{"Eduard Shevardnadze YIELD Georgia ACTUAL [0831]"}, nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.pos%2 != 1 || tc.pos > len(recs) {
				t.Fatalf("position %d is not in the tuning half", tc.pos)
			}
			rec := recs[tc.pos-1]
			ann, err := cachedAnnotation(pc, rec.ID, rec.Text)
			if err != nil {
				t.Fatal(err)
			}
			doc := Document{Text: rec.Text, SourceID: rec.ID, Published: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)}
			if err := checkDoc(doc); err != nil {
				t.Fatal(err)
			}
			res, pr := pc.code(doc, Known{}, ann)
			var got []string
			for _, r := range res.Relations {
				got = append(got, describe(res, Known{}, r)+" ["+r.CAMEO+"]")
			}
			all := strings.Join(got, "\n") + "\n"
			for _, w := range tc.want {
				if !strings.HasSuffix(w, "]") {
					w += " ["
				}
				if !strings.Contains(all, w) {
					t.Errorf("want %q in:\n%s", w, all)
				}
			}
			for word, code := range tc.events {
				var codes []string
				for _, ps := range pr.sents {
					for _, ev := range ps.acts {
						if ps.cs.Tokens[ev.tok].Word == word {
							codes = append(codes, ev.cameo)
						}
					}
				}
				if code == "" && len(codes) > 0 || code != "" && !slices.Contains(codes, code) {
					t.Errorf("the event of %q has CAMEO %v, want %s", word, codes, code)
				}
			}
			for _, n := range tc.never {
				if strings.Contains(all, n) {
					t.Errorf("must not propose %q:\n%s", n, all)
				}
			}
		})
	}
}
