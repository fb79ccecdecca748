package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/actorgraph/actorgraph/internal/export"
)

const exportUsage = `Usage: actorgraph export --format networkx|cytoscape|graphml|gexf|csv-nodes|csv-edges|json [flags]

Writes the whole graph, or an actor's neighbourhood, in a format
visualization tools and notebooks read — what GET /export/{format} serves:
networkx node-link JSON, Cytoscape.js elements JSON, GraphML (Gephi, yEd),
GEXF 1.3 with dates for Gephi's timeline, CSV of nodes or of edges, and the
project's own JSON (which "actorgraph import --format json" loads).

The export is streamed to stdout, or to -o FILE, which appears only once it
is whole. The embedded store cannot be read while a server holds it: export
from the running server over HTTP then (curl -OJ …/export/graphml).

Flags:
`

// exportParams maps the command's filter flags to export.ParseQuery's parameters.
var exportParams = map[string]string{
	"actor": "actor", "depth": "depth", "direction": "direction", "types": "types",
	"attribution": "attribution", "status": "status", "from": "from", "to": "to",
	"on": "on", "gexf-version": "version", "claimed-by": "claimedBy", "place": "place",
	"review": "review", "cameo-root": "cameoRoot", "plover": "plover", "min-confidence": "minConfidence",
	"source": "source", "event": "event", "from-kinds": "fromKinds", "to-kinds": "toKinds",
}

// exportCmd runs `actorgraph export`.
func exportCmd(ctx context.Context, log *slog.Logger, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), exportUsage)
		fs.PrintDefaults()
	}
	format := fs.String("format", "", "networkx, cytoscape, graphml, gexf, csv-nodes, csv-edges or json (required)")
	var out string
	fs.StringVar(&out, "o", "", "write to FILE instead of stdout")
	fs.StringVar(&out, "output", "", "same as -o")
	fs.String("actor", "", "export this actor's neighbourhood (id, name or alias) instead of the whole graph")
	fs.String("depth", "", "with --actor: hops out, 1..3 (default 1)")
	fs.String("direction", "", "with --actor: OUT, IN or BOTH (default BOTH)")
	fs.String("types", "", "only these relation types, comma-separated (ACCUSES,DENIES)")
	fs.String("attribution", "", "only ASSERTED or only ALLEGED relations")
	fs.String("status", "", "only relations of this status (ACTUAL, PLANNED, CONDITIONAL, NEGATED, HYPOTHETICAL)")
	fs.String("claimed-by", "", "only ALLEGED relations claimed by this actor (id, name or alias; rolled up)")
	fs.String("place", "", "only relations that happened at this place id")
	fs.String("review", "", "only relations of this review state (PROPOSED, CONFIRMED, REJECTED)")
	fs.String("cameo-root", "", "only relations whose CAMEO code has this two-digit root (19 = fight)")
	fs.String("plover", "", "only relations of this PLOVER category (ACCUSE, ASSAULT …)")
	fs.String("min-confidence", "", "only relations with at least this confidence, 0..1")
	fs.String("source", "", "only relations reported by this source id")
	fs.String("event", "", "only relations that are part of this event id")
	fs.String("from-kinds", "", "only relations whose subject is of these actor kinds, comma-separated (STATE,GOVERNMENT)")
	fs.String("to-kinds", "", "only relations whose object is of these actor kinds, comma-separated")
	fs.String("from", "", "only relations dated on or after YYYY-MM-DD")
	fs.String("to", "", "only relations dated on or before YYYY-MM-DD")
	fs.String("on", "", "the date --from/--to bound: OCCURRED (default) or REPORTED")
	fs.String("gexf-version", "", "gexf: 1.3 (default) or 1.2draft (for networkx before 3.6)")
	var sf storeFlags
	sf.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("export: unexpected argument %q (the output file goes after -o)", fs.Arg(0))
	}
	if *format == "" {
		return errors.New(`export: --format is required (see "actorgraph export -h")`)
	}
	f, err := export.ParseFormat(*format)
	if err != nil {
		return err
	}
	vals := url.Values{}
	fs.Visit(func(fl *flag.Flag) {
		if p, ok := exportParams[fl.Name]; ok {
			vals.Set(p, fl.Value.String())
		}
	})
	q, err := export.ParseQuery(vals)
	if err == nil && vals.Has("version") && f != export.GEXF {
		err = &export.InputError{Field: "version", Message: "is for --format gexf only"}
	}
	if err != nil {
		var ie *export.InputError
		if errors.As(err, &ie) {
			for name, p := range exportParams {
				if p == ie.Field {
					return fmt.Errorf("export: --%s: %s", name, ie.Message)
				}
			}
		}
		return fmt.Errorf("export: %w", err)
	}
	if sf.neo4jURI == "" {
		// Opening would create an empty store: say what is wrong instead.
		if _, err := os.Stat(sf.dataDir); err != nil {
			return fmt.Errorf("export: no embedded store at %s (--data-dir): %w", sf.dataDir, err)
		}
	}

	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	st, err := sf.open(ctx, log)
	if err != nil {
		return err
	}
	defer st.Close(context.Background())

	if out == "" || out == "-" {
		return export.Write(ctx, st, f, q, stdout)
	}
	// Write beside the target and rename: a failed or interrupted export
	// never leaves a file that looks whole.
	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after the rename: nothing left to remove
	tmp.Chmod(0o644)            // as os.Create would make it (CreateTemp makes 0600)
	cw := &countWriter{w: tmp}
	if err := export.Write(ctx, st, f, q, cw); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return err
	}
	log.Info("exported", "format", f, "file", out, "bytes", cw.n)
	return nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
