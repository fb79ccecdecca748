package feed

import (
	"context"
	"slices"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/rules"
)

// Filter selects changes; empty fields match everything.
type Filter struct {
	Entities []store.ChangeEntity
	Kinds    []store.ChangeKind
	IDs      []string
	// Relation, when set, passes relation entries whose relation (for a
	// deletion, as it was) matches it as relations(filter) would, rollUp
	// included; entries of other entities do not pass.
	Relation *store.RelationFilter
}

// Reader is what a filter reads from the store: the hierarchy below an
// actor (roll-up) and the kinds of relation ends.
type Reader interface {
	ListRelations(ctx context.Context, f store.RelationFilter, o store.Order, p store.Page) (store.PageOf[kg.Relation], error)
	Actors(ctx context.Context, ids []string) (map[string]kg.Actor, error)
}

// Matcher returns the batch matcher Subscribe takes. It keeps the actors
// below the filter's actors (roll-up) and reads them again when a batch
// changes the hierarchy (a PART_OF or HOLDS_ROLE relation, or a deleted
// actor, as a merge makes).
func (f Filter) Matcher(r Reader) func(context.Context, []store.Change) ([]store.Change, error) {
	m := &matcher{f: f, r: r}
	return m.match
}

type matcher struct {
	f     Filter
	r     Reader
	under map[string]map[string]bool // actor id -> it and every actor below it
}

func (m *matcher) match(ctx context.Context, chs []store.Change) ([]store.Change, error) {
	var cand []store.Change
	for _, ch := range chs {
		if m.head(ch) {
			cand = append(cand, ch)
		}
	}
	rf := m.f.Relation
	if rf == nil || len(cand) == 0 {
		return cand, nil
	}
	if err := m.hierarchy(ctx, chs); err != nil {
		return nil, err
	}
	kinds, err := m.kinds(ctx, cand)
	if err != nil {
		return nil, err
	}
	out := cand[:0]
	for _, ch := range cand {
		if r := ch.Last(); r != nil && m.relation(*r, kinds) {
			out = append(out, ch)
		}
	}
	return out, nil
}

// head checks what every entry carries: entity, kind, id.
func (m *matcher) head(ch store.Change) bool {
	f := m.f
	return (len(f.Entities) == 0 || slices.Contains(f.Entities, ch.Entity)) &&
		(len(f.Kinds) == 0 || slices.Contains(f.Kinds, ch.Kind)) &&
		(len(f.IDs) == 0 || slices.Contains(f.IDs, ch.ID)) &&
		(f.Relation == nil || ch.Entity == store.EntityRelation)
}

// hierarchy (re)reads the actors below the filter's actors when roll-up
// applies and it has not read them yet or the batch changes the hierarchy.
func (m *matcher) hierarchy(ctx context.Context, chs []store.Change) error {
	rf := m.f.Relation
	if !rf.RollUp {
		return nil
	}
	if m.under != nil && !slices.ContainsFunc(chs, changesHierarchy) {
		return nil
	}
	under := map[string]map[string]bool{}
	for _, id := range []string{rf.From, rf.To, rf.ClaimedBy} {
		if id == "" || under[id] != nil {
			continue
		}
		set, err := m.below(ctx, id)
		if err != nil {
			return err
		}
		under[id] = set
	}
	m.under = under
	return nil
}

func changesHierarchy(ch store.Change) bool {
	if ch.Entity == store.EntityActor {
		return ch.Kind == store.ChangeDeleted
	}
	r := ch.Last()
	return r != nil && (r.Type == kg.PartOf || r.Type == kg.HoldsRole) ||
		ch.Before != nil && (ch.Before.Type == kg.PartOf || ch.Before.Type == kg.HoldsRole)
}

// below returns id and every actor below it: the from ends of the
// hierarchy relations whose to end rolls up to id (the store applies its
// own roll-up, so both agree on depth and cycles).
func (m *matcher) below(ctx context.Context, id string) (map[string]bool, error) {
	set := map[string]bool{id: true}
	f := store.RelationFilter{Types: []kg.RelationType{kg.PartOf, kg.HoldsRole}, To: id, RollUp: true}
	p := store.Page{First: store.MaxLimit}
	for {
		page, err := m.r.ListRelations(ctx, f, store.Order{Field: store.SortID}, p)
		if err != nil {
			return nil, err
		}
		for _, r := range page.Items {
			set[r.From] = true
		}
		if !page.HasNext || len(page.Items) == 0 {
			return set, nil
		}
		c := store.CursorOf(page.Items[len(page.Items)-1], store.Order{Field: store.SortID})
		p.After = &c
	}
}

// kinds reads the actors at the ends of the candidates when the filter
// selects by actor kind (one store read per batch).
func (m *matcher) kinds(ctx context.Context, cand []store.Change) (map[string]kg.ActorKind, error) {
	rf := m.f.Relation
	if len(rf.FromKinds) == 0 && len(rf.ToKinds) == 0 {
		return nil, nil
	}
	var ids []string
	for _, ch := range cand {
		if r := ch.Last(); r != nil {
			ids = append(ids, r.From, r.To)
		}
	}
	actors, err := m.r.Actors(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]kg.ActorKind, len(actors))
	for id, a := range actors {
		out[id] = a.Kind
	}
	return out, nil
}

// end reports whether actor id passes the filter's actor want (never "").
func (m *matcher) end(want, id string) bool {
	if m.f.Relation.RollUp {
		return m.under[want][id]
	}
	return id == want
}

// relation applies the relation filter as the stores do.
func (m *matcher) relation(r kg.Relation, kinds map[string]kg.ActorKind) bool {
	return rules.MatchRelation(*m.f.Relation, r, m.end, kinds)
}
