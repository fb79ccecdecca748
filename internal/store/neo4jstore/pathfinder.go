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

// Neighbourhoods and paths: one statement per call, its text fixed at init.
// The rules are the embedded store's (see boltstore/pathfinder.go):
//
// Neighborhood walks breadth first, level by level. At each level every
// actor of the frontier (places are leaves) selects its first perNode
// matching relations by id; the level's new relations (not selected before)
// are ordered by (smallest id of a frontier node that selected them,
// relation id) and added until limit relations are held; a level that does
// not fit stops the walk. The next frontier is the ends of the added
// relations not reached before. Truncated: some node had more than perNode
// matches, or a level did not fit.
//
// Paths are the shortest undirected paths whose every relation matches,
// ordered by their lists of relation ids; with All, the first limit of them.

var _ store.PathFinder = (*Store)(nil)

var (
	// qNeighborhood[direction]: three levels, each skipped past $depth.
	qNeighborhood = map[store.Direction]string{}
	// qPaths[maxLength]: a variable-length pattern's bound cannot be a
	// parameter, so there is one text per length (1..6).
	qPaths [7]string
)

func init() {
	for _, dir := range []store.Direction{store.Out, store.In, store.Both} {
		qNeighborhood[dir] = neighborhoodQuery(dir)
	}
	for n := 1; n <= 6; n++ {
		qPaths[n] = pathsQuery(n)
	}
}

// neighborhoodFilter selects a node's relations: types and the date range
// ($dateProp names occurredDate or reportedDate; a missing date is null, so
// it never matches a bound).
const neighborhoodFilter = `($types = [] OR type(r) IN $types)
      AND ($dateFrom = '' OR r[$dateProp] >= $dateFrom)
      AND ($dateTo = '' OR r[$dateProp] <= $dateTo)`

// neighborhoodLevel is one level of the walk. Variables between levels:
// seen (nodes reached, the start first), frontier (nodes reached at the
// previous level), held (relations selected so far, in selection order),
// truncated, stop (a level did not fit in $limit).
//
// Each frontier actor's subquery keeps its first $perNode+1 relations by id
// (ORDER BY r.id LIMIT inside the subquery: a hub hands on no more than a
// small node does); the extra one only tells that the node was cut.
// Set differences group by the element (hashing) rather than test list
// membership row by row.
const neighborhoodLevel = `// level %[1]d
CALL (frontier, stop) {
  WITH frontier WHERE $depth >= %[1]d AND NOT stop
  UNWIND frontier AS n
  WITH n WHERE n:Actor
  CALL (n) {
    MATCH %[2]s
    WHERE ` + neighborhoodFilter + `
%[3]s    WITH r ORDER BY r.id LIMIT $perNodeMore
    RETURN collect(r) AS c
  }
  UNWIND c[0..$perNode] AS r
  RETURN collect({r: r, k: n.id}) AS candidates, sum(CASE WHEN size(c) > $perNode THEN 1 ELSE 0 END) > 0 AS cut
}
CALL (held, candidates) {
  UNWIND [x IN held | {r: x, k: ''}] + candidates AS row
  WITH row.r AS r, min(row.k) AS k
  WHERE k <> ''
  WITH r, k ORDER BY k, r.id
  RETURN collect(r) AS fresh
}
WITH seen, held, fresh, $limit - size(held) AS room, truncated OR cut AS truncated, stop
WITH seen, held, fresh[0..room] AS added, truncated OR size(fresh) > room AS truncated, stop OR size(fresh) > room AS stop
CALL (seen, added) {
  UNWIND [x IN seen | {n: x, k: 0}] + [r IN added | {n: startNode(r), k: 1}] + [r IN added | {n: endNode(r), k: 1}] AS row
  WITH row.n AS n, min(row.k) AS k
  WHERE k = 1
  RETURN collect(n) AS reached
}
WITH seen + reached AS seen, reached AS frontier, held + added AS held, truncated, stop
`

func neighborhoodQuery(dir store.Direction) string {
	pattern, distinct := "(n)-[r]->()", ""
	switch dir {
	case store.In:
		pattern = "(n)<-[r]-()"
	case store.Both:
		// A self-loop is matched from both of its ends: keep it once.
		pattern, distinct = "(n)-[r]-()", "    WITH DISTINCT r\n"
	}
	var b strings.Builder
	b.WriteString(`MATCH (start:Actor {id: $id})
WITH [start] AS seen, [start] AS frontier, [] AS held, false AS truncated, false AS stop
`)
	for level := 1; level <= 3; level++ {
		fmt.Fprintf(&b, neighborhoodLevel, level, pattern, distinct)
	}
	b.WriteString("RETURN [r IN held | " + relProj + "] AS rels,\n" +
		"  [n IN seen WHERE n:Actor | n {.*}] AS actors, [n IN seen WHERE n:Place | n {.*}] AS places, truncated")
	return b.String()
}

