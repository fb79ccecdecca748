package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/storetest"
)

// These tests cover what the conformance suite (TestConformance) does not:
// connection schemes, statement counts, Neo4j-specific Load behaviour,
// errors and ordering details.

func testURI(t *testing.T) string {
	t.Helper()
	uri := os.Getenv("NEO4J_URI")
	if uri == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("NEO4J_URI is not set (required when CI=true)")
		}
		t.Skip("NEO4J_URI not set; start Neo4j with neo4j-launcher/neo4jctl start")
	}
	return uri
}

func open(t *testing.T, uri string, logger *runCounter) *Store {
	t.Helper()
	opts := Options{URI: uri, User: os.Getenv("NEO4J_USER"), Password: os.Getenv("NEO4J_PASSWORD"),
		TxTimeout: time.Minute, ConnectTimeout: time.Minute}
	if logger != nil {
		opts.BoltLogger = logger
	}
	start := time.Now()
	s, err := Open(context.Background(), opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Logf("Open %s: %v", uri, time.Since(start))
	t.Cleanup(func() { s.Close(context.Background()) })
	return s
}

// testStore opens a store on NEO4J_URI and wipes it.
var byName = store.Order{Field: store.SortName}

func testStore(t *testing.T) *Store {
	t.Helper()
	s := open(t, testURI(t), nil)
	if err := s.Wipe(context.Background()); err != nil {
		t.Fatalf("Wipe: %v", err)
	}
	return s
}

// runCounter is a BoltLogger counting the RUN messages the driver sends.
type runCounter struct {
	mu   sync.Mutex
	runs int
	all  []string
}

func (c *runCounter) LogClientMessage(_ string, msg string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if strings.HasPrefix(msg, "RUN") {
		c.runs++
	}
	c.all = append(c.all, strings.Fields(msg)[0])
}

func (c *runCounter) LogServerMessage(string, string, ...any) {}

func (c *runCounter) reset() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.runs
	c.runs, c.all = 0, nil
	return n
}

func ids(rs []kg.Relation) []string {
	out := []string{}
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

func eq(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %#v\nwant %#v", what, got, want)
	}
}

func TestConnectSchemes(t *testing.T) {
	uri := testURI(t)
	_, rest, ok := strings.Cut(uri, "://")
	if !ok {
		t.Fatalf("NEO4J_URI %q has no scheme", uri)
	}
	for _, scheme := range []string{"bolt", "neo4j"} {
		t.Run(scheme, func(t *testing.T) {
			s := open(t, scheme+"://"+rest, nil)
			ctx := context.Background()
			if err := s.Ping(ctx); err != nil {
				t.Fatalf("Ping: %v", err)
			}
			if _, err := s.Stats(ctx); err != nil {
				t.Fatalf("Stats: %v", err)
			}
			if _, err := s.ListActors(ctx, store.ActorFilter{}, byName, store.Page{First: 1}); err != nil {
				t.Fatalf("ListActors: %v", err)
			}
		})
	}
}

