// Package export writes the graph, or a part of it, in the formats
// visualization tools and notebooks read: networkx node-link JSON,
// Cytoscape.js elements JSON, GraphML, GEXF 1.3, CSV (nodes and edges) and
// the project's own kg.Graph JSON. Handler serves them over HTTP
// (GET /export/{format}?…); `actorgraph export` writes them to a file.
//
// Every export is streamed: the whole graph is read page by page
// (PageSize relations at a time) and written as it is read, so memory stays
// flat however large the graph is. An actor's neighbourhood is one
// store.Neighborhood call, bounded by store.MaxLimit relations.
//
// # What is exported
//
//   - The whole graph, unfiltered: every actor and place (nodes) and every
//     relation (edges), so the counts are the store's Stats.
//   - The whole graph with filters (types, attribution, status, dates): the
//     matching relations and the actors and places at their ends.
//   - An actor (actor=ID, depth 1..3): its neighbourhood (types and dates
//     steer the walk), then attribution and status keep a subset; the nodes
//     are the actor and the ends of the relations kept.
//
// Relations are edges keyed by their id, so parallel relations between one
// pair stay separate (every graph format is a directed multigraph). Each
// edge keeps the relation's type, attribution, claimant, status, condition,
// dates with their precision, provenance, CAMEO / PLOVER / Goldstein, its
// source document and its evidence quotes.
package export

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/actorgraph/actorgraph/internal/actorref"
	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/rules"
)

// Format is an export format.
type Format string

const (
	NetworkX  Format = "networkx"  // networkx node-link JSON (2.8 and 3.x)
	Cytoscape Format = "cytoscape" // Cytoscape.js elements JSON
	GraphML   Format = "graphml"   // GraphML (Gephi, yEd, networkx)
	GEXF      Format = "gexf"      // GEXF 1.3, dynamic (Gephi's timeline)
	CSVNodes  Format = "csv-nodes" // CSV, one row per actor or place
	CSVEdges  Format = "csv-edges" // CSV, one row per relation
	JSON      Format = "json"      // kg.Graph JSON (actorgraph import --format json)
)

// Formats lists every format.
var Formats = []Format{NetworkX, Cytoscape, GraphML, GEXF, CSVNodes, CSVEdges, JSON}

// ParseFormat checks a format name (case-insensitive).
func ParseFormat(s string) (Format, error) {
	f := Format(strings.ToLower(strings.TrimSpace(s)))
	if slices.Contains(Formats, f) {
		return f, nil
	}
	return "", fmt.Errorf("unknown export format %q (want %s)", s, formatList())
}

func formatList() string {
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = string(f)
	}
	return strings.Join(names, ", ")
}

// ContentType is the media type of a format.
func (f Format) ContentType() string {
	switch f {
	case GraphML, GEXF:
		return "application/xml; charset=utf-8"
	case CSVNodes, CSVEdges:
		return "text/csv; charset=utf-8"
	}
	return "application/json"
}

// Ext is a format's file name extension (without the dot).
func (f Format) Ext() string {
	switch f {
	case NetworkX:
		return "networkx.json"
	case Cytoscape:
		return "cytoscape.json"
	case CSVNodes:
		return "nodes.csv"
	case CSVEdges:
		return "edges.csv"
	}
	return string(f)
}

// FileName is the file name an export of q in f is offered as:
// actorgraph-<scope>[-<filter>].<ext>, scope "all" or the actor's id (and
// depth), the filter its types, attribution, status and dates — so a
// filtered export is never saved over, or mistaken for, the whole graph.
func FileName(f Format, q Query) string {
	parts := []string{"all"}
	if q.Actor != "" {
		parts = []string{slug(q.Actor)}
		if q.Depth > 1 {
			parts = append(parts, fmt.Sprintf("d%d", q.Depth))
		}
	}
	for _, t := range q.Types {
		parts = append(parts, slug(string(t)))
	}
	for _, v := range []string{string(q.Attribution), string(q.Status), string(q.Review), q.Dates.From, q.Dates.To} {
		if v != "" {
			parts = append(parts, slug(v))
		}
	}
	if q.CAMEORoot != "" {
		parts = append(parts, "cameo"+q.CAMEORoot)
	}
	if q.PLOVER != "" {
		parts = append(parts, slug(q.PLOVER))
	}
	if q.MinConfidence > 0 {
		parts = append(parts, "conf"+strconv.FormatFloat(q.MinConfidence, 'f', -1, 64))
	}
	for _, k := range q.FromKinds {
		parts = append(parts, "from-"+slug(string(k)))
	}
	for _, k := range q.ToKinds {
		parts = append(parts, "to-"+slug(string(k)))
	}
	if q.Source != "" {
		parts = append(parts, "source", slug(q.Source))
	}
	if q.Event != "" {
		parts = append(parts, "event", slug(q.Event))
	}
	if q.ClaimedBy != "" {
		parts = append(parts, "claimed-by", slug(q.ClaimedBy))
	}
	if q.Place != "" {
		parts = append(parts, "at", slug(q.Place))
	}
	return "actorgraph-" + strings.Join(parts, "-") + "." + f.Ext()
}

