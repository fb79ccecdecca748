// Package boltstore is the embedded store: an on-disk, crash-safe bbolt file
// holding every entity as JSON, with in-memory indexes rebuilt at start.
//
// Records live on disk; the indexes (sort orders, names, relation ends,
// hierarchy) live in memory and answer filters, so every read method is one
// bbolt read transaction that fetches just the records it returns. That keeps
// the read path honest for the N+1 tests: the GraphQL layer's batches show up
// as one View each.
package boltstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"sync"
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
}

// Store is the embedded store.
type Store struct {
	db   *bolt.DB
	opts Options

	mu  sync.RWMutex // guards idx
	idx *index
}

var _ store.Store = (*Store)(nil)

// Open opens (creating if needed) the store in dir.
func Open(dir string, opts Options) (*Store, error) {
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = time.Second
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("boltstore: create data dir: %w", err)
	}
	path := filepath.Join(dir, FileName)
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: opts.LockTimeout, NoSync: opts.NoSync})
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
		return nil
	})
	if err == nil {
		err = s.rebuild()
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

// view runs one read transaction (counted for tests).
func (s *Store) view(ctx context.Context, fn func(tx *bolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%w: %w", store.ErrUnavailable, err)
	}
	if s.opts.OnReadTx != nil {
		s.opts.OnReadTx()
	}
	return s.db.View(fn)
}

// Stats counts the graph from the in-memory index.
func (s *Store) Stats(context.Context) (store.Stats, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.idx.stats, nil
}

// Load upserts g in one bbolt transaction, then rebuilds the indexes.
func (s *Store) Load(ctx context.Context, g *kg.Graph) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.idx.checkLoad(g); err != nil {
		return err
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		if err := ctx.Err(); err != nil {
			return err
		}
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
		if err := putAll(tx, bRelations, g.Relations, func(r kg.Relation) string { return r.ID }); err != nil {
			return err
		}
		return checkStored(tx, s.idx, g.Relations)
	})
	if err != nil {
		return fmt.Errorf("boltstore: load: %w", err)
	}
	return s.rebuildLocked()
}

func putAll[T any](tx *bolt.Tx, bucket []byte, items []T, id func(T) string) error {
	b := tx.Bucket(bucket)
	for _, it := range items {
		data, err := json.Marshal(it)
		if err != nil {
			return err
		}
		if err := b.Put([]byte(id(it)), data); err != nil {
			return err
		}
	}
	return nil
}

