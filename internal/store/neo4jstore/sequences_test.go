package neo4jstore_test

import (
	"testing"

	"github.com/actorgraph/actorgraph/internal/store/storetest"
)

// TestSequences: random write sequences keep the invariants (see storetest).
func TestSequences(t *testing.T) { storetest.RunSequences(t, newNeo4j, storetest.SeqBudget(8)) }
