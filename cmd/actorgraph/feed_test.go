package main_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"github.com/actorgraph/actorgraph/internal/auth"
	"github.com/actorgraph/actorgraph/internal/testenv"
)

// The change feed with real processes: servers started from the built
// binary, subscribers over real websockets, the CLI writing while they
// serve. The same suite runs on Neo4j with two servers (and the CLI
// writing to Neo4j directly) and on the embedded store with one server
// (and the CLI writing through it with --server).

// feedEnv is a running deployment: its servers, the write key, and how the
// CLI reaches the store.
type feedEnv struct {
	bin     string
	servers []string // host:port
	key     string
	cliArgs []string // store flags for import/ingest
	cliEnv  []string
}

// startServe starts `actorgraph serve` with args and waits for it.
func startServe(t *testing.T, bin string, env []string, args ...string) string {
	t.Helper()
	addr := freePort(t)
	var logs bytes.Buffer
	cmd := exec.Command(bin, append([]string{"serve", "--listen", addr, "--feed-interval", "100ms"}, args...)...)
	cmd.Env = env
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("server %s log:\n%s", addr, tail(logs.String(), 3000))
		}
	})
	return addr
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

func writeKeyEnv(t *testing.T) (string, string) {
	key, err := auth.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	return key, auth.EnvAPIKeys + "=feedtest:write:" + key
}

// TestFeedEmbedded: one server on the embedded store; the CLI writes
// through it (--server), since the server holds the file locked.
func TestFeedEmbedded(t *testing.T) {
	bin := build(t)
	key, keys := writeKeyEnv(t)
	env := []string{"PATH=/usr/bin:/bin", keys}
	addr := startServe(t, bin, env, "--data-dir", filepath.Join(t.TempDir(), "data"))
	waitReady(t, addr)
	runFeedSuite(t, feedEnv{bin: bin, servers: []string{addr}, key: key,
		cliArgs: []string{"--server", "http://" + addr, "--api-key", key}, cliEnv: []string{"PATH=/usr/bin:/bin"}})
}

// TestFeedNeo4jTwoServers: two servers start together on an empty Neo4j
// (schema and seed made exactly once); the CLI writes to Neo4j directly
// while both serve, and also through a server (--server).
func TestFeedNeo4jTwoServers(t *testing.T) {
	uri := testenv.Neo4jURI(t)
	testenv.Neo4j(t, nil) // wiped: the servers find it empty
	bin := build(t)
	key, keys := writeKeyEnv(t)
	env := []string{"PATH=/usr/bin:/bin", keys, "NEO4J_URI=" + uri,
		"NEO4J_USER=" + os.Getenv("NEO4J_USER"), "NEO4J_PASSWORD=" + os.Getenv("NEO4J_PASSWORD")}
	var a, b string
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); a = startServe(t, bin, env) }()
	go func() { defer wg.Done(); b = startServe(t, bin, env) }()
	wg.Wait()
	waitReady(t, a)
	waitReady(t, b)

	t.Run("SeedLoadedOnce", func(t *testing.T) {
		var seeded []change
		for after := ""; ; {
			page := changesPage(t, a, key, after, 1000)
			for _, ch := range page.Nodes {
				if ch.Op == "seed" {
					seeded = append(seeded, ch)
				}
			}
			if !page.PageInfo.HasNextPage {
				break
			}
			after = page.PageInfo.EndCursor
		}
		ids := map[string]bool{}
		for _, ch := range seeded {
			if ch.Kind != "CREATED" || ids[ch.Entity+ch.ID] {
				t.Fatalf("seed entry %+v: the seed was loaded more than once", ch)
			}
			ids[ch.Entity+ch.ID] = true
		}
		if len(seeded) < 50 {
			t.Fatalf("%d seed entries: the seed was not loaded", len(seeded))
		}
	})
	runFeedSuite(t, feedEnv{bin: bin, servers: []string{a, b}, key: key, cliArgs: nil, cliEnv: env})
}

