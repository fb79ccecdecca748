// Package playground serves an offline GraphiQL playground whose JavaScript and
// CSS are embedded in the binary, so it works on networks without CDN access
// (gqlgen's stock playground loads GraphiQL from a CDN and stays blank there).
//
// # URL scheme
//
// Handler answers exactly two kinds of paths, relative to where it is mounted:
//
//	/                                   the playground page (GET, HEAD)
//	/playground-assets/vendor/<file>    embedded vendor files (GET, HEAD)
//
// Every other path gets 404. The page refers to its assets with relative URLs
// ("playground-assets/vendor/graphiql.min.js?v=<hash>"), so the handler works
// both mounted at the server root
//
//	mux.Handle("/", playground.Handler("ActorGraph", "/graphql", examples))
//
// and under a subtree with the prefix stripped
//
//	mux.Handle("/pg/", http.StripPrefix("/pg", playground.Handler(...)))
//
// The page loads nothing from other origins: no CDN, no web fonts, and the
// favicon is an inline data: URL. Its header links to /explore (absolute).
//
// Asset URLs carry a content hash (?v=); a request with the current hash is
// cached for a year as immutable, anything else must revalidate (ETag). The
// page itself is sent with Cache-Control: no-cache.
//
// # Vendored files
//
// assets/vendor holds graphiql.min.js, graphiql.min.css (graphiql 3.x) and the
// React 18 UMD builds, copied from the npm packages pinned in
// web/playground/package-lock.json by web/playground/sync.sh. Do not edit them
// by hand: change web/playground/package.json, then run sync.sh; CI runs
// "web/playground/sync.sh --check" to verify the committed copies.
//
// GraphiQL remembers open tabs in the browser's localStorage; the examples are
// the initial tabs for a browser that has no saved tabs for this origin.
package playground

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

// AssetPrefix is the path, relative to the handler's mount point, under which
// the embedded assets are served.
const AssetPrefix = "/playground-assets/"

//go:embed assets
var assetsFS embed.FS

// Example is one pre-filled tab.
type Example struct {
	Name, Query string
	Variables   string
}

var (
	pageTmpl = template.Must(template.ParseFS(assetsFS, "assets/index.html"))
	// assets maps a path below AssetPrefix ("vendor/graphiql.min.js") to its file.
	assets = webasset.MustLoad(assetsFS, "assets/vendor", "assets/", contentTypes)
)

var contentTypes = map[string]string{
	".js":  "text/javascript; charset=utf-8",
	".css": "text/css; charset=utf-8",
}

// pageConfig is the JSON configuration read by the page's bootstrap script.
type pageConfig struct {
	Endpoint string        `json:"endpoint"`
	Examples []exampleJSON `json:"examples"`
	// ActorQuery is the tab opened for /?actor=<id> (with $actor set).
	ActorQuery string `json:"actorQuery"`
}

// actorQuery shows one actor with its relations both ways and its
// neighbourhood: what an analyst coming from the explorer wants next.
const actorQuery = `query Actor($actor: ID!) {
  node(id: $actor) {
    ... on Actor {
      name
      kind
      aliases
      outgoing(first: 20) { totalCount nodes { type to { name } attribution status evidence { quote } } }
      incoming(first: 20) { totalCount nodes { type from { name } attribution status evidence { quote } } }
    }
  }
  neighborhood(actor: $actor) { nodes { id name } edges { id type } }
}`

type exampleJSON struct {
	Name      string `json:"name"`
	Query     string `json:"query"`
	Variables string `json:"variables,omitempty"`
}

// pageData is the data of assets/index.html.
type pageData struct {
	Title  string
	Config pageConfig
}

// Asset returns the relative, versioned URL of the embedded file name
// ("vendor/graphiql.min.js"); unknown names are a template error.
func (pageData) Asset(name string) (string, error) {
	a, ok := assets[name]
	if !ok {
		return "", fmt.Errorf("playground: no embedded asset %q", name)
	}
	return strings.TrimPrefix(AssetPrefix, "/") + name + "?v=" + a.Version, nil
}

// Handler serves the playground page at the path it is mounted on and its
// assets under <mount>/playground-assets/ (see the package comment). The page
// sends queries to endpoint and opens one tab per example, in order; the first
// example is also GraphiQL's default query.
func Handler(title, endpoint string, examples []Example) http.Handler {
	data := pageData{
		Title:  title,
		Config: pageConfig{Endpoint: endpoint, Examples: make([]exampleJSON, 0, len(examples)), ActorQuery: actorQuery},
	}
	for _, ex := range examples {
		data.Config.Examples = append(data.Config.Examples, exampleJSON(ex))
	}
	var buf bytes.Buffer
	if err := pageTmpl.Execute(&buf, data); err != nil {
		// The template is embedded and static; failing here is a bug caught by tests.
		panic(fmt.Sprintf("playground: rendering page: %v", err))
	}
	return &handler{page: buf.Bytes()}
}

type handler struct {
	page []byte
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	var serve func()
	switch {
	case p == "/":
		serve = func() { h.servePage(w, r) }
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

func (h *handler) servePage(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("Content-Type", "text/html; charset=utf-8")
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Referrer-Policy", "same-origin")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(h.page))
}
