package boltstore

import (
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

func appendLog(tx *bolt.Tx, list []store.Change) error {
	if len(list) == 0 {
		return nil
	}
	b, err := tx.CreateBucketIfNotExists(bChanges)
	if err != nil {
		return err
	}
	for _, ch := range list {
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		ch.Seq = int64(seq)
		if err := putJSON(b, string(seqKey(seq)), ch); err != nil {
			return err
		}
	}
	return nil
}

// entityOf names the entity kind of a record value, or "" for records that
// are not entities (merges, reviews, deletions).
func entityOf(v any) (store.ChangeEntity, *kg.Actor, *kg.Relation) {
	switch x := v.(type) {
	case kg.Actor:
		return store.EntityActor, &x, nil
	case kg.Relation:
		return store.EntityRelation, nil, &x
	case kg.Place:
		return store.EntityPlace, nil, nil
	case kg.Event:
		return store.EntityEvent, nil, nil
	case kg.Source:
		return store.EntitySource, nil, nil
	}
	return "", nil, nil
}

var bucketEntity = map[string]store.ChangeEntity{
	string(bActors): store.EntityActor, string(bRelations): store.EntityRelation,
	string(bPlaces): store.EntityPlace, string(bEvents): store.EntityEvent, string(bSources): store.EntitySource,
}

// notePut records the write of key in b (before it happens: it reads the
// old value to tell a creation from an update).
func notePut(b *bolt.Bucket, key string, v any) error {
	x, ok := changeSets.Load(b.Tx())
	if !ok {
		return nil
	}
	e, actor, rel := entityOf(v)
	if e == "" {
		return nil
	}
	old := b.Get([]byte(key))
	var before *kg.Relation
	if old != nil && e == store.EntityRelation {
		before = new(kg.Relation)
		if err := json.Unmarshal(old, before); err != nil {
			return fmt.Errorf("decode %s: %w", key, err)
		}
	}
	x.(*store.ChangeSet).Put(e, key, old != nil, actor, rel, before)
	return nil
}

// del deletes an entity's record, noting the deletion in the change log.
func del(tx *bolt.Tx, bucket []byte, id string) error {
	b := tx.Bucket(bucket)
	if x, ok := changeSets.Load(tx); ok {
		if old := b.Get([]byte(id)); old != nil {
			var before *kg.Relation
			if string(bucket) == string(bRelations) {
				before = new(kg.Relation)
				if err := json.Unmarshal(old, before); err != nil {
					return fmt.Errorf("decode %s: %w", id, err)
				}
			}
			x.(*store.ChangeSet).Delete(bucketEntity[string(bucket)], id, before)
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
			var ch store.Change
			if err := json.Unmarshal(v, &ch); err != nil {
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
				var ch struct {
					At time.Time `json:"at"`
				}
				if err := json.Unmarshal(v, &ch); err != nil {
					return err
				}
				if !ch.At.Before(now.Add(-r.MaxAge)) {
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
