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
