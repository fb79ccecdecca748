package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/actorgraph/actorgraph/internal/auth"
	"github.com/actorgraph/actorgraph/internal/server"
	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/storetest"
	"github.com/actorgraph/actorgraph/internal/testenv"
)

// Fuzz targets for the GraphQL HTTP handler, over a real on-disk embedded
// store holding the seed graph, with anonymous writes allowed so that
// mutations reach the store. Whatever the input, the answer is JSON, never a
// 500 or INTERNAL_SERVER_ERROR, every error carries extensions.code, the
// request body is not quoted back, and the stored graph keeps the data
// model's rules (storetest.CheckGraph). Seeds are below and in
// testdata/fuzz/<target>; CI runs each target for a fixed time (.ci/run).

// fuzzServer opens the store and the handler once per fuzzing process.
func fuzzServer(f *testing.F) (http.Handler, store.Store) {
	s := testenv.SeededBolt(f)
	h := server.New(server.Config{Store: s, Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)),
		Auth: auth.Policy{AllowAnonymousWrites: true}})
	return h, s
}

// checkAnswer posts body and checks the answer; it returns the decoded
// response for more checks.
func checkAnswer(t *testing.T, h http.Handler, s store.Store, body []byte) gqlResponse {
	t.Helper()
	req := httptest.NewRequest("POST", "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	raw := rec.Body.Bytes()
	if rec.Code >= 500 {
		t.Fatalf("status %d: %s", rec.Code, raw)
	}
	var r gqlResponse
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatalf("status %d, answer is not JSON (%v): %.300s", rec.Code, err, raw)
	}
	for _, e := range r.Errors {
		code, _ := e.Extensions["code"].(string)
		if code == "" || code == "INTERNAL_SERVER_ERROR" {
			t.Fatalf("error without a usable code (%q): %s", code, raw)
		}
	}
	if rec.Code != 200 && len(r.Errors) == 0 {
		t.Fatalf("status %d without an error: %s", rec.Code, raw)
	}
	// The body, when long enough to be more than a word, is never echoed.
	if len(body) >= 24 && bytes.Contains(raw, body) {
		t.Fatalf("the request body is quoted in the answer: %.300s", raw)
	}
	if msg := storetest.CheckGraph(s); msg != "" {
		t.Fatalf("stored graph breaks a rule after %q: %s", body, msg)
	}
	return r
}

// FuzzGraphQLBody: any bytes as a JSON POST body.
func FuzzGraphQLBody(f *testing.F) {
	for _, b := range []string{
		`{"query":"{ actor(id: \"russia\") { name aliases relations(first: 3) { totalCount nodes { type from { id } to { id } } } } }"}`,
		`{"query":"{ relations(filter: {types: [DENIES]}) { nodes { id denies { from { name } } evidence { quote } } } }"}`,
		`{"query":"query Q($id: ID!) { actor(id: $id) { id } }","variables":{"id":"usa"},"operationName":"Q"}`,
		`{"query":"mutation { putActor(input: {id: \"fz\", name: \"Fz\", kind: STATE}) { id } }"}`,
		`{"query":"mutation { mergeActors(survivor: \"usa\", merged: \"russia\") { id keptAside } }"}`,
		`{"query":"{ actors(first: 2, after: \"eA\") { totalCount pageInfo { endCursor hasNextPage } } }"}`,
		`{"query":"{ __schema { types { name } } }"}`,
		`[{"query":"{ actors { totalCount } }"}]`, `42`, `{"query": 1}`, `{"query":"{ actors`, `{}`, ``,
		`{"query":"{ a1: actors { totalCount } a2: actors { totalCount } }", "extensions": {"persistedQuery": {"version": 1, "sha256Hash": "00"}}}`,
	} {
		f.Add([]byte(b))
	}
	h, s := fuzzServer(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		checkAnswer(t, h, s, body)
	})
}

// fuzzOps are the operations FuzzGraphQLVariables sends with fuzzed
// variables: every mutation and the filtered reads.
var fuzzOps = []string{
	`mutation($input: ActorInput!) { putActor(input: $input) { id name aliases } }`,
	`mutation($actor: ID!, $aliases: [String!]!) { addAliases(actor: $actor, aliases: $aliases) { id aliases } }`,
	`mutation($input: RelationInput!) { addRelation(input: $input) { id from { id } to { id } } }`,
	`mutation($s: ID!, $m: ID!, $note: String) { mergeActors(survivor: $s, merged: $m, note: $note) { id keptAside } }`,
	`mutation($merge: ID!) { unmergeActors(merge: $merge) { id undone } }`,
	`mutation($r: ID!, $st: Review!, $note: String) { reviewRelation(relation: $r, status: $st, note: $note) { id provenance { review } } }`,
	`mutation($id: ID!, $reason: String!) { deleteRelation(id: $id, reason: $reason) { id } }`,
	`mutation($id: ID!, $reason: String!) { deleteActor(id: $id, reason: $reason) { id } }`,
	`mutation($input: PlaceInput!) { putPlace(input: $input) { id } }`,
	`mutation($input: SourceInput!) { putSource(input: $input) { id } }`,
	`mutation($t: String!, $p: String!) { ingestArticle(text: $t, title: "T", publisher: "AP", publishedAt: $p) { relations { id } } }`,
	`query($f: RelationFilter, $first: Int, $after: String) { relations(filter: $f, first: $first, after: $after) { totalCount nodes { id from { id } to { id } } pageInfo { endCursor } } }`,
	`query($f: ActorFilter, $first: Int) { actors(filter: $f, first: $first) { totalCount nodes { id } } }`,
}