func TestStatementCount(t *testing.T) {
	uri := testURI(t)
	counter := &runCounter{}
	s := open(t, uri, counter)
	ctx := context.Background()
	if err := s.Wipe(ctx); err != nil {
		t.Fatal(err)
	}
	g := storetest.Fixture()
	for i := 0; i < 1000; i++ {
		r := g.Relations[0]
		r.ID, r.Alleges = fmt.Sprintf("hub-%04d", i), ""
		g.Relations = append(g.Relations, r)
	}
	var actorIDs []string
	for i := 0; i < 49; i++ {
		id := fmt.Sprintf("extra-%02d", i)
		g.Actors = append(g.Actors, kg.Actor{ID: id, Name: id, Kind: kg.KindOther})
		g.Relations = append(g.Relations, kg.Relation{ID: "x-" + id, Type: kg.Backs, From: id, To: "freedonia",
			Attribution: kg.Asserted, Status: kg.Actual, SourceID: "src"})
		actorIDs = append(actorIDs, id)
	}
	actorIDs = append(actorIDs, "freedonia")
	if err := s.Load(ctx, g); err != nil {
		t.Fatal(err)
	}
	counter.reset()

	for _, rollUp := range []bool{false, true} {
		f := store.RelationFilter{RollUp: rollUp}
		one, err := s.RelationsOf(ctx, []string{"freedonia"}, store.Both, f, byID, store.Page{First: 10})
		if err != nil {
			t.Fatal(err)
		}
		runsOne := counter.reset()
		fifty, err := s.RelationsOf(ctx, actorIDs, store.Both, f, byID, store.Page{First: 10})
		if err != nil {
			t.Fatal(err)
		}
		runsFifty := counter.reset()
		if runsOne != 1 || runsFifty != 1 {
			t.Errorf("rollUp=%v: RelationsOf sent %d RUN for 1 id and %d for 50 ids, want 1 and 1", rollUp, runsOne, runsFifty)
		}
		eq(t, "hub page", len(one["freedonia"].Items), 10)
		eq(t, "hub page in the batch", ids(fifty["freedonia"].Items), ids(one["freedonia"].Items))
		eq(t, "keys", len(fifty), 50)
		eq(t, "small node", ids(fifty["extra-07"].Items), []string{"x-extra-07"})
	}

	// Every other read: one statement, whatever the number of ids.
	relIDs := []string{"r-accuse"}
	for i := 0; i < 50; i++ {
		relIDs = append(relIDs, fmt.Sprintf("hub-%04d", i))
	}
	calls := map[string]func() error{
		"Relations": func() error { _, err := s.Relations(ctx, relIDs); return err },
		"Linked":    func() error { _, err := s.Linked(ctx, relIDs, store.LinkAlleges); return err },
		"RelationsOfEvents": func() error {
			_, err := s.RelationsOfEvents(ctx, []string{"ev-attack", "ev-talks"}, store.Page{})
			return err
		},
		"Actors": func() error { _, err := s.Actors(ctx, actorIDs); return err },
		"ListRelations": func() error {
			_, err := s.ListRelations(ctx, store.RelationFilter{From: "ruritania", RollUp: true}, byID, store.Page{})
			return err
		},
		"ListActors": func() error {
			_, err := s.ListActors(ctx, store.ActorFilter{NameContains: "x"}, byName, store.Page{})
			return err
		},
		"ActorByName": func() error { _, err := s.ActorByName(ctx, "Freedonia"); return err },
		"Stats":       func() error { _, err := s.Stats(ctx); return err },
		"Ping":        func() error { return s.Ping(ctx) },
	}
	for name, call := range calls {
		if err := call(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if n := counter.reset(); n != 1 {
			t.Errorf("%s sent %d RUN messages, want 1", name, n)
		}
	}
	hub, err := s.ListRelations(ctx, store.RelationFilter{From: "freedonia"}, byID, store.Page{First: 10})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "hub list limit", len(hub.Items), 10)
}

// TestLoad covers Load semantics beyond the suite: replacement of a relation
// whose type or ends change, atomic refusal of dangling relations, and a
// reload keeping counts.
func TestLoad(t *testing.T) {
	s := testStore(t)
	ctx := context.Background()
	g := storetest.Fixture()
	if err := s.Load(ctx, g); err != nil {
		t.Fatal(err)
	}
	before, _ := s.Stats(ctx)

	// Same id, other type and other end: replaced, not duplicated.
	g2 := storetest.Fixture()
	g2.Relations[3].Type, g2.Relations[3].To = kg.Criticizes, "army"
	if err := s.Load(ctx, g2); err != nil {
		t.Fatal(err)
	}
	after, _ := s.Stats(ctx)
	eq(t, "stats after replacement", after, before)
	m, _ := s.Relations(ctx, []string{"r-threat"})
	eq(t, "replaced relation", m["r-threat"], g2.Relations[3])

	// A property cleared in the new version is gone.
	g3 := storetest.Fixture()
	g3.Relations[3].Condition, g3.Relations[3].Goldstein, g3.Relations[3].Evidence = "", nil, nil
	if err := s.Load(ctx, g3); err != nil {
		t.Fatal(err)
	}
	m, _ = s.Relations(ctx, []string{"r-threat"})
	eq(t, "cleared properties", m["r-threat"], g3.Relations[3])
	before, _ = s.Stats(ctx)

	// A relation to an actor that exists nowhere: refused, nothing written.
	bad := &kg.Graph{
		Actors: []kg.Actor{{ID: "newcomer", Name: "Newcomer", Kind: kg.KindOther}},
		Relations: []kg.Relation{
			{ID: "ok", Type: kg.Backs, From: "newcomer", To: "ruritania", Attribution: kg.Asserted, Status: kg.Actual},
			{ID: "dangling", Type: kg.Backs, From: "newcomer", To: "nobody", Attribution: kg.Asserted, Status: kg.Actual},
		},
	}
	err := s.Load(ctx, bad)
	if !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("Load with a dangling relation: %v, want ErrInvalid", err)
	}
	final, _ := s.Stats(ctx)
	eq(t, "stats after refused load", final, before)
	if as, _ := s.Actors(ctx, []string{"newcomer"}); len(as) != 0 {
		t.Errorf("refused load left actor newcomer")
	}
	if err := s.Load(ctx, nil); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("Load(nil) = %v, want ErrInvalid", err)
	}
}

