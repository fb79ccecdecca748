package neo4jstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// The writer (store.Writer). Each method is one managed write transaction
// of a few fixed statements; decisions are made in Go by the plans the
// embedded store shares (store.PlanMerge, store.PlanUnmerge), so both stores
// change the same things.
//
// Records are nodes without relationships, each holding the full record as
// one JSON string plus the properties looked up or ordered by:
//
//	(:Merge {id, at, survivor, merged, undone, json})
//	(:Review {relation, seq, at, json})   seq: 1, 2, … in the order made
//	(:Deletion {id, at, kind, json})
//
// at is store.TimeKey (fixed-width UTC), so strings sort as times. Stats,
// reads and search only match :Actor/:Place/:Event/:Source nodes and
// relationships, so records never show up in them; Wipe deletes them.
//
// A relation keeps its id through merge and unmerge: its relationship is
// deleted and created again with the new ends in the same transaction (a
// relationship's ends cannot change).

var _ store.Writer = (*Store)(nil)

// failpoint, when set (tests), runs at the end of every write transaction;
// an error it returns rolls the transaction back.
var failpoint func(op string) error

// errNoChange rolls back a transaction that has nothing to change.
var errNoChange = errors.New("no change")

// lockSet takes the write lock of the entity bound to v (a throwaway
// property), so a read-modify-write is not raced by another writer.
func lockSet(v string) string { return "SET " + v + "._lock = true REMOVE " + v + "._lock\n" }

// Statement texts, fixed at init from constants and the type allowlist.
var (
	qwLockActors = "UNWIND $ids AS id\nMATCH (n:Actor {id: id})\n" + lockSet("n") + "RETURN n {.*} AS n"
	qwPlaceIs    = "MATCH (p:Place {id: $id}) RETURN count(p) AS n"
	qwMerge      = "MATCH (m:Merge {id: $id})\n" + lockSet("m") + "RETURN m.json AS json"
	qwMergedAway = "MATCH (m:Merge {merged: $id}) WHERE m.undone = false RETURN m.id AS id ORDER BY m.id LIMIT 1"
	qwPutMerge   = "MERGE (m:Merge {id: $id})\nSET m.at = $at, m.survivor = $survivor, m.merged = $merged, m.undone = $undone, m.json = $json"
	qwMerges     = "MATCH (m:Merge)\nWITH m ORDER BY m.at DESC, m.id DESC LIMIT $limit\nRETURN m.json AS json"
	qwDelActor   = "MATCH (n:Actor {id: $id}) DELETE n" // fails if it still has relationships
	qwReviews    = "MATCH (v:Review {relation: $id})\nRETURN v.json AS json, v.seq AS seq ORDER BY v.at, v.seq"
	qwReviewsOf  = "MATCH (v:Review) WHERE v.relation IN $ids\nRETURN v.relation AS relation, v.json AS json, v.seq AS seq ORDER BY v.relation, v.at, v.seq"
	qwPutDeleted = "MERGE (d:Deletion {id: $id})\nSET d.at = $at, d.kind = $kind, d.json = $json"
	qwDeletions  = "MATCH (d:Deletion)\nWITH d ORDER BY d.at DESC, d.id DESC LIMIT $limit\nRETURN d.json AS json"
	qwActorUse   = "MATCH (a:Actor {id: $id})\n" + lockSet("a") + "RETURN a {.*} AS n, COUNT { (a)--() } AS deg"

	// qwTouching: the relations with actor $id at either end or as claimedBy.
	qwTouching = "CALL () {\n  MATCH (:Actor {id: $id})-[r]-() RETURN r\n  UNION ALL\n" +
		typedUnion("r.claimedBy = $id") + "\n}\nWITH DISTINCT r\nRETURN " + relProj + " AS rel"
	// qwCycle: would contracting $s and $m close a hierarchy path of two or
	// more edges between them into a cycle? (The embedded store walks its
	// index as deep: 21 edges.)
	qwCycle = "MATCH (s:Actor {id: $s}), (m:Actor {id: $m})\n" +
		"RETURN EXISTS { (s)-[:PART_OF|HOLDS_ROLE*2..21]->(m) } OR EXISTS { (m)-[:PART_OF|HOLDS_ROLE*2..21]->(s) } AS cycle"
	qwClaimed  = "CALL () {\n" + typedUnion("r.claimedBy = $id") + "\n}\nRETURN count(r) AS n"
	qwDropRels = "CALL () {\n" + typedUnion("r.id IN $ids") + "\n}\nWITH r, " + relProj + " AS rel\nDELETE r\nRETURN rel"
	qwLockRel  = "CALL () {\n" + typedUnion("r.id = $id") + "\n}\n" + lockSet("r") + "RETURN " + relProj + " AS rel"
	qwLinking  = "CALL () {\n" + typedUnion("r.alleges = $id") + "\n  UNION ALL\n" + typedUnion("r.denies = $id") +
		"\n}\nRETURN r.id AS id ORDER BY id"
	qwSetReview = "CALL () {\n" + typedUnion("r.id = $id") + "\n}\nSET r.review = $status\n" +
		"CREATE (:Review {relation: $id, seq: $seq, at: $at, json: $json})\nRETURN " + relProj + " AS rel"
)