// Wipe deletes every record.
func (s *Store) Wipe(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.db.Update(func(tx *bolt.Tx) error {
		for _, b := range allBuckets {
			if err := tx.DeleteBucket(b); err != nil && !errors.Is(err, bolterrors.ErrBucketNotFound) {
				return err
			}
			if _, err := tx.CreateBucket(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("boltstore: wipe: %w", err)
	}
	return s.rebuildLocked()
}

func (s *Store) rebuild() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rebuildLocked()
}

// rebuildLocked reads every record once and builds the indexes.
func (s *Store) rebuildLocked() error {
	idx := newIndex()
	err := s.db.View(func(tx *bolt.Tx) error {
		return idx.build(tx)
	})
	if err != nil {
		return err
	}
	s.idx = idx
	return nil
}

// snapshot returns the current index; indexes are replaced, never mutated, so
// a reader may use one outside the lock.
func (s *Store) snapshot() *index {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.idx
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

func getMap[T any](s *Store, ctx context.Context, bucket []byte, ids []string) (map[string]T, error) {
	out := make(map[string]T, len(ids))
	err := s.view(ctx, func(tx *bolt.Tx) error { return get(tx, bucket, ids, out) })
	return out, err
}

func getList[T any](s *Store, ctx context.Context, bucket []byte, ids []string) ([]T, error) {
	m, err := getMap[T](s, ctx, bucket, ids)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(ids))
	for _, id := range ids {
		if v, ok := m[id]; ok {
			out = append(out, v)
		}
	}
	return out, nil
}

// Actors returns actors by id.
func (s *Store) Actors(ctx context.Context, ids []string) (map[string]kg.Actor, error) {
	return getMap[kg.Actor](s, ctx, bActors, ids)
}

// ActorByName finds an actor by folded name or alias.
func (s *Store) ActorByName(ctx context.Context, name string) (kg.Actor, error) {
	ids := s.snapshot().byName[kg.Fold(name)]
	if len(ids) == 0 {
		return kg.Actor{}, fmt.Errorf("actor named %q: %w", name, store.ErrNotFound)
	}
	m, err := s.Actors(ctx, ids[:1])
	if err != nil {
		return kg.Actor{}, err
	}
	a, ok := m[ids[0]]
	if !ok {
		return kg.Actor{}, fmt.Errorf("actor named %q: %w", name, store.ErrNotFound)
	}
	return a, nil
}

// ListActors filters actors in the index, then reads the page.
func (s *Store) ListActors(ctx context.Context, f store.ActorFilter, o store.Order, p store.Page) (store.PageOf[kg.Actor], error) {
	idx := s.snapshot()
	order, compare := idx.actorIDs, idCmp
	switch o.Field {
	case store.SortName:
		order, compare = idx.actorOrder, strCmp(idx.sortKey)
	case store.SortID:
	default:
		return store.PageOf[kg.Actor]{}, fmt.Errorf("actors cannot be ordered by %q: %w", o.Field, store.ErrInvalid)
	}
	ids, more := scan(order, compare, o.Desc, p, idx.actorMatcher(f))
	items, err := getList[kg.Actor](s, ctx, bActors, ids)
	return store.PageOf[kg.Actor]{Items: items, HasNext: more}, err
}

// CountActors counts the actors matching f in the index.
func (s *Store) CountActors(_ context.Context, f store.ActorFilter) (int, error) {
	idx := s.snapshot()
	if f.Country == "" && f.NameContains == "" && len(f.Kinds) == 0 {
		return len(idx.actorIDs), nil
	}
	m, n := idx.actorMatcher(f), 0
	for _, id := range idx.actorIDs {
		if m(id) {
			n++
		}
	}
	return n, nil
}

// Relations returns relations by id.
func (s *Store) Relations(ctx context.Context, ids []string) (map[string]kg.Relation, error) {
	return getMap[kg.Relation](s, ctx, bRelations, ids)
}

func (x *index) relOrderFor(o store.Order) ([]string, func(string, *store.Cursor) int, error) {
	ids, ok := x.relOrders[o.Field]
	if !ok {
		return nil, nil, fmt.Errorf("relations cannot be ordered by %q: %w", o.Field, store.ErrInvalid)
	}
	return ids, x.relCmp(o.Field), nil
}

// ListRelations filters relations in the index, then reads the page.
func (s *Store) ListRelations(ctx context.Context, f store.RelationFilter, o store.Order, p store.Page) (store.PageOf[kg.Relation], error) {
	idx := s.snapshot()
	order, compare, err := idx.relOrderFor(o)
	if err != nil {
		return store.PageOf[kg.Relation]{}, err
	}
	m := idx.matcher(f)
	ids, more := scan(order, compare, o.Desc, p, func(id string) bool { return m(idx.rels[id]) })
	items, err := getList[kg.Relation](s, ctx, bRelations, ids)
	return store.PageOf[kg.Relation]{Items: items, HasNext: more}, err
}

// CountRelations counts in the index: the sizes of its lists where no
// value filter applies.
func (s *Store) CountRelations(_ context.Context, f store.RelationFilter) (int, error) {
	idx := s.snapshot()
	if isEmpty(f) {
		if len(f.Types) == 0 {
			return len(idx.relOrder), nil
		}
		n := 0
		for _, t := range uniqTypes(f.Types) {
			n += idx.typeCount[t]
		}
		return n, nil
	}
	m, n := idx.matcher(f), 0
	for _, id := range idx.relOrder {
		if m(idx.rels[id]) {
			n++
		}
	}
	return n, nil
}

func uniqTypes(ts []kg.RelationType) []kg.RelationType {
	out := slices.Clone(ts)
	slices.Sort(out)
	return slices.Compact(out)
}

// candidates returns the ids of the relations of actor aid in direction
// dir (and, rolled up, of the actors below it), sorted by id, deduplicated.
func (x *index) candidates(aid string, dir store.Direction, rollUp bool) []string {
	set := []string{aid}
	if rollUp {
		set = x.descendants(aid)
	}
	var cand []string
	for _, a := range set {
		if dir == store.Out || dir == store.Both {
			cand = append(cand, x.byFrom[a]...)
		}
		if dir == store.In || dir == store.Both {
			cand = append(cand, x.byTo[a]...)
		}
	}
	if len(set) > 1 || dir == store.Both {
		sort.Strings(cand)
		cand = slices.Compact(cand)
	}
	return cand
}

func checkDirection(dir store.Direction) error {
	if dir != store.Out && dir != store.In && dir != store.Both {
		return fmt.Errorf("direction %q: %w", dir, store.ErrInvalid)
	}
	return nil
}

// RelationsOf returns a page of each actor's relations in direction dir.
func (s *Store) RelationsOf(ctx context.Context, actorIDs []string, dir store.Direction, f store.RelationFilter, o store.Order, p store.Page) (map[string]store.PageOf[kg.Relation], error) {
	if err := checkDirection(dir); err != nil {
		return nil, err
	}
	idx := s.snapshot()
	if _, _, err := idx.relOrderFor(o); err != nil {
		return nil, err
	}
	f.From, f.To = "", ""
	m := idx.matcher(f)
	compare := idx.relCmp(o.Field)
	pages := map[string][]string{}
	more := map[string]bool{}
	var all []string
	for _, aid := range actorIDs {
		if _, ok := idx.actors[aid]; !ok {
			continue
		}
		if _, done := pages[aid]; done {
			continue
		}
		cand := idx.candidates(aid, dir, f.RollUp)
		if o.Field != store.SortID {
			slices.SortFunc(cand, func(a, b string) int { return compare(a, idx.relCursor(b, o.Field)) })
		}
		page, next := scan(cand, compare, o.Desc, p, func(id string) bool { return m(idx.rels[id]) })
		pages[aid], more[aid] = page, next
		all = append(all, page...)
	}
	return s.pagesOf(ctx, pages, more, all)
}

// pagesOf reads the relations of all pages in one transaction and returns
// them as pages by key.
func (s *Store) pagesOf(ctx context.Context, pages map[string][]string, more map[string]bool, all []string) (map[string]store.PageOf[kg.Relation], error) {
	grouped, err := s.groupRelations(ctx, pages, all)
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
func (s *Store) CountRelationsOf(_ context.Context, actorIDs []string, dir store.Direction, f store.RelationFilter) (map[string]int, error) {
	if err := checkDirection(dir); err != nil {
		return nil, err
	}
	idx := s.snapshot()
	f.From, f.To = "", ""
	m := idx.matcher(f)
	out := map[string]int{}
	for _, aid := range actorIDs {
		if _, ok := idx.actors[aid]; !ok {
			continue
		}
		cand := idx.candidates(aid, dir, f.RollUp)
		if isEmpty(f) && len(f.Types) == 0 {
			out[aid] = len(cand) // the degree
			continue
		}
		n := 0
		for _, id := range cand {
			if m(idx.rels[id]) {
				n++
			}
		}
		out[aid] = n
	}
	return out, nil
}

// groupRelations reads the relations of all pages in one transaction and
// returns them grouped by key.
func (s *Store) groupRelations(ctx context.Context, pages map[string][]string, all []string) (map[string][]kg.Relation, error) {
	recs, err := s.Relations(ctx, all)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]kg.Relation, len(pages))
	for key, ids := range pages {
		list := make([]kg.Relation, 0, len(ids))
		for _, id := range ids {
			if r, ok := recs[id]; ok {
				list = append(list, r)
			}
		}
		out[key] = list
	}
	return out, nil
}

// RelationsOfEvents returns a page of each event's relations by id.
func (s *Store) RelationsOfEvents(ctx context.Context, eventIDs []string, p store.Page) (map[string]store.PageOf[kg.Relation], error) {
	idx := s.snapshot()
	pages := map[string][]string{}
	more := map[string]bool{}
	var all []string
	for _, eid := range eventIDs {
		if _, ok := idx.sortKey[eid]; !ok {
			continue
		}
		pages[eid], more[eid] = scan(idx.byEvent[eid], idCmp, false, p, nil)
		all = append(all, pages[eid]...)
	}
	return s.pagesOf(ctx, pages, more, all)
}

// CountRelationsOfEvents counts each existing event's relations in the index.
func (s *Store) CountRelationsOfEvents(_ context.Context, eventIDs []string) (map[string]int, error) {
	idx := s.snapshot()
	out := map[string]int{}
	for _, eid := range eventIDs {
		if _, ok := idx.sortKey[eid]; ok {
			out[eid] = len(idx.byEvent[eid])
		}
	}
	return out, nil
}

// Linked returns, for each relation id, the relations linking to it.
func (s *Store) Linked(ctx context.Context, ids []string, link store.Link) (map[string][]kg.Relation, error) {
	idx := s.snapshot()
	var by map[string][]string
	switch link {
	case store.LinkAlleges:
		by = idx.byAlleges
	case store.LinkDenies:
		by = idx.byDenies
	default:
		return nil, fmt.Errorf("link %q: %w", link, store.ErrInvalid)
	}
	return s.byKey(ctx, by, ids, 0)
}

func (s *Store) byKey(ctx context.Context, by map[string][]string, keys []string, limit int) (map[string][]kg.Relation, error) {
	limit = clamp(limit)
	pages := make(map[string][]string, len(keys))
	var all []string
	for _, k := range keys {
		ids := by[k]
		if len(ids) > limit {
			ids = ids[:limit]
		}
		pages[k] = ids
		all = append(all, ids...)
	}
	return s.groupRelations(ctx, pages, all)
}

// Places returns places by id.
func (s *Store) Places(ctx context.Context, ids []string) (map[string]kg.Place, error) {
	return getMap[kg.Place](s, ctx, bPlaces, ids)
}

// Events returns events by id.
func (s *Store) Events(ctx context.Context, ids []string) (map[string]kg.Event, error) {
	return getMap[kg.Event](s, ctx, bEvents, ids)
}

// Sources returns sources by id.
func (s *Store) Sources(ctx context.Context, ids []string) (map[string]kg.Source, error) {
	return getMap[kg.Source](s, ctx, bSources, ids)
}

// ListPlaces returns a page of places by folded name, then id.
func (s *Store) ListPlaces(ctx context.Context, p store.Page) (store.PageOf[kg.Place], error) {
	idx := s.snapshot()
	return listPage[kg.Place](s, ctx, bPlaces, idx.placeOrder, strCmp(idx.sortKey), p)
}

// ListEvents returns a page of events by occurred date ("" first), then id.
func (s *Store) ListEvents(ctx context.Context, p store.Page) (store.PageOf[kg.Event], error) {
	idx := s.snapshot()
	return listPage[kg.Event](s, ctx, bEvents, idx.eventOrder, strCmp(idx.sortKey), p)
}

// ListSources returns a page of sources by id.
func (s *Store) ListSources(ctx context.Context, p store.Page) (store.PageOf[kg.Source], error) {
	return listPage[kg.Source](s, ctx, bSources, s.snapshot().sourceOrder, idCmp, p)
}

func listPage[T any](s *Store, ctx context.Context, bucket []byte, order []string, compare func(string, *store.Cursor) int, p store.Page) (store.PageOf[T], error) {
	ids, more := scan(order, compare, false, p, nil)
	items, err := getList[T](s, ctx, bucket, ids)
	return store.PageOf[T]{Items: items, HasNext: more}, err
}
