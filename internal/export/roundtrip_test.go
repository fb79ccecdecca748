package export

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/actorgraph/actorgraph/internal/importer"
	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/seed"
	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/boltstore"
	"github.com/actorgraph/actorgraph/internal/testenv"
)

// snapshot reads every actor and relation of a store, page by page.
func snapshot(t *testing.T, s store.Store) (map[string]kg.Actor, map[string]kg.Relation) {
	t.Helper()
	actors, rels := map[string]kg.Actor{}, map[string]kg.Relation{}
	byID := store.Order{Field: store.SortID}
	var after *store.Cursor
	for {
		p, err := s.ListActors(ctx(), store.ActorFilter{}, byID, store.Page{First: 500, After: after})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range p.Items {
			actors[a.ID] = a
		}
		if !p.HasNext {
			break
		}
		c := store.ActorCursor(p.Items[len(p.Items)-1], byID)
		after = &c
	}
	after = nil
	for {
		p, err := s.ListRelations(ctx(), store.RelationFilter{}, byID, store.Page{First: 500, After: after})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range p.Items {
			rels[r.ID] = r
		}
		if !p.HasNext {
			break
		}
		c := store.CursorOf(p.Items[len(p.Items)-1], byID)
		after = &c
	}
	return actors, rels
}

// roundTrip: the whole graph (curated seed plus imported GDELT rows) exported
// as JSON and imported into the emptied store is the same graph.
func roundTrip(t *testing.T, s store.Store) {
	g, err := seed.Graph()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Load(ctx(), g); err != nil {
		t.Fatal(err)
	}
	gdelt := filepath.Join("..", "..", "..", "shared", "data", "eventdata", "gdelt2_20191024143000.export.first2000.CSV")
	f, err := os.Open(gdelt)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	defer f.Close()
	if _, err := importer.Import(ctx(), s, importer.Options{Format: importer.GDELT}, importer.Input{Name: gdelt, R: f}); err != nil {
		t.Fatal(err)
	}
	before := stats(t, s)
	actors, rels := snapshot(t, s)
	b := export(t, s, JSON, "")
	if err := s.Wipe(ctx()); err != nil {
		t.Fatal(err)
	}
	sum, err := importer.Import(ctx(), s, importer.Options{Format: importer.JSON, Strict: true}, importer.Input{Name: "export.json", R: bytes.NewReader(b)})
	if err != nil || sum.Skipped != 0 {
		t.Fatalf("re-import: %v (%d skipped)", err, sum.Skipped)
	}
	if after := stats(t, s); after != before {
		t.Errorf("stats after the round trip %+v, want %+v", after, before)
	}
	actors2, rels2 := snapshot(t, s)
	if len(rels) < 1000 || !reflect.DeepEqual(rels2, rels) {
		t.Errorf("relations differ after the round trip (%d before, %d after)", len(rels), len(rels2))
		for id, r := range rels {
			if !reflect.DeepEqual(rels2[id], r) {
				t.Errorf("first difference: %s\n got %+v\nwant %+v", id, rels2[id], r)
				break
			}
		}
	}
	if !reflect.DeepEqual(actors2, actors) {
		t.Errorf("actors differ after the round trip (%d before, %d after)", len(actors), len(actors2))
	}
}

func TestRoundTripEmbedded(t *testing.T) { roundTrip(t, testenv.Bolt(t, boltstore.Options{})) }

func TestRoundTripNeo4j(t *testing.T) { roundTrip(t, testenv.Neo4j(t, nil)) }