// writeTx runs fn in one managed write transaction.
func (s *Store) writeTx(ctx context.Context, op string, fn func(tx neo4j.ManagedTransaction) error) error {
	if err := s.gate(op); err != nil {
		return err // fail fast while Neo4j is down (health.go)
	}
	sess := s.session(ctx)
	defer sess.Close(ctx)
	_, err := sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		if err := s.logged(ctx, tx, op, fn); err != nil {
			return nil, err
		}
		if failpoint != nil {
			if err := failpoint(op); err != nil {
				return nil, err
			}
		}
		return nil, nil
	}, s.txConfigFor(ctx)...)
	s.observe(ctx, err)
	switch {
	case err == nil, errors.Is(err, errNoChange):
		return nil
	case errors.Is(err, store.ErrConflict), errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrInvalid):
		return fmt.Errorf("neo4jstore: %s: %w", op, err)
	}
	return wrapErr(op, err)
}

// run runs one statement in tx and collects its records.
func run(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return nil, err
	}
	return res.Collect(ctx)
}

// exec runs one statement in tx and discards its result.
func exec(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any) error {
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return err
	}
	_, err = res.Consume(ctx)
	return err
}

func recStr(rec *neo4j.Record, key string) string {
	v, _ := rec.Get(key)
	s, _ := v.(string)
	return s
}

func recInt(rec *neo4j.Record, key string) int {
	v, _ := rec.Get(key)
	return gint(v)
}

// lockActors locks and reads the actors with these ids.
func lockActors(ctx context.Context, tx neo4j.ManagedTransaction, ids ...string) (map[string]kg.Actor, error) {
	recs, err := run(ctx, tx, qwLockActors, map[string]any{"ids": uniq(ids)})
	if err != nil {
		return nil, err
	}
	out := map[string]kg.Actor{}
	for _, rec := range recs {
		a := decodeActor(column(rec, "n"))
		out[a.ID] = a
	}
	return out, nil
}

func putActor(ctx context.Context, tx neo4j.ManagedTransaction, as ...kg.Actor) error {
	created := map[string]bool{}
	if err := runBatches(ctx, tx, qMergeNodes["Actor"], rows(as, actorProps), collectIDs(created, "created")); err != nil {
		return err
	}
	noteNodes(changeSet(tx), store.EntityActor, as, func(a kg.Actor) string { return a.ID }, created)
	return nil
}

// dropRelations deletes the relationships with these ids.
func dropRelations(ctx context.Context, tx neo4j.ManagedTransaction, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	recs, err := run(ctx, tx, qwDropRels, map[string]any{"ids": uniq(ids)})
	if cs := changeSet(tx); cs != nil && err == nil {
		for _, r := range relations(recs) {
			cs.Delete(store.EntityRelation, r.ID, &r)
		}
	}
	return err
}

