package boltstore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// The writer's records: JSON values in buckets of their own.
//
//	merges     merge id                          -> store.Merge
//	reviews    relation id \x00 %012d sequence   -> store.ReviewInfo
//	deletions  store.TimeKey(at) \x00 deletion id -> store.Deletion (key order = time order)
var (
	bMerges                    = []byte("merges")
	bReviews                   = []byte("reviews")
	bDeletions                 = []byte("deletions")
	writerBuckets              = [][]byte{bMerges, bReviews, bDeletions}
	_             store.Writer = (*Store)(nil)
)

// The record buckets join the ones Open creates and Wipe empties, so a
// wiped store holds no stale merge or review. (Writes also create them if
// missing.)
func init() { allBuckets = append(allBuckets, writerBuckets...) }

// failpoint, when set (tests), runs at the end of every write transaction;
// an error it returns aborts the transaction.
var failpoint func(op string) error

// errNoChange aborts a write transaction that has nothing to change.
var errNoChange = errors.New("no change")

// wtx is one write transaction: bbolt's, the index of the state it starts
// from (idx, for the writer's checks) and the next index version it builds
// (next). Entities are written through put and delete, which keep the two
// in step.
type wtx struct {
	*bolt.Tx
	idx  *index
	next *builder
}

// put stores entity v (a kg.Actor, Relation, Place, Event or Source) under
// id in bucket and records it in the next index.
func (tx *wtx) put(bucket []byte, id string, v any) error {
	if err := putJSON(tx.Bucket(bucket), id, v); err != nil {
		return err
	}
	if k := tx.next.put(bucket, v); k != nil {
		return tx.Bucket(bRelKeys).Put([]byte(id), encodeRelKey(k))
	}
	return nil
}

// putRelations stores a batch of relations and records them in the next
// index together (builder.putRels).
func (tx *wtx) putRelations(rs []kg.Relation) error {
	b := tx.Bucket(bRelations)
	for _, r := range rs {
		if err := putJSON(b, r.ID, r); err != nil {
			return err
		}
	}
	keys := tx.Bucket(bRelKeys)
	for _, k := range tx.next.putRels(rs) {
		if err := keys.Put([]byte(k.id), encodeRelKey(k)); err != nil {
			return err
		}
	}
	return nil
}

// delete removes entity id from bucket and from the next index.
func (tx *wtx) delete(bucket []byte, id string) error {
	if err := del(tx.Tx, bucket, id); err != nil {
		return err
	}
	tx.next.del(bucket, id)
	if string(bucket) == string(bRelations) {
		return tx.Bucket(bRelKeys).Delete([]byte(id))
	}
	return nil
}

// write runs fn in one bbolt write transaction (writers take turns on
// s.mu), then publishes the index version fn built. The version carries
// the transaction's id and is offered as s.pending while bbolt commits, so
// a reader never pairs a transaction with an index of another state and
// never waits for the commit's fsyncs (see begin).
func (s *Store) write(ctx context.Context, op string, fn func(tx *wtx) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("boltstore: %s: %w: %w", op, store.ErrUnavailable, err)
	}
	var next *index
	err := s.db.Update(func(btx *bolt.Tx) error {
		for _, b := range writerBuckets {
			if _, err := btx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		cur := s.cur.Load()
		tx := &wtx{Tx: btx, idx: cur, next: cur.edit()}
		if err := s.logged(ctx, btx, op, func() error { return fn(tx) }); err != nil {
			return err
		}
		if failpoint != nil {
			if err := failpoint(op); err != nil {
				return err
			}
		}
		next = tx.next.done(btx.ID())
		s.pending.Store(next) // bbolt commits when fn returns
		return nil
	})
	if err == nil && next != nil {
		s.cur.Store(next) // before pending is cleared: see begin
	}
	s.pending.Store(nil)
	if errors.Is(err, errNoChange) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("boltstore: %s: %w", op, err)
	}
	return nil
}

func putJSON(b *bolt.Bucket, key string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	notePut(b, key, v, data)
	return b.Put([]byte(key), data)
}

// getJSON decodes key of b into v; false when absent.
func getJSON(b *bolt.Bucket, key string, v any) (bool, error) {
	if b == nil {
		return false, nil
	}
	data := b.Get([]byte(key))
	if data == nil {
		return false, nil
	}
	if err := json.Unmarshal(data, v); err != nil {
		return false, fmt.Errorf("decode %s: %w", key, err)
	}
	return true, nil
}

// roundTrip returns v as it reads back from its JSON (so a write returns
// exactly what later reads return).
func roundTrip[T any](v T) T {
	data, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out T
	if json.Unmarshal(data, &out) != nil {
		return v
	}
	return out
}

