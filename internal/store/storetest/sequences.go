package storetest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/actorgraph/actorgraph/internal/coder"
	"github.com/actorgraph/actorgraph/internal/importer"
	"github.com/actorgraph/actorgraph/internal/ingest"
	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// Randomized operation sequences, in the spirit of model-based testing: a
// seed makes a sequence of writes of every kind (put actor, add aliases,
// add relation — hierarchy edges included, so cycles are tried — delete
// relation, delete actor, merge, unmerge, review, ingest with the
// dictionary coder, relation CSV imports plain and strict), run on a fresh store
// with a concurrent reader. After every step the whole stored graph must
// keep the data model's rules: kg.CheckStored over all of it (no self-loop,
// no dangling reference, no PART_OF/HOLDS_ROLE cycle). A write may be
// refused only with a sentinel (invalid, conflict, not found); the reader
// never gets any other error.
//
// SeqBudget() seeds run by default (CI); ACTORGRAPH_SEQS=N runs N. A
// failure prints the seed and the shortest sequence that still fails,
// found by dropping steps one at a time.

// SeqBudget is how many seeds a run tries: ACTORGRAPH_SEQS, or def.
func SeqBudget(def int) int {
	if n, err := strconv.Atoi(os.Getenv("ACTORGRAPH_SEQS")); err == nil && n > 0 {
		return n
	}
	return def
}

// SeqSteps is the length of one sequence.
const SeqSteps = 40

type seqOp struct {
	name string
	do   func(s store.Store) error
}

func (o seqOp) String() string { return o.name }

// genSequence makes the sequence of a seed over a small id space, so that
// operations collide (merge what was deleted, unmerge twice, close cycles).
func genSequence(seed uint64) []seqOp {
	rng := rand.New(rand.NewPCG(seed, 11))
	actor := func() string { return fmt.Sprintf("a%d", rng.IntN(6)) }
	rel := func() string { return fmt.Sprintf("r%d", rng.IntN(10)) }
	types := []kg.RelationType{kg.PartOf, kg.PartOf, kg.HoldsRole, kg.Accuses, kg.Threatens, kg.Denies}
	// Imports come from a stream of their own, between the other steps, so
	// adding them left every older seed's sequence as it was (the history
	// round-trip test picks seeds by what they make).
	imp := rand.New(rand.NewPCG(seed, 13))
	var ops []seqOp
	for i := 0; i < SeqSteps; i++ {
		if imp.IntN(6) == 0 {
			ops = append(ops, importOp(imp, fmt.Sprintf("i%d", i)))
		}
		at := at(100 + i)
		switch k := rng.IntN(10); k {
		case 9:
			text := ingestTexts[rng.IntN(len(ingestTexts))]
			day := 1 + rng.IntN(28)
			ops = append(ops, seqOp{fmt.Sprintf("ingest(%q, day %d)", text, day), func(s store.Store) error {
				c, err := seqCoder()
				if err != nil {
					return err
				}
				_, err = ingest.Ingest(ctx(), s, c, ingest.Article{Text: text, Title: "Sequence", Publisher: "Seq Press",
					Published: time.Date(2016, 9, day, 0, 0, 0, 0, time.UTC)})
				return err
			}})
		case 0:
			id, kind := actor(), kg.ActorKinds[rng.IntN(len(kg.ActorKinds))]
			ops = append(ops, seqOp{fmt.Sprintf("putActor(%s,%s)", id, kind), func(s store.Store) error {
				return s.PutActor(ctx(), kg.Actor{ID: id, Name: strings.ToUpper(id), Kind: kind})
			}})
		case 1:
			id, al := actor(), fmt.Sprintf("alias %d", rng.IntN(4))
			ops = append(ops, seqOp{fmt.Sprintf("addAliases(%s,%q)", id, al), func(s store.Store) error {
				_, err := s.AddAliases(ctx(), id, []string{al})
				return err
			}})
		case 2, 3:
			r := Fixture().Relations[3] // a curated relation quoting the fixture source
			r.ID, r.Type, r.From, r.To = rel(), types[rng.IntN(len(types))], actor(), actor()
			r.Status, r.Condition, r.CAMEO, r.Goldstein = kg.Actual, "", "", nil
			switch r.Type {
			case kg.HoldsRole:
				r.Role = "Gen."
			case kg.Denies:
				r.Denies = rel()
			}
			ops = append(ops, seqOp{fmt.Sprintf("addRelation(%s %s %s->%s)", r.ID, r.Type, r.From, r.To), func(s store.Store) error {
				// As the API does: the entry's own rules first, then the store.
				if err := kg.ErrorsOf(entryGraph(s, r).Validate(), "relation", r.ID); err != nil {
					return fmt.Errorf("%w: %w", store.ErrInvalid, err)
				}
				return s.Load(ctx(), &kg.Graph{Relations: []kg.Relation{r}})
			}})
		case 4:
			id := rel()
			ops = append(ops, seqOp{"deleteRelation(" + id + ")", func(s store.Store) error {
				return s.DeleteRelation(ctx(), id, store.DeletionInfo{By: "seq", Reason: "seq", At: at})
			}})
		case 5:
			id := actor()
			ops = append(ops, seqOp{"deleteActor(" + id + ")", func(s store.Store) error {
				return s.DeleteActor(ctx(), id, store.DeletionInfo{By: "seq", Reason: "seq", At: at})
			}})
		case 6:
			a, b := actor(), actor()
			ops = append(ops, seqOp{fmt.Sprintf("merge(%s<-%s)", a, b), func(s store.Store) error {
				_, err := s.MergeActors(ctx(), a, b, store.MergeInfo{By: "seq", At: at})
				return err
			}})
		case 7:
			a, b := actor(), actor()
			ops = append(ops, seqOp{fmt.Sprintf("unmerge(%s<-%s)", a, b), func(s store.Store) error {
				_, err := s.Unmerge(ctx(), store.MergeID(a, b))
				return err
			}})
		case 8:
			id, st := rel(), kg.Reviews[rng.IntN(len(kg.Reviews))]
			ops = append(ops, seqOp{fmt.Sprintf("review(%s,%s)", id, st), func(s store.Store) error {
				_, err := s.Review(ctx(), id, store.ReviewInfo{Status: st, Reviewer: "seq", At: at})
				return err
			}})
		}
	}
	return ops
}

