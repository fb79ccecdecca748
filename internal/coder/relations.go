package coder

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/actorgraph/actorgraph/internal/kg"
)

// A proto is a relation before it is emitted.
type proto struct {
	rule        string // rule id: the provenance detail
	r           *Rule
	typ         kg.RelationType
	cameo       string
	from, to    ref
	sent        *sentence
	seg         *segment
	trigTok     int // token index of the trigger
	evFrom      int // evidence span (code points); the sentence when empty
	evTo        int
	confidence  float64
	attribution kg.Attribution
	claimedBy   string
	status      kg.Status
	condition   string
	condCue     string
	role        string
	occurred    kg.Date
	act         *proto // ACCUSES: the alleged act
	deny        bool   // DENIES: the target is resolved against the accusations so far
	needPartner bool   // no target: take the partner of the side's latest talks
	// presupposed: a noun-phrase relation before the clause's verb ("the
	// U.S.-Russian deal ... envisaged"); the clause's condition does not
	// apply to it.
	presupposed bool
}

// speechActs are the relation types a speaker performs by saying them.
var speechActs = map[kg.RelationType]bool{
	kg.Accuses: true, kg.Denies: true, kg.Criticizes: true, kg.Threatens: true,
	kg.OffersTalks: true, kg.Requests: true, kg.Rejects: true,
}

type occurrence struct {
	seg  *segment
	pos  int // position in seg.items
	item int // sentence item index
	trig trigger
	ord  int
}

// codeSentence codes one sentence.
func (r *run) codeSentence(s *sentence) {
	if s.headline || s.repeat {
		return
	}
	r.cur = s
	r.curDates = findDates(s.toks, r.pub)
	ms := r.scanMentions(s)
	items := buildItems(s.toks, ms)
	segs := r.speechFrames(r.segmentSentence(items), items)
	for i, sg := range segs {
		switch sg.kind {
		case segParticiple, segParen, segAppositive, segIncluding, segSub:
			if sg.host >= 0 && sg.host < len(segs) {
				sg.defaultSubject = r.inheritedSubject(segs, i, items)
			}
		case segRelative:
			if sg.antecedent >= 0 {
				sg.defaultSubject = items[sg.antecedent].m.refs
			}
		}
	}
	// Triggers, in the order of the sentence.
	var occs []occurrence
	for _, sg := range segs {
		if sg.kind == segPurpose || sg.kind == segLike {
			continue
		}
		for pos, ix := range sg.items {
			it := items[ix]
			if !it.word() {
				continue
			}
			for _, tr := range r.lex.triggers[it.low] {
				if r.triggerAt(items, sg, pos, tr) {
					occs = append(occs, occurrence{seg: sg, pos: pos, item: ix, trig: tr, ord: len(occs)})
				}
			}
		}
	}
	slices.SortStableFunc(occs, func(a, b occurrence) int { return cmp.Compare(a.item, b.item) })
	var likes []ref
	var likeNext *segment
	for i, sg := range segs {
		if sg.kind == segLike {
			likes = firstActor(sg, items)
			if i+1 < len(segs) {
				likeNext = segs[i+1]
			}
		}
	}
	consumed := map[int]bool{}
	for _, oc := range occs {
		if consumed[oc.item] {
			continue
		}
		for _, p := range r.matchOccurrence(s, segs, items, oc, consumed) {
			r.finalize(p, segs, items)
			if likes != nil && p.seg == likeNext {
				for _, l := range likes {
					if l.id == p.from.id || l.place {
						continue
					}
					cp := *p
					cp.from = l
					cp.rule = p.rule + ".like"
					cp.confidence = round2(p.confidence * 0.9)
					r.emitWithImplicit(&cp, segs, items)
				}
			}
			r.emitWithImplicit(p, segs, items)
		}
	}
}

// triggerAt reports whether the trigger's words start at position pos.
func (r *run) triggerAt(items []item, sg *segment, pos int, tr trigger) bool {
	for k, w := range tr.words {
		if pos+k >= len(sg.items) {
			return false
		}
		it := items[sg.items[pos+k]]
		if !it.word() && !(it.punct && it.low == w) || it.low != w {
			return false
		}
	}
	return true
}