// pathsQuery: allShortestPaths ignoring direction, every relation matching
// the filter (a predicate on all relationships, which the shortest-path
// search checks as it expands), at most $limit paths by their id lists.
func pathsQuery(maxLength int) string {
	return fmt.Sprintf(`OPTIONAL MATCH (a:Actor {id: $from})
OPTIONAL MATCH (b:Actor {id: $to})
CALL (a, b) {
  WITH a, b WHERE a IS NOT NULL AND b IS NOT NULL
  MATCH p = allShortestPaths((a)-[*..%d]-(b))
  WHERE all(r IN relationships(p) WHERE ($types = [] OR type(r) IN $types)
    AND ($attribution = '' OR r.attribution = $attribution))
  WITH p, [r IN relationships(p) | r.id] AS key
  ORDER BY key LIMIT $limit
  RETURN collect([r IN relationships(p) | `+relProj+`]) AS paths
}
RETURN a IS NOT NULL AS fromFound, b IS NOT NULL AS toFound, paths`, maxLength)
}

func pfTypes(types []kg.RelationType) []any {
	out := make([]any, 0, len(types))
	for _, t := range types {
		out = append(out, string(t))
	}
	return out
}

// Neighborhood returns the subgraph around actorID.
func (s *Store) Neighborhood(ctx context.Context, actorID string, q store.NeighborhoodQuery) (store.Subgraph, error) {
	if err := rules.CheckNeighborhood(&q); err != nil {
		return store.Subgraph{}, err
	}
	dateProp := "occurredDate"
	if q.Dates.On == store.OnReported {
		dateProp = "reportedDate"
	}
	recs, err := s.read(ctx, "neighborhood", qNeighborhood[q.Direction], map[string]any{
		"id": actorID, "depth": int64(q.Depth), "limit": int64(q.Limit),
		"perNode": int64(q.PerNode), "perNodeMore": int64(q.PerNode) + 1,
		"types": pfTypes(q.Types), "dateFrom": q.Dates.From, "dateTo": q.Dates.To, "dateProp": dateProp,
	})
	if err != nil {
		return store.Subgraph{}, err
	}
	if len(recs) == 0 {
		return store.Subgraph{}, fmt.Errorf("actor %q: %w", actorID, store.ErrNotFound)
	}
	rec := recs[0]
	var out store.Subgraph
	v, _ := rec.Get("truncated")
	out.Truncated, _ = v.(bool)
	col := func(k string) []map[string]any { v, _ := rec.Get(k); return pfMaps(v) }
	for _, m := range col("rels") {
		out.Relations = append(out.Relations, decodeRelation(m))
	}
	for _, m := range col("actors") {
		out.Actors = append(out.Actors, decodeActor(m))
	}
	for _, m := range col("places") {
		out.Places = append(out.Places, decodePlace(m))
	}
	slices.SortFunc(out.Relations, func(a, b kg.Relation) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(out.Actors, func(a, b kg.Actor) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(out.Places, func(a, b kg.Place) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// pfMaps reads a list of maps.
func pfMaps(v any) []map[string]any {
	l, _ := v.([]any)
	out := make([]map[string]any, 0, len(l))
	for _, x := range l {
		m, _ := x.(map[string]any)
		out = append(out, m)
	}
	return out
}

// Paths returns the shortest paths between two actors.
func (s *Store) Paths(ctx context.Context, fromID, toID string, q store.PathQuery) ([]store.Path, error) {
	limit, err := rules.CheckPaths(fromID, toID, q)
	if err != nil {
		return nil, err
	}
	recs, err := s.read(ctx, "paths", qPaths[q.MaxLength], map[string]any{
		"from": fromID, "to": toID, "limit": int64(limit),
		"types": pfTypes(q.Types), "attribution": string(q.Attribution),
	})
	if err != nil {
		return nil, err
	}
	if len(recs) != 1 {
		return nil, fmt.Errorf("neo4jstore: paths: no result: %w", errDatabase)
	}
	rec := recs[0]
	for _, c := range []struct{ col, id string }{{"fromFound", fromID}, {"toFound", toID}} {
		if v, _ := rec.Get(c.col); v != true {
			return nil, fmt.Errorf("actor %q: %w", c.id, store.ErrNotFound)
		}
	}
	v, _ := rec.Get("paths")
	raw, _ := v.([]any)
	out := make([]store.Path, 0, len(raw))
	for _, p := range raw {
		path := store.Path{}
		at := fromID
		for _, m := range pfMaps(p) {
			r := decodeRelation(m)
			fwd := r.From == at
			if fwd {
				at = r.To
			} else {
				at = r.From
			}
			path = append(path, store.Hop{Relation: r, Forward: fwd})
		}
		out = append(out, path)
	}
	// The statement ordered by the id lists; Go makes the order certain.
	slices.SortFunc(out, func(a, b store.Path) int {
		return slices.CompareFunc(a, b, func(x, y store.Hop) int { return strings.Compare(x.Relation.ID, y.Relation.ID) })
	})
	return out, nil
}
