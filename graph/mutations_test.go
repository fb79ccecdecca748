package graph_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/actorgraph/actorgraph/internal/auth"
	"github.com/actorgraph/actorgraph/internal/server"
	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/boltstore"
	"github.com/actorgraph/actorgraph/internal/testenv"
)

// keyedServer serves s with a read key and a write key.
func keyedServer(t *testing.T, s store.Store) (url, readKey, writeKey string) {
	t.Helper()
	srv, readKey, writeKey := newKeyedServer(t, s, slog.New(slog.DiscardHandler))
	t.Cleanup(srv.Close)
	return srv.URL, readKey, writeKey
}

// newKeyedServer is keyedServer for a caller that closes the server itself
// and reads its log.
func newKeyedServer(t *testing.T, s store.Store, log *slog.Logger) (srv *httptest.Server, readKey, writeKey string) {
	t.Helper()
	readKey, _ = auth.NewKey()
	writeKey, _ = auth.NewKey()
	keys, err := auth.Load("", "reader:read:"+readKey+",alice:write:"+writeKey)
	if err != nil {
		t.Fatal(err)
	}
	srv = httptest.NewServer(server.New(server.Config{Store: s, Logger: log, Auth: auth.Policy{Keys: keys}}))
	return srv, readKey, writeKey
}

type gqlResult struct {
	Data   map[string]json.RawMessage
	Errors []struct {
		Message    string
		Extensions map[string]any
	}
}

func call(t *testing.T, url, key, query string) gqlResult {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query})
	req, _ := http.NewRequest(http.MethodPost, url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var r gqlResult
	if err := json.NewDecoder(res.Body).Decode(&r); err != nil {
		t.Fatal(err)
	}
	return r
}

func ok(t *testing.T, r gqlResult, what string) map[string]json.RawMessage {
	t.Helper()
	if len(r.Errors) > 0 {
		t.Fatalf("%s: %+v", what, r.Errors)
	}
	return r.Data
}

func code(t *testing.T, r gqlResult, want, what string) {
	t.Helper()
	if len(r.Errors) == 0 {
		t.Fatalf("%s: no error, want %s", what, want)
	}
	if got := r.Errors[0].Extensions["code"]; got != want {
		t.Errorf("%s: code %v, want %s (%s)", what, got, want, r.Errors[0].Message)
	}
}

