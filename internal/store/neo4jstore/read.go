package neo4jstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// Stats counts the graph.
func (s *Store) Stats(ctx context.Context) (store.Stats, error) {
	recs, err := s.read(ctx, "stats", qStats, nil)
	if err != nil {
		return store.Stats{}, err
	}
	if len(recs) != 1 {
		return store.Stats{}, fmt.Errorf("neo4jstore: stats: no result: %w", errDatabase)
	}
	m := recs[0].AsMap()
	return store.Stats{
		Actors: gint(m["actors"]), Places: gint(m["places"]), Events: gint(m["events"]),
		Sources: gint(m["sources"]), Relations: gint(m["relations"]), Evidence: gint(m["evidence"]),
	}, nil
}

// column returns the map in column key of rec.
func column(rec *neo4j.Record, key string) map[string]any {
	v, _ := rec.Get(key)
	m, _ := v.(map[string]any)
	return m
}

// nodesByID reads nodes of label by id into a map.
func nodesByID[T any](s *Store, ctx context.Context, label string, ids []string, decode func(map[string]any) T, id func(T) string) (map[string]T, error) {
	out := map[string]T{}
	list := uniq(ids)
	if len(list) == 0 {
		return out, nil
	}
	recs, err := s.read(ctx, "get "+strings.ToLower(label)+"s", qNodesByID[label], map[string]any{"ids": list})
	if err != nil {
		return nil, err
	}
	for _, rec := range recs {
		v := decode(column(rec, "n"))
		out[id(v)] = v
	}
	return out, nil
}

// nodeList reads a list query's nodes in order.
func nodeList[T any](s *Store, ctx context.Context, op, cypher string, params map[string]any, decode func(map[string]any) T) ([]T, error) {
	recs, err := s.read(ctx, op, cypher, params)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(recs))
	for _, rec := range recs {
		out = append(out, decode(column(rec, "n")))
	}
	return out, nil
}

// Actors returns the actors with these ids.
func (s *Store) Actors(ctx context.Context, ids []string) (map[string]kg.Actor, error) {
	return nodesByID(s, ctx, "Actor", ids, decodeActor, func(a kg.Actor) string { return a.ID })
}

// Places returns the places with these ids.
func (s *Store) Places(ctx context.Context, ids []string) (map[string]kg.Place, error) {
	return nodesByID(s, ctx, "Place", ids, decodePlace, func(p kg.Place) string { return p.ID })
}

// Events returns the events with these ids.
func (s *Store) Events(ctx context.Context, ids []string) (map[string]kg.Event, error) {
	return nodesByID(s, ctx, "Event", ids, decodeEvent, func(e kg.Event) string { return e.ID })
}

// Sources returns the sources with these ids.
func (s *Store) Sources(ctx context.Context, ids []string) (map[string]kg.Source, error) {
	return nodesByID(s, ctx, "Source", ids, decodeSource, func(x kg.Source) string { return x.ID })
}

// ActorByName finds an actor by folded name or alias; several: the smallest id.
func (s *Store) ActorByName(ctx context.Context, name string) (kg.Actor, error) {
	folded := kg.Fold(name)
	if folded != "" {
		as, err := nodeList(s, ctx, "actor by name", qActorByName, map[string]any{"name": folded}, decodeActor)
		if err != nil {
			return kg.Actor{}, err
		}
		if len(as) > 0 {
			return as[0], nil
		}
	}
	return kg.Actor{}, fmt.Errorf("neo4jstore: actor named %q: %w", name, store.ErrNotFound)
}

func actorParams(f store.ActorFilter) map[string]any {
	kinds := make([]any, 0, len(f.Kinds))
	for _, k := range f.Kinds {
		kinds = append(kinds, string(k))
	}
	return map[string]any{"kinds": kinds, "country": f.Country, "q": kg.Fold(f.NameContains)}
}

// pageParams adds a page's limit (one more than asked, to tell whether a
// next page exists) and cursor to params.
func pageParams(params map[string]any, p store.Page) map[string]any {
	params["limit"] = clamp(p.First) + 1
	params["after"] = p.After != nil
	params["cv"], params["cid"] = "", ""
	if p.After != nil {
		params["cid"] = p.After.ID
		params["cv"] = p.After.Str
	}
	return params
}

// cut trims a list read with pageParams to the page.
func cut[T any](items []T, p store.Page) store.PageOf[T] {
	if n := int(clamp(p.First)); len(items) > n {
		return store.PageOf[T]{Items: items[:n], HasNext: true}
	}
	return store.PageOf[T]{Items: items}
}

