// Package scalegen generates large synthetic actor graphs for scale
// benchmarks, deterministically from a seed and streamed in batches, so a
// million relations never sit in memory at once.
//
// The graph: Actors actors (ids a0000000…), a few sources, and Relations
// relations (ids r00000000…). Actor HubID is the From of HubDegree of them,
// actor SmallID of SmallDegree; every other relation joins two random
// actors other than those two (never a self-loop). Relations are imported
// facts (method IMPORT, ASSERTED, ACTUAL, PROPOSED) of action types only —
// no PART_OF / HOLDS_ROLE, so no hierarchy cycle can arise — with random
// dates and confidences, and they pass kg.Graph.Validate.
package scalegen

import (
	"fmt"
	"math/rand/v2"

	"github.com/actorgraph/actorgraph/internal/kg"
)

// The two actors whose degree the configuration fixes.
const (
	HubID   = "a0000000"
	SmallID = "a0000001"
)

// Config describes a graph. Zero fields take the defaults of withDefaults.
type Config struct {
	Seed        uint64
	Relations   int
	Actors      int // default max(Relations/10, 100)
	HubDegree   int // out-relations of HubID (default Relations/10)
	SmallDegree int // out-relations of SmallID (default min(100, Relations/100))
	Sources     int // default 10
	Batch       int // relations (and actors) per batch (default 10,000)
}

func (c Config) withDefaults() Config {
	if c.Actors <= 0 {
		c.Actors = max(c.Relations/10, 100)
	}
	if c.HubDegree <= 0 {
		c.HubDegree = c.Relations / 10
	}
	if c.SmallDegree <= 0 {
		c.SmallDegree = min(100, c.Relations/100)
	}
	c.HubDegree = min(c.HubDegree, c.Relations)
	c.SmallDegree = min(c.SmallDegree, c.Relations-c.HubDegree)
	if c.Sources <= 0 {
		c.Sources = 10
	}
	if c.Batch <= 0 {
		c.Batch = 10_000
	}
	return c
}

// Normalized returns c with its defaults filled in.
func (c Config) Normalized() Config { return c.withDefaults() }

// ActorID is the id of actor i.
func ActorID(i int) string { return fmt.Sprintf("a%07d", i) }

// RelationID is the id of relation i.
func RelationID(i int) string { return fmt.Sprintf("r%08d", i) }

// SourceID is the id of source i.
func SourceID(i int) string { return fmt.Sprintf("src%03d", i) }

// actionTypes are the relation types generated (actor to actor, no hierarchy).
var actionTypes = []kg.RelationType{kg.Accuses, kg.Criticizes, kg.Threatens, kg.Requests,
	kg.OffersTalks, kg.Consults, kg.Backs, kg.Attacks, kg.Rejects, kg.Brokers}

var kinds = []kg.ActorKind{kg.KindState, kg.KindGovernment, kg.KindMilitary, kg.KindArmedGroup,
	kg.KindPerson, kg.KindInternationalOrg, kg.KindCivilians, kg.KindHumanitarian, kg.KindOther}

// Actor returns actor i (a pure function of i: no randomness, so the
// actor of a relation can be re-created anywhere).
func Actor(i int) kg.Actor {
	return kg.Actor{ID: ActorID(i), Name: fmt.Sprintf("Actor %d", i), Kind: kinds[i%len(kinds)],
		Country: []string{"USA", "RUS", "CHN", "FRA", "DEU", "SYR", "UKR", "TUR"}[i%8]}
}

// Source returns source i.
func Source(i int) kg.Source {
	return kg.Source{ID: SourceID(i), Title: fmt.Sprintf("Scale source %d", i), Publisher: "scalegen",
		Published: "2024-01-01"}
}

// Generator produces the relations of a Config in order.
type Generator struct {
	c       Config
	rng     *rand.Rand
	next    int
	hubStep int // relation i is the hub's when i%hubStep == 0 (while any remain)
	hubLeft int
	smLeft  int
}

// New returns a generator at relation 0.
func New(c Config) *Generator {
	c = c.withDefaults()
	g := &Generator{c: c, rng: rand.New(rand.NewPCG(c.Seed, c.Seed^0x9e3779b97f4a7c15)),
		hubLeft: c.HubDegree, smLeft: c.SmallDegree, hubStep: 1}
	if c.HubDegree > 0 {
		g.hubStep = max(1, c.Relations/c.HubDegree)
	}
	return g
}

// Config is the generator's configuration, defaults filled in.
func (g *Generator) Config() Config { return g.c }

// Done reports whether every relation has been generated.
func (g *Generator) Done() bool { return g.next >= g.c.Relations }

// Relation returns the next relation.
func (g *Generator) Relation() kg.Relation {
	i := g.next
	g.next++
	left := g.c.Relations - i // including this one
	var from int
	switch {
	case g.hubLeft > 0 && (i%g.hubStep == 0 || g.hubLeft >= left):
		from = 0
		g.hubLeft--
	case g.smLeft > 0 && (g.rng.IntN(max(1, left-g.hubLeft)) < g.smLeft):
		from = 1
		g.smLeft--
	default:
		from = 2 + g.rng.IntN(g.c.Actors-2)
	}
	to := 2 + g.rng.IntN(g.c.Actors-2)
	if to == from {
		to = 2 + (to-2+1)%(g.c.Actors-2)
	}
	day := g.rng.IntN(25 * 365)
	occurred := kg.Date{Date: dateOf(day), Precision: kg.PrecisionDay}
	reported := kg.Date{Date: dateOf(day + g.rng.IntN(30)), Precision: kg.PrecisionDay}
	return kg.Relation{
		ID: RelationID(i), Type: actionTypes[g.rng.IntN(len(actionTypes))],
		From: ActorID(from), To: ActorID(to),
		Attribution: kg.Asserted, Status: kg.Actual,
		Occurred: occurred, Reported: reported,
		SourceID: SourceID(g.rng.IntN(g.c.Sources)),
		Provenance: kg.Provenance{Confidence: float64(g.rng.IntN(101)) / 100, Method: kg.MethodImport, Detail: "scalegen",
			Review: kg.ReviewProposed},
	}
}

// dateOf is day days after 2000-01-01, as an ISO date (months of 28 days
// keep it simple and always valid).
func dateOf(day int) string {
	y, rest := 2000+day/336, day%336
	return fmt.Sprintf("%04d-%02d-%02d", y, rest/28+1, rest%28+1)
}

// Each calls fn with the graph in batches: first the sources and the
// actors (Batch actors at a time), then the relations, Batch at a time.
// Every relation's ends are in an earlier batch, so each batch can be
// loaded on its own. fn may keep the graph it is given.
func Each(c Config, fn func(g *kg.Graph) error) error {
	g := New(c)
	c = g.c
	first := &kg.Graph{}
	for i := range c.Sources {
		first.Sources = append(first.Sources, Source(i))
	}
	for start := 0; start < c.Actors; start += c.Batch {
		b := first
		if b == nil {
			b = &kg.Graph{}
		}
		first = nil
		for i := start; i < min(start+c.Batch, c.Actors); i++ {
			b.Actors = append(b.Actors, Actor(i))
		}
		if err := fn(b); err != nil {
			return err
		}
	}
	for !g.Done() {
		b := &kg.Graph{Relations: make([]kg.Relation, 0, c.Batch)}
		for len(b.Relations) < c.Batch && !g.Done() {
			b.Relations = append(b.Relations, g.Relation())
		}
		if err := fn(b); err != nil {
			return err
		}
	}
	return nil
}
