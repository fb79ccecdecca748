package export

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"reflect"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"testing"
	"time"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/seed"
	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/boltstore"
	"github.com/actorgraph/actorgraph/internal/store/storetest"
	"github.com/actorgraph/actorgraph/internal/testenv"
)

func newTestServer(t testing.TB, s store.Store) *httptest.Server {
	mux := http.NewServeMux()
	mux.Handle("/export/", Handler(s))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func get(t testing.TB, srv *httptest.Server, method, path string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", method, path, err)
	}
	return resp, b
}

func TestHTTPFormats(t *testing.T) {
	srv := newTestServer(t, seedStore(t))
	for _, tc := range []struct {
		path, ctype, file string
	}{
		{"/export/networkx", "application/json", "actorgraph-all.networkx.json"},
		{"/export/cytoscape?types=ACCUSES", "application/json", "actorgraph-all-accuses.cytoscape.json"},
		{"/export/graphml?actor=russia", "application/xml; charset=utf-8", "actorgraph-russia.graphml"},
		{"/export/gexf?version=1.2draft", "application/xml; charset=utf-8", "actorgraph-all.gexf"},
		{"/export/csv-nodes", "text/csv; charset=utf-8", "actorgraph-all.nodes.csv"},
		{"/export/CSV-EDGES?actor=Russia&depth=2", "text/csv; charset=utf-8", "actorgraph-russia-d2.edges.csv"},
		{"/export/json", "application/json", "actorgraph-all.json"},
		// An alias resolves as in GraphQL; the file is named after the actor it selects.
		{"/export/csv-edges?actor=moscow", "text/csv; charset=utf-8", "actorgraph-russia.edges.csv"},
	} {
		resp, body := get(t, srv, http.MethodGet, tc.path)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %d %s", tc.path, resp.StatusCode, body)
			continue
		}
		if got := resp.Header.Get("Content-Type"); got != tc.ctype {
			t.Errorf("%s: Content-Type %q, want %q", tc.path, got, tc.ctype)
		}
		disp, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
		if err != nil || disp != "attachment" || params["filename"] != tc.file {
			t.Errorf("%s: Content-Disposition %q", tc.path, resp.Header.Get("Content-Disposition"))
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" || len(body) == 0 {
			t.Errorf("%s: headers %v, %d bytes", tc.path, resp.Header, len(body))
		}
	}
	// HEAD: the headers, no body.
	resp, body := get(t, srv, http.MethodHead, "/export/graphml")
	if resp.StatusCode != http.StatusOK || len(body) != 0 || resp.Header.Get("Content-Type") != "application/xml; charset=utf-8" {
		t.Errorf("HEAD: %d %v %q", resp.StatusCode, resp.Header, body)
	}
}

// TestHTTPRussia exports Russia's neighbourhood (depth 1) over HTTP and
// compares it with the store's.
func TestHTTPRussia(t *testing.T) {
	s := seedStore(t)
	srv := newTestServer(t, s)
	sub, err := s.Neighborhood(ctx(), "russia", store.NeighborhoodQuery{Depth: 1, Direction: store.Both, Limit: 1000, PerNode: 1000})
	if err != nil {
		t.Fatal(err)
	}
	resp, body := get(t, srv, http.MethodGet, "/export/networkx?actor=russia&depth=1")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	nl := decodeNodeLink(t, body)
	want := map[string]bool{}
	for _, r := range sub.Relations {
		want[r.ID] = true
	}
	for _, e := range nl.Edges {
		if !want[e.Key] {
			t.Errorf("edge %s is not in Russia's neighbourhood", e.Key)
		}
		delete(want, e.Key)
	}
	if len(want) > 0 || len(nl.Nodes) != len(sub.Actors)+len(sub.Places) {
		t.Errorf("missing edges %v; %d nodes, want %d", want, len(nl.Nodes), len(sub.Actors)+len(sub.Places))
	}
	var hasAleppo bool // a place at the end of an attack
	for _, n := range nl.Nodes {
		if n["id"] == "aleppo" && n["entity"] == "PLACE" {
			hasAleppo = true
		}
	}
	if !hasAleppo {
		t.Error("Aleppo (attacked by Russia) is not a node")
	}
}

