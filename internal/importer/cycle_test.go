package importer_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/actorgraph/actorgraph/internal/importer"
	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/storetest"
)

// TestImportStoredCycle: a relation CSV row whose PART_OF edge closes a
// cycle through an edge the store already holds is skipped as invalid (a
// plain import) or refuses the file (--strict), like addRelation refuses
// it — not written to the store in a batch the store refuses whole (the
// server answered 500). Found by the API's randomized sequences (seed 28):
// a3 PART_OF a1 stored, then a file with a1 PART_OF a3 among other rows.
func TestImportStoredCycle(t *testing.T) {
	eachStore(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		g := &kg.Graph{Sources: storetest.Fixture().Sources, Actors: []kg.Actor{
			{ID: "a1", Name: "A1", Kind: kg.KindArmedGroup}, {ID: "a3", Name: "A3", Kind: kg.KindArmedGroup}, {ID: "a4", Name: "A4", Kind: kg.KindArmedGroup}}}
		if err := st.Load(ctx, g); err != nil {
			t.Fatal(err)
		}
		first := "id,type,from,to,role,source\ni18-0,PART_OF,a3,a1,,src\n"
		if _, err := importBytes(t, st, importer.Options{Format: importer.CSV}, "first.csv", []byte(first)); err != nil {
			t.Fatal(err)
		}
		file := []byte("id,type,from,to,role,source\ni38-0,ACCUSES,a4,a1,,src\ni38-1,PART_OF,a1,a3,,src\ni38-2,CRITICIZES,a4,a3,,src\n")
		_, err := importBytes(t, st, importer.Options{Format: importer.CSV, Strict: true}, "strict.csv", file)
		var se *importer.StrictError
		if !errors.As(err, &se) || !strings.Contains(se.Error(), "cycle") {
			t.Fatalf("strict import of a row closing a stored cycle: %v, want a StrictError naming the cycle", err)
		}
		if rs, _ := st.Relations(ctx, []string{"i38-0", "i38-1", "i38-2"}); len(rs) != 0 {
			t.Fatalf("the refused strict file wrote %d relations", len(rs))
		}
		sum, err := importBytes(t, st, importer.Options{Format: importer.CSV}, "plain.csv", file)
		if err != nil {
			t.Fatalf("plain import: %v", err)
		}
		if sum.Imported != 2 || sum.Skipped != 1 || sum.Reasons[importer.ReasonInvalid] != 1 {
			t.Fatalf("plain import: %d imported, %d skipped (%v), want 2 and the cycle skipped as invalid", sum.Imported, sum.Skipped, sum.Reasons)
		}
		if rs, _ := st.Relations(ctx, []string{"i38-0", "i38-1", "i38-2"}); len(rs) != 2 || rs["i38-1"].ID != "" {
			t.Fatalf("plain import wrote %v, want i38-0 and i38-2", rs)
		}
		// A row replacing the stored edge is not a cycle with the edge it replaces.
		if sum, err := importBytes(t, st, importer.Options{Format: importer.CSV, Strict: true}, "replace.csv",
			[]byte("id,type,from,to,role,source\ni18-0,PART_OF,a1,a3,,src\n")); err != nil || sum.Imported != 1 {
			t.Fatalf("replacing a3 PART_OF a1 by a1 PART_OF a3 under the same id: %v", err)
		}
		if msg := storetest.CheckGraph(st); msg != "" {
			t.Fatal(msg)
		}
	})
}
