package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// wipe deletes every node of the harness's Neo4j (Community has one user
// database, so the peer's graph and actorgraph's take turns in it). With
// dropSchema it also drops every constraint and index but the token lookups,
// so the peer's next load runs on the schema gen.mjs makes, not on
// actorgraph's relationship indexes.
func wipe(ctx context.Context, uri string, dropSchema bool) error {
	drv, err := neo4j.NewDriverWithContext(uri, neo4j.NoAuth())
	if err != nil {
		return err
	}
	defer drv.Close(ctx)
	s := drv.NewSession(ctx, neo4j.SessionConfig{})
	defer s.Close(ctx)
	// CALL … IN TRANSACTIONS needs an implicit transaction: session.Run.
	for _, q := range []string{
		"MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 20000 ROWS",
		"MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 20000 ROWS",
	} {
		if err := run(ctx, s, q); err != nil {
			return err
		}
	}
	if !dropSchema {
		return nil
	}
	// Constraints first: dropping one drops its backing index.
	for _, k := range []struct{ kind, show string }{
		{"CONSTRAINT", "SHOW CONSTRAINTS YIELD name RETURN name"},
		{"INDEX", "SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name"},
	} {
		res, err := neo4j.ExecuteQuery(ctx, drv, k.show, nil, neo4j.EagerResultTransformer)
		if err != nil {
			return err
		}
		for _, r := range res.Records {
			name, _ := r.Values[0].(string)
			// Names come from the database itself; backticks quote them.
			if err := run(ctx, s, fmt.Sprintf("DROP %s `%s` IF EXISTS", k.kind, strings.ReplaceAll(name, "`", "``"))); err != nil {
				return err
			}
		}
	}
	return nil
}

func run(ctx context.Context, s neo4j.SessionWithContext, q string) error {
	res, err := s.Run(ctx, q, nil)
	if err != nil {
		return err
	}
	_, err = res.Consume(ctx)
	return err
}
