package neo4jstore

import (
	"context"
	"time"

	"github.com/actorgraph/actorgraph/internal/store"
)

// WarmUp has Neo4j plan the analyst statements whose planning is slow, by
// running each under EXPLAIN (planned and cached, nothing executed), so the
// first request that needs one does not pay for it. The disputes statement
// unions every relation type four times (per-type indexes): on a fresh
// database its planning took 11–25 s on two busy cores, longer than the
// request's transaction timeout, so the first disputes query failed with
// UNAVAILABLE (seen in CI) and the second took 9 s. `serve` calls it in
// the background after the store opens; the plan cache is per database
// server, so one server's warm-up serves them all.
func (s *Store) WarmUp(ctx context.Context) error {
	params := rangeParams(store.DateRange{}, 1)
	params["actor"], params["cap"] = "", int64(1)
	ctx = withBulkTimeout(ctx, 5*time.Minute)
	for _, q := range []string{qDisputes} {
		if _, err := s.read(ctx, "warm up", "EXPLAIN "+q, params); err != nil {
			return err
		}
	}
	return nil
}