// infinitiveOK: a verb trigger right after "to" is coded only when the "to"
// ends a cue of intent or continuation ("preparing to strike", "continuing
// to shell"); otherwise the infinitive is a purpose or a complement of a
// verb the patterns do not code ("threatened to cut", "to heap the blame").
func (r *run) infinitiveOK(items []item, sg *segment, pos int) bool {
	if pos == 0 || items[sg.items[pos-1]].low != "to" {
		return true
	}
	var before []string
	for k := max(0, pos-4); k < pos; k++ {
		before = append(before, items[sg.items[k]].low)
	}
	for _, p := range r.lex.purpose {
		if hasSuffix(before, p) {
			return false
		}
	}
	for _, c := range r.lex.cues {
		if (c.status == kg.Planned || c.status == kg.Actual) && c.words[len(c.words)-1] == "to" && hasSuffix(before, c.words) {
			return true
		}
	}
	return false
}

func hasSuffix(s, suffix []string) bool {
	if len(suffix) > len(s) {
		return false
	}
	return slices.Equal(s[len(s)-len(suffix):], suffix)
}

// matchOccurrence tries the templates of a trigger's rule and turns the
// first match into protos.
func (r *run) matchOccurrence(s *sentence, segs []*segment, items []item, oc occurrence, consumed map[int]bool) []*proto {
	rule := oc.trig.rule
	if oc.trig.verbal && !r.infinitiveOK(items, oc.seg, oc.pos) {
		return nil
	}
	m := &matcher{r: r, items: items, seg: oc.seg, rule: rule,
		allowPlace: rule.Type == kg.Attacks || rule.Type == kg.Besieges || rule.Type == kg.Controls}
	for _, tpl := range rule.templates {
		b, ok := m.match(tpl, oc.pos, len(oc.trig.words))
		if !ok {
			continue
		}
		ps := r.build(s, segs, items, oc, rule, tpl, b, consumed)
		if ps == nil && !(rule.Remember && b.obj != nil) {
			continue
		}
		// The words a match used are not triggers of other matches.
		for k := max(b.lo, 0); k < min(b.hi, len(oc.seg.items)); k++ {
			consumed[oc.seg.items[k]] = true
		}
		return ps
	}
	return nil
}

func hasWords(tpl []elem, w string) bool {
	for _, e := range tpl {
		if e.kind == eWord && e.words[w] {
			return true
		}
	}
	return false
}

func hasSlot(tpl []elem, k elemKind) bool {
	for _, e := range tpl {
		if e.kind == k {
			return true
		}
	}
	return false
}

