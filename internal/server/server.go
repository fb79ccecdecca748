// Package server is actorgraph's HTTP front: /graphql (GET and POST), the
// offline playground at /, /livez, /readyz and /metrics, with the limits and
// error handling a public endpoint needs (body size, depth, complexity,
// tokens, timeouts, a recover func, an error presenter that never leaks
// driver or Cypher text).
package server

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/actorgraph/actorgraph/graph"
	"github.com/actorgraph/actorgraph/internal/auth"
	"github.com/actorgraph/actorgraph/internal/examples"
	"github.com/actorgraph/actorgraph/internal/explorer"
	"github.com/actorgraph/actorgraph/internal/export"
	"github.com/actorgraph/actorgraph/internal/feed"
	"github.com/actorgraph/actorgraph/internal/playground"
	"github.com/actorgraph/actorgraph/internal/store"
)

// Limits bound what one request may cost.
type Limits struct {
	MaxBodyBytes   int64         // request body; larger gets 413
	MaxDepth       int           // selection nesting
	MaxComplexity  int           // see graph.NewConfig
	MaxTokens      int           // parser tokens
	RequestTimeout time.Duration // per GraphQL request
	// PerClient is how many /graphql and /export requests one API key (or,
	// anonymous, one IP address) may run at once; a request over it waits up
	// to PerClientWait for a slot, then gets 429 TOO_MANY_REQUESTS.
	PerClient     int
	PerClientWait time.Duration
	// Subscriptions per websocket connection and per client (key or IP)
	// across its connections; one more is refused with an error message.
	SubscriptionsPerConn, SubscriptionsPerClient int
}

// DefaultLimits are generous for analysts and tight enough for a public port.
var DefaultLimits = Limits{
	MaxBodyBytes:   1 << 20,
	MaxDepth:       12,
	MaxComplexity:  250_000,
	MaxTokens:      10_000,
	RequestTimeout: 30 * time.Second,
	PerClient:      4,
	PerClientWait:  2 * time.Second,

	SubscriptionsPerConn:   100,
	SubscriptionsPerClient: 500,
}

// withDefaults fills the zero fields of l from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	set := func(v *int64, def int64) {
		if *v == 0 {
			*v = def
		}
	}
	seti := func(v *int, def int) {
		if *v == 0 {
			*v = def
		}
	}
	setd := func(v *time.Duration, def time.Duration) {
		if *v == 0 {
			*v = def
		}
	}
	set(&l.MaxBodyBytes, d.MaxBodyBytes)
	seti(&l.MaxDepth, d.MaxDepth)
	seti(&l.MaxComplexity, d.MaxComplexity)
	seti(&l.MaxTokens, d.MaxTokens)
	setd(&l.RequestTimeout, d.RequestTimeout)
	seti(&l.PerClient, d.PerClient)
	setd(&l.PerClientWait, d.PerClientWait)
	seti(&l.SubscriptionsPerConn, d.SubscriptionsPerConn)
	seti(&l.SubscriptionsPerClient, d.SubscriptionsPerClient)
	return l
}

// Config configures New.
type Config struct {
	Store  store.Store
	Logger *slog.Logger
	Limits Limits
	// Registry receives the metrics (a fresh one when nil).
	Registry *prometheus.Registry
	// Auth decides who may read and write (the zero value: anonymous
	// read-only, no keys).
	Auth auth.Policy
	// CORSOrigins are the browser origins allowed to call the API; none:
	// no CORS headers.
	CORSOrigins []string
	// Feed tails the store's change log for subscriptions (serve starts
	// one for good); nil: one that tails while someone subscribes.
	Feed *feed.Feed
	// AccessLog logs one line per request (off by default: an INFO line per
	// request drowns a notebook's output and the server's own messages).
	AccessLog bool
}

