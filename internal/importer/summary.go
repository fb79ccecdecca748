package importer

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Reasons a row is skipped. Malformed rows (Problem.Bad) make --strict
// refuse the input; the others are well-formed rows the graph cannot hold
// as a relation.
const (
	ReasonTooLong      = "line too long"           // bad
	ReasonUTF8         = "invalid UTF-8"           // bad
	ReasonColumns      = "wrong column count"      // bad
	ReasonID           = "bad id"                  // bad
	ReasonDate         = "bad date"                // bad
	ReasonCode         = "unknown CAMEO code"      // bad: not in the codebook
	ReasonNumber       = "bad number"              // bad: a score, count or tone that is not a number in range
	ReasonActorCode    = "bad actor code"          // bad
	ReasonInvalid      = "invalid"                 // bad: breaks a rule of the data model (kg.Validate)
	ReasonSyntax       = "syntax error"            // bad: JSON or CSV that does not parse
	ReasonHeader       = "bad header"              // bad
	ReasonOneSided     = "one-sided event"         // an actor is missing: no dyad, no relation
	ReasonSelf         = "same actor at both ends" // e.g. USA → USA
	ReasonDuplicate    = "duplicate id"            // the id came earlier in this import; the first wins
	ReasonEmpty        = "empty line"
	ReasonNotInStore   = "unknown reference"        // bad: names an id neither the store nor the import has
	ReasonDependsOnBad = "depends on a skipped row" // bad: refers to a row skipped for another reason
)

// Problem is one skipped row.
type Problem struct {
	File   string `json:"file"`
	Line   int    `json:"line"` // from 1
	Reason string `json:"reason"`
	Detail string `json:"detail"`
	Bad    bool   `json:"bad"` // malformed (what --strict refuses)
}

func (p Problem) String() string {
	return fmt.Sprintf("%s:%d: %s: %s", p.File, p.Line, p.Reason, p.Detail)
}

// Created counts the entities an import added besides its relations.
type Created struct {
	Actors, Sources, Places int
}

// RowCounts splits imported rows: Created added an entity the store did not
// have, Updated changed a stored one, Unchanged matched it and was not
// written (re-importing a file: every row unchanged).
type RowCounts struct {
	Created, Updated, Unchanged int
}

// Summary reports an import.
type Summary struct {
	Format Format
	Files  []string
	Strict bool
	// Refused: --strict found malformed rows and wrote nothing.
	Refused bool
	// Read counts rows (data lines; JSON: entries). Read = Imported + Skipped.
	Read, Imported, Skipped int
	// Bad counts the skipped rows that are malformed.
	Bad int
	// Reasons counts skipped rows by reason.
	Reasons map[string]int
	// Problems lists MaxProblems skipped rows in input order: the first
	// malformed ones, then as many of the first others as fit.
	Problems []Problem
	// Rows splits the imported rows by what they did to the store.
	Rows    RowCounts
	Created Created
	// History counts the merge, deletion and review records restored
	// (JSON exports of the whole graph carry them).
	History  int
	Batches  int // store.Load calls, one transaction each
	Duration time.Duration
}

// ErrNoValidRow: every row read was skipped.
var ErrNoValidRow = errors.New("no row was valid")

// NoValidRow fails an import that read rows but could use none of them
// (every row skipped): the command exits non-zero and the server answers
// 400, since success would mislead a script. Nil otherwise.
func (s *Summary) NoValidRow() error {
	if s.Imported > 0 || s.Skipped == 0 {
		return nil
	}
	return fmt.Errorf("import: %w: all %d row(s) read were skipped (%d malformed); nothing was imported", ErrNoValidRow, s.Read, s.Bad)
}

// RowsPerSecond is the import's throughput over rows read.
func (s *Summary) RowsPerSecond() float64 {
	if s.Duration <= 0 {
		return 0
	}
	return float64(s.Read) / s.Duration.Seconds()
}

// WriteText writes the summary for a person:
//
//	import gdelt: 2000 rows read, 1319 imported, 681 skipped (0 malformed) in 0.52s (3846 rows/s), 1 batch
//	created 427 actors, 883 sources, 560 places
//	skipped:   678  one-sided event
//	             3  same actor at both ends
//	  gdelt.CSV:1: one-sided event: Actor1Code is empty
//	  … 661 more
func (s *Summary) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "import %s: %d rows read, %d imported, %d skipped (%d malformed) in %s (%.0f rows/s), %d %s\n",
		s.Format, s.Read, s.Imported, s.Skipped, s.Bad, s.Duration.Round(time.Millisecond), s.RowsPerSecond(),
		s.Batches, plural(s.Batches, "batch", "batches"))
	if r := s.Rows; s.Imported > 0 && r != (RowCounts{}) {
		fmt.Fprintf(&b, "rows: %d created, %d updated, %d unchanged\n", r.Created, r.Updated, r.Unchanged)
	}
	if s.Refused {
		fmt.Fprintf(&b, "--strict: nothing was written because %d row(s) are malformed\n", s.Bad)
	}
	if c := s.Created; c != (Created{}) {
		fmt.Fprintf(&b, "created %d actors, %d sources, %d places\n", c.Actors, c.Sources, c.Places)
	}
	if s.Skipped > 0 {
		type rc struct {
			reason string
			n      int
		}
		var rcs []rc
		for r, n := range s.Reasons {
			rcs = append(rcs, rc{r, n})
		}
		slices.SortFunc(rcs, func(a, b rc) int { return cmp.Or(cmp.Compare(b.n, a.n), cmp.Compare(a.reason, b.reason)) })
		for i, r := range rcs {
			label := "skipped:"
			if i > 0 {
				label = ""
			}
			fmt.Fprintf(&b, "%-9s %6d  %s\n", label, r.n, r.reason)
		}
		for _, p := range s.Problems {
			fmt.Fprintf(&b, "  %s\n", p)
		}
		if more := s.Skipped - len(s.Problems); more > 0 {
			fmt.Fprintf(&b, "  … %d more\n", more)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
