package scalegen

import (
	"reflect"
	"testing"

	"github.com/actorgraph/actorgraph/internal/kg"
)

func collect(t *testing.T, c Config) *kg.Graph {
	t.Helper()
	all := &kg.Graph{}
	err := Each(c, func(g *kg.Graph) error {
		if len(g.Relations) > c.Normalized().Batch || len(g.Actors) > c.Normalized().Batch {
			t.Fatalf("batch larger than %d", c.Normalized().Batch)
		}
		all.Sources = append(all.Sources, g.Sources...)
		all.Actors = append(all.Actors, g.Actors...)
		all.Relations = append(all.Relations, g.Relations...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// The graph is valid, has the degrees asked for, and is the same for the
// same seed and different for another.
func TestGraph(t *testing.T) {
	c := Config{Seed: 7, Relations: 5000, HubDegree: 1200, SmallDegree: 40, Batch: 700}
	g := collect(t, c)
	if err := g.Validate(); err != nil {
		t.Fatalf("invalid graph: %v", err)
	}
	if len(g.Relations) != 5000 || len(g.Actors) != 500 {
		t.Fatalf("%d relations, %d actors", len(g.Relations), len(g.Actors))
	}
	out := map[string]int{}
	for _, r := range g.Relations {
		out[r.From]++
		if r.To == HubID || r.To == SmallID {
			t.Fatalf("relation %s points at a fixed-degree actor", r.ID)
		}
	}
	if out[HubID] != 1200 || out[SmallID] != 40 {
		t.Fatalf("hub degree %d, small degree %d", out[HubID], out[SmallID])
	}
	if again := collect(t, c); !reflect.DeepEqual(g, again) {
		t.Fatal("same seed, different graph")
	}
	c.Seed = 8
	if other := collect(t, c); reflect.DeepEqual(g.Relations, other.Relations) {
		t.Fatal("different seed, same graph")
	}
}