// FuzzGraphQLVariables: one of fuzzOps with any text as its variables.
func FuzzGraphQLVariables(f *testing.F) {
	for _, c := range []struct {
		op   uint8
		vars string
	}{
		{0, `{"input": {"id": "fz-a", "name": "Fz A", "kind": "STATE", "aliases": ["Fa"]}}`},
		{0, `{"input": {"id": "fz-b", "name": "\u202eevil", "kind": "STATE"}}`},
		{1, `{"actor": "russia", "aliases": ["RF", "rf", ""]}`},
		{2, `{"input": {"type": "PART_OF", "from": "usa", "to": "usa", "attribution": "ASSERTED", "status": "ACTUAL", "source": "thenews-aleppo-2016", "confidence": 0.6, "evidence": [{"quote": "Kerry threatened to cut all cooperation with Moscow", "start": 816, "end": 867}]}}`},
		{3, `{"s": "usa", "m": "russia", "note": "same"}`},
		{4, `{"merge": "merge:usa:russia"}`},
		{5, `{"r": "r1", "st": "CONFIRMED", "note": "ok"}`},
		{6, `{"id": "r1", "reason": "wrong"}`},
		{7, `{"id": "fz-a", "reason": "test"}`},
		{8, `{"input": {"id": "fz-p", "name": "P", "kind": "CITY", "parent": "fz-p"}}`},
		{9, `{"input": {"id": "fz-s", "title": "T", "publisher": "P", "published": "2016-02-30", "text": "x"}}`},
		{10, `{"t": "Russia accused the United States of backing the rebels in Aleppo on Monday.", "p": "2016-09-28"}`},
		{11, `{"f": {"minConfidence": 0.5, "types": ["ACCUSES"], "claimedBy": "russia"}, "first": 2, "after": "bad"}`},
		{12, `{"f": {"kinds": ["STATE"], "country": "RUS"}, "first": -1}`},
	} {
		f.Add(c.op, c.vars)
	}
	h, s := fuzzServer(f)
	f.Fuzz(func(t *testing.T, op uint8, vars string) {
		q, _ := json.Marshal(fuzzOps[int(op)%len(fuzzOps)])
		checkAnswer(t, h, s, []byte(`{"query":`+string(q)+`,"variables":`+vars+`}`))
	})
}

// FuzzGraphQLCursor: any text as the after cursor and any page size, on
// actors, relations and an actor's relations, in both orders; a cursor
// the server made must page on without an error.
func FuzzGraphQLCursor(f *testing.F) {
	for _, c := range []struct {
		after string
		first int
	}{
		{"", 2}, {"bad", 1}, {"eyJpZCI6InVzYSJ9", 3}, {"\x00\xff", 100}, {strings.Repeat("A", 400), 0}, {"e30", -5}, {"null", 1 << 20},
	} {
		f.Add(c.after, c.first)
	}
	h, s := fuzzServer(f)
	const q = `query($a: String, $n: Int) {
	  byName: actors(first: $n, after: $a, orderBy: {field: NAME}) { totalCount nodes { id } pageInfo { endCursor hasNextPage } }
	  byID: relations(first: $n, after: $a, orderBy: {field: ID}) { nodes { id } pageInfo { endCursor } }
	  actor(id: "russia") { relations(first: $n, after: $a) { nodes { id } pageInfo { endCursor } } }
	}`
	body := func(after any, first int) []byte {
		b, _ := json.Marshal(map[string]any{"query": q, "variables": map[string]any{"a": after, "n": first}})
		return b
	}
	f.Fuzz(func(t *testing.T, after string, first int) {
		r := checkAnswer(t, h, s, body(after, first))
		if len(r.Errors) > 0 || first < 1 || first > 100 {
			return
		}
		// A cursor the server made pages on.
		page, _ := r.Data["byName"].(map[string]any)
		info, _ := page["pageInfo"].(map[string]any)
		if next, _ := info["endCursor"].(string); next != "" && info["hasNextPage"] == true {
			if r2 := checkAnswer(t, h, s, body(next, first)); len(r2.Errors) > 0 {
				t.Fatalf("the server's own cursor %q (first %d) refused: %v", next, first, r2.Errors[0].Message)
			}
		}
	})
}
