package playground

import (
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"regexp"
	"strings"
	"testing"
)

var testExamples = []Example{
	{Name: "Actors", Query: "query Actors {\n  actors(first: 5) { name }\n}\n"},
	{
		Name:      "Tricky",
		Query:     "query Tricky($s: String = \"</script><script>alert('x')</script>\") {\n  __typename # <!-- & \u2028\n}\n",
		Variables: `{"s": "it's \"quoted\" </script>"}`,
	},
	{Name: "NoVars", Query: "{ __typename }"},
}

func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(Handler(`Actor<Graph> & "friends"`, "/graphql", testExamples))
	t.Cleanup(srv.Close)
	return srv
}

type response struct {
	status int
	header http.Header
	body   string
}

func get(t *testing.T, rawURL string) response {
	t.Helper()
	return do(t, http.MethodGet, rawURL, nil)
}

func do(t *testing.T, method, rawURL string, hdr http.Header) response {
	t.Helper()
	req, err := http.NewRequest(method, rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{res.StatusCode, res.Header, string(b)}
}

func page(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	res := get(t, srv.URL+"/")
	if res.status != http.StatusOK {
		t.Fatalf("GET /: status %d", res.status)
	}
	if ct := res.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("GET /: Content-Type %q", ct)
	}
	return res.body
}

var configRE = regexp.MustCompile(`(?s)<script type="application/json" id="playground-config">(.*?)</script>`)

func TestPageEmbedsExamplesSafely(t *testing.T) {
	body := page(t, newServer(t))

	m := configRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no playground-config script in page:\n%s", body)
	}
	raw := m[1]
	// The "</script>" inside an example must not end the data element early:
	// everything up to the first "</script>" has to be the complete JSON.
	var cfg pageConfig
	if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
		t.Fatalf("config is not valid JSON: %v\n%s", err, raw)
	}
	if cfg.Endpoint != "/graphql" {
		t.Errorf("endpoint = %q", cfg.Endpoint)
	}
	if len(cfg.Examples) != len(testExamples) {
		t.Fatalf("got %d examples, want %d", len(cfg.Examples), len(testExamples))
	}
	for i, ex := range testExamples {
		if got := Example(cfg.Examples[i]); got != ex {
			t.Errorf("example %d round-tripped as %#v, want %#v", i, got, ex)
		}
	}
	for _, bad := range []string{"<", ">", "<!--", "\u2028"} {
		if strings.Contains(raw, bad) {
			t.Errorf("config JSON contains raw %q:\n%s", bad, raw)
		}
	}
	if !strings.Contains(raw, `\u003c/script\u003e`) {
		t.Errorf("expected </script> encoded as \\u003c/script\\u003e in:\n%s", raw)
	}
	if strings.Contains(body, "alert('x')</script>") {
		t.Error("example query appears unescaped in the page")
	}
	// Only our own script elements: 1 config + 3 vendor + 1 bootstrap.
	if n := strings.Count(body, "</script>"); n != 5 {
		t.Errorf("page has %d </script> tags, want 5", n)
	}

	// The title is HTML-escaped.
	if !strings.Contains(body, "<title>Actor&lt;Graph&gt; &amp; &#34;friends&#34;</title>") {
		t.Errorf("title not escaped as expected:\n%s", body)
	}
	for _, want := range []string{
		`<link rel="icon" href="data:,">`,
		`GraphiQL.createFetcher({ url: endpoint, headers: headers })`,
		`localStorage.getItem("actorgraph.apiKey")`,
		`"actorQuery":"query Actor($actor: ID!)`,
		`props.defaultTabs = tabs`,
		`props.defaultQuery = tabs[0].query`,
		`<a id="pg-explorer-link" href="/explore">Explorer</a>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestNoExamples(t *testing.T) {
	srv := httptest.NewServer(Handler("x", "/graphql", nil))
	defer srv.Close()
	m := configRE.FindStringSubmatch(page(t, srv))
	if m == nil {
		t.Fatal("no config")
	}
	var cfg struct {
		Examples []json.RawMessage `json:"examples"`
	}
	if err := json.Unmarshal([]byte(m[1]), &cfg); err != nil || cfg.Examples == nil || len(cfg.Examples) != 0 {
		t.Errorf("want empty examples array, got %s (err %v)", m[1], err)
	}
}

var refRE = regexp.MustCompile(`(?:src|href)="([^"]*)"`)

// refs returns every src/href URL in the page, HTML-unescaped.
func refs(t *testing.T, body string) []string {
	t.Helper()
	var out []string
	for _, m := range refRE.FindAllStringSubmatch(body, -1) {
		out = append(out, strings.ReplaceAll(m[1], "&amp;", "&"))
	}
	if len(out) == 0 {
		t.Fatal("page references nothing")
	}
	return out
}

