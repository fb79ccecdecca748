// Package kg holds the domain of actorgraph: actors, places, events, sources and
// the typed, evidenced relations between them, plus the relation vocabulary
// (CAMEO / PLOVER / Goldstein) and validation.
//
// The types are plain values shared by every store; GraphQL models embed or
// mirror them. Nothing here knows about Neo4j, bbolt or GraphQL.
package kg

import "strings"

// ActorKind classifies an actor. The set mirrors the GraphQL enum ActorKind.
type ActorKind string

const (
	KindState                    ActorKind = "STATE"
	KindGovernment               ActorKind = "GOVERNMENT"
	KindMilitary                 ActorKind = "MILITARY"
	KindArmedGroup               ActorKind = "ARMED_GROUP"
	KindDesignatedTerroristGroup ActorKind = "DESIGNATED_TERRORIST_GROUP"
	KindPerson                   ActorKind = "PERSON"
	KindInternationalOrg         ActorKind = "INTERNATIONAL_ORGANIZATION"
	KindCivilians                ActorKind = "CIVILIANS"
	KindHumanitarian             ActorKind = "HUMANITARIAN"
	KindOther                    ActorKind = "OTHER"
)

// ActorKinds lists every valid ActorKind in schema order.
var ActorKinds = []ActorKind{KindState, KindGovernment, KindMilitary, KindArmedGroup,
	KindDesignatedTerroristGroup, KindPerson, KindInternationalOrg, KindCivilians, KindHumanitarian, KindOther}

// Actor is anyone who acts or is acted upon: a state, a government, a military,
// an armed group, a person, an organisation.
type Actor struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Kind        ActorKind `json:"kind"`
	Aliases     []string  `json:"aliases,omitempty"`
	Country     string    `json:"country,omitempty"`   // ISO 3166-1 alpha-3
	CAMEOCode   string    `json:"cameoCode,omitempty"` // e.g. USA, RUSMIL, SYRREB
	Wikidata    string    `json:"wikidata,omitempty"`  // QID, e.g. Q159
	Description string    `json:"description,omitempty"`
}

// PlaceKind classifies a place.
type PlaceKind string

const (
	PlaceCountry   PlaceKind = "COUNTRY"
	PlaceCity      PlaceKind = "CITY"
	PlaceDistrict  PlaceKind = "DISTRICT"
	PlaceSite      PlaceKind = "SITE"
	PlaceOtherKind PlaceKind = "OTHER"
)

// PlaceKinds lists every valid PlaceKind.
var PlaceKinds = []PlaceKind{PlaceCountry, PlaceCity, PlaceDistrict, PlaceSite, PlaceOtherKind}

// Place is a location events happen at or actors control.
type Place struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Kind     PlaceKind `json:"kind"`
	Aliases  []string  `json:"aliases,omitempty"`
	Country  string    `json:"country,omitempty"`
	ParentID string    `json:"parent,omitempty"` // the place it lies in
	Wikidata string    `json:"wikidata,omitempty"`
}

// EventKind classifies an event.
type EventKind string

const (
	EventAgreement EventKind = "AGREEMENT"
	EventCeasefire EventKind = "CEASEFIRE"
	EventCollapse  EventKind = "COLLAPSE"
	EventAttack    EventKind = "ATTACK"
	EventOffensive EventKind = "OFFENSIVE"
	EventTalks     EventKind = "TALKS"
	EventStatement EventKind = "STATEMENT"
	EventOther     EventKind = "OTHER"
)

// EventKinds lists every valid EventKind.
var EventKinds = []EventKind{EventAgreement, EventCeasefire, EventCollapse, EventAttack,
	EventOffensive, EventTalks, EventStatement, EventOther}

// Event is something that happened (or is planned or alleged): an agreement, a
// ceasefire, an attack, an offensive, talks.
type Event struct {
	ID          string     `json:"id"`
	Name        string     `json:"name"`
	Kind        EventKind  `json:"kind"`
	Occurred    Date       `json:"occurred"`
	PlaceID     string     `json:"place,omitempty"`
	SourceID    string     `json:"source,omitempty"`
	Description string     `json:"description,omitempty"`
	Evidence    []Evidence `json:"evidence,omitempty"`
}

// Source is a document relations are drawn from.
type Source struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Publisher string `json:"publisher"`
	Country   string `json:"country,omitempty"` // publisher's country, alpha-3
	URL       string `json:"url,omitempty"`
	// Published is the date on the page; Original is the date the story first
	// ran when the page republishes it (the AP story behind a local reprint).
	Published         string `json:"published"`
	OriginalPublisher string `json:"originalPublisher,omitempty"`
	Original          string `json:"original,omitempty"`
	// Text is the full text evidence offsets point into; SHA256 its hex digest.
	Text   string `json:"text,omitempty"`
	SHA256 string `json:"sha256,omitempty"`
}

// Precision says how exact a Date is.
type Precision string

const (
	PrecisionDay     Precision = "DAY"
	PrecisionWeek    Precision = "WEEK"
	PrecisionMonth   Precision = "MONTH"
	PrecisionYear    Precision = "YEAR"
	PrecisionUnknown Precision = "UNKNOWN"
)

// Precisions lists every valid Precision.
var Precisions = []Precision{PrecisionDay, PrecisionWeek, PrecisionMonth, PrecisionYear, PrecisionUnknown}

// Date is a calendar date with a precision. Date is ISO "YYYY-MM-DD" (for a
// WEEK, the week's Monday; for a MONTH, the 1st; for a YEAR, Jan 1), or empty
// with precision UNKNOWN.
type Date struct {
	Date      string    `json:"date,omitempty"`
	Precision Precision `json:"precision"`
}

