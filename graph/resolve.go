package graph

import (
	"context"
	"sync"

	"github.com/99designs/gqlgen/graphql"

	"github.com/actorgraph/actorgraph/internal/actorref"
)

// Actor arguments: every one goes through actorRef, which resolves an id,
// name or alias once (actorref.Resolve) and records how, so the response's
// extensions.resolved shows the client what its "Russia" or "moscow" was
// taken to mean.

type resolvedKey struct{}

// resolvedLog collects one response's resolutions (resolvers run
// concurrently).
type resolvedLog struct {
	mu    sync.Mutex
	items []actorref.Resolution
}

// Resolutions is the handler extension that reports actor resolutions in
// the response's extensions under "resolved".
type Resolutions struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = Resolutions{}

func (Resolutions) ExtensionName() string                   { return "ActorResolutions" }
func (Resolutions) Validate(graphql.ExecutableSchema) error { return nil }

func (Resolutions) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	l := &resolvedLog{}
	resp := next(context.WithValue(ctx, resolvedKey{}, l))
	if resp == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.items) > 0 {
		if resp.Extensions == nil {
			resp.Extensions = map[string]any{}
		}
		resp.Extensions["resolved"] = l.items
		l.items = nil // a subscription's next response reports its own
	}
	return resp
}

// actorRef resolves an actor argument (field names it); places allows a
// place id too. Empty stays empty (no filter).
func (r *Resolver) actorRef(ctx context.Context, field, ref string, places bool) (string, error) {
	if ref == "" {
		return "", nil
	}
	res, err := actorref.Resolve(ctx, r.Store, field, ref, places)
	if err != nil {
		return "", err
	}
	if l, ok := ctx.Value(resolvedKey{}).(*resolvedLog); ok {
		l.mu.Lock()
		l.items = append(l.items, res)
		l.mu.Unlock()
	}
	return res.ID, nil
}

// actorRefs resolves several optional actor arguments in place.
func (r *Resolver) actorRefs(ctx context.Context, args ...refArg) error {
	for _, a := range args {
		id, err := r.actorRef(ctx, a.field, *a.ref, a.place)
		if err != nil {
			return err
		}
		*a.ref = id
	}
	return nil
}

// refArg is one actor argument to resolve in place.
type refArg struct {
	field string
	ref   *string
	place bool // a place id is allowed too
}
