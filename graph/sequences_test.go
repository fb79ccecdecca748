package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/boltstore"
	"github.com/actorgraph/actorgraph/internal/store/storetest"
	"github.com/actorgraph/actorgraph/internal/testenv"
)

// The randomized operation sequences of storetest (issue 11), run through
// the API: each step is a GraphQL mutation sent to the HTTP handler (or,
// for imports, POST /import, which the handler mounts), while two readers
// query relations and actor cards through the same handler. After every
// step storetest.CheckGraph holds over the whole stored graph; a refused
// step is a GraphQL error with a code of its own (BAD_USER_INPUT with the
// field, NOT_FOUND, CONFLICT); a read never fails with
// INTERNAL_SERVER_ERROR, never lacks a code and never has a null where the
// schema says non-null (gqlgen would report that as an error). On the
// embedded store, which answers each request from one transaction, a read
// has no error at all and every totalCount equals the nodes of its page.
//
// Budgets: 100 seeds on the embedded store, 4 on Neo4j (about a minute on
// two busy cores); ACTORGRAPH_SEQS=N
// runs N of each. A failure prints the seed and the shortest failing
// sequence (storetest.RunSeeds).

// TestAPISequencesEmbedded runs the sequences on real on-disk bbolt
// stores, a fresh one per sequence.
func TestAPISequencesEmbedded(t *testing.T) {
	fresh := func() (store.Store, func()) {
		s, err := boltstore.Open(t.TempDir(), boltstore.Options{NoSync: true})
		if err != nil {
			t.Fatal(err)
		}
		return s, func() { s.Close(context.Background()) }
	}
	runAPISequences(t, fresh, true, storetest.SeqBudget(100))
}

// TestAPISequencesNeo4j runs them on the Neo4j at NEO4J_URI, wiped before
// each sequence.
func TestAPISequencesNeo4j(t *testing.T) {
	s := testenv.Neo4j(t, nil)
	fresh := func() (store.Store, func()) {
		if err := s.Wipe(context.Background()); err != nil {
			t.Fatal(err)
		}
		return s, func() {}
	}
	runAPISequences(t, fresh, false, storetest.SeqBudget(4))
}

// apiTally counts, over a run, each step kind's answers by code ("ok" for
// data) and the readers' answers, so the run shows what it exercised.
type apiTally struct {
	mu     sync.Mutex
	steps  map[storetest.StepKind]map[string]int
	reads  map[string]int
	seen   map[string]string // a message of each read error code
	nodes  int               // relations the readers saw
	counts int               // totalCount == nodes comparisons made
}

func (a *apiTally) step(k storetest.StepKind, outcome string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.steps[k] == nil {
		a.steps[k] = map[string]int{}
	}
	a.steps[k][outcome]++
}

func (a *apiTally) read(outcome, msg string, nodes, counts int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.reads[outcome]++
	if _, ok := a.seen[outcome]; !ok && outcome != "ok" {
		a.seen[outcome] = msg
	}
	a.nodes += nodes
	a.counts += counts
}

// runAPISequences runs n seeds through the API on stores from fresh
// (the store and its closing); snapshot: the store reads one transaction
// per request.
func runAPISequences(t *testing.T, fresh func() (store.Store, func()), snapshot bool, n int) {
	// The sequences' ingest steps use the dictionary coder, as the store
	// driver's do (the parse coder would be one CoreNLP call per step);
	// ingest.DefaultCoder reads CORENLP_URL once per process, and no other
	// test of this package ingests.
	t.Setenv("CORENLP_URL", "")
	tally := &apiTally{steps: map[storetest.StepKind]map[string]int{}, reads: map[string]int{}, seen: map[string]string{}}
	storetest.RunSeeds(t, n, func(steps []storetest.Step) (string, int) {
		return runAPISequence(t, fresh, snapshot, steps, tally)
	})
	t.Logf("steps by kind and answer: %s", formatTally(tally.steps))
	t.Logf("reads by answer: %v (e.g. %q); %d relations read, %d totalCount checks", tally.reads, tally.seen, tally.nodes, tally.counts)
	if n < 8 {
		return // too few sequences to make every kind succeed
	}
	for _, k := range storetest.StepKinds {
		if tally.steps[k]["ok"] == 0 {
			t.Errorf("no %s step succeeded through the API in %d sequences: the driver no longer writes", k, n)
		}
	}
	if tally.nodes == 0 || snapshot && tally.counts == 0 {
		t.Errorf("the readers saw %d relations and made %d count checks: they no longer read what the steps write", tally.nodes, tally.counts)
	}
}

