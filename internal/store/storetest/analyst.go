package storetest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// RunAnalyst runs the analyst questions' conformance suite (timelines,
// dyads, disputes, search) on a fresh store per subtest. Every answer is
// exact — the same on both stores — except search scores, which differ by
// design (Lucene vs the embedded BM25): search checks hit sets, and the
// order only as each store's own order (score, kind, id).
func RunAnalyst(t *testing.T, newStore func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store, an store.Analyst)
	}{
		{"TimelineActorRolledUp", testTimelineActor},
		{"TimelinePair", testTimelinePair},
		{"TimelineDates", testTimelineDates},
		{"TimelineBadInput", testTimelineBad},
		{"DyadsRolledUpWeekly", testDyadsWeekly},
		{"DyadsWithClaimsMonthly", testDyadsClaims},
		{"DyadsNotRolledUp", testDyadsPlain},
		{"DyadsFilters", testDyadsFilters},
		{"DyadsRelationFilter", testDyadsRelationFilter},
		{"DyadsCountingRules", testDyadsRules},
		{"DyadsGeneratedLimit", testDyadsGenerated},
		{"DyadsBadInput", testDyadsBad},
		{"DisputesSeed", testDisputesSeed},
		{"DisputesFilters", testDisputesFilters},
		{"SearchSeed", testSearchSeed},
		{"SearchOneQuote", testSearchOneQuote},
		{"SearchBadInput", testSearchBad},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			tc.fn(t, s, s)
		})
	}
}

func anInvalid(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, store.ErrInvalid) {
		t.Errorf("%s: err = %v, want ErrInvalid", what, err)
	}
}

// --- Timeline ---

// timeline renders items as "R <id>" / "E <id>", with the date.
func timeline(t *testing.T, an store.Analyst, q store.TimelineQuery) []string {
	t.Helper()
	items, err := an.Timeline(ctx(), q)
	if err != nil {
		t.Fatalf("Timeline(%+v): %v", q, err)
	}
	out := []string{}
	for _, it := range items {
		switch {
		case it.Relation != nil && it.Event == nil:
			if it.Date != it.Relation.Occurred {
				t.Errorf("item %s: date %v, want the relation's occurred %v", it.Relation.ID, it.Date, it.Relation.Occurred)
			}
			out = append(out, fmt.Sprintf("%-10s R %s", it.Date.Date, it.Relation.ID))
		case it.Event != nil && it.Relation == nil:
			if it.Date != it.Event.Occurred {
				t.Errorf("item %s: date %v, want the event's occurred %v", it.Event.ID, it.Date, it.Event.Occurred)
			}
			out = append(out, fmt.Sprintf("%-10s E %s", it.Date.Date, it.Event.ID))
		default:
			t.Errorf("item with relation %v and event %v: exactly one must be set", it.Relation, it.Event)
		}
	}
	return out
}

// russiaTimeline: Russia and everyone below it (its government, military,
// General Staff, air force, Poznikhir), unknown dates last.
var russiaTimeline = []string{
	"2016-09-01 R russia-attacks-convoy",
	"2016-09-01 R russia-denies-convoy-accusation",
	"2016-09-01 R russian-officials-blame-rebels-truce-collapse",
	"2016-09-01 R us-accuses-russia-convoy",
	"2016-09-01 R usa-consults-russia-bilateral-engagement",
	"2016-09-01 E convoy-attack",
	"2016-09-01 E truce-collapse",
	"2016-09-09 R russia-party-to-sept9-deal",
	"2016-09-09 R usa-brokers-sept9-deal",
	"2016-09-09 R usa-party-to-sept9-deal",
	"2016-09-09 E sept9-deal",
	"2016-09-19 R russia-attacks-aleppo",
	"2016-09-19 R russian-air-force-backs-syrian-forces",
	"2016-09-19 E aleppo-offensive",
	"2016-09-28 R kerry-threatens-russia",
	"2016-09-28 R poznikhir-accuses-rebels-chemical-plan",
	"2016-09-28 R poznikhir-accuses-rebels-convoy",
	"2016-09-28 R poznikhir-accuses-rebels-jfs-integration",
	"2016-09-28 R poznikhir-blames-rebels-truce-collapse",
	"2016-09-28 R poznikhir-offers-talks-usa",
	"2016-09-28 R poznikhir-requests-usa-joint-work",
	"2016-09-28 R poznikhir-responds-to-kerry-negated",
	"           R poznikhir-holds-role-general-staff",
	"           R russia-consults-usa-geneva-planned",
	"           R russian-air-force-part-of-russian-military",
	"           R russian-general-staff-part-of-russian-military",
	"           R russian-government-part-of-russia",
	"           R russian-military-attacks-islamic-state-conditional",
	"           R russian-military-attacks-jfs-conditional",
	"           R russian-military-backs-us-military-conditional",
	"           R russian-military-part-of-russia",
	"           R us-military-backs-russian-military-conditional",
	"           E alleged-chemical-plan",
	"           E geneva-consultations",
}

func testTimelineActor(t *testing.T, s store.Store, an store.Analyst) {
	seedGraph(t, s)
	eq(t, "russia rolled up", timeline(t, an, store.TimelineQuery{Actor: "russia", RollUp: true}), russiaTimeline)
	eq(t, "russia rolled up, limit 6", timeline(t, an, store.TimelineQuery{Actor: "russia", RollUp: true, Limit: 6}), russiaTimeline[:6])
	eq(t, "russia alone", timeline(t, an, store.TimelineQuery{Actor: "russia"}), []string{
		"2016-09-01 R russia-attacks-convoy",
		"2016-09-01 R russia-denies-convoy-accusation",
		"2016-09-01 R us-accuses-russia-convoy",
		"2016-09-01 R usa-consults-russia-bilateral-engagement",
		"2016-09-01 E convoy-attack",
		"2016-09-09 R russia-party-to-sept9-deal",
		"2016-09-09 R usa-brokers-sept9-deal",
		"2016-09-09 R usa-party-to-sept9-deal",
		"2016-09-09 E sept9-deal",
		"2016-09-19 R russia-attacks-aleppo",
		"2016-09-19 E aleppo-offensive",
		"2016-09-28 R kerry-threatens-russia",
		"           R russia-consults-usa-geneva-planned",
		"           R russian-government-part-of-russia",
		"           R russian-military-part-of-russia",
		"           E geneva-consultations",
	})
	eq(t, "unknown actor", timeline(t, an, store.TimelineQuery{Actor: "atlantis"}), []string{})
}

