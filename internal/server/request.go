package server

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
)

// Codes of the errors the HTTP layer answers before GraphQL runs.
const (
	codeBadRequest       = "BAD_REQUEST"
	codeTooLarge         = "PAYLOAD_TOO_LARGE"
	codeUnsupportedMedia = "UNSUPPORTED_MEDIA_TYPE"
	codeMethodNotAllowed = "METHOD_NOT_ALLOWED"
)

// checkRequest admits only the GraphQL-over-HTTP requests gqlgen's
// transports handle without an uncoded error, and answers everything else
// itself with a JSON error that has extensions.code and never quotes the
// request: gqlgen's POST transport echoes the whole body in its decode error
// ("… body:[…]"), and its "transport not supported" and GET errors carry no
// code.
//
//   - POST needs Content-Type application/json (415 otherwise: text/plain,
//     form and multipart bodies are what a browser sends cross-origin without
//     a CORS preflight) and a body of at most max bytes (413) that is one JSON
//     object whose query, operationName, variables and extensions have the
//     right JSON types (400; a batched array is refused here too).
//   - GET needs a well-formed query string whose variables and extensions are
//     JSON objects (400); a mutation over GET gets 405 (see getGuard).
//   - Other methods get 405, OPTIONS and websocket upgrades pass.
func checkRequest(max int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodOptions, r.Method == http.MethodHead, isUpgrade(r):
			next.ServeHTTP(w, r)
		case r.Method == http.MethodGet:
			if msg := checkGET(r.URL.RawQuery); msg != "" {
				writeError(w, http.StatusBadRequest, codeBadRequest, msg)
				return
			}
			next.ServeHTTP(&getGuard{ResponseWriter: w}, r)
		case r.Method == http.MethodPost:
			body, status, code, msg := readPOST(max, r)
			if msg != "" {
				writeError(w, status, code, msg)
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
			r.ContentLength = int64(len(body))
			next.ServeHTTP(w, r)
		default:
			w.Header().Set("Allow", "GET, POST, OPTIONS")
			writeError(w, http.StatusMethodNotAllowed, codeMethodNotAllowed, "use GET for queries and POST for queries and mutations")
		}
	})
}

func isUpgrade(r *http.Request) bool { return r.Header.Get("Upgrade") != "" }

// readPOST reads and checks a POST body; msg is empty when it is acceptable.
func readPOST(max int64, r *http.Request) (body []byte, status int, code, msg string) {
	ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || ct != "application/json" {
		return nil, http.StatusUnsupportedMediaType, codeUnsupportedMedia,
			"POST requests to /graphql must have Content-Type: application/json"
	}
	if r.ContentLength > max {
		return nil, http.StatusRequestEntityTooLarge, codeTooLarge, "request body is larger than the limit"
	}
	if r.Body == nil {
		return nil, http.StatusBadRequest, codeBadRequest, "the request body is empty"
	}
	body, err = io.ReadAll(io.LimitReader(r.Body, max+1))
	if err != nil {
		return nil, http.StatusBadRequest, codeBadRequest, "could not read the request body"
	}
	if int64(len(body)) > max {
		return nil, http.StatusRequestEntityTooLarge, codeTooLarge, "request body is larger than the limit"
	}
	if msg := checkParams(body); msg != "" {
		return nil, http.StatusBadRequest, codeBadRequest, msg
	}
	return body, 0, "", ""
}

// params are the members of a GraphQL request gqlgen decodes; json.RawMessage
// lets each be checked for its JSON type without echoing its value.
type params struct {
	Query         json.RawMessage `json:"query"`
	OperationName json.RawMessage `json:"operationName"`
	Variables     json.RawMessage `json:"variables"`
	Extensions    json.RawMessage `json:"extensions"`
}

// checkParams returns "" if body is one JSON object with well-typed members,
// else a message naming what is wrong (never quoting the body).
func checkParams(body []byte) string {
	if !json.Valid(body) {
		return "the request body is not valid JSON"
	}
	switch firstByte(body) {
	case '{':
	case '[':
		return "batched requests (a JSON array) are not supported: send one JSON object per request"
	default:
		return "the request body must be a JSON object with a query"
	}
	var p params
	if err := json.Unmarshal(body, &p); err != nil {
		return "the request body must be a JSON object with a query"
	}
	for _, m := range []struct {
		name string
		raw  json.RawMessage
		want byte
	}{{"query", p.Query, '"'}, {"operationName", p.OperationName, '"'}, {"variables", p.Variables, '{'}, {"extensions", p.Extensions, '{'}} {
		if b := firstByte(m.raw); b != 0 && b != 'n' && b != m.want {
			if m.want == '"' {
				return m.name + " must be a string"
			}
			return m.name + " must be a JSON object"
		}
	}
	return ""
}

// firstByte is the first non-space byte of a JSON text (0 when empty).
func firstByte(b []byte) byte {
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 {
		return 0
	}
	return b[0]
}

// checkGET returns "" if a GET query string is one gqlgen decodes, else a
// message naming what is wrong.
func checkGET(rawQuery string) string {
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return "the query string is malformed"
	}
	for _, name := range []string{"variables", "extensions"} {
		if v := q.Get(name); v != "" && (!json.Valid([]byte(v)) || firstByte([]byte(v)) != '{') {
			return name + " must be a JSON object"
		}
	}
	return ""
}

// getGuard replaces gqlgen's uncoded 406 "GET requests only allow query
// operations" (a mutation or subscription sent with GET, possibly as a
// persisted query, so only gqlgen knows the operation) with a coded 405.
type getGuard struct {
	http.ResponseWriter
	replaced bool
}

func (g *getGuard) WriteHeader(status int) {
	if status == http.StatusNotAcceptable {
		g.replaced = true
		g.Header().Set("Allow", "POST")
		writeError(g.ResponseWriter, http.StatusMethodNotAllowed, codeMethodNotAllowed, "mutations and subscriptions must be sent with POST")
		return
	}
	g.ResponseWriter.WriteHeader(status)
}

func (g *getGuard) Write(b []byte) (int, error) {
	if g.replaced {
		return len(b), nil // gqlgen's own error body
	}
	return g.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (g *getGuard) Unwrap() http.ResponseWriter { return g.ResponseWriter }
