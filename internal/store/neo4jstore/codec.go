package neo4jstore

import (
	"encoding/json"
	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store/rules"
)

// props builds a property map. Empty strings and lists are left out (a
// missing property reads back as the zero value), except where a property
// must exist for ordering (sortKey is always set, "" sorts first).
type props map[string]any

func (p props) str(k, v string) {
	if v != "" {
		p[k] = v
	}
}

func (p props) strs(k string, v []string) {
	if len(v) > 0 {
		l := make([]any, len(v))
		for i, s := range v {
			l[i] = s
		}
		p[k] = l
	}
}

func (p props) date(k string, d kg.Date) {
	p.str(k+"Date", d.Date)
	p.str(k+"Precision", string(d.Precision))
}

func (p props) evidence(ev []kg.Evidence) {
	if len(ev) == 0 {
		return
	}
	q, st, en := make([]any, len(ev)), make([]any, len(ev)), make([]any, len(ev))
	for i, e := range ev {
		q[i], st[i], en[i] = e.Quote, int64(e.Start), int64(e.End)
	}
	p["evidenceQuotes"], p["evidenceStarts"], p["evidenceEnds"] = q, st, en
}

func actorProps(a kg.Actor) map[string]any {
	p := props{"id": a.ID, "sortKey": kg.Fold(a.Name)}
	p.str("name", a.Name)
	p.str("kind", string(a.Kind))
	p.strs("aliases", a.Aliases)
	p.str("country", a.Country)
	p.str("cameoCode", a.CAMEOCode)
	p.str("wikidata", a.Wikidata)
	p.str("description", a.Description)
	p.strs("names", a.Names())
	p.str("searchTokens", rules.ActorSearchTokens(a))
	return p
}

func placeProps(pl kg.Place) map[string]any {
	p := props{"id": pl.ID, "sortKey": kg.Fold(pl.Name)}
	p.str("name", pl.Name)
	p.str("kind", string(pl.Kind))
	p.strs("aliases", pl.Aliases)
	p.str("country", pl.Country)
	p.str("parent", pl.ParentID)
	p.str("wikidata", pl.Wikidata)
	return p
}

func eventProps(e kg.Event) map[string]any {
	p := props{"id": e.ID, "sortKey": e.Occurred.Date}
	p.str("name", e.Name)
	p.str("kind", string(e.Kind))
	p.date("occurred", e.Occurred)
	p.str("place", e.PlaceID)
	p.str("source", e.SourceID)
	p.str("description", e.Description)
	p.evidence(e.Evidence)
	p.str("searchTokens", rules.EventSearchTokens(e))
	return p
}

func sourceProps(s kg.Source) map[string]any {
	p := props{"id": s.ID}
	p.str("title", s.Title)
	p.str("publisher", s.Publisher)
	p.str("country", s.Country)
	p.str("url", s.URL)
	p.str("published", s.Published)
	p.str("originalPublisher", s.OriginalPublisher)
	p.str("original", s.Original)
	p.str("text", s.Text)
	p.str("sha256", s.SHA256)
	return p
}

// relationProps flattens a relation; from, to and type live in the graph
// structure, not in properties.
func relationProps(r kg.Relation) map[string]any {
	p := props{"id": r.ID, "confidence": r.Provenance.Confidence}
	p.str("attribution", string(r.Attribution))
	p.str("claimedBy", r.ClaimedBy)
	p.str("status", string(r.Status))
	p.str("condition", r.Condition)
	p.str("role", r.Role)
	p.date("occurred", r.Occurred)
	p.date("reported", r.Reported)
	p.str("source", r.SourceID)
	p.str("event", r.EventID)
	p.str("place", r.PlaceID)
	p.str("alleges", r.Alleges)
	p.str("denies", r.Denies)
	p.str("cameo", r.CAMEO)
	p.str("plover", r.PLOVER()) // derived, stored so filters can use it
	if r.Goldstein != nil {
		p["goldstein"] = *r.Goldstein
	}
	p.str("method", string(r.Provenance.Method))
	p.str("detail", r.Provenance.Detail)
	p.str("review", string(r.Provenance.Review))
	p.str("note", r.Note)
	p.evidence(r.Evidence)
	p.str("searchTokens", rules.EvidenceSearchTokens(r.Evidence))
	pageProps(p, r)
	if r.Row != nil {
		// An imported row's own fields are trace data, never filtered on:
		// one JSON string property keeps the relationship's keys few.
		if b, err := json.Marshal(r.Row); err == nil {
			p["row"] = string(b)
		}
	}
	return p
}

// Decoding: m is a property map as the driver returns it (strings, int64,
// float64, []any).

