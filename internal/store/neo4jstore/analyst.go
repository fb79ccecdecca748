package neo4jstore

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/rules"
)

// The analyst's questions on Neo4j: each call is one statement in one read
// transaction, its text fixed at package init (relationship types only from
// the kg allowlist), every limit inside it. Where both stores must agree to
// the last bit — dyad sums, timeline order, hit texts — the statement
// returns the few values per relation the rule needs and the shared Go code
// of analyst_shared.go applies it, as the embedded store does.

var _ store.Analyst = (*Store)(nil)

// anProj projects relationship v into the map decodeRelation reads.
func anProj(v string) string {
	return v + " {.*, type: type(" + v + "), from: startNode(" + v + ").id, to: endNode(" + v + ").id}"
}

// upHierarchy is the rollUp step: PART_OF / HOLDS_ROLE, at most 20 hops (the
// embedded store's maxRollUpDepth).
const upHierarchy = "[:PART_OF|HOLDS_ROLE*1..20]"

// inRangeCypher is rules.InRange over the expression x: an unknown (null) date
// matches only the empty range (both ends empty strings).
func inRangeCypher(x string) string {
	return "($dfrom = '' OR " + x + " >= $dfrom) AND ($dto = '' OR " + x + " <= $dto)"
}

// relDate is the date of relationship v that $on bounds.
func relDate(v string) string {
	return "CASE $on WHEN 'REPORTED' THEN " + v + ".reportedDate ELSE " + v + ".occurredDate END"
}

// topOf binds out to the top ancestor of node v (topAncestor in the
// embedded store): the smallest id among the actors without a parent actor
// that v reaches by 1..20 steps up; v itself when there is none.
func topOf(v, out string) string {
	return "CALL (" + v + ") {\n  OPTIONAL MATCH (" + v + ")-" + upHierarchy + "->(t:Actor)\n" +
		"  WHERE NOT (t)-[:PART_OF|HOLDS_ROLE]->(:Actor)\n" +
		"  WITH " + v + ", min(t.id) AS top\n  RETURN coalesce(top, " + v + ".id) AS " + out + "\n}\n"
}

// anUnion is a UNION ALL over every relation type of body, in which %[1]s
// stands for the type (from the allowlist).
func anUnion(indent, body string) string {
	var b strings.Builder
	for i, t := range kg.RelationTypes() {
		if i > 0 {
			b.WriteString(indent + "UNION ALL\n")
		}
		b.WriteString(indent + fmt.Sprintf(body, t) + "\n")
	}
	return b.String()
}

var (
	qTimeline [2][2]string // [pair][rollUp]
	qDyads    = map[dyadShape]string{}
	qDisputes string
	qSearch   string
)

type dyadShape struct{ rollUp, from, to bool }

func timelineQuery(pair, rollUp bool) string {
	var b strings.Builder
	switch {
	case !pair && rollUp:
		b.WriteString(`MATCH (root:Actor {id: $actor})
OPTIONAL MATCH (d:Actor)-` + upHierarchy + `->(root)
WITH root, collect(DISTINCT d) AS ds
UNWIND [root] + ds AS a
WITH DISTINCT a
MATCH (a)-[r]-()
`)
	case !pair:
		b.WriteString("MATCH (a:Actor {id: $actor})-[r]-()\n")
	default:
		b.WriteString("MATCH (x:Actor {id: $a}), (y:Actor {id: $b})\n")
		if rollUp {
			b.WriteString(`OPTIONAL MATCH (dx:Actor)-` + upHierarchy + `->(x)
WITH x, y, collect(DISTINCT dx) AS dxs
OPTIONAL MATCH (dy:Actor)-` + upHierarchy + `->(y)
WITH x, y, dxs, collect(DISTINCT dy) AS dys
WITH [x] + dxs AS A, [y] + dys AS B
`)
		} else {
			b.WriteString("WITH [x] AS A, [y] AS B\n")
		}
		b.WriteString("UNWIND A AS a\nWITH DISTINCT a, B\nMATCH (a)-[r]-(b)\nWHERE b IN B\n")
	}
	// A relation between two actors of the set (or a self-loop) is rules.Matched
	// from both ends: DISTINCT keeps it once.
	b.WriteString(`WITH DISTINCT r
WITH collect(r) AS rs
CALL (rs) {
  UNWIND rs AS r
  WITH r WHERE ` + inRangeCypher(relDate("r")) + `
  RETURN 0 AS kind, r.occurredDate AS date, r.id AS id, r AS rel, null AS ev
  UNION ALL
  UNWIND rs AS r
  WITH r WHERE r.event IS NOT NULL AND ($on <> 'REPORTED' OR ` + inRangeCypher("r.reportedDate") + `)
  WITH DISTINCT r.event AS eid
  MATCH (e:Event {id: eid})
  WHERE $on = 'REPORTED' OR ` + inRangeCypher("e.occurredDate") + `
  RETURN 1 AS kind, e.occurredDate AS date, e.id AS id, null AS rel, e AS ev
}
WITH kind, date, id, rel, ev
ORDER BY CASE WHEN date IS NULL THEN 1 ELSE 0 END, date, kind, id
LIMIT $limit
RETURN CASE WHEN rel IS NULL THEN null ELSE ` + anProj("rel") + ` END AS rel,
  CASE WHEN ev IS NULL THEN null ELSE ev {.*} END AS ev`)
	return b.String()
}

