// Package testenv gives tests the real stores: a fresh embedded store in a
// temporary directory, and the Neo4j server named by NEO4J_URI (started by
// neo4j-launcher/neo4jctl). Without NEO4J_URI the Neo4j tests skip locally
// and FAIL under CI=true, so CI can never pass by skipping them.
package testenv

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/log"

	"github.com/actorgraph/actorgraph/internal/seed"
	"github.com/actorgraph/actorgraph/internal/store/boltstore"
	"github.com/actorgraph/actorgraph/internal/store/neo4jstore"
)

// Bolt opens a fresh embedded store in a temporary directory.
func Bolt(t testing.TB, opts boltstore.Options) *boltstore.Store {
	t.Helper()
	opts.NoSync = true // tests: speed over crash safety
	s, err := boltstore.Open(t.TempDir(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	return s
}

// SeededBolt opens a fresh embedded store holding the seed article's
// curated graph.
func SeededBolt(t testing.TB) *boltstore.Store {
	t.Helper()
	s := Bolt(t, boltstore.Options{})
	g, err := seed.Graph()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Load(context.Background(), g); err != nil {
		t.Fatal(err)
	}
	return s
}

// Neo4jURI returns NEO4J_URI, skipping the test when it is unset — or
// failing it when CI=true.
func Neo4jURI(t testing.TB) string {
	t.Helper()
	uri := os.Getenv("NEO4J_URI")
	if uri == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("NEO4J_URI is not set but CI=true: the Neo4j tests must run in CI (start Neo4j with neo4j-launcher/neo4jctl start)")
		}
		t.Skip("NEO4J_URI not set; start Neo4j with neo4j-launcher/neo4jctl start and export NEO4J_URI")
	}
	return uri
}

// Neo4j opens the Neo4j store at NEO4J_URI and wipes it. Community has one
// user database, so packages using it run one at a time (go test -p 1).
// logger, when non-nil, sees every Bolt message (to count statements).
func Neo4j(t testing.TB, logger log.BoltLogger) *neo4jstore.Store {
	t.Helper()
	uri := Neo4jURI(t)
	s, err := neo4jstore.Open(context.Background(), neo4jstore.Options{
		URI: uri, User: os.Getenv("NEO4J_USER"), Password: os.Getenv("NEO4J_PASSWORD"),
		TxTimeout: time.Minute, ConnectTimeout: time.Minute, BoltLogger: logger,
	})
	if err != nil {
		t.Fatalf("open Neo4j at %s: %v", uri, err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	if err := s.Wipe(context.Background()); err != nil {
		t.Fatalf("wipe Neo4j: %v", err)
	}
	return s
}