// TestSemantics: ordering by code point, hierarchy cycles, BOTH within the
// set, clamped limits, invalid inputs.
func TestSemantics(t *testing.T) {
	s := testStore(t)
	ctx := context.Background()
	rel := func(id string, typ kg.RelationType, from, to string) kg.Relation {
		return kg.Relation{ID: id, Type: typ, From: from, To: to, Attribution: kg.Asserted, Status: kg.Actual, SourceID: "s"}
	}
	g := &kg.Graph{
		Actors: []kg.Actor{
			// Names differ beyond the BMP and in case/space: Go byte order
			// equals code point order; UTF-16 order would differ for "\uff5e"
			// vs "\U0001F600".
			{ID: "p", Name: "Zeta \U0001F600", Kind: kg.KindOther},
			{ID: "q", Name: "zeta  \uff5e", Kind: kg.KindOther},
			{ID: "b", Name: "Alpha", Kind: kg.KindOther, Aliases: []string{"Top"}},
			{ID: "a", Name: "ALPHA", Kind: kg.KindOther},
			{ID: "c", Name: "Child", Kind: kg.KindOther},
		},
		Relations: []kg.Relation{
			rel("\U0001F600-rel", kg.Backs, "p", "q"),
			rel("\uff5e-rel", kg.Backs, "q", "p"),
			// A hierarchy cycle: b -> c -> b.
			rel("h1", kg.PartOf, "c", "b"),
		},
	}
	g.Sources = []kg.Source{{ID: "s", Title: "S", Publisher: "P", Published: "2020-01-01"}}
	if err := s.Load(ctx, g); err != nil {
		t.Fatal(err)
	}
	// Writes refuse a cycle and a self-loop (kg.CheckStored); a database
	// written before they did may hold them, so reads must still end:
	// they go in past the check.
	legacy := []kg.Relation{rel("h2", kg.PartOf, "b", "c"), rel("self", kg.Criticizes, "b", "b")}
	if err := s.writeTx(ctx, "legacy", func(tx neo4j.ManagedTransaction) error { return putRelations(ctx, tx, legacy) }); err != nil {
		t.Fatal(err)
	}
	asp, err := s.ListActors(ctx, store.ActorFilter{}, byName, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range asp.Items {
		got = append(got, a.ID)
	}
	eq(t, "actors by (folded name, id)", got, []string{"a", "b", "c", "q", "p"})
	rs, _ := s.ListRelations(ctx, store.RelationFilter{}, byID, store.Page{})
	eq(t, "relations by code point", ids(rs.Items), []string{"h1", "h2", "self", "\uff5e-rel", "\U0001F600-rel"})
	a, err := s.ActorByName(ctx, "alpha")
	if err != nil || a.ID != "a" {
		t.Errorf("ActorByName(alpha) = %v, %v; want the smallest id a", a.ID, err)
	}
	if _, err := s.ActorByName(ctx, "   "); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("ActorByName(blank) = %v, want ErrNotFound", err)
	}
	byRel, err := s.RelationsOf(ctx, []string{"b"}, store.Both, store.RelationFilter{RollUp: true}, byID, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "BOTH over a cyclic hierarchy, each relation once", ids(byRel["b"].Items), []string{"h1", "h2", "self"})
	byRel, _ = s.RelationsOf(ctx, []string{"b"}, store.Out, store.RelationFilter{RollUp: true}, byID, store.Page{})
	eq(t, "OUT over a cyclic hierarchy", ids(byRel["b"].Items), []string{"h1", "h2", "self"})
	rs, _ = s.ListRelations(ctx, store.RelationFilter{From: "b", To: "b", RollUp: true}, byID, store.Page{})
	eq(t, "from and to the same rolled-up set", ids(rs.Items), []string{"h1", "h2", "self"})
	rs, _ = s.ListRelations(ctx, store.RelationFilter{}, byID, store.Page{First: -5})
	eq(t, "negative limit means MaxLimit", len(rs.Items), 5)

	for _, sh := range []store.RelationFilter{{}, {From: "b"}, {To: "b"}, {Event: "e"}} {
		sh.Types = []kg.RelationType{"X]->() DETACH DELETE r //"}
		rs, err := s.ListRelations(ctx, sh, byID, store.Page{})
		if err != nil || len(rs.Items) != 0 {
			t.Errorf("unknown type filter %+v: %v, %v; want nothing", sh, ids(rs.Items), err)
		}
	}
	if st, _ := s.Stats(ctx); st.Relations != 5 {
		t.Errorf("relations after hostile filters: %d", st.Relations)
	}
	if _, err := s.RelationsOf(ctx, []string{"b"}, "SIDEWAYS", store.RelationFilter{}, byID, store.Page{}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("invalid direction: %v, want ErrInvalid", err)
	}
	if _, err := s.Linked(ctx, []string{"h1"}, "likes"); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("invalid link: %v, want ErrInvalid", err)
	}
	empty, err := s.Relations(ctx, nil)
	if err != nil || len(empty) != 0 {
		t.Errorf("Relations(nil) = %v, %v", empty, err)
	}
}

