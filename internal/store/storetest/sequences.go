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

// StepKind names a write of the sequences, as the API's mutation does.
type StepKind string

// The steps: every write path of the API.
const (
	StepPutActor       StepKind = "putActor"
	StepAddAliases     StepKind = "addAliases"
	StepAddRelation    StepKind = "addRelation"
	StepDeleteRelation StepKind = "deleteRelation"
	StepDeleteActor    StepKind = "deleteActor"
	StepMerge          StepKind = "merge"
	StepUnmerge        StepKind = "unmerge"
	StepReview         StepKind = "review"
	StepIngest         StepKind = "ingest"
	StepImport         StepKind = "import"
)

// StepKinds lists every kind, so a driver can show that a run tried each.
var StepKinds = []StepKind{StepPutActor, StepAddAliases, StepAddRelation, StepDeleteRelation, StepDeleteActor,
	StepMerge, StepUnmerge, StepReview, StepIngest, StepImport}

// A Step is one write of a sequence as data: its kind and arguments. The
// store driver (ApplyStep) and the API driver (graph's sequence test) run
// the same steps, each through its own path.
type Step struct {
	Kind StepKind
	// Actor: the actor of putActor, addAliases and deleteActor; the
	// survivor of a merge or unmerge.
	Actor string
	// Merged: the merged actor of a merge or unmerge.
	Merged string
	// ActorKind: putActor's kind (its name is Actor in upper case).
	ActorKind kg.ActorKind
	// Alias: addAliases's one alias.
	Alias string
	// Relation: addRelation's relation, quoting Fixture's source.
	Relation kg.Relation
	// RelationID: the relation of deleteRelation and review.
	RelationID string
	// Review: review's status.
	Review kg.Review
	// Text and Published: the article of an ingest (title "Sequence",
	// publisher "Seq Press").
	Text      string
	Published time.Time
	// CSV and Strict: a relation CSV import.
	CSV    string
	Strict bool
	// At: the time the store driver stamps on write records (the API
	// stamps its own clock).
	At time.Time
}

// String is the step as a failure report prints it.
func (st Step) String() string {
	switch st.Kind {
	case StepIngest:
		return fmt.Sprintf("ingest(%q, day %d)", st.Text, st.Published.Day())
	case StepPutActor:
		return fmt.Sprintf("putActor(%s,%s)", st.Actor, st.ActorKind)
	case StepAddAliases:
		return fmt.Sprintf("addAliases(%s,%q)", st.Actor, st.Alias)
	case StepAddRelation:
		r := st.Relation
		return fmt.Sprintf("addRelation(%s %s %s->%s)", r.ID, r.Type, r.From, r.To)
	case StepDeleteRelation:
		return "deleteRelation(" + st.RelationID + ")"
	case StepDeleteActor:
		return "deleteActor(" + st.Actor + ")"
	case StepMerge:
		return fmt.Sprintf("merge(%s<-%s)", st.Actor, st.Merged)
	case StepUnmerge:
		return fmt.Sprintf("unmerge(%s<-%s)", st.Actor, st.Merged)
	case StepReview:
		return fmt.Sprintf("review(%s,%s)", st.RelationID, st.Review)
	case StepImport:
		return fmt.Sprintf("import(strict=%v) %q", st.Strict, st.CSV)
	}
	return string(st.Kind)
}

