package neo4jstore

import (
	"fmt"
	"hash/fnv"
	"strings"

	"github.com/actorgraph/actorgraph/internal/kg"
)

// Full-text search: two Lucene indexes over the searchTokens property Load
// writes (codec.go): actors and events (searchTokens = the space-joined
// kg.Tokens of name + aliases, name + description), and relations
// (searchTokens = each evidence quote's tokens, one quote per line). The
// whitespace analyzer leaves the tokens as kg.Tokens made them, so Lucene
// and the embedded index see the same words.
const searchNodesIndex = "search_nodes"

// searchEvidenceIndex names the relationship index after the relation types
// it covers: a full-text index lists its types, so a vocabulary change
// makes a new index rather than silently missing a type.
var searchEvidenceIndex = func() string {
	h := fnv.New32a()
	for _, t := range kg.RelationTypes() {
		h.Write([]byte(t))
		h.Write([]byte{0})
	}
	return fmt.Sprintf("search_evidence_%08x", h.Sum32())
}()

const fulltextOptions = "OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace', `fulltext.eventually_consistent`: false}}"

// searchSchema are the full-text indexes, created IF NOT EXISTS.
var searchSchema = func() []schemaObject {
	types := make([]string, 0, len(kg.Vocabulary))
	for _, t := range kg.RelationTypes() {
		types = append(types, string(t)) // the allowlist
	}
	return []schemaObject{
		{searchNodesIndex, "CREATE FULLTEXT INDEX " + searchNodesIndex +
			" IF NOT EXISTS FOR (n:Actor|Event) ON EACH [n.searchTokens] " + fulltextOptions},
		{searchEvidenceIndex, "CREATE FULLTEXT INDEX " + searchEvidenceIndex +
			" IF NOT EXISTS FOR ()-[r:" + strings.Join(types, "|") + "]-() ON EACH [r.searchTokens] " + fulltextOptions},
	}
}()