// ListActors returns a page of actors matching f, by (folded name, id) or id.
func (s *Store) ListActors(ctx context.Context, f store.ActorFilter, o store.Order, p store.Page) (store.PageOf[kg.Actor], error) {
	cypher, ok := qListActors[orderSpec{o.Field, o.Desc}]
	if !ok {
		return store.PageOf[kg.Actor]{}, fmt.Errorf("neo4jstore: actors cannot be ordered by %q: %w", o.Field, store.ErrInvalid)
	}
	as, err := nodeList(s, ctx, "list actors", cypher, pageParams(actorParams(f), p), decodeActor)
	return cut(as, p), err
}

// CountActors counts the actors matching f (the label count when unfiltered).
func (s *Store) CountActors(ctx context.Context, f store.ActorFilter) (int, error) {
	return s.count(ctx, "count actors", qCountActors, actorParams(f))
}

// count runs a statement returning one row with n.
func (s *Store) count(ctx context.Context, op, cypher string, params map[string]any) (int, error) {
	recs, err := s.read(ctx, op, cypher, params)
	if err != nil {
		return 0, err
	}
	if len(recs) != 1 {
		return 0, fmt.Errorf("neo4jstore: %s: no result: %w", op, errDatabase)
	}
	n, _ := recs[0].Get("n")
	return gint(n), nil
}

// ListPlaces returns a page of places by (folded name, id).
func (s *Store) ListPlaces(ctx context.Context, p store.Page) (store.PageOf[kg.Place], error) {
	ps, err := nodeList(s, ctx, "list places", qListNodes["Place"], pageParams(map[string]any{}, p), decodePlace)
	return cut(ps, p), err
}

// ListEvents returns a page of events by (occurred date, "" first; id).
func (s *Store) ListEvents(ctx context.Context, p store.Page) (store.PageOf[kg.Event], error) {
	es, err := nodeList(s, ctx, "list events", qListNodes["Event"], pageParams(map[string]any{}, p), decodeEvent)
	return cut(es, p), err
}

// ListSources returns a page of sources by id.
func (s *Store) ListSources(ctx context.Context, p store.Page) (store.PageOf[kg.Source], error) {
	ss, err := nodeList(s, ctx, "list sources", qListNodes["Source"], pageParams(map[string]any{}, p), decodeSource)
	return cut(ss, p), err
}

// Relations returns the relations with these ids.
func (s *Store) Relations(ctx context.Context, ids []string) (map[string]kg.Relation, error) {
	out := map[string]kg.Relation{}
	list := uniq(ids)
	if len(list) == 0 {
		return out, nil
	}
	recs, err := s.read(ctx, "get relations", qRelations, map[string]any{"ids": list})
	if err != nil {
		return nil, err
	}
	for _, rec := range recs {
		if r, ok := liveRelation(column(rec, "rel")); ok {
			out[r.ID] = r
		}
	}
	return out, nil
}

// relShapeOf returns the shape of a relation statement of kind k for
// filter f and order o, and its parameters (the filter's values and, for
// pages, the limit and cursor).
func relShapeOf(k relKind, dir store.Direction, f store.RelationFilter, o store.Order, p store.Page) (relShape, map[string]any, error) {
	preds, params := predicates(f)
	sh := relShape{kind: k, dir: dir, preds: preds, order: orderSpec{o.Field, o.Desc}}
	sh.types, sh.none = typesOf(f.Types)
	switch k {
	case kList, kCount:
		switch {
		case f.From != "":
			sh.dir, sh.to, sh.rollUp = store.Out, f.To != "", f.RollUp
		case f.To != "":
			sh.dir, sh.rollUp = store.In, f.RollUp
		}
		if f.From != "" {
			params["from"] = f.From
		}
		if f.To != "" {
			params["to"] = f.To
		}
	default:
		if dir != store.Out && dir != store.In && dir != store.Both {
			return sh, nil, fmt.Errorf("neo4jstore: direction %q: %w", dir, store.ErrInvalid)
		}
		sh.rollUp = f.RollUp
	}
	if k == kCount || k == kCountOf {
		sh.order = orderSpec{field: store.SortID}
		return sh, params, nil
	}
	if !slices.Contains(orderSpecs, sh.order) {
		return sh, nil, fmt.Errorf("neo4jstore: relations cannot be ordered by %q: %w", o.Field, store.ErrInvalid)
	}
	params["limit"] = clamp(p.First) + 1
	if p.After != nil {
		sh.after = true
		params["cid"] = p.After.ID
		params["cv"] = p.After.Str
		if o.Field == store.SortConfidence {
			params["cv"] = p.After.Num
		}
	}
	return sh, params, nil
}

