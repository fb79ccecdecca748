package coder

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/actorgraph/actorgraph/internal/kg"
)

// heldOutSets reads testdata/heldout/sets.tsv: which set each held-out
// story belongs to. Stories were labelled in sets, each before the rules of
// the coder round it was labelled for, so a set's figures are the honest
// measure of every round before it and of none after: the README reports
// them set by set. Every story must be in exactly one set.
func heldOutSets(t *testing.T, ids []string) map[string]string {
	t.Helper()
	data, err := os.ReadFile("testdata/heldout/sets.tsv")
	if err != nil {
		t.Fatal(err)
	}
	sets := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, set, ok := strings.Cut(line, "\t")
		if !ok || sets[id] != "" {
			t.Fatalf("sets.tsv: bad or repeated line %q", line)
		}
		sets[id] = set
	}
	for _, id := range ids {
		if sets[id] == "" {
			t.Errorf("held-out story %s is in no set of testdata/heldout/sets.tsv", id)
		}
	}
	return sets
}

// setScores keeps one typedScore per held-out set.
type setScores map[string]*typedScore

func (s setScores) add(set string, g *kg.Graph, res *Result) {
	if s[set] == nil {
		s[set] = newTypedScore(everyType())
	}
	s[set].addGraph(g, res)
}

// lines prints core precision/recall and all-types recall per set.
func (s setScores) lines(title string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s, by set\n  %-32s %8s %8s %6s %9s %6s %6s %12s\n", title, "set", "proposed", "correct", "gold", "recalled", "P core", "R core", "R all types")
	sets := make([]string, 0, len(s))
	for set := range s {
		sets = append(sets, set)
	}
	slices.Sort(sets)
	for _, set := range sets {
		p, r, np, nc, ng, nr := s[set].micro(coreTypes)
		_, ra, _, _, _, _ := s[set].micro(everyType())
		fmt.Fprintf(&b, "  %-32s %8d %8d %6d %9d %6.2f %6.2f %12.2f\n", set, np, nc, ng, nr, p, r, ra)
	}
	return b.String()
}

// storyIDs are the ids of the held-out label files.
func storyIDs(files []string) []string {
	ids := make([]string, len(files))
	for i, f := range files {
		ids[i] = strings.TrimSuffix(filepath.Base(f), ".json")
	}
	return ids
}
