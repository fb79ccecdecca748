package neo4jstore

// This file is identical in boltstore and neo4jstore (but for the package
// line): the rules both stores must apply the same way — argument checks,
// date ranges, dyad aggregation, timeline order, search tokens and hit text —
// live in one text so they cannot drift apart. (A candidate to move into
// package store.)

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// anCap caps the lists nested in one answer (a dispute's accusations,
// denials and counter-claims), by id.
const anCap = store.MaxLimit

// anLimit applies the analyst calls' limit rule: negative is bad input, 0
// means store.MaxLimit, more than that is cut to it.
func anLimit(limit int) (int, error) {
	switch {
	case limit < 0:
		return 0, fmt.Errorf("limit %d: %w", limit, store.ErrInvalid)
	case limit == 0 || limit > store.MaxLimit:
		return store.MaxLimit, nil
	}
	return limit, nil
}

// checkRange validates d and fills in its default field (OCCURRED).
func checkRange(d store.DateRange) (store.DateRange, error) {
	if d.On == "" {
		d.On = store.OnOccurred
	}
	if d.On != store.OnOccurred && d.On != store.OnReported {
		return d, fmt.Errorf("date range on %q: %w", d.On, store.ErrInvalid)
	}
	for _, s := range []string{d.From, d.To} {
		if s == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			return d, fmt.Errorf("date %q is not YYYY-MM-DD: %w", s, store.ErrInvalid)
		}
	}
	if d.From != "" && d.To != "" && d.From > d.To {
		return d, fmt.Errorf("date range %s..%s is inverted: %w", d.From, d.To, store.ErrInvalid)
	}
	return d, nil
}

// inRange reports whether an ISO date lies in d (inclusive); an unknown
// date ("") matches only the empty range. Dates compare as strings, in
// Neo4j as here.
func inRange(date string, d store.DateRange) bool {
	if d.IsZero() {
		return true
	}
	if date == "" {
		return false
	}
	return (d.From == "" || date >= d.From) && (d.To == "" || date <= d.To)
}

// pick returns the relation's date that d bounds.
func pick(d store.DateRange, occurred, reported string) string {
	if d.On == store.OnReported {
		return reported
	}
	return occurred
}

// checkTimeline validates q: exactly one of Actor and Pair (both ends).
func checkTimeline(q store.TimelineQuery) (store.TimelineQuery, int, error) {
	pair := q.Pair[0] != "" || q.Pair[1] != ""
	switch {
	case q.Actor != "" && pair:
		return q, 0, fmt.Errorf("timeline: an actor or a pair, not both: %w", store.ErrInvalid)
	case q.Actor == "" && !pair:
		return q, 0, fmt.Errorf("timeline: an actor or a pair is required: %w", store.ErrInvalid)
	case pair && (q.Pair[0] == "" || q.Pair[1] == ""):
		return q, 0, fmt.Errorf("timeline: a pair needs two actors: %w", store.ErrInvalid)
	}
	var err error
	if q.Dates, err = checkRange(q.Dates); err != nil {
		return q, 0, err
	}
	limit, err := anLimit(q.Limit)
	return q, limit, err
}

// timelineKey orders timeline items: by date, unknown dates last; on the
// same date relations before events; then by id.
type timelineKey struct {
	date  string
	event bool
	id    string
}

func compareTimeline(a, b timelineKey) int {
	if (a.date == "") != (b.date == "") {
		if a.date == "" {
			return 1
		}
		return -1
	}
	if c := cmp.Compare(a.date, b.date); c != 0 {
		return c
	}
	if a.event != b.event {
		if a.event {
			return 1
		}
		return -1
	}
	return cmp.Compare(a.id, b.id)
}

// dyadQuery is a validated store.DyadQuery.
type dyadQuery struct {
	store.DyadQuery
	types map[kg.RelationType]bool // nil: every non-structural type
	limit int
}

