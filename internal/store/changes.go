package store

import (
	"context"
	"errors"
	"time"

	"github.com/actorgraph/actorgraph/internal/kg"
)

// The write path, one for every writer (mutations, merge/unmerge, review,
// delete, ingest, import) on both stores:
//
//  1. validate: the rules of the data model live in package kg. Rules on one
//     entry (enums, ids, text limits, evidence) run before the transaction;
//     rules that need the stored graph (ends exist, no self-loop, no PART_OF /
//     HOLDS_ROLE cycle, links point at relations) run inside it, against the
//     state the transaction sees, through kg's small read interface that each
//     store implements over its own transaction.
//  2. one transaction changes the data, its indexes and the change log
//     together: a reader sees all of a write or none of it, and the log holds
//     exactly the committed writes, in commit order.
//  3. announce: subscribers are fed by tailing the change log (ChangeLog),
//     never from the writer's memory, so every server, and every write made
//     by the CLI, is announced the same way.

// ErrCursorExpired: a change-log cursor older than the oldest retained entry
// (the log was compacted past it); the reader must start again from a fresh
// read of the graph or from the oldest retained entry.
var ErrCursorExpired = errors.New("cursor expired")

// ChangeKind says what happened to an entity.
type ChangeKind string

const (
	ChangeCreated ChangeKind = "CREATED"
	ChangeUpdated ChangeKind = "UPDATED"
	ChangeDeleted ChangeKind = "DELETED"
)

// ChangeEntity names the kind of entity a change is about.
type ChangeEntity string

const (
	EntityActor    ChangeEntity = "ACTOR"
	EntityRelation ChangeEntity = "RELATION"
	EntityPlace    ChangeEntity = "PLACE"
	EntityEvent    ChangeEntity = "EVENT"
	EntitySource   ChangeEntity = "SOURCE"
)

// Change is one entry of the change log: one entity changed by one
// committed write. A write that changes N entities appends N entries with
// consecutive sequence numbers, in the same transaction as the change.
type Change struct {
	// Seq is strictly increasing in commit order across every process that
	// writes the store: a reader that has seen Seq n never later finds an
	// entry below n.
	Seq    int64        `json:"seq"`
	At     time.Time    `json:"at"` // commit time (UTC), from the writer's clock
	Op     string       `json:"op"` // the write that made it: "load", "putActor", "merge", "unmerge", "review", "deleteRelation", …
	Entity ChangeEntity `json:"entity"`
	ID     string       `json:"id"`
	Kind   ChangeKind   `json:"kind"`
	// The entity after the change (nil when deleted, or for an entity kind
	// not carried here); Before is set on updates and deletes when the
	// store has it at hand.
	Actor    *kg.Actor    `json:"actor,omitempty"`
	Relation *kg.Relation `json:"relation,omitempty"`
	Before   *kg.Relation `json:"before,omitempty"`
	// Encoded, for a store that logs the bytes it already wrote instead
	// of encoding the values a second time: the record after the change
	// (the JSON of Actor or Relation) and Before's. Never serialised; a
	// reader of the log gets the typed fields above.
	Record, BeforeRecord []byte `json:"-"`
}

// Retention bounds the change log; a zero field does not bound.
type Retention struct {
	MaxAge     time.Duration
	MaxEntries int64
}

// DefaultRetention keeps a week of changes and at most a million entries.
var DefaultRetention = Retention{MaxAge: 7 * 24 * time.Hour, MaxEntries: 1_000_000}

// ChangeLog reads the change log both stores write in their transactions.
type ChangeLog interface {
	// Changes returns up to limit entries with Seq > after, in Seq order
	// (after 0: from the oldest retained entry). ErrCursorExpired when
	// entries after `after` have been compacted away.
	Changes(ctx context.Context, after int64, limit int) ([]Change, error)
	// LastSeq is the sequence of the newest entry (0 for an empty log).
	LastSeq(ctx context.Context) (int64, error)
	// Compact drops entries beyond the retention; it returns how many.
	// Readers whose cursor falls in the dropped range get ErrCursorExpired
	// from then on, never a silent gap.
	Compact(ctx context.Context, r Retention, now time.Time) (int, error)
}