func runMutations(t *testing.T, s store.Store) {
	loadSeed(t, s)
	url, readKey, key := keyedServer(t, s)

	// A read key may not write.
	code(t, call(t, url, readKey, `mutation { addAliases(actor: "russia", aliases: ["RF"]) { id } }`), "FORBIDDEN", "read key")

	// Actors and aliases.
	ok(t, call(t, url, key, `mutation { putActor(input: {id: "unsc", name: "UN Security Council", kind: INTERNATIONAL_ORGANIZATION}) { id } }`), "putActor")
	code(t, call(t, url, key, `mutation { putActor(input: {id: "Bad Id!", name: "x", kind: OTHER}) { id } }`), "BAD_USER_INPUT", "bad actor id")
	ok(t, call(t, url, key, `mutation { addAliases(actor: "unsc", aliases: ["Security Council"]) { aliases } }`), "addAliases")
	d := ok(t, call(t, url, key, `{ actorByName(name: "security council") { id } }`), "alias lookup")
	if !strings.Contains(string(d["actorByName"]), `"unsc"`) {
		t.Errorf("alias not found: %s", d["actorByName"])
	}
	code(t, call(t, url, key, `mutation { addAliases(actor: "atlantis", aliases: ["x"]) { id } }`), "NOT_FOUND", "aliases of nobody")

	// Merge and unmerge: the Russian military's relations move to Russia and back.
	code(t, call(t, url, key, `mutation { mergeActors(survivor: "russia", merged: "russia") { id } }`), "BAD_USER_INPUT", "merge into itself")
	d = ok(t, call(t, url, key, `mutation { mergeActors(survivor: "russia", merged: "russian-military", note: "one actor in this source") { id by undone moved merged { name } } }`), "merge")
	var m struct {
		ID    string
		By    string
		Moved []string
	}
	json.Unmarshal(d["mergeActors"], &m)
	if m.By != "alice" || len(m.Moved) == 0 {
		t.Errorf("merge record: %s", d["mergeActors"])
	}
	d = ok(t, call(t, url, key, `{ actor(id: "russian-military") { id } actorByName(name: "Russian military") { id } }`), "after merge")
	if string(d["actor"]) != "null" || !strings.Contains(string(d["actorByName"]), `"russia"`) {
		t.Errorf("after merge: %s %s", d["actor"], d["actorByName"])
	}
	code(t, call(t, url, key, `mutation { mergeActors(survivor: "russia", merged: "russian-military") { id } }`), "CONFLICT", "merge twice")
	ok(t, call(t, url, key, `mutation { unmergeActors(merge: "`+m.ID+`") { undone } }`), "unmerge")
	code(t, call(t, url, key, `mutation { unmergeActors(merge: "`+m.ID+`") { undone } }`), "CONFLICT", "unmerge twice")
	d = ok(t, call(t, url, key, `{ actor(id: "russian-military") { name outgoing(filter: {rollUp: false}) { totalCount } } merges { id undone } }`), "after unmerge")
	if !strings.Contains(string(d["actor"]), `"Russian military"`) || !strings.Contains(string(d["merges"]), `"undone":true`) {
		t.Errorf("after unmerge: %s %s", d["actor"], d["merges"])
	}

	// Review with history.
	code(t, call(t, url, key, `mutation { reviewRelation(relation: "nope", status: CONFIRMED) { id } }`), "NOT_FOUND", "review unknown")
	ok(t, call(t, url, key, `mutation { reviewRelation(relation: "kerry-threatens-russia", status: REJECTED, note: "second look") { id } }`), "review")
	d = ok(t, call(t, url, key, `{ relation(id: "kerry-threatens-russia") { provenance { review } reviews { status reviewer note } } }`), "review history")
	if !strings.Contains(string(d["relation"]), `"review":"REJECTED"`) || !strings.Contains(string(d["relation"]), `"reviewer":"alice"`) {
		t.Errorf("review: %s", d["relation"])
	}

	// A relation with evidence checked against the source text; the same input twice is one relation.
	add := `mutation { addRelation(input: {type: CRITICIZES, from: "kerry", to: "russia", attribution: ASSERTED, status: ACTUAL,
	  occurred: {date: "2016-09-28", precision: DAY}, reported: {date: "2016-09-28", precision: DAY}, source: "thenews-aleppo-2016",
	  cameoCode: "111", confidence: 0.6, evidence: [{quote: "Kerry threatened to cut all cooperation with Moscow", start: 816, end: 867}]}) { id goldstein } }`
	r1 := call(t, url, key, add)
	if len(r1.Errors) > 0 {
		// The offsets in this test must match the article: report them clearly.
		t.Fatalf("addRelation: %+v", r1.Errors)
	}
	r2 := ok(t, call(t, url, key, add), "addRelation again")
	if string(r1.Data["addRelation"]) != string(r2["addRelation"]) {
		t.Errorf("same input, different relation: %s vs %s", r1.Data["addRelation"], r2["addRelation"])
	}
	bad := strings.Replace(add, "start: 816", "start: 815", 1)
	code(t, call(t, url, key, bad), "BAD_USER_INPUT", "evidence at wrong offsets")

	// Deletes keep a record; a denied accusation cannot go first; an actor with relations cannot go.
	code(t, call(t, url, key, `mutation { deleteRelation(id: "us-accuses-russia-convoy", reason: "test") { id } }`), "CONFLICT", "delete a denied accusation")
	code(t, call(t, url, key, `mutation { deleteActor(id: "russia", reason: "test") { id } }`), "CONFLICT", "delete an actor with relations")
	code(t, call(t, url, key, `mutation { deleteRelation(id: "kerry-threatens-russia", reason: "") { id } }`), "BAD_USER_INPUT", "delete without a reason")
	del := ok(t, call(t, url, key, `mutation { deleteRelation(id: "kerry-threatens-russia", reason: "duplicate of an imported row") { id kind reason by at relation { id } } }`), "delete relation")
	d = ok(t, call(t, url, key, `{ relation(id: "kerry-threatens-russia") { id } deletions(first: 1) { id kind reason by at relation { id } } }`), "after delete")
	if string(d["relation"]) != "null" || !strings.Contains(string(d["deletions"]), `"reason":"duplicate of an imported row"`) {
		t.Errorf("after delete: %s %s", d["relation"], d["deletions"])
	}
	// The mutation answers with the very record the store kept.
	if want := "[" + string(del["deleteRelation"]) + "]"; string(d["deletions"]) != want {
		t.Errorf("deleteRelation answered %s, the store recorded %s", want, d["deletions"])
	}
}

func TestMutationsEmbedded(t *testing.T) { runMutations(t, testenv.Bolt(t, boltstore.Options{})) }

func TestMutationsNeo4j(t *testing.T) { runMutations(t, testenv.Neo4j(t, nil)) }