// dyadFilter is the dyad counting rule of rules.DyadQuery (types, claims, dates).
var dyadFilter = `(CASE WHEN $types = [] THEN NOT type(r) IN $structural ELSE type(r) IN $types END)
  AND ($claims OR (r.attribution = 'ASSERTED' AND r.status IN $factStatuses AND coalesce(r.review, '') <> 'REJECTED'))
  AND ` + inRangeCypher(relDate("r"))

// dyadTail groups (fa, fb, rs) rows into dyads, keeps the first $limit and
// returns, per relation, what rules.BuildDyad needs.
const dyadTail = `ORDER BY size(rs) DESC, fromID, toID
LIMIT $limit
RETURN fromID, toID, [r IN rs | [r.id, type(r), r.occurredDate, size(coalesce(r.evidenceQuotes, [])), r.goldstein, r.occurredPrecision]] AS rows`

func dyadsQuery(sh dyadShape) string { return dyadsQueryWith(sh, 0) }

// dyadsQueryWith is the dyads statement with a relation filter's
// predicates p (the relation lists' own, see predicates) on r.
func dyadsQueryWith(sh dyadShape, p pred) string {
	var b strings.Builder
	filter := strings.Join(append([]string{dyadFilter}, p.conds()...), "\n  AND ")
	var carry []string
	if p&pClaimedByRollUp != 0 {
		b.WriteString(claimedHead(relShape{preds: p}))
		carry = append(carry, "claimedIds")
	}
	if !sh.rollUp {
		switch {
		case sh.from:
			b.WriteString("MATCH (a:Actor {id: $from})-[r]->(b)\nWHERE ")
			if sh.to {
				b.WriteString("b.id = $to AND ")
			}
		case sh.to:
			b.WriteString("CALL () { MATCH (n:Actor {id: $to}) RETURN n AS b UNION MATCH (n:Place {id: $to}) RETURN n AS b }\n" +
				"MATCH (a:Actor)-[r]->(b)\nWHERE ")
		default:
			b.WriteString("MATCH (a:Actor)-[r]->(b)\nWHERE ")
		}
		b.WriteString(filter + "\nWITH a.id AS fromID, b.id AS toID, collect(r) AS rs\n" + dyadTail)
		return b.String()
	}
	// Rolled up: the given ends become their tops; only actors below a
	// given top can roll up to it, so the match starts from those.
	if sh.from {
		b.WriteString("CALL () {\n  MATCH (x:Actor {id: $from})\n" + indent(topOf("x", "fromTop"), "  ") +
			"  MATCH (top:Actor {id: fromTop})\n  OPTIONAL MATCH (d:Actor)-" + upHierarchy + "->(top)\n" +
			"  WITH fromTop, top, collect(DISTINCT d) AS ds\n  RETURN fromTop, [top] + ds AS fromSet\n}\n")
		carry = append(carry, "fromTop")
	}
	if sh.to {
		b.WriteString("CALL () {\n  CALL () { MATCH (n:Actor {id: $to}) RETURN n AS x UNION MATCH (n:Place {id: $to}) RETURN n AS x }\n" +
			indent(topOf("x", "toTop"), "  ") +
			"  OPTIONAL MATCH (tn:Actor {id: toTop})\n  WITH toTop, coalesce(tn, x) AS top\n" +
			"  OPTIONAL MATCH (d:Actor)-" + upHierarchy + "->(top)\n" +
			"  WITH toTop, top, collect(DISTINCT d) AS ds\n  RETURN toTop, [top] + ds AS toSet\n}\n")
		carry = append(carry, "toTop")
	}
	with := func(cols ...string) string { return strings.Join(append(cols, carry...), ", ") }
	switch {
	case sh.from:
		set := ""
		if sh.to {
			set = ", toSet"
		}
		b.WriteString("UNWIND fromSet AS a\nWITH DISTINCT " + with("a") + set + "\nMATCH (a)-[r]->(b)\nWHERE ")
		if sh.to {
			b.WriteString("b IN toSet AND ")
		}
	case sh.to:
		b.WriteString("UNWIND toSet AS b\nWITH DISTINCT " + with("b") + "\nMATCH (a:Actor)-[r]->(b)\nWHERE ")
	default:
		b.WriteString("MATCH (a:Actor)-[r]->(b)\nWHERE ")
	}
	b.WriteString(filter + "\n")
	carry = slices.DeleteFunc(carry, func(c string) bool { return c == "claimedIds" }) // used: not carried further
	// Tops are computed once per distinct start, then once per distinct end.
	b.WriteString("WITH " + with("a", "collect(r) AS rs") + "\n" + topOf("a", "fa"))
	if sh.from {
		b.WriteString("WITH " + with("fa", "rs") + " WHERE fa = fromTop\n")
	}
	b.WriteString("UNWIND rs AS r\nWITH " + with("endNode(r) AS b", "collect([fa, r]) AS prs") + "\n" + topOf("b", "fb"))
	b.WriteString("UNWIND prs AS pr\nWITH pr[0] AS fromID, fb AS toID, pr[1] AS r" + strings.Join(append([]string{""}, carry...), ", ") +
		"\nWHERE fromID <> toID")
	if sh.to {
		b.WriteString(" AND toID = toTop")
	}
	b.WriteString("\nWITH fromID, toID, collect(r) AS rs\n" + dyadTail)
	return b.String()
}

