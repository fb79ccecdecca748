// Package coder is an event coder in the spirit of TABARI and PETRARCH: it
// reads a news article and proposes actors and typed, evidenced relations
// for the knowledge graph.
//
// The pipeline, per document: sentences (splitSentences: abbreviations,
// quotes, datelines, headlines); per sentence, actor mentions (scanMentions:
// known actors and places by name and alias, states by name, adjective and
// capital, sector actors "Russian warplanes", organisations, titled persons,
// pronouns and other anaphora); clause segments and reported speech
// (segmentSentence, speechFrames); verb patterns (data/patterns.json)
// matched in each segment; attribution, status and dates; and relations,
// merged when they repeat. Everything the coder knows about words is data
// (data/, documented in data/README.md); the code holds the grammar.
//
// Every relation it proposes is PROPOSED with method CODER, the rule id as
// detail and a confidence; it carries the CAMEO code and Goldstein score of
// the vocabulary, the document's date as `reported`, the date its sentence
// gives as `occurred`, and its sentence as evidence with exact code-point
// offsets.
package coder

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/actorgraph/actorgraph/internal/kg"
)

// Document is one article to code.
type Document struct {
	Text     string
	SourceID string
	// Published is the date relative dates ("Wednesday", "last week") are
	// resolved against: the date the story ran.
	Published time.Time
}

// Known is what the graph already holds: actors (matched by name and
// alias, and by CAMEO code for sector actors) and places (matched by name
// and alias; the coder never creates places).
type Known struct {
	Actors []kg.Actor
	Places []kg.Place
}

// Result is what the coder proposes.
type Result struct {
	// Actors are the actors it had to create (ids "coder-..."): states,
	// sector actors, organisations and persons not in the known set. Their
	// PART_OF and HOLDS_ROLE relations are in Relations.
	Actors []kg.Actor
	// Places are the places the parse coder had to create (ids
	// "coder-place-..."), from NER locations no known place names; the
	// dictionary coder never creates places.
	Places    []kg.Place
	Relations []kg.Relation
	// Events is reserved for event nodes; the coder proposes none yet.
	Events []kg.Event
}

// Coder codes documents. It is safe for concurrent use.
type Coder struct {
	dict *Dictionary
	pats *Patterns
	lex  *lexicon
}

// New returns a coder using a dictionary and patterns (see LoadDictionary,
// LoadPatterns). Rules built in code rather than parsed are compiled here;
// a template that does not compile is skipped (ParsePatterns reports it).
func New(dict *Dictionary, patterns *Patterns) *Coder {
	for i := range patterns.Rules {
		if r := &patterns.Rules[i]; r.templates == nil {
			r.compile()
		}
	}
	return &Coder{dict: dict, pats: patterns, lex: compileLexicon(patterns)}
}

var (
	defaultOnce  sync.Once
	defaultCoder *Coder
	defaultErr   error
)

// Default returns a coder with the embedded data files.
func Default() (*Coder, error) {
	defaultOnce.Do(func() {
		d, err := DefaultDictionary()
		if err != nil {
			defaultErr = err
			return
		}
		p, err := DefaultPatterns()
		if err != nil {
			defaultErr = err
			return
		}
		defaultCoder = New(d, p)
	})
	return defaultCoder, defaultErr
}

// Code codes a document against the known actors.
func (c *Coder) Code(doc Document, known []kg.Actor) (*Result, error) {
	return c.CodeWith(doc, Known{Actors: known})
}

// CodeWith codes a document against known actors and places.
func (c *Coder) CodeWith(doc Document, known Known) (*Result, error) {
	switch {
	case doc.SourceID == "":
		return nil, errors.New("coder: document has no source id")
	case doc.Published.IsZero():
		return nil, errors.New("coder: document has no published date")
	case !utf8.ValidString(doc.Text):
		return nil, errors.New("coder: document text is not valid UTF-8")
	}
	r := c.newRun(doc, known)
	for i := range r.sents {
		r.codeSentence(&r.sents[i])
	}
	r.emitStructural()
	res := &Result{}
	for _, id := range r.newActors {
		res.Actors = append(res.Actors, *r.actors[id])
	}
	for _, rel := range r.out {
		res.Relations = append(res.Relations, *rel)
	}
	return res, nil
}

