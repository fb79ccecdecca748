package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/actorgraph/actorgraph/internal/store"
)

// selectedEnds tells which ends of its relations the relation connection
// being resolved shows (nodes { from / to } or edges { node { … } }), so a
// store that can read them with the page (store.PageEnder) does, and the
// ends cost no lookup of their own. Ends asked for only deeper down, or
// under a field this misses, are still looked up: correct, one round trip
// more.
func selectedEnds(ctx context.Context) store.Ends {
	fc := graphql.GetFieldContext(ctx)
	oc := graphql.GetOperationContext(ctx)
	if fc == nil || oc == nil {
		return 0
	}
	var ends store.Ends
	relation := func(sel ast.SelectionSet) {
		for _, f := range graphql.CollectFields(oc, sel, []string{"Relation"}) {
			switch f.Name {
			case "from":
				ends |= store.EndFrom
			case "to":
				ends |= store.EndTo
			}
		}
	}
	for _, f := range graphql.CollectFields(oc, fc.Field.Selections, []string{"RelationConnection"}) {
		switch f.Name {
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
	return ends
}
