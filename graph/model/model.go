// Package model holds the GraphQL models: thin wrappers around the domain
// types of internal/kg. Each wrapper points at the set of siblings it was
// returned with, so child resolvers can batch their loads (see internal/batch).
package model

import (
	"github.com/actorgraph/actorgraph/internal/batch"
	"github.com/actorgraph/actorgraph/internal/kg"
)

// Collect returns a func listing f of every item: the ids a batched load
// needs from a sibling set, computed only when the load runs.
func Collect[T any](items []T, f func(T) string) func() []string {
	return func() []string {
		out := make([]string, len(items))
		for i, x := range items {
			out[i] = f(x)
		}
		return out
	}
}

// Set is a list of sibling models returned together by one resolver.
type Set[T any] struct {
	batch.Calls
	Items []T
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// IsEntity marks Actor and Place as GraphQL Entity implementations.
func (*Actor) IsEntity() {}

// IsEntity marks Actor and Place as GraphQL Entity implementations.
func (*Place) IsEntity() {}

// GetID and GetName satisfy gqlgen's generated Entity interface.
func (a *Actor) GetID() string   { return a.Actor.ID }
func (a *Actor) GetName() string { return a.Actor.Name }
func (p *Place) GetID() string   { return p.Place.ID }
func (p *Place) GetName() string { return p.Place.Name }

// Actor is a GraphQL Actor.
type Actor struct {
	kg.Actor
	Set *Set[*Actor]
}

// Actors wraps actors as one sibling set.
func Actors(list []kg.Actor) []*Actor {
	set := &Set[*Actor]{Items: make([]*Actor, len(list))}
	for i, a := range list {
		set.Items[i] = &Actor{Actor: a, Set: set}
	}
	return set.Items
}

func (a *Actor) Aliases() []string    { return nonNil(a.Actor.Aliases) }
func (a *Actor) Country() *string     { return optional(a.Actor.Country) }
func (a *Actor) CameoCode() *string   { return optional(a.Actor.CAMEOCode) }
func (a *Actor) Wikidata() *string    { return optional(a.Actor.Wikidata) }
func (a *Actor) Description() *string { return optional(a.Actor.Description) }

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Place is a GraphQL Place.
type Place struct {
	kg.Place
	Set *Set[*Place]
}

// Places wraps places as one sibling set.
func Places(list []kg.Place) []*Place {
	set := &Set[*Place]{Items: make([]*Place, len(list))}
	for i, p := range list {
		set.Items[i] = &Place{Place: p, Set: set}
	}
	return set.Items
}

func (p *Place) Aliases() []string { return nonNil(p.Place.Aliases) }
func (p *Place) Country() *string  { return optional(p.Place.Country) }
func (p *Place) Wikidata() *string { return optional(p.Place.Wikidata) }

// Event is a GraphQL Event.
type Event struct {
	kg.Event
	Set *Set[*Event]
}

// Events wraps events as one sibling set.
func Events(list []kg.Event) []*Event {
	set := &Set[*Event]{Items: make([]*Event, len(list))}
	for i, e := range list {
		set.Items[i] = &Event{Event: e, Set: set}
	}
	return set.Items
}

func (e *Event) Occurred() *DateInfo  { return dateInfo(e.Event.Occurred) }
func (e *Event) Description() *string { return optional(e.Event.Description) }

// Evidence lists the event's mentions; they share the event set's source loads.
func (e *Event) Evidence() []*Evidence {
	return evidence(e.Event.Evidence, e.Event.SourceID, &e.Set.Calls,
		Collect(e.Set.Items, func(x *Event) string { return x.SourceID }))
}

// Source is a GraphQL Source.
type Source struct{ kg.Source }

// Sources wraps sources.
func Sources(list []kg.Source) []*Source {
	out := make([]*Source, len(list))
	for i, s := range list {
		out[i] = &Source{s}
	}
	return out
}

func (s *Source) Country() *string           { return optional(s.Source.Country) }
func (s *Source) URL() *string               { return optional(s.Source.URL) }
func (s *Source) OriginalPublisher() *string { return optional(s.Source.OriginalPublisher) }
func (s *Source) Original() *string          { return optional(s.Source.Original) }
func (s *Source) Sha256() *string            { return optional(s.Source.SHA256) }
func (s *Source) Text() *string              { return optional(s.Source.Text) }

// DateInfo is a GraphQL DateInfo.
type DateInfo struct {
	Date      *string
	Precision kg.Precision
}

func dateInfo(d kg.Date) *DateInfo {
	p := d.Precision
	if p == "" {
		p = kg.PrecisionUnknown
	}
	return &DateInfo{Date: optional(d.Date), Precision: p}
}

// Relation is a GraphQL Relation.
type Relation struct {
	kg.Relation
	Set *Set[*Relation]
}

// Relations wraps relations as one sibling set.
func Relations(list []kg.Relation) []*Relation {
	set := &Set[*Relation]{Items: make([]*Relation, len(list))}
	for i, r := range list {
		set.Items[i] = &Relation{Relation: r, Set: set}
	}
	return set.Items
}

func (r *Relation) Condition() *string  { return optional(r.Relation.Condition) }
func (r *Relation) Role() *string       { return optional(r.Relation.Role) }
func (r *Relation) Occurred() *DateInfo { return dateInfo(r.Relation.Occurred) }
func (r *Relation) Reported() *DateInfo { return dateInfo(r.Relation.Reported) }
func (r *Relation) CameoCode() *string  { return optional(r.Relation.CAMEO) }
func (r *Relation) Note() *string       { return optional(r.Relation.Note) }
func (r *Relation) Plover() *string     { return optional(r.Relation.PLOVER()) }
func (r *Relation) Goldstein() *float64 { return r.Relation.Goldstein }

// CameoName is the codebook name of the relation's CAMEO code.
func (r *Relation) CameoName() *string {
	name, _ := kg.CAMEOName(r.Relation.CAMEO)
	return optional(name)
}

// Provenance returns the relation's provenance.
func (r *Relation) Provenance() *Provenance {
	p := r.Relation.Provenance
	return &Provenance{Confidence: p.Confidence, Method: p.Method, Detail: optional(p.Detail), Review: p.Review}
}

// Evidence lists the relation's mentions; they share the set's source loads.
func (r *Relation) Evidence() []*Evidence {
	return evidence(r.Relation.Evidence, r.SourceID, &r.Set.Calls,
		Collect(r.Set.Items, func(x *Relation) string { return x.SourceID }))
}

// Provenance is a GraphQL Provenance.
type Provenance struct {
	Confidence float64
	Method     kg.Method
	Detail     *string
	Review     kg.Review
}

// Evidence is a GraphQL Evidence. Its source is loaded through the parent
// set's Calls, for all the parent's siblings at once.
type Evidence struct {
	kg.Evidence
	SourceID string
	// Calls and SourceIDs belong to the parent's sibling set.
	Calls     *batch.Calls
	SourceIDs func() []string
}

func evidence(list []kg.Evidence, sourceID string, calls *batch.Calls, sourceIDs func() []string) []*Evidence {
	out := make([]*Evidence, len(list))
	for i, e := range list {
		out[i] = &Evidence{Evidence: e, SourceID: sourceID, Calls: calls, SourceIDs: sourceIDs}
	}
	return out
}

// RelationTypeInfo is a GraphQL RelationTypeInfo.
type RelationTypeInfo struct {
	Type          kg.RelationType
	Structural    bool
	CameoPrefixes []string
	Plover        *string
	Description   string
}

// Vocabulary returns the relation vocabulary.
func Vocabulary() []*RelationTypeInfo {
	out := make([]*RelationTypeInfo, len(kg.Vocabulary))
	for i, ti := range kg.Vocabulary {
		out[i] = &RelationTypeInfo{Type: ti.Type, Structural: ti.Structural,
			CameoPrefixes: nonNil(ti.CAMEO), Plover: optional(ti.PLOVER), Description: ti.Description}
	}
	return out
}
