package coder

import (
	"bufio"
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"

	"github.com/actorgraph/actorgraph/internal/kg"
)

//go:embed data/*.tsv data/*.json
var embedded embed.FS

// Dictionary is the coder's knowledge of actors that need no entry in the
// graph: states, international organisations and well-known groups, sector
// words and person titles. It is data (data/*.tsv, see data/README.md).
type Dictionary struct {
	Countries []Country
	Orgs      []Org
	Sectors   []Sector
	Titles    []Title
}

// Country is a state: its names, adjectives and demonyms, and capitals used as
// metonyms ("Moscow said").
type Country struct {
	ISO3       string // ISO 3166-1 alpha-3
	CAMEO      string // CAMEO country code (ISO alpha-3 but for a few)
	Name       string
	Aliases    []string
	Adjectives []string // adjectives and demonyms: Russian, Russians
	Capitals   []Capital
	Member     bool // a UN member state
}

// Capital is a capital city; Metonym says whether its name stands for the
// state ("Moscow said") or only for the place.
type Capital struct {
	Name    string
	Metonym bool
}

// Org is an international organisation or a well-known non-state group.
type Org struct {
	ID      string
	Name    string
	Aliases []string
	Kind    kg.ActorKind
	CAMEO   string
	Country string // alpha-3, for groups tied to one country
	Parent  string // the Org.ID this one is part of
}

// Sector is a kind of sub-actor of a country: government, military, police,
// rebels ... Code is the CAMEO sector code appended to the country code
// (RUS + MIL = RUSMIL); the special code STATE names the state itself.
type Sector struct {
	Code      string
	Kind      kg.ActorKind
	StatePart bool // PART_OF the state (government, military) or not (rebels)
	Label     string
	Phrases   []string
}

// Title is a set of person titles and the sector their holder belongs to
// (GOV, MIL, LEG ...; ORG: the organisation named before the title; NONE:
// a courtesy title).
type Title struct {
	Sector  string
	Phrases []string
}

// Patterns are the coder's verb patterns and the word lists of its grammar
// (data/patterns.json and data/lexicon.json).
type Patterns struct {
	Rules   []Rule  `json:"rules"`
	Lexicon Lexicon `json:"-"`
}

// Rule is one verb pattern: trigger words, templates, and the relation it
// proposes. See data/README.md for the template language.
type Rule struct {
	ID         string          `json:"id"`
	Type       kg.RelationType `json:"type"`
	CAMEO      string          `json:"cameo,omitempty"`
	Confidence float64         `json:"confidence"`
	Verbs      []string        `json:"verbs,omitempty"` // inflected: attack -> attacks, attacked, attacking
	Words      []string        `json:"words,omitempty"` // exactly as written
	Match      []string        `json:"match"`
	// Passive adds "$O be? V by $S" before the templates.
	Passive bool `json:"passive,omitempty"`
	// Symmetric proposes the relation in both directions (talks between X and Y).
	Symmetric bool `json:"symmetric,omitempty"`
	// Joint lets "X and Y met" (a subject of two or more) stand for X -> Y.
	Joint bool `json:"joint,omitempty"`
	// Intent: the pattern itself expresses intent (threaten, ready to talk),
	// so the future cues before it do not make the relation PLANNED.
	Intent bool `json:"intent,omitempty"`
	// Source "speaker": the source is the speaker of the reported speech the
	// match is in, or the clause's subject; without either there is no relation.
	Source string `json:"source,omitempty"`
	// ImplicitPartner: without a target, take the target of the latest
	// relation of the same type from the source's side.
	ImplicitPartner bool `json:"implicitPartner,omitempty"`
	// PartiesFromContext (BROKERS): the parties are the other actors of the sentence.
	PartiesFromContext bool `json:"partiesFromContext,omitempty"`
	// Blameworthy: an act a speaker who reports it accuses its agent of.
	Blameworthy            bool           `json:"blameworthy,omitempty"`
	BlameworthyTargetKinds []kg.ActorKind `json:"blameworthyTargetKinds,omitempty"`
	// ThreatCAMEO: a conditional act of this kind ("... unless ...") is a
	// threat with this code.
	ThreatCAMEO string `json:"threatCameo,omitempty"`
	// MilitaryCAMEO replaces CAMEO when the source is a military.
	MilitaryCAMEO string `json:"militaryCameo,omitempty"`
	// CAMEOWords: the first entry one of whose words occurs in the clause
	// sets the code (weapons: chemical -> 2041, airstrike -> 195).
	CAMEOWords []CAMEOWords `json:"cameoWords,omitempty"`
	// Remember: the match is remembered as the document's latest attack
	// (for "the attack" later), even without a perpetrator.
	Remember bool `json:"remember,omitempty"`
	// Against (cooperation ... against Z) adds a relation from each party to Z.
	Against *Secondary `json:"against,omitempty"`
	Note    string     `json:"note,omitempty"`

	templates [][]elem
}

