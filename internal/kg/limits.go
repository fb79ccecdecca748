package kg

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// Text limits: every string a write stores is bounded and free of the
// characters that spoof what a reader sees. The numbers are in Unicode code
// points (ids are ASCII slugs, so bytes there). They are generous for real
// data — the longest actor name of the seed is 52, the longest id 53, the
// longest quote 286 — and small enough that one write cannot store
// megabytes under a name.
const (
	MaxID        = 128     // ids of every kind (slugs)
	MaxName      = 300     // names, titles, publishers, aliases, roles, reviewer names
	MaxAliases   = 500     // aliases of one actor or place (merges add to them)
	MaxShort     = 1_000   // conditions, provenance details, urls
	MaxNote      = 5_000   // notes, descriptions, quotes, review notes, merge notes, deletion reasons
	MaxEvidence  = 100     // evidence entries of one relation or event
	MaxText      = 2 << 20 // a source's full text (2 Mi code points)
	MaxCodeField = 64      // codes: CAMEO, country, QID, row ids
)

// ErrText is wrapped by every FieldError about the characters or length of
// a string.
var ErrText = errors.New("text not allowed")

// FieldError is a problem with one field of an entry; Field is its JSON
// name as the API and the import files spell it ("name", "aliases[2]",
// "evidence[0].quote"). The GraphQL layer reports it as the field of a
// BAD_USER_INPUT error.
type FieldError struct {
	Field string
	Err   error
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Err.Error() }
func (e *FieldError) Unwrap() error { return e.Err }

// CheckText checks one stored string: valid UTF-8, at most max code points,
// and none of
//   - NUL and the other C0 controls (U+0000–U+001F: ESC starts the ANSI
//     escapes that recolour a terminal) — tab, line feed and carriage return
//     only where multiline, in long text;
//   - DEL and the C1 controls (U+007F–U+009F, CSI among them);
//   - the bidi embeddings, overrides and isolates (U+202A–U+202E,
//     U+2066–U+2069), which make a name display as another ("U+202E" turns
//     "gepj.exe" into "exe.jpeg");
//   - U+FEFF (byte order mark) and U+FFFD (the mark of a decoding error).
//
// It returns nil or a *FieldError naming field.
func CheckText(field, s string, max int, multiline bool) error {
	if err := checkText(s, max, multiline); err != nil {
		return &FieldError{Field: field, Err: err}
	}
	return nil
}

func checkText(s string, max int, multiline bool) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("is not valid UTF-8: %w", ErrText)
	}
	n := 0
	for i, r := range s {
		n++
		if n > max {
			return fmt.Errorf("is longer than %d characters: %w", max, ErrText)
		}
		if bad := badRune(r, multiline); bad != "" {
			return fmt.Errorf("has %s U+%04X at byte %d: %w", bad, r, i, ErrText)
		}
	}
	return nil
}

func badRune(r rune, multiline bool) string {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		if multiline {
			return ""
		}
		return "a line break or tab"
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return "the control character"
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return "the bidi control"
	case r == 0xfeff, r == 0xfffd:
		return "the character"
	}
	return ""
}

// textRule is one string field of an entry and its limit.
type textRule struct {
	field     string
	value     string
	max       int
	multiline bool
}

func name(field, v string) textRule  { return textRule{field, v, MaxName, false} }
func short(field, v string) textRule { return textRule{field, v, MaxShort, false} }
func code(field, v string) textRule  { return textRule{field, v, MaxCodeField, false} }
func note(field, v string) textRule  { return textRule{field, v, MaxNote, true} }

// checkTexts runs the rules and reports each failure.
func checkTexts(report func(error), rules ...textRule) {
	for _, r := range rules {
		if err := CheckText(r.field, r.value, r.max, r.multiline); err != nil {
			report(err)
		}
	}
}

func aliasRules(aliases []string) []textRule {
	out := make([]textRule, len(aliases))
	for i, a := range aliases {
		out[i] = name(fmt.Sprintf("aliases[%d]", i), a)
	}
	return out
}

func evidenceRules(evs []Evidence) []textRule {
	out := make([]textRule, len(evs))
	for i, e := range evs {
		out[i] = note(fmt.Sprintf("evidence[%d].quote", i), e.Quote)
	}
	return out
}

// textErrors checks every string field of one entry (of any kind) and the
// counts of its lists; report gets one *FieldError each.
func textErrors(report func(error), entry any) {
	tooMany := func(field string, n, max int) {
		if n > max {
			report(&FieldError{Field: field, Err: fmt.Errorf("has %d entries, more than %d: %w", n, max, ErrText)})
		}
	}
	switch e := entry.(type) {
	case *Source:
		checkTexts(report, name("title", e.Title), name("publisher", e.Publisher), code("country", e.Country),
			short("url", e.URL), name("originalPublisher", e.OriginalPublisher),
			textRule{"text", e.Text, MaxText, true})
	case *Actor:
		tooMany("aliases", len(e.Aliases), MaxAliases)
		checkTexts(report, append([]textRule{name("name", e.Name), code("country", e.Country),
			code("cameoCode", e.CAMEOCode), code("wikidata", e.Wikidata), note("description", e.Description)},
			aliasRules(e.Aliases)...)...)
	case *Place:
		tooMany("aliases", len(e.Aliases), MaxAliases)
		checkTexts(report, append([]textRule{name("name", e.Name), code("country", e.Country),
			code("wikidata", e.Wikidata)}, aliasRules(e.Aliases)...)...)
	case *Event:
		tooMany("evidence", len(e.Evidence), MaxEvidence)
		checkTexts(report, append([]textRule{name("name", e.Name), note("description", e.Description)},
			evidenceRules(e.Evidence)...)...)
	case *Relation:
		tooMany("evidence", len(e.Evidence), MaxEvidence)
		rules := []textRule{short("condition", e.Condition), name("role", e.Role), code("cameo", e.CAMEO),
			note("note", e.Note), short("provenance.detail", e.Provenance.Detail)}
		if row := e.Row; row != nil {
			rules = append(rules, code("row.format", row.Format), code("row.rowId", row.RowID),
				name("row.actor1", row.Actor1), name("row.actor2", row.Actor2), short("row.url", row.URL))
		}
		checkTexts(report, append(rules, evidenceRules(e.Evidence)...)...)
	}
}
