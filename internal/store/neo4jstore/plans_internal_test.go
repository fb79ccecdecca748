package neo4jstore

import (
	"context"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

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

// planDBHits sums a profiled plan's db hits.
func planDBHits(p neo4j.ProfiledPlan) int64 {
	if p == nil {
		return 0
	}
	n := p.DbHits()
	for _, c := range p.Children() {
		n += planDBHits(c)
	}
	return n
}

// profiled runs cypher under PROFILE in a read session and returns its plan.
func profiled(t *testing.T, s *Store, cypher string, params map[string]any) neo4j.ProfiledPlan {
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
	return sum.Profile()
}

// TestPlans checks that the lookups use the relationship indexes and that
// rollUp uses a pruning expand.
func TestPlans(t *testing.T) {
	s := testStore(t)
	explain := func(cypher string, params map[string]any) []string {
		t.Helper()
		return operators(profiled(t, s, cypher, params))
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
	sh, op, err := relShapeOf(kPageOf, store.Out, store.RelationFilter{RollUp: true}, byID, store.Page{First: 10})
	if err != nil {
		t.Fatal(err)
	}
	op["ids"] = []any{"x"}
	ops = explain(statement(sh), op)
	if !has(ops, "VarLengthExpand(Pruning") && !has(ops, "BFSPruningVarExpand") {
		t.Errorf("rollUp does not use a pruning expand: %v", ops)
	}
	if !has(ops, "NodeUniqueIndexSeek") {
		t.Errorf("RelationsOf does not seek the actor by id: %v", ops)
	}
	for _, f := range []store.RelationFilter{{Types: []kg.RelationType{kg.Accuses}}, {Types: []kg.RelationType{kg.Accuses}, Event: "e"}} {
		sh, lp, err := relShapeOf(kList, "", f, byID, store.Page{First: 10})
		if err != nil {
			t.Fatal(err)
		}
		ops = explain(statement(sh), lp)
		if has(ops, "AllRelationshipsScan") || has(ops, "DirectedAllRelationshipsScan") || has(ops, "UndirectedAllRelationshipsScan") {
			t.Errorf("ListRelations %+v scans all relationships: %v", f, ops)
		}
		if !has(ops, "DirectedRelationshipIndex") && !has(ops, "DirectedRelationshipUniqueIndex") {
			t.Errorf("ListRelations %+v does not use the relationship indexes: %v", f, ops)
		}
	}
}
