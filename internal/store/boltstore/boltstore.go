// Package boltstore is the embedded store: an on-disk, crash-safe bbolt file
// holding every entity as JSON, with in-memory indexes built at start and
// then kept up to date by each write.
//
// Records live on disk; the indexes (sort orders, names, relation ends,
// hierarchy) live in memory and answer filters, so every read method is one
// bbolt read transaction that fetches just the records it returns. That keeps
// the read path honest for the N+1 tests: the GraphQL layer's batches show up
// as one read each.
//
// The indexes are persistent trees (ptree.go): a write derives the next
// version from the current one by copying only the nodes it touches, and
// publishes it with the bbolt transaction it reflects (index.txid). A
// reader takes a (transaction, index version) pair that belong together
// (begin), so it never waits for a writer beyond a pointer load, and a
// request can pin one pair for all its reads (Snapshot).
package boltstore

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// FileName is the database file inside the data directory.
const FileName = "actorgraph.db"

var (
	bActors    = []byte("actors")
	bPlaces    = []byte("places")
	bEvents    = []byte("events")
	bSources   = []byte("sources")
	bRelations = []byte("relations")
	allBuckets = [][]byte{bActors, bPlaces, bEvents, bSources, bRelations}
)

// Options configure Open.
type Options struct {
	// LockTimeout is how long Open waits for another process to release the
	// file before failing with store.ErrInUse (default 1s).
	LockTimeout time.Duration
	// OnReadTx, when set, is called once per read transaction (tests count them).
	OnReadTx func()
	// NoSync skips fsync (tests only; loses crash safety).
	NoSync bool
	// NoChangeLog writes no change log (the benchmark's baseline only:
	// subscribers see nothing).
	NoChangeLog bool
}

// Store is the embedded store.
type Store struct {
	db   *bolt.DB
	opts Options

	mu  sync.Mutex // serialises writers
	cur atomic.Pointer[index]
	// pending is the index version of the write transaction committing
	// now, from just before its commit to its publication in cur (nil:
	// none); see begin.
	pending atomic.Pointer[index]
}

var (
	_ store.Store       = (*Store)(nil)
	_ store.Snapshotter = (*Store)(nil)
)

// Open opens (creating if needed) the store in dir.
func Open(dir string, opts Options) (*Store, error) {
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = time.Second
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("boltstore: create data dir: %w", err)
	}
	path := filepath.Join(dir, FileName)
	// A large initial mmap: bbolt remaps (waiting for every open read
	// transaction) when the file outgrows it, and requests pin read
	// transactions; address space is cheap.
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: opts.LockTimeout, NoSync: opts.NoSync,
		InitialMmapSize: 1 << 30})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("boltstore: %s: %w (waited %s)", path, store.ErrInUse, opts.LockTimeout)
	}
	if err != nil {
		return nil, fmt.Errorf("boltstore: open %s: %w", path, err)
	}
	s := &Store{db: db, opts: opts}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return syncRelKeys(tx)
	})
	if err == nil {
		err = db.View(func(tx *bolt.Tx) error {
			idx, err := buildIndex(tx)
			s.cur.Store(idx)
			return err
		})
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("boltstore: init %s: %w", path, err)
	}
	return s, nil
}

// Path returns the database file's path.
func (s *Store) Path() string { return s.db.Path() }

// Close closes the file.
func (s *Store) Close(context.Context) error { return s.db.Close() }

// Ping checks the file is open.
func (s *Store) Ping(ctx context.Context) error {
	return s.view(ctx, func(*bolt.Tx) error { return nil })
}

// begin opens a read transaction and returns it with the index version of
// the same state. A writer builds its version before it commits and
// offers it as pending until it is published, so a reader whose
// transaction already sees that commit (bbolt makes it visible before the
// last fsync returns) takes the pending version instead of waiting for the
// fsync; a reader that raced a publication tries again.
func (s *Store) begin() (*index, *bolt.Tx, error) {
	for {
		idx := s.cur.Load()
		tx, err := s.db.Begin(false)
		if err != nil {
			return nil, nil, err
		}
		if p := s.pending.Load(); p != nil && tx.ID() >= p.txid {
			return p, tx, nil
		}
		if s.cur.Load() == idx {
			return idx, tx, nil
		}
		tx.Rollback()
		runtime.Gosched()
	}
}