// ListRelations returns a page of relations matching f, ordered by o.
func (s *Store) ListRelations(ctx context.Context, f store.RelationFilter, o store.Order, p store.Page) (store.PageOf[kg.Relation], error) {
	sh, params, err := relShapeOf(kList, "", f, o, p)
	if err != nil {
		return store.PageOf[kg.Relation]{}, err
	}
	recs, err := s.read(ctx, "list relations", statement(sh), params)
	if err != nil {
		return store.PageOf[kg.Relation]{}, err
	}
	out := make([]kg.Relation, 0, len(recs))
	for _, rec := range recs {
		if r, ok := liveRelation(column(rec, "rel")); ok {
			out = append(out, r)
		}
	}
	sortRelations(out, o)
	return cut(out, p), nil
}

// CountRelations counts the relations matching f.
func (s *Store) CountRelations(ctx context.Context, f store.RelationFilter) (int, error) {
	sh, params, err := relShapeOf(kCount, "", f, byID, store.Page{})
	if err != nil {
		return 0, err
	}
	return s.count(ctx, "count relations", statement(sh), params)
}

// RelationsOf returns, for each actor that exists, a page of its relations
// in direction dir that match f (f.From and f.To are ignored).
func (s *Store) RelationsOf(ctx context.Context, actorIDs []string, dir store.Direction, f store.RelationFilter, o store.Order, p store.Page) (map[string]store.PageOf[kg.Relation], error) {
	out, _, err := s.RelationsOfWith(ctx, actorIDs, dir, f, o, p, 0)
	return out, err
}

// RelationsOfWith is RelationsOf that also returns the relations' ends and
// the actors' counts asked for, read by the same statement (store.PagesWith);
// counts only where they come from the degree store (degreeCount).
func (s *Store) RelationsOfWith(ctx context.Context, actorIDs []string, dir store.Direction, f store.RelationFilter, o store.Order, p store.Page, with store.With) (map[string]store.PageOf[kg.Relation], *store.PageExtras, error) {
	f.From, f.To = "", ""
	sh, params, err := relShapeOf(kPageOf, dir, f, o, p)
	if err != nil {
		return nil, nil, err
	}
	sh.with = with & (store.WithFrom | store.WithTo | store.WithCount | store.WithSeeds)
	if !degreeCount(sh) {
		sh.with &^= store.WithCount
	}
	x := &store.PageExtras{Asked: sh.with, From: map[string]kg.Actor{}, To: map[string]kg.Actor{}, ToPlaces: map[string]kg.Place{}}
	if sh.with&store.WithCount != 0 {
		x.Counts = map[string]int{}
	}
	if sh.with&store.WithSeeds != 0 {
		x.Seeds = map[string]kg.Actor{}
	}
	list := func(rec *neo4j.Record, col string) []any {
		v, _ := rec.Get(col)
		l, _ := v.([]any)
		return l
	}
	got, err := s.groupedRows(ctx, "relations of actors", statement(sh), actorIDs, params, o, func(key string, rec *neo4j.Record) {
		if x.Counts != nil {
			n, _ := rec.Get("n")
			x.Counts[key] = gint(n)
		}
		if x.Seeds != nil {
			x.Seeds[key] = decodeActor(column(rec, "seed"))
		}
		for _, v := range list(rec, "froms") {
			m, _ := v.(map[string]any)
			a := decodeActor(m)
			x.From[a.ID] = a
		}
		for _, v := range list(rec, "tos") {
			m, _ := v.(map[string]any)
			if actor, _ := m["actor"].(bool); actor {
				a := decodeActor(m)
				x.To[a.ID] = a
			} else {
				pl := decodePlace(m)
				x.ToPlaces[pl.ID] = pl
			}
		}
	})
	if err != nil {
		return nil, nil, err
	}
	out := make(map[string]store.PageOf[kg.Relation], len(got))
	for k, rs := range got {
		out[k] = cut(rs, p)
	}
	return out, x, nil
}

