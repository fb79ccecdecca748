package examples

import (
	"os"
	"strings"
	"testing"
)

// TestREADMEShowsEveryExample: the README's examples are the ones the
// playground opens and the golden test runs, word for word.
func TestREADMEShowsEveryExample(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	all := All()
	if len(all) < 7 {
		t.Fatalf("only %d examples", len(all))
	}
	for _, e := range all {
		if !strings.Contains(string(readme), "```graphql\n"+strings.TrimRight(e.Query, "\n")+"\n```") {
			t.Errorf("README.md lacks example %s verbatim", e.Name)
		}
	}
}
