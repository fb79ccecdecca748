package graph

import (
	"context"

	"github.com/actorgraph/actorgraph/graph/model"
	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// Root lists: one store call for the page, one more only if totalCount is
// asked for.

func (r *Resolver) actorConnection(ctx context.Context, filter *model.ActorFilter, orderBy *model.ActorOrder, first *int, after *string) (*model.ActorConnection, error) {
	var f store.ActorFilter
	if filter != nil {
		f = store.ActorFilter{Kinds: filter.Kinds, NameContains: deref(filter.NameContains), Country: deref(filter.Country)}
	}
	o := actorOrder(orderBy)
	p, err := page(first, after, o)
	if err != nil {
		return nil, err
	}
	count := func(ctx context.Context) (int, error) { return r.Store.CountActors(ctx, f) }
	cursor := func(a kg.Actor) string { return encodeCursor(o, store.ActorCursor(a, o)) }
	var got store.PageOf[kg.Actor]
	if p.First > 0 {
		if got, err = r.Store.ListActors(ctx, f, o, p); err != nil {
			return nil, err
		}
	}
	return model.NewActorConnection(got, p.After != nil, cursor, count), nil
}

func (r *Resolver) relationConnection(ctx context.Context, filter *model.RelationFilter, orderBy *model.RelationOrder, first *int, after *string) (*model.RelationConnection, error) {
	f, err := r.relationFilter(ctx, filter)
	if err != nil {
		return nil, err
	}
	o := relationOrder(orderBy)
	p, err := page(first, after, o)
	if err != nil {
		return nil, err
	}
	count := func(ctx context.Context) (int, error) { return r.Store.CountRelations(ctx, f) }
	list := func(ctx context.Context) (store.PageOf[kg.Relation], error) {
		return r.Store.ListRelations(ctx, f, o, p)
	}
	if walksAll(filter, f) { // such reads queue for a slot server-wide (cost.go)
		count0, list0 := count, list
		count = func(ctx context.Context) (int, error) { return inScanSlot(ctx, count0) }
		list = func(ctx context.Context) (store.PageOf[kg.Relation], error) { return inScanSlot(ctx, list0) }
	}
	var got store.PageOf[kg.Relation]
	if p.First > 0 {
		if got, err = list(ctx); err != nil {
			return nil, err
		}
	}
	return model.NewRelationConnection(model.Relations(got.Items), got.HasNext, p.After != nil, relationCursor(o), count), nil
}

// By-sort-value cursors of the fixed-order lists: places by folded name,
// events by occurred date, sources by id.
var (
	placeOrder  = store.Order{Field: store.SortName}
	eventOrder  = store.Order{Field: store.SortOccurred}
	sourceOrder = store.Order{Field: store.SortID}
)

func (r *Resolver) eventConnection(ctx context.Context, first *int, after *string) (*model.EventConnection, error) {
	p, err := page(first, after, eventOrder)
	if err != nil || p.First == 0 {
		return &model.EventConnection{HasAfter: p.After != nil}, err
	}
	got, err := r.Store.ListEvents(ctx, p)
	if err != nil {
		return nil, err
	}
	c := &model.EventConnection{Nodes: model.Events(got.Items), HasNext: got.HasNext, HasAfter: p.After != nil}
	for _, e := range got.Items {
		c.Cursors = append(c.Cursors, encodeCursor(eventOrder, store.Cursor{Str: e.Occurred.Date, ID: e.ID}))
	}
	return c, nil
}

func (r *Resolver) placeConnection(ctx context.Context, first *int, after *string) (*model.PlaceConnection, error) {
	p, err := page(first, after, placeOrder)
	if err != nil || p.First == 0 {
		return &model.PlaceConnection{HasAfter: p.After != nil}, err
	}
	got, err := r.Store.ListPlaces(ctx, p)
	if err != nil {
		return nil, err
	}
	c := &model.PlaceConnection{Nodes: model.Places(got.Items), HasNext: got.HasNext, HasAfter: p.After != nil}
	for _, pl := range got.Items {
		c.Cursors = append(c.Cursors, encodeCursor(placeOrder, store.Cursor{Str: kg.Fold(pl.Name), ID: pl.ID}))
	}
	return c, nil
}

func (r *Resolver) sourceConnection(ctx context.Context, first *int, after *string) (*model.SourceConnection, error) {
	p, err := page(first, after, sourceOrder)
	if err != nil || p.First == 0 {
		return &model.SourceConnection{HasAfter: p.After != nil}, err
	}
	got, err := r.Store.ListSources(ctx, p)
	if err != nil {
		return nil, err
	}
	c := &model.SourceConnection{Nodes: model.Sources(got.Items), HasNext: got.HasNext, HasAfter: p.After != nil}
	for _, s := range got.Items {
		c.Cursors = append(c.Cursors, encodeCursor(sourceOrder, store.Cursor{ID: s.ID}))
	}
	return c, nil
}

// eventRelations resolves an event's relation connection for all its
// sibling events at once.
func (r *Resolver) eventRelations(ctx context.Context, obj *model.Event, first *int, after *string) (*model.RelationConnection, error) {
	p, err := page(first, after, byID)
	if err != nil {
		return nil, err
	}
	ids := model.Collect(obj.Set.Items, eventID)
	count := func(ctx context.Context) (int, error) {
		return loadCount(ctx, &obj.Set.Calls, "relations.count", ids, r.Store.CountRelationsOfEvents, obj.Event.ID)
	}
	if p.First == 0 {
		return model.NewRelationConnection(nil, false, p.After != nil, relationCursor(byID), count), nil
	}
	get := func(ctx context.Context, ids []string) (map[string]store.PageOf[kg.Relation], *store.PageExtras, error) {
		pages, err := r.Store.RelationsOfEvents(ctx, ids, p)
		return pages, nil, err
	}
	nodes, more, err := loadPages(ctx, &obj.Set.Calls, key("relations", p), "", ids, get, obj.Event.ID)
	if err != nil {
		return nil, err
	}
	return model.NewRelationConnection(nodes, more, p.After != nil, relationCursor(byID), count), nil
}

var byID = store.Order{Field: store.SortID}

// node finds anything by id: ids are unique across kinds, so the first
// kind that has it wins (a fixed five lookups at most).
func (r *Resolver) node(ctx context.Context, id string) (model.Node, error) {
	ids := []string{id}
	if m, err := r.Store.Actors(ctx, ids); err != nil || len(m) > 0 {
		return first1(model.Actors, m, id), err
	}
	if m, err := r.Store.Relations(ctx, ids); err != nil || len(m) > 0 {
		return first1(model.Relations, m, id), err
	}
	if m, err := r.Store.Events(ctx, ids); err != nil || len(m) > 0 {
		return first1(model.Events, m, id), err
	}
	if m, err := r.Store.Places(ctx, ids); err != nil || len(m) > 0 {
		return first1(model.Places, m, id), err
	}
	m, err := r.Store.Sources(ctx, ids)
	if err != nil || len(m) == 0 {
		return nil, err
	}
	return first1(model.Sources, m, id), nil
}

// statCount is a fixed list's totalCount: the store's own count of the kind.
func (r *Resolver) statCount(ctx context.Context, of func(store.Stats) int) (int, error) {
	st, err := r.Store.Stats(ctx)
	return of(st), err
}
