// Command peer is the Go half of the side-by-side benchmark (bench/peer/run.sh):
// it turns the graph that ../shared/bench/peer-neo4j-graphql/gen.mjs loaded into
// Neo4j into actorgraph's own import format, wipes that Neo4j between the peer's
// runs and actorgraph's, and prints the results table. A measuring tool, not part
// of the product.
//
//	peer export -uri bolt://127.0.0.1:17690 -o graph.json   # the peer's graph as a kg.Graph
//	peer wipe   -uri bolt://127.0.0.1:17690 [-schema]        # delete every node; -schema: and every index/constraint
//	peer table  -results DIR [-check]                        # markdown table from DIR/<size>/<q>-<variant>-c<N>.json
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"strings"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: peer export|wipe|table [flags]")
		os.Exit(2)
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	uri := fs.String("uri", "bolt://127.0.0.1:17690", "the harness's Neo4j (loopback only)")
	out := fs.String("o", "", "export: write the graph here (default stdout)")
	schema := fs.Bool("schema", false, "wipe: also drop every constraint and index")
	results := fs.String("results", "results", "table: the results directory")
	check := fs.Bool("check", false, "table: fail when a load is missing, failed or had errors")
	_ = fs.Parse(os.Args[2:])
	ctx := context.Background()
	var err error
	switch os.Args[1] {
	case "export":
		if err = loopback(*uri); err == nil {
			err = export(ctx, *uri, *out)
		}
	case "wipe":
		if err = loopback(*uri); err == nil {
			err = wipe(ctx, *uri, *schema)
		}
	case "table":
		err = table(os.Stdout, *results, *check)
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "peer:", err)
		os.Exit(1)
	}
}

// loopback refuses any Neo4j but one on this machine: wipe deletes everything.
func loopback(uri string) error {
	u, err := url.Parse(uri)
	if err != nil {
		return err
	}
	if h := u.Hostname(); h != "localhost" && !strings.HasPrefix(h, "127.") {
		return errors.New("refusing a non-loopback Neo4j")
	}
	return nil
}
