package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/actorgraph/actorgraph/internal/examples"
	"github.com/actorgraph/actorgraph/internal/seed"
	"github.com/actorgraph/actorgraph/internal/server"
	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/boltstore"
	"github.com/actorgraph/actorgraph/internal/store/storetest"
	"github.com/actorgraph/actorgraph/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite testdata/golden.json from the embedded store")

const goldenPath = "testdata/golden.json"

// query is one named GraphQL query of the golden set.
type query struct{ name, text string }

// goldenQueries: every README example plus one query per root field.
func goldenQueries(t *testing.T) []query {
	var qs []query
	for _, e := range examples.All() {
		qs = append(qs, query{"example/" + e.Name, e.Query})
	}
	err := fs.WalkDir(os.DirFS("testdata/queries"), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(filepath.Join("testdata/queries", p))
		qs = append(qs, query{"root/" + strings.TrimSuffix(p, ".graphql"), string(data)})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return qs
}

type response struct {
	Data   json.RawMessage  `json:"data"`
	Errors []map[string]any `json:"errors"`
}

func post(t *testing.T, url, q string) (int, response) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": q})
	res, err := http.Post(url+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var r response
	if err := json.NewDecoder(res.Body).Decode(&r); err != nil {
		t.Fatalf("decode: %v", err)
	}
	return res.StatusCode, r
}

func serve(t *testing.T, s store.Store) string {
	t.Helper()
	srv := httptest.NewServer(server.New(server.Config{Store: s, Logger: slog.New(slog.DiscardHandler)}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func loadSeed(t *testing.T, s store.Store) {
	t.Helper()
	g, err := seed.Graph()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Load(context.Background(), g); err != nil {
		t.Fatal(err)
	}
}

// assertNonEmpty fails when a root field of the answer is null or an empty list.
func assertNonEmpty(t *testing.T, name string, data json.RawMessage) {
	t.Helper()
	var root map[string]any
	if err := json.Unmarshal(data, &root); err != nil || len(root) == 0 {
		t.Errorf("%s: no data: %s", name, data)
		return
	}
	for field, v := range root {
		if l, ok := v.([]any); v == nil || ok && len(l) == 0 {
			t.Errorf("%s: root field %s is empty", name, field)
		}
	}
}

// runGolden runs every golden query on s and returns name → data.
func runGolden(t *testing.T, s store.Store) map[string]json.RawMessage {
	t.Helper()
	loadSeed(t, s)
	url := serve(t, s)
	out := map[string]json.RawMessage{}
	for _, q := range goldenQueries(t) {
		status, r := post(t, url, q.text)
		if status != http.StatusOK || len(r.Errors) > 0 {
			t.Errorf("%s: status %d, errors %v", q.name, status, r.Errors)
			continue
		}
		assertNonEmpty(t, q.name, r.Data)
		data := r.Data
		if strings.Contains(q.name, "search") {
			data = sortedHits(t, data)
		}
		var buf bytes.Buffer
		json.Indent(&buf, data, "", "  ")
		out[q.name] = buf.Bytes()
	}
	return out
}

// sortedHits orders each list of search hits by its JSON text: the stores
// must find the same hits, but rank them by different scorers (Lucene's
// BM25 and the embedded index's own), so only the set is compared.
func sortedHits(t *testing.T, data json.RawMessage) json.RawMessage {
	var root map[string][]json.RawMessage
	if err := json.Unmarshal(data, &root); err != nil {
		t.Fatalf("search answer: %v", err)
	}
	for _, hits := range root {
		sort.Slice(hits, func(i, j int) bool { return string(hits[i]) < string(hits[j]) })
	}
	out, _ := json.Marshal(root)
	return out
}

func compareGolden(t *testing.T, got map[string]json.RawMessage) {
	t.Helper()
	if *update {
		data, _ := json.MarshalIndent(got, "", "  ")
		if err := os.WriteFile(goldenPath, append(data, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	raw, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatalf("%v (run go test ./graph -run TestGoldenEmbedded -update)", err)
	}
	var want map[string]json.RawMessage
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for n := range want {
		names[n] = true
	}
	for n := range got {
		names[n] = true
	}
	var sorted []string
	for n := range names {
		sorted = append(sorted, n)
	}
	sort.Strings(sorted)
	for _, n := range sorted {
		var g, w bytes.Buffer
		json.Compact(&g, got[n])
		json.Compact(&w, want[n])
		if g.String() != w.String() {
			t.Errorf("%s differs from %s:\n got %s\nwant %s", n, goldenPath, g.String(), w.String())
		}
	}
}

// TestGoldenEmbedded and TestGoldenNeo4j hold both stores to one golden
// file: the same request gives the same answer whichever store serves it.
func TestGoldenEmbedded(t *testing.T) {
	compareGolden(t, runGolden(t, testenv.Bolt(t, boltstore.Options{})))
}

func TestGoldenNeo4j(t *testing.T) {
	if *update {
		t.Skip("golden file is written from the embedded store")
	}
	compareGolden(t, runGolden(t, testenv.Neo4j(t, nil)))
}

// nestedQuery nests four levels and uses two aliases of one field with
// different arguments. Its store calls must not grow with its results.
const nestedQuery = `{
  actors(first: 400) {
    nodes {
      id
      accusations: outgoing(filter: { types: [ACCUSES] }, first: 10) {
        totalCount
        nodes {
          id
          to { name }
          evidence { quote source { id } }
          alleges { id from { name } claimedBy { name } deniedBy { id } }
        }
      }
      backing: outgoing(filter: { types: [BACKS], rollUp: false }, first: 5) { totalCount nodes { id to { name } } }
      incoming(first: 10) { nodes { id from { name } source { title } event { name place { name parent { name } } relations(first: 3) { totalCount nodes { id } } } } }
    }
  }
}`

// grow adds many actors and relations to the seed graph.
func grow(t *testing.T, s store.Store, n int) {
	t.Helper()
	g := storetest.Generate(42, n, n*4, "thenews-aleppo-2016")
	if err := s.Load(context.Background(), g); err != nil {
		t.Fatal(err)
	}
}

// countCalls runs nestedQuery on a small and a grown graph and checks the
// number of store round trips (counted by count) is the same.
func countCalls(t *testing.T, s store.Store, count *atomic.Int64) {
	t.Helper()
	loadSeed(t, s)
	url := serve(t, s)
	measure := func() (int64, int) {
		count.Store(0)
		status, r := post(t, url, nestedQuery)
		if status != http.StatusOK || len(r.Errors) > 0 {
			t.Fatalf("status %d errors %v", status, r.Errors)
		}
		var d struct {
			Actors struct{ Nodes []json.RawMessage }
		}
		json.Unmarshal(r.Data, &d)
		return count.Load(), len(d.Actors.Nodes)
	}
	small, nSmall := measure()
	grow(t, s, 300)
	large, nLarge := measure()
	t.Logf("store calls: %d for %d actors, %d for %d actors", small, nSmall, large, nLarge)
	if nLarge <= nSmall*10 {
		t.Fatalf("graph did not grow: %d -> %d actors", nSmall, nLarge)
	}
	if small != large || small == 0 {
		t.Fatalf("store calls grew with results: %d (small) vs %d (large)", small, large)
	}
	if small > 20 {
		t.Fatalf("%d store calls for one query; want a small fixed number", small)
	}
}

// TestNoNPlusOneEmbedded counts bbolt read transactions.
func TestNoNPlusOneEmbedded(t *testing.T) {
	var n atomic.Int64
	s := testenv.Bolt(t, boltstore.Options{OnReadTx: func() { n.Add(1) }})
	countCalls(t, s, &n)
}

// runCounter counts the Cypher statements (Bolt RUN messages) the driver sends.
type runCounter struct{ n *atomic.Int64 }

func (c runCounter) LogClientMessage(_ string, msg string, _ ...any) {
	if strings.HasPrefix(msg, "RUN") {
		c.n.Add(1)
	}
}
func (runCounter) LogServerMessage(string, string, ...any) {}

// TestNoNPlusOneNeo4j counts the statements the Neo4j driver actually sends.
func TestNoNPlusOneNeo4j(t *testing.T) {
	var n atomic.Int64
	s := testenv.Neo4j(t, runCounter{&n})
	countCalls(t, s, &n)
}

// statementQueries: every query shape an analyst sends, with aliases of one
// field under different arguments. Their store round trips must not grow
// with the size of the answer.
var statementQueries = map[string]string{
	"lists with aliases": `{
  accusations: relations(first: 50, filter: { types: [ACCUSES] }) { totalCount nodes { id from { name } to { __typename } evidence { source { id } } } }
  backing: relations(first: 500, filter: { types: [BACKS] }, orderBy: { field: CONFIDENCE }) { nodes { id from { name } alleges { id } reviews { status } } }
  actors(first: 500) { nodes { id outgoing(first: 5) { totalCount nodes { to { __typename } } } } }
}`,
	"neighborhood": `{ neighborhood(actor: "gen-actor-00001", depth: 2, perNode: 50, limit: 1000) {
  nodes { id ... on Actor { kind } } edges { id from { name } to { __typename } evidence { source { id } } alleges { id } } } }`,
	"paths": `{ paths(from: "gen-actor-00001", to: "gen-actor-00002", maxLength: 6, first: 20) {
  reason paths { hops { from { __typename } to { __typename } relation { id from { name } evidence { source { id } } } } } } }`,
	"timeline": `{ timeline(actor: "gen-actor-00001", first: 500) { relation { id from { name } to { __typename } } event { id } } }`,
	"dyads":    `{ dyads(first: 200, interval: MONTH, includeClaims: true) { from { name } to { __typename } relations series { start } } }`,
	"search":   `{ search(text: "generated actor", first: 500) { kind actor { name } event { name } relation { id } } }`,
	"disputes": `{ disputes(first: 100) { claim { from { name } } accusations { from { name } } denials { id } counterClaims { id } } }`,
}

// countStatements runs each statement query on a small and a large
// generated graph (plus the seed) and compares the store round trips.
func countStatements(t *testing.T, newStore func(t *testing.T) store.Store, count *atomic.Int64) {
	measure := func(n int) map[string]int64 {
		s := newStore(t)
		loadSeed(t, s)
		g := storetest.Generate(7, n, n*4, "thenews-aleppo-2016")
		if err := s.Load(context.Background(), g); err != nil {
			t.Fatal(err)
		}
		url := serve(t, s)
		out := map[string]int64{}
		for name, q := range statementQueries {
			count.Store(0)
			status, r := post(t, url, q)
			if status != http.StatusOK || len(r.Errors) > 0 {
				t.Fatalf("%s: %d %v", name, status, r.Errors)
			}
			out[name] = count.Load()
		}
		return out
	}
	small, large := measure(40), measure(1500) // 160 vs 6,000 generated relations
	for name := range statementQueries {
		t.Logf("%-20s %d store calls (small graph), %d (large graph)", name, small[name], large[name])
		// A lookup runs only when some item needs it (places are looked up
		// only if a relation points at one), so the large graph may need
		// fewer calls — never more.
		if large[name] > small[name] || small[name] == 0 || small[name] > 25 {
			t.Errorf("%s: %d store calls on the small graph, %d on the large one: want a small number that does not grow", name, small[name], large[name])
		}
	}
}

func TestStatementCountsEmbedded(t *testing.T) {
	var n atomic.Int64
	countStatements(t, func(t *testing.T) store.Store {
		return testenv.Bolt(t, boltstore.Options{OnReadTx: func() { n.Add(1) }})
	}, &n)
}

func TestStatementCountsNeo4j(t *testing.T) {
	var n atomic.Int64
	countStatements(t, func(t *testing.T) store.Store { return testenv.Neo4j(t, runCounter{&n}) }, &n)
}
