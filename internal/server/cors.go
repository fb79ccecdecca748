package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/rs/cors"
)

// CORS returns middleware that lets pages served from the allowed origins
// call the server from a browser (a frontend on another host or port): GET,
// POST and OPTIONS, with the Content-Type, Authorization and X-API-Key
// request headers. Preflight requests are answered here, before the API
// key check, as browsers send them without credentials. No cookies are
// allowed (keys travel in headers), so credentials are not enabled.
//
// allowed holds origins as ParseCORSOrigins returns them: "scheme://host[:port]",
// one "*" wildcard in a host ("https://*.example.org"), or "*" alone for
// any origin. With none — the default — the middleware changes nothing: no
// CORS headers at all, so browsers keep other origins out.
//
// CORS is github.com/rs/cors, not hand-written headers: it handles Vary,
// preflight caching and the spec's corner cases.
func CORS(allowed []string) func(http.Handler) http.Handler {
	var origins []string
	for _, o := range allowed {
		if o = strings.TrimSuffix(strings.TrimSpace(o), "/"); o != "" {
			origins = append(origins, o)
		}
	}
	if len(origins) == 0 {
		// rs/cors would read an empty list as "every origin".
		return func(next http.Handler) http.Handler { return next }
	}
	c := cors.New(cors.Options{
		AllowedOrigins: origins,
		AllowedMethods: []string{http.MethodGet, http.MethodPost, http.MethodOptions},
		AllowedHeaders: []string{"Content-Type", "Authorization", "X-API-Key"},
		// What a frontend may read of a response besides the simple headers:
		// an export's file name and truncation flag, a 429/503's retry hint.
		ExposedHeaders: []string{"Content-Disposition", "X-Actorgraph-Truncated", "Retry-After"},
		MaxAge:         600, // seconds a browser may cache a preflight
	})
	return c.Handler
}

// ParseCORSOrigins reads a comma-separated allowlist, as the --cors-origins
// flag and ACTORGRAPH_CORS_ORIGINS take it: each entry an origin
// "http(s)://host[:port]" (a trailing slash is dropped; no path, query or
// user), a host with one "*" wildcard, or "*" for any origin. Empty entries
// are skipped; an empty string allows none.
func ParseCORSOrigins(s string) ([]string, error) {
	var out []string
	for _, raw := range strings.Split(s, ",") {
		o := strings.TrimSpace(raw)
		if o == "" {
			continue
		}
		if o == "*" {
			out = append(out, o)
			continue
		}
		o = strings.TrimSuffix(o, "/")
		u, err := url.Parse(strings.Replace(o, "*", "wildcard", 1))
		switch {
		case err != nil:
			return nil, fmt.Errorf("CORS origin %q: %v", o, err)
		case u.Scheme != "http" && u.Scheme != "https":
			return nil, fmt.Errorf("CORS origin %q: want http://host[:port] or https://host[:port]", o)
		case u.Host == "" || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil || u.Opaque != "":
			return nil, fmt.Errorf("CORS origin %q: an origin is scheme://host[:port], nothing more", o)
		case strings.Count(o, "*") > 1:
			return nil, fmt.Errorf("CORS origin %q: at most one * wildcard", o)
		}
		out = append(out, strings.ToLower(o))
	}
	return out, nil
}
