package coder

import (
	"strings"
	"unicode"
)

// A token is a word or a punctuation mark of the text, with its half-open
// [start, end) offsets in code points.
type token struct {
	start, end  int
	text        string // as written
	low         string // normalised: lower case, typographic apostrophes and quotes folded
	punct       bool
	spaceBefore bool // white space (or the start of the line) precedes the token
}

// capitalised reports whether the token starts with an upper-case letter.
func (t token) capitalised() bool {
	for _, r := range t.text {
		return unicode.IsUpper(r)
	}
	return false
}

// allCaps reports whether every letter of the token is upper case and it has
// at least one letter.
func (t token) allCaps() bool {
	n := 0
	for _, r := range t.text {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			n++
		}
	}
	return n > 0
}

// normalize folds a string the way tokens are folded: lower case, the
// typographic apostrophe and quotes mapped to ASCII.
func normalize(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		b.WriteRune(foldRune(r))
	}
	return b.String()
}

func foldRune(r rune) rune {
	switch r {
	case '’', '‘', 'ʼ', '`', '´':
		return '\''
	case '“', '”', '„', '«', '»':
		return '"'
	case '–', '—', '―':
		return '-'
	}
	return r
}

func isApostrophe(r rune) bool { return r == '\'' || r == '’' || r == 'ʼ' }

func isQuote(r rune) bool {
	switch r {
	case '"', '“', '”', '„', '«', '»', '‘':
		return true
	}
	return false
}

func isDash(r rune) bool { return r == '–' || r == '—' || r == '―' }

// abbreviations knows which words written with a final period keep it.
type abbreviations struct {
	title  map[string]bool // never end a sentence: Mr., Lt., Gen.
	month  map[string]bool // never end a sentence before a number: Sept. 9
	final  map[string]bool // may end a sentence: Inc., etc.
	starts map[string]bool // words that start a sentence after an initialism: "... the U.S. The ..."
}

func (a *abbreviations) known(low string) bool { return a.title[low] || a.month[low] || a.final[low] }

// tokenize splits text[from:to] into tokens. Abbreviations keep their period
// ("U.S.", "Lt.", "Sept."); possessive and contracted endings are split off
// ("Ukraine's" -> "Ukraine" "'s"; "didn't" -> "did" "n't"; "rebels'" ->
// "rebels" "'s"); hyphenated words are split at the hyphen ("U.S.-Russian"
// -> "U.S." "-" "Russian"), and spaced or typographic dashes become "--".
func tokenize(text []rune, from, to int, ab *abbreviations) []token {
	var toks []token
	space := true
	i := from
	emit := func(s, e int, low string, punct bool) {
		toks = append(toks, token{start: s, end: e, text: string(text[s:e]), low: low, punct: punct, spaceBefore: space})
		space = false
	}
	for i < to {
		r := text[i]
		switch {
		case unicode.IsSpace(r):
			space = true
			i++
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			j := i
			for j < to {
				c := text[j]
				if unicode.IsLetter(c) || unicode.IsDigit(c) || unicode.IsMark(c) {
					j++
					continue
				}
				// Digits grouped with , or . (2,000 / 3.5).
				if (c == ',' || c == '.') && j > i && unicode.IsDigit(text[j-1]) && j+1 < to && unicode.IsDigit(text[j+1]) {
					j++
					continue
				}
				// Apostrophe inside a word: O'Brien, N'Djamena, Sana'a; but
				// not a possessive or a contraction (handled below).
				if isApostrophe(c) && j+1 < to && unicode.IsLetter(text[j+1]) {
					k := j + 1
					for k < to && unicode.IsLetter(text[k]) {
						k++
					}
					tail := strings.ToLower(string(text[j+1 : k]))
					if tail == "s" || tail == "t" || tail == "ll" || tail == "re" || tail == "ve" || tail == "d" || tail == "m" {
						break
					}
					j = k
					continue
				}
				break
			}
			// Initialisms (U.S., U.N., U.S.A.) and known abbreviations keep their periods.
			if j < to && text[j] == '.' {
				word := strings.ToLower(string(text[i:j]))
				if j-i == 1 && unicode.IsLetter(text[i]) {
					k := j + 1
					for k+1 < to && unicode.IsLetter(text[k]) && text[k+1] == '.' {
						k += 2
					}
					j = k
				} else if ab.known(word) || (j+2 < to && text[j+1] != ' ' && unicode.IsLetter(text[j+1]) && text[j+2] == '.' && ab.known(strings.ToLower(string(text[i:j+2])))) {
					j++
				}
			}
			low := normalize(string(text[i:j]))
			// "didn't": split off n't.
			if j+1 < to && isApostrophe(text[j]) && (text[j+1] == 't' || text[j+1] == 'T') && j-1 > i && strings.HasSuffix(low, "n") && (j+2 >= to || !unicode.IsLetter(text[j+2])) {
				emit(i, j-1, low[:len(low)-1], false)
				emit(j-1, j+2, "n't", false)
				i = j + 2
				continue
			}
			emit(i, j, low, false)
			i = j
			// Possessive or contraction: 's 'll 're 've 'd 'm; plural possessive s'.
			if i < to && isApostrophe(text[i]) {
				k := i + 1
				for k < to && unicode.IsLetter(text[k]) {
					k++
				}
				tail := strings.ToLower(string(text[i+1 : k]))
				switch {
				case tail == "s" || tail == "ll" || tail == "re" || tail == "ve" || tail == "d" || tail == "m":
					emit(i, k, "'"+tail, false)
					i = k
				case k == i+1 && strings.HasSuffix(low, "s"):
					emit(i, i+1, "'s", false)
					i++
				}
			}
		case r == '-' && i > from && i+1 < to && !unicode.IsSpace(text[i-1]) && !unicode.IsSpace(text[i+1]) && text[i+1] != '-':
			emit(i, i+1, "-", true)
			i++
		case r == '-' || isDash(r):
			j := i
			for j < to && (text[j] == '-' || isDash(text[j])) {
				j++
			}
			emit(i, j, "--", true)
			i = j
		case isQuote(r) || isApostrophe(r):
			emit(i, i+1, "\"", true)
			i++
		default:
			emit(i, i+1, string(foldRune(unicode.ToLower(r))), true)
			i++
		}
	}
	return toks
}

// words splits a dictionary phrase into normalised token texts, the same way
// tokenize splits running text.
func words(phrase string, ab *abbreviations) []string {
	r := []rune(phrase)
	toks := tokenize(r, 0, len(r), ab)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.low
	}
	return out
}
