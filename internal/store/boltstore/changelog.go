package boltstore

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// The change log (store.ChangeLog): one bucket of entries keyed by their
// sequence as 8 big-endian bytes (so key order is sequence order), numbered
// by the bucket's own sequence counter, and a meta bucket holding the floor
// — the highest sequence compaction (or Wipe) dropped. Both are written in
// the write's own bbolt transaction, and bbolt has one writer at a time, so
// sequence order is commit order.
//
// Neither bucket is among allBuckets: Wipe empties the log but keeps its
// counter, so sequences never repeat and old cursors expire instead of
// silently matching new entries.
var (
	bChanges    = []byte("changes")
	bChangeMeta = []byte("changemeta")
	keyFloor    = []byte("floor")
)

// changeSets maps an open write transaction to the entries it collects;
// putJSON and del note into it. Keyed by transaction because the helpers
// that write records take a bucket, not the store.
var changeSets sync.Map // *bolt.Tx -> *store.ChangeSet

// logged runs fn in tx with a change set attached, then appends its entries
// to the log in the same transaction.
func (s *Store) logged(ctx context.Context, tx *bolt.Tx, op string, fn func() error) error {
	if s.opts.NoChangeLog {
		return fn()
	}
	cs := store.NewChangeSet(store.OpOf(ctx, op), time.Now())
	changeSets.Store(tx, cs)
	defer changeSets.Delete(tx)
	if err := fn(); err != nil {
		return err
	}
	return appendLog(tx, cs.List())
}

func seqKey(seq uint64) []byte { return binary.BigEndian.AppendUint64(nil, seq) }

// appendLog appends list to the log, numbering the entries from the
// bucket's counter (set once, not per entry). Keys only ever grow, so the
// bucket's pages are filled completely rather than split in half.
func appendLog(tx *bolt.Tx, list []store.Change) error {
	if len(list) == 0 {
		return nil
	}
	b, err := tx.CreateBucketIfNotExists(bChanges)
	if err != nil {
		return err
	}
	b.FillPercent = 1
	seq := b.Sequence()
	for _, ch := range list {
		seq++
		if err := b.Put(seqKey(seq), encodeChange(ch)); err != nil {
			return err
		}
	}
	return b.SetSequence(seq)
}

// An entry on disk is compact binary, and carries the entity's record as
// the very bytes the write stored (ChangeSet's encoded forms), so logging
// a relation costs no second JSON encoding:
//
//	changeVersion, at (varint Unix ns), op, entity, id, kind, record, before
//
// each string or byte field a uvarint length and its bytes (record and
// before empty when absent). Entries written before this layout are JSON
// (first byte '{') and still read.
const changeVersion = 1

func encodeChange(ch store.Change) []byte {
	n := 16 + len(ch.Op) + len(ch.Entity) + len(ch.ID) + len(ch.Kind) + len(ch.Record) + len(ch.BeforeRecord) + 6*binary.MaxVarintLen32
	b := make([]byte, 0, n)
	b = append(b, changeVersion)
	b = binary.AppendVarint(b, ch.At.UnixNano())
	for _, f := range [...]string{ch.Op, string(ch.Entity), ch.ID, string(ch.Kind)} {
		b = appendStr(b, f)
	}
	b = appendStr(b, string(ch.Record))
	return appendStr(b, string(ch.BeforeRecord))
}

var errChange = errors.New("bad change entry")

// changeReader reads an entry's fields in order; the first error sticks.
type changeReader struct {
	b   []byte
	err error
}

func (r *changeReader) bytes() []byte {
	n, k := binary.Uvarint(r.b)
	if r.err != nil || k <= 0 || uint64(len(r.b)-k) < n {
		r.err = errChange
		return nil
	}
	out := r.b[k : k+int(n)]
	r.b = r.b[k+int(n):]
	return out
}

