// Package events announces the relations this server writes (mutations,
// ingestion, reviews) to live subscribers, in process. Writes made to
// Neo4j by other clients are not seen: there is no change feed in Neo4j
// Community to follow.
package events

import (
	"sync"

	"github.com/actorgraph/actorgraph/internal/kg"
)

// Buffer is how many relations a subscriber may fall behind before new
// ones are dropped for it (counted in Dropped): a slow client never blocks
// a write.
const Buffer = 256

// Broker fans relations out to subscribers. The zero value is ready.
type Broker struct {
	mu      sync.Mutex
	next    int
	subs    map[int]*sub
	dropped int
}

type sub struct {
	match func(kg.Relation) bool
	ch    chan kg.Relation
}

// Subscribe returns a channel of the relations match accepts, and a cancel
// func that closes it.
func (b *Broker) Subscribe(match func(kg.Relation) bool) (<-chan kg.Relation, func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.subs == nil {
		b.subs = map[int]*sub{}
	}
	id := b.next
	b.next++
	s := &sub{match: match, ch: make(chan kg.Relation, Buffer)}
	b.subs[id] = s
	var once sync.Once
	return s.ch, func() {
		once.Do(func() {
			b.mu.Lock()
			delete(b.subs, id)
			b.mu.Unlock()
			close(s.ch)
		})
	}
}

// Publish announces relations that were just written.
func (b *Broker) Publish(rs ...kg.Relation) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, r := range rs {
		for _, s := range b.subs {
			if !s.match(r) {
				continue
			}
			select {
			case s.ch <- r:
			default:
				b.dropped++
			}
		}
	}
}

// Dropped counts relations not delivered to a subscriber that fell behind.
func (b *Broker) Dropped() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.dropped
}
