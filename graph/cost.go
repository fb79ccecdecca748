package graph

import (
	"context"
	"reflect"
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
