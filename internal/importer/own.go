package importer

// The project's own formats: the JSON of kg.Graph and the relation CSV.
// Both are read whole (they are what `actorgraph export` writes, not
// multi-gigabyte event dumps), checked against the store and each other,
// then written in batches like the event formats.

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// CSVColumns are the relation CSV's columns (see the package doc).
var CSVColumns = []string{
	"id", "type", "from", "to", "attribution", "claimedBy", "status", "condition", "role",
	"occurred", "occurredPrecision", "reported", "reportedPrecision", "source", "event", "place",
	"alleges", "denies", "cameo", "goldstein", "confidence", "method", "detail", "review", "note",
}

var csvRequired = []string{"id", "from", "to", "source"}

// readCSV reads a relation CSV. Records are lines; a quoted field may hold
// line breaks, so a record runs on while its quotes are unbalanced.
func (im *importer) readCSV(ctx context.Context, in Input) error {
	lr := newLineReader(in.R, im.opts.MaxLine)
	var col map[string]int
	var broken bool
	var rows []*ownRow
	for {
		line, size, tooLong, err := lr.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("importer: read %s: %w", in.Name, err)
		}
		at := lineRef{in.Name, lr.line}
		text := string(line)
		for !tooLong && strings.Count(text, `"`)%2 == 1 {
			more, n, long, err := lr.next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return fmt.Errorf("importer: read %s: %w", in.Name, err)
			}
			size += 1 + n
			if long || size > im.opts.MaxLine {
				tooLong = true
				break
			}
			text += "\n" + string(more)
		}
		if col == nil && !tooLong && strings.TrimSpace(text) == "" {
			continue // blank lines before the header
		}
		im.sum.Read++
		switch {
		case tooLong:
			im.skip(at, ReasonTooLong, true, "%d bytes, over the %d-byte limit", size, im.opts.MaxLine)
			continue
		case !validUTF8([]byte(text)):
			im.skip(at, ReasonUTF8, true, "invalid byte at offset %d", invalidAt([]byte(text)))
			continue
		case strings.TrimSpace(text) == "":
			im.skip(at, ReasonEmpty, false, "the line is blank")
			continue
		}
		cr := csv.NewReader(strings.NewReader(text))
		cr.FieldsPerRecord = -1
		fields, err := cr.Read()
		if err != nil {
			im.skip(at, ReasonSyntax, true, "%v", err)
			continue
		}
		if col == nil {
			var problems []string
			col, problems = csvHeader(fields)
			if len(problems) > 0 {
				// Without a usable header no row can be read: each is reported.
				im.skip(at, ReasonHeader, true, "%s (columns: %s)", strings.Join(problems, "; "), strings.Join(CSVColumns, ","))
				broken = true
			} else {
				im.sum.Read-- // the header is not a row
			}
			continue
		}
		if broken {
			im.skip(at, ReasonHeader, true, "the file's header is unusable")
			continue
		}
		if len(fields) != len(col) {
			im.skip(at, ReasonColumns, true, "%d fields, the header has %d", len(fields), len(col))
			continue
		}
		r, err := csvRelation(col, fields)
		if err != nil {
			im.skip(at, ReasonSyntax, true, "%v", err)
			continue
		}
		rows = append(rows, &ownRow{at: at, kind: "relation", rel: r})
	}
	return im.writeOwn(ctx, rows)
}

// csvHeader maps the header's column names (any order, any case) to
// their positions.
func csvHeader(fields []string) (map[string]int, []string) {
	col := map[string]int{}
	known := map[string]string{}
	for _, c := range CSVColumns {
		known[strings.ToLower(c)] = c
	}
	var problems []string
	for i, h := range fields {
		name, ok := known[strings.ToLower(strings.TrimSpace(h))]
		if !ok {
			problems = append(problems, fmt.Sprintf("unknown column %q", h))
			continue
		}
		if _, dup := col[name]; dup {
			problems = append(problems, fmt.Sprintf("column %q repeats", h))
			continue
		}
		col[name] = i
	}
	for _, c := range csvRequired {
		if _, ok := col[c]; !ok {
			problems = append(problems, fmt.Sprintf("column %q is missing", c))
		}
	}
	_, hasType := col["type"]
	_, hasCAMEO := col["cameo"]
	if !hasType && !hasCAMEO {
		problems = append(problems, `the header needs "type" or "cameo"`)
	}
	return col, problems
}

