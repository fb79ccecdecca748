package graph

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/actorgraph/actorgraph/graph/model"
	"github.com/actorgraph/actorgraph/internal/batch"
	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/rules"
)

// The analyst queries: each is one store call (one Cypher statement, one
// bbolt read), then the nested fields batch as everywhere else.

// intArg checks an optional int argument against [lo, hi].
func intArg(v *int, def, lo, hi int, field string) (int, error) {
	if v == nil {
		return def, nil
	}
	if *v < lo || *v > hi {
		return 0, badInput(field, "must be between %d and %d, got %d", lo, hi, *v)
	}
	return *v, nil
}

func checkTypes(types []kg.RelationType) error {
	for _, t := range types {
		if !t.IsValid() {
			return badInput("types", "unknown relation type %q", t)
		}
	}
	return nil
}

// entity resolves an actor-or-place id through a sibling set's Calls: one
// actor lookup and (only if some id is not an actor) one place lookup.
func (r *Resolver) entity(ctx context.Context, calls *batch.Calls, prefix string, ids func() []string, id string) (model.Entity, error) {
	a, err := loadOne(ctx, calls, prefix+".actor", ids, r.Store.Actors, model.Actors, actorID, id)
	if err != nil || a != nil {
		return a, err
	}
	p, err := loadOne(ctx, calls, prefix+".place", ids, r.Store.Places, model.Places, placeID, id)
	if err != nil || p != nil {
		return p, err
	}
	return nil, errDangling
}

// relationEnds lists both ends of every relation in r's sibling set.
func relationEnds(r *model.Relation) func() []string {
	return func() []string {
		out := make([]string, 0, 2*len(r.Set.Items))
		for _, x := range r.Set.Items {
			out = append(out, x.From, x.To)
		}
		return out
	}
}

// hopEnd resolves where a hop starts (start) or ends.
func (r *Resolver) hopEnd(ctx context.Context, h *model.Hop, start bool) (model.Entity, error) {
	id := h.Relation.To
	if start == h.Forward {
		id = h.Relation.From
	}
	return r.entity(ctx, &h.Relation.Set.Calls, "ends", relationEnds(h.Relation), id)
}

func (r *Resolver) neighborhood(ctx context.Context, actor string, depth *int, types []kg.RelationType, direction *model.Direction, dates *model.DateRange, limit, perNode *int) (*model.Subgraph, error) {
	pf := r.Store
	var err error
	q := store.NeighborhoodQuery{Types: types, Direction: store.Both}
	if q.Depth, err = intArg(depth, 1, 1, 3, "depth"); err != nil {
		return nil, err
	}
	if q.Limit, err = intArg(limit, 200, 1, store.MaxLimit, "limit"); err != nil {
		return nil, err
	}
	if q.PerNode, err = intArg(perNode, 25, 1, store.MaxLimit, "perNode"); err != nil {
		return nil, err
	}
	if err := checkTypes(types); err != nil {
		return nil, err
	}
	if direction != nil {
		q.Direction = store.Direction(*direction)
	}
	if q.Dates, err = dateRange(dates, "dateRange"); err != nil {
		return nil, err
	}
	if actor, err = r.actorRef(ctx, "actor", actor, false); err != nil {
		return nil, err
	}
	sub, err := pf.Neighborhood(ctx, actor, q)
	if err != nil {
		return nil, err
	}
	out := &model.Subgraph{Edges: model.Relations(sub.Relations), Truncated: sub.Truncated}
	for _, a := range model.Actors(sub.Actors) {
		out.Nodes = append(out.Nodes, a)
	}
	for _, p := range model.Places(sub.Places) {
		out.Nodes = append(out.Nodes, p)
	}
	return out, nil
}