func testTimelinePair(t *testing.T, s store.Store, an store.Analyst) {
	seedGraph(t, s)
	plain := []string{
		"2016-09-01 R russia-denies-convoy-accusation",
		"2016-09-01 R us-accuses-russia-convoy",
		"2016-09-01 R usa-consults-russia-bilateral-engagement",
		"2016-09-01 E convoy-attack",
		"2016-09-09 R russia-party-to-sept9-deal",
		"2016-09-09 R usa-brokers-sept9-deal",
		"2016-09-09 R usa-party-to-sept9-deal",
		"2016-09-09 E sept9-deal",
		"           R russia-consults-usa-geneva-planned",
		"           E geneva-consultations",
	}
	eq(t, "usa, russia", timeline(t, an, store.TimelineQuery{Pair: [2]string{"usa", "russia"}}), plain)
	eq(t, "russia, usa (either direction)", timeline(t, an, store.TimelineQuery{Pair: [2]string{"russia", "usa"}}), plain)
	eq(t, "usa, russia rolled up", timeline(t, an, store.TimelineQuery{Pair: [2]string{"usa", "russia"}, RollUp: true}), []string{
		"2016-09-01 R russia-denies-convoy-accusation",
		"2016-09-01 R us-accuses-russia-convoy",
		"2016-09-01 R usa-consults-russia-bilateral-engagement",
		"2016-09-01 E convoy-attack",
		"2016-09-09 R russia-party-to-sept9-deal",
		"2016-09-09 R usa-brokers-sept9-deal",
		"2016-09-09 R usa-party-to-sept9-deal",
		"2016-09-09 E sept9-deal",
		"2016-09-28 R kerry-threatens-russia",
		"2016-09-28 R poznikhir-offers-talks-usa",
		"2016-09-28 R poznikhir-requests-usa-joint-work",
		"2016-09-28 R poznikhir-responds-to-kerry-negated",
		"           R russia-consults-usa-geneva-planned",
		"           R russian-military-backs-us-military-conditional",
		"           R us-military-backs-russian-military-conditional",
		"           E geneva-consultations",
	})
	eq(t, "unconnected pair", timeline(t, an, store.TimelineQuery{Pair: [2]string{"usa", "al-qaida"}, RollUp: true}), []string{})
}

func testTimelineDates(t *testing.T, s store.Store, an store.Analyst) {
	seedGraph(t, s)
	// The convoy attack (dated September, the 1st) is out of range although
	// Poznikhir's accusation about it (the 28th) is in.
	eq(t, "occurred 10th..28th", timeline(t, an, store.TimelineQuery{Actor: "russia", RollUp: true,
		Dates: store.DateRange{From: "2016-09-10", To: "2016-09-28"}}), []string{
		"2016-09-19 R russia-attacks-aleppo",
		"2016-09-19 R russian-air-force-backs-syrian-forces",
		"2016-09-19 E aleppo-offensive",
		"2016-09-28 R kerry-threatens-russia",
		"2016-09-28 R poznikhir-accuses-rebels-chemical-plan",
		"2016-09-28 R poznikhir-accuses-rebels-convoy",
		"2016-09-28 R poznikhir-accuses-rebels-jfs-integration",
		"2016-09-28 R poznikhir-blames-rebels-truce-collapse",
		"2016-09-28 R poznikhir-offers-talks-usa",
		"2016-09-28 R poznikhir-requests-usa-joint-work",
		"2016-09-28 R poznikhir-responds-to-kerry-negated",
	})
	eq(t, "open end", timeline(t, an, store.TimelineQuery{Actor: "russia", Dates: store.DateRange{From: "2016-09-19"}}), []string{
		"2016-09-19 R russia-attacks-aleppo",
		"2016-09-19 E aleppo-offensive",
		"2016-09-28 R kerry-threatens-russia",
	})
	eq(t, "open start", timeline(t, an, store.TimelineQuery{Actor: "russia", Dates: store.DateRange{To: "2016-09-01"}}), []string{
		"2016-09-01 R russia-attacks-convoy",
		"2016-09-01 R russia-denies-convoy-accusation",
		"2016-09-01 R us-accuses-russia-convoy",
		"2016-09-01 R usa-consults-russia-bilateral-engagement",
		"2016-09-01 E convoy-attack",
	})
	// Everything was reported on the 28th: on reported dates the range keeps
	// every relation, and every event of one.
	eq(t, "reported on the 28th", timeline(t, an, store.TimelineQuery{Actor: "russia", RollUp: true,
		Dates: store.DateRange{From: "2016-09-28", To: "2016-09-28", On: store.OnReported}}), russiaTimeline)
	eq(t, "reported in 2017", timeline(t, an, store.TimelineQuery{Actor: "russia", RollUp: true,
		Dates: store.DateRange{From: "2017-01-01", On: store.OnReported}}), []string{})
}

func testTimelineBad(t *testing.T, s store.Store, an store.Analyst) {
	seedGraph(t, s)
	for name, q := range map[string]store.TimelineQuery{
		"neither actor nor pair": {},
		"actor and pair":         {Actor: "russia", Pair: [2]string{"usa", "russia"}},
		"half a pair":            {Pair: [2]string{"usa", ""}},
		"inverted range":         {Actor: "russia", Dates: store.DateRange{From: "2016-10-01", To: "2016-09-01"}},
		"bad date":               {Actor: "russia", Dates: store.DateRange{From: "Sept. 9"}},
		"bad date field":         {Actor: "russia", Dates: store.DateRange{From: "2016-09-01", On: "PUBLISHED"}},
		"negative limit":         {Actor: "russia", Limit: -1},
	} {
		_, err := an.Timeline(ctx(), q)
		anInvalid(t, name, err)
	}
}

