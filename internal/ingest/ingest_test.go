package ingest_test

import (
	"context"
	"errors"
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
