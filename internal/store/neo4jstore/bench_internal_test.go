package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// bigGraph: nActors actors, nRels relations of random vocabulary types
// between random actors, plus a hub with hubRels outgoing relations.
func bigGraph(nActors, nRels, hubRels int) *kg.Graph {
	rng := rand.New(rand.NewPCG(1, 2))
	types := kg.RelationTypes()
	g := &kg.Graph{Sources: []kg.Source{{ID: "src", Title: "t", Publisher: "p", Published: "2020-01-01"}}}
	for i := 0; i < nActors; i++ {
		g.Actors = append(g.Actors, kg.Actor{ID: fmt.Sprintf("a%05d", i), Name: fmt.Sprintf("Actor %d", i), Kind: kg.KindOther})
	}
	g.Actors = append(g.Actors, kg.Actor{ID: "hub", Name: "Hub", Kind: kg.KindState})
	g.Events = append(g.Events, kg.Event{ID: "ev", Name: "ev", Kind: kg.EventOther})
	rel := func(id string, t kg.RelationType, from, to string) kg.Relation {
		return kg.Relation{ID: id, Type: t, From: from, To: to, Attribution: kg.Asserted, Status: kg.Actual,
			SourceID: "src", Provenance: kg.Provenance{Confidence: 1, Method: kg.MethodImport, Review: kg.ReviewProposed},
			Evidence: []kg.Evidence{{Quote: "q", Start: 0, End: 1}}}
	}
	for i := 0; i < nRels; i++ {
		t := types[rng.IntN(len(types))]
		if t == kg.Controls || t.IsHierarchy() {
			t = kg.Accuses
		}
		r := rel(fmt.Sprintf("r%07d", i), t, g.Actors[rng.IntN(nActors)].ID, g.Actors[rng.IntN(nActors)].ID)
		if i%1000 == 0 {
			r.EventID = "ev"
		}
		if i%500 == 0 && i > 0 {
			r.Alleges = fmt.Sprintf("r%07d", i-1)
		}
		g.Relations = append(g.Relations, r)
	}
	for i := 0; i < hubRels; i++ {
		g.Relations = append(g.Relations, rel(fmt.Sprintf("h%06d", i), types[i%14], "hub", g.Actors[rng.IntN(nActors)].ID))
	}
	// A 3-level hierarchy under a00000 (a00001..a00030).
	for i := 1; i <= 30; i++ {
		parent := "a00000"
		if i > 3 {
			parent = fmt.Sprintf("a%05d", (i-1)/3)
		}
		g.Relations = append(g.Relations, rel(fmt.Sprintf("p%03d", i), kg.PartOf, fmt.Sprintf("a%05d", i), parent))
	}
	return g
}

func dbHits(p neo4j.ProfiledPlan) int64 {
	if p == nil {
		return 0
	}
	n := p.DbHits()
	for _, c := range p.Children() {
		n += dbHits(c)
	}
	return n
}

// operators lists a profiled plan's operators. (EXPLAIN's neo4j.Plan is no
// use here: in driver v5.28.4 Plan.Children returns the last child for every
// child, a loop-variable bug; ProfiledPlan.Children is correct.)
func operators(p neo4j.ProfiledPlan) []string {
	if p == nil {
		return nil
	}
	out := []string{p.Operator()}
	for _, c := range p.Children() {
		out = append(out, operators(c)...)
	}
	return out
}

// profile runs PROFILE cypher and returns wall time and db hits.
func profile(t *testing.T, s *Store, cypher string, params map[string]any) (time.Duration, int64, int) {
	t.Helper()
	ctx := context.Background()
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{AccessMode: neo4j.AccessModeRead})
	defer sess.Close(ctx)
	start := time.Now()
	res, err := sess.Run(ctx, "PROFILE "+cypher, params)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := res.Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := res.Consume(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return time.Since(start), dbHits(sum.Profile()), len(recs)
}

