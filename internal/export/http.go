package export

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/actorgraph/actorgraph/internal/actorref"
	"github.com/actorgraph/actorgraph/internal/store"
)

// MaxConcurrent bounds the exports one handler runs at a time; more get 429.
const MaxConcurrent = 4

// writeSlack is how long a write may take: the response's write deadline is
// pushed this far ahead as the export makes progress, so a large export is
// not cut off by the server's WriteTimeout while a stalled client still is.
const writeSlack = time.Minute

// Handler serves exports: GET (or HEAD) /export/{format}?actor=&depth=&
// direction=&types=&attribution=&status=&from=&to=&on=&version= (see
// ParseQuery). It is mounted at "/export/" (or as "GET /export/{format}"):
// the format is the last segment of the path.
//
// Bad parameters get 400 with a GraphQL-shaped error body whose
// extensions name the code (BAD_USER_INPUT) and the parameter (field); an
// unknown format, or an actor no id, name or alias names, gets 404
// (NOT_FOUND); a name several actors share gets 400 with the candidates'
// ids in extensions.candidates, as the GraphQL arguments do. The body is streamed; an error after the first
// bytes were sent aborts the connection, so a client never mistakes a cut
// export for a whole one.
func Handler(s store.Store) http.Handler {
	sem := make(chan struct{}, MaxConcurrent)
	log := slog.Default()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			writeError(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "", "exports are read with GET")
			return
		}
		name := r.PathValue("format")
		if name == "" && !strings.HasSuffix(r.URL.Path, "/") {
			name = path.Base(r.URL.Path)
		}
		f, err := ParseFormat(name)
		if err != nil {
			writeError(w, http.StatusNotFound, "NOT_FOUND", "format", err.Error())
			return
		}
		vals, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			writeError(w, http.StatusBadRequest, "BAD_USER_INPUT", "query", "the query string does not parse")
			return
		}
		q, err := ParseQuery(vals)
		if err == nil && vals.Has("version") && f != GEXF {
			err = bad("version", "is for the gexf format only")
		}
		if err != nil {
			fail(w, r, log, err)
			return
		}
		select {
		case sem <- struct{}{}:
			defer func() { <-sem }()
		default:
			w.Header().Set("Retry-After", "5")
			writeError(w, http.StatusTooManyRequests, "TOO_MANY_REQUESTS", "", "too many exports are running; try again shortly")
			return
		}

		sel, err := prepare(r.Context(), s, q)
		if err != nil {
			fail(w, r, log, err)
			return
		}
		out := &sink{w: w, rc: http.NewResponseController(w), f: f, q: sel.q, truncated: sel.truncated}
		if r.Method == http.MethodHead {
			out.start()
			return
		}
		err = render(r.Context(), sel, f, out)
		switch {
		case err == nil:
			out.start() // every format writes something; this is belt and braces
		case !out.started:
			fail(w, r, log, err) // nothing sent yet: a proper error response
		default:
			if !errors.Is(err, context.Canceled) {
				log.ErrorContext(r.Context(), "export failed mid-stream", "format", f, "err", err)
			}
			panic(http.ErrAbortHandler) // cut the connection: the client sees an incomplete body
		}
	})
}

// sink is the response body: it sends the headers with the first bytes
// and keeps the write deadline ahead of a progressing export.
type sink struct {
	w         http.ResponseWriter
	rc        *http.ResponseController
	f         Format
	q         Query
	truncated bool
	started   bool
	extended  time.Time
}

func (s *sink) start() {
	if s.started {
		return
	}
	s.started = true
	h := s.w.Header()
	h.Set("Content-Type", s.f.ContentType())
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": FileName(s.f, s.q)}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	if s.truncated {
		h.Set("X-Actorgraph-Truncated", "true")
	}
	s.w.WriteHeader(http.StatusOK)
}

func (s *sink) Write(p []byte) (int, error) {
	s.start()
	if now := time.Now(); now.Sub(s.extended) > time.Second {
		s.extended = now
		_ = s.rc.SetWriteDeadline(now.Add(writeSlack)) // ErrNotSupported: nothing to extend
	}
	return s.w.Write(p)
}

// fail answers an error that happened before any output.
func fail(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	var ie *InputError
	var nf *actorref.NotFoundError
	var amb *actorref.AmbiguousError
	switch {
	case errors.As(err, &ie):
		writeError(w, http.StatusBadRequest, "BAD_USER_INPUT", ie.Field, ie.Error())
	case errors.As(err, &nf):
		writeError(w, http.StatusNotFound, "NOT_FOUND", nf.Field, nf.Error())
	case errors.As(err, &amb):
		writeError(w, http.StatusBadRequest, "BAD_USER_INPUT", amb.Field, amb.Error(), "candidates", amb.Candidates)
	case errors.Is(err, store.ErrInvalid):
		writeError(w, http.StatusBadRequest, "BAD_USER_INPUT", "", err.Error())
	case errors.Is(err, context.Canceled):
		// The client went away; nobody reads an answer.
	case errors.Is(err, store.ErrUnavailable), errors.Is(err, context.DeadlineExceeded):
		log.WarnContext(r.Context(), "export: store unavailable", "err", err)
		w.Header().Set("Retry-After", strconv.Itoa(5))
		writeError(w, http.StatusServiceUnavailable, "UNAVAILABLE", "", "the database is unavailable; try again later")
	default:
		log.ErrorContext(r.Context(), "export failed", "err", err)
		writeError(w, http.StatusInternalServerError, "INTERNAL_SERVER_ERROR", "", "internal error")
	}
}

// writeError answers with the server's GraphQL-shaped error body; more
// are extra extensions, as key, value pairs.
func writeError(w http.ResponseWriter, status int, code, field, msg string, more ...any) {
	ext := map[string]any{"code": code}
	if field != "" {
		ext["field"] = field
	}
	for i := 0; i+1 < len(more); i += 2 {
		ext[more[i].(string)] = more[i+1]
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{
		"errors": []map[string]any{{"message": msg, "extensions": ext}},
	})
}
