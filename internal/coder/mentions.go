package coder

import (
	"cmp"
	"slices"
	"strings"
	"unicode"

	"github.com/actorgraph/actorgraph/internal/kg"
)

// A ref names an endpoint: an actor id, or a place id when place is set.
type ref struct {
	id    string
	place bool
}

// A mention is a stretch of a sentence that names one or more actors or a
// place (tokens [from, to)).
type mention struct {
	from, to int
	refs     []ref
	person   bool
	pronoun  string // "he", "it" ...: refs are empty for it/they/we until the context resolves them
	heldBy   []ref  // a place "held" or "controlled" by these actors (rebel-held neighborhoods)
	via      string // how the mention was recognised (known, country, sector, person, pronoun ...)
	anaphor  bool   // resolved from context (pronoun, "the rebels", "the two militaries")
	country  *Country
	adj      bool // a country adjective standing for the state ("Russian")
}

// trie entry kinds, in order of precedence on equal length.
const (
	kSector = iota
	kCountryAdj
	kCountryName
	kCapital
	kTitle
	kOrg
	kKnownPlace
	kKnownActor
	kDocAlias
)

type entry struct {
	toks    []string
	caps    []int8 // per token: 0 any case, 1 capitalised, 2 exact
	surface []string
	kind    int
	id      string // known actor, known place or doc alias actor id
	country *Country
	metonym bool
	org     *Org
	sector  *Sector
	title   *Title
}

type trie map[string][]*entry

func (t trie) add(phrase string, ab *abbreviations, e entry) {
	r := []rune(phrase)
	toks := tokenize(r, 0, len(r), ab)
	if len(toks) == 0 {
		return
	}
	e.toks = make([]string, len(toks))
	e.caps = make([]int8, len(toks))
	e.surface = make([]string, len(toks))
	for i, tk := range toks {
		e.toks[i] = tk.low
		e.surface[i] = tk.text
		letters := 0
		for _, c := range tk.text {
			if unicode.IsLetter(c) {
				letters++
			}
		}
		switch {
		case tk.allCaps() && letters <= 5 && letters > 0:
			e.caps[i] = 2
		case tk.capitalised():
			e.caps[i] = 1
		}
	}
	t[e.toks[0]] = append(t[e.toks[0]], &e)
}

// match returns the entries that match toks at i, longest first, then by
// precedence.
func (t trie) match(toks []token, i int) []*entry {
	var out []*entry
	for _, e := range t[toks[i].low] {
		if i+len(e.toks) > len(toks) {
			continue
		}
		ok := true
		for k, w := range e.toks {
			tk := toks[i+k]
			if tk.low != w {
				ok = false
				break
			}
			switch e.caps[k] {
			case 1:
				ok = tk.capitalised()
			case 2:
				ok = normalizeCase(tk.text) == normalizeCase(e.surface[k])
			}
			if !ok {
				break
			}
		}
		if ok {
			out = append(out, e)
		}
	}
	slices.SortStableFunc(out, func(a, b *entry) int {
		if c := cmp.Compare(len(b.toks), len(a.toks)); c != 0 {
			return c
		}
		return cmp.Compare(b.kind, a.kind)
	})
	return out
}

func normalizeCase(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteRune(foldRune(r))
	}
	return b.String()
}

// sectorOf returns the sector code of a CAMEO actor code (SYRREB -> REB).
func sectorOf(code string) string {
	if len(code) > 3 && !strings.HasPrefix(code, "IGO") && !strings.HasPrefix(code, "NGO") && !strings.HasPrefix(code, "IMG") {
		return code[3:]
	}
	return ""
}

