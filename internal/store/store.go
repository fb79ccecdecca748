// Package store defines the Store interface both backends implement (Neo4j
// and the embedded bbolt store), the filters it takes and its sentinel
// errors. Package storetest holds the one conformance suite both must pass.
//
// Reads are shaped for batching: every lookup takes many ids and returns a map,
// so the GraphQL layer resolves a whole level of a nested query with one call
// (one Cypher statement, one bbolt read transaction), never one per result.
package store

import (
	"context"
	"errors"

	"github.com/actorgraph/actorgraph/internal/kg"
)

// Sentinel errors. Backends wrap them with %w; callers test with errors.Is.
var (
	// ErrNotFound: no entity has the id or name asked for.
	ErrNotFound = errors.New("not found")
	// ErrInvalid: the input breaks a rule of the data model.
	ErrInvalid = errors.New("invalid input")
	// ErrInUse: the embedded store's files are locked by another process.
	ErrInUse = errors.New("store is in use by another process")
	// ErrUnavailable: the database cannot be reached or timed out.
	ErrUnavailable = errors.New("store unavailable")
)

// Direction selects relations by which end an actor is on.
type Direction string

const (
	Out  Direction = "OUT"  // the actor is From
	In   Direction = "IN"   // the actor is To
	Both Direction = "BOTH" // either
)

// Link names a relation-to-relation link.
type Link string

const (
	LinkAlleges Link = "alleges" // r.Alleges holds the target's id
	LinkDenies  Link = "denies"  // r.Denies holds the target's id
)

// MaxLimit caps every list a store returns in one call.
const MaxLimit = 1000

// ActorFilter selects actors. Empty fields match everything.
type ActorFilter struct {
	Kinds []kg.ActorKind
	// NameContains matches a case-folded substring of the name or an alias.
	NameContains string
	Country      string
}

// RelationFilter selects relations. Empty fields match everything.
type RelationFilter struct {
	Types       []kg.RelationType
	From        string // actor id
	To          string // actor or place id
	Attribution kg.Attribution
	Status      kg.Status
	Review      kg.Review
	Source      string
	Event       string
	// ClaimedBy: the actor an ALLEGED relation is claimed by (rolled up
	// like From/To when RollUp is set). Place: the relation's place (venue).
	ClaimedBy string
	Place     string
	// CAMEORoot is a two-digit CAMEO root ("19" = fight); PLOVER a category
	// ("ACCUSE"), as kg.PLOVERFor derives it.
	CAMEORoot string
	PLOVER    string
	// MinConfidence keeps relations with confidence >= it.
	MinConfidence float64
	Dates         DateRange
	// FromKinds / ToKinds: the actor kind at that end (a place end never matches ToKinds).
	FromKinds, ToKinds []kg.ActorKind
	// RollUp widens From and To (and the actor of RelationsOf) to every actor
	// below them in the PART_OF / HOLDS_ROLE hierarchy, so a general's words
	// count as his state's while the relation still names him.
	RollUp bool
}

// SortField names what a list is ordered by. Every order ends with the id
// as tie-breaker, in the same direction.
type SortField string

const (
	SortID         SortField = "ID"
	SortName       SortField = "NAME"       // actors: folded name
	SortOccurred   SortField = "OCCURRED"   // relations: occurred date ("" first)
	SortReported   SortField = "REPORTED"   // relations: reported date ("" first)
	SortConfidence SortField = "CONFIDENCE" // relations
)

// Order is a sort order.
type Order struct {
	Field SortField
	Desc  bool
}

// Cursor is a keyset position: the sort value of the last item returned
// and its id. Items added later never shift a page, unlike offsets. Str
// holds string sort values, Num numeric ones (confidence).
type Cursor struct {
	Str string
	Num float64
	ID  string
}

// Page asks for First items after After (nil: from the start).
type Page struct {
	First int
	After *Cursor
}

// PageOf is one page of a list.
type PageOf[T any] struct {
	Items   []T
	HasNext bool
}

// CursorOf returns the cursor of a relation under order o.
func CursorOf(r kg.Relation, o Order) Cursor {
	switch o.Field {
	case SortOccurred:
		return Cursor{Str: r.Occurred.Date, ID: r.ID}
	case SortReported:
		return Cursor{Str: r.Reported.Date, ID: r.ID}
	case SortConfidence:
		return Cursor{Num: r.Provenance.Confidence, ID: r.ID}
	}
	return Cursor{ID: r.ID}
}