func indent(s, by string) string {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	return by + strings.Join(lines, "\n"+by) + "\n"
}

func disputesQuery() string {
	return `CALL () {
  OPTIONAL MATCH (root:Actor {id: $actor})
  OPTIONAL MATCH (d:Actor)-` + upHierarchy + `->(root)
  WITH root, collect(DISTINCT d) AS ds
  RETURN [x IN [root] + ds WHERE x IS NOT NULL | x.id] AS who
}
CALL () {
` + anUnion("  ", "MATCH ()-[x:%[1]s]->() WHERE x.alleges IS NOT NULL RETURN DISTINCT x.alleges AS cid") + `}
WITH DISTINCT who, cid
CALL (cid) {
` + anUnion("  ", "MATCH ()-[c:%[1]s]->() WHERE c.id = cid RETURN c") + `}
WITH who, c
WHERE c.attribution = 'ALLEGED' AND ` + inRangeCypher(relDate("c")) + `
CALL (c) {
  CALL (c) {
` + anUnion("    ", "MATCH ()-[r:%[1]s]->() WHERE r.alleges = c.id RETURN r") + `  }
  WITH r ORDER BY r.id LIMIT $cap
  RETURN collect(r) AS accs
}
CALL (c, accs) {
  MATCH ()-[r:DENIES]->()
  WHERE r.denies IN [c.id] + [a IN accs | a.id]
  WITH r ORDER BY r.id LIMIT $cap
  RETURN collect(r) AS dens
}
CALL (c) {
  CALL (c) {
` + anUnion("    ", "WITH c WHERE c.event IS NOT NULL AND type(c) = '%[1]s' MATCH ()-[r:%[1]s]->() WHERE r.event = c.event RETURN r") + `  }
  WITH c, r
  WHERE r.id <> c.id AND r.attribution = 'ALLEGED' AND startNode(r) <> startNode(c)
  WITH r ORDER BY r.id LIMIT $cap
  RETURN collect(r) AS counters
}
WITH who, c, accs, dens, counters
WHERE $actor = '' OR startNode(c).id IN who OR endNode(c).id IN who
  OR any(x IN accs + dens + counters WHERE startNode(x).id IN who)
WITH c, accs, dens, counters
ORDER BY c.id
LIMIT $limit
RETURN ` + anProj("c") + ` AS claim, [x IN accs | ` + anProj("x") + `] AS accs,
  [x IN dens | ` + anProj("x") + `] AS dens, [x IN counters | ` + anProj("x") + `] AS counters`
}

