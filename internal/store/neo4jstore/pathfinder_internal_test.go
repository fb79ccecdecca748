package neo4jstore

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/seed"
	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/storetest"
)

// pfRuns counts the RUN messages the driver sends.
type pfRuns struct {
	mu sync.Mutex
	n  int
}

func (c *pfRuns) LogClientMessage(_ string, msg string, _ ...any) {
	if strings.HasPrefix(msg, "RUN") {
		c.mu.Lock()
		c.n++
		c.mu.Unlock()
	}
}
func (c *pfRuns) LogServerMessage(string, string, ...any) {}
func (c *pfRuns) take() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.n
	c.n = 0
	return n
}

func pfStore(t *testing.T, runs *pfRuns) *Store {
	t.Helper()
	uri := os.Getenv("NEO4J_URI")
	if uri == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("NEO4J_URI is not set (required when CI=true)")
		}
		t.Skip("NEO4J_URI not set; start Neo4j with neo4j-launcher/neo4jctl start")
	}
	opts := Options{URI: uri, User: os.Getenv("NEO4J_USER"), Password: os.Getenv("NEO4J_PASSWORD"),
		TxTimeout: 5 * time.Minute, ConnectTimeout: time.Minute}
	if runs != nil {
		opts.BoltLogger = runs
	}
	s, err := Open(context.Background(), opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	if err := s.Wipe(context.Background()); err != nil {
		t.Fatalf("Wipe: %v", err)
	}
	return s
}

// TestPathFinderStatements: each call is one statement, whatever its depth,
// length or result size.
func TestPathFinderStatements(t *testing.T) {
	runs := &pfRuns{}
	s := pfStore(t, runs)
	ctx := context.Background()
	g, err := seed.Graph()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Load(ctx, g); err != nil {
		t.Fatal(err)
	}
	runs.take()
	for depth := 1; depth <= 3; depth++ {
		for _, dir := range []store.Direction{store.Out, store.In, store.Both} {
			if _, err := s.Neighborhood(ctx, "russia", store.NeighborhoodQuery{Depth: depth, Direction: dir, Limit: 100, PerNode: 5}); err != nil {
				t.Fatal(err)
			}
			if n := runs.take(); n != 1 {
				t.Errorf("Neighborhood depth %d %s sent %d RUN, want 1", depth, dir, n)
			}
		}
	}
	for n := 1; n <= 6; n++ {
		for _, all := range []bool{false, true} {
			if _, err := s.Paths(ctx, "usa", "jabhat-fateh-al-sham", store.PathQuery{MaxLength: n, All: all}); err != nil {
				t.Fatal(err)
			}
			if got := runs.take(); got != 1 {
				t.Errorf("Paths maxLength %d sent %d RUN, want 1", n, got)
			}
		}
	}
	for _, call := range []func() error{
		func() error {
			_, err := s.Neighborhood(ctx, "nobody", store.NeighborhoodQuery{Depth: 1, Direction: store.Both, Limit: 1, PerNode: 1})
			return err
		},
		func() error { _, err := s.Paths(ctx, "nobody", "usa", store.PathQuery{MaxLength: 2}); return err },
	} {
		if err := call(); err == nil {
			t.Error("unknown actor: no error")
		}
		if got := runs.take(); got != 1 {
			t.Errorf("unknown actor: %d RUN, want 1", got)
		}
	}
}

// profile runs cypher under PROFILE and returns its db hits and the rows
// of its Expand operators.
func profile(t *testing.T, s *Store, cypher string, params map[string]any) (dbHits int64, expandRows int64, took time.Duration) {
	t.Helper()
	ctx := context.Background()
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{AccessMode: neo4j.AccessModeRead})
	defer sess.Close(ctx)
	start := time.Now()
	res, err := sess.Run(ctx, "PROFILE "+cypher, params)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := res.Consume(ctx)
	if err != nil {
		t.Fatal(err)
	}
	took = time.Since(start)
	var walk func(p neo4j.ProfiledPlan)
	walk = func(p neo4j.ProfiledPlan) {
		if p == nil {
			return
		}
		dbHits += p.DbHits()
		if strings.HasPrefix(p.Operator(), "Expand") {
			expandRows += p.Records()
		}
		for _, c := range p.Children() {
			walk(c)
		}
	}
	walk(sum.Profile())
	return dbHits, expandRows, took
}