// CountRelationsOf counts each actor's relations as RelationsOf selects them.
func (s *Store) CountRelationsOf(ctx context.Context, actorIDs []string, dir store.Direction, f store.RelationFilter) (map[string]int, error) {
	f.From, f.To = "", ""
	sh, params, err := relShapeOf(kCountOf, dir, f, byID, store.Page{})
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	list := uniq(actorIDs)
	if len(list) == 0 {
		return out, nil
	}
	return s.counts(ctx, "count relations of actors", statement(sh), list, params)
}

// counts runs a statement returning (key, n) rows for the ids.
func (s *Store) counts(ctx context.Context, op, cypher string, ids []any, params map[string]any) (map[string]int, error) {
	params["ids"] = ids
	recs, err := s.read(ctx, op, cypher, params)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, rec := range recs {
		k, _ := rec.Get("key")
		n, _ := rec.Get("n")
		key, _ := k.(string)
		out[key] = gint(n)
	}
	return out, nil
}

// RelationsOfEvents returns, for each event that exists, a page of its
// relations by id.
func (s *Store) RelationsOfEvents(ctx context.Context, eventIDs []string, p store.Page) (map[string]store.PageOf[kg.Relation], error) {
	got, err := s.grouped(ctx, "relations of events", qRelationsOfEvents, eventIDs, pageParams(map[string]any{}, p), byID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]store.PageOf[kg.Relation], len(got))
	for k, rs := range got {
		out[k] = cut(rs, p)
	}
	return out, nil
}

var byID = store.Order{Field: store.SortID}

// CountRelationsOfEvents counts each existing event's relations.
func (s *Store) CountRelationsOfEvents(ctx context.Context, eventIDs []string) (map[string]int, error) {
	out := map[string]int{}
	list := uniq(eventIDs)
	if len(list) == 0 {
		return out, nil
	}
	return s.counts(ctx, "count relations of events", qCountOfEvents, list, map[string]any{})
}

// Linked returns, for each relation that exists, the relations whose link
// property holds its id (at most store.MaxLimit each).
func (s *Store) Linked(ctx context.Context, ids []string, link store.Link) (map[string][]kg.Relation, error) {
	cypher, ok := qLinked[link]
	if !ok {
		return nil, fmt.Errorf("neo4jstore: link %q: %w", link, store.ErrInvalid)
	}
	return s.grouped(ctx, "linked relations", cypher, ids, map[string]any{"limit": int64(store.MaxLimit)}, byID)
}

// grouped runs a statement returning (key, rels) rows.
func (s *Store) grouped(ctx context.Context, op, cypher string, ids []string, params map[string]any, o store.Order) (map[string][]kg.Relation, error) {
	return s.groupedRows(ctx, op, cypher, ids, params, o, nil)
}

// groupedRows is grouped; row, when set, also sees every row (for columns
// besides key and rels).
func (s *Store) groupedRows(ctx context.Context, op, cypher string, ids []string, params map[string]any, o store.Order, row func(key string, rec *neo4j.Record)) (map[string][]kg.Relation, error) {
	out := map[string][]kg.Relation{}
	list := uniq(ids)
	if len(list) == 0 {
		return out, nil
	}
	params["ids"] = list
	recs, err := s.read(ctx, op, cypher, params)
	if err != nil {
		return nil, err
	}
	for _, rec := range recs {
		kv, _ := rec.Get("key")
		key, _ := kv.(string)
		rv, _ := rec.Get("rels")
		raw, _ := rv.([]any)
		rels := make([]kg.Relation, 0, len(raw))
		for _, x := range raw {
			m, _ := x.(map[string]any)
			if r, ok := liveRelation(m); ok {
				rels = append(rels, r)
			}
		}
		sortRelations(rels, o)
		out[key] = rels
		if row != nil {
			row(key, rec)
		}
	}
	return out, nil
}

// sortRelations orders by o. The statement already picked the page in that
// order; collect() keeps it in practice, but Cypher does not promise it, so
// Go makes it certain (Neo4j and Go both order strings by code point).
func sortRelations(rs []kg.Relation, o store.Order) {
	slices.SortFunc(rs, func(a, b kg.Relation) int {
		ca, cb := store.CursorOf(a, o), store.CursorOf(b, o)
		c := cmp.Or(strings.Compare(ca.Str, cb.Str), cmp.Compare(ca.Num, cb.Num), strings.Compare(ca.ID, cb.ID))
		if o.Desc {
			return -c
		}
		return c
	})
}

var _ store.PagesWith = (*Store)(nil)
