package neo4jstore

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/actorgraph/actorgraph/internal/kg"
)

// relIndexed are the relationship properties indexed per relation type.
// Neo4j relationship indexes cover one type each, so they are generated from
// the vocabulary. id is covered by the per-type uniqueness constraint.
var relIndexed = []string{"alleges", "denies", "event", "source"}

// schemaStatements creates the constraints and indexes (idempotently).
var schemaStatements = func() []string {
	var out []string
	for _, label := range []string{"Actor", "Place", "Event", "Source"} {
		out = append(out, fmt.Sprintf(
			"CREATE CONSTRAINT %s_id IF NOT EXISTS FOR (n:%s) REQUIRE n.id IS UNIQUE",
			strings.ToLower(label), label))
	}
	for _, label := range []string{"Actor", "Place", "Event"} {
		out = append(out, fmt.Sprintf(
			"CREATE INDEX %s_sortKey IF NOT EXISTS FOR (n:%s) ON (n.sortKey)", strings.ToLower(label), label))
	}
	out = append(out, "CREATE INDEX actor_country IF NOT EXISTS FOR (n:Actor) ON (n.country)")
	for _, t := range kg.RelationTypes() {
		// t comes from the vocabulary (the allowlist).
		out = append(out, fmt.Sprintf(
			"CREATE CONSTRAINT rel_%s_id IF NOT EXISTS FOR ()-[r:%s]-() REQUIRE r.id IS UNIQUE", t, t))
		for _, p := range relIndexed {
			out = append(out, fmt.Sprintf(
				"CREATE INDEX rel_%s_%s IF NOT EXISTS FOR ()-[r:%s]-() ON (r.%s)", t, p, t, p))
		}
	}
	return out
}()

var (
	schemaMu   sync.Mutex
	schemaDone = map[string]bool{} // URI + database -> schema created by this process
)

// ensureSchema creates the schema once per process and URI, then waits for
// the indexes to come online (a query planned before that would not use them).
func (s *Store) ensureSchema(ctx context.Context) error {
	key := s.opts.URI + "\x00" + s.opts.Database
	schemaMu.Lock()
	defer schemaMu.Unlock()
	if schemaDone[key] {
		return nil
	}
	sess := s.session(ctx)
	defer sess.Close(ctx)
	// Schema commands run one per auto-commit transaction: Neo4j does not
	// allow several index/constraint creations in one transaction to be
	// mixed freely, and IF NOT EXISTS makes each one cheap once it exists.
	for _, stmt := range schemaStatements {
		res, err := sess.Run(ctx, stmt, nil, s.txConfig()...)
		if err == nil {
			_, err = res.Consume(ctx)
		}
		if err != nil {
			return wrapErr("create schema", err)
		}
	}
	res, err := sess.Run(ctx, "CALL db.awaitIndexes(300)", nil)
	if err == nil {
		_, err = res.Consume(ctx)
	}
	if err != nil {
		return wrapErr("await indexes", err)
	}
	schemaDone[key] = true
	return nil
}

// runAutoCommit runs one statement in its own auto-commit transaction (needed
// for CALL { } IN TRANSACTIONS) and discards the result.
func (s *Store) runAutoCommit(ctx context.Context, op, cypher string, params map[string]any) (neo4j.ResultSummary, error) {
	sess := s.session(ctx)
	defer sess.Close(ctx)
	res, err := sess.Run(ctx, cypher, params, s.txConfig()...)
	if err != nil {
		return nil, wrapErr(op, err)
	}
	sum, err := res.Consume(ctx)
	if err != nil {
		return nil, wrapErr(op, err)
	}
	return sum, nil
}
