package kg

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// The rules of the data model live here, in one place, in two halves:
//
//   - rules on one entry (Validate's per-entry checks: enums, slugs, text
//     limits and characters, dates, evidence against its source) run before
//     a write's transaction;
//   - rules that need the stored graph run inside each write transaction,
//     through View, against the state the transaction itself sees (its own
//     writes included), so no concurrent write can slip between the check
//     and the commit: CheckStored.
//
// Every writer of both stores (mutations, merge and unmerge, import,
// ingest, review) goes through them, so what the API accepts the importer
// accepts, and the other way round.

// View is what the stored-state rules read. Each store implements it over
// its own write transaction. Lookups take many ids at once (one statement
// per call on Neo4j).
type View interface {
	// Kinds returns, for each id that is a stored entity, its kind: "actor",
	// "place", "event", "source" or "relation". Absent ids are missing.
	Kinds(ids []string) (map[string]string, error)
	// Parents returns, for each actor id, the actors it points at with
	// PART_OF or HOLDS_ROLE (absent or empty when none).
	Parents(ids []string) (map[string][]string, error)
	// Linking returns, for each relation id, the ids of the stored
	// relations whose alleges or denies names it (absent when none).
	Linking(ids []string) (map[string][]string, error)
}

// ErrLinked is wrapped by CheckRemoved's errors: a relation a write takes
// out is still alleged or denied by another.
var ErrLinked = errors.New("is alleged or denied by another relation")

// CheckRemoved checks relations a write took out of the graph (a merge
// keeping aside the relations between the two actors): none may still be
// named by another relation's alleges or denies, which would dangle.
func CheckRemoved(v View, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	linking, err := v.Linking(compactIDs(ids))
	if err != nil {
		return err
	}
	var errs []error
	for _, id := range compactIDs(ids) {
		if by := linking[id]; len(by) > 0 {
			errs = append(errs, &EntryError{Kind: "relation", ID: id, Index: -1,
				Err: fmt.Errorf("%w: %s (take those out first)", ErrLinked, strings.Join(by, ", "))})
		}
	}
	return errors.Join(errs...)
}

// ErrDangling is wrapped by CheckStored's errors about a reference to an
// entity that is not stored: the write raced a merge or deletion (the
// write's own checks before the transaction saw the entity), so the stores
// answer it as a conflict.
var ErrDangling = errors.New("refers to an entity that is not stored")

// ErrCycle is wrapped by CheckStored's errors about a PART_OF/HOLDS_ROLE
// cycle, and ErrSelfLoop by those about a relation from an actor to itself.
var (
	ErrCycle    = errors.New("closes a PART_OF/HOLDS_ROLE cycle")
	ErrSelfLoop = errors.New("is a self-loop")
)

// CheckStored checks relations just written against the stored graph the
// write transaction sees: no relation from an actor to itself; every
// reference (from, to, claimedBy, source, event, place, alleges, denies)
// names a stored entity of the right kind; and no PART_OF/HOLDS_ROLE edge
// closes a cycle. Each problem is an *EntryError wrapping a *FieldError.
func CheckStored(v View, rels []Relation) error {
	var errs []error
	report := func(r *Relation, field string, err error) {
		errs = append(errs, &EntryError{Kind: "relation", ID: r.ID, Index: -1, Err: &FieldError{Field: field, Err: err}})
	}
	var ids []string
	for i := range rels {
		r := &rels[i]
		if r.From != "" && r.From == r.To {
			report(r, "to", fmt.Errorf("%q is the relation's from as well: %w", r.To, ErrSelfLoop))
		}
		ids = append(ids, r.From, r.To, r.ClaimedBy, r.SourceID, r.EventID, r.PlaceID, r.Alleges, r.Denies)
	}
	kinds, err := v.Kinds(compactIDs(ids))
	if err != nil {
		return err
	}
	for i := range rels {
		r := &rels[i]
		toKinds := []string{"actor"}
		switch r.Type {
		case Controls:
			toKinds = []string{"place"}
		case Attacks, Besieges:
			toKinds = []string{"actor", "place"}
		}
		for _, ref := range []struct {
			field, id string
			kinds     []string
		}{
			{"from", r.From, []string{"actor"}}, {"to", r.To, toKinds}, {"claimedBy", r.ClaimedBy, []string{"actor"}},
			{"source", r.SourceID, []string{"source"}}, {"event", r.EventID, []string{"event"}},
			{"place", r.PlaceID, []string{"place"}}, {"alleges", r.Alleges, []string{"relation"}},
			{"denies", r.Denies, []string{"relation"}},
		} {
			if ref.id != "" && !slices.Contains(ref.kinds, kinds[ref.id]) {
				report(r, ref.field, fmt.Errorf("%q is not a stored %s: %w", ref.id, strings.Join(ref.kinds, " or "), ErrDangling))
			}
		}
	}
	cycles, err := hierarchyCycles(v, rels)
	if err != nil {
		return err
	}
	for _, c := range cycles {
		report(c.rel, "to", fmt.Errorf("%s %w: %s", c.rel.Type, ErrCycle, strings.Join(c.path, " -> ")))
	}
	return errors.Join(errs...)
}