// Attribution says who stands behind a relation: the source itself (ASSERTED)
// or an actor whose claim the source reports (ALLEGED, with ClaimedBy).
type Attribution string

const (
	Asserted Attribution = "ASSERTED"
	Alleged  Attribution = "ALLEGED"
)

// Attributions lists every valid Attribution.
var Attributions = []Attribution{Asserted, Alleged}

// Status says whether the relation happened, is planned, conditional, negated
// or hypothetical.
type Status string

const (
	Actual       Status = "ACTUAL"
	Planned      Status = "PLANNED"
	Conditional  Status = "CONDITIONAL"
	Negated      Status = "NEGATED"
	Hypothetical Status = "HYPOTHETICAL"
)

// Statuses lists every valid Status.
var Statuses = []Status{Actual, Planned, Conditional, Negated, Hypothetical}

// Method says how a relation entered the graph.
type Method string

const (
	MethodCurated Method = "CURATED"
	MethodCoder   Method = "CODER"
	MethodImport  Method = "IMPORT"
)

// Methods lists every valid Method.
var Methods = []Method{MethodCurated, MethodCoder, MethodImport}

// Review is a relation's review status.
type Review string

const (
	ReviewProposed  Review = "PROPOSED"
	ReviewConfirmed Review = "CONFIRMED"
	ReviewRejected  Review = "REJECTED"
)

// Reviews lists every valid Review.
var Reviews = []Review{ReviewProposed, ReviewConfirmed, ReviewRejected}

// Evidence is one mention of a relation (or event) in its source: the verbatim
// quote and its half-open [Start, End) offsets in Unicode code points.
type Evidence struct {
	Quote string `json:"quote"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// Provenance records how much to trust a relation and where it came from.
type Provenance struct {
	Confidence float64 `json:"confidence"`
	Method     Method  `json:"method"`
	// Detail is the coder rule id or the import format.
	Detail string `json:"detail,omitempty"`
	Review Review `json:"review"`
}

// Relation is one statement in one source: Type from From to To.
type Relation struct {
	ID   string       `json:"id"`
	Type RelationType `json:"type"`
	From string       `json:"from"` // actor id
	// To is an actor id, or a place id: always for CONTROLS, and for ATTACKS
	// and BESIEGES aimed at a place ("attacks on Aleppo").
	To          string      `json:"to"`
	Attribution Attribution `json:"attribution"`
	ClaimedBy   string      `json:"claimedBy,omitempty"` // actor id; required when ALLEGED
	Status      Status      `json:"status"`
	Condition   string      `json:"condition,omitempty"` // for CONDITIONAL
	Role        string      `json:"role,omitempty"`      // for HOLDS_ROLE, e.g. "Lt. Gen."
	Occurred    Date        `json:"occurred"`
	Reported    Date        `json:"reported"`
	SourceID    string      `json:"source"`
	EventID     string      `json:"event,omitempty"`
	PlaceID     string      `json:"place,omitempty"`
	// Alleges / Denies hold the id of the relation this one accuses someone of
	// or denies (Neo4j has no edge-to-edge links, so these are indexed ids).
	Alleges string `json:"alleges,omitempty"`
	Denies  string `json:"denies,omitempty"`
	CAMEO   string `json:"cameo,omitempty"`
	// Goldstein is the CAMEO code's score, or the imported row's own score.
	Goldstein  *float64   `json:"goldstein,omitempty"`
	Provenance Provenance `json:"provenance"`
	Evidence   []Evidence `json:"evidence,omitempty"`
	Note       string     `json:"note,omitempty"`
	// Row keeps an imported event-data row's own fields, as given; imported
	// relations have no evidence quote.
	Row *ImportRow `json:"row,omitempty"`
}

// ImportRow is what an imported event-data row says of itself, kept as
// given so analysts can trace a relation back to the data set.
type ImportRow struct {
	Format string `json:"format"` // gdelt2, gdelt1, icews, csv
	// RowID is the data set's own id (GLOBALEVENTID, ICEWS Event ID).
	RowID string `json:"rowId"`
	// Actor1/Actor2 are the row's actor codes or names as given.
	Actor1 string `json:"actor1,omitempty"`
	Actor2 string `json:"actor2,omitempty"`
	// QuadClass (GDELT 1–4), counts and tone as given; zero when absent.
	QuadClass   int      `json:"quadClass,omitempty"`
	NumMentions int      `json:"numMentions,omitempty"`
	NumSources  int      `json:"numSources,omitempty"`
	NumArticles int      `json:"numArticles,omitempty"`
	AvgTone     *float64 `json:"avgTone,omitempty"`
	URL         string   `json:"url,omitempty"` // SOURCEURL
}

// PLOVER returns the relation's PLOVER category, derived from type and CAMEO code.
func (r Relation) PLOVER() string { return PLOVERFor(r.Type, r.CAMEO) }

// Graph is a whole data set: what the seed file holds and what a store loads.
type Graph struct {
	Sources   []Source   `json:"sources"`
	Actors    []Actor    `json:"actors"`
	Places    []Place    `json:"places"`
	Events    []Event    `json:"events"`
	Relations []Relation `json:"relations"`
}

// Fold normalises text for matching and sorting: lower case, runs of white
// space collapsed to one space, trimmed. Both stores fold in Go before
// storing, so Neo4j and the embedded store compare the same strings.
func Fold(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }

// Names returns the folded name and aliases of an actor, without duplicates.
func (a Actor) Names() []string {
	seen := map[string]bool{}
	var out []string
	for _, n := range append([]string{a.Name}, a.Aliases...) {
		if f := Fold(n); f != "" && !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}
