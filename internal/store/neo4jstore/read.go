package neo4jstore

import (
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

// ListActors returns actors matching f by (folded name, id).
func (s *Store) ListActors(ctx context.Context, f store.ActorFilter, limit int) ([]kg.Actor, error) {
	kinds := make([]any, 0, len(f.Kinds))
	for _, k := range f.Kinds {
		kinds = append(kinds, string(k))
	}
	return nodeList(s, ctx, "list actors", qListActors, map[string]any{
		"kinds": kinds, "country": f.Country, "q": kg.Fold(f.NameContains), "limit": clamp(limit),
	}, decodeActor)
}

// ListPlaces returns places by (folded name, id).
func (s *Store) ListPlaces(ctx context.Context, limit int) ([]kg.Place, error) {
	return nodeList(s, ctx, "list places", qListNodes["Place"], map[string]any{"limit": clamp(limit)}, decodePlace)
}

// ListEvents returns events by (occurred date, "" first; id).
func (s *Store) ListEvents(ctx context.Context, limit int) ([]kg.Event, error) {
	return nodeList(s, ctx, "list events", qListNodes["Event"], map[string]any{"limit": clamp(limit)}, decodeEvent)
}

// ListSources returns sources by id.
func (s *Store) ListSources(ctx context.Context, limit int) ([]kg.Source, error) {
	return nodeList(s, ctx, "list sources", qListNodes["Source"], map[string]any{"limit": clamp(limit)}, decodeSource)
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
		r := decodeRelation(column(rec, "rel"))
		out[r.ID] = r
	}
	return out, nil
}

// filterParams are the parameters of relFilter.
func filterParams(f store.RelationFilter, limit int) map[string]any {
	// Types travel as a parameter, never as Cypher text; a type outside the
	// vocabulary matches nothing (as in the embedded store).
	types := make([]any, 0, len(f.Types))
	for _, t := range f.Types {
		types = append(types, string(t))
	}
	return map[string]any{
		"types": types, "attribution": string(f.Attribution), "status": string(f.Status),
		"source": f.Source, "event": f.Event, "limit": clamp(limit),
	}
}

// ListRelations returns relations matching f by id.
func (s *Store) ListRelations(ctx context.Context, f store.RelationFilter, limit int) ([]kg.Relation, error) {
	params := filterParams(f, limit)
	params["from"], params["to"] = f.From, f.To
	sh := listShape{from: f.From != "", to: f.To != ""}
	if sh.from || sh.to {
		sh.rollUp = f.RollUp
	} else {
		sh.event = f.Event != ""
	}
	recs, err := s.read(ctx, "list relations", qListRelations[sh], params)
	if err != nil {
		return nil, err
	}
	out := make([]kg.Relation, 0, len(recs))
	for _, rec := range recs {
		out = append(out, decodeRelation(column(rec, "rel")))
	}
	sortRelations(out)
	return out, nil
}

// RelationsOf returns, for each actor that exists, at most limit of its
// relations in direction dir that match f (f.From and f.To are ignored).
func (s *Store) RelationsOf(ctx context.Context, actorIDs []string, dir store.Direction, f store.RelationFilter, limit int) (map[string][]kg.Relation, error) {
	texts, ok := qRelationsOf[dir]
	if !ok {
		return nil, fmt.Errorf("neo4jstore: direction %q: %w", dir, store.ErrInvalid)
	}
	params := filterParams(f, limit)
	cypher := texts[0]
	if f.RollUp {
		cypher = texts[1]
	}
	return s.grouped(ctx, "relations of actors", cypher, actorIDs, params)
}

// RelationsOfEvents returns, for each event that exists, its relations.
func (s *Store) RelationsOfEvents(ctx context.Context, eventIDs []string, limit int) (map[string][]kg.Relation, error) {
	return s.grouped(ctx, "relations of events", qRelationsOfEvents, eventIDs, map[string]any{"limit": clamp(limit)})
}

// Linked returns, for each relation that exists, the relations whose link
// property holds its id (at most store.MaxLimit each).
func (s *Store) Linked(ctx context.Context, ids []string, link store.Link) (map[string][]kg.Relation, error) {
	cypher, ok := qLinked[link]
	if !ok {
		return nil, fmt.Errorf("neo4jstore: link %q: %w", link, store.ErrInvalid)
	}
	return s.grouped(ctx, "linked relations", cypher, ids, map[string]any{"limit": int64(store.MaxLimit)})
}

// grouped runs a statement returning (key, rels) rows.
func (s *Store) grouped(ctx context.Context, op, cypher string, ids []string, params map[string]any) (map[string][]kg.Relation, error) {
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
			rels = append(rels, decodeRelation(m))
		}
		sortRelations(rels)
		out[key] = rels
	}
	return out, nil
}

// sortRelations orders by id. The statement already picked the page by
// ORDER BY r.id; collect() keeps that order in practice, but Cypher does not
// promise it, so Go makes it certain (Neo4j and Go both order strings by
// code point).
func sortRelations(rs []kg.Relation) {
	slices.SortFunc(rs, func(a, b kg.Relation) int { return strings.Compare(a.ID, b.ID) })
}
