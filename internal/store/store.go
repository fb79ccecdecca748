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
	Source      string
	Event       string
	// RollUp widens From and To (and the actor of RelationsOf) to every actor
	// below them in the PART_OF / HOLDS_ROLE hierarchy, so a general's words
	// count as his state's while the relation still names him.
	RollUp bool
}

// Stats counts what a store holds.
type Stats struct {
	Actors, Places, Events, Sources, Relations, Evidence int
}

// Store is the one interface of both backends. Lists are ordered
// deterministically (actors by folded name then id, relations by id, …) so
// both stores give identical answers.
type Store interface {
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
	// ListActors returns at most limit actors matching f.
	ListActors(ctx context.Context, f ActorFilter, limit int) ([]kg.Actor, error)

	// Relations returns the relations with these ids.
	Relations(ctx context.Context, ids []string) (map[string]kg.Relation, error)
	// ListRelations returns at most limit relations matching f.
	ListRelations(ctx context.Context, f RelationFilter, limit int) ([]kg.Relation, error)
	// RelationsOf returns, for each actor id, at most limit of its relations in
	// direction dir that match f (f.From/f.To are ignored; f.RollUp widens the
	// actor to its hierarchy). The limit applies per actor, inside the query.
	RelationsOf(ctx context.Context, actorIDs []string, dir Direction, f RelationFilter, limit int) (map[string][]kg.Relation, error)
	// RelationsOfEvents returns, for each event id, its relations (by id).
	RelationsOfEvents(ctx context.Context, eventIDs []string, limit int) (map[string][]kg.Relation, error)
	// Linked returns, for each relation id, the relations whose link field
	// holds it: who alleges it, who denies it.
	Linked(ctx context.Context, ids []string, link Link) (map[string][]kg.Relation, error)

	// Places, Events, Sources return the entities with these ids.
	Places(ctx context.Context, ids []string) (map[string]kg.Place, error)
	Events(ctx context.Context, ids []string) (map[string]kg.Event, error)
	Sources(ctx context.Context, ids []string) (map[string]kg.Source, error)
	// ListPlaces, ListEvents, ListSources return at most limit of each.
	ListPlaces(ctx context.Context, limit int) ([]kg.Place, error)
	ListEvents(ctx context.Context, limit int) ([]kg.Event, error)
	ListSources(ctx context.Context, limit int) ([]kg.Source, error)
}
