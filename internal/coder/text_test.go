package coder

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/actorgraph/actorgraph/internal/kg"
)

func testLexicon(t *testing.T) *lexicon {
	t.Helper()
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return c.lex
}

func TestTokenize(t *testing.T) {
	ab := &testLexicon(t).ab
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"U.S. Secretary of State John Kerry", []string{"u.s.", "secretary", "of", "state", "john", "kerry"}},
		{"Lt. Gen. Viktor Poznikhir", []string{"lt.", "gen.", "viktor", "poznikhir"}},
		{"the U.S.-Russian deal brokered Sept. 9", []string{"the", "u.s.", "-", "russian", "deal", "brokered", "sept.", "9"}},
		{"Ukraine's air force", []string{"ukraine", "'s", "air", "force"}},
		{"Syrian rebels’ involvement", []string{"syrian", "rebels", "'s", "involvement"}},
		{"it’s ready; he didn’t", []string{"it", "'s", "ready", ";", "he", "did", "n't"}},
		{"al-Qaida’s branch", []string{"al", "-", "qaida", "'s", "branch"}},
		{"MOSCOW – The", []string{"moscow", "--", "the"}},
		{"“We hope,” he said.", []string{"\"", "we", "hope", ",", "\"", "he", "said", "."}},
		{"N'Djamena and Sana'a, 2,000 people", []string{"n'djamena", "and", "sana'a", ",", "2,000", "people"}},
	} {
		r := []rune(tc.in)
		var got []string
		for _, tk := range tokenize(r, 0, len(r), ab) {
			got = append(got, tk.low)
			if string(r[tk.start:tk.end]) != tk.text {
				t.Errorf("%q: token %q has offsets [%d,%d) = %q", tc.in, tk.text, tk.start, tk.end, string(r[tk.start:tk.end]))
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("tokenize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSplitSentences(t *testing.T) {
	ab := &testLexicon(t).ab
	for _, tc := range []struct {
		name string
		in   string
		want []string // sentences; a "#" prefix marks a headline
	}{
		{"abbreviations", "Lt. Gen. Viktor Poznikhir spoke Sept. 9 to Mr. Smith. He left.",
			[]string{"Lt. Gen. Viktor Poznikhir spoke Sept. 9 to Mr. Smith.", "He left."}},
		{"initialism inside", "Talks with U.S. officials resumed. They failed.",
			[]string{"Talks with U.S. officials resumed.", "They failed."}},
		{"initialism at the end", "Russia wants talks with the U.S. The White House declined.",
			[]string{"Russia wants talks with the U.S.", "The White House declined."}},
		{"quotes", "“We hope so,” he said. “It is over.” Then he left.",
			[]string{"“We hope so,” he said.", "“It is over.”", "Then he left."}},
		{"question inside a quote", "“Why now?” he asked.", []string{"“Why now?” he asked."}},
		{"dateline en dash", "MOSCOW – The Russian military said Wednesday it is ready.",
			[]string{"The Russian military said Wednesday it is ready."}},
		{"dateline with agency", "KYIV, Ukraine (AP) — Ukraine said it shot down drones.",
			[]string{"Ukraine said it shot down drones."}},
		{"no dateline", "General Mykhaylo Koval - in comments to television - did not elaborate.",
			[]string{"General Mykhaylo Koval - in comments to television - did not elaborate."}},
		{"headline and body", "Russian Military Says It's Ready to Talk\n\nThe military said so. Kerry did not.",
			[]string{"#Russian Military Says It's Ready to Talk", "The military said so.", "Kerry did not."}},
		{"line breaks end sentences", "In this file photo, Kerry speaks\nKerry is threatening to cut contacts.",
			[]string{"#In this file photo, Kerry speaks", "Kerry is threatening to cut contacts."}},
	} {
		r := []rune(tc.in)
		var got []string
		for _, s := range splitSentences(r, ab) {
			text := string(r[s.start:s.end])
			if s.headline {
				text = "#" + text
			}
			got = append(got, text)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: splitSentences(%q) =\n  %q\nwant\n  %q", tc.name, tc.in, got, tc.want)
		}
	}
}

func TestRepeatedSentence(t *testing.T) {
	ab := &testLexicon(t).ab
	in := []rune("Kerry is threatening to cut contacts.\nKerry is threatening to cut contacts.\n")
	ss := splitSentences(in, ab)
	if len(ss) != 2 || ss[0].repeat || !ss[1].repeat {
		t.Errorf("repeat flags = %v, %v; want the second sentence marked as a repeat", ss[0].repeat, ss[len(ss)-1].repeat)
	}
}

func TestDates(t *testing.T) {
	ab := &testLexicon(t).ab
	pub := time.Date(2016, 9, 28, 0, 0, 0, 0, time.UTC) // a Wednesday
	for _, tc := range []struct {
		in   string
		want kg.Date
	}{
		{"said Wednesday", kg.Date{Date: "2016-09-28", Precision: kg.PrecisionDay}},
		{"on Monday", kg.Date{Date: "2016-09-26", Precision: kg.PrecisionDay}},
		{"on Thursday", kg.Date{Date: "2016-09-22", Precision: kg.PrecisionDay}},
		{"brokered Sept. 9", kg.Date{Date: "2016-09-09", Precision: kg.PrecisionDay}},
		{"In this Sept. 22, 2016 file photo", kg.Date{Date: "2016-09-22", Precision: kg.PrecisionDay}},
		{"on October 17, 2020", kg.Date{Date: "2020-10-17", Precision: kg.PrecisionDay}},
		{"on Dec. 25", kg.Date{Date: "2015-12-25", Precision: kg.PrecisionDay}},
		{"in the last week", kg.Date{Date: "2016-09-19", Precision: kg.PrecisionWeek}},
		{"this week", kg.Date{Date: "2016-09-26", Precision: kg.PrecisionWeek}},
		{"a week ago", kg.Date{Date: "2016-09-19", Precision: kg.PrecisionWeek}},
		{"two days ago", kg.Date{Date: "2016-09-26", Precision: kg.PrecisionDay}},
		{"yesterday", kg.Date{Date: "2016-09-27", Precision: kg.PrecisionDay}},
		{"last month", kg.Date{Date: "2016-08-01", Precision: kg.PrecisionMonth}},
		{"in June", kg.Date{Date: "2016-06-01", Precision: kg.PrecisionMonth}},
		{"in November", kg.Date{Date: "2015-11-01", Precision: kg.PrecisionMonth}},
		{"in June and in September of last year", kg.Date{Date: "2015-06-01", Precision: kg.PrecisionMonth}},
		{"in March 2011", kg.Date{Date: "2011-03-01", Precision: kg.PrecisionMonth}},
		{"last year", kg.Date{Date: "2015-01-01", Precision: kg.PrecisionYear}},
		{"in 2014", kg.Date{Date: "2014-01-01", Precision: kg.PrecisionYear}},
		{"a 1994 cease-fire", kg.Date{Date: "1994-01-01", Precision: kg.PrecisionYear}},
	} {
		r := []rune(tc.in)
		ds := findDates(tokenize(r, 0, len(r), ab), pub)
		if len(ds) == 0 {
			t.Errorf("findDates(%q) found nothing, want %v", tc.in, tc.want)
			continue
		}
		if ds[0].date != tc.want {
			t.Errorf("findDates(%q) = %v, want %v", tc.in, ds[0].date, tc.want)
		}
	}
	for _, in := range []string{"troops may attack", "the march on the capital", "wednesday", "2,000 people"} {
		r := []rune(in)
		if ds := findDates(tokenize(r, 0, len(r), ab), pub); len(ds) > 0 {
			t.Errorf("findDates(%q) = %v, want none", in, ds)
		}
	}
}

func TestInflect(t *testing.T) {
	irr := map[string][]string{"strike": {"struck", "striking", "strikes"}}
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"attack", []string{"attack", "attacks", "attacked", "attacking"}},
		{"accuse", []string{"accuse", "accuses", "accused", "accusing"}},
		{"deny", []string{"deny", "denies", "denied", "denying"}},
		{"strike", []string{"strike", "struck", "striking", "strikes"}},
		{"call on", []string{"call on", "calls on", "called on", "calling on"}},
		{"besiege", []string{"besiege", "besieges", "besieged", "besieging"}},
	} {
		if got := inflect(tc.in, irr); !slices.Equal(got, tc.want) {
			t.Errorf("inflect(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestTemplates(t *testing.T) {
	for _, ok := range []string{"$S V $O", "$S V $O of|for $ACT", "$A 's V on|against $O", "$PAIR V", "V between $BETWEEN", "$S be? V to * with $O"} {
		if _, err := compileTemplate(ok); err != nil {
			t.Errorf("compileTemplate(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"$S $O", "$S V V", "$S V $X"} {
		if _, err := compileTemplate(bad); err == nil {
			t.Errorf("compileTemplate(%q) succeeded, want an error", bad)
		}
	}
	if !strings.Contains(strings.Join(beForms, " "), "was") {
		t.Error("be forms lack 'was'")
	}
}
