package graph_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/boltstore"
	"github.com/actorgraph/actorgraph/internal/testenv"
)

// runCleanConflicts checks that CONFLICT and BAD_USER_INPUT messages from
// the store say what is wrong without the store's package and operation
// names (issue 11: "boltstore: unmerge: …").
func runCleanConflicts(t *testing.T, s store.Store) {
	loadSeed(t, s)
	url, _, key := keyedServer(t, s)
	d := ok(t, call(t, url, key, `mutation { mergeActors(survivor: "russia", merged: "russian-military") { id } }`), "merge")
	var m struct{ ID string }
	json.Unmarshal(d["mergeActors"], &m)
	ok(t, call(t, url, key, `mutation { unmergeActors(merge: "`+m.ID+`") { undone } }`), "unmerge")
	for _, c := range []struct{ what, query, code, want string }{
		{"unmerge twice", `mutation { unmergeActors(merge: "` + m.ID + `") { undone } }`, "CONFLICT", m.ID},
		{"delete an actor with relations", `mutation { deleteActor(id: "russia", reason: "test") { id } }`, "CONFLICT", "russia"},
	} {
		r := call(t, url, key, c.query)
		code(t, r, c.code, c.what)
		msg := r.Errors[0].Message
		for _, internal := range []string{"boltstore", "neo4jstore", "store:", ": conflict", "Neo."} {
			if strings.Contains(msg, internal) {
				t.Errorf("%s: message %q names internals (%q)", c.what, msg, internal)
			}
		}
		if !strings.Contains(msg, c.want) {
			t.Errorf("%s: message %q does not name %q", c.what, msg, c.want)
		}
	}
}

func TestCleanConflictsEmbedded(t *testing.T) {
	runCleanConflicts(t, testenv.Bolt(t, boltstore.Options{}))
}

func TestCleanConflictsNeo4j(t *testing.T) { runCleanConflicts(t, testenv.Neo4j(t, nil)) }
