package coder

import (
	"strings"
	"unicode"
)

// A sentence of the document: its tokens and its [start, end) code-point
// span, trimmed of surrounding white space.
type sentence struct {
	index      int
	start, end int
	toks       []token
	// headline marks a line without sentence-final punctuation of at most
	// headlineWords words: a headline, subhead, byline or dateline line. It
	// is not coded: headline style drops the words the patterns rely on, and
	// a headline repeats the story's lede.
	headline bool
	// repeat marks a sentence that repeats an earlier one word for word (a
	// photo caption printed twice); it is not coded again.
	repeat bool
}

const headlineWords = 20

// splitSentences splits a text into sentences. Every line break ends a
// sentence (news text carries one paragraph per line). A dateline at the
// start of a paragraph ("MOSCOW – ", "KYIV, Ukraine (AP) — ") is left out of
// the sentence. Inside a line a sentence ends at . ! or ? (with any closing
// quotes or brackets after it) when the next token starts a sentence: an
// upper-case word, a digit or an opening quote. Abbreviations keep their
// period (tokenize): a title or month abbreviation never ends a sentence,
// an initialism such as "U.S." ends one only before a typical sentence
// starter ("... with the U.S. The talks ...").
func splitSentences(text []rune, ab *abbreviations) []sentence {
	var out []sentence
	seen := map[string]bool{}
	add := func(toks []token, headline bool) {
		if len(toks) == 0 {
			return
		}
		s := sentence{index: len(out), start: toks[0].start, end: toks[len(toks)-1].end, toks: toks, headline: headline}
		key := strings.Join(strings.Fields(string(text[s.start:s.end])), " ")
		if seen[key] {
			s.repeat = true
		}
		seen[key] = true
		out = append(out, s)
	}
	lineStart := 0
	for i := 0; i <= len(text); i++ {
		if i < len(text) && text[i] != '\n' {
			continue
		}
		from, to := lineStart, i
		lineStart = i + 1
		for from < to && unicode.IsSpace(text[from]) {
			from++
		}
		for to > from && unicode.IsSpace(text[to-1]) {
			to--
		}
		if from == to {
			continue
		}
		if isHeadline(text[from:to]) {
			add(tokenize(text, from, to, ab), true)
			continue
		}
		from = skipDateline(text, from, to)
		toks := tokenize(text, from, to, ab)
		begin := 0
		for k := 0; k < len(toks); k++ {
			if !endsSentence(toks, k, ab) {
				continue
			}
			end := k + 1
			for end < len(toks) && closesQuote(toks, end) {
				end++
			}
			if end >= len(toks) || startsSentence(toks[end], ab) {
				add(toks[begin:end], false)
				begin = end
				k = end - 1
			}
		}
		add(toks[begin:], false)
	}
	return out
}

// endsSentence reports whether token k can end a sentence.
func endsSentence(toks []token, k int, ab *abbreviations) bool {
	t := toks[k]
	if t.punct {
		return t.low == "." || t.low == "!" || t.low == "?"
	}
	if !strings.HasSuffix(t.low, ".") {
		return false
	}
	// An abbreviation with its period: only initialisms and "Inc."-like
	// words may end a sentence, and only before a typical sentence starter.
	word := strings.TrimSuffix(t.low, ".")
	if ab.title[word] || ab.month[word] {
		return false
	}
	if k+1 < len(toks) {
		next := toks[k+1]
		return next.capitalised() && ab.starts[next.low]
	}
	return true
}

// closesQuote reports whether token k closes a quotation or bracket right
// after sentence-final punctuation (and so belongs to that sentence).
func closesQuote(toks []token, k int) bool {
	t := toks[k]
	if !t.punct {
		return false
	}
	if t.low == ")" || t.low == "]" {
		return true
	}
	// A quote mark glued to the preceding period closes the quotation.
	return t.low == "\"" && !t.spaceBefore
}

func startsSentence(t token, ab *abbreviations) bool {
	if t.punct {
		return t.low == "\"" || t.low == "(" || t.low == "["
	}
	r := []rune(t.text)[0]
	return unicode.IsUpper(r) || unicode.IsDigit(r)
}

// isHeadline reports whether a line is a headline, subhead, byline or date
// line: no sentence-final punctuation at its end, and at most headlineWords
// words.
func isHeadline(line []rune) bool {
	end := len(line)
	for end > 0 && (isQuote(line[end-1]) || isApostrophe(line[end-1]) || line[end-1] == ')' || unicode.IsSpace(line[end-1])) {
		end--
	}
	if end > 0 {
		switch line[end-1] {
		case '.', '!', '?', ':':
			return false
		}
	}
	return len(strings.Fields(string(line))) <= headlineWords
}

// skipDateline returns the offset after a dateline at text[from:], or from.
// A dateline is a place name in capitals, optionally followed by ", Region"
// and an agency in brackets, then a dash: "MOSCOW – ", "KYIV, Ukraine (AP) — ".
func skipDateline(text []rune, from, to int) int {
	limit := min(to, from+80)
	dash := -1
	for i := from; i < limit; i++ {
		if isDash(text[i]) || (text[i] == '-' && i > from && text[i-1] == ' ' && i+1 < to && text[i+1] == ' ') {
			dash = i
			break
		}
	}
	if dash < 0 {
		return from
	}
	head := strings.TrimSpace(string(text[from:dash]))
	if head == "" {
		return from
	}
	// The first word is a name in capitals (at least two letters).
	fields := strings.FieldsFunc(head, func(r rune) bool { return r == ' ' || r == ',' })
	if len(fields) == 0 {
		return from
	}
	first := fields[0]
	letters := 0
	for _, r := range first {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return from
			}
			letters++
		}
	}
	if letters < 2 {
		return from
	}
	for _, r := range head {
		if !(unicode.IsLetter(r) || r == ' ' || r == ',' || r == '.' || r == '(' || r == ')' || r == '\'' || r == '’' || r == '-') {
			return from
		}
	}
	if len(strings.Fields(head)) > 6 {
		return from
	}
	i := dash
	for i < to && (isDash(text[i]) || text[i] == '-') {
		i++
	}
	for i < to && unicode.IsSpace(text[i]) {
		i++
	}
	return i
}
