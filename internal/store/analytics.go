package store

import (
	"context"

	"github.com/actorgraph/actorgraph/internal/kg"
)

// The analyst's questions (issue 4): neighbourhoods, paths, timelines,
// dyads, disputes and full-text search. Each is ONE store call — one Cypher
// statement on Neo4j, one bbolt read transaction on the embedded store — with
// every limit applied inside it, and both stores give identical answers
// (search: identical hit sets; scores may differ).

// DateField selects which date a DateRange bounds.
type DateField string

const (
	OnOccurred DateField = "OCCURRED"
	OnReported DateField = "REPORTED"
)

// DateRange bounds a date inclusively: From <= date <= To, ISO YYYY-MM-DD;
// an empty end is open. A relation with an unknown date never matches a
// non-empty range. On defaults to OnOccurred.
type DateRange struct {
	From, To string
	On       DateField
}

// IsZero reports whether the range bounds nothing.
func (d DateRange) IsZero() bool { return d.From == "" && d.To == "" }

// NeighborhoodQuery asks for the subgraph around an actor.
type NeighborhoodQuery struct {
	Depth     int               // 1..3 hops
	Types     []kg.RelationType // empty: all
	Direction Direction         // OUT, IN or BOTH from each node reached
	Dates     DateRange
	Limit     int // max relations in the whole subgraph
	PerNode   int // max relations expanded from any one node (hubs cannot flood it)
}

// Subgraph is a set of nodes and the relations between them, ready to draw.
type Subgraph struct {
	Actors    []kg.Actor    // ordered by id
	Places    []kg.Place    // ordered by id
	Relations []kg.Relation // ordered by id
	// Truncated is true when Limit or PerNode cut relations off.
	Truncated bool
}

// PathQuery asks how two actors are connected.
type PathQuery struct {
	MaxLength   int // 1..6 hops
	Types       []kg.RelationType
	Attribution kg.Attribution // empty: both
	// All: every shortest path (up to Limit); otherwise one.
	All   bool
	Limit int
}

// Hop is one step of a path: a relation, walked forward (From → To) or
// backward (To → From): paths ignore direction, as "how are they connected" does.
type Hop struct {
	Relation kg.Relation
	Forward  bool
}

// Path is a sequence of hops from the query's from actor to its to actor.
type Path []Hop

// PathFinder answers neighbourhood and path questions.
type PathFinder interface {
	Neighborhood(ctx context.Context, actorID string, q NeighborhoodQuery) (Subgraph, error)
	// Paths returns the shortest paths, ordered by the sequence of relation ids;
	// none (and no error) when the actors are not connected within MaxLength.
	Paths(ctx context.Context, fromID, toID string, q PathQuery) ([]Path, error)
}

// TimelineQuery asks for what an actor (or a pair of actors, in either
// direction) did and had done to it, in date order.
type TimelineQuery struct {
	Actor  string // one actor; or
	Pair   [2]string
	Dates  DateRange
	RollUp bool
	Limit  int
}

// TimelineItem is a relation or an event (exactly one is set).
type TimelineItem struct {
	Date     kg.Date
	Relation *kg.Relation
	Event    *kg.Event
}

// Interval is a dyad series bucket size.
type Interval string

const (
	Week  Interval = "WEEK"  // buckets start on Mondays
	Month Interval = "MONTH" // buckets start on the 1st
)

// DyadQuery asks for GDELT-style dyad counts.
type DyadQuery struct {
	From, To string // optional actor ids (rolled up when RollUp)
	Types    []kg.RelationType
	Dates    DateRange
	Interval Interval // empty: no series
	// IncludeClaims also counts ALLEGED and unmade relations; by default
	// only facts count (rules.IsFact: ASSERTED, ACTUAL or CONDITIONAL, not REJECTED).
	IncludeClaims bool
	RollUp        bool // count relations of sub-actors as their top actor's
	Limit         int
	// Filter narrows the counted relations as a relation list's filter does
	// (attribution, status, review, source, event, place, claimedBy —
	// rolled up with RollUp —, cameoRoot, plover, minConfidence, fromKinds,
	// toKinds), with the same predicates. Its From, To, Types and Dates are
	// not read: the query's own are.
	Filter RelationFilter
}

// DyadFilter is q.Filter without the fields the dyad query has itself.
func (q DyadQuery) DyadFilter() RelationFilter {
	f := q.Filter
	f.From, f.To, f.Types, f.Dates, f.RollUp = "", "", nil, DateRange{}, q.RollUp
	return f
}

// DyadCount is one relation type's tally within a dyad or bucket.
type DyadCount struct {
	Type      kg.RelationType
	Relations int
	Evidence  int
	Goldstein float64 // sum over relations with a score
}

// Bucket is one period of a dyad series.
type Bucket struct {
	Start     string // YYYY-MM-DD
	Relations int
	Evidence  int
	Goldstein float64
	ByType    []DyadCount // ordered by type
}

// Dyad is an ordered pair of actors with their tallies.
type Dyad struct {
	From, To  string // actor ids (top of hierarchy when rolled up)
	Relations int
	Evidence  int
	Goldstein float64
	ByType    []DyadCount // ordered by type
	Series    []Bucket    // ordered by Start; only buckets with relations
}

// Dispute is one contested claim: an alleged act, the accusations alleging
// it, their denials, and rival claims about the same event.
type Dispute struct {
	Claim         kg.Relation   // the ALLEGED act
	Accusations   []kg.Relation // relations whose Alleges is the claim
	Denials       []kg.Relation // DENIES of the claim or of its accusations
	CounterClaims []kg.Relation // other ALLEGED acts of the same type and event by another actor
}

// SearchKind is what a search hit is.
type SearchKind string

const (
	HitActor    SearchKind = "ACTOR"    // name or alias
	HitEvent    SearchKind = "EVENT"    // name or description
	HitEvidence SearchKind = "EVIDENCE" // a relation's evidence quote
)

// SearchHit is one full-text match.
type SearchHit struct {
	Kind  SearchKind
	ID    string // actor, event or relation id
	Score float64
	// Text is the matched field's full text (the snippet is cut from it in Go);
	// Start/End locate the evidence quote in its source for EVIDENCE hits.
	Text string
}

// Analyst answers timelines, dyads, disputes and search.
type Analyst interface {
	Timeline(ctx context.Context, q TimelineQuery) ([]TimelineItem, error)
	Dyads(ctx context.Context, q DyadQuery) ([]Dyad, error)
	Disputes(ctx context.Context, actorID string, dates DateRange, limit int) ([]Dispute, error)
	// Search finds every item whose text holds all the query's tokens (kg
	// tokenisation), ordered by score then kind then id.
	Search(ctx context.Context, text string, kinds []SearchKind, limit int) ([]SearchHit, error)
}