// New returns the server's handler.
func New(cfg Config) http.Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cfg.Limits = cfg.Limits.withDefaults()
	if cfg.Registry == nil {
		cfg.Registry = prometheus.NewRegistry()
	}
	m := newMetrics(cfg.Registry)
	log := cfg.Logger

	if cfg.Feed == nil {
		cfg.Feed = feed.New(cfg.Store, feed.Options{Logger: log, Retention: store.DefaultRetention})
	}
	gql := handler.New(graph.NewExecutableSchema(graph.NewConfig(cfg.Store, cfg.Feed)))
	subs := newSubscriptionLimits(cfg.Limits.SubscriptionsPerConn, cfg.Limits.SubscriptionsPerClient,
		func() { m.refused.WithLabelValues("subscriptions").Inc() }, m.subscriptions.Add)
	gql.AddTransport(transport.Websocket{
		KeepAlivePingInterval: 15 * time.Second,
		// Keys may come in connection_init (browsers cannot set headers).
		InitFunc: func(ctx context.Context, payload transport.InitPayload) (context.Context, *transport.InitPayload, error) {
			ctx, err := cfg.Auth.WebsocketInit(ctx, payload)
			if err != nil {
				return ctx, nil, err
			}
			return subs.InitConn(ctx), nil, nil
		},
	})
	gql.AddTransport(transport.Options{})
	gql.AddTransport(transport.GET{})
	gql.AddTransport(transport.POST{})
	gql.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	gql.SetParserTokenLimit(cfg.Limits.MaxTokens)
	gql.Use(extension.Introspection{})
	gql.Use(graph.Resolutions{}) // extensions.resolved: how actor names were read
	gql.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](100)})
	gql.Use(depthLimit(cfg.Limits.MaxDepth))
	gql.Use(extension.FixedComplexityLimit(cfg.Limits.MaxComplexity))
	gql.Use(graph.Snapshot{Store: cfg.Store}) // one store state per query
	gql.Use(subs)
	gql.SetErrorPresenter(graph.ErrorPresenter(log))
	gql.SetRecoverFunc(graph.RecoverFunc(log))
	gql.AroundResponses(m.observe)
	gql.AroundOperations(wakeAfterMutations(cfg.Feed))

	mux := http.NewServeMux()
	slots := newClientSlots(cfg.Limits.PerClient, cfg.Limits.PerClientWait)
	perClient := func(h http.Handler) http.Handler {
		return limitClients(slots, func() { m.refused.WithLabelValues("concurrency").Inc() }, h)
	}
	mux.Handle("/graphql", perClient(tagClient(checkRequest(cfg.Limits.MaxBodyBytes, withTimeout(cfg.Limits.RequestTimeout, gql)))))
	mux.Handle("/", playground.Handler("actorgraph", "/graphql", examples.Playground()))
	// Exports stream and may run long: no request timeout (the auth
	// middleware still covers them).
	mux.Handle("/export/", perClient(export.Handler(cfg.Store)))
	// Imports stream and may run long too (actorgraph import --server).
	mux.Handle("POST "+ImportPath, perClient(importHandler(cfg.Store, cfg.Feed, log)))
	ex := explorer.Handler()
	mux.Handle(explorer.Path, ex)     // the explorer page
	mux.Handle(explorer.Path+"/", ex) // its assets
	mux.HandleFunc("GET /livez", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := cfg.Store.Ping(ctx); err != nil {
			m.storeErrors.Inc()
			log.WarnContext(ctx, "readiness: store ping failed", "err", err)
			http.Error(w, "store unavailable", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ok\n"))
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(cfg.Registry, promhttp.HandlerOpts{Registry: cfg.Registry}))
	// Keys are checked before a body is read; health, metrics and the
	// playground's static files stay open (auth.DefaultExempt).
	if cfg.Auth.Exempt == nil {
		cfg.Auth.Exempt = auth.DefaultExempt
	}
	// CORS stands outside auth: preflights pass without a key and 401s
	// carry CORS headers.
	h := recoverHTTP(log, CORS(cfg.CORSOrigins)(cfg.Auth.Middleware(mux)))
	if cfg.AccessLog {
		h = logRequests(log, h)
	}
	return h
}

// NewHTTPServer wraps h with the server timeouts.
func NewHTTPServer(addr string, h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}
