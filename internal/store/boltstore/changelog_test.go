package boltstore

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// A log written before the binary layout (JSON entries) still reads, and
// compacts by age, next to binary entries appended after it.
func TestChangeLogReadsJSONEntries(t *testing.T) {
	ctx := context.Background()
	s, err := Open(t.TempDir(), Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	old := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	legacy := store.Change{Seq: 1, At: old, Op: "load", Entity: store.EntityActor, ID: "old", Kind: store.ChangeCreated,
		Actor: &kg.Actor{ID: "old", Name: "Old", Kind: kg.KindOther}}
	err = s.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bChanges)
		if err != nil {
			return err
		}
		data, err := json.Marshal(legacy)
		if err != nil {
			return err
		}
		if err := b.Put(seqKey(1), data); err != nil {
			return err
		}
		return b.SetSequence(1)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.PutActor(ctx, kg.Actor{ID: "new", Name: "New", Kind: kg.KindState}); err != nil {
		t.Fatal(err)
	}
	chs, err := s.Changes(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(chs) != 2 || chs[0].Seq != 1 || chs[0].Actor == nil || chs[0].Actor.Name != "Old" || !chs[0].At.Equal(old) {
		t.Fatalf("legacy entry read back as %+v", chs)
	}
	if chs[1].Seq != 2 || chs[1].Actor == nil || chs[1].Actor.Kind != kg.KindState || chs[1].Kind != store.ChangeCreated {
		t.Fatalf("binary entry read back as %+v", chs[1])
	}
	n, err := s.Compact(ctx, store.Retention{MaxAge: time.Hour}, time.Now())
	if err != nil || n != 1 {
		t.Fatalf("compaction by age dropped %d entries (%v), want the legacy one", n, err)
	}
}

// The binary entry carries every field, and the record bytes as given.
func TestChangeEntryRoundTrip(t *testing.T) {
	rel := kg.Relation{ID: "r1", Type: kg.Backs, From: "a", To: "b"}
	after, _ := json.Marshal(rel)
	rel.To = "c"
	before, _ := json.Marshal(rel)
	at := time.Date(2026, 12, 5, 14, 0, 0, 123, time.UTC)
	in := store.Change{At: at, Op: "merge", Entity: store.EntityRelation, ID: "r1", Kind: store.ChangeUpdated,
		Record: after, BeforeRecord: before}
	out, err := decodeChange(7, encodeChange(in))
	if err != nil {
		t.Fatal(err)
	}
	if out.Seq != 7 || !out.At.Equal(at) || out.Op != in.Op || out.Entity != in.Entity || out.ID != in.ID || out.Kind != in.Kind {
		t.Fatalf("header read back as %+v", out)
	}
	if out.Relation == nil || out.Relation.To != "b" || out.Before == nil || out.Before.To != "c" || out.Actor != nil {
		t.Fatalf("records read back as %+v / %+v", out.Relation, out.Before)
	}
	if _, err := decodeChange(7, encodeChange(in)[:20]); err == nil {
		t.Fatal("a truncated entry decoded")
	}
}
