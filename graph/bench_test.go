package graph_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/server"
	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/boltstore"
	"github.com/actorgraph/actorgraph/internal/store/storetest"
	"github.com/actorgraph/actorgraph/internal/testenv"
	"log/slog"
)

// Benchmarks (not in CI beyond a -short smoke run): each query shape as a
// GraphQL request against the raw store call that answers it, alternated in
// the same loop so machine noise hits both alike. Reported per op:
// gql-ns, raw-ns and their ratio. The graph: 10k actors, 200k relations and
// a hub (gen-actor-00000) with 10,000 more; -short shrinks it to a smoke.
//
//	go test -run '^$' -bench . -benchtime 50x ./graph                 # embedded store
//	NEO4J_URI=bolt://127.0.0.1:17687 go test -run '^$' -bench Neo4j -benchtime 50x ./graph

const hubID = "gen-actor-00000"

func benchGraph(short bool) []*kg.Graph {
	actors, rels, hub := 10_000, 200_000, 10_000
	if short {
		actors, rels, hub = 200, 1_000, 200
	}
	g := storetest.Generate(42, actors, rels, "bench-src")
	g.Sources = []kg.Source{{ID: "bench-src", Title: "generated", Publisher: "bench", Published: "2016-09-28"}}
	base := g.Relations[0]
	for i := 0; i < hub; i++ {
		r := base
		r.ID, r.From, r.To = fmt.Sprintf("hub-rel-%06d", i), hubID, g.Actors[1+i%(actors-1)].ID
		g.Relations = append(g.Relations, r)
	}
	// Load in atomic chunks of 20k relations: one 200k-relation transaction
	// exceeds the test Neo4j's 1 GB heap.
	nodes := &kg.Graph{Sources: g.Sources, Actors: g.Actors}
	chunks := []*kg.Graph{nodes}
	for i := 0; i < len(g.Relations); i += 20_000 {
		chunks = append(chunks, &kg.Graph{Relations: g.Relations[i:min(i+20_000, len(g.Relations))]})
	}
	return chunks
}

type benchCase struct {
	name  string
	query string
	raw   func(ctx context.Context, s store.Store) error
}

func benchCases() []benchCase {
	byID := store.Order{Field: store.SortID}
	return []benchCase{
		{"relations-page", `{ relations(first: 20, filter: { types: [ACCUSES] }) { nodes { id type } } }`,
			func(ctx context.Context, s store.Store) error {
				_, err := s.ListRelations(ctx, store.RelationFilter{Types: []kg.RelationType{kg.Accuses}, RollUp: true}, byID, store.Page{First: 20})
				return err
			}},
		{"hub-outgoing-10", `{ actor(id: "` + hubID + `") { outgoing(first: 10) { nodes { id } } } }`,
			func(ctx context.Context, s store.Store) error {
				if _, err := s.Actors(ctx, []string{hubID}); err != nil {
					return err
				}
				_, err := s.RelationsOf(ctx, []string{hubID}, store.Out, store.RelationFilter{RollUp: true}, byID, store.Page{First: 10})
				return err
			}},
		{"small-outgoing-10", `{ actor(id: "gen-actor-00007") { outgoing(first: 10) { nodes { id } } } }`,
			func(ctx context.Context, s store.Store) error {
				if _, err := s.Actors(ctx, []string{"gen-actor-00007"}); err != nil {
					return err
				}
				_, err := s.RelationsOf(ctx, []string{"gen-actor-00007"}, store.Out, store.RelationFilter{RollUp: true}, byID, store.Page{First: 10})
				return err
			}},
		{"hub-neighborhood", `{ neighborhood(actor: "` + hubID + `", depth: 1, perNode: 25) { edges { id } } }`,
			func(ctx context.Context, s store.Store) error {
				_, err := s.Neighborhood(ctx, hubID, store.NeighborhoodQuery{Depth: 1, Direction: store.Both, Limit: 200, PerNode: 25})
				return err
			}},
		{"paths", `{ paths(from: "gen-actor-00011", to: "gen-actor-00012", maxLength: 4) { paths { length } } }`,
			func(ctx context.Context, s store.Store) error {
				_, err := s.Paths(ctx, "gen-actor-00011", "gen-actor-00012", store.PathQuery{MaxLength: 4, All: true, Limit: 10})
				return err
			}},
		{"timeline", `{ timeline(actor: "gen-actor-00013", first: 50) { date { date } relation { id } } }`,
			func(ctx context.Context, s store.Store) error {
				_, err := s.Timeline(ctx, store.TimelineQuery{Actor: "gen-actor-00013", RollUp: true, Limit: 50})
				return err
			}},
		{"dyads-pair", `{ dyads(from: "gen-actor-00014", interval: MONTH) { relations goldstein } }`,
			func(ctx context.Context, s store.Store) error {
				_, err := s.Dyads(ctx, store.DyadQuery{From: "gen-actor-00014", Interval: store.Month, RollUp: true, Limit: 50})
				return err
			}},
		{"search", `{ search(text: "actor 00015", first: 20) { kind score } }`,
			func(ctx context.Context, s store.Store) error {
				_, err := s.Search(ctx, "actor 00015", nil, 20)
				return err
			}},
	}
}

// benchStore opens a store of kind and loads the bench graph into it.
func benchStore(b *testing.B, kind string) store.Store {
	var s store.Store
	switch kind {
	case "embedded":
		s = testenv.Bolt(b, boltstore.Options{})
	case "neo4j":
		s = testenv.Neo4j(b, nil)
	}
	start := time.Now()
	for _, g := range benchGraph(testing.Short()) {
		if err := s.Load(context.Background(), g); err != nil {
			b.Fatal(err)
		}
	}
	fmt.Fprintf(os.Stderr, "bench: loaded the %s store in %s\n", kind, time.Since(start).Round(time.Millisecond))
	return s
}

func runBench(b *testing.B, kind string) {
	// Opened by the parent benchmark: its cleanups run after all sub-benchmarks.
	s := benchStore(b, kind)
	for _, bc := range benchCases() {
		b.Run(bc.name, func(b *testing.B) {
			h := server.New(server.Config{Store: s, Logger: slog.New(slog.DiscardHandler)})
			body := `{"query":` + jsonString(bc.query) + `}`
			ctx := context.Background()
			serve := func() *httptest.ResponseRecorder {
				req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				return rec
			}
			// Warm up both paths once, untimed: Neo4j plans a statement on its
			// first run, and whichever ran first would pay for it.
			serve()
			if err := bc.raw(ctx, s); err != nil {
				b.Fatal(err)
			}
			var gql, raw time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				rec := serve()
				t1 := time.Now()
				if err := bc.raw(ctx, s); err != nil {
					b.Fatal(err)
				}
				t2 := time.Now()
				if rec.Code != 200 || strings.Contains(rec.Body.String(), `"errors"`) {
					b.Fatalf("%s: %d %s", bc.name, rec.Code, rec.Body.String())
				}
				gql += t1.Sub(t0)
				raw += t2.Sub(t1)
			}
			b.ReportMetric(float64(gql.Nanoseconds())/float64(b.N), "gql-ns/op")
			b.ReportMetric(float64(raw.Nanoseconds())/float64(b.N), "raw-ns/op")
			b.ReportMetric(float64(gql)/float64(raw), "gql/raw")
		})
	}
}

func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func BenchmarkEmbedded(b *testing.B) { runBench(b, "embedded") }

func BenchmarkNeo4j(b *testing.B) { runBench(b, "neo4j") }