// pinned is a read transaction and its index held for one request.
type pinned struct {
	s   *Store
	mu  sync.Mutex // a bbolt transaction is not for concurrent use
	idx *index
	tx  *bolt.Tx
	end bool
}

type pinKey struct{}

// Snapshot pins one read transaction and its index into ctx: every read
// with the returned context sees that one state (so a totalCount agrees
// with the pages), however many writes commit meanwhile. release ends it;
// reads after release open their own transactions.
func (s *Store) Snapshot(ctx context.Context) (context.Context, func()) {
	idx, tx, err := s.begin()
	if err != nil {
		return ctx, func() {}
	}
	p := &pinned{s: s, idx: idx, tx: tx}
	return context.WithValue(ctx, pinKey{}, p), func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		if !p.end {
			p.end = true
			p.tx.Rollback()
		}
	}
}

// read runs fn with one consistent (transaction, index) pair: the request's
// pinned one when ctx carries it, else a fresh one. Each call counts as one
// read transaction for tests.
func (s *Store) read(ctx context.Context, fn func(tx *bolt.Tx, idx *index) error) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%w: %w", store.ErrUnavailable, err)
	}
	if s.opts.OnReadTx != nil {
		s.opts.OnReadTx()
	}
	if p, ok := ctx.Value(pinKey{}).(*pinned); ok && p.s == s {
		p.mu.Lock()
		defer p.mu.Unlock()
		if !p.end {
			return fn(p.tx, p.idx)
		}
	}
	idx, tx, err := s.begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(tx, idx)
}

// view runs fn in one read transaction.
func (s *Store) view(ctx context.Context, fn func(tx *bolt.Tx) error) error {
	return s.read(ctx, func(tx *bolt.Tx, _ *index) error { return fn(tx) })
}

// Stats counts the graph from the index.
func (s *Store) Stats(ctx context.Context) (store.Stats, error) {
	var out store.Stats
	err := s.read(ctx, func(_ *bolt.Tx, idx *index) error { out = idx.stats; return nil })
	return out, err
}

// Load upserts g in one write transaction.
func (s *Store) Load(ctx context.Context, g *kg.Graph) error {
	return s.write(ctx, "load", func(tx *wtx) error {
		if err := tx.idx.checkLoad(g); err != nil {
			return err
		}
		if err := putGraph(tx, g); err != nil {
			return err
		}
		return checkStored(tx, g.Relations)
	})
}

// putGraph writes every record of g.
func putGraph(tx *wtx, g *kg.Graph) error {
	if err := putAll(tx, bActors, g.Actors, func(a kg.Actor) string { return a.ID }); err != nil {
		return err
	}
	if err := putAll(tx, bPlaces, g.Places, func(p kg.Place) string { return p.ID }); err != nil {
		return err
	}
	if err := putAll(tx, bEvents, g.Events, func(e kg.Event) string { return e.ID }); err != nil {
		return err
	}
	if err := putAll(tx, bSources, g.Sources, func(x kg.Source) string { return x.ID }); err != nil {
		return err
	}
	return tx.putRelations(g.Relations)
}

func putAll[T any](tx *wtx, bucket []byte, items []T, id func(T) string) error {
	for _, it := range items {
		if err := tx.put(bucket, id(it), it); err != nil {
			return err
		}
	}
	return nil
}

// Wipe deletes every record.
func (s *Store) Wipe(ctx context.Context) error {
	return s.write(ctx, "wipe", func(tx *wtx) error {
		for _, b := range allBuckets {
			if err := tx.DeleteBucket(b); err != nil && !errors.Is(err, bolterrors.ErrBucketNotFound) {
				return err
			}
			if _, err := tx.CreateBucket(b); err != nil {
				return err
			}
		}
		tx.next = newIndex().edit()
		return wipeLog(tx.Tx)
	})
}

