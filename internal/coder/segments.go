package coder

import (
	"strings"
)

// An item is a token of a sentence, or a whole mention.
type item struct {
	from, to int // token range
	low      string
	punct    bool
	m        *mention
}

func (it item) word() bool { return it.m == nil && !it.punct }

// buildItems collapses each mention of a sentence into one item.
func buildItems(toks []token, ms []*mention) []item {
	var out []item
	k := 0
	for i := 0; i < len(toks); {
		if k < len(ms) && ms[k].from == i {
			out = append(out, item{from: i, to: ms[k].to, m: ms[k]})
			i = ms[k].to
			k++
			continue
		}
		for k < len(ms) && ms[k].from < i { // overlapping mentions: skip
			k++
		}
		out = append(out, item{from: i, to: i + 1, low: toks[i].low, punct: toks[i].punct})
		i++
	}
	return out
}

type segKind int

const (
	segMain segKind = iota
	segParticiple
	segCond
	segPurpose
	segRelative
	segAppositive
	segParen
	segLike
	segAccording
	segSub
	segIncluding
	segComplement
	segAct
)

// A segment is a clause of a sentence: the items (indices into the
// sentence's items, quote marks left out) it holds, which need not be
// contiguous (a relative clause is carved out of its host).
type segment struct {
	kind  segKind
	items []int
	// host is the segment whose subject a participle, relative or
	// parenthetical segment inherits (-1 for none).
	host int
	cue  string
	// antecedent: for a relative clause, the mention item before it.
	antecedent int
	// speaker of a complement of reported speech.
	speaker    []ref
	accusatory bool
	// defaultSubject: for an accused act, the accused.
	defaultSubject []ref
	// speech is set on the segment that holds a speech verb with its
	// complement moved out (the speech clause).
	speech bool
}

// segmentSentence splits a sentence's items into clause segments at
// semicolons and colons, at "but", "while", "unless", "if" ..., at commas
// before such words or before a participle ("..., saying"), and carves out
// relative clauses (", which ..."), appositions (", a ..."), bracketed and
// dashed parentheses and "according to X".
func (r *run) segmentSentence(items []item) []*segment {
	lex := r.lex
	segs := []*segment{{kind: segMain, host: -1, antecedent: -1}}
	cur, open := 0, -1
	low := func(i int) string {
		if i < 0 || i >= len(items) {
			return ""
		}
		return items[i].low
	}
	newSeg := func(kind segKind, host int, cue string) int {
		segs = append(segs, &segment{kind: kind, host: host, cue: cue, antecedent: -1})
		return len(segs) - 1
	}
	mainOf := func(i int) int {
		for i >= 0 && segs[i].host >= 0 && segs[i].kind != segMain {
			i = segs[i].host
		}
		return max(i, 0)
	}
	startsPurpose := func(i int) bool {
		for _, p := range lex.purpose {
			ok := true
			for k, w := range p {
				if low(i+k) != w {
					ok = false
					break
				}
			}
			if ok {
				return true
			}
		}
		return false
	}
	// Sentence-initial subordinate, conditional, "Like X," and "According to X,".
	first := 0
	for first < len(items) && items[first].punct {
		first++
	}
	switch w := low(first); {
	case w == "like":
		cur = newSeg(segLike, -1, w)
		open = -2 // until the first comma, then a new main segment
	case w == "according" && low(first+1) == "to":
		cur = newSeg(segAccording, -1, w)
		open = -2
	case lex.conditional[w]:
		cur = newSeg(segCond, -1, w)
		open = -2
	case lex.initialSub[w]:
		cur = newSeg(segSub, -1, w)
		open = -2
	}
	for i := 0; i < len(items); i++ {
		it := items[i]
		target := cur
		if open >= 0 {
			target = open
		}
		switch {
		case it.punct && it.low == "\"":
			continue
		case it.punct && (it.low == ";" || it.low == ":"):
			open = -1
			cur = newSeg(segMain, -1, it.low)
			continue
		case it.punct && it.low == ",":
			if open == -2 {
				open = -1
				cur = newSeg(segMain, -1, "")
				continue
			}
			if open >= 0 {
				open = -1
			}
			next, next2 := low(i+1), low(i+2)
			if next == "\"" && !speechFollows(items, i+2, lex) {
				next, next2 = low(i+2), low(i+3)
			}
			host := cur
			if open >= 0 {
				host = open
			}
			switch {
			case next == "\"" && speechFollows(items, i+2, lex):
				// ",” he said": the quotation ends here.
				cur = newSeg(segMain, -1, "")
			case lex.conditional[next] || (next == "even" && next2 == "if"):
				cur = newSeg(segCond, -1, next)
			case next == "even" && next2 == "as", lex.afterComma[next]:
				cur = newSeg(segMain, -1, next)
			case lex.relative[next]:
				open = newSeg(segRelative, host, next)
				segs[open].antecedent = lastMention(items, i)
			case next == "a" || next == "an":
				open = newSeg(segAppositive, host, next)
			case next == "including":
				open = newSeg(segIncluding, host, next)
			case next == "according" && next2 == "to":
				open = newSeg(segAccording, host, next)
			case lex.subordinate[next]:
				open = newSeg(segSub, host, next)
			case startsPurpose(i + 1):
				cur = newSeg(segPurpose, mainOf(cur), next)
			case isParticiple(items, i+1, lex):
				cur = newSeg(segParticiple, mainOf(cur), next)
			default:
				segs[target].items = append(segs[target].items, i)
			}
			continue
		case it.punct && it.low == "--" || it.punct && (it.low == "(" || it.low == ")"):
			if open >= 0 && segs[open].kind == segParen {
				open = -1
			} else if it.low != ")" {
				open = newSeg(segParen, cur, it.low)
			}
			continue
		case it.word() && i > first && (lex.anywhere[it.low] || (it.low == "even" && (low(i+1) == "as" || low(i+1) == "if"))) && open < 0:
			if lex.conditional[it.low] || it.low == "even" && low(i+1) == "if" {
				cur = newSeg(segCond, -1, it.low)
			} else {
				cur = newSeg(segMain, -1, it.low)
			}
			target = cur
		case it.word() && startsPurpose(i) && open < 0:
			cur = newSeg(segPurpose, mainOf(cur), it.low)
			target = cur
		}
		segs[target].items = append(segs[target].items, i)
	}
	var out []*segment
	remap := map[int]int{}
	for i, s := range segs {
		if len(s.items) > 0 {
			remap[i] = len(out)
			out = append(out, s)
		}
	}
	for _, s := range out {
		if h, ok := remap[s.host]; ok {
			s.host = h
		} else {
			s.host = -1
		}
	}
	return out
}