func checkDyads(q store.DyadQuery) (dyadQuery, error) {
	dq := dyadQuery{DyadQuery: q}
	if q.Interval != "" && q.Interval != store.Week && q.Interval != store.Month {
		return dq, fmt.Errorf("dyads: interval %q: %w", q.Interval, store.ErrInvalid)
	}
	for _, t := range q.Types {
		if !t.IsValid() {
			return dq, fmt.Errorf("dyads: relation type %q: %w", t, store.ErrInvalid)
		}
		if dq.types == nil {
			dq.types = map[kg.RelationType]bool{}
		}
		dq.types[t] = true
	}
	var err error
	if dq.Dates, err = checkRange(q.Dates); err != nil {
		return dq, err
	}
	dq.limit, err = anLimit(q.Limit)
	return dq, err
}

// countsType: the listed types, or by default every non-structural type.
func (q dyadQuery) countsType(t kg.RelationType) bool {
	if q.types != nil {
		return q.types[t]
	}
	ti, _ := t.Info()
	return !ti.Structural
}

// counts applies the claims rule: by default only ASSERTED, ACTUAL,
// non-REJECTED relations count; IncludeClaims counts every relation.
func (q dyadQuery) counts(a kg.Attribution, s kg.Status, rv kg.Review) bool {
	return q.IncludeClaims || (a == kg.Asserted && s == kg.Actual && rv != kg.ReviewRejected)
}

// structuralTypes lists the structural relation types (excluded from dyads
// unless asked for).
func structuralTypes() []string {
	var out []string
	for _, ti := range kg.Vocabulary {
		if ti.Structural {
			out = append(out, string(ti.Type))
		}
	}
	return out
}

// dyadRow is what a dyad's aggregation needs of one relation.
type dyadRow struct {
	id        string
	typ       kg.RelationType
	occurred  string
	evidence  int
	goldstein *float64
}

// bucketStart is the start of the interval holding an ISO date: the Monday
// of its ISO week, or the 1st of its month; false for an unknown date.
func bucketStart(date string, iv store.Interval) (string, bool) {
	if date == "" || iv == "" {
		return "", false
	}
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return "", false
	}
	switch iv {
	case store.Week:
		back := (int(t.Weekday()) + 6) % 7 // days since Monday
		return t.AddDate(0, 0, -back).Format(time.DateOnly), true
	case store.Month:
		return t.Format("2006-01") + "-01", true
	}
	return "", false
}

type tally struct {
	relations, evidence int
	goldstein           float64
	byType              map[kg.RelationType]*store.DyadCount
}

func (t *tally) add(r dyadRow) {
	t.relations++
	t.evidence += r.evidence
	if t.byType == nil {
		t.byType = map[kg.RelationType]*store.DyadCount{}
	}
	c := t.byType[r.typ]
	if c == nil {
		c = &store.DyadCount{Type: r.typ}
		t.byType[r.typ] = c
	}
	c.Relations++
	c.Evidence += r.evidence
	if r.goldstein != nil {
		t.goldstein += *r.goldstein
		c.Goldstein += *r.goldstein
	}
}

func (t *tally) counts() []store.DyadCount {
	out := make([]store.DyadCount, 0, len(t.byType))
	for _, c := range t.byType {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b store.DyadCount) int { return cmp.Compare(a.Type, b.Type) })
	return out
}

// buildDyad aggregates a dyad's relations. Floats are summed in relation id
// order in every sum, so both stores return the same exact sums.
func buildDyad(from, to string, rows []dyadRow, iv store.Interval) store.Dyad {
	slices.SortFunc(rows, func(a, b dyadRow) int { return cmp.Compare(a.id, b.id) })
	var total tally
	buckets := map[string]*tally{}
	for _, r := range rows {
		total.add(r)
		if start, ok := bucketStart(r.occurred, iv); ok {
			b := buckets[start]
			if b == nil {
				b = &tally{}
				buckets[start] = b
			}
			b.add(r)
		}
	}
	d := store.Dyad{From: from, To: to, Relations: total.relations, Evidence: total.evidence,
		Goldstein: total.goldstein, ByType: total.counts()}
	for start, b := range buckets {
		d.Series = append(d.Series, store.Bucket{Start: start, Relations: b.relations, Evidence: b.evidence,
			Goldstein: b.goldstein, ByType: b.counts()})
	}
	slices.SortFunc(d.Series, func(a, b store.Bucket) int { return cmp.Compare(a.Start, b.Start) })
	return d
}