// importOp is a relation CSV of 1-3 random rows over the sequence's actors
// (hierarchy edges, so cycles and self-loops are tried, and ids already
// taken), imported plainly or with --strict. A plain import may skip rows
// but must never meet a store refusal (what the importer lets through, the
// store takes); a strict one either writes every row or refuses the file
// with nothing written.
func importOp(rng *rand.Rand, prefix string) seqOp {
	types := []kg.RelationType{kg.PartOf, kg.PartOf, kg.HoldsRole, kg.Accuses, kg.Criticizes}
	var b strings.Builder
	b.WriteString("id,type,from,to,role,source\n")
	n := 1 + rng.IntN(3)
	for j := 0; j < n; j++ {
		id := fmt.Sprintf("%s-%d", prefix, j)
		if rng.IntN(4) == 0 {
			id = fmt.Sprintf("r%d", rng.IntN(10)) // an id other steps use
		}
		t := types[rng.IntN(len(types))]
		role := ""
		if t == kg.HoldsRole {
			role = "Gen."
		}
		fmt.Fprintf(&b, "%s,%s,a%d,a%d,%s,%s\n", id, t, rng.IntN(6), rng.IntN(6), role, Fixture().Sources[0].ID)
	}
	text, strict := b.String(), rng.IntN(3) == 0
	name := fmt.Sprintf("import(strict=%v) %q", strict, text)
	return seqOp{name, func(s store.Store) error {
		sum, err := importer.Import(ctx(), s, importer.Options{Format: importer.CSV, Strict: strict},
			importer.Input{Name: "seq.csv", R: strings.NewReader(text)})
		var se *importer.StrictError
		if strict && errors.As(err, &se) {
			seqImports.refused.Add(1)
			return nil // refused whole, as asked; CheckGraph still runs
		}
		if err != nil {
			// Not a sentinel on purpose: expected() must not pass it.
			return fmt.Errorf("import met a store refusal or failed: %v", err)
		}
		seqImports.imported.Add(int64(sum.Imported))
		seqImports.skipped.Add(int64(sum.Skipped))
		return nil
	}}
}

