package feed_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/actorgraph/actorgraph/internal/feed"
	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/boltstore"
	"github.com/actorgraph/actorgraph/internal/testenv"
)

// slowSetup starts a feed over a fresh embedded store, subscribes to every
// entry from the log's end and, while the subscriber reads nothing, loads
// more actors than the tailer's window holds and waits until the tailer
// has tailed them all. It returns the store, the feed, the subscription and
// the sequences before and after the load.
func slowSetup(t *testing.T, ctx context.Context) (*boltstore.Store, *feed.Feed, <-chan store.Change, int64, int64) {
	s := testenv.Bolt(t, boltstore.Options{})
	f := feed.New(s, feed.Options{Interval: 10 * time.Millisecond, CompactEvery: -1})
	if err := f.Start(ctx); err != nil {
		t.Fatal(err)
	}
	start, err := s.LastSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sub, err := f.Subscribe(ctx, start, all)
	if err != nil {
		t.Fatal(err)
	}
	// One load of n actors: n entries, more than the window holds.
	n := feed.Window + 2000
	g := &kg.Graph{}
	for i := range n {
		g.Actors = append(g.Actors, kg.Actor{ID: fmt.Sprintf("slow-%05d", i), Name: fmt.Sprintf("Slow %d", i), Kind: kg.KindOther})
	}
	if err := s.Load(ctx, g); err != nil {
		t.Fatal(err)
	}
	end := start + int64(n)
	deadline := time.Now().Add(30 * time.Second)
	for f.Last() < end {
		if time.Now().After(deadline) {
			t.Fatalf("the tailer reached %d, want %d", f.Last(), end)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return s, f, sub, start, end
}

func all(_ context.Context, chs []store.Change) ([]store.Change, error) { return chs, nil }

// drain reads the subscription until it closes or reaches end, failing on
// any gap or repeat; it returns the last sequence read.
func drain(t *testing.T, sub <-chan store.Change, prev, end int64) int64 {
	for prev < end {
		select {
		case ch, ok := <-sub:
			if !ok {
				return prev
			}
			if ch.Seq != prev+1 || ch.Entity != store.EntityActor || ch.Kind != store.ChangeCreated {
				t.Fatalf("after seq %d got %d %s %s", prev, ch.Seq, ch.Entity, ch.Kind)
			}
			prev = ch.Seq
		case <-time.After(10 * time.Second):
			t.Fatalf("no entry after seq %d within 10s", prev)
		}
	}
	return prev
}

// TestSlowSubscriberResumedFromLog: a subscriber that reads nothing while
// the tailer moves more than its window past it is caught up from the log
// itself: every entry, once, in order, none dropped.
func TestSlowSubscriberResumedFromLog(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, _, sub, start, end := slowSetup(t, ctx)
	// The subscriber has read at most its first batch; the window now
	// starts well past its cursor.
	if got := drain(t, sub, start, end); got != end {
		t.Fatalf("the subscriber was ended at seq %d, want every entry up to %d", got, end)
	}
}

// TestSlowSubscriberCompactedAway: when compaction drops entries a slow
// subscriber has not read, it is ended (no silent gap), and subscribing
// again with its cursor is ErrCursorExpired.
func TestSlowSubscriberCompactedAway(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, f, sub, start, end := slowSetup(t, ctx)
	if _, err := s.Compact(ctx, store.Retention{MaxEntries: 100}, time.Now()); err != nil {
		t.Fatal(err)
	}
	got := drain(t, sub, start, end)
	if got >= end-100 {
		t.Fatalf("the subscriber read up to %d across the compacted range (log keeps %d..%d)", got, end-99, end)
	}
	if _, err := f.Subscribe(ctx, got, all); !errors.Is(err, store.ErrCursorExpired) {
		t.Errorf("resubscribing at %d: %v, want ErrCursorExpired", got, err)
	}
}