// --- Dyads ---

func dyads(t *testing.T, an store.Analyst, q store.DyadQuery) []string {
	t.Helper()
	ds, err := an.Dyads(ctx(), q)
	if err != nil {
		t.Fatalf("Dyads(%+v): %v", q, err)
	}
	counts := func(cs []store.DyadCount) string {
		var parts []string
		for _, c := range cs {
			parts = append(parts, fmt.Sprintf("%s %d/%d/%.1f", c.Type, c.Relations, c.Evidence, c.Goldstein))
		}
		return strings.Join(parts, ", ")
	}
	out := []string{}
	for _, d := range ds {
		// Sums are exact in the store; the API rounds them to one decimal.
		out = append(out, fmt.Sprintf("%s > %s: %d/%d/%.1f [%s]", d.From, d.To, d.Relations, d.Evidence, d.Goldstein, counts(d.ByType)))
		for _, b := range d.Series {
			out = append(out, fmt.Sprintf("  %s: %d/%d/%.1f [%s]", b.Start, b.Relations, b.Evidence, b.Goldstein, counts(b.ByType)))
		}
	}
	return out
}

func testDyadsWeekly(t *testing.T, s store.Store, an store.Analyst) {
	seedGraph(t, s)
	// Rolled up, Poznikhir's and the Russian officials' accusations count as
	// Russia's; ISO weeks start on Mondays (the 1st was a Thursday).
	eq(t, "weekly", dyads(t, an, store.DyadQuery{RollUp: true, Interval: store.Week}), []string{
		"usa > russia: 6/9/13.6 [ACCUSES 1/1/-2.0, BACKS 1/1/7.4, BROKERS 1/1/5.0, CONSULTS 1/2/1.0, PARTY_TO 1/1/8.0, THREATENS 1/3/-5.8]",
		"  2016-09-05: 2/2/13.0 [BROKERS 1/1/5.0, PARTY_TO 1/1/8.0]",
		"  2016-09-26: 1/3/-5.8 [THREATENS 1/3/-5.8]",
		"russia > syrian-rebels: 5/6/-10.0 [ACCUSES 5/6/-10.0]",
		"  2016-09-26: 4/5/-8.0 [ACCUSES 4/5/-8.0]",
		"russia > usa: 5/9/20.4 [BACKS 1/1/7.4, DENIES 1/1/-2.0, OFFERS_TALKS 1/5/4.0, PARTY_TO 1/1/8.0, REQUESTS 1/1/3.0]",
		"  2016-09-05: 1/1/8.0 [PARTY_TO 1/1/8.0]",
		"  2016-09-26: 2/6/7.0 [OFFERS_TALKS 1/5/4.0, REQUESTS 1/1/3.0]",
		"russia > aleppo: 1/2/-10.0 [ATTACKS 1/2/-10.0]",
		"  2016-09-19: 1/2/-10.0 [ATTACKS 1/2/-10.0]",
		"russia > islamic-state: 1/1/-10.0 [ATTACKS 1/1/-10.0]",
		"russia > jabhat-fateh-al-sham: 1/1/-10.0 [ATTACKS 1/1/-10.0]",
		"russia > syria: 1/1/7.4 [BACKS 1/1/7.4]",
		"  2016-09-19: 1/1/7.4 [BACKS 1/1/7.4]",
		"syria > aleppo: 1/2/-10.0 [ATTACKS 1/2/-10.0]",
		"  2016-09-19: 1/2/-10.0 [ATTACKS 1/2/-10.0]",
		"syria > eastern-aleppo: 1/1/-9.5 [BESIEGES 1/1/-9.5]",
		"  2016-09-26: 1/1/-9.5 [BESIEGES 1/1/-9.5]",
		"syria > syrian-rebels: 1/1/-10.0 [ATTACKS 1/1/-10.0]",
		"  2016-09-19: 1/1/-10.0 [ATTACKS 1/1/-10.0]",
		"usa > islamic-state: 1/1/-10.0 [ATTACKS 1/1/-10.0]",
		"usa > jabhat-fateh-al-sham: 1/1/-10.0 [ATTACKS 1/1/-10.0]",
	})
}

func testDyadsClaims(t *testing.T, s store.Store, an store.Analyst) {
	seedGraph(t, s)
	// With claims: the alleged convoy attacks, the conditional cooperation
	// and strikes, Kerry's conditional threat; undated relations count in
	// the totals but in no bucket.
	eq(t, "with claims, monthly", dyads(t, an, store.DyadQuery{RollUp: true, IncludeClaims: true, Interval: store.Month}), []string{
		"russia > usa: 7/12/22.9 [BACKS 1/1/7.4, CONSULTS 1/2/2.5, DENIES 1/1/-2.0, OFFERS_TALKS 1/5/4.0, PARTY_TO 1/1/8.0, REQUESTS 1/1/3.0, RESPONDS_TO 1/1/0.0]",
		"  2016-09-01: 5/9/13.0 [DENIES 1/1/-2.0, OFFERS_TALKS 1/5/4.0, PARTY_TO 1/1/8.0, REQUESTS 1/1/3.0, RESPONDS_TO 1/1/0.0]",
		"usa > russia: 6/9/13.6 [ACCUSES 1/1/-2.0, BACKS 1/1/7.4, BROKERS 1/1/5.0, CONSULTS 1/2/1.0, PARTY_TO 1/1/8.0, THREATENS 1/3/-5.8]",
		"  2016-09-01: 5/8/6.2 [ACCUSES 1/1/-2.0, BROKERS 1/1/5.0, CONSULTS 1/2/1.0, PARTY_TO 1/1/8.0, THREATENS 1/3/-5.8]",
		"russia > syrian-rebels: 5/6/-10.0 [ACCUSES 5/6/-10.0]",
		"  2016-09-01: 5/6/-10.0 [ACCUSES 5/6/-10.0]",
		"russia > aleppo: 1/2/-10.0 [ATTACKS 1/2/-10.0]",
		"russia > humanitarian-convoy: 1/1/-10.0 [ATTACKS 1/1/-10.0]",
		"  2016-09-01: 1/1/-10.0 [ATTACKS 1/1/-10.0]",
		"russia > islamic-state: 1/1/-10.0 [ATTACKS 1/1/-10.0]",
		"russia > jabhat-fateh-al-sham: 1/1/-10.0 [ATTACKS 1/1/-10.0]",
		"russia > syria: 1/1/7.4 [BACKS 1/1/7.4]",
		"syria > aleppo: 1/2/-10.0 [ATTACKS 1/2/-10.0]",
		"syria > eastern-aleppo: 1/1/-9.5 [BESIEGES 1/1/-9.5]",
		"  2016-09-01: 1/1/-9.5 [BESIEGES 1/1/-9.5]",
		"syria > syrian-rebels: 1/1/-10.0 [ATTACKS 1/1/-10.0]",
		"syrian-rebels > eastern-aleppo: 1/2/-10.0 [ATTACKS 1/2/-10.0]",
		"syrian-rebels > humanitarian-convoy: 1/1/-10.0 [ATTACKS 1/1/-10.0]",
		"  2016-09-01: 1/1/-10.0 [ATTACKS 1/1/-10.0]",
		"syrian-rebels > syria: 1/2/-10.0 [ATTACKS 1/2/-10.0]",
		"usa > islamic-state: 1/1/-10.0 [ATTACKS 1/1/-10.0]",
		"usa > jabhat-fateh-al-sham: 1/1/-10.0 [ATTACKS 1/1/-10.0]",
	})
}