// changeAt reads an entry's commit time (compaction by age).
func changeAt(v []byte) (time.Time, error) {
	if len(v) > 0 && v[0] == '{' {
		var ch struct {
			At time.Time `json:"at"`
		}
		err := json.Unmarshal(v, &ch)
		return ch.At, err
	}
	if len(v) == 0 || v[0] != changeVersion {
		return time.Time{}, errChange
	}
	ns, k := binary.Varint(v[1:])
	if k <= 0 {
		return time.Time{}, errChange
	}
	return time.Unix(0, ns).UTC(), nil
}

// decodeChange reads entry seq (either layout) into a store.Change.
func decodeChange(seq uint64, v []byte) (store.Change, error) {
	var ch store.Change
	if len(v) > 0 && v[0] == '{' {
		err := json.Unmarshal(v, &ch)
		return ch, err
	}
	at, err := changeAt(v)
	if err != nil {
		return ch, err
	}
	_, k := binary.Varint(v[1:])
	r := &changeReader{b: v[1+k:]}
	ch.Seq, ch.At = int64(seq), at
	ch.Op, ch.Entity, ch.ID, ch.Kind = string(r.bytes()), store.ChangeEntity(r.bytes()), string(r.bytes()), store.ChangeKind(r.bytes())
	record, before := r.bytes(), r.bytes()
	if r.err != nil {
		return ch, r.err
	}
	if len(record) > 0 {
		switch ch.Entity {
		case store.EntityActor:
			ch.Actor = new(kg.Actor)
			err = json.Unmarshal(record, ch.Actor)
		case store.EntityRelation:
			ch.Relation = new(kg.Relation)
			err = json.Unmarshal(record, ch.Relation)
		}
	}
	if err == nil && len(before) > 0 {
		ch.Before = new(kg.Relation)
		err = json.Unmarshal(before, ch.Before)
	}
	return ch, err
}

var bucketEntity = map[string]store.ChangeEntity{
	string(bActors): store.EntityActor, string(bRelations): store.EntityRelation,
	string(bPlaces): store.EntityPlace, string(bEvents): store.EntityEvent, string(bSources): store.EntitySource,
}

// changeSet is the change set of tx's write, nil when it keeps no log.
func changeSet(tx *bolt.Tx) *store.ChangeSet {
	if x, ok := changeSets.Load(tx); ok {
		return x.(*store.ChangeSet)
	}
	return nil
}

// entityOf names the entity kind of a record value, or "" for records that
// are not entities (merges, reviews, deletions); carried says whether the
// entry carries the record.
func entityOf(v any) (e store.ChangeEntity, carried bool) {
	switch v.(type) {
	case kg.Actor:
		return store.EntityActor, true
	case kg.Relation:
		return store.EntityRelation, true
	case kg.Place:
		return store.EntityPlace, false
	case kg.Event:
		return store.EntityEvent, false
	case kg.Source:
		return store.EntitySource, false
	}
	return "", false
}

// notePut records the write of v, encoded as data, under key in b, before
// it happens: it reads the old value to tell a creation from an update and
// keeps a relation's old record as the entry's before.
func notePut(b *bolt.Bucket, key string, v any, data []byte) {
	cs := changeSet(b.Tx())
	if cs == nil {
		return
	}
	e, carried := entityOf(v)
	if e == "" {
		return
	}
	old := b.Get([]byte(key))
	var before []byte
	if old != nil && e == store.EntityRelation {
		before = bytes.Clone(old) // old points into the page it is read from
	}
	if !carried {
		data = nil
	}
	cs.PutEncoded(e, key, old != nil, data, before)
}

// del deletes an entity's record, noting the deletion in the change log.
func del(tx *bolt.Tx, bucket []byte, id string) error {
	b := tx.Bucket(bucket)
	if cs := changeSet(tx); cs != nil {
		if old := b.Get([]byte(id)); old != nil {
			var before []byte
			if string(bucket) == string(bRelations) {
				before = bytes.Clone(old)
			}
			cs.DeleteEncoded(bucketEntity[string(bucket)], id, before)
		}
	}
	return b.Delete([]byte(id))
}

