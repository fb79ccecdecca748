package neo4jstore

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// batchSize is how many rows one UNWIND statement of Load carries.
const batchSize = 5000

// Load upserts g in one write transaction: all of it or nothing. Nodes are
// merged by id and their properties replaced; each relation is merged on
// (from)-[:TYPE {id}]->(to), and a relation id already stored with another
// type or other ends is replaced. Rows travel as list parameters, one
// statement per kind (per relation type) and batch.
//
// The caller validates the graph; Load refuses relation types outside the
// vocabulary, and relations whose ends do not exist (in g or in the store),
// with store.ErrInvalid.
func (s *Store) Load(ctx context.Context, g *kg.Graph) error {
	plan, err := planLoad(g)
	if err != nil {
		return err
	}
	if err := s.gate("load"); err != nil {
		return err
	}
	sess := s.session(ctx)
	defer sess.Close(ctx)
	_, err = sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		return nil, s.logged(ctx, tx, store.OpLoad, func(tx neo4j.ManagedTransaction) error { return plan.run(ctx, tx) })
	}, s.txConfigFor(ctx)...)
	if err != nil {
		return wrapErr("load", s.observe(ctx, err))
	}
	return nil
}

// loadPlan is a graph as Load's statements take it: rows per label, per
// relation type, and the relation ids with their ends.
type loadPlan struct {
	g      *kg.Graph
	nodes  []nodeRows
	moved  []any
	byType map[kg.RelationType][]any
}

type nodeRows struct {
	label string
	rows  []any
}

func planLoad(g *kg.Graph) (loadPlan, error) {
	if g == nil {
		return loadPlan{}, fmt.Errorf("neo4jstore: load: nil graph: %w", store.ErrInvalid)
	}
	byType := map[kg.RelationType][]any{}
	moved := make([]any, 0, len(g.Relations))
	for _, r := range g.Relations {
		if !r.Type.IsValid() {
			return loadPlan{}, fmt.Errorf("neo4jstore: load: relation %q: type %q: %w", r.ID, r.Type, store.ErrInvalid)
		}
		if r.ID == "" {
			return loadPlan{}, fmt.Errorf("neo4jstore: load: relation without id: %w", store.ErrInvalid)
		}
		byType[r.Type] = append(byType[r.Type], map[string]any{"from": r.From, "to": r.To, "props": relationProps(r)})
		moved = append(moved, map[string]any{"id": r.ID, "type": string(r.Type), "from": r.From, "to": r.To})
	}
	nodes := []nodeRows{
		{"Source", rows(g.Sources, sourceProps)},
		{"Actor", rows(g.Actors, actorProps)},
		{"Place", rows(g.Places, placeProps)},
		{"Event", rows(g.Events, eventProps)},
	}
	return loadPlan{g: g, nodes: nodes, moved: moved, byType: byType}, nil
}

// run writes the graph in tx and notes its entities in tx's change set.
func (p loadPlan) run(ctx context.Context, tx neo4j.ManagedTransaction) error {
	created, existing := map[string]map[string]bool{}, map[string]bool{}
	for _, n := range p.nodes {
		created[n.label] = map[string]bool{}
		if err := runBatches(ctx, tx, qMergeNodes[n.label], n.rows, collectIDs(created[n.label], "created")); err != nil {
			return err
		}
	}
	if err := runBatches(ctx, tx, qDropMoved, p.moved, collectIDs(existing, "existing")); err != nil {
		return err
	}
	for _, t := range kg.RelationTypes() { // fixed order: deterministic locking
		rs := p.byType[t]
		if len(rs) == 0 {
			continue
		}
		err := runBatches(ctx, tx, qMergeRels[t], rs, func(batch []any, rec *neo4j.Record) error {
			n, _ := rec.Get("n")
			if gint(n) != len(batch) {
				return fmt.Errorf("neo4jstore: load: %d of %d %s relations have a missing from actor or to actor/place: %w",
					len(batch)-gint(n), len(batch), t, store.ErrInvalid)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if err := checkStored(ctx, tx, p.g.Relations); err != nil {
		return err
	}
	noteGraph(changeSet(tx), p.g, created, existing)
	return nil
}

func rows[T any](items []T, conv func(T) map[string]any) []any {
	out := make([]any, len(items))
	for i, it := range items {
		out[i] = conv(it)
	}
	return out
}

// runBatches runs cypher over rows in batches of batchSize; check, when set,
// sees each batch's single result record.
func runBatches(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, rows []any, check func([]any, *neo4j.Record) error) error {
	for start := 0; start < len(rows); start += batchSize {
		batch := rows[start:min(start+batchSize, len(rows))]
		res, err := tx.Run(ctx, cypher, map[string]any{"rows": batch})
		if err != nil {
			return err
		}
		if check == nil {
			if _, err := res.Consume(ctx); err != nil {
				return err
			}
			continue
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return err
		}
		if err := check(batch, rec); err != nil {
			return err
		}
	}
	return nil
}

// Wipe deletes every relationship, then every node, in batches of their own
// transactions (a large graph does not fit one; deleting nodes with their
// relationships would make a batch of hubs arbitrarily large); the schema
// stays.
func (s *Store) Wipe(ctx context.Context) error {
	seq, err := s.LastSeq(ctx)
	if err != nil {
		return err
	}
	for _, q := range qWipe {
		if _, err := s.runAutoCommit(ctx, "wipe", q, nil); err != nil {
			return err
		}
	}
	return s.keepSeq(ctx, seq)
}