// build turns a template match into protos: it resolves pronouns, takes
// the source from the speaker or the context where the template has none,
// expands pairs, groups and reciprocals, and codes the accused act.
func (r *run) build(s *sentence, segs []*segment, items []item, oc occurrence, rule *Rule, tpl []elem, b binding, consumed map[int]bool) []*proto {
	sg := oc.seg
	sources := b.subj
	// Pronoun subjects: he/she are resolved already; it/they/we stand for
	// the speaker in reported speech, else for nothing.
	if b.subjPos >= 0 && b.subjPos < len(sg.items) {
		if x := items[sg.items[b.subjPos]].m; x != nil && x.pronoun != "" && len(x.refs) == 0 {
			sources = sg.speaker
		}
	}
	if sources == nil && !hasSlot(tpl, eS) && !hasSlot(tpl, eA) && !hasSlot(tpl, ePAIR) && !hasSlot(tpl, eBETWEEN) {
		sources = sg.defaultSubject
	}
	if sources == nil && hasSlot(tpl, eS) && b.subjPos < 0 {
		sources = sg.defaultSubject
	}
	if rule.Source == "speaker" {
		sources = sg.speaker
		if sources == nil {
			if pos, refs := r.subjectSearch(sg, items, b.lo, false); pos >= 0 {
				sources = refs
			}
		}
	}
	targets := b.obj
	if b.event != nil {
		targets = b.event
	}
	if targets != nil && len(targets) == 1 && targets[0].id == "" {
		targets = nil
	}
	// Remember attacks, with or without a perpetrator.
	if rule.Remember && len(targets) > 0 {
		r.lastAttack.agents, r.lastAttack.targets = sources, targets
	}
	type pair struct{ from, to ref }
	var pairs []pair
	add := func(f, t ref) {
		if f.id == "" || t.id == "" || f.id == t.id || f.place {
			return
		}
		pairs = append(pairs, pair{f, t})
	}
	switch {
	case b.pair[0] != nil && hasSlot(tpl, eS):
		// "X suspended X-Y engagement": the target is the side that is not X's.
		for _, src := range sources {
			for _, side := range b.pair {
				for _, t := range side {
					if !r.sameSide(t.id, src.id) {
						add(src, t)
					}
				}
			}
		}
	case b.pair[0] != nil:
		for _, f := range b.pair[0] {
			for _, t := range b.pair[1] {
				add(f, t)
				add(t, f)
			}
		}
	case b.parties != nil && hasSlot(tpl, eS):
		for _, src := range sources {
			for _, t := range b.parties {
				add(src, t)
			}
		}
	case b.parties != nil:
		for i, f := range b.parties {
			for j, t := range b.parties {
				if i != j {
					add(f, t)
				}
			}
		}
	case hasWords(tpl, "each") && hasWords(tpl, "other"):
		for i, f := range sources {
			for j, t := range sources {
				if i != j {
					add(f, t)
				}
			}
		}
	case targets == nil && rule.PartiesFromContext:
		for _, t := range r.contextParties(items, sources) {
			for _, src := range sources {
				add(src, t)
			}
		}
	case targets == nil && rule.Joint && len(sources) >= 2:
		for i, f := range sources {
			for j, t := range sources {
				if i < j {
					add(f, t)
				}
			}
		}
	case targets == nil && rule.ImplicitPartner && sources != nil:
		var ps []*proto
		for _, src := range sources {
			p := r.newProto(s, items, oc, rule, src, ref{}, b)
			p.needPartner = true
			ps = append(ps, p)
		}
		return ps
	case rule.Type == kg.Denies:
		var ps []*proto
		for _, src := range sources {
			if src.place {
				continue
			}
			p := r.newProto(s, items, oc, rule, src, ref{}, b)
			p.deny = true
			ps = append(ps, p)
		}
		return ps
	default:
		for _, f := range sources {
			for _, t := range targets {
				add(f, t)
			}
		}
	}
	if rule.Symmetric {
		n := len(pairs)
		for i := 0; i < n; i++ {
			add(pairs[i].to, pairs[i].from)
		}
	}
	var out []*proto
	seen := map[pair]bool{}
	for _, pr := range pairs {
		if seen[pr] {
			continue
		}
		seen[pr] = true
		if pr.to.place && rule.Type != kg.Attacks && rule.Type != kg.Besieges && rule.Type != kg.Controls {
			continue
		}
		if rule.Type == kg.Controls && !pr.to.place {
			continue
		}
		p := r.newProto(s, items, oc, rule, pr.from, pr.to, b)
		if b.act[1] > b.act[0] {
			for k := b.act[0]; k < b.act[1]; k++ {
				consumed[sg.items[k]] = true
			}
			p.act = r.codeAct(s, segs, items, sg, b.act, pr.to, pr.from, consumed)
		}
		out = append(out, p)
	}
	// "cooperation between X and Y against Z": each party attacks Z.
	if rule.Against != nil && len(out) > 0 {
		m := &matcher{r: r, items: items, seg: sg, rule: &Rule{Type: rule.Against.Type}, allowPlace: true}
		for k := b.hi; k < min(b.hi+4, len(sg.items)); k++ {
			if items[sg.items[k]].low != "against" {
				continue
			}
			if ts, _, _ := m.objectSearch(k + 1); ts != nil {
				parties := map[string]bool{}
				var plist []ref
				for _, p := range out {
					if !parties[p.from.id] {
						parties[p.from.id] = true
						plist = append(plist, p.from)
					}
				}
				for _, f := range plist {
					for _, t := range ts {
						sec := &Rule{ID: rule.ID + ".against", Type: rule.Against.Type, CAMEO: rule.Against.CAMEO, Confidence: rule.Confidence * 0.9}
						p := r.newProto(s, items, oc, sec, f, t, b)
						out = append(out, p)
					}
				}
			}
			break
		}
	}
	return out
}

