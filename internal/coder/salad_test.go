package coder

import (
	"math/rand"
	"strings"
	"testing"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/seed"
)

// TestWordSalad codes random sequences of the words the coder reacts to, with
// and without known actors: nothing panics and every proposal validates.
func TestWordSalad(t *testing.T) {
	c, _ := Default()
	sg, _ := seed.Graph()
	vocab := strings.Fields(`Russia Russian U.S. Kerry said accused blamed denied attack attacks on of for by with the a , . “ ” ’s - backed rebels forces government officials unless if will not could ready to talks between and Moscow Syria Syrian Ukraine Lt. Gen. Secretary of State John Smith he it they its their the two militaries both sides cooperation against deal brokered truce threatened cut ties alleged that involvement in condemned the attack response Wednesday Sept. 9 last week held rebel-held control Aleppo integrated al-Qaida Hamas U.N. NATO WHO who`)
	rng := rand.New(rand.NewSource(1))
	for n := 0; n < 800; n++ {
		k := 3 + rng.Intn(40)
		var b strings.Builder
		for i := 0; i < k; i++ {
			b.WriteString(vocab[rng.Intn(len(vocab))])
			if rng.Intn(10) == 0 {
				b.WriteString("\n")
			} else {
				b.WriteString(" ")
			}
		}
		text := b.String()
		res, err := c.CodeWith(Document{Text: text, SourceID: "s", Published: testDate}, Known{Actors: sg.Actors, Places: sg.Places})
		if err != nil {
			t.Fatal(err)
		}
		g := &kg.Graph{Sources: []kg.Source{{ID: "s", Title: "t", Publisher: "p", Published: "2016-09-28", Text: text}}, Actors: append(append([]kg.Actor{}, sg.Actors...), res.Actors...), Places: sg.Places, Relations: res.Relations}
		if err := g.Validate(); err != nil {
			t.Fatalf("%q: %v", text, err)
		}
	}
}