func TestHTTPErrors(t *testing.T) {
	srv := newTestServer(t, seedStore(t))
	for _, tc := range []struct {
		method, path string
		status       int
		code, field  string
	}{
		{"GET", "/export/pajek", 404, "NOT_FOUND", "format"},
		{"GET", "/export/", 404, "NOT_FOUND", "format"},
		{"POST", "/export/networkx", 405, "METHOD_NOT_ALLOWED", ""},
		{"GET", "/export/networkx?actor=russia&depth=4", 400, "BAD_USER_INPUT", "depth"},
		{"GET", "/export/networkx?depth=2", 400, "BAD_USER_INPUT", "depth"},
		{"GET", "/export/networkx?types=ACCUSES,SHOUTS_AT", 400, "BAD_USER_INPUT", "types"},
		{"GET", "/export/networkx?attribution=RUMOURED", 400, "BAD_USER_INPUT", "attribution"},
		{"GET", "/export/networkx?status=SOON", 400, "BAD_USER_INPUT", "status"},
		{"GET", "/export/networkx?from=2016-02-30", 400, "BAD_USER_INPUT", "from"},
		{"GET", "/export/networkx?from=2016-10-01&to=2016-09-01", 400, "BAD_USER_INPUT", "from"},
		{"GET", "/export/networkx?actor=nobody", 404, "NOT_FOUND", "actor"},
		{"GET", "/export/networkx?color=red", 400, "BAD_USER_INPUT", "color"},
		{"GET", "/export/networkx?version=1.2draft", 400, "BAD_USER_INPUT", "version"},
		{"GET", "/export/networkx?types=%zz", 400, "BAD_USER_INPUT", "query"},
	} {
		resp, body := get(t, srv, tc.method, tc.path)
		var e struct {
			Errors []struct {
				Message    string
				Extensions map[string]string
			}
		}
		if err := json.Unmarshal(body, &e); err != nil || len(e.Errors) != 1 {
			t.Errorf("%s %s: body %s", tc.method, tc.path, body)
			continue
		}
		got := e.Errors[0]
		if resp.StatusCode != tc.status || got.Extensions["code"] != tc.code || got.Extensions["field"] != tc.field ||
			got.Message == "" || resp.Header.Get("Content-Type") != "application/json" || resp.Header.Get("Content-Disposition") != "" {
			t.Errorf("%s %s: %d %v %s; want %d %s field %q", tc.method, tc.path, resp.StatusCode, resp.Header, body, tc.status, tc.code, tc.field)
		}
	}
}

// TestHTTPAmbiguousActor: a name two actors share is refused with both
// ids, as the GraphQL arguments refuse it (internal/actorref), not exported
// for one of them.
func TestHTTPAmbiguousActor(t *testing.T) {
	s := seedStore(t)
	twins := &kg.Graph{Actors: []kg.Actor{
		{ID: "twin-a", Name: "Twin", Kind: kg.KindPerson}, {ID: "twin-b", Name: "Twin", Kind: kg.KindPerson},
	}}
	if err := s.Load(ctx(), twins); err != nil {
		t.Fatal(err)
	}
	resp, body := get(t, newTestServer(t, s), http.MethodGet, "/export/networkx?actor=twin")
	var e struct {
		Errors []struct {
			Extensions struct {
				Code, Field string
				Candidates  []string
			}
		}
	}
	if err := json.Unmarshal(body, &e); err != nil || len(e.Errors) != 1 || resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	if x := e.Errors[0].Extensions; x.Code != "BAD_USER_INPUT" || x.Field != "actor" || strings.Join(x.Candidates, ",") != "twin-a,twin-b" {
		t.Errorf("extensions %+v", x)
	}
}

