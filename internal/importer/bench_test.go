package importer_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/actorgraph/actorgraph/internal/importer"
	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/boltstore"
	"github.com/actorgraph/actorgraph/internal/testenv"
)

// BenchmarkImportGDELT measures import throughput (relations/s) of a
// generated GDELT 2.0 file of 200k rows (20k with -short) in batches of
// 5000, into the embedded store and, with NEO4J_URI set, into Neo4j. Each
// store also runs a baseline in the same run: "load-only" writes the very
// same batches (recorded from an import) with store.Load alone, with no
// reading, parsing, resolving or validating. Not run by CI except as a
// smoke run (-benchtime 1x -short).
//
//	go test -p 1 -run '^$' -bench ImportGDELT -benchtime 1x ./internal/importer/
func BenchmarkImportGDELT(b *testing.B) {
	rows := 200_000
	if testing.Short() {
		rows = 20_000
	}
	file := filepath.Join(b.TempDir(), "gdelt.tsv")
	writeGDELT(b, file, rows)

	// The batches an import writes, for the baseline: an import into an
	// empty store writes the same batches whether or not they land.
	rec := &recorder{Store: testenv.Bolt(b, boltstore.Options{})}
	benchImport(b, rec, file)
	if len(rec.batches) == 0 {
		b.Fatal("nothing recorded")
	}

	run := func(b *testing.B, open func(b *testing.B) store.Store) {
		b.Run("import", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				st := open(b)
				b.StartTimer()
				if sum := benchImport(b, st, file); sum.Imported != rows {
					b.Fatalf("imported %d of %d", sum.Imported, rows)
				}
			}
			b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "relations/s")
		})
		b.Run("load-only", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				st := open(b)
				b.StartTimer()
				for _, g := range rec.batches {
					if err := st.Load(context.Background(), g); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "relations/s")
		})
	}
	b.Run("bolt", func(b *testing.B) {
		run(b, func(b *testing.B) store.Store {
			// As users run it: fsync on (testenv.Bolt turns it off).
			st, err := boltstore.Open(b.TempDir(), boltstore.Options{})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { st.Close(context.Background()) })
			return st
		})
	})
	b.Run("neo4j", func(b *testing.B) {
		run(b, func(b *testing.B) store.Store { return testenv.Neo4j(b, nil) })
	})
}

func benchImport(b *testing.B, st store.Store, file string) *importer.Summary {
	f, err := os.Open(file)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	sum, err := importer.Import(context.Background(), st, importer.Options{Format: importer.GDELT2}, importer.Input{Name: file, R: f})
	if err != nil {
		b.Fatal(err)
	}
	return sum
}

// recorder is an empty store that keeps every graph it is asked to load
// instead of loading it.
type recorder struct {
	store.Store
	batches []*kg.Graph
}

func (r *recorder) Load(ctx context.Context, g *kg.Graph) error {
	r.batches = append(r.batches, g)
	return nil
}
