package store

import (
	"context"

	"github.com/actorgraph/actorgraph/internal/kg"
)

// Ends names which ends of a page's relations to read with the page.
type Ends uint8

const (
	EndFrom Ends = 1 << iota // the relations' from actors
	EndTo                    // the relations' to actors and places
)

// EndNodes are the ends of a page's relations, by id.
type EndNodes struct {
	Asked    Ends                // the ends read; the maps of the others are empty
	From     map[string]kg.Actor // from ends
	To       map[string]kg.Actor // to ends that are actors
	ToPlaces map[string]kg.Place // to ends that are places
}

// PageEnder is implemented by a store whose round trips cost more than its
// reads (Neo4j): it reads a page of relations (as RelationsOf) and the ends
// asked for in one statement, so a connection that shows each relation's
// "to" costs one round trip, not two. The embedded store looks ends up in
// memory and does not implement it.
type PageEnder interface {
	RelationsOfWithEnds(ctx context.Context, actorIDs []string, dir Direction, f RelationFilter, o Order, p Page, ends Ends) (map[string]PageOf[kg.Relation], *EndNodes, error)
}
