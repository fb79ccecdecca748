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
var relIndexed = []string{"alleges", "denies", "event", "source", "claimedBy"}

// schemaObject is one named constraint or index.
type schemaObject struct{ name, cypher string }

// schema lists the constraints and indexes, each created IF NOT EXISTS.
var schema = func() []schemaObject {
	var out []schemaObject
	add := func(name, format string, args ...any) {
		out = append(out, schemaObject{name, fmt.Sprintf(format, append([]any{name}, args...)...)})
	}
	for _, label := range []string{"Actor", "Place", "Event", "Source"} {
		add(strings.ToLower(label)+"_id", "CREATE CONSTRAINT %s IF NOT EXISTS FOR (n:%s) REQUIRE n.id IS UNIQUE", label)
	}
	for _, label := range []string{"Actor", "Place", "Event"} {
		add(strings.ToLower(label)+"_sortKey", "CREATE INDEX %s IF NOT EXISTS FOR (n:%s) ON (n.sortKey)", label)
	}
	add("actor_country", "CREATE INDEX %s IF NOT EXISTS FOR (n:Actor) ON (n.country)")
	// Write records (writer.go): merges, deletions, review history.
	add("merge_id", "CREATE CONSTRAINT %s IF NOT EXISTS FOR (n:Merge) REQUIRE n.id IS UNIQUE")
	add("merge_merged", "CREATE INDEX %s IF NOT EXISTS FOR (n:Merge) ON (n.merged)")
	add("merge_at", "CREATE INDEX %s IF NOT EXISTS FOR (n:Merge) ON (n.at)")
	add("deletion_id", "CREATE CONSTRAINT %s IF NOT EXISTS FOR (n:Deletion) REQUIRE n.id IS UNIQUE")
	add("deletion_at", "CREATE INDEX %s IF NOT EXISTS FOR (n:Deletion) ON (n.at)")
	add("review_relation", "CREATE INDEX %s IF NOT EXISTS FOR (n:Review) ON (n.relation)")
	// The change log (changelog.go): entries by seq, the one counter.
	add("change_seq", "CREATE CONSTRAINT %s IF NOT EXISTS FOR (n:Change) REQUIRE n.seq IS UNIQUE")
	add("changelog_id", "CREATE CONSTRAINT %s IF NOT EXISTS FOR (n:ChangeLog) REQUIRE n.id IS UNIQUE")
	// Markers of one-time loads (the seed: changelog.go's LoadIfEmpty).
	add("loadmarker_id", "CREATE CONSTRAINT %s IF NOT EXISTS FOR (n:LoadMarker) REQUIRE n.id IS UNIQUE")
	for _, t := range kg.RelationTypes() {
		// t comes from the vocabulary (the allowlist). The uniqueness
		// constraint's backing index serves lookups by id.
		add("rel_"+string(t)+"_id", "CREATE CONSTRAINT %s IF NOT EXISTS FOR ()-[r:%s]-() REQUIRE r.id IS UNIQUE", t)
		for _, p := range relIndexed {
			add("rel_"+string(t)+"_"+p, "CREATE INDEX %s IF NOT EXISTS FOR ()-[r:%s]-() ON (r.%s)", t, p)
		}
	}
	out = append(out, pageIndexes()...) // index-ordered relation pages (pagekeys.go)
	return append(out, searchSchema...) // full-text indexes (analyst_schema.go)
}()

var (
	schemaMu   sync.Mutex
	schemaDone = map[string]bool{} // URI + database -> schema created by this process
)

// ensureSchema creates the missing schema objects, then waits for the
// indexes to come online (a query planned before that would not use them).
// Open calls it once per process and URI (force false: later stores on the
// same database skip it); the health monitor calls it with force whenever
// the database comes back or lacks a constraint (health.go).
func (s *Store) ensureSchema(ctx context.Context, force bool) error {
	key := s.opts.URI + "\x00" + s.opts.Database
	schemaMu.Lock()
	defer schemaMu.Unlock()
	if schemaDone[key] && !force {
		return nil
	}
	// Indexes and constraints share one namespace; constraints' backing
	// indexes carry the constraint's name. Only missing objects are created:
	// one statement when the schema is complete, not one per object.
	recs, err := s.query(ctx, "read schema",
		"SHOW INDEXES YIELD name, state RETURN collect(name) AS names, all(x IN collect(state) WHERE x = 'ONLINE') AS online", nil)
	if err != nil {
		return err
	}
	have, online := map[string]bool{}, false
	if len(recs) == 1 {
		v, _ := recs[0].Get("online")
		online, _ = v.(bool)
		v, _ = recs[0].Get("names")
		l, _ := v.([]any)
		for _, n := range l {
			name, _ := n.(string)
			have[name] = true
		}
	}
	sess := s.session(ctx)
	defer sess.Close(ctx)
	created := 0
	for _, obj := range schema {
		if have[obj.name] {
			continue
		}
		// One auto-commit transaction per object: IF NOT EXISTS keeps a
		// concurrent creator (another process starting) harmless.
		res, err := sess.Run(ctx, obj.cypher, nil, s.txConfig()...)
		if err == nil {
			_, err = res.Consume(ctx)
		}
		if err != nil {
			return wrapErr("create schema", err)
		}
		created++
	}
	if err := s.backfillPageKeys(ctx); err != nil { // data written before page keys (pagekeys.go)
		return err
	}
	if created == 0 && online {
		schemaDone[key] = true
		return nil
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
	if err := s.gate(op); err != nil {
		return nil, err
	}
	return s.runUngated(ctx, op, cypher, params)
}

// runUngated is runAutoCommit without the health gate: the schema setup
// (ensureSchema and the page-key backfill) runs while the monitor holds the
// store down, and must not be refused by that very gate.
func (s *Store) runUngated(ctx context.Context, op, cypher string, params map[string]any) (neo4j.ResultSummary, error) {
	sess := s.session(ctx)
	defer sess.Close(ctx)
	res, err := sess.Run(ctx, cypher, params, s.txConfigFor(ctx)...)
	if err != nil {
		return nil, wrapErr(op, s.observe(ctx, err))
	}
	sum, err := res.Consume(ctx)
	if err != nil {
		return nil, wrapErr(op, s.observe(ctx, err))
	}
	return sum, nil
}
