package feed_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/boltstore"
	"github.com/actorgraph/actorgraph/internal/store/neo4jstore"
	"github.com/actorgraph/actorgraph/internal/testenv"
)

// BenchmarkChangeLogCost measures what the change log costs writers: the
// same concurrent writes with the log and without it (the stores'
// NoChangeLog option, for this baseline only), in one run, alternating
// the two in every iteration so both see the same machine.
//
//   - writes: 8 writers, each PutActor in its own transaction.
//   - import: import batches (store.Load of 1,000 relations each), 2 writers.
//
// On Neo4j the writers are split over two store handles (two drivers, as
// two servers are) on one database, so they contend for the log's counter
// as servers do. The embedded store has one handle per file (a server
// locks it), with fsync on, as users run it.
//
//	go test -p 1 -run '^$' -bench ChangeLogCost -benchtime 3x ./internal/feed/
func BenchmarkChangeLogCost(b *testing.B) {
	b.Run("bolt", func(b *testing.B) {
		open := func(noLog bool) []store.Store {
			st, err := boltstore.Open(b.TempDir(), boltstore.Options{NoChangeLog: noLog})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { st.Close(context.Background()) })
			return []store.Store{st}
		}
		benchCost(b, open(false), open(true))
	})
	b.Run("neo4j", func(b *testing.B) {
		uri := testenv.Neo4jURI(b)
		testenv.Neo4j(b, nil) // wiped
		open := func(noLog bool) []store.Store {
			var out []store.Store
			for range 2 {
				st, err := neo4jstore.Open(context.Background(), neo4jstore.Options{URI: uri,
					User: os.Getenv("NEO4J_USER"), Password: os.Getenv("NEO4J_PASSWORD"), NoChangeLog: noLog,
					TxTimeout: time.Minute, ConnectTimeout: time.Minute})
				if err != nil {
					b.Fatal(err)
				}
				b.Cleanup(func() { st.Close(context.Background()) })
				out = append(out, st)
			}
			return out
		}
		benchCost(b, open(false), open(true))
	})
}

func benchCost(b *testing.B, logged, plain []store.Store) {
	ctx := context.Background()
	ends := &kg.Graph{Actors: []kg.Actor{{ID: "bench-a", Name: "A", Kind: kg.KindState}, {ID: "bench-b", Name: "B", Kind: kg.KindState}}}
	for _, s := range [][]store.Store{logged, plain} {
		if err := s[0].Load(ctx, ends); err != nil {
			b.Fatal(err)
		}
	}
	const writers, perWriter = 8, 40
	const importers, batches, batch = 2, 3, 1000
	// run runs fn on n goroutines spread over the handles and times them.
	run := func(handles []store.Store, n int, fn func(s store.Store, w int) error) time.Duration {
		start := time.Now()
		var wg sync.WaitGroup
		for w := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := fn(handles[w%len(handles)], w); err != nil {
					b.Error(err)
				}
			}()
		}
		wg.Wait()
		return time.Since(start)
	}
	writes := func(tag string, round int) func(store.Store, int) error {
		return func(s store.Store, w int) error {
			for i := range perWriter {
				id := fmt.Sprintf("bench-%s-%d-%d-%d", tag, round, w, i)
				if err := s.PutActor(ctx, kg.Actor{ID: id, Name: id, Kind: kg.KindOther}); err != nil {
					return err
				}
			}
			return nil
		}
	}
	imports := func(tag string, round int) func(store.Store, int) error {
		return func(s store.Store, w int) error {
			for k := range batches {
				g := &kg.Graph{}
				for i := range batch {
					g.Relations = append(g.Relations, kg.Relation{ID: fmt.Sprintf("bench-%s-%d-%d-%d-%d", tag, round, w, k, i),
						Type: kg.Backs, From: "bench-a", To: "bench-b", Attribution: kg.Asserted, Status: kg.Actual, CAMEO: "051",
						Provenance: kg.Provenance{Confidence: 0.5, Method: kg.MethodImport, Detail: "bench", Review: kg.ReviewProposed}})
				}
				if err := s.Load(store.WithOp(ctx, "import"), g); err != nil {
					return err
				}
			}
			return nil
		}
	}
	var wLog, wPlain, iLog, iPlain time.Duration
	var wRatio, iRatio []float64 // per round, logged over plain
	b.ResetTimer()
	for round := range b.N {
		// Alternate which goes first, so neither always meets a warmer cache.
		var wl, wp, il, ip time.Duration
		if round%2 == 0 {
			wp = run(plain, writers, writes("p", round))
			wl = run(logged, writers, writes("l", round))
			ip = run(plain, importers, imports("p", round))
			il = run(logged, importers, imports("l", round))
		} else {
			wl = run(logged, writers, writes("l", round))
			wp = run(plain, writers, writes("p", round))
			il = run(logged, importers, imports("l", round))
			ip = run(plain, importers, imports("p", round))
		}
		wLog, wPlain, iLog, iPlain = wLog+wl, wPlain+wp, iLog+il, iPlain+ip
		wRatio = append(wRatio, wl.Seconds()/wp.Seconds())
		iRatio = append(iRatio, il.Seconds()/ip.Seconds())
	}
	nw, ni := float64(b.N*writers*perWriter), float64(b.N*importers*batches*batch)
	b.ReportMetric(nw/wLog.Seconds(), "writes/s-log")
	b.ReportMetric(nw/wPlain.Seconds(), "writes/s-nolog")
	b.ReportMetric(ni/iLog.Seconds(), "rels/s-log")
	b.ReportMetric(ni/iPlain.Seconds(), "rels/s-nolog")
	// The overhead is the median of the rounds' ratios: on shared cores one
	// round disturbed by other work moves a ratio of sums, not the median.
	b.ReportMetric(100*(median(wRatio)-1), "%write-overhead")
	b.ReportMetric(100*(median(iRatio)-1), "%import-overhead")
	// The logged runs really logged: one entry per write and per relation.
	last, err := logged[0].LastSeq(ctx)
	if err != nil || last < int64(nw+ni) {
		b.Errorf("log holds %d entries after %d writes and %d relations (%v)", last, int(nw), int(ni), err)
	}
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
