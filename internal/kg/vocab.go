package kg

import (
	"fmt"
	"strings"
)

// RelationType is the type of a relation. Its values double as Neo4j
// relationship types, which Cypher cannot take as parameters: the store only
// ever puts a RelationType into Cypher after IsValid (the allowlist).
type RelationType string

// The relation vocabulary (ARCHITECTURE.md). Specific types claim CAMEO code
// prefixes; every other codebook code falls to the generic type of its root.
const (
	Accuses          RelationType = "ACCUSES"
	Criticizes       RelationType = "CRITICIZES"
	Denies           RelationType = "DENIES"
	Rejects          RelationType = "REJECTS"
	Threatens        RelationType = "THREATENS"
	Requests         RelationType = "REQUESTS"
	OffersTalks      RelationType = "OFFERS_TALKS"
	Consults         RelationType = "CONSULTS"
	Brokers          RelationType = "BROKERS"
	PartyTo          RelationType = "PARTY_TO"
	Backs            RelationType = "BACKS"
	ReducesRelations RelationType = "REDUCES_RELATIONS"
	Attacks          RelationType = "ATTACKS"
	Besieges         RelationType = "BESIEGES"
	// RespondsTo: a reply to the target's statement; NEGATED, the pointed
	// non-response ("didn't make any reference to Kerry's statement").
	RespondsTo RelationType = "RESPONDS_TO"
	// Structural types: no CAMEO code.
	AffiliatedWith RelationType = "AFFILIATED_WITH"
	PartOf         RelationType = "PART_OF"
	HoldsRole      RelationType = "HOLDS_ROLE"
	Controls       RelationType = "CONTROLS"
	// Generic types for CAMEO roots no specific type claims in full.
	MakeStatement       RelationType = "MAKE_STATEMENT"
	ExpressIntentToCoop RelationType = "EXPRESS_INTENT_TO_COOPERATE"
	Yield               RelationType = "YIELD"
	Investigate         RelationType = "INVESTIGATE"
	Disapprove          RelationType = "DISAPPROVE"
	Protest             RelationType = "PROTEST"
	ExhibitForcePosture RelationType = "EXHIBIT_FORCE_POSTURE"
	Coerce              RelationType = "COERCE"
)

// TypeInfo describes one relation type.
type TypeInfo struct {
	Type        RelationType
	Structural  bool     // PART_OF, HOLDS_ROLE, AFFILIATED_WITH, CONTROLS
	CAMEO       []string // code prefixes the type claims (longest prefix wins)
	PLOVER      string   // default PLOVER category
	Description string
}

// Vocabulary is the relation vocabulary in schema order.
var Vocabulary = []TypeInfo{
	{Accuses, false, []string{"112"}, "ACCUSE", "accuses the target of something (the accused act is in `alleges`)"},
	{Criticizes, false, []string{"110", "111"}, "ACCUSE", "criticizes or denounces the target"},
	{Denies, false, []string{"016"}, "REJECT", "denies an accusation; the target is the accuser, `denies` names the accusation"},
	{Rejects, false, []string{"12"}, "REJECT", "rejects a proposal, demand or request"},
	{Threatens, false, []string{"13"}, "THREATEN", "threatens the target (to break relations, halt talks, use force)"},
	{Requests, false, []string{"02", "10"}, "REQUEST", "appeals to or demands something of the target"},
	{OffersTalks, false, []string{"036"}, "AGREE", "expresses intent to meet or negotiate"},
	{Consults, false, []string{"04"}, "CONSULT", "consults, meets or negotiates with the target"},
	{Brokers, false, []string{"045"}, "CONSULT", "mediates (from = the mediator)"},
	{PartyTo, false, []string{"057"}, "AGREE", "signs a formal agreement with the target"},
	{Backs, false, []string{"05", "06", "07"}, "SUPPORT", "supports, cooperates with or aids the target"},
	{ReducesRelations, false, []string{"16"}, "SANCTION", "reduces relations with the target"},
	{Attacks, false, []string{"18", "19", "20"}, "ASSAULT", "uses force against the target"},
	{Besieges, false, []string{"191"}, "COERCE", "imposes a blockade or siege"},
	{RespondsTo, false, nil, "", "responds to the target's statement (NEGATED: pointedly does not respond); no CAMEO code"},
	{AffiliatedWith, true, nil, "", "is a branch of, or integrated with, the target"},
	{PartOf, true, nil, "", "is a sub-actor of the target (rolled up by rollUp)"},
	{HoldsRole, true, nil, "", "a person holds a role in the target organisation (rolled up by rollUp)"},
	{Controls, true, nil, "", "controls the target place"},
	{MakeStatement, false, []string{"01"}, "", "makes a public statement (CAMEO 01)"},
	{ExpressIntentToCoop, false, []string{"03"}, "AGREE", "expresses intent to cooperate (CAMEO 03)"},
	{Yield, false, []string{"08"}, "CONCEDE", "yields (CAMEO 08)"},
	{Investigate, false, []string{"09"}, "INVESTIGATE", "investigates (CAMEO 09)"},
	{Disapprove, false, []string{"11"}, "ACCUSE", "disapproves (CAMEO 11)"},
	{Protest, false, []string{"14"}, "PROTEST", "protests (CAMEO 14)"},
	{ExhibitForcePosture, false, []string{"15"}, "MOBILIZE", "exhibits force posture (CAMEO 15)"},
	{Coerce, false, []string{"17"}, "COERCE", "coerces (CAMEO 17)"},
}

