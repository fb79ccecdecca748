package graph_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"

	"github.com/actorgraph/actorgraph/graph"
	"github.com/actorgraph/actorgraph/internal/auth"
	"github.com/actorgraph/actorgraph/internal/server"
	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/boltstore"
	"github.com/actorgraph/actorgraph/internal/testenv"
)

// TestRelationAdded: a subscriber over a websocket sees the relations
// written — only those its filter accepts, rolled up — as they are written;
// a changes subscriber sees updates such as reviews, each with its cursor.
func TestRelationAdded(t *testing.T) {
	s := testenv.Bolt(t, boltstore.Options{})
	loadSeed(t, s)
	h := server.New(server.Config{Store: s, Logger: slog.New(slog.DiscardHandler), Auth: auth.Policy{AllowAnonymousWrites: true}})
	c := client.New(h, client.Path("/graphql"))

	criticisms := c.Websocket(`subscription { relationAdded(filter: { types: [CRITICIZES] }) { cursor seq relation { id type from { name } evidence { quote } } } }`)
	defer criticisms.Close()
	reviews := c.Websocket(`subscription { changes(filter: { kinds: [UPDATED], relation: { review: REJECTED } }) { cursor kind id relation { id provenance { review } } } }`)
	defer reviews.Close()
	// Roll-up: Kerry is below the United States (HOLDS_ROLE / PART_OF).
	rolled := c.Websocket(`subscription { relationAdded(filter: { from: "usa", types: [CRITICIZES] }) { relation { id } } }`)
	defer rolled.Close()
	exact := c.Websocket(`subscription { relationAdded(filter: { from: "usa", rollUp: false }) { relation { id } } }`)
	defer exact.Close()
	time.Sleep(100 * time.Millisecond) // let both subscriptions register

	var added struct{ AddRelation struct{ ID string } }
	added.AddRelation.ID = "feed-kerry"
	addCriticism(t, c, added.AddRelation.ID, "kerry")
	var reviewed struct{ ReviewRelation struct{ ID string } }
	c.MustPost(`mutation { reviewRelation(relation: "kerry-threatens-russia", status: REJECTED) { id } }`, &reviewed)

	var got struct {
		RelationAdded struct {
			Cursor   string
			Seq      float64
			Relation struct {
				ID, Type string
				From     struct{ Name string }
				Evidence []struct{ Quote string }
			}
		}
	}
	if err := criticisms.Next(&got); err != nil {
		t.Fatal(err)
	}
	if r := got.RelationAdded.Relation; r.ID != added.AddRelation.ID || r.From.Name != "John Kerry" || len(r.Evidence) != 1 {
		t.Errorf("criticism subscriber got %+v", got.RelationAdded)
	}
	// The message carries the cursor of the entry that created it.
	if want := graph.ChangeCursor(int64(got.RelationAdded.Seq)); got.RelationAdded.Seq < 1 || got.RelationAdded.Cursor != want {
		t.Errorf("criticism message: cursor %q seq %v, want the cursor of its seq (%q)", got.RelationAdded.Cursor, got.RelationAdded.Seq, want)
	}
	var rev struct {
		Changes struct {
			Cursor, Kind, ID string
			Relation         struct {
				ID         string
				Provenance struct{ Review string }
			}
		}
	}
	if err := reviews.Next(&rev); err != nil {
		t.Fatal(err)
	}
	// The review subscriber saw the rejection, not the new (PROPOSED) criticism.
	if rev.Changes.ID != "kerry-threatens-russia" || rev.Changes.Kind != "UPDATED" || rev.Changes.Cursor == "" ||
		rev.Changes.Relation.Provenance.Review != "REJECTED" {
		t.Errorf("review subscriber got %+v", rev.Changes)
	}
	var up struct {
		RelationAdded struct{ Relation struct{ ID string } }
	}
	if err := rolled.Next(&up); err != nil || up.RelationAdded.Relation.ID != added.AddRelation.ID {
		t.Errorf("rolled-up subscriber (from usa) got %+v, %v; want Kerry's criticism", up, err)
	}
	// Without roll-up, the next relation from usa itself is the first one
	// this subscriber sees: Kerry's criticism was skipped.
	var usa struct{ AddRelation struct{ ID string } }
	usa.AddRelation.ID = "feed-usa"
	addCriticism(t, c, usa.AddRelation.ID, "usa")
	if err := exact.Next(&up); err != nil || up.RelationAdded.Relation.ID != usa.AddRelation.ID {
		t.Errorf("exact subscriber (from usa, rollUp false) got %+v, %v; want %s", up, err, usa.AddRelation.ID)
	}
}