// buildIndex builds the index of tx's state: actors, places, events and
// sources from their records, relations from their relkeys entries.
func buildIndex(tx *bolt.Tx) (*index, error) {
	b := newIndex().edit()
	err := errors.Join(
		eachRecord(tx, bActors, func(a kg.Actor) error { b.putActor(a); return nil }),
		eachRecord(tx, bPlaces, func(p kg.Place) error { b.put(bPlaces, p); return nil }),
		eachRecord(tx, bEvents, func(e kg.Event) error { b.put(bEvents, e); return nil }),
		tx.Bucket(bSources).ForEach(func(k, _ []byte) error {
			b.x.sources = b.x.sources.Put(string(k))
			return nil
		}),
	)
	if err != nil {
		return nil, err
	}
	keys, err := loadRelKeys(tx)
	if err != nil {
		return nil, err
	}
	b.setRels(keys)
	return b.done(tx.ID()), nil
}

// eachRecord decodes every record of bucket, in key order, and passes it to fn.
func eachRecord[T any](tx *bolt.Tx, bucket []byte, fn func(T) error) error {
	return tx.Bucket(bucket).ForEach(func(k, v []byte) error {
		var x T
		if err := json.Unmarshal(v, &x); err != nil {
			return fmt.Errorf("decode %s/%s: %w", bucket, k, err)
		}
		return fn(x)
	})
}

func clamp(limit int) int {
	if limit <= 0 || limit > store.MaxLimit {
		return store.MaxLimit
	}
	return limit
}

// get decodes the records of ids from bucket into a map, skipping absent ids.
func get[T any](tx *bolt.Tx, bucket []byte, ids []string, out map[string]T) error {
	b := tx.Bucket(bucket)
	for _, id := range ids {
		if _, done := out[id]; done {
			continue
		}
		data := b.Get([]byte(id))
		if data == nil {
			continue
		}
		var v T
		// json.Unmarshal copies out of the mmap'd page, as bbolt requires.
		if err := json.Unmarshal(data, &v); err != nil {
			return fmt.Errorf("boltstore: decode %s/%s: %w", bucket, id, err)
		}
		out[id] = v
	}
	return nil
}

// ordered returns the values of ids present in m, in the order of ids.
func ordered[T any](ids []string, m map[string]T) []T {
	out := make([]T, 0, len(ids))
	for _, id := range ids {
		if v, ok := m[id]; ok {
			out = append(out, v)
		}
	}
	return out
}

func getList[T any](tx *bolt.Tx, bucket []byte, ids []string) ([]T, error) {
	m := make(map[string]T, len(ids))
	if err := get(tx, bucket, ids, m); err != nil {
		return nil, err
	}
	return ordered(ids, m), nil
}

func byIDs[T any](s *Store, ctx context.Context, bucket []byte, ids []string) (map[string]T, error) {
	out := make(map[string]T, len(ids))
	err := s.view(ctx, func(tx *bolt.Tx) error { return get(tx, bucket, ids, out) })
	return out, err
}

// Actors returns actors by id.
func (s *Store) Actors(ctx context.Context, ids []string) (map[string]kg.Actor, error) {
	return byIDs[kg.Actor](s, ctx, bActors, ids)
}

// ActorByName finds an actor by folded name or alias.
func (s *Store) ActorByName(ctx context.Context, name string) (kg.Actor, error) {
	var out []kg.Actor
	err := s.read(ctx, func(tx *bolt.Tx, idx *index) error {
		ids := idsOf(idx.byName, kg.Fold(name))
		var err error
		if len(ids) > 0 {
			out, err = getList[kg.Actor](tx, bActors, ids[:1])
		}
		return err
	})
	if err != nil {
		return kg.Actor{}, err
	}
	if len(out) == 0 {
		return kg.Actor{}, fmt.Errorf("actor named %q: %w", name, store.ErrNotFound)
	}
	return out[0], nil
}

