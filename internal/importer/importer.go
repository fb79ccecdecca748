package importer

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// Format names an input format.
type Format string

const (
	GDELT  Format = "gdelt"  // GDELT 2.0 or 1.0, told apart per row by column count
	GDELT2 Format = "gdelt2" // GDELT 2.0 Events only (61 columns)
	GDELT1 Format = "gdelt1" // GDELT 1.0 Events only (57 or 58 columns)
	ICEWS  Format = "icews"  // ICEWS coded events (20 columns, header)
	JSON   Format = "json"   // the JSON of kg.Graph
	CSV    Format = "csv"    // the project's CSV: one relation per row
)

// Formats lists every format.
var Formats = []Format{GDELT, GDELT2, GDELT1, ICEWS, JSON, CSV}

// ParseFormat checks a format name.
func ParseFormat(s string) (Format, error) {
	f := Format(strings.ToLower(strings.TrimSpace(s)))
	if !slices.Contains(Formats, f) {
		names := make([]string, len(Formats))
		for i, f := range Formats {
			names[i] = string(f)
		}
		return "", fmt.Errorf("unknown format %q (want one of %s)", s, strings.Join(names, ", "))
	}
	return f, nil
}

const (
	// DefaultBatch is how many rows one store.Load (one transaction) writes.
	DefaultBatch = 5000
	// DefaultMaxLine is the longest line read; longer lines are skipped.
	DefaultMaxLine = 1 << 20
	// Confidence is the confidence of an imported event row: event data are
	// machine-coded from news and unreviewed. It matches the coder's
	// proposals, and review (CONFIRMED / REJECTED) is what moves it.
	Confidence = 0.5
	// MaxProblems is how many skipped rows a Summary lists one by one.
	MaxProblems = 20
)

// Options configure Import.
type Options struct {
	Format Format
	// Strict refuses the whole input when any row is malformed: the input is
	// read and checked in full before anything is written.
	Strict bool
	// Batch is the number of rows per store.Load (default DefaultBatch).
	Batch int
	// MaxLine is the longest line accepted, in bytes (default DefaultMaxLine).
	MaxLine int
	// Progress, when set, is called after every written batch.
	Progress func(Progress)
}

// Progress is a snapshot of a running import.
type Progress struct {
	File                    string
	Read, Imported, Skipped int
	Elapsed                 time.Duration
}

// Input is one file to import. Name labels problems ("-" for stdin).
type Input struct {
	Name string
	R    io.Reader
}

// StrictError is Import's error when Options.Strict refused the input.
type StrictError struct {
	First Problem // the first malformed row
	Bad   int     // how many rows are malformed
}

func (e *StrictError) Error() string {
	return fmt.Sprintf("--strict: nothing imported, %d malformed row(s); first: %s", e.Bad, e.First)
}

// Import reads the inputs in the given format and writes them to st in
// batches of opts.Batch rows, one transaction each. Rows that cannot be
// imported are skipped and reported in the Summary, which Import returns
// even when it fails (what was written before a store error stays).
func Import(ctx context.Context, st store.Store, opts Options, inputs ...Input) (*Summary, error) {
	ctx = store.WithOp(ctx, "import") // the change log's name for its batches
	if _, err := ParseFormat(string(opts.Format)); err != nil {
		return nil, err
	}
	if opts.Batch <= 0 {
		opts.Batch = DefaultBatch
	}
	if opts.MaxLine <= 0 {
		opts.MaxLine = DefaultMaxLine
	}
	start := time.Now()
	res := newResolver(st)
	if !opts.Strict {
		im := newImporter(st, opts, res, false, start)
		err := im.run(ctx, inputs)
		im.sum.Duration = time.Since(start)
		return im.sum, err
	}

	// Strict: a dry run over everything first. Inputs that cannot seek back
	// (stdin from a pipe) are spooled to a temporary file on the way.
	replay, cleanup, err := replayable(inputs)
	defer cleanup()
	if err != nil {
		return nil, err
	}
	dry := newImporter(st, opts, res, true, start)
	if err := dry.run(ctx, replay.first); err != nil {
		dry.sum.Duration = time.Since(start)
		dry.sum.Imported = 0
		return dry.sum, err
	}
	if dry.sum.Bad > 0 {
		dry.sum.Duration = time.Since(start)
		dry.sum.Imported, dry.sum.Created, dry.sum.Refused = 0, Created{}, true
		first := dry.firstBad // the first found; better, the first by line
		for _, p := range dry.sum.Problems {
			if p.Bad {
				first = p
				break
			}
		}
		return dry.sum, &StrictError{First: first, Bad: dry.sum.Bad}
	}
	second, err := replay.again()
	if err != nil {
		return nil, err
	}
	im := newImporter(st, opts, res, false, start)
	err = im.run(ctx, second)
	im.sum.Duration = time.Since(start)
	return im.sum, err
}