// run is the state of coding one document.
type run struct {
	c     *Coder
	lex   *lexicon
	doc   Document
	pub   time.Time
	text  []rune
	known Known
	sents []sentence

	actors       map[string]*kg.Actor
	places       map[string]*kg.Place
	knownIDs     map[string]bool
	newActors    []string
	countryByISO map[string]*Country
	sectorByCode map[string]*Sector
	trie         trie
	structural   []*proto

	// Discourse state.
	cur          *sentence
	curDates     []dateExpr
	lastPerson   string
	lastPlace    string
	lastBySector map[string]string
	lastCountry  *Country
	lastPair     [2]*Country
	recent       []string
	docAliases   map[string]string
	lastAttack   struct{ agents, targets []ref }

	// Output.
	out   []*kg.Relation
	byKey map[string]*kg.Relation
	ids   map[string]bool
	keyOf map[string]string // relation id -> merge key
}

func (c *Coder) newRun(doc Document, known Known) *run {
	pub := doc.Published.UTC()
	r := &run{
		c: c, lex: c.lex, doc: doc, known: known,
		pub:          time.Date(pub.Year(), pub.Month(), pub.Day(), 0, 0, 0, 0, time.UTC),
		text:         []rune(doc.Text),
		actors:       map[string]*kg.Actor{},
		places:       map[string]*kg.Place{},
		knownIDs:     map[string]bool{},
		countryByISO: map[string]*Country{},
		sectorByCode: map[string]*Sector{},
		trie:         trie{},
		lastBySector: map[string]string{},
		docAliases:   map[string]string{},
		byKey:        map[string]*kg.Relation{},
		ids:          map[string]bool{},
		keyOf:        map[string]string{},
	}
	ab := &c.lex.ab
	d := c.dict
	for i := range d.Sectors {
		s := &d.Sectors[i]
		r.sectorByCode[s.Code] = s
		for _, p := range s.Phrases {
			r.trie.add(p, ab, entry{kind: kSector, sector: s})
		}
	}
	for i := range d.Countries {
		ct := &d.Countries[i]
		r.countryByISO[ct.ISO3] = ct
		for _, n := range append([]string{ct.Name}, ct.Aliases...) {
			r.trie.add(n, ab, entry{kind: kCountryName, country: ct})
		}
		for _, a := range ct.Adjectives {
			r.trie.add(a, ab, entry{kind: kCountryAdj, country: ct})
		}
		for _, cp := range ct.Capitals {
			r.trie.add(cp.Name, ab, entry{kind: kCapital, country: ct, metonym: cp.Metonym})
		}
	}
	for i := range d.Titles {
		t := &d.Titles[i]
		for _, p := range t.Phrases {
			r.trie.add(p, ab, entry{kind: kTitle, title: t})
		}
	}
	for i := range d.Orgs {
		o := &d.Orgs[i]
		for _, n := range append([]string{o.Name}, o.Aliases...) {
			r.trie.add(n, ab, entry{kind: kOrg, org: o})
		}
	}
	for i := range known.Places {
		p := &known.Places[i]
		r.places[p.ID] = p
		for _, n := range append([]string{p.Name}, p.Aliases...) {
			r.trie.add(n, ab, entry{kind: kKnownPlace, id: p.ID})
		}
	}
	for i := range known.Actors {
		a := &known.Actors[i]
		r.actors[a.ID] = a
		r.knownIDs[a.ID] = true
		for _, n := range append([]string{a.Name}, a.Aliases...) {
			r.trie.add(n, ab, entry{kind: kKnownActor, id: a.ID})
		}
	}
	r.sents = splitSentences(r.text, ab)
	return r
}

