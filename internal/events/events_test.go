package events

import (
	"testing"

	"github.com/actorgraph/actorgraph/internal/kg"
)

func TestBroker(t *testing.T) {
	var b Broker
	accuses, cancelA := b.Subscribe(func(r kg.Relation) bool { return r.Type == kg.Accuses })
	all, cancelAll := b.Subscribe(func(kg.Relation) bool { return true })
	b.Publish(kg.Relation{ID: "a", Type: kg.Accuses}, kg.Relation{ID: "b", Type: kg.Backs})
	if got := (<-accuses).ID; got != "a" {
		t.Fatalf("accuses got %s", got)
	}
	if a, c := (<-all).ID, (<-all).ID; a != "a" || c != "b" {
		t.Fatalf("all got %s %s", a, c)
	}
	cancelA()
	cancelA() // idempotent
	b.Publish(kg.Relation{ID: "c", Type: kg.Accuses})
	if _, open := <-accuses; open {
		t.Fatal("cancelled subscription still open")
	}
	// A subscriber that falls behind loses relations; writes never block.
	for i := 0; i < Buffer+10; i++ {
		b.Publish(kg.Relation{ID: "x"})
	}
	if b.Dropped() == 0 {
		t.Fatal("nothing dropped for a full subscriber")
	}
	cancelAll()
}
