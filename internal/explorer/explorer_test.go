package explorer

import (
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

// newServer mounts the handler the way the server does.
func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	h := Handler()
	mux := http.NewServeMux()
	mux.Handle(Path, h)
	mux.Handle(Path+"/", h)
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "not the explorer", http.StatusTeapot)
	}))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

type response struct {
	status int
	header http.Header
	body   string
}

var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func do(t *testing.T, method, rawURL string, hdr http.Header) response {
	t.Helper()
	req, err := http.NewRequest(method, rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	res, err := noRedirects.Do(req)
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

func get(t *testing.T, rawURL string) response { t.Helper(); return do(t, http.MethodGet, rawURL, nil) }

func getPage(t *testing.T, srv *httptest.Server) response {
	t.Helper()
	res := get(t, srv.URL+Path)
	if res.status != http.StatusOK {
		t.Fatalf("GET %s: status %d", Path, res.status)
	}
	return res
}

func TestPageServed(t *testing.T) {
	srv := newServer(t)
	res := getPage(t, srv)
	if ct := res.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cc := res.header.Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("Cache-Control %q", cc)
	}
	csp := res.header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self'", "connect-src 'self'", "style-src 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe") {
		t.Errorf("Content-Security-Policy %q allows unsafe sources", csp)
	}
	for _, want := range []string{
		"<title>actorgraph explorer</title>",
		`<link rel="icon" href="data:,">`,
		`data-graphql="/graphql"`,
		`<a id="playground-link" href="/">Playground</a>`,
		`id="cy"`,
		`id="api-key"`,
	} {
		if !strings.Contains(res.body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// No inline script or style: the CSP would block them.
	if regexp.MustCompile(`<script>|<script [^>]*>[^<]`).MatchString(res.body) {
		t.Error("page has an inline script")
	}
	if strings.Contains(res.body, "<style") || strings.Contains(res.body, " style=") {
		t.Error("page has inline styles")
	}
	if n := strings.Count(res.body, "<script"); n != 1 {
		t.Errorf("page has %d script elements, want 1", n)
	}

	// The page also answers with a query (?actor=) and to HEAD.
	if r := get(t, srv.URL+Path+"?actor=russia"); r.status != http.StatusOK || r.body != res.body {
		t.Errorf("GET %s?actor=russia: status %d", Path, r.status)
	}
	if r := do(t, http.MethodHead, srv.URL+Path, nil); r.status != http.StatusOK || r.body != "" {
		t.Errorf("HEAD %s: status %d, %d bytes", Path, r.status, len(r.body))
	}
}

func TestTrailingSlashRedirects(t *testing.T) {
	srv := newServer(t)
	res := get(t, srv.URL+Path+"/?actor=russia")
	if res.status != http.StatusFound || res.header.Get("Location") != Path+"?actor=russia" {
		t.Errorf("GET %s/: status %d Location %q", Path, res.status, res.header.Get("Location"))
	}
}

var refRE = regexp.MustCompile(`(?:src|href)="([^"]*)"`)

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

func TestAssetsServedWithContentTypes(t *testing.T) {
	srv := newServer(t)
	pageURL, _ := url.Parse(srv.URL + Path)
	seen := map[string]bool{}
	for _, ref := range refs(t, getPage(t, srv).body) {
		if ref == "data:," || ref == Playground {
			continue
		}
		u, err := pageURL.Parse(ref)
		if err != nil {
			t.Fatalf("bad ref %q: %v", ref, err)
		}
		if u.Host != pageURL.Host || !strings.HasPrefix(u.Path, AssetPrefix) {
			t.Errorf("ref %q is not an explorer asset", ref)
			continue
		}
		res := get(t, u.String())
		if res.status != http.StatusOK {
			t.Errorf("GET %s: status %d", u.Path, res.status)
			continue
		}
		want := map[string]string{".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}[path.Ext(u.Path)]
		if ct := res.header.Get("Content-Type"); want == "" || ct != want {
			t.Errorf("%s: Content-Type %q, want %q", u.Path, ct, want)
		}
		if res.header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", u.Path)
		}
		if cc := res.header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Errorf("%s: Cache-Control %q, want immutable for a versioned URL", u.Path, cc)
		}
		seen[path.Base(u.Path)] = true
	}
	for _, f := range []string{"explorer.js", "explorer.css"} {
		if !seen[f] {
			t.Errorf("page does not load %s", f)
		}
	}
	res := get(t, srv.URL+AssetPrefix+"licenses.txt")
	if res.status != http.StatusOK || res.header.Get("Content-Type") != "text/plain; charset=utf-8" ||
		!strings.Contains(res.body, "cytoscape-fcose") || !strings.Contains(res.body, "MIT") {
		t.Errorf("licenses.txt: status %d, Content-Type %q", res.status, res.header.Get("Content-Type"))
	}
}

func TestBundleIsBuilt(t *testing.T) {
	js := assets["explorer.js"]
	if js == nil || len(js.Body) < 200_000 {
		t.Fatal("explorer.js missing or too small; run web/explorer/build.sh")
	}
	body := string(js.Body)
	for _, want := range []string{"cytoscape 3.", "cytoscape-fcose 2.", "fcose", "__explorer", "Bearer "} {
		if !strings.Contains(body, want) {
			t.Errorf("explorer.js lacks %q", want)
		}
	}
	if len(assets) != 3 {
		t.Errorf("embedded %d assets, want 3 (explorer.js, explorer.css, licenses.txt)", len(assets))
	}
}

var offsite = regexp.MustCompile(`(?i)(https?:)?//[a-z0-9.-]+\.[a-z]`)

func TestNoOffsiteURLs(t *testing.T) {
	body := getPage(t, newServer(t)).body
	tmpl, err := fs.ReadFile(assetsFS, "assets/index.html")
	if err != nil {
		t.Fatal(err)
	}
	css := string(assets["explorer.css"].Body)
	for name, text := range map[string]string{"assets/index.html": string(tmpl), "rendered page": body, "explorer.css": css} {
		if loc := offsite.FindString(text); loc != "" {
			t.Errorf("%s references an absolute/off-site URL: %q", name, loc)
		}
	}
	if strings.Contains(css, "url(") || strings.Contains(css, "@import") {
		t.Error("explorer.css loads other files")
	}
	// The bundle may hold URLs in strings (none today), but never fetches
	// anything but the GraphQL endpoint: no other fetch/XHR/import targets.
	js := string(assets["explorer.js"].Body)
	if loc := regexp.MustCompile(`https?://[a-z0-9.-]+`).FindString(js); loc != "" {
		t.Errorf("explorer.js mentions %q", loc)
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
	a := assets["explorer.js"]
	base := srv.URL + AssetPrefix + "explorer.js"
	if res := get(t, base); res.status != http.StatusOK || res.header.Get("Cache-Control") != "no-cache" {
		t.Errorf("unversioned: status %d Cache-Control %q", res.status, res.header.Get("Cache-Control"))
	}
	if res := get(t, base+"?v=stale"); res.header.Get("Cache-Control") != "no-cache" {
		t.Errorf("stale version: Cache-Control %q", res.header.Get("Cache-Control"))
	}
	if res := do(t, http.MethodGet, base, http.Header{"If-None-Match": {`"` + a.Version + `"`}}); res.status != http.StatusNotModified {
		t.Errorf("If-None-Match: status %d, want 304", res.status)
	}
	if res := do(t, http.MethodHead, base, nil); res.status != http.StatusOK || res.body != "" {
		t.Errorf("HEAD: status %d, %d bytes", res.status, len(res.body))
	}
}

func TestUnknownPathsAndMethods(t *testing.T) {
	srv := newServer(t)
	for _, p := range []string{
		"/explore/nope",
		"/explore/index.html",
		"/explore/assets/",
		"/explore/assets/index.html",
		"/explore/assets/missing.js",
		"/explore/assets/assets/explorer.js",
		"/explore/explorer.js",
	} {
		if res := get(t, srv.URL+p); res.status != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", p, res.status)
		}
	}
	// Paths outside /explore are not the explorer's.
	if res := get(t, srv.URL+"/explorer"); res.status != http.StatusTeapot {
		t.Errorf("GET /explorer reached the explorer: status %d", res.status)
	}
	for _, p := range []string{Path, AssetPrefix + "explorer.js"} {
		res := do(t, http.MethodPost, srv.URL+p, nil)
		if res.status != http.StatusMethodNotAllowed || res.header.Get("Allow") != "GET, HEAD" {
			t.Errorf("POST %s: status %d Allow %q", p, res.status, res.header.Get("Allow"))
		}
	}
	// Called directly (not through a mux), other paths are 404 too.
	rec := httptest.NewRecorder()
	Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("GET / on the bare handler: %d", rec.Code)
	}
}