// TestPathFinderProfile (PATHFINDER_PROFILE=1; loads 210k relations): the
// neighbourhood of a hub of 10,000 relations against a small node's, and
// paths, on the generated graph.
func TestPathFinderProfile(t *testing.T) {
	if os.Getenv("PATHFINDER_PROFILE") == "" {
		t.Skip("set PATHFINDER_PROFILE=1 to profile on 10k actors / 210k relations")
	}
	s := pfStore(t, nil)
	ctx := context.Background()
	g := storetest.Generate(42, 10000, 200000, "src")
	hub := g.Actors[0].ID
	base := g.Relations[0]
	for i := 0; i < 10000; i++ {
		r := base
		r.ID = fmt.Sprintf("hub-rel-%05d", i)
		r.From, r.To = hub, g.Actors[1+i%9999].ID
		if i%2 == 1 {
			r.From, r.To = r.To, r.From
		}
		g.Relations = append(g.Relations, r)
	}
	start := time.Now()
	if err := s.Load(ctx, &kg.Graph{Sources: []kg.Source{{ID: "src", Title: "Generated"}}, Actors: g.Actors}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(g.Relations); i += 20000 {
		if err := s.Load(ctx, &kg.Graph{Relations: g.Relations[i:min(i+20000, len(g.Relations))]}); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("loaded %d relations in %v", len(g.Relations), time.Since(start))
	degree := map[string]int{}
	for _, r := range g.Relations {
		degree[r.From]++
		degree[r.To]++
	}
	small := ""
	for _, a := range g.Actors[1:] {
		if degree[a.ID] >= 20 && degree[a.ID] <= 40 {
			small = a.ID
			break
		}
	}
	t.Logf("hub %s: degree %d; small node %s: degree %d", hub, degree[hub], small, degree[small])
	nq := func(id string, depth, perNode int) map[string]any {
		return map[string]any{"id": id, "depth": int64(depth), "limit": int64(1000), "perNode": int64(perNode),
			"perNodeMore": int64(perNode + 1), "types": []any{}, "dateFrom": "", "dateTo": "", "dateProp": "occurredDate"}
	}
	for _, depth := range []int{1, 2, 3} {
		for _, id := range []string{hub, small} {
			profile(t, s, qNeighborhood[store.Both], nq(id, depth, 25)) // warm the plan cache
			hits, rows, took := profile(t, s, qNeighborhood[store.Both], nq(id, depth, 25))
			t.Logf("neighborhood depth %d perNode 25 of %s (degree %d): %d db hits, %d rows expanded, %v", depth, id, degree[id], hits, rows, took)
		}
	}
	for n := 1; n <= 6; n++ {
		for _, pair := range [][2]string{{small, g.Actors[5000].ID}, {hub, small}} {
			p := map[string]any{"from": pair[0], "to": pair[1], "limit": int64(10), "types": []any{}, "attribution": ""}
			profile(t, s, qPaths[n], p)
			hits, _, took := profile(t, s, qPaths[n], p)
			t.Logf("paths maxLength %d %s -> %s: %d db hits, %v", n, pair[0], pair[1], hits, took)
		}
	}
	start = time.Now()
	ps, err := s.Paths(ctx, small, g.Actors[5000].ID, store.PathQuery{MaxLength: 6, All: true, Limit: 10})
	t.Logf("Paths all: %d paths, err %v, %v", len(ps), err, time.Since(start))
	start = time.Now()
	sg, err := s.Neighborhood(ctx, hub, store.NeighborhoodQuery{Depth: 3, Direction: store.Both, Limit: 1000, PerNode: 25})
	t.Logf("Neighborhood hub depth 3: %d relations, truncated %v, err %v, %v", len(sg.Relations), sg.Truncated, err, time.Since(start))
}

// planOps lists a profiled plan's operators.
func planOps(t *testing.T, s *Store, cypher string, params map[string]any) []string {
	t.Helper()
	ctx := context.Background()
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{AccessMode: neo4j.AccessModeRead})
	defer sess.Close(ctx)
	res, err := sess.Run(ctx, "PROFILE "+cypher, params)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := res.Consume(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ops []string
	var walk func(p neo4j.ProfiledPlan)
	walk = func(p neo4j.ProfiledPlan) {
		if p == nil {
			return
		}
		ops = append(ops, p.Operator())
		for _, c := range p.Children() {
			walk(c)
		}
	}
	walk(sum.Profile())
	return ops
}

// TestPathFinderPlans: the start is an index seek; each level caps every
// node inside the expansion (a Top per level over one Expand); paths use
// the shortest-path search with the filter inlined (no Filter above it,
// which would mean the exhaustive fallback).
func TestPathFinderPlans(t *testing.T) {
	s := pfStore(t, nil)
	count := func(ops []string, prefix string) int {
		n := 0
		for _, o := range ops {
			if strings.HasPrefix(o, prefix) {
				n++
			}
		}
		return n
	}
	for dir, cypher := range qNeighborhood {
		ops := planOps(t, s, cypher, map[string]any{"id": "a", "depth": int64(3), "limit": int64(1000), "perNode": int64(25),
			"perNodeMore": int64(26), "types": []any{"ACCUSES"}, "dateFrom": "2016-01-01", "dateTo": "", "dateProp": "occurredDate"})
		if count(ops, "NodeUniqueIndexSeek") != 1 || count(ops, "Expand(All)") != 3 || count(ops, "Top") != 3 ||
			count(ops, "AllNodesScan")+count(ops, "NodeByLabelScan") != 0 {
			t.Errorf("neighborhood %s plan: %v", dir, ops)
		}
	}
	for n := 1; n <= 6; n++ {
		ops := planOps(t, s, qPaths[n], map[string]any{"from": "a", "to": "b", "limit": int64(10),
			"types": []any{"ACCUSES"}, "attribution": "ASSERTED"})
		i := slices.IndexFunc(ops, func(o string) bool { return strings.HasPrefix(o, "ShortestPath") })
		if i < 1 || strings.HasPrefix(ops[i-1], "Filter") || count(ops, "VarLengthExpand") != 0 {
			t.Errorf("paths maxLength %d plan: %v", n, ops)
		}
	}
}
