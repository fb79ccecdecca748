package auth

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/actorgraph/actorgraph/internal/playground"
)

// Principal is who sent a request. It holds no key material.
type Principal struct {
	Name      string // the key's name; "anonymous" for anonymous requests
	Role      Role
	Anonymous bool // no key was needed (no keys configured, or an exempt path)
}

// String returns e.g. `key "ci-bot" (write)` or "anonymous (read)".
func (p Principal) String() string {
	if p.Anonymous {
		return "anonymous (" + p.Role.String() + ")"
	}
	return fmt.Sprintf("key %q (%s)", p.Name, p.Role)
}

// LogValue logs the principal's name, role and whether it is anonymous.
func (p Principal) LogValue() slog.Value {
	return slog.GroupValue(slog.String("name", p.Name), slog.String("role", p.Role.String()), slog.Bool("anonymous", p.Anonymous))
}

type ctxKey struct{}

// NewContext returns ctx carrying p. The middleware does this for every
// request; CLI commands that write directly (ingest, import) and tests of
// resolvers use it to act as a principal.
func NewContext(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// FromContext returns the principal the middleware put in ctx.
func FromContext(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(ctxKey{}).(Principal)
	return p, ok
}

// Error codes, as GraphQL extensions.code values.
const (
	CodeUnauthenticated = "UNAUTHENTICATED"
	CodeForbidden       = "FORBIDDEN"
)

// Error is an authorisation failure. The GraphQL error presenter maps it with
// errors.As: extensions.code = Code, message = Message.
//
// A GraphQL FORBIDDEN keeps HTTP status 200: under the GraphQL-over-HTTP
// spec a request that reached execution is answered 200 with the error in the
// "errors" list (other fields of the same request may have succeeded, and
// clients read the code, not the status). 401 and 403 are for places where
// HTTP itself decides: the middleware's 401 before any GraphQL runs, and
// HTTPStatus for plain HTTP endpoints such as a future REST export.
type Error struct {
	Code    string // CodeUnauthenticated or CodeForbidden
	Message string // safe to show the client; never holds key material
}

func (e *Error) Error() string { return e.Message }

// HTTPStatus is 401 for UNAUTHENTICATED and 403 for FORBIDDEN.
func (e *Error) HTTPStatus() int {
	if e.Code == CodeUnauthenticated {
		return http.StatusUnauthorized
	}
	return http.StatusForbidden
}

// WriteHTTP answers a plain HTTP request with e: its status, a
// "WWW-Authenticate: Bearer" challenge for 401, and the GraphQL-shaped error
// body the rest of the server uses.
func (e *Error) WriteHTTP(w http.ResponseWriter) {
	if e.Code == CodeUnauthenticated {
		w.Header().Set("WWW-Authenticate", `Bearer realm="actorgraph"`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(e.HTTPStatus())
	json.NewEncoder(w).Encode(map[string]any{
		"errors": []map[string]any{{"message": e.Message, "extensions": map[string]any{"code": e.Code}}},
	})
}

// Require returns nil if the request's principal has at least role min, and
// an *Error otherwise: UNAUTHENTICATED when there is no principal (the
// middleware did not run: fail closed) or no key on a server that has keys,
// FORBIDDEN when the role is too low or the server takes no anonymous writes.
func Require(ctx context.Context, min Role) error {
	p, ok := FromContext(ctx)
	if !ok || (p.Anonymous && p.Role == RoleNone) {
		return &Error{Code: CodeUnauthenticated, Message: "an API key is required: send \"Authorization: Bearer <key>\""}
	}
	if p.Role.Includes(min) {
		return nil
	}
	if p.Anonymous {
		if min == RoleWrite {
			return &Error{Code: CodeForbidden, Message: "this server is read-only: it has no API keys and was not started with --allow-anonymous-writes"}
		}
		return &Error{Code: CodeForbidden, Message: fmt.Sprintf("this operation needs an API key with role %s", min)}
	}
	return &Error{Code: CodeForbidden, Message: fmt.Sprintf("this operation needs role %s; the API key sent has role %s", min, p.Role)}
}

// Policy decides who may do what; its Middleware applies it to requests.
type Policy struct {
	// Keys are the accepted keys; nil or empty means none are configured.
	Keys *Keyring
	// AllowAnonymousWrites lets anonymous requests write when no keys are
	// configured (local use only). It has no effect when keys are configured.
	AllowAnonymousWrites bool
	// Exempt reports requests that need no key even when keys are
	// configured (health, metrics, the playground's static files). Nil
	// exempts nothing; the server passes DefaultExempt.
	Exempt func(*http.Request) bool
}

// DefaultExempt exempts what a load balancer, Prometheus or a browser needs
// before it can hold a key: /livez, /readyz, /metrics (counters and latencies,
// no graph data), the playground page at "/" and its assets, and CORS
// preflight (OPTIONS) requests, which browsers send without credentials and
// which return no data.
func DefaultExempt(r *http.Request) bool {
	if r.Method == http.MethodOptions {
		return true
	}
	switch p := r.URL.Path; {
	case p == "/livez", p == "/readyz", p == "/metrics", p == "/":
		return true
	case strings.HasPrefix(p, playground.AssetPrefix):
		return true
	case p == "/explore", strings.HasPrefix(p, "/explore/"):
		// The explorer's page and assets; its GraphQL calls carry the key.
		return true
	}
	return false
}

// anonymous is the principal of a request without a key.
func (p Policy) anonymous() Principal {
	a := Principal{Name: "anonymous", Anonymous: true}
	switch {
	case !p.Keys.Empty():
		a.Role = RoleNone // only reaches exempt paths
	case p.AllowAnonymousWrites:
		a.Role = RoleWrite
	default:
		a.Role = RoleRead
	}
	return a
}

// Insecure reports whether anyone who can reach the server may write: no keys
// and AllowAnonymousWrites. The server should log Describe as a warning then.
func (p Policy) Insecure() bool { return p.Keys.Empty() && p.AllowAnonymousWrites }

// Describe is a one-line account of the policy for the start-up log.
func (p Policy) Describe() string {
	switch {
	case !p.Keys.Empty() && p.AllowAnonymousWrites:
		return fmt.Sprintf("API keys required (%s): reads need any key, mutations a write key; --allow-anonymous-writes is ignored because keys are configured", p.Keys)
	case !p.Keys.Empty():
		return fmt.Sprintf("API keys required (%s): reads need any key, mutations a write key", p.Keys)
	case p.AllowAnonymousWrites:
		return "no API keys configured and --allow-anonymous-writes is set: ANYONE who can reach this server may change the graph; use this only for local work"
	default:
		return "no API keys configured: anonymous read-only access, mutations are refused (create a key with \"actorgraph keys create\", or use --allow-anonymous-writes for local work)"
	}
}

// String is Describe.
func (p Policy) String() string { return p.Describe() }

// LogValue logs the policy without key material.
func (p Policy) LogValue() slog.Value {
	return slog.GroupValue(slog.Any("keys", p.Keys), slog.Bool("allow_anonymous_writes", p.AllowAnonymousWrites))
}

// maxKeyLen bounds the credential the middleware hashes; real keys are 55
// characters.
const maxKeyLen = 512

// credential extracts the key from "Authorization: Bearer <key>" or
// "X-API-Key: <key>". present reports whether the request tried to send one;
// a non-nil error means it did so in a way that cannot be accepted.
func credential(r *http.Request) (key string, present bool, err *Error) {
	var fromAuth, fromHeader string
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, tok, ok := strings.Cut(strings.TrimSpace(h), " ")
		tok = strings.TrimSpace(tok)
		if !ok || !strings.EqualFold(scheme, "Bearer") || tok == "" {
			return "", true, &Error{Code: CodeUnauthenticated, Message: "unsupported Authorization header: send \"Authorization: Bearer <key>\""}
		}
		fromAuth = tok
	}
	fromHeader = strings.TrimSpace(r.Header.Get("X-API-Key"))
	switch {
	case fromAuth != "" && fromHeader != "" && fromAuth != fromHeader:
		return "", true, &Error{Code: CodeUnauthenticated, Message: "the Authorization and X-API-Key headers hold different keys"}
	case fromAuth != "":
		key = fromAuth
	case fromHeader != "":
		key = fromHeader
	default:
		return "", false, nil
	}
	if len(key) > maxKeyLen {
		return "", true, errInvalidKey
	}
	return key, true, nil
}

var (
	errNoKey      = &Error{Code: CodeUnauthenticated, Message: "an API key is required: send \"Authorization: Bearer <key>\""}
	errInvalidKey = &Error{Code: CodeUnauthenticated, Message: "the API key is not valid"}
)

// Middleware puts the request's Principal in its context. With keys
// configured, a request on a path that is not exempt and without a known key
// gets 401 (WWW-Authenticate: Bearer, extensions.code UNAUTHENTICATED) and
// never reaches next. Without keys, every request is anonymous (a key sent
// anyway is ignored). Exempt requests pass with the key's principal if they
// carry a valid one, and an anonymous one otherwise.
func (p Policy) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		principal := p.anonymous()
		if !p.Keys.Empty() {
			key, present, cerr := credential(r)
			var (
				found Principal
				ok    bool
			)
			if cerr == nil && present {
				found, ok = p.Keys.Lookup(key)
			}
			exempt := p.Exempt != nil && p.Exempt(r)
			switch {
			case ok:
				principal = found
			case !present && isWebsocket(r) && r.URL.Path == "/graphql":
				// Browsers cannot set headers on a websocket: the key comes
				// in the connection_init payload instead (WebsocketInit).
				// No principal until then, so nothing runs without a key.
				next.ServeHTTP(w, r)
				return
			case exempt:
			case cerr != nil:
				cerr.WriteHTTP(w)
				return
			case !present:
				errNoKey.WriteHTTP(w)
				return
			default:
				errInvalidKey.WriteHTTP(w)
				return
			}
		}
		next.ServeHTTP(w, r.WithContext(NewContext(r.Context(), principal)))
	})
}

func isWebsocket(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}

// WebsocketInit authenticates a websocket from its connection_init payload
// ("Authorization": "Bearer <key>", or "apiKey": "<key>") when the upgrade
// request carried no key. It returns the context the connection's
// operations run in; an error closes the connection.
func (p Policy) WebsocketInit(ctx context.Context, payload map[string]any) (context.Context, error) {
	if _, ok := FromContext(ctx); ok {
		return ctx, nil // the upgrade request was authenticated
	}
	if p.Keys.Empty() {
		return NewContext(ctx, p.anonymous()), nil
	}
	key, _ := payload["apiKey"].(string)
	if auth, _ := payload["Authorization"].(string); auth != "" {
		scheme, token, found := strings.Cut(auth, " ")
		if !found || !strings.EqualFold(scheme, "Bearer") {
			return ctx, errInvalidKey
		}
		key = strings.TrimSpace(token)
	}
	if key == "" {
		return ctx, errNoKey
	}
	principal, ok := p.Keys.Lookup(key)
	if !ok {
		return ctx, errInvalidKey
	}
	return NewContext(ctx, principal), nil
}