func testDyadsPlain(t *testing.T, s store.Store, an store.Analyst) {
	seedGraph(t, s)
	eq(t, "not rolled up", dyads(t, an, store.DyadQuery{}), []string{
		"poznikhir > syrian-rebels: 4/5/-8.0 [ACCUSES 4/5/-8.0]",
		"usa > russia: 4/5/12.0 [ACCUSES 1/1/-2.0, BROKERS 1/1/5.0, CONSULTS 1/2/1.0, PARTY_TO 1/1/8.0]",
		"poznikhir > usa: 2/6/7.0 [OFFERS_TALKS 1/5/4.0, REQUESTS 1/1/3.0]",
		"russia > usa: 2/2/6.0 [DENIES 1/1/-2.0, PARTY_TO 1/1/8.0]",
		"kerry > russia: 1/3/-5.8 [THREATENS 1/3/-5.8]",
		"russia > aleppo: 1/2/-10.0 [ATTACKS 1/2/-10.0]",
		"russian-air-force > syrian-government-forces: 1/1/7.4 [BACKS 1/1/7.4]",
		"russian-government > syrian-rebels: 1/1/-2.0 [ACCUSES 1/1/-2.0]",
		"russian-military > islamic-state: 1/1/-10.0 [ATTACKS 1/1/-10.0]",
		"russian-military > jabhat-fateh-al-sham: 1/1/-10.0 [ATTACKS 1/1/-10.0]",
		"russian-military > us-military: 1/1/7.4 [BACKS 1/1/7.4]",
		"syrian-government > aleppo: 1/2/-10.0 [ATTACKS 1/2/-10.0]",
		"syrian-government-forces > eastern-aleppo: 1/1/-9.5 [BESIEGES 1/1/-9.5]",
		"syrian-government-forces > syrian-rebels: 1/1/-10.0 [ATTACKS 1/1/-10.0]",
		"us-military > islamic-state: 1/1/-10.0 [ATTACKS 1/1/-10.0]",
		"us-military > jabhat-fateh-al-sham: 1/1/-10.0 [ATTACKS 1/1/-10.0]",
		"us-military > russian-military: 1/1/7.4 [BACKS 1/1/7.4]",
	})
	eq(t, "limit 2", dyads(t, an, store.DyadQuery{Limit: 2}), []string{
		"poznikhir > syrian-rebels: 4/5/-8.0 [ACCUSES 4/5/-8.0]",
		"usa > russia: 4/5/12.0 [ACCUSES 1/1/-2.0, BROKERS 1/1/5.0, CONSULTS 1/2/1.0, PARTY_TO 1/1/8.0]",
	})
}