func formatTally(m map[storetest.StepKind]map[string]int) string {
	var parts []string
	for _, k := range storetest.StepKinds {
		parts = append(parts, fmt.Sprintf("%s %v", k, m[k]))
	}
	return strings.Join(parts, "; ")
}

// lockedBuffer is the server's log, written by its handlers.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// runAPISequence runs steps through a new server on a fresh store; it
// returns the first failure ("" for none) and how many steps ran.
func runAPISequence(t *testing.T, fresh func() (store.Store, func()), snapshot bool, steps []storetest.Step, tally *apiTally) (msg string, ran int) {
	s, closeStore := fresh()
	defer closeStore()
	if err := s.Load(context.Background(), &kg.Graph{Sources: storetest.Fixture().Sources}); err != nil {
		t.Fatal(err)
	}
	var logs lockedBuffer
	srv, readKey, writeKey := newKeyedServer(t, s, slog.New(slog.NewTextHandler(&logs, nil)))
	defer srv.Close()
	// withLog adds what the server logged (the error behind an internal
	// answer) to a failure.
	withLog := func(m string) string {
		if l := logs.String(); l != "" {
			m += "\nserver log:\n" + l
		}
		return m
	}

	var stop atomic.Bool
	var readerErr atomic.Value
	var wg sync.WaitGroup
	for r := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(r), 7))
			for !stop.Load() {
				if m := readAPI(srv.URL, readKey, rng, snapshot, tally); m != "" {
					readerErr.CompareAndSwap(nil, m)
					return
				}
			}
		}()
	}
	defer func() { stop.Store(true); wg.Wait() }()

	for i, st := range steps {
		outcome, m := applyAPI(srv.URL, writeKey, st)
		tally.step(st.Kind, outcome)
		if m != "" {
			return withLog(fmt.Sprintf("step %d %s: %s", i, st, m)), i + 1
		}
		if m := storetest.CheckGraph(s); m != "" {
			return fmt.Sprintf("after step %d %s: %s", i, st, m), i + 1
		}
		if m, _ := readerErr.Load().(string); m != "" {
			return withLog(fmt.Sprintf("reader during step %d %s: %s", i, st, m)), i + 1
		}
	}
	// The readers' last answers count too.
	stop.Store(true)
	wg.Wait()
	if m, _ := readerErr.Load().(string); m != "" {
		return withLog("reader after the last step: " + m), len(steps)
	}
	return "", len(steps)
}

// Mutations of the steps, each with its arguments as variables.
const (
	mPutActor       = `mutation($in: ActorInput!) { putActor(input: $in) { id } }`
	mAddAliases     = `mutation($actor: ID!, $aliases: [String!]!) { addAliases(actor: $actor, aliases: $aliases) { id aliases } }`
	mAddRelation    = `mutation($in: RelationInput!) { addRelation(input: $in) { id from { id } to { id } } }`
	mDeleteRelation = `mutation($id: ID!) { deleteRelation(id: $id, reason: "seq") { id } }`
	mDeleteActor    = `mutation($id: ID!) { deleteActor(id: $id, reason: "seq") { id } }`
	mMerge          = `mutation($s: ID!, $m: ID!) { mergeActors(survivor: $s, merged: $m) { id moved keptAside } }`
	mUnmerge        = `mutation($id: ID!) { unmergeActors(merge: $id) { id undone } }`
	mReview         = `mutation($id: ID!, $status: Review!) { reviewRelation(relation: $id, status: $status) { id provenance { review } } }`
	mIngest         = `mutation($text: String!, $day: String!) { ingestArticle(text: $text, title: "Sequence", publisher: "Seq Press", publishedAt: $day) { source { id } relations { id } newActors { id } } }`
)

// refusals are the codes a step may be refused with.
var refusals = []string{"BAD_USER_INPUT", "NOT_FOUND", "CONFLICT"}

