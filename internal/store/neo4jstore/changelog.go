package neo4jstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// The change log (store.ChangeLog) on Neo4j, which has no change data
// capture in Community:
//
//	(:Change {first, seq, at, json})     a chunk of one transaction's entries:
//	                                      sequences first..seq, json their
//	                                      encodings in order; seq unique
//	(:ChangeLog {id: 'changes', seq, floor})  the one counter; floor: the
//	                                      highest seq compaction dropped
//
// A transaction's entries are stored as chunks of up to chunkSize, not as
// a node each: an import batch of 1,000 relations writes 4 nodes and 4
// index entries instead of 1,000 of each (the append statement of 20
// such batches took 65-70 ms instead of 214-343 ms). A chunk is keyed by its last
// sequence, so the reader's range seek on seq still starts at the chunk
// holding the cursor's successor; it skips the entries at or below the
// cursor. Nodes of the earlier layout (one entry, json a string, no first)
// are read alike.
//
// Every write transaction appends its entries as its last statement: that
// statement increments the counter, which takes the counter node's write
// lock, held until commit. Writers therefore take their sequence numbers in
// the order they commit, across every process on the database, and hold the
// lock only for the end of their transaction (the lock is taken as late as
// possible). A reader still accepts only a gap-free run of sequences (see
// Changes): a transaction that committed just before the one a read sees
// may be missed by a read that ran concurrently with both.

const changeLogID = "changes"

// chunkSize bounds the entries of one Change node: large enough that an
// import batch writes few nodes, small enough that a reader resuming inside
// a chunk reads little it then skips.
const chunkSize = 256

var (
	qcAppend = `MERGE (l:ChangeLog {id: $log}) ON CREATE SET l.seq = 0, l.floor = 0
SET l.seq = l.seq + $n
WITH l.seq - $n AS base
UNWIND $chunks AS ch
CREATE (:Change {first: base + ch.off + 1, seq: base + ch.off + size(ch.rows), at: $at, json: ch.rows})`
	qcEnsure = "MERGE (l:ChangeLog {id: $log}) ON CREATE SET l.seq = 0, l.floor = 0"
	// qcChanges: the floor, and the chunks after the cursor in seq order
	// (an index-ordered range seek on the seq constraint's index), taken
	// while they add up to fewer than $limit entries after the cursor: a
	// chunk's json is read only when it is taken.
	qcChanges = `OPTIONAL MATCH (l:ChangeLog {id: $log})
CALL () {
  MATCH (c:Change) WHERE c.seq > $after
  WITH c ORDER BY c.seq LIMIT $limit
  WITH collect(c) AS cs
  RETURN reduce(acc = {n: 0, rows: []}, c IN cs |
    CASE WHEN acc.n >= $limit THEN acc
    ELSE {n: acc.n + c.seq - CASE WHEN coalesce(c.first, c.seq) > $after THEN coalesce(c.first, c.seq) ELSE $after + 1 END + 1,
          rows: acc.rows + [[coalesce(c.first, c.seq), c.json]]} END).rows AS rows
}
RETURN coalesce(l.floor, 0) AS floor, rows`
	qcLast   = "OPTIONAL MATCH (l:ChangeLog {id: $log}) RETURN coalesce(l.seq, 0) AS seq, coalesce(l.floor, 0) AS floor"
	qcOldest = `MATCH (c:Change) WHERE c.seq > $floor
WITH c ORDER BY c.seq LIMIT $limit
RETURN c.seq AS seq, c.at AS at`
	qcRaise = "MATCH (l:ChangeLog {id: $log}) WHERE l.floor < $cut SET l.floor = $cut"
	qcDrop  = "MATCH (c:Change) WHERE c.seq <= $cut CALL (c) { DELETE c } IN TRANSACTIONS OF 10000 ROWS"
	qcReset = "MERGE (l:ChangeLog {id: $log}) SET l.seq = $seq, l.floor = $seq"
)

// loggedTx is a write transaction that collects its change log entries:
// the put and drop helpers note what they change into it.
type loggedTx struct {
	neo4j.ManagedTransaction
	cs *store.ChangeSet
}

// changeSet returns the entries tx collects, or nil when it logs nothing.
func changeSet(tx neo4j.ManagedTransaction) *store.ChangeSet {
	if lt, ok := tx.(*loggedTx); ok {
		return lt.cs
	}
	return nil
}