// TestBench measures the query shapes on a large graph (NEO4J_BENCH=1).
func TestBench(t *testing.T) {
	if os.Getenv("NEO4J_BENCH") == "" {
		t.Skip("set NEO4J_BENCH=1 to measure")
	}
	s := testStore(t)
	ctx := context.Background()
	g := bigGraph(10_000, 200_000, 10_000)
	// One Load of 220k relations exceeds the launcher's transaction memory
	// pool (-Xmx1g: ~717 MiB); load in atomic chunks as an importer would.
	load := func() time.Duration {
		start := time.Now()
		nodes := *g
		nodes.Relations = nil
		if err := s.Load(ctx, &nodes); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < len(g.Relations); i += 20_000 {
			part := &kg.Graph{Relations: g.Relations[i:min(i+20_000, len(g.Relations))]}
			cs := time.Now()
			err := s.Load(ctx, part)
			t.Logf("  chunk at %d: %v", i, time.Since(cs))
			if err != nil {
				var oe *opError
				if errors.As(err, &oe) {
					t.Fatalf("%v: cause %v", err, oe.cause)
				}
				t.Fatal(err)
			}
		}
		return time.Since(start)
	}
	t.Logf("load %d actors, %d relations in chunks of 20k: %v", len(g.Actors), len(g.Relations), load())
	t.Logf("reload (all merges hit): %v", load())
	start := time.Now()
	if err := s.Load(ctx, g); err == nil {
		t.Logf("single-transaction load of everything succeeded: %v", time.Since(start))
	} else {
		t.Logf("single-transaction load of everything: %v after %v", err, time.Since(start))
	}

	ids := []any{}
	for i := 0; i < 50; i++ {
		ids = append(ids, fmt.Sprintf("r%07d", i*3000))
	}
	report := func(name, cypher string, params map[string]any) {
		// Warm the plan cache, then measure.
		profile(t, s, cypher, params)
		d, hits, n := profile(t, s, cypher, params)
		t.Logf("%-50s %8.2fms %9d db hits %5d rows", name, float64(d.Microseconds())/1000, hits, n)
	}
	report("Relations(50) typed union", qRelations, map[string]any{"ids": ids})
	report("Relations(50) untyped scan", "MATCH ()-[r]->() WHERE r.id IN $ids RETURN "+relProj+" AS rel", map[string]any{"ids": ids})

	for _, f := range []store.RelationFilter{{}, {Types: []kg.RelationType{kg.Accuses}}, {Event: "ev"}, {Source: "src"}, {Status: kg.Negated}} {
		fp, _ := filterParams(f, 10)
		fp["from"], fp["to"] = "", ""
		report(fmt.Sprintf("ListRelations global %+v", f)[:50], qListRelations[listShape{event: f.Event != ""}], fp)
		report("  same, untyped scan", "MATCH ()-[r]->() WHERE "+relFilter+"\n"+pageTail, fp)
	}

	fp2, _ := filterParams(store.RelationFilter{}, 10)
	fp2["from"], fp2["to"] = "hub", ""
	report("ListRelations from hub limit 10", qListRelations[listShape{from: true}], fp2)
	fp2["from"] = "a00000"
	report("ListRelations from a00000 rollUp", qListRelations[listShape{from: true, rollUp: true}], fp2)

	op, _ := filterParams(store.RelationFilter{}, 10)
	op["ids"] = []any{"hub"}
	report("RelationsOf(hub) OUT limit 10", qRelationsOf[store.Out][0], op)
	op["ids"] = []any{"a00005"}
	report("RelationsOf(small) OUT limit 10", qRelationsOf[store.Out][0], op)
	op["ids"] = []any{"a00000"}
	report("RelationsOf(a00000) BOTH rollUp", qRelationsOf[store.Both][1], op)
	many := []any{}
	for i := 0; i < 50; i++ {
		many = append(many, fmt.Sprintf("a%05d", i*7))
	}
	op["ids"] = many
	report("RelationsOf(50 actors) BOTH limit 10", qRelationsOf[store.Both][0], op)

	report("Linked(50) alleges", qLinked[store.LinkAlleges], map[string]any{"ids": ids, "limit": int64(store.MaxLimit)})
	report("RelationsOfEvents(ev)", qRelationsOfEvents, map[string]any{"ids": []any{"ev"}, "limit": int64(100)})
	report("ActorByName", qActorByName, map[string]any{"name": "actor 9999"})
	report("ListActors contains", qListActors, map[string]any{"kinds": []any{}, "country": "", "q": "999", "limit": int64(10)})
	report("Stats", qStats, nil)

	start = time.Now()
	if err := s.Wipe(ctx); err != nil {
		t.Fatal(err)
	}
	t.Logf("wipe: %v", time.Since(start))
}

// TestPlans checks that the lookups use the relationship indexes and that
// rollUp uses a pruning expand.
func TestPlans(t *testing.T) {
	s := testStore(t)
	ctx := context.Background()
	explain := func(cypher string, params map[string]any) []string {
		t.Helper()
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
		return operators(sum.Profile())
	}
	has := func(ops []string, prefix string) bool {
		for _, o := range ops {
			if strings.HasPrefix(o, prefix) {
				return true
			}
		}
		return false
	}
	ops := explain(qRelations, map[string]any{"ids": []any{"x"}})
	if !has(ops, "DirectedRelationshipIndexSeek") && !has(ops, "DirectedRelationshipUniqueIndexSeek") {
		t.Errorf("Relations does not seek a relationship index: %v", ops)
	}
	ops = explain(qLinked[store.LinkAlleges], map[string]any{"ids": []any{"x"}, "limit": int64(1)})
	if !has(ops, "DirectedRelationshipIndexSeek") {
		t.Errorf("Linked does not seek a relationship index: %v", ops)
	}
	op, _ := filterParams(store.RelationFilter{}, 10)
	op["ids"] = []any{"x"}
	ops = explain(qRelationsOf[store.Out][1], op)
	if !has(ops, "VarLengthExpand(Pruning") && !has(ops, "BFSPruningVarExpand") {
		t.Errorf("rollUp does not use a pruning expand: %v", ops)
	}
	if !has(ops, "NodeUniqueIndexSeek") {
		t.Errorf("RelationsOf does not seek the actor by id: %v", ops)
	}
	t.Logf("RelationsOf rollUp plan: %v", ops)
}
