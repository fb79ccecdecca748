package boltstore

import (
	"slices"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// checkStored runs the stored-state rules (store.CheckStored) on the
// relations a write transaction put, against what that transaction sees.
// It runs inside the transaction, under the store's write lock, before the
// commit: an error aborts the write.
func checkStored(tx *wtx, put []kg.Relation) error {
	return store.CheckStored(txView{tx}, put)
}

// checkRemoved runs store.CheckRemoved on relations a write took out.
func checkRemoved(tx *wtx, removed []string) error {
	return store.CheckRemoved(txView{tx}, removed)
}

// txView is kg.View over one write transaction: records come from the
// bbolt transaction and hierarchy and links from the index version the
// write is building (tx.next), so both include the write's own changes.
type txView struct{ tx *wtx }

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
		if ps := idsOf(v.tx.next.x.parents, id); len(ps) > 0 {
			out[id] = slices.Compact(slices.Clone(ps))
		}
	}
	return out, nil
}

func (v txView) Linking(ids []string) (map[string][]string, error) {
	out := map[string][]string{}
	x := v.tx.next.x
	for _, id := range ids {
		l := append(relIDs(listOf(x.byAlleges, id).Items()), relIDs(listOf(x.byDenies, id).Items())...)
		if len(l) > 0 {
			slices.Sort(l)
			out[id] = slices.Compact(l)
		}
	}
	return out, nil
}