// Sequence is the sequence of a seed over a small id space, so that
// operations collide (merge what was deleted, unmerge twice, close cycles).
func Sequence(seed uint64) []Step {
	rng := rand.New(rand.NewPCG(seed, 11))
	actor := func() string { return fmt.Sprintf("a%d", rng.IntN(6)) }
	rel := func() string { return fmt.Sprintf("r%d", rng.IntN(10)) }
	types := []kg.RelationType{kg.PartOf, kg.PartOf, kg.HoldsRole, kg.Accuses, kg.Threatens, kg.Denies}
	// Imports come from a stream of their own, between the other steps, so
	// adding them left every older seed's sequence as it was (the history
	// round-trip test picks seeds by what they make).
	imp := rand.New(rand.NewPCG(seed, 13))
	// Revisits, from a third stream, aim at what an earlier step named:
	// unmerge the last merge, review or delete the last relation added, or
	// put the last relation's ends and add it again. Without them unmerge
	// never succeeded in 100 seeds and an added relation rarely had both
	// ends; a stream of their own keeps the other steps as they were.
	rev := rand.New(rand.NewPCG(seed, 17))
	var lastMerge, lastAdd *Step
	var steps []Step
	for i := 0; i < SeqSteps; i++ {
		if imp.IntN(6) == 0 {
			steps = append(steps, importStep(imp, fmt.Sprintf("i%d", i)))
		}
		st := Step{At: at(100 + i)}
		switch k := rng.IntN(10); k {
		case 9:
			st.Kind, st.Text = StepIngest, ingestTexts[rng.IntN(len(ingestTexts))]
			st.Published = time.Date(2016, 9, 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
		case 0:
			st.Kind, st.Actor, st.ActorKind = StepPutActor, actor(), kg.ActorKinds[rng.IntN(len(kg.ActorKinds))]
		case 1:
			st.Kind, st.Actor, st.Alias = StepAddAliases, actor(), fmt.Sprintf("alias %d", rng.IntN(4))
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
			st.Kind, st.Relation = StepAddRelation, r
		case 4:
			st.Kind, st.RelationID = StepDeleteRelation, rel()
		case 5:
			st.Kind, st.Actor = StepDeleteActor, actor()
		case 6:
			st.Kind, st.Actor, st.Merged = StepMerge, actor(), actor()
		case 7:
			st.Kind, st.Actor, st.Merged = StepUnmerge, actor(), actor()
		case 8:
			st.Kind, st.RelationID, st.Review = StepReview, rel(), kg.Reviews[rng.IntN(len(kg.Reviews))]
		}
		steps = append(steps, st)
		switch st.Kind {
		case StepMerge:
			lastMerge = &st
		case StepAddRelation:
			lastAdd = &st
		}
		if rev.IntN(3) == 0 {
			steps = append(steps, revisit(rev, lastMerge, lastAdd, st.At)...)
		}
	}
	return steps
}

// revisit is a step (or three) aimed at an earlier merge or added
// relation; none while there is nothing to aim at.
func revisit(rng *rand.Rand, lastMerge, lastAdd *Step, at time.Time) []Step {
	switch k := rng.IntN(4); {
	case k == 0 && lastMerge != nil:
		return []Step{{Kind: StepUnmerge, Actor: lastMerge.Actor, Merged: lastMerge.Merged, At: at}}
	case k == 1 && lastAdd != nil:
		return []Step{{Kind: StepReview, RelationID: lastAdd.Relation.ID, Review: kg.Reviews[rng.IntN(len(kg.Reviews))], At: at}}
	case k == 2 && lastAdd != nil:
		return []Step{{Kind: StepDeleteRelation, RelationID: lastAdd.Relation.ID, At: at}}
	case k == 3 && lastAdd != nil:
		r := lastAdd.Relation
		put := func(id string) Step {
			return Step{Kind: StepPutActor, Actor: id, ActorKind: kg.ActorKinds[rng.IntN(len(kg.ActorKinds))], At: at}
		}
		return []Step{put(r.From), put(r.To), {Kind: StepAddRelation, Relation: r, At: at}}
	}
	return nil
}

// importStep is a relation CSV of 1-3 random rows over the sequence's
// actors (hierarchy edges, so cycles and self-loops are tried, and ids
// already taken), imported plainly or with --strict. A plain import may
// skip rows but must never meet a store refusal (what the importer lets
// through, the store takes); a strict one either writes every row or
// refuses the file with nothing written.
func importStep(rng *rand.Rand, prefix string) Step {
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
	return Step{Kind: StepImport, CSV: b.String(), Strict: rng.IntN(3) == 0}
}

// ApplyStep runs a step on the store directly, as the API's resolvers
// would: nil, a refusal with a sentinel (invalid, conflict, not found), or
// a failure.
func ApplyStep(s store.Store, st Step) error {
	switch st.Kind {
	case StepIngest:
		c, err := seqCoder()
		if err != nil {
			return err
		}
		_, err = ingest.Ingest(ctx(), s, c, ingest.Article{Text: st.Text, Title: "Sequence", Publisher: "Seq Press", Published: st.Published})
		return err
	case StepPutActor:
		return s.PutActor(ctx(), kg.Actor{ID: st.Actor, Name: strings.ToUpper(st.Actor), Kind: st.ActorKind})
	case StepAddAliases:
		_, err := s.AddAliases(ctx(), st.Actor, []string{st.Alias})
		return err
	case StepAddRelation:
		// As the API does: the entry's own rules first, then the store.
		r := st.Relation
		if err := kg.ErrorsOf(entryGraph(s, r).Validate(), "relation", r.ID); err != nil {
			return fmt.Errorf("%w: %w", store.ErrInvalid, err)
		}
		return s.Load(ctx(), &kg.Graph{Relations: []kg.Relation{r}})
	case StepDeleteRelation:
		return s.DeleteRelation(ctx(), st.RelationID, store.DeletionInfo{By: "seq", Reason: "seq", At: st.At})
	case StepDeleteActor:
		return s.DeleteActor(ctx(), st.Actor, store.DeletionInfo{By: "seq", Reason: "seq", At: st.At})
	case StepMerge:
		_, err := s.MergeActors(ctx(), st.Actor, st.Merged, store.MergeInfo{By: "seq", At: st.At})
		return err
	case StepUnmerge:
		_, err := s.Unmerge(ctx(), store.MergeID(st.Actor, st.Merged))
		return err
	case StepReview:
		_, err := s.Review(ctx(), st.RelationID, store.ReviewInfo{Status: st.Review, Reviewer: "seq", At: st.At})
		return err
	case StepImport:
		sum, err := importer.Import(ctx(), s, importer.Options{Format: importer.CSV, Strict: st.Strict},
			importer.Input{Name: "seq.csv", R: strings.NewReader(st.CSV)})
		var se *importer.StrictError
		if st.Strict && errors.As(err, &se) {
			NoteImport(0, 0, true)
			return nil // refused whole, as asked; CheckGraph still runs
		}
		if err != nil {
			// Not a sentinel on purpose: expected() must not pass it.
			return fmt.Errorf("import met a store refusal or failed: %v", err)
		}
		NoteImport(sum.Imported, sum.Skipped, false)
		return nil
	}
	return fmt.Errorf("unknown step kind %q", st.Kind)
}

// NoteImport counts what one of the sequences' imports did (rows written,
// rows skipped, or a strict file refused whole), for RunSeeds's check that
// the imports try both sides.
func NoteImport(imported, skipped int, refused bool) {
	seqImports.imported.Add(int64(imported))
	seqImports.skipped.Add(int64(skipped))
	if refused {
		seqImports.refused.Add(1)
	}
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

// runSequence runs steps on a fresh store; it returns the first failure
// ("" for none) and how many steps ran.
func runSequence(t *testing.T, newStore func(t *testing.T) store.Store, steps []Step) (string, int) {
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
	for i, st := range steps {
		if err := ApplyStep(s, st); !expected(err) {
			return fmt.Sprintf("step %d %s: unexpected error %v", i, st, err), i + 1
		}
		if msg := CheckGraph(s); msg != "" {
			return fmt.Sprintf("after step %d %s: %s", i, st, msg), i + 1
		}
		if msg, _ := readerErr.Load().(string); msg != "" {
			return fmt.Sprintf("reader during step %d %s: %s", i, st, msg), i + 1
		}
	}
	return "", len(steps)
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

// RunSequences runs n seeded sequences on fresh stores through the store
// driver; a failure is shrunk and reported with its seed.
func RunSequences(t *testing.T, newStore func(t *testing.T) store.Store, n int) {
	RunSeeds(t, n, func(steps []Step) (string, int) { return runSequence(t, newStore, steps) })
}

// RunSeeds runs the sequences of seeds 1..n with run, a driver that runs
// steps on a fresh system and returns its first failure ("" for none) and
// how many steps ran. A failure is shrunk — steps dropped one at a time
// while it still fails — and reported with its seed and the shortest
// sequence. The run fails too if the imports (counted by NoteImport) no
// longer both write and skip rows.
func RunSeeds(t *testing.T, n int, run func(steps []Step) (string, int)) {
	t.Helper()
	ran := 0
	imported, skipped, refused := seqImports.imported.Load(), seqImports.skipped.Load(), seqImports.refused.Load()
	for seed := uint64(1); seed <= uint64(n); seed++ {
		steps := Sequence(seed)
		msg, k := run(steps)
		ran += k
		if msg == "" {
			continue
		}
		short := steps[:k]
		for i := len(short) - 1; i >= 0; i-- {
			try := append(append([]Step{}, short[:i]...), short[i+1:]...)
			if m, _ := run(try); m != "" {
				short, msg = try, m
			}
		}
		names := make([]string, len(short))
		for i, st := range short {
			names[i] = st.String()
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
	for i, st := range Sequence(seed) {
		if err := ApplyStep(s, st); !expected(err) {
			return fmt.Errorf("seed %d step %d %s: %w", seed, i, st, err)
		}
	}
	return nil
}