// scanMentions finds the mentions of one sentence, in order, updating the
// discourse state as it goes (the last person named, the last actor of
// each sector, the last pair of countries ...).
func (r *run) scanMentions(s *sentence) []*mention {
	toks := s.toks
	var out []*mention
	lex := r.lex
	low := func(i int) string {
		if i < 0 || i >= len(toks) {
			return ""
		}
		return toks[i].low
	}
	add := func(m *mention) {
		out = append(out, m)
		// A person is salient for "he" unless named in a prepositional
		// phrase or as a possessor ("a reference to Kerry's statement").
		salient := !(m.from > 0 && lex.preposition[toks[m.from-1].low]) && !(m.to < len(toks) && toks[m.to].low == "'s")
		r.remember(m, salient)
	}
	for i := 0; i < len(toks); {
		t := toks[i]
		if t.punct {
			i++
			continue
		}
		// Pronouns.
		if lex.personPronoun[t.low] && !(t.low == "us" && t.text == "US") {
			m := &mention{from: i, to: i + 1, pronoun: t.low, via: "pronoun", anaphor: true, person: true}
			if r.lastPerson != "" {
				m.refs = []ref{{id: r.lastPerson}}
			}
			out = append(out, m)
			i++
			continue
		}
		if lex.speakerPronoun[t.low] && !(t.text == "US") {
			out = append(out, &mention{from: i, to: i + 1, pronoun: t.low, via: "pronoun", anaphor: true})
			i++
			continue
		}
		// "the two militaries", "both sides": the last pair of countries.
		if (t.low == "two" && low(i-1) == "the") || t.low == "both" {
			if m := r.pairAnaphor(toks, i); m != nil {
				add(m)
				i = m.to
				continue
			}
		}
		// "the country's army": the last country named.
		if t.low == "country" && low(i-1) == "the" && low(i+1) == "'s" && r.lastCountry != nil {
			if sec, end := r.sectorAfter(toks, i+2); sec != nil {
				add(r.sectorMention(r.lastCountry, "", sec, i, end, "country-anaphor", true))
				i = end
				continue
			}
		}
		cands := r.trie.match(toks, i)
		if len(cands) == 0 {
			// "the committee", "the group", "the town": the latest actor or place of that kind.
			if low(i-1) == "the" {
				if m := r.headAnaphor(toks, i); m != nil {
					add(m)
					i = m.to
					continue
				}
			}
			i++
			continue
		}
		e := r.pick(cands, toks, i)
		end := i + len(e.toks)
		// pro-Russian, anti-government: a modifier, not the actor.
		if low(i-1) == "-" && (low(i-2) == "pro" || low(i-2) == "anti") {
			i = end
			continue
		}
		switch e.kind {
		case kKnownActor, kDocAlias:
			if m := r.longerComposition(cands, toks, i, end); m != nil {
				add(m)
				i = m.to
				continue
			}
			a := r.actors[e.id]
			if a.Kind == kg.KindState && a.Country != "" && r.countryByISO[a.Country] != nil {
				m := r.countryMention(toks, i, end, r.countryByISO[a.Country], e.id, kCountryName)
				if m != nil {
					add(m)
					i = m.to
					continue
				}
				i = end
				continue
			}
			m := &mention{from: i, to: end, refs: []ref{{id: e.id}}, via: "known", person: a.Kind == kg.KindPerson}
			if e.kind == kDocAlias {
				m.via = "alias"
			}
			if !m.person {
				if p := r.titledPerson(toks, end, i, nil, []ref{{id: e.id}}, ""); p != nil {
					add(p)
					i = p.to
					continue
				}
				m.to = r.absorbSectorWords(toks, m.to)
			}
			r.affiliation(toks, m, s)
			add(m)
			i = m.to
		case kKnownPlace:
			m := &mention{from: i, to: end, refs: []ref{{id: e.id, place: true}}, via: "place"}
			r.heldBy(toks, m, s)
			out = append(out, m)
			r.lastPlace = e.id
			i = end
		case kOrg:
			id := r.orgActor(e.org)
			m := &mention{from: i, to: end, refs: []ref{{id: id}}, via: "org"}
			if p := r.titledPerson(toks, end, i, nil, m.refs, ""); p != nil {
				add(p)
				i = p.to
				continue
			}
			m.to = r.absorbSectorWords(toks, m.to)
			add(m)
			i = m.to
		case kTitle:
			if p := r.titledPerson(toks, i, i, nil, nil, ""); p != nil {
				add(p)
				i = p.to
				continue
			}
			i = end
		case kCountryName, kCountryAdj, kCapital:
			if e.kind == kCapital && (!e.metonym || lex.locative[low(i-1)]) || e.kind == kCountryName && lex.locative[low(i-1)] {
				// A place, not the state: only a known place of that name.
				if id := r.placeNamed(toks, i, end); id != "" {
					out = append(out, &mention{from: i, to: end, refs: []ref{{id: id, place: true}}, via: "place"})
				}
				i = end
				continue
			}
			m := r.countryMention(toks, i, end, e.country, "", e.kind)
			if m != nil {
				add(m)
				i = m.to
				continue
			}
			i = end
		case kSector:
			if m := r.bareSector(toks, i, end, e.sector, s); m != nil {
				add(m)
				i = m.to
				continue
			}
			i = end
		default:
			i = end
		}
	}
	r.pairs(toks, out)
	return out
}