// compile compiles the rule's templates (the passive one first when asked).
func (r *Rule) compile() []error {
	tpls := r.Match
	if r.Passive {
		tpls = append([]string{"$O be? V by $S"}, tpls...)
	}
	var errs []error
	r.templates = nil
	for _, m := range tpls {
		t, err := compileTemplate(m)
		if err != nil {
			errs = append(errs, fmt.Errorf("template %q: %v", m, err))
			continue
		}
		r.templates = append(r.templates, t)
	}
	return errs
}

// CAMEOWords maps clause words to a more specific CAMEO code.
type CAMEOWords struct {
	CAMEO string   `json:"cameo"`
	Words []string `json:"words"`
}

// Secondary is an extra relation a rule proposes.
type Secondary struct {
	Type  kg.RelationType `json:"type"`
	CAMEO string          `json:"cameo"`
}

// Lexicon holds the word lists of the coder's grammar (data/lexicon.json).
type Lexicon struct {
	TitleAbbreviations   []string            `json:"titleAbbreviations"`
	MonthAbbreviations   []string            `json:"monthAbbreviations"`
	FinalAbbreviations   []string            `json:"finalAbbreviations"`
	SentenceStarters     []string            `json:"sentenceStarters"`
	Determiners          []string            `json:"determiners"`
	Prepositions         []string            `json:"prepositions"`
	LocativePrepositions []string            `json:"locativePrepositions"`
	Quantifiers          []string            `json:"quantifiers"`
	TargetNouns          []string            `json:"targetNouns"`
	NounModifiers        []string            `json:"nounModifiers"`
	Pronouns             map[string][]string `json:"pronouns"`
	NameParticles        []string            `json:"nameParticles"`
	AffiliateHeads       []string            `json:"affiliateHeads"`
	AnaphoricHeads       []string            `json:"anaphoricHeads"`
	PlaceAnaphors        []string            `json:"placeAnaphors"`
	EventNouns           []string            `json:"eventNouns"`
	SpeechVerbs          []SpeechVerb        `json:"speechVerbs"`
	SpeechSkip           []string            `json:"speechSkip"`
	StatusCues           []StatusCues        `json:"statusCues"`
	PurposeCues          []string            `json:"purposeCues"`
	SegmentBreaks        SegmentBreaks       `json:"segmentBreaks"`
	IrregularVerbs       map[string][]string `json:"irregularVerbs"`
}

// SpeechVerb is a verb of saying; Accusatory ones (allege, claim) make a
// reported act an accusation.
type SpeechVerb struct {
	Verb       string   `json:"verb"`
	Forms      []string `json:"forms"`
	Accusatory bool     `json:"accusatory,omitempty"`
}

// StatusCues are the words that give a relation a status.
type StatusCues struct {
	Status kg.Status `json:"status"`
	Cues   []string  `json:"cues"`
}

// SegmentBreaks are the words that start a new clause segment.
type SegmentBreaks struct {
	AfterComma                 []string `json:"afterComma"`
	SubordinateAfterComma      []string `json:"subordinateAfterComma"`
	Relative                   []string `json:"relative"`
	Anywhere                   []string `json:"anywhere"`
	Conditional                []string `json:"conditional"`
	SentenceInitialSubordinate []string `json:"sentenceInitialSubordinate"`
	ParticipleExclusions       []string `json:"participleExclusions"`
}

// maxOrgID bounds an organisation's id in orgs.tsv: relation ids join two
// actor ids with the source id and the rule, and must stay within kg.MaxID.
const maxOrgID = 24

