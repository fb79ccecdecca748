package boltstore

import (
	"cmp"
	"context"
	"encoding/json"
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
// read transaction: the in-memory indexes choose the records, the
// transaction reads just those. What the indexes of index.go do not keep
// (dates, review, scores, evidence counts, the hierarchy's tops, the
// full-text postings) is an analytics snapshot built from the records once
// per index snapshot, inside the first analyst call's transaction, and
// dropped with the index it belongs to.

var _ store.Analyst = (*Store)(nil)

// relRow is what analytics keeps of a relation. Ends are node numbers
// (analytics.nodeIDs), so dyads group by integers.
type relRow struct {
	id                 string
	typ                kg.RelationType
	from, to           int32
	attribution        kg.Attribution
	status             kg.Status
	review             kg.Review
	occurred, reported string
	precision          kg.Precision // of occurred
	goldstein          *float64
	evidence           int
}

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

// analytics is an immutable snapshot derived from every record.
type analytics struct {
	rows   []relRow          // by id
	rowOf  map[string]int32  // relation id -> row
	events map[string]string // event id -> occurred date ("" unknown)
	// nodeIDs numbers the relations' ends; topOf rules.Holds each one's top ancestor.
	nodeIDs []string
	nodeOf  map[string]int32
	topOf   []int32

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
	an := &analytics{rowOf: map[string]int32{}, events: map[string]string{}, nodeOf: map[string]int32{},
		postings: map[string][]posting{}}
	node := func(id string) int32 {
		n, ok := an.nodeOf[id]
		if !ok {
			n = int32(len(an.nodeIDs))
			an.nodeOf[id] = n
			an.nodeIDs = append(an.nodeIDs, id)
		}
		return n
	}
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
	actors := map[string]bool{}
	err := tx.Bucket(bActors).ForEach(func(_, v []byte) error {
		var a kg.Actor
		if err := json.Unmarshal(v, &a); err != nil {
			return err
		}
		actors[a.ID] = true
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
		an.events[e.ID] = e.Occurred.Date
		addDoc(searchDoc{kind: store.HitEvent, id: e.ID}, tokensOf(rules.EventSearchFields(e)))
		return nil
	})
	if err != nil {
		return nil, err
	}
	parents := map[string][]string{}
	err = tx.Bucket(bRelations).ForEach(func(_, v []byte) error {
		var r kg.Relation
		if err := json.Unmarshal(v, &r); err != nil {
			return err
		}
		an.rowOf[r.ID] = int32(len(an.rows))
		an.rows = append(an.rows, relRow{id: r.ID, typ: r.Type, from: node(r.From), to: node(r.To),
			attribution: r.Attribution, status: r.Status, review: r.Provenance.Review,
			occurred: r.Occurred.Date, reported: r.Reported.Date, precision: r.Occurred.Precision, goldstein: r.Goldstein, evidence: len(r.Evidence)})
		if r.Type.IsHierarchy() && actors[r.To] && !slices.Contains(parents[r.From], r.To) {
			parents[r.From] = append(parents[r.From], r.To)
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
	an.topOf = make([]int32, len(an.nodeIDs))
	for n, id := range an.nodeIDs {
		an.topOf[n] = int32(n)
		if len(parents[id]) > 0 {
			an.topOf[n] = node(topAncestor(id, parents))
		}
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
func topAncestor(a string, parents map[string][]string) string {
	seen := map[string]bool{a: true}
	frontier := []string{a}
	top := ""
	for depth := 0; depth < maxRollUpDepth && len(frontier) > 0; depth++ {
		var next []string
		for _, x := range frontier {
			for _, p := range parents[x] {
				if len(parents[p]) == 0 && (top == "" || p < top) {
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

// row returns the facts of relation id.
func (an *analytics) row(id string) (relRow, bool) {
	i, ok := an.rowOf[id]
	if !ok {
		return relRow{}, false
	}
	return an.rows[i], true
}

// analyticsEntry builds one index snapshot's analytics once.
type analyticsEntry struct {
	once sync.Once
	an   *analytics
	err  error
}

// analyticsCache maps an index snapshot (weakly: the entry goes when the
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

// analystView runs fn in one read transaction with the index snapshot and
// its analytics.
func (s *Store) analystView(ctx context.Context, fn func(tx *bolt.Tx, idx *index, an *analytics) error) error {
	idx := s.snapshot()
	return s.view(ctx, func(tx *bolt.Tx) error {
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
	err = s.analystView(ctx, func(tx *bolt.Tx, idx *index, an *analytics) error {
		var cand []string
		if q.Actor != "" {
			if _, ok := idx.actors[q.Actor]; !ok {
				return nil
			}
			for a := range actorSet(idx, q.Actor, q.RollUp) {
				cand = append(cand, idx.byFrom[a]...)
				cand = append(cand, idx.byTo[a]...)
			}
		} else {
			for _, id := range q.Pair {
				if _, ok := idx.actors[id]; !ok {
					return nil
				}
			}
			A, B := actorSet(idx, q.Pair[0], q.RollUp), actorSet(idx, q.Pair[1], q.RollUp)
			for a := range A {
				for _, id := range idx.byFrom[a] {
					if B[idx.rels[id].to] {
						cand = append(cand, id)
					}
				}
				for _, id := range idx.byTo[a] {
					if B[idx.rels[id].from] {
						cand = append(cand, id)
					}
				}
			}
		}
		slices.Sort(cand)
		cand = slices.Compact(cand)

		var keys []rules.TimelineKey
		events := map[string]bool{}
		for _, id := range cand {
			f, ok := an.row(id)
			if !ok {
				continue
			}
			if rules.InRange(rules.Pick(q.Dates, f.occurred, f.reported), q.Dates) {
				keys = append(keys, rules.TimelineKey{Date: f.occurred, ID: id})
			}
			if ev := idx.rels[id].event; ev != "" && (q.Dates.On != store.OnReported || rules.InRange(f.reported, q.Dates)) {
				events[ev] = true
			}
		}
		for ev := range events {
			date, ok := an.events[ev]
			if !ok || (q.Dates.On != store.OnReported && !rules.InRange(date, q.Dates)) {
				continue
			}
			keys = append(keys, rules.TimelineKey{Date: date, Event: true, ID: ev})
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
// compared, and pairs whose ends roll up to one actor are left out.
func (s *Store) Dyads(ctx context.Context, query store.DyadQuery) ([]store.Dyad, error) {
	q, err := rules.CheckDyads(query)
	if err != nil {
		return nil, err
	}
	var out []store.Dyad
	err = s.analystView(ctx, func(_ *bolt.Tx, idx *index, an *analytics) error {
		end := func(n int32) int32 {
			if q.RollUp {
				return an.topOf[n]
			}
			return n
		}
		// A given end that no relation touches has no dyads.
		fromT, toT := int32(-1), int32(-1)
		if q.From != "" {
			n, ok := an.nodeOf[q.From]
			if _, actor := idx.actors[q.From]; !ok || !actor {
				return nil
			}
			fromT = end(n)
		}
		if q.To != "" {
			n, ok := an.nodeOf[q.To]
			if !ok {
				return nil
			}
			toT = end(n)
		}
		groups := map[uint64][]int32{} // (from, to) -> rows
		for i := range an.rows {
			r := &an.rows[i]
			if !q.CountsType(r.typ) || !q.Counts(r.attribution, r.status, r.review) ||
				!rules.InRange(rules.Pick(q.Dates, r.occurred, r.reported), q.Dates) {
				continue
			}
			f, t := end(r.from), end(r.to)
			if (q.RollUp && f == t) || (fromT >= 0 && f != fromT) || (toT >= 0 && t != toT) {
				continue
			}
			key := uint64(f)<<32 | uint64(t)
			groups[key] = append(groups[key], int32(i))
		}
		type dyad struct {
			from, to string
			rows     []int32
		}
		list := make([]dyad, 0, len(groups))
		for key, rows := range groups {
			list = append(list, dyad{an.nodeIDs[key>>32], an.nodeIDs[uint32(key)], rows})
		}
		slices.SortFunc(list, func(a, b dyad) int {
			return rules.CompareDyads(a.from, a.to, len(a.rows), b.from, b.to, len(b.rows))
		})
		if len(list) > q.Cap {
			list = list[:q.Cap]
		}
		out = make([]store.Dyad, 0, len(list))
		for _, d := range list {
			rows := make([]rules.DyadRow, len(d.rows))
			for i, n := range d.rows {
				r := &an.rows[n]
				rows[i] = rules.DyadRow{ID: r.id, Type: r.typ, Occurred: r.occurred, Precision: r.precision, Evidence: r.evidence, Goldstein: r.goldstein}
			}
			out = append(out, rules.BuildDyad(d.from, d.to, rows, q.Interval))
		}
		return nil
	})
	return out, err
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
	err = s.analystView(ctx, func(tx *bolt.Tx, idx *index, an *analytics) error {
		var who map[string]bool
		if actorID != "" {
			if _, ok := idx.actors[actorID]; !ok {
				return nil
			}
			who = actorSet(idx, actorID, true)
		}
		claims := make([]string, 0, len(idx.byAlleges))
		for id := range idx.byAlleges {
			claims = append(claims, id)
		}
		slices.Sort(claims)
		type dispute struct{ claim, accs, dens, counters []string }
		var found []dispute
		var all []string
		for _, cid := range claims {
			c, ok := idx.rels[cid]
			f, _ := an.row(cid)
			if !ok || c.attribution != kg.Alleged || !rules.InRange(rules.Pick(dates, f.occurred, f.reported), dates) {
				continue
			}
			d := dispute{claim: []string{cid}, accs: capIDs(idx.byAlleges[cid])}
			var dens []string
			for _, target := range append([]string{cid}, d.accs...) {
				for _, id := range idx.byDenies[target] {
					if idx.rels[id].typ == kg.Denies {
						dens = append(dens, id)
					}
				}
			}
			slices.Sort(dens)
			d.dens = capIDs(slices.Compact(dens))
			if c.event != "" {
				var counters []string
				for _, id := range idx.byEvent[c.event] {
					r := idx.rels[id]
					if id != cid && r.attribution == kg.Alleged && r.typ == c.typ && r.from != c.from {
						counters = append(counters, id)
					}
				}
				d.counters = capIDs(counters)
			}
			if who != nil && !who[c.from] && !who[c.to] && !slices.ContainsFunc(slices.Concat(d.accs, d.dens, d.counters),
				func(id string) bool { return who[idx.rels[id].from] }) {
				continue
			}
			found = append(found, d)
			all = append(all, slices.Concat(d.claim, d.accs, d.dens, d.counters)...)
			if len(found) == limit {
				break
			}
		}
		recs := map[string]kg.Relation{}
		if err := get(tx, bRelations, all, recs); err != nil {
			return err
		}
		list := func(ids []string) []kg.Relation {
			rs := make([]kg.Relation, 0, len(ids))
			for _, id := range ids {
				if r, ok := recs[id]; ok {
					rs = append(rs, r)
				}
			}
			return rs
		}
		out = make([]store.Dispute, 0, len(found))
		for _, d := range found {
			c, ok := recs[d.claim[0]]
			if !ok {
				continue
			}
			out = append(out, store.Dispute{Claim: c, Accusations: list(d.accs), Denials: list(d.dens),
				CounterClaims: list(d.counters)})
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