func TestReferencedAssetsAreServed(t *testing.T) {
	for _, mount := range []string{"/", "/pg/"} {
		t.Run(mount, func(t *testing.T) {
			h := Handler("t", "/graphql", testExamples)
			mux := http.NewServeMux()
			if mount == "/" {
				mux.Handle("/", h)
			} else {
				mux.Handle(mount, http.StripPrefix(strings.TrimSuffix(mount, "/"), h))
			}
			srv := httptest.NewServer(mux)
			defer srv.Close()

			pageURL, _ := url.Parse(srv.URL + mount)
			res := get(t, pageURL.String())
			if res.status != http.StatusOK {
				t.Fatalf("GET %s: %d", mount, res.status)
			}
			seen := map[string]bool{}
			for _, ref := range refs(t, res.body) {
				if ref == "data:," || ref == "/explore" {
					continue
				}
				u, err := pageURL.Parse(ref)
				if err != nil {
					t.Fatalf("bad ref %q: %v", ref, err)
				}
				if u.Host != pageURL.Host {
					t.Errorf("ref %q leaves the site", ref)
					continue
				}
				ar := get(t, u.String())
				if ar.status != http.StatusOK {
					t.Errorf("GET %s: status %d", u.Path, ar.status)
					continue
				}
				ct := ar.header.Get("Content-Type")
				switch path.Ext(u.Path) {
				case ".js":
					if !strings.HasPrefix(ct, "text/javascript") {
						t.Errorf("%s: Content-Type %q", u.Path, ct)
					}
				case ".css":
					if !strings.HasPrefix(ct, "text/css") {
						t.Errorf("%s: Content-Type %q", u.Path, ct)
					}
				default:
					t.Errorf("unexpected asset type %s", u.Path)
				}
				if len(ar.body) < 1000 {
					t.Errorf("%s: body only %d bytes", u.Path, len(ar.body))
				}
				if cc := ar.header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
					t.Errorf("%s: Cache-Control %q, want immutable for versioned URL", u.Path, cc)
				}
				if ar.header.Get("ETag") == "" {
					t.Errorf("%s: no ETag", u.Path)
				}
				seen[path.Base(u.Path)] = true
			}
			for _, f := range []string{"graphiql.min.js", "graphiql.min.css", "react.production.min.js", "react-dom.production.min.js"} {
				if !seen[f] {
					t.Errorf("page does not load %s", f)
				}
			}
		})
	}
}

func TestPageHasNoOffsiteURLs(t *testing.T) {
	body := page(t, newServer(t))
	tmpl, err := fs.ReadFile(assetsFS, "assets/index.html")
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{"assets/index.html": string(tmpl), "rendered page": body} {
		if loc := regexp.MustCompile(`(?i)(https?:)?//[a-z0-9.-]+`).FindString(text); loc != "" {
			t.Errorf("%s references an absolute/off-site URL: %q", name, loc)
		}
	}
	for _, ref := range refs(t, body) {
		u, err := url.Parse(ref)
		if err != nil {
			t.Fatalf("bad ref %q: %v", ref, err)
		}
		if u.Host != "" || (u.Scheme != "" && u.Scheme != "data") {
			t.Errorf("off-site reference %q", ref)
		}
	}
}

func TestCachingAndConditionalRequests(t *testing.T) {
	srv := newServer(t)
	a := assets["vendor/graphiql.min.js"]
	if a == nil {
		t.Fatal("graphiql.min.js not embedded")
	}
	base := srv.URL + AssetPrefix + "vendor/graphiql.min.js"

	res := get(t, base) // unversioned: must revalidate
	if res.status != http.StatusOK || res.header.Get("Cache-Control") != "no-cache" {
		t.Errorf("unversioned: status %d Cache-Control %q", res.status, res.header.Get("Cache-Control"))
	}
	res = get(t, base+"?v=stale")
	if res.header.Get("Cache-Control") != "no-cache" {
		t.Errorf("stale version: Cache-Control %q", res.header.Get("Cache-Control"))
	}
	res = do(t, http.MethodGet, base, http.Header{"If-None-Match": {`"` + a.Version + `"`}})
	if res.status != http.StatusNotModified {
		t.Errorf("If-None-Match: status %d, want 304", res.status)
	}
	res = do(t, http.MethodHead, base, nil)
	if res.status != http.StatusOK || res.body != "" || !strings.HasPrefix(res.header.Get("Content-Type"), "text/javascript") {
		t.Errorf("HEAD: status %d body %d bytes ct %q", res.status, len(res.body), res.header.Get("Content-Type"))
	}
	if res := get(t, srv.URL+"/"); res.header.Get("Cache-Control") != "no-cache" {
		t.Errorf("page Cache-Control %q", res.header.Get("Cache-Control"))
	}
}

func TestUnknownPathsAndMethods(t *testing.T) {
	srv := newServer(t)
	for _, p := range []string{
		"/nope",
		"/index.html",
		"/explore",
		"/graphql",
		"/favicon.ico",
		"/playground-assets/",
		"/playground-assets/index.html",
		"/playground-assets/vendor/",
		"/playground-assets/vendor/missing.js",
		"/playground-assets/vendor/../index.html",
		"/playground-assets/assets/vendor/graphiql.min.js",
		"/assets/vendor/graphiql.min.js",
		"/vendor/graphiql.min.js",
	} {
		if res := get(t, srv.URL+p); res.status != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", p, res.status)
		}
	}
	for _, p := range []string{"/", AssetPrefix + "vendor/graphiql.min.css"} {
		res := do(t, http.MethodPost, srv.URL+p, nil)
		if res.status != http.StatusMethodNotAllowed || res.header.Get("Allow") != "GET, HEAD" {
			t.Errorf("POST %s: status %d Allow %q", p, res.status, res.header.Get("Allow"))
		}
	}
}

func TestVendorFilesEmbedded(t *testing.T) {
	want := map[string]string{
		"vendor/graphiql.min.js":             "text/javascript; charset=utf-8",
		"vendor/graphiql.min.css":            "text/css; charset=utf-8",
		"vendor/react.production.min.js":     "text/javascript; charset=utf-8",
		"vendor/react-dom.production.min.js": "text/javascript; charset=utf-8",
	}
	for name, ct := range want {
		a := assets[name]
		if a == nil {
			t.Errorf("%s not embedded; run web/playground/sync.sh", name)
			continue
		}
		if a.ContentType != ct || len(a.Body) < 1000 {
			t.Errorf("%s: content type %q, %d bytes", name, a.ContentType, len(a.Body))
		}
	}
	if len(assets) != len(want) {
		t.Errorf("embedded %d assets, want %d", len(assets), len(want))
	}
}