// longerComposition is the country-and-sector mention at i when it reaches
// past end, the end of a known name it starts with: with "Syrian
// government" known, "Syrian government forces" is still the Syrian
// military, as it is when the name is not known (the same article must
// resolve alike whatever the store holds). Nil otherwise.
func (r *run) longerComposition(cands []*entry, toks []token, i, end int) *mention {
	for _, c := range cands {
		if c.kind != kCountryAdj && c.kind != kCountryName || c.country == nil {
			continue
		}
		if sec, send := r.sectorAfter(toks, i+len(c.toks)); sec != nil && send > end {
			return r.countryMention(toks, i, i+len(c.toks), c.country, "", c.kind)
		}
	}
	return nil
}

// pick chooses among the longest candidates: a known place after a locative
// preposition ("in Syria"), else the first by precedence.
func (r *run) pick(cands []*entry, toks []token, i int) *entry {
	n := len(cands[0].toks)
	if i > 0 && r.lex.locative[toks[i-1].low] {
		for _, e := range cands {
			if len(e.toks) == n && e.kind == kKnownPlace {
				return e
			}
		}
	}
	return cands[0]
}

func (r *run) placeNamed(toks []token, i, end int) string {
	for _, e := range r.trie.match(toks, i) {
		if e.kind == kKnownPlace && len(e.toks) == end-i {
			return e.id
		}
	}
	return ""
}

// countryMention builds the mention that starts with a country's name,
// adjective or capital at toks[i:end]: the state itself, or a sector actor
// of it ("Russian warplanes", "Ukraine's air force", "U.S. officials"), or a
// titled person ("Russian President Vladimir Putin").
func (r *run) countryMention(toks []token, i, end int, c *Country, stateID string, kind int) *mention {
	if stateID == "" {
		stateID = r.stateActor(c)
	}
	k := end
	if k < len(toks) && toks[k].low == "'s" {
		k++
	}
	// Up to two modifier words before a sector word or a title: "Ukrainian
	// defense official", "U.S. intelligence officials".
	for skip := 0; skip <= 2 && k+skip < len(toks); skip++ {
		j := k + skip
		if skip > 0 {
			w := toks[j-1]
			if w.punct || w.capitalised() || r.lex.function[w.low] {
				break
			}
		}
		if p := r.titledPerson(toks, j, i, c, nil, ""); p != nil {
			return p
		}
		if sec, send := r.sectorAfter(toks, j); sec != nil {
			// "Ukraine military spokesman Andriy Lysenko": a title after the sector.
			if p := r.titledPerson(toks, send, i, c, nil, sec.Code); p != nil {
				return p
			}
			return r.sectorMention(c, stateID, sec, i, send, "sector", false)
		}
	}
	m := &mention{from: i, to: end, refs: []ref{{id: stateID}}, via: "country", country: c, adj: kind == kCountryAdj}
	return m
}

// sectorAfter returns the sector phrase at toks[i], if any, and its end.
func (r *run) sectorAfter(toks []token, i int) (*Sector, int) {
	if i >= len(toks) {
		return nil, i
	}
	for _, e := range r.trie.match(toks, i) {
		if e.kind == kSector {
			return e.sector, i + len(e.toks)
		}
	}
	return nil, i
}

