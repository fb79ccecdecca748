package neo4jstore

import (
	"context"
	"fmt"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// Page keys: the properties and indexes that let a page of an actor's
// relations start from an index seek (see relquery.go). Every relationship
// carries
//
//	fromId, toId               its ends' ids
//	occurredKey, reportedKey   its dates, "" when unknown
//
// beside confidence and id. Range indexes leave out entries whose
// properties are null, so unknown dates are stored as "" (sorting first, as
// the embedded store and store.CursorOf order them); occurredDate and
// reportedDate themselves stay absent, so decoded relations are unchanged.

// pageProps adds the page keys of r to its property map.
func pageProps(p props, r kg.Relation) {
	p["fromId"], p["toId"] = r.From, r.To
	p["occurredKey"], p["reportedKey"] = r.Occurred.Date, r.Reported.Date
}

// pageOrders are the relation orders with an index per end and type. Each
// index costs one entry per relationship of its type on every write.
var pageOrders = []store.SortField{store.SortID, store.SortOccurred, store.SortReported, store.SortConfidence}

// pageIndexes are the composite range indexes (end id, sort key, id), per
// relation type (Neo4j relationship indexes cover one type), end and order.
// A range index serves ascending and descending pages alike.
func pageIndexes() []schemaObject {
	var out []schemaObject
	for _, t := range kg.RelationTypes() {
		for _, end := range []string{"fromId", "toId"} {
			for _, f := range pageOrders {
				on := "r." + end + ", r.id"
				if k := sortProp(f); k != "id" {
					on = "r." + end + ", r." + k + ", r.id"
				}
				name := fmt.Sprintf("rel_%s_%s_%s", t, end, sortProp(f))
				out = append(out, schemaObject{name,
					fmt.Sprintf("CREATE INDEX %s IF NOT EXISTS FOR ()-[r:%s]-() ON (%s)", name, t, on)})
			}
		}
	}
	return out
}

// pageKeysVersion names the backfill that gave relationships written before
// page keys existed their keys; a marker node records that it ran.
const pageKeysVersion = "pageKeys1"

// backfillPageKeys sets the page keys of every relationship that lacks
// them, in batches of their own transactions, once per database. It is part
// of the schema setup, so it bypasses the health gate: the monitor runs it
// while it holds the store down (through a gated read it was refused by
// that gate, and a store that lost its schema stayed down for good —
// TestSchemaComesBack).
func (s *Store) backfillPageKeys(ctx context.Context) error {
	recs, err := s.query(ctx, "read migrations", "MATCH (m:Migration {id: $id}) RETURN count(m) AS n", map[string]any{"id": pageKeysVersion})
	if err != nil {
		return err
	}
	if len(recs) == 1 && recInt(recs[0], "n") > 0 {
		return nil
	}
	if _, err := s.runUngated(ctx, "backfill page keys", `MATCH ()-[r]->() WHERE r.fromId IS NULL OR r.occurredKey IS NULL
CALL (r) {
  SET r.fromId = startNode(r).id, r.toId = endNode(r).id,
      r.occurredKey = coalesce(r.occurredDate, ''), r.reportedKey = coalesce(r.reportedDate, '')
} IN TRANSACTIONS OF 10000 ROWS`, nil); err != nil {
		return err
	}
	_, err = s.runUngated(ctx, "backfill page keys", "MERGE (:Migration {id: $id})", map[string]any{"id": pageKeysVersion})
	return err
}
