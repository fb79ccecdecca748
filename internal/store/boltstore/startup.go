package boltstore

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"

	bolt "go.etcd.io/bbolt"

	"github.com/actorgraph/actorgraph/internal/kg"
)

// Startup. Decoding every relation's JSON is what made opening a large
// store slow (several microseconds a record), so each relation's index
// entry (relKey) is also kept on disk, in a compact binary form, in bucket
// relkeys: written and deleted with the relation, in the same transaction
// (wtx.put / wtx.delete). Open reads those instead of the records and
// builds the relation trees bottom-up from sorted lists (bulk) rather than
// by one insertion each.
//
// A store written before relkeys existed (or whose relkeys does not have
// one entry per relation) gets it rebuilt from the records once, at Open.

var bRelKeys = []byte("relkeys")

func init() { allBuckets = append(allBuckets, bRelKeys) }

// relKeyVersion heads every encoded entry; a change of layout bumps it,
// and Open rebuilds entries of another version from the records.
const relKeyVersion = 2

func appendStr(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// encodeRelKey is k's on-disk form.
func encodeRelKey(k *relKey) []byte {
	b := make([]byte, 0, 128)
	b = append(b, relKeyVersion)
	for _, s := range [...]string{string(k.typ), k.from, k.to, string(k.attribution), string(k.status),
		string(k.review), k.source, k.event, k.claimedBy, k.place, k.alleges, k.denies, k.cameo, k.plover,
		k.occurred, k.reported, string(k.precision)} {
		b = appendStr(b, s)
	}
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(k.confidence))
	if k.goldstein != nil {
		b = append(b, 1)
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(*k.goldstein))
	} else {
		b = append(b, 0)
	}
	return binary.AppendUvarint(b, uint64(k.evidence))
}

var errRelKey = errors.New("bad relkey entry")

// interner shares the bytes of repeated strings (types, actor ids, dates)
// among the relKeys built at startup; it is not safe for concurrent use.
type interner map[string]string

func (in interner) str(b []byte) string {
	if s, ok := in[string(b)]; ok {
		return s
	}
	s := string(b)
	in[s] = s
	return s
}

// decodeRelKey reads an entry written by encodeRelKey (id is its key).
func decodeRelKey(id string, b []byte, in interner) (*relKey, error) {
	if len(b) == 0 || b[0] != relKeyVersion {
		return nil, errRelKey
	}
	b = b[1:]
	var strs [17]string
	for i := range strs {
		n, w := binary.Uvarint(b)
		if w <= 0 || uint64(len(b)-w) < n {
			return nil, errRelKey
		}
		strs[i] = in.str(b[w : w+int(n)])
		b = b[w+int(n):]
	}
	if len(b) < 9 {
		return nil, errRelKey
	}
	k := &relKey{id: id, typ: kg.RelationType(strs[0]), from: strs[1], to: strs[2],
		attribution: kg.Attribution(strs[3]), status: kg.Status(strs[4]), review: kg.Review(strs[5]),
		source: strs[6], event: strs[7], claimedBy: strs[8], place: strs[9], alleges: strs[10], denies: strs[11],
		cameo: strs[12], plover: strs[13], occurred: strs[14], reported: strs[15], precision: kg.Precision(strs[16])}
	k.confidence = math.Float64frombits(binary.LittleEndian.Uint64(b))
	b = b[8:]
	if b[0] == 1 {
		if len(b) < 9 {
			return nil, errRelKey
		}
		g := math.Float64frombits(binary.LittleEndian.Uint64(b[1:]))
		k.goldstein = &g
		b = b[9:]
	} else {
		b = b[1:]
	}
	ev, w := binary.Uvarint(b)
	if w <= 0 {
		return nil, errRelKey
	}
	k.evidence = int(ev)
	return k, nil
}

// syncRelKeys rebuilds bucket relkeys from the relation records when it
// is not in step with them: another entry version, or first or last keys
// that differ (a file written before relkeys existed has none). Only the
// ends are compared — counting both buckets walks every page, a second at
// a million relations — since every write puts both in one transaction.
func syncRelKeys(tx *bolt.Tx) error {
	rc, kc := tx.Bucket(bRelations).Cursor(), tx.Bucket(bRelKeys).Cursor()
	rf, _ := rc.First()
	kf, v := kc.First()
	rl, _ := rc.Last()
	kl, _ := kc.Last()
	if string(rf) == string(kf) && string(rl) == string(kl) && (kf == nil || (len(v) > 0 && v[0] == relKeyVersion)) {
		return nil
	}
	if err := tx.DeleteBucket(bRelKeys); err != nil {
		return err
	}
	keys, err := tx.CreateBucket(bRelKeys)
	if err != nil {
		return err
	}
	return eachRecord(tx, bRelations, func(r kg.Relation) error {
		return keys.Put([]byte(r.ID), encodeRelKey(keyOf(r)))
	})
}