// putRelations deletes the relationships of rels' ids and creates them
// again with rels' ends and properties.
func putRelations(ctx context.Context, tx neo4j.ManagedTransaction, rels []kg.Relation) error {
	ids := make([]string, len(rels))
	byType := map[kg.RelationType][]any{}
	for i, r := range rels {
		if !r.Type.IsValid() {
			return fmt.Errorf("relation %q: type %q: %w", r.ID, r.Type, store.ErrInvalid)
		}
		ids[i] = r.ID
		byType[r.Type] = append(byType[r.Type], map[string]any{"from": r.From, "to": r.To, "props": relationProps(r)})
	}
	if err := dropRelations(ctx, tx, ids); err != nil {
		return err
	}
	for _, t := range kg.RelationTypes() { // fixed order: deterministic locking
		if len(byType[t]) == 0 {
			continue
		}
		err := runBatches(ctx, tx, qMergeRels[t], byType[t], func(batch []any, rec *neo4j.Record) error {
			n, _ := rec.Get("n")
			if gint(n) != len(batch) {
				return fmt.Errorf("%d of %d %s relations lack an end: %w", len(batch)-gint(n), len(batch), t, store.ErrInvalid)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if cs := changeSet(tx); cs != nil {
		for i := range rels { // dropped above: noted as updates of the drop
			cs.Put(store.EntityRelation, rels[i].ID, false, nil, &rels[i], nil)
		}
	}
	return nil
}

func relations(recs []*neo4j.Record) []kg.Relation {
	out := make([]kg.Relation, 0, len(recs))
	for _, rec := range recs {
		out = append(out, decodeRelation(column(rec, "rel")))
	}
	return out
}

// roundTrip returns v as it reads back from its JSON.
func roundTrip[T any](v T) (T, string, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return v, "", err
	}
	var out T
	if err := json.Unmarshal(data, &out); err != nil {
		return v, "", err
	}
	return out, string(data), nil
}

// PutActor creates the actor or replaces its fields.
func (s *Store) PutActor(ctx context.Context, a kg.Actor) error {
	if err := store.CheckActor(a); err != nil {
		return err
	}
	return s.writeTx(ctx, "put actor", func(tx neo4j.ManagedTransaction) error {
		recs, err := run(ctx, tx, qwPlaceIs, map[string]any{"id": a.ID})
		if err != nil {
			return err
		}
		if len(recs) == 1 && recInt(recs[0], "n") > 0 {
			return fmt.Errorf("actor id %q is a place's: %w", a.ID, store.ErrInvalid)
		}
		return putActor(ctx, tx, a)
	})
}

// AddAliases adds the aliases the actor does not have yet (folded).
func (s *Store) AddAliases(ctx context.Context, actorID string, aliases []string) (kg.Actor, error) {
	var out kg.Actor
	err := s.writeTx(ctx, "add aliases", func(tx neo4j.ManagedTransaction) error {
		actors, err := lockActors(ctx, tx, actorID)
		if err != nil {
			return err
		}
		a, ok := actors[actorID]
		if !ok {
			return fmt.Errorf("actor %q: %w", actorID, store.ErrNotFound)
		}
		a, added, err := store.AddAliasesTo(a, aliases)
		if err != nil {
			return err
		}
		out = a
		if len(added) == 0 {
			return errNoChange
		}
		return putActor(ctx, tx, a)
	})
	return out, err
}

func getMerge(ctx context.Context, tx neo4j.ManagedTransaction, id string) (store.Merge, bool, error) {
	recs, err := run(ctx, tx, qwMerge, map[string]any{"id": id})
	if err != nil || len(recs) == 0 {
		return store.Merge{}, false, err
	}
	var m store.Merge
	if err := json.Unmarshal([]byte(recStr(recs[0], "json")), &m); err != nil {
		return store.Merge{}, false, fmt.Errorf("decode merge %q: %w", id, err)
	}
	return m, true, nil
}

func putMerge(ctx context.Context, tx neo4j.ManagedTransaction, m store.Merge) (store.Merge, error) {
	m, data, err := roundTrip(m)
	if err != nil {
		return m, err
	}
	return m, exec(ctx, tx, qwPutMerge, map[string]any{"id": m.ID, "at": store.TimeKey(m.Info.At),
		"survivor": m.Survivor, "merged": m.Merged, "undone": m.Undone, "json": data})
}

// MergeActors merges mergedID into survivorID (see store.Writer).
func (s *Store) MergeActors(ctx context.Context, survivorID, mergedID string, info store.MergeInfo) (store.Merge, error) {
	if survivorID == "" || mergedID == "" || survivorID == mergedID {
		return store.Merge{}, fmt.Errorf("neo4jstore: merge %q into %q: %w", mergedID, survivorID, store.ErrInvalid)
	}
	if _, err := store.CheckTime("merge", info.At); err != nil {
		return store.Merge{}, err
	}
	var out store.Merge
	err := s.writeTx(ctx, "merge actors", func(tx neo4j.ManagedTransaction) error {
		actors, err := lockActors(ctx, tx, survivorID, mergedID)
		if err != nil {
			return err
		}
		prev, ok, err := getMerge(ctx, tx, store.MergeID(survivorID, mergedID))
		if err != nil {
			return err
		}
		if ok && !prev.Undone {
			return fmt.Errorf("%q is already merged into %q: %w", mergedID, survivorID, store.ErrConflict)
		}
		for _, id := range []string{survivorID, mergedID} {
			if _, ok := actors[id]; ok {
				continue
			}
			recs, err := run(ctx, tx, qwMergedAway, map[string]any{"id": id})
			if err != nil {
				return err
			}
			if len(recs) > 0 {
				return fmt.Errorf("actor %q was merged away (%s): %w", id, recStr(recs[0], "id"), store.ErrConflict)
			}
			return fmt.Errorf("actor %q: %w", id, store.ErrNotFound)
		}
		recs, err := run(ctx, tx, qwCycle, map[string]any{"s": survivorID, "m": mergedID})
		if err != nil {
			return err
		}
		if v, _ := recs[0].Get("cycle"); v == any(true) {
			return fmt.Errorf("merging %q into %q would make a PART_OF/HOLDS_ROLE cycle: %w", mergedID, survivorID, store.ErrConflict)
		}
		recs, err = run(ctx, tx, qwTouching, map[string]any{"id": mergedID})
		if err != nil {
			return err
		}
		plan, err := store.PlanMerge(actors[survivorID], actors[mergedID], relations(recs), info)
		if err != nil {
			return err
		}
		if err := dropRelations(ctx, tx, plan.Drop); err != nil {
			return err
		}
		if err := putRelations(ctx, tx, plan.Put); err != nil {
			return err
		}
		if err := deleteActor(ctx, tx, mergedID); err != nil {
			return err
		}
		if err := putActor(ctx, tx, plan.Survivor); err != nil {
			return err
		}
		if err := checkStored(ctx, tx, plan.Put); err != nil {
			return err
		}
		if err := checkRemoved(ctx, tx, plan.Drop); err != nil {
			return err
		}
		out, err = putMerge(ctx, tx, plan.Record)
		return err
	})
	if err != nil {
		return store.Merge{}, err
	}
	return out, nil
}

// Unmerge undoes a merge (see store.Writer).
func (s *Store) Unmerge(ctx context.Context, mergeID string) (store.Merge, error) {
	var out store.Merge
	err := s.writeTx(ctx, "unmerge", func(tx neo4j.ManagedTransaction) error {
		m, ok, err := getMerge(ctx, tx, mergeID)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("merge %q: %w", mergeID, store.ErrNotFound)
		}
		actors, err := lockActors(ctx, tx, m.Survivor, m.Merged)
		if err != nil {
			return err
		}
		var survivor *kg.Actor
		if a, ok := actors[m.Survivor]; ok {
			survivor = &a
		}
		_, mergedExists := actors[m.Merged]
		ids := make([]string, len(m.Moved))
		for i, r := range m.Moved {
			ids[i] = r.ID
		}
		current := map[string]kg.Relation{}
		if len(ids) > 0 {
			recs, err := run(ctx, tx, qRelations, map[string]any{"ids": uniq(ids)})
			if err != nil {
				return err
			}
			for _, r := range relations(recs) {
				current[r.ID] = r
			}
		}
		plan, err := store.PlanUnmerge(m, survivor, current, mergedExists)
		if err != nil {
			return err
		}
		if err := putActor(ctx, tx, plan.Merged, plan.Survivor); err != nil {
			return err
		}
		if err := putRelations(ctx, tx, plan.Put); err != nil {
			return err
		}
		if err := checkStored(ctx, tx, plan.Put); err != nil {
			return err
		}
		out, err = putMerge(ctx, tx, plan.Record)
		return err
	})
	if err != nil {
		return store.Merge{}, err
	}
	return out, nil
}

// Merges lists merge records, newest first.
func (s *Store) Merges(ctx context.Context, limit int) ([]store.Merge, error) {
	recs, err := s.read(ctx, "merges", qwMerges, map[string]any{"limit": clamp(limit)})
	if err != nil {
		return nil, err
	}
	var out []store.Merge
	for _, rec := range recs {
		var m store.Merge
		if err := json.Unmarshal([]byte(recStr(rec, "json")), &m); err != nil {
			return nil, fmt.Errorf("neo4jstore: decode merge: %w", err)
		}
		out = append(out, m)
	}
	return out, nil
}

// Review sets a relation's review status and records the review.
func (s *Store) Review(ctx context.Context, relationID string, r store.ReviewInfo) (kg.Relation, error) {
	r, err := store.CheckReview(r)
	if err != nil {
		return kg.Relation{}, err
	}
	var out kg.Relation
	err = s.writeTx(ctx, "review", func(tx neo4j.ManagedTransaction) error {
		recs, err := run(ctx, tx, qwLockRel, map[string]any{"id": relationID})
		if err != nil {
			return err
		}
		if len(recs) == 0 {
			return fmt.Errorf("relation %q: %w", relationID, store.ErrNotFound)
		}
		rel := relations(recs)[0]
		hist, made, err := reviewsIn(ctx, tx, relationID)
		if err != nil {
			return err
		}
		if len(hist) > 0 && store.SameReview(hist[len(hist)-1], r) && rel.Provenance.Review == r.Status {
			out = rel
			return errNoChange
		}
		_, data, err := roundTrip(r)
		if err != nil {
			return err
		}
		recs, err = run(ctx, tx, qwSetReview, map[string]any{"id": relationID, "status": string(r.Status),
			"seq": int64(made + 1), "at": store.TimeKey(r.At), "json": data})
		if err != nil {
			return err
		}
		if len(recs) != 1 {
			return fmt.Errorf("relation %q: %w", relationID, store.ErrNotFound)
		}
		out = relations(recs)[0]
		if cs := changeSet(tx); cs != nil {
			cs.Put(store.EntityRelation, out.ID, true, nil, &out, &rel)
		}
		return nil
	})
	if err != nil {
		return kg.Relation{}, err
	}
	return out, nil
}

// reviewsIn reads a relation's history, oldest first, and how many reviews
// were made.
func reviewsIn(ctx context.Context, tx neo4j.ManagedTransaction, relationID string) ([]store.ReviewInfo, int, error) {
	recs, err := run(ctx, tx, qwReviews, map[string]any{"id": relationID})
	if err != nil {
		return nil, 0, err
	}
	return decodeReviews(recs)
}

func decodeReviews(recs []*neo4j.Record) ([]store.ReviewInfo, int, error) {
	var out []store.ReviewInfo
	made := 0
	for _, rec := range recs {
		var r store.ReviewInfo
		if err := json.Unmarshal([]byte(recStr(rec, "json")), &r); err != nil {
			return nil, 0, fmt.Errorf("decode review: %w", err)
		}
		out = append(out, r)
		made = max(made, recInt(rec, "seq"))
	}
	return out, made, nil
}

// Reviews returns a relation's review history, oldest first.
func (s *Store) Reviews(ctx context.Context, relationID string) ([]store.ReviewInfo, error) {
	recs, err := s.read(ctx, "reviews", qwReviews, map[string]any{"id": relationID})
	if err != nil {
		return nil, err
	}
	out, _, err := decodeReviews(recs)
	if err != nil {
		return nil, fmt.Errorf("neo4jstore: reviews: %w", err)
	}
	return out, nil
}

// ReviewsOf returns the review histories of many relations in one statement.
func (s *Store) ReviewsOf(ctx context.Context, relationIDs []string) (map[string][]store.ReviewInfo, error) {
	out := map[string][]store.ReviewInfo{}
	ids := uniq(relationIDs)
	if len(ids) == 0 {
		return out, nil
	}
	recs, err := s.read(ctx, "reviews", qwReviewsOf, map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	for _, rec := range recs {
		var r store.ReviewInfo
		if err := json.Unmarshal([]byte(recStr(rec, "json")), &r); err != nil {
			return nil, fmt.Errorf("neo4jstore: reviews: decode: %w", err)
		}
		id := recStr(rec, "relation")
		out[id] = append(out[id], r)
	}
	return out, nil
}

func putDeletion(ctx context.Context, tx neo4j.ManagedTransaction, d store.Deletion) error {
	d, data, err := roundTrip(d)
	if err != nil {
		return err
	}
	return exec(ctx, tx, qwPutDeleted, map[string]any{"id": d.ID, "at": store.TimeKey(d.Info.At), "kind": d.Kind, "json": data})
}

// DeleteRelation deletes a relation no other relation alleges or denies.
func (s *Store) DeleteRelation(ctx context.Context, id string, d store.DeletionInfo) error {
	if _, err := store.CheckTime("deletion", d.At); err != nil {
		return err
	}
	return s.writeTx(ctx, "delete relation", func(tx neo4j.ManagedTransaction) error {
		recs, err := run(ctx, tx, qwLockRel, map[string]any{"id": id})
		if err != nil {
			return err
		}
		if len(recs) == 0 {
			return fmt.Errorf("relation %q: %w", id, store.ErrNotFound)
		}
		rel := relations(recs)[0]
		linking, err := run(ctx, tx, qwLinking, map[string]any{"id": id})
		if err != nil {
			return err
		}
		if len(linking) > 0 {
			return fmt.Errorf("relation %q is alleged or denied by %d relations (%s, …): %w",
				id, len(linking), recStr(linking[0], "id"), store.ErrConflict)
		}
		rec, err := store.NewDeletion(d, nil, &rel)
		if err != nil {
			return err
		}
		if err := dropRelations(ctx, tx, []string{id}); err != nil {
			return err
		}
		return putDeletion(ctx, tx, rec)
	})
}

// DeleteActor deletes an actor without relations.
func (s *Store) DeleteActor(ctx context.Context, id string, d store.DeletionInfo) error {
	if _, err := store.CheckTime("deletion", d.At); err != nil {
		return err
	}
	return s.writeTx(ctx, "delete actor", func(tx neo4j.ManagedTransaction) error {
		recs, err := run(ctx, tx, qwActorUse, map[string]any{"id": id})
		if err != nil {
			return err
		}
		if len(recs) == 0 {
			return fmt.Errorf("actor %q: %w", id, store.ErrNotFound)
		}
		a := decodeActor(column(recs[0], "n"))
		if n := recInt(recs[0], "deg"); n > 0 {
			return fmt.Errorf("actor %q has %d relations: %w", id, n, store.ErrConflict)
		}
		claimed, err := run(ctx, tx, qwClaimed, map[string]any{"id": id})
		if err != nil {
			return err
		}
		if n := recInt(claimed[0], "n"); n > 0 {
			return fmt.Errorf("actor %q claims %d relations: %w", id, n, store.ErrConflict)
		}
		rec, err := store.NewDeletion(d, &a, nil)
		if err != nil {
			return err
		}
		if err := deleteActor(ctx, tx, id); err != nil {
			return err
		}
		return putDeletion(ctx, tx, rec)
	})
}

// Deletions lists deletion records, newest first.
func (s *Store) Deletions(ctx context.Context, limit int) ([]store.Deletion, error) {
	recs, err := s.read(ctx, "deletions", qwDeletions, map[string]any{"limit": clamp(limit)})
	if err != nil {
		return nil, err
	}
	var out []store.Deletion
	for _, rec := range recs {
		var d store.Deletion
		if err := json.Unmarshal([]byte(recStr(rec, "json")), &d); err != nil {
			return nil, fmt.Errorf("neo4jstore: decode deletion: %w", err)
		}
		out = append(out, d)
	}
	return out, nil
}

const (
	qwDropReviews = "MATCH (v:Review {relation: $id}) DELETE v"
	qwPutReviews  = "UNWIND $rows AS row\nCREATE (:Review {relation: $id, seq: row.seq, at: row.at, json: row.json})"
)

// RestoreHistory writes the records as they are (an import of an export).
func (s *Store) RestoreHistory(ctx context.Context, h store.History) error {
	if err := store.CheckHistory(h); err != nil {
		return err
	}
	return s.writeTx(ctx, "restore history", func(tx neo4j.ManagedTransaction) error {
		for _, m := range h.Merges {
			if _, err := putMerge(ctx, tx, m); err != nil {
				return err
			}
		}
		for _, d := range h.Deletions {
			if err := putDeletion(ctx, tx, d); err != nil {
				return err
			}
		}
		for id, rs := range store.ReviewsByRelation(h.Reviews) {
			rows := make([]any, len(rs))
			for i, r := range rs {
				_, data, err := roundTrip(r)
				if err != nil {
					return err
				}
				rows[i] = map[string]any{"seq": int64(i + 1), "at": store.TimeKey(r.At), "json": data}
			}
			if err := exec(ctx, tx, qwDropReviews, map[string]any{"id": id}); err != nil {
				return err
			}
			if err := exec(ctx, tx, qwPutReviews, map[string]any{"id": id, "rows": rows}); err != nil {
				return err
			}
		}
		return nil
	})
}
