package boltstore

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"weak"

	bolt "go.etcd.io/bbolt"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/rules"
)

// The analyst's questions on the embedded store. Each call is one bbolt
// read transaction: the index chooses the records (it keeps the dates,
// review, scores and evidence counts timelines, dyads and disputes need),
// the transaction reads just those. Search's full-text postings are the
// one thing derived from the records outside the index: built once per
// index version, inside the first search's transaction, dropped with the
// version.

var _ store.Analyst = (*Store)(nil)

// searchDoc is one searchable item: an actor, an event or a relation's evidence.
type searchDoc struct {
	kind   store.SearchKind
	id     string
	length int // tokens
}

// posting is a token's occurrence in a document; mask marks the quotes
// holding it (evidence documents; see quoteMask).
type posting struct {
	doc  int32
	tf   int32
	mask uint64
}

// analytics is the full-text index of one index version.
type analytics struct {
	docs     []searchDoc
	postings map[string][]posting // token -> postings by doc
	avgLen   float64
}

// quoteMask has bit i set for quote i < 63; bit 63 stands for any later
// quote (then a match on it alone is checked against the record).
func quoteMask(i int) uint64 {
	if i >= 63 {
		return 1 << 63
	}
	return 1 << uint(i)
}

func buildAnalytics(tx *bolt.Tx) (*analytics, error) {
	an := &analytics{postings: map[string][]posting{}}
	addDoc := func(d searchDoc, quotes [][]string) {
		n := int32(len(an.docs))
		tf := map[string]*posting{}
		var order []string
		for i, toks := range quotes {
			for _, t := range toks {
				p := tf[t]
				if p == nil {
					p = &posting{doc: n}
					tf[t] = p
					order = append(order, t)
				}
				p.tf++
				if d.kind == store.HitEvidence {
					p.mask |= quoteMask(i)
				}
				d.length++
			}
		}
		if len(order) == 0 {
			return
		}
		an.docs = append(an.docs, d)
		for _, t := range order {
			an.postings[t] = append(an.postings[t], *tf[t])
		}
	}
	tokensOf := func(texts []string) [][]string {
		out := make([][]string, len(texts))
		for i, t := range texts {
			out[i] = kg.Tokens(t)
		}
		return out
	}
	err := tx.Bucket(bActors).ForEach(func(_, v []byte) error {
		var a kg.Actor
		if err := json.Unmarshal(v, &a); err != nil {
			return err
		}
		addDoc(searchDoc{kind: store.HitActor, id: a.ID}, tokensOf(rules.ActorSearchFields(a)))
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = tx.Bucket(bEvents).ForEach(func(_, v []byte) error {
		var e kg.Event
		if err := json.Unmarshal(v, &e); err != nil {
			return err
		}
		addDoc(searchDoc{kind: store.HitEvent, id: e.ID}, tokensOf(rules.EventSearchFields(e)))
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = tx.Bucket(bRelations).ForEach(func(_, v []byte) error {
		var r struct {
			ID       string        `json:"id"`
			Evidence []kg.Evidence `json:"evidence"`
		}
		if err := json.Unmarshal(v, &r); err != nil {
			return err
		}
		if len(r.Evidence) > 0 {
			quotes := make([]string, len(r.Evidence))
			for i, e := range r.Evidence {
				quotes[i] = e.Quote
			}
			addDoc(searchDoc{kind: store.HitEvidence, id: r.ID}, tokensOf(quotes))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	total := 0
	for _, d := range an.docs {
		total += d.length
	}
	if len(an.docs) > 0 {
		an.avgLen = float64(total) / float64(len(an.docs))
	}
	return an, nil
}

// topAncestor is the top of a's hierarchy: of the actors without a parent
// that a reaches by 1..maxRollUpDepth PART_OF / HOLDS_ROLE steps up, the
// one with the smallest id; a itself when it reaches none (a cycle, or a
// chain longer than the bound). The Neo4j store computes the same.
func topAncestor(a string, parents func(string) []string) string {
	seen := map[string]bool{a: true}
	frontier := []string{a}
	top := ""
	for depth := 0; depth < maxRollUpDepth && len(frontier) > 0; depth++ {
		var next []string
		for _, x := range frontier {
			for _, p := range parents(x) {
				if len(parents(p)) == 0 && (top == "" || p < top) {
					top = p
				}
				if !seen[p] {
					seen[p] = true
					next = append(next, p)
				}
			}
		}
		frontier = next
	}
	if top == "" {
		return a
	}
	return top
}

// parentsOf returns the actors directly above id in the hierarchy
// (deduplicated; ends that are not actors left out).
func (x *index) parentsOf(id string) []string {
	var out []string
	for _, p := range idsOf(x.parents, id) {
		if !slices.Contains(out, p) && x.hasActor(p) {
			out = append(out, p)
		}
	}
	return out
}

// analyticsEntry builds one index version's analytics once.
type analyticsEntry struct {
	once sync.Once
	an   *analytics
	err  error
}

// analyticsCache maps an index version (weakly: the entry goes when the
// index is collected) to its analytics.
var analyticsCache sync.Map // weak.Pointer[index] -> *analyticsEntry

// analyticsFor returns idx's analytics, building them inside tx if needed.
func analyticsFor(tx *bolt.Tx, idx *index) (*analytics, error) {
	key := weak.Make(idx)
	v, loaded := analyticsCache.LoadOrStore(key, &analyticsEntry{})
	if !loaded {
		runtime.AddCleanup(idx, func(k weak.Pointer[index]) { analyticsCache.Delete(k) }, key)
	}
	e := v.(*analyticsEntry)
	e.once.Do(func() { e.an, e.err = buildAnalytics(tx) })
	if e.err != nil {
		analyticsCache.CompareAndDelete(key, e) // let the next call retry
		return nil, e.err
	}
	return e.an, nil
}

// analystView runs fn in one read transaction with the index version and
// its analytics.
func (s *Store) analystView(ctx context.Context, fn func(tx *bolt.Tx, idx *index, an *analytics) error) error {
	return s.read(ctx, func(tx *bolt.Tx, idx *index) error {
		an, err := analyticsFor(tx, idx)
		if err != nil {
			return err
		}
		return fn(tx, idx, an)
	})
}

// actorSet is id, or with rollUp id and every actor below it.
func actorSet(idx *index, id string, rollUp bool) map[string]bool {
	ids := []string{id}
	if rollUp {
		ids = idx.descendants(id)
	}
	set := make(map[string]bool, len(ids))
	for _, x := range ids {
		set[x] = true
	}
	return set
}

// Timeline returns the relations of an actor (or between a pair, either
// direction), rolled up on request, and the events they belong to, in date
// order (unknown dates last; relations before events on a date; then id).
// A relation is in the range by the date q.Dates.On names; an event by its
// occurred date — or, when the range is on reported dates (an event has
// none), when one of its relations here was reported in it.
func (s *Store) Timeline(ctx context.Context, q store.TimelineQuery) ([]store.TimelineItem, error) {
	q, limit, err := rules.CheckTimeline(q)
	if err != nil {
		return nil, err
	}
	var out []store.TimelineItem
	err = s.read(ctx, func(tx *bolt.Tx, idx *index) error {
		var cand []*relKey
		if q.Actor != "" {
			if !idx.hasActor(q.Actor) {
				return nil
			}
			for a := range actorSet(idx, q.Actor, q.RollUp) {
				cand = append(cand, listOf(idx.byFrom, a).Items()...)
				cand = append(cand, listOf(idx.byTo, a).Items()...)
			}
		} else {
			for _, id := range q.Pair {
				if !idx.hasActor(id) {
					return nil
				}
			}
			A, B := actorSet(idx, q.Pair[0], q.RollUp), actorSet(idx, q.Pair[1], q.RollUp)
			for a := range A {
				listOf(idx.byFrom, a).Ascend(nil, false, func(k *relKey) bool {
					if B[k.to] {
						cand = append(cand, k)
					}
					return true
				})
				listOf(idx.byTo, a).Ascend(nil, false, func(k *relKey) bool {
					if B[k.from] {
						cand = append(cand, k)
					}
					return true
				})
			}
		}
		slices.SortFunc(cand, relByID{}.cmp)
		cand = slices.CompactFunc(cand, func(a, b *relKey) bool { return a.id == b.id })

		var keys []rules.TimelineKey
		events := map[string]bool{}
		for _, k := range cand {
			if rules.InRange(rules.Pick(q.Dates, k.occurred, k.reported), q.Dates) {
				keys = append(keys, rules.TimelineKey{Date: k.occurred, ID: k.id})
			}
			if ev := k.event; ev != "" && (q.Dates.On != store.OnReported || rules.InRange(k.reported, q.Dates)) {
				events[ev] = true
			}
		}
		for ev := range events {
			e, ok := idx.event(ev)
			if !ok || (q.Dates.On != store.OnReported && !rules.InRange(e.key, q.Dates)) {
				continue
			}
			keys = append(keys, rules.TimelineKey{Date: e.key, Event: true, ID: ev})
		}
		slices.SortFunc(keys, rules.CompareTimeline)
		if len(keys) > limit {
			keys = keys[:limit]
		}
		var relIDs, evIDs []string
		for _, k := range keys {
			if k.Event {
				evIDs = append(evIDs, k.ID)
			} else {
				relIDs = append(relIDs, k.ID)
			}
		}
		rels, evs := map[string]kg.Relation{}, map[string]kg.Event{}
		if err := get(tx, bRelations, relIDs, rels); err != nil {
			return err
		}
		if err := get(tx, bEvents, evIDs, evs); err != nil {
			return err
		}
		out = make([]store.TimelineItem, 0, len(keys))
		for _, k := range keys {
			if k.Event {
				if e, ok := evs[k.ID]; ok {
					out = append(out, store.TimelineItem{Date: e.Occurred, Event: &e})
				}
			} else if r, ok := rels[k.ID]; ok {
				out = append(out, store.TimelineItem{Date: r.Occurred, Relation: &r})
			}
		}
		return nil
	})
	return out, err
}

// Dyads tallies relations by ordered pair of actors (see store.DyadQuery).
// With RollUp each end is its top ancestor (topAncestor; places are their
// own top), q.From / q.To are rolled up the same way before they are
// compared, and pairs whose ends roll up to one actor are left out. It
// walks every relation in the index (checking ctx as it goes).
func (s *Store) Dyads(ctx context.Context, query store.DyadQuery) ([]store.Dyad, error) {
	q, err := rules.CheckDyads(query)
	if err != nil {
		return nil, err
	}
	var out []store.Dyad
	err = s.read(ctx, func(_ *bolt.Tx, idx *index) error {
		tops := map[string]string{}
		end := func(n string) string {
			if !q.RollUp {
				return n
			}
			t, ok := tops[n]
			if !ok {
				t = topAncestor(n, idx.parentsOf)
				tops[n] = t
			}
			return t
		}
		touched := func(id string) bool {
			return listOf(idx.byFrom, id).Len() > 0 || listOf(idx.byTo, id).Len() > 0
		}
		// A given end that no relation touches has no dyads.
		fromT, toT := "", ""
		if q.From != "" {
			if !touched(q.From) || !idx.hasActor(q.From) {
				return nil
			}
			fromT = end(q.From)
		}
		if q.To != "" {
			if !touched(q.To) {
				return nil
			}
			toT = end(q.To)
		}
		match := idx.matcher(q.DyadFilter()) // the relation lists' own predicates
		type pair struct{ from, to string }
		groups := map[pair][]*relKey{}
		seen := 0
		var cancelled error
		tally := func(r *relKey) bool {
			if seen++; seen%checkEvery == 0 {
				if err := ctx.Err(); err != nil {
					cancelled = fmt.Errorf("%w: %w", store.ErrUnavailable, err)
					return false
				}
			}
			if !q.CountsType(r.typ) || !q.Counts(r.attribution, r.status, r.review) ||
				!rules.InRange(rules.Pick(q.Dates, r.occurred, r.reported), q.Dates) || !match(r) {
				return true
			}
			f, t := end(r.from), end(r.to)
			if (q.RollUp && f == t) || (fromT != "" && f != fromT) || (toT != "" && t != toT) {
				return true
			}
			groups[pair{f, t}] = append(groups[pair{f, t}], r)
			return true
		}
		// With an end given, only the lists of the actors that roll up to
		// it can hold its dyads (an actor's top is above it, so the actor
		// is among the top's descendants); without, every relation.
		switch {
		case fromT != "":
			idx.eachListUnder(idx.byFrom, fromT, q.RollUp, tally)
		case toT != "":
			idx.eachListUnder(idx.byTo, toT, q.RollUp, tally)
		default:
			idx.rels.Ascend(nil, false, tally)
		}
		if cancelled != nil {
			return cancelled
		}
		type dyad struct {
			pair
			rows []*relKey
		}
		list := make([]dyad, 0, len(groups))
		for p, rows := range groups {
			list = append(list, dyad{p, rows})
		}
		list = firstK(list, q.Cap, func(a, b dyad) int {
			return rules.CompareDyads(a.from, a.to, len(a.rows), b.from, b.to, len(b.rows))
		})
		out = make([]store.Dyad, 0, len(list))
		for _, d := range list {
			rows := make([]rules.DyadRow, len(d.rows))
			for i, r := range d.rows {
				rows[i] = rules.DyadRow{ID: r.id, Type: r.typ, Occurred: r.occurred, Precision: r.precision, Evidence: r.evidence, Goldstein: r.goldstein}
			}
			out = append(out, rules.BuildDyad(d.from, d.to, rows, q.Interval))
		}
		return nil
	})
	return out, err
}

// firstK returns the k first items of list under cmpf, sorted: one pass
// that keeps the best k seen (a new item is compared with the worst kept
// and rarely enters), instead of sorting everything.
func firstK[T any](list []T, k int, cmpf func(a, b T) int) []T {
	if len(list) <= k {
		slices.SortFunc(list, cmpf)
		return list
	}
	best := slices.Clone(list[:k])
	slices.SortFunc(best, cmpf)
	for _, x := range list[k:] {
		if cmpf(x, best[k-1]) >= 0 {
			continue
		}
		i, _ := slices.BinarySearchFunc(best, x, cmpf)
		copy(best[i+1:], best[i:k-1])
		best[i] = x
	}
	return best
}

// eachListUnder walks the lists (in t) of top and, with rollUp, of every
// actor below it, until fn returns false.
func (x *index) eachListUnder(t adjTree, top string, rollUp bool, fn func(*relKey) bool) {
	set := []string{top}
	if rollUp {
		set = x.descendants(top)
	}
	for _, a := range set {
		if !listOf(t, a).Ascend(nil, false, fn) {
			return
		}
	}
}

// Disputes returns every contested claim — an ALLEGED relation that some
// relation alleges — with its accusations (by alleges), the denials of it
// or of its accusations (DENIES, by denies) and its counter-claims (other
// ALLEGED relations of its type and event from another actor), each list
// by id. actorID, when set, keeps the disputes where that actor or one
// below it is the claim's From or To or the From of one of those
// relations; dates bound the claim's date (dates.On). Ordered by claim id.
func (s *Store) Disputes(ctx context.Context, actorID string, dates store.DateRange, limit int) ([]store.Dispute, error) {
	dates, err := rules.CheckRange(dates)
	if err != nil {
		return nil, err
	}
	if limit, err = rules.AnLimit(limit); err != nil {
		return nil, err
	}
	var out []store.Dispute
	err = s.read(ctx, func(tx *bolt.Tx, idx *index) error {
		var who map[string]bool
		if actorID != "" {
			if !idx.hasActor(actorID) {
				return nil
			}
			who = actorSet(idx, actorID, true)
		}
		ids := func(t adjTree, key string) []string { return relIDs(listOf(t, key).Items()) }
		relOf := func(id string) *relKey {
			k, ok := idx.rel(id)
			if !ok {
				return &relKey{}
			}
			return k
		}
		type dispute struct{ claim, accs, dens, counters []string }
		var found []dispute
		var all []string
		idx.byAlleges.Ascend(nil, false, func(a adj) bool {
			cid := a.key
			c, ok := idx.rel(cid)
			if !ok || c.attribution != kg.Alleged || !rules.InRange(rules.Pick(dates, c.occurred, c.reported), dates) {
				return true
			}
			d := dispute{claim: []string{cid}, accs: capIDs(relIDs(a.rels.Items()))}
			var dens []string
			for _, target := range append([]string{cid}, d.accs...) {
				for _, id := range ids(idx.byDenies, target) {
					if relOf(id).typ == kg.Denies {
						dens = append(dens, id)
					}
				}
			}
			slices.Sort(dens)
			d.dens = capIDs(slices.Compact(dens))
			if c.event != "" {
				var counters []string
				listOf(idx.byEvent, c.event).Ascend(nil, false, func(r *relKey) bool {
					if r.id != cid && r.attribution == kg.Alleged && r.typ == c.typ && r.from != c.from {
						counters = append(counters, r.id)
					}
					return true
				})
				d.counters = capIDs(counters)
			}
			if who != nil && !who[c.from] && !who[c.to] && !slices.ContainsFunc(slices.Concat(d.accs, d.dens, d.counters),
				func(id string) bool { return who[relOf(id).from] }) {
				return true
			}
			found = append(found, d)
			all = append(all, slices.Concat(d.claim, d.accs, d.dens, d.counters)...)
			return len(found) < limit
		})
		recs := map[string]kg.Relation{}
		if err := get(tx, bRelations, all, recs); err != nil {
			return err
		}
		out = make([]store.Dispute, 0, len(found))
		for _, d := range found {
			c, ok := recs[d.claim[0]]
			if !ok {
				continue
			}
			out = append(out, store.Dispute{Claim: c, Accusations: ordered(d.accs, recs), Denials: ordered(d.dens, recs),
				CounterClaims: ordered(d.counters, recs)})
		}
		return nil
	})
	return out, err
}

func capIDs(ids []string) []string {
	if len(ids) > rules.AnCap {
		return ids[:rules.AnCap]
	}
	return ids
}

// BM25 parameters of the embedded full-text index.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// Search finds the actors (name, aliases), events (name, description) and
// relations (one evidence quote) holding every token of text, scored by
// BM25 over the store's documents; ordered by score, kind, id.
func (s *Store) Search(ctx context.Context, text string, kinds []store.SearchKind, limit int) ([]store.SearchHit, error) {
	tokens, err := rules.QueryTokens(text)
	if err != nil {
		return nil, err
	}
	want, err := rules.CheckKinds(kinds)
	if err != nil {
		return nil, err
	}
	if limit, err = rules.AnLimit(limit); err != nil {
		return nil, err
	}
	var out []store.SearchHit
	err = s.analystView(ctx, func(tx *bolt.Tx, _ *index, an *analytics) error {
		lists := make([][]posting, len(tokens))
		for i, t := range tokens {
			if lists[i] = an.postings[t]; len(lists[i]) == 0 {
				return nil
			}
		}
		// Walk the shortest list; find each doc in the others by binary search.
		order := make([]int, len(lists))
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(a, b int) int { return cmp.Compare(len(lists[a]), len(lists[b])) })
		n := float64(len(an.docs))
		idf := make([]float64, len(lists))
		for i, l := range lists {
			df := float64(len(l))
			idf[i] = math.Log(1 + (n-df+0.5)/(df+0.5))
		}
		var hits []store.SearchHit
		var check []int // hits whose quote match must be checked on the record
		for _, p0 := range lists[order[0]] {
			doc := an.docs[p0.doc]
			if !want[doc.kind] {
				continue
			}
			ps := make([]posting, len(lists))
			ps[order[0]] = p0
			ok := true
			for _, i := range order[1:] {
				j, found := slices.BinarySearchFunc(lists[i], p0.doc, func(p posting, d int32) int { return cmp.Compare(p.doc, d) })
				if !found {
					ok = false
					break
				}
				ps[i] = lists[i][j]
			}
			if !ok {
				continue
			}
			mask := ^uint64(0)
			score := 0.0
			norm := bm25K1 * (1 - bm25B + bm25B*float64(doc.length)/an.avgLen)
			for i, p := range ps {
				mask &= p.mask
				tf := float64(p.tf)
				score += idf[i] * tf * (bm25K1 + 1) / (tf + norm)
			}
			if doc.kind == store.HitEvidence {
				if mask == 0 {
					continue
				}
				if mask == 1<<63 {
					check = append(check, len(hits))
				}
			}
			hits = append(hits, store.SearchHit{Kind: doc.kind, ID: doc.id, Score: score})
		}
		// Relations with more than 63 quotes: confirm on the record.
		if len(check) > 0 {
			var ids []string
			for _, i := range check {
				ids = append(ids, hits[i].ID)
			}
			recs := map[string]kg.Relation{}
			if err := get(tx, bRelations, ids, recs); err != nil {
				return err
			}
			drop := map[int]bool{}
			for _, i := range check {
				if !slices.ContainsFunc(recs[hits[i].ID].Evidence, func(e kg.Evidence) bool { return rules.Holds(e.Quote, tokens) }) {
					drop[i] = true
				}
			}
			kept := hits[:0]
			for i, h := range hits {
				if !drop[i] {
					kept = append(kept, h)
				}
			}
			hits = kept
		}
		slices.SortFunc(hits, rules.CompareHits)
		if len(hits) > limit {
			hits = hits[:limit]
		}
		ids := map[store.SearchKind][]string{}
		for _, h := range hits {
			ids[h.Kind] = append(ids[h.Kind], h.ID)
		}
		actors, events, rels := map[string]kg.Actor{}, map[string]kg.Event{}, map[string]kg.Relation{}
		if err := get(tx, bActors, ids[store.HitActor], actors); err != nil {
			return err
		}
		if err := get(tx, bEvents, ids[store.HitEvent], events); err != nil {
			return err
		}
		if err := get(tx, bRelations, ids[store.HitEvidence], rels); err != nil {
			return err
		}
		out = make([]store.SearchHit, 0, len(hits))
		for _, h := range hits {
			var fields []string
			switch h.Kind {
			case store.HitActor:
				fields = rules.ActorSearchFields(actors[h.ID])
			case store.HitEvent:
				fields = rules.EventSearchFields(events[h.ID])
			case store.HitEvidence:
				for _, e := range rels[h.ID].Evidence {
					if rules.Holds(e.Quote, tokens) {
						fields = append(fields, e.Quote)
						break
					}
				}
			}
			h.Text = rules.HitText(fields, tokens)
			out = append(out, h)
		}
		return nil
	})
	return out, err
}