// addCriticism adds relation id: from criticises Russia, with evidence
// from the seed's source (one change-log entry).
func addCriticism(t *testing.T, c *client.Client, id, from string) {
	t.Helper()
	c.MustPost(`mutation($id: ID!, $from: ID!) { addRelation(input: {id: $id, type: CRITICIZES, from: $from, to: "russia", attribution: ASSERTED, status: ACTUAL,
	  occurred: {date: "2016-09-28", precision: DAY}, reported: {date: "2016-09-28", precision: DAY}, source: "thenews-aleppo-2016",
	  cameoCode: "111", confidence: 0.6, evidence: [{quote: "Kerry threatened to cut all cooperation with Moscow", start: 816, end: 867}]}) { id } }`,
		&map[string]any{}, client.Var("id", id), client.Var("from", from))
}

// TestSubscriptionKeys: with keys configured, a websocket may bring its key
// in connection_init (as browsers must); without one nothing runs, and the
// Upgrade header opens no other path.
func TestSubscriptionKeys(t *testing.T) {
	s := testenv.Bolt(t, boltstore.Options{})
	loadSeed(t, s)
	readKey, _ := auth.NewKey()
	writeKey, _ := auth.NewKey()
	keys, err := auth.Load("", "reader:read:"+readKey+",writer:write:"+writeKey)
	if err != nil {
		t.Fatal(err)
	}
	h := server.New(server.Config{Store: s, Logger: slog.New(slog.DiscardHandler), Auth: auth.Policy{Keys: keys}})
	c := client.New(h, client.Path("/graphql"))

	noKey := c.Websocket(`subscription { changes { id } }`)
	var got map[string]any
	c.MustPost(`{ vocabulary { type } }`, &map[string]any{}, client.AddHeader("Authorization", "Bearer "+readKey))
	if err := noKey.Next(&got); err == nil {
		t.Errorf("a websocket without a key got %v", got)
	}
	noKey.Close()

	withKey := c.WebsocketWithPayload(`subscription { changes { id } }`, map[string]any{"Authorization": "Bearer " + readKey})
	defer withKey.Close()
	time.Sleep(100 * time.Millisecond) // let the subscription register
	var reviewed struct{ ReviewRelation struct{ ID string } }
	c.MustPost(`mutation { reviewRelation(relation: "kerry-threatens-russia", status: CONFIRMED) { id } }`, &reviewed,
		client.AddHeader("Authorization", "Bearer "+writeKey))
	var seen struct{ Changes struct{ ID string } }
	if err := withKey.Next(&seen); err != nil || seen.Changes.ID != "kerry-threatens-russia" {
		t.Errorf("a websocket with a key in connection_init: %+v, %v", seen, err)
	}
	wrongKey := c.WebsocketWithPayload(`subscription { relationAdded { cursor } }`, map[string]any{"Authorization": "Bearer ag_wrong"})
	if err := wrongKey.Next(&got); err == nil {
		t.Errorf("a websocket with a wrong key got %v", got)
	}
	wrongKey.Close()

	// The Upgrade header is no way around the key elsewhere.
	srv := httptest.NewServer(h)
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/export/json", nil)
	req.Header.Set("Upgrade", "websocket")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("/export with an Upgrade header and no key: %d", res.StatusCode)
	}
}