// LoadDictionary reads countries.tsv, orgs.tsv, sectors.tsv and titles.tsv
// from the root of fsys.
func LoadDictionary(fsys fs.FS) (*Dictionary, error) {
	d := &Dictionary{}
	read := func(name string, parse func([]string) error, cols int) error {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return fmt.Errorf("coder: dictionary: %w", err)
		}
		return readTSV(name, bytes.NewReader(b), cols, parse)
	}
	if err := read("countries.tsv", func(f []string) error {
		c := Country{ISO3: f[0], CAMEO: f[1], Name: f[2], Aliases: list(f[3]), Adjectives: list(f[4])}
		for _, cap := range list(f[5]) {
			c.Capitals = append(c.Capitals, Capital{Name: strings.TrimPrefix(cap, "!"), Metonym: !strings.HasPrefix(cap, "!")})
		}
		switch f[6] {
		case "UN":
			c.Member = true
		case "OBS":
		default:
			return fmt.Errorf("status %q is not UN or OBS", f[6])
		}
		if c.Name == "" {
			return errors.New("name is required")
		}
		// The codes become the proposed actors' country and cameoCode:
		// the rules of kg.Validate here, so a dictionary line never makes
		// the coder propose an actor every store refuses (FuzzDictionary).
		if !kg.IsAlpha3(c.ISO3) {
			return fmt.Errorf("iso3 %q is not an ISO 3166-1 alpha-3 code", c.ISO3)
		}
		if !kg.IsCAMEOActorCode(c.CAMEO) {
			return fmt.Errorf("cameo %q is not a CAMEO actor code (upper case, e.g. RUS)", c.CAMEO)
		}
		d.Countries = append(d.Countries, c)
		return nil
	}, 7); err != nil {
		return nil, err
	}
	if err := read("orgs.tsv", func(f []string) error {
		o := Org{ID: f[0], Name: f[1], Aliases: list(f[2]), Kind: kg.ActorKind(f[3]), CAMEO: f[4], Country: f[5], Parent: f[6]}
		if !slices.Contains(kg.ActorKinds, o.Kind) {
			return fmt.Errorf("kind %q is not an actor kind", o.Kind)
		}
		// The id is part of the proposed actor's id and of its relations'
		// ids (coder-org-<id>), which must stay slugs within kg.MaxID.
		if !kg.IsSlug(o.ID) || len(o.ID) > maxOrgID {
			return fmt.Errorf("id %q is not a slug of at most %d characters", o.ID, maxOrgID)
		}
		if o.CAMEO != "" && !kg.IsCAMEOActorCode(o.CAMEO) {
			return fmt.Errorf("cameo %q is not a CAMEO actor code", o.CAMEO)
		}
		if o.Country != "" && !kg.IsAlpha3(o.Country) {
			return fmt.Errorf("country %q is not an ISO 3166-1 alpha-3 code", o.Country)
		}
		d.Orgs = append(d.Orgs, o)
		return nil
	}, 7); err != nil {
		return nil, err
	}
	if err := read("sectors.tsv", func(f []string) error {
		s := Sector{Code: f[0], Kind: kg.ActorKind(f[1]), StatePart: f[2] == "yes", Label: f[3], Phrases: list(f[4])}
		if !slices.Contains(kg.ActorKinds, s.Kind) {
			return fmt.Errorf("kind %q is not an actor kind", s.Kind)
		}
		if !kg.IsCAMEOActorCode("USA" + s.Code) { // appended to a country's code: RUSMIL
			return fmt.Errorf("code %q does not extend a CAMEO actor code (upper case letters and digits)", s.Code)
		}
		d.Sectors = append(d.Sectors, s)
		return nil
	}, 5); err != nil {
		return nil, err
	}
	if err := read("titles.tsv", func(f []string) error {
		d.Titles = append(d.Titles, Title{Sector: f[0], Phrases: list(f[1])})
		return nil
	}, 2); err != nil {
		return nil, err
	}
	orgIDs := map[string]bool{}
	for _, o := range d.Orgs {
		orgIDs[o.ID] = true
	}
	for _, o := range d.Orgs {
		if o.Parent != "" && !orgIDs[o.Parent] {
			return nil, fmt.Errorf("coder: orgs.tsv: %s: parent %q is not an org", o.ID, o.Parent)
		}
	}
	return d, nil
}

// readTSV reads a tab-separated file with cols columns; lines starting with
// # and empty lines are skipped; missing trailing columns are empty.
func readTSV(name string, r io.Reader, cols int, row func([]string) error) error {
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		f := strings.Split(text, "\t")
		if len(f) > cols {
			return fmt.Errorf("coder: %s:%d: %d columns, want %d", name, line, len(f), cols)
		}
		for len(f) < cols {
			f = append(f, "")
		}
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
			// Names become actor names and aliases: the data model's text
			// rules (kg.CheckText) hold for every one, so a dictionary never
			// makes proposals the store refuses.
			for _, item := range strings.Split(f[i], "|") {
				if err := kg.CheckText(fmt.Sprintf("column %d", i+1), item, kg.MaxName, false); err != nil {
					return fmt.Errorf("coder: %s:%d: %w", name, line, err)
				}
			}
		}
		if err := row(f); err != nil {
			return fmt.Errorf("coder: %s:%d: %w", name, line, err)
		}
	}
	return sc.Err()
}