// ActorCursor returns the cursor of an actor under order o (NAME or ID).
func ActorCursor(a kg.Actor, o Order) Cursor {
	if o.Field == SortName {
		return Cursor{Str: kg.Fold(a.Name), ID: a.ID}
	}
	return Cursor{ID: a.ID}
}

// Stats counts what a store holds.
type Stats struct {
	Actors, Places, Events, Sources, Relations, Evidence int
}

// Store is the one interface of both backends. Lists are ordered
// deterministically (actors by folded name then id, relations by id, …) so
// both stores give identical answers.
type Store interface {
	PathFinder // neighbourhoods and paths (analytics.go)
	Analyst    // timelines, dyads, disputes, search (analytics.go)
	Writer     // merge, unmerge, review, delete (writer.go)
	ChangeLog  // the log of committed changes (changes.go)

	// Ping checks the store answers (readiness).
	Ping(ctx context.Context) error
	// Close releases the store.
	Close(ctx context.Context) error
	// Stats counts the graph.
	Stats(ctx context.Context) (Stats, error)
	// Load upserts a whole graph in one transaction: all of it or nothing.
	Load(ctx context.Context, g *kg.Graph) error
	// Wipe deletes everything (tests, re-seeding).
	Wipe(ctx context.Context) error

	// Actors returns the actors with these ids; missing ids are absent.
	Actors(ctx context.Context, ids []string) (map[string]kg.Actor, error)
	// ActorByName finds an actor by case-folded name or alias (ErrNotFound).
	ActorByName(ctx context.Context, name string) (kg.Actor, error)
	// ListActors returns a page of actors matching f, ordered by o (NAME or ID).
	ListActors(ctx context.Context, f ActorFilter, o Order, p Page) (PageOf[kg.Actor], error)
	// CountActors counts the actors matching f.
	CountActors(ctx context.Context, f ActorFilter) (int, error)

	// Relations returns the relations with these ids.
	Relations(ctx context.Context, ids []string) (map[string]kg.Relation, error)
	// ListRelations returns a page of relations matching f, ordered by o.
	ListRelations(ctx context.Context, f RelationFilter, o Order, p Page) (PageOf[kg.Relation], error)
	// CountRelations counts the relations matching f, from the stores' own
	// counts where no value filter applies (never by reading the relations).
	CountRelations(ctx context.Context, f RelationFilter) (int, error)
	// RelationsOf returns, for each actor id that exists, a page of its
	// relations in direction dir that match f, ordered by o (f.From/f.To are
	// ignored; f.RollUp widens the actor to its hierarchy). The page size
	// applies per actor, inside the query: a hub costs what a small node does.
	RelationsOf(ctx context.Context, actorIDs []string, dir Direction, f RelationFilter, o Order, p Page) (map[string]PageOf[kg.Relation], error)
	// CountRelationsOf counts each actor's relations as RelationsOf selects
	// them (from the node's degree where no filter applies).
	CountRelationsOf(ctx context.Context, actorIDs []string, dir Direction, f RelationFilter) (map[string]int, error)
	// RelationsOfEvents returns, for each event id that exists, a page of its
	// relations by id.
	RelationsOfEvents(ctx context.Context, eventIDs []string, p Page) (map[string]PageOf[kg.Relation], error)
	// CountRelationsOfEvents counts each event's relations.
	CountRelationsOfEvents(ctx context.Context, eventIDs []string) (map[string]int, error)
	// Linked returns, for each relation id, the relations whose link field
	// holds it: who alleges it, who denies it.
	Linked(ctx context.Context, ids []string, link Link) (map[string][]kg.Relation, error)

	// Places, Events, Sources return the entities with these ids.
	Places(ctx context.Context, ids []string) (map[string]kg.Place, error)
	Events(ctx context.Context, ids []string) (map[string]kg.Event, error)
	Sources(ctx context.Context, ids []string) (map[string]kg.Source, error)
	// ListPlaces (by folded name, id), ListEvents (by occurred date, "" first,
	// then id) and ListSources (by id) return a page of each; the cursor's
	// Str is the sort value.
	ListPlaces(ctx context.Context, p Page) (PageOf[kg.Place], error)
	ListEvents(ctx context.Context, p Page) (PageOf[kg.Event], error)
	ListSources(ctx context.Context, p Page) (PageOf[kg.Source], error)
}