func runFeedSuite(t *testing.T, e feedEnv) {
	first, last := e.servers[0], e.servers[len(e.servers)-1]

	t.Run("WriteReachesSubscriberWithin1s", func(t *testing.T) {
		sub := subscribeWS(t, last, e.key, `subscription { changes(filter: {entities: [ACTOR]}) { cursor seq kind id actor { name } } }`, nil)
		post(t, first, e.key, `mutation { putActor(input: {id: "feed-probe", name: "Feed Probe", kind: OTHER}) { id } }`, nil)
		wrote := time.Now()
		var got struct{ Changes change }
		sub.next(t, 5*time.Second, &got)
		if d := time.Since(wrote); d > time.Second {
			t.Errorf("the write on %s reached the subscriber on %s after %s (want within 1s)", first, last, d)
		}
		if got.Changes.ID != "feed-probe" || got.Changes.Kind != "CREATED" || got.Changes.Actor.Name != "Feed Probe" || got.Changes.Cursor == "" {
			t.Errorf("subscriber got %+v", got.Changes)
		}
	})

	t.Run("CLIImportAndIngestReachEveryServer", func(t *testing.T) {
		var rels, sources []*wsSub
		for _, s := range e.servers {
			rels = append(rels, subscribeWS(t, s, e.key, `subscription { relationAdded(filter: {from: "usa", types: [CRITICIZES]}) { cursor relation { id from { id } } } }`, nil))
			sources = append(sources, subscribeWS(t, s, e.key, `subscription { changes(filter: {entities: [SOURCE]}) { id op kind } }`, nil))
		}
		// Kerry (below the United States) criticises Russia, 20 rows: the
		// filter on usa sees them by roll-up.
		csvFile := filepath.Join(t.TempDir(), "rows.csv")
		var b strings.Builder
		b.WriteString("id,type,from,to,source,occurred,occurredPrecision,reported,reportedPrecision,cameo,confidence,method,review\n")
		want := map[string]bool{}
		for i := range 20 {
			id := fmt.Sprintf("feed-import-%02d", i)
			want[id] = true
			fmt.Fprintf(&b, "%s,CRITICIZES,kerry,russia,thenews-aleppo-2016,2016-09-28,DAY,2016-09-28,DAY,111,0.5,IMPORT,PROPOSED\n", id)
		}
		os.WriteFile(csvFile, []byte(b.String()), 0o644)
		runCLI(t, e, "import", "--format", "csv", csvFile)
		for i, sub := range rels {
			got := map[string]bool{}
			for len(got) < len(want) {
				var m struct {
					RelationAdded struct {
						Cursor   string
						Relation struct{ ID string }
					}
				}
				sub.next(t, 10*time.Second, &m)
				id := m.RelationAdded.Relation.ID
				if !want[id] || got[id] || m.RelationAdded.Cursor == "" {
					t.Fatalf("server %d: unexpected or repeated %q (cursor %q)", i, id, m.RelationAdded.Cursor)
				}
				got[id] = true
			}
		}
		// A file with no valid row fails, through a server as directly.
		badFile := filepath.Join(t.TempDir(), "bad.csv")
		os.WriteFile(badFile, []byte("id,type,from,to\nx,NOT_A_TYPE,kerry,russia\n"), 0o644)
		cmd := exec.Command(e.bin, append(append([]string{"import"}, e.cliArgs...), "--format", "csv", badFile)...)
		cmd.Env = e.cliEnv
		if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "no row was valid") {
			t.Errorf("import of a file with no valid row: %v\n%s", err, out)
		}
		article := filepath.Join(t.TempDir(), "article.txt")
		os.WriteFile(article, []byte("Russia accused the United States on Monday of backing rebels near Aleppo. The United States denied the accusation."), 0o644)
		runCLI(t, e, "ingest", "--title", "Feed test", "--publisher", "Test Wire", "--published", "2016-10-03", article)
		for i, sub := range sources {
			var m struct{ Changes change }
			sub.next(t, 10*time.Second, &m)
			if m.Changes.Op != "ingest" || m.Changes.Kind != "CREATED" {
				t.Errorf("server %d: source entry %+v, want the ingest's", i, m.Changes)
			}
		}
	})

	t.Run("ConcurrentWritersLiveTailerAndResume", func(t *testing.T) {
		// A relationAdded subscriber (rolled up: Kerry is below the United
		// States) sees the mark, keeps the cursor of that last message and
		// leaves.
		const relSub = `subscription { relationAdded(after: $after, filter: {from: "usa", types: [CRITICIZES]}) { cursor seq relation { id } } }`
		type relAdded struct {
			RelationAdded struct {
				Cursor   string
				Seq      float64
				Relation struct{ ID string }
			}
		}
		sub := subscribeWS(t, last, e.key, relSub, map[string]any{})
		post(t, first, e.key, criticism("feed-mark"), nil)
		var mark relAdded
		sub.next(t, 5*time.Second, &mark)
		sub.close()
		if mark.RelationAdded.Relation.ID != "feed-mark" || mark.RelationAdded.Cursor == "" {
			t.Fatalf("relationAdded subscriber got %+v, want feed-mark with its cursor", mark.RelationAdded)
		}
		const writes = 1000
		start := int64(mark.RelationAdded.Seq)

		// Live checks while the writes run: a poller of the changes query
		// on the first server and a subscriber on the last never see a
		// sequence at or below one they have seen, nor skip one.
		live := subscribeWS(t, last, e.key, `subscription { changes(after: $after) { seq } }`, map[string]any{"after": mark.RelationAdded.Cursor})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		polled := make(chan int64, 1)
		go func() {
			after, cur := mark.RelationAdded.Cursor, start
			for ctx.Err() == nil && cur < start+writes {
				page := changesPage(t, first, e.key, after, 300)
				for _, ch := range page.Nodes {
					if int64(ch.Seq) != cur+1 {
						t.Errorf("live poller: seq %d after %d", int64(ch.Seq), cur)
					}
					cur = int64(ch.Seq)
				}
				if page.PageInfo.EndCursor != "" {
					after = page.PageInfo.EndCursor
				}
				time.Sleep(10 * time.Millisecond)
			}
			polled <- cur
		}()
		var wg sync.WaitGroup
		for w := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				srv := e.servers[w%len(e.servers)]
				for i := w; i < writes; i += 8 {
					post(t, srv, e.key, criticism(fmt.Sprintf("feed-w-%04d", i)), nil)
				}
			}()
		}
		seenLive := start
		for seenLive < start+writes {
			var m struct{ Changes change }
			live.next(t, 30*time.Second, &m)
			if s := int64(m.Changes.Seq); s != seenLive+1 {
				t.Fatalf("live subscriber: seq %d after %d", s, seenLive)
			}
			seenLive++
		}
		wg.Wait()
		select {
		case cur := <-polled:
			if cur != start+writes {
				t.Errorf("poller ended at %d, want %d", cur, start+writes)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("poller did not catch up")
		}

		// The relationAdded subscriber comes back, on the other server,
		// with the cursor of the last message it received, and receives
		// each of the 1,000 relations exactly once, in order.
		back := subscribeWS(t, first, e.key, relSub, map[string]any{"after": mark.RelationAdded.Cursor})
		got := map[string]bool{}
		prev := start
		for len(got) < writes {
			var m relAdded
			back.next(t, 30*time.Second, &m)
			r := m.RelationAdded
			if int64(r.Seq) != prev+1 || r.Cursor == "" || got[r.Relation.ID] || !strings.HasPrefix(r.Relation.ID, "feed-w-") {
				t.Fatalf("resumed subscriber: %+v after seq %d (%d received)", r, prev, len(got))
			}
			prev = int64(r.Seq)
			got[r.Relation.ID] = true
		}
	})

	t.Run("BadCursor", func(t *testing.T) {
		res := postRaw(t, first, e.key, `{ changes(after: "bm90LWEtY3Vyc29y") { nodes { id } } }`, nil)
		if !strings.Contains(res, "BAD_USER_INPUT") {
			t.Errorf("a bad cursor: %s", res)
		}
	})
}

