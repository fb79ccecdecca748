package export

import (
	"strconv"
	"strings"
	"time"

	"github.com/actorgraph/actorgraph/internal/kg"
)

// The attributes every format carries, in one place: the flat formats
// (GraphML, GEXF, CSV) declare and write exactly these; the JSON formats
// carry the same names, with lists where JSON has them (aliases, evidence).

// attrType is an attribute's value type.
type attrType int

const (
	tString attrType = iota
	tDouble
	tInt
)

// field is one attribute of a node or an edge.
type field struct {
	name string
	typ  attrType
}

// nodeFields follow id in every node; label is the name.
var nodeFields = []field{
	{"label", tString},
	{"kind", tString}, // the actor's or the place's kind
	{"country", tString},
	{"cameo_code", tString},
	{"entity", tString}, // ACTOR or PLACE
	{"wikidata", tString},
	{"aliases", tString},
	{"description", tString},
	{"parent_place", tString}, // a place's parent place (not "parent": Cytoscape.js reads that as a compound node)
}

// nodeValues returns a node's values, parallel to nodeFields ("" = absent).
func nodeValues(a *kg.Actor, p *kg.Place) []string {
	if a != nil {
		return []string{a.Name, string(a.Kind), a.Country, a.CAMEOCode, "ACTOR", a.Wikidata,
			strings.Join(a.Aliases, listSep), a.Description, ""}
	}
	return []string{p.Name, string(p.Kind), p.Country, "", "PLACE", p.Wikidata,
		strings.Join(p.Aliases, listSep), "", p.ParentID}
}

// listSep joins lists in the flat formats (aliases).
const listSep = "; "

// quoteSep joins evidence quotes in the flat formats: the editor's mark for
// an omission, which a verbatim quote does not contain on its own.
const quoteSep = " […] "

// edgeFields follow id, source and target in every edge.
var edgeFields = []field{
	{"relation", tString}, // the relation type
	{"attribution", tString},
	{"claimed_by", tString},
	{"status", tString},
	{"condition", tString},
	{"role", tString},
	{"occurred", tString},
	{"occurred_precision", tString},
	{"reported", tString},
	{"reported_precision", tString},
	{"confidence", tDouble},
	{"method", tString},
	{"detail", tString},
	{"review", tString},
	{"cameo", tString},
	{"cameo_name", tString},
	{"plover", tString},
	{"goldstein", tDouble},
	{"event", tString},
	{"place", tString},
	{"alleges", tString},
	{"denies", tString},
	{"source_doc", tString},
	{"source_title", tString},
	{"source_publisher", tString},
	{"source_url", tString},
	{"source_published", tString},
	{"import_format", tString},
	{"import_row_id", tString},
	{"import_url", tString},
	{"note", tString},
	{"evidence_count", tInt},
	{"evidence_offsets", tString},
	{"evidence", tString},
}

// edgeValues returns a relation's values, parallel to edgeFields ("" = absent).
func edgeValues(r *kg.Relation, src kg.Source) []string {
	var gs string
	if r.Goldstein != nil {
		gs = num(*r.Goldstein)
	}
	cameoName, _ := kg.CAMEOName(r.CAMEO)
	var rowFormat, rowID, rowURL string
	if r.Row != nil {
		rowFormat, rowID, rowURL = r.Row.Format, r.Row.RowID, r.Row.URL
	}
	quotes := make([]string, len(r.Evidence))
	offsets := make([]string, len(r.Evidence))
	for i, e := range r.Evidence {
		quotes[i] = e.Quote
		offsets[i] = strconv.Itoa(e.Start) + "-" + strconv.Itoa(e.End)
	}
	return []string{
		string(r.Type), string(r.Attribution), r.ClaimedBy, string(r.Status), r.Condition, r.Role,
		r.Occurred.Date, string(r.Occurred.Precision), r.Reported.Date, string(r.Reported.Precision),
		num(r.Provenance.Confidence), string(r.Provenance.Method), r.Provenance.Detail, string(r.Provenance.Review),
		r.CAMEO, cameoName, r.PLOVER(), gs,
		r.EventID, r.PlaceID, r.Alleges, r.Denies,
		r.SourceID, src.Title, src.Publisher, src.URL, src.Published,
		rowFormat, rowID, rowURL, r.Note,
		strconv.Itoa(len(r.Evidence)), strings.Join(offsets, ";"), strings.Join(quotes, quoteSep),
	}
}