// loadRelKeys reads every relation's index entry, by id.
func loadRelKeys(tx *bolt.Tx) ([]*relKey, error) {
	in := interner{}
	var out []*relKey
	err := tx.Bucket(bRelKeys).ForEach(func(k, v []byte) error {
		rk, err := decodeRelKey(string(k), v, in)
		if err != nil {
			return fmt.Errorf("relkeys/%s: %w", k, err)
		}
		out = append(out, rk)
		return nil
	})
	return out, err
}

// bulk builds a tree of items, already sorted under O and distinct,
// bottom-up: each level's nodes filled to three quarters, no comparisons.
func bulk[T any, O ordering[T]](items []T) ptree[T, O] {
	if len(items) == 0 {
		return ptree[T, O]{}
	}
	const fill = maxNode * 3 / 4
	var level []*pnode[T]
	for i := 0; i < len(items); i += fill {
		chunk := slices.Clone(items[i:min(i+fill, len(items))])
		level = append(level, &pnode[T]{items: chunk, count: len(chunk)})
	}
	for len(level) > 1 {
		var next []*pnode[T]
		for i := 0; i < len(level); i += fill {
			kids := slices.Clone(level[i:min(i+fill, len(level))])
			n := &pnode[T]{kids: kids, keys: make([]T, len(kids))}
			for j, k := range kids {
				n.keys[j], n.count = k.first(), n.count+k.count
			}
			next = append(next, n)
		}
		level = next
	}
	return ptree[T, O]{root: level[0]}
}

// bulkAdj builds an adjacency tree from each key's relations (in id order).
func bulkAdj(lists map[string][]*relKey) adjTree {
	keys := make([]string, 0, len(lists))
	for k := range lists {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	items := make([]adj, len(keys))
	for i, k := range keys {
		items[i] = adj{key: k, rels: bulk[*relKey, relByID](lists[k])}
	}
	return bulk[adj, adjByKey](items)
}

// setRels fills b's empty relation indexes with keys (sorted by id),
// building the independent trees in parallel.
func (b *builder) setRels(keys []*relKey) {
	x := b.x
	var wg sync.WaitGroup
	wg.Add(3)
	go func() {
		defer wg.Done()
		x.byOccurred = bulk[*relKey, relByOccurred](byValue(keys, func(k *relKey) string { return k.occurred }))
	}()
	go func() {
		defer wg.Done()
		x.byReported = bulk[*relKey, relByReported](byValue(keys, func(k *relKey) string { return k.reported }))
	}()
	go func() {
		defer wg.Done()
		x.byConfid = bulk[*relKey, relByConfidence](byValue(keys, func(k *relKey) float64 { return k.confidence }))
	}()
	adjs := []struct {
		dst *adjTree
		key func(*relKey) string
	}{
		{&x.byFrom, func(k *relKey) string { return k.from }},
		{&x.byTo, func(k *relKey) string { return k.to }},
		{&x.byEvent, func(k *relKey) string { return k.event }},
		{&x.byClaimant, func(k *relKey) string { return k.claimedBy }},
		{&x.byAlleges, func(k *relKey) string { return k.alleges }},
		{&x.byDenies, func(k *relKey) string { return k.denies }},
	}
	for _, a := range adjs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lists := map[string][]*relKey{}
			for _, k := range keys {
				if key := a.key(k); key != "" {
					lists[key] = append(lists[key], k)
				}
			}
			*a.dst = bulkAdj(lists)
		}()
	}
	x.rels = bulk[*relKey, relByID](keys)
	for _, k := range keys {
		x.countAdded(k)
	}
	wg.Wait()
}

// byValue orders keys (sorted by id) by value, then id: a bucket sort on
// the distinct values (dates, confidences: few against the relations),
// which keeps each bucket in id order, instead of a comparison sort of
// every key.
func byValue[V cmp.Ordered](keys []*relKey, value func(*relKey) V) []*relKey {
	buckets := map[V][]*relKey{}
	for _, k := range keys {
		v := value(k)
		buckets[v] = append(buckets[v], k)
	}
	vals := make([]V, 0, len(buckets))
	for v := range buckets {
		vals = append(vals, v)
	}
	slices.Sort(vals)
	out := make([]*relKey, 0, len(keys))
	for _, v := range vals {
		out = append(out, buckets[v]...)
	}
	return out
}
