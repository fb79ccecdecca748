package coder

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/seed"
)

// coreTypes are the relation types the quality figures are computed over.
var coreTypes = []kg.RelationType{kg.Accuses, kg.Denies, kg.Brokers, kg.Backs, kg.Threatens, kg.Attacks, kg.OffersTalks}

// score compares proposals with a gold graph. A proposal matches a gold
// relation when they have the same type, the same endpoints after roll-up
// to the top of the PART_OF / HOLDS_ROLE hierarchy (a place is its own
// top), and overlapping evidence (the same sentence). Precision counts
// proposals that match some gold relation; recall counts gold relations
// some proposal matches. Both are micro-averaged over the core types.
type score struct {
	proposed, correct, gold, recalled map[kg.RelationType]int
}

func newScore() *score {
	return &score{proposed: map[kg.RelationType]int{}, correct: map[kg.RelationType]int{},
		gold: map[kg.RelationType]int{}, recalled: map[kg.RelationType]int{}}
}

func (s *score) add(o *score) {
	for _, t := range coreTypes {
		s.proposed[t] += o.proposed[t]
		s.correct[t] += o.correct[t]
		s.gold[t] += o.gold[t]
		s.recalled[t] += o.recalled[t]
	}
}

func (s *score) micro() (p, r float64, np, nc, ng, nr int) {
	for _, t := range coreTypes {
		np += s.proposed[t]
		nc += s.correct[t]
		ng += s.gold[t]
		nr += s.recalled[t]
	}
	return ratio(nc, np), ratio(nr, ng), np, nc, ng, nr
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// table renders the per-type figures.
func (s *score) table(title string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", title)
	fmt.Fprintf(&b, "  %-13s %8s %8s %6s %9s %6s %6s\n", "type", "proposed", "correct", "gold", "recalled", "P", "R")
	for _, t := range coreTypes {
		fmt.Fprintf(&b, "  %-13s %8d %8d %6d %9d %6.2f %6.2f\n", t, s.proposed[t], s.correct[t], s.gold[t], s.recalled[t],
			ratio(s.correct[t], s.proposed[t]), ratio(s.recalled[t], s.gold[t]))
	}
	p, r, np, nc, ng, nr := s.micro()
	fmt.Fprintf(&b, "  %-13s %8d %8d %6d %9d %6.2f %6.2f\n", "micro", np, nc, ng, nr, p, r)
	return b.String()
}

// rollUp returns a function giving the top of the hierarchy for an
// endpoint, from the PART_OF and HOLDS_ROLE relations given.
func rollUp(rels ...[]kg.Relation) func(string) string {
	parent := map[string][]string{}
	for _, list := range rels {
		for _, r := range list {
			if r.Type.IsHierarchy() && !slices.Contains(parent[r.From], r.To) {
				parent[r.From] = append(parent[r.From], r.To)
			}
		}
	}
	for k := range parent {
		slices.Sort(parent[k])
	}
	return func(id string) string {
		seen := map[string]bool{}
		for !seen[id] && len(parent[id]) > 0 {
			seen[id] = true
			id = parent[id][0]
		}
		return id
	}
}

func overlaps(a, b []kg.Evidence) bool {
	for _, x := range a {
		for _, y := range b {
			if x.Start < y.End && y.Start < x.End {
				return true
			}
		}
	}
	return false
}

func scoreAgainst(gold *kg.Graph, res *Result) *score {
	top := rollUp(gold.Relations, res.Relations)
	s := newScore()
	matches := func(p, g kg.Relation) bool {
		return p.Type == g.Type && top(p.From) == top(g.From) && top(p.To) == top(g.To) && overlaps(p.Evidence, g.Evidence)
	}
	var golds []kg.Relation
	for _, g := range gold.Relations {
		if slices.Contains(coreTypes, g.Type) {
			golds = append(golds, g)
			s.gold[g.Type]++
		}
	}
	var props []kg.Relation
	for _, p := range res.Relations {
		if slices.Contains(coreTypes, p.Type) {
			props = append(props, p)
			s.proposed[p.Type]++
		}
	}
	for _, p := range props {
		if slices.ContainsFunc(golds, func(g kg.Relation) bool { return matches(p, g) }) {
			s.correct[p.Type]++
		}
	}
	for _, g := range golds {
		if slices.ContainsFunc(props, func(p kg.Relation) bool { return matches(p, g) }) {
			s.recalled[g.Type]++
		}
	}
	return s
}

// validateResult checks the proposals with kg.Validate in a graph made of
// the source (with its text), the known actors and places, and the
// proposals.
func validateResult(t *testing.T, src kg.Source, known Known, res *Result) {
	t.Helper()
	g := &kg.Graph{
		Sources:   []kg.Source{src},
		Actors:    append(slices.Clone(known.Actors), res.Actors...),
		Places:    append(slices.Clone(known.Places), res.Places...),
		Relations: res.Relations,
	}
	if err := g.Validate(); err != nil {
		t.Errorf("proposals do not validate:\n%v", err)
	}
	for _, r := range res.Relations {
		p := r.Provenance
		if p.Method != kg.MethodCoder || p.Review != kg.ReviewProposed || p.Detail == "" || p.Confidence <= 0 {
			t.Errorf("relation %s: provenance %+v, want method CODER, review PROPOSED, a rule id and a confidence", r.ID, p)
		}
		if info, _ := r.Type.Info(); !info.Structural && len(info.CAMEO) > 0 {
			if g, ok := kg.Goldstein(r.CAMEO); !ok || r.Goldstein == nil || *r.Goldstein != g {
				t.Errorf("relation %s: CAMEO %q with Goldstein %v, want the codebook's score", r.ID, r.CAMEO, r.Goldstein)
			}
		}
		if r.Reported.Date != src.Published && r.Reported.Date != src.Original {
			t.Errorf("relation %s: reported %v, want the document's date", r.ID, r.Reported)
		}
	}
}

// report prints to stdout (always, so CI's log shows it) and to the test log.
func report(t *testing.T, s string) {
	t.Helper()
	fmt.Print(s)
	t.Log("\n" + s)
}

func storyDate(src kg.Source) time.Time {
	d := src.Published
	if src.Original != "" {
		d = src.Original
	}
	tm, err := time.Parse(time.DateOnly, d)
	if err != nil {
		panic(err)
	}
	return tm
}

// TestSeedQuality codes the seed article with the seed graph's actors and
// places as the known set (as ingestion would have them) and scores the
// proposals against the curated relations of the core types.
func TestSeedQuality(t *testing.T) {
	g, err := seed.Graph()
	if err != nil {
		t.Fatal(err)
	}
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	src := g.Sources[0]
	known := Known{Actors: g.Actors, Places: g.Places}
	res, err := c.CodeWith(Document{Text: src.Text, SourceID: src.ID, Published: storyDate(src)}, known)
	if err != nil {
		t.Fatal(err)
	}
	validateResult(t, src, known, res)
	s := scoreAgainst(g, res)
	report(t, s.table("coder quality on the seed article ("+src.ID+"), core types"))
	p, r, _, _, _, _ := s.micro()
	if p < 0.8 {
		t.Errorf("micro precision %.2f < 0.80", p)
	}
	if r < 0.7 {
		t.Errorf("micro recall %.2f < 0.70", r)
	}
}

// TestHeldOut codes each held-out story (testdata/heldout: VOA stories,
// public domain, labelled by hand before the coder's rules were written)
// with the labelled actors and places as the known set, and prints
// precision and recall per story and micro-averaged. There is no
// threshold; the labels must validate.
func TestHeldOut(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("testdata/heldout/*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 3 {
		t.Fatalf("%d held-out stories, want at least 3", len(files))
	}
	total, bySet := newScore(), setScores{}
	sets := heldOutSets(t, storyIDs(files))
	var lines strings.Builder
	fmt.Fprintf(&lines, "coder quality on the held-out stories, core types\n")
	fmt.Fprintf(&lines, "  %-36s %8s %8s %6s %9s %6s %6s\n", "story", "proposed", "correct", "gold", "recalled", "P", "R")
	for _, f := range files {
		id, g := heldOutStory(t, f)
		src := g.Sources[0]
		if !strings.Contains(src.URL, "voanews.com") {
			t.Errorf("%s: source url %q is not a VOA story", f, src.URL)
		}
		known := Known{Actors: g.Actors, Places: g.Places}
		res, err := c.CodeWith(Document{Text: src.Text, SourceID: src.ID, Published: storyDate(src)}, known)
		if err != nil {
			t.Fatal(err)
		}
		validateResult(t, src, known, res)
		s := scoreAgainst(g, res)
		total.add(s)
		bySet.add(sets[id], g, res)
		p, r, np, nc, ng, nr := s.micro()
		fmt.Fprintf(&lines, "  %-36s %8d %8d %6d %9d %6.2f %6.2f\n", id, np, nc, ng, nr, p, r)
	}
	p, r, np, nc, ng, nr := total.micro()
	fmt.Fprintf(&lines, "  %-36s %8d %8d %6d %9d %6.2f %6.2f\n", "micro", np, nc, ng, nr, p, r)
	report(t, lines.String())
	report(t, total.table("held-out stories, per type"))
	report(t, bySet.lines("dictionary coder on the held-out stories"))
}

// heldOutStory reads one labelled held-out story (its labels in f, its text
// beside them as .txt) and validates the labels against the text.
func heldOutStory(t *testing.T, f string) (string, *kg.Graph) {
	t.Helper()
	id := strings.TrimSuffix(filepath.Base(f), ".json")
	data, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	text, err := os.ReadFile(strings.TrimSuffix(f, ".json") + ".txt")
	if err != nil {
		t.Fatal(err)
	}
	g, err := seed.Parse(data, map[string]string{id: string(text)})
	if err != nil {
		t.Fatalf("%s: labels do not validate:\n%v", f, err)
	}
	return id, g
}