func testDyadsFilters(t *testing.T, s store.Store, an store.Analyst) {
	seedGraph(t, s)
	// Facts include the conditional cooperation and strikes of the Sept. 9
	// deal: made, even if never carried out (rules.IsFact).
	russiaOut := []string{
		"russia > syrian-rebels: 5/6/-10.0 [ACCUSES 5/6/-10.0]",
		"russia > usa: 5/9/20.4 [BACKS 1/1/7.4, DENIES 1/1/-2.0, OFFERS_TALKS 1/5/4.0, PARTY_TO 1/1/8.0, REQUESTS 1/1/3.0]",
		"russia > aleppo: 1/2/-10.0 [ATTACKS 1/2/-10.0]",
		"russia > islamic-state: 1/1/-10.0 [ATTACKS 1/1/-10.0]",
		"russia > jabhat-fateh-al-sham: 1/1/-10.0 [ATTACKS 1/1/-10.0]",
		"russia > syria: 1/1/7.4 [BACKS 1/1/7.4]",
	}
	eq(t, "from russia rolled up", dyads(t, an, store.DyadQuery{RollUp: true, From: "russia"}), russiaOut)
	// A given end is rolled up too: Poznikhir stands for Russia.
	eq(t, "from poznikhir rolled up", dyads(t, an, store.DyadQuery{RollUp: true, From: "poznikhir"}), russiaOut)
	eq(t, "to usa rolled up", dyads(t, an, store.DyadQuery{RollUp: true, To: "usa"}), russiaOut[1:2])
	eq(t, "to a place", dyads(t, an, store.DyadQuery{RollUp: true, To: "aleppo"}), []string{
		"russia > aleppo: 1/2/-10.0 [ATTACKS 1/2/-10.0]",
		"syria > aleppo: 1/2/-10.0 [ATTACKS 1/2/-10.0]",
	})
	eq(t, "from and to rolled up", dyads(t, an, store.DyadQuery{RollUp: true, From: "russian-military", To: "syrian-government-forces"}),
		russiaOut[5:6])
	eq(t, "from poznikhir", dyads(t, an, store.DyadQuery{From: "poznikhir"}), []string{
		"poznikhir > syrian-rebels: 4/5/-8.0 [ACCUSES 4/5/-8.0]",
		"poznikhir > usa: 2/6/7.0 [OFFERS_TALKS 1/5/4.0, REQUESTS 1/1/3.0]",
	})
	eq(t, "from and to", dyads(t, an, store.DyadQuery{From: "poznikhir", To: "usa"}), []string{
		"poznikhir > usa: 2/6/7.0 [OFFERS_TALKS 1/5/4.0, REQUESTS 1/1/3.0]",
	})
	eq(t, "to, not rolled up", dyads(t, an, store.DyadQuery{To: "usa"}), []string{
		"poznikhir > usa: 2/6/7.0 [OFFERS_TALKS 1/5/4.0, REQUESTS 1/1/3.0]",
		"russia > usa: 2/2/6.0 [DENIES 1/1/-2.0, PARTY_TO 1/1/8.0]",
	})
	eq(t, "unknown from", dyads(t, an, store.DyadQuery{RollUp: true, From: "atlantis"}), []string{})
	eq(t, "types", dyads(t, an, store.DyadQuery{RollUp: true, Types: []kg.RelationType{kg.Accuses}}), []string{
		"russia > syrian-rebels: 5/6/-10.0 [ACCUSES 5/6/-10.0]",
		"usa > russia: 1/1/-2.0 [ACCUSES 1/1/-2.0]",
	})
	// Structural types count only when asked for; rolled up, a PART_OF
	// joins an actor to itself, and such self-dyads are left out.
	eq(t, "structural rolled up", dyads(t, an, store.DyadQuery{RollUp: true, Types: []kg.RelationType{kg.PartOf, kg.HoldsRole}}), []string{})
	eq(t, "structural", dyads(t, an, store.DyadQuery{Types: []kg.RelationType{kg.HoldsRole, kg.Controls}}), []string{
		"kerry > us-state-department: 1/2/0.0 [HOLDS_ROLE 1/2/0.0]",
		"poznikhir > russian-general-staff: 1/1/0.0 [HOLDS_ROLE 1/1/0.0]",
		"syrian-rebels > eastern-aleppo: 1/1/0.0 [CONTROLS 1/1/0.0]",
	})
	eq(t, "dates", dyads(t, an, store.DyadQuery{RollUp: true, Dates: store.DateRange{From: "2016-09-19", To: "2016-09-30"}}), []string{
		"russia > syrian-rebels: 4/5/-8.0 [ACCUSES 4/5/-8.0]",
		"russia > usa: 2/6/7.0 [OFFERS_TALKS 1/5/4.0, REQUESTS 1/1/3.0]",
		"russia > aleppo: 1/2/-10.0 [ATTACKS 1/2/-10.0]",
		"russia > syria: 1/1/7.4 [BACKS 1/1/7.4]",
		"syria > aleppo: 1/2/-10.0 [ATTACKS 1/2/-10.0]",
		"syria > eastern-aleppo: 1/1/-9.5 [BESIEGES 1/1/-9.5]",
		"syria > syrian-rebels: 1/1/-10.0 [ATTACKS 1/1/-10.0]",
		"usa > russia: 1/3/-5.8 [THREATENS 1/3/-5.8]",
	})
	eq(t, "reported dates", len(dyads(t, an, store.DyadQuery{RollUp: true, Dates: store.DateRange{From: "2016-09-28", On: store.OnReported}})), 12)
}

// testDyadsRelationFilter: a dyad query's relation filter selects what the
// relation list selects with the same filter (the same predicates), per
// ordered pair, on every field a dyad query does not have of its own.
func testDyadsRelationFilter(t *testing.T, s store.Store, an store.Analyst) {
	seedGraph(t, s)
	var counted []kg.RelationType // every non-structural type: what dyads count by default
	for _, ti := range kg.Vocabulary {
		if !ti.Structural {
			counted = append(counted, ti.Type)
		}
	}
	for _, tc := range []struct {
		name   string
		f      store.RelationFilter
		rollUp bool
	}{
		{"claimedBy poznikhir", store.RelationFilter{ClaimedBy: "poznikhir"}, false},
		{"claimedBy russia rolled up", store.RelationFilter{ClaimedBy: "russia"}, true},
		{"place", store.RelationFilter{Place: "aleppo"}, false},
		{"alleged", store.RelationFilter{Attribution: kg.Alleged}, false},
		{"status conditional", store.RelationFilter{Status: kg.Conditional}, false},
		{"cameo root 11", store.RelationFilter{CAMEORoot: "11"}, false},
		{"plover and confidence", store.RelationFilter{PLOVER: "ACCUSE", MinConfidence: 0.9}, false},
		{"from kinds", store.RelationFilter{FromKinds: []kg.ActorKind{kg.KindPerson}}, false},
	} {
		lf := tc.f
		lf.Types, lf.RollUp = counted, tc.rollUp
		list, err := s.ListRelations(ctx(), lf, store.Order{Field: store.SortID}, store.Page{First: store.MaxLimit})
		if err != nil {
			t.Fatalf("%s: ListRelations: %v", tc.name, err)
		}
		want := map[string]int{}
		for _, r := range list.Items {
			want[r.From+" > "+r.To]++
		}
		ds, err := an.Dyads(ctx(), store.DyadQuery{IncludeClaims: true, RollUp: tc.rollUp, Limit: store.MaxLimit, Filter: tc.f})
		if err != nil {
			t.Fatalf("%s: Dyads: %v", tc.name, err)
		}
		got, total := map[string]int{}, 0
		for _, d := range ds {
			got[d.From+" > "+d.To] += d.Relations
			total += d.Relations
		}
		if len(list.Items) == 0 || total != len(list.Items) {
			t.Errorf("%s: dyads count %d relations, the list %d", tc.name, total, len(list.Items))
		}
		if !tc.rollUp {
			eq(t, tc.name, got, want)
		}
	}
}

