package coder

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/actorgraph/actorgraph/internal/coder/corenlp"
	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/seed"
)

const (
	corenlpDefault = corenlp.Annotators
	corenlpNoCoref = corenlp.WithoutCoref
)

// Quality of the parse coder (needs CoreNLP; see parseCoder). Each test
// prints its table; the thresholds are the targets where the test
// has one, and the figures are reported in the README as measured.

// allTypes: every non-structural type plus the structural ones the labels use.
func allTypesOf(gold *kg.Graph) []kg.RelationType {
	var out []kg.RelationType
	for _, ti := range kg.Vocabulary {
		if slices.ContainsFunc(gold.Relations, func(r kg.Relation) bool { return r.Type == ti.Type }) {
			out = append(out, ti.Type)
		}
	}
	return out
}

// typedScore is score over any list of types.
type typedScore struct {
	types                             []kg.RelationType
	proposed, correct, gold, recalled map[kg.RelationType]int
}

func newTypedScore(types []kg.RelationType) *typedScore {
	return &typedScore{types: types, proposed: map[kg.RelationType]int{}, correct: map[kg.RelationType]int{},
		gold: map[kg.RelationType]int{}, recalled: map[kg.RelationType]int{}}
}

func (s *typedScore) addGraph(gold *kg.Graph, res *Result) {
	top := rollUp(gold.Relations, res.Relations)
	matches := func(p, g kg.Relation) bool {
		return p.Type == g.Type && top(p.From) == top(g.From) && top(p.To) == top(g.To) && overlaps(p.Evidence, g.Evidence)
	}
	var golds, props []kg.Relation
	for _, g := range gold.Relations {
		if slices.Contains(s.types, g.Type) {
			golds = append(golds, g)
			s.gold[g.Type]++
		}
	}
	for _, p := range res.Relations {
		if slices.Contains(s.types, p.Type) {
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
}

func (s *typedScore) micro(types []kg.RelationType) (p, r float64, np, nc, ng, nr int) {
	for _, t := range types {
		np += s.proposed[t]
		nc += s.correct[t]
		ng += s.gold[t]
		nr += s.recalled[t]
	}
	return ratio(nc, np), ratio(nr, ng), np, nc, ng, nr
}

func (s *typedScore) table(title string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", title)
	fmt.Fprintf(&b, "  %-28s %8s %8s %6s %9s %6s %6s\n", "type", "proposed", "correct", "gold", "recalled", "P", "R")
	for _, t := range s.types {
		if s.proposed[t]+s.gold[t] == 0 {
			continue
		}
		fmt.Fprintf(&b, "  %-28s %8d %8d %6d %9d %6.2f %6.2f\n", t, s.proposed[t], s.correct[t], s.gold[t], s.recalled[t],
			ratio(s.correct[t], s.proposed[t]), ratio(s.recalled[t], s.gold[t]))
	}
	for _, row := range []struct {
		name  string
		types []kg.RelationType
	}{{"micro, core types", coreTypes}, {"micro, all types", s.types}} {
		p, r, np, nc, ng, nr := s.micro(row.types)
		fmt.Fprintf(&b, "  %-28s %8d %8d %6d %9d %6.2f %6.2f\n", row.name, np, nc, ng, nr, p, r)
	}
	return b.String()
}

// everyType is the whole vocabulary.
func everyType() []kg.RelationType { return kg.RelationTypes() }

// noClaimAsFact fails when a relation inside a reported-speech sentence
// that the labels attribute comes out ASSERTED: every gold ALLEGED relation
// a proposal matches (type and ends) must be ALLEGED too.
func noClaimAsFact(t *testing.T, gold *kg.Graph, res *Result) {
	t.Helper()
	top := rollUp(gold.Relations, res.Relations)
	for _, g := range gold.Relations {
		if g.Attribution != kg.Alleged {
			continue
		}
		for _, p := range res.Relations {
			if p.Type == g.Type && top(p.From) == top(g.From) && top(p.To) == top(g.To) && overlaps(p.Evidence, g.Evidence) && p.Attribution != kg.Alleged {
				t.Errorf("%s: a claim came out as a fact: %s %s->%s %q", g.SourceID, p.Type, p.From, p.To, p.Evidence[0].Quote)
			}
		}
	}
}

// TestParseSeedFresh codes the seed article as a fresh store would (no
// known actors or places) and scores it against the curated graph.
func TestParseSeedFresh(t *testing.T) {
	pc := parseCoder(t)
	g, err := seed.Graph()
	if err != nil {
		t.Fatal(err)
	}
	src := g.Sources[0]
	res, err := pc.CodeContext(context.Background(), Document{Text: src.Text, SourceID: src.ID, Published: storyDate(src)}, Known{})
	if err != nil {
		t.Fatal(err)
	}
	validateResult(t, src, Known{}, res)
	// A fresh store names actors differently: resolve the proposals' new
	// actors to the curated ones by name and alias before scoring
	// (resolution is what ingestion against a store would do).
	mapped := resolveToGold(g, res)
	s := newTypedScore(everyType())
	s.addGraph(g, mapped)
	report(t, s.table("parse coder on the seed article, fresh store (new actors resolved to curated ones by name)"))
	noClaimAsFact(t, g, mapped)
	// The target is core recall >= 0.70; it is reported, not
	// asserted, until the coder reaches it (README: measured figures).
	_, r, _, _, _, _ := s.micro(coreTypes)
	report(t, fmt.Sprintf("  core recall %.2f (target 0.70: %s)\n", r, metOrNot(r >= 0.7)))
}

func metOrNot(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT MET"
}

// resolveToGold renames the proposals' new actors to the gold actor with
// the same name or alias (or, for states, country), as a store would.
func resolveToGold(g *kg.Graph, res *Result) *Result {
	ren := map[string]string{}
	for _, a := range res.Actors {
		for _, ga := range g.Actors {
			same := false
			for _, n := range ga.Names() {
				if slices.Contains(a.Names(), n) {
					same = true
				}
			}
			if a.Kind == kg.KindState && ga.Kind == kg.KindState && a.Country == ga.Country && a.Country != "" {
				same = true
			}
			if a.Kind != kg.KindPerson && a.Kind != kg.KindState && a.CAMEOCode != "" && ga.CAMEOCode == a.CAMEOCode && ga.Kind == a.Kind {
				same = true
			}
			if same {
				ren[a.ID] = ga.ID
				break
			}
		}
	}
	for _, p := range res.Places {
		for _, gp := range g.Places {
			if slices.ContainsFunc(append([]string{gp.Name}, gp.Aliases...), func(n string) bool { return kg.Fold(n) == kg.Fold(p.Name) }) {
				ren[p.ID] = gp.ID
				break
			}
		}
	}
	out := &Result{Actors: res.Actors, Places: res.Places}
	for _, r := range res.Relations {
		if n, ok := ren[r.From]; ok {
			r.From = n
		}
		if n, ok := ren[r.To]; ok {
			r.To = n
		}
		if n, ok := ren[r.ClaimedBy]; ok {
			r.ClaimedBy = n
		}
		out.Relations = append(out.Relations, r)
	}
	return out
}

// TestParseHeldOut codes the held-out stories (testdata/heldout, labelled
// before the parse coder's rules were written; never tuned on) with the
// labelled actors and places known, and prints precision and recall per
// type, core and all types.
func TestParseHeldOut(t *testing.T) {
	pc := parseCoder(t)
	files, err := filepath.Glob("testdata/heldout/*.json")
	if err != nil {
		t.Fatal(err)
	}
	s, bySet := newTypedScore(everyType()), setScores{}
	sets := heldOutSets(t, storyIDs(files))
	var lines strings.Builder
	fmt.Fprintf(&lines, "parse coder on the held-out stories\n  %-36s %8s %8s %6s %9s %6s %6s\n", "story (core types)", "proposed", "correct", "gold", "recalled", "P", "R")
	for _, f := range files {
		id, g := heldOutStory(t, f)
		src := g.Sources[0]
		known := Known{Actors: g.Actors, Places: g.Places}
		res, err := pc.CodeContext(context.Background(), Document{Text: src.Text, SourceID: src.ID, Published: storyDate(src)}, known)
		if err != nil {
			t.Fatal(err)
		}
		validateResult(t, src, known, res)
		noClaimAsFact(t, g, res)
		one := newTypedScore(everyType())
		one.addGraph(g, res)
		s.addGraph(g, res)
		bySet.add(sets[id], g, res)
		p, r, np, nc, ng, nr := one.micro(coreTypes)
		fmt.Fprintf(&lines, "  %-36s %8d %8d %6d %9d %6.2f %6.2f\n", id, np, nc, ng, nr, p, r)
	}
	report(t, lines.String())
	report(t, s.table("parse coder on the held-out stories, per type"))
	report(t, bySet.lines("parse coder on the held-out stories"))
	p, r, _, _, _, _ := s.micro(coreTypes)
	_, ra, _, _, _, _ := s.micro(everyType())
	report(t, fmt.Sprintf("  targets: core precision %.2f >= 0.80 %s, core recall %.2f >= 0.60 %s, all-types recall %.2f >= 0.50 %s\n",
		p, metOrNot(p >= 0.8), r, metOrNot(r >= 0.6), ra, metOrNot(ra >= 0.5)))
}

// ploverRecord is one PLOVER gold-standard record.
type ploverRecord struct {
	ID     string       `json:"id"`
	Event  string       `json:"event"`
	Text   string       `json:"text"`
	Source ploverActors `json:"source"`
	Target ploverActors `json:"target"`
}

// ploverActors is a list of actors; a few records give a string ("" or a
// note) instead, which means no actor.
type ploverActors []ploverActor

func (p *ploverActors) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		*p = nil
		return nil
	}
	return json.Unmarshal(b, (*[]ploverActor)(p))
}