// contextParties are the parties of an agreement whose phrase names only the
// mediator ("a Russian-brokered truce"): the other actors of the sentence,
// when there are at least two.
func (r *run) contextParties(items []item, mediators []ref) []ref {
	var out []ref
	seen := map[string]bool{}
	for _, m := range mediators {
		seen[m.id] = true
	}
	for _, it := range items {
		if it.m == nil || it.m.pronoun != "" {
			continue
		}
		for _, rf := range it.m.refs {
			a := r.actors[rf.id]
			if rf.place || seen[rf.id] || a == nil {
				continue
			}
			switch a.Kind {
			case kg.KindState, kg.KindGovernment, kg.KindArmedGroup, kg.KindDesignatedTerroristGroup, kg.KindMilitary:
				seen[rf.id] = true
				out = append(out, rf)
			}
		}
	}
	if len(out) < 2 {
		return nil
	}
	return out
}

func (r *run) newProto(s *sentence, items []item, oc occurrence, rule *Rule, from, to ref, b binding) *proto {
	p := &proto{rule: rule.ID, r: rule, typ: rule.Type, cameo: rule.CAMEO, from: from, to: to, sent: s, seg: oc.seg,
		confidence: rule.Confidence, attribution: kg.Asserted, status: kg.Actual}
	if oc.item >= 0 && oc.item < len(items) {
		p.trigTok = items[oc.item].from
	}
	if b.subjAnaphor || b.objAnaphor {
		p.confidence *= 0.9
	}
	// The code: weapon words of the clause; a military source.
	if len(rule.CAMEOWords) > 0 {
		lows := map[string]bool{}
		for _, ix := range oc.seg.items {
			lows[items[ix].low] = true
		}
	outer:
		for _, cw := range rule.CAMEOWords {
			for _, w := range cw.Words {
				if lows[w] {
					p.cameo = cw.CAMEO
					break outer
				}
			}
		}
	}
	if rule.MilitaryCAMEO != "" {
		if a := r.actors[from.id]; a != nil && a.Kind == kg.KindMilitary {
			p.cameo = rule.MilitaryCAMEO
		}
	}
	p.status, p.condition, p.condCue = r.statusOf(items, oc, rule, b)
	if !oc.trig.verbal && oc.seg != nil {
		p.presupposed = true
		for k := 0; k < oc.pos && k < len(oc.seg.items); k++ {
			if it := items[oc.seg.items[k]]; it.word() && r.lex.verbLike(it.low) {
				p.presupposed = false
				break
			}
		}
	}
	return p
}

// statusOf reads the status cues before the trigger: negation, modality,
// intent. (Conditions are added by finalize.)
func (r *run) statusOf(items []item, oc occurrence, rule *Rule, b binding) (kg.Status, string, string) {
	sg := oc.seg
	from := max(0, oc.pos-3)
	if b.subjSearched && b.subjPos >= 0 && b.subjPos < oc.pos {
		from = b.subjPos + 1
	}
	var window []string
	for k := from; k < oc.pos; k++ {
		it := items[sg.items[k]]
		if it.m == nil {
			window = append(window, it.low)
		} else {
			window = append(window, "")
		}
	}
	found := map[kg.Status]bool{}
	for _, c := range r.lex.cues {
		if containsSeq(window, c.words) {
			found[c.status] = true
		}
	}
	switch {
	case found[kg.Negated]:
		return kg.Negated, "", ""
	case found[kg.Hypothetical]:
		return kg.Hypothetical, "", ""
	case found[kg.Planned] && !rule.Intent:
		return kg.Planned, "", ""
	}
	return kg.Actual, "", ""
}

