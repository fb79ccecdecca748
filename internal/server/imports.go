package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/actorgraph/actorgraph/internal/auth"
	"github.com/actorgraph/actorgraph/internal/feed"
	"github.com/actorgraph/actorgraph/internal/importer"
	"github.com/actorgraph/actorgraph/internal/seed"
	"github.com/actorgraph/actorgraph/internal/store"
)

// ImportPath takes an import's file as the request body (actorgraph import
// --server): the server runs the same importer on its own store, so an
// import reaches a store whose file the server holds locked, and its
// batches reach subscribers through the change log like any write.
//
//	POST /import?format=gdelt[&strict=true][&batch=5000][&seed=false]
//	Authorization: Bearer <write key>
//
// The answer is the import's summary as text (200), or the error: 400 for
// bad parameters or a refused strict import, 403 without a write key.
const ImportPath = "/import"

func importHandler(st store.Store, f *feed.Feed, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := auth.Require(r.Context(), auth.RoleWrite); err != nil {
			var ae *auth.Error
			if errors.As(err, &ae) {
				ae.WriteHTTP(w)
				return
			}
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		q := r.URL.Query()
		format, err := importer.ParseFormat(q.Get("format"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		opts := importer.Options{Format: format, Batch: importer.DefaultBatch, MaxLine: importer.DefaultMaxLine}
		if v := q.Get("batch"); v != "" {
			if opts.Batch, err = strconv.Atoi(v); err != nil || opts.Batch <= 0 {
				http.Error(w, "batch must be a positive integer", http.StatusBadRequest)
				return
			}
		}
		opts.Strict = q.Get("strict") == "true"
		ctx := r.Context()
		defer f.Wake()
		if format != importer.JSON && q.Get("seed") != "false" {
			if _, err := seed.EnsureLoaded(ctx, st); err != nil {
				log.ErrorContext(ctx, "import: seed", "err", err)
				http.Error(w, "the store is unavailable", http.StatusServiceUnavailable)
				return
			}
		}
		sum, err := importer.Import(ctx, st, opts, importer.Input{Name: "upload", R: r.Body})
		if err == nil && sum != nil {
			err = sum.NoValidRow()
		}
		var se *importer.StrictError
		switch {
		case errors.As(err, &se), errors.Is(err, importer.ErrNoValidRow):
			w.WriteHeader(http.StatusBadRequest)
		case err != nil:
			log.ErrorContext(ctx, "import failed", "err", err)
			w.WriteHeader(http.StatusInternalServerError)
		}
		if sum != nil {
			sum.WriteText(w)
		}
		if err != nil {
			fmt.Fprintf(w, "import failed: %s\n", publicError(err))
		}
	})
}

// publicError is what a client may see of an import error: the strict
// refusal names rows; anything else (driver text) is not echoed.
func publicError(err error) string {
	var se *importer.StrictError
	if errors.As(err, &se) || errors.Is(err, importer.ErrNoValidRow) {
		return err.Error()
	}
	if errors.Is(err, store.ErrUnavailable) {
		return "the store is unavailable"
	}
	return "internal error (see the server log)"
}

// wakeAfterMutations wakes the feed's tailer when a mutation has run, so
// its changes reach this server's subscribers without waiting a poll
// interval (other servers see them at their next poll).
func wakeAfterMutations(f *feed.Feed) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		h := next(ctx)
		oc := graphql.GetOperationContext(ctx)
		if oc.Operation == nil || oc.Operation.Operation != ast.Mutation {
			return h
		}
		return func(ctx context.Context) *graphql.Response {
			resp := h(ctx)
			f.Wake()
			return resp
		}
	}
}