// ListActors filters actors in the index, then reads the page.
func (s *Store) ListActors(ctx context.Context, f store.ActorFilter, o store.Order, p store.Page) (store.PageOf[kg.Actor], error) {
	if o.Field != store.SortName && o.Field != store.SortID {
		return store.PageOf[kg.Actor]{}, fmt.Errorf("actors cannot be ordered by %q: %w", o.Field, store.ErrInvalid)
	}
	var out store.PageOf[kg.Actor]
	err := s.read(ctx, func(tx *bolt.Tx, idx *index) error {
		g := newPager(ctx, p, actorMatcher(f))
		var probe *actorKey
		if p.After != nil {
			probe = &actorKey{id: p.After.ID, fold: p.After.Str}
		}
		if o.Field == store.SortName {
			walk(idx.actorOrder, probe, o.Desc, g)
		} else {
			walk(idx.actors, probe, o.Desc, g)
		}
		if g.err != nil {
			return g.err
		}
		ids := make([]string, len(g.out))
		for i, a := range g.out {
			ids[i] = a.id
		}
		items, err := getList[kg.Actor](tx, bActors, ids)
		out = store.PageOf[kg.Actor]{Items: items, HasNext: g.more}
		return err
	})
	return out, err
}

// countWalk counts the items of t that match, checking ctx as it goes.
func countWalk[T any, O ordering[T]](ctx context.Context, t ptree[T, O], match func(T) bool) (int, error) {
	n, seen := 0, 0
	var err error
	t.Ascend(nil, false, func(x T) bool {
		if seen++; seen%checkEvery == 0 {
			if e := ctx.Err(); e != nil {
				err = fmt.Errorf("%w: %w", store.ErrUnavailable, e)
				return false
			}
		}
		if match(x) {
			n++
		}
		return true
	})
	return n, err
}

// CountActors counts the actors matching f in the index.
func (s *Store) CountActors(ctx context.Context, f store.ActorFilter) (int, error) {
	n := 0
	err := s.read(ctx, func(_ *bolt.Tx, idx *index) error {
		if f.Country == "" && f.NameContains == "" && len(f.Kinds) == 0 {
			n = idx.actors.Len()
			return nil
		}
		var err error
		n, err = countWalk(ctx, idx.actors, actorMatcher(f))
		return err
	})
	return n, err
}

// Relations returns relations by id.
func (s *Store) Relations(ctx context.Context, ids []string) (map[string]kg.Relation, error) {
	return byIDs[kg.Relation](s, ctx, bRelations, ids)
}

func checkRelOrder(o store.Order) error {
	switch o.Field {
	case store.SortID, store.SortOccurred, store.SortReported, store.SortConfidence:
		return nil
	}
	return fmt.Errorf("relations cannot be ordered by %q: %w", o.Field, store.ErrInvalid)
}

// walkRels pages through every relation in order o from probe.
func (x *index) walkRels(o store.Order, probe *relKey, g *pager[*relKey]) {
	switch o.Field {
	case store.SortOccurred:
		walk(x.byOccurred, probe, o.Desc, g)
	case store.SortReported:
		walk(x.byReported, probe, o.Desc, g)
	case store.SortConfidence:
		walk(x.byConfid, probe, o.Desc, g)
	default:
		walk(x.rels, probe, o.Desc, g)
	}
}

func relIDs(ks []*relKey) []string {
	ids := make([]string, len(ks))
	for i, k := range ks {
		ids[i] = k.id
	}
	return ids
}

func probeOf(p store.Page, field store.SortField) *relKey {
	if p.After == nil {
		return nil
	}
	return cursorKey(p.After, field)
}

// ListRelations filters relations in the index, then reads the page. A
// filter on one end (not rolled up) walks that actor's list instead of
// every relation.
func (s *Store) ListRelations(ctx context.Context, f store.RelationFilter, o store.Order, p store.Page) (store.PageOf[kg.Relation], error) {
	if err := checkRelOrder(o); err != nil {
		return store.PageOf[kg.Relation]{}, err
	}
	var out store.PageOf[kg.Relation]
	err := s.read(ctx, func(tx *bolt.Tx, idx *index) error {
		g := newPager(ctx, p, idx.matcher(f))
		probe := probeOf(p, o.Field)
		switch {
		case f.From != "" && !f.RollUp:
			idx.walkList(listOf(idx.byFrom, f.From), o, probe, g)
		case f.To != "" && !f.RollUp:
			idx.walkList(listOf(idx.byTo, f.To), o, probe, g)
		default:
			idx.walkRels(o, probe, g)
		}
		if g.err != nil {
			return g.err
		}
		items, err := getList[kg.Relation](tx, bRelations, relIDs(g.out))
		out = store.PageOf[kg.Relation]{Items: items, HasNext: g.more}
		return err
	})
	return out, err
}