// TestHTTPClaimedByAndPlace: claimedBy (a name, rolled up) and place
// select what the store's relation filter selects, for the whole graph and
// within a neighbourhood, and name the file.
func TestHTTPClaimedByAndPlace(t *testing.T) {
	s := seedStore(t)
	srv := newTestServer(t, s)
	list := func(f store.RelationFilter) map[string]bool { return relationIDs(t, s, f) }
	for _, tc := range []struct {
		path, file string
		want       map[string]bool
	}{
		{"/export/networkx?claimedBy=Russia", "actorgraph-all-claimed-by-russia.networkx.json",
			list(store.RelationFilter{ClaimedBy: "russia", RollUp: true})},
		{"/export/networkx?place=aleppo", "actorgraph-all-at-aleppo.networkx.json", list(store.RelationFilter{Place: "aleppo"})},
		{"/export/networkx?actor=syrian-rebels&claimedBy=poznikhir", "actorgraph-syrian-rebels-claimed-by-poznikhir.networkx.json",
			union(list(store.RelationFilter{ClaimedBy: "poznikhir", From: "syrian-rebels"}), list(store.RelationFilter{ClaimedBy: "poznikhir", To: "syrian-rebels"}))},
	} {
		if len(tc.want) == 0 {
			t.Errorf("%s: the store selects nothing: not a test", tc.path)
		}
		checkEdges(t, srv, tc.path, tc.file, tc.want)
	}
	for path, field := range map[string]string{"/export/json?claimedBy=Atlantis": "claimedBy", "/export/json?place=atlantis": "place"} {
		if resp, body := get(t, srv, http.MethodGet, path); resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), `"field":"`+field+`"`) {
			t.Errorf("%s: %d %s", path, resp.StatusCode, body)
		}
	}
}

