package coder

import (
	"fmt"
	"strings"
)

// The template language of data/patterns.json (see data/README.md):
//
//	V         the trigger (one of the rule's verbs, inflected, or words)
//	$S        the source: leading, the clause's subject (searched leftwards);
//	          elsewhere, the noun phrase at that place ("by $S")
//	$O        the target: trailing, the first actor (or place) to the right
//	          within a few words; leading, searched like a subject (passive)
//	$A / $T   a source / target written right before the trigger, as in
//	          "Russian attacks", "Syrian rebels' involvement"
//	$ACT      the rest of the clause (or up to the next word of the
//	          template): the act an accusation alleges
//	$PAIR     "X-Y" of two actors ("U.S.-Russian deal")
//	$BETWEEN  the parties after "between": "X and Y", or "the two militaries"
//	$EVENT    "the attack" (the latest attack of the document): its perpetrator
//	*         up to six words (no actor, no comma)
//	a|b       one of these words; "be" stands for any form of "to be"
//	w?        an optional word (or set of words)
type elemKind int

const (
	eWord elemKind = iota
	eV
	eS
	eO
	eA
	eT
	eACT
	ePAIR
	eBETWEEN
	eEVENT
	eGap
)

type elem struct {
	kind  elemKind
	words map[string]bool
	opt   bool
}

var beForms = []string{"be", "is", "are", "was", "were", "been", "being", "'s", "'re", "am"}

func compileTemplate(s string) ([]elem, error) {
	var out []elem
	nv := 0
	for _, f := range strings.Fields(s) {
		switch f {
		case "V":
			out = append(out, elem{kind: eV})
			nv++
		case "$S":
			out = append(out, elem{kind: eS})
		case "$O":
			out = append(out, elem{kind: eO})
		case "$A":
			out = append(out, elem{kind: eA})
		case "$T":
			out = append(out, elem{kind: eT})
		case "$ACT":
			out = append(out, elem{kind: eACT})
		case "$PAIR":
			out = append(out, elem{kind: ePAIR})
		case "$BETWEEN":
			out = append(out, elem{kind: eBETWEEN})
		case "$EVENT":
			out = append(out, elem{kind: eEVENT})
		case "*":
			out = append(out, elem{kind: eGap})
		default:
			if strings.HasPrefix(f, "$") {
				return nil, fmt.Errorf("unknown slot %s", f)
			}
			e := elem{kind: eWord, words: map[string]bool{}}
			if strings.HasSuffix(f, "?") && len(f) > 1 {
				e.opt = true
				f = strings.TrimSuffix(f, "?")
			}
			for _, w := range strings.Split(f, "|") {
				if w == "be" {
					for _, b := range beForms {
						e.words[b] = true
					}
					continue
				}
				if strings.HasPrefix(w, "'") || w == "-" {
					e.words[normalize(w)] = true
					continue
				}
				for _, x := range words(w, &abbreviations{}) {
					e.words[x] = true // multi-token alternatives ("cease-fire") match by their parts
				}
			}
			out = append(out, e)
		}
	}
	if nv != 1 {
		return nil, fmt.Errorf("a template needs exactly one V, has %d", nv)
	}
	return out, nil
}

// binding is what a template match found.
type binding struct {
	subj, obj, event []ref
	subjAnaphor      bool
	objAnaphor       bool
	subjPos          int // segment position of the subject (-1: none)
	subjSearched     bool
	act              [2]int // segment positions [from, to) of $ACT; to == 0: none
	pair             [2][]ref
	parties          []ref
	lo, hi           int // segment positions the match covers
	pronounSubj      bool
}

// matcher matches templates inside one segment.
type matcher struct {
	r     *run
	items []item
	seg   *segment
	rule  *Rule
	// allowPlace: the rule's target may be a place.
	allowPlace bool
}

func (m *matcher) it(p int) item { return m.items[m.seg.items[p]] }
func (m *matcher) n() int        { return len(m.seg.items) }
func (m *matcher) low(p int) string {
	if p < 0 || p >= m.n() {
		return ""
	}
	it := m.it(p)
	if it.m != nil {
		return ""
	}
	return it.low
}