// criticism is an addRelation of Kerry criticising Russia with id id (one
// change-log entry each).
func criticism(id string) string {
	return `mutation { addRelation(input: {id: "` + id + `", type: CRITICIZES, from: "kerry", to: "russia", attribution: ASSERTED, status: ACTUAL,
	  occurred: {date: "2016-09-28", precision: DAY}, reported: {date: "2016-09-28", precision: DAY}, source: "thenews-aleppo-2016",
	  cameoCode: "111", confidence: 0.6, evidence: [{quote: "Kerry threatened to cut all cooperation with Moscow", start: 816, end: 867}]}) { id } }`
}

// change is a Change as the tests select it.
type change struct {
	Cursor, Op, Kind, Entity, ID string
	Seq                          float64
	Actor                        struct{ Name string }
}

type changePage struct {
	Nodes    []change
	PageInfo struct {
		EndCursor   string
		HasNextPage bool
	}
}

func changesPage(t *testing.T, addr, key, after string, first int) changePage {
	var out struct{ Changes changePage }
	vars := map[string]any{"first": first}
	if after != "" {
		vars["after"] = after
	}
	post(t, addr, key, `query($after: String, $first: Int) { changes(after: $after, first: $first) {
	  nodes { cursor seq op kind entity id } pageInfo { endCursor hasNextPage } } }`, vars, &out)
	return out.Changes
}

