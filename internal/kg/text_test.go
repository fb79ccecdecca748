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
