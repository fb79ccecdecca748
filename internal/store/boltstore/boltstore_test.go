package boltstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/boltstore"
	"github.com/actorgraph/actorgraph/internal/store/storetest"
)

func open(t *testing.T, dir string) *boltstore.Store {
	t.Helper()
	s, err := boltstore.Open(dir, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return open(t, t.TempDir()) })
}

// TestReopenKeepsData: records are on disk and the indexes are rebuilt at start.
func TestReopenKeepsData(t *testing.T) {
	dir := t.TempDir()
	s, err := boltstore.Open(dir, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Load(context.Background(), storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	s.Close(context.Background())
	s = open(t, dir)
	st, _ := s.Stats(context.Background())
	if st.Relations != 9 || st.Actors != 6 {
		t.Fatalf("after reopen: %+v", st)
	}
	a, err := s.ActorByName(context.Background(), "strelsau")
	if err != nil || a.ID != "ruritania" {
		t.Fatalf("index not rebuilt: %v %v", a.ID, err)
	}
}

// TestInUse: a second opener gets ErrInUse after the timeout, never a hang.
func TestInUse(t *testing.T) {
	dir := t.TempDir()
	open(t, dir)
	start := time.Now()
	_, err := boltstore.Open(dir, boltstore.Options{LockTimeout: 200 * time.Millisecond})
	if !errors.Is(err, store.ErrInUse) {
		t.Fatalf("second open: err = %v, want ErrInUse", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("second open took %s", d)
	}
}
