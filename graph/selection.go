package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

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
	for _, f := range graphql.CollectFields(oc, fc.Field.Selections, []string{"RelationConnection"}) {
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