// slug keeps the characters safe in a file name.
func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	out := strings.Trim(b.String(), "-")
	if out == "" || len(out) > 80 {
		return "actor"
	}
	return out
}

// PageSize is how many relations (or nodes) are read from the store at a time.
const PageSize = 500

// GEXF versions: 1.3 (default) and 1.2draft, for networkx before 3.6, whose
// read_gexf knows only the draft namespaces.
const (
	GEXF13      = "1.3"
	GEXF12Draft = "1.2draft"
)

// Query selects what to export. The zero Query is the whole graph.
type Query struct {
	// Actor, when set, exports its neighbourhood, Depth (1..3) hops out in
	// Direction (BOTH by default).
	Actor     string
	Depth     int
	Direction store.Direction
	// Types, Dates (and, with Actor, the walk they steer), Attribution,
	// Status, ClaimedBy (an actor reference, rolled up as the API's
	// claimedBy), Place (a place id) and the rest of the API's relation
	// filter (review, CAMEO root, PLOVER category, minimum confidence,
	// source and event ids, the actor kinds at either end) filter the
	// relations, as relations(filter:) does.
	Types         []kg.RelationType
	Attribution   kg.Attribution
	Status        kg.Status
	Dates         store.DateRange
	ClaimedBy     string
	Place         string
	Review        kg.Review
	CAMEORoot     string
	PLOVER        string
	MinConfidence float64
	Source        string
	Event         string
	FromKinds     []kg.ActorKind
	ToKinds       []kg.ActorKind
	// GEXFVersion is GEXF13 (default) or GEXF12Draft.
	GEXFVersion string
}

// filtered reports whether q keeps only some relations.
func (q Query) filtered() bool {
	return !reflect.DeepEqual(q.relationFilter(), store.RelationFilter{RollUp: true})
}

// relationFilter is the store filter q's relation parameters make (actor
// references unresolved).
func (q Query) relationFilter() store.RelationFilter {
	return store.RelationFilter{
		Types: q.Types, Attribution: q.Attribution, Status: q.Status, Dates: q.Dates,
		ClaimedBy: q.ClaimedBy, Place: q.Place, Review: q.Review, CAMEORoot: q.CAMEORoot,
		PLOVER: q.PLOVER, MinConfidence: q.MinConfidence, Source: q.Source, Event: q.Event,
		FromKinds: q.FromKinds, ToKinds: q.ToKinds,
		// RollUp widens only ClaimedBy here (From and To stay empty), as
		// the API's claimedBy is rolled up.
		RollUp: true,
	}
}

// InputError is a bad parameter; Field names it as the HTTP query does.
type InputError struct {
	Field, Message string
}

func (e *InputError) Error() string { return e.Field + ": " + e.Message }