// runChangeFeedResume: relationAdded carries the cursor of each message and
// resumes after it (replaying what was missed, filtered and rolled up, each
// once); changes without after starts at the oldest retained entry; a
// cursor the log was compacted past is CURSOR_EXPIRED on the query and on
// both subscriptions, never a silent gap.
func runChangeFeedResume(t *testing.T, s store.Store) {
	loadSeed(t, s)
	h := server.New(server.Config{Store: s, Logger: slog.New(slog.DiscardHandler), Auth: auth.Policy{AllowAnonymousWrites: true}})
	c := client.New(h, client.Path("/graphql"))
	criticise := func(id, from string) { addCriticism(t, c, id, from) }
	type added struct {
		RelationAdded struct {
			Cursor   string
			Seq      float64
			Relation struct{ ID string }
		}
	}
	// Roll-up on the subscription's filter: Kerry is below the United States.
	const sub = `subscription($after: String) { relationAdded(after: $after, filter: { from: "usa", types: [CRITICIZES] }) { cursor seq relation { id } } }`

	live := c.Websocket(sub)
	time.Sleep(100 * time.Millisecond) // let the subscription register
	criticise("feed-a", "kerry")
	var a added
	if err := live.Next(&a); err != nil || a.RelationAdded.Relation.ID != "feed-a" || a.RelationAdded.Cursor == "" {
		t.Fatalf("live subscriber: %+v, %v", a, err)
	}
	live.Close()

	// Missed while away: one rolled up (Kerry), one filtered out (Russia's military),
	// one from the United States itself.
	criticise("feed-b", "kerry")
	criticise("feed-c", "russian-military")
	criticise("feed-d", "usa")
	back := c.Websocket(sub, client.Var("after", a.RelationAdded.Cursor))
	defer back.Close()
	time.Sleep(100 * time.Millisecond)
	criticise("feed-e", "usa")
	seq := a.RelationAdded.Seq
	for _, want := range []string{"feed-b", "feed-d", "feed-e"} {
		var m added
		if err := back.Next(&m); err != nil {
			t.Fatalf("resumed subscriber, waiting for %s: %v", want, err)
		}
		if m.RelationAdded.Relation.ID != want || m.RelationAdded.Seq <= seq || m.RelationAdded.Cursor != graph.ChangeCursor(int64(m.RelationAdded.Seq)) {
			t.Fatalf("resumed subscriber got %+v after seq %v, want %s with a later cursor", m.RelationAdded, seq, want)
		}
		seq = m.RelationAdded.Seq
	}

	// Compact to the newest 3 entries (feed-c, feed-d, feed-e).
	ctx := context.Background()
	last, err := s.LastSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Compact(ctx, store.Retention{MaxEntries: 3}, time.Now()); err != nil {
		t.Fatal(err)
	}
	var page struct {
		Changes struct {
			Nodes []struct {
				Seq float64
				ID  string
			}
			PageInfo struct{ HasPreviousPage bool }
		}
	}
	c.MustPost(`{ changes(first: 10) { nodes { seq id } pageInfo { hasPreviousPage } } }`, &page)
	if n := page.Changes.Nodes; len(n) != 3 || int64(n[0].Seq) != last-2 || n[0].ID != "feed-c" || n[2].ID != "feed-e" || page.Changes.PageInfo.HasPreviousPage {
		t.Errorf("changes without after: %+v, want the 3 retained entries from seq %d (feed-c … feed-e)", page.Changes, last-2)
	}

	// a's cursor now lies below the oldest retained entry.
	expired := client.Var("after", a.RelationAdded.Cursor)
	res, err := c.RawPost(`query($after: String) { changes(after: $after) { nodes { id } } }`, expired)
	if err != nil {
		t.Fatal(err)
	}
	var errs []struct {
		Extensions struct{ Code, Field string }
	}
	json.Unmarshal(res.Errors, &errs)
	if len(errs) != 1 || errs[0].Extensions.Code != "CURSOR_EXPIRED" || errs[0].Extensions.Field != "after" || res.Data != nil {
		t.Errorf("changes after an expired cursor: data %s errors %s, want CURSOR_EXPIRED on after", res.Data, res.Errors)
	}
	for _, q := range []string{sub, `subscription($after: String) { changes(after: $after) { cursor } }`} {
		ws := c.Websocket(q, expired)
		var m map[string]any
		err := ws.Next(&m)
		if err == nil || !strings.Contains(err.Error(), "CURSOR_EXPIRED") {
			t.Errorf("%s after an expired cursor: %v, %v; want CURSOR_EXPIRED", q, m, err)
		}
		ws.Close()
	}
	// The cursor just before the oldest retained entry is still good.
	ws := c.Websocket(sub, client.Var("after", graph.ChangeCursor(last-3)))
	defer ws.Close()
	var m added
	if err := ws.Next(&m); err != nil || m.RelationAdded.Relation.ID != "feed-d" {
		t.Errorf("subscriber at the log's floor: %+v, %v; want feed-d", m, err)
	}
}

func TestChangeFeedResumeEmbedded(t *testing.T) {
	runChangeFeedResume(t, testenv.Bolt(t, boltstore.Options{}))
}

func TestChangeFeedResumeNeo4j(t *testing.T) { runChangeFeedResume(t, testenv.Neo4j(t, nil)) }