// speechFollows reports whether a speech verb comes within the next few
// items (",” he said", ",” said X", ",” the statement said").
func speechFollows(items []item, i int, lex *lexicon) bool {
	for k := i; k < min(i+5, len(items)); k++ {
		if items[k].word() && lex.speech[items[k].low] != nil {
			return true
		}
		if items[k].punct && items[k].low != "\"" {
			return false
		}
	}
	return false
}

func lastMention(items []item, before int) int {
	for k := before - 1; k >= 0; k-- {
		if items[k].m != nil {
			return k
		}
		if items[k].punct {
			return -1
		}
	}
	return -1
}

// isParticiple reports whether items[i] starts a participle clause
// ("..., saying", "..., killing at least 11").
func isParticiple(items []item, i int, lex *lexicon) bool {
	if i >= len(items) || !items[i].word() {
		return false
	}
	w := items[i].low
	return len(w) > 4 && strings.HasSuffix(w, "ing") && !lex.participleExclusions[w]
}

// speechFrames finds reported speech in the segments: "X said (that) C"
// moves C into a complement segment spoken by X; "C, X said." and "“C,” he
// said" make the preceding segments X's complement; "..., saying C" is
// spoken by the subject of the main clause; "According to X, C" by X.
func (r *run) speechFrames(segs []*segment, items []item) []*segment {
	lex := r.lex
	var out []*segment
	for si := 0; si < len(segs); si++ {
		s := segs[si]
		out = append(out, s)
		if s.kind == segComplement || s.kind == segPurpose || s.kind == segCond || s.kind == segLike {
			continue
		}
		if s.kind == segAccording {
			sp := firstActor(s, items)
			if sp != nil {
				for _, o := range segs {
					if o != s && o.speaker == nil && (o.kind == segMain || o.kind == segSub) {
						o.speaker = sp
						o.kind = segComplement
					}
				}
			}
			continue
		}
		v := -1
		for k, ix := range s.items {
			if items[ix].word() && lex.speech[items[ix].low] != nil {
				v = k
				break
			}
		}
		if v < 0 {
			continue
		}
		sv := lex.speech[items[s.items[v]].low]
		var speaker []ref
		spPos := -1
		switch {
		case s.kind == segParticiple && v == 0:
			speaker = r.inheritedSubject(segs, si, items)
		case s.kind == segRelative && v == 0 && s.antecedent >= 0:
			speaker = items[s.antecedent].m.refs
		default:
			if pos, refs := r.subjectSearch(s, items, v, false); pos >= 0 {
				speaker, spPos = refs, pos
			}
		}
		// The complement: what follows the verb, past "that", time words
		// and the hearer of "told".
		c := v + 1
		if items[s.items[v]].low == "told" || items[s.items[v]].low == "tells" || items[s.items[v]].low == "tell" {
			if c < len(s.items) && (items[s.items[c]].m != nil || items[s.items[c]].low == "reporters" || items[s.items[c]].low == "journalists") {
				c++
			}
		}
		for c < len(s.items) && (lex.speechSkip[items[s.items[c]].low] || r.isDateItem(items, s.items[c])) && items[s.items[c]].m == nil {
			c++
		}
		if speaker == nil && c < len(s.items) && items[s.items[c]].m != nil && c == len(s.items)-1 {
			// Inverted: "..., said Michael Dunford."
			speaker = items[s.items[c]].m.refs
			c = len(s.items)
		}
		if speaker == nil {
			continue
		}
		content := false
		for _, ix := range s.items[c:] {
			if !items[ix].punct {
				content = true
			}
		}
		if content {
			comp := &segment{kind: segComplement, items: append([]int(nil), s.items[c:]...), host: si, antecedent: -1,
				speaker: speaker, accusatory: sv.Accusatory}
			s.items = s.items[:c]
			s.speech = true
			out = append(out, comp)
			continue
		}
		// Nothing after the verb: "C, X said." inside one segment ...
		if spPos > 1 && items[s.items[spPos-1]].low == "," {
			comp := &segment{kind: segComplement, items: append([]int(nil), s.items[:spPos-1]...), host: -1, antecedent: -1,
				speaker: speaker, accusatory: sv.Accusatory}
			s.items = s.items[spPos:]
			s.speech = true
			out = append(out[:len(out)-1], comp, s)
			continue
		}
		// ... or the segments before are the complement.
		s.speech = true
		for _, o := range out[:len(out)-1] {
			if o.speaker == nil && (o.kind == segMain || o.kind == segSub || o.kind == segParen || o.kind == segAppositive) && !o.speech {
				o.kind = segComplement
				o.speaker = speaker
				o.accusatory = sv.Accusatory
			}
		}
	}
	return out
}

