package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// loadResult is one line of ../shared/bench/loadgen's output.
type loadResult struct {
	RPS    float64 `json:"rps"`
	P50    float64 `json:"p50_ms"`
	P99    float64 `json:"p99_ms"`
	Errors int     `json:"errors"`
}

var (
	variants = []string{"a", "b", "c", "d", "e"}
	queries  = []struct{ id, name string }{{"q1", "Q1 actor card"}, {"q2", "Q2 card + totalCount"},
		{"q3", "Q3 two hops"}, {"q4", "Q4 list by kind"}}
)

// table prints, per size and client count, each variant's rps / p50 / p99 /
// errors and the two targets of issue 13: at -c 1 actorgraph on Neo4j's p50
// minus the hand Cypher's (≤ 1 ms), at -c 8 its rps over @neo4j/graphql's
// (≥ 3 on Q1–Q3, ≥ 1 on Q4).
func table(w io.Writer, dir string, check bool) error {
	var bad []string
	sizes, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "| size | query | clients | (a) @neo4j/graphql | (b) hand Cypher, Go driver | (c) library's Cypher, Go driver | (d) actorgraph on Neo4j | (e) actorgraph embedded | (d) vs target |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|")
	for _, sz := range sizes {
		if !sz.IsDir() {
			continue
		}
		files, _ := filepath.Glob(filepath.Join(dir, sz.Name(), "q1-b-c*.json"))
		var clients []int
		for _, f := range files {
			n, err := strconv.Atoi(strings.TrimSuffix(f[strings.LastIndex(f, "-c")+2:], ".json"))
			if err == nil {
				clients = append(clients, n)
			}
		}
		slices.Sort(clients)
		for _, c := range clients {
			for _, q := range queries {
				res := map[string]*loadResult{}
				cells := []string{strings.ToUpper(sz.Name()), q.name, strconv.Itoa(c)}
				for _, v := range variants {
					res[v] = readResult(filepath.Join(dir, sz.Name(), fmt.Sprintf("%s-%s-c%d.json", q.id, v, c)))
					if res[v] == nil || res[v].Errors > 0 || res[v].RPS == 0 {
						bad = append(bad, fmt.Sprintf("%s %s (%s) -c %d", sz.Name(), q.id, v, c))
					}
					cells = append(cells, cell(res[v]))
				}
				cells = append(cells, verdict(q.id, c, res))
				fmt.Fprintln(w, "| "+strings.Join(cells, " | ")+" |")
			}
		}
	}
	fmt.Fprintln(w, "\nCells: rps / p50 ms / p99 ms / errors.")
	if check && len(bad) > 0 {
		return fmt.Errorf("missing, failed or erroring loads: %s", strings.Join(bad, ", "))
	}
	return nil
}

func readResult(path string) *loadResult {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var r loadResult
	if json.Unmarshal(b, &r) != nil {
		return nil
	}
	return &r
}

func cell(r *loadResult) string {
	if r == nil {
		return "—"
	}
	return fmt.Sprintf("%.0f / %.1f / %.1f / %d", r.RPS, r.P50, r.P99, r.Errors)
}

// verdict compares (d) with its target for this client count.
func verdict(q string, clients int, res map[string]*loadResult) string {
	a, b, d := res["a"], res["b"], res["d"]
	mark := func(ok bool) string {
		if ok {
			return "met"
		}
		return "NOT met"
	}
	switch {
	case d == nil:
		return "—"
	case clients == 1 && b != nil:
		diff := d.P50 - b.P50
		return fmt.Sprintf("p50 %+.1f ms vs (b): %s (≤ +1 ms)", diff, mark(diff <= 1))
	case clients > 1 && a != nil:
		want := 3.0
		if q == "q4" {
			want = 1
		}
		return fmt.Sprintf("rps %.2f× (a): %s (≥ %.0f×)", d.RPS/a.RPS, mark(d.RPS >= want*a.RPS), want)
	}
	return "—"
}