// logged runs fn with a change set attached to tx, then appends the
// entries to the log as the transaction's last statement.
func (s *Store) logged(ctx context.Context, tx neo4j.ManagedTransaction, op string, fn func(neo4j.ManagedTransaction) error) error {
	if s.opts.NoChangeLog {
		return fn(tx)
	}
	lt := &loggedTx{ManagedTransaction: tx, cs: store.NewChangeSet(store.OpOf(ctx, op), time.Now())}
	if err := fn(lt); err != nil {
		return err
	}
	list := lt.cs.List()
	if len(list) == 0 {
		return nil
	}
	at := time.Now().UTC()
	chunks := make([]any, 0, (len(list)+chunkSize-1)/chunkSize)
	for off := 0; off < len(list); off += chunkSize {
		part := list[off:min(off+chunkSize, len(list))]
		rows := make([]any, len(part))
		for i, ch := range part {
			ch.At = at
			data, err := json.Marshal(ch)
			if err != nil {
				return err
			}
			rows[i] = string(data)
		}
		chunks = append(chunks, map[string]any{"off": int64(off), "rows": rows})
	}
	return exec(ctx, tx, qcAppend, map[string]any{"log": changeLogID, "n": int64(len(list)), "chunks": chunks, "at": at.UnixMilli()})
}

// collectIDs returns a runBatches check adding the ids listed in column col
// of each batch's record to set.
func collectIDs(set map[string]bool, col string) func([]any, *neo4j.Record) error {
	return func(_ []any, rec *neo4j.Record) error {
		v, _ := rec.Get(col)
		l, _ := v.([]any)
		for _, x := range l {
			if id, ok := x.(string); ok {
				set[id] = true
			}
		}
		return nil
	}
}

// noteNodes notes the put of nodes by id (created: the ids MERGE created).
func noteNodes[T any](cs *store.ChangeSet, e store.ChangeEntity, items []T, id func(T) string, created map[string]bool) {
	if cs == nil {
		return
	}
	for _, it := range items {
		var actor *kg.Actor
		if a, ok := any(it).(kg.Actor); ok {
			actor = &a
		}
		cs.Put(e, id(it), !created[id(it)], actor, nil, nil)
	}
}

// noteGraph notes every entity of a Load (created: by label, the node ids
// MERGE created; existing: relation ids stored before).
func noteGraph(cs *store.ChangeSet, g *kg.Graph, created map[string]map[string]bool, existing map[string]bool) {
	if cs == nil {
		return
	}
	noteNodes(cs, store.EntitySource, g.Sources, func(x kg.Source) string { return x.ID }, created["Source"])
	noteNodes(cs, store.EntityActor, g.Actors, func(x kg.Actor) string { return x.ID }, created["Actor"])
	noteNodes(cs, store.EntityPlace, g.Places, func(x kg.Place) string { return x.ID }, created["Place"])
	noteNodes(cs, store.EntityEvent, g.Events, func(x kg.Event) string { return x.ID }, created["Event"])
	for i := range g.Relations {
		r := g.Relations[i]
		cs.Put(store.EntityRelation, r.ID, existing[r.ID], nil, &r, nil)
	}
}

// deleteActor deletes an actor node without relationships and notes it.
func deleteActor(ctx context.Context, tx neo4j.ManagedTransaction, id string) error {
	if cs := changeSet(tx); cs != nil {
		cs.Delete(store.EntityActor, id, nil)
	}
	return exec(ctx, tx, qwDelActor, map[string]any{"id": id})
}

// ensureChangeLog creates the counter node if missing (MERGE on its
// uniqueness constraint: safe when many servers start at once).
func (s *Store) ensureChangeLog(ctx context.Context) error {
	_, err := s.runAutoCommit(ctx, "create change log", qcEnsure, map[string]any{"log": changeLogID})
	return err
}

// Changes returns up to limit entries after the cursor (store.ChangeLog).
// It returns the gap-free run of sequences that follows the cursor: a gap
// at the start is compaction (ErrCursorExpired when the cursor is below
// the floor) or a transaction this read raced; either way no entry is
// skipped.
func (s *Store) Changes(ctx context.Context, after int64, limit int) ([]store.Change, error) {
	limit = int(clamp(limit))
	recs, err := s.read(ctx, "changes", qcChanges, map[string]any{"log": changeLogID, "after": max(after, 0), "limit": int64(limit)})
	if err != nil {
		return nil, err
	}
	if len(recs) != 1 {
		return nil, nil
	}
	fl := int64(recInt(recs[0], "floor"))
	if after > 0 && after < fl {
		return nil, fmt.Errorf("neo4jstore: changes: sequence %d is older than the log (starts after %d): %w", after, fl, store.ErrCursorExpired)
	}
	next := max(after, fl) + 1
	v, _ := recs[0].Get("rows")
	rows, _ := v.([]any)
	out := make([]store.Change, 0, len(rows))
	for _, row := range rows {
		pair, _ := row.([]any)
		if len(pair) != 2 || len(out) >= limit {
			break
		}
		seq := int64(gint(pair[0])) // the chunk's first entry
		var entries []any
		switch v := pair[1].(type) {
		case string: // the one-entry layout of earlier versions
			entries = []any{v}
		case []any:
			entries = v
		}
		if seq > next {
			break // not yet visible to this read: the next poll gets it
		}
		for _, e := range entries {
			if seq < next {
				seq++ // at or below the cursor (or the floor)
				continue
			}
			if seq != next || len(out) >= limit {
				break
			}
			data, _ := e.(string)
			var ch store.Change
			if err := json.Unmarshal([]byte(data), &ch); err != nil {
				return nil, fmt.Errorf("neo4jstore: changes: decode %d: %w", seq, err)
			}
			ch.Seq = seq
			out = append(out, ch)
			seq++
			next++
		}
	}
	return out, nil
}