func firstActor(s *segment, items []item) []ref {
	for _, ix := range s.items {
		if m := items[ix].m; m != nil && len(m.refs) > 0 && !m.refs[0].place {
			return m.refs
		}
	}
	return nil
}

// inheritedSubject is the subject of the segment a participle or
// parenthetical segment hangs on.
func (r *run) inheritedSubject(segs []*segment, si int, items []item) []ref {
	h := segs[si].host
	for h >= 0 {
		hs := segs[h]
		if hs.kind == segRelative && hs.antecedent >= 0 {
			return items[hs.antecedent].m.refs
		}
		if pos, refs := r.subjectSearch(hs, items, len(hs.items), false); pos >= 0 {
			return refs
		}
		if hs.speaker != nil && hs.kind == segComplement {
			return nil
		}
		h = hs.host
	}
	return nil
}

// subjectSearch looks leftwards from position p of segment s for the
// subject: the nearest mention that is neither inside a prepositional phrase
// ("backed by Russian warplanes") nor the object of a verb. It returns the
// position of the subject's first item and its actors (a coordinated group:
// "Azerbaijan and Armenia"). Pronouns are returned as they are.
func (r *run) subjectSearch(s *segment, items []item, p int, allowPlace bool) (int, []ref) {
	lex := r.lex
	for q := p - 1; q >= 0; q-- {
		it := items[s.items[q]]
		if it.word() && (it.low == "that" || it.low == "which" || it.low == "who") {
			return -1, nil
		}
		if it.m == nil {
			continue
		}
		if len(it.m.refs) > 0 && it.m.refs[0].place && !allowPlace {
			continue
		}
		// A country adjective before a noun modifies it ("the U.S.-Russian deal").
		if it.m.adj && q+1 < len(s.items) {
			if nx := items[s.items[q+1]]; nx.word() && !lex.verbLike(nx.low) && !lex.function[nx.low] || nx.punct && nx.low == "-" {
				continue
			}
		}
		prev := q - 1
		for prev >= 0 && items[s.items[prev]].word() && lex.determiner[items[s.items[prev]].low] && items[s.items[prev]].low != "that" {
			prev--
		}
		if prev >= 0 {
			pw := items[s.items[prev]]
			if pw.word() && lex.preposition[pw.low] {
				quant := pw.low == "of" && prev > 0 && lex.quantifier[items[s.items[prev-1]].low]
				if !quant {
					continue
				}
			}
			// The object of a verb ("denied X") is no subject; "Iran-backed
			// Houthis" is a compound adjective, not a verb.
			if pw.word() && lex.verbLike(pw.low) && !isAux(pw.low) && !(prev > 0 && items[s.items[prev-1]].low == "-") {
				continue
			}
		}
		// Coordinated group leftwards: "Azerbaijan and Armenia".
		start, refs := q, append([]ref(nil), it.m.refs...)
		and := false
		for start >= 2 && len(it.m.refs) > 0 {
			c := items[s.items[start-1]]
			if !(c.low == "and" || c.low == "," && and) {
				break
			}
			and = true
			x := items[s.items[start-2]]
			if x.m == nil || len(x.m.refs) == 0 || x.m.refs[0].place != it.m.refs[0].place {
				break
			}
			refs = append(append([]ref(nil), x.m.refs...), refs...)
			start -= 2
		}
		return start, refs
	}
	return -1, nil
}

func isAux(w string) bool {
	switch w {
	case "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "will", "would", "did", "does", "do",
		"could", "can", "may", "might", "must", "should", "shall", "'s", "'re", "'ve", "'ll", "'d":
		return true
	}
	return false
}

func (r *run) isDateItem(items []item, ix int) bool {
	it := items[ix]
	if !it.word() {
		return false
	}
	for _, d := range r.curDates {
		if it.from >= d.from && it.to <= d.to {
			return true
		}
	}
	return false
}