// replay lets the inputs be read twice.
type replay struct {
	first []Input
	again func() ([]Input, error)
}

func replayable(inputs []Input) (replay, func(), error) {
	var temps []*os.File
	cleanup := func() {
		for _, f := range temps {
			f.Close()
			os.Remove(f.Name())
		}
	}
	type rewind struct {
		s   io.Seeker
		off int64
	}
	rewinds := make([]*rewind, len(inputs))
	first := make([]Input, len(inputs))
	for i, in := range inputs {
		first[i] = in
		if s, ok := in.R.(io.Seeker); ok {
			if off, err := s.Seek(0, io.SeekCurrent); err == nil {
				rewinds[i] = &rewind{s, off}
				continue
			}
		}
		tmp, err := os.CreateTemp("", "actorgraph-import-*")
		if err != nil {
			return replay{}, cleanup, fmt.Errorf("importer: spool %s for --strict: %w", in.Name, err)
		}
		temps = append(temps, tmp)
		first[i].R = io.TeeReader(in.R, tmp)
	}
	again := func() ([]Input, error) {
		out := make([]Input, len(inputs))
		t := 0
		for i, in := range inputs {
			out[i] = in
			if rw := rewinds[i]; rw != nil {
				if _, err := rw.s.Seek(rw.off, io.SeekStart); err != nil {
					return nil, fmt.Errorf("importer: rewind %s: %w", in.Name, err)
				}
				continue
			}
			tmp := temps[t]
			t++
			if _, err := tmp.Seek(0, io.SeekStart); err != nil {
				return nil, fmt.Errorf("importer: rewind spooled %s: %w", in.Name, err)
			}
			out[i].R = tmp
		}
		return out, nil
	}
	return replay{first, again}, cleanup, nil
}

// lineRef locates a row.
type lineRef struct {
	file string
	line int
}

// item is one row ready to write: a relation, or (JSON) any entity.
type item struct {
	at     lineRef
	rel    *kg.Relation
	source *kg.Source
	actor  *kg.Actor
	place  *kg.Place
	event  *kg.Event
}

type importer struct {
	st    store.Store
	opts  Options
	res   *resolver
	dry   bool // check only: write nothing
	start time.Time
	sum   *Summary

	file    string
	pending []*eventRow // parsed event rows awaiting resolution
	out     []item      // rows ready to write
	// deferred are relations whose alleges/denies names a relation of this
	// import not written yet: the store refuses a link to a relation it
	// does not hold (kg.CheckStored), so they are written after it.
	deferred []item
	written  map[string]bool // relation ids of this import written so far
	seen     map[string]lineRef
	firstBad Problem
	// the first MaxProblems malformed and other skipped rows
	bads, others []seqProblem
}

func newImporter(st store.Store, opts Options, res *resolver, dry bool, start time.Time) *importer {
	return &importer{
		st: st, opts: opts, res: res, dry: dry, start: start,
		sum:  &Summary{Format: opts.Format, Strict: opts.Strict, Reasons: map[string]int{}},
		seen: map[string]lineRef{},
	}
}