// floor is the highest sequence dropped from the log (0: none).
func floor(tx *bolt.Tx) uint64 {
	if m := tx.Bucket(bChangeMeta); m != nil {
		if v := m.Get(keyFloor); len(v) == 8 {
			return binary.BigEndian.Uint64(v)
		}
	}
	return 0
}

func setFloor(tx *bolt.Tx, seq uint64) error {
	m, err := tx.CreateBucketIfNotExists(bChangeMeta)
	if err != nil {
		return err
	}
	return m.Put(keyFloor, seqKey(seq))
}

// wipeLog drops every entry, keeping the counter (Wipe).
func wipeLog(tx *bolt.Tx) error {
	b := tx.Bucket(bChanges)
	if b == nil {
		return nil
	}
	last := b.Sequence()
	if err := tx.DeleteBucket(bChanges); err != nil {
		return err
	}
	nb, err := tx.CreateBucket(bChanges)
	if err != nil {
		return err
	}
	if err := nb.SetSequence(last); err != nil {
		return err
	}
	return setFloor(tx, last)
}

// Changes returns up to limit entries after the cursor (store.ChangeLog).
func (s *Store) Changes(ctx context.Context, after int64, limit int) ([]store.Change, error) {
	limit = clamp(limit)
	var out []store.Change
	err := s.view(ctx, func(tx *bolt.Tx) error {
		fl := floor(tx)
		if after > 0 && uint64(after) < fl {
			return fmt.Errorf("sequence %d is older than the log (starts after %d): %w", after, fl, store.ErrCursorExpired)
		}
		b := tx.Bucket(bChanges)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.Seek(seqKey(uint64(max(after, 0)) + 1)); k != nil && len(out) < limit; k, v = c.Next() {
			ch, err := decodeChange(binary.BigEndian.Uint64(k), v)
			if err != nil {
				return fmt.Errorf("decode change %d: %w", binary.BigEndian.Uint64(k), err)
			}
			out = append(out, ch)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("boltstore: changes: %w", err)
	}
	return out, nil
}

// LastSeq is the sequence of the newest entry ever appended.
func (s *Store) LastSeq(ctx context.Context) (int64, error) {
	var last uint64
	err := s.view(ctx, func(tx *bolt.Tx) error {
		if b := tx.Bucket(bChanges); b != nil {
			last = b.Sequence()
		}
		return nil
	})
	return int64(last), err
}

// Compact drops the oldest entries beyond r, raising the floor first, in
// one transaction.
func (s *Store) Compact(ctx context.Context, r store.Retention, now time.Time) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("boltstore: compact: %w: %w", store.ErrUnavailable, err)
	}
	n := 0
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bChanges)
		if b == nil {
			return nil
		}
		last := b.Sequence()
		var cut uint64
		if r.MaxEntries > 0 && last > uint64(r.MaxEntries) {
			cut = last - uint64(r.MaxEntries)
		}
		var del [][]byte
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			seq := binary.BigEndian.Uint64(k)
			if seq > cut {
				if r.MaxAge <= 0 {
					break
				}
				at, err := changeAt(v)
				if err != nil {
					return err
				}
				if !at.Before(now.Add(-r.MaxAge)) {
					break // entries are appended in time order
				}
				cut = seq
			}
			del = append(del, append([]byte(nil), k...))
		}
		if len(del) == 0 {
			return nil
		}
		for _, k := range del {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		n = len(del)
		return setFloor(tx, binary.BigEndian.Uint64(del[len(del)-1]))
	})
	if err != nil && !errors.Is(err, store.ErrUnavailable) {
		return 0, fmt.Errorf("boltstore: compact: %w", err)
	}
	return n, err
}