// match tries template tpl with its trigger at segment positions [v, v+vlen).
func (m *matcher) match(tpl []elem, v, vlen int) (binding, bool) {
	vi := 0
	for i, e := range tpl {
		if e.kind == eV {
			vi = i
		}
	}
	b := binding{subjPos: -1, lo: v, hi: v + vlen}
	// Right side.
	var right func(ei, p int, b binding) (binding, bool)
	right = func(ei, p int, b binding) (binding, bool) {
		if ei == len(tpl) {
			b.hi = max(b.hi, p)
			return b, true
		}
		e := tpl[ei]
		last := ei == len(tpl)-1
		switch e.kind {
		case eWord:
			if p < m.n() && e.words[m.low(p)] {
				if nb, ok := right(ei+1, p+1, b); ok {
					return nb, true
				}
			}
			if e.opt {
				return right(ei+1, p, b)
			}
			return b, false
		case eGap:
			for g := 0; g <= 6 && p+g <= m.n(); g++ {
				if g > 0 && m.gapStop(p+g-1) {
					break
				}
				if nb, ok := right(ei+1, p+g, b); ok {
					return nb, true
				}
			}
			return b, false
		case eS, eO:
			var refs []ref
			var q int
			var ana bool
			if last && e.kind == eO {
				refs, q, ana = m.objectSearch(p)
			} else {
				refs, q, ana = m.npRight(p, e.kind == eO)
			}
			if refs == nil {
				return b, false
			}
			if e.kind == eS {
				b.subj, b.subjPos, b.subjAnaphor = refs, p, ana
			} else {
				b.obj, b.objAnaphor = refs, ana
			}
			return right(ei+1, q, b)
		case eACT:
			end := m.n()
			for k := p; k < m.n(); k++ {
				if x := m.it(k); x.punct && (x.low == "," || x.low == ";") {
					end = k
					break
				}
			}
			if last {
				if end <= p {
					return b, false
				}
				b.act = [2]int{p, end}
				return right(ei+1, end, b)
			}
			for q := p + 1; q <= end; q++ {
				nb := b
				nb.act = [2]int{p, q}
				if rb, ok := right(ei+1, q, nb); ok {
					return rb, true
				}
			}
			return b, false
		case ePAIR:
			if p+2 < m.n() && m.actorAt(p) && m.low(p+1) == "-" && m.actorAt(p+2) {
				b.pair = [2][]ref{m.it(p).m.refs, m.it(p + 2).m.refs}
				return right(ei+1, p+3, b)
			}
			return b, false
		case eBETWEEN:
			parties, q := m.parties(p)
			if len(parties) < 2 {
				return b, false
			}
			b.parties = parties
			return right(ei+1, q, b)
		case eEVENT:
			q := p
			if q < m.n() && m.r.lex.determiner[m.low(q)] {
				q++
			}
			for q < m.n() && m.r.lex.nounModifier[m.low(q)] {
				q++
			}
			if q < m.n() && m.r.lex.eventNoun[m.low(q)] && len(m.r.lastAttack.agents) > 0 && q > p {
				b.event = m.r.lastAttack.agents
				return right(ei+1, q+1, b)
			}
			return b, false
		}
		return b, false
	}
	// Left side, right to left.
	var left func(ei, p int, b binding) (binding, bool)
	left = func(ei, p int, b binding) (binding, bool) {
		if ei < 0 {
			b.lo = min(b.lo, p+1)
			return right(vi+1, v+vlen, b)
		}
		e := tpl[ei]
		leading := ei == 0
		switch e.kind {
		case eWord:
			if p >= 0 && e.words[m.low(p)] {
				if nb, ok := left(ei-1, p-1, b); ok {
					return nb, true
				}
			}
			if e.opt {
				return left(ei-1, p, b)
			}
			return b, false
		case eGap:
			for g := 0; g <= 6 && p-g >= -1; g++ {
				if g > 0 && m.gapStop(p-g+1) {
					break
				}
				if nb, ok := left(ei-1, p-g, b); ok {
					return nb, true
				}
			}
			return b, false
		case eS, eO:
			if leading {
				pos, refs := m.r.subjectSearch(m.seg, m.items, p+1, e.kind == eO && m.allowPlace)
				if pos < 0 {
					return b, false
				}
				ana := false
				if x := m.it(pos).m; x != nil && x.anaphor {
					ana = true
				}
				if e.kind == eS {
					b.subj, b.subjPos, b.subjSearched, b.subjAnaphor = refs, pos, true, ana
					b.pronounSubj = m.it(pos).m.pronoun != ""
				} else {
					b.obj, b.objAnaphor = refs, ana
				}
				b.lo = min(b.lo, pos)
				return left(ei-1, pos-1, b)
			}
			fallthrough
		case eA, eT:
			refs, q, ana := m.npLeft(p, e.kind == eT || e.kind == eO)
			if refs == nil {
				return b, false
			}
			if e.kind == eA || e.kind == eS {
				b.subj, b.subjPos, b.subjAnaphor = refs, q+1, ana
			} else {
				b.obj, b.objAnaphor = refs, ana
			}
			return left(ei-1, q, b)
		case ePAIR:
			if p-2 >= 0 && m.actorAt(p) && m.low(p-1) == "-" && m.actorAt(p-2) {
				b.pair = [2][]ref{m.it(p - 2).m.refs, m.it(p).m.refs}
				return left(ei-1, p-3, b)
			}
			return b, false
		}
		return b, false
	}
	// Nominal triggers may carry modifiers between them and what precedes
	// ("Ukraine's ongoing battle", "Armenian missile attack").
	start := v - 1
	if vi > 0 && (tpl[vi-1].kind == eA || tpl[vi-1].kind == eT || tpl[vi-1].kind == eWord && (tpl[vi-1].words["'s"] || tpl[vi-1].words["-"])) {
		for k := 0; k < 3 && start >= 0 && m.r.lex.nounModifier[m.low(start)]; k++ {
			if start-1 >= 0 && m.low(start-1) == "-" && m.r.lex.nounModifier[m.low(start-2)] {
				start -= 2
				continue
			}
			start--
		}
	}
	return left(vi-1, start, b)
}