// Ops the stores write into Change.Op when the caller names none (WithOp).
const OpLoad = "load"

type opKey struct{}

// WithOp names the write made with ctx ("import", "ingest", "addRelation",
// …) for the change log's Op; without it the store names the method.
func WithOp(ctx context.Context, op string) context.Context {
	return context.WithValue(ctx, opKey{}, op)
}

// OpOf returns the op named by WithOp, or def.
func OpOf(ctx context.Context, def string) string {
	if op, ok := ctx.Value(opKey{}).(string); ok && op != "" {
		return op
	}
	return def
}

// ChangeSet collects the entries of one write transaction, one per changed
// entity: a store notes every put and delete as it makes it, and appends
// List() to its log at the end of the transaction. Both stores share it so
// they log the same entries for the same write.
type ChangeSet struct {
	op    string
	at    time.Time
	index map[string]int // entity + id -> position in list
	list  []Change
}

// NewChangeSet starts the entries of a write named op, made at at.
func NewChangeSet(op string, at time.Time) *ChangeSet {
	return &ChangeSet{op: op, at: at.UTC(), index: map[string]int{}}
}

// Put notes that an entity was written. existed says whether it was there
// before the transaction wrote it; before is its old value when at hand.
// A second note of the same entity updates the first: an entity deleted and
// written again in one transaction (a relation moved to new ends) is one
// UPDATED entry.
func (c *ChangeSet) Put(e ChangeEntity, id string, existed bool, actor *kg.Actor, rel, before *kg.Relation) {
	kind := ChangeCreated
	if existed {
		kind = ChangeUpdated
	}
	c.note(Change{Entity: e, ID: id, Kind: kind, Actor: actor, Relation: rel, Before: before})
}

// PutEncoded is Put with the entity's encoded record (record: the actor's
// or relation's JSON after the change, nil for other entities) and the
// relation's old record (nil when none) instead of decoded values.
func (c *ChangeSet) PutEncoded(e ChangeEntity, id string, existed bool, record, before []byte) {
	kind := ChangeCreated
	if existed {
		kind = ChangeUpdated
	}
	c.note(Change{Entity: e, ID: id, Kind: kind, Record: record, BeforeRecord: before})
}

// DeleteEncoded is Delete with the relation's old record (nil when none).
func (c *ChangeSet) DeleteEncoded(e ChangeEntity, id string, before []byte) {
	c.note(Change{Entity: e, ID: id, Kind: ChangeDeleted, BeforeRecord: before})
}

// Delete notes that an entity was deleted (before: the relation's last value).
func (c *ChangeSet) Delete(e ChangeEntity, id string, before *kg.Relation) {
	c.note(Change{Entity: e, ID: id, Kind: ChangeDeleted, Before: before})
}

func (c *ChangeSet) note(ch Change) {
	ch.At, ch.Op = c.at, c.op
	key := string(ch.Entity) + "\x00" + ch.ID
	i, seen := c.index[key]
	if !seen {
		c.index[key] = len(c.list)
		c.list = append(c.list, ch)
		return
	}
	prev := c.list[i]
	switch {
	case prev.Kind == ChangeCreated && ch.Kind != ChangeDeleted:
		ch.Kind = ChangeCreated // still new to readers
	case prev.Kind != ChangeCreated && ch.Kind != ChangeDeleted:
		ch.Kind = ChangeUpdated // deleted and written again, or written twice
	}
	if prev.Before != nil {
		ch.Before = prev.Before
	}
	if prev.BeforeRecord != nil {
		ch.BeforeRecord = prev.BeforeRecord
	}
	c.list[i] = ch
}

// List returns the entries in the order their entities were first noted.
func (c *ChangeSet) List() []Change { return c.list }

// Len is the number of entries.
func (c *ChangeSet) Len() int { return len(c.list) }

// Last returns the entity's value after the change: the relation, or for a
// deletion the relation as it was (so filters on ends still apply).
func (ch Change) Last() *kg.Relation {
	if ch.Relation != nil {
		return ch.Relation
	}
	return ch.Before
}