// sectorMention makes the mention of the sector actor (country c, sector sec).
func (r *run) sectorMention(c *Country, stateID string, sec *Sector, from, to int, via string, anaphor bool) *mention {
	if stateID == "" {
		stateID = r.stateActor(c)
	}
	if sec.Code == "STATE" {
		return &mention{from: from, to: to, refs: []ref{{id: stateID}}, via: via, country: c, anaphor: anaphor}
	}
	id := r.sectorActor(c, stateID, sec, from, to)
	return &mention{from: from, to: to, refs: []ref{{id: id}}, via: via, country: c, anaphor: anaphor}
}

// bareSector resolves a sector word without a country: "authorities in
// Azerbaijan", "the rebels", "separatists". A singular sector word followed
// by a noun is a modifier ("military planes"), not an actor.
func (r *run) bareSector(toks []token, i, end int, sec *Sector, s *sentence) *mention {
	low := func(k int) string {
		if k < 0 || k >= len(toks) {
			return ""
		}
		return toks[k].low
	}
	// "authorities in Azerbaijan", "Government of Somalia", "Armed Forces of Ukraine".
	if p := low(end); p == "in" || p == "of" {
		k := end + 1
		if low(k) == "the" {
			k++
		}
		if k < len(toks) {
			for _, e := range r.trie.match(toks, k) {
				var c *Country
				stateID := ""
				switch e.kind {
				case kCountryName, kCapital:
					c = e.country
				case kKnownActor:
					if a := r.actors[e.id]; a.Kind == kg.KindState {
						c, stateID = r.countryByISO[a.Country], e.id
					}
				}
				if c != nil {
					return r.sectorMention(c, stateID, sec, i, k+len(e.toks), "sector", false)
				}
				break
			}
		}
	}
	// rebel-held: resolved with the place (heldBy).
	if low(end) == "-" && (low(end+1) == "held" || low(end+1) == "controlled") {
		return nil
	}
	if sec.Code == "STATE" || sec.Code == "CVL" {
		return nil
	}
	if !strings.HasSuffix(low(end-1), "s") && end < len(toks) && !toks[end].punct && !r.lex.verbLike(toks[end].low) && !r.lex.function[toks[end].low] {
		return nil // a modifier: "military planes", "rebel positions"
	}
	// "its troops", "their forces": the sector of the last state named.
	if p := low(i - 1); (p == "its" || p == "their") && r.lastCountry != nil {
		return r.sectorMention(r.lastCountry, "", sec, i-1, end, "possessive-anaphor", true)
	}
	id := r.resolveSector(sec.Code, "")
	if id == "" && !sec.StatePart {
		id = r.uniqueKnownSector(sec.Code)
	}
	if id == "" {
		return nil
	}
	return &mention{from: i, to: end, refs: []ref{{id: id}}, via: "sector-anaphor", anaphor: true}
}

// resolveSector finds the actor a bare sector word refers to: the latest
// actor of that sector named in the document.
func (r *run) resolveSector(code, iso3 string) string {
	if id, ok := r.lastBySector[code]; ok && (iso3 == "" || r.actors[id].Country == iso3) {
		return id
	}
	return ""
}

// uniqueKnownSector is the only known actor of a sector, if there is one:
// "separatists" in a graph that knows one separatist group. Used for
// non-state sectors (rebels, militants, opposition) only.
func (r *run) uniqueKnownSector(code string) string {
	found := ""
	for _, a := range r.known.Actors {
		if a.Kind == kg.KindPerson || sectorOf(a.CAMEOCode) != code {
			continue
		}
		if found != "" && found != a.ID {
			return ""
		}
		found = a.ID
	}
	return found
}

// absorbSectorWords extends an organisation's mention over the sector words
// that follow it ("Hamas militants", "RSF fighters", "al-Shabab militia").
func (r *run) absorbSectorWords(toks []token, end int) int {
	if sec, send := r.sectorAfter(toks, end); sec != nil && (sec.Kind == kg.KindArmedGroup || sec.Kind == kg.KindMilitary) {
		return send
	}
	return end
}

