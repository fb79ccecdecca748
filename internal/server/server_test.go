package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/actorgraph/actorgraph/internal/auth"
	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/seed"
	"github.com/actorgraph/actorgraph/internal/server"
	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/boltstore"
	"github.com/actorgraph/actorgraph/internal/testenv"
)

type gqlResponse struct {
	Data   map[string]any `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

func start(t *testing.T, s store.Store, limits server.Limits) (*httptest.Server, *bytes.Buffer) {
	t.Helper()
	g, err := seed.Graph()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Load(context.Background(), g); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	h := server.New(server.Config{Store: s, Logger: slog.New(slog.NewTextHandler(&logs, nil)), Limits: limits})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, &logs
}

func do(t *testing.T, srv *httptest.Server, contentType, body string) (int, gqlResponse, string) {
	t.Helper()
	res, err := http.Post(srv.URL+"/graphql", contentType, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var r gqlResponse
	json.Unmarshal(raw, &r)
	return res.StatusCode, r, string(raw)
}

func gql(t *testing.T, srv *httptest.Server, query string, vars map[string]any) (int, gqlResponse, string) {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	return do(t, srv, "application/json", string(b))
}

// stillServing proves the server answers a good query after a bad one.
func stillServing(t *testing.T, srv *httptest.Server) {
	t.Helper()
	status, r, raw := gql(t, srv, `{ actor(id: "russia") { name } }`, nil)
	if status != 200 || len(r.Errors) > 0 || r.Data["actor"] == nil {
		t.Fatalf("server stopped serving: %d %s", status, raw)
	}
}

func wantError(t *testing.T, status int, r gqlResponse, raw string, wantStatus int, wantCode string) {
	t.Helper()
	if status != wantStatus {
		t.Errorf("status = %d, want %d (%s)", status, wantStatus, raw)
	}
	if len(r.Errors) == 0 {
		t.Fatalf("no errors in %s", raw)
	}
	if code := r.Errors[0].Extensions["code"]; code != wantCode {
		t.Errorf("extensions.code = %v, want %s (%s)", code, wantCode, raw)
	}
}

func TestBadInput(t *testing.T) {
	srv, logs := start(t, testenv.Bolt(t, boltstore.Options{}), server.DefaultLimits)

	t.Run("unknown id is null with 200", func(t *testing.T) {
		status, r, raw := gql(t, srv, `{ actor(id: "atlantis") { name } relation(id: "nope") { id } }`, nil)
		if status != 200 || len(r.Errors) > 0 || r.Data["actor"] != nil || r.Data["relation"] != nil {
			t.Fatalf("got %d %s", status, raw)
		}
		if _, ok := r.Data["actor"]; !ok {
			t.Fatalf("actor key missing: %s", raw)
		}
	})
	t.Run("invalid enum literal", func(t *testing.T) {
		status, r, raw := gql(t, srv, `{ relations(filter: { types: [INVADES] }) { nodes { id } } }`, nil)
		wantError(t, status, r, raw, 422, "GRAPHQL_VALIDATION_FAILED")
	})
	t.Run("invalid enum in variables", func(t *testing.T) {
		status, r, raw := gql(t, srv, `query($t: [RelationType!]) { relations(filter: { types: $t }) { nodes { id } } }`,
			map[string]any{"t": []string{"INVADES"}})
		wantError(t, status, r, raw, 422, "GRAPHQL_VALIDATION_FAILED")
	})
	t.Run("negative first names the field", func(t *testing.T) {
		status, r, raw := gql(t, srv, `{ relations(first: -1) { nodes { id } } }`, nil)
		wantError(t, status, r, raw, 200, "BAD_USER_INPUT")
		if r.Errors[0].Extensions["field"] != "first" {
			t.Errorf("field = %v (%s)", r.Errors[0].Extensions["field"], raw)
		}
	})
	for name, tc := range map[string]struct{ query, field string }{
		"inverted date range":     {`{ relations(filter: { dateRange: { from: "2016-10-01", to: "2016-09-01" } }) { nodes { id } } }`, "filter.dateRange"},
		"bad date":                {`{ relations(filter: { dateRange: { from: "Sept. 9" } }) { nodes { id } } }`, "filter.dateRange.from"},
		"bad cursor":              {`{ relations(after: "not-a-cursor") { nodes { id } } }`, "after"},
		"cursor of another order": {`{ relations(orderBy: { field: CONFIDENCE }, after: "eyJmIjoiT0NDVVJSRUQiLCJpIjoieCJ9") { nodes { id } } }`, "after"},
		"first over the maximum":  {`{ actors(first: 5000) { nodes { id } } }`, "first"},
		"bad CAMEO root":          {`{ relations(filter: { cameoRoot: "99" }) { nodes { id } } }`, "filter.cameoRoot"},
		"bad PLOVER":              {`{ relations(filter: { plover: "INVADE" }) { nodes { id } } }`, "filter.plover"},
		"confidence above 1":      {`{ relations(filter: { minConfidence: 1.5 }) { nodes { id } } }`, "filter.minConfidence"},
		"nested bad argument":     {`{ actor(id: "russia") { outgoing(first: -3) { nodes { id } } } }`, "first"},
		"neighbourhood depth 10":  {`{ neighborhood(actor: "russia", depth: 10) { truncated } }`, "depth"},
		"paths maxLength 50":      {`{ paths(from: "usa", to: "russia", maxLength: 50) { reason } }`, "maxLength"},
		"paths to itself":         {`{ paths(from: "usa", to: "usa") { reason } }`, "to"},
		"timeline of three":       {`{ timeline(pair: ["usa", "russia", "syria"]) { date { date } } }`, "pair"},
		"timeline of nobody":      {`{ timeline { date { date } } }`, "actor"},
		"search for nothing":      {`{ search(text: " ,. ") { kind } }`, "text"},
		"dyads inverted range":    {`{ dyads(dateRange: { from: "2017-01-01", to: "2016-01-01" }) { relations } }`, "dateRange"},
		"disputes negative first": {`{ disputes(first: -1) { claim { id } } }`, "first"},
	} {
		t.Run(name, func(t *testing.T) {
			status, r, raw := gql(t, srv, tc.query, nil)
			wantError(t, status, r, raw, 200, "BAD_USER_INPUT")
			if f := r.Errors[0].Extensions["field"]; f != tc.field {
				t.Errorf("field = %v, want %s (%s)", f, tc.field, raw)
			}
		})
	}
	// An unknown actor is NOT_FOUND naming the argument (issue 12), never
	// an empty answer.
	t.Run("neighbourhood of nobody", func(t *testing.T) {
		status, r, raw := gql(t, srv, `{ neighborhood(actor: "atlantis") { truncated } }`, nil)
		wantError(t, status, r, raw, 200, "NOT_FOUND")
		if f := r.Errors[0].Extensions["field"]; f != "actor" {
			t.Errorf("field = %v, want actor (%s)", f, raw)
		}
	})
	t.Run("malformed JSON", func(t *testing.T) {
		status, r, raw := do(t, srv, "application/json", `{"query": "{ actors { id } }", SECRET-TOKEN`)
		wantError(t, status, r, raw, 400, "BAD_REQUEST")
		if strings.Contains(raw, "SECRET-TOKEN") {
			t.Errorf("request body echoed: %s", raw)
		}
	})
	t.Run("oversized body", func(t *testing.T) {
		big := `{"query": "{ actors { id } }", "pad": "` + strings.Repeat("x", 2<<20) + `"}`
		status, r, raw := do(t, srv, "application/json", big)
		wantError(t, status, r, raw, 413, "PAYLOAD_TOO_LARGE")
	})
	t.Run("syntax error", func(t *testing.T) {
		status, r, raw := gql(t, srv, `{ actors { id `, nil)
		wantError(t, status, r, raw, 422, "GRAPHQL_PARSE_FAILED")
	})
	t.Run("too many tokens", func(t *testing.T) {
		q := `{ actors { nodes { ` + strings.Repeat(`id `, 20000) + `} } }`
		status, r, raw := gql(t, srv, q, nil)
		wantError(t, status, r, raw, 422, "GRAPHQL_PARSE_FAILED")
	})
	t.Run("deeply nested query", func(t *testing.T) {
		q := `{ relations(first: 1) { nodes { ` + strings.Repeat(`alleges { `, 15) + `id` + strings.Repeat(` }`, 15) + ` } } }`
		status, r, raw := gql(t, srv, q, nil)
		wantError(t, status, r, raw, 422, "DEPTH_LIMIT_EXCEEDED")
	})
	t.Run("deep through fragments", func(t *testing.T) {
		q := `fragment A on Relation { alleges { alleges { alleges { alleges { alleges { alleges { id } } } } } } }
		      fragment B on Relation { alleges { alleges { alleges { ...A } } } }
		      { relations(first: 1) { nodes { alleges { alleges { ...B } } } } }`
		status, r, raw := gql(t, srv, q, nil)
		wantError(t, status, r, raw, 422, "DEPTH_LIMIT_EXCEEDED")
	})
	t.Run("over the complexity limit", func(t *testing.T) {
		q := `{ actors(first: 1000) { nodes { outgoing(first: 1000) { nodes { from { outgoing(first: 1000) { nodes { id } } } } } } } }`
		status, r, raw := gql(t, srv, q, nil)
		wantError(t, status, r, raw, 422, "COMPLEXITY_LIMIT_EXCEEDED")
	})
	t.Run("GET works and errors keep codes", func(t *testing.T) {
		res, err := http.Get(srv.URL + "/graphql?query=" + url.QueryEscape(`{ actorByName(name: "Moscow") { id } }`))
		if err != nil {
			t.Fatal(err)
		}
		var r gqlResponse
		json.NewDecoder(res.Body).Decode(&r)
		res.Body.Close()
		if res.StatusCode != 200 || r.Data["actorByName"].(map[string]any)["id"] != "russia" {
			t.Fatalf("GET: %d %+v", res.StatusCode, r)
		}
	})
	t.Run("introspection as GraphiQL sends it is not depth-limited", func(t *testing.T) {
		status, r, raw := gql(t, srv, introspectionQuery, nil)
		if status != 200 || len(r.Errors) > 0 || r.Data["__schema"] == nil {
			t.Fatalf("introspection: %d %.300s", status, raw)
		}
	})
	stillServing(t, srv)
	if strings.Contains(logs.String(), "SECRET-TOKEN") {
		t.Error("request body reached the logs")
	}
}

// panicky is a real store whose one method panics, to prove the recover
// func keeps the server alive.
type panicky struct{ store.Store }

func (panicky) ListEvents(context.Context, store.Page) (store.PageOf[kg.Event], error) { panic("boom") }

func TestPanicIsRecovered(t *testing.T) {
	srv, logs := start(t, panicky{testenv.Bolt(t, boltstore.Options{})}, server.DefaultLimits)
	status, r, raw := gql(t, srv, `{ events { nodes { id } } }`, nil)
	wantError(t, status, r, raw, 200, "INTERNAL_SERVER_ERROR")
	if strings.Contains(raw, "boom") {
		t.Errorf("panic text leaked: %s", raw)
	}
	if !strings.Contains(logs.String(), "boom") {
		t.Errorf("panic not logged: %s", logs.String())
	}
	stillServing(t, srv)
}

// TestStoreDown: a closed store fails requests with a code, never internals,
// and readiness turns 503 while liveness stays 200.
func TestStoreDown(t *testing.T) {
	s := testenv.Bolt(t, boltstore.Options{})
	srv, _ := start(t, s, server.DefaultLimits)
	get := func(path string) int {
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if get("/readyz") != 200 || get("/livez") != 200 {
		t.Fatal("not ready while the store is up")
	}
	s.Close(context.Background())
	if got := get("/readyz"); got != 503 {
		t.Errorf("/readyz with the store closed = %d, want 503", got)
	}
	if got := get("/livez"); got != 200 {
		t.Errorf("/livez = %d, want 200", got)
	}
	status, r, raw := gql(t, srv, `{ events { nodes { id } } }`, nil)
	if status != 200 || len(r.Errors) == 0 || r.Errors[0].Message != "internal error" && r.Errors[0].Message != "the database is unavailable; try again later" {
		t.Errorf("store down: %d %s", status, raw)
	}
	if strings.Contains(strings.ToLower(raw), "bolt") || strings.Contains(raw, "database not open") {
		t.Errorf("store error text leaked: %s", raw)
	}
}

func TestMetricsAndPlayground(t *testing.T) {
	srv, _ := start(t, testenv.Bolt(t, boltstore.Options{}), server.DefaultLimits)
	gql(t, srv, `query WhoAccuses { relations(filter: {types: [ACCUSES]}) { nodes { id } } }`, nil)
	gql(t, srv, `{ relations(first: -1) { nodes { id } } }`, nil)
	res, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for _, want := range []string{
		`actorgraph_graphql_requests_total{operation="WhoAccuses",outcome="ok"} 1`,
		`actorgraph_graphql_errors_total{code="BAD_USER_INPUT"} 1`,
		`actorgraph_graphql_request_duration_seconds_count{operation="WhoAccuses"} 1`,
		`actorgraph_store_errors_total 0`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	res, err = http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(page), "WhoAccusesWhom") {
		t.Errorf("playground: %d, examples missing", res.StatusCode)
	}
}

// introspectionQuery is the shape of graphql-js's getIntrospectionQuery,
// which GraphiQL sends on load: its TypeRef fragment nests ofType 8 deep.
const introspectionQuery = `query IntrospectionQuery {
  __schema {
    queryType { name }
    types { ...FullType }
    directives { name locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name args { ...InputValue } type { ...TypeRef } isDeprecated }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name isDeprecated }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name
    ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }
}`

// TestKeysRequired: with keys configured, GraphQL needs one; health stays open.
func TestKeysRequired(t *testing.T) {
	readKey, err := auth.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	keys, err := auth.Load("", "reader:read:"+readKey)
	if err != nil {
		t.Fatal(err)
	}
	s := testenv.Bolt(t, boltstore.Options{})
	srv := httptest.NewServer(server.New(server.Config{Store: s, Logger: slog.New(slog.DiscardHandler), Auth: auth.Policy{Keys: keys}}))
	t.Cleanup(srv.Close)
	query := func(key string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(`{"query":"{ vocabulary { type } }"}`))
		req.Header.Set("Content-Type", "application/json")
		if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if status, body := query(""); status != 401 || !strings.Contains(body, "UNAUTHENTICATED") {
		t.Errorf("no key: %d %s", status, body)
	}
	if status, body := query("ag_wrong"); status != 401 || strings.Contains(body, "ag_wrong") {
		t.Errorf("wrong key: %d %s", status, body)
	}
	if status, body := query(readKey); status != 200 || !strings.Contains(body, "ACCUSES") {
		t.Errorf("read key: %d %s", status, body)
	}
	res, err := http.Get(srv.URL + "/livez")
	if err != nil || res.StatusCode != 200 {
		t.Errorf("/livez with keys configured: %v %v", res.StatusCode, err)
	}
}

// TestWriteRoles: mutations need a write key; without keys the server is
// read-only unless anonymous writes are allowed.
func TestWriteRoles(t *testing.T) {
	readKey, _ := auth.NewKey()
	writeKey, _ := auth.NewKey()
	keys, err := auth.Load("", "r:read:"+readKey+",w:write:"+writeKey)
	if err != nil {
		t.Fatal(err)
	}
	text, _ := seed.Article()
	mutation, _ := json.Marshal(map[string]any{
		"query":     `mutation($t: String!) { ingestArticle(text: $t, title: "T", publisher: "AP", publishedAt: "2016-09-28") { source { id } relations { id provenance { review } } } }`,
		"variables": map[string]any{"t": text},
	})
	call := func(p auth.Policy, key string) (int, gqlResponse, string) {
		s := testenv.Bolt(t, boltstore.Options{})
		g, _ := seed.Graph()
		s.Load(context.Background(), g)
		srv := httptest.NewServer(server.New(server.Config{Store: s, Logger: slog.New(slog.DiscardHandler), Auth: p}))
		defer srv.Close()
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", bytes.NewReader(mutation))
		req.Header.Set("Content-Type", "application/json")
		if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		var r gqlResponse
		json.Unmarshal(raw, &r)
		return res.StatusCode, r, string(raw)
	}
	status, r, raw := call(auth.Policy{}, "")
	wantError(t, status, r, raw, 200, "FORBIDDEN")
	status, r, raw = call(auth.Policy{Keys: keys}, readKey)
	wantError(t, status, r, raw, 200, "FORBIDDEN")
	for name, tc := range map[string]struct {
		p   auth.Policy
		key string
	}{"write key": {auth.Policy{Keys: keys}, writeKey}, "anonymous writes allowed": {auth.Policy{AllowAnonymousWrites: true}, ""}} {
		status, r, raw := call(tc.p, tc.key)
		if status != 200 || len(r.Errors) > 0 || !strings.Contains(raw, `"review":"PROPOSED"`) {
			t.Errorf("%s: %d %.300s", name, status, raw)
		}
	}
}