// walkList pages through one list of relations (kept by id) in order o:
// by id straight from the tree; by another field, sorted first.
func (x *index) walkList(t relTree, o store.Order, probe *relKey, g *pager[*relKey]) {
	if o.Field == store.SortID {
		walk(t, probe, o.Desc, g)
		return
	}
	ks := t.Items()
	cmpf := relCmp(o.Field)
	slices.SortFunc(ks, cmpf)
	walkSlice(ks, cmpf, probe, o.Desc, g)
}

// CountRelations counts in the index: the sizes of its lists where no
// value filter applies.
func (s *Store) CountRelations(ctx context.Context, f store.RelationFilter) (int, error) {
	n := 0
	err := s.read(ctx, func(_ *bolt.Tx, idx *index) error {
		if isEmpty(f) {
			if len(f.Types) == 0 {
				n = idx.rels.Len()
				return nil
			}
			for _, t := range uniqTypes(f.Types) {
				n += idx.typeCount[t]
			}
			return nil
		}
		t := idx.rels
		switch {
		case f.From != "" && !f.RollUp:
			t = listOf(idx.byFrom, f.From)
		case f.To != "" && !f.RollUp:
			t = listOf(idx.byTo, f.To)
		}
		var err error
		n, err = countWalk(ctx, t, idx.matcher(f))
		return err
	})
	return n, err
}

func uniqTypes(ts []kg.RelationType) []kg.RelationType {
	out := slices.Clone(ts)
	slices.Sort(out)
	return slices.Compact(out)
}

// candidates returns the relations of actor aid in direction dir (and,
// rolled up, of the actors below it), by id, deduplicated; single is set
// when they are exactly one list of the index (one actor, one direction).
func (x *index) candidates(aid string, dir store.Direction, rollUp bool) (list relTree, merged []*relKey, single bool) {
	set := []string{aid}
	if rollUp {
		set = x.descendants(aid)
	}
	if len(set) == 1 && dir != store.Both {
		if dir == store.Out {
			return listOf(x.byFrom, aid), nil, true
		}
		return listOf(x.byTo, aid), nil, true
	}
	for _, a := range set {
		if dir == store.Out || dir == store.Both {
			merged = append(merged, listOf(x.byFrom, a).Items()...)
		}
		if dir == store.In || dir == store.Both {
			merged = append(merged, listOf(x.byTo, a).Items()...)
		}
	}
	slices.SortFunc(merged, relByID{}.cmp)
	merged = slices.CompactFunc(merged, func(a, b *relKey) bool { return a.id == b.id })
	return relTree{}, merged, false
}

func checkDirection(dir store.Direction) error {
	if dir != store.Out && dir != store.In && dir != store.Both {
		return fmt.Errorf("direction %q: %w", dir, store.ErrInvalid)
	}
	return nil
}