// gapStop: a gap (*) never spans an actor, a comma or another verb (a
// word in -ed, an auxiliary, a speech verb): it stays inside one verb phrase.
func (m *matcher) gapStop(p int) bool {
	x := m.it(p)
	switch {
	case x.m != nil:
		return !(len(x.m.refs) > 0 && x.m.refs[0].place)
	case x.punct:
		return x.low == ","
	}
	w := x.low
	return isAux(w) && w != "'s" || m.r.lex.speech[w] != nil || len(w) > 4 && strings.HasSuffix(w, "ed")
}

func (m *matcher) actorAt(p int) bool {
	if p < 0 || p >= m.n() {
		return false
	}
	x := m.it(p).m
	return x != nil && len(x.refs) > 0 && !x.refs[0].place
}

// mentionOK reports whether position p holds a usable mention (an actor,
// or a place when places are allowed).
func (m *matcher) mentionOK(p int, target bool) bool {
	if p < 0 || p >= m.n() {
		return false
	}
	x := m.it(p).m
	if x == nil {
		return false
	}
	if x.pronoun != "" {
		return true
	}
	if len(x.refs) == 0 {
		return false
	}
	if x.refs[0].place {
		return target && m.allowPlace
	}
	return true
}

// refsAt returns the endpoints of the mention at p: a place "held" by
// actors stands for its holders as a target of an attack.
func (m *matcher) refsAt(p int) ([]ref, bool) {
	x := m.it(p).m
	if len(x.heldBy) > 0 && (m.rule.Type == "ATTACKS" || m.rule.Type == "BESIEGES") {
		return x.heldBy, true
	}
	return x.refs, x.anaphor
}

