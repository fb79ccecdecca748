package server_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/actorgraph/actorgraph/internal/auth"
	"github.com/actorgraph/actorgraph/internal/server"
	"github.com/actorgraph/actorgraph/internal/store/boltstore"
	"github.com/actorgraph/actorgraph/internal/testenv"
)

// corsDo sends one request with an Origin (and, for a preflight, the method
// and headers it asks for) and returns the response.
func corsDo(t *testing.T, h http.Handler, method, path, origin string, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestCORS(t *testing.T) {
	var reached int
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached++
		w.Write([]byte("ok"))
	})
	const app = "http://localhost:5173"
	preflight := func(method, headers string) map[string]string {
		return map[string]string{"Access-Control-Request-Method": method, "Access-Control-Request-Headers": headers}
	}

	// Default: no allowlist, no CORS headers for anyone.
	for _, allowed := range [][]string{nil, {}, {"", " "}} {
		h := server.CORS(allowed)(inner)
		rec := corsDo(t, h, http.MethodGet, "/graphql", app, nil)
		if v := rec.Header().Get("Access-Control-Allow-Origin"); v != "" || rec.Body.String() != "ok" {
			t.Errorf("allowlist %q: Allow-Origin %q", allowed, v)
		}
	}

	h := server.CORS([]string{app, "https://*.example.org", "https://explorer.example.com/"})(inner)
	for _, origin := range []string{app, "https://viz.example.org", "https://explorer.example.com"} {
		rec := corsDo(t, h, http.MethodGet, "/export/networkx", origin, nil)
		if rec.Header().Get("Access-Control-Allow-Origin") != origin || !strings.Contains(rec.Header().Get("Vary"), "Origin") {
			t.Errorf("%s: headers %v", origin, rec.Header())
		}
		if !strings.Contains(rec.Header().Get("Access-Control-Expose-Headers"), "Content-Disposition") {
			t.Errorf("%s: Content-Disposition not exposed: %v", origin, rec.Header())
		}
		if rec.Header().Get("Access-Control-Allow-Credentials") != "" {
			t.Errorf("%s: credentials allowed", origin)
		}
	}
	for _, origin := range []string{"http://localhost:8081", "https://example.org.evil.com", "http://viz.example.org", "null"} {
		rec := corsDo(t, h, http.MethodGet, "/graphql", origin, nil)
		if v := rec.Header().Get("Access-Control-Allow-Origin"); v != "" {
			t.Errorf("%s: allowed (%q)", origin, v)
		}
	}

	// Preflight: answered here, without reaching the API (nor its key check).
	// Browsers list the headers lower-case and sorted (Fetch standard).
	reached = 0
	rec := corsDo(t, h, http.MethodOptions, "/graphql", app, preflight("POST", "authorization,content-type,x-api-key"))
	if rec.Code != http.StatusNoContent || reached != 0 ||
		rec.Header().Get("Access-Control-Allow-Origin") != app ||
		!strings.Contains(rec.Header().Get("Access-Control-Allow-Methods"), "POST") ||
		rec.Header().Get("Access-Control-Allow-Headers") != "authorization,content-type,x-api-key" ||
		rec.Header().Get("Access-Control-Max-Age") != "600" {
		t.Errorf("preflight: %d reached %d %v", rec.Code, reached, rec.Header())
	}
	for name, ask := range map[string]map[string]string{
		"method DELETE":     preflight("DELETE", ""),
		"header X-Debug":    preflight("POST", "x-debug"),
		"disallowed origin": preflight("POST", "content-type"),
	} {
		origin := app
		if name == "disallowed origin" {
			origin = "https://elsewhere.test"
		}
		rec := corsDo(t, h, http.MethodOptions, "/graphql", origin, ask)
		if v := rec.Header().Get("Access-Control-Allow-Origin"); v != "" || reached != 0 {
			t.Errorf("preflight with %s: allowed (%q), reached %d", name, v, reached)
		}
	}
}

func TestParseCORSOrigins(t *testing.T) {
	got, err := server.ParseCORSOrigins(" http://localhost:5173/, ,HTTPS://Viz.Example.org,https://*.example.net ")
	want := []string{"http://localhost:5173", "https://viz.example.org", "https://*.example.net"}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("got %q %v, want %q", got, err, want)
	}
	if got, err := server.ParseCORSOrigins(""); err != nil || got != nil {
		t.Errorf("empty: %q %v", got, err)
	}
	if got, err := server.ParseCORSOrigins("*"); err != nil || !reflect.DeepEqual(got, []string{"*"}) {
		t.Errorf("*: %q %v", got, err)
	}
	for _, bad := range []string{"localhost:5173", "example.org", "ftp://example.org", "https://example.org/app",
		"https://example.org?x=1", "https://user@example.org", "https://*.*.example.org", "http://"} {
		if _, err := server.ParseCORSOrigins(bad); err == nil {
			t.Errorf("%q: accepted", bad)
		}
	}
}

// TestCORSWithKeys wires CORS as serve does — outside the server, so
// outside the API key check — and calls GraphQL as a browser on another
// origin would: a preflight without the key, then the request with it.
func TestCORSWithKeys(t *testing.T) {
	key, err := auth.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	keys, err := auth.Load("", "frontend:read:"+key)
	if err != nil {
		t.Fatal(err)
	}
	s := testenv.Bolt(t, boltstore.Options{})
	const app = "https://explorer.example.org"
	origins, err := server.ParseCORSOrigins(app)
	if err != nil {
		t.Fatal(err)
	}
	h := server.CORS(origins)(server.New(server.Config{Store: s, Logger: slog.New(slog.DiscardHandler), Auth: auth.Policy{Keys: keys}}))
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)

	send := func(method, origin string, header map[string]string, body string) (*http.Response, string) {
		req, _ := http.NewRequest(method, srv.URL+"/graphql", strings.NewReader(body))
		req.Header.Set("Origin", origin)
		for k, v := range header {
			req.Header.Set(k, v)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}
	res, _ := send(http.MethodOptions, app, map[string]string{
		"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type,x-api-key"}, "")
	if res.StatusCode != http.StatusNoContent || res.Header.Get("Access-Control-Allow-Origin") != app {
		t.Errorf("preflight: %d %v", res.StatusCode, res.Header)
	}
	query := `{"query":"{ vocabulary { type } }"}`
	res, body := send(http.MethodPost, app, map[string]string{"Content-Type": "application/json", "X-API-Key": key}, query)
	if res.StatusCode != 200 || !strings.Contains(body, "ACCUSES") || res.Header.Get("Access-Control-Allow-Origin") != app {
		t.Errorf("with key: %d %v %s", res.StatusCode, res.Header, body)
	}
	// Without the key: 401, readable by the frontend (so it can ask for one).
	res, body = send(http.MethodPost, app, map[string]string{"Content-Type": "application/json"}, query)
	if res.StatusCode != 401 || res.Header.Get("Access-Control-Allow-Origin") != app {
		t.Errorf("without key: %d %v %s", res.StatusCode, res.Header, body)
	}
	// Another origin gets the answer (a server-side client may call), but
	// no CORS headers, so a browser will not hand it to the page.
	res, _ = send(http.MethodPost, "https://evil.example.com", map[string]string{"Content-Type": "application/json", "X-API-Key": key}, query)
	if res.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("other origin: %v", res.Header)
	}
}