var typeIndex = func() map[RelationType]TypeInfo {
	m := make(map[RelationType]TypeInfo, len(Vocabulary))
	for _, ti := range Vocabulary {
		m[ti.Type] = ti
	}
	return m
}()

// IsValid reports whether t is in the vocabulary. It is the allowlist that
// guards every relationship type put into Cypher.
func (t RelationType) IsValid() bool { _, ok := typeIndex[t]; return ok }

// Info returns the vocabulary entry of t.
func (t RelationType) Info() (TypeInfo, bool) { ti, ok := typeIndex[t]; return ti, ok }

// IsHierarchy reports whether t is an edge rollUp climbs (PART_OF, HOLDS_ROLE).
func (t RelationType) IsHierarchy() bool { return t == PartOf || t == HoldsRole }

// RelationTypes returns every type in vocabulary order.
func RelationTypes() []RelationType {
	out := make([]RelationType, len(Vocabulary))
	for i, ti := range Vocabulary {
		out[i] = ti.Type
	}
	return out
}

// TypeForCAMEO maps a CAMEO event code to a relation type by longest prefix.
// The code must be in the codebook (see IsCAMEOCode).
func TypeForCAMEO(code string) (RelationType, error) {
	if !IsCAMEOCode(code) {
		return "", fmt.Errorf("CAMEO code %q is not in the codebook", code)
	}
	best, bestLen := RelationType(""), 0
	for _, ti := range Vocabulary {
		for _, p := range ti.CAMEO {
			if strings.HasPrefix(code, p) && len(p) > bestLen {
				best, bestLen = ti.Type, len(p)
			}
		}
	}
	if best == "" {
		return "", fmt.Errorf("CAMEO code %q has no relation type", code)
	}
	return best, nil
}

// PLOVERFor returns the PLOVER category of a relation of type t with CAMEO code.
// BACKS splits by CAMEO root: 05 SUPPORT, 06 COOPERATE, 07 AID.
func PLOVERFor(t RelationType, cameo string) string {
	if t == Backs {
		switch {
		case strings.HasPrefix(cameo, "06"):
			return "COOPERATE"
		case strings.HasPrefix(cameo, "07"):
			return "AID"
		}
	}
	return typeIndex[t].PLOVER
}

// IsPLOVERCategory reports whether p is a category PLOVERFor can return:
// a filter on any other value would select nothing, silently.
func IsPLOVERCategory(p string) bool {
	if p == "COOPERATE" || p == "AID" { // BACKS by CAMEO root 06 / 07
		return true
	}
	for _, ti := range Vocabulary {
		if ti.PLOVER == p {
			return true
		}
	}
	return false
}

// IsCAMEORoot reports whether root is a two-digit CAMEO root code (01 … 20).
func IsCAMEORoot(root string) bool {
	_, ok := CAMEOName(root)
	return ok && len(root) == 2
}

// IsCAMEOCode reports whether code is a CAMEO event code of the codebook.
func IsCAMEOCode(code string) bool { _, ok := goldstein[code]; return ok }

// Goldstein returns the Goldstein score of a CAMEO code.
func Goldstein(code string) (float64, bool) { g, ok := goldstein[code]; return g, ok }