func (im *importer) run(ctx context.Context, inputs []Input) error {
	for _, in := range inputs {
		im.file = in.Name
		im.sum.Files = append(im.sum.Files, in.Name)
		var err error
		switch im.opts.Format {
		case GDELT, GDELT1, GDELT2:
			err = im.readLines(ctx, in, im.gdeltLine)
		case ICEWS:
			ic := &icewsFile{}
			err = im.readLines(ctx, in, func(at lineRef, line string) { ic.line(im, at, line) })
		case JSON:
			err = im.readJSON(ctx, in)
		case CSV:
			err = im.readCSV(ctx, in)
		}
		if err != nil {
			return err
		}
	}
	if err := im.resolvePending(ctx); err != nil {
		return err
	}
	return im.flush(ctx, true)
}

// readLines feeds every line of in to parse, turning the reader's own
// problems (too long, invalid UTF-8) into skipped rows.
func (im *importer) readLines(ctx context.Context, in Input, parse func(at lineRef, line string)) error {
	lr := newLineReader(in.R, im.opts.MaxLine)
	for {
		line, size, tooLong, err := lr.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("importer: read %s: %w", in.Name, err)
		}
		at := lineRef{in.Name, lr.line}
		if lr.line == 1 {
			line = bytes.TrimPrefix(line, []byte("\ufeff")) // a byte order mark
		}
		if lr.line%10000 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		im.sum.Read++
		switch {
		case tooLong:
			im.skip(at, ReasonTooLong, true, "%d bytes, over the %d-byte limit", size, im.opts.MaxLine)
		case !validUTF8(line):
			im.skip(at, ReasonUTF8, true, "invalid byte at offset %d", invalidAt(line))
		case len(strings.TrimSpace(string(line))) == 0:
			im.skip(at, ReasonEmpty, false, "the line is blank")
		default:
			parse(at, string(line))
		}
		if len(im.pending) >= im.opts.Batch {
			if err := im.resolvePending(ctx); err != nil {
				return err
			}
			if err := im.flush(ctx, false); err != nil {
				return err
			}
		}
	}
}

// skip records a row that is not imported.
func (im *importer) skip(at lineRef, reason string, bad bool, format string, args ...any) {
	p := Problem{File: at.file, Line: at.line, Reason: reason, Detail: fmt.Sprintf(format, args...), Bad: bad}
	im.sum.Skipped++
	im.sum.Reasons[reason]++
	if bad {
		if im.sum.Bad == 0 {
			im.firstBad = p
		}
		im.sum.Bad++
	}
	// The list shows malformed rows first: a file's first twenty one-sided
	// events must not hide its one bad date.
	list := &im.others
	if bad {
		list = &im.bads
	}
	if len(*list) < MaxProblems {
		*list = append(*list, seqProblem{len(im.sum.Files), p})
		all := append(slices.Clone(im.bads), im.others[:min(len(im.others), MaxProblems-len(im.bads))]...)
		slices.SortStableFunc(all, func(a, b seqProblem) int { return cmp.Or(a.file-b.file, a.Line-b.Line) })
		im.sum.Problems = im.sum.Problems[:0]
		for _, sp := range all {
			im.sum.Problems = append(im.sum.Problems, sp.Problem)
		}
	}
}

// seqProblem orders problems by file (in import order) and line.
type seqProblem struct {
	file int
	Problem
}

// claim records a relation id for this run; a repeated id is skipped.
func (im *importer) claim(at lineRef, id string) bool {
	if first, dup := im.seen[id]; dup {
		im.skip(at, ReasonDuplicate, false, "id %q repeats line %d of %s", id, first.line, first.file)
		return false
	}
	im.seen[id] = at
	return true
}

// flush writes full batches, and with all set the rest too.
func (im *importer) flush(ctx context.Context, all bool) error {
	n := im.opts.Batch
	for len(im.out) >= n || (all && len(im.out) > 0) {
		k := min(n, len(im.out))
		if err := im.load(ctx, im.holdBack(ctx, im.out[:k])); err != nil {
			return err
		}
		im.out = im.out[k:]
	}
	for all && len(im.deferred) > 0 {
		k := min(n, len(im.deferred))
		batch := im.deferred[:k]
		im.deferred = im.deferred[k:]
		if err := im.load(ctx, batch); err != nil {
			return err
		}
	}
	if len(im.out) == 0 {
		im.out = nil // let the backing array go
	}
	return nil
}