// compareDyads orders dyads: most relations first, then From, then To.
func compareDyads(aFrom, aTo string, aN int, bFrom, bTo string, bN int) int {
	return cmp.Or(cmp.Compare(bN, aN), cmp.Compare(aFrom, bFrom), cmp.Compare(aTo, bTo))
}

// queryTokens tokenises a search text (kg.Tokens), without duplicates.
func queryTokens(text string) ([]string, error) {
	var out []string
	for _, t := range kg.Tokens(text) {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("search: %q has no words: %w", text, store.ErrInvalid)
	}
	return out, nil
}

// checkKinds returns the kinds to search (empty: all).
func checkKinds(kinds []store.SearchKind) (map[store.SearchKind]bool, error) {
	all := []store.SearchKind{store.HitActor, store.HitEvent, store.HitEvidence}
	if len(kinds) == 0 {
		kinds = all
	}
	out := map[store.SearchKind]bool{}
	for _, k := range kinds {
		if !slices.Contains(all, k) {
			return nil, fmt.Errorf("search: kind %q: %w", k, store.ErrInvalid)
		}
		out[k] = true
	}
	return out, nil
}

// kindList is kinds as a sorted list (Cypher parameter).
func kindList(kinds map[store.SearchKind]bool) []any {
	var out []string
	for k := range kinds {
		out = append(out, string(k))
	}
	slices.Sort(out)
	l := make([]any, len(out))
	for i, k := range out {
		l[i] = k
	}
	return l
}

// holds reports whether the tokens of text contain every query token.
func holds(text string, tokens []string) bool {
	return matched(kg.Tokens(text), tokens) == len(tokens)
}

// matched counts the query tokens found in toks.
func matched(toks, query []string) int {
	n := 0
	for _, q := range query {
		if slices.Contains(toks, q) {
			n++
		}
	}
	return n
}

// hitText is a hit's Text: the first of its fields (an actor's name then
// aliases; an event's name then description; a relation's evidence quotes)
// that holds the most query tokens — for evidence, the first quote holding
// them all.
func hitText(fields []string, tokens []string) string {
	best, bestN := "", -1
	for _, f := range fields {
		if n := matched(kg.Tokens(f), tokens); n > bestN {
			best, bestN = f, n
		}
	}
	return best
}

// compareHits orders hits by score (highest first), then kind, then id.
func compareHits(a, b store.SearchHit) int {
	return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.ID, b.ID))
}

// Search documents. An actor's searchable text is its name and aliases, an
// event's its name and description: one document each, so a query's words
// may come from different fields. A relation's evidence quotes are matched
// one by one: a relation is a hit when one quote holds every query word.

// actorSearchFields are the texts an actor is found by: name, then aliases.
func actorSearchFields(a kg.Actor) []string { return append([]string{a.Name}, a.Aliases...) }

// eventSearchFields are the texts an event is found by: name, then description.
func eventSearchFields(e kg.Event) []string { return []string{e.Name, e.Description} }

// actorSearchTokens is the space-joined kg.Tokens of an actor's search fields.
func actorSearchTokens(a kg.Actor) string { return joinTokens(actorSearchFields(a)) }

// eventSearchTokens is the space-joined kg.Tokens of an event's search fields.
func eventSearchTokens(e kg.Event) string { return joinTokens(eventSearchFields(e)) }

// evidenceSearchTokens holds each quote's space-joined tokens, one quote per
// line, so a store can check the words of one quote; a full-text index with
// a whitespace analyzer sees all the relation's words.
func evidenceSearchTokens(ev []kg.Evidence) string {
	if len(ev) == 0 {
		return ""
	}
	lines := make([]string, len(ev))
	for i, e := range ev {
		lines[i] = strings.Join(kg.Tokens(e.Quote), " ")
	}
	return strings.Join(lines, "\n")
}

func joinTokens(texts []string) string {
	var toks []string
	for _, t := range texts {
		toks = append(toks, kg.Tokens(t)...)
	}
	return strings.Join(toks, " ")
}