// csvRelation reads one CSV row. Empty fields take the defaults of an
// imported relation.
func csvRelation(col map[string]int, f []string) (*kg.Relation, error) {
	get := func(name string) string {
		if i, ok := col[name]; ok {
			return strings.TrimSpace(f[i])
		}
		return ""
	}
	r := &kg.Relation{
		ID: get("id"), Type: kg.RelationType(strings.ToUpper(get("type"))), From: get("from"), To: get("to"),
		Attribution: kg.Attribution(strings.ToUpper(get("attribution"))), ClaimedBy: get("claimedBy"),
		Status: kg.Status(strings.ToUpper(get("status"))), Condition: get("condition"), Role: get("role"),
		SourceID: get("source"), EventID: get("event"), PlaceID: get("place"),
		Alleges: get("alleges"), Denies: get("denies"), CAMEO: kg.ParseCAMEOText(get("cameo")), Note: get("note"),
		Provenance: kg.Provenance{
			Confidence: Confidence, Method: kg.Method(strings.ToUpper(get("method"))), Detail: get("detail"),
			Review: kg.Review(strings.ToUpper(get("review"))),
		},
	}
	if r.Type == "" && r.CAMEO != "" {
		t, err := kg.TypeForCAMEO(r.CAMEO)
		if err != nil {
			return nil, err
		}
		r.Type = t
	}
	if r.Attribution == "" {
		r.Attribution = kg.Asserted
	}
	if r.Status == "" {
		r.Status = kg.Actual
	}
	if r.Provenance.Method == "" {
		r.Provenance.Method = kg.MethodImport
	}
	if r.Provenance.Detail == "" && r.Provenance.Method == kg.MethodImport {
		r.Provenance.Detail = "csv"
	}
	if r.Provenance.Review == "" {
		r.Provenance.Review = kg.ReviewProposed
	}
	r.Occurred = csvDate(get("occurred"), get("occurredPrecision"))
	r.Reported = csvDate(get("reported"), get("reportedPrecision"))
	if s := get("goldstein"); s != "" {
		g, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, fmt.Errorf("goldstein %q is not a number", s)
		}
		r.Goldstein = &g
	}
	if s := get("confidence"); s != "" {
		c, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, fmt.Errorf("confidence %q is not a number", s)
		}
		r.Provenance.Confidence = c
	}
	return r, nil
}

// csvDate: a date with no precision is a DAY; no date is UNKNOWN.
func csvDate(date, precision string) kg.Date {
	p := kg.Precision(strings.ToUpper(precision))
	if p == "" {
		p = kg.PrecisionUnknown
		if date != "" {
			p = kg.PrecisionDay
		}
	}
	return kg.Date{Date: date, Precision: p}
}

// ownRow is one entry of a JSON or CSV file.
type ownRow struct {
	at     lineRef
	kind   string // source, actor, place, event, relation (kg.EntryError's kinds)
	source *kg.Source
	actor  *kg.Actor
	place  *kg.Place
	event  *kg.Event
	rel    *kg.Relation
	bad    bool
}

func (o *ownRow) id() string {
	switch {
	case o.source != nil:
		return o.source.ID
	case o.actor != nil:
		return o.actor.ID
	case o.place != nil:
		return o.place.ID
	case o.event != nil:
		return o.event.ID
	}
	return o.rel.ID
}