func num(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// span is the interval a date covers, inclusive: a DAY itself, a WEEK's
// seven days, a MONTH's or a YEAR's days; ok is false for an unknown date.
func span(d kg.Date) (start, end string, ok bool) {
	t, err := time.Parse(time.DateOnly, d.Date)
	if err != nil {
		return "", "", false
	}
	var last time.Time
	switch d.Precision {
	case kg.PrecisionWeek:
		last = t.AddDate(0, 0, 6)
	case kg.PrecisionMonth:
		last = time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
	case kg.PrecisionYear:
		last = time.Date(t.Year(), 12, 31, 0, 0, 0, 0, time.UTC)
	default:
		last = t
	}
	return d.Date, last.Format(time.DateOnly), true
}

// jsonNode is a node in the JSON formats.
type jsonNode struct {
	ID          string   `json:"id"`
	Label       string   `json:"label"`
	Kind        string   `json:"kind"`
	Country     string   `json:"country,omitempty"`
	CAMEOCode   string   `json:"cameo_code,omitempty"`
	Entity      string   `json:"entity"`
	Wikidata    string   `json:"wikidata,omitempty"`
	Aliases     []string `json:"aliases,omitempty"`
	Description string   `json:"description,omitempty"`
	Parent      string   `json:"parent_place,omitempty"`
}

func newJSONNode(a *kg.Actor, p *kg.Place) jsonNode {
	if a != nil {
		return jsonNode{ID: a.ID, Label: a.Name, Kind: string(a.Kind), Country: a.Country, CAMEOCode: a.CAMEOCode,
			Entity: "ACTOR", Wikidata: a.Wikidata, Aliases: a.Aliases, Description: a.Description}
	}
	return jsonNode{ID: p.ID, Label: p.Name, Kind: string(p.Kind), Country: p.Country,
		Entity: "PLACE", Wikidata: p.Wikidata, Aliases: p.Aliases, Parent: p.ParentID}
}

// jsonEdge is an edge in the JSON formats: the flat attributes, with the
// evidence as a list of quotes with their offsets and an imported row whole.
type jsonEdge struct {
	ID     string `json:"id,omitempty"` // Cytoscape
	Source string `json:"source"`
	Target string `json:"target"`
	Key    string `json:"key,omitempty"`   // networkx (node-link and cytoscape_graph): the multigraph key
	Label  string `json:"label,omitempty"` // Cytoscape: the type, for styles

	Relation          string        `json:"relation"`
	Attribution       string        `json:"attribution"`
	ClaimedBy         string        `json:"claimed_by,omitempty"`
	Status            string        `json:"status"`
	Condition         string        `json:"condition,omitempty"`
	Role              string        `json:"role,omitempty"`
	Occurred          string        `json:"occurred,omitempty"`
	OccurredPrecision string        `json:"occurred_precision"`
	Reported          string        `json:"reported,omitempty"`
	ReportedPrecision string        `json:"reported_precision"`
	Confidence        float64       `json:"confidence"`
	Method            string        `json:"method"`
	Detail            string        `json:"detail,omitempty"`
	Review            string        `json:"review"`
	CAMEO             string        `json:"cameo,omitempty"`
	CAMEOName         string        `json:"cameo_name,omitempty"`
	PLOVER            string        `json:"plover,omitempty"`
	Goldstein         *float64      `json:"goldstein,omitempty"`
	Event             string        `json:"event,omitempty"`
	Place             string        `json:"place,omitempty"`
	Alleges           string        `json:"alleges,omitempty"`
	Denies            string        `json:"denies,omitempty"`
	SourceDoc         string        `json:"source_doc,omitempty"`
	SourceTitle       string        `json:"source_title,omitempty"`
	SourcePublisher   string        `json:"source_publisher,omitempty"`
	SourceURL         string        `json:"source_url,omitempty"`
	SourcePublished   string        `json:"source_published,omitempty"`
	Row               *kg.ImportRow `json:"row,omitempty"`
	Note              string        `json:"note,omitempty"`
	EvidenceCount     int           `json:"evidence_count"`
	Evidence          []kg.Evidence `json:"evidence"`
}

func newJSONEdge(r *kg.Relation, src kg.Source) jsonEdge {
	cameoName, _ := kg.CAMEOName(r.CAMEO)
	ev := r.Evidence
	if ev == nil {
		ev = []kg.Evidence{}
	}
	return jsonEdge{
		Source: r.From, Target: r.To,
		Relation: string(r.Type), Attribution: string(r.Attribution), ClaimedBy: r.ClaimedBy,
		Status: string(r.Status), Condition: r.Condition, Role: r.Role,
		Occurred: r.Occurred.Date, OccurredPrecision: string(r.Occurred.Precision),
		Reported: r.Reported.Date, ReportedPrecision: string(r.Reported.Precision),
		Confidence: r.Provenance.Confidence, Method: string(r.Provenance.Method),
		Detail: r.Provenance.Detail, Review: string(r.Provenance.Review),
		CAMEO: r.CAMEO, CAMEOName: cameoName, PLOVER: r.PLOVER(), Goldstein: r.Goldstein,
		Event: r.EventID, Place: r.PlaceID, Alleges: r.Alleges, Denies: r.Denies,
		SourceDoc: r.SourceID, SourceTitle: src.Title, SourcePublisher: src.Publisher,
		SourceURL: src.URL, SourcePublished: src.Published,
		Row: r.Row, Note: r.Note, EvidenceCount: len(r.Evidence), Evidence: ev,
	}
}
