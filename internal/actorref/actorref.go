// Package actorref resolves what a user calls an actor — an id, a name or an
// alias — to the one actor id the stores filter by. Every actor argument of
// the API and of the export endpoints goes through Resolve, so "Russia",
// "moscow" and "russia" select the same relations, an unknown name is an
// error rather than an empty answer, and a name two actors share is refused
// with the candidates instead of picking one.
//
// The order is fixed: an id wins over a name, a name over an alias; names and
// aliases compare case- and accent-insensitively ("Poznikhír" = "poznikhir").
package actorref

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// By says how a reference was resolved.
type By string

const (
	ByID    By = "id"
	ByName  By = "name"
	ByAlias By = "alias"
)

// Resolution is one resolved reference, as reported to the client.
type Resolution struct {
	Field string `json:"field"` // the argument, e.g. "filter.from"
	Input string `json:"input"` // what the client sent
	ID    string `json:"id"`    // what it selects
	By    By     `json:"by"`
	Kind  string `json:"kind"` // "actor" or "place"
}

// Lookup is what resolving needs of a store.
type Lookup interface {
	Actors(ctx context.Context, ids []string) (map[string]kg.Actor, error)
	Places(ctx context.Context, ids []string) (map[string]kg.Place, error)
	ListActors(ctx context.Context, f store.ActorFilter, o store.Order, p store.Page) (store.PageOf[kg.Actor], error)
}

// NotFoundError: no actor (or place, where one is allowed) has the id, name
// or alias. It wraps store.ErrNotFound.
type NotFoundError struct {
	Field, Input string
	// Kind is what was looked for: "actor" (by id, name or alias), "actor
	// or place", or another kind looked up by id ("event", "source", …).
	Kind string
}

func (e *NotFoundError) Error() string {
	how := "id"
	if strings.HasPrefix(e.Kind, "actor") {
		how = "id, name or alias"
	}
	return fmt.Sprintf("%s: no %s has the %s %q", e.Field, e.Kind, how, e.Input)
}

func (e *NotFoundError) Unwrap() error { return store.ErrNotFound }

// AmbiguousError: several actors share the name (or, with no name matching,
// the alias). Candidates are their ids, sorted.
type AmbiguousError struct {
	Field, Input string
	By           By
	Candidates   []string
}

func (e *AmbiguousError) Error() string {
	return fmt.Sprintf("%s: %q is the %s of %d actors (%s); give one of their ids",
		e.Field, e.Input, e.By, len(e.Candidates), strings.Join(e.Candidates, ", "))
}

// Key folds a name for comparison: lower case, accents removed, runs of
// spaces as one.
func Key(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return kg.Fold(b.String())
}

// Resolve resolves ref (field names the argument in errors). With places,
// a place id is accepted too (the object of a relation may be a place);
// places are matched by id only. An empty ref resolves to the empty id.
func Resolve(ctx context.Context, s Lookup, field, ref string, places bool) (Resolution, error) {
	res := Resolution{Field: field, Input: ref, By: ByID, Kind: "actor"}
	if ref == "" {
		return res, nil
	}
	if m, err := s.Actors(ctx, []string{ref}); err != nil || len(m) > 0 {
		res.ID = ref
		return res, err
	}
	if places {
		if m, err := s.Places(ctx, []string{ref}); err != nil || len(m) > 0 {
			res.ID, res.Kind = ref, "place"
			return res, err
		}
	}
	key := Key(ref)
	if key == "" {
		return res, &NotFoundError{Field: field, Input: ref, Kind: kindOf(places)}
	}
	cands, err := candidates(ctx, s, ref, key)
	if err != nil {
		return res, err
	}
	var byName, byAlias []string
	for _, a := range cands {
		if Key(a.Name) == key {
			byName = append(byName, a.ID)
		} else if slices.ContainsFunc(a.Aliases, func(al string) bool { return Key(al) == key }) {
			byAlias = append(byAlias, a.ID)
		}
	}
	for _, step := range []struct {
		by  By
		ids []string
	}{{ByName, byName}, {ByAlias, byAlias}} {
		ids := uniqSorted(step.ids)
		switch {
		case len(ids) == 1:
			res.ID, res.By = ids[0], step.by
			return res, nil
		case len(ids) > 1:
			return res, &AmbiguousError{Field: field, Input: ref, By: step.by, Candidates: ids}
		}
	}
	return res, &NotFoundError{Field: field, Input: ref, Kind: kindOf(places)}
}

// candidates are the actors whose name or an alias contains ref, as the
// store's folded substring match finds them, and — when ref has accents —
// those containing it without them.
func candidates(ctx context.Context, s Lookup, ref, key string) ([]kg.Actor, error) {
	var out []kg.Actor
	for _, q := range uniqSorted([]string{kg.Fold(ref), key}) {
		got, err := s.ListActors(ctx, store.ActorFilter{NameContains: q}, store.Order{Field: store.SortID}, store.Page{First: store.MaxLimit})
		if err != nil {
			return nil, err
		}
		out = append(out, got.Items...)
	}
	return out, nil
}

func uniqSorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Compact(s)
}

// IsNotFound reports whether err is a NotFoundError.
func IsNotFound(err error) bool {
	var nf *NotFoundError
	return errors.As(err, &nf)
}

func kindOf(places bool) string {
	if places {
		return "actor or place"
	}
	return "actor"
}