// seqImports counts what the sequences' imports did, so a run can show it
// tried both sides: rows written, rows skipped, strict files refused.
var seqImports struct{ imported, skipped, refused atomic.Int64 }

// seqCoder is the dictionary coder, built once.
var seqCoder = sync.OnceValues(coder.Default)

// ingestTexts are articles for the dictionary coder: its own actors and
// hierarchy edges (a general of a military of a state) enter the graph
// through the ingest write path.
var ingestTexts = []string{
	"Russia accused the United States of backing the rebels in Aleppo on Monday.",
	"Syrian government forces attacked the aid convoy, the United Nations said on Tuesday.",
	"Russian Defense Minister Sergei Shoigu threatened Turkey on Wednesday.",
}

// entryGraph is what the API fetches to check a relation before writing
// it: its ends, its source and the relation it denies.
func entryGraph(s store.Store, r kg.Relation) *kg.Graph {
	g := &kg.Graph{Sources: Fixture().Sources}
	as, _ := s.Actors(ctx(), []string{r.From, r.To})
	for _, a := range as {
		g.Actors = append(g.Actors, a)
	}
	ls, _ := s.Relations(ctx(), []string{r.Denies})
	for _, l := range ls {
		g.Relations = append(g.Relations, l)
	}
	g.Relations = append(g.Relations, r)
	return g
}

// expected reports whether a write's error is a refusal the API answers
// with a code of its own (not INTERNAL_SERVER_ERROR).
func expected(err error) bool {
	return err == nil || errors.Is(err, store.ErrInvalid) || errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotFound)
}

// CheckGraph checks the whole stored graph against the rules (kg.CheckStored
// over every relation); "" when it keeps them. The sequences and the fuzz
// targets call it after every write.
func CheckGraph(s store.Store) string {
	rs, err := s.ListRelations(ctx(), store.RelationFilter{}, store.Order{Field: store.SortID}, store.Page{First: store.MaxLimit})
	if err != nil {
		return "list relations: " + err.Error()
	}
	as, err := s.ListActors(ctx(), store.ActorFilter{}, store.Order{Field: store.SortID}, store.Page{First: store.MaxLimit})
	if err != nil {
		return "list actors: " + err.Error()
	}
	all := store.Page{First: store.MaxLimit}
	srcs, err := s.ListSources(ctx(), all)
	if err != nil {
		return "list sources: " + err.Error()
	}
	places, err := s.ListPlaces(ctx(), all)
	if err != nil {
		return "list places: " + err.Error()
	}
	events, err := s.ListEvents(ctx(), all)
	if err != nil {
		return "list events: " + err.Error()
	}
	g := &kg.Graph{Sources: srcs.Items, Actors: as.Items, Places: places.Items, Events: events.Items, Relations: rs.Items}
	if err := kg.CheckStored(kg.GraphView(g), rs.Items); err != nil {
		return err.Error()
	}
	return ""
}

// runSequence runs ops on a fresh store; it returns the first failure
// ("" for none) and how many operations ran.
func runSequence(t *testing.T, newStore func(t *testing.T) store.Store, ops []seqOp) (string, int) {
	s := newStore(t)
	load(t, s, &kg.Graph{Sources: Fixture().Sources})
	var stop atomic.Bool
	var readerErr atomic.Value
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // a concurrent reader, as the API reads
		defer wg.Done()
		for !stop.Load() {
			if msg := readOnce(s); msg != "" {
				readerErr.Store(msg)
				return
			}
		}
	}()
	defer func() { stop.Store(true); wg.Wait() }()
	for i, op := range ops {
		if err := op.do(s); !expected(err) {
			return fmt.Sprintf("step %d %s: unexpected error %v", i, op, err), i + 1
		}
		if msg := CheckGraph(s); msg != "" {
			return fmt.Sprintf("after step %d %s: %s", i, op, msg), i + 1
		}
		if msg, _ := readerErr.Load().(string); msg != "" {
			return fmt.Sprintf("reader during step %d %s: %s", i, op, msg), i + 1
		}
	}
	return "", len(ops)
}