// readJSON reads the JSON of a kg.Graph entry by entry, so a bad entry is
// reported with its line and the others import.
func (im *importer) readJSON(ctx context.Context, in Input) error {
	data, err := io.ReadAll(in.R)
	if err != nil {
		return fmt.Errorf("importer: read %s: %w", in.Name, err)
	}
	lastOff, lastLine := 0, 1
	lineAt := func(off int64) int { // offsets only grow: count newlines once
		o := int(off)
		for o < len(data) && strings.IndexByte(" \t\r\n,", data[o]) >= 0 {
			o++
		}
		o = min(o, len(data))
		if o >= lastOff {
			lastLine += bytes.Count(data[lastOff:o], []byte{'\n'})
			lastOff = o
		}
		return lastLine
	}
	var rows []*ownRow
	var hist store.History // merges, deletions, reviews: written as they are
	dec := json.NewDecoder(bytes.NewReader(data))
	syntax := func(err error) error {
		im.sum.Read++
		im.skip(lineRef{in.Name, lineAt(dec.InputOffset())}, ReasonSyntax, true, "%v", err)
		return im.writeOwn(ctx, rows) // what came before the error still imports
	}
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		if err == nil {
			err = errors.New("the file is not a JSON object")
		}
		return syntax(err)
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return syntax(err)
		}
		key, _ := t.(string)
		if target := historyList(&hist, key); target != nil {
			at := lineRef{in.Name, lineAt(dec.InputOffset())}
			if err := dec.Decode(target); err != nil {
				return syntax(err)
			}
			if err := store.CheckHistory(hist); err != nil {
				im.sum.Read++
				im.skip(at, ReasonInvalid, true, "%s: %v", key, err)
				hist = store.History{}
				continue
			}
			continue
		}
		kind := map[string]string{"sources": "source", "actors": "actor", "places": "place", "events": "event", "relations": "relation"}[key]
		if kind == "" {
			at := lineRef{in.Name, lineAt(dec.InputOffset())}
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return syntax(err)
			}
			im.sum.Read++
			im.skip(at, ReasonSyntax, true, "unknown key %q (want sources, actors, places, events, relations, merges, deletions, reviews)", key)
			continue
		}
		if t, err := dec.Token(); err != nil || t != json.Delim('[') {
			if err == nil {
				err = fmt.Errorf("%q is not a list", key)
			}
			return syntax(err)
		}
		for dec.More() {
			at := lineRef{in.Name, lineAt(dec.InputOffset())}
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return syntax(err)
			}
			im.sum.Read++
			o := &ownRow{at: at, kind: kind}
			var target any
			switch kind {
			case "source":
				o.source = new(kg.Source)
				target = o.source
			case "actor":
				o.actor = new(kg.Actor)
				target = o.actor
			case "place":
				o.place = new(kg.Place)
				target = o.place
			case "event":
				o.event = new(kg.Event)
				target = o.event
			case "relation":
				o.rel = new(kg.Relation)
				target = o.rel
			}
			ed := json.NewDecoder(bytes.NewReader(raw))
			ed.DisallowUnknownFields()
			if err := ed.Decode(target); err != nil {
				im.skip(at, ReasonSyntax, true, "%s: %v", kind, err)
				continue
			}
			rows = append(rows, o)
		}
		if _, err := dec.Token(); err != nil { // ']'
			return syntax(err)
		}
	}
	if _, err := dec.Token(); err != nil { // '}'
		return syntax(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return syntax(errors.New("data after the graph object"))
	}
	if err := im.writeOwn(ctx, rows); err != nil {
		return err
	}
	n := len(hist.Merges) + len(hist.Deletions) + len(hist.Reviews)
	if n == 0 || im.dry {
		return nil
	}
	if err := im.st.RestoreHistory(ctx, hist); err != nil {
		return fmt.Errorf("importer: %s: history: %w", in.Name, err)
	}
	im.sum.History += n
	return nil
}

// historyList is where the JSON list under key goes, for the history keys
// the export writes after the graph (store.History); nil for other keys.
func historyList(h *store.History, key string) any {
	switch key {
	case "merges":
		return &h.Merges
	case "deletions":
		return &h.Deletions
	case "reviews":
		return &h.Reviews
	}
	return nil
}

