package ingest_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/actorgraph/actorgraph/internal/coder"
	"github.com/actorgraph/actorgraph/internal/ingest"
	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/seed"
	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/boltstore"
	"github.com/actorgraph/actorgraph/internal/testenv"
)

func article(t *testing.T) ingest.Article {
	text, err := seed.Article()
	if err != nil {
		t.Fatal(err)
	}
	return ingest.Article{Text: text, Title: "Russian Military Says It's Ready to Talk to U.S. about Aleppo",
		Publisher: "Associated Press", Published: time.Date(2016, 9, 28, 0, 0, 0, 0, time.UTC)}
}

func run(t *testing.T, s store.Store) {
	ctx := context.Background()
	g, err := seed.Graph()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Load(ctx, g); err != nil {
		t.Fatal(err)
	}
	c, err := coder.Default()
	if err != nil {
		t.Fatal(err)
	}
	res, err := ingest.Ingest(ctx, s, c, article(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Relations) < 10 {
		t.Fatalf("only %d proposals", len(res.Relations))
	}
	// The proposals are stored, PROPOSED, traceable to a rule and a sentence.
	got, err := s.ListRelations(ctx, store.RelationFilter{Source: res.Source.ID}, store.Order{Field: store.SortID}, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Items) != len(res.Relations) {
		t.Fatalf("stored %d of %d proposals", len(got.Items), len(res.Relations))
	}
	var accusesRussia bool
	for _, r := range got.Items {
		if r.Provenance.Method != kg.MethodCoder || r.Provenance.Review != kg.ReviewProposed || r.Provenance.Detail == "" {
			t.Errorf("%s: provenance %+v", r.ID, r.Provenance)
		}
		if !r.Type.IsHierarchy() && len(r.Evidence) == 0 {
			t.Errorf("%s: no evidence", r.ID)
		}
		accusesRussia = accusesRussia || (r.Type == kg.Accuses && r.From == "usa" && r.To == "russia")
	}
	if !accusesRussia {
		t.Error("the coder did not propose the US accusing Russia (mapped onto the seed's actors)")
	}
	before, _ := s.Stats(ctx)
	if _, err := ingest.Ingest(ctx, s, c, article(t)); err != nil {
		t.Fatal(err)
	}
	after, _ := s.Stats(ctx)
	if before != after {
		t.Errorf("ingesting twice changed the graph: %+v -> %+v", before, after)
	}
	// Bad input names the field and writes nothing.
	for field, a := range map[string]ingest.Article{
		"text":        {Title: "t", Publisher: "p", Published: time.Now()},
		"title":       {Text: "x", Publisher: "p", Published: time.Now()},
		"publishedAt": {Text: "x", Title: "t", Publisher: "p"},
		"url":         {Text: "x", Title: "t", Publisher: "p", Published: time.Now(), URL: "javascript:alert(1)"},
	} {
		_, err := ingest.Ingest(ctx, s, c, a)
		if !errors.Is(err, store.ErrInvalid) || err == nil || !contains(err.Error(), field) {
			t.Errorf("%s: err = %v", field, err)
		}
	}
	if st, _ := s.Stats(ctx); st != after {
		t.Errorf("refused articles changed the graph")
	}
}

func contains(s, sub string) bool {
	return len(s) >= len(sub) && (s[:len(sub)] == sub || contains(s[1:], sub))
}

func TestIngestEmbedded(t *testing.T) { run(t, testenv.Bolt(t, boltstore.Options{})) }

func TestIngestNeo4j(t *testing.T) { run(t, testenv.Neo4j(t, nil)) }

// TestIngestParseCoder ingests the seed article with the parse coder (a
// real CoreNLP server: CORENLP_URL; skipped without one unless CI=true)
// into a fresh on-disk store: the proposals and the new actors and places
// are stored, each relation's provenance names the parse coder, and a
// second ingestion changes nothing.
func TestIngestParseCoder(t *testing.T) {
	u := os.Getenv("CORENLP_URL")
	if u == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but CORENLP_URL is not set")
		}
		t.Skip("CORENLP_URL not set")
	}
	ctx := context.Background()
	s := testenv.Bolt(t, boltstore.Options{})
	c, err := ingest.CoderFor(u)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name() != "corenlp" {
		t.Fatalf("coder %q, want corenlp", c.Name())
	}
	res, err := ingest.Ingest(ctx, s, c, article(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Relations) == 0 || len(res.Actors) == 0 {
		t.Fatalf("%d relations, %d new actors", len(res.Relations), len(res.Actors))
	}
	got, err := s.ListRelations(ctx, store.RelationFilter{Source: res.Source.ID}, store.Order{Field: store.SortID}, store.Page{First: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Items) != len(res.Relations) {
		t.Fatalf("stored %d of %d proposals", len(got.Items), len(res.Relations))
	}
	parse := 0
	for _, r := range got.Items {
		if strings.HasPrefix(r.Provenance.Detail, coder.ParseRulePrefix) {
			parse++
		}
	}
	if parse == 0 {
		t.Errorf("no stored relation says the parse coder made it: %+v", got.Items[0].Provenance)
	}
	before, _ := s.Stats(ctx)
	if _, err := ingest.Ingest(ctx, s, c, article(t)); err != nil {
		t.Fatal(err)
	}
	if after, _ := s.Stats(ctx); before != after {
		t.Errorf("ingesting twice changed the graph: %+v -> %+v", before, after)
	}
	// Without a server URL the dictionary coder runs.
	d, err := ingest.CoderFor("")
	if err != nil || d.Name() != "dictionary" {
		t.Errorf("CoderFor(\"\") = %v, %v", d, err)
	}
}
