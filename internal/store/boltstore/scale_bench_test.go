package boltstore_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/scalegen"
	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/boltstore"
)

// The scale benchmark: one command prints the embedded store's figures at
// a given size (README, "Embedded store at scale"):
//
//	go test -run '^$' -bench Scale -benchtime=1x ./internal/store/boltstore -scale=1000000
//
// Under -short (CI's smoke run) it uses 5,000 relations.
var scale = flag.Int("scale", 50_000, "relations in BenchmarkScale's store")

// smallScale is the size the write cost is compared with.
const smallScale = 10_000

type lat []time.Duration

func (l lat) pct(p float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	s := slices.Clone(l)
	slices.Sort(s)
	return s[min(len(s)-1, int(float64(len(s))*p))]
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 3, 64) + " ms"
}

// rssMB is the process's resident set after a GC that returns freed memory.
func rssMB() float64 {
	debug.FreeOSMemory()
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

// writer makes small writes like the API's: one new relation of the hub,
// or an actor's aliases changed.
type writer struct {
	s *boltstore.Store
	n atomic.Int64
}

func (w *writer) write(ctx context.Context) error {
	i := w.n.Add(1)
	if i%2 == 0 {
		a := scalegen.Actor(int(2 + i%50))
		a.Aliases = []string{fmt.Sprintf("bench alias %d", i)}
		return w.s.PutActor(ctx, a)
	}
	r := scalegen.New(scalegen.Config{Seed: uint64(i), Relations: 1000}).Relation()
	r.ID = fmt.Sprintf("w%09d", i)
	return w.s.Load(ctx, &kg.Graph{Relations: []kg.Relation{r}})
}

// writeP50 times k writes.
func writeP50(b *testing.B, w *writer, k int) time.Duration {
	var l lat
	for range k {
		t0 := time.Now()
		if err := w.write(context.Background()); err != nil {
			b.Fatal(err)
		}
		l = append(l, time.Since(t0))
	}
	return l.pct(0.5)
}

// writesIn times k writes on the store in dir, opened without fsync (the
// store's own cost) and then durable (as served).
func writesIn(b *testing.B, dir string, k int) (noSync, durable time.Duration) {
	for _, opts := range []boltstore.Options{{NoSync: true}, {}} {
		s, err := boltstore.Open(dir, opts)
		if err != nil {
			b.Fatal(err)
		}
		p := writeP50(b, &writer{s: s, n: atomic.Int64{}}, k)
		if opts.NoSync {
			noSync = p
		} else {
			durable = p
		}
		s.Close(context.Background())
	}
	return noSync, durable
}

// cpuTime is the process's CPU time so far (user + system, every thread:
// the garbage collector's work counts). On a shared machine it measures a
// phase's cost where wall time measures the neighbours too.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// importCost is an import's rates (rows/s, wall) and CPU time per row of
// its first and its last tenth.
type importCost struct {
	first, last       float64
	firstCPU, lastCPU time.Duration
}

// importStore loads n scalegen relations into a new store in dir and
// returns the cost of the first and the last tenth.
func importStore(b *testing.B, dir string, n int) (*boltstore.Store, importCost) {
	s, err := boltstore.Open(dir, boltstore.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	tenth := max(n/10, 1)
	var done int
	var firstT, lastT, firstC, lastC time.Duration
	var firstN, lastN int
	err = scalegen.Each(scalegen.Config{Seed: 1, Relations: n, Batch: 10_000}, func(g *kg.Graph) error {
		t0, c0 := time.Now(), cpuTime()
		if err := s.Load(context.Background(), g); err != nil {
			return err
		}
		d, c, k := time.Since(t0), cpuTime()-c0, len(g.Relations)
		if k == 0 {
			return nil
		}
		if done < tenth {
			firstT, firstC, firstN = firstT+d, firstC+c, firstN+k
		}
		if done+k > n-tenth {
			lastT, lastC, lastN = lastT+d, lastC+c, lastN+k
		}
		done += k
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return s, importCost{first: float64(firstN) / firstT.Seconds(), last: float64(lastN) / lastT.Seconds(),
		firstCPU: firstC / time.Duration(max(firstN, 1)), lastCPU: lastC / time.Duration(max(lastN, 1))}
}

// readOnce is one request's reads: a page of 10 of an actor's relations
// and its count, in one snapshot.
func readOnce(s *boltstore.Store, actor string) error {
	ctx, release := s.Snapshot(context.Background())
	defer release()
	if _, err := s.RelationsOf(ctx, []string{actor}, store.Out, store.RelationFilter{}, store.Order{Field: store.SortID}, store.Page{First: 10}); err != nil {
		return err
	}
	_, err := s.CountRelationsOf(ctx, []string{actor}, store.Out, store.RelationFilter{})
	return err
}

// reads times at least k reads, and for at least a second outside -short,
// so that reads under writes overlap many writes.
func reads(b *testing.B, s *boltstore.Store, actor string, k int) lat {
	var l lat
	minTime := time.Second
	if testing.Short() {
		minTime = 0
	}
	for start := time.Now(); len(l) < k || time.Since(start) < minTime; {
		t0 := time.Now()
		if err := readOnce(s, actor); err != nil {
			b.Fatal(err)
		}
		l = append(l, time.Since(t0))
	}
	return l
}

func timeIt(b *testing.B, k int, fn func() error) time.Duration {
	var l lat
	for range k {
		t0 := time.Now()
		if err := fn(); err != nil {
			b.Fatal(err)
		}
		l = append(l, time.Since(t0))
	}
	return l.pct(0.5)
}

func BenchmarkScale(b *testing.B) {
	n := *scale
	if testing.Short() {
		n = 5_000
	}
	k := 200 // writes and reads per measurement
	if testing.Short() {
		k = 20
	}
	for b.Loop() {
		row := func(name, value string) { fmt.Printf("| %s | %s |\n", name, value) }
		fmt.Printf("\nBenchmarkScale: %d relations (scalegen seed 1, hub out-degree %d), GOMAXPROCS %d, NoSync\n\n| measure | value |\n|---|---|\n",
			n, scalegen.Config{Relations: n}.Normalized().HubDegree, runtime.GOMAXPROCS(0))

		smallDir := b.TempDir()
		small, _ := importStore(b, smallDir, smallScale)
		small.Close(context.Background())
		smallW, smallWSync := writesIn(b, smallDir, k)

		dir := b.TempDir()
		s, imp := importStore(b, dir, n)
		first, last := imp.first, imp.last
		row("import rows/s, first 10%", fmt.Sprintf("%.0f", first))
		row("import rows/s, last 10%", fmt.Sprintf("%.0f (%.2f× the first)", last, last/first))
		row("import CPU per row, first / last 10%", fmt.Sprintf("%.1f / %.1f µs (rate from CPU: %.2f× the first)",
			float64(imp.firstCPU.Nanoseconds())/1000, float64(imp.lastCPU.Nanoseconds())/1000, float64(imp.firstCPU)/float64(imp.lastCPU)))
		s.Close(context.Background())
		runtime.GC()
		t0 := time.Now()
		s, err := boltstore.Open(dir, boltstore.Options{}) // durable, as served
		if err != nil {
			b.Fatal(err)
		}
		startup := time.Since(t0)
		row("startup (open + index build)", ms(startup))

		w := &writer{s: s}
		if err := w.write(context.Background()); err != nil {
			b.Fatal(err)
		}
		rss1 := rssMB()
		bigWSync := writeP50(b, w, k)

		hub, sm := reads(b, s, scalegen.HubID, k), reads(b, s, scalegen.SmallID, k)
		row("hub page p50 (first 10 + count)", ms(hub.pct(0.5)))
		row("small page p50 (first 10 + count)", fmt.Sprintf("%s (hub/small %.2f×)", ms(sm.pct(0.5)), float64(hub.pct(0.5))/float64(sm.pct(0.5))))
		alone := append(hub, sm...)

		// The same reads while a writer writes without pause.
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if err := w.write(context.Background()); err != nil {
					b.Error(err)
					return
				}
			}
		}()
		before := w.n.Load()
		under := append(reads(b, s, scalegen.HubID, k), reads(b, s, scalegen.SmallID, k)...)
		close(stop)
		wg.Wait()
		row("reads alone p50 / p99", ms(alone.pct(0.5))+" / "+ms(alone.pct(0.99)))
		row("reads under writes p50 / p99", fmt.Sprintf("%s / %s (p99 %.2f× alone; %d writes meanwhile)",
			ms(under.pct(0.5)), ms(under.pct(0.99)), float64(under.pct(0.99))/float64(alone.pct(0.99)), w.n.Load()-before))

		far := scalegen.ActorID(scalegen.Config{Relations: n}.Normalized().Actors - 1)
		paths := timeIt(b, max(k/10, 3), func() error {
			_, err := s.Paths(context.Background(), scalegen.SmallID, far, store.PathQuery{MaxLength: 3, Limit: 5})
			return err
		})
		row("paths p50 (small actor to another, ≤3 hops)", ms(paths))
		dyads := timeIt(b, max(k/50, 3), func() error {
			_, err := s.Dyads(context.Background(), store.DyadQuery{From: scalegen.HubID})
			return err
		})
		row("dyads p50 (of the hub)", ms(dyads))

		for range 1000 - k - 1 {
			if err := w.write(context.Background()); err != nil {
				b.Fatal(err)
			}
		}
		rss2 := rssMB()
		row("RSS after the first write / after 1,000 more", fmt.Sprintf("%.0f MB / %.0f MB (%.2f×)", rss1, rss2, rss2/rss1))
		s.Close(context.Background())
		bigW, _ := writesIn(b, dir, k)
		row(fmt.Sprintf("write p50 at %d relations, no fsync / fsync", smallScale), ms(smallW)+" / "+ms(smallWSync))
		row(fmt.Sprintf("write p50 at %d relations, no fsync / fsync", n), fmt.Sprintf("%s / %s (%.2f× / %.2f× at %d)",
			ms(bigW), ms(bigWSync), float64(bigW)/float64(smallW), float64(bigWSync)/float64(smallWSync), smallScale))

		b.ReportMetric(float64(bigW)/float64(smallW), "write-ratio")
		b.ReportMetric(last/first, "import-ratio")
		b.ReportMetric(float64(imp.firstCPU)/float64(imp.lastCPU), "import-cpu-ratio")
		b.ReportMetric(float64(under.pct(0.99))/float64(alone.pct(0.99)), "p99-ratio")
		b.ReportMetric(startup.Seconds(), "startup-s")
		b.ReportMetric(rss2/rss1, "rss-ratio")
	}
}