func postRaw(t *testing.T, addr, key, query string, vars map[string]any) string {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return ""
	}
	defer res.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(res.Body)
	return b.String()
}

// post runs a GraphQL request and decodes its data into out (when set);
// errors fail the test.
func post(t *testing.T, addr, key, query string, vars map[string]any, out ...any) {
	raw := postRaw(t, addr, key, query, vars)
	var r struct {
		Data   json.RawMessage
		Errors []json.RawMessage
	}
	if err := json.Unmarshal([]byte(raw), &r); err != nil || len(r.Errors) > 0 {
		t.Errorf("%s: %s", query, raw)
		return
	}
	if len(out) > 0 {
		json.Unmarshal(r.Data, out[0])
	}
}

func runCLI(t *testing.T, e feedEnv, args ...string) {
	t.Helper()
	// The store flags go right after the command: flags end at a file.
	cmd := exec.Command(e.bin, append(append([]string{args[0]}, e.cliArgs...), args[1:]...)...)
	cmd.Env = e.cliEnv
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("actorgraph %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// wsSub is one subscription over a real websocket (graphql-transport-ws).
type wsSub struct {
	conn *websocket.Conn
	msgs chan json.RawMessage
	errc chan error
}

func subscribeWS(t *testing.T, addr, key, query string, vars map[string]any) *wsSub {
	t.Helper()
	if vars != nil {
		// Declare the variables the query uses ($after only here).
		query = strings.Replace(query, "subscription {", "subscription($after: String) {", 1)
	}
	ctx := context.Background()
	conn, _, err := websocket.Dial(ctx, "ws://"+addr+"/graphql", &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	conn.SetReadLimit(1 << 20)
	s := &wsSub{conn: conn, msgs: make(chan json.RawMessage, 4096), errc: make(chan error, 1)}
	t.Cleanup(s.close)
	wsjson.Write(ctx, conn, map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + key}})
	var ack struct{ Type string }
	if err := wsjson.Read(ctx, conn, &ack); err != nil || ack.Type != "connection_ack" {
		t.Fatalf("websocket init: %v %+v", err, ack)
	}
	wsjson.Write(ctx, conn, map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": query, "variables": vars}})
	go func() {
		for {
			var m struct {
				Type    string
				Payload json.RawMessage
			}
			if err := wsjson.Read(ctx, conn, &m); err != nil {
				s.errc <- err
				return
			}
			switch m.Type {
			case "ping":
				wsjson.Write(ctx, conn, map[string]any{"type": "pong"})
			case "next":
				s.msgs <- m.Payload
			default:
				s.errc <- fmt.Errorf("%s: %s", m.Type, m.Payload)
				return
			}
		}
	}()
	// The subscription is registered once the server has read it; a
	// round trip through the server's feed makes sure of it.
	time.Sleep(300 * time.Millisecond)
	return s
}

func (s *wsSub) next(t *testing.T, timeout time.Duration, out any) {
	t.Helper()
	select {
	case m := <-s.msgs:
		var r struct {
			Data   json.RawMessage
			Errors []json.RawMessage
		}
		if err := json.Unmarshal(m, &r); err != nil || len(r.Errors) > 0 {
			t.Fatalf("subscription message: %s", m)
		}
		json.Unmarshal(r.Data, out)
	case err := <-s.errc:
		t.Fatalf("subscription ended: %v", err)
	case <-time.After(timeout):
		t.Fatalf("no subscription message within %s", timeout)
	}
}

func (s *wsSub) close() { s.conn.Close(websocket.StatusNormalClosure, "") }
