package neo4jstore

import (
	"fmt"
	"strings"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// All Cypher text is built here, once, at package init, from constants and
// the relation-type allowlist. Requests only choose among these texts and
// pass values as parameters.

// relProj projects relationship r into the map decodeRelation reads.
const relProj = "r {.*, type: type(r), from: startNode(r).id, to: endNode(r).id}"

// relFilter applies the value filters of a store.RelationFilter to r.
const relFilter = `($types = [] OR type(r) IN $types)
  AND ` + relFilterNoTypes

const relFilterNoTypes = `($attribution = '' OR r.attribution = $attribution)
  AND ($status = '' OR r.status = $status)
  AND ($review = '' OR r.review = $review)
  AND ($source = '' OR r.source = $source)
  AND ($event = '' OR r.event = $event)
  AND ($place = '' OR r.place = $place)
  AND ($claimedBy = '' OR r.claimedBy = $claimedBy OR ($claimedByRollUp AND r.claimedBy IS NOT NULL
    AND EXISTS { (:Actor {id: r.claimedBy})-[:PART_OF|HOLDS_ROLE*1..20]->(:Actor {id: $claimedBy}) }))
  AND ($cameoRoot = '' OR r.cameo STARTS WITH $cameoRoot)
  AND ($plover = '' OR r.plover = $plover)
  AND ($minConfidence = 0.0 OR r.confidence >= $minConfidence)
  AND (($dateFrom = '' AND $dateTo = '') OR (
    coalesce(CASE $dateOn WHEN 'REPORTED' THEN r.reportedDate ELSE r.occurredDate END, '') <> ''
    AND ($dateFrom = '' OR CASE $dateOn WHEN 'REPORTED' THEN r.reportedDate ELSE r.occurredDate END >= $dateFrom)
    AND ($dateTo = '' OR CASE $dateOn WHEN 'REPORTED' THEN r.reportedDate ELSE r.occurredDate END <= $dateTo)))
  AND ($fromKinds = [] OR startNode(r).kind IN $fromKinds)
  AND ($toKinds = [] OR (endNode(r):Actor AND endNode(r).kind IN $toKinds))
  AND ` + keyset

// keyset continues a page after a cursor: ($after, $cv, $cid) compared with
// the relation's sort key "k" of the statement's order, which Go fills in
// per order text (see orderText) — only from the SortField allowlist.
const keyset = "__KEYSET__"

// orderSpec is a relation order: a sort field and a direction.
type orderSpec struct {
	field store.SortField
	desc  bool
}

// orderSpecs lists every relation order a statement text is built for.
var orderSpecs = func() []orderSpec {
	var out []orderSpec
	for _, f := range []store.SortField{store.SortID, store.SortOccurred, store.SortReported, store.SortConfidence} {
		out = append(out, orderSpec{f, false}, orderSpec{f, true})
	}
	return out
}()

// sortKey is the Cypher expression of a relation's sort value. Unknown
// dates are "" so they sort first, as in Go.
func sortKey(f store.SortField) string {
	switch f {
	case store.SortOccurred:
		return "coalesce(r.occurredDate, '')"
	case store.SortReported:
		return "coalesce(r.reportedDate, '')"
	case store.SortConfidence:
		return "coalesce(r.confidence, 0.0)"
	}
	return "r.id"
}

// withOrder fills the keyset placeholder of a statement text for o.
func withOrder(text string, o orderSpec) string {
	op := ">"
	if o.desc {
		op = "<"
	}
	k := sortKey(o.field)
	cond := "($after = false OR r.id " + op + " $cid)"
	if o.field != store.SortID {
		cond = "($after = false OR " + k + " " + op + " $cv OR (" + k + " = $cv AND r.id " + op + " $cid))"
	}
	return strings.ReplaceAll(text, keyset, cond)
}

// orderBy is the ORDER BY clause of o.
func orderBy(o orderSpec) string {
	dir := ""
	if o.desc {
		dir = " DESC"
	}
	if o.field == store.SortID {
		return "ORDER BY r.id" + dir
	}
	return "ORDER BY " + sortKey(o.field) + dir + ", r.id" + dir
}

// hierarchy is the pattern rollUp climbs: d is below root.
const hierarchy = "(d:Actor)-[:PART_OF|HOLDS_ROLE*1..20]->(root)"

// typedUnion is a subquery body returning r for every relationship matching
// where, one typed branch per relation type, so that each branch can use
// that type's relationship index (Neo4j relationship indexes cover one type).
func typedUnion(where string) string {
	var b strings.Builder
	for i, t := range kg.RelationTypes() {
		if i > 0 {
			b.WriteString("\n  UNION ALL\n")
		}
		fmt.Fprintf(&b, "  MATCH ()-[r:%s]->() WHERE %s RETURN r", t, where)
	}
	return b.String()
}

var (
	qRelations = "CALL () {\n" + typedUnion("r.id IN $ids") + "\n}\nRETURN " + relProj + " AS rel"

	// qLinked: for each relation id that exists, the relations whose link
	// property holds it (limit each, by id).
	qLinked = map[store.Link]string{
		store.LinkAlleges: linkedQuery("alleges"),
		store.LinkDenies:  linkedQuery("denies"),
	}

	qRelationsOfEvents = `UNWIND $ids AS key
MATCH (:Event {id: key})
CALL (key) {
  CALL (key) {
` + typedUnion("r.event = key") + `
  }
  WITH r WHERE $after = false OR r.id > $cid
  WITH r ORDER BY r.id LIMIT $limit
  RETURN collect(` + relProj + `) AS rels
}
RETURN key, rels`

	qCountOfEvents = `UNWIND $ids AS key
MATCH (:Event {id: key})
CALL (key) {
  CALL (key) {
` + typedUnion("r.event = key") + `
  }
  RETURN count(r) AS n
}
RETURN key, n`

	// qRelationsOf and qCountOf: by direction, rollUp and order.
	qRelationsOf = map[ofKey]string{}
	qCountOf     = map[ofShape]string{}

	// qListRelations by shape and order; qCountRelations by shape.
	qListRelations  = map[listKey]string{}
	qCountRelations = map[listShape]string{}
)

func linkedQuery(prop string) string {
	return `UNWIND $ids AS key
CALL (key) {
` + typedUnion("r.id = key") + `
}
WITH key
CALL (key) {
  CALL (key) {
` + typedUnion("r."+prop+" = key") + `
  }
  WITH r ORDER BY r.id LIMIT $limit
  RETURN collect(` + relProj + `) AS rels
}
RETURN key, rels`
}

// actorSet turns root into rows of a: root alone, or with rollUp root and
// every actor below it (at most 20 hops of PART_OF/HOLDS_ROLE, any
// attribution or status). collect(DISTINCT d) lets the planner use a
// pruning breadth-first expand instead of enumerating paths.
func actorSet(rollUp bool) string {
	if !rollUp {
		return "  WITH root AS a\n"
	}
	return "  OPTIONAL MATCH " + hierarchy + `
  WITH root, collect(DISTINCT d) AS ds
  UNWIND [root] + ds AS a
  WITH DISTINCT a
`
}

func relationsOfQuery(dir store.Direction, rollUp bool, o orderSpec) string {
	pattern, distinct := "(a)-[r]->()", ""
	switch dir {
	case store.In:
		pattern = "(a)<-[r]-()"
	case store.Both:
		// A relation between two actors of the set, or a self-loop, is
		// matched from both ends: keep it once.
		pattern, distinct = "(a)-[r]-()", "  WITH DISTINCT r\n"
	}
	return `UNWIND $ids AS key
MATCH (root:Actor {id: key})
CALL (root) {
` + actorSet(rollUp) + `  MATCH ` + pattern + `
  WHERE ` + withOrder(relFilter, o) + "\n" + distinct + `  WITH r ` + orderBy(o) + ` LIMIT $limit
  RETURN collect(` + relProj + `) AS rels
}
RETURN key, rels`
}

// countOfQuery counts each actor's relations as relationsOfQuery selects
// them. Without a filter or rollUp it reads the node's degree, which Neo4j
// keeps with the node: a hub costs what a small node does.
func countOfQuery(dir store.Direction, rollUp bool) string {
	pattern := map[store.Direction]string{store.Out: "(a)-[r]->()", store.In: "(a)<-[r]-()", store.Both: "(a)-[r]-()"}[dir]
	degree := map[store.Direction]string{store.Out: "COUNT { (root)-->() }", store.In: "COUNT { (root)<--() }",
		store.Both: "COUNT { (root)-->() } + COUNT { (root)<--() } - COUNT { (root)-->(root) }"}[dir]
	return `UNWIND $ids AS key
MATCH (root:Actor {id: key})
CALL (root) {
  WITH root WHERE $plain
  RETURN ` + degree + ` AS n
  UNION ALL
  WITH root WHERE NOT $plain
` + actorSet(rollUp) + `  MATCH ` + pattern + `
  WHERE ` + strings.ReplaceAll(relFilter, keyset, "true") + `
  RETURN count(DISTINCT r) AS n
}
RETURN key, sum(n) AS n` // the branch not taken adds a 0 row
}

// listShape selects the ListRelations text: which ends are given and
// whether they are rolled up.
// event (only without ends) reads the per-type event indexes.
type listShape struct{ from, to, rollUp, event bool }

type listKey struct {
	shape listShape
	order orderSpec
}

type ofShape struct {
	dir    store.Direction
	rollUp bool
}

type ofKey struct {
	shape ofShape
	order orderSpec
}

// fromNodes: the actor $from (and, rolled up, the actors below it).
func fromNodes(rollUp bool) string {
	s := "CALL () {\n  OPTIONAL MATCH (root:Actor {id: $from})\n"
	if rollUp {
		s += "  OPTIONAL MATCH " + hierarchy + "\n"
		return s + "  RETURN collect(DISTINCT root) + collect(DISTINCT d) AS fromNodes\n}\n"
	}
	return s + "  RETURN collect(root) AS fromNodes\n}\n"
}

// toNodes: the actor or place $to (and, rolled up, the actors below it).
func toNodes(rollUp bool) string {
	s := "CALL () {\n  CALL () { MATCH (root:Actor {id: $to}) RETURN root UNION MATCH (root:Place {id: $to}) RETURN root }\n"
	if rollUp {
		s += "  OPTIONAL MATCH " + hierarchy + "\n"
		return s + "  RETURN collect(DISTINCT root) + collect(DISTINCT d) AS toNodes\n}\n"
	}
	return s + "  RETURN collect(root) AS toNodes\n}\n"
}

func pageTail(o orderSpec) string {
	return "WITH r " + orderBy(o) + " LIMIT $limit\nRETURN " + relProj + " AS rel"
}

func listRelationsQuery(sh listShape, o orderSpec) string {
	return withOrder(listRelationsText(sh, o), o)
}

func listRelationsText(sh listShape, o orderSpec) string {
	switch {
	case sh.from:
		q := fromNodes(sh.rollUp)
		toCheck := ""
		if sh.to {
			q += toNodes(sh.rollUp) + "WITH fromNodes, [n IN toNodes | n.id] AS toIDs\n"
			toCheck = "b.id IN toIDs AND "
		}
		return q + `UNWIND fromNodes AS a
WITH DISTINCT a` + map[bool]string{true: ", toIDs", false: ""}[sh.to] + `
MATCH (a)-[r]->(b)
WHERE ` + toCheck + relFilter + "\n" + pageTail(o)
	case sh.to:
		return toNodes(sh.rollUp) + `UNWIND toNodes AS b
WITH DISTINCT b
MATCH (b)<-[r]-()
WHERE ` + relFilter + "\n" + pageTail(o)
	case sh.event:
		return globalUnion("r.event = $event", o) + pageTail(o)
	default:
		return globalUnion("r.id IS NOT NULL", o) + pageTail(o)
	}
}

// globalUnion serves ListRelations without ends: one branch per type, each
// reading that type's index (by id, in order, stopping at $limit; or by
// event), then the branches' pages are merged. A branch whose type is not
// asked for is cut off by a parameter-only predicate before it reads: it
// must stand in a WITH before the MATCH — put into the MATCH's WHERE, it
// made the planner drop the index order (9.4M db hits instead of 746 for a
// first page over 210k relations).
func globalUnion(seek string, o orderSpec) string {
	var b strings.Builder
	b.WriteString("CALL () {\n")
	for i, t := range kg.RelationTypes() {
		if i > 0 {
			b.WriteString("  UNION ALL\n")
		}
		fmt.Fprintf(&b, "  WITH 1 AS one WHERE $types = [] OR '%s' IN $types\n"+
			"  MATCH ()-[r:%s]->() WHERE %s AND %s\n  RETURN r %s LIMIT $limit\n",
			t, t, seek, relFilterNoTypes, orderBy(o))
	}
	return b.String() + "}\n"
}

func init() {
	for _, dir := range []store.Direction{store.Out, store.In, store.Both} {
		for _, rollUp := range []bool{false, true} {
			qCountOf[ofShape{dir, rollUp}] = countOfQuery(dir, rollUp)
			for _, o := range orderSpecs {
				qRelationsOf[ofKey{ofShape{dir, rollUp}, o}] = relationsOfQuery(dir, rollUp, o)
			}
		}
	}
	shapes := []listShape{{event: true}}
	for _, from := range []bool{false, true} {
		for _, to := range []bool{false, true} {
			for _, rollUp := range []bool{false, true} {
				shapes = append(shapes, listShape{from: from, to: to, rollUp: rollUp})
			}
		}
	}
	for _, sh := range shapes {
		for _, o := range orderSpecs {
			qListRelations[listKey{sh, o}] = listRelationsQuery(sh, o)
		}
		qCountRelations[sh] = countRelationsQuery(sh)
	}
}

// countRelationsQuery counts what listRelationsQuery lists. Without ends
// or value filters it reads Neo4j's count store, per type.
func countRelationsQuery(sh listShape) string {
	text := listRelationsText(sh, orderSpec{field: store.SortID})
	text = strings.ReplaceAll(text, keyset, "true")
	if !sh.from && !sh.to && !sh.event {
		var b strings.Builder
		b.WriteString("CALL () {\n  WITH 1 AS one WHERE $plain\n  CALL () {\n")
		for i, t := range kg.RelationTypes() {
			if i > 0 {
				b.WriteString("    UNION ALL\n")
			}
			fmt.Fprintf(&b, "    WITH 1 AS one WHERE $types = [] OR '%s' IN $types\n    RETURN COUNT { ()-[:%s]->() } AS c\n", t, t)
		}
		b.WriteString("  }\n  RETURN sum(c) AS n\n  UNION ALL\n  WITH 1 AS one WHERE NOT $plain\n")
		b.WriteString("  MATCH ()-[r]->() WHERE " + strings.ReplaceAll(relFilter, keyset, "true") + "\n  RETURN count(r) AS n\n}\nRETURN sum(n) AS n")
		return b.String()
	}
	// Replace the page tail with a count.
	i := strings.LastIndex(text, "WITH r ORDER BY")
	return text[:i] + "RETURN count(DISTINCT r) AS n"
}

// Node lookups and lists.
var (
	qNodesByID = map[string]string{}
	qListNodes = map[string]string{}
)

func init() {
	for _, label := range []string{"Actor", "Place", "Event", "Source"} {
		qNodesByID[label] = "MATCH (n:" + label + ") WHERE n.id IN $ids RETURN n {.*} AS n"
	}
	for _, label := range []string{"Place", "Event"} {
		qListNodes[label] = "MATCH (n:" + label + ")\n" +
			"WHERE $after = false OR n.sortKey > $cv OR (n.sortKey = $cv AND n.id > $cid)\n" +
			"WITH n ORDER BY n.sortKey, n.id LIMIT $limit\nRETURN n {.*} AS n"
	}
	qListNodes["Source"] = "MATCH (n:Source)\nWHERE $after = false OR n.id > $cid\nWITH n ORDER BY n.id LIMIT $limit\nRETURN n {.*} AS n"
	for _, desc := range []bool{false, true} {
		op, dir := ">", ""
		if desc {
			op, dir = "<", " DESC"
		}
		qListActors[orderSpec{store.SortName, desc}] = actorListHead +
			"  AND ($after = false OR n.sortKey " + op + " $cv OR (n.sortKey = $cv AND n.id " + op + " $cid))\n" +
			"WITH n ORDER BY n.sortKey" + dir + ", n.id" + dir + " LIMIT $limit\nRETURN n {.*} AS n"
		qListActors[orderSpec{store.SortID, desc}] = actorListHead +
			"  AND ($after = false OR n.id " + op + " $cid)\n" +
			"WITH n ORDER BY n.id" + dir + " LIMIT $limit\nRETURN n {.*} AS n"
	}
}

var qListActors = map[orderSpec]string{}

const qCountActors = `CALL () {
  WITH 1 AS one WHERE $kinds = [] AND $country = '' AND $q = ''
  RETURN COUNT { (:Actor) } AS n
  UNION ALL
  WITH 1 AS one WHERE NOT ($kinds = [] AND $country = '' AND $q = '')
` + actorListHead + `
  RETURN count(n) AS n
}
RETURN sum(n) AS n`

const qActorByName = `MATCH (n:Actor) WHERE $name IN n.names
WITH n ORDER BY n.id LIMIT 1
RETURN n {.*} AS n`

const actorListHead = `MATCH (n:Actor)
WHERE ($kinds = [] OR n.kind IN $kinds)
  AND ($country = '' OR n.country = $country)
  AND ($q = '' OR any(x IN n.names WHERE x CONTAINS $q))
`

const qStats = `CALL () {
  MATCH ()-[r]->()
  RETURN count(r) AS relations, sum(size(coalesce(r.evidenceQuotes, []))) AS evidence
}
RETURN COUNT { (:Actor) } AS actors, COUNT { (:Place) } AS places, COUNT { (:Event) } AS events,
  COUNT { (:Source) } AS sources, relations, evidence`

// Writes.
var (
	qMergeNodes = map[string]string{}
	qMergeRels  = map[kg.RelationType]string{}
	// qDropMoved deletes relationships whose id is being loaded with another
	// type or other ends, so the MERGE that follows replaces them; it
	// returns the ids already stored (the change log's updates).
	qDropMoved = `UNWIND $rows AS row
CALL (row) {
` + typedUnion("r.id = row.id") + `
}
WITH row, r, type(r) <> row.type OR startNode(r).id <> row.from OR endNode(r).id <> row.to AS moved
FOREACH (_ IN CASE WHEN moved THEN [1] ELSE [] END | DELETE r)
RETURN collect(row.id) AS existing`
)

var qWipe = []string{
	"MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS",
	"MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS",
}

func init() {
	for _, label := range []string{"Actor", "Place", "Event", "Source"} {
		// created: the ids MERGE created (the change log's creations);
		// SET n = row drops the marker.
		qMergeNodes[label] = "UNWIND $rows AS row\nMERGE (n:" + label + " {id: row.id})\nON CREATE SET n._new = true\n" +
			"WITH row, n, n._new IS NOT NULL AS created\nSET n = row\nRETURN collect(CASE WHEN created THEN row.id END) AS created"
	}
	for _, t := range kg.RelationTypes() {
		qMergeRels[t] = `UNWIND $rows AS row
MATCH (a:Actor {id: row.from})
OPTIONAL MATCH (ta:Actor {id: row.to})
OPTIONAL MATCH (tp:Place {id: row.to})
WITH row, a, coalesce(ta, tp) AS b
WHERE b IS NOT NULL
MERGE (a)-[r:` + string(t) + ` {id: row.props.id}]->(b)
SET r = row.props
RETURN count(r) AS n`
	}
}