// applyAPI runs one step through the API. outcome is "ok" or the refusal's
// code; msg is a failure ("" for none).
func applyAPI(url, key string, st storetest.Step) (outcome, msg string) {
	var q string
	var vars map[string]any
	switch st.Kind {
	case storetest.StepImport:
		return importAPI(url, key, st)
	case storetest.StepPutActor:
		q, vars = mPutActor, map[string]any{"in": map[string]any{"id": st.Actor, "name": strings.ToUpper(st.Actor), "kind": st.ActorKind}}
	case storetest.StepAddAliases:
		q, vars = mAddAliases, map[string]any{"actor": st.Actor, "aliases": []string{st.Alias}}
	case storetest.StepAddRelation:
		q, vars = mAddRelation, map[string]any{"in": relationVars(st.Relation)}
	case storetest.StepDeleteRelation:
		q, vars = mDeleteRelation, map[string]any{"id": st.RelationID}
	case storetest.StepDeleteActor:
		q, vars = mDeleteActor, map[string]any{"id": st.Actor}
	case storetest.StepMerge:
		q, vars = mMerge, map[string]any{"s": st.Actor, "m": st.Merged}
	case storetest.StepUnmerge:
		q, vars = mUnmerge, map[string]any{"id": store.MergeID(st.Actor, st.Merged)}
	case storetest.StepReview:
		q, vars = mReview, map[string]any{"id": st.RelationID, "status": st.Review}
	case storetest.StepIngest:
		q, vars = mIngest, map[string]any{"text": st.Text, "day": st.Published.Format("2006-01-02")}
	default:
		return "", "unknown step kind " + string(st.Kind)
	}
	r := postVars(url, key, q, vars)
	if len(r.Errors) == 0 {
		for _, v := range r.Data {
			if string(v) == "null" {
				return "", "no error and no data"
			}
		}
		if len(r.Data) == 0 {
			return "", "no error and no data"
		}
		return "ok", ""
	}
	if len(r.Errors) > 1 {
		return "", fmt.Sprintf("%d errors for one mutation: %+v", len(r.Errors), r.Errors)
	}
	e := r.Errors[0]
	c, _ := e.Extensions["code"].(string)
	if !slices.Contains(refusals, c) {
		return "", fmt.Sprintf("refused with code %q (want one of %v): %s", c, refusals, e.Message)
	}
	if f, _ := e.Extensions["field"].(string); c == "BAD_USER_INPUT" && f == "" {
		return "", fmt.Sprintf("BAD_USER_INPUT without a field: %s", e.Message)
	}
	return c, ""
}

// relationVars is a RelationInput of r (a relation the sequences make:
// asserted, quoting the fixture source).
func relationVars(r kg.Relation) map[string]any {
	date := func(d kg.Date) map[string]any { return map[string]any{"date": d.Date, "precision": d.Precision} }
	in := map[string]any{"id": r.ID, "type": r.Type, "from": r.From, "to": r.To, "attribution": r.Attribution,
		"status": r.Status, "occurred": date(r.Occurred), "reported": date(r.Reported), "source": r.SourceID,
		"confidence": r.Provenance.Confidence}
	var ev []map[string]any
	for _, e := range r.Evidence {
		ev = append(ev, map[string]any{"quote": e.Quote, "start": e.Start, "end": e.End})
	}
	in["evidence"] = ev
	for k, v := range map[string]string{"role": r.Role, "denies": r.Denies, "alleges": r.Alleges, "claimedBy": r.ClaimedBy, "condition": r.Condition} {
		if v != "" {
			in[k] = v
		}
	}
	return in
}

