package graph

import (
	"context"
	"fmt"
	"reflect"
	"runtime"
	"sync"
	"time"

	"github.com/actorgraph/actorgraph/graph/model"
	"github.com/actorgraph/actorgraph/internal/store"
)

// RelationsPerCostUnit is how many stored relations a filtered relations
// field is charged one complexity unit for. A relations(filter: …) list or
// totalCount under a value filter (minConfidence, dates, status, from …) may
// read every relation, so it costs relations/RelationsPerCostUnit on top of
// its page: on a 131k-relation store a filtered totalCount costs 1,311, and
// the 250,000 limit admits 190 of them in one request (about 2.7 s of
// scanning on 2 cores) instead of any number at 1 each. A filter on types
// alone is counted from the index and costs nothing extra.
const RelationsPerCostUnit = 100

// relationCount caches the store's relation count for the complexity
// calculation, which runs before execution and cannot wait on the store
// each time: it is read once synchronously, then refreshed in the
// background at most every refresh interval.
type relationCount struct {
	store   store.Store
	refresh time.Duration

	mu         sync.Mutex
	n          int
	at         time.Time
	refreshing bool
}

func (c *relationCount) get() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.at.IsZero():
		c.load() // first use: the caller waits (at most 2 s)
	case time.Since(c.at) > c.refresh && !c.refreshing:
		c.refreshing = true
		go func() {
			c.mu.Lock()
			defer c.mu.Unlock()
			c.load()
			c.refreshing = false
		}()
	}
	return c.n
}

// load reads the count; c.mu is held. A store that cannot answer keeps the
// last count (and is tried again after the refresh interval).
func (c *relationCount) load() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if st, err := c.store.Stats(ctx); err == nil {
		c.n = st.Relations
	}
	c.at = time.Now()
}

// scanCost is the extra complexity of relations(filter: f).
func (c *relationCount) scanCost(f *model.RelationFilter) int {
	if !scansRelations(f) {
		return 0
	}
	return c.get()/RelationsPerCostUnit + 1
}

// scansRelations reports whether a relations filter needs more than the
// type index: anything besides types and rollUp.
func scansRelations(f *model.RelationFilter) bool {
	if f == nil {
		return false
	}
	g := *f
	g.Types, g.RollUp = nil, nil
	return !reflect.ValueOf(g).IsZero()
}

// scanSlots bounds how many relation reads that may walk every stored
// relation run at once in this process. The complexity limit bounds what
// one request may ask for, but gqlgen resolves a query's root fields
// concurrently: a request of 176 filtered totalCount aliases (what the
// limit admits on a 131k-relation store) ran 176 scans at once on two
// cores, and every other client's request waited behind them for seconds.
// With a slot per two cores the scans of all requests queue here, the
// other cores stay free for everyone else, and a scan that cannot get a
// slot before its request's deadline fails with it.
var scanSlots = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)/2))

// walksAll reports whether a relation list or count under f may read
// every stored relation: a value filter and no end, source or event to
// start from (those read an index of their own).
func walksAll(filter *model.RelationFilter, f store.RelationFilter) bool {
	return scansRelations(filter) && f.From == "" && f.To == "" && f.Source == "" && f.Event == ""
}

// inScanSlot runs fn holding one of the scan slots.
func inScanSlot[T any](ctx context.Context, fn func(context.Context) (T, error)) (T, error) {
	select {
	case scanSlots <- struct{}{}:
		defer func() { <-scanSlots }()
		return fn(ctx)
	case <-ctx.Done():
		var zero T
		return zero, fmt.Errorf("%w: waiting for a turn to read every relation: %w", store.ErrUnavailable, ctx.Err())
	}
}