// titledPerson recognises a person introduced by a title at toks[i]
// ("Secretary of State John Kerry", "Lt. Gen. Viktor Poznikhir of the
// General Staff"), with the country or organisation named before the title
// (start is where the mention begins). sector is a sector named between the
// country and the title ("Ukraine military spokesman").
func (r *run) titledPerson(toks []token, i, start int, c *Country, org []ref, sector string) *mention {
	if i >= len(toks) {
		return nil
	}
	var title *entry
	for _, e := range r.trie.match(toks, i) {
		if e.kind == kTitle {
			title = e
			break
		}
	}
	if title == nil {
		return nil
	}
	k := i + len(title.toks)
	nameFrom := k
	for k < len(toks) && k-nameFrom < 6 {
		t := toks[k]
		switch {
		case !t.punct && t.capitalised() && !r.lex.function[t.low]:
			k++
		case !t.punct && r.lex.nameParticle[t.low] && k+1 < len(toks) && (toks[k+1].low == "-" || toks[k+1].capitalised()):
			k++
		case t.low == "-" && k > nameFrom && k+1 < len(toks) && !toks[k+1].punct:
			k += 2
		default:
			goto done
		}
	}
done:
	if k == nameFrom {
		return nil
	}
	name := spanText(r.text, toks[nameFrom].start, toks[k-1].end)
	end := k
	// A known person by name or by the last word of the name.
	id := ""
	for _, cand := range []string{spanText(r.text, toks[i].start, toks[k-1].end), name} {
		if p := r.knownPerson(cand); p != "" {
			id = p
			break
		}
	}
	if id == "" {
		if p, ok := r.docAliases[kg.Fold(name)]; ok {
			id = p
		}
	}
	// "of the General Staff": the organisation after the name.
	var after []ref
	if end+1 < len(toks) && toks[end].low == "of" {
		k := end + 1
		if toks[k].low == "the" {
			k++
		}
		if k < len(toks) {
			sub := r.peekMention(toks, k)
			if sub != nil && len(sub.refs) == 1 && !sub.refs[0].place && !sub.person {
				after = sub.refs
				end = sub.to
			}
		}
	}
	m := &mention{from: start, to: end, person: true, via: "person"}
	if id == "" {
		// The organisation the person holds the role in.
		holder := after
		if holder == nil {
			holder = org
		}
		if holder == nil && c != nil {
			sec := sector
			if sec == "" {
				sec = title.title.Sector
			}
			switch sec {
			case "NONE":
			case "ORG":
				holder = []ref{{id: r.sectorActor(c, "", r.sectorByCode["GOV"], start, k)}}
			default:
				if sc := r.sectorByCode[sec]; sc != nil {
					holder = []ref{{id: r.sectorActor(c, "", sc, start, k)}}
				}
			}
		}
		id = r.personActor(name, c, holder, spanText(r.text, toks[i].start, toks[nameFrom-1].end), toks[start].start, toks[end-1].end)
	}
	m.refs = []ref{{id: id}}
	words := strings.Fields(name)
	r.docAliases[kg.Fold(name)] = id
	r.docAliases[kg.Fold(words[len(words)-1])] = id
	r.addDocAlias(words[len(words)-1], id)
	return m
}