// PutActor creates the actor or replaces its fields.
func (s *Store) PutActor(ctx context.Context, a kg.Actor) error {
	if err := store.CheckActor(a); err != nil {
		return err
	}
	return s.write(ctx, "put actor", func(tx *wtx) error {
		idx := tx.idx
		if idx.isPlace(a.ID) {
			return fmt.Errorf("actor id %q is a place's: %w", a.ID, store.ErrInvalid)
		}
		return tx.put(bActors, a.ID, a)
	})
}

// AddAliases adds the aliases the actor does not have yet (folded).
func (s *Store) AddAliases(ctx context.Context, actorID string, aliases []string) (kg.Actor, error) {
	var out kg.Actor
	err := s.write(ctx, "add aliases", func(tx *wtx) error {
		var a kg.Actor
		ok, err := getJSON(tx.Bucket(bActors), actorID, &a)
		if err != nil {
			return err
		}
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
		return tx.put(bActors, a.ID, a)
	})
	return out, err
}

// activeMergeOf returns the id of a merge not undone that merged id away.
func activeMergeOf(tx *bolt.Tx, id string) (string, error) {
	found := ""
	err := tx.Bucket(bMerges).ForEach(func(k, v []byte) error {
		var m store.Merge
		if err := json.Unmarshal(v, &m); err != nil {
			return err
		}
		if m.Merged == id && !m.Undone {
			found = m.ID
		}
		return nil
	})
	return found, err
}

// relationsTouching returns the relations with actor id at From, To or as
// ClaimedBy.
func relationsTouching(tx *bolt.Tx, idx *index, id string) ([]kg.Relation, error) {
	var ids []string
	for _, t := range []adjTree{idx.byFrom, idx.byTo, idx.byClaimant} {
		ids = append(ids, relIDs(listOf(t, id).Items())...)
	}
	slices.Sort(ids)
	return getList[kg.Relation](tx, bRelations, slices.Compact(ids))
}

// hierarchyPath reports whether actor below reaches actor above through
// the PART_OF/HOLDS_ROLE hierarchy by way of another actor (a path of two
// or more edges): merging the two would close that path into a cycle.
func (x *index) hierarchyPath(below, above string) bool {
	for _, c := range idsOf(x.children, above) {
		if c != below && slices.Contains(x.descendants(c), below) {
			return true
		}
	}
	return false
}

// MergeActors merges mergedID into survivorID (see store.Writer).
func (s *Store) MergeActors(ctx context.Context, survivorID, mergedID string, info store.MergeInfo) (store.Merge, error) {
	if survivorID == "" || mergedID == "" || survivorID == mergedID {
		return store.Merge{}, fmt.Errorf("boltstore: merge %q into %q: %w", mergedID, survivorID, store.ErrInvalid)
	}
	if _, err := store.CheckTime("merge", info.At); err != nil {
		return store.Merge{}, err
	}
	var out store.Merge
	err := s.write(ctx, "merge actors", func(tx *wtx) error {
		idx := tx.idx
		var prev store.Merge
		ok, err := getJSON(tx.Bucket(bMerges), store.MergeID(survivorID, mergedID), &prev)
		if err != nil {
			return err
		}
		if ok && !prev.Undone {
			return fmt.Errorf("%q is already merged into %q: %w", mergedID, survivorID, store.ErrConflict)
		}
		actors := map[string]kg.Actor{}
		if err := get(tx.Tx, bActors, []string{survivorID, mergedID}, actors); err != nil {
			return err
		}
		for _, id := range []string{survivorID, mergedID} {
			if _, ok := actors[id]; ok {
				continue
			}
			mid, err := activeMergeOf(tx.Tx, id)
			if err != nil {
				return err
			}
			if mid != "" {
				return fmt.Errorf("actor %q was merged away (%s): %w", id, mid, store.ErrConflict)
			}
			return fmt.Errorf("actor %q: %w", id, store.ErrNotFound)
		}
		if idx.hierarchyPath(survivorID, mergedID) || idx.hierarchyPath(mergedID, survivorID) {
			return fmt.Errorf("merging %q into %q would make a PART_OF/HOLDS_ROLE cycle: %w", mergedID, survivorID, store.ErrConflict)
		}
		rels, err := relationsTouching(tx.Tx, idx, mergedID)
		if err != nil {
			return err
		}
		plan, err := store.PlanMerge(actors[survivorID], actors[mergedID], rels, info)
		if err != nil {
			return err
		}
		for _, id := range plan.Drop {
			if err := tx.delete(bRelations, id); err != nil {
				return err
			}
		}
		for _, r := range plan.Put {
			if err := tx.put(bRelations, r.ID, r); err != nil {
				return err
			}
		}
		if err := tx.delete(bActors, mergedID); err != nil {
			return err
		}
		if err := tx.put(bActors, survivorID, plan.Survivor); err != nil {
			return err
		}
		if err := checkStored(tx, plan.Put); err != nil {
			return err
		}
		if err := checkRemoved(tx, plan.Drop); err != nil {
			return err
		}
		out = roundTrip(plan.Record)
		return putJSON(tx.Bucket(bMerges), out.ID, out)
	})
	if err != nil {
		return store.Merge{}, err
	}
	return out, nil
}

