package boltstore_test

import (
	"testing"

	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/boltstore"
	"github.com/actorgraph/actorgraph/internal/store/storetest"
	"github.com/actorgraph/actorgraph/internal/testenv"
)

func newBolt(t *testing.T) store.Store { return testenv.Bolt(t, boltstore.Options{}) }

// TestWriter runs the writer's conformance suite on the embedded store.
func TestWriter(t *testing.T) {
	storetest.RunWriter(t, newBolt)
}

// TestWriterAtomic: a write failing at the end of its transaction changes nothing.
func TestWriterAtomic(t *testing.T) {
	storetest.RunWriterAtomic(t, newBolt, boltstore.SetFailpoint)
}

// TestChangeLog runs the change log's conformance suite on the embedded store.
func TestChangeLog(t *testing.T) {
	storetest.RunChangeLog(t, newBolt)
}