func searchQuery() string {
	return `CALL () {
  WITH 1 AS one WHERE 'ACTOR' IN $kinds OR 'EVENT' IN $kinds
  CALL db.index.fulltext.queryNodes('` + searchNodesIndex + `', $q) YIELD node, score
  WITH node, score, CASE WHEN node:Actor THEN 'ACTOR' ELSE 'EVENT' END AS kind
  WHERE kind IN $kinds AND all(t IN $tokens WHERE t IN split(node.searchTokens, ' '))
  RETURN kind, node.id AS id, score,
    CASE kind WHEN 'ACTOR' THEN [node.name] + coalesce(node.aliases, []) ELSE [node.name, coalesce(node.description, '')] END AS fields
  UNION ALL
  WITH 1 AS one WHERE 'EVIDENCE' IN $kinds
  CALL db.index.fulltext.queryRelationships('` + searchEvidenceIndex + `', $q) YIELD relationship, score
  WITH relationship AS r, score
  WHERE any(line IN split(r.searchTokens, '\n') WHERE all(t IN $tokens WHERE t IN split(line, ' ')))
  RETURN 'EVIDENCE' AS kind, r.id AS id, score, r.evidenceQuotes AS fields
}
WITH kind, id, score, fields
ORDER BY score DESC, kind, id
LIMIT $limit
RETURN kind, id, score, fields`
}

