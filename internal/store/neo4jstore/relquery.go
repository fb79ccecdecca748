package neo4jstore

import (
	"container/list"
	"strings"
	"sync"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// Relation reads are compiled per shape: the statement text holds only the
// predicates the filter uses (no catch-all `($p = '' OR r.x = $p)` evaluated
// on every relation), the relation types asked for (from the vocabulary
// allowlist) and the order; values always travel as parameters. Texts are
// cached by shape (relCache) so Neo4j plans each one once.
//
// Pages start from index seeks, never from an expansion: Neo4j 5 cannot use
// an index to order what it expanded from a node, so "the first 10 relations
// of a hub by id" would read the whole degree. Each relationship carries its
// ends' ids and its sort keys as properties (pageProps) and every relation
// type has a composite range index per (end, order) on (end id, sort key,
// id) (pageIndexes). A page is then, per seed actor and type,
//
//	MATCH ()-[r:T]->() WHERE r.fromId = $a AND <after cursor> AND <filters>
//	RETURN r ORDER BY r.<key>, r.id LIMIT n
//
// each branch reading at most n relations in index order, and the branches'
// pages are merged by one more ORDER BY … LIMIT n: a hub costs what a small
// actor does. Counts without value filters come from the node's degree.

// pred is one value filter a relation statement may carry.
type pred uint32

const (
	pAttribution pred = 1 << iota
	pStatus
	pReview
	pSource
	pEvent
	pPlace
	pClaimedBy
	pCAMEORoot
	pPLOVER
	pMinConfidence
	pDateFrom
	pDateTo
	pFromKinds
	pToKinds
	// pClaimedByRollUp widens pClaimedBy to the actors below claimedBy
	// (bound once, as claimedIds, by claimedHead).
	pClaimedByRollUp
	// pDatesReported: pDateFrom/pDateTo compare the reported date.
	pDatesReported
)

// predicates returns the filter's predicates and their parameters. Only
// fields that are set become predicates.
func predicates(f store.RelationFilter) (pred, map[string]any) {
	var p pred
	params := map[string]any{}
	str := func(bit pred, name, v string) {
		if v != "" {
			p |= bit
			params[name] = v
		}
	}
	str(pAttribution, "attribution", string(f.Attribution))
	str(pStatus, "status", string(f.Status))
	str(pReview, "review", string(f.Review))
	str(pSource, "source", f.Source)
	str(pEvent, "event", f.Event)
	str(pPlace, "place", f.Place)
	str(pClaimedBy, "claimedBy", f.ClaimedBy)
	if f.ClaimedBy != "" && f.RollUp {
		p |= pClaimedByRollUp
	}
	str(pCAMEORoot, "cameoRoot", f.CAMEORoot)
	str(pPLOVER, "plover", f.PLOVER)
	if f.MinConfidence != 0 {
		p |= pMinConfidence
		params["minConfidence"] = f.MinConfidence
	}
	str(pDateFrom, "dateFrom", f.Dates.From)
	str(pDateTo, "dateTo", f.Dates.To)
	if p&(pDateFrom|pDateTo) != 0 && f.Dates.On == store.OnReported {
		p |= pDatesReported
	}
	kinds := func(bit pred, name string, ks []kg.ActorKind) {
		if len(ks) == 0 {
			return
		}
		l := make([]any, len(ks))
		for i, k := range ks {
			l[i] = string(k)
		}
		p |= bit
		params[name] = l
	}
	kinds(pFromKinds, "fromKinds", f.FromKinds)
	kinds(pToKinds, "toKinds", f.ToKinds)
	return p, params
}

// conds is the Cypher text of p's predicates on r, joined by AND ("" when none).
func (p pred) conds() []string {
	var out []string
	add := func(bit pred, cond string) {
		if p&bit != 0 {
			out = append(out, cond)
		}
	}
	add(pAttribution, "r.attribution = $attribution")
	add(pStatus, "r.status = $status")
	add(pReview, "r.review = $review")
	add(pSource, "r.source = $source")
	add(pEvent, "r.event = $event")
	add(pPlace, "r.place = $place")
	if p&pClaimedByRollUp != 0 {
		add(pClaimedBy, "r.claimedBy IN claimedIds")
	} else {
		add(pClaimedBy, "r.claimedBy = $claimedBy")
	}
	add(pCAMEORoot, "r.cameo STARTS WITH $cameoRoot")
	add(pPLOVER, "r.plover = $plover")
	add(pMinConfidence, "r.confidence >= $minConfidence")
	date := "r.occurredDate"
	if p&pDatesReported != 0 {
		date = "r.reportedDate"
	}
	// An unknown date is null (never stored as ""): it fails either bound.
	add(pDateFrom, date+" >= $dateFrom")
	add(pDateTo, date+" <= $dateTo")
	add(pFromKinds, "startNode(r).kind IN $fromKinds")
	add(pToKinds, "endNode(r):Actor AND endNode(r).kind IN $toKinds")
	return out
}

// relKind is what a relation statement returns.
type relKind uint8

const (
	kPageOf  relKind = iota // per actor of $ids: (key, rels), a page of its relations
	kCountOf                // per actor of $ids: (key, n)
	kList                   // ListRelations: rows of rel, one page
	kCount                  // CountRelations: one row of n
)

// relShape is everything that changes a relation statement's text. It is
// comparable: the cache key.
type relShape struct {
	kind relKind
	// dir: kPageOf/kCountOf, the actor's end. kList/kCount: Out when $from
	// is given (seeds are from actors), In when only $to, "" for neither.
	dir store.Direction
	// to: kList/kCount with $from and $to (r.toId IN toIds as well).
	to     bool
	rollUp bool
	// types: the valid types asked for, "|"-joined in vocabulary order; ""
	// for every type. none: types were asked, none of them valid.
	types string
	none  bool
	preds pred
	order orderSpec
	after bool // a cursor is given
	// with: kPageOf, what the statement returns besides the page: the
	// relation ends (columns froms and tos, one map per distinct node; a to
	// end has actor: true when it is an actor) and, only where degreeCount
	// holds, each actor's count (column n).
	with store.With
}

// relTypes is the shape's type list.
func (sh relShape) relTypes() []string {
	if sh.none {
		return nil
	}
	if sh.types == "" {
		out := make([]string, 0, len(kg.Vocabulary))
		for _, t := range kg.RelationTypes() {
			out = append(out, string(t))
		}
		return out
	}
	return strings.Split(sh.types, "|")
}

// typesOf returns the shape fields of a type filter: the valid types in
// vocabulary order, and whether none of the asked types is valid (a type
// outside the vocabulary matches nothing, as in the embedded store).
func typesOf(ts []kg.RelationType) (string, bool) {
	if len(ts) == 0 {
		return "", false
	}
	var valid []string
	for _, t := range kg.RelationTypes() {
		for _, x := range ts {
			if x == t {
				valid = append(valid, string(t))
				break
			}
		}
	}
	return strings.Join(valid, "|"), len(valid) == 0
}

// sortProp is the stored sort key of an order (see pageProps): never null,
// so range indexes hold every relation.
func sortProp(f store.SortField) string {
	switch f {
	case store.SortOccurred:
		return "occurredKey"
	case store.SortReported:
		return "reportedKey"
	case store.SortConfidence:
		return "confidence"
	}
	return "id"
}

// pageIndexKey is the properties after the end id of a page index.
func pageIndexKey(f store.SortField) string {
	if k := sortProp(f); k != "id" {
		return ", " + k + ", id"
	}
	return ", id"
}

// dirWord is " DESC" for a descending order.
func dirWord(o orderSpec) string {
	if o.desc {
		return " DESC"
	}
	return ""
}

// orderBy is the ORDER BY clause of o over the stored sort keys.
func orderBy(o orderSpec) string {
	dir := ""
	if o.desc {
		dir = " DESC"
	}
	if o.field == store.SortID {
		return "ORDER BY r.id" + dir
	}
	return "ORDER BY r." + sortProp(o.field) + dir + ", r.id" + dir
}

// keysetParts are the conditions that continue a page after the cursor
// ($cv, $cid), as disjoint parts each read by its own index seek: by id,
// one part (id after $cid); by a sort key, the ties of the cursor's key
// (key = $cv, id after $cid) and what follows them (key after $cv). Each
// part is a plain equality/range on the composite index, so its seek
// starts at the cursor and returns in index order. One condition with an
// OR (key >= $cv AND (key > $cv OR id > $cid)) let the planner turn the
// OR into a union of two seeks, losing the index order: it then sorted
// every relation of the end after the cursor (db hits O(degree); seen in
// CI on a hub of 5,000).
func keysetParts(o orderSpec) [][]string {
	op := ">"
	if o.desc {
		op = "<"
	}
	if o.field == store.SortID {
		return [][]string{{"r.id " + op + " $cid"}}
	}
	k := "r." + sortProp(o.field)
	return [][]string{{k + " = $cv", "r.id " + op + " $cid"}, {k + " " + op + " $cv", "r.id IS NOT NULL"}}
}

// indexSeeks is, per part of a page, the predicates on the sort key and
// id that, with the end's id, make the planner seek the page index of the
// shape's order: from the cursor when there is one (keysetParts), else
// from the start.
func indexSeeks(sh relShape) [][]string {
	if sh.after {
		return keysetParts(sh.order)
	}
	if sh.order.field == store.SortID {
		return [][]string{{"r.id IS NOT NULL"}}
	}
	return [][]string{{"r." + sortProp(sh.order.field) + " IS NOT NULL", "r.id IS NOT NULL"}}
}

// hierarchy is the pattern rollUp climbs: d is below root.
const hierarchy = "(d:Actor)-[:PART_OF|HOLDS_ROLE*1..20]->(root)"

// idSet is a subquery binding name to the ids of the node(s) with id $param
// (actors; with places, places too) and, with rollUp, of every actor below
// them. keep: $param itself is in the list even when no node has it.
func idSet(param, name string, places, rollUp, keep bool) string {
	s := "CALL () {\n"
	if places {
		s += "  CALL () { MATCH (root:Actor {id: $" + param + "}) RETURN root UNION MATCH (root:Place {id: $" + param + "}) RETURN root }\n"
	} else {
		s += "  OPTIONAL MATCH (root:Actor {id: $" + param + "})\n"
	}
	ids := "collect(DISTINCT root.id)"
	if keep {
		ids = "[$" + param + "]"
	}
	if rollUp {
		s += "  OPTIONAL MATCH " + hierarchy + "\n"
		ids += " + [x IN collect(DISTINCT d.id) WHERE x <> $" + param + "]"
	}
	return s + "  RETURN " + ids + " AS " + name + "\n}\n"
}

// claimedHead binds claimedIds when claimedBy is rolled up.
func claimedHead(sh relShape) string {
	if sh.preds&pClaimedByRollUp == 0 {
		return ""
	}
	return idSet("claimedBy", "claimedIds", false, true, true)
}

// scope lists the variables a subquery over seeds imports besides seed.
func scope(sh relShape) string {
	s := ""
	if sh.preds&pClaimedByRollUp != 0 {
		s += ", claimedIds"
	}
	if sh.to {
		s += ", toIds"
	}
	return s
}

// ends returns the id properties a seed is looked up by.
func ends(dir store.Direction) []string {
	switch dir {
	case store.In:
		return []string{"toId"}
	case store.Both:
		return []string{"fromId", "toId"}
	}
	return []string{"fromId"}
}

// branches is a UNION ALL body returning r: per end and type, the
// relations whose end is seed that pass the shape's filters; for a page
// (paged) at most $limit of them, read in index order from the cursor.
func branches(sh relShape, seed, indent string, paged bool) string {
	types := sh.relTypes()
	if len(types) == 0 {
		return indent + "WITH 1 AS one WHERE false\n" + indent + "MATCH ()-[r]->() RETURN r\n"
	}
	conds := sh.preds.conds()
	if sh.to {
		conds = append(conds, "r.toId IN toIds")
	}
	// A composite index serves only predicates on all of its properties:
	// the cursor's range, or existence (always true: the keys are never
	// null). Counts seek (end, id).
	seeks := [][]string{{"r.id IS NOT NULL"}}
	if paged {
		seeks = indexSeeks(sh)
	}
	var b strings.Builder
	for _, end := range ends(sh.dir) {
		for _, t := range types {
			for _, seek := range seeks {
				if b.Len() > 0 {
					b.WriteString(indent + "UNION ALL\n")
				}
				hint := ""
				if paged {
					// With several composite indexes on the end id, name
					// the one whose order is the page's.
					hint = " USING INDEX SEEK r:" + t + "(" + end + pageIndexKey(sh.order.field) + ")"
				}
				where := append(append([]string{"r." + end + " = " + seed}, seek...), conds...)
				b.WriteString(indent + "MATCH ()-[r:" + t + "]->()" + hint + " WHERE " + strings.Join(where, " AND ") + "\n")
				b.WriteString(indent + "RETURN r")
				if paged {
					// Ordering by the end id too (one value here) is what
					// lets the planner take the composite index's order.
					b.WriteString(" " + strings.Replace(orderBy(sh.order), "ORDER BY ", "ORDER BY r."+end+dirWord(sh.order)+", ", 1) + " LIMIT $limit")
				}
				b.WriteString("\n")
			}
		}
	}
	return b.String()
}

// seedRows turns root (an actor) into rows of aid: its id, and with rollUp
// the ids of every actor below it (any attribution or status).
// collect(DISTINCT …) lets the planner use a pruning breadth-first expand.
func seedRows(sh relShape, indent string) string {
	carry := scope(sh)
	if !sh.rollUp {
		return indent + "WITH root.id AS aid" + carry + "\n"
	}
	return indent + "OPTIONAL MATCH " + hierarchy + "\n" +
		indent + "WITH root, collect(DISTINCT d.id) AS ds" + carry + "\n" +
		indent + "UNWIND [root.id] + ds AS aid\n" +
		indent + "WITH DISTINCT aid" + carry + "\n"
}

// distinct keeps a relation once when it can be reached from two seeds or
// both ends (BOTH; a rolled-up set holding both of its ends).
func distinct(sh relShape) string {
	if sh.dir == store.Both {
		return "WITH DISTINCT r\n"
	}
	return ""
}

// degree is the count of seed node a's relations in the shape's direction
// and types, read from the node's degree (a self-loop counts once).
func degree(sh relShape, a string) string {
	rel := relPattern(sh)
	switch sh.dir {
	case store.In:
		return "COUNT { (" + a + ")<-" + rel + "-() }"
	case store.Both:
		return "COUNT { (" + a + ")-" + rel + "-() }" // the degree store counts a self-loop once
	}
	return "COUNT { (" + a + ")-" + rel + "->() }"
}

// relPattern is the relationship pattern of the shape's types.
func relPattern(sh relShape) string {
	if sh.types == "" {
		return "[]"
	}
	return "[:" + sh.types + "]"
}

// degreeCount: the shape's per-actor count is a plain sum of degrees, no
// relation read (no value filter; BOTH over a rolled-up set must subtract
// the relations inside the set, which kCountOf does on its own).
func degreeCount(sh relShape) bool {
	return sh.preds == 0 && !sh.none && (sh.dir != store.Both || !sh.rollUp)
}

// endsColumn collects the ends of a page's relations asked for: the nodes
// the relationships already point at, no lookup by id.
func endsColumn(e store.With) string {
	s := ""
	if e&store.WithFrom != 0 {
		s += ", [n IN collect(DISTINCT startNode(r)) | n " + nodeProps["Actor"] + "] AS froms"
	}
	if e&store.WithTo != 0 {
		s += ", [n IN collect(DISTINCT endNode(r)) | n " + endProps + "] AS tos"
	}
	return s
}

// endsReturn returns endsColumn's columns from the subquery.
func endsReturn(e store.With) string {
	s := ""
	if e&store.WithSeeds != 0 {
		s += ", root " + nodeProps["Actor"] + " AS seed"
	}
	if e&store.WithCount != 0 {
		s += ", n"
	}
	if e&store.WithFrom != 0 {
		s += ", froms"
	}
	if e&store.WithTo != 0 {
		s += ", tos"
	}
	return s
}

// relStatement builds the statement text of a shape.
func relStatement(sh relShape) string {
	switch sh.kind {
	case kPageOf:
		count := ""
		if sh.with&store.WithCount != 0 {
			// kCountOf's degree-store count, in its own subquery.
			count = "CALL (root) {\n" + seedRows(sh, "  ") + "  MATCH (a:Actor {id: aid})\n  RETURN sum(" + degree(sh, "a") + ") AS n\n}\n"
		}
		return claimedHead(sh) + "UNWIND $ids AS key\nMATCH (root:Actor {id: key})\n" + count + "CALL (root" + scope(sh) + ") {\n" +
			seedRows(sh, "  ") +
			"  CALL (aid" + scope(sh) + ") {\n" + branches(sh, "aid", "    ", true) + "  }\n" +
			"  " + distinct(sh) + "  WITH r " + orderBy(sh.order) + " LIMIT $limit\n" +
			"  RETURN collect(" + relProj + ") AS rels" + endsColumn(sh.with) + "\n}\nRETURN key, rels" + endsReturn(sh.with)
	case kCountOf:
		head := claimedHead(sh) + "UNWIND $ids AS key\nMATCH (root:Actor {id: key})\nCALL (root" + scope(sh) + ") {\n"
		if sh.preds == 0 && !sh.none {
			// From the degree store: per actor of the set, its degree; a
			// relation has one from and one to, so OUT and IN sums are
			// exact. BOTH counts a relation between two actors of a
			// rolled-up set twice: those are subtracted, found from each
			// pair of the (small) set by expanding into, which starts
			// from the end with the smaller degree.
			q := head + seedRows(sh, "  ") + "  MATCH (a:Actor {id: aid})\n"
			if degreeCount(sh) {
				return q + "  RETURN sum(" + degree(sh, "a") + ") AS n\n}\nRETURN key, n"
			}
			return q + "  WITH collect(a) AS set\n" +
				"  CALL (set) { UNWIND set AS a RETURN sum(" + degree(sh, "a") + ") AS total }\n" +
				"  CALL (set) { UNWIND set AS a UNWIND set AS b WITH a, b WHERE a <> b\n" +
				"    RETURN sum(COUNT { (a)-" + relPattern(sh) + "->(b) }) AS inner }\n" +
				"  RETURN total - inner AS n\n}\nRETURN key, n"
		}
		return head + seedRows(sh, "  ") +
			"  CALL (aid" + scope(sh) + ") {\n" + branches(sh, "aid", "    ", false) + "  }\n" +
			"  RETURN count(DISTINCT r) AS n\n}\nRETURN key, n"
	case kList, kCount:
		return listStatement(sh)
	}
	panic("neo4jstore: unknown relation statement kind")
}

// listStatement builds ListRelations (kList) and CountRelations (kCount).
func listStatement(sh relShape) string {
	head := claimedHead(sh)
	tail := "WITH r " + orderBy(sh.order) + " LIMIT $limit\nRETURN " + relProj + " AS rel"
	if sh.kind == kCount {
		tail = "RETURN count(DISTINCT r) AS n"
	}
	if sh.dir == "" {
		return head + globalStatement(sh, tail)
	}
	if sh.dir == store.Out {
		head += idSet("from", "seeds", false, sh.rollUp, false)
		if sh.to {
			head += idSet("to", "toIds", true, sh.rollUp, false)
		}
	} else {
		head += idSet("to", "seeds", true, sh.rollUp, false)
	}
	head += "UNWIND seeds AS aid\n"
	if sh.kind == kCount && sh.preds == 0 && !sh.to && !sh.none {
		// From the degree store, as in kCountOf.
		return head + "OPTIONAL MATCH (x:Actor {id: aid})\nOPTIONAL MATCH (y:Place {id: aid})\nWITH coalesce(x, y) AS a\n" +
			"RETURN coalesce(sum(" + degree(sh, "a") + "), 0) AS n"
	}
	return head + "CALL (aid" + scope(sh) + ") {\n" + branches(sh, "aid", "  ", sh.kind == kList) + "}\n" + tail
}

// globalStatement serves ListRelations and CountRelations without ends:
// one branch per type, each reading that type's index (by id, in order,
// stopping at $limit; or by event, when filtered by one). A count without
// value filters reads Neo4j's count store.
func globalStatement(sh relShape, tail string) string {
	types := sh.relTypes()
	if len(types) == 0 {
		return "CALL () { WITH 1 AS one WHERE false MATCH ()-[r]->() RETURN r }\n" + tail
	}
	if sh.kind == kCount && sh.preds == 0 {
		terms := make([]string, len(types))
		for i, t := range types {
			terms[i] = "COUNT { ()-[:" + t + "]->() }"
		}
		return "RETURN " + strings.Join(terms, " + ") + " AS n"
	}
	conds := sh.preds.conds()
	parts := [][]string{nil}
	switch {
	case sh.kind == kList && sh.after:
		parts = keysetParts(sh.order) // disjoint seeks, as a page's (branches)
	case len(conds) == 0 || (sh.preds&pEvent == 0 && sh.order.field == store.SortID):
		parts = [][]string{{"r.id IS NOT NULL"}} // a seek on the id index, in its order
	}
	var b strings.Builder
	for _, t := range types {
		for _, part := range parts {
			if b.Len() > 0 {
				b.WriteString("  UNION ALL\n")
			}
			where := append(append([]string{}, part...), conds...)
			b.WriteString("  MATCH ()-[r:" + t + "]->() WHERE " + strings.Join(where, " AND ") + "\n  RETURN r")
			if sh.kind == kList {
				b.WriteString(" " + orderBy(sh.order) + " LIMIT $limit")
			}
			b.WriteString("\n")
		}
	}
	return "CALL (" + strings.TrimPrefix(scope(sh), ", ") + ") {\n" + b.String() + "}\n" + tail
}

// relCache holds the statement texts built so far, least recently used
// first out once it holds relCacheSize: the shapes in use are few, but the
// type subsets a client may ask for are not.
var relCache = newLRU(512)

// statement returns the cached text of sh, building it on first use.
func statement(sh relShape) string {
	if s, ok := relCache.get(sh); ok {
		return s
	}
	s := relStatement(sh)
	relCache.put(sh, s)
	return s
}

// lru is a small least-recently-used map of statement texts.
type lru struct {
	mu    sync.Mutex
	cap   int
	order *list.List // of *lruEntry, most recent first
	items map[relShape]*list.Element
}

type lruEntry struct {
	key  relShape
	text string
}

func newLRU(n int) *lru {
	return &lru{cap: n, order: list.New(), items: map[relShape]*list.Element{}}
}

func (c *lru) get(k relShape) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[k]
	if !ok {
		return "", false
	}
	c.order.MoveToFront(e)
	return e.Value.(*lruEntry).text, true
}

func (c *lru) put(k relShape, text string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[k]; ok {
		c.order.MoveToFront(e)
		return
	}
	c.items[k] = c.order.PushFront(&lruEntry{k, text})
	if c.order.Len() > c.cap {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.items, last.Value.(*lruEntry).key)
	}
}

func (c *lru) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
