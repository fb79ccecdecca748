package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

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
		switch {
		case errors.As(err, &ae):
			gerr.Message = ae.Message
			setExt(gerr, ae.Code) // FORBIDDEN or UNAUTHENTICATED
		case errors.As(err, &ie):
			gerr.Message = ie.Error()
			setExt(gerr, CodeBadUserInput, "field", ie.Field)
		case errors.Is(err, store.ErrInvalid):
			// The store refused an argument the resolvers let through;
			// its message names the argument and holds no query text.
			setExt(gerr, CodeBadUserInput, fieldOf(err)...)
		case errors.Is(err, store.ErrConflict):
			// Conflict messages name ids and state, never query text.
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
