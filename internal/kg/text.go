package kg

import (
	"strings"
	"unicode"
)

// Tokens splits text into folded search tokens: runs of letters and digits,
// lower-cased ("al-Qaida’s" → al, qaida, s). Both stores index and query
// with it, so Neo4j's full-text index and the embedded one see the same
// words (Neo4j's is fed these tokens with a whitespace analyzer).
func Tokens(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// Span is a half-open range [Start, End) of code points.
type Span struct{ Start, End int }

// tokenSpans returns each token of text with its code-point span, tokenised
// exactly as Tokens does.
func tokenSpans(text string) ([]string, []Span) {
	var toks []string
	var spans []Span
	runes := []rune(text)
	start := -1
	for i := 0; i <= len(runes); i++ {
		word := i < len(runes) && (unicode.IsLetter(runes[i]) || unicode.IsDigit(runes[i]))
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			toks = append(toks, strings.ToLower(string(runes[start:i])))
			spans = append(spans, Span{start, i})
			start = -1
		}
	}
	return toks, spans
}

// Snippet cuts about width code points of text around the first token that
// is one of query's, and returns it with the spans (relative to the
// snippet) of every query token in it. An ellipsis marks a cut end.
func Snippet(text string, query []string, width int) (string, []Span) {
	want := map[string]bool{}
	for _, q := range query {
		want[q] = true
	}
	toks, spans := tokenSpans(text)
	runes := []rune(text)
	first := -1
	for i, t := range toks {
		if want[t] {
			first = i
			break
		}
	}
	from, to := 0, len(runes)
	if len(runes) > width {
		center := 0
		if first >= 0 {
			center = spans[first].Start
		}
		from = max(0, center-width/3)
		to = min(len(runes), from+width)
		from = max(0, to-width)
		// Do not cut a word in two.
		for from > 0 && from < len(runes) && !unicode.IsSpace(runes[from-1]) {
			from++
		}
		for to < len(runes) && to > from && !unicode.IsSpace(runes[to]) {
			to--
		}
	}
	prefix, suffix := "", ""
	if from > 0 {
		prefix = "…"
	}
	if to < len(runes) {
		suffix = "…"
	}
	shift := len([]rune(prefix)) - from
	var hl []Span
	for i, t := range toks {
		if want[t] && spans[i].Start >= from && spans[i].End <= to {
			hl = append(hl, Span{spans[i].Start + shift, spans[i].End + shift})
		}
	}
	return prefix + strings.TrimSpace(string(runes[from:to])) + suffix, hl
}