type cycle struct {
	rel  *Relation
	path []string
}

// hierarchyCycles finds, for each hierarchy relation of rels, a path back
// from its `to` up to its `from` in the stored hierarchy (which holds the
// relation itself): the cycle it closes. It climbs the whole upward closure
// of the relations' ends once, one Parents call per level.
func hierarchyCycles(v View, rels []Relation) ([]cycle, error) {
	var starts []string
	for _, r := range rels {
		if r.Type.IsHierarchy() && r.From != r.To {
			starts = append(starts, r.To)
		}
	}
	up := map[string][]string{}
	seen := map[string]bool{}
	for frontier := compactIDs(starts); len(frontier) > 0; {
		for _, id := range frontier {
			seen[id] = true
		}
		parents, err := v.Parents(frontier)
		if err != nil {
			return nil, err
		}
		var next []string
		for _, id := range frontier {
			up[id] = parents[id]
			for _, p := range parents[id] {
				if !seen[p] {
					next = append(next, p)
				}
			}
		}
		frontier = compactIDs(next)
	}
	var out []cycle
	for i := range rels {
		r := &rels[i]
		if !r.Type.IsHierarchy() || r.From == r.To {
			continue
		}
		if path := pathUp(up, r.To, r.From); path != nil {
			out = append(out, cycle{rel: r, path: append([]string{r.From}, path...)})
		}
	}
	return out, nil
}

// pathUp returns a path from `from` up to `to` in up (breadth first, so the
// shortest), or nil.
func pathUp(up map[string][]string, from, to string) []string {
	prev := map[string]string{from: ""}
	queue := []string{from}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		if id == to {
			var path []string
			for at := id; at != ""; at = prev[at] {
				path = append(path, at)
			}
			slices.Reverse(path)
			return path
		}
		for _, p := range up[id] {
			if _, ok := prev[p]; !ok {
				prev[p] = id
				queue = append(queue, p)
			}
		}
	}
	return nil
}

// compactIDs returns the non-empty ids, sorted, without duplicates.
func compactIDs(ids []string) []string {
	out := slices.DeleteFunc(slices.Clone(ids), func(s string) bool { return s == "" })
	slices.Sort(out)
	return slices.Compact(out)
}

// GraphView is a View over a whole in-memory graph (the importer's file, a
// test's model); it is what CheckStored sees when the graph is the store.
func GraphView(g *Graph) View { return graphView{g} }

type graphView struct{ g *Graph }

func (w graphView) Kinds(ids []string) (map[string]string, error) {
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	out := map[string]string{}
	add := func(kind, id string) {
		if want[id] {
			if _, dup := out[id]; !dup {
				out[id] = kind
			}
		}
	}
	for _, x := range w.g.Sources {
		add("source", x.ID)
	}
	for _, x := range w.g.Actors {
		add("actor", x.ID)
	}
	for _, x := range w.g.Places {
		add("place", x.ID)
	}
	for _, x := range w.g.Events {
		add("event", x.ID)
	}
	for _, x := range w.g.Relations {
		add("relation", x.ID)
	}
	return out, nil
}

func (w graphView) Linking(ids []string) (map[string][]string, error) {
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	out := map[string][]string{}
	for _, r := range w.g.Relations {
		for _, target := range []string{r.Alleges, r.Denies} {
			if target != "" && want[target] {
				out[target] = append(out[target], r.ID)
			}
		}
	}
	return out, nil
}

func (w graphView) Parents(ids []string) (map[string][]string, error) {
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	out := map[string][]string{}
	for _, r := range w.g.Relations {
		if r.Type.IsHierarchy() && want[r.From] {
			out[r.From] = append(out[r.From], r.To)
		}
	}
	return out, nil
}
