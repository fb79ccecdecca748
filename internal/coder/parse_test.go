package coder

import (
	"context"
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
		for _, p := range known.Places {
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
	res := codeText(t, pc, text, known)
	for _, r := range res.Relations {
		t.Logf("%-60s %s conf %.2f", describe(res, known, r), r.Provenance.Detail, r.Provenance.Confidence)
	}
	for _, a := range res.Actors {
		t.Logf("new actor %s %s %s", a.ID, a.Name, a.Kind)
	}
	_ = slices.Contains[[]string]
	_ = strings.Contains
}