func bad(field, format string, args ...any) error {
	return &InputError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// Params are the query parameters ParseQuery knows.
var Params = []string{"actor", "depth", "direction", "types", "attribution", "status", "claimedBy", "place",
	"review", "cameoRoot", "plover", "minConfidence", "source", "event", "fromKinds", "toKinds", "from", "to", "on", "version"}

// ParseQuery reads and checks the parameters of an export:
//
//	actor=ID depth=1..3 direction=OUT|IN|BOTH types=ACCUSES,DENIES
//	attribution=ASSERTED|ALLEGED status=ACTUAL|… claimedBy=ACTOR place=PLACE_ID
//	review=PENDING|… cameoRoot=19 plover=ACCUSE minConfidence=0.5
//	source=SOURCE_ID event=EVENT_ID fromKinds=STATE,GOVERNMENT toKinds=…
//	from=YYYY-MM-DD to=YYYY-MM-DD
//	on=OCCURRED|REPORTED version=1.3|1.2draft (GEXF)
//
// types, fromKinds and toKinds may also be repeated. Enum values are case-insensitive. An unknown
// or repeated parameter is an error too, so a typo never silently exports
// the whole graph.
func ParseQuery(v url.Values) (Query, error) {
	var q Query
	for name, vals := range v {
		if !slices.Contains(Params, name) {
			return q, bad(name, "unknown parameter (known: %s)", strings.Join(Params, ", "))
		}
		if !slices.Contains(listParams, name) && len(vals) > 1 {
			return q, bad(name, "given %d times", len(vals))
		}
	}
	get := func(name string) string { return strings.TrimSpace(v.Get(name)) }

	q.Actor = get("actor")
	if q.Actor == "" && (v.Has("depth") || v.Has("direction")) {
		field := "depth"
		if !v.Has("depth") {
			field = "direction"
		}
		return q, bad(field, "needs actor")
	}
	if q.Actor != "" {
		q.Depth, q.Direction = 1, store.Both
		if s := get("depth"); s != "" {
			d, err := strconv.Atoi(s)
			if err != nil || d < 1 || d > 3 {
				return q, bad("depth", "must be 1, 2 or 3, got %q", s)
			}
			q.Depth = d
		}
		if s := get("direction"); s != "" {
			d := store.Direction(strings.ToUpper(s))
			if d != store.Out && d != store.In && d != store.Both {
				return q, bad("direction", "must be OUT, IN or BOTH, got %q", s)
			}
			q.Direction = d
		}
	}
	var err error
	if q.Types, err = enumList(v, "types", "a relation type", func(t kg.RelationType) bool { return t.IsValid() }); err != nil {
		return q, err
	}
	if q.FromKinds, err = enumList(v, "fromKinds", "an actor kind", isKind); err != nil {
		return q, err
	}
	if q.ToKinds, err = enumList(v, "toKinds", "an actor kind", isKind); err != nil {
		return q, err
	}
	if s := get("review"); s != "" {
		q.Review = kg.Review(strings.ToUpper(s))
		if !slices.Contains(kg.Reviews, q.Review) {
			return q, bad("review", "must be one of %v, got %q", kg.Reviews, s)
		}
	}
	if s := get("cameoRoot"); s != "" {
		if !kg.IsCAMEORoot(s) {
			return q, bad("cameoRoot", "must be a CAMEO root code 01 … 20, got %q", s)
		}
		q.CAMEORoot = s
	}
	if s := get("plover"); s != "" {
		if q.PLOVER = strings.ToUpper(s); !kg.IsPLOVERCategory(q.PLOVER) {
			return q, bad("plover", "is not a PLOVER category of the vocabulary: %q", s)
		}
	}
	if s := get("minConfidence"); s != "" {
		c, err := strconv.ParseFloat(s, 64)
		if err != nil || !(c >= 0 && c <= 1) {
			return q, bad("minConfidence", "must be a number between 0 and 1, got %q", s)
		}
		q.MinConfidence = c
	}
	q.Source, q.Event = get("source"), get("event")
	if s := get("attribution"); s != "" {
		q.Attribution = kg.Attribution(strings.ToUpper(s))
		if !slices.Contains(kg.Attributions, q.Attribution) {
			return q, bad("attribution", "must be ASSERTED or ALLEGED, got %q", s)
		}
	}
	if s := get("status"); s != "" {
		q.Status = kg.Status(strings.ToUpper(s))
		if !slices.Contains(kg.Statuses, q.Status) {
			return q, bad("status", "must be one of %v, got %q", kg.Statuses, s)
		}
	}
	q.ClaimedBy, q.Place = get("claimedBy"), get("place")
	q.Dates = store.DateRange{From: get("from"), To: get("to"), On: store.OnOccurred}
	for _, name := range []string{"from", "to"} {
		if s := get(name); s != "" {
			if _, err := time.Parse(time.DateOnly, s); err != nil {
				return q, bad(name, "must be a date YYYY-MM-DD, got %q", s)
			}
		}
	}
	if q.Dates.From != "" && q.Dates.To != "" && q.Dates.From > q.Dates.To {
		return q, bad("from", "is after to (%s > %s)", q.Dates.From, q.Dates.To)
	}
	if s := get("on"); s != "" {
		switch strings.ToUpper(s) {
		case string(store.OnOccurred):
		case string(store.OnReported):
			q.Dates.On = store.OnReported
		default:
			return q, bad("on", "must be OCCURRED or REPORTED, got %q", s)
		}
	}
	if q.Dates.IsZero() {
		q.Dates = store.DateRange{}
	}
	switch s := get("version"); s {
	case "", GEXF13, "1.3.0":
		q.GEXFVersion = GEXF13
	case GEXF12Draft, "1.2":
		q.GEXFVersion = GEXF12Draft
	default:
		return q, bad("version", "must be %s or %s (GEXF), got %q", GEXF13, GEXF12Draft, s)
	}
	return q, nil
}

// listParams may be given more than once (their values add up).
var listParams = []string{"types", "fromKinds", "toKinds"}

func isKind(k kg.ActorKind) bool { return slices.Contains(kg.ActorKinds, k) }

// enumList reads a list parameter of enum values: comma-separated, possibly
// repeated, case-insensitive, each once.
func enumList[T ~string](v url.Values, name, what string, valid func(T) bool) ([]T, error) {
	var out []T
	for _, list := range v[name] {
		for _, s := range strings.Split(list, ",") {
			if s = strings.TrimSpace(s); s == "" {
				continue
			}
			t := T(strings.ToUpper(s))
			if !valid(t) {
				return nil, bad(name, "%q is not %s", s, what)
			}
			if !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	return out, nil
}

// Write streams the export of q in format f to w. Errors before anything
// was written to w leave w untouched (the output is buffered: a bad actor or
// an unavailable store is reported, not half a file); an *InputError is
// the caller's mistake.
func Write(ctx context.Context, s store.Store, f Format, q Query, w io.Writer) error {
	if !slices.Contains(Formats, f) {
		return fmt.Errorf("export: unknown format %q", f)
	}
	sel, err := prepare(ctx, s, q)
	if err != nil {
		return err
	}
	return render(ctx, sel, f, w)
}

// render writes a prepared selection.
func render(ctx context.Context, sel *selection, f Format, w io.Writer) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var werr error
	switch f {
	case NetworkX:
		werr = writeNetworkX(ctx, sel, bw)
	case Cytoscape:
		werr = writeCytoscape(ctx, sel, bw)
	case GraphML:
		werr = writeGraphML(ctx, sel, bw)
	case GEXF:
		werr = writeGEXF(ctx, sel, bw)
	case CSVNodes:
		werr = writeCSVNodes(ctx, sel, bw)
	case CSVEdges:
		werr = writeCSVEdges(ctx, sel, bw)
	case JSON:
		werr = writeKG(ctx, sel, bw)
	}
	if werr != nil {
		return werr
	}
	return bw.Flush()
}

// selection is what one export reads: the whole graph (filtered or not) or
// an actor's neighbourhood.
type selection struct {
	st     store.Store
	q      Query
	filter store.RelationFilter
	// sub is the neighbourhood (actor exports), its relations already
	// filtered by attribution and status; truncated when the walk hit a limit.
	sub       *store.Subgraph
	truncated bool
	center    string
	// ends memoizes the sorted node ids of a filtered whole-graph export.
	ends []string
}

// all reports whether the export is the whole, unfiltered graph.
func (sel *selection) all() bool { return sel.sub == nil && !sel.q.filtered() }

// prepare resolves the actor and reads its neighbourhood: everything that
// can fail for the caller's reasons fails here, before any output.
func prepare(ctx context.Context, s store.Store, q Query) (*selection, error) {
	sel := &selection{st: s, q: q, filter: q.relationFilter()}
	if q.ClaimedBy != "" {
		res, err := actorref.Resolve(ctx, s, "claimedBy", q.ClaimedBy, false)
		if err != nil {
			return nil, err
		}
		sel.filter.ClaimedBy, sel.q.ClaimedBy = res.ID, res.ID
	}
	// A place, source or event nobody has is a typo to report, not an
	// empty file (as the API's filter does).
	if err := actorref.CheckIDs(ctx, s, "", sel.filter); err != nil {
		return nil, err
	}
	if q.Actor == "" {
		return sel, nil
	}
	// The same resolution as every GraphQL actor argument: id, exact
	// name, alias; unknown and ambiguous are the caller's to fix.
	res, err := actorref.Resolve(ctx, s, "actor", q.Actor, false)
	if err != nil {
		return nil, err
	}
	id := res.ID
	sel.q.Actor = id // the file name says which actor, however it was named
	depth, dir := q.Depth, q.Direction
	if depth == 0 {
		depth = 1
	}
	if dir == "" {
		dir = store.Both
	}
	sub, err := s.Neighborhood(ctx, id, store.NeighborhoodQuery{
		Depth: depth, Types: q.Types, Direction: dir, Dates: q.Dates,
		Limit: store.MaxLimit, PerNode: store.MaxLimit,
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, bad("actor", "no actor has id %q", id)
	}
	if errors.Is(err, store.ErrInvalid) {
		return nil, bad("actor", "%v", err)
	}
	if err != nil {
		return nil, err
	}
	claimed, err := sel.claimedIDs(ctx)
	if err != nil {
		return nil, err
	}
	// The walk applied types and dates; the rest of the filter is applied
	// here, in memory, by the rule the change feed uses too. claimedBy
	// (rolled up) comes from the store's own answer above.
	rest := sel.filter
	rest.ClaimedBy = ""
	kinds := make(map[string]kg.ActorKind, len(sub.Actors))
	for _, a := range sub.Actors {
		kinds[a.ID] = a.Kind
	}
	kept := sub.Relations[:0:0]
	for _, r := range sub.Relations {
		if rules.MatchRelation(rest, r, nil, kinds) && (claimed == nil || claimed.has(r.ID)) {
			kept = append(kept, r)
		}
	}
	ends := map[string]bool{id: true}
	for _, r := range kept {
		ends[r.From], ends[r.To] = true, true
	}
	out := store.Subgraph{Relations: kept, Truncated: sub.Truncated}
	for _, a := range sub.Actors {
		if ends[a.ID] {
			out.Actors = append(out.Actors, a)
		}
	}
	for _, p := range sub.Places {
		if ends[p.ID] {
			out.Places = append(out.Places, p)
		}
	}
	sel.sub, sel.truncated, sel.center = &out, sub.Truncated, id
	return sel, nil
}

// claimedIDs is, when the export asks for claimedBy, the set of relations
// the store's own filter selects for it (rolled up, as relations(filter:
// {claimedBy}) selects them): a neighbourhood keeps only those. Nil
// without claimedBy.
func (sel *selection) claimedIDs(ctx context.Context) (set, error) {
	if sel.filter.ClaimedBy == "" {
		return nil, nil
	}
	f := store.RelationFilter{ClaimedBy: sel.filter.ClaimedBy, RollUp: true, Types: sel.filter.Types, Dates: sel.filter.Dates}
	ids := set{}
	err := pages(ctx, func(ctx context.Context, p store.Page) (store.PageOf[kg.Relation], error) {
		return sel.st.ListRelations(ctx, f, byID, p)
	}, func(r kg.Relation) store.Cursor { return store.CursorOf(r, byID) }, func(rs []kg.Relation) error {
		for _, r := range rs {
			ids.add(r.ID)
		}
		return nil
	})
	return ids, err
}

// pages walks every page of a keyset-paginated list.
func pages[T any](ctx context.Context, list func(context.Context, store.Page) (store.PageOf[T], error), cursor func(T) store.Cursor, fn func([]T) error) error {
	var after *store.Cursor
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		p, err := list(ctx, store.Page{First: PageSize, After: after})
		if err != nil {
			return err
		}
		if len(p.Items) > 0 {
			if err := fn(p.Items); err != nil {
				return err
			}
		}
		if !p.HasNext || len(p.Items) == 0 {
			return nil
		}
		c := cursor(p.Items[len(p.Items)-1])
		after = &c
	}
}

// chunks calls fn with successive slices of at most PageSize items.
func chunks[T any](items []T, fn func([]T) error) error {
	for len(items) > 0 {
		n := min(len(items), PageSize)
		if err := fn(items[:n]); err != nil {
			return err
		}
		items = items[n:]
	}
	return nil
}

var byID = store.Order{Field: store.SortID}

// relations calls fn with every selected relation, a page at a time, in id order.
func (sel *selection) relations(ctx context.Context, fn func([]kg.Relation) error) error {
	if sel.sub != nil {
		return chunks(sel.sub.Relations, fn)
	}
	return pages(ctx, func(ctx context.Context, p store.Page) (store.PageOf[kg.Relation], error) {
		return sel.st.ListRelations(ctx, sel.filter, byID, p)
	}, func(r kg.Relation) store.Cursor { return store.CursorOf(r, byID) }, fn)
}

// edges is relations with each page's source documents looked up.
func (sel *selection) edges(ctx context.Context, fn func([]kg.Relation, map[string]kg.Source) error) error {
	return sel.relations(ctx, func(rs []kg.Relation) error {
		var ids []string
		seen := set{}
		for _, r := range rs {
			if seen.add(r.SourceID) {
				ids = append(ids, r.SourceID)
			}
		}
		srcs := map[string]kg.Source{}
		if len(ids) > 0 {
			var err error
			if srcs, err = sel.st.Sources(ctx, ids); err != nil {
				return err
			}
		}
		return fn(rs, srcs)
	})
}

// nodes calls fn with every selected actor and place, a page at a time:
// for the whole graph every actor (by id) then every place; otherwise the
// ends of the selected relations (and the actor of a neighbourhood).
func (sel *selection) nodes(ctx context.Context, fn func([]kg.Actor, []kg.Place) error) error {
	switch {
	case sel.sub != nil:
		if err := chunks(sel.sub.Actors, func(as []kg.Actor) error { return fn(as, nil) }); err != nil {
			return err
		}
		return chunks(sel.sub.Places, func(ps []kg.Place) error { return fn(nil, ps) })
	case sel.all():
		err := pages(ctx, func(ctx context.Context, p store.Page) (store.PageOf[kg.Actor], error) {
			return sel.st.ListActors(ctx, store.ActorFilter{}, byID, p)
		}, func(a kg.Actor) store.Cursor { return store.ActorCursor(a, byID) },
			func(as []kg.Actor) error { return fn(as, nil) })
		if err != nil {
			return err
		}
		return pages(ctx, sel.st.ListPlaces,
			func(p kg.Place) store.Cursor { return store.Cursor{Str: kg.Fold(p.Name), ID: p.ID} },
			func(ps []kg.Place) error { return fn(nil, ps) })
	}
	ends, err := sel.endIDs(ctx)
	if err != nil {
		return err
	}
	return chunks(ends, func(ids []string) error {
		as, ps, err := sel.lookupNodes(ctx, ids)
		if err != nil {
			return err
		}
		return fn(as, ps)
	})
}

// endIDs returns the sorted ids at the ends of the selected relations (one
// pass over them; only the ids are kept).
func (sel *selection) endIDs(ctx context.Context) ([]string, error) {
	if sel.ends != nil {
		return sel.ends, nil
	}
	set := map[string]struct{}{}
	if sel.center != "" {
		set[sel.center] = struct{}{}
	}
	err := sel.relations(ctx, func(rs []kg.Relation) error {
		for _, r := range rs {
			set[r.From], set[r.To] = struct{}{}, struct{}{}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(set))
	for id := range set {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	sel.ends = ids
	return ids, nil
}

// lookupNodes returns the actors and places among ids, each in id order.
func (sel *selection) lookupNodes(ctx context.Context, ids []string) ([]kg.Actor, []kg.Place, error) {
	am, err := sel.st.Actors(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	var rest []string
	var as []kg.Actor
	for _, id := range ids {
		if a, ok := am[id]; ok {
			as = append(as, a)
		} else {
			rest = append(rest, id)
		}
	}
	var ps []kg.Place
	if len(rest) > 0 {
		pm, err := sel.st.Places(ctx, rest)
		if err != nil {
			return nil, nil, err
		}
		for _, id := range rest {
			if p, ok := pm[id]; ok {
				ps = append(ps, p)
			}
		}
	}
	return as, ps, nil
}

// meta describes the export for a format's graph-level attributes.
func (sel *selection) meta() map[string]any {
	m := map[string]any{"name": "actorgraph", "scope": "all"}
	q := sel.q
	if sel.center != "" {
		m["scope"] = "neighborhood"
		m["actor"] = sel.center
		m["depth"] = max(q.Depth, 1)
		m["direction"] = string(cmpOr(q.Direction, store.Both))
		m["truncated"] = sel.truncated
	}
	if len(q.Types) > 0 {
		ts := make([]string, len(q.Types))
		for i, t := range q.Types {
			ts[i] = string(t)
		}
		m["types"] = strings.Join(ts, ",")
	}
	if q.Attribution != "" {
		m["attribution"] = string(q.Attribution)
	}
	if q.Status != "" {
		m["status"] = string(q.Status)
	}
	if q.ClaimedBy != "" {
		m["claimedBy"] = q.ClaimedBy
	}
	if q.Place != "" {
		m["place"] = q.Place
	}
	if q.Dates.From != "" {
		m["from"] = q.Dates.From
	}
	if q.Dates.To != "" {
		m["to"] = q.Dates.To
	}
	if !q.Dates.IsZero() {
		m["on"] = string(cmpOr(q.Dates.On, store.OnOccurred))
	}
	return m
}

func cmpOr[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}
