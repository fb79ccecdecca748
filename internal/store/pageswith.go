package store

import (
	"context"

	"github.com/actorgraph/actorgraph/internal/kg"
)

// With names what to read along with a page of relations.
type With uint8

const (
	WithFrom  With = 1 << iota // the relations' from actors
	WithTo                     // the relations' to actors and places
	WithCount                  // each actor's count (CountRelationsOf), where the store can count it in the same statement
	WithSeeds                  // the actors whose pages these are (an actor that does not exist has none)
)

// PageExtras is what was read along with pages of relations.
type PageExtras struct {
	Asked    With                // what was read; the maps of the others are empty (Counts nil)
	From     map[string]kg.Actor // from ends, by id
	To       map[string]kg.Actor // to ends that are actors
	ToPlaces map[string]kg.Place // to ends that are places
	Counts   map[string]int      // per actor id, as CountRelationsOf
	Seeds    map[string]kg.Actor // the actors asked about that exist
}

// PagesWith is implemented by a store whose round trips cost more than its
// reads (Neo4j): it reads pages of relations (as RelationsOf) with the ends
// and counts asked for in one statement, so a connection that shows each
// relation's "to" and its totalCount costs one round trip, not three. A
// count the store cannot read that way (value filters) is left out of
// Asked, for CountRelationsOf. The embedded store looks ends up in memory
// and does not implement it.
type PagesWith interface {
	RelationsOfWith(ctx context.Context, actorIDs []string, dir Direction, f RelationFilter, o Order, p Page, with With) (map[string]PageOf[kg.Relation], *PageExtras, error)
}