// writeOwn checks the rows of one JSON or CSV file as one graph, together
// with the store entities they refer to, drops the rows that break the data
// model (and, in turn, those that need a dropped row) and queues the rest.
func (im *importer) writeOwn(ctx context.Context, rows []*ownRow) error {
	if len(rows) == 0 {
		return nil
	}
	if err := im.fillTexts(ctx, rows); err != nil {
		return err
	}
	ctxG, err := im.context(ctx, rows)
	if err != nil {
		return err
	}
	live := rows
	for {
		g := kg.Graph{}
		// File rows first, then the store's entities: an error at an index
		// below the file's count is a file row's.
		var byKind = map[string][]*ownRow{}
		for _, o := range live {
			byKind[o.kind] = append(byKind[o.kind], o)
			switch o.kind {
			case "source":
				g.Sources = append(g.Sources, *o.source)
			case "actor":
				g.Actors = append(g.Actors, *o.actor)
			case "place":
				g.Places = append(g.Places, *o.place)
			case "event":
				g.Events = append(g.Events, *o.event)
			case "relation":
				g.Relations = append(g.Relations, *o.rel)
			}
		}
		g.Sources = append(g.Sources, ctxG.Sources...)
		g.Actors = append(g.Actors, ctxG.Actors...)
		g.Places = append(g.Places, ctxG.Places...)
		g.Events = append(g.Events, ctxG.Events...)
		g.Relations = append(g.Relations, ctxG.Relations...)
		err := g.Validate()
		if err == nil {
			err = im.checkStored(ctx, &g, len(byKind["relation"]))
		}
		if err == nil {
			break
		}
		msgs := map[*ownRow][]string{}
		for _, e := range unjoin(err) {
			var ee *kg.EntryError
			if !errors.As(e, &ee) {
				return fmt.Errorf("importer: validate: %w", e)
			}
			if o := rowOf(byKind[ee.Kind], ee); o != nil {
				msgs[o] = append(msgs[o], ee.Err.Error())
			}
		}
		if len(msgs) == 0 {
			break // only the store's own entities have problems
		}
		var keep []*ownRow
		for _, o := range live {
			if m, ok := msgs[o]; ok {
				o.bad = true
				reason := ReasonInvalid
				if dependsOnDropped(o, rows) {
					reason = ReasonDependsOnBad
				}
				im.skip(o.at, reason, true, "%s %q: %s", o.kind, o.id(), strings.Join(m, "; "))
				continue
			}
			keep = append(keep, o)
		}
		live = keep
	}
	// Entities before relations (a relation's ends must exist when it is
	// written), each kind in file order.
	order := map[string]int{"source": 0, "actor": 1, "place": 2, "event": 3, "relation": 4}
	slices.SortStableFunc(live, func(a, b *ownRow) int { return order[a.kind] - order[b.kind] })
	for _, o := range live {
		if !im.claim(o.at, o.id()) {
			continue
		}
		im.out = append(im.out, item{at: o.at, rel: o.rel, source: o.source, actor: o.actor, place: o.place, event: o.event})
		if err := im.flush(ctx, false); err != nil {
			return err
		}
	}
	return nil
}

// rowOf is the file row an entry error is about: by index, or by id
// when the error has none (the stored-state rules); nil for an entity of
// the store.
func rowOf(rows []*ownRow, ee *kg.EntryError) *ownRow {
	if ee.Index >= 0 {
		if ee.Index < len(rows) {
			return rows[ee.Index]
		}
		return nil
	}
	for _, o := range rows {
		if o.id() == ee.ID {
			return o
		}
	}
	return nil
}

// checkStored runs the store's stored-state rules (kg.CheckStored) on the
// file's first n relations of g before they are written, over the file
// and its context joined to the hierarchy the store holds: Validate sees
// only the edges of g, so a PART_OF/HOLDS_ROLE row closing a cycle through
// stored edges would pass it, and the store would then refuse the whole
// batch (a plain import failing instead of skipping the row, a strict one
// passing its dry run).
func (im *importer) checkStored(ctx context.Context, g *kg.Graph, n int) error {
	rels := g.Relations[:n]
	if !slices.ContainsFunc(rels, func(r kg.Relation) bool { return r.Type.IsHierarchy() }) {
		return nil
	}
	return kg.CheckStored(storedHierarchy{ctx: ctx, st: im.st, View: kg.GraphView(g), file: rels}, rels)
}

// storedHierarchy is a kg.View of a file's graph whose Parents add the
// hierarchy edges the store holds, except those the file replaces.
type storedHierarchy struct {
	kg.View
	ctx  context.Context
	st   store.Store
	file []kg.Relation
}

func (v storedHierarchy) Parents(ids []string) (map[string][]string, error) {
	out, err := v.View.Parents(ids)
	if err != nil {
		return nil, err
	}
	stored, err := v.st.RelationsOf(v.ctx, ids, store.Out, store.RelationFilter{Types: []kg.RelationType{kg.PartOf, kg.HoldsRole}},
		store.Order{Field: store.SortID}, store.Page{First: store.MaxLimit})
	if err != nil {
		return nil, fmt.Errorf("importer: look up the stored hierarchy: %w", err)
	}
	replaced := map[string]bool{}
	for _, r := range v.file {
		replaced[r.ID] = true
	}
	for id, page := range stored {
		for _, r := range page.Items {
			if !replaced[r.ID] {
				out[id] = append(out[id], r.To)
			}
		}
	}
	return out, nil
}

