package server

import (
	"context"
	"net/http"
	"strconv"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/actorgraph/actorgraph/internal/auth"
)

const codeTooManySubscriptions = "TOO_MANY_SUBSCRIPTIONS"

// subscriptionLimits bounds the subscriptions one websocket connection and
// one client (API key, or IP address when anonymous) hold at once: each
// holds a goroutine and a broker queue, so without a bound one read key
// could hold memory without limit (issue 11: 20,000 on one connection took
// the server from 33 MB to 757 MB). A subscription's slot is returned when it
// ends for any reason: complete from the client, the connection closing, or
// the resolver finishing. The counts are per process.
//
// It works at the transport level: InitConn tags each websocket's context,
// and the handler extension counts subscription operations started on it.
type subscriptionLimits struct {
	perConn, perClient int
	refused            func()
	active             func(delta float64) // the actorgraph_subscriptions_active gauge

	mu       sync.Mutex
	byClient map[string]int // subscriptions held per client; absent when 0
}

// wsConn is one websocket connection's count.
type wsConn struct {
	client string
	n      int // under subscriptionLimits.mu
}

type wsConnKey struct{}
type wsClientKey struct{}

func newSubscriptionLimits(perConn, perClient int, refused func(), active func(float64)) *subscriptionLimits {
	return &subscriptionLimits{perConn: perConn, perClient: perClient, refused: refused, active: active, byClient: map[string]int{}}
}

// tagClient records, on a websocket upgrade, the client the connection
// counts against when it brings no key in connection_init: its address (or
// the key of its upgrade request).
func tagClient(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isUpgrade(r) {
			r = r.WithContext(context.WithValue(r.Context(), wsClientKey{}, clientOf(r)))
		}
		next.ServeHTTP(w, r)
	})
}

// InitConn tags an authenticated websocket connection's context.
func (l *subscriptionLimits) InitConn(ctx context.Context) context.Context {
	client, _ := ctx.Value(wsClientKey{}).(string)
	if p, ok := auth.FromContext(ctx); ok && !p.Anonymous {
		client = "key:" + p.Name // the key came in connection_init
	}
	return context.WithValue(ctx, wsConnKey{}, &wsConn{client: client})
}

// take reserves a slot on c, or reports which limit is full.
func (l *subscriptionLimits) take(c *wsConn) (ok bool, limit string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case c.n >= l.perConn:
		return false, "per connection (" + strconv.Itoa(l.perConn) + ")"
	case l.byClient[c.client] >= l.perClient:
		return false, "per client (" + strconv.Itoa(l.perClient) + ")"
	}
	c.n++
	l.byClient[c.client]++
	l.active(1)
	return true, ""
}

func (l *subscriptionLimits) give(c *wsConn) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c.n--
	l.active(-1)
	if l.byClient[c.client]--; l.byClient[c.client] <= 0 {
		delete(l.byClient, c.client)
	}
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationInterceptor
} = (*subscriptionLimits)(nil)

func (*subscriptionLimits) ExtensionName() string                   { return "SubscriptionLimits" }
func (*subscriptionLimits) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation counts a subscription started on a tagged websocket
// and returns its slot when its context ends or its stream does.
func (l *subscriptionLimits) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	c, _ := ctx.Value(wsConnKey{}).(*wsConn)
	if c == nil || oc.Operation == nil || oc.Operation.Operation != ast.Subscription {
		return next(ctx)
	}
	if ok, limit := l.take(c); !ok {
		l.refused()
		err := &gqlerror.Error{
			Message:    "too many subscriptions " + limit + "; stop one before starting another",
			Extensions: map[string]any{"code": codeTooManySubscriptions},
		}
		return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{err}})
	}
	var once sync.Once
	release := func() { once.Do(func() { l.give(c) }) }
	context.AfterFunc(ctx, release) // complete, or the connection closed
	h := next(ctx)
	return func(ctx context.Context) *graphql.Response {
		r := h(ctx)
		if r == nil {
			release() // the stream ended
		}
		return r
	}
}
