package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/actorgraph/actorgraph/internal/ingest"
	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/seed"
)

// ingestCmd codes article files (or stdin) and writes their proposals:
//
//	actorgraph ingest --publisher P --published 2016-09-28 [--title T] [--url U] [--corenlp-url URL] FILE|DIR...
//
// With several files (or a directory: its *.txt files) each article's title
// is its first line unless --title is given, and --workers articles are coded
// at once (CoreNLP answers one request per core), with progress on stderr.
func ingestCmd(ctx context.Context, log *slog.Logger, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	title := fs.String("title", "", "the article's title (default: its first line)")
	publisher := fs.String("publisher", "", "who published it (required)")
	published := fs.String("published", "", "the date the story ran, YYYY-MM-DD (required): relative dates resolve against it")
	url := fs.String("url", "", "the article's URL (one article only)")
	noSeed := fs.Bool("no-seed", false, "do not load the seed article graph into an empty store first")
	corenlpURL := fs.String("corenlp-url", os.Getenv("CORENLP_URL"), "CoreNLP server for the parse coder (default $CORENLP_URL; empty: the dictionary coder)")
	workers := fs.Int("workers", 2, "articles coded at once (one per CoreNLP core)")
	var sf storeFlags
	sf.register(fs)
	var rf remoteFlags
	rf.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	day, err := time.Parse(time.DateOnly, *published)
	if err != nil {
		return fmt.Errorf("--published must be a date YYYY-MM-DD, got %q", *published)
	}
	files, err := articleFiles(fs.Args())
	if err != nil {
		return err
	}
	if len(files) > 1 && *url != "" {
		return errors.New("--url names one article; give one file with it")
	}
	arts := make([]ingest.Article, len(files))
	for i, f := range files {
		text, err := readArticle(f)
		if err != nil {
			return err
		}
		t := *title
		if t == "" {
			t = firstLine(text)
		}
		arts[i] = ingest.Article{Text: text, Title: t, Publisher: *publisher, URL: *url, Published: day}
	}
	if rf.server != "" { // the server codes and writes them (its seed is its own)
		for _, a := range arts {
			res, err := rf.ingestArticle(ctx, a)
			if err != nil {
				return err
			}
			printIngest(stdout, res)
		}
		return nil
	}
	c, err := ingest.CoderFor(*corenlpURL)
	if err != nil {
		return err
	}
	st, err := sf.open(ctx, log)
	if err != nil {
		return err
	}
	defer st.Close(context.Background())
	if !*noSeed {
		if _, err := seed.EnsureLoaded(ctx, st); err != nil {
			return err
		}
	}
	results := make([]ingest.Result, len(arts))
	errs := make([]error, len(arts))
	prog := newProgress(os.Stderr, len(arts), c.Name())
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < max(1, *workers); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				results[i], errs[i] = ingest.Ingest(ctx, st, c, arts[i])
				prog.done()
			}
		}()
	}
	for i := range arts {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	prog.finish()
	for i := range arts {
		if errs[i] != nil {
			return fmt.Errorf("%s: %w", files[i], errs[i])
		}
		printIngest(stdout, results[i])
	}
	return nil
}

// articleFiles expands the arguments: a directory stands for its *.txt
// files (sorted); no argument or "-" is stdin.
func articleFiles(args []string) ([]string, error) {
	if len(args) == 0 {
		return []string{"-"}, nil
	}
	var out []string
	for _, a := range args {
		fi, err := os.Stat(a)
		if a != "-" && err != nil {
			return nil, err
		}
		if a != "-" && fi.IsDir() {
			m, err := filepath.Glob(filepath.Join(a, "*.txt"))
			if err != nil {
				return nil, err
			}
			if len(m) == 0 {
				return nil, fmt.Errorf("%s: no *.txt articles", a)
			}
			sort.Strings(m)
			out = append(out, m...)
			continue
		}
		out = append(out, a)
	}
	return out, nil
}

func readArticle(name string) (string, error) {
	in := io.Reader(os.Stdin)
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return "", err
		}
		defer f.Close()
		in = f
	}
	text, err := io.ReadAll(io.LimitReader(in, 4*ingest.MaxText+1))
	return string(text), err
}

func firstLine(text string) string {
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return ""
}

// progress draws a progress bar with the articles-per-minute rate on a
// terminal-ish writer (stderr).
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	n, of int
	coder string
	t0    time.Time
}

func newProgress(w io.Writer, of int, coder string) *progress {
	p := &progress{w: w, of: of, coder: coder, t0: time.Now()}
	p.draw()
	return p
}

func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	p.draw()
}

func (p *progress) draw() {
	const width = 30
	fill := width * p.n / max(1, p.of)
	rate := float64(p.n) / max(time.Since(p.t0).Minutes(), 1e-9)
	fmt.Fprintf(p.w, "\ringest (%s coder) [%s%s] %d/%d articles, %.1f/min", p.coder,
		strings.Repeat("=", fill), strings.Repeat(" ", width-fill), p.n, p.of, rate)
}

func (p *progress) finish() { fmt.Fprintln(p.w) }

// printIngest summarises what was proposed, for the analyst who will review it.
func printIngest(w io.Writer, res ingest.Result) {
	byType := map[kg.RelationType]int{}
	for _, r := range res.Relations {
		byType[r.Type]++
	}
	types := make([]string, 0, len(byType))
	for t := range byType {
		types = append(types, string(t))
	}
	sort.Strings(types)
	fmt.Fprintf(w, "source %s (%q)\n", res.Source.ID, res.Source.Title)
	fmt.Fprintf(w, "proposed %d relations, all PROPOSED for review:", len(res.Relations))
	for _, t := range types {
		fmt.Fprintf(w, " %s %d", t, byType[kg.RelationType(t)])
	}
	fmt.Fprintf(w, "\nnew actors: %d\n", len(res.Actors))
	for _, a := range res.Actors {
		fmt.Fprintf(w, "  %s  %s (%s)\n", a.ID, a.Name, a.Kind)
	}
	fmt.Fprintf(w, "review them: { relations(filter: {source: %q, review: PROPOSED}) { nodes { id type from { name } to { name } evidence { quote } provenance { detail confidence } } } }\n", res.Source.ID)
}
