package graph

import (
	"time"

	"github.com/actorgraph/actorgraph/graph/model"
	"github.com/actorgraph/actorgraph/internal/feed"
	"github.com/actorgraph/actorgraph/internal/store"
)

// NewConfig wires the resolvers to a store and sets the complexity of list
// fields to (page size × cost of one item), so the complexity limit bounds
// what a query can make the server return, however it nests.
func NewConfig(s store.Store, f *feed.Feed) Config {
	cfg := Config{Resolvers: &Resolver{Store: s, Feed: f}}
	c := &cfg.Complexity
	relations := &relationCount{store: s, refresh: 30 * time.Second}
	page := func(child int, first *int, def int) int {
		n := def
		if first != nil && *first > 0 {
			n = *first
		}
		return 1 + child*n
	}
	c.Query.Actors = func(child int, _ *model.ActorFilter, _ *model.ActorOrder, first *int, _ *string) int {
		return page(child, first, DefaultPage)
	}
	// A value filter may read every relation (cost.go).
	c.Query.Relations = func(child int, f *model.RelationFilter, _ *model.RelationOrder, first *int, _ *string) int {
		return page(child, first, DefaultPage) + relations.scanCost(f)
	}
	c.Query.Events = func(child int, first *int, _ *string) int { return page(child, first, DefaultPage) }
	c.Query.Places = func(child int, first *int, _ *string) int { return page(child, first, DefaultPage) }
	c.Query.Sources = func(child int, first *int, _ *string) int { return page(child, first, DefaultPage) }
	c.Query.Changes = func(child int, _ *string, first *int, _ *model.ChangeFilter) int {
		return page(child, first, DefaultPage)
	}
	neighbours := func(child int, _ *model.NeighbourFilter, _ *model.RelationOrder, first *int, _ *string) int {
		return page(child, first, DefaultNeighbours)
	}
	c.Actor.Outgoing, c.Actor.Incoming = neighbours, neighbours
	c.Event.Relations = func(child int, first *int, _ *string) int { return page(child, first, DefaultNeighbours) }
	// Few relations allege or deny any one relation; count them as a handful.
	c.Relation.AllegedBy = func(child int) int { return 1 + child*5 }
	c.Relation.DeniedBy = func(child int) int { return 1 + child*5 }
	// A connection's item cost is counted once, under edges or nodes.
	return cfg
}

// DefaultNeighbours is the schema's default page of an actor's or event's relations.
const DefaultNeighbours = 50
