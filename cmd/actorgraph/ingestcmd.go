package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"time"

	"github.com/actorgraph/actorgraph/internal/coder"
	"github.com/actorgraph/actorgraph/internal/ingest"
	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/seed"
)

// ingestCmd codes an article file (or stdin) and writes its proposals:
//
//	actorgraph ingest --title T --publisher P --published 2016-09-28 [--url U] FILE
func ingestCmd(ctx context.Context, log *slog.Logger, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	title := fs.String("title", "", "the article's title (required)")
	publisher := fs.String("publisher", "", "who published it (required)")
	published := fs.String("published", "", "the date the story ran, YYYY-MM-DD (required): relative dates resolve against it")
	url := fs.String("url", "", "the article's URL")
	noSeed := fs.Bool("no-seed", false, "do not load the seed article graph into an empty store first")
	var sf storeFlags
	sf.register(fs)
	var rf remoteFlags
	rf.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return errors.New("ingest takes one file (or none for stdin)")
	}
	in := io.Reader(os.Stdin)
	if fs.NArg() == 1 && fs.Arg(0) != "-" {
		f, err := os.Open(fs.Arg(0))
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	text, err := io.ReadAll(io.LimitReader(in, 4*ingest.MaxText+1))
	if err != nil {
		return err
	}
	day, err := time.Parse(time.DateOnly, *published)
	if err != nil {
		return fmt.Errorf("--published must be a date YYYY-MM-DD, got %q", *published)
	}
	article := ingest.Article{Text: string(text), Title: *title, Publisher: *publisher, URL: *url, Published: day}
	if rf.server != "" { // the server codes and writes it (its seed is its own)
		res, err := rf.ingestArticle(ctx, article)
		if err != nil {
			return err
		}
		printIngest(stdout, res)
		return nil
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
	c, err := coder.Default()
	if err != nil {
		return err
	}
	res, err := ingest.Ingest(ctx, st, c, article)
	if err != nil {
		return err
	}
	printIngest(stdout, res)
	return nil
}

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