func (r *Resolver) paths(ctx context.Context, from, to string, maxLength *int, types []kg.RelationType, attribution *kg.Attribution, all *bool, first *int) (*model.PathResult, error) {
	pf := r.Store
	var err error
	q := store.PathQuery{Types: types, Attribution: deref(attribution), All: all == nil || *all}
	if q.MaxLength, err = intArg(maxLength, 4, 1, 6, "maxLength"); err != nil {
		return nil, err
	}
	if q.Limit, err = intArg(first, 10, 1, 100, "first"); err != nil {
		return nil, err
	}
	if err := checkTypes(types); err != nil {
		return nil, err
	}
	// Each end is resolved on its own, so an unknown one is named.
	if err := r.actorRefs(ctx, refArg{"from", &from, false}, refArg{"to", &to, false}); err != nil {
		return nil, err
	}
	if from == to {
		return nil, badInput("to", "is the same actor as from")
	}
	found, err := pf.Paths(ctx, from, to, q)
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		reason, err := r.noPathReason(ctx, from, to, q)
		return &model.PathResult{Paths: []*model.Path{}, Reason: &reason}, err
	}
	// All hops of all paths form one sibling set, so hop ends, evidence and
	// sources load once for the whole answer.
	var rels []kg.Relation
	for _, p := range found {
		for _, h := range p {
			rels = append(rels, h.Relation)
		}
	}
	wrapped := model.Relations(rels)
	out := &model.PathResult{}
	i := 0
	for _, p := range found {
		mp := &model.Path{Length: len(p)}
		for _, h := range p {
			mp.Hops = append(mp.Hops, &model.Hop{Relation: wrapped[i], Forward: h.Forward})
			i++
		}
		out.Paths = append(out.Paths, mp)
	}
	return out, nil
}

// noPathReason explains an empty answer: an end without any relation of
// the kinds asked for, or simply no connection within reach.
func (r *Resolver) noPathReason(ctx context.Context, from, to string, q store.PathQuery) (string, error) {
	f := store.RelationFilter{Types: q.Types, Attribution: q.Attribution}
	deg, err := r.Store.CountRelationsOf(ctx, []string{from, to}, store.Both, f)
	if err != nil {
		return "", err
	}
	kinds := "relations"
	if len(q.Types) > 0 || q.Attribution != "" {
		kinds = "relations of the kinds asked for"
	}
	for _, id := range []string{from, to} {
		if deg[id] == 0 {
			return fmt.Sprintf("%s has no %s, so nothing connects it to the other actor", id, kinds), nil
		}
	}
	return fmt.Sprintf("%s and %s are not connected by %s within %d hops; try a larger maxLength (at most 6) or fewer filters", from, to, kinds, q.MaxLength), nil
}

func (r *Resolver) timeline(ctx context.Context, actor *string, pair []string, dates *model.DateRange, rollUp *bool, first *int, filter *model.NeighbourFilter) ([]*model.TimelineEntry, error) {
	an := r.Store
	var err error
	q := store.TimelineQuery{Actor: deref(actor), RollUp: rollUp == nil || *rollUp}
	switch {
	case q.Actor != "" && len(pair) > 0:
		return nil, badInput("pair", "give either actor or pair, not both")
	case len(pair) > 0 && len(pair) != 2:
		return nil, badInput("pair", "must name exactly two actors, got %d", len(pair))
	case len(pair) == 2:
		q.Pair = [2]string{pair[0], pair[1]}
	case q.Actor == "":
		return nil, badInput("actor", "give an actor or a pair")
	}
	if err := r.actorRefs(ctx, refArg{"actor", &q.Actor, false}, refArg{"pair[0]", &q.Pair[0], false}, refArg{"pair[1]", &q.Pair[1], false}); err != nil {
		return nil, err
	}
	if q.Limit, err = intArg(first, 200, 1, store.MaxLimit, "first"); err != nil {
		return nil, err
	}
	if q.Dates, err = dateRange(dates, "dateRange"); err != nil {
		return nil, err
	}
	var items []store.TimelineItem
	if filter != nil {
		items, err = r.filteredTimeline(ctx, q, filter)
	} else {
		items, err = an.Timeline(ctx, q)
	}
	if err != nil {
		return nil, err
	}
	var rels []kg.Relation
	var events []kg.Event
	for _, it := range items {
		if it.Relation != nil {
			rels = append(rels, *it.Relation)
		} else if it.Event != nil {
			events = append(events, *it.Event)
		}
	}
	wr, we := model.Relations(rels), model.Events(events)
	out := make([]*model.TimelineEntry, 0, len(items))
	for _, it := range items {
		if it.Relation != nil {
			out = append(out, model.NewTimelineEntry(it.Date, wr[0], nil))
			wr = wr[1:]
		} else if it.Event != nil {
			out = append(out, model.NewTimelineEntry(it.Date, nil, we[0]))
			we = we[1:]
		}
	}
	return out, nil
}

// round1 rounds a sum to one decimal, as the API promises (float sums are
// the one place the stores could differ in the last bits).
func round1(x float64) float64 { return math.Round(x*10) / 10 }