// peekMention recognises a mention at toks[i] without touching the
// discourse state (used for "of the ORG" after a name).
func (r *run) peekMention(toks []token, i int) *mention {
	cands := r.trie.match(toks, i)
	if len(cands) == 0 {
		return nil
	}
	e := cands[0]
	end := i + len(e.toks)
	switch e.kind {
	case kKnownActor:
		return &mention{from: i, to: end, refs: []ref{{id: e.id}}, via: "known", person: r.actors[e.id].Kind == kg.KindPerson}
	case kOrg:
		return &mention{from: i, to: end, refs: []ref{{id: r.orgActor(e.org)}}, via: "org"}
	case kCountryName, kCountryAdj, kCapital:
		if sec, send := r.sectorAfter(toks, end); sec != nil {
			return r.sectorMention(e.country, "", sec, i, send, "sector", false)
		}
		return &mention{from: i, to: end, refs: []ref{{id: r.stateActor(e.country)}}, via: "country"}
	case kSector:
		// "the military's General Staff": the latest actor of that sector.
		if end+1 < len(toks) && toks[end].low == "'s" {
			if _, send := r.sectorAfter(toks, end+1); send > end+1 {
				end = send
			}
		}
		if id := r.resolveSector(e.sector.Code, ""); id != "" {
			return &mention{from: i, to: end, refs: []ref{{id: id}}, via: "sector-anaphor", anaphor: true}
		}
	}
	return nil
}

func (r *run) knownPerson(name string) string {
	f := kg.Fold(normalize(name))
	for _, a := range r.known.Actors {
		if a.Kind != kg.KindPerson {
			continue
		}
		for _, n := range a.Names() {
			if normalize(n) == f {
				return a.ID
			}
		}
	}
	return ""
}

// pairAnaphor resolves "the two militaries", "both sides", "both
// governments" to the sector actors of the last pair of countries named
// together ("U.S.-Russian", "between Armenia and Azerbaijan").
func (r *run) pairAnaphor(toks []token, i int) *mention {
	if r.lastPair[0] == nil {
		return nil
	}
	sec, end := r.sectorAfter(toks, i+1)
	if sec == nil || !strings.HasSuffix(toks[end-1].low, "s") {
		if i+1 < len(toks) && (toks[i+1].low == "countries" || toks[i+1].low == "nations" || toks[i+1].low == "states") {
			sec, end = r.sectorByCode["STATE"], i+2
		} else {
			return nil
		}
	}
	from := i
	if toks[i].low == "two" {
		from = i - 1
	}
	m := &mention{from: from, to: end, via: "pair-anaphor", anaphor: true}
	for _, c := range r.lastPair {
		sm := r.sectorMention(c, "", sec, i, end, "pair-anaphor", true)
		m.refs = append(m.refs, sm.refs...)
	}
	return m
}

// headAnaphor resolves "the committee", "the group", "the town": the latest
// actor whose name ends with that word (for "group", the latest armed group),
// or the latest place of that kind.
func (r *run) headAnaphor(toks []token, i int) *mention {
	w := toks[i].low
	if i+1 < len(toks) && (toks[i+1].low == "of" || toks[i+1].low == "-") {
		return nil
	}
	if r.lex.placeAnaphor[w] && r.lastPlace != "" {
		if p := r.places[r.lastPlace]; p != nil && p.Kind == kg.PlaceCity {
			return &mention{from: i, to: i + 1, refs: []ref{{id: r.lastPlace, place: true}}, via: "place-anaphor", anaphor: true}
		}
		return nil
	}
	if !r.lex.anaphoricHead[w] {
		return nil
	}
	for k := len(r.recent) - 1; k >= 0; k-- {
		a := r.actors[r.recent[k]]
		if a == nil || a.Kind == kg.KindPerson {
			continue
		}
		ok := false
		if w == "group" {
			ok = a.Kind == kg.KindArmedGroup || a.Kind == kg.KindDesignatedTerroristGroup
		} else {
			f := strings.Fields(normalize(a.Name))
			ok = len(f) > 0 && (f[len(f)-1] == w || f[len(f)-1] == w+"s")
		}
		if ok {
			return &mention{from: i, to: i + 1, refs: []ref{{id: a.ID}}, via: "head-anaphor", anaphor: true}
		}
	}
	return nil
}

