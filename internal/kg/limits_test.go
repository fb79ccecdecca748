package kg

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckText(t *testing.T) {
	for _, c := range []struct {
		in        string
		multiline bool
		ok        bool
	}{
		{"Ruritania", false, true}, {"Алеппо حلب", false, true}, {"two\nlines", true, true},
		{"two\nlines", false, false}, {"tab\there", false, false}, {"a\x00b", true, false},
		{"\x1b[31mred", true, false}, {"\u009b31m", true, false}, {"a\u202Eb", true, false},
		{"a\u202Ab", true, false}, {"a\u2066b", true, false}, {"a\u2069b", true, false},
		{"\xff", true, false}, {"\ufeffBOM", true, false}, {strings.Repeat("é", 10), false, true},
		{strings.Repeat("é", 11), false, false},
	} {
		err := CheckText("name", c.in, 10, c.multiline)
		if (err == nil) != c.ok {
			t.Errorf("CheckText(%q, multiline %v) = %v, want ok %v", c.in, c.multiline, err, c.ok)
		}
		var fe *FieldError
		if err != nil && (!errors.As(err, &fe) || fe.Field != "name" || !errors.Is(err, ErrText)) {
			t.Errorf("CheckText(%q): %v is not a FieldError on name wrapping ErrText", c.in, err)
		}
	}
}

func TestCheckStoredCycle(t *testing.T) {
	part := func(id, from, to string) Relation {
		return Relation{ID: id, Type: PartOf, From: from, To: to}
	}
	g := &Graph{Actors: []Actor{{ID: "a"}, {ID: "b"}, {ID: "c"}},
		Relations: []Relation{part("ba", "b", "a"), part("cb", "c", "b"), part("ac", "a", "c")}}
	err := CheckStored(GraphView(g), g.Relations[2:])
	if !errors.Is(err, ErrCycle) || !strings.Contains(err.Error(), "a -> c -> b -> a") {
		t.Errorf("cycle: %v", err)
	}
	if err := CheckStored(GraphView(g), g.Relations[:2]); !errors.Is(err, ErrCycle) {
		t.Errorf("the cycle seen from its other edges: %v", err)
	}
	g.Relations = g.Relations[:2]
	if err := CheckStored(GraphView(g), g.Relations); err != nil {
		t.Errorf("no cycle: %v", err)
	}
}