// dependsOnDropped reports whether o refers to a row of the file that was
// dropped, to name the reason better.
func dependsOnDropped(o *ownRow, rows []*ownRow) bool {
	dropped := map[string]bool{}
	for _, r := range rows {
		if r.bad && r != o {
			dropped[r.id()] = true
		}
	}
	var refs []string
	switch {
	case o.rel != nil:
		refs = []string{o.rel.From, o.rel.To, o.rel.ClaimedBy, o.rel.SourceID, o.rel.EventID, o.rel.PlaceID, o.rel.Alleges, o.rel.Denies}
	case o.event != nil:
		refs = []string{o.event.PlaceID, o.event.SourceID}
	case o.place != nil:
		refs = []string{o.place.ParentID}
	}
	for _, id := range refs {
		if dropped[id] {
			return true
		}
	}
	return false
}

// fillTexts gives a source of the file that carries its sha256 but not its
// text (as internal/seed/data/aleppo.json does) the store's text of the same
// digest, so its evidence can be checked.
func (im *importer) fillTexts(ctx context.Context, rows []*ownRow) error {
	var ids []string
	for _, o := range rows {
		if s := o.source; s != nil && s.Text == "" && s.SHA256 != "" {
			ids = append(ids, s.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	found, err := lookup(ctx, ids, im.st.Sources)
	if err != nil {
		return fmt.Errorf("importer: look up sources: %w", err)
	}
	for _, o := range rows {
		if s := o.source; s != nil && s.Text == "" && s.SHA256 != "" {
			if have, ok := found[s.ID]; ok && have.SHA256 == s.SHA256 {
				s.Text = have.Text
			}
		}
	}
	return nil
}

// context fetches from the store every entity the rows refer to that the
// file itself lacks, so references to what the store holds check out.
func (im *importer) context(ctx context.Context, rows []*ownRow) (*kg.Graph, error) {
	inFile := map[string]bool{}
	for _, o := range rows {
		inFile[o.id()] = true
	}
	need := map[string]bool{}
	var ids, relIDs []string
	add := func(list *[]string, id string) {
		if id != "" && !inFile[id] && !need[id] {
			need[id] = true
			*list = append(*list, id)
		}
	}
	for _, o := range rows {
		switch {
		case o.rel != nil:
			r := o.rel
			for _, id := range []string{r.From, r.To, r.ClaimedBy, r.SourceID, r.EventID, r.PlaceID} {
				add(&ids, id)
			}
			add(&relIDs, r.Alleges)
			add(&relIDs, r.Denies)
		case o.event != nil:
			add(&ids, o.event.PlaceID)
			add(&ids, o.event.SourceID)
		case o.place != nil:
			add(&ids, o.place.ParentID)
		}
	}
	g := &kg.Graph{}
	if len(ids) == 0 && len(relIDs) == 0 {
		return g, nil
	}
	// An id names one entity of any kind, so ask every kind.
	actors, err := lookup(ctx, ids, im.st.Actors)
	if err != nil {
		return nil, fmt.Errorf("importer: look up actors: %w", err)
	}
	places, err := lookup(ctx, ids, im.st.Places)
	if err != nil {
		return nil, fmt.Errorf("importer: look up places: %w", err)
	}
	sources, err := lookup(ctx, ids, im.st.Sources)
	if err != nil {
		return nil, fmt.Errorf("importer: look up sources: %w", err)
	}
	events, err := lookup(ctx, ids, im.st.Events)
	if err != nil {
		return nil, fmt.Errorf("importer: look up events: %w", err)
	}
	rels, err := lookup(ctx, relIDs, im.st.Relations)
	if err != nil {
		return nil, fmt.Errorf("importer: look up relations: %w", err)
	}
	for _, id := range ids {
		if a, ok := actors[id]; ok {
			g.Actors = append(g.Actors, a)
		}
		if p, ok := places[id]; ok {
			g.Places = append(g.Places, p)
		}
		if s, ok := sources[id]; ok {
			g.Sources = append(g.Sources, s)
		}
		if e, ok := events[id]; ok {
			g.Events = append(g.Events, e)
		}
	}
	// Linked relations only need to exist: their own ends are the store's
	// business, so they join as stubs whose problems are not reported.
	for _, id := range relIDs {
		if r, ok := rels[id]; ok {
			g.Relations = append(g.Relations, kg.Relation{ID: r.ID, Type: r.Type})
		}
	}
	return g, nil
}
