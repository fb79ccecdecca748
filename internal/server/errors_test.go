package server_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/actorgraph/actorgraph/internal/server"
	"github.com/actorgraph/actorgraph/internal/store/boltstore"
)

// marker is in every bad request below: no response or log line may hold it.
const marker = "Zq7SECRETx"

// TestEveryErrorHasACodeAndNoBody sends the malformed requests of issue 11
// (items 7 and 8): each is answered with a JSON error that has
// extensions.code and the status the GraphQL-over-HTTP spec asks for, and
// neither the response nor the log quotes the request.
func TestEveryErrorHasACodeAndNoBody(t *testing.T) {
	s, err := boltstore.Open(t.TempDir(), boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv, logs := start(t, s, server.Limits{})
	long := `{"query": "{ actors { totalCount } }", "variables": {"x": "` + strings.Repeat(marker, 20000) // truncated, 200 KB
	for _, c := range []struct {
		name, method, ct, body string
		status                 int
		code                   string
	}{
		{"batched array", "POST", "application/json", `[{"query":"{ actors { totalCount } }"}, {"query":"` + marker + `"}]`, 400, "BAD_REQUEST"},
		{"a number", "POST", "application/json", `42` + "", 400, "BAD_REQUEST"},
		{"a string", "POST", "application/json", `"` + marker + `"`, 400, "BAD_REQUEST"},
		{"truncated object", "POST", "application/json", long, 400, "BAD_REQUEST"},
		{"query not a string", "POST", "application/json", `{"query": ["` + marker + `"]}`, 400, "BAD_REQUEST"},
		{"variables not an object", "POST", "application/json", `{"query": "{ actors { totalCount } }", "variables": "` + marker + `"}`, 400, "BAD_REQUEST"},
		{"operationName not a string", "POST", "application/json", `{"query": "{ actors { totalCount } }", "operationName": {"a": "` + marker + `"}}`, 400, "BAD_REQUEST"},
		{"text/plain", "POST", "text/plain", `{"query":"{ actors { totalCount } }", "x": "` + marker + `"}`, 415, "UNSUPPORTED_MEDIA_TYPE"},
		{"application/graphql", "POST", "application/graphql", `{ actors { totalCount } } # ` + marker, 415, "UNSUPPORTED_MEDIA_TYPE"},
		{"form", "POST", "application/x-www-form-urlencoded", `query=` + marker, 415, "UNSUPPORTED_MEDIA_TYPE"},
		{"multipart", "POST", "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n{\"query\":\"" + marker + "\"}\r\n--x--\r\n", 415, "UNSUPPORTED_MEDIA_TYPE"},
		{"no content type", "POST", "", `{"query":"{ actors { totalCount } }", "x": "` + marker + `"}`, 415, "UNSUPPORTED_MEDIA_TYPE"},
		{"PUT", "PUT", "application/json", `{"query":"{ actors { totalCount } }", "x": "` + marker + `"}`, 405, "METHOD_NOT_ALLOWED"},
	} {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(c.method, srv.URL+"/graphql", strings.NewReader(c.body))
			if c.ct != "" {
				req.Header.Set("Content-Type", c.ct)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := io.ReadAll(res.Body)
			res.Body.Close()
			checkCoded(t, res, raw, c.status, c.code)
		})
	}
	gets := []struct {
		name, query string
		status      int
		code        string
	}{
		{"mutation over GET", url.Values{"query": {`mutation { putActor(input: {id: "` + strings.ToLower(marker) + `", name: "x", kind: STATE}) { id } }`}}.Encode(), 405, "METHOD_NOT_ALLOWED"},
		{"variables not JSON", url.Values{"query": {`{ actors { totalCount } }`}, "variables": {`{"` + marker}}.Encode(), 400, "BAD_REQUEST"},
		{"extensions not an object", url.Values{"query": {`{ actors { totalCount } }`}, "extensions": {`["` + marker + `"]`}}.Encode(), 400, "BAD_REQUEST"},
		{"malformed query string", "query=%zz" + marker, 400, "BAD_REQUEST"},
	}
	for _, c := range gets {
		t.Run(c.name, func(t *testing.T) {
			res, err := http.Get(srv.URL + "/graphql?" + c.query)
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := io.ReadAll(res.Body)
			res.Body.Close()
			checkCoded(t, res, raw, c.status, c.code)
		})
	}
	// The mutation over GET did not run.
	_, r, _ := gql(t, srv, `{ actor(id: "`+strings.ToLower(marker)+`") { id } }`, nil)
	if r.Data["actor"] != nil {
		t.Error("a mutation sent with GET was executed")
	}
	if strings.Contains(strings.ToLower(logs.String()), strings.ToLower(marker)) {
		t.Errorf("the log quotes a request:\n%s", logs)
	}
	stillServing(t, srv)
}

func checkCoded(t *testing.T, res *http.Response, raw []byte, status int, code string) {
	t.Helper()
	if res.StatusCode != status {
		t.Errorf("status %d, want %d: %s", res.StatusCode, status, raw)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q, want JSON", ct)
	}
	var r gqlResponse
	if err := json.Unmarshal(raw, &r); err != nil || len(r.Errors) == 0 {
		t.Fatalf("not a GraphQL error response: %s", raw)
	}
	for _, e := range r.Errors {
		if e.Extensions["code"] != code {
			t.Errorf("code %v, want %s: %s", e.Extensions["code"], code, raw)
		}
	}
	if strings.Contains(strings.ToLower(string(raw)), strings.ToLower(marker)) {
		t.Errorf("the response quotes the request: %.300s", raw)
	}
}
