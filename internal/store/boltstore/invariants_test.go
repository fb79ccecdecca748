package boltstore_test

import (
	"testing"

	"github.com/actorgraph/actorgraph/internal/store/storetest"
)

// TestInvariants: every write path keeps the data model's rules.
func TestInvariants(t *testing.T) { storetest.RunInvariants(t, newBolt) }
