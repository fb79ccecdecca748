package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/actorgraph/actorgraph/internal/store"
)

// Snapshot is a gqlgen extension that gives each query operation one
// consistent state of the store, when the store can pin one
// (store.Snapshotter): every resolver of the operation reads it, so a
// totalCount equals what paging returns even while writes commit.
// Mutations read their own writes and subscriptions live long, so neither
// is pinned.
type Snapshot struct{ Store store.Store }

var (
	_ graphql.HandlerExtension     = Snapshot{}
	_ graphql.OperationInterceptor = Snapshot{}
)

func (Snapshot) ExtensionName() string                   { return "StoreSnapshot" }
func (Snapshot) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation pins the snapshot for the operation and releases it
// once its (last) response is out.
func (e Snapshot) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	sn, ok := e.Store.(store.Snapshotter)
	oc := graphql.GetOperationContext(ctx)
	if !ok || oc == nil || oc.Operation == nil || oc.Operation.Operation != ast.Query {
		return next(ctx)
	}
	ctx, release := sn.Snapshot(ctx)
	// The request's end releases it too, should no response be asked for.
	context.AfterFunc(ctx, release)
	h := next(ctx)
	return func(ctx context.Context) *graphql.Response {
		resp := h(ctx)
		if resp == nil || resp.HasNext == nil || !*resp.HasNext {
			release()
		}
		return resp
	}
}
