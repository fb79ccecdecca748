package coder

import (
	"testing"

	"github.com/actorgraph/actorgraph/internal/kg"
)

// FuzzCode checks that any text codes without panicking and that every
// proposal validates.
func FuzzCode(f *testing.F) {
	for _, s := range []string{
		"", "MOSCOW – ", "“", "Lt. Gen.", "U.S.-", "-Russian", "Russia accused", "accused of", "Kerry said, “",
		"The U.S. blamed Russia for an attack on a convoy, accusations Moscow has denied.",
		"He said he would. It is. They did not, unless if, but while\n\nKYIV (AP) — x",
		"the two militaries between and against ,,, ’s 's '", "Sept. 31, 2016 Feb. 30 in 1899 Monday",
	} {
		f.Add(s)
	}
	c, err := Default()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		res, err := c.Code(Document{Text: text, SourceID: "fuzz", Published: testDate}, nil)
		if err != nil {
			return // invalid UTF-8
		}
		g := &kg.Graph{
			Sources:   []kg.Source{{ID: "fuzz", Title: "t", Publisher: "p", Published: "2016-09-28", Text: text}},
			Actors:    res.Actors,
			Relations: res.Relations,
		}
		if err := g.Validate(); err != nil {
			t.Fatalf("%q: proposals do not validate: %v", text, err)
		}
	})
}
