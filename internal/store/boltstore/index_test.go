package boltstore

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/scalegen"
	"github.com/actorgraph/actorgraph/internal/seed"
	"github.com/actorgraph/actorgraph/internal/store"
)

// dump is an index's content in comparable form.
func dump(x *index) map[string]any {
	rels := func(t relTree) []string { return relIDs(t.Items()) }
	adjs := func(t adjTree) map[string][]string {
		out := map[string][]string{}
		for _, a := range t.Items() {
			out[a.key] = rels(a.rels)
		}
		return out
	}
	multis := func(t multiTree) map[string][]string {
		out := map[string][]string{}
		for _, m := range t.Items() {
			out[m.key] = m.ids
		}
		return out
	}
	keys := map[string]relKey{}
	for _, k := range x.rels.Items() {
		keys[k.id] = *k
	}
	actors := map[string]actorKey{}
	for _, a := range x.actors.Items() {
		actors[a.id] = *a
	}
	var byName []string
	for _, a := range x.actorOrder.Items() {
		byName = append(byName, a.id)
	}
	return map[string]any{
		"stats": x.stats, "typeCount": x.typeCount, "keys": keys, "actors": actors, "actorOrder": byName,
		"byName": multis(x.byName), "children": multis(x.children), "parents": multis(x.parents),
		"places": x.places.Items(), "placeOrder": x.placeOrder.Items(), "events": x.events.Items(),
		"eventOrder": x.eventOrder.Items(), "sources": x.sources.Items(),
		"rels": rels(x.rels), "occurred": relIDs(x.byOccurred.Items()), "reported": relIDs(x.byReported.Items()),
		"confidence": relIDs(x.byConfid.Items()),
		"from":       adjs(x.byFrom), "to": adjs(x.byTo), "event": adjs(x.byEvent), "claimant": adjs(x.byClaimant),
		"alleges": adjs(x.byAlleges), "denies": adjs(x.byDenies),
	}
}

// TestIncrementalEqualsRebuilt: after a random sequence of every kind of
// write, the index the writes kept up to date equals the one built from
// the file at Open.
func TestIncrementalEqualsRebuilt(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(dir, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	g, err := seed.Graph()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Load(ctx, g); err != nil {
		t.Fatal(err)
	}
	err = scalegen.Each(scalegen.Config{Seed: 3, Relations: 3000, Batch: 700}, func(g *kg.Graph) error { return s.Load(ctx, g) })
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var merges []string
	for i := range 300 {
		at = at.Add(time.Minute)
		var err error
		switch rng.IntN(6) {
		case 0:
			a := scalegen.Actor(2 + rng.IntN(290))
			a.Name = fmt.Sprintf("Renamed %d", i)
			a.Aliases = []string{fmt.Sprintf("alias %d", rng.IntN(20))}
			err = s.PutActor(ctx, a)
		case 1:
			err = s.DeleteRelation(ctx, scalegen.RelationID(rng.IntN(3000)), store.DeletionInfo{By: "t", At: at})
		case 2:
			_, err = s.Review(ctx, scalegen.RelationID(rng.IntN(3000)), store.ReviewInfo{Status: kg.ReviewConfirmed, Reviewer: "t", At: at})
		case 3:
			var m store.Merge
			m, err = s.MergeActors(ctx, scalegen.ActorID(2+rng.IntN(290)), scalegen.ActorID(2+rng.IntN(290)), store.MergeInfo{By: "t", At: at})
			if err == nil {
				merges = append(merges, m.ID)
			}
		case 4:
			if len(merges) > 0 {
				_, err = s.Unmerge(ctx, merges[rng.IntN(len(merges))])
			}
		case 5:
			r := scalegen.New(scalegen.Config{Seed: uint64(i), Relations: 3000}).Relation()
			r.ID = fmt.Sprintf("n%04d", i)
			r.From = scalegen.ActorID(2 + rng.IntN(290))
			err = s.Load(ctx, &kg.Graph{Relations: []kg.Relation{r}})
		}
		if err != nil && !isExpected(err) {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	inc := dump(s.cur.Load())
	s.Close(ctx)
	s, err = Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	re := dump(s.cur.Load())
	for k := range inc {
		if !reflect.DeepEqual(inc[k], re[k]) {
			t.Errorf("%s differs between the incremental index and the rebuilt one", k)
		}
	}
	if len(merges) == 0 {
		t.Error("no merge succeeded: the sequence did not cover merges")
	}
}

func isExpected(err error) bool {
	for _, e := range []error{store.ErrNotFound, store.ErrConflict, store.ErrInvalid} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// TestRelKeysRebuilt: a file without relkeys (written before it existed)
// gets them rebuilt from the records at Open, and the index is complete.
func TestRelKeysRebuilt(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(dir, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	err = scalegen.Each(scalegen.Config{Seed: 4, Relations: 500}, func(g *kg.Graph) error { return s.Load(ctx, g) })
	if err != nil {
		t.Fatal(err)
	}
	want := dump(s.cur.Load())
	if err := s.db.Update(func(tx *bolt.Tx) error { return tx.DeleteBucket(bRelKeys) }); err != nil {
		t.Fatal(err)
	}
	s.Close(ctx)
	s, err = Open(dir, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	if got := dump(s.cur.Load()); !reflect.DeepEqual(got, want) {
		t.Fatal("the index rebuilt from the records differs")
	}
}