// addDocAlias makes a name (a person's surname) recognisable for the rest
// of the document.
func (r *run) addDocAlias(name, id string) {
	if r.knownIDs[id] {
		return
	}
	for _, e := range r.trie[normalize(name)] {
		if e.kind == kDocAlias && e.id == id {
			return
		}
	}
	r.trie.add(name, &r.lex.ab, entry{kind: kDocAlias, id: id})
}

// stateActor returns the actor of a state: a known one (by CAMEO code or
// country), else a new one.
func (r *run) stateActor(c *Country) string {
	for _, a := range r.known.Actors {
		if a.Kind == kg.KindState && (a.CAMEOCode == c.CAMEO || a.Country == c.ISO3) {
			return a.ID
		}
	}
	id := "coder-" + strings.ToLower(c.ISO3)
	if _, ok := r.actors[id]; !ok {
		r.newActor(kg.Actor{ID: id, Name: c.Name, Kind: kg.KindState, Country: c.ISO3, CAMEOCode: c.CAMEO, Aliases: c.Aliases})
	}
	return id
}

func (r *run) newActor(a kg.Actor) {
	cp := a
	r.actors[a.ID] = &cp
	r.newActors = append(r.newActors, a.ID)
}

// sectorActor returns the actor of sector sec of country c: the known
// actor with that CAMEO code (of the sector's kind, else the one with the
// shortest name), else a new actor, PART_OF the state when the sector is a
// part of the state. The mention at tokens [from, to) of the current
// sentence is the evidence of that PART_OF.
func (r *run) sectorActor(c *Country, stateID string, sec *Sector, from, to int) string {
	code := c.CAMEO + sec.Code
	better := func(a, b *kg.Actor) bool {
		am, bm := a.Kind == sec.Kind, b.Kind == sec.Kind
		if am != bm {
			return am
		}
		la, lb := utf8.RuneCountInString(a.Name), utf8.RuneCountInString(b.Name)
		if la != lb {
			return la < lb
		}
		return a.ID < b.ID
	}
	var best *kg.Actor
	for i := range r.known.Actors {
		a := &r.known.Actors[i]
		if a.Kind == kg.KindPerson || a.CAMEOCode != code {
			continue
		}
		if best == nil || better(a, best) {
			best = a
		}
	}
	if best != nil {
		return best.ID
	}
	id := "coder-" + strings.ToLower(c.ISO3) + "-" + strings.ToLower(sec.Code)
	if _, ok := r.actors[id]; ok {
		return id
	}
	adj := c.Name
	if len(c.Adjectives) > 0 {
		adj = c.Adjectives[0]
	}
	r.newActor(kg.Actor{ID: id, Name: adj + " " + sec.Label, Kind: sec.Kind, Country: c.ISO3, CAMEOCode: code})
	if sec.StatePart {
		if stateID == "" {
			stateID = r.stateActor(c)
		}
		p := &proto{rule: "actor.sector", typ: kg.PartOf, from: ref{id: id}, to: ref{id: stateID}, sent: r.cur, confidence: 0.9}
		if r.cur != nil && from < to && to <= len(r.cur.toks) {
			p.evFrom, p.evTo = r.cur.toks[from].start, r.cur.toks[to-1].end
		}
		r.structural = append(r.structural, p)
	}
	return id
}

// sectorActorQuiet is sectorActor for a mention whose span is not known.
func (r *run) sectorActorQuiet(c *Country, sec *Sector) string {
	return r.sectorActor(c, "", sec, 0, 0)
}

