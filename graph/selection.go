package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/actorgraph/actorgraph/graph/model"
	"github.com/actorgraph/actorgraph/internal/batch"
	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// selectedWith tells what the relation connection being resolved shows
// besides its relations: their ends (nodes { from / to } or edges { node {
// … } }) and totalCount, so a store that can read them with the page
// (store.PagesWith) does, and they cost no statement of their own. What
// this misses is still loaded on its own: correct, one round trip more.
func selectedWith(ctx context.Context) store.With {
	fc := graphql.GetFieldContext(ctx)
	oc := graphql.GetOperationContext(ctx)
	if fc == nil || oc == nil {
		return 0
	}
	return selectedWithIn(oc, fc.Field.Selections)
}

// selectedWithIn is selectedWith for a connection's selection set.
func selectedWithIn(oc *graphql.OperationContext, sel ast.SelectionSet) store.With {
	var with store.With
	relation := func(sel ast.SelectionSet) {
		for _, f := range graphql.CollectFields(oc, sel, []string{"Relation"}) {
			switch f.Name {
			case "from":
				with |= store.WithFrom
			case "to":
				with |= store.WithTo
			}
		}
	}
	for _, f := range graphql.CollectFields(oc, sel, []string{"RelationConnection"}) {
		switch f.Name {
		case "totalCount":
			with |= store.WithCount
		case "nodes":
			relation(f.Selections)
		case "edges":
			for _, e := range graphql.CollectFields(oc, f.Selections, []string{"RelationEdge"}) {
				if e.Name == "node" {
					relation(e.Selections)
				}
			}
		}
	}
	return with
}

// actorWithPage serves Query.actor on a store that reads pages with their
// extras (store.PagesWith): when the actor's selection holds an outgoing or
// incoming connection, one statement reads the actor, the first such
// connection's page, its ends and its count, and records the page and
// count as the loads the connection's resolver makes (the same keys, from
// the same arguments), so an actor card is one round trip. ok false: not
// applicable, look the actor up as usual. Filters that name actors or
// records are left to the connection, which resolves, checks and reports
// them itself.
func (r *Resolver) actorWithPage(ctx context.Context, id string) (_ *model.Actor, ok bool, _ error) {
	pw, isPW := r.Store.(store.PagesWith)
	oc, fc := graphql.GetOperationContext(ctx), graphql.GetFieldContext(ctx)
	if !isPW || oc == nil || fc == nil || id == "" {
		return nil, false, nil
	}
	for _, f := range graphql.CollectFields(oc, fc.Field.Selections, []string{"Actor"}) {
		dir := store.Out
		switch f.Name {
		case "outgoing":
		case "incoming":
			dir = store.In
		default:
			continue
		}
		// The arguments exactly as gqlgen gives them to the connection's
		// resolver: its own generated coercion (defaults, variables).
		ec := newExecutionContext(oc, &executableSchema{Resolvers: r}, nil)
		parse := ec.field_Actor_outgoing_args
		if dir == store.In {
			parse = ec.field_Actor_incoming_args
		}
		raw, err := parse(ctx, f.ArgumentMap(oc.Variables))
		if err != nil {
			return nil, false, nil // the connection reports it
		}
		var args struct {
			Filter  *model.NeighbourFilter
			OrderBy *model.RelationOrder
			First   *int
			After   *string
		}
		args.Filter, _ = raw["filter"].(*model.NeighbourFilter)
		args.OrderBy, _ = raw["orderBy"].(*model.RelationOrder)
		args.First, _ = raw["first"].(*int)
		args.After, _ = raw["after"].(*string)
		if fl := args.Filter; fl != nil && (fl.Other != nil || fl.ClaimedBy != nil || fl.Source != nil || fl.Event != nil || fl.Place != nil) {
			return nil, false, nil
		}
		sf, err := r.neighbourFilter(ctx, args.Filter, dir)
		if err != nil {
			return nil, false, nil // the connection reports it
		}
		o := relationOrder(args.OrderBy)
		p, err := page(args.First, args.After, o)
		if err != nil || p.First == 0 {
			return nil, false, nil
		}
		with := selectedWithIn(oc, f.Selections) | store.WithSeeds
		pages, extras, err := pw.RelationsOfWith(ctx, []string{id}, dir, sf, o, p, with)
		if err != nil {
			return nil, true, err
		}
		seed, found := extras.Seeds[id]
		if !found {
			return nil, true, nil
		}
		actor := model.Actors([]kg.Actor{seed})[0]
		k := key("neighbours", dir, sf)
		batch.Put(&actor.Set.Calls, key(k, o, p), pagesOf(&actor.Set.Calls, k+".count", []string{id}, pages, extras))
		return actor, true, nil
	}
	return nil, false, nil
}
