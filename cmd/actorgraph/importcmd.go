package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/actorgraph/actorgraph/internal/importer"
	"github.com/actorgraph/actorgraph/internal/seed"
)

const importUsage = `Usage: actorgraph import --format gdelt|gdelt2|gdelt1|icews|json|csv [flags] [FILE…]

Imports event data (GDELT 2.0 / 1.0, ICEWS) or the project's own JSON or CSV
into the store, in batches of one transaction each. With no FILE, or "-",
it reads stdin. Rows that cannot be imported are skipped and listed with
their line numbers; --strict writes nothing at all if any row is malformed.
Importing the same file again changes nothing. A summary goes to stdout, a
progress line to stderr when it is a terminal. With --server URL (and a
write key in --api-key or ACTORGRAPH_API_KEY) the files go to that running
server, which imports them into its store: the way to import into an
embedded store a server holds open, and like every write, the import's
batches reach the subscribers of every server.

Flags:
`

// importCmd runs `actorgraph import`.
func importCmd(ctx context.Context, log *slog.Logger, args []string) error {
	return runImport(ctx, log, args, os.Stdin, os.Stdout, os.Stderr)
}

func runImport(ctx context.Context, log *slog.Logger, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, importUsage)
		fs.PrintDefaults()
	}
	format := fs.String("format", "", "input format: gdelt (2.0 or 1.0, per row), gdelt2, gdelt1, icews, json, csv (required)")
	strict := fs.Bool("strict", false, "refuse the whole input if any row is malformed (nothing is written)")
	batch := fs.Int("batch", importer.DefaultBatch, "rows per transaction")
	maxLine := fs.Int("max-line", importer.DefaultMaxLine, "longest line accepted, in bytes; longer lines are skipped")
	noSeed := fs.Bool("no-seed", false, "do not load the seed article graph into an empty store first (event data and CSV only)")
	var sf storeFlags
	sf.register(fs)
	var rf remoteFlags
	rf.register(fs)
	files, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	f, err := importer.ParseFormat(*format)
	if err != nil {
		fs.Usage()
		return err
	}
	if *batch <= 0 {
		return fmt.Errorf("--batch must be positive, is %d", *batch)
	}
	if len(files) == 0 {
		files = []string{"-"}
	}
	if rf.server != "" {
		return rf.importFiles(ctx, *format, *strict, *batch, *noSeed, files, stdin, stdout)
	}

	// Open every file before the store, so a typo fails fast.
	var inputs []importer.Input
	for _, name := range files {
		if name == "-" {
			inputs = append(inputs, importer.Input{Name: "-", R: stdin})
			continue
		}
		fh, err := os.Open(name)
		if err != nil {
			return err
		}
		defer fh.Close()
		inputs = append(inputs, importer.Input{Name: name, R: fh})
	}

	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	st, err := sf.open(ctx, log)
	if err != nil {
		return err
	}
	defer st.Close(context.Background())
	if f != importer.JSON && !*noSeed {
		// As `serve` does: otherwise an import into a new store would keep the
		// seed graph out for good, and the actor codes would not meet its actors.
		if loaded, err := seed.EnsureLoaded(ctx, st); err != nil {
			return err
		} else if loaded {
			log.Info("loaded the seed article graph into the empty store")
		}
	}

	opts := importer.Options{Format: f, Strict: *strict, Batch: *batch, MaxLine: *maxLine}
	var bar *progressLine
	if isTerminal(stderr) {
		bar = &progressLine{w: stderr}
		opts.Progress = bar.show
	}
	sum, err := importer.Import(ctx, st, opts, inputs...)
	bar.done()
	if sum != nil {
		if werr := sum.WriteText(stdout); werr != nil && err == nil {
			err = werr
		}
	}
	var se *importer.StrictError
	if errors.As(err, &se) {
		return fmt.Errorf("import refused: %w", err)
	}
	if err == nil && sum != nil {
		err = sum.NoValidRow()
	}
	return err
}

// parseInterleaved parses flags wherever they appear among the files
// ("import a.csv --strict b.csv"); after "--" everything is a file.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return files, nil
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(files, rest...), nil
		}
		files = append(files, rest[0])
		args = rest[1:]
	}
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// progressLine redraws one status line on a terminal, at most every 100 ms.
type progressLine struct {
	w     io.Writer
	last  time.Time
	width int
}

func (p *progressLine) show(pr importer.Progress) {
	if time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	rate := 0.0
	if s := pr.Elapsed.Seconds(); s > 0 {
		rate = float64(pr.Read) / s
	}
	line := fmt.Sprintf("importing %s: %d rows read, %d imported, %d skipped, %.0f rows/s",
		pr.File, pr.Read, pr.Imported, pr.Skipped, rate)
	pad := max(0, p.width-len(line))
	p.width = len(line)
	fmt.Fprintf(p.w, "\r%s%s", line, strings.Repeat(" ", pad))
}

func (p *progressLine) done() {
	if p != nil && p.width > 0 {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", p.width))
	}
}