// orgActor returns the actor of a dictionary organisation: a known actor
// with one of its names (or, for international organisations, its CAMEO
// code), else a new one, PART_OF its parent organisation.
func (r *run) orgActor(o *Org) string {
	names := map[string]bool{}
	for _, n := range append([]string{o.Name}, o.Aliases...) {
		names[normalize(kg.Fold(n))] = true
	}
	for _, a := range r.known.Actors {
		for _, n := range a.Names() {
			if names[normalize(n)] {
				return a.ID
			}
		}
	}
	if strings.HasPrefix(o.CAMEO, "IGO") || strings.HasPrefix(o.CAMEO, "NGO") {
		for _, a := range r.known.Actors {
			if a.CAMEOCode == o.CAMEO && a.Kind != kg.KindPerson {
				return a.ID
			}
		}
	}
	id := "coder-org-" + o.ID
	if _, ok := r.actors[id]; ok {
		return id
	}
	r.newActor(kg.Actor{ID: id, Name: o.Name, Kind: o.Kind, Country: o.Country, CAMEOCode: o.CAMEO, Aliases: o.Aliases})
	if o.Parent != "" {
		for i := range r.c.dict.Orgs {
			if p := &r.c.dict.Orgs[i]; p.ID == o.Parent {
				parent := r.orgActor(p)
				pr := &proto{rule: "actor.org", typ: kg.PartOf, from: ref{id: id}, to: ref{id: parent}, sent: r.cur, confidence: 0.9}
				r.structural = append(r.structural, pr)
			}
		}
	}
	return id
}

// personActor creates (or finds) a person named by a title, holding a role
// in holder.
func (r *run) personActor(name string, c *Country, holder []ref, role string, evFrom, evTo int) string {
	id := "coder-person-" + slug(name)
	if _, ok := r.actors[id]; ok {
		return id
	}
	a := kg.Actor{ID: id, Name: name, Kind: kg.KindPerson}
	if c != nil {
		a.Country = c.ISO3
	}
	if len(holder) > 0 {
		if h := r.actors[holder[0].id]; h != nil {
			if a.Country == "" {
				a.Country = h.Country
			}
			a.CAMEOCode = h.CAMEOCode
		}
	}
	if f := strings.Fields(name); len(f) > 1 {
		a.Aliases = []string{f[len(f)-1]}
	}
	r.newActor(a)
	if len(holder) > 0 && holder[0].id != id {
		r.structural = append(r.structural, &proto{rule: "actor.title", typ: kg.HoldsRole, from: ref{id: id}, to: holder[0],
			role: strings.TrimSpace(role), sent: r.cur, evFrom: evFrom, evTo: evTo, confidence: 0.85})
	}
	return id
}

// slug makes an id fragment: lower case letters and digits joined by "-".
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case r == '.' || r == ':':
			b.WriteRune(r)
			dash = false
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	return strings.Trim(b.String(), "-.:")
}

// sideOf is what "the same side" means for attribution: the country of a
// state, its organs and its officials; the actor itself for anyone else
// (rebels are not on their government's side).
func (r *run) sideOf(id string) string {
	a := r.actors[id]
	if a == nil {
		return "A:" + id
	}
	switch a.Kind {
	case kg.KindState, kg.KindGovernment, kg.KindMilitary, kg.KindPerson:
		if a.Country != "" {
			return "C:" + a.Country
		}
	}
	return "A:" + id
}

func (r *run) sameSide(a, b string) bool { return a == b || r.sideOf(a) == r.sideOf(b) }

// emitStructural emits the structural relations found with the actors
// (PART_OF, HOLDS_ROLE, CONTROLS of "rebel-held", AFFILIATED_WITH of "X's
// branch"), in order of appearance.
func (r *run) emitStructural() {
	slices.SortStableFunc(r.structural, func(a, b *proto) int {
		ai, bi := -1, -1
		if a.sent != nil {
			ai = a.sent.index
		}
		if b.sent != nil {
			bi = b.sent.index
		}
		return cmp.Compare(ai, bi)
	})
	for _, p := range r.structural {
		if p.sent == nil {
			continue // no evidence to cite
		}
		if p.evTo <= p.evFrom {
			p.evFrom, p.evTo = p.sent.start, p.sent.end
		}
		p.attribution = kg.Asserted
		p.status = kg.Actual
		r.emit(p)
	}
}

func (r *run) String() string { return fmt.Sprintf("run(%s)", r.doc.SourceID) }