func gstr(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

func gstrs(m map[string]any, k string) []string {
	l, _ := m[k].([]any)
	if len(l) == 0 {
		return nil
	}
	out := make([]string, 0, len(l))
	for _, v := range l {
		s, _ := v.(string)
		out = append(out, s)
	}
	return out
}

func gint(v any) int {
	switch x := v.(type) {
	case int64:
		return int(x)
	case float64:
		return int(x)
	}
	return 0
}

func gfloat(m map[string]any, k string) (float64, bool) {
	switch x := m[k].(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	}
	return 0, false
}

func gdate(m map[string]any, k string) kg.Date {
	return kg.Date{Date: gstr(m, k+"Date"), Precision: kg.Precision(gstr(m, k+"Precision"))}
}

func gevidence(m map[string]any) []kg.Evidence {
	q, _ := m["evidenceQuotes"].([]any)
	st, _ := m["evidenceStarts"].([]any)
	en, _ := m["evidenceEnds"].([]any)
	if len(q) == 0 {
		return nil
	}
	out := make([]kg.Evidence, len(q))
	for i := range q {
		out[i].Quote, _ = q[i].(string)
		if i < len(st) {
			out[i].Start = gint(st[i])
		}
		if i < len(en) {
			out[i].End = gint(en[i])
		}
	}
	return out
}

func decodeActor(m map[string]any) kg.Actor {
	return kg.Actor{
		ID: gstr(m, "id"), Name: gstr(m, "name"), Kind: kg.ActorKind(gstr(m, "kind")),
		Aliases: gstrs(m, "aliases"), Country: gstr(m, "country"), CAMEOCode: gstr(m, "cameoCode"),
		Wikidata: gstr(m, "wikidata"), Description: gstr(m, "description"),
	}
}

func decodePlace(m map[string]any) kg.Place {
	return kg.Place{
		ID: gstr(m, "id"), Name: gstr(m, "name"), Kind: kg.PlaceKind(gstr(m, "kind")),
		Aliases: gstrs(m, "aliases"), Country: gstr(m, "country"), ParentID: gstr(m, "parent"),
		Wikidata: gstr(m, "wikidata"),
	}
}

func decodeEvent(m map[string]any) kg.Event {
	return kg.Event{
		ID: gstr(m, "id"), Name: gstr(m, "name"), Kind: kg.EventKind(gstr(m, "kind")),
		Occurred: gdate(m, "occurred"), PlaceID: gstr(m, "place"), SourceID: gstr(m, "source"),
		Description: gstr(m, "description"), Evidence: gevidence(m),
	}
}

func decodeSource(m map[string]any) kg.Source {
	return kg.Source{
		ID: gstr(m, "id"), Title: gstr(m, "title"), Publisher: gstr(m, "publisher"),
		Country: gstr(m, "country"), URL: gstr(m, "url"), Published: gstr(m, "published"),
		OriginalPublisher: gstr(m, "originalPublisher"), Original: gstr(m, "original"),
		Text: gstr(m, "text"), SHA256: gstr(m, "sha256"),
	}
}

// decodeRelation reads the projection relProjection builds: the properties
// plus type, from and to.
// liveRelation decodes a relation a read found, or reports false when its
// properties are gone: a statement reads without locks (read committed),
// so a relationship a concurrent write deleted after the statement found
// it (a merge re-creates the relations it moves) projects as an empty map.
// The relation is gone; a page leaves it out rather than return a relation
// with no id and no source.
func liveRelation(m map[string]any) (kg.Relation, bool) {
	r := decodeRelation(m)
	return r, r.ID != ""
}

func decodeRelation(m map[string]any) kg.Relation {
	r := kg.Relation{
		ID: gstr(m, "id"), Type: kg.RelationType(gstr(m, "type")), From: gstr(m, "from"), To: gstr(m, "to"),
		Attribution: kg.Attribution(gstr(m, "attribution")), ClaimedBy: gstr(m, "claimedBy"),
		Status: kg.Status(gstr(m, "status")), Condition: gstr(m, "condition"), Role: gstr(m, "role"),
		Occurred: gdate(m, "occurred"), Reported: gdate(m, "reported"),
		SourceID: gstr(m, "source"), EventID: gstr(m, "event"), PlaceID: gstr(m, "place"),
		Alleges: gstr(m, "alleges"), Denies: gstr(m, "denies"), CAMEO: gstr(m, "cameo"),
		Provenance: kg.Provenance{
			Method: kg.Method(gstr(m, "method")), Detail: gstr(m, "detail"), Review: kg.Review(gstr(m, "review")),
		},
		Evidence: gevidence(m), Note: gstr(m, "note"),
	}
	if g, ok := gfloat(m, "goldstein"); ok {
		r.Goldstein = &g
	}
	r.Provenance.Confidence, _ = gfloat(m, "confidence")
	if row := gstr(m, "row"); row != "" {
		var ir kg.ImportRow
		if json.Unmarshal([]byte(row), &ir) == nil {
			r.Row = &ir
		}
	}
	return r
}
