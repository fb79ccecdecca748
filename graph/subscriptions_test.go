package graph_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"

	"github.com/actorgraph/actorgraph/internal/auth"
	"github.com/actorgraph/actorgraph/internal/server"
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

	criticisms := c.Websocket(`subscription { relationAdded(filter: { types: [CRITICIZES] }) { id type from { name } evidence { quote } } }`)
	defer criticisms.Close()
	reviews := c.Websocket(`subscription { changes(filter: { kinds: [UPDATED], relation: { review: REJECTED } }) { cursor kind id relation { id provenance { review } } } }`)
	defer reviews.Close()
	// Roll-up: Kerry is below the United States (HOLDS_ROLE / PART_OF).
	rolled := c.Websocket(`subscription { relationAdded(filter: { from: "usa", types: [CRITICIZES] }) { id } }`)
	defer rolled.Close()
	exact := c.Websocket(`subscription { relationAdded(filter: { from: "usa", rollUp: false }) { id } }`)
	defer exact.Close()
	time.Sleep(100 * time.Millisecond) // let both subscriptions register

	var added struct{ AddRelation struct{ ID string } }
	c.MustPost(`mutation { addRelation(input: {type: CRITICIZES, from: "kerry", to: "russia", attribution: ASSERTED, status: ACTUAL,
	  occurred: {date: "2016-09-28", precision: DAY}, reported: {date: "2016-09-28", precision: DAY}, source: "thenews-aleppo-2016",
	  cameoCode: "111", confidence: 0.6, evidence: [{quote: "Kerry threatened to cut all cooperation with Moscow", start: 816, end: 867}]}) { id } }`, &added)
	var reviewed struct{ ReviewRelation struct{ ID string } }
	c.MustPost(`mutation { reviewRelation(relation: "kerry-threatens-russia", status: REJECTED) { id } }`, &reviewed)

	var got struct {
		RelationAdded struct {
			ID, Type string
			From     struct{ Name string }
			Evidence []struct{ Quote string }
		}
	}
	if err := criticisms.Next(&got); err != nil {
		t.Fatal(err)
	}
	if got.RelationAdded.ID != added.AddRelation.ID || got.RelationAdded.From.Name != "John Kerry" || len(got.RelationAdded.Evidence) != 1 {
		t.Errorf("criticism subscriber got %+v", got.RelationAdded)
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
	var up struct{ RelationAdded struct{ ID string } }
	if err := rolled.Next(&up); err != nil || up.RelationAdded.ID != added.AddRelation.ID {
		t.Errorf("rolled-up subscriber (from usa) got %+v, %v; want Kerry's criticism", up, err)
	}
	// Without roll-up, the next relation from usa itself is the first one
	// this subscriber sees: Kerry's criticism was skipped.
	var usa struct{ AddRelation struct{ ID string } }
	c.MustPost(`mutation { addRelation(input: {type: CRITICIZES, from: "usa", to: "russia", attribution: ASSERTED, status: ACTUAL,
	  occurred: {date: "2016-09-28", precision: DAY}, reported: {date: "2016-09-28", precision: DAY}, source: "thenews-aleppo-2016",
	  cameoCode: "111", confidence: 0.6, evidence: [{quote: "Kerry threatened to cut all cooperation with Moscow", start: 816, end: 867}]}) { id } }`, &usa)
	if err := exact.Next(&up); err != nil || up.RelationAdded.ID != usa.AddRelation.ID {
		t.Errorf("exact subscriber (from usa, rollUp false) got %+v, %v; want %s", up, err, usa.AddRelation.ID)
	}
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
	wrongKey := c.WebsocketWithPayload(`subscription { relationAdded { id } }`, map[string]any{"Authorization": "Bearer ag_wrong"})
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