// TestHTTPFullRelationFilter: every other parameter of the API's relation
// filter (review, cameoRoot, plover, minConfidence, source, event,
// fromKinds, toKinds) selects, for the whole graph and within a
// neighbourhood, what the store's relation filter selects — each a proper,
// non-empty part of the graph — names the file, and refuses a bad value or
// an id nobody has with the parameter as the field.
func TestHTTPFullRelationFilter(t *testing.T) {
	// The seed with every third relation moved to a second copy of the
	// story and left PROPOSED, so source and review select a part.
	g, err := seed.Graph()
	if err != nil {
		t.Fatal(err)
	}
	second := g.Sources[0]
	second.ID, second.URL, second.Title = "second-copy", "https://example.org/second-copy", second.Title+" (reprint)"
	g.Sources = append(g.Sources, second)
	for i := range g.Relations {
		if i%3 == 0 {
			g.Relations[i].SourceID = second.ID
			g.Relations[i].Provenance.Review = kg.ReviewProposed
		}
	}
	s := testenv.Bolt(t, boltstore.Options{})
	if err := s.Load(ctx(), g); err != nil {
		t.Fatal(err)
	}
	srv := newTestServer(t, s)
	list := func(f store.RelationFilter) map[string]bool { return relationIDs(t, s, f) }
	all := list(store.RelationFilter{})
	// Values taken from the stored graph, so the test follows the seed.
	page, err := s.ListRelations(ctx(), store.RelationFilter{}, store.Order{Field: store.SortID}, store.Page{First: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	source, event := second.ID, ""
	for _, r := range page.Items {
		if event == "" && r.EventID != "" {
			event = r.EventID
		}
	}
	if event == "" {
		t.Fatal("the seed has no relation with an event")
	}
	const center = "russia"
	for _, tc := range []struct {
		query, slug string
		f           store.RelationFilter
	}{
		{"review=proposed", "proposed", store.RelationFilter{Review: kg.ReviewProposed}},
		{"cameoRoot=11", "cameo11", store.RelationFilter{CAMEORoot: "11"}},
		{"plover=accuse", "accuse", store.RelationFilter{PLOVER: "ACCUSE"}},
		{"minConfidence=0.9", "conf0.9", store.RelationFilter{MinConfidence: 0.9}},
		{"source=" + source, "source-" + source, store.RelationFilter{Source: source}},
		{"event=" + event, "event-" + event, store.RelationFilter{Event: event}},
		{"fromKinds=state&toKinds=STATE,GOVERNMENT", "from-state-to-state-to-government",
			store.RelationFilter{FromKinds: []kg.ActorKind{kg.KindState}, ToKinds: []kg.ActorKind{kg.KindState, kg.KindGovernment}}},
	} {
		whole := list(tc.f)
		from, to := tc.f, tc.f
		from.From, to.To = center, center
		near := union(list(from), list(to))
		if len(whole) == 0 || len(whole) == len(all) {
			t.Errorf("%s: selects %d of %d relations in the seed: not a test of the filter", tc.query, len(whole), len(all))
		}
		for _, c := range []struct {
			path, file string
			want       map[string]bool
		}{
			{"/export/networkx?" + tc.query, "actorgraph-all-" + tc.slug + ".networkx.json", whole},
			{"/export/networkx?actor=" + center + "&" + tc.query, "actorgraph-" + center + "-" + tc.slug + ".networkx.json", near},
		} {
			checkEdges(t, srv, c.path, c.file, c.want)
		}
	}
	for path, want := range map[string]struct {
		status int
		field  string
	}{
		"/export/json?review=maybe":                    {http.StatusBadRequest, "review"},
		"/export/json?cameoRoot=1":                     {http.StatusBadRequest, "cameoRoot"},
		"/export/json?cameoRoot=21":                    {http.StatusBadRequest, "cameoRoot"},
		"/export/json?plover=GOSSIP":                   {http.StatusBadRequest, "plover"},
		"/export/json?minConfidence=1.5":               {http.StatusBadRequest, "minConfidence"},
		"/export/json?minConfidence=NaN":               {http.StatusBadRequest, "minConfidence"},
		"/export/json?fromKinds=STATE,ELF":             {http.StatusBadRequest, "fromKinds"},
		"/export/json?review=PROPOSED&review=REJECTED": {http.StatusBadRequest, "review"},
		"/export/json?source=nowhere":                  {http.StatusNotFound, "source"},
		"/export/json?event=nothing":                   {http.StatusNotFound, "event"},
	} {
		if resp, body := get(t, srv, http.MethodGet, path); resp.StatusCode != want.status || !strings.Contains(string(body), `"field":"`+want.field+`"`) {
			t.Errorf("%s: %d %s, want %d with field %s", path, resp.StatusCode, body, want.status, want.field)
		}
	}
}

// checkEdges gets a networkx export and checks that its edges are exactly
// want and that it is offered as file.
func checkEdges(t *testing.T, srv *httptest.Server, path, file string, want map[string]bool) {
	t.Helper()
	resp, body := get(t, srv, http.MethodGet, path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d %s", path, resp.StatusCode, body)
	}
	got := map[string]bool{}
	for _, e := range decodeNodeLink(t, body).Edges {
		got[e.Key] = true
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: edges %v, want %v", path, got, want)
	}
	if _, params, _ := mime.ParseMediaType(resp.Header.Get("Content-Disposition")); params["filename"] != file {
		t.Errorf("%s: file %q, want %q", path, params["filename"], file)
	}
}

// relationIDs is the set of relations the store's filter selects.
func relationIDs(t *testing.T, s store.Store, f store.RelationFilter) map[string]bool {
	t.Helper()
	p, err := s.ListRelations(ctx(), f, store.Order{Field: store.SortID}, store.Page{First: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, r := range p.Items {
		out[r.ID] = true
	}
	return out
}

func union(a, b map[string]bool) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

// failing makes ListRelations fail from its failAt-th call on.
type failing struct {
	store.Store
	failAt, calls int
	err           error
}

func (f *failing) ListRelations(c context.Context, rf store.RelationFilter, o store.Order, p store.Page) (store.PageOf[kg.Relation], error) {
	f.calls++
	if f.calls >= f.failAt {
		return store.PageOf[kg.Relation]{}, f.err
	}
	return f.Store.ListRelations(c, rf, o, p)
}

func generated(t testing.TB, actors, relations int) store.Store {
	t.Helper()
	s := testenv.Bolt(t, boltstore.Options{})
	g := storetest.Generate(1, actors, relations, "gen-src")
	g.Sources = []kg.Source{{ID: "gen-src", Title: "generated", Publisher: "test", Published: "2016-09-28"}}
	const chunk = 25_000
	nodes := &kg.Graph{Sources: g.Sources, Actors: g.Actors}
	if err := s.Load(ctx(), nodes); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(g.Relations); i += chunk {
		part := &kg.Graph{Sources: g.Sources, Actors: g.Actors, Relations: g.Relations[i:min(i+chunk, len(g.Relations))]}
		if err := s.Load(ctx(), part); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func TestHTTPStoreFailure(t *testing.T) {
	// Before any output: a proper 503.
	srv := newTestServer(t, &failing{Store: seedStore(t), failAt: 1, err: fmt.Errorf("down: %w", store.ErrUnavailable)})
	resp, body := get(t, srv, http.MethodGet, "/export/graphml")
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), `"UNAVAILABLE"`) || strings.Contains(string(body), "down") {
		t.Errorf("%d %s", resp.StatusCode, body)
	}

	// After the first bytes: the connection is cut, so the client sees an
	// incomplete body rather than a short file that looks whole.
	srv = newTestServer(t, &failing{Store: generated(t, 100, 1200), failAt: 2, err: fmt.Errorf("boom")})
	r, err := srv.Client().Get(srv.URL + "/export/csv-edges")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	n, err := io.Copy(io.Discard, r.Body)
	if r.StatusCode != http.StatusOK || err == nil {
		t.Errorf("mid-stream failure: status %d, read %d bytes, err %v", r.StatusCode, n, err)
	}
}

// discard is a ResponseWriter that counts and drops the body.
type discard struct {
	h      http.Header
	status int
	n      int64
	onW    func()
}

func (d *discard) Header() http.Header { return d.h }
func (d *discard) WriteHeader(s int)   { d.status = s }
func (d *discard) Write(p []byte) (int, error) {
	d.n += int64(len(p))
	d.onW()
	return len(p), nil
}

// TestStreamingMemory exports 50,000 relations and checks the heap grows
// by far less than the output: the export is streamed, not built.
func TestStreamingMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	start := time.Now()
	s := generated(t, 2_000, 50_000)
	t.Logf("loaded 50,000 relations in %v", time.Since(start).Round(time.Millisecond))
	h := Handler(s)

	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	heap := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	// Collect often, so the heap's size tracks what is live, not garbage.
	defer debug.SetGCPercent(debug.SetGCPercent(25))
	// One export's peak: on a busy machine the collector can lag behind a
	// single run, so each format gets up to three runs and the smallest
	// growth counts (a built export would grow every time).
	run := func(f Format) (grew, n int64) {
		runtime.GC()
		base := heap()
		var peak uint64
		w := &discard{h: http.Header{}}
		w.onW = func() { peak = max(peak, heap()) }
		t0 := time.Now()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/export/"+string(f), nil))
		if w.status != http.StatusOK {
			t.Fatalf("%s: status %d", f, w.status)
		}
		grew = int64(peak) - int64(base)
		t.Logf("%s: %.1f MB out in %v; heap %.1f MB at rest, peak +%.1f MB",
			f, float64(w.n)/1e6, time.Since(t0).Round(time.Millisecond), float64(base)/1e6, float64(grew)/1e6)
		return grew, w.n
	}
	streamed := func(grew, n int64) bool { return !(n < 10e6 || grew > 16<<20 || (n > 40e6 && grew > n/4)) }
	for _, f := range []Format{NetworkX, CSVEdges, JSON} {
		grew, n := run(f)
		for try := 1; try < 3 && !streamed(grew, n); try++ {
			g, _ := run(f)
			grew = min(grew, g)
		}
		w := struct{ n int64 }{n}
		// Holding the 50,000 relations alone would take some 35 MB.
		if !streamed(grew, w.n) {
			t.Errorf("%s: the heap grew by %d bytes for %d bytes of output: not streamed", f, grew, w.n)
		}
	}
}
