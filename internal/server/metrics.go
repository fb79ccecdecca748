package server

import (
	"context"
	"regexp"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

type metrics struct {
	requests    *prometheus.CounterVec
	latency     *prometheus.HistogramVec
	errors      *prometheus.CounterVec
	storeErrors prometheus.Counter
	refused     *prometheus.CounterVec
	// subscriptions counts the subscriptions running over websockets.
	subscriptions prometheus.Gauge

	mu  sync.Mutex
	ops map[string]bool
}

// maxOperations caps the distinct operation names used as label values:
// names come from clients, and unbounded labels would exhaust memory.
const maxOperations = 200

var opName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)

func newMetrics(reg *prometheus.Registry) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "actorgraph_graphql_requests_total", Help: "GraphQL requests by operation name and outcome.",
		}, []string{"operation", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "actorgraph_graphql_request_duration_seconds", Help: "GraphQL request latency by operation name.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16),
		}, []string{"operation"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "actorgraph_graphql_errors_total", Help: "GraphQL errors by extensions.code.",
		}, []string{"code"}),
		storeErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "actorgraph_store_errors_total", Help: "Store failures (unavailable, timeouts, internal errors) seen by requests and readiness checks.",
		}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "actorgraph_requests_refused_total", Help: "Requests and subscriptions refused by a per-client limit, by limit.",
		}, []string{"limit"}),
		subscriptions: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "actorgraph_subscriptions_active", Help: "Subscriptions running over websockets.",
		}),
		ops: map[string]bool{},
	}
	reg.MustRegister(m.requests, m.latency, m.errors, m.storeErrors, m.refused, m.subscriptions,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) label(name string) string {
	if name == "" {
		return "anonymous"
	}
	if !opName.MatchString(name) {
		return "other"
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.ops[name] {
		if len(m.ops) >= maxOperations {
			return "other"
		}
		m.ops[name] = true
	}
	return name
}

// observe is a gqlgen response middleware: it runs once per response,
// including responses that failed before execution.
func (m *metrics) observe(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	start := time.Now()
	resp := next(ctx)
	name := ""
	if graphql.HasOperationContext(ctx) {
		oc := graphql.GetOperationContext(ctx)
		name = oc.OperationName
		if oc.Operation != nil {
			name = oc.Operation.Name // the parsed name, also when the client sent no operationName
		}
		if !oc.Stats.OperationStart.IsZero() {
			start = oc.Stats.OperationStart
		}
	}
	op := m.label(name)
	outcome := "ok"
	if resp != nil && len(resp.Errors) > 0 {
		outcome = "error"
		for _, e := range resp.Errors {
			code, _ := e.Extensions["code"].(string)
			if code == "" {
				code = "UNKNOWN"
			}
			m.errors.WithLabelValues(code).Inc()
			if code == "UNAVAILABLE" || code == "INTERNAL_SERVER_ERROR" {
				m.storeErrors.Inc()
			}
		}
	}
	m.requests.WithLabelValues(op, outcome).Inc()
	m.latency.WithLabelValues(op).Observe(time.Since(start).Seconds())
	return resp
}