// readOnce lists relations and resolves their ends, as a query of
// relations { nodes { from to } } does; on a store that reads one snapshot
// per request, the count must equal what paging returns.
func readOnce(s store.Store) string {
	c := context.Background()
	if sn, ok := s.(interface {
		Snapshot(context.Context) (context.Context, func())
	}); ok {
		var done func()
		c, done = sn.Snapshot(c)
		defer done()
		n, err := s.CountRelations(c, store.RelationFilter{})
		if err != nil {
			return err.Error()
		}
		p, err := s.ListRelations(c, store.RelationFilter{}, store.Order{Field: store.SortID}, store.Page{First: store.MaxLimit})
		if err != nil {
			return err.Error()
		}
		if n != len(p.Items) {
			return fmt.Sprintf("totalCount %d != %d nodes in one snapshot", n, len(p.Items))
		}
		return ""
	}
	p, err := s.ListRelations(c, store.RelationFilter{}, store.Order{Field: store.SortID}, store.Page{First: store.MaxLimit})
	if !expected(err) {
		return "list relations: " + err.Error()
	}
	var ids []string
	for _, r := range p.Items {
		ids = append(ids, r.From, r.To)
	}
	if _, err := s.Actors(c, ids); !expected(err) {
		return "actors: " + err.Error()
	}
	return ""
}

// RunSequences runs n seeded sequences; a failure is shrunk and reported
// with its seed.
func RunSequences(t *testing.T, newStore func(t *testing.T) store.Store, n int) {
	ran := 0
	imported, skipped, refused := seqImports.imported.Load(), seqImports.skipped.Load(), seqImports.refused.Load()
	for seed := uint64(1); seed <= uint64(n); seed++ {
		ops := genSequence(seed)
		msg, k := runSequence(t, newStore, ops)
		ran += k
		if msg == "" {
			continue
		}
		short := ops[:k]
		for i := len(short) - 1; i >= 0; i-- { // drop steps while it still fails
			try := append(append([]seqOp{}, short[:i]...), short[i+1:]...)
			if m, _ := runSequence(t, newStore, try); m != "" {
				short, msg = try, m
			}
		}
		names := make([]string, len(short))
		for i, o := range short {
			names[i] = o.String()
		}
		t.Fatalf("seed %d fails: %s\nshortest failing sequence (%d steps):\n  %s", seed, msg, len(short), strings.Join(names, "\n  "))
	}
	imported, skipped, refused = seqImports.imported.Load()-imported, seqImports.skipped.Load()-skipped, seqImports.refused.Load()-refused
	t.Logf("%d sequences, %d operations, every step checked; imports: %d rows written, %d skipped, %d strict files refused",
		n, ran, imported, skipped, refused)
	if n >= 8 && (imported == 0 || skipped == 0) {
		t.Errorf("the imports of %d sequences wrote %d rows and skipped %d: the sequences no longer try both", n, imported, skipped)
	}
}

// ApplySequence loads the fixture's sources into s and runs the sequence of
// seed on it, as RunSequences does but without checks: a refused write is
// skipped, any other error returned. It leaves a graph with the history a
// random sequence makes (merges, undone merges, deletions, reviews), for
// tests of what comes after (export and import).
func ApplySequence(t *testing.T, s store.Store, seed uint64) error {
	load(t, s, &kg.Graph{Sources: Fixture().Sources})
	for i, op := range genSequence(seed) {
		if err := op.do(s); !expected(err) {
			return fmt.Errorf("seed %d step %d %s: %w", seed, i, op, err)
		}
	}
	return nil
}
