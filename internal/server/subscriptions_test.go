package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"github.com/actorgraph/actorgraph/internal/auth"
	"github.com/actorgraph/actorgraph/internal/seed"
	"github.com/actorgraph/actorgraph/internal/server"
	"github.com/actorgraph/actorgraph/internal/store/boltstore"
	"github.com/actorgraph/actorgraph/internal/testenv"
)

// wsClient speaks graphql-transport-ws on one connection.
type wsClient struct {
	t    *testing.T
	conn *websocket.Conn
}

func dialWS(t *testing.T, url string) *wsClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(url, "http")+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	conn.SetReadLimit(1 << 20)
	c := &wsClient{t, conn}
	c.send(map[string]any{"type": "connection_init", "payload": map[string]any{}})
	if m := c.read(); m.Type != "connection_ack" {
		t.Fatalf("no ack: %+v", m)
	}
	return c
}

type wsMsg struct {
	Type    string          `json:"type"`
	ID      string          `json:"id"`
	Payload json.RawMessage `json:"payload"`
}

func (c *wsClient) send(v any) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := wsjson.Write(ctx, c.conn, v); err != nil {
		c.t.Fatal(err)
	}
}

func (c *wsClient) read() wsMsg {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var m wsMsg
	if err := wsjson.Read(ctx, c.conn, &m); err != nil {
		c.t.Fatal(err)
	}
	return m
}

func (c *wsClient) subscribe(id string) {
	c.send(map[string]any{"type": "subscribe", "id": id, "payload": map[string]any{
		"query": `subscription { changes { id } }`}})
}

// outcomes reads until every id in ids either got the relation (accepted) or
// an error with a code (refused).
func (c *wsClient) outcomes(ids []string) map[string]string {
	c.t.Helper()
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	got := map[string]string{}
	for len(got) < len(want) {
		m := c.read()
		if !want[m.ID] || got[m.ID] != "" {
			continue
		}
		var p struct {
			Data   map[string]any
			Errors []struct{ Extensions map[string]any }
		}
		json.Unmarshal(m.Payload, &p)
		switch {
		case len(p.Errors) > 0:
			got[m.ID] = fmt.Sprint(p.Errors[0].Extensions["code"])
		case p.Data["changes"] != nil:
			got[m.ID] = "accepted"
		}
	}
	return got
}

var activeGauge = regexp.MustCompile(`(?m)^actorgraph_subscriptions_active (\d+)`)

func activeSubscriptions(t *testing.T, url string) int {
	res, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := activeGauge.FindSubmatch(b)
	if m == nil {
		t.Fatal("no actorgraph_subscriptions_active in /metrics")
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// TestSubscriptionLimits (issue 11, item 4): subscriptions per connection
// and per client are bounded, the one over a limit is refused with a code,
// and closing connections returns their slots and goroutines.
func TestSubscriptionLimits(t *testing.T) {
	s := testenv.Bolt(t, boltstore.Options{})
	g, _ := seed.Graph()
	if err := s.Load(context.Background(), g); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.New(server.Config{Store: s, Logger: slog.New(slog.DiscardHandler),
		Auth:   auth.Policy{AllowAnonymousWrites: true},
		Limits: server.Limits{SubscriptionsPerConn: 5, SubscriptionsPerClient: 8}}))
	t.Cleanup(srv.Close)
	baseline := runtime.NumGoroutine()

	n := 0
	// A review is a change: every changes subscriber gets it.
	publish := func() {
		n++
		status := []string{"CONFIRMED", "REJECTED"}[n%2]
		_, r, raw := gql(t, srv, `mutation { reviewRelation(relation: "kerry-threatens-russia", status: `+status+`) { id } }`, nil)
		if len(r.Errors) > 0 {
			t.Fatalf("reviewRelation: %s", raw)
		}
	}
	ids := func(prefix string, k int) []string {
		var out []string
		for i := 1; i <= k; i++ {
			out = append(out, fmt.Sprintf("%s%d", prefix, i))
		}
		return out
	}

	// Let subscriptions register (or be refused) before going on.
	deadline := time.Now().Add(10 * time.Second)
	await := func(n int) {
		for activeSubscriptions(t, srv.URL) < n && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
	}
	c1 := dialWS(t, srv.URL)
	for _, id := range ids("a", 6) {
		c1.subscribe(id)
	}
	await(5)
	c2 := dialWS(t, srv.URL)
	for _, id := range ids("b", 4) {
		c2.subscribe(id)
	}
	await(8)
	publish()
	count := func(got map[string]string) (acc, refused int) {
		for id, o := range got {
			switch o {
			case "accepted":
				acc++
			case "TOO_MANY_SUBSCRIPTIONS":
				refused++
			default:
				t.Errorf("%s: %s", id, o)
			}
		}
		return
	}
	a1, r1 := count(c1.outcomes(ids("a", 6)))
	a2, r2 := count(c2.outcomes(ids("b", 4)))
	if a1 != 5 || r1 != 1 {
		t.Errorf("connection 1: %d accepted, %d refused; want 5 and 1 (per-connection limit 5)", a1, r1)
	}
	if a2 != 3 || r2 != 1 {
		t.Errorf("connection 2: %d accepted, %d refused; want 3 and 1 (per-client limit 8)", a2, r2)
	}
	if got := activeSubscriptions(t, srv.URL); got != 8 {
		t.Errorf("%d subscriptions active, want 8", got)
	}

	// Closing the connections frees their slots and goroutines.
	c1.conn.Close(websocket.StatusNormalClosure, "")
	c2.conn.Close(websocket.StatusNormalClosure, "")
	deadline = time.Now().Add(10 * time.Second)
	for activeSubscriptions(t, srv.URL) != 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if got := activeSubscriptions(t, srv.URL); got != 0 {
		t.Fatalf("%d subscriptions still active after both connections closed", got)
	}
	for runtime.NumGoroutine() > baseline+5 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if g := runtime.NumGoroutine(); g > baseline+5 {
		t.Errorf("%d goroutines after close, %d before the connections", g, baseline)
	}
	// The client may subscribe up to its limit again.
	c3 := dialWS(t, srv.URL)
	defer c3.conn.Close(websocket.StatusNormalClosure, "")
	for _, id := range ids("c", 5) {
		c3.subscribe(id)
	}
	await(5)
	publish()
	if a, r := count(c3.outcomes(ids("c", 5))); a != 5 || r != 0 {
		t.Errorf("after close: %d accepted, %d refused; want 5 and 0", a, r)
	}
}