// RelationsOf returns a page of each actor's relations in direction dir.
// One actor's list by id is walked from the cursor: a hub's page costs
// what a small actor's does.
func (s *Store) RelationsOf(ctx context.Context, actorIDs []string, dir store.Direction, f store.RelationFilter, o store.Order, p store.Page) (map[string]store.PageOf[kg.Relation], error) {
	if err := checkDirection(dir); err != nil {
		return nil, err
	}
	if err := checkRelOrder(o); err != nil {
		return nil, err
	}
	f.From, f.To = "", ""
	var out map[string]store.PageOf[kg.Relation]
	err := s.read(ctx, func(tx *bolt.Tx, idx *index) error {
		m := idx.matcher(f)
		probe := probeOf(p, o.Field)
		pages := map[string][]string{}
		more := map[string]bool{}
		var all []string
		for _, aid := range actorIDs {
			if !idx.hasActor(aid) {
				continue
			}
			if _, done := pages[aid]; done {
				continue
			}
			g := newPager(ctx, p, m)
			list, merged, single := idx.candidates(aid, dir, f.RollUp)
			switch {
			case single:
				idx.walkList(list, o, probe, g)
			default:
				cmpf := relCmp(o.Field)
				if o.Field != store.SortID {
					slices.SortFunc(merged, cmpf)
				}
				walkSlice(merged, cmpf, probe, o.Desc, g)
			}
			if g.err != nil {
				return g.err
			}
			pages[aid], more[aid] = relIDs(g.out), g.more
			all = append(all, pages[aid]...)
		}
		var err error
		out, err = pagesOf(tx, pages, more, all)
		return err
	})
	return out, err
}

// pagesOf reads the relations of all pages and returns them as pages by key.
func pagesOf(tx *bolt.Tx, pages map[string][]string, more map[string]bool, all []string) (map[string]store.PageOf[kg.Relation], error) {
	grouped, err := groupRelations(tx, pages, all)
	if err != nil {
		return nil, err
	}
	out := make(map[string]store.PageOf[kg.Relation], len(grouped))
	for k, items := range grouped {
		out[k] = store.PageOf[kg.Relation]{Items: items, HasNext: more[k]}
	}
	return out, nil
}

