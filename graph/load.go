package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/actorgraph/actorgraph/graph/model"
	"github.com/actorgraph/actorgraph/internal/batch"
	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// Batched loading for child resolvers. Every function here loads for the
// whole sibling set of the object asked about, once per key (field name plus
// arguments), and returns that object's share. Aliases of one field with the
// same arguments share a load; different arguments get their own — either
// way the number of store calls is fixed by the query, not by its results.

// uniq returns the non-empty ids, sorted and without duplicates.
func uniq(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if id != "" {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// key names a load by field and arguments.
func key(field string, args ...any) string {
	b, _ := json.Marshal(args)
	return field + string(b)
}

// loadOne loads entities by id for a whole sibling set and returns the one
// with id (nil when id is empty or unknown). wrap makes the loaded entities
// one new sibling set, so the next level batches too.
func loadOne[T any, W any](ctx context.Context, calls *batch.Calls, k string, ids func() []string,
	get func(context.Context, []string) (map[string]T, error), wrap func([]T) []W, id func(W) string, want string) (W, error) {
	m, err := batch.Do(calls, k, func() (map[string]W, error) {
		found, err := get(ctx, uniq(ids()))
		if err != nil {
			return nil, err
		}
		return wrapByID(found, wrap, id), nil
	})
	var zero W
	if err != nil || want == "" {
		return zero, err
	}
	return m[want], nil
}

// loadMany loads relation lists keyed by parent id for a whole sibling set
// and returns the list of want. All loaded relations form one sibling set.
func loadMany(ctx context.Context, calls *batch.Calls, k string, ids func() []string,
	get func(context.Context, []string) (map[string][]kg.Relation, error), want string) ([]*model.Relation, error) {
	m, err := batch.Do(calls, k, func() (map[string][]*model.Relation, error) {
		keys := uniq(ids())
		found, err := get(ctx, keys)
		if err != nil {
			return nil, err
		}
		var all []kg.Relation
		for _, k := range keys {
			all = append(all, found[k]...)
		}
		wrapped := model.Relations(all)
		out := make(map[string][]*model.Relation, len(keys))
		i := 0
		for _, k := range keys {
			n := len(found[k])
			out[k] = wrapped[i : i+n : i+n]
			i += n
		}
		return out, nil
	})
	if err != nil {
		return nil, err
	}
	if l := m[want]; l != nil {
		return l, nil
	}
	return []*model.Relation{}, nil
}

func actorID(a *model.Actor) string       { return a.Actor.ID }
func placeID(p *model.Place) string       { return p.Place.ID }
func eventID(e *model.Event) string       { return e.Event.ID }
func relationID(r *model.Relation) string { return r.Relation.ID }
func sourceID(s *model.Source) string     { return s.Source.ID }

// relField collects one id field over a relation's siblings.
func relField(r *model.Relation, f func(*model.Relation) string) func() []string {
	return model.Collect(r.Set.Items, f)
}

func (r *Resolver) relActor(ctx context.Context, obj *model.Relation, field string, f func(*model.Relation) string) (*model.Actor, error) {
	return loadOne(ctx, &obj.Set.Calls, field, relField(obj, f), r.Store.Actors, model.Actors, actorID, f(obj))
}

func (r *Resolver) relRelation(ctx context.Context, obj *model.Relation, field string, f func(*model.Relation) string) (*model.Relation, error) {
	return loadOne(ctx, &obj.Set.Calls, field, relField(obj, f), r.Store.Relations, model.Relations, relationID, f(obj))
}

func (r *Resolver) linked(ctx context.Context, obj *model.Relation, link store.Link) ([]*model.Relation, error) {
	get := func(ctx context.Context, ids []string) (map[string][]kg.Relation, error) {
		return r.Store.Linked(ctx, ids, link)
	}
	return loadMany(ctx, &obj.Set.Calls, key("linked", link), relField(obj, relationID), get, obj.Relation.ID)
}

// relTo resolves a relation's object: an actor, or a place.
func (r *Resolver) relTo(ctx context.Context, obj *model.Relation) (model.Entity, error) {
	return r.entity(ctx, &obj.Set.Calls, "to", relField(obj, func(x *model.Relation) string { return x.To }), obj.To)
}

// loadPages loads one page of relations per parent for a whole sibling set
// and returns want's page; all loaded relations form one sibling set. Ends
// read with the pages answer that set's from/to lookups (seedEnds), counts
// read with them the parents' count load under countKey.
func loadPages(ctx context.Context, calls *batch.Calls, k, countKey string, ids func() []string,
	get func(context.Context, []string) (map[string]store.PageOf[kg.Relation], *store.PageExtras, error), want string) ([]*model.Relation, bool, error) {
	res, err := batch.Do(calls, k, func() (pagesResult, error) {
		keys := uniq(ids())
		found, extras, err := get(ctx, keys)
		if err != nil {
			return pagesResult{}, err
		}
		return pagesOf(calls, countKey, keys, found, extras), nil
	})
	if err != nil {
		return nil, false, err
	}
	return res.nodes[want], res.more[want], nil
}

// pagesResult is what loadPages keeps per sibling set: each parent's page.
type pagesResult struct {
	nodes map[string][]*model.Relation
	more  map[string]bool
}

// pagesOf wraps the pages of keys (the parents, in order) as one sibling
// set of relations, and records what was read along: counts as the
// parents' load under countKey, ends as the relations' lookups.
func pagesOf(calls *batch.Calls, countKey string, keys []string, found map[string]store.PageOf[kg.Relation], extras *store.PageExtras) pagesResult {
	if extras != nil && extras.Counts != nil && countKey != "" {
		batch.Put(calls, countKey, extras.Counts)
	}
	var all []kg.Relation
	for _, k := range keys {
		all = append(all, found[k].Items...)
	}
	wrapped := model.Relations(all)
	if len(wrapped) > 0 && extras != nil {
		seedEnds(&wrapped[0].Set.Calls, extras)
	}
	out := pagesResult{nodes: map[string][]*model.Relation{}, more: map[string]bool{}}
	i := 0
	for _, k := range keys {
		n := len(found[k].Items)
		out.nodes[k], out.more[k] = wrapped[i:i+n:i+n], found[k].HasNext
		i += n
	}
	return out
}

// seedEnds records a page's ends, read with it, as the results of the
// lookups relFrom ("from") and relTo ("to.actor", "to.place") make for the
// page's sibling set: the same maps loadOne would build (one new sibling
// set per kind, in id order), so nothing downstream can tell them apart.
func seedEnds(calls *batch.Calls, ends *store.PageExtras) {
	if ends.Asked&store.WithFrom != 0 {
		batch.Put(calls, "from", wrapByID(ends.From, model.Actors, actorID))
	}
	if ends.Asked&store.WithTo != 0 {
		batch.Put(calls, "to.actor", wrapByID(ends.To, model.Actors, actorID))
		batch.Put(calls, "to.place", wrapByID(ends.ToPlaces, model.Places, placeID))
	}
}

// wrapByID wraps found as one sibling set in id order, keyed by id.
func wrapByID[T any, W any](found map[string]T, wrap func([]T) []W, id func(W) string) map[string]W {
	keys := make([]string, 0, len(found))
	for k := range found {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	list := make([]T, len(keys))
	for i, k := range keys {
		list[i] = found[k]
	}
	out := make(map[string]W, len(keys))
	for _, w := range wrap(list) {
		out[id(w)] = w
	}
	return out
}

// loadCount loads one count per parent for a whole sibling set.
func loadCount(ctx context.Context, calls *batch.Calls, k string, ids func() []string,
	get func(context.Context, []string) (map[string]int, error), want string) (int, error) {
	m, err := batch.Do(calls, k, func() (map[string]int, error) { return get(ctx, uniq(ids())) })
	return m[want], err
}

// relationCursor encodes relation cursors of order o.
func relationCursor(o store.Order) func(kg.Relation) string {
	return func(r kg.Relation) string { return encodeCursor(o, store.CursorOf(r, o)) }
}

// neighbours resolves an actor's outgoing or incoming connection for all
// its siblings at once: one store call for the pages, one for the counts.
// With the other end given (filter.other) it is the relation filter's
// from/to shape instead, asked once per sibling.
func (r *Resolver) neighbours(ctx context.Context, obj *model.Actor, dir store.Direction, f *model.NeighbourFilter, orderBy *model.RelationOrder, first *int, after *string) (*model.RelationConnection, error) {
	sf, err := r.neighbourFilter(ctx, f, dir)
	if err != nil {
		return nil, err
	}
	pages, counts := r.relationsOfPages(dir, sf, selectedWith(ctx)), r.relationsOfCounts(dir, sf)
	if sf.From != "" || sf.To != "" {
		end := func(id string) store.RelationFilter {
			g := sf
			if dir == store.Out {
				g.From = id
			} else {
				g.To = id
			}
			return g
		}
		pages, counts = r.filterPages(end), r.filterCounts(end)
	}
	return r.relationPages(ctx, &obj.Set.Calls, key("neighbours", dir, sf), model.Collect(obj.Set.Items, actorID), obj.Actor.ID, pages, counts, orderBy, first, after)
}

// placeRelations resolves the relations that happened at a place (its
// venue filter), asked once per sibling place.
func (r *Resolver) placeRelations(ctx context.Context, obj *model.Place, f *model.NeighbourFilter, orderBy *model.RelationOrder, first *int, after *string) (*model.RelationConnection, error) {
	sf, err := r.neighbourFilter(ctx, f, store.In)
	if err != nil {
		return nil, err
	}
	if sf.Place != "" {
		return nil, badInput("filter.place", "is the place itself here")
	}
	at := func(id string) store.RelationFilter { g := sf; g.Place = id; return g }
	ids := model.Collect(obj.Set.Items, placeID)
	return r.relationPages(ctx, &obj.Set.Calls, key("placeRelations", sf), ids, obj.Place.ID, r.filterPages(at), r.filterCounts(at), orderBy, first, after)
}

// pagesFunc loads a page per parent id (and the ends it was asked for, when
// the store reads them along: nil otherwise); countsFunc counts per parent id.
type (
	pagesFunc  func(ctx context.Context, ids []string, o store.Order, p store.Page) (map[string]store.PageOf[kg.Relation], *store.PageExtras, error)
	countsFunc func(ctx context.Context, ids []string) (map[string]int, error)
)

// relationsOfPages reads the pages of the actors' relations, with the ends
// and counts the query shows when the store can read them in the same
// statement.
func (r *Resolver) relationsOfPages(dir store.Direction, sf store.RelationFilter, with store.With) pagesFunc {
	return func(ctx context.Context, ids []string, o store.Order, p store.Page) (map[string]store.PageOf[kg.Relation], *store.PageExtras, error) {
		if pw, ok := r.Store.(store.PagesWith); ok && with != 0 {
			return pw.RelationsOfWith(ctx, ids, dir, sf, o, p, with)
		}
		pages, err := r.Store.RelationsOf(ctx, ids, dir, sf, o, p)
		return pages, nil, err
	}
}

func (r *Resolver) relationsOfCounts(dir store.Direction, sf store.RelationFilter) countsFunc {
	return func(ctx context.Context, ids []string) (map[string]int, error) {
		return r.Store.CountRelationsOf(ctx, ids, dir, sf)
	}
}

// filterPages asks the relation list once per parent with the filter of
// that parent (the store's per-filter-shape query).
func (r *Resolver) filterPages(of func(id string) store.RelationFilter) pagesFunc {
	return func(ctx context.Context, ids []string, o store.Order, p store.Page) (map[string]store.PageOf[kg.Relation], *store.PageExtras, error) {
		out := make(map[string]store.PageOf[kg.Relation], len(ids))
		for _, id := range ids {
			got, err := r.Store.ListRelations(ctx, of(id), o, p)
			if err != nil {
				return nil, nil, err
			}
			out[id] = got
		}
		return out, nil, nil
	}
}

func (r *Resolver) filterCounts(of func(id string) store.RelationFilter) countsFunc {
	return func(ctx context.Context, ids []string) (map[string]int, error) {
		out := make(map[string]int, len(ids))
		for _, id := range ids {
			n, err := r.Store.CountRelations(ctx, of(id))
			if err != nil {
				return nil, err
			}
			out[id] = n
		}
		return out, nil
	}
}

// relationPages is the one shape of a nested relation connection: a page
// per parent for the whole sibling set, a count only if asked for.
func (r *Resolver) relationPages(ctx context.Context, calls *batch.Calls, k string, ids func() []string, want string,
	pages pagesFunc, counts countsFunc, orderBy *model.RelationOrder, first *int, after *string) (*model.RelationConnection, error) {
	o := relationOrder(orderBy)
	p, err := page(first, after, o)
	if err != nil {
		return nil, err
	}
	countKey := k + ".count"
	count := func(ctx context.Context) (int, error) {
		return loadCount(ctx, calls, countKey, ids, counts, want)
	}
	if p.First == 0 {
		return model.NewRelationConnection(nil, false, p.After != nil, relationCursor(o), count), nil
	}
	get := func(ctx context.Context, ids []string) (map[string]store.PageOf[kg.Relation], *store.PageExtras, error) {
		return pages(ctx, ids, o, p)
	}
	nodes, more, err := loadPages(ctx, calls, key(k, o, p), countKey, ids, get, want)
	if err != nil {
		return nil, err
	}
	return model.NewRelationConnection(nodes, more, p.After != nil, relationCursor(o), count), nil
}

// disputedBy resolves the denials of a relation and of the accusations
// that allege it, for the whole sibling set in two store calls: an alleged
// act is rarely denied itself — "we did not do it" answers the accuser.
func (r *Resolver) disputedBy(ctx context.Context, obj *model.Relation) ([]*model.Relation, error) {
	get := func(ctx context.Context, ids []string) (map[string][]kg.Relation, error) {
		accusers, err := r.Store.Linked(ctx, ids, store.LinkAlleges)
		if err != nil {
			return nil, err
		}
		targets := slices.Clone(ids)
		for _, id := range ids {
			for _, a := range accusers[id] {
				targets = append(targets, a.ID)
			}
		}
		denials, err := r.Store.Linked(ctx, uniq(targets), store.LinkDenies)
		if err != nil {
			return nil, err
		}
		out := make(map[string][]kg.Relation, len(ids))
		for _, id := range ids {
			list := slices.Clone(denials[id])
			for _, a := range accusers[id] {
				list = append(list, denials[a.ID]...)
			}
			slices.SortFunc(list, func(a, b kg.Relation) int { return strings.Compare(a.ID, b.ID) })
			out[id] = slices.CompactFunc(list, func(a, b kg.Relation) bool { return a.ID == b.ID })
		}
		return out, nil
	}
	return loadMany(ctx, &obj.Set.Calls, "disputedBy", relField(obj, relationID), get, obj.Relation.ID)
}

// eventField collects one id field over an event's siblings.
func eventField(e *model.Event, f func(*model.Event) string) func() []string {
	return model.Collect(e.Set.Items, f)
}

// first1 wraps the entity with id from a by-id lookup, or returns nil.
func first1[T any, W any](wrap func([]T) []*W, m map[string]T, id string) *W {
	v, ok := m[id]
	if !ok {
		return nil
	}
	return wrap([]T{v})[0]
}

// errDangling: a relation read names an end that a write running
// meanwhile merged away or deleted (Neo4j reads are read committed, so the
// relation and its ends come from different moments). It is a CONFLICT the
// client retries, never a null in a non-null field nor an internal error.
var errDangling = fmt.Errorf("a relation's end was merged or deleted while the request read it; retry: %w", store.ErrConflict)

// relFrom resolves a relation's from, which is never null.
func (r *Resolver) relFrom(ctx context.Context, obj *model.Relation) (*model.Actor, error) {
	a, err := r.relActor(ctx, obj, "from", func(x *model.Relation) string { return x.From })
	if err == nil && a == nil {
		return nil, errDangling
	}
	return a, err
}
