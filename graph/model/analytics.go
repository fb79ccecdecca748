package model

import (
	"github.com/actorgraph/actorgraph/internal/batch"
	"github.com/actorgraph/actorgraph/internal/kg"
)

// Models of the analyst queries. Entities they point at (hop ends, dyad
// ends, search hits) load through a Calls shared by all siblings of one
// answer, so each kind of lookup is one store call per answer.

// Subgraph is a GraphQL Subgraph.
type Subgraph struct {
	Nodes     []Entity
	Edges     []*Relation
	Truncated bool
}

// PathResult is a GraphQL PathResult.
type PathResult struct {
	Paths  []*Path
	Reason *string
}

// Path is a GraphQL Path.
type Path struct {
	Length int
	Hops   []*Hop
}

// Hop is a GraphQL Hop; its ends resolve through the relation's set.
type Hop struct {
	Relation *Relation
	Forward  bool
}

// TimelineEntry is a GraphQL TimelineEntry.
type TimelineEntry struct {
	Date     *DateInfo
	Relation *Relation
	Event    *Event
}

// NewTimelineEntry wraps a dated relation or event.
func NewTimelineEntry(d kg.Date, r *Relation, e *Event) *TimelineEntry {
	return &TimelineEntry{Date: dateInfo(d), Relation: r, Event: e}
}

// Dyad is a GraphQL Dyad.
type Dyad struct {
	FromID, ToID string
	Relations    int
	Evidence     int
	Goldstein    float64
	ByType       []*DyadCount
	Series       []*DyadBucket
	// Calls and Ends are shared by all dyads of one answer.
	Calls *batch.Calls
	Ends  func() []string
}

// DyadCount is a GraphQL DyadCount.
type DyadCount struct {
	Type      kg.RelationType
	Relations int
	Evidence  int
	Goldstein float64
}

// DyadBucket is a GraphQL DyadBucket.
type DyadBucket struct {
	Start     string
	Relations int
	Evidence  int
	Goldstein float64
	ByType    []*DyadCount
}

// SearchHit is a GraphQL SearchHit; its actor, event or relation loads
// through Calls, shared by the hits of one answer.
type SearchHit struct {
	Kind       SearchKind
	ID         string
	Score      float64
	Snippet    string
	Highlights []*TextRange
	Calls      *batch.Calls
	IDs        func() []string
}

// TextRange is a GraphQL TextRange.
type TextRange struct{ Start, End int }

// Dispute is a GraphQL Dispute.
type Dispute struct {
	Claim         *Relation
	Accusations   []*Relation
	Denials       []*Relation
	CounterClaims []*Relation
}

// MergeRecord is a GraphQL MergeRecord.
type MergeRecord struct {
	ID       string
	Survivor *Actor
	Merged   *Actor
	By, At   string
	Note     *string
	Undone   bool
	Moved    []string
	// KeptAside: the relations between the two the merge took out.
	KeptAside []string
}

// DeletionRecord is a GraphQL DeletionRecord.
type DeletionRecord struct {
	ID, Kind, By, At, Reason string
	Actor                    *Actor
	Relation                 *Relation
}

// ReviewRecord is a GraphQL ReviewRecord.
type ReviewRecord struct {
	Status   kg.Review
	Reviewer string
	At       string
	Note     *string
}