// testDyadsRules: rejected relations, missing scores and unknown dates on
// a small graph.
func testDyadsRules(t *testing.T, s store.Store, an store.Analyst) {
	g := Fixture()
	day := func(d string) kg.Date { return kg.Date{Date: d, Precision: kg.PrecisionDay} }
	base := g.Relations[0] // r-accuse: freedonia ACCUSES ruritania, 2020-01-02 (a Thursday)
	base.Alleges = ""
	add := func(id string, edit func(*kg.Relation)) {
		r := base
		r.ID = id
		edit(&r)
		g.Relations = append(g.Relations, r)
	}
	add("x-rejected", func(r *kg.Relation) { r.Provenance.Review = kg.ReviewRejected })
	add("x-unscored", func(r *kg.Relation) { r.Goldstein, r.CAMEO = nil, "" })
	add("x-undated", func(r *kg.Relation) { r.Occurred = kg.Date{Precision: kg.PrecisionUnknown} })
	add("x-later", func(r *kg.Relation) { r.Occurred = day("2020-02-03"); r.Evidence = nil })
	load(t, s, g)
	// Rolled up, the general's denial is Ruritania's; the army's alleged
	// attack and the conditional threat do not count; the rejected one not
	// either; the imported row (PROPOSED) does.
	eq(t, "rules, weekly", dyads(t, an, store.DyadQuery{RollUp: true, Interval: store.Week}), []string{
		"freedonia > ruritania: 6/4/-14.5 [ACCUSES 4/3/-6.0, BACKS 1/0/-2.5, THREATENS 1/1/-6.0]",
		"  2019-10-21: 1/0/-2.5 [BACKS 1/0/-2.5]",
		"  2019-12-30: 3/3/-8.0 [ACCUSES 2/2/-2.0, THREATENS 1/1/-6.0]",
		"  2020-02-03: 1/0/-2.0 [ACCUSES 1/0/-2.0]",
		"ruritania > freedonia: 1/2/-2.0 [DENIES 1/2/-2.0]",
		"  2019-12-30: 1/2/-2.0 [DENIES 1/2/-2.0]",
	})
	eq(t, "rules, monthly, with claims", dyads(t, an, store.DyadQuery{RollUp: true, IncludeClaims: true, Interval: store.Month}), []string{
		"freedonia > ruritania: 7/5/-16.5 [ACCUSES 5/4/-8.0, BACKS 1/0/-2.5, THREATENS 1/1/-6.0]",
		"  2019-10-01: 1/0/-2.5 [BACKS 1/0/-2.5]",
		"  2020-01-01: 4/4/-10.0 [ACCUSES 3/3/-4.0, THREATENS 1/1/-6.0]",
		"  2020-02-01: 1/0/-2.0 [ACCUSES 1/0/-2.0]",
		"ruritania > convoy: 1/1/-9.0 [ATTACKS 1/1/-9.0]",
		"  2020-01-01: 1/1/-9.0 [ATTACKS 1/1/-9.0]",
		"ruritania > freedonia: 1/2/-2.0 [DENIES 1/2/-2.0]",
		"  2020-01-01: 1/2/-2.0 [DENIES 1/2/-2.0]",
	})
}

func testDyadsGenerated(t *testing.T, s store.Store, an store.Analyst) {
	g := Generate(7, 40, 600, "gen-src")
	g.Sources = []kg.Source{{ID: "gen-src", Title: "Generated", Publisher: "storetest", Published: "2016-09-28"}}
	load(t, s, g)
	ds, err := an.Dyads(ctx(), store.DyadQuery{Limit: 5, Interval: store.Week})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "dyads with limit 5", len(ds), 5)
	// Reference: count the generated relations by (from, to) — every one
	// is ASSERTED and ACTUAL — and take the five largest pairs.
	count := map[[2]string]int{}
	for _, r := range g.Relations {
		count[[2]string{r.From, r.To}]++
	}
	var ref [][2]string
	for k := range count {
		ref = append(ref, k)
	}
	slices.SortFunc(ref, func(a, b [2]string) int {
		if count[a] != count[b] {
			return count[b] - count[a]
		}
		return strings.Compare(a[0]+"\x00"+a[1], b[0]+"\x00"+b[1])
	})
	for i, d := range ds {
		eq(t, fmt.Sprintf("dyad %d", i), [3]any{d.From, d.To, d.Relations}, [3]any{ref[i][0], ref[i][1], count[ref[i]]})
		eq(t, fmt.Sprintf("dyad %d evidence", i), d.Evidence, d.Relations)
		if len(d.Series) != 1 || d.Series[0].Start != "2016-09-26" || d.Series[0].Relations != d.Relations {
			t.Errorf("dyad %d series: %+v", i, d.Series)
		}
	}
}

func testDyadsBad(t *testing.T, s store.Store, an store.Analyst) {
	seedGraph(t, s)
	for name, q := range map[string]store.DyadQuery{
		"unknown type":   {Types: []kg.RelationType{"DROP_DATABASE"}},
		"bad interval":   {Interval: "FORTNIGHT"},
		"inverted range": {Dates: store.DateRange{From: "2016-10-01", To: "2016-09-01"}},
		"bad date":       {Dates: store.DateRange{To: "2016-13-01"}},
		"negative limit": {Limit: -5},
	} {
		_, err := an.Dyads(ctx(), q)
		anInvalid(t, name, err)
	}
}

// --- Disputes ---

func disputes(t *testing.T, an store.Analyst, actor string, d store.DateRange, limit int) []string {
	t.Helper()
	ds, err := an.Disputes(ctx(), actor, d, limit)
	if err != nil {
		t.Fatalf("Disputes(%q, %+v): %v", actor, d, err)
	}
	out := []string{}
	for _, x := range ds {
		out = append(out, fmt.Sprintf("%s | accused by %v | denied by %v | countered by %v",
			x.Claim.ID, relIDs(x.Accusations), relIDs(x.Denials), relIDs(x.CounterClaims)))
	}
	return out
}

