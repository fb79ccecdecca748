package importer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"testing"

	"github.com/actorgraph/actorgraph/internal/export"
	"github.com/actorgraph/actorgraph/internal/importer"
	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/storetest"
)

// TestHistoryRoundTrip: after randomized sequences of writes (merges,
// unmerges, deletions, reviews, ingest), export → import --strict into the
// wiped store → export is identical after sorting, the history included
// (merge records, deletion records, review histories), on both stores.
func TestHistoryRoundTrip(t *testing.T) {
	eachStore(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		var merges, deletions, reviews int
		for _, seed := range []uint64{100, 217} { // each makes a merge, a deletion and a review (most seeds make no review)
			if err := st.Wipe(ctx); err != nil {
				t.Fatal(err)
			}
			if err := storetest.ApplySequence(t, st, seed); err != nil {
				t.Fatal(err)
			}
			first := exportJSON(t, st)
			if err := st.Wipe(ctx); err != nil {
				t.Fatal(err)
			}
			sum, err := importBytes(t, st, importer.Options{Format: importer.JSON, Strict: true}, "backup.json", first)
			if err != nil {
				t.Fatalf("seed %d: import --strict of the export: %v", seed, err)
			}
			second := exportJSON(t, st)
			a, b := sortedExport(t, first), sortedExport(t, second)
			if !reflect.DeepEqual(a, b) {
				for k := range a {
					if !reflect.DeepEqual(a[k], b[k]) {
						t.Errorf("seed %d: %q differs after the round trip:\nbefore %v\nafter  %v", seed, k, a[k], b[k])
					}
				}
				t.FailNow()
			}
			merges += len(a["merges"])
			deletions += len(a["deletions"])
			reviews += len(a["reviews"])
			if sum.History != len(a["merges"])+len(a["deletions"])+len(a["reviews"]) {
				t.Errorf("seed %d: %d history records restored, export has %d", seed, sum.History, len(a["merges"])+len(a["deletions"])+len(a["reviews"]))
			}
		}
		// The sequences made history of every kind, so the test proves its carrying.
		if merges == 0 || deletions == 0 || reviews == 0 {
			t.Fatalf("sequences made %d merges, %d deletions, %d reviews: pick seeds that make each", merges, deletions, reviews)
		}
		t.Logf("round trips carried %d merge, %d deletion and %d review records", merges, deletions, reviews)
	})
}

func exportJSON(t *testing.T, st store.Store) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := export.Write(context.Background(), st, export.JSON, export.Query{}, &buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// sortedExport reads an export's lists, each item as canonical JSON, sorted.
func sortedExport(t *testing.T, b []byte) map[string][]string {
	t.Helper()
	var doc map[string][]json.RawMessage
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("export is not JSON: %v", err)
	}
	out := map[string][]string{}
	for k, items := range doc {
		for _, it := range items {
			var v any
			json.Unmarshal(it, &v)
			c, _ := json.Marshal(v) // map keys sorted
			out[k] = append(out[k], string(c))
		}
		slices.Sort(out[k])
	}
	return out
}