func dyadCounts(cs []store.DyadCount) []*model.DyadCount {
	out := make([]*model.DyadCount, len(cs))
	for i, c := range cs {
		out[i] = &model.DyadCount{Type: c.Type, Relations: c.Relations, Evidence: c.Evidence, Goldstein: round1(c.Goldstein)}
	}
	return out
}

func (r *Resolver) dyads(ctx context.Context, from, to *string, types []kg.RelationType, dates *model.DateRange, interval *model.Interval, includeClaims, rollUp *bool, first *int, filter *model.RelationFilter) ([]*model.Dyad, error) {
	an := r.Store
	var err error
	q := store.DyadQuery{From: deref(from), To: deref(to), Types: types,
		IncludeClaims: includeClaims != nil && *includeClaims, RollUp: rollUp == nil || *rollUp}
	if err := checkTypes(types); err != nil {
		return nil, err
	}
	if err := r.actorRefs(ctx, refArg{"from", &q.From, false}, refArg{"to", &q.To, true}); err != nil {
		return nil, err
	}
	if interval != nil {
		q.Interval = store.Interval(*interval)
	}
	if q.Limit, err = intArg(first, 50, 1, store.MaxLimit, "first"); err != nil {
		return nil, err
	}
	if q.Dates, err = dateRange(dates, "dateRange"); err != nil {
		return nil, err
	}
	if filter != nil {
		if err := r.dyadFilter(ctx, &q, filter); err != nil {
			return nil, err
		}
	}
	got, err := an.Dyads(ctx, q)
	if err != nil {
		return nil, err
	}
	calls := &batch.Calls{}
	ends := func() []string {
		out := make([]string, 0, 2*len(got))
		for _, d := range got {
			out = append(out, d.From, d.To)
		}
		return out
	}
	out := make([]*model.Dyad, len(got))
	for i, d := range got {
		md := &model.Dyad{FromID: d.From, ToID: d.To, Relations: d.Relations, Evidence: d.Evidence,
			Goldstein: round1(d.Goldstein), ByType: dyadCounts(d.ByType), Series: []*model.DyadBucket{}, Calls: calls, Ends: ends}
		for _, b := range d.Series {
			md.Series = append(md.Series, &model.DyadBucket{Start: b.Start, Relations: b.Relations, Evidence: b.Evidence,
				Goldstein: round1(b.Goldstein), ByType: dyadCounts(b.ByType)})
		}
		out[i] = md
	}
	return out, nil
}

// dyadFilter resolves a dyads filter as relations(filter:) resolves it and
// hands it to the store, whose dyad statements take the relation lists'
// own predicates. The filter's from, to, types and dateRange stand for the
// arguments of the same name; giving one both ways is an error, not a guess.
func (r *Resolver) dyadFilter(ctx context.Context, q *store.DyadQuery, filter *model.RelationFilter) error {
	sf, err := r.relationFilter(ctx, filter)
	if err != nil {
		return err
	}
	for _, c := range []struct {
		name       string
		arg, inFil bool
	}{
		{"from", q.From != "", sf.From != ""},
		{"to", q.To != "", sf.To != ""},
		{"types", len(q.Types) > 0, len(sf.Types) > 0},
		{"dateRange", !q.Dates.IsZero(), !sf.Dates.IsZero()},
	} {
		if c.arg && c.inFil {
			return badInput("filter."+c.name, "give %s once: as the argument or in the filter", c.name)
		}
	}
	if sf.From != "" {
		q.From = sf.From
	}
	if sf.To != "" {
		q.To = sf.To
	}
	if len(sf.Types) > 0 {
		q.Types = sf.Types
	}
	if !sf.Dates.IsZero() {
		q.Dates = sf.Dates
	}
	q.Filter = sf
	return nil
}

// snippetWidth is about how many code points a search snippet shows.
const snippetWidth = 160