// CountRelationsOf counts each actor's relations as RelationsOf selects them.
func (s *Store) CountRelationsOf(ctx context.Context, actorIDs []string, dir store.Direction, f store.RelationFilter) (map[string]int, error) {
	if err := checkDirection(dir); err != nil {
		return nil, err
	}
	f.From, f.To = "", ""
	out := map[string]int{}
	err := s.read(ctx, func(_ *bolt.Tx, idx *index) error {
		m := idx.matcher(f)
		all := isEmpty(f) && len(f.Types) == 0
		for _, aid := range actorIDs {
			if !idx.hasActor(aid) {
				continue
			}
			list, merged, single := idx.candidates(aid, dir, f.RollUp)
			var err error
			switch {
			case all && single:
				out[aid] = list.Len() // the degree
			case all:
				out[aid] = len(merged)
			case single:
				out[aid], err = countWalk(ctx, list, m)
			default:
				out[aid], err = countWalk(ctx, fromSlice(merged), m)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// fromSlice builds a throwaway tree of ks (sorted by id) to walk it.
func fromSlice(ks []*relKey) relTree {
	t := relTree{}.transient(&edit{})
	for _, k := range ks {
		t = t.Put(k)
	}
	return t.frozen()
}

// groupRelations reads the relations of all pages and returns them grouped by key.
func groupRelations(tx *bolt.Tx, pages map[string][]string, all []string) (map[string][]kg.Relation, error) {
	recs := make(map[string]kg.Relation, len(all))
	if err := get(tx, bRelations, all, recs); err != nil {
		return nil, err
	}
	out := make(map[string][]kg.Relation, len(pages))
	for key, ids := range pages {
		out[key] = ordered(ids, recs)
	}
	return out, nil
}

// RelationsOfEvents returns a page of each event's relations by id.
func (s *Store) RelationsOfEvents(ctx context.Context, eventIDs []string, p store.Page) (map[string]store.PageOf[kg.Relation], error) {
	var out map[string]store.PageOf[kg.Relation]
	err := s.read(ctx, func(tx *bolt.Tx, idx *index) error {
		pages := map[string][]string{}
		more := map[string]bool{}
		var all []string
		for _, eid := range eventIDs {
			if _, ok := idx.event(eid); !ok {
				continue
			}
			g := newPager[*relKey](ctx, p, nil)
			walk(listOf(idx.byEvent, eid), probeOf(p, store.SortID), false, g)
			if g.err != nil {
				return g.err
			}
			pages[eid], more[eid] = relIDs(g.out), g.more
			all = append(all, pages[eid]...)
		}
		var err error
		out, err = pagesOf(tx, pages, more, all)
		return err
	})
	return out, err
}

// CountRelationsOfEvents counts each existing event's relations in the index.
func (s *Store) CountRelationsOfEvents(ctx context.Context, eventIDs []string) (map[string]int, error) {
	out := map[string]int{}
	err := s.read(ctx, func(_ *bolt.Tx, idx *index) error {
		for _, eid := range eventIDs {
			if _, ok := idx.event(eid); ok {
				out[eid] = listOf(idx.byEvent, eid).Len()
			}
		}
		return nil
	})
	return out, err
}

// Linked returns, for each relation id, the relations linking to it.
func (s *Store) Linked(ctx context.Context, ids []string, link store.Link) (map[string][]kg.Relation, error) {
	var out map[string][]kg.Relation
	err := s.read(ctx, func(tx *bolt.Tx, idx *index) error {
		var by adjTree
		switch link {
		case store.LinkAlleges:
			by = idx.byAlleges
		case store.LinkDenies:
			by = idx.byDenies
		default:
			return fmt.Errorf("link %q: %w", link, store.ErrInvalid)
		}
		pages := make(map[string][]string, len(ids))
		var all []string
		for _, k := range ids {
			g := newPager[*relKey](ctx, store.Page{}, nil)
			walk(listOf(by, k), nil, false, g)
			pages[k] = relIDs(g.out)
			all = append(all, pages[k]...)
		}
		var err error
		out, err = groupRelations(tx, pages, all)
		return err
	})
	return out, err
}

// Places returns places by id.
func (s *Store) Places(ctx context.Context, ids []string) (map[string]kg.Place, error) {
	return byIDs[kg.Place](s, ctx, bPlaces, ids)
}

// Events returns events by id.
func (s *Store) Events(ctx context.Context, ids []string) (map[string]kg.Event, error) {
	return byIDs[kg.Event](s, ctx, bEvents, ids)
}

// Sources returns sources by id.
func (s *Store) Sources(ctx context.Context, ids []string) (map[string]kg.Source, error) {
	return byIDs[kg.Source](s, ctx, bSources, ids)
}

// ListPlaces returns a page of places by folded name, then id.
func (s *Store) ListPlaces(ctx context.Context, p store.Page) (store.PageOf[kg.Place], error) {
	return listNamed[kg.Place](s, ctx, bPlaces, func(x *index) orderTree { return x.placeOrder }, p)
}

// ListEvents returns a page of events by occurred date ("" first), then id.
func (s *Store) ListEvents(ctx context.Context, p store.Page) (store.PageOf[kg.Event], error) {
	return listNamed[kg.Event](s, ctx, bEvents, func(x *index) orderTree { return x.eventOrder }, p)
}

func listNamed[T any](s *Store, ctx context.Context, bucket []byte, order func(*index) orderTree, p store.Page) (store.PageOf[T], error) {
	var out store.PageOf[T]
	err := s.read(ctx, func(tx *bolt.Tx, idx *index) error {
		g := newPager[named](ctx, p, nil)
		var probe named
		if p.After != nil {
			probe = named{id: p.After.ID, key: p.After.Str}
		}
		walk(order(idx), probe, false, g)
		ids := make([]string, len(g.out))
		for i, n := range g.out {
			ids[i] = n.id
		}
		items, err := getList[T](tx, bucket, ids)
		out = store.PageOf[T]{Items: items, HasNext: g.more}
		return cmp.Or(g.err, err)
	})
	return out, err
}

// ListSources returns a page of sources by id.
func (s *Store) ListSources(ctx context.Context, p store.Page) (store.PageOf[kg.Source], error) {
	var out store.PageOf[kg.Source]
	err := s.read(ctx, func(tx *bolt.Tx, idx *index) error {
		g := newPager[string](ctx, p, nil)
		var probe string
		if p.After != nil {
			probe = p.After.ID
		}
		walk(idx.sources, probe, false, g)
		items, err := getList[kg.Source](tx, bSources, g.out)
		out = store.PageOf[kg.Source]{Items: items, HasNext: g.more}
		return cmp.Or(g.err, err)
	})
	return out, err
}