type ploverActor struct {
	Text string `json:"actorText"`
	Code string `json:"code"`
}

// ploverRecords reads ../shared/data/plover (skips when absent, except under
// CI=true) and numbers the sentences (DOCUMENT records skipped) from 1.
func ploverRecords(t *testing.T) []ploverRecord {
	t.Helper()
	b, err := os.ReadFile("../../../shared/data/plover/PLOVER_GSR_CAMEO.txt")
	if errors.Is(err, os.ErrNotExist) {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but ../shared/data/plover is absent")
		}
		t.Skip("../shared/data/plover is absent")
	}
	if err != nil {
		t.Fatal(err)
	}
	var all []ploverRecord
	if err := json.Unmarshal(b, &all); err != nil {
		t.Fatal(err)
	}
	var out []ploverRecord
	for _, r := range all {
		if r.Event != "DOCUMENT" {
			out = append(out, r)
		}
	}
	return out
}

// ploverOf maps a relation to the GSR's PLOVER category by its CAMEO code
// (the CAMEO-to-PLOVER correspondence of the GSR: 02 and 10 DEMAND, 03 AGREE,
// 04 CONSULT, 05 SUPPORT, 06 COOPERATE, 07 AID, 08 CONCEDE (087 RETREAT),
// 09 INVESTIGATE, 11 DISAPPROVE, 12 and 016 REJECT, 13 THREATEN, 14 PROTEST,
// 15 MOBILIZE, 16 SANCTION, 17 COERCE, 18 and 20 ASSAULT, 19 FIGHT).
func ploverOf(r kg.Relation) string {
	c := r.CAMEO
	if strings.HasPrefix(c, "016") {
		return "REJECT"
	}
	if strings.HasPrefix(c, "087") {
		return "RETREAT"
	}
	if len(c) < 2 {
		return ""
	}
	return map[string]string{"02": "DEMAND", "10": "DEMAND", "03": "AGREE", "04": "CONSULT", "05": "SUPPORT", "06": "COOPERATE",
		"07": "AID", "08": "CONCEDE", "09": "INVESTIGATE", "11": "DISAPPROVE", "12": "REJECT", "13": "THREATEN", "14": "PROTEST",
		"15": "MOBILIZE", "16": "SANCTION", "17": "COERCE", "18": "ASSAULT", "19": "FIGHT", "20": "ASSAULT"}[c[:2]]
}

