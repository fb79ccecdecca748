package server

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

const codeDepth = "DEPTH_LIMIT_EXCEEDED"

func init() {
	// A too-deep query is refused before execution, like a validation error
	// (HTTP 422 for application/json, 400 for graphql-response+json).
	errcode.RegisterErrorType(codeDepth, errcode.KindProtocol)
	// gqlgen leaves its complexity error as a 200; it is refused before
	// execution like the depth limit, so give it the same status.
	errcode.RegisterErrorType("COMPLEXITY_LIMIT_EXCEEDED", errcode.KindProtocol)
}

// depthLimiter refuses operations nested deeper than max selection levels.
type depthLimiter struct{ max int }

func depthLimit(max int) graphql.HandlerExtension { return depthLimiter{max} }

func (depthLimiter) ExtensionName() string                   { return "DepthLimit" }
func (depthLimiter) Validate(graphql.ExecutableSchema) error { return nil }

func (d depthLimiter) MutateOperationContext(ctx context.Context, rc *graphql.OperationContext) *gqlerror.Error {
	op := rc.Doc.Operations.ForName(rc.OperationName)
	if op == nil {
		return nil
	}
	if depth := selectionDepth(op.SelectionSet, 0, map[string]bool{}); depth > d.max {
		err := gqlerror.Errorf("query is nested %d levels deep; the limit is %d", depth, d.max)
		errcode.Set(err, codeDepth)
		return err
	}
	return nil
}

// selectionDepth measures nesting through fields, inline fragments and
// fragment spreads (a fragment being expanded is not entered again, so a
// cycle cannot loop; validation rejects cycles anyway).
func selectionDepth(set ast.SelectionSet, depth int, visiting map[string]bool) int {
	max := depth
	for _, sel := range set {
		var d int
		switch s := sel.(type) {
		case *ast.Field:
			if s.Name == "__schema" || s.Name == "__type" {
				// Introspection (the playground's docs and completion) nests
				// ofType deeply, but its depth is bounded by the schema.
				continue
			}
			if len(s.SelectionSet) == 0 {
				d = depth + 1
			} else {
				d = selectionDepth(s.SelectionSet, depth+1, visiting)
			}
		case *ast.InlineFragment:
			d = selectionDepth(s.SelectionSet, depth, visiting)
		case *ast.FragmentSpread:
			if s.Definition == nil || visiting[s.Name] {
				continue
			}
			visiting[s.Name] = true
			d = selectionDepth(s.Definition.SelectionSet, depth, visiting)
			delete(visiting, s.Name)
		default:
			panic(fmt.Sprintf("unknown selection %T", sel))
		}
		if d > max {
			max = d
		}
	}
	return max
}