func (r *Resolver) search(ctx context.Context, text string, kinds []model.SearchKind, first *int) ([]*model.SearchHit, error) {
	an := r.Store
	var err error
	tokens := kg.Tokens(text)
	if len(tokens) == 0 {
		return nil, badInput("text", "has no words to search for")
	}
	limit, err := intArg(first, 20, 1, store.MaxLimit, "first")
	if err != nil {
		return nil, err
	}
	sk := make([]store.SearchKind, len(kinds))
	for i, k := range kinds {
		sk[i] = store.SearchKind(k)
	}
	hits, err := an.Search(ctx, strings.Join(tokens, " "), sk, limit)
	if err != nil {
		return nil, err
	}
	calls := &batch.Calls{}
	ids := func() []string {
		out := make([]string, len(hits))
		for i, h := range hits {
			out[i] = h.ID
		}
		return out
	}
	out := make([]*model.SearchHit, len(hits))
	for i, h := range hits {
		snip, spans := kg.Snippet(h.Text, tokens, snippetWidth)
		mh := &model.SearchHit{Kind: model.SearchKind(h.Kind), ID: h.ID, Score: h.Score, Snippet: snip,
			Highlights: []*model.TextRange{}, Calls: calls, IDs: ids}
		for _, s := range spans {
			mh.Highlights = append(mh.Highlights, &model.TextRange{Start: s.Start, End: s.End})
		}
		out[i] = mh
	}
	return out, nil
}

// hitOf loads a search hit's item when it is of kind k.
func hitOf[T any, W any](ctx context.Context, h *model.SearchHit, k model.SearchKind,
	get func(context.Context, []string) (map[string]T, error), wrap func([]T) []W, id func(W) string) (W, error) {
	var zero W
	if h.Kind != k {
		return zero, nil
	}
	return loadOne(ctx, h.Calls, "hit."+string(k), h.IDs, get, wrap, id, h.ID)
}

func (r *Resolver) disputes(ctx context.Context, actor *string, dates *model.DateRange, first *int) ([]*model.Dispute, error) {
	an := r.Store
	var err error
	limit, err := intArg(first, 50, 1, store.MaxLimit, "first")
	if err != nil {
		return nil, err
	}
	dr, err := dateRange(dates, "dateRange")
	if err != nil {
		return nil, err
	}
	id, err := r.actorRef(ctx, "actor", deref(actor), false)
	if err != nil {
		return nil, err
	}
	got, err := an.Disputes(ctx, id, dr, limit)
	if err != nil {
		return nil, err
	}
	// Every relation of the answer in one sibling set.
	var all []kg.Relation
	for _, d := range got {
		all = append(all, d.Claim)
		all = append(all, d.Accusations...)
		all = append(all, d.Denials...)
		all = append(all, d.CounterClaims...)
	}
	w := model.Relations(all)
	take := func(n int) []*model.Relation {
		part := w[:n:n]
		w = w[n:]
		return part
	}
	out := make([]*model.Dispute, len(got))
	for i, d := range got {
		out[i] = &model.Dispute{Claim: take(1)[0], Accusations: take(len(d.Accusations)),
			Denials: take(len(d.Denials)), CounterClaims: take(len(d.CounterClaims))}
	}
	return out, nil
}

// filteredTimeline is a timeline narrowed by a relation filter: the
// relations come from the store's filtered lists (the actor's relations
// either way, or the pair's in both directions), the events are those of
// the selected relations, ordered and cut by the store's own timeline rule.
func (r *Resolver) filteredTimeline(ctx context.Context, q store.TimelineQuery, filter *model.NeighbourFilter) ([]store.TimelineItem, error) {
	sf, err := r.neighbourFilter(ctx, filter, store.Both)
	if err != nil {
		return nil, err
	}
	if filter.DateRange == nil {
		sf.Dates = q.Dates
	}
	if filter.RollUp == nil {
		sf.RollUp = q.RollUp
	}
	all := store.Page{First: store.MaxLimit}
	var rels []kg.Relation
	if q.Actor != "" {
		got, err := r.Store.RelationsOf(ctx, []string{q.Actor}, store.Both, sf, byID, all)
		if err != nil {
			return nil, err
		}
		rels = got[q.Actor].Items
	} else {
		for _, ends := range [][2]string{q.Pair, {q.Pair[1], q.Pair[0]}} {
			g := sf
			g.From, g.To = ends[0], ends[1]
			got, err := r.Store.ListRelations(ctx, g, byID, all)
			if err != nil {
				return nil, err
			}
			rels = append(rels, got.Items...)
		}
	}
	var eventIDs []string
	for _, rel := range rels {
		eventIDs = append(eventIDs, rel.EventID)
	}
	events, err := r.Store.Events(ctx, uniq(eventIDs))
	if err != nil {
		return nil, err
	}
	return rules.TimelineOf(rels, events, sf.Dates, q.Limit), nil
}