// importAPI posts the step's CSV to POST /import. 200: rows written (and
// some maybe skipped); 400: a strict file refused whole, or a plain one
// whose every row was skipped. Anything else fails.
func importAPI(url, key string, st storetest.Step) (outcome, msg string) {
	u := url + "/import?format=csv&seed=false"
	if st.Strict {
		u += "&strict=true"
	}
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(st.CSV))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "text/csv")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", "import: " + err.Error()
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	body := string(b)
	var read, imported, skipped, bad int
	if _, err := fmt.Sscanf(body, "import csv: %d rows read, %d imported, %d skipped (%d malformed)", &read, &imported, &skipped, &bad); err != nil {
		return "", fmt.Sprintf("import: status %d, no summary: %q", res.StatusCode, body)
	}
	switch {
	case res.StatusCode == http.StatusOK && imported > 0:
		storetest.NoteImport(imported, skipped, false)
		return "ok", ""
	case res.StatusCode == http.StatusBadRequest && st.Strict && strings.Contains(body, "--strict: nothing imported"):
		storetest.NoteImport(0, 0, true)
		return "strict refused", ""
	case res.StatusCode == http.StatusBadRequest && !st.Strict && imported == 0 && strings.Contains(body, "no row was valid"):
		storetest.NoteImport(0, skipped, false)
		return "all skipped", ""
	}
	return "", fmt.Sprintf("import: status %d: %q", res.StatusCode, body)
}

// Reader queries: every relation with its ends, and an actor card.
const (
	qRelations = `{ relations(first: 100) { totalCount nodes { id type from { id name } to { __typename ... on Actor { id } ... on Place { id } }
		source { id } claimedBy { id } denies { id from { id } } provenance { review } } } }`
	qCard = `query($id: ID!) { actor(id: $id) { id name kind aliases
		outgoing(first: 50, filter: {rollUp: false}) { totalCount nodes { id type to { __typename ... on Actor { id } ... on Place { id } } } }
		incoming(first: 50, filter: {rollUp: false}) { totalCount nodes { id type from { id } } }
		sub: incoming(first: 50) { totalCount nodes { id from { id } } } } }`
)

type readConn struct {
	TotalCount int
	Nodes      []map[string]any
	first      int // the page size asked
}

// readAPI sends one reader query and checks the answer; "" when it holds.
func readAPI(url, key string, rng *rand.Rand, snapshot bool, tally *apiTally) string {
	var conns []readConn
	var r gqlResult
	if rng.IntN(2) == 0 {
		r = post1(url, key, qRelations)
		var d struct{ Relations *readConn }
		if len(r.Errors) == 0 {
			if err := json.Unmarshal(mustJSON(r.Data), &d); err != nil || d.Relations == nil {
				return fmt.Sprintf("relations: no data (%v): %v", err, r.Data)
			}
			d.Relations.first = 100
			conns = append(conns, *d.Relations)
		}
	} else {
		id := fmt.Sprintf("a%d", rng.IntN(6))
		r = postVars(url, key, qCard, map[string]any{"id": id})
		var d struct {
			Actor *struct {
				ID                 string
				Outgoing, Incoming readConn
				Sub                readConn
			}
		}
		if len(r.Errors) == 0 {
			if err := json.Unmarshal(mustJSON(r.Data), &d); err != nil {
				return fmt.Sprintf("actor card: %v: %v", err, r.Data)
			}
			if d.Actor != nil { // null: no such actor (now)
				if d.Actor.ID != id {
					return fmt.Sprintf("actor(id: %q) answered %q", id, d.Actor.ID)
				}
				for _, c := range []readConn{d.Actor.Outgoing, d.Actor.Incoming, d.Actor.Sub} {
					c.first = 50
					conns = append(conns, c)
				}
			}
		}
	}
	for _, e := range r.Errors {
		c, _ := e.Extensions["code"].(string)
		tally.read(c, e.Message, 0, 0)
		switch {
		case c == "" || c == "INTERNAL_SERVER_ERROR" || c == "TRANSPORT":
			return fmt.Sprintf("read error with code %q: %s", c, e.Message)
		case strings.Contains(e.Message, "null"):
			return fmt.Sprintf("read error (%s): %s", c, e.Message)
		case snapshot:
			return fmt.Sprintf("read error on a store that reads one snapshot (%s): %s", c, e.Message)
		}
	}
	if len(r.Errors) > 0 {
		return ""
	}
	nodes, counts := 0, 0
	for _, c := range conns {
		nodes += len(c.Nodes)
		if snapshot && c.TotalCount <= c.first {
			counts++
			if c.TotalCount != len(c.Nodes) {
				return fmt.Sprintf("totalCount %d != %d nodes in one request", c.TotalCount, len(c.Nodes))
			}
		}
	}
	tally.read("ok", "", nodes, counts)
	return ""
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