// lastAndFloor reads the counter and the floor.
func (s *Store) lastAndFloor(ctx context.Context) (int64, int64, error) {
	recs, err := s.read(ctx, "changes", qcLast, map[string]any{"log": changeLogID})
	if err != nil || len(recs) != 1 {
		return 0, 0, err
	}
	return int64(recInt(recs[0], "seq")), int64(recInt(recs[0], "floor")), nil
}

// LastSeq is the sequence of the newest entry ever appended.
func (s *Store) LastSeq(ctx context.Context) (int64, error) {
	last, _, err := s.lastAndFloor(ctx)
	return last, err
}

// Compact drops the oldest entries beyond r: it raises the floor first (so
// a reader in the dropped range gets ErrCursorExpired, not a gap), then
// deletes in batches of their own transactions. It reports the entries
// dropped. By age, it cuts at whole chunks (a chunk's entries share its
// transaction's time).
func (s *Store) Compact(ctx context.Context, r store.Retention, now time.Time) (int, error) {
	last, fl, err := s.lastAndFloor(ctx)
	if err != nil {
		return 0, err
	}
	cut := fl
	if r.MaxEntries > 0 && last-r.MaxEntries > cut {
		cut = last - r.MaxEntries
	}
	if r.MaxAge > 0 {
		// Entries are appended in (roughly) time order: walk from the
		// oldest while they are too old.
		cutoff := now.Add(-r.MaxAge).UnixMilli()
	walk:
		for {
			recs, err := s.read(ctx, "compact changes", qcOldest, map[string]any{"floor": cut, "limit": 1000})
			if err != nil {
				return 0, err
			}
			for _, rec := range recs {
				if int64(recInt(rec, "at")) >= cutoff {
					break walk
				}
				cut = int64(recInt(rec, "seq"))
			}
			if len(recs) < 1000 {
				break
			}
		}
	}
	if cut <= fl {
		return 0, nil
	}
	if _, err := s.runAutoCommit(ctx, "compact changes", qcRaise, map[string]any{"log": changeLogID, "cut": cut}); err != nil {
		return 0, err
	}
	// The entries fl+1..cut are gone for readers once the floor is raised;
	// the chunks wholly at or below cut are deleted (one straddling cut
	// stays until a later compaction passes its end).
	if _, err := s.runAutoCommit(ctx, "compact changes", qcDrop, map[string]any{"cut": cut}); err != nil {
		return 0, err
	}
	return int(cut - fl), nil
}

// keepSeq restores the counter after Wipe deleted every node: sequences
// never repeat, and cursors from before the wipe expire.
func (s *Store) keepSeq(ctx context.Context, seq int64) error {
	_, err := s.runAutoCommit(ctx, "wipe", qcReset, map[string]any{"log": changeLogID, "seq": seq})
	return err
}

// qSeedMark creates the marker of a one-time load (its uniqueness
// constraint makes a concurrent MERGE wait for the creator's commit and
// then match) and tells whether this transaction created it and whether
// the graph holds any actor.
const qSeedMark = `MERGE (m:LoadMarker {id: $id})
ON CREATE SET m._new = true
WITH m, m._new IS NOT NULL AS created
REMOVE m._new
RETURN created, EXISTS { MATCH (:Actor) } AS nonEmpty`

// seedLoadTimeout bounds the one-time load's transaction (and the wait of
// the servers that lose the race for it).
const seedLoadTimeout = 5 * time.Minute

// LoadIfEmpty loads g when the graph is empty, in one transaction guarded
// by a marker node: of many servers starting together on an empty
// database, exactly one loads (the others wait on the marker, then find it
// made). It reports whether it loaded.
func (s *Store) LoadIfEmpty(ctx context.Context, marker string, g *kg.Graph) (bool, error) {
	plan, err := planLoad(g)
	if err != nil {
		return false, err
	}
	loaded := false
	ctx = withBulkTimeout(ctx, seedLoadTimeout)
	err = s.writeTx(ctx, "load once", func(tx neo4j.ManagedTransaction) error {
		loaded = false
		recs, err := run(ctx, tx, qSeedMark, map[string]any{"id": marker})
		if err != nil || len(recs) != 1 {
			return err
		}
		created, _ := recs[0].Get("created")
		nonEmpty, _ := recs[0].Get("nonEmpty")
		switch {
		case created != true:
			return errNoChange // loaded (or found loaded) by another process
		case nonEmpty == true:
			return nil // a graph made before markers existed: keep the marker only
		}
		loaded = true
		return plan.run(ctx, tx)
	})
	return loaded, err
}