// Unmerge undoes a merge (see store.Writer).
func (s *Store) Unmerge(ctx context.Context, mergeID string) (store.Merge, error) {
	var out store.Merge
	err := s.write(ctx, "unmerge", func(tx *wtx) error {
		var m store.Merge
		ok, err := getJSON(tx.Bucket(bMerges), mergeID, &m)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("merge %q: %w", mergeID, store.ErrNotFound)
		}
		actors := map[string]kg.Actor{}
		if err := get(tx.Tx, bActors, []string{m.Survivor, m.Merged}, actors); err != nil {
			return err
		}
		var survivor *kg.Actor
		if a, ok := actors[m.Survivor]; ok {
			survivor = &a
		}
		_, mergedExists := actors[m.Merged]
		current := map[string]kg.Relation{}
		ids := make([]string, len(m.Moved))
		for i, r := range m.Moved {
			ids[i] = r.ID
		}
		if err := get(tx.Tx, bRelations, ids, current); err != nil {
			return err
		}
		plan, err := store.PlanUnmerge(m, survivor, current, mergedExists)
		if err != nil {
			return err
		}
		if err := tx.put(bActors, m.Merged, plan.Merged); err != nil {
			return err
		}
		if err := tx.put(bActors, m.Survivor, plan.Survivor); err != nil {
			return err
		}
		for _, r := range plan.Put {
			if err := tx.put(bRelations, r.ID, r); err != nil {
				return err
			}
		}
		if err := checkStored(tx, plan.Put); err != nil {
			return err
		}
		out = plan.Record
		return putJSON(tx.Bucket(bMerges), out.ID, out)
	})
	if err != nil {
		return store.Merge{}, err
	}
	return out, nil
}

// Merges lists merge records, newest first.
func (s *Store) Merges(ctx context.Context, limit int) ([]store.Merge, error) {
	var out []store.Merge
	err := s.view(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bMerges)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var m store.Merge
			if err := json.Unmarshal(v, &m); err != nil {
				return fmt.Errorf("boltstore: decode merge %s: %w", k, err)
			}
			out = append(out, m)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	store.SortMerges(out)
	if n := clamp(limit); len(out) > n {
		out = out[:n]
	}
	return out, nil
}

func reviewPrefix(relationID string) []byte { return []byte(relationID + "\x00") }

