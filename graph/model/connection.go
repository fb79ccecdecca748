package model

import (
	"context"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// Relay connections. A connection holds one page from the store and knows
// how to encode each item's cursor; totalCount is loaded only when asked
// (Count), from the stores' own counts where possible.

// PageInfo is a GraphQL PageInfo.
type PageInfo struct {
	HasNextPage     bool
	HasPreviousPage bool
	StartCursor     *string
	EndCursor       *string
}

func pageInfo(cursors []string, hasNext, after bool) *PageInfo {
	pi := &PageInfo{HasNextPage: hasNext, HasPreviousPage: after}
	if n := len(cursors); n > 0 {
		pi.StartCursor, pi.EndCursor = &cursors[0], &cursors[n-1]
	}
	return pi
}

// RelationConnection is a page of relations.
type RelationConnection struct {
	Nodes    []*Relation
	Cursors  []string
	HasNext  bool
	HasAfter bool
	// Count loads totalCount (batched across sibling connections).
	Count func(context.Context) (int, error)
}

// NewRelationConnection wraps a page; cursor encodes an item's cursor.
func NewRelationConnection(nodes []*Relation, hasNext, hasAfter bool, cursor func(kg.Relation) string, count func(context.Context) (int, error)) *RelationConnection {
	c := &RelationConnection{Nodes: nodes, HasNext: hasNext, HasAfter: hasAfter, Count: count, Cursors: make([]string, len(nodes))}
	for i, n := range nodes {
		c.Cursors[i] = cursor(n.Relation)
	}
	return c
}

// Edges pairs each relation with its cursor.
func (c *RelationConnection) Edges() []*RelationEdge {
	out := make([]*RelationEdge, len(c.Nodes))
	for i, n := range c.Nodes {
		out[i] = &RelationEdge{Cursor: c.Cursors[i], Node: n}
	}
	return out
}

// PageInfo says where the page stands.
func (c *RelationConnection) PageInfo() *PageInfo { return pageInfo(c.Cursors, c.HasNext, c.HasAfter) }

// RelationEdge is a relation and its cursor.
type RelationEdge struct {
	Cursor string
	Node   *Relation
}

// ActorConnection is a page of actors.
type ActorConnection struct {
	Nodes    []*Actor
	Cursors  []string
	HasNext  bool
	HasAfter bool
	Count    func(context.Context) (int, error)
}

// NewActorConnection wraps a page of actors as one sibling set.
func NewActorConnection(p store.PageOf[kg.Actor], hasAfter bool, cursor func(kg.Actor) string, count func(context.Context) (int, error)) *ActorConnection {
	c := &ActorConnection{Nodes: Actors(p.Items), HasNext: p.HasNext, HasAfter: hasAfter, Count: count, Cursors: make([]string, len(p.Items))}
	for i, a := range p.Items {
		c.Cursors[i] = cursor(a)
	}
	return c
}

// Edges pairs each actor with its cursor.
func (c *ActorConnection) Edges() []*ActorEdge {
	out := make([]*ActorEdge, len(c.Nodes))
	for i, n := range c.Nodes {
		out[i] = &ActorEdge{Cursor: c.Cursors[i], Node: n}
	}
	return out
}

// PageInfo says where the page stands.
func (c *ActorConnection) PageInfo() *PageInfo { return pageInfo(c.Cursors, c.HasNext, c.HasAfter) }

// ActorEdge is an actor and its cursor.
type ActorEdge struct {
	Cursor string
	Node   *Actor
}

// EventConnection is a page of events.
type EventConnection struct {
	Nodes    []*Event
	Cursors  []string
	HasNext  bool
	HasAfter bool
}

// Edges pairs each event with its cursor.
func (c *EventConnection) Edges() []*EventEdge {
	out := make([]*EventEdge, len(c.Nodes))
	for i, n := range c.Nodes {
		out[i] = &EventEdge{Cursor: c.Cursors[i], Node: n}
	}
	return out
}

// PageInfo says where the page stands.
func (c *EventConnection) PageInfo() *PageInfo { return pageInfo(c.Cursors, c.HasNext, c.HasAfter) }

// EventEdge is an event and its cursor.
type EventEdge struct {
	Cursor string
	Node   *Event
}

// PlaceConnection is a page of places.
type PlaceConnection struct {
	Nodes    []*Place
	Cursors  []string
	HasNext  bool
	HasAfter bool
}

// Edges pairs each place with its cursor.
func (c *PlaceConnection) Edges() []*PlaceEdge {
	out := make([]*PlaceEdge, len(c.Nodes))
	for i, n := range c.Nodes {
		out[i] = &PlaceEdge{Cursor: c.Cursors[i], Node: n}
	}
	return out
}

// PageInfo says where the page stands.
func (c *PlaceConnection) PageInfo() *PageInfo { return pageInfo(c.Cursors, c.HasNext, c.HasAfter) }

// PlaceEdge is a place and its cursor.
type PlaceEdge struct {
	Cursor string
	Node   *Place
}

// SourceConnection is a page of sources.
type SourceConnection struct {
	Nodes    []*Source
	Cursors  []string
	HasNext  bool
	HasAfter bool
}

// Edges pairs each source with its cursor.
func (c *SourceConnection) Edges() []*SourceEdge {
	out := make([]*SourceEdge, len(c.Nodes))
	for i, n := range c.Nodes {
		out[i] = &SourceEdge{Cursor: c.Cursors[i], Node: n}
	}
	return out
}

// PageInfo says where the page stands.
func (c *SourceConnection) PageInfo() *PageInfo { return pageInfo(c.Cursors, c.HasNext, c.HasAfter) }

// SourceEdge is a source and its cursor.
type SourceEdge struct {
	Cursor string
	Node   *Source
}

// IsNode marks the Node implementations.
func (*Actor) IsNode()    {}
func (*Place) IsNode()    {}
func (*Event) IsNode()    {}
func (*Relation) IsNode() {}
func (*Source) IsNode()   {}

// GetID satisfies the generated Node interface.
func (e *Event) GetID() string    { return e.Event.ID }
func (r *Relation) GetID() string { return r.Relation.ID }
func (s *Source) GetID() string   { return s.Source.ID }
