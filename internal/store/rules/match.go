package rules

import (
	"slices"
	"strings"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// MatchRelation applies f to one relation in memory, as the stores' relation
// lists apply it in their queries: the change feed filters its entries with
// it and an export filters an actor's neighbourhood with it, so a filter
// selects the same relations wherever it is given.
//
// end reports whether actor id passes the filter's actor want (From, To,
// ClaimedBy); it is only called with a non-empty want, and applies roll-up
// when the caller's filter asks for it. kinds holds the kind of each end
// actor when f selects by actor kind (an end missing from it fails).
func MatchRelation(f store.RelationFilter, r kg.Relation, end func(want, id string) bool, kinds map[string]kg.ActorKind) bool {
	kindOK := func(want []kg.ActorKind, id string) bool {
		k, ok := kinds[id]
		return len(want) == 0 || ok && slices.Contains(want, k)
	}
	endOK := func(want, id string) bool { return want == "" || end(want, id) }
	switch {
	case len(f.Types) > 0 && !slices.Contains(f.Types, r.Type),
		!endOK(f.From, r.From), !endOK(f.To, r.To),
		f.ClaimedBy != "" && (r.ClaimedBy == "" || !end(f.ClaimedBy, r.ClaimedBy)),
		f.Place != "" && r.PlaceID != f.Place,
		f.Attribution != "" && r.Attribution != f.Attribution,
		f.Status != "" && r.Status != f.Status,
		f.Review != "" && r.Provenance.Review != f.Review,
		f.Source != "" && r.SourceID != f.Source,
		f.Event != "" && r.EventID != f.Event,
		f.CAMEORoot != "" && !strings.HasPrefix(r.CAMEO, f.CAMEORoot),
		f.PLOVER != "" && r.PLOVER() != f.PLOVER,
		r.Provenance.Confidence < f.MinConfidence,
		!kindOK(f.FromKinds, r.From), !kindOK(f.ToKinds, r.To),
		!InRange(Pick(f.Dates, r.Occurred.Date, r.Reported.Date), f.Dates):
		return false
	}
	return true
}