func containsSeq(s, sub []string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if slices.Equal(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

// codeAct codes the act an accusation alleges ("of downing a plane", "for
// an attack on a convoy") with the accused as its agent. Without a pattern,
// an attack word still makes an attack: on the latest attack's target when
// the act is "the attack", else on the accuser.
func (r *run) codeAct(s *sentence, segs []*segment, items []item, sg *segment, span [2]int, agent, accuser ref, consumed map[int]bool) *proto {
	sub := &segment{kind: segAct, items: sg.items[span[0]:span[1]], host: -1, antecedent: -1, defaultSubject: []ref{agent}}
	for pos, ix := range sub.items {
		it := items[ix]
		if !it.word() {
			continue
		}
		for _, tr := range r.lex.triggers[it.low] {
			if speechActs[tr.rule.Type] || !r.triggerAt(items, sub, pos, tr) {
				continue
			}
			oc := occurrence{seg: sub, pos: pos, item: ix, trig: tr}
			for _, p := range r.matchOccurrence(s, segs, items, oc, consumed) {
				if p.from.id == agent.id {
					return p
				}
			}
		}
	}
	// An attack word without a pattern match.
	definite, attack := false, false
	for pos, ix := range sub.items {
		it := items[ix]
		if !it.word() {
			continue
		}
		if r.lex.eventNoun[it.low] {
			attack = true
			if pos > 0 && (items[sub.items[pos-1]].low == "the" || items[sub.items[pos-1]].low == "this" || items[sub.items[pos-1]].low == "that") {
				definite = true
			}
		}
		for _, tr := range r.lex.triggers[it.low] {
			if tr.rule.Type == kg.Attacks && len(tr.rule.Verbs) > 0 {
				attack = true
			}
		}
	}
	if !attack {
		return nil
	}
	rule := r.ruleByID("attack.nominal")
	target := accuser
	id := "act.attack-victim"
	if definite && len(r.lastAttack.targets) > 0 {
		target, id = r.lastAttack.targets[0], "act.attack-anaphor"
	}
	if target.id == agent.id || rule == nil {
		return nil
	}
	oc := occurrence{seg: sub, pos: 0, item: sub.items[0]}
	p := r.newProto(s, items, oc, &Rule{ID: id, Type: kg.Attacks, CAMEO: "190", Confidence: 0.5, CAMEOWords: rule.CAMEOWords}, agent, target, binding{subjPos: -1})
	r.lastAttack.agents, r.lastAttack.targets = []ref{agent}, []ref{target}
	return p
}

func (r *run) ruleByID(id string) *Rule {
	for i := range r.c.pats.Rules {
		if r.c.pats.Rules[i].ID == id {
			return &r.c.pats.Rules[i]
		}
	}
	return nil
}

// finalize sets a proto's condition, attribution and date, and turns a
// conditional negative act into a threat.
func (r *run) finalize(p *proto, segs []*segment, items []item) {
	// A condition ("unless ...", "if ...") of the clause.
	if p.seg.kind != segCond && p.status != kg.Negated && !p.presupposed {
		if c := conditionFor(p.seg, segs); c != nil {
			p.status = kg.Conditional
			p.condition = segText(r, c, items)
			p.condCue = c.cue
		}
	}
	if p.act != nil {
		r.finalizeAct(p.act, p.from)
	}
	sp := p.seg.speaker
	switch {
	case p.seg.kind == segAct:
		// finalized by finalizeAct
	case sp != nil:
		speaker := sp[0]
		own := r.sameSide(p.from.id, speaker.id)
		switch {
		case speechActs[p.typ] && own:
			p.from = speaker
		case own && p.status == kg.Conditional && p.r != nil && p.r.ThreatCAMEO != "" && !p.to.place:
			r.toThreat(p, speaker)
		default:
			p.attribution, p.claimedBy = kg.Alleged, speaker.id
		}
	default:
		if p.status == kg.Conditional && p.condCue == "unless" && p.r != nil && p.r.ThreatCAMEO != "" && !p.to.place {
			r.toThreat(p, p.from)
		}
	}
	p.occurred = r.dateFor(p, segs, items)
	if p.act != nil {
		p.act.occurred = r.dateFor(p.act, segs, items)
	}
}

// toThreat turns a conditional negative act into the threat it is.
func (r *run) toThreat(p *proto, by ref) {
	p.rule += ".threat"
	p.typ = kg.Threatens
	p.cameo = p.r.ThreatCAMEO
	p.from = by
	p.attribution, p.claimedBy = kg.Asserted, ""
}

func (r *run) finalizeAct(a *proto, accuser ref) {
	a.attribution, a.claimedBy = kg.Alleged, accuser.id
	a.confidence = round2(a.confidence * 0.9)
	if a.status == kg.Conditional {
		a.status, a.condition = kg.Actual, ""
	}
}

// conditionFor finds the conditional segment that governs segment sg: the
// "unless"/"if" clause after sg's main clause (walking back from the
// condition to the clause it follows), or a sentence-initial "If ...,".
func conditionFor(sg *segment, segs []*segment) *segment {
	idx := slices.Index(segs, sg)
	if idx < 0 {
		return nil
	}
	for ci, c := range segs {
		if c.kind != segCond {
			continue
		}
		if ci == 0 || ci < idx {
			// A condition before the clause: "If ..., X will ...".
			if ci == 0 && idx == 1 || ci == 0 && idx > 1 && segs[1].kind == segMain && mainStart(segs, idx) == 1 {
				return c
			}
			continue
		}
		// The condition follows: it governs back to the nearest main clause.
		if mainStart(segs, ci-1) == mainStart(segs, idx) {
			return c
		}
	}
	return nil
}

// mainStart returns the index of the main segment that starts the clause
// segment i belongs to.
func mainStart(segs []*segment, i int) int {
	for ; i > 0; i-- {
		if segs[i].kind == segMain {
			return i
		}
	}
	return 0
}

func segText(r *run, sg *segment, items []item) string {
	first, last := -1, -1
	for _, ix := range sg.items {
		it := items[ix]
		if it.punct && it.low == "," && first >= 0 {
			break // a condition ends at its first comma
		}
		if it.punct && (it.low == "," || it.low == "." || it.low == ";") {
			continue
		}
		if first < 0 {
			first = ix
		}
		last = ix
	}
	if first < 0 {
		return ""
	}
	toks := r.cur.toks
	return strings.TrimSpace(string(r.text[toks[items[first].from].start:toks[items[last].to-1].end]))
}

// dateFor picks the date expression nearest the trigger in the relation's
// clause (for a speech act by the speaker, in the speech clause first; for
// an accusation, outside the act it alleges).
func (r *run) dateFor(p *proto, segs []*segment, items []item) kg.Date {
	if p.typ.IsHierarchy() || p.typ == kg.PartOf {
		return unknownDate
	}
	span := func(sg *segment) (int, int) {
		lo, hi := math.MaxInt, -1
		for _, ix := range sg.items {
			lo = min(lo, items[ix].from)
			hi = max(hi, items[ix].to)
		}
		return lo, hi
	}
	var scopes [][2]int
	if speechActs[p.typ] && p.seg.kind == segComplement {
		for _, sg := range segs {
			if sg.speech {
				lo, hi := span(sg)
				scopes = append(scopes, [2]int{lo, hi})
			}
		}
	}
	lo, hi := span(p.seg)
	scopes = append(scopes, [2]int{lo, hi})
	var exclude [2]int
	if p.act != nil && len(p.act.seg.items) > 0 {
		exclude[0], exclude[1] = span(p.act.seg)
	}
	for _, sc := range scopes {
		best, bestDist := -1, math.MaxInt
		for i, d := range r.curDates {
			if d.from < sc[0] || d.to > sc[1] {
				continue
			}
			if exclude[1] > 0 && d.from >= exclude[0] && d.to <= exclude[1] {
				continue
			}
			dist := abs(d.from - p.trigTok)
			if dist < bestDist {
				best, bestDist = i, dist
			}
		}
		if best >= 0 {
			return r.curDates[best].date
		}
	}
	return unknownDate
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// emitWithImplicit emits a proto and, for a blameworthy act a speaker
// reports of another side, the accusation that report makes.
func (r *run) emitWithImplicit(p *proto, segs []*segment, items []item) {
	rel := r.emit(p)
	if rel == nil || p.attribution != kg.Alleged || p.seg.kind != segComplement || p.r == nil {
		return
	}
	blame := p.r.Blameworthy
	if a := r.actors[p.to.id]; a != nil && slices.Contains(p.r.BlameworthyTargetKinds, a.Kind) {
		blame = true
	}
	speaker := p.seg.speaker[0]
	if !blame || r.sameSide(p.from.id, speaker.id) || p.status == kg.Negated {
		return
	}
	acc := &proto{rule: "accuse.reported", typ: kg.Accuses, cameo: "112", from: speaker, to: p.from, sent: p.sent, seg: p.seg,
		trigTok: p.trigTok, confidence: 0.6, attribution: kg.Asserted, status: kg.Actual, act: p, occurred: unknownDate}
	if p.seg.accusatory {
		acc.rule, acc.confidence = "accuse.alleged-that", 0.75
	}
	r.emit(acc)
}

// emit turns a proto into a relation, or adds its evidence to the
// relation it repeats (same type, ends, attribution, status and link).
func (r *run) emit(p *proto) *kg.Relation {
	var denied *kg.Relation
	if p.deny {
		denied = r.findAccusation(p.from.id)
		if denied == nil {
			return nil
		}
		p.to = ref{id: denied.From}
	}
	if p.needPartner {
		partner := r.findPartner(p.from.id)
		if partner == "" {
			return nil
		}
		p.to = ref{id: partner}
		p.confidence = round2(p.confidence * 0.8)
		p.rule += ".partner"
		p.needPartner = false
	}
	if p.from.id == "" || p.to.id == "" || p.from.id == p.to.id {
		return nil
	}
	evFrom, evTo := p.evFrom, p.evTo
	if evTo <= evFrom {
		evFrom, evTo = p.sent.start, p.sent.end
	}
	rel := kg.Relation{
		Type: p.typ, From: p.from.id, To: p.to.id,
		Attribution: p.attribution, ClaimedBy: p.claimedBy, Status: p.status,
		Role: p.role, Occurred: p.occurred,
		Reported: day(r.pub), SourceID: r.doc.SourceID,
		Provenance: kg.Provenance{Confidence: round2(min(max(p.confidence, 0.05), 0.99)), Method: kg.MethodCoder, Detail: p.rule, Review: kg.ReviewProposed},
		Evidence:   []kg.Evidence{{Quote: string(r.text[evFrom:evTo]), Start: evFrom, End: evTo}},
	}
	if rel.Status == kg.Conditional {
		rel.Condition = p.condition
		if rel.Condition == "" {
			rel.Status = kg.Actual
		}
	}
	if rel.Occurred.Precision == "" {
		rel.Occurred = unknownDate
	}
	if info, _ := p.typ.Info(); !info.Structural {
		rel.CAMEO = p.cameo
		if g, ok := kg.Goldstein(p.cameo); ok {
			rel.Goldstein = &g
		}
	}
	link := ""
	if p.act != nil {
		if act := r.emit(p.act); act != nil {
			rel.Alleges = act.ID
			link = "alleges:" + r.keyOf[act.ID]
		}
	}
	if denied != nil {
		rel.Denies = denied.ID
		link = "denies:" + denied.ID
	}
	key := strings.Join([]string{string(rel.Type), rel.From, rel.To, string(rel.Attribution), rel.ClaimedBy, string(rel.Status), link}, "|")
	if ex := r.byKey[key]; ex != nil {
		ev := rel.Evidence[0]
		if !slices.ContainsFunc(ex.Evidence, func(e kg.Evidence) bool { return e.Start == ev.Start && e.End == ev.End }) {
			ex.Evidence = append(ex.Evidence, ev)
		}
		ex.Provenance.Confidence = max(ex.Provenance.Confidence, rel.Provenance.Confidence)
		if ex.Occurred.Precision == kg.PrecisionUnknown && rel.Occurred.Precision != kg.PrecisionUnknown {
			ex.Occurred = rel.Occurred
		}
		return ex
	}
	base := fmt.Sprintf("%s-%s-s%d-%s-%s", slug(r.doc.SourceID), strings.ReplaceAll(p.rule, "_", "-"), p.sent.index, rel.From, rel.To)
	id := base
	for n := 2; r.ids[id]; n++ {
		id = fmt.Sprintf("%s-%d", base, n)
	}
	rel.ID = id
	r.ids[id] = true
	r.byKey[key] = &rel
	r.keyOf[id] = key
	r.out = append(r.out, &rel)
	return &rel
}

// findAccusation is the latest accusation against the denier or its side.
func (r *run) findAccusation(denier string) *kg.Relation {
	for i := len(r.out) - 1; i >= 0; i-- {
		a := r.out[i]
		if a.Type == kg.Accuses && a.From != denier && !r.sameSide(a.From, denier) && r.sameSide(a.To, denier) {
			return a
		}
	}
	return nil
}

// findPartner is the partner of the latest talks offered or held by the
// source's side.
func (r *run) findPartner(src string) string {
	for i := len(r.out) - 1; i >= 0; i-- {
		a := r.out[i]
		if (a.Type == kg.OffersTalks || a.Type == kg.Consults) && r.sameSide(a.From, src) && r.actors[a.To] != nil {
			return a.To
		}
	}
	return ""
}