var (
	disputeJFS      = "rebels-affiliated-with-jfs | accused by [poznikhir-accuses-rebels-jfs-integration] | denied by [] | countered by []"
	disputeRebels   = "rebels-attack-convoy | accused by [poznikhir-accuses-rebels-convoy] | denied by [] | countered by [russia-attacks-convoy]"
	disputeChemical = "rebels-chemical-attack-army-planned | accused by [poznikhir-accuses-rebels-chemical-plan] | denied by [] | countered by []"
	disputeRussia   = "russia-attacks-convoy | accused by [us-accuses-russia-convoy] | denied by [russia-denies-convoy-accusation] | countered by [rebels-attack-convoy]"
)

func testDisputesSeed(t *testing.T, s store.Store, an store.Analyst) {
	g := seedGraph(t, s)
	eq(t, "all disputes", disputes(t, an, "", store.DateRange{}, 0),
		[]string{disputeJFS, disputeRebels, disputeChemical, disputeRussia})

	// The convoy: the US accusation, Moscow's denial and the Russian
	// military's counter-claim, each with its verbatim quote.
	ds, err := an.Disputes(ctx(), "usa", store.DateRange{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 {
		t.Fatalf("disputes of usa: %d, want 1", len(ds))
	}
	want := map[string]kg.Relation{}
	for _, r := range g.Relations {
		want[r.ID] = r
	}
	d := ds[0]
	eq(t, "claim", d.Claim, want["russia-attacks-convoy"])
	eq(t, "accusation", d.Accusations, []kg.Relation{want["us-accuses-russia-convoy"]})
	eq(t, "denial", d.Denials, []kg.Relation{want["russia-denies-convoy-accusation"]})
	eq(t, "counter-claim", d.CounterClaims, []kg.Relation{want["rebels-attack-convoy"]})
	quote := func(rs []kg.Relation) string {
		if len(rs) == 0 || len(rs[0].Evidence) == 0 {
			return ""
		}
		return rs[0].Evidence[0].Quote
	}
	eq(t, "accusation quote", quote(d.Accusations), "The U.S. blamed Russia for an attack on a humanitarian convoy outside Aleppo")
	eq(t, "denial quote", quote(d.Denials), "accusations Moscow has denied")
	eq(t, "counter-claim quote", quote(d.CounterClaims), "Syrian rebels’ involvement in the attack on the convoy")
	eq(t, "counter-claim alleged by", d.CounterClaims[0].ClaimedBy, "poznikhir")
}

func testDisputesFilters(t *testing.T, s store.Store, an store.Analyst) {
	seedGraph(t, s)
	all := []string{disputeJFS, disputeRebels, disputeChemical, disputeRussia}
	// Russia, rolled up: its own claim and every one Poznikhir accuses.
	eq(t, "russia", disputes(t, an, "russia", store.DateRange{}, 0), all)
	eq(t, "poznikhir", disputes(t, an, "poznikhir", store.DateRange{}, 0), []string{disputeJFS, disputeRebels, disputeChemical})
	eq(t, "the convoy (target)", disputes(t, an, "humanitarian-convoy", store.DateRange{}, 0), []string{disputeRebels, disputeRussia})
	eq(t, "the rebels (a counter-claim's author)", disputes(t, an, "syrian-rebels", store.DateRange{}, 0), all)
	eq(t, "no dispute", disputes(t, an, "islamic-state", store.DateRange{}, 0), []string{})
	eq(t, "unknown actor", disputes(t, an, "atlantis", store.DateRange{}, 0), []string{})
	eq(t, "limit", disputes(t, an, "", store.DateRange{}, 2), []string{disputeJFS, disputeRebels})
	eq(t, "occurred in early September", disputes(t, an, "", store.DateRange{From: "2016-09-01", To: "2016-09-10"}, 0),
		[]string{disputeRebels, disputeRussia})
	eq(t, "occurred from the 28th", disputes(t, an, "", store.DateRange{From: "2016-09-28"}, 0), []string{disputeJFS})
	eq(t, "reported on the 28th", disputes(t, an, "", store.DateRange{From: "2016-09-28", To: "2016-09-28", On: store.OnReported}, 0), all)
	_, err := an.Disputes(ctx(), "", store.DateRange{From: "2016-09-28", To: "2016-09-01"}, 0)
	anInvalid(t, "inverted range", err)
	_, err = an.Disputes(ctx(), "", store.DateRange{}, -1)
	anInvalid(t, "negative limit", err)
}

// --- Search ---

// search returns the hits as "KIND id", checking the store's own order
// (score, kind, id) and that each Text holds the query's words.
func search(t *testing.T, an store.Analyst, text string, kinds []store.SearchKind, limit int) ([]string, []store.SearchHit) {
	t.Helper()
	hits, err := an.Search(ctx(), text, kinds, limit)
	if err != nil {
		t.Fatalf("Search(%q): %v", text, err)
	}
	out := []string{}
	for i, h := range hits {
		out = append(out, string(h.Kind)+" "+h.ID)
		if i > 0 {
			p := hits[i-1]
			if p.Score < h.Score || (p.Score == h.Score && (p.Kind > h.Kind || (p.Kind == h.Kind && p.ID >= h.ID))) {
				t.Errorf("Search(%q): hit %d (%s %s %v) out of order after (%s %s %v)", text, i, h.Kind, h.ID, h.Score, p.Kind, p.ID, p.Score)
			}
		}
		if h.Score <= 0 {
			t.Errorf("Search(%q): hit %s has score %v", text, h.ID, h.Score)
		}
		if h.Kind == store.HitEvidence {
			toks := kg.Tokens(h.Text)
			for _, q := range kg.Tokens(text) {
				if !slices.Contains(toks, q) {
					t.Errorf("Search(%q): evidence %s: text %q lacks %q", text, h.ID, h.Text, q)
				}
			}
		}
	}
	return out, hits
}

// hitSet sorts hits for comparing sets.
func hitSet(hits []string) []string {
	out := slices.Clone(hits)
	slices.Sort(out)
	return out
}

func hitText(hits []store.SearchHit, kind store.SearchKind, id string) string {
	for _, h := range hits {
		if h.Kind == kind && h.ID == id {
			return h.Text
		}
	}
	return "<no hit>"
}

func testSearchSeed(t *testing.T, s store.Store, an store.Analyst) {
	seedGraph(t, s)
	got, hits := search(t, an, "convoy", nil, 0)
	eq(t, "convoy", hitSet(got), []string{
		"ACTOR humanitarian-convoy",
		"EVENT convoy-attack",
		"EVIDENCE poznikhir-accuses-rebels-convoy",
		"EVIDENCE rebels-attack-convoy",
		"EVIDENCE russia-attacks-convoy",
		"EVIDENCE us-accuses-russia-convoy",
	})
	eq(t, "convoy: actor text", hitText(hits, store.HitActor, "humanitarian-convoy"), "Humanitarian convoy")
	eq(t, "convoy: event text", hitText(hits, store.HitEvent, "convoy-attack"), "Attack on a humanitarian convoy outside Aleppo")
	eq(t, "convoy: quote", hitText(hits, store.HitEvidence, "us-accuses-russia-convoy"), "The U.S. blamed Russia for an attack on a humanitarian convoy outside Aleppo")

	got, hits = search(t, an, "Moscow", nil, 0)
	eq(t, "Moscow", hitSet(got), []string{
		"ACTOR russia",
		"EVIDENCE kerry-threatens-russia",
		"EVIDENCE russia-denies-convoy-accusation",
		"EVIDENCE usa-consults-russia-bilateral-engagement",
	})
	eq(t, "Moscow: the alias", hitText(hits, store.HitActor, "russia"), "Moscow")
	eq(t, "Moscow: the denial", hitText(hits, store.HitEvidence, "russia-denies-convoy-accusation"), "accusations Moscow has denied")

	// Two words, both required, in any field of an actor or event.
	alQaida := []string{
		"ACTOR al-qaida",
		"ACTOR jabhat-fateh-al-sham",
		"EVENT sept9-deal",
		"EVIDENCE jfs-affiliated-with-al-qaida",
		"EVIDENCE poznikhir-accuses-rebels-jfs-integration",
		"EVIDENCE rebels-affiliated-with-jfs",
		"EVIDENCE russian-military-attacks-islamic-state-conditional",
		"EVIDENCE russian-military-attacks-jfs-conditional",
		"EVIDENCE russian-military-backs-us-military-conditional",
		"EVIDENCE us-military-attacks-islamic-state-conditional",
		"EVIDENCE us-military-attacks-jfs-conditional",
		"EVIDENCE us-military-backs-russian-military-conditional",
	}
	got, hits = search(t, an, "al Qaida", nil, 0)
	eq(t, "al Qaida", hitSet(got), alQaida)
	eq(t, "al Qaida: the alias", hitText(hits, store.HitActor, "jabhat-fateh-al-sham"), "al-Qaida's affiliate in Syria")
	got, _ = search(t, an, "  AL-qaida!", nil, 0)
	eq(t, "AL-qaida! (same tokens)", hitSet(got), alQaida)
	got, _ = search(t, an, "al Qaida", []store.SearchKind{store.HitActor, store.HitEvent}, 0)
	eq(t, "al Qaida, actors and events", hitSet(got), alQaida[:3])
	got, _ = search(t, an, "al Qaida", nil, 4)
	eq(t, "al Qaida, limit 4", len(got), 4)

	got, _ = search(t, an, "al Qaida Moscow", nil, 0)
	eq(t, "every word required", got, []string{})
	got, _ = search(t, an, "convoys", nil, 0)
	eq(t, "no stemming", got, []string{})
	got, _ = search(t, an, "conv", nil, 0)
	eq(t, "no prefix", got, []string{})
	got, _ = search(t, an, "xyzzyplugh", nil, 0)
	eq(t, "nonsense", got, []string{})
}

// testSearchOneQuote: an evidence hit needs one quote with every word.
func testSearchOneQuote(t *testing.T, s store.Store, an store.Analyst) {
	load(t, s, Fixture())
	got, _ := search(t, an, "ruritania", nil, 0)
	eq(t, "ruritania (not ruritanian)", hitSet(got), []string{
		"ACTOR ruritania",
		"EVIDENCE r-accuse", "EVIDENCE r-army", "EVIDENCE r-attack", "EVIDENCE r-controls",
		"EVIDENCE r-holds", "EVIDENCE r-staff", "EVIDENCE r-threat",
	})
	got, hits := search(t, an, "tania", nil, 0)
	eq(t, "second quote", got, []string{"EVIDENCE r-deny"})
	eq(t, "second quote: text", hitText(hits, store.HitEvidence, "r-deny"), "tania")
	got, _ = search(t, an, "ruri tania", nil, 0)
	eq(t, "words in two quotes", got, []string{})
	// An actor's name and alias form one document.
	got, _ = search(t, an, "ruritanian strelsau", nil, 0)
	eq(t, "name and alias", got, []string{"ACTOR ruritania"})
	got, _ = search(t, an, "convoy", []store.SearchKind{store.HitEvent}, 0)
	eq(t, "events only", got, []string{"EVENT ev-attack"})
}

func testSearchBad(t *testing.T, s store.Store, an store.Analyst) {
	seedGraph(t, s)
	for name, text := range map[string]string{"empty": "", "blank": "   ", "punctuation": "?!-–"} {
		_, err := an.Search(ctx(), text, nil, 0)
		anInvalid(t, name, err)
	}
	_, err := an.Search(ctx(), "convoy", []store.SearchKind{"SOURCE"}, 0)
	anInvalid(t, "bad kind", err)
	_, err = an.Search(ctx(), "convoy", nil, -1)
	anInvalid(t, "negative limit", err)
}
