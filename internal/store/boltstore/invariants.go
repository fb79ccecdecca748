package boltstore

import (
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// checkStored runs the stored-state rules (store.CheckStored) on the
// relations a write transaction put, against what that transaction sees.
// It runs inside the transaction, under the store's write lock, before the
// commit: an error aborts the write.
func checkStored(tx *bolt.Tx, idx *index, put []kg.Relation) error {
	return store.CheckStored(txView{tx: tx, idx: idx, put: put}, put)
}

// checkRemoved runs store.CheckRemoved on relations a write took out.
func checkRemoved(tx *bolt.Tx, idx *index, put []kg.Relation, removed []string) error {
	return store.CheckRemoved(txView{tx: tx, idx: idx, put: put}, removed)
}

// txView is kg.View over one bbolt write transaction. Records are read
// from the transaction (its own writes included); the in-memory index,
// which is the state before the transaction, only proposes candidate
// hierarchy edges, each confirmed against its record.
type txView struct {
	tx  *bolt.Tx
	idx *index
	put []kg.Relation
}

var kindBuckets = []struct {
	kind   string
	bucket []byte
}{{"actor", bActors}, {"place", bPlaces}, {"event", bEvents}, {"source", bSources}, {"relation", bRelations}}

func (v txView) Kinds(ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	for _, id := range ids {
		for _, kb := range kindBuckets {
			if v.tx.Bucket(kb.bucket).Get([]byte(id)) != nil {
				out[id] = kb.kind
				break
			}
		}
	}
	return out, nil
}

func (v txView) Parents(ids []string) (map[string][]string, error) {
	out := map[string][]string{}
	for _, id := range ids {
		cand := v.idx.hierarchyOut(id)
		for _, r := range v.put {
			if r.From == id {
				cand = append(cand, r.ID)
			}
		}
		slices.Sort(cand)
		m := map[string]kg.Relation{}
		if err := get(v.tx, bRelations, slices.Compact(cand), m); err != nil {
			return nil, err
		}
		for _, r := range m {
			if r.From == id && r.Type.IsHierarchy() {
				out[id] = append(out[id], r.To)
			}
		}
	}
	return out, nil
}

func (v txView) Linking(ids []string) (map[string][]string, error) {
	out := map[string][]string{}
	for _, id := range ids {
		cand := append(slices.Clone(v.idx.byAlleges[id]), v.idx.byDenies[id]...)
		for _, r := range v.put {
			if r.Alleges == id || r.Denies == id {
				cand = append(cand, r.ID)
			}
		}
		slices.Sort(cand)
		m := map[string]kg.Relation{}
		if err := get(v.tx, bRelations, slices.Compact(cand), m); err != nil {
			return nil, err
		}
		for rid, r := range m {
			if r.Alleges == id || r.Denies == id {
				out[id] = append(out[id], rid)
			}
		}
		slices.Sort(out[id])
	}
	return out, nil
}

// hierarchyOut returns the ids of the PART_OF/HOLDS_ROLE relations from
// actor id in the index.
func (x *index) hierarchyOut(id string) []string {
	var out []string
	for _, rid := range x.byFrom[id] {
		if x.rels[rid].typ.IsHierarchy() {
			out = append(out, rid)
		}
	}
	return out
}