// holdBack returns the items of a batch that can be written now, and
// defers relations linking to a relation of this import that is neither
// written yet nor in the batch.
func (im *importer) holdBack(ctx context.Context, items []item) []item {
	if im.written == nil {
		im.written = map[string]bool{}
	}
	in := map[string]bool{}
	for _, it := range items {
		if it.rel != nil {
			in[it.rel.ID] = true
		}
	}
	var ask []string
	for _, it := range items {
		if it.rel != nil {
			for _, id := range []string{it.rel.Alleges, it.rel.Denies} {
				if id != "" && !im.written[id] && !in[id] {
					ask = append(ask, id)
				}
			}
		}
	}
	stored := map[string]kg.Relation{}
	if len(ask) > 0 && !im.dry {
		stored, _ = im.st.Relations(ctx, ask) // on failure: defer, the final batch says why
	}
	waits := func(id string) bool {
		_, ok := stored[id]
		return id != "" && !im.written[id] && !in[id] && !ok
	}
	now := items[:0:0]
	for _, it := range items {
		if it.rel != nil && (waits(it.rel.Alleges) || waits(it.rel.Denies)) {
			im.deferred = append(im.deferred, it)
			continue
		}
		now = append(now, it)
	}
	for _, it := range now {
		if it.rel != nil {
			im.written[it.rel.ID] = true
		}
	}
	return now
}

// load writes one batch in one store.Load, with the entities the import
// creates that its relations need and the store does not hold yet.
func (im *importer) load(ctx context.Context, items []item) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(items) == 0 {
		return nil
	}
	if !im.dry {
		var err error
		if items, err = im.classify(ctx, items); err != nil {
			return fmt.Errorf("importer: read the stored rows of batch %d: %w", im.sum.Batches+1, err)
		}
	}
	g := &kg.Graph{}
	var fresh []*entity
	added := map[string]bool{}
	ref := func(id string) {
		if id == "" || added[id] {
			return
		}
		e := im.res.ents[id]
		if e == nil || e.committed {
			return
		}
		added[id] = true
		fresh = append(fresh, e)
		switch {
		case e.actor != nil:
			g.Actors = append(g.Actors, *e.actor)
		case e.source != nil:
			g.Sources = append(g.Sources, *e.source)
		case e.place != nil:
			g.Places = append(g.Places, *e.place)
		}
	}
	for _, it := range items {
		switch {
		case it.rel != nil:
			r := it.rel
			g.Relations = append(g.Relations, *r)
			ref(r.From)
			ref(r.To)
			ref(r.ClaimedBy)
			ref(r.SourceID)
			ref(r.PlaceID)
		case it.source != nil:
			g.Sources = append(g.Sources, *it.source)
		case it.actor != nil:
			g.Actors = append(g.Actors, *it.actor)
		case it.place != nil:
			g.Places = append(g.Places, *it.place)
		case it.event != nil:
			g.Events = append(g.Events, *it.event)
		}
	}
	if !im.dry && len(g.Relations)+len(g.Actors)+len(g.Sources)+len(g.Places)+len(g.Events) > 0 {
		if err := im.st.Load(ctx, g); err != nil {
			return fmt.Errorf("importer: write batch %d (rows %s to %s): %w",
				im.sum.Batches+1, items[0].at, items[len(items)-1].at, err)
		}
		im.sum.Batches++
		for _, e := range fresh {
			e.committed = true
			switch {
			case e.actor != nil:
				im.sum.Created.Actors++
			case e.source != nil:
				im.sum.Created.Sources++
			case e.place != nil:
				im.sum.Created.Places++
			}
		}
	}
	if im.dry {
		im.sum.Imported += len(items)
	}
	if im.opts.Progress != nil && !im.dry {
		im.opts.Progress(Progress{File: im.file, Read: im.sum.Read, Imported: im.sum.Imported,
			Skipped: im.sum.Skipped, Elapsed: time.Since(im.start)})
	}
	return nil
}

func (l lineRef) String() string { return fmt.Sprintf("%s:%d", l.file, l.line) }
