//go:build outage

// The outage test stops and restarts the launcher's Neo4j, so it is a local
// long mode, not part of the regular suite:
//
//	NEO4J_URI=... NEO4J_PORT=... NEO4J_STATE_DIR=... go test -tags outage -run TestNeo4jOutage ./internal/server

package server_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/actorgraph/actorgraph/internal/auth"
	"github.com/actorgraph/actorgraph/internal/server"
	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/testenv"
)

// neo4jctl runs the repository's launcher script on the Neo4j the tests use.
func neo4jctl(t *testing.T, cmd string) {
	t.Helper()
	out, err := exec.Command(filepath.Join("..", "..", "neo4j-launcher", "neo4jctl"), cmd).CombinedOutput()
	if err != nil {
		t.Fatalf("neo4jctl %s: %v\n%s", cmd, err, out)
	}
}

// launcherOwns reports whether NEO4J_URI is the server neo4jctl runs (with
// this process's NEO4J_PORT / NEO4J_STATE_DIR), so the test may restart it.
func launcherOwns(t *testing.T, uri string) bool {
	out, err := exec.Command(filepath.Join("..", "..", "neo4j-launcher", "neo4jctl"), "env").Output()
	if err != nil || exec.Command(filepath.Join("..", "..", "neo4j-launcher", "neo4jctl"), "status").Run() != nil {
		return false
	}
	u, err := url.Parse(uri)
	return err == nil && strings.Contains(string(out), ":"+u.Port())
}

// TestNeo4jOutage (issue 11, items 5 and 9) stops the real Neo4j under a
// running server and starts it again (the launcher starts it empty, as a
// restore or a recreated database would be):
//   - while it is down, GraphQL requests and /export answer UNAVAILABLE
//     within 1 s (before: 30 s and 33 s);
//   - the server recovers by itself, with the uniqueness constraints
//     recreated, so 30 concurrent putActor of one id make one node (before:
//     8) and the schema is complete for the next start.
func TestNeo4jOutage(t *testing.T) {
	uri := testenv.Neo4jURI(t)
	if !launcherOwns(t, uri) {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but NEO4J_URI is not the server neo4j-launcher/neo4jctl runs")
		}
		t.Skip("NEO4J_URI is not run by neo4j-launcher/neo4jctl here; cannot restart it")
	}
	s := testenv.Neo4j(t, nil)
	srv, _ := startWritable(t, s)
	t.Cleanup(func() { neo4jctl(t, "start") }) // leave Neo4j running whatever happens (idempotent)

	neo4jctl(t, "stop")
	// The first request finds the outage (the driver's connect fails at once);
	// the store is known down within a ping interval after that.
	gql(t, srv, `{ actor(id: "usa") { name } }`, nil)
	time.Sleep(500 * time.Millisecond)
	for i := 0; i < 5; i++ {
		t0 := time.Now()
		status, r, raw := gql(t, srv, `{ actor(id: "usa") { name } relations(first: 1) { totalCount } }`, nil)
		if d := time.Since(t0); d > time.Second {
			t.Errorf("request %d took %s while Neo4j is down, want ≤ 1 s", i, d)
		}
		if status != 200 || len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "UNAVAILABLE" {
			t.Errorf("while down: %d %.300s", status, raw)
		}
		t0 = time.Now()
		res, err := http.Get(srv.URL + "/export/json")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if d := time.Since(t0); d > time.Second {
			t.Errorf("/export took %s while Neo4j is down, want ≤ 1 s", d)
		}
		if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "UNAVAILABLE") {
			t.Errorf("/export while down: %d %.300s", res.StatusCode, body)
		}
	}

	neo4jctl(t, "start") // an empty database: no constraints, no data
	deadline := time.Now().Add(2 * time.Minute)
	for {
		status, r, _ := gql(t, srv, `{ relations(first: 1) { totalCount } }`, nil)
		if status == 200 && len(r.Errors) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the server did not recover within 2 minutes of Neo4j starting")
		}
		time.Sleep(200 * time.Millisecond)
	}

	// 30 concurrent creations of one id: one node.
	var wg sync.WaitGroup
	for i := 0; i < 30; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			gql(t, srv, fmt.Sprintf(`mutation { putActor(input: {id: "dup-x", name: "Dup %d", kind: OTHER}) { id } }`, i), nil)
		}()
	}
	wg.Wait()
	drv, err := neo4j.NewDriverWithContext(uri, neo4j.NoAuth())
	if err != nil {
		t.Fatal(err)
	}
	defer drv.Close(context.Background())
	count := func(cypher string) int64 {
		res, err := neo4j.ExecuteQuery(context.Background(), drv, cypher, nil, neo4j.EagerResultTransformer)
		if err != nil {
			t.Fatal(err)
		}
		v, _ := res.Records[0].Get("n")
		return v.(int64)
	}
	if n := count(`MATCH (a:Actor {id: "dup-x"}) RETURN count(a) AS n`); n != 1 {
		t.Errorf("%d nodes with id dup-x after 30 concurrent putActor, want 1", n)
	}
	if n := count(`SHOW CONSTRAINTS YIELD name WHERE name = "actor_id" RETURN count(*) AS n`); n != 1 {
		t.Errorf("the actor_id constraint was not recreated")
	}
}

// startWritable serves s (empty) to anonymous writers.
func startWritable(t *testing.T, s store.Store) (*httptest.Server, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	srv := httptest.NewServer(server.New(server.Config{Store: s, Logger: slog.New(slog.NewJSONHandler(&logs, nil)),
		Auth: auth.Policy{AllowAnonymousWrites: true}}))
	t.Cleanup(srv.Close)
	return srv, &logs
}
