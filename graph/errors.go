package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/actorgraph/actorgraph/internal/actorref"
	"github.com/actorgraph/actorgraph/internal/auth"
	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// Error codes set in extensions.code.
const (
	CodeBadUserInput = "BAD_USER_INPUT"
	CodeNotFound     = "NOT_FOUND"
	CodeConflict     = "CONFLICT"
	CodeUnavailable  = "UNAVAILABLE"
	CodeInternal     = "INTERNAL_SERVER_ERROR"
	// CodeCursorExpired: a change cursor older than the retained change log.
	CodeCursorExpired = "CURSOR_EXPIRED"
)

// InputError is a bad argument; Field names it (e.g. "first", "filter.from").
type InputError struct {
	Field, Message string
}

func (e *InputError) Error() string { return fmt.Sprintf("%s: %s", e.Field, e.Message) }

func badInput(field, format string, args ...any) error {
	return &InputError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorPresenter gives every error an extensions.code. Errors it does not
// know are logged and replaced by a generic message, so driver text, Cypher
// and request bodies never reach the client.
func ErrorPresenter(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gerr := graphql.DefaultErrorPresenter(ctx, err)
		var ie *InputError
		var ae *auth.Error
		var nf *actorref.NotFoundError
		var amb *actorref.AmbiguousError
		switch {
		case errors.As(err, &ae):
			gerr.Message = ae.Message
			setExt(gerr, ae.Code) // FORBIDDEN or UNAUTHENTICATED
		case errors.As(err, &nf):
			// An unknown actor never filters to an empty answer: it is named.
			gerr.Message = nf.Error()
			setExt(gerr, CodeNotFound, "field", nf.Field)
		case errors.As(err, &amb):
			gerr.Message = amb.Error()
			setExt(gerr, CodeBadUserInput, "field", amb.Field)
			gerr.Extensions["candidates"] = amb.Candidates
		case errors.As(err, &ie):
			gerr.Message = ie.Error()
			setExt(gerr, CodeBadUserInput, "field", ie.Field)
		case errors.Is(err, store.ErrInvalid):
			// The store refused an argument the resolvers let through;
			// its message names the argument and holds no query text.
			gerr.Message = publicMessage(err, store.ErrInvalid)
			setExt(gerr, CodeBadUserInput, fieldOf(err)...)
		case errors.Is(err, store.ErrCursorExpired):
			gerr.Message = "the change log no longer holds the entries after this cursor; read the graph again, or the log from its oldest entry (changes without after)"
			setExt(gerr, CodeCursorExpired, "field", "after")
		case errors.Is(err, store.ErrConflict):
			// Conflict messages name ids and state, never query text.
			gerr.Message = publicMessage(err, store.ErrConflict)
			setExt(gerr, CodeConflict, fieldOf(err)...)
		case errors.Is(err, store.ErrNotFound):
			gerr.Message = "not found"
			setExt(gerr, CodeNotFound)
		case errors.Is(err, store.ErrUnavailable), errors.Is(err, context.DeadlineExceeded):
			log.WarnContext(ctx, "store unavailable", "err", err, "path", gerr.Path.String())
			gerr.Message = "the database is unavailable; try again later"
			setExt(gerr, CodeUnavailable)
		case gerr.Extensions != nil && gerr.Extensions["code"] != nil:
			// gqlgen's own parse/validation/complexity errors carry a code already.
		case isGQLError(err):
			// Argument coercion errors from gqlgen (e.g. an invalid enum in variables).
			setExt(gerr, CodeBadUserInput)
		default:
			log.ErrorContext(ctx, "resolver error", "err", err, "path", gerr.Path.String())
			gerr.Message = "internal error"
			setExt(gerr, CodeInternal)
		}
		return gerr
	}
}

// internalPrefix matches the "package: operation: " prefixes the stores put
// before a message ("boltstore: unmerge: ", "neo4jstore: delete relation: ").
var internalPrefix = regexp.MustCompile(`^(?:(?:boltstore|neo4jstore|store|kg|graph|export|importer)(?:: [a-z][a-z ]*)?: )+`)

// publicMessage is err's message for a client: without the store's package
// and operation prefix and without the sentinel's own text at the end, so
// "boltstore: unmerge: merge \"m1\" is already undone: conflict" reads
// "merge \"m1\" is already undone".
func publicMessage(err, sentinel error) string {
	var ge *gqlerror.Error
	if errors.As(err, &ge) && ge.Err != nil {
		err = ge.Err // the resolver's error, without gqlgen's position and path
	}
	msg := internalPrefix.ReplaceAllString(err.Error(), "")
	msg = strings.TrimSuffix(msg, ": "+sentinel.Error())
	msg = strings.TrimPrefix(msg, sentinel.Error()+": ") // the stored-state rules lead with it (store.CheckStored)
	if msg == "" || strings.HasPrefix(msg, sentinel.Error()) || strings.Contains(msg, "Neo.") {
		// Nothing but the sentinel, or a database status code.
		return sentinel.Error()
	}
	return msg
}

// fieldOf names the field of a data-model rule the store enforced
// (kg.FieldError), as extensions.field.
func fieldOf(err error) []string {
	var fe *kg.FieldError
	if errors.As(err, &fe) {
		return []string{"field", fe.Field}
	}
	return nil
}

// isGQLError reports whether err was raised by gqlgen/gqlparser itself
// (argument coercion and the like) rather than by a resolver.
func isGQLError(err error) bool {
	var ge *gqlerror.Error
	return errors.As(err, &ge) && ge.Err == nil
}

func setExt(e *gqlerror.Error, code string, kv ...string) {
	if e.Extensions == nil {
		e.Extensions = map[string]any{}
	}
	e.Extensions["code"] = code
	for i := 0; i+1 < len(kv); i += 2 {
		e.Extensions[kv[i]] = kv[i+1]
	}
}

// RecoverFunc logs a panic with its stack and answers with a generic error;
// the server keeps serving.
func RecoverFunc(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "panic in resolver", "panic", fmt.Sprint(p))
		return errors.New("internal error")
	}
}
