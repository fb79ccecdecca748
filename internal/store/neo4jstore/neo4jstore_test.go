package neo4jstore_test

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/neo4jstore"
	"github.com/actorgraph/actorgraph/internal/store/storetest"
)

var (
	shared    *neo4jstore.Store
	sharedErr error
	sharedMu  sync.Mutex
)

// openShared opens the store once per test process (NEO4J_URI): the
// Community server has one user database, so subtests share it and wipe it.
func openShared(t *testing.T) *neo4jstore.Store {
	t.Helper()
	uri := os.Getenv("NEO4J_URI")
	if uri == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("NEO4J_URI is not set (required when CI=true; start Neo4j with neo4j-launcher/neo4jctl start)")
		}
		t.Skip("NEO4J_URI not set; start Neo4j with neo4j-launcher/neo4jctl start")
	}
	sharedMu.Lock()
	defer sharedMu.Unlock()
	if shared == nil && sharedErr == nil {
		shared, sharedErr = neo4jstore.Open(context.Background(), neo4jstore.Options{
			URI: uri, User: os.Getenv("NEO4J_USER"), Password: os.Getenv("NEO4J_PASSWORD"),
			TxTimeout: time.Minute, ConnectTimeout: time.Minute,
		})
	}
	if sharedErr != nil {
		t.Fatalf("open %s: %v", uri, sharedErr)
	}
	return shared
}

func TestConformance(t *testing.T) {
	s := openShared(t)
	storetest.Run(t, func(t *testing.T) store.Store {
		if err := s.Wipe(context.Background()); err != nil {
			t.Fatalf("Wipe: %v", err)
		}
		return s
	})
}