// TestParsePLOVER codes the PLOVER sentences of one half (even positions:
// the test half; PLOVER_HALF=odd for the tuning half) one by one with no
// known actors, and prints coverage, type accuracy and source/target
// accuracy.
func TestParsePLOVER(t *testing.T) {
	pc := parseCoder(t)
	recs := ploverRecords(t)
	want := 0 // even positions (1-based): index 1, 3, ...
	half := "test (even positions)"
	if os.Getenv("PLOVER_HALF") == "odd" {
		want, half = 1, "tuning (odd positions)"
	}
	type outcome struct {
		covered, typeOK, srcOK, tgtOK, hasTgt bool
		got                                   string
	}
	var idx []int
	for i := range recs {
		if (i+1)%2 == want%2 {
			idx = append(idx, i)
		}
	}
	outs := make([]outcome, len(recs))
	results := make([]*Result, len(recs))
	var wg sync.WaitGroup
	jobs := make(chan int)
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				rec := recs[i]
				doc := Document{Text: rec.Text, SourceID: rec.ID, Published: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)}
				ann, err := cachedAnnotation(pc, rec.ID, rec.Text)
				if err != nil {
					t.Error(err)
					continue
				}
				res, err := pc.CodeAnnotated(doc, Known{}, ann)
				if err != nil {
					t.Error(err)
					continue
				}
				outs[i] = judgePLOVER(rec, res)
				results[i] = res
			}
		}()
	}
	for _, i := range idx {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	var n, cov, typ, src, tgt, withTgt int
	confusion := map[string]int{}
	for _, i := range idx {
		o := outs[i]
		n++
		if o.covered {
			cov++
		}
		if o.typeOK {
			typ++
			if o.srcOK {
				src++
			}
			if o.hasTgt {
				withTgt++
				if o.tgtOK {
					tgt++
				}
			}
		} else {
			confusion[recs[i].Event+"->"+o.got]++
		}
		if os.Getenv("PLOVER_VERBOSE") != "" && !(o.typeOK && o.srcOK && (o.tgtOK || !o.hasTgt)) {
			var props []string
			if res := results[i]; res != nil {
				for _, r := range res.Relations {
					props = append(props, fmt.Sprintf("%s/%s %s->%s %.2f", r.Type, r.CAMEO, r.From, r.To, r.Provenance.Confidence))
				}
			}
			t.Logf("%d %s got %q src=%v tgt=%v gold %v -> %v: %s\n    %s", i+1, recs[i].Event, o.got, o.srcOK, o.tgtOK,
				recs[i].Source, recs[i].Target, recs[i].Text, strings.Join(props, "; "))
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "parse coder on the PLOVER gold-standard records, %s half: %d sentences\n", half, n)
	fmt.Fprintf(&b, "  coverage (at least one proposal)        %3d/%d = %.2f\n", cov, n, ratio(cov, n))
	fmt.Fprintf(&b, "  type accuracy (top proposal's category)  %3d/%d = %.2f\n", typ, n, ratio(typ, n))
	fmt.Fprintf(&b, "  source accuracy, of those typed right    %3d/%d = %.2f\n", src, typ, ratio(src, typ))
	fmt.Fprintf(&b, "  target accuracy, of those with a target  %3d/%d = %.2f\n", tgt, withTgt, ratio(tgt, withTgt))
	fmt.Fprintf(&b, "  targets: coverage >= 0.80 %s, type accuracy >= 0.70 %s\n", metOrNot(ratio(cov, n) >= 0.8), metOrNot(ratio(typ, n) >= 0.7))
	report(t, b.String())
	_ = confusion
}

// cachedAnnotation annotates a text, reading and writing the server's answer
// under $CORENLP_CACHE (a directory, for local runs that re-code the same
// sentences many times) when it is set.
func cachedAnnotation(pc *ParseCoder, key, text string) (*corenlp.Document, error) {
	dir := os.Getenv("CORENLP_CACHE")
	if dir == "" {
		return pc.nlp.Annotate(context.Background(), text)
	}
	// The key carries a hash of the text: two GSR records share an id.
	sum := sha256.Sum256([]byte(text))
	f := filepath.Join(dir, key+"-"+hex.EncodeToString(sum[:6])+".json")
	body, err := os.ReadFile(f)
	if err != nil {
		if body, err = pc.nlp.AnnotateJSON(context.Background(), text); err != nil {
			return nil, err
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(f, body, 0o644); err != nil {
			return nil, err
		}
	}
	return corenlp.Parse(body, text)
}

// judgePLOVER compares the highest-confidence non-structural proposal with
// the gold record.
func judgePLOVER(rec ploverRecord, res *Result) (o struct {
	covered, typeOK, srcOK, tgtOK, hasTgt bool
	got                                   string
}) {
	var best *kg.Relation
	for i := range res.Relations {
		r := &res.Relations[i]
		if info, _ := r.Type.Info(); info.Structural {
			continue
		}
		if best == nil || r.Provenance.Confidence > best.Provenance.Confidence {
			best = r
		}
	}
	if best == nil {
		return o
	}
	o.covered = true
	o.got = ploverOf(*best)
	o.typeOK = o.got == rec.Event
	actor := func(id string) *kg.Actor {
		for i := range res.Actors {
			if res.Actors[i].ID == id {
				return &res.Actors[i]
			}
		}
		return nil
	}
	matches := func(id string, gold []ploverActor) bool {
		a := actor(id)
		if a == nil {
			return false
		}
		for _, g := range gold {
			code := strings.ToUpper(g.Code)
			if code == "" {
				continue
			}
			if a.Country == code || strings.HasPrefix(a.CAMEOCode, code) || strings.EqualFold(a.Name, g.Text) ||
				strings.Contains(strings.ToLower(g.Text), strings.ToLower(a.Name)) {
				return true
			}
		}
		return false
	}
	o.srcOK = matches(best.From, rec.Source)
	o.hasTgt = len(rec.Target) > 0
	o.tgtOK = o.hasTgt && matches(best.To, rec.Target)
	return o
}

// BenchmarkParseCoder codes the seed article (about 800 words) with CoreNLP
// warm, with the default pipeline (coref and quotes) and without coref:
//
//	CORENLP_URL=... go test -p 1 ./internal/coder -run '^$' -bench ParseCoder -benchtime 3x
func BenchmarkParseCoder(b *testing.B) {
	pc := parseCoder(b)
	g, err := seed.Graph()
	if err != nil {
		b.Fatal(err)
	}
	src := g.Sources[0]
	doc := Document{Text: src.Text, SourceID: src.ID, Published: storyDate(src)}
	for _, v := range []struct{ name, annotators string }{{"default-with-coref", corenlpDefault}, {"without-coref", corenlpNoCoref}} {
		b.Run(v.name, func(b *testing.B) {
			c := &ParseCoder{c: pc.c, nlp: pc.nlp.WithAnnotators(v.annotators), ev: pc.ev}
			if _, err := c.CodeContext(context.Background(), doc, Known{}); err != nil { // warm
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := c.CodeContext(context.Background(), doc, Known{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