// group extends the mention at p rightwards over "X and Y", "X, Y and Z".
func (m *matcher) group(p int, target bool) ([]ref, int, bool) {
	refs, ana := m.refsAt(p)
	refs = append([]ref(nil), refs...)
	q := p + 1
	for q+1 < m.n() {
		w := m.low(q)
		if w != "and" && w != "or" && w != "," {
			break
		}
		k := q + 1
		if w == "," && m.low(k) == "and" {
			k++
		} else if w == "," {
			// "X, Y and Z": a comma joins only when a list goes on.
			j := k
			for j < m.n() && m.r.lex.determiner[m.low(j)] {
				j++
			}
			if nx := m.low(j + 1); nx != "and" && nx != "," && nx != "or" {
				break
			}
		}
		for k < m.n() && m.r.lex.determiner[m.low(k)] {
			k++
		}
		if !m.mentionOK(k, target) || m.it(k).m.pronoun != "" {
			break
		}
		more, a2 := m.refsAt(k)
		refs = append(refs, more...)
		ana = ana || a2
		q = k + 1
	}
	return refs, q, ana
}

// npRight reads the noun phrase at p: determiners, an optional possessor
// ("Sudan's paramilitary RSF"), then a mention.
func (m *matcher) npRight(p int, target bool) ([]ref, int, bool) {
	q := p
	for q < m.n() && m.r.lex.determiner[m.low(q)] {
		q++
	}
	if !m.mentionOK(q, target) {
		return nil, p, false
	}
	// Possessor: "X's [modifiers] Y" names Y.
	if m.low(q+1) == "'s" {
		k := q + 2
		for j := 0; j < 2 && k < m.n() && m.it(k).word() && !m.r.lex.function[m.low(k)]; j++ {
			k++
		}
		if m.mentionOK(k, target) {
			q = k
		}
	}
	return m.group(q, target)
}

// npLeft reads the noun phrase that ends at p (right to left), with
// coordination ("Russian and Syrian government attacks").
func (m *matcher) npLeft(p int, target bool) ([]ref, int, bool) {
	if !m.mentionOK(p, target) {
		return nil, p, false
	}
	refs, ana := m.refsAt(p)
	refs = append([]ref(nil), refs...)
	q := p - 1
	for q-1 >= 0 {
		w := m.low(q)
		if w != "and" && w != "or" && w != "," {
			break
		}
		if !m.mentionOK(q-1, target) {
			break
		}
		more, a2 := m.refsAt(q - 1)
		refs = append(append([]ref(nil), more...), refs...)
		ana = ana || a2
		q -= 2
	}
	return refs, q, ana
}

// objectSearch finds the target after position p: the first mention within
// a few words, not past a preposition (but "of" and "in" after a place noun:
// "sections of Aleppo", "areas in Nagorno-Karabakh"), a comma or a clause word.
func (m *matcher) objectSearch(p int) ([]ref, int, bool) {
	lex := m.r.lex
	words := 0
	for q := p; q < m.n() && words <= 6; q++ {
		x := m.it(q)
		if x.m != nil {
			if x.m.pronoun != "" {
				return nil, p, false
			}
			if m.mentionOK(q, true) {
				return m.group(q, true)
			}
			// A place where places are not targets: keep looking only past "of".
			words++
			continue
		}
		if x.punct {
			if x.low == "-" || x.low == "'s" {
				continue
			}
			return nil, p, false
		}
		w := x.low
		if lex.preposition[w] {
			prev := m.low(q - 1)
			if w == "of" || (lex.targetNoun[prev] && (w == "in" || w == "near" || w == "outside" || w == "around")) {
				words++
				continue
			}
			return nil, p, false
		}
		switch w {
		case "and", "or", "but", "that", "which", "who", "while", "unless", "if", "because", "as":
			return nil, p, false
		}
		if lex.speech[w] != nil {
			return nil, p, false
		}
		words++
	}
	return nil, p, false
}

// parties reads "X and Y" or a mention of two actors ("the two
// militaries") at p.
func (m *matcher) parties(p int) ([]ref, int) {
	q := p
	for q < m.n() && m.r.lex.determiner[m.low(q)] {
		q++
	}
	if !m.mentionOK(q, false) {
		return nil, p
	}
	refs, end, _ := m.group(q, false)
	return refs, end
}