// reviews reads a relation's history in the order the reviews were made.
func reviews(tx *bolt.Tx, relationID string) ([]store.ReviewInfo, error) {
	b := tx.Bucket(bReviews)
	if b == nil {
		return nil, nil
	}
	prefix := reviewPrefix(relationID)
	var out []store.ReviewInfo
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var r store.ReviewInfo
		if err := json.Unmarshal(v, &r); err != nil {
			return nil, fmt.Errorf("decode review %q: %w", k, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// sortReviews orders a history (in the order made) by At, stably.
func sortReviews(rs []store.ReviewInfo) {
	slices.SortStableFunc(rs, func(a, b store.ReviewInfo) int { return a.At.Compare(b.At) })
}

// Review sets a relation's review status and records the review.
func (s *Store) Review(ctx context.Context, relationID string, r store.ReviewInfo) (kg.Relation, error) {
	r, err := store.CheckReview(r)
	if err != nil {
		return kg.Relation{}, err
	}
	var out kg.Relation
	err = s.write(ctx, "review", func(tx *wtx) error {
		var rel kg.Relation
		ok, err := getJSON(tx.Bucket(bRelations), relationID, &rel)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("relation %q: %w", relationID, store.ErrNotFound)
		}
		hist, err := reviews(tx.Tx, relationID)
		if err != nil {
			return err
		}
		made := len(hist)
		sortReviews(hist)
		if len(hist) > 0 && store.SameReview(hist[len(hist)-1], r) && rel.Provenance.Review == r.Status {
			out = rel
			return errNoChange
		}
		rel.Provenance.Review = r.Status
		out = rel
		if err := tx.put(bRelations, rel.ID, rel); err != nil {
			return err
		}
		return putJSON(tx.Bucket(bReviews), fmt.Sprintf("%s\x00%012d", relationID, made+1), r)
	})
	if err != nil {
		return kg.Relation{}, err
	}
	return out, nil
}

// Reviews returns a relation's review history, oldest first.
func (s *Store) Reviews(ctx context.Context, relationID string) ([]store.ReviewInfo, error) {
	var out []store.ReviewInfo
	err := s.view(ctx, func(tx *bolt.Tx) error {
		var err error
		out, err = reviews(tx, relationID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("boltstore: reviews: %w", err)
	}
	sortReviews(out)
	return out, nil
}

// ReviewsOf returns the review histories of many relations in one read.
func (s *Store) ReviewsOf(ctx context.Context, relationIDs []string) (map[string][]store.ReviewInfo, error) {
	out := map[string][]store.ReviewInfo{}
	err := s.view(ctx, func(tx *bolt.Tx) error {
		for _, id := range relationIDs {
			if _, done := out[id]; done || id == "" {
				continue
			}
			rs, err := reviews(tx, id)
			if err != nil {
				return err
			}
			if len(rs) > 0 {
				sortReviews(rs)
				out[id] = rs
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("boltstore: reviews: %w", err)
	}
	return out, nil
}

func putDeletion(tx *bolt.Tx, d store.Deletion) error {
	return putJSON(tx.Bucket(bDeletions), store.TimeKey(d.Info.At)+"\x00"+d.ID, d)
}

// DeleteRelation deletes a relation no other relation alleges or denies.
func (s *Store) DeleteRelation(ctx context.Context, id string, d store.DeletionInfo) error {
	if _, err := store.CheckTime("deletion", d.At); err != nil {
		return err
	}
	return s.write(ctx, "delete relation", func(tx *wtx) error {
		idx := tx.idx
		var rel kg.Relation
		ok, err := getJSON(tx.Bucket(bRelations), id, &rel)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("relation %q: %w", id, store.ErrNotFound)
		}
		if by := append(relIDs(listOf(idx.byAlleges, id).Items()), relIDs(listOf(idx.byDenies, id).Items())...); len(by) > 0 {
			return fmt.Errorf("relation %q is alleged or denied by %s: %w", id, strings.Join(by, ", "), store.ErrConflict)
		}
		rec, err := store.NewDeletion(d, nil, &rel)
		if err != nil {
			return err
		}
		if err := tx.delete(bRelations, id); err != nil {
			return err
		}
		return putDeletion(tx.Tx, rec)
	})
}

// DeleteActor deletes an actor without relations.
func (s *Store) DeleteActor(ctx context.Context, id string, d store.DeletionInfo) error {
	if _, err := store.CheckTime("deletion", d.At); err != nil {
		return err
	}
	return s.write(ctx, "delete actor", func(tx *wtx) error {
		idx := tx.idx
		var a kg.Actor
		ok, err := getJSON(tx.Bucket(bActors), id, &a)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("actor %q: %w", id, store.ErrNotFound)
		}
		if n := listOf(idx.byFrom, id).Len() + listOf(idx.byTo, id).Len(); n > 0 {
			return fmt.Errorf("actor %q has %d relations: %w", id, n, store.ErrConflict)
		}
		if n := listOf(idx.byClaimant, id).Len(); n > 0 {
			return fmt.Errorf("actor %q claims %d relations: %w", id, n, store.ErrConflict)
		}
		rec, err := store.NewDeletion(d, &a, nil)
		if err != nil {
			return err
		}
		if err := tx.delete(bActors, id); err != nil {
			return err
		}
		return putDeletion(tx.Tx, rec)
	})
}

// Deletions lists deletion records, newest first (the bucket's keys in
// reverse).
func (s *Store) Deletions(ctx context.Context, limit int) ([]store.Deletion, error) {
	n := clamp(limit)
	var out []store.Deletion
	err := s.view(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bDeletions)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.Last(); k != nil && len(out) < n; k, v = c.Prev() {
			var d store.Deletion
			if err := json.Unmarshal(v, &d); err != nil {
				return fmt.Errorf("boltstore: decode deletion %q: %w", k, err)
			}
			out = append(out, d)
		}
		return nil
	})
	return out, err
}

// RestoreHistory writes the records as they are (an import of an export).
func (s *Store) RestoreHistory(ctx context.Context, h store.History) error {
	if err := store.CheckHistory(h); err != nil {
		return err
	}
	return s.write(ctx, "restore history", func(tx *wtx) error {
		for _, m := range h.Merges {
			if err := putJSON(tx.Bucket(bMerges), m.ID, m); err != nil {
				return err
			}
		}
		for _, d := range h.Deletions {
			if err := putDeletion(tx.Tx, d); err != nil {
				return err
			}
		}
		b := tx.Bucket(bReviews)
		for id, rs := range store.ReviewsByRelation(h.Reviews) {
			prefix := reviewPrefix(id)
			var old [][]byte
			c := b.Cursor()
			for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
				old = append(old, append([]byte{}, k...))
			}
			for _, k := range old {
				if err := b.Delete(k); err != nil {
					return err
				}
			}
			for i, r := range rs {
				if err := putJSON(b, fmt.Sprintf("%s\x00%012d", id, i+1), r); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