func init() {
	for _, pair := range []bool{false, true} {
		for _, rollUp := range []bool{false, true} {
			qTimeline[b2i(pair)][b2i(rollUp)] = timelineQuery(pair, rollUp)
			for _, from := range []bool{false, true} {
				for _, to := range []bool{false, true} {
					sh := dyadShape{rollUp: rollUp, from: from, to: to}
					qDyads[sh] = dyadsQuery(sh)
				}
			}
		}
	}
	qDisputes = disputesQuery()
	qSearch = searchQuery()
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func rangeParams(d store.DateRange, limit int) map[string]any {
	return map[string]any{"on": string(d.On), "dfrom": d.From, "dto": d.To, "limit": int64(limit)}
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
	params := rangeParams(q.Dates, limit)
	params["actor"], params["a"], params["b"] = q.Actor, q.Pair[0], q.Pair[1]
	recs, err := s.read(ctx, "timeline", qTimeline[b2i(q.Actor == "")][b2i(q.RollUp)], params)
	if err != nil {
		return nil, err
	}
	out := make([]store.TimelineItem, 0, len(recs))
	for _, rec := range recs {
		if m := column(rec, "rel"); m != nil {
			r := decodeRelation(m)
			out = append(out, store.TimelineItem{Date: r.Occurred, Relation: &r})
		} else if m := column(rec, "ev"); m != nil {
			e := decodeEvent(m)
			out = append(out, store.TimelineItem{Date: e.Occurred, Event: &e})
		}
	}
	key := func(it store.TimelineItem) rules.TimelineKey {
		if it.Event != nil {
			return rules.TimelineKey{Date: it.Date.Date, Event: true, ID: it.Event.ID}
		}
		return rules.TimelineKey{Date: it.Date.Date, ID: it.Relation.ID}
	}
	slices.SortStableFunc(out, func(a, b store.TimelineItem) int { return rules.CompareTimeline(key(a), key(b)) })
	return out, nil
}

// Dyads tallies relations by ordered pair of actors (see store.DyadQuery).
// With RollUp each end is its top ancestor (topOf; places are their own
// top), q.From / q.To are rolled up the same way before they are compared,
// and pairs whose ends roll up to one actor are left out. The statement
// picks the dyads; rules.BuildDyad sums them in Go, in relation id order.
func (s *Store) Dyads(ctx context.Context, query store.DyadQuery) ([]store.Dyad, error) {
	q, err := rules.CheckDyads(query)
	if err != nil {
		return nil, err
	}
	params := rangeParams(q.Dates, q.Cap)
	types := make([]any, 0, len(q.Types))
	for _, t := range q.Types {
		types = append(types, string(t))
	}
	structural := []any{}
	for _, t := range rules.StructuralTypes() {
		structural = append(structural, t)
	}
	params["types"], params["structural"], params["claims"] = types, structural, q.IncludeClaims
	facts := make([]any, len(rules.FactStatuses))
	for i, st := range rules.FactStatuses {
		facts[i] = string(st)
	}
	params["factStatuses"] = facts
	params["from"], params["to"] = q.From, q.To
	sh := dyadShape{rollUp: q.RollUp, from: q.From != "", to: q.To != ""}
	stmt := qDyads[sh]
	// A filter adds the relation lists' own predicates: one statement per
	// filter shape, built when asked for (2^n shapes are too many to build ahead).
	if p, fparams := predicates(q.DyadFilter()); p != 0 {
		stmt = dyadsQueryWith(sh, p)
		for k, v := range fparams {
			params[k] = v
		}
	}
	recs, err := s.read(ctx, "dyads", stmt, params)
	if err != nil {
		return nil, err
	}
	out := make([]store.Dyad, 0, len(recs))
	for _, rec := range recs {
		m := rec.AsMap()
		raw, _ := m["rows"].([]any)
		rows := make([]rules.DyadRow, 0, len(raw))
		for _, x := range raw {
			l, _ := x.([]any)
			if len(l) != 6 {
				continue
			}
			row := rules.DyadRow{Evidence: gint(l[3])}
			row.ID, _ = l[0].(string)
			t, _ := l[1].(string)
			row.Type = kg.RelationType(t)
			row.Occurred, _ = l[2].(string)
			prec, _ := l[5].(string)
			row.Precision = kg.Precision(prec)
			if g, ok := gfloat(map[string]any{"g": l[4]}, "g"); ok {
				row.Goldstein = &g
			}
			rows = append(rows, row)
		}
		from, _ := m["fromID"].(string)
		to, _ := m["toID"].(string)
		out = append(out, rules.BuildDyad(from, to, rows, q.Interval))
	}
	slices.SortFunc(out, func(a, b store.Dyad) int {
		return rules.CompareDyads(a.From, a.To, a.Relations, b.From, b.To, b.Relations)
	})
	return out, nil
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
	params := rangeParams(dates, limit)
	params["actor"], params["cap"] = actorID, int64(rules.AnCap)
	recs, err := s.read(ctx, "disputes", qDisputes, params)
	if err != nil {
		return nil, err
	}
	list := func(v any) []kg.Relation {
		raw, _ := v.([]any)
		rs := make([]kg.Relation, 0, len(raw))
		for _, x := range raw {
			m, _ := x.(map[string]any)
			rs = append(rs, decodeRelation(m))
		}
		slices.SortFunc(rs, func(a, b kg.Relation) int { return strings.Compare(a.ID, b.ID) })
		return rs
	}
	out := make([]store.Dispute, 0, len(recs))
	for _, rec := range recs {
		m := rec.AsMap()
		out = append(out, store.Dispute{Claim: decodeRelation(column(rec, "claim")),
			Accusations: list(m["accs"]), Denials: list(m["dens"]), CounterClaims: list(m["counters"])})
	}
	slices.SortFunc(out, func(a, b store.Dispute) int { return strings.Compare(a.Claim.ID, b.Claim.ID) })
	return out, nil
}

// Search finds the actors (name, aliases), events (name, description) and
// relations (one evidence quote) holding every token of text, through the
// full-text indexes over searchTokens (Lucene scores); ordered by score,
// kind, id. Lucene only proposes: the statement checks every hit's tokens
// exactly, as the embedded store does, so both find the same hits.
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
	toks := make([]any, len(tokens))
	for i, t := range tokens {
		toks[i] = t
	}
	recs, err := s.read(ctx, "search", qSearch, map[string]any{
		"q": luceneAnd(tokens), "tokens": toks, "kinds": rules.KindList(want), "limit": int64(limit),
	})
	if err != nil {
		return nil, err
	}
	out := make([]store.SearchHit, 0, len(recs))
	for _, rec := range recs {
		m := rec.AsMap()
		kind, _ := m["kind"].(string)
		id, _ := m["id"].(string)
		score, _ := gfloat(m, "score")
		fields := gstrs(m, "fields")
		if kind == string(store.HitEvidence) {
			// The first quote holding every token (the statement checked one does).
			i := slices.IndexFunc(fields, func(q string) bool { return rules.Holds(q, tokens) })
			if i < 0 {
				continue
			}
			fields = fields[i : i+1]
		}
		out = append(out, store.SearchHit{Kind: store.SearchKind(kind), ID: id, Score: score, Text: rules.HitText(fields, tokens)})
	}
	slices.SortFunc(out, rules.CompareHits)
	return out, nil
}

// luceneAnd is the Lucene query for all of tokens: each a quoted term (kg
// tokens hold only letters and digits, but quote and escape anyway, so no
// token can be read as query syntax), joined with AND.
func luceneAnd(tokens []string) string {
	parts := make([]string, len(tokens))
	for i, t := range tokens {
		t = strings.ReplaceAll(t, `\`, `\\`)
		parts[i] = `"` + strings.ReplaceAll(t, `"`, `\"`) + `"`
	}
	return strings.Join(parts, " AND ")
}
