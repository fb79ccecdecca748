package neo4jstore

import (
	"fmt"
	"strings"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// Cypher text is built here, once, at package init, from constants and the
// relation-type allowlist, or per filter shape by relquery.go from the same
// allowlists. Requests only choose among these texts and pass values as
// parameters.

// relProj projects relationship r into the map decodeRelation reads. The
// ends' ids are the relationship's own fromId/toId (pageProps), so a page
// does not visit its end nodes. (Naming the decoded properties instead of
// {.*} made a page cheaper by a constant, which pushed TestHubCostFlat's
// roll-up ratio, whose extra seeks stay, over its bound: left as it is.)
const relProj = "r {.*, type: type(r), from: r.fromId, to: r.toId}"

// nodeProps are the properties decodeActor and decodePlace read, as map
// projection bodies: not {.*}, which would carry the folded names and
// search tokens (kept for indexes) to every read. endProps serves a
// relation's to end, either kind.
var nodeProps = map[string]string{
	"Actor": "{.id, .name, .kind, .aliases, .country, .cameoCode, .wikidata, .description}",
	"Place": "{.id, .name, .kind, .aliases, .country, .parent, .wikidata}",
}

const endProps = "{.id, .name, .kind, .aliases, .country, .cameoCode, .wikidata, .description, .parent, actor: n:Actor}"

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

// Node lookups and lists.
var (
	qNodesByID = map[string]string{}
	qListNodes = map[string]string{}
)

func init() {
	for _, label := range []string{"Actor", "Place", "Event", "Source"} {
		proj, ok := nodeProps[label]
		if !ok {
			proj = "{.*}"
		}
		qNodesByID[label] = "MATCH (n:" + label + ") WHERE n.id IN $ids RETURN n " + proj + " AS n"
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
