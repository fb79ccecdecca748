package neo4jstore

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// Statements of the stored-state view (kg.View), run in the write
// transaction, so they see its own writes; one statement per call, batched.
var (
	qvNodeKinds = "UNWIND $ids AS id\nCALL (id) {\n" +
		"  MATCH (n:Actor {id: id}) RETURN 'actor' AS kind\n  UNION ALL\n" +
		"  MATCH (n:Place {id: id}) RETURN 'place' AS kind\n  UNION ALL\n" +
		"  MATCH (n:Event {id: id}) RETURN 'event' AS kind\n  UNION ALL\n" +
		"  MATCH (n:Source {id: id}) RETURN 'source' AS kind\n}\nRETURN id, kind"
	qvRelKinds = "CALL () {\n" + typedUnion("r.id IN $ids") + "\n}\nRETURN r.id AS id, 'relation' AS kind"
	qvLinking  = "CALL () {\n" + typedUnion("r.alleges IN $ids OR r.denies IN $ids") + "\n}\nRETURN r.id AS id, r.alleges AS alleges, r.denies AS denies"
	qvParents  = "UNWIND $ids AS id\nMATCH (:Actor {id: id})-[:PART_OF|HOLDS_ROLE]->(p:Actor)\nRETURN id, collect(p.id) AS parents"
)

// checkStored runs the stored-state rules (store.CheckStored) on the
// relations a write transaction put, inside that transaction, before the
// commit: an error rolls the write back.
func checkStored(ctx context.Context, tx neo4j.ManagedTransaction, put []kg.Relation) error {
	return store.CheckStored(txView{ctx: ctx, tx: tx}, put)
}

// checkRemoved runs store.CheckRemoved on relations a write took out.
func checkRemoved(ctx context.Context, tx neo4j.ManagedTransaction, removed []string) error {
	return store.CheckRemoved(txView{ctx: ctx, tx: tx}, removed)
}

// txView is kg.View over one managed write transaction.
type txView struct {
	ctx context.Context
	tx  neo4j.ManagedTransaction
}

// Kinds looks ids up as nodes first, and only those that are no node as
// relations: a relation lookup is one index seek per relation type (27),
// and the ids a write refers to are nearly all actors, places, events and
// sources (an import batch's from/to/source), so this spares an import most
// of its checks' cost. Ids are one namespace, so a node id is no relation.
func (v txView) Kinds(ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	look := func(q string, ids []any) error {
		recs, err := run(v.ctx, v.tx, q, map[string]any{"ids": ids})
		for _, rec := range recs {
			out[recStr(rec, "id")] = recStr(rec, "kind")
		}
		return err
	}
	for start := 0; start < len(ids); start += batchSize {
		part := uniq(ids[start:min(start+batchSize, len(ids))])
		if err := look(qvNodeKinds, part); err != nil {
			return nil, err
		}
		var rest []any
		for _, id := range part {
			if _, node := out[id.(string)]; !node {
				rest = append(rest, id)
			}
		}
		if len(rest) > 0 {
			if err := look(qvRelKinds, rest); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func (v txView) Parents(ids []string) (map[string][]string, error) {
	out := map[string][]string{}
	for start := 0; start < len(ids); start += batchSize {
		recs, err := run(v.ctx, v.tx, qvParents, map[string]any{"ids": uniq(ids[start:min(start+batchSize, len(ids))])})
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			ps, _ := rec.Get("parents")
			for _, p := range ps.([]any) {
				if s, ok := p.(string); ok {
					out[recStr(rec, "id")] = append(out[recStr(rec, "id")], s)
				}
			}
		}
	}
	return out, nil
}

func (v txView) Linking(ids []string) (map[string][]string, error) {
	recs, err := run(v.ctx, v.tx, qvLinking, map[string]any{"ids": uniq(ids)})
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	out := map[string][]string{}
	for _, rec := range recs {
		for _, target := range []string{recStr(rec, "alleges"), recStr(rec, "denies")} {
			if want[target] {
				out[target] = append(out[target], recStr(rec, "id"))
			}
		}
	}
	return out, nil
}
