// Package explorer serves the built-in graph explorer: a page where an analyst
// searches an actor, expands its neighbourhood by double-click, filters by
// relation type, attribution, status and date, reads the evidence of a
// relation, finds paths and exports the view (PNG, Cytoscape.js JSON,
// networkx node-link JSON). It is Cytoscape.js with the fcose layout, bundled
// by esbuild and embedded in the binary, and it talks to the server only
// through the public GraphQL API at /graphql (sending the API key the analyst
// enters as "Authorization: Bearer <key>"), so it works on a closed network
// and needs nothing a user's own frontend would not have.
//
// # URL scheme
//
// Handler answers, at these absolute paths:
//
//	/explore                       the page (GET, HEAD); ?actor=<id> starts from that actor
//	/explore/                      redirect to /explore (query kept)
//	/explore/assets/<file>         explorer.js, explorer.css, licenses.txt (GET, HEAD)
//
// Everything else under /explore/ is 404. Mount it with
//
//	ex := explorer.Handler()
//	mux.Handle(explorer.Path, ex)
//	mux.Handle(explorer.Path+"/", ex)
//
// The page loads nothing from other origins (no CDN, no web fonts, the
// favicon is an inline data: URL) and is sent with a Content-Security-Policy
// that allows only this origin. Its header links to the playground at
// "/?actor=<id>" for the actor in focus.
//
// Asset URLs carry a content hash (?v=); a request with the current hash is
// cached for a year as immutable, anything else must revalidate (ETag). The
// page itself is sent with Cache-Control: no-cache.
//
// # Built files
//
// assets/ is written by web/explorer/build.sh from the sources in
// web/explorer/src and the npm packages pinned in web/explorer/package-lock.json.
// Do not edit it by hand: change web/explorer/src, then run build.sh; CI runs
// "web/explorer/build.sh --check" to verify the committed copies.
package explorer

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/actorgraph/actorgraph/internal/webasset"
)

// Path is where the explorer page is served; its assets are under Path+"/assets/".
const Path = "/explore"

// AssetPrefix is the absolute path under which the embedded assets are served.
const AssetPrefix = Path + "/assets/"

// Endpoint is the GraphQL endpoint the page talks to; Playground is the page
// it links to (with ?actor=<id>).
const (
	Endpoint   = "/graphql"
	Playground = "/"
)

// csp allows this origin only. Inline scripts and style attributes are not
// needed: the page's script and stylesheet are files, and styles set from
// JavaScript go through the CSSOM, which CSP does not restrict. The one
// exception is the <style> element Cytoscape.js adds to <head> on start
// (".__________cytoscape_container { position: relative; }"), allowed by its
// hash: cytoscapeStyleHash. img-src allows data: and blob: for the favicon
// and the PNG export.
const csp = "default-src 'none'; script-src 'self'; style-src 'self' '" + cytoscapeStyleHash + "'; " +
	"img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"

// cytoscapeStyleHash is the CSP hash of the stylesheet Cytoscape.js injects
// (BaseRenderer.init in cytoscape 3.x). If an upgrade changes its text, the
// browser test fails on the CSP violation it logs.
const cytoscapeStyleHash = "sha256-pgvDUBa4IjFA2yuSJ2cqcyxmNYJMborsd0ORcRv9vw8="

//go:embed assets
var assetsFS embed.FS

var contentTypes = map[string]string{
	".js":  "text/javascript; charset=utf-8",
	".css": "text/css; charset=utf-8",
	".txt": "text/plain; charset=utf-8",
}

var (
	pageTmpl = template.Must(template.ParseFS(assetsFS, "assets/index.html"))
	// assets maps a file name below AssetPrefix ("explorer.js") to its file.
	assets = webasset.MustLoad(assetsFS, "assets", "assets/", contentTypes)
	page   = mustRenderPage()
)

// pageData is the data of assets/index.html.
type pageData struct {
	Title, Endpoint, Playground string
}

// Asset returns the absolute, versioned URL of the embedded file name
// ("explorer.js"); unknown names are a template error.
func (pageData) Asset(name string) (string, error) {
	a, ok := assets[name]
	if !ok {
		return "", fmt.Errorf("explorer: no embedded asset %q", name)
	}
	return AssetPrefix + name + "?v=" + a.Version, nil
}

func mustRenderPage() []byte {
	var buf bytes.Buffer
	err := pageTmpl.Execute(&buf, pageData{Title: "actorgraph explorer", Endpoint: Endpoint, Playground: Playground})
	if err != nil {
		// The template is embedded and static; failing here is a bug caught by tests.
		panic(fmt.Sprintf("explorer: rendering page: %v", err))
	}
	return buf.Bytes()
}

// Handler serves the explorer page at /explore and its assets under
// /explore/assets/ (see the package comment).
func Handler() http.Handler { return handler{} }

type handler struct{}

func (handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	var serve func()
	switch {
	case p == Path:
		serve = func() { servePage(w, r) }
	case p == Path+"/":
		serve = func() {
			target := Path
			if r.URL.RawQuery != "" {
				target += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, target, http.StatusFound)
		}
	case strings.HasPrefix(p, AssetPrefix):
		a, ok := assets[strings.TrimPrefix(p, AssetPrefix)]
		if !ok {
			http.NotFound(w, r)
			return
		}
		serve = func() { a.ServeHTTP(w, r) }
	default:
		http.NotFound(w, r)
		return
	}
	if webasset.ReadOnly(w, r) {
		serve()
	}
}

func servePage(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("Content-Type", "text/html; charset=utf-8")
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set("Content-Security-Policy", csp)
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Referrer-Policy", "same-origin")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(page))
}
