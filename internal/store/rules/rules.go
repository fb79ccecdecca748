// Package rules holds the analyst-query rules both stores apply the same
// way — argument checks, date ranges, timeline order, dyad totals, search
// tokens and hit text, a relation filter applied in memory — so Neo4j, the
// embedded store, the change feed and the exports cannot drift apart.
package rules

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// AnCap caps the lists nested in one answer (a dispute's accusations,
// denials and counter-claims), by id.
const AnCap = store.MaxLimit

// AnLimit applies the analyst calls' limit rule: negative is bad input, 0
// means store.MaxLimit, more than that is cut to it.
func AnLimit(limit int) (int, error) {
	switch {
	case limit < 0:
		return 0, fmt.Errorf("limit %d: %w", limit, store.ErrInvalid)
	case limit == 0 || limit > store.MaxLimit:
		return store.MaxLimit, nil
	}
	return limit, nil
}

// CheckRange validates d and fills in its default field (OCCURRED).
func CheckRange(d store.DateRange) (store.DateRange, error) {
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

// InRange reports whether an ISO date lies in d (inclusive); an unknown
// date ("") matches only the empty range. Dates compare as strings, in
// Neo4j as here.
func InRange(date string, d store.DateRange) bool {
	if d.IsZero() {
		return true
	}
	if date == "" {
		return false
	}
	return (d.From == "" || date >= d.From) && (d.To == "" || date <= d.To)
}

// Pick returns the relation's date that d bounds.
func Pick(d store.DateRange, occurred, reported string) string {
	if d.On == store.OnReported {
		return reported
	}
	return occurred
}

// CheckTimeline validates q: exactly one of Actor and Pair (both ends).
func CheckTimeline(q store.TimelineQuery) (store.TimelineQuery, int, error) {
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
	if q.Dates, err = CheckRange(q.Dates); err != nil {
		return q, 0, err
	}
	limit, err := AnLimit(q.Limit)
	return q, limit, err
}

// TimelineKey orders timeline items: by date, unknown dates last; on the
// same date relations before events; then by id.
type TimelineKey struct {
	Date  string
	Event bool
	ID    string
}

func CompareTimeline(a, b TimelineKey) int {
	if (a.Date == "") != (b.Date == "") {
		if a.Date == "" {
			return 1
		}
		return -1
	}
	if c := cmp.Compare(a.Date, b.Date); c != 0 {
		return c
	}
	if a.Event != b.Event {
		if a.Event {
			return 1
		}
		return -1
	}
	return cmp.Compare(a.ID, b.ID)
}

// TimelineOf orders relations and events as a timeline: each relation by
// the date it occurred, each event by its own date (with the range on
// REPORTED dates, events are kept whatever their date, as the stores do),
// cut to limit. Used for timelines narrowed by a relation filter, whose
// relations come from the filtered relation lists.
func TimelineOf(rels []kg.Relation, events map[string]kg.Event, d store.DateRange, limit int) []store.TimelineItem {
	out := make([]store.TimelineItem, 0, len(rels)+len(events))
	seen := map[string]bool{}
	for i := range rels {
		r := &rels[i]
		if seen[r.ID] {
			continue
		}
		seen[r.ID] = true
		out = append(out, store.TimelineItem{Date: r.Occurred, Relation: r})
	}
	for id := range events {
		e := events[id]
		if d.On != store.OnReported && !InRange(e.Occurred.Date, d) {
			continue
		}
		out = append(out, store.TimelineItem{Date: e.Occurred, Event: &e})
	}
	key := func(it store.TimelineItem) TimelineKey {
		if it.Event != nil {
			return TimelineKey{Date: it.Date.Date, Event: true, ID: it.Event.ID}
		}
		return TimelineKey{Date: it.Date.Date, ID: it.Relation.ID}
	}
	slices.SortFunc(out, func(a, b store.TimelineItem) int { return CompareTimeline(key(a), key(b)) })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// DyadQuery is a validated store.DyadQuery.
type DyadQuery struct {
	store.DyadQuery
	TypeSet map[kg.RelationType]bool // nil: every non-structural type
	Cap     int
}

func CheckDyads(q store.DyadQuery) (DyadQuery, error) {
	dq := DyadQuery{DyadQuery: q}
	if q.Interval != "" && q.Interval != store.Week && q.Interval != store.Month {
		return dq, fmt.Errorf("dyads: interval %q: %w", q.Interval, store.ErrInvalid)
	}
	for _, t := range q.Types {
		if !t.IsValid() {
			return dq, fmt.Errorf("dyads: relation type %q: %w", t, store.ErrInvalid)
		}
		if dq.TypeSet == nil {
			dq.TypeSet = map[kg.RelationType]bool{}
		}
		dq.TypeSet[t] = true
	}
	var err error
	if dq.Dates, err = CheckRange(q.Dates); err != nil {
		return dq, err
	}
	dq.Cap, err = AnLimit(q.Limit)
	return dq, err
}

// countsType: the listed types, or by default every non-structural type.
func (q DyadQuery) CountsType(t kg.RelationType) bool {
	if q.TypeSet != nil {
		return q.TypeSet[t]
	}
	ti, _ := t.Info()
	return !ti.Structural
}

// The facts rule of facts-only views (dyads without includeClaims): a
// relation is a fact when the source asserts it, it was made, and no
// reviewer rejected it. "Made" is ACTUAL or CONDITIONAL: a conditional
// threat or offer is itself an act — Kerry threatened Russia even though
// the threat's condition decides whether it is carried out — while PLANNED,
// NEGATED and HYPOTHETICAL acts did not take place. An ALLEGED relation is
// a claim, whatever its status.

// FactStatuses are the statuses of acts that were made.
var FactStatuses = []kg.Status{kg.Actual, kg.Conditional}

// IsFact applies the facts rule.
func IsFact(a kg.Attribution, s kg.Status, rv kg.Review) bool {
	return a == kg.Asserted && slices.Contains(FactStatuses, s) && rv != kg.ReviewRejected
}

// Counts applies the claims rule: by default only facts (IsFact) count;
// IncludeClaims counts every relation.
func (q DyadQuery) Counts(a kg.Attribution, s kg.Status, rv kg.Review) bool {
	return q.IncludeClaims || IsFact(a, s, rv)
}

// StructuralTypes lists the structural relation types (excluded from dyads
// unless asked for).
func StructuralTypes() []string {
	var out []string
	for _, ti := range kg.Vocabulary {
		if ti.Structural {
			out = append(out, string(ti.Type))
		}
	}
	return out
}

// DyadRow is what a dyad's aggregation needs of one relation.
type DyadRow struct {
	ID        string
	Type      kg.RelationType
	Occurred  string
	Precision kg.Precision // of Occurred; "" counts as DAY
	Evidence  int
	Goldstein *float64
}

// BucketStart is the start of the interval holding an ISO date: the Monday
// of its ISO week, or the 1st of its month; false for an unknown date and
// for a date less precise than the interval — a month-precision date
// (stored as the 1st) lies in no particular week, and a week's Monday
// could be in the previous month — so series hold only what they can place.
func BucketStart(date string, p kg.Precision, iv store.Interval) (string, bool) {
	if date == "" || iv == "" || !FitsInterval(p, iv) {
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

type Tally struct {
	relations, evidence int
	goldstein           float64
	byType              map[kg.RelationType]*store.DyadCount
}

func (t *Tally) add(r DyadRow) {
	t.relations++
	t.evidence += r.Evidence
	if t.byType == nil {
		t.byType = map[kg.RelationType]*store.DyadCount{}
	}
	c := t.byType[r.Type]
	if c == nil {
		c = &store.DyadCount{Type: r.Type}
		t.byType[r.Type] = c
	}
	c.Relations++
	c.Evidence += r.Evidence
	if r.Goldstein != nil {
		t.goldstein += *r.Goldstein
		c.Goldstein += *r.Goldstein
	}
}

func (t *Tally) counts() []store.DyadCount {
	out := make([]store.DyadCount, 0, len(t.byType))
	for _, c := range t.byType {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b store.DyadCount) int { return cmp.Compare(a.Type, b.Type) })
	return out
}

// FitsInterval reports whether a date of precision p can be placed in one
// bucket of iv.
func FitsInterval(p kg.Precision, iv store.Interval) bool {
	switch p {
	case "", kg.PrecisionDay:
		return true
	case kg.PrecisionWeek:
		return iv == store.Week
	case kg.PrecisionMonth:
		return iv == store.Month
	}
	return false
}

// BuildDyad aggregates a dyad's relations. Floats are summed in relation id
// order in every sum, so both stores return the same exact sums.
func BuildDyad(from, to string, rows []DyadRow, iv store.Interval) store.Dyad {
	slices.SortFunc(rows, func(a, b DyadRow) int { return cmp.Compare(a.ID, b.ID) })
	var total Tally
	buckets := map[string]*Tally{}
	for _, r := range rows {
		total.add(r)
		if start, ok := BucketStart(r.Occurred, r.Precision, iv); ok {
			b := buckets[start]
			if b == nil {
				b = &Tally{}
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

// CompareDyads orders dyads: most relations first, then From, then To.
func CompareDyads(aFrom, aTo string, aN int, bFrom, bTo string, bN int) int {
	return cmp.Or(cmp.Compare(bN, aN), cmp.Compare(aFrom, bFrom), cmp.Compare(aTo, bTo))
}

// QueryTokens tokenises a search text (kg.Tokens), without duplicates.
func QueryTokens(text string) ([]string, error) {
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

// CheckKinds returns the kinds to search (empty: all).
func CheckKinds(kinds []store.SearchKind) (map[store.SearchKind]bool, error) {
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

// KindList is kinds as a sorted list (Cypher parameter).
func KindList(kinds map[store.SearchKind]bool) []any {
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

// Holds reports whether the tokens of text contain every query token.
func Holds(text string, tokens []string) bool {
	return Matched(kg.Tokens(text), tokens) == len(tokens)
}

// Matched counts the query tokens found in toks.
func Matched(toks, query []string) int {
	n := 0
	for _, q := range query {
		if slices.Contains(toks, q) {
			n++
		}
	}
	return n
}

// HitText is a hit's Text: the first of its fields (an actor's name then
// aliases; an event's name then description; a relation's evidence quotes)
// that Holds the most query tokens — for evidence, the first quote holding
// them all.
func HitText(fields []string, tokens []string) string {
	best, bestN := "", -1
	for _, f := range fields {
		if n := Matched(kg.Tokens(f), tokens); n > bestN {
			best, bestN = f, n
		}
	}
	return best
}

// CompareHits orders hits by score (highest first), then kind, then id.
func CompareHits(a, b store.SearchHit) int {
	return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.ID, b.ID))
}

// Search documents. An actor's searchable text is its name and aliases, an
// event's its name and description: one document each, so a query's words
// may come from different fields. A relation's evidence quotes are Matched
// one by one: a relation is a hit when one quote Holds every query word.

// ActorSearchFields are the texts an actor is found by: name, then aliases.
func ActorSearchFields(a kg.Actor) []string { return append([]string{a.Name}, a.Aliases...) }

// EventSearchFields are the texts an event is found by: name, then description.
func EventSearchFields(e kg.Event) []string { return []string{e.Name, e.Description} }

// ActorSearchTokens is the space-joined kg.Tokens of an actor's search fields.
func ActorSearchTokens(a kg.Actor) string { return JoinTokens(ActorSearchFields(a)) }

// EventSearchTokens is the space-joined kg.Tokens of an event's search fields.
func EventSearchTokens(e kg.Event) string { return JoinTokens(EventSearchFields(e)) }

// EvidenceSearchTokens Holds each quote's space-joined tokens, one quote per
// line, so a store can check the words of one quote; a full-text index with
// a whitespace analyzer sees all the relation's words.
func EvidenceSearchTokens(ev []kg.Evidence) string {
	if len(ev) == 0 {
		return ""
	}
	lines := make([]string, len(ev))
	for i, e := range ev {
		lines[i] = strings.Join(kg.Tokens(e.Quote), " ")
	}
	return strings.Join(lines, "\n")
}

func JoinTokens(texts []string) string {
	var toks []string
	for _, t := range texts {
		toks = append(toks, kg.Tokens(t)...)
	}
	return strings.Join(toks, " ")
}

// Path finder argument checks: both stores answer bad queries with the same
// messages.

func CheckNeighborhood(q *store.NeighborhoodQuery) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf(format+": %w", append(args, store.ErrInvalid)...)
	}
	switch {
	case q.Depth < 1 || q.Depth > 3:
		return bad("depth: must be 1..3, got %d", q.Depth)
	case q.Limit < 1:
		return bad("limit: must be at least 1, got %d", q.Limit)
	case q.PerNode < 1:
		return bad("perNode: must be at least 1, got %d", q.PerNode)
	}
	switch q.Direction {
	case store.Out, store.In, store.Both:
	default:
		return bad("direction: must be OUT, IN or BOTH, got %q", q.Direction)
	}
	if err := CheckTypes(q.Types); err != nil {
		return err
	}
	if err := CheckDates(q.Dates); err != nil {
		return err
	}
	q.Limit, q.PerNode = min(q.Limit, store.MaxLimit), min(q.PerNode, store.MaxLimit)
	if q.Dates.On == "" {
		q.Dates.On = store.OnOccurred
	}
	return nil
}

func CheckTypes(types []kg.RelationType) error {
	for _, t := range types {
		if !t.IsValid() {
			return fmt.Errorf("types: unknown relation type %q: %w", t, store.ErrInvalid)
		}
	}
	return nil
}

func CheckDates(r store.DateRange) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("dates: "+format+": %w", append(args, store.ErrInvalid)...)
	}
	switch r.On {
	case "", store.OnOccurred, store.OnReported:
	default:
		return bad("on: must be OCCURRED or REPORTED, got %q", r.On)
	}
	for _, d := range []string{r.From, r.To} {
		if d == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, d); err != nil || len(d) != len(time.DateOnly) {
			return bad("%q is not a YYYY-MM-DD date", d)
		}
	}
	if r.From != "" && r.To != "" && r.From > r.To {
		return bad("from %s is after to %s", r.From, r.To)
	}
	return nil
}

// CheckPaths checks a path query and returns how many paths to return.
func CheckPaths(fromID, toID string, q store.PathQuery) (int, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf(format+": %w", append(args, store.ErrInvalid)...)
	}
	switch {
	case q.MaxLength < 1 || q.MaxLength > 6:
		return 0, bad("maxLength: must be 1..6, got %d", q.MaxLength)
	case fromID == toID:
		return 0, bad("to: must differ from from, both are %q", fromID)
	case q.Limit < 0:
		return 0, bad("limit: must be at least 1, got %d", q.Limit)
	}
	switch q.Attribution {
	case "", kg.Asserted, kg.Alleged:
	default:
		return 0, bad("attribution: must be ASSERTED or ALLEGED, got %q", q.Attribution)
	}
	if err := CheckTypes(q.Types); err != nil {
		return 0, err
	}
	if !q.All {
		return 1, nil
	}
	if q.Limit == 0 {
		return 10, nil
	}
	return min(q.Limit, store.MaxLimit), nil
}
