package kg

import (
	"reflect"
	"testing"
)

func TestTokens(t *testing.T) {
	for in, want := range map[string][]string{
		"al-Qaida’s branch in Syria": {"al", "qaida", "s", "branch", "in", "syria"},
		"  U.S.-Russian  deal ":      {"u", "s", "russian", "deal"},
		"Erdoğan, 2016":              {"erdoğan", "2016"},
		"":                           nil,
	} {
		if got := Tokens(in); !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Errorf("Tokens(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSnippet(t *testing.T) {
	text := "The U.S. blamed Russia for an attack on a humanitarian convoy outside Aleppo, accusations Moscow has denied."
	snip, hl := Snippet(text, []string{"convoy"}, 500)
	if snip != text || len(hl) != 1 {
		t.Fatalf("whole text: %q %v", snip, hl)
	}
	if got := string([]rune(snip)[hl[0].Start:hl[0].End]); got != "convoy" {
		t.Errorf("highlight covers %q", got)
	}
	snip, hl = Snippet(text, []string{"moscow", "denied"}, 40)
	if len([]rune(snip)) > 42 || len(hl) != 2 {
		t.Fatalf("cut: %q %v", snip, hl)
	}
	r := []rune(snip)
	if string(r[hl[0].Start:hl[0].End]) != "Moscow" || string(r[hl[1].Start:hl[1].End]) != "denied" {
		t.Errorf("highlights %v in %q", hl, snip)
	}
	if r[0] != '…' {
		t.Errorf("cut start not marked: %q", snip)
	}
	// Highlights are whole tokens only: "us" does not light up "Russia".
	_, hl = Snippet("Russia and the US", []string{"us"}, 100)
	if len(hl) != 1 || hl[0] != (Span{15, 17}) {
		t.Errorf("token highlights: %v", hl)
	}
}