func list(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range strings.Split(s, "|") {
		// Once each, as kg.Fold compares: the lists become actors'
		// aliases, which kg.Validate refuses repeated.
		if p = strings.TrimSpace(p); p != "" && !seen[kg.Fold(p)] {
			seen[kg.Fold(p)] = true
			out = append(out, p)
		}
	}
	return out
}

// LoadPatterns reads patterns.json and lexicon.json from the root of fsys.
func LoadPatterns(fsys fs.FS) (*Patterns, error) {
	pj, err := fs.ReadFile(fsys, "patterns.json")
	if err != nil {
		return nil, fmt.Errorf("coder: patterns: %w", err)
	}
	lj, err := fs.ReadFile(fsys, "lexicon.json")
	if err != nil {
		return nil, fmt.Errorf("coder: patterns: %w", err)
	}
	return ParsePatterns(pj, lj)
}

// ParsePatterns decodes and checks the patterns and the lexicon: every rule
// has a vocabulary type, a CAMEO code of the codebook that maps to that type
// (none for structural types), triggers, and templates that compile.
func ParsePatterns(patternsJSON, lexiconJSON []byte) (*Patterns, error) {
	var p Patterns
	if err := decodeStrict(patternsJSON, &p); err != nil {
		return nil, fmt.Errorf("coder: patterns.json: %w", err)
	}
	if err := decodeStrict(lexiconJSON, &p.Lexicon); err != nil {
		return nil, fmt.Errorf("coder: lexicon.json: %w", err)
	}
	var errs []error
	ids := map[string]bool{}
	for i := range p.Rules {
		r := &p.Rules[i]
		bad := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf("coder: patterns.json: rule %q: %s", r.ID, fmt.Sprintf(format, args...)))
		}
		if r.ID == "" || ids[r.ID] {
			bad("missing or duplicate id")
		}
		ids[r.ID] = true
		info, ok := r.Type.Info()
		if !ok {
			bad("type %q is not in the vocabulary", r.Type)
			continue
		}
		checkCode := func(code string, want kg.RelationType) {
			if code == "" {
				return
			}
			if t, err := kg.TypeForCAMEO(code); err != nil {
				bad("%v", err)
			} else if t != want {
				bad("cameo %s maps to %s, not %s", code, t, want)
			}
		}
		if info.Structural {
			if r.CAMEO != "" || r.MilitaryCAMEO != "" || len(r.CAMEOWords) > 0 {
				bad("structural type %s takes no CAMEO code", r.Type)
			}
		} else {
			if r.CAMEO == "" {
				bad("cameo is required for %s", r.Type)
			}
			checkCode(r.CAMEO, r.Type)
			checkCode(r.MilitaryCAMEO, r.Type)
			for _, cw := range r.CAMEOWords {
				if r.Type == kg.Threatens {
					checkCode(cw.CAMEO, kg.Threatens)
				} else {
					checkCode(cw.CAMEO, r.Type)
				}
			}
		}
		checkCode(r.ThreatCAMEO, kg.Threatens)
		if r.Against != nil {
			checkCode(r.Against.CAMEO, r.Against.Type)
		}
		if r.Confidence <= 0 || r.Confidence > 1 {
			bad("confidence %v is outside (0, 1]", r.Confidence)
		}
		if len(r.Verbs)+len(r.Words) == 0 {
			bad("no verbs or words")
		}
		if len(r.Match) == 0 {
			bad("no match templates")
		}
		for _, err := range r.compile() {
			bad("%v", err)
		}
	}
	for _, sc := range p.Lexicon.StatusCues {
		if !slices.Contains(kg.Statuses, sc.Status) {
			errs = append(errs, fmt.Errorf("coder: lexicon.json: status %q is not a status", sc.Status))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return &p, nil
}

func decodeStrict(b []byte, v any) error {
	// Keys starting with "_" document the file; drop them first.
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	for k := range raw {
		if strings.HasPrefix(k, "_") {
			delete(raw, k)
		}
	}
	clean, err := json.Marshal(raw)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(clean))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// DefaultDictionary and DefaultPatterns load the embedded data files.
func DefaultDictionary() (*Dictionary, error) {
	sub, err := fs.Sub(embedded, "data")
	if err != nil {
		return nil, err
	}
	return LoadDictionary(sub)
}

// DefaultPatterns loads the embedded patterns and lexicon.
func DefaultPatterns() (*Patterns, error) {
	sub, err := fs.Sub(embedded, "data")
	if err != nil {
		return nil, err
	}
	return LoadPatterns(sub)
}
