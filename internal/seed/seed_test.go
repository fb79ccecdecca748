package seed

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/actorgraph/actorgraph/internal/kg"
)

// sharedArticle is the shared original, relative to this package's directory
// (CI checks ../shared out beside the repo clone).
var sharedArticle = filepath.Join("..", "..", "..", "shared", "seed", "aleppo-2016-09.txt")

func sha(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

func TestArticleIsTheSharedOriginal(t *testing.T) {
	ours, err := os.ReadFile(filepath.Join("data", "aleppo-2016-09.txt"))
	if err != nil {
		t.Fatal(err)
	}
	shared, err := os.ReadFile(sharedArticle)
	switch {
	case os.IsNotExist(err) && os.Getenv("CI") != "true":
		// A fresh clone with nothing beside it: the embedded copy's own
		// checks below still run (ArticleSHA256 pins it).
		t.Logf("no shared article beside the repo (%v); comparing with ArticleSHA256 only", err)
		shared = ours
	case err != nil:
		t.Fatalf("the shared article must sit beside the repo (CI=true): %v", err)
	}
	if got, want := sha(ours), sha(shared); got != want {
		t.Errorf("repo copy sha256 %s, shared original %s", got, want)
	}
	if got := sha(ours); got != ArticleSHA256 {
		t.Errorf("repo copy sha256 %s, ArticleSHA256 %s", got, ArticleSHA256)
	}
	if n := utf8.RuneCount(ours); n != 3084 {
		t.Errorf("article has %d code points, want 3084", n)
	}
	if n := len(ours); n != 3125 {
		t.Errorf("article has %d bytes, want 3125", n)
	}
	text, err := Article()
	if err != nil || text != string(ours) {
		t.Errorf("Article() = %d bytes, %v; want the file", len(text), err)
	}
}

func TestGraphValidates(t *testing.T) {
	g := mustGraph(t)
	if len(g.Sources) != 1 {
		t.Fatalf("%d sources, want 1", len(g.Sources))
	}
	s := g.Sources[0]
	text, _ := Article()
	switch {
	case s.ID != SourceID, s.Text != text, s.SHA256 != ArticleSHA256:
		t.Errorf("source %q: text %d bytes, sha256 %s; want %q, the article, %s", s.ID, len(s.Text), s.SHA256, SourceID, ArticleSHA256)
	case s.Title != "Russian Military Says It's Ready to Talk to U.S. about Aleppo", s.Publisher != "The News", s.Country != "MEX":
		t.Errorf("source title/publisher/country: %q / %q / %q", s.Title, s.Publisher, s.Country)
	case s.Published != "2024-11-24", s.OriginalPublisher != "Associated Press", s.Original != "2016-09-28":
		t.Errorf("source dates: published %s, original %s by %s", s.Published, s.Original, s.OriginalPublisher)
	}
	if err := g.Validate(); err != nil {
		t.Errorf("Graph() returned a graph that does not validate: %v", err)
	}
	// Each call returns a fresh graph.
	g.Relations[0].ID = "changed"
	if mustGraph(t).Relations[0].ID == "changed" {
		t.Error("Graph() shares state between calls")
	}
}

// TestParseRefusesBrokenFiles mutates the seed file and proves the loader
// refuses it with a message naming the entry.
func TestParseRefusesBrokenFiles(t *testing.T) {
	raw, err := files.ReadFile(graphFile)
	if err != nil {
		t.Fatal(err)
	}
	text, _ := Article()
	texts := map[string]string{SourceID: text}
	var base kg.Graph
	if err := json.Unmarshal(raw, &base); err != nil {
		t.Fatal(err)
	}
	mutated := func(t *testing.T, mutate func(g *kg.Graph)) []byte {
		var g kg.Graph
		if err := json.Unmarshal(raw, &g); err != nil {
			t.Fatal(err)
		}
		mutate(&g)
		b, err := json.Marshal(&g)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	rel := func(g *kg.Graph, id string) *kg.Relation {
		for i := range g.Relations {
			if g.Relations[i].ID == id {
				return &g.Relations[i]
			}
		}
		t.Fatalf("no relation %q in the seed", id)
		return nil
	}
	tests := []struct {
		name  string
		data  func(t *testing.T) []byte
		texts map[string]string
		want  string
	}{
		{"wrong offset", func(t *testing.T) []byte {
			return mutated(t, func(g *kg.Graph) { rel(g, "us-accuses-russia-convoy").Evidence[0].Start++ })
		}, texts, `relation "us-accuses-russia-convoy": evidence[0]: quote does not match text at`},
		{"unknown actor id", func(t *testing.T) []byte {
			return mutated(t, func(g *kg.Graph) { rel(g, "kerry-threatens-russia").To = "moscow" })
		}, texts, `relation "kerry-threatens-russia": to "moscow" is not an actor`},
		{"bad type", func(t *testing.T) []byte {
			return mutated(t, func(g *kg.Graph) { rel(g, "russia-denies-convoy-accusation").Type = "DENY" })
		}, texts, `relation "russia-denies-convoy-accusation": type "DENY" is not in the relation vocabulary`},
		{"dangling alleges", func(t *testing.T) []byte {
			return mutated(t, func(g *kg.Graph) { rel(g, "us-accuses-russia-convoy").Alleges = "russia-attacks-hospital" })
		}, texts, `relation "us-accuses-russia-convoy": alleges "russia-attacks-hospital" is not a relation`},
		{"CAMEO of another type", func(t *testing.T) []byte {
			return mutated(t, func(g *kg.Graph) { rel(g, "kerry-threatens-russia").CAMEO = "1123" })
		}, texts, `relation "kerry-threatens-russia": cameo "1123" maps to ACCUSES, not THREATENS`},
		{"wrong sha256", func(t *testing.T) []byte {
			return mutated(t, func(g *kg.Graph) { g.Sources[0].SHA256 = strings.Repeat("0", 64) })
		}, texts, `source "thenews-aleppo-2016": sha256 0000`},
		{"text in the file", func(t *testing.T) []byte {
			return mutated(t, func(g *kg.Graph) { g.Sources[0].Text = text })
		}, texts, `source "thenews-aleppo-2016": text is in the file and given to the loader`},
		{"text of another article", func(t *testing.T) []byte { return raw },
			map[string]string{SourceID: strings.Replace(text, "Wednesday", "Tuesday", 1)},
			`source "thenews-aleppo-2016": sha256 883021b0`},
		{"text for an unknown source", func(t *testing.T) []byte { return raw },
			map[string]string{SourceID: text, "other": "x"}, `text given for source "other", which the file does not have`},
		{"no text", func(t *testing.T) []byte { return raw }, nil,
			`relation "us-accuses-russia-convoy": has evidence but source "thenews-aleppo-2016" has no text loaded`},
		{"unknown field", func(t *testing.T) []byte {
			return []byte(strings.Replace(string(raw), `"claimedBy":`, `"claimed_by":`, 1))
		}, texts, `unknown field "claimed_by"`},
		{"trailing data", func(t *testing.T) []byte { return append(append([]byte{}, raw...), "{}"...) },
			texts, `data after the graph object`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g, err := Parse(tc.data(t), tc.texts)
			if err == nil {
				t.Fatalf("broken file accepted (%d relations); want %q", len(g.Relations), tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error does not say %q; got:\n%v", tc.want, err)
			}
		})
	}
	// The unmutated round trip is accepted: the mutations above are the cause.
	if _, err := Parse(mutated(t, func(*kg.Graph) {}), texts); err != nil {
		t.Fatalf("round-tripped seed refused: %v", err)
	}
}

// --- analyst assertions: fail if the curation breaks ----------------------------

type index struct {
	g    *kg.Graph
	rels map[string]*kg.Relation
	up   map[string][]string // actor -> parents via PART_OF / HOLDS_ROLE
}

func mustGraph(t *testing.T) *kg.Graph {
	t.Helper()
	g, err := Graph()
	if err != nil {
		t.Fatalf("seed graph refused:\n%v", err)
	}
	return g
}

func newIndex(t *testing.T) *index {
	g := mustGraph(t)
	ix := &index{g: g, rels: map[string]*kg.Relation{}, up: map[string][]string{}}
	for i := range g.Relations {
		r := &g.Relations[i]
		ix.rels[r.ID] = r
		if r.Type.IsHierarchy() {
			ix.up[r.From] = append(ix.up[r.From], r.To)
		}
	}
	return ix
}

// rollsUpTo reports whether actor is ancestor or lies under it (rollUp).
func (ix *index) rollsUpTo(actor, ancestor string) bool {
	seen := map[string]bool{}
	for todo := []string{actor}; len(todo) > 0; {
		a := todo[0]
		todo = todo[1:]
		if a == ancestor {
			return true
		}
		if !seen[a] {
			seen[a] = true
			todo = append(todo, ix.up[a]...)
		}
	}
	return false
}

func (ix *index) find(match func(r *kg.Relation) bool) []*kg.Relation {
	var out []*kg.Relation
	for i := range ix.g.Relations {
		if r := &ix.g.Relations[i]; match(r) {
			out = append(out, r)
		}
	}
	return out
}

func (ix *index) one(t *testing.T, what string, match func(r *kg.Relation) bool) *kg.Relation {
	t.Helper()
	rs := ix.find(match)
	if len(rs) != 1 {
		t.Fatalf("%s: %d relations, want 1", what, len(rs))
	}
	return rs[0]
}

var (
	wednesday = kg.Date{Date: "2016-09-28", Precision: kg.PrecisionDay}
	sept9     = kg.Date{Date: "2016-09-09", Precision: kg.PrecisionDay}
)

func TestAnalystConvoyAccusationAndDenial(t *testing.T) {
	ix := newIndex(t)
	acc := ix.one(t, "ACCUSES usa->russia", func(r *kg.Relation) bool {
		return r.Type == kg.Accuses && r.From == "usa" && r.To == "russia"
	})
	if acc.Attribution != kg.Asserted || acc.Status != kg.Actual || acc.CAMEO != "112" || acc.EventID != "convoy-attack" {
		t.Errorf("accusation %s: %s %s cameo %s event %s", acc.ID, acc.Attribution, acc.Status, acc.CAMEO, acc.EventID)
	}
	att := ix.rels[acc.Alleges]
	if att == nil {
		t.Fatalf("accusation %s alleges %q: no such relation", acc.ID, acc.Alleges)
	}
	if att.Type != kg.Attacks || att.From != "russia" || att.To != "humanitarian-convoy" ||
		att.Attribution != kg.Alleged || att.ClaimedBy != "usa" || att.EventID != "convoy-attack" {
		t.Errorf("alleged act %s: %s %s->%s %s by %q event %q; want ATTACKS russia->humanitarian-convoy ALLEGED by usa",
			att.ID, att.Type, att.From, att.To, att.Attribution, att.ClaimedBy, att.EventID)
	}
	den := ix.one(t, "DENIES of the accusation", func(r *kg.Relation) bool {
		return r.Type == kg.Denies && r.Denies == acc.ID
	})
	if !ix.rollsUpTo(den.From, "russia") || den.To != "usa" || den.CAMEO != "016" || den.Attribution != kg.Asserted {
		t.Errorf("denial %s: %s->%s cameo %s %s; want Russia (or under it) -> usa, 016, ASSERTED",
			den.ID, den.From, den.To, den.CAMEO, den.Attribution)
	}
	if !strings.Contains(den.Evidence[0].Quote, "Moscow has denied") {
		t.Errorf("denial evidence %q", den.Evidence[0].Quote)
	}
}

func TestAnalystPoznikhirCounterClaims(t *testing.T) {
	ix := newIndex(t)
	// Rebel involvement in the convoy attack, alleged by Poznikhir.
	att := ix.one(t, "ATTACKS syrian-rebels->humanitarian-convoy", func(r *kg.Relation) bool {
		return r.Type == kg.Attacks && r.From == "syrian-rebels" && r.To == "humanitarian-convoy"
	})
	if att.Attribution != kg.Alleged || att.ClaimedBy != "poznikhir" || att.EventID != "convoy-attack" {
		t.Errorf("%s: %s by %q, event %q", att.ID, att.Attribution, att.ClaimedBy, att.EventID)
	}
	ix.one(t, "ACCUSES poznikhir->syrian-rebels alleging the convoy attack", func(r *kg.Relation) bool {
		return r.Type == kg.Accuses && r.From == "poznikhir" && r.To == "syrian-rebels" && r.Alleges == att.ID && r.Attribution == kg.Asserted
	})
	// Blame for the truce's collapse: Poznikhir, and other Russian officials before him.
	blames := ix.find(func(r *kg.Relation) bool {
		return r.Type == kg.Accuses && r.To == "syrian-rebels" && r.EventID == "truce-collapse"
	})
	var byPoznikhir, byOthers bool
	for _, r := range blames {
		byPoznikhir = byPoznikhir || r.From == "poznikhir"
		byOthers = byOthers || (r.From != "poznikhir" && ix.rollsUpTo(r.From, "russia"))
	}
	if !byPoznikhir || !byOthers {
		t.Errorf("truce-collapse blame: poznikhir %v, other Russian officials %v", byPoznikhir, byOthers)
	}
	// Integration with al-Qaida's affiliate: alleged, and carried by an accusation.
	aff := ix.one(t, "AFFILIATED_WITH syrian-rebels->jabhat-fateh-al-sham", func(r *kg.Relation) bool {
		return r.Type == kg.AffiliatedWith && r.From == "syrian-rebels" && r.To == "jabhat-fateh-al-sham"
	})
	if aff.Attribution != kg.Alleged || aff.ClaimedBy != "poznikhir" {
		t.Errorf("%s: %s by %q", aff.ID, aff.Attribution, aff.ClaimedBy)
	}
	ix.one(t, "ACCUSES carrying the affiliation", func(r *kg.Relation) bool {
		return r.Type == kg.Accuses && r.From == "poznikhir" && r.Alleges == aff.ID
	})
	// The chemical strike: alleged by Poznikhir and planned.
	chem := ix.one(t, "chemical ATTACKS on the Syrian army", func(r *kg.Relation) bool {
		return r.Type == kg.Attacks && r.CAMEO == "2041" && r.To == "syrian-government-forces"
	})
	if chem.From != "syrian-rebels" || chem.Attribution != kg.Alleged || chem.ClaimedBy != "poznikhir" ||
		chem.Status != kg.Planned || chem.EventID != "alleged-chemical-plan" || len(chem.Evidence) < 2 {
		t.Errorf("%s: from %s, %s by %q, %s, event %q, %d evidence", chem.ID, chem.From, chem.Attribution,
			chem.ClaimedBy, chem.Status, chem.EventID, len(chem.Evidence))
	}
	ix.one(t, "ACCUSES carrying the chemical plan", func(r *kg.Relation) bool {
		return r.Type == kg.Accuses && r.From == "poznikhir" && r.Alleges == chem.ID
	})
	for _, r := range ix.find(func(r *kg.Relation) bool { return r.CAMEO == "2041" }) {
		if r.Attribution != kg.Alleged || r.ClaimedBy != "poznikhir" || r.Status != kg.Planned {
			t.Errorf("chemical strike %s is not ALLEGED by poznikhir and PLANNED", r.ID)
		}
	}
}

func TestAnalystHierarchy(t *testing.T) {
	ix := newIndex(t)
	role := ix.one(t, "poznikhir HOLDS_ROLE", func(r *kg.Relation) bool {
		return r.Type == kg.HoldsRole && r.From == "poznikhir"
	})
	if role.To != "russian-general-staff" || role.Role != "Lt. Gen." {
		t.Errorf("poznikhir HOLDS_ROLE %s %q, want russian-general-staff \"Lt. Gen.\"", role.To, role.Role)
	}
	kerry := ix.one(t, "kerry HOLDS_ROLE", func(r *kg.Relation) bool {
		return r.Type == kg.HoldsRole && r.From == "kerry"
	})
	if kerry.To != "us-state-department" || kerry.Role != "Secretary of State" {
		t.Errorf("kerry HOLDS_ROLE %s %q", kerry.To, kerry.Role)
	}
	for actor, root := range map[string]string{
		"poznikhir": "russia", "russian-air-force": "russia", "russian-government": "russia",
		"kerry": "usa", "us-military": "usa", "syrian-government-forces": "syria",
	} {
		if !ix.rollsUpTo(actor, root) {
			t.Errorf("%s does not roll up to %s", actor, root)
		}
	}
	if ix.rollsUpTo("syrian-rebels", "syria") {
		t.Error("the rebels roll up to the Syrian state")
	}
	ix.one(t, "CONTROLS syrian-rebels->eastern-aleppo", func(r *kg.Relation) bool {
		return r.Type == kg.Controls && r.From == "syrian-rebels" && r.To == "eastern-aleppo"
	})
}

func TestAnalystKerryThreat(t *testing.T) {
	ix := newIndex(t)
	th := ix.one(t, "THREATENS kerry->russia", func(r *kg.Relation) bool {
		return r.Type == kg.Threatens && r.From == "kerry" && r.To == "russia"
	})
	if th.Status != kg.Conditional || !strings.Contains(th.Condition, "Aleppo") || !strings.HasPrefix(th.CAMEO, "13") {
		t.Errorf("%s: %s condition %q cameo %s", th.ID, th.Status, th.Condition, th.CAMEO)
	}
	if len(th.Evidence) != 3 { // caption (first copy), lede, body
		t.Errorf("%s has %d evidence, want 3", th.ID, len(th.Evidence))
	}
	if n := len(ix.find(func(r *kg.Relation) bool { return r.Type == kg.Threatens })); n != 1 {
		t.Errorf("%d THREATENS relations; the caption and lede restate one threat", n)
	}
}

func TestAnalystSept9Deal(t *testing.T) {
	ix := newIndex(t)
	var deal *kg.Event
	for i := range ix.g.Events {
		if ix.g.Events[i].ID == "sept9-deal" {
			deal = &ix.g.Events[i]
		}
	}
	if deal == nil || deal.Kind != kg.EventAgreement || deal.Occurred != sept9 {
		t.Fatalf("event sept9-deal = %+v", deal)
	}
	parties := map[string]bool{}
	for _, r := range ix.find(func(r *kg.Relation) bool {
		return r.EventID == "sept9-deal" && (r.Type == kg.PartyTo || r.Type == kg.Brokers)
	}) {
		if r.Occurred != sept9 {
			t.Errorf("%s occurred %+v, want 2016-09-09 DAY", r.ID, r.Occurred)
		}
		if r.Type == kg.PartyTo {
			parties[r.From+"->"+r.To] = true
		}
	}
	if !parties["usa->russia"] || !parties["russia->usa"] {
		t.Errorf("PARTY_TO of the deal: %v, want usa->russia and russia->usa", parties)
	}
	for _, r := range ix.find(func(r *kg.Relation) bool { return r.EventID == "sept9-deal" && r.Type == kg.Backs }) {
		if r.Status != kg.Conditional || !strings.Contains(r.Condition, "cease-fire") {
			t.Errorf("envisaged cooperation %s: %s %q", r.ID, r.Status, r.Condition)
		}
	}
}

func TestAnalystTalks(t *testing.T) {
	ix := newIndex(t)
	offers := ix.find(func(r *kg.Relation) bool {
		return r.Type == kg.OffersTalks && ix.rollsUpTo(r.From, "russia") && ix.rollsUpTo(r.To, "usa")
	})
	if len(offers) == 0 || offers[0].EventID != "geneva-consultations" || offers[0].CAMEO != "036" {
		t.Fatalf("OFFERS_TALKS Russia->U.S.: %v", offers)
	}
	c := ix.one(t, "CONSULTS in Geneva", func(r *kg.Relation) bool {
		return r.Type == kg.Consults && r.PlaceID == "geneva"
	})
	if c.Status != kg.Planned || c.EventID != "geneva-consultations" {
		t.Errorf("%s: %s event %q", c.ID, c.Status, c.EventID)
	}
}

func TestAnalystDatesAndEvidence(t *testing.T) {
	ix := newIndex(t)
	text := []rune(ix.g.Sources[0].Text)
	lines := strings.Split(ix.g.Sources[0].Text, "\n")
	// The caption's second copy (line 8) is never cited.
	cap2 := utf8.RuneCountInString(strings.Join(lines[:7], "\n")) + 1
	cap2End := cap2 + utf8.RuneCountInString(lines[7])
	if lines[6] != lines[7] || !strings.HasPrefix(lines[7], "In this Sept. 22") {
		t.Fatal("the caption is not on lines 7 and 8")
	}
	var wed int
	check := func(kind, id string, evs []kg.Evidence) {
		for i, e := range evs {
			if e.Start < cap2End && e.End > cap2 {
				t.Errorf("%s %s evidence[%d] cites the caption's second copy", kind, id, i)
			}
			if string(text[e.Start:e.End]) != e.Quote {
				t.Errorf("%s %s evidence[%d] does not match", kind, id, i)
			}
		}
	}
	for _, e := range ix.g.Events {
		check("event", e.ID, e.Evidence)
	}
	for _, r := range ix.g.Relations {
		check("relation", r.ID, r.Evidence)
		if r.Reported != wednesday {
			t.Errorf("%s reported %+v, want 2016-09-28 DAY", r.ID, r.Reported)
		}
		if r.SourceID != SourceID || r.Provenance.Method != kg.MethodCurated || r.Provenance.Review != kg.ReviewConfirmed {
			t.Errorf("%s: source %s, %s %s", r.ID, r.SourceID, r.Provenance.Method, r.Provenance.Review)
		}
		// A type without CAMEO codes (RESPONDS_TO) has no code or score to give.
		if info, _ := r.Type.Info(); !info.Structural && len(info.CAMEO) > 0 && (r.CAMEO == "" || r.Goldstein == nil) {
			t.Errorf("%s (%s) has no CAMEO code or Goldstein score", r.ID, r.Type)
		}
		for _, e := range r.Evidence {
			if strings.Contains(e.Quote, "Wednesday") {
				wed++
				if r.Occurred != wednesday {
					t.Errorf("%s quotes %q but occurred %+v", r.ID, e.Quote, r.Occurred)
				}
				break
			}
		}
	}
	if wed < 2 {
		t.Errorf("%d relations quote \"Wednesday\", want the Russian offer and Kerry's threat at least", wed)
	}
}

// TestCompletedRelations: the three relations an analyst needs to answer
// "did Poznikhir respond to Kerry?", "what did he ask for?" and "who
// brokered the Sept. 9 deal?" are in the graph, each evidenced by the one
// sentence of the article that states it.
func TestCompletedRelations(t *testing.T) {
	g, err := Graph()
	if err != nil {
		t.Fatal(err)
	}
	text := []rune(g.Sources[0].Text)
	want := []struct {
		typ          kg.RelationType
		from, to     string
		status       kg.Status
		event, quote string
	}{
		{kg.RespondsTo, "poznikhir", "kerry", kg.Negated, "", "didn’t make any reference to Kerry’s statement"},
		{kg.Requests, "poznikhir", "usa", kg.Actual, "geneva-consultations", "We hope that American partners are also ready"},
		{kg.Brokers, "usa", "russia", kg.Actual, "sept9-deal", "deal brokered Sept. 9"},
	}
	for _, w := range want {
		found := false
		for _, r := range g.Relations {
			if r.Type != w.typ || r.From != w.from || r.To != w.to {
				continue
			}
			found = true
			if r.Status != w.status || r.EventID != w.event || r.Attribution != kg.Asserted {
				t.Errorf("%s: status %s event %q attribution %s, want %s %q ASSERTED", r.ID, r.Status, r.EventID, r.Attribution, w.status, w.event)
			}
			if len(r.Evidence) != 1 || !strings.Contains(r.Evidence[0].Quote, w.quote) {
				t.Fatalf("%s: evidence %+v does not quote %q", r.ID, r.Evidence, w.quote)
			}
			e := r.Evidence[0]
			if string(text[e.Start:e.End]) != e.Quote {
				t.Errorf("%s: offsets [%d,%d) do not hold the quote", r.ID, e.Start, e.End)
			}
			// Within one paragraph (a sentence never spans paragraphs).
			if strings.Contains(e.Quote, "\n") {
				t.Errorf("%s: evidence %q spans paragraphs", r.ID, e.Quote)
			}
		}
		if !found {
			t.Errorf("no %s %s -> %s in the seed graph", w.typ, w.from, w.to)
		}
	}
}
