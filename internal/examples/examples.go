// Package examples holds the example queries an analyst pastes into the
// playground: the playground opens them as tabs, README.md shows them, and
// a test runs each against both stores and a golden file.
package examples

import (
	"embed"
	"io/fs"
	"path"
	"strings"

	"github.com/actorgraph/actorgraph/internal/playground"
)

//go:embed queries/*.graphql
var files embed.FS

// Example is one named query.
type Example struct {
	Name  string // file name without extension, e.g. "01-who-accuses-whom"
	Query string
}

// All returns the examples in file order.
func All() []Example {
	entries, err := fs.ReadDir(files, "queries")
	if err != nil {
		panic(err) // embedded: cannot fail
	}
	var out []Example
	for _, e := range entries {
		data, err := files.ReadFile(path.Join("queries", e.Name()))
		if err != nil {
			panic(err)
		}
		out = append(out, Example{Name: strings.TrimSuffix(e.Name(), ".graphql"), Query: string(data)})
	}
	return out
}

// Playground returns the examples as playground tabs.
func Playground() []playground.Example {
	var out []playground.Example
	for _, e := range All() {
		out = append(out, playground.Example{Name: e.Name, Query: e.Query})
	}
	return out
}