// heldBy sets the holders of a place named as "rebel-held X", "Russian-held
// X", "X-controlled Y" (before the place or inside its name).
func (r *run) heldBy(toks []token, m *mention, s *sentence) {
	p := r.places[m.refs[0].id]
	for k := max(0, m.from-4); k+2 < m.to && k+2 < len(toks); k++ {
		if toks[k+1].low != "-" || (toks[k+2].low != "held" && toks[k+2].low != "controlled") {
			continue
		}
		// The holder ends at k.
		for _, e := range r.trie.match(toks, k) {
			switch e.kind {
			case kSector:
				iso := ""
				if p != nil {
					iso = p.Country
				}
				var id string
				if c := r.countryByISO[iso]; c != nil {
					id = r.sectorActorQuiet(c, e.sector)
				} else if id = r.resolveSector(e.sector.Code, ""); id == "" {
					id = r.uniqueKnownSector(e.sector.Code)
				}
				if id != "" {
					m.heldBy = []ref{{id: id}}
				}
			case kCountryAdj, kCountryName:
				m.heldBy = []ref{{id: r.stateActor(e.country)}}
			case kKnownActor, kOrg:
				if e.kind == kOrg {
					m.heldBy = []ref{{id: r.orgActor(e.org)}}
				} else {
					m.heldBy = []ref{{id: e.id}}
				}
			default:
				continue
			}
			break
		}
		if m.heldBy != nil {
			r.structural = append(r.structural, &proto{rule: "control.held", typ: kg.Controls, from: m.heldBy[0], to: m.refs[0],
				sent: s, evFrom: toks[min(k, m.from)].start, evTo: toks[m.to-1].end, confidence: 0.7})
			return
		}
	}
}

// affiliation proposes AFFILIATED_WITH for a name of the form "X's
// affiliate (branch, wing) ..." ("al-Qaida's branch in Syria").
func (r *run) affiliation(toks []token, m *mention, s *sentence) {
	for k := m.from; k+1 < m.to; k++ {
		if toks[k].low != "'s" || !r.lex.affiliateHead[toks[k+1].low] {
			continue
		}
		for j := m.from; j < k; j++ {
			for _, e := range r.trie.match(toks, j) {
				if j+len(e.toks) != k {
					continue
				}
				var id string
				switch e.kind {
				case kKnownActor:
					id = e.id
				case kOrg:
					id = r.orgActor(e.org)
				}
				if id != "" && id != m.refs[0].id {
					r.structural = append(r.structural, &proto{rule: "affiliate.possessive", typ: kg.AffiliatedWith,
						from: m.refs[0], to: ref{id: id}, sent: s, evFrom: toks[m.from].start, evTo: toks[m.to-1].end, confidence: 0.8})
					return
				}
			}
		}
	}
}

// pairs records the last pair of countries named together: "U.S.-Russian",
// "between Armenia and Azerbaijan".
func (r *run) pairs(toks []token, ms []*mention) {
	for k := 0; k+1 < len(ms); k++ {
		a, b := ms[k], ms[k+1]
		if a.country == nil || b.country == nil || a.country == b.country {
			continue
		}
		if b.from == a.to+1 && toks[a.to].low == "-" ||
			b.from == a.to+1 && toks[a.to].low == "and" && a.from > 0 && toks[a.from-1].low == "between" {
			r.lastPair = [2]*Country{a.country, b.country}
		}
	}
}

// remember updates the discourse state with a mention.
func (r *run) remember(m *mention, salient bool) {
	for _, rf := range m.refs {
		if rf.place {
			continue
		}
		a := r.actors[rf.id]
		if a == nil {
			continue
		}
		if a.Kind == kg.KindPerson {
			if salient || r.lastPerson == "" {
				r.lastPerson = a.ID
			}
			continue
		}
		r.recent = append(r.recent, a.ID)
		if sec := sectorOf(a.CAMEOCode); sec != "" {
			r.lastBySector[sec] = a.ID
		}
		if a.Kind == kg.KindState && r.countryByISO[a.Country] != nil {
			r.lastCountry = r.countryByISO[a.Country]
		}
	}
	if m.country != nil && len(m.refs) > 0 {
		if a := r.actors[m.refs[0].id]; a != nil && r.sideOf(a.ID) == "C:"+a.Country {
			r.lastCountry = m.country
		}
	}
}

func spanText(text []rune, from, to int) string { return string(text[from:to]) }