// TestErrors: an unreachable server is ErrUnavailable, a timed-out context
// too, and no error text carries Cypher.
func TestErrors(t *testing.T) {
	ctx := context.Background()
	_, err := Open(ctx, Options{URI: "bolt://127.0.0.1:1", ConnectTimeout: 500 * time.Millisecond})
	if !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("Open on a closed port: %v, want ErrUnavailable", err)
	}
	if _, err := Open(ctx, Options{URI: "http://[::1", ConnectTimeout: time.Second}); err == nil {
		t.Error("Open with a bad URI succeeded")
	}

	s := testStore(t)
	tctx, cancel := context.WithTimeout(ctx, time.Nanosecond)
	defer cancel()
	time.Sleep(time.Millisecond)
	if _, err := s.Stats(tctx); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("Stats with an expired context: %v, want ErrUnavailable", err)
	}

	// A server-side failure: the message names the operation and code only.
	_, err = s.read(ctx, "probe", "RETURN 1 +* $secret", map[string]any{"secret": "hunter2"})
	if err == nil {
		t.Fatal("bad statement succeeded")
	}
	for _, leak := range []string{"RETURN", "secret", "hunter2"} {
		if strings.Contains(err.Error(), leak) {
			t.Errorf("error %q leaks %q", err, leak)
		}
	}
	if !strings.Contains(err.Error(), "Neo.ClientError.Statement.SyntaxError") {
		t.Errorf("error %q does not name the status code", err)
	}

	// A closed store is unavailable.
	c := open(t, testURI(t), nil)
	c.Close(ctx)
	if err := c.Ping(ctx); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("Ping after Close: %v, want ErrUnavailable", err)
	}
}

// TestTxTimeout: the server enforces Options.TxTimeout.
func TestTxTimeout(t *testing.T) {
	uri := testURI(t)
	s, err := Open(context.Background(), Options{URI: uri, User: os.Getenv("NEO4J_USER"),
		Password: os.Getenv("NEO4J_PASSWORD"), TxTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(context.Background())
	start := time.Now()
	// A statement that runs for seconds without the timeout.
	_, err = s.read(context.Background(), "slow", "UNWIND range(1, 100000000) AS x WITH x WHERE x < 0 RETURN count(x)", nil)
	if !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("slow statement under a 200ms tx timeout: %v, want ErrUnavailable", err)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("timeout took %v", d)
	}
}
