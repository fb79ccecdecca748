package graph_test

import (
	"log/slog"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"

	"github.com/actorgraph/actorgraph/internal/auth"
	"github.com/actorgraph/actorgraph/internal/server"
	"github.com/actorgraph/actorgraph/internal/store/boltstore"
	"github.com/actorgraph/actorgraph/internal/testenv"
)

// TestRelationAdded: a subscriber over a websocket sees the relations this
// server writes — only those its filter accepts — as they are written.
func TestRelationAdded(t *testing.T) {
	s := testenv.Bolt(t, boltstore.Options{})
	loadSeed(t, s)
	h := server.New(server.Config{Store: s, Logger: slog.New(slog.DiscardHandler), Auth: auth.Policy{AllowAnonymousWrites: true}})
	c := client.New(h, client.Path("/graphql"))

	criticisms := c.Websocket(`subscription { relationAdded(filter: { types: [CRITICIZES] }) { id type from { name } evidence { quote } } }`)
	defer criticisms.Close()
	reviews := c.Websocket(`subscription { relationAdded(filter: { review: REJECTED }) { id provenance { review } } }`)
	defer reviews.Close()
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
		RelationAdded struct {
			ID         string
			Provenance struct{ Review string }
		}
	}
	if err := reviews.Next(&rev); err != nil {
		t.Fatal(err)
	}
	// The review subscriber saw the rejection, not the new (PROPOSED) criticism.
	if rev.RelationAdded.ID != "kerry-threatens-russia" || rev.RelationAdded.Provenance.Review != "REJECTED" {
		t.Errorf("review subscriber got %+v", rev.RelationAdded)
	}
}
