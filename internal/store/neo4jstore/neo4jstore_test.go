package neo4jstore_test

import (
	"testing"

	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/storetest"
	"github.com/actorgraph/actorgraph/internal/testenv"
)

// TestConformance runs the shared suite against the Neo4j at NEO4J_URI
// (skipped locally without it, failed under CI=true), wiped per subtest.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return testenv.Neo4j(t, nil) })
}
