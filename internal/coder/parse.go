package coder

import (
	"context"
	"errors"
	"io/fs"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/actorgraph/actorgraph/internal/coder/corenlp"
	"github.com/actorgraph/actorgraph/internal/kg"
)

// The parse coder. It reads CoreNLP's analysis of the document (enhanced++
// Universal Dependencies, NER, coreference, quotes; package corenlp) and
// codes every clause from its dependency structure instead of surface
// patterns: the source of an event is its (enhanced) subject, passive agent,
// possessor or the subject of the light verb that governs it; the target its
// object, passive subject or prepositional argument; conjuncts give one
// relation per pair (enhanced++ propagates the arguments). Reported speech
// comes from the dependency analysis of communication verbs (a clausal
// complement or a parenthetical of say/tell/claim ..., "according to X"):
// whatever the speaker reports is ALLEGED, claimed by the speaker. Status
// comes from the clause: negation, future and modal auxiliaries, the verbs
// that govern it (plan to, agree to, refuse to) and its if/unless clauses.
//
// Actors are recognised as the dictionary coder recognises them (its mention
// scanner: known actors, states, sectors, organisations, titled persons), then
// through coreference chains, then from NER (persons, organisations). Its
// relations carry rule ids "parse.*" in their provenance detail; the
// dictionary coder's do not.

// ParseRulePrefix starts the rule id (provenance detail) of every relation
// the parse coder proposes.
const ParseRulePrefix = "parse."

// ArticleCoder codes a document: the dictionary coder (*Coder) and the parse
// coder (*ParseCoder) both are one.
type ArticleCoder interface {
	CodeContext(ctx context.Context, doc Document, known Known) (*Result, error)
	// Name says which coder it is ("dictionary", "corenlp").
	Name() string
}

// CodeContext is CodeWith (the dictionary coder needs no context).
func (c *Coder) CodeContext(_ context.Context, doc Document, known Known) (*Result, error) {
	return c.CodeWith(doc, known)
}

// Name is "dictionary".
func (c *Coder) Name() string { return "dictionary" }

// ParseCoder codes documents from CoreNLP's annotations.
type ParseCoder struct {
	c   *Coder
	nlp *corenlp.Client
	ev  eventLexicon
}

// NewParseCoder returns the parse coder over a CoreNLP client.
func NewParseCoder(c *Coder, nlp *corenlp.Client) (*ParseCoder, error) {
	ev, err := defaultEvents()
	if err != nil {
		return nil, err
	}
	return &ParseCoder{c: c, nlp: nlp, ev: ev}, nil
}

// Name is "corenlp".
func (p *ParseCoder) Name() string { return "corenlp" }

// CodeContext annotates the document with CoreNLP and codes it.
func (p *ParseCoder) CodeContext(ctx context.Context, doc Document, known Known) (*Result, error) {
	if err := checkDoc(doc); err != nil {
		return nil, err
	}
	ann, err := p.nlp.Annotate(ctx, doc.Text)
	if err != nil {
		return nil, err
	}
	return p.CodeAnnotated(doc, known, ann)
}

func checkDoc(doc Document) error {
	switch {
	case doc.SourceID == "":
		return errors.New("coder: document has no source id")
	case doc.Published.IsZero():
		return errors.New("coder: document has no published date")
	case !utf8.ValidString(doc.Text):
		return errors.New("coder: document text is not valid UTF-8")
	}
	return nil
}

// CodeAnnotated codes a document CoreNLP has annotated.
func (p *ParseCoder) CodeAnnotated(doc Document, known Known, ann *corenlp.Document) (*Result, error) {
	if err := checkDoc(doc); err != nil {
		return nil, err
	}
	res, _ := p.code(doc, known, ann)
	return res, nil
}

// code codes an annotated document and returns the run too (its sentences'
// events, for tests).
func (p *ParseCoder) code(doc Document, known Known, ann *corenlp.Document) (*Result, *parseRun) {
	r := p.c.newRun(doc, known)
	pr := &parseRun{run: r, ev: p.ev, ann: ann, chainOf: map[[2]int]int{}}
	for ci, ch := range ann.Chains {
		for _, m := range ch {
			pr.chainOf[[2]int{m.Sent, m.Head}] = ci
		}
	}
	for i := range ann.Sentences {
		pr.codeSentence(&ann.Sentences[i])
	}
	r.emitStructural()
	res := &Result{}
	for _, id := range r.newActors {
		res.Actors = append(res.Actors, *r.actors[id])
	}
	for _, pl := range pr.newPlaces {
		res.Places = append(res.Places, *pl)
	}
	for _, rel := range r.out {
		res.Relations = append(res.Relations, *rel)
	}
	return res, pr
}

// parseRun is the state of coding one annotated document.
type parseRun struct {
	*run
	ev      eventLexicon
	ann     *corenlp.Document
	chainOf map[[2]int]int // (sentence, head token) -> chain index
	sents   []*psent
	// newPlaces are places made from NER locations.
	newPlaces []*kg.Place
}

// psent is one CoreNLP sentence with the dictionary coder's view of it.
type psent struct {
	cs *corenlp.Sentence
	s  *sentence
	tm []*mention // per CoreNLP token: the mention it lies in
	// resolved: per token, the actors its mention or chain resolved to.
	resolved map[int][]ref
	acts     []*event // the events of the sentence
}

// event is one coded event before it becomes protos.
type event struct {
	tok        int
	cl         int // the clause head whose status and speaker apply
	w          *eventWord
	typ        kg.RelationType
	cameo      string
	from, to   []ref
	status     kg.Status
	condition  string
	conf       float64
	rule       string
	speaker    []ref
	framed     bool // reported by a speaker (resolved or not)
	dependent  bool // embedded under a governing event word (agree to X)
	suppressed bool
	accusedBy  *event // the accusation this act is the object of
	against    []ref  // the third party cooperation is against
	mutual     bool   // coordinated sources act on each other ("exchanged fire")
}

func (pr *parseRun) codeSentence(cs *corenlp.Sentence) {
	if len(cs.Tokens) == 0 {
		return
	}
	start, end := cs.Start(), cs.End()
	s := &sentence{index: len(pr.sents), start: start, end: end, toks: tokenize(pr.text, start, end, &pr.lex.ab)}
	last := cs.Tokens[len(cs.Tokens)-1].Word
	s.headline = !strings.ContainsAny(last, ".!?\"'”’)") && isHeadline(pr.text[start:end])
	ps := &psent{cs: cs, s: s, tm: make([]*mention, len(cs.Tokens)), resolved: map[int][]ref{}}
	pr.sents = append(pr.sents, ps)
	if len(s.toks) == 0 {
		return
	}
	pr.cur = s
	pr.curDates = findDates(s.toks, pr.pub)
	for _, m := range pr.scanMentions(s) {
		a, b := s.toks[m.from].start, s.toks[m.to-1].end
		for i, t := range cs.Tokens {
			if t.Start < b && a < t.End && ps.tm[i] == nil {
				ps.tm[i] = m
			}
		}
	}
	// Every named person becomes an actor now, so that "he"/"she" in the
	// next sentences can fall back on the latest one when coreference has
	// no chain.
	for _, e := range cs.Entities {
		if e.NER == "PERSON" && !strings.HasPrefix(cs.Tokens[e.From].POS, "PRP") {
			if rs := pr.refsOf(ps, e.To-1, 0); len(rs) == 1 && !rs[0].place {
				if a := pr.actors[rs[0].id]; a != nil && a.Kind == kg.KindPerson {
					pr.lastPerson = a.ID
					pr.knownRole(ps, e, a.ID)
				}
			}
		}
	}
	if s.headline {
		return // headline style drops the words a parse relies on; the lede repeats it
	}
	// Speakers first, so that "it" and "they" in what they report resolve
	// to them ("the party said it will boycott ...").
	for k, tk := range cs.Tokens {
		if posClass(tk.POS) == "V" && pr.isSpeech(tk.Lemma) && pr.ev.get(tk.Lemma, "V") == nil { // say, not accuse
			pr.speakerArgs(ps, children(cs, k, "nsubj"))
		}
	}
	var evs []*event
	for i := range cs.Tokens {
		if ev := pr.eventAt(ps, i); ev != nil {
			evs = append(evs, ev)
		}
	}
	ps.acts = evs
	pr.govern(ps, evs)
	pr.purposes(ps, evs)
	pr.undo(ps, evs)
	pr.borrowTargets(ps, evs)
	pr.obligations(ps)
	for _, ev := range evs {
		if !ev.suppressed {
			pr.emitEvent(ps, ev)
		}
	}
}

// obligations codes what a speaker says another must do as a demand of
// it: "Russia said Sudan must return the helicopter" is Russia demanding of
// Sudan (CAMEO 100); the act itself is only hypothetical (statusAt).
func (pr *parseRun) obligations(ps *psent) {
	cs := ps.cs
	for k, tk := range cs.Tokens {
		if posClass(tk.POS) != "V" || !pr.isSpeech(tk.Lemma) || pr.isAccuse(cs, k) {
			continue
		}
		for _, x := range children(cs, k, "ccomp") {
			if !hasAux(cs, x, "must", "should", "ought") {
				continue
			}
			for _, f := range pr.args(ps, children(cs, k, "nsubj")) {
				for _, t := range pr.args(ps, children(cs, x, "nsubj", "nsubj:pass")) {
					if f.place || t.place || f.id == t.id {
						continue
					}
					pr.emit(&proto{rule: ParseRulePrefix + "requests.obligation", typ: kg.Requests, cameo: "100", from: f, to: t, sent: ps.s,
						confidence: 0.75, attribution: kg.Asserted, status: kg.Actual, occurred: pr.dateNear(ps, k)})
				}
			}
		}
	}
}

// controller is the verb whose complement the infinitive or gerund i is
// ("prepared to resume", "resume shelling"), or -1.
func controller(cs *corenlp.Sentence, i int) int {
	rels := []string{"xcomp"}
	if cs.Tokens[i].POS == "VBG" {
		rels = append(rels, "obj", "dep")
	}
	g, _ := parentVia(cs, i, rels...)
	if g < 0 && purposeClause(cs, i) {
		// "summoned the ambassador to complain", "continued their strike
		// to demand X": a purpose infinitive is done by its governor's subject.
		g, _ = parentVia(cs, i, "advcl:to")
	}
	if g >= 0 && posClass(cs.Tokens[g].POS) != "V" && posClass(cs.Tokens[g].POS) != "A" && !verbLike(cs, g) {
		return -1
	}
	return g
}

// reducedRelative reports whether verb i is a past participle the parser
// took for the main verb of a clause it only modifies: no auxiliary, a
// subject and a by-agent ("Somali troops backed by Kenyan forces
// recaptured the town": backed/VBN heads the parse).
func reducedRelative(cs *corenlp.Sentence, i int) bool {
	if cs.Tokens[i].POS != "VBN" || len(children(cs, i, "aux", "aux:pass", "obj")) > 0 || len(children(cs, i, "nsubj")) == 0 {
		return false // a passive participle has no object ("shortened by one hour the curfew")
	}
	for _, a := range children(cs, i, "obl:agent", "obl:by") {
		if ner := cs.Tokens[a].NER; ner == "O" || ner == "NATIONALITY" || ner == "ORGANIZATION" || ner == "COUNTRY" || ner == "PERSON" {
			return true
		}
	}
	return false
}

// purposeClause reports whether i heads a subjectless infinitive of
// purpose ("to demand", "to investigate") attached to a clause.
func purposeClause(cs *corenlp.Sentence, i int) bool {
	if cs.Tokens[i].POS != "VB" || markOf(cs, i, "to") < 0 {
		return false
	}
	for _, sj := range children(cs, i, "nsubj", "nsubj:pass") {
		if ner := cs.Tokens[sj].NER; ner != "DATE" && ner != "TIME" { // "on Wednesday to investigate": a misparse
			return false
		}
	}
	g, _ := parentVia(cs, i, "advcl:to")
	return g >= 0
}

// verbLike reports whether noun i is a clause head the tagger took for a
// noun ("they would blockade Paris": blockade/NN with a subject and a
// modal), so that its arguments are read as a verb's. A copular predicate
// ("would be a threat") is a noun.
func verbLike(cs *corenlp.Sentence, i int) bool {
	return posClass(cs.Tokens[i].POS) == "N" && len(children(cs, i, "aux")) > 0 && len(children(cs, i, "cop")) == 0 &&
		len(children(cs, i, "nsubj")) > 0
}

// objectsOf are the objects of verb i, with the one the parser hangs on a
// bare weekday before it ("rejected Thursday a UN appeal": dep of
// Thursday), a frequent misparse of wire copy.
func objectsOf(cs *corenlp.Sentence, i int) []int {
	out := children(cs, i, "obj", "iobj")
	for k, o := range out {
		// "suspended part of a military aid program": what the part is of.
		if quantityNouns[strings.ToLower(cs.Tokens[o].Lemma)] {
			if of := children(cs, o, "nmod:of"); len(of) == 1 {
				out[k] = of[0]
			}
		}
	}
	if len(out) > 0 {
		return out
	}
	for _, c := range children(cs, i, "ccomp") {
		// "arrested two Palestinians suspected of ...": the parser made
		// the object the subject of a participle clause.
		if cs.Tokens[c].POS == "VBN" && len(children(cs, c, "aux", "aux:pass", "mark")) == 0 {
			out = append(out, children(cs, c, "nsubj")...)
		}
	}
	if len(out) > 0 {
		return out
	}
	for _, t := range children(cs, i, "obl:tmod") {
		for _, d := range children(cs, t, "dep") {
			if posClass(cs.Tokens[d].POS) == "N" && d > t {
				out = append(out, d)
			}
		}
	}
	return out
}

// quantityNouns name a part of what they are "of": as an object they stand
// for it.
var quantityNouns = map[string]bool{"part": true, "portion": true, "some": true, "most": true, "all": true, "half": true,
	"much": true, "rest": true, "bulk": true, "share": true}

// conditionClause reports whether the clause headed by h is an if/unless
// clause.
func conditionClause(cs *corenlp.Sentence, h int) bool {
	return markOf(cs, h, "if", "unless") >= 0
}

// markOf is the token of clause h's marker when it is one of words, or -1.
func markOf(cs *corenlp.Sentence, h int, words ...string) int {
	for _, mk := range children(cs, h, "mark") {
		if slices.Contains(words, strings.ToLower(cs.Tokens[mk].Word)) {
			return mk
		}
	}
	return -1
}

// hasAux reports whether h has one of the auxiliaries (lower case words).
func hasAux(cs *corenlp.Sentence, h int, words ...string) bool {
	for _, a := range children(cs, h, "aux") {
		if slices.Contains(words, strings.ToLower(cs.Tokens[a].Word)) {
			return true
		}
	}
	return false
}

// posClass is V, N or A for a Penn tag.
func posClass(tag string) string {
	switch {
	case strings.HasPrefix(tag, "VB"):
		return "V"
	case strings.HasPrefix(tag, "NN"):
		return "N"
	case strings.HasPrefix(tag, "JJ"):
		return "A"
	}
	return ""
}

func (pr *parseRun) wordAt(cs *corenlp.Sentence, i int) *eventWord {
	t := cs.Tokens[i]
	pc := posClass(t.POS)
	if pc == "" {
		return nil
	}
	lemma := strings.ToLower(t.Lemma)
	if pc == "V" {
		// Phrasal verbs first: "blew up" destroys, "stepped down" resigns.
		for _, k := range children(cs, i, "compound:prt") {
			if w := pr.ev.get(lemma+" "+strings.ToLower(cs.Tokens[k].Lemma), pc); w != nil {
				return w
			}
		}
	}
	if pc == "N" {
		// Two-word nouns first: "hunger strike" is a protest, "strike" an attack.
		for _, k := range children(cs, i, "compound") {
			if w := pr.ev.get(strings.ToLower(cs.Tokens[k].Lemma)+" "+lemma, pc); w != nil {
				return w
			}
		}
	}
	if w := pr.ev.get(lemma, pc); w != nil {
		return w
	}
	if pc == "A" || (pc == "V" && t.POS == "VBN") {
		// "prepared to", "ready to": adjectives listed as A
		if w := pr.ev.get(strings.ToLower(t.Word), "A"); w != nil {
			return w
		}
	}
	if pc == "N" && strings.HasSuffix(lemma, "s") { // "talks", "sanctions" as lemmas
		if w := pr.ev.get(strings.TrimSuffix(lemma, "s"), "N"); w != nil {
			return w
		}
	}
	if pc == "N" && frameNouns[lemma] {
		// "a mediation effort", "an aid program": the event its
		// compound modifier names, with the head's arguments.
		for _, k := range children(cs, i, "compound") {
			if w := pr.ev.get(strings.ToLower(cs.Tokens[k].Lemma), "N"); w != nil && w.role != "light" {
				return w
			}
		}
	}
	return nil
}

// isLight reports whether token v is a light verb ("issued", "made").
func (pr *parseRun) isLight(cs *corenlp.Sentence, v int) bool {
	w := pr.wordAt(cs, v)
	return w != nil && w.role == "light"
}

// objectControl are the verbs whose object is the one who does what their
// infinitive says ("urged X to withdraw", "allowed X to leave").
var objectControl = map[string]bool{"ask": true, "urge": true, "order": true, "force": true, "allow": true, "permit": true,
	"persuade": true, "invite": true, "tell": true, "encourage": true, "call": true, "press": true, "help": true,
	"enable": true, "require": true, "compel": true, "instruct": true, "authorize": true, "authorise": true, "warn": true,
	"advise": true, "appeal": true, "request": true, "lead": true, "cause": true, "get": true, "want": true, "expect": true,
	"need": true, "prompt": true, "push": true, "oblige": true, "forbid": true, "prohibit": true, "beg": true,
	"challenge": true, "remind": true, "train": true, "pressure": true, "pressurize": true, "convince": true, "demand": true,
	"assist": true, "empower": true, "mandate": true, "direct": true, "commission": true, "recruit": true, "hire": true,
	"pay": true, "bribe": true, "lobby": true, "incite": true, "provoke": true, "inspire": true, "motivate": true,
	"lure": true, "entice": true, "coerce": true, "induce": true, "teach": true, "select": true, "elect": true,
	"appoint": true, "nominate": true, "choose": true, "exhort": true, "implore": true, "entreat": true, "petition": true}

// mutualLight are light verbs whose coordinated subjects act on each other.
var mutualLight = map[string]bool{"exchange": true, "trade": true}

// formalVerbs make a protest an official complaint (CAMEO 114).
var formalVerbs = map[string]bool{"lodge": true, "file": true, "register": true}

// frameNouns carry the event of their compound modifier ("peace effort",
// "aid program", "bombing campaign").
var frameNouns = map[string]bool{"effort": true, "bid": true, "campaign": true, "operation": true, "program": true,
	"programme": true, "mission": true, "initiative": true, "drive": true, "process": true, "package": true,
	"delivery": true, "shipment": true}

// children returns the dependents of i with relation rel (exact, or any
// subtype when rel ends with ':').
func children(cs *corenlp.Sentence, i int, rels ...string) []int {
	var out []int
	for _, d := range cs.Children(i) {
		for _, rel := range rels {
			if d.Rel == rel || strings.HasSuffix(rel, ":") && strings.HasPrefix(d.Rel, rel) {
				out = append(out, d.Dep)
				break
			}
		}
	}
	return out
}

func parentVia(cs *corenlp.Sentence, i int, rels ...string) (int, string) {
	for _, d := range cs.Parents(i) {
		for _, rel := range rels {
			if d.Rel == rel || strings.HasSuffix(rel, ":") && strings.HasPrefix(d.Rel, rel) {
				return d.Gov, d.Rel
			}
		}
	}
	return -1, ""
}

// targetPreps are the prepositions whose object is an event's target, in order of preference.
var targetPreps = []string{"against", "on", "with", "at", "to", "toward", "towards", "into", "upon", "of", "for", "from", "in", "between"}

// eventAt codes the event word at token i, if it is one and has a source.
func (pr *parseRun) eventAt(ps *psent, i int) *event {
	cs := ps.cs
	w := pr.wordAt(cs, i)
	if w == nil || w.role == "light" || w.role == "halt" && !pr.haltsCooperation(cs, i) {
		return nil
	}
	ev := &event{tok: i, w: w, typ: w.typ, cameo: w.cameo, status: kg.Actual, conf: 0.7, rule: ParseRulePrefix + strings.ToLower(strings.ReplaceAll(string(w.typ), "_", "-")) + "." + strings.ToLower(w.pos)}
	cl := i // the clause head whose status and speaker apply
	passive := len(children(cs, i, "nsubj:pass", "aux:pass")) > 0
	reduced := reducedRelative(cs, i)
	pos := w.pos
	if pos == "N" && verbLike(cs, i) {
		pos = "V" // a verb the tagger took for a noun
		ev.rule += ".verblike"
	}
	switch pos {
	case "V", "A":
		if passive && w.role == "intent" && len(children(cs, i, "obl:agent", "obl:by")) == 0 {
			// "Vietnam is committed to opening its economy": a state of
			// intent, its subject the one who intends.
			ev.from = pr.args(ps, children(cs, i, "nsubj:pass"))
			ev.rule += ".stative"
		} else if passive || reduced {
			ev.to = pr.args(ps, children(cs, i, "nsubj:pass"))
			if reduced {
				// "Somali troops backed by Kenyan forces recaptured ...":
				// the parser made the participle the main verb.
				ev.to = pr.args(ps, children(cs, i, "nsubj"))
			}
			ev.from = pr.args(ps, children(cs, i, "obl:agent", "obl:by"))
			ev.rule += ".passive"
			if len(ev.from) == 0 && strings.HasPrefix(w.cameo, "17") {
				// "Two journalists were arrested in Iran": with no agent
				// named, the state where it was done did it.
				if ev.from = pr.countriesAt(ps, children(cs, i, "obl:in")); len(ev.from) > 0 {
					ev.rule += ".where"
				}
			}
		} else {
			ev.from = pr.args(ps, children(cs, i, "nsubj", "nsubj:xsubj"))
			ev.to = pr.args(ps, objectsOf(cs, i))
			if len(ev.from) > 0 && pr.allSameSide(ev.from, ev.to) {
				// "recalled its ambassador to Algeria": the source's own
				// people are what it acts with; whom they are sent to or
				// accredited with is the target.
				heads := [][]int{}
				for _, prep := range []string{"to", "with", "against", "toward", "towards", "into"} {
					for _, o := range objectsOf(cs, i) {
						heads = append(heads, children(cs, o, "nmod:"+prep))
					}
					heads = append(heads, children(cs, i, "obl:"+prep))
				}
				for _, hs := range heads {
					if t := pr.args(ps, hs); len(t) > 0 && !pr.allSameSide(ev.from, t) {
						ev.to = t
						ev.rule += ".own"
						break
					}
				}
			}
			if g, _ := parentVia(cs, i, "xcomp"); g >= 0 && len(children(cs, i, "nsubj")) == 0 && len(ev.from) > 0 &&
				!objectControl[strings.ToLower(cs.Tokens[g].Lemma)] && posClass(cs.Tokens[g].POS) == "V" {
				// "summoned the ambassador to protest": the parser gives an
				// infinitive after an object that object as its subject, but
				// only verbs of asking and making (urge, order, allow ...)
				// pass the act on; otherwise the summoner protests, to the
				// summoned.
				if objs := pr.args(ps, objectsOf(cs, g)); len(objs) > 0 && slices.Equal(objs, ev.from) {
					if subj := pr.args(ps, children(cs, g, "nsubj")); len(subj) > 0 {
						ev.from = subj
						if len(ev.to) == 0 || pr.allSameSide(subj, ev.to) {
							ev.to = objs
						}
						ev.rule += ".subjectcontrol"
					}
				}
			}
			if g, _ := parentVia(cs, i, "dep"); g >= 0 && len(ev.from) == 0 && reducedRelative(cs, g) {
				// "... troops backed by X recaptured the town": the real
				// main verb hangs on the participle; its subject is the
				// participle's.
				ev.from = pr.args(ps, children(cs, g, "nsubj"))
			}
			// "prepared to resume shelling X": an infinitive or gerund
			// complement's subject is its governor's, however deep.
			for g, k := i, 0; len(ev.from) == 0 && k < 3; k++ {
				if g = controller(cs, g); g < 0 {
					break
				}
				ev.from = pr.args(ps, children(cs, g, "nsubj", "nsubj:xsubj"))
			}
		}
		// A retreat is from someone or somewhere: "withdraw its troops from
		// Chad" retreats from Chad, not from its own troops.
		if strings.HasPrefix(w.cameo, "087") {
			from := children(cs, i, "obl:from")
			for _, o := range children(cs, i, "obj") {
				from = append(from, children(cs, o, "nmod:from")...)
			}
			if t := pr.countriesAt(ps, from); len(t) > 0 {
				ev.to = t
			} else if t := pr.args(ps, from); len(t) > 0 {
				ev.to = t
			}
			// Withdrawing inspectors, observers, aid workers or diplomats
			// is no military retreat but ending an involvement (CAMEO 166,
			// 161 for diplomats): "will withdraw weapons inspectors from Iraq".
			for _, o := range children(cs, i, "obj") {
				if code := withdrawnCodes[strings.ToLower(cs.Tokens[o].Lemma)]; code != "" {
					typ, _ := kg.TypeForCAMEO(code)
					ev.cameo, ev.typ = code, typ
					ev.rule = ParseRulePrefix + "reduces-relations.v.involvement"
					break
				}
			}
		}
		// Participles modifying a noun: "forces backed by Russia", "militants attacking the town".
		if n, _ := parentVia(cs, i, "acl", "amod"); n >= 0 && len(ev.from) == 0 && len(ev.to) == 0 {
			if cs.Tokens[i].POS == "VBN" {
				ev.to = pr.args(ps, []int{n})
				ev.from = pr.args(ps, children(cs, i, "obl:agent", "obl:by"))
			} else {
				ev.from = pr.args(ps, []int{n})
				ev.to = pr.args(ps, children(cs, i, "obj"))
			}
			ev.rule += ".participle"
		}
	case "N":
		ev.conf = 0.6
		ev.from = pr.args(ps, children(cs, i, "nmod:poss", "nmod:by", "nmod:agent"))
		if len(ev.from) == 0 {
			for _, k := range children(cs, i, "amod", "compound") {
				if m := ps.tm[k]; m != nil && len(m.refs) > 0 && !refsArePlaces(m.refs) {
					ev.from = append(ev.from, m.refs...)
				}
			}
		}
		// "launched an offensive", "imposed sanctions": the light verb's subject.
		if v, _ := parentVia(cs, i, "obj", "nsubj:pass"); v >= 0 {
			if pr.isLight(cs, v) {
				cl = v
				if mutualLight[strings.ToLower(cs.Tokens[v].Lemma)] {
					ev.mutual = true // "India and Pakistan exchanged fire": each at the other
				}
				if formalVerbs[strings.ToLower(cs.Tokens[v].Lemma)] && strings.HasPrefix(ev.cameo, "14") {
					// "lodged a protest with X": an official complaint.
					ev.cameo, ev.typ = "114", kg.Disapprove
					ev.rule += ".formal"
				}
				if len(ev.from) == 0 {
					if len(children(cs, v, "nsubj:pass")) > 0 {
						ev.from = pr.args(ps, children(cs, v, "obl:agent", "obl:by"))
					} else {
						ev.from = pr.args(ps, children(cs, v, "nsubj", "nsubj:xsubj"))
					}
				}
				for _, prep := range targetPreps {
					if t := pr.args(ps, children(cs, v, "obl:"+prep)); len(t) > 0 && len(ev.to) == 0 {
						ev.to = t
					}
				}
			}
		}
		// "returned to Geneva for talks", "arrived for a visit": what one
		// comes for is the comer's act.
		if v, _ := parentVia(cs, i, "obl:for"); v >= 0 && len(ev.from) == 0 && posClass(cs.Tokens[v].POS) == "V" {
			ev.from = pr.args(ps, children(cs, v, "nsubj"))
			ev.rule += ".for"
		}
		// "the curfew imposed in Sudan", "sanctions imposed on Iran by the
		// US": a light verb's participle after the noun carries its arguments.
		for _, v := range children(cs, i, "acl") {
			if cs.Tokens[v].POS != "VBN" || !pr.isLight(cs, v) {
				continue
			}
			if len(ev.from) == 0 {
				ev.from = pr.args(ps, children(cs, v, "obl:agent", "obl:by"))
			}
			for _, prep := range targetPreps {
				if len(ev.to) > 0 {
					break
				}
				switch {
				case prep == "in" && len(w.cameo) >= 2 && locatedRoots[w.cameo[:2]]:
					ev.to = pr.countriesAt(ps, children(cs, v, "obl:in"))
				case prep != "in" && prep != "from" && prep != "of":
					ev.to = pr.args(ps, children(cs, v, "obl:"+prep))
				}
			}
		}
		// "with X's military support, Y advanced": the supported is the clause's subject.
		if v, rel := parentVia(cs, i, "obl:with", "nmod:with"); v >= 0 && rel == "obl:with" && len(ev.from) > 0 && w.typ == kg.Backs {
			ev.to = pr.args(ps, children(cs, v, "nsubj", "nsubj:pass"))
		}
	}
	if len(ev.to) == 0 {
		pfx := "obl:"
		if pos == "N" {
			pfx = "nmod:"
		}
		for _, prep := range targetPreps {
			if prep == "of" && pos != "N" || prep == "in" && w.typ != kg.Attacks && !locatedRoots[w.cameo[:min(2, len(w.cameo))]] {
				continue
			}
			heads := children(cs, i, pfx+prep)
			t := pr.args(ps, heads)
			if prep == "in" && len(w.cameo) >= 2 && locatedRoots[w.cameo[:2]] {
				// "deployed troops in Iraq" places the act there as well.
				for _, o := range children(cs, i, "obj") {
					heads = append(heads, children(cs, o, "nmod:in")...)
				}
				t = pr.countriesAt(ps, heads)
			}
			if len(t) > 0 && pos != "N" && pr.allSameSide(ev.from, t) {
				// "reneged on his commitment to X": the source's own
				// undertaking; the target is whom it was made to.
				var to []int
				for _, hd := range heads {
					to = append(to, children(cs, hd, "nmod:to", "nmod:with", "nmod:toward", "nmod:towards")...)
				}
				t = pr.args(ps, to)
			}
			if len(t) > 0 {
				ev.to = t
				break
			}
		}
	}
	if len(ev.to) == 0 && (pos != "N" || demandRoots[w.cameo[:min(2, len(w.cameo))]]) {
		ev.to = pr.deeperTarget(ps, i, w)
	}
	if len(ev.to) == 0 && pos == "N" {
		// "a suspension of air links with X": what the event noun is of,
		// and that one's partner.
		for _, o := range children(cs, i, "nmod:of") {
			for _, prep := range []string{"with", "to", "against", "on"} {
				if t := pr.args(ps, children(cs, o, "nmod:"+prep)); len(t) > 0 && len(ev.to) == 0 {
					ev.to = t
				}
			}
		}
	}
	if w.role == "mutual" {
		// "cooperation between A and B", "fighting between A and B": the parties.
		if between := pr.args(ps, children(cs, i, "nmod:between", "obl:between", "nmod:among", "obl:among")); len(between) > 1 {
			ev.from, ev.to = between, nil
		}
	}
	// Cooperation against a third party is force against it: "cooperation
	// between A and B against Z", "joint strikes against Z".
	if len(w.cameo) >= 2 && jointRoots[w.cameo[:2]] {
		against := pr.args(ps, children(cs, i, "nmod:against", "obl:against"))
		if len(against) > 0 {
			ev.against = against
			if slices.Equal(ev.to, against) {
				ev.to = nil
			}
		}
	}
	if pos == "V" && strings.HasPrefix(w.cameo, "18") {
		// "US drone strikes killed X": a harm done by an attack is that
		// attack (its code), not violence of its own.
		for _, sj := range children(cs, i, "nsubj") {
			if sw := pr.wordAt(cs, sj); sw != nil && strings.HasPrefix(sw.cameo, "19") {
				ev.cameo, ev.typ = sw.cameo, sw.typ
				ev.rule += ".byattack"
			}
		}
	}
	if len(ev.to) == 0 && len(ev.cameo) >= 2 && domesticRoots[ev.cameo[:2]] {
		ev.to = pr.domesticTargets(ps, i, ev.from)
	}
	if strings.ToLower(cs.Tokens[i].Lemma) == "order" && pos == "V" {
		// "Ethiopia's prime minister ordered the army to ...": a bare state
		// sector ordered by a country's government is that country's own,
		// not the last army the article named.
		if own := pr.ownForces(ps, objectsOf(cs, i), ev.from); len(own) > 0 {
			ev.to = own
			ev.rule += ".own"
		}
	}
	if len(ev.to) > 0 && len(ev.cameo) >= 2 && forceRoots[ev.cameo[:2]] {
		// "Rebels killed five Malian soldiers": armed men with no country
		// named who attack a country's forces are that country's own,
		// before any rebels known from elsewhere (an anaphoric guess).
		subj := children(cs, i, "nsubj")
		if passive || reduced {
			subj = children(cs, i, "obl:agent", "obl:by")
		}
		guessed := len(subj) > 0
		for _, h := range subj {
			guessed = guessed && ps.tm[h] != nil && ps.tm[h].anaphor && ps.tm[h].pronoun == ""
		}
		if len(ev.from) == 0 || guessed {
			if from := pr.domesticSources(ps, subj, ev.to); len(from) > 0 {
				ev.from = from
				ev.rule += ".domestic"
			}
		}
	}
	if purposeClause(cs, i) {
		// What is done for a purpose is less certain than the act that
		// serves it; with no target of its own it is aimed at the
		// governor's object ("summoned the ambassador to complain") or
		// where the governor sent someone ("sent experts to Bosnia to
		// investigate").
		ev.conf *= 0.8
		ev.dependent = true
		ev.rule += ".purpose"
		if len(ev.to) == 0 {
			g, _ := parentVia(cs, i, "advcl:to")
			ev.to = pr.purposeTarget(ps, g, ev.from)
		}
	}
	pr.civilianTargets(ev)
	ev.cl = cl
	ev.status, ev.condition = pr.statusAt(ps, cl)
	if conditionClause(cs, cl) {
		ev.conf *= 0.7 // "unless Baghdad accepted": the condition, not what is reported
	}
	ev.speaker, ev.framed = pr.speakerOf(ps, cl)
	return ev
}

// purposeTarget is whom the act of clause g is done to, for a purpose
// clause of it with no target of its own: g's object unless it is the
// source's own side ("sent its experts"), else where g sends it (to X).
func (pr *parseRun) purposeTarget(ps *psent, g int, from []ref) []ref {
	cs := ps.cs
	if t := pr.args(ps, objectsOf(cs, g)); len(t) > 0 && !pr.allSameSide(from, t) && !refsArePlaces(t) {
		return t
	}
	to := children(cs, g, "obl:to")
	if t := pr.countriesAt(ps, to); len(t) > 0 {
		return t
	}
	if t := pr.args(ps, to); len(t) > 0 && !refsArePlaces(t) && !pr.allSameSide(from, t) {
		return t
	}
	return nil
}

// undoCode is what easing or lifting an act of the given CAMEO code is: a
// curfew lifted 0813, a state of emergency 0814, another restriction 081,
// sanctions or an embargo 085, a blockade or siege 0872 (de-escalation);
// "" for acts that cannot be undone this way.
func undoCode(cameo string) string {
	switch {
	case cameo == "1723":
		return "0813"
	case cameo == "1724":
		return "0814"
	case strings.HasPrefix(cameo, "172"):
		return "081"
	case strings.HasPrefix(cameo, "163"):
		return "085"
	case strings.HasPrefix(cameo, "191"):
		return "0872"
	}
	return ""
}

// undo codes easing words (lift, ease, relax, shorten: CAMEO 081 in
// events.tsv) by what they ease: "lifted the blockade on X" eases a
// military blockade of X (0872), "shortened the curfew imposed in Sudan"
// eases a curfew (0813); the eased act is not proposed as happening, and
// its target is the concession's.
func (pr *parseRun) undo(ps *psent, evs []*event) {
	at := byToken(evs)
	for _, ev := range evs {
		if ev.w.cameo != "081" {
			continue
		}
		for _, o := range objectsOf(ps.cs, ev.tok) {
			emb := at[o]
			if emb == nil || emb == ev {
				continue
			}
			code := undoCode(emb.cameo)
			typ, err := kg.TypeForCAMEO(code)
			if code == "" || err != nil {
				continue
			}
			ev.cameo, ev.typ = code, typ
			ev.rule += ".undo"
			if len(emb.to) > 0 {
				ev.to = emb.to
			}
			emb.suppressed = true
		}
	}
}

// dispatchVerbs send someone to do something: with a purpose the sending
// is the means, and what it is for is the act ("sent experts to
// investigate" is an investigation, not aid).
var dispatchVerbs = map[string]bool{"send": true, "dispatch": true}

// purposes suppresses a dispatch whose purpose clause is an event.
func (pr *parseRun) purposes(ps *psent, evs []*event) {
	at := byToken(evs)
	for _, ev := range evs {
		if !dispatchVerbs[strings.ToLower(ps.cs.Tokens[ev.tok].Lemma)] {
			continue
		}
		for _, x := range children(ps.cs, ev.tok, "advcl:to") {
			if p := at[x]; p != nil && len(p.from) > 0 && len(p.to) > 0 {
				ev.suppressed = true
			}
		}
	}
}

// civilianTargets: armed force (CAMEO 19) used on civilians only is not a
// fight between armed parties but an assault (180, unconventional violence).
func (pr *parseRun) civilianTargets(ev *event) {
	if !strings.HasPrefix(ev.cameo, "19") || len(ev.to) == 0 {
		return
	}
	for _, t := range ev.to {
		if a := pr.actors[t.id]; t.place || a == nil || a.Kind != kg.KindCivilians {
			return
		}
	}
	ev.cameo = "180"
	ev.typ = kg.Attacks
	ev.rule += ".civilians"
}

func refsArePlaces(rs []ref) bool {
	for _, r := range rs {
		if !r.place {
			return false
		}
	}
	return len(rs) > 0
}

// sayTypes are the CAMEO roots of what is done by saying it: their target may
// be named through what it did or said ("demanded that X ...", "criticized
// X's bombing").
var sayRoots = map[string]bool{"02": true, "10": true, "11": true, "12": true, "13": true, "01": true}

// deeperTarget looks for the target one level down: in the object's own
// prepositional arguments ("threatened further action against X", "boycott
// contact with X"), the possessor of the object for what is said ("rejected
// X's proposal"), the subject of a clausal complement ("demanded that X
// ..."), the arguments of an infinitive complement ("promised to
// democratize X", "offered to hand over to X").
func (pr *parseRun) deeperTarget(ps *psent, i int, w *eventWord) []ref {
	cs := ps.cs
	say := len(w.cameo) >= 2 && sayRoots[w.cameo[:2]]
	// objPrep: the object's own prepositional argument ("action against X",
	// "its border with X", "aid to X").
	var objPrep func(o int) []ref
	objPrep = func(o int) []ref {
		for _, prep := range targetPreps {
			if prep == "in" || prep == "from" {
				continue
			}
			if t := pr.args(ps, children(cs, o, "nmod:"+prep)); len(t) > 0 {
				return t
			}
		}
		if ner := cs.Tokens[o].NER; ner == "MONEY" || ner == "NUMBER" {
			// "pledged $1 billion in aid to X": what the sum is of.
			for _, k := range children(cs, o, "nmod:in", "nmod:of") {
				if t := objPrep(k); len(t) > 0 {
					return t
				}
			}
		}
		return nil
	}
	for _, o := range children(cs, i, "obj") {
		if t := objPrep(o); len(t) > 0 {
			return t
		}
		if say {
			// "rejected X's proposal", "demanded an admission by X".
			if t := pr.args(ps, children(cs, o, "nmod:poss", "nmod:by", "nmod:agent")); len(t) > 0 {
				return t
			}
		}
	}
	for _, x := range children(cs, i, "ccomp", "xcomp", "acl", "acl:that") {
		if say && w.role != "intent" {
			if t := pr.args(ps, children(cs, x, "nsubj", "nsubj:pass")); len(t) > 0 {
				return t
			}
		}
		if xw := pr.wordAt(cs, x); xw != nil && xw.role != "light" {
			continue // an event of its own: govern lends its target
		}
		// "agreed to reopen its border with X": the object's argument
		// before the object (its owner is often the subject itself).
		for _, o := range children(cs, x, "obj") {
			if t := objPrep(o); len(t) > 0 {
				return t
			}
		}
		if t := pr.args(ps, children(cs, x, "obj", "iobj")); len(t) > 0 {
			return t
		}
		for _, prep := range targetPreps {
			if prep == "in" || prep == "from" || prep == "of" {
				continue
			}
			if t := pr.args(ps, children(cs, x, "obl:"+prep)); len(t) > 0 {
				return t
			}
		}
	}
	return nil
}

// groupNouns are the people a country or organisation speaks or acts
// through: "authorities in X", "officials from X".
var groupNouns = map[string]bool{"authority": true, "official": true, "leader": true, "force": true, "troop": true,
	"government": true, "ministry": true, "police": true, "army": true, "military": true, "source": true, "spokesman": true,
	"spokeswoman": true, "spokesperson": true, "representative": true, "envoy": true, "delegation": true, "diplomat": true}

// actNouns name wrongs done: with a participle and its agent ("crimes
// committed by X") they stand for the agent.
var actNouns = map[string]bool{"crime": true, "abuse": true, "atrocity": true, "violation": true, "offence": true,
	"offense": true, "wrongdoing": true, "misconduct": true, "killing": true, "act": true}

// siteNouns are places named by what they are: as a target they stand for
// the place they are in or the people they hold.
var siteNouns = map[string]bool{"target": true, "position": true, "village": true, "town": true, "camp": true, "base": true,
	"area": true, "district": true, "neighborhood": true, "neighbourhood": true, "city": true, "outskirts": true,
	"region": true, "territory": true, "post": true, "checkpoint": true, "headquarters": true, "stronghold": true}

// contentNouns stand for what their owner said or proposed: "X's statement"
// is X for a reply, a rejection or a criticism.
var contentNouns = map[string]bool{"statement": true, "remark": true, "comment": true, "proposal": true, "plan": true,
	"offer": true, "demand": true, "call": true, "claim": true, "accusation": true, "allegation": true, "initiative": true,
	"position": true, "decision": true, "policy": true, "request": true, "appeal": true, "warning": true, "words": true,
	"declaration": true, "communique": true, "resolution": true, "letter": true, "message": true}

// args resolves argument head tokens to actors (places included).
func (pr *parseRun) args(ps *psent, heads []int) []ref {
	var out []ref
	for _, h := range heads {
		for _, r := range pr.refsOf(ps, h, 0) {
			if !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
	}
	return out
}

// refsOf resolves the noun phrase headed by token h.
func (pr *parseRun) refsOf(ps *psent, h, depth int) []ref {
	cs := ps.cs
	if rs, ok := ps.resolved[h]; ok {
		return rs
	}
	var out []ref
	m := ps.tm[h]
	// "Kenya's defense minister, X": the person the apposition names; "the
	// opposition newspaper La Prensa": the organisation (the parser often
	// hangs the name on the common noun as dep).
	rels := []string{"appos", "dep"}
	if cs.Tokens[h].NER == "TITLE" {
		// "The Federal Minister for Interior X": the parser hangs the
		// holder's name on the title through the office.
		rels = append(rels, "nmod:for", "nmod:of")
	}
	for _, k := range children(cs, h, rels...) {
		if ner := cs.Tokens[k].NER; (ner == "PERSON" || ner == "ORGANIZATION" && cs.Tokens[h].NER == "O" && strings.HasPrefix(cs.Tokens[h].POS, "NN") && !strings.HasPrefix(cs.Tokens[h].POS, "NNP")) && depth < 2 {
			if rs := pr.refsOf(ps, k, depth+1); len(rs) > 0 {
				ps.resolved[h] = rs
				return rs
			}
		}
	}
	// "its European Community partners": the organisation the compound
	// names, not the owner the pronoun refers to.
	for _, p := range children(cs, h, "nmod:poss") {
		if !strings.HasPrefix(cs.Tokens[p].POS, "PRP") {
			continue
		}
		for _, k := range children(cs, h, "compound") {
			if km := ps.tm[k]; km != nil && km != m && len(km.refs) > 0 && !km.anaphor && km.country == nil && !refsArePlaces(km.refs) {
				ps.resolved[h] = km.refs
				return km.refs
			}
			if cs.Tokens[k].NER == "ORGANIZATION" && ps.tm[k] == nil {
				if rs := pr.nerActor(ps, k); len(rs) > 0 {
					ps.resolved[h] = rs
					return rs
				}
			}
		}
	}
	if pr.inLongerOrg(ps, h, m) {
		// "the Washington Post", "the Syrian Observatory for Human
		// Rights": a country or capital inside an organisation's name is
		// not the state; the organisation is.
		if rs := pr.nerActor(ps, h); len(rs) > 0 {
			ps.resolved[h] = rs
			return rs
		}
	}
	switch {
	case m != nil && len(m.refs) > 0 && !m.anaphor:
		out = slices.Clone(m.refs)
		out = append(out, pr.sharedSector(ps, h, m)...)
		if m.country != nil && len(out) == len(m.refs) {
			// "the Turkish and Greek sides": each coordinated country
			// modifier the dictionary's mention did not cover.
			for _, k := range children(cs, h, "amod", "compound") {
				if km := ps.tm[k]; km != nil && km != m && km.country != nil && km.country != m.country && !refsArePlaces(km.refs) {
					out = append(out, km.refs...)
				}
			}
		}
	default:
		if rs := pr.reportingSelf(ps, h); len(rs) > 0 {
			out = rs
		} else if rs := pr.titleHolder(ps, h); len(rs) > 0 && m == nil && pr.officeWord(ps, h) {
			// "the French ambassador": a title qualified by its own country
			// is that country's, whatever other ambassador coreference
			// links it to.
			out = rs
		} else if rs := pr.corefRefs(ps, h); len(rs) > 0 {
			out = rs
		} else if m != nil && len(m.refs) > 0 {
			out = m.refs
		}
	}
	if len(out) == 0 && depth < 2 {
		lemma := strings.ToLower(cs.Tokens[h].Lemma)
		if contentNouns[lemma] {
			out = pr.args(ps, children(cs, h, "nmod:poss", "nmod:of", "nmod:by", "nmod:from"))
			if v, _ := parentVia(cs, h, "obj"); len(out) == 0 && v >= 0 && posClass(cs.Tokens[v].POS) == "V" && pr.isLight(cs, v) {
				// "X issued a declaration demanding ...": X's.
				out = pr.args(ps, children(cs, v, "nsubj"))
			}
		}
		if len(out) == 0 {
			// "Russian warplanes" the dictionary did not take as one
			// mention; "the Turkish and Greek sides of the island": the
			// head's own modifiers name it before what it is "of".
			for _, k := range children(cs, h, "compound", "amod") {
				if km := ps.tm[k]; km != nil && len(km.refs) > 0 && !refsArePlaces(km.refs) {
					out = append(out, km.refs...)
				}
			}
		}
		if len(out) == 0 {
			out = pr.sectorOfPlace(ps, h)
		}
		if len(out) == 0 && cs.Tokens[h].NER == "O" && strings.HasPrefix(cs.Tokens[h].POS, "NN") && !strings.HasPrefix(cs.Tokens[h].POS, "NNP") {
			// A common noun standing for what it belongs to: "positions of
			// X", "the outskirts of Aleppo", "X's convoy", "authorities in
			// X" (group nouns only take in/from).
			rels := []string{"nmod:of", "nmod:poss"}
			if groupNouns[lemma] {
				rels = append(rels, "nmod:in", "nmod:from")
			}
			// "crimes committed by X", "abuses carried out by X": the agent.
			for _, v := range children(cs, h, "acl") {
				if actNouns[lemma] && cs.Tokens[v].POS == "VBN" && len(out) == 0 {
					out = pr.args(ps, children(cs, v, "obl:agent", "obl:by"))
				}
			}
			if len(out) > 0 {
				ps.resolved[h] = out
				return out
			}
			if siteNouns[lemma] {
				// "targets in Jericho", "a village in Cambodia", "a camp
				// for refugees": the site is where, or whom, it holds.
				rels = append(rels, "nmod:in", "nmod:near", "nmod:for")
			}
			for _, rel := range rels {
				heads := children(cs, h, rel)
				rs := pr.args(ps, heads)
				if len(rs) == 0 && siteNouns[lemma] && rel == "nmod:in" {
					rs = pr.countriesAt(ps, slices.Concat(func() (o [][]int) {
						for _, k := range heads {
							o = append(o, compoundSpan(cs, k))
						}
						return
					}()...))
				}
				if len(rs) > 0 {
					out = rs
					break
				}
			}
		}
	}
	if len(out) == 0 && cs.Tokens[h].NER == "COUNTRY" {
		// "the Former Yugoslav Republic of Macedonia", "the Republic of
		// Korea": a country's long form names the country after "of".
		out = pr.countriesAt(ps, children(cs, h, "nmod:of"))
	}
	if len(out) == 0 && !locativeArg(cs, h) {
		// "hand over to Great Britain": the mention scanner takes a country
		// after "to" for a place (and only a known one); an argument that
		// is not a location is the state, not a new place from NER.
		out = pr.countriesAt(ps, compoundSpan(cs, h))
	}
	if len(out) == 0 {
		out = pr.nerActor(ps, h)
	}
	if len(out) == 0 && depth < 2 {
		out = pr.titleHolder(ps, h)
	}
	ps.resolved[h] = out
	return out
}

// locativeArgs are the relations by which a noun is where something
// happens rather than a participant.
var locativeArgs = []string{"obl:in", "nmod:in", "obl:at", "nmod:at", "obl:near", "nmod:near", "obl:inside", "nmod:inside",
	"obl:across", "nmod:across", "obl:throughout", "nmod:throughout", "obl:within", "nmod:within", "obl:outside", "nmod:outside"}

func locativeArg(cs *corenlp.Sentence, h int) bool {
	g, _ := parentVia(cs, h, locativeArgs...)
	return g >= 0
}

// compoundSpan is h preceded by its compound modifiers, leftmost first
// ("Great Britain"): the candidates where a country name may start.
func compoundSpan(cs *corenlp.Sentence, h int) []int {
	from := h
	for _, k := range children(cs, h, "compound") {
		from = min(from, k)
	}
	var out []int
	for k := from; k <= h; k++ {
		out = append(out, k)
	}
	return out
}

// titleHolder: a title with no name ("Taiwan's Vice Foreign Minister", "the
// Kenyan defence minister") stands for the government of the country that
// qualifies it: the office acts, whoever holds it.
func (pr *parseRun) titleHolder(ps *psent, h int) []ref {
	cs := ps.cs
	if cs.Tokens[h].NER != "TITLE" {
		return nil
	}
	gov := pr.sectorByCode["GOV"]
	for _, k := range children(cs, h, "nmod:poss", "amod", "compound", "nmod:of") {
		if m := ps.tm[k]; m != nil && m.country != nil && gov != nil {
			return []ref{{id: pr.sectorActorQuiet(m.country, gov)}}
		}
		if rs := pr.countriesAt(ps, compoundSpan(cs, k)); len(rs) > 0 && gov != nil {
			return []ref{{id: pr.sectorActorQuiet(pr.countryByISO[pr.actors[rs[0].id].Country], gov)}}
		}
		if strings.HasPrefix(cs.Tokens[k].POS, "PRP") && gov != nil {
			// "Morocco recalled its ambassador": the government of the
			// country the pronoun refers to.
			if rs := pr.corefRefs(ps, k); len(rs) == 1 && !rs[0].place {
				if a := pr.actors[rs[0].id]; a != nil && a.Country != "" && pr.countryByISO[a.Country] != nil {
					return []ref{{id: pr.sectorActorQuiet(pr.countryByISO[a.Country], gov)}}
				}
			}
		}
	}
	return nil
}

// withdrawnCodes: what withdrawing people of each kind is (CAMEO 166
// expel or withdraw inspectors, peacekeepers, aid agencies; 161 reduce
// diplomatic relations).
var withdrawnCodes = map[string]string{"inspector": "166", "observer": "166", "monitor": "166", "peacekeeper": "166",
	"worker": "166", "staff": "166", "mission": "166", "ambassador": "161", "envoy": "161", "diplomat": "161"}

// domesticRoots are the CAMEO roots of what a state's forces do to people
// at home (14 is not: people protest, forces do not).
var domesticRoots = map[string]bool{"17": true, "18": true, "19": true}

// domesticTargets: a sector word with no country ("demonstrators",
// "rebels") that a country's government, police or military acts on is of
// that country: "Egyptian police opened fire to disperse demonstrators"
// fires on Egyptian protesters. The heads looked at are the event's
// objects, and those of its (or its light verb's) infinitive complements.
func (pr *parseRun) domesticTargets(ps *psent, i int, from []ref) []ref {
	cs := ps.cs
	var c *Country
	for _, f := range from {
		a := pr.actors[f.id]
		if f.place || a == nil || a.Country == "" || a.Kind != kg.KindGovernment && a.Kind != kg.KindMilitary && a.Kind != kg.KindState {
			return nil
		}
		if c = pr.countryByISO[a.Country]; c == nil {
			return nil
		}
	}
	if c == nil {
		return nil
	}
	heads := objectsOf(cs, i)
	clauses := []int{i}
	if v, _ := parentVia(cs, i, "obj"); v >= 0 && pr.isLight(cs, v) {
		clauses = append(clauses, v)
	}
	for _, v := range clauses {
		for _, x := range children(cs, v, "xcomp", "advcl:to") {
			heads = append(heads, children(cs, x, "obj")...)
		}
	}
	var out []ref
	for _, h := range heads {
		if sec := pr.sectorWord(ps, h); sec != nil && sec.Code != "STATE" && len(pr.refsOf(ps, h, 0)) == 0 {
			out = append(out, ref{id: pr.sectorActorQuiet(c, sec)})
		}
	}
	return out
}

// countryOfRefs is the country of the actors refs name when every one is
// an actor of one of kinds with a known country (the last one's), else nil.
func (pr *parseRun) countryOfRefs(refs []ref, kinds ...kg.ActorKind) *Country {
	var c *Country
	for _, r := range refs {
		a := pr.actors[r.id]
		if r.place || a == nil || a.Country == "" || !slices.Contains(kinds, a.Kind) {
			return nil
		}
		if c = pr.countryByISO[a.Country]; c == nil {
			return nil
		}
	}
	return c
}

// ownForces: the bare state-sector words among heads ("the army", "the
// police"), unresolved or resolved only from context, as the sectors of
// the country of the sources (a government or state).
func (pr *parseRun) ownForces(ps *psent, heads []int, from []ref) []ref {
	c := pr.countryOfRefs(from, kg.KindGovernment, kg.KindState, kg.KindPerson)
	if c == nil {
		return nil
	}
	var out []ref
	for _, h := range heads {
		sec := pr.sectorWord(ps, h)
		if sec == nil || !sec.StatePart || sec.Code == "STATE" {
			continue
		}
		if m := ps.tm[h]; len(pr.refsOf(ps, h, 0)) == 0 || m != nil && m.anaphor && m.pronoun == "" && m.country == nil {
			out = append(out, ref{id: pr.sectorActorQuiet(c, sec)})
		}
	}
	return out
}

// domesticSources: the sector words with no country among heads ("rebels",
// "gunmen") are of the country whose state forces the act is aimed at.
func (pr *parseRun) domesticSources(ps *psent, heads []int, to []ref) []ref {
	c := pr.countryOfRefs(to, kg.KindGovernment, kg.KindMilitary, kg.KindState)
	if c == nil {
		return nil
	}
	var out []ref
	for _, h := range heads {
		// A bare sector word the scanner resolved from context (the only
		// rebels the store knows) yields to the clause's own evidence.
		if sec := pr.sectorWord(ps, h); sec != nil && !sec.StatePart && sec.Code != "STATE" &&
			(len(pr.refsOf(ps, h, 0)) == 0 || ps.tm[h] != nil && ps.tm[h].anaphor) {
			out = append(out, ref{id: pr.sectorActorQuiet(c, sec)})
		}
	}
	return out
}

// sectorWord is the sector a one-word sector phrase at token h names, or nil.
func (pr *parseRun) sectorWord(ps *psent, h int) *Sector {
	for k, tk := range ps.s.toks {
		if tk.start != ps.cs.Tokens[h].Start {
			continue
		}
		for _, e := range pr.trie.match(ps.s.toks, k) {
			if e.kind == kSector && len(e.toks) == 1 {
				return e.sector
			}
		}
	}
	return nil
}

// sectorOfPlace: a sector word placed in a country ("rebels in the Ivory
// Coast", "students throughout Indonesia", "authorities in Azerbaijan") is
// that country's sector, as "Ivorian rebels" would be.
func (pr *parseRun) sectorOfPlace(ps *psent, h int) []ref {
	cs := ps.cs
	var sec *Sector
	for i, tk := range ps.s.toks {
		if tk.start != cs.Tokens[h].Start {
			continue
		}
		for _, e := range pr.trie.match(ps.s.toks, i) {
			if e.kind == kSector && len(e.toks) == 1 {
				sec = e.sector
				break
			}
		}
	}
	if sec == nil {
		return nil
	}
	places := children(cs, h, "nmod:in", "nmod:from", "nmod:throughout", "nmod:across", "nmod:of")
	for _, v := range children(cs, h, "acl") {
		// "refugees fleeing (the war in) Liberia": where they come from.
		places = append(places, children(cs, v, "obl:in", "obl:from")...)
		for _, o := range children(cs, v, "obj") {
			places = append(places, o)
			places = append(places, children(cs, o, "nmod:in", "nmod:of")...)
		}
	}
	for _, k := range places {
		for _, r := range pr.countriesAt(ps, compoundSpan(cs, k)) {
			if c := pr.countryByISO[pr.actors[r.id].Country]; c != nil {
				return []ref{{id: pr.sectorActorQuiet(c, sec)}}
			}
		}
	}
	for _, v := range children(cs, h, "amod") {
		// "Vietnamese-led forces": forces a country leads are its own (the
		// parser splits the hyphen; "X-backed" forces are not X's).
		if strings.ToLower(cs.Tokens[v].Word) != "led" {
			continue
		}
		for _, k := range children(cs, v, "dep", "compound", "obl:npmod", "amod", "nsubj") {
			if m := ps.tm[k]; m != nil && m.country != nil && k < v {
				return []ref{{id: pr.sectorActorQuiet(m.country, sec)}}
			}
		}
	}
	return nil
}

// inLongerOrg reports whether token h lies in an ORGANIZATION entity of
// several words that reaches beyond the dictionary's mention m there.
func (pr *parseRun) inLongerOrg(ps *psent, h int, m *mention) bool {
	for _, e := range ps.cs.Entities {
		if e.NER != "ORGANIZATION" || h < e.From || h >= e.To || e.To-e.From < 2 {
			continue
		}
		for k := e.From; k < e.To; k++ {
			if ps.tm[k] != m {
				return true
			}
		}
	}
	return false
}

// sharedSector: "Turkish and Iraqi warplanes" names the sector of each
// country; the dictionary's mention covers the last adjective only.
func (pr *parseRun) sharedSector(ps *psent, h int, m *mention) []ref {
	if len(m.refs) != 1 || m.country == nil {
		return nil
	}
	a := pr.actors[m.refs[0].id]
	if a == nil {
		return nil
	}
	sec := pr.sectorByCode[sectorOf(a.CAMEOCode)]
	if sec == nil {
		return nil
	}
	var out []ref
	for _, k := range children(ps.cs, h, "amod", "compound") {
		km := ps.tm[k]
		if km == nil || km == m || km.country == nil || km.country == m.country {
			continue
		}
		out = append(out, ref{id: pr.sectorActorQuiet(km.country, sec)})
	}
	return out
}

// corefRefs resolves h through its coreference chain: the actors of the
// chain's representative mention, else of the nearest earlier mention that
// resolved.
func (pr *parseRun) corefRefs(ps *psent, h int) []ref {
	ci, ok := pr.chainOf[[2]int{ps.s.index, h}]
	if !ok {
		return nil
	}
	var best []ref
	for _, cm := range pr.ann.Chains[ci] {
		if cm.Sent > ps.s.index || cm.Sent == ps.s.index && cm.Head >= h || cm.Sent >= len(pr.sents) {
			continue
		}
		other := pr.sents[cm.Sent]
		if cm.Head < 0 || cm.Head >= len(other.tm) {
			continue
		}
		var rs []ref
		// A person named in the mention ("Kenya's defense minister, X") first.
		for k := cm.From; k < cm.To && k < len(other.tm) && len(rs) == 0; k++ {
			if other.cs.Tokens[k].NER == "PERSON" && (k != h || cm.Sent != ps.s.index) {
				rs = pr.refsOf(other, k, 1)
			}
		}
		if len(rs) > 0 {
		} else if om := other.tm[cm.Head]; om != nil && len(om.refs) > 0 && !om.anaphor {
			rs = om.refs
		} else if r, ok := other.resolved[cm.Head]; ok {
			rs = r
		} else if cm.Sent < ps.s.index || cm.Head < h {
			// An earlier mention no event resolved yet ("The ILO
			// reiterated its demand": "its" is the ILO).
			rs = pr.refsOf(other, cm.Head, 1)
		}
		if len(rs) == 0 {
			continue
		}
		if cm.Representative {
			return rs
		}
		best = rs // the latest resolved mention before h
	}
	return best
}

// nerActor makes an actor of a PERSON or ORGANIZATION entity no dictionary
// knows.
func (pr *parseRun) nerActor(ps *psent, h int) []ref {
	cs := ps.cs
	if strings.HasPrefix(cs.Tokens[h].POS, "PRP") {
		return nil // CoreNLP lists pronouns as entity mentions too
	}
	for _, e := range cs.Entities {
		if h < e.From || h >= e.To {
			continue
		}
		switch e.NER {
		case "PERSON":
			name := strings.TrimSpace(e.Text)
			if utf8.RuneCountInString(name) < 3 {
				return nil
			}
			if id := pr.knownPerson(name); id != "" {
				return []ref{{id: id}}
			}
			holder, role := pr.titleOf(ps, e)
			c := pr.nationalityNear(ps, e)
			id := pr.personActor(name, c, holder, role, cs.Tokens[e.From].Start, cs.Tokens[e.To-1].End)
			pr.addDocAlias(name, id)
			if f := strings.Fields(name); len(f) > 1 {
				pr.addDocAlias(f[len(f)-1], id)
			}
			return []ref{{id: id}}
		case "CITY", "LOCATION", "STATE_OR_PROVINCE":
			return pr.nerPlace(strings.TrimSpace(e.Text), e.NER)
		case "ORGANIZATION":
			name := strings.TrimSpace(e.Text)
			if utf8.RuneCountInString(name) < 3 {
				return nil
			}
			id := "coder-org-" + slug(name)
			if _, ok := pr.actors[id]; !ok {
				a := kg.Actor{ID: id, Name: name, Kind: kg.KindOther}
				if c := pr.nationalityNear(ps, e); c != nil {
					a.Country = c.ISO3
				}
				pr.newActor(a)
				pr.addDocAlias(name, id)
			}
			return []ref{{id: id}}
		}
	}
	return nil
}

// nerPlace returns the place a location entity names: a known place by
// name or alias, else a new one.
func (pr *parseRun) nerPlace(name, ner string) []ref {
	if utf8.RuneCountInString(name) < 3 {
		return nil
	}
	f := kg.Fold(name)
	for id, p := range pr.places {
		for _, n := range append([]string{p.Name}, p.Aliases...) {
			if kg.Fold(n) == f {
				return []ref{{id: id, place: true}}
			}
		}
	}
	id := "coder-place-" + slug(name)
	if _, ok := pr.places[id]; !ok {
		kind := kg.PlaceOtherKind
		if ner == "CITY" {
			kind = kg.PlaceCity
		}
		p := &kg.Place{ID: id, Name: name, Kind: kind}
		pr.places[id] = p
		pr.newPlaces = append(pr.newPlaces, p)
	}
	return []ref{{id: id, place: true}}
}

// titleOf reads the title before a person ("Deputy Foreign Minister X",
// "the ministry's spokeswoman X", "X, a UN envoy"): the holder is the
// organisation the title's words name (a mention in the title span or its
// possessor), the role the title's words.
func (pr *parseRun) titleOf(ps *psent, e corenlp.Entity) ([]ref, string) {
	cs := ps.cs
	from := e.From
	for from > 0 {
		t := cs.Tokens[from-1]
		if t.NER == "TITLE" || (ps.tm[from-1] != nil && posClass(t.POS) != "") || t.NER == "NATIONALITY" || t.NER == "COUNTRY" || t.NER == "ORGANIZATION" {
			from--
			continue
		}
		break
	}
	// An apposition after the name: "X, the foreign ministry spokeswoman".
	var titleToks []int
	for k := from; k < e.From; k++ {
		titleToks = append(titleToks, k)
	}
	if len(titleToks) == 0 {
		for _, a := range children(cs, e.To-1, "appos") {
			for k := a; k >= 0 && k > e.To; k-- {
				if cs.Tokens[k].NER == "TITLE" || ps.tm[k] != nil {
					titleToks = append([]int{k}, titleToks...)
				} else {
					break
				}
			}
		}
	}
	if len(titleToks) == 0 {
		return nil, ""
	}
	var role []string
	var holder []ref
	hasTitle := false
	for _, k := range titleToks {
		if cs.Tokens[k].NER == "TITLE" {
			hasTitle = true
			role = append(role, cs.Tokens[k].Word)
		}
		if m := ps.tm[k]; m != nil && len(m.refs) > 0 && !refsArePlaces(m.refs) && len(holder) == 0 {
			holder = m.refs
		}
	}
	if !hasTitle {
		return nil, ""
	}
	return holder, strings.Join(role, " ")
}

// knownRole proposes the role the title before a person says they hold
// ("Ukrainian Foreign Minister Dmytro Kuleba"), whether the store knows the
// person or the article made them (personActor may have proposed it
// already): the same article must give the same proposals whatever the
// store holds, so a person's role cannot depend on being known.
func (pr *parseRun) knownRole(ps *psent, e corenlp.Entity, id string) {
	for _, p := range pr.structural {
		if p.typ == kg.HoldsRole && p.from.id == id {
			return
		}
	}
	holder, role := pr.titleOf(ps, e)
	if role == "" {
		return
	}
	if len(holder) == 0 || holder[0].id == id {
		// The dictionary's mention of a titled person spans the title:
		// the holder is the government of the country the title names.
		holder = nil
		for k := e.From - 1; k >= 0 && k >= e.From-5 && len(holder) == 0; k-- {
			if c := pr.countryWord(ps, k); c != nil && pr.sectorByCode["GOV"] != nil {
				holder = []ref{{id: pr.sectorActorQuiet(c, pr.sectorByCode["GOV"])}}
			}
		}
	}
	if len(holder) == 0 || holder[0].id == id || holder[0].place {
		return
	}
	pr.structural = append(pr.structural, &proto{rule: "actor.title", typ: kg.HoldsRole, from: ref{id: id}, to: holder[0],
		role: strings.TrimSpace(role), sent: ps.s, evFrom: ps.cs.Tokens[e.From].Start, evTo: ps.cs.Tokens[e.To-1].End, confidence: 0.85})
}

// reportingSelf: "it", "he", "she" or "we" as the subject of what a speaker
// says is the speaker ("The Ukrainian army said it had retaken the
// village"), whatever coreference chained it to; "they" is left to
// coreference (speakers often report what others did).
func (pr *parseRun) reportingSelf(ps *psent, h int) []ref {
	cs := ps.cs
	if !strings.HasPrefix(cs.Tokens[h].POS, "PRP") {
		return nil
	}
	switch strings.ToLower(cs.Tokens[h].Word) {
	case "it", "he", "she", "we":
	default:
		return nil
	}
	c, _ := parentVia(cs, h, "nsubj", "nsubj:pass")
	if c < 0 {
		return nil
	}
	g, _ := parentVia(cs, c, "ccomp")
	if g < 0 || posClass(cs.Tokens[g].POS) != "V" || !pr.isSpeech(cs.Tokens[g].Lemma) {
		return nil
	}
	sp := children(cs, g, "nsubj")
	if len(sp) != 1 || strings.HasPrefix(cs.Tokens[sp[0]].POS, "PRP") {
		return nil
	}
	rs := pr.args(ps, sp)
	if len(rs) != 1 || rs[0].place {
		return nil
	}
	person := pr.actors[rs[0].id] != nil && pr.actors[rs[0].id].Kind == kg.KindPerson
	if w := strings.ToLower(cs.Tokens[h].Word); (w == "he" || w == "she") != person {
		return nil // "it" for a person, "he" for a state: someone else
	}
	return rs
}

// officeWord reports whether token h is a title of office the dictionary
// knows (titles.tsv: "ambassador", "foreign minister"), not just any
// occupation NER calls a title ("journalist").
func (pr *parseRun) officeWord(ps *psent, h int) bool {
	w := strings.ToLower(ps.cs.Tokens[h].Lemma)
	for _, t := range pr.c.dict.Titles {
		for _, p := range t.Phrases {
			if f := strings.Fields(strings.ToLower(p)); len(f) > 0 && f[len(f)-1] == w {
				return true
			}
		}
	}
	return false
}

// countryWord is the country a country name or adjective at token h names.
func (pr *parseRun) countryWord(ps *psent, h int) *Country {
	for k, tk := range ps.s.toks {
		if tk.start != ps.cs.Tokens[h].Start {
			continue
		}
		for _, e := range pr.trie.match(ps.s.toks, k) {
			if (e.kind == kCountryAdj || e.kind == kCountryName) && e.country != nil {
				return e.country
			}
		}
	}
	return nil
}

// nationalityNear is the country of a nationality or country word right
// before the entity ("Syrian opposition leader X").
func (pr *parseRun) nationalityNear(ps *psent, e corenlp.Entity) *Country {
	for k := e.From - 1; k >= 0 && k >= e.From-4; k-- {
		if m := ps.tm[k]; m != nil && m.country != nil {
			return m.country
		}
	}
	return nil
}

// speechLemmas are the communication verbs whose clausal complements the
// speaker claims (with the lexicon's speech verbs).
var speechExtra = map[string]bool{"claim": true, "allege": true, "report": true, "insist": true, "confirm": true,
	"announce": true, "assert": true, "declare": true, "note": true, "write": true, "tell": true, "say": true,
	"add": true, "state": true, "argue": true, "suggest": true, "believe": true, "think": true, "estimate": true,
	"accuse": true, "blame": true, "deny": true, "warn": true, "charge": true}

// claimNouns are nouns whose clausal complement is what someone claims
// ("accusations that X", "reports that X"): never a fact of the article's.
var claimNouns = map[string]bool{"accusation": true, "allegation": true, "claim": true, "charge": true, "report": true,
	"assertion": true, "suggestion": true, "rumor": true, "rumour": true, "contention": true, "insinuation": true, "suspicion": true}

func (pr *parseRun) isSpeech(lemma string) bool {
	l := strings.ToLower(lemma)
	if speechExtra[l] {
		return true
	}
	_, ok := pr.lex.speech[l]
	return ok
}

// speakerOf finds who claims the clause headed by h: the subject of the
// communication verb it is the complement of ("X said Y attacked"), of the
// parenthetical that reports it ("Y attacked, X said"), or "according to X";
// CoreNLP's quote attribution for text in quotation marks otherwise.
func (pr *parseRun) speakerOf(ps *psent, h int) ([]ref, bool) {
	cs := ps.cs
	cur := h
	framed := false
	for depth := 0; depth < 6 && cur >= 0; depth++ {
		if acc := children(cs, cur, "obl:according_to", "nmod:according_to"); len(acc) > 0 {
			framed = true
			if sp := pr.speakerArgs(ps, acc); len(sp) > 0 {
				return sp, true
			}
		}
		for _, k := range children(cs, cur, "parataxis") {
			if pr.isSpeech(cs.Tokens[k].Lemma) {
				framed = true
				if sp := pr.speakerArgs(ps, children(cs, k, "nsubj")); len(sp) > 0 {
					return sp, true
				}
			}
		}
		// Up through any relation: a nominal event is the subject or object
		// of the clause that reports it ("said an attack on X killed ...").
		g, rel := -1, ""
		for _, d := range cs.Parents(cur) {
			if d.Gov >= 0 && d.Rel != "ref" {
				g, rel = d.Gov, d.Rel
				break
			}
		}
		if g < 0 {
			break
		}
		if (rel == "ccomp" || rel == "parataxis" || strings.HasPrefix(rel, "advcl") && pr.isAccuse(cs, g)) && pr.isSpeech(cs.Tokens[g].Lemma) {
			framed = true
			if sp := pr.speakerArgs(ps, children(cs, g, "nsubj", "obl:agent")); len(sp) > 0 {
				return sp, true
			}
		}
		if (rel == "acl" || strings.HasPrefix(rel, "acl:") || rel == "ccomp") && posClass(cs.Tokens[g].POS) == "N" &&
			claimNouns[strings.ToLower(cs.Tokens[g].Lemma)] {
			// "Damascus's accusations that Turkish soldiers entered Syria
			// (to support the rebels)": the content of a claim is the
			// claimant's, whatever the clause around the noun says of it.
			framed = true
			if sp := pr.speakerArgs(ps, children(cs, g, "nmod:poss", "nmod:by", "nmod:from")); len(sp) > 0 {
				return sp, true
			}
		}
		if (rel == "obj" || strings.HasPrefix(rel, "obl") || strings.HasPrefix(rel, "advcl")) && pr.isAccuse(cs, g) {
			framed = true
			if sp := pr.args(ps, children(cs, g, "nsubj")); len(sp) > 0 {
				return sp, true
			}
		}
		cur = g
	}
	if k := trailingSpeech(cs, h, pr.isSpeech); k >= 0 {
		// ", a UN official said.": the parser often hangs the parenthetical
		// on a noun (dep, appos) instead of the clause it reports.
		framed = true
		if sp := pr.speakerArgs(ps, children(cs, k, "nsubj")); len(sp) > 0 {
			return sp, true
		}
	}
	// Quotation marks: CoreNLP's quote attribution (a supplement).
	t := cs.Tokens[h]
	for _, q := range pr.ann.Quotes {
		if t.Start >= q.Start && t.End <= q.End && q.SpeakerFrom >= 0 && q.SpeakerSent < len(pr.sents) {
			other := pr.sents[q.SpeakerSent]
			for k := q.SpeakerFrom; k < q.SpeakerTo && k < len(other.tm); k++ {
				if rs := pr.refsOf(other, k, 0); len(rs) > 0 {
					return rs, true
				}
			}
		}
	}
	return nil, framed
}

// speakerArgs resolves a speaker; an unnamed one ("witnesses", "military
// sources", "residents") becomes an actor of its own named by its words, so
// that what it reports is ALLEGED and claimed by it, never a fact and never
// lost. Pronouns and named entities stay with args.
func (pr *parseRun) speakerArgs(ps *psent, heads []int) []ref {
	if sp := pr.args(ps, heads); len(sp) > 0 || len(heads) != 1 {
		return sp
	}
	cs := ps.cs
	h := heads[0]
	if t := cs.Tokens[h]; t.NER != "O" || (t.POS != "NN" && t.POS != "NNS") {
		return nil
	}
	from := h
	for _, d := range cs.Children(h) {
		if d.Dep < from && (d.Rel == "amod" || d.Rel == "compound") {
			from = d.Dep
		}
	}
	name := strings.Join(strings.Fields(strings.NewReplacer("(", " ", ")", " ", "[", " ", "]", " ").Replace(
		strings.ToLower(string(pr.text[cs.Tokens[from].Start:cs.Tokens[h].End])))), " ")
	id := unnamedSourcePrefix + slug(name)
	if _, ok := pr.actors[id]; !ok {
		pr.newActor(kg.Actor{ID: id, Name: name, Kind: kg.KindOther})
	}
	// Its later mentions ("the party said it will boycott ...") are it too.
	ps.resolved[h] = []ref{{id: id}}
	return ps.resolved[h]
}

// unnamedSourcePrefix starts the id of an unnamed speaker's actor.
const unnamedSourcePrefix = "coder-source-"

// trailingSpeech finds the communication verb of a parenthetical that closes
// the sentence after the clause headed by h ("X did Y, police said on
// Monday."): a speech verb after h whose subject follows a comma after h,
// with no other verb after it. It returns -1 when there is none.
func trailingSpeech(cs *corenlp.Sentence, h int, isSpeech func(string) bool) int {
	for k := len(cs.Tokens) - 1; k > h; k-- {
		if posClass(cs.Tokens[k].POS) != "V" {
			continue
		}
		if !isSpeech(cs.Tokens[k].Lemma) {
			return -1 // another verb closes the sentence
		}
		for _, s := range children(cs, k, "nsubj") {
			for c := h + 1; c < s && s < k; c++ {
				if cs.Tokens[c].Word == "," {
					return k
				}
			}
		}
		return -1
	}
	return -1
}

func (pr *parseRun) isAccuse(cs *corenlp.Sentence, i int) bool {
	w := pr.ev.get(cs.Tokens[i].Lemma, "V")
	return w != nil && w.role == "accuse"
}

// inQuote reports whether token i lies inside quotation marks.
func (pr *parseRun) inQuote(cs *corenlp.Sentence, i int) bool {
	t := cs.Tokens[i]
	for _, q := range pr.ann.Quotes {
		if t.Start >= q.Start && t.End <= q.End {
			return true
		}
	}
	return false
}

var plannedGovernors = map[string]bool{"plan": true, "intend": true, "prepare": true, "aim": true, "expect": true,
	"set": true, "schedule": true, "seek": true, "want": true, "hope": true, "propose": true, "try": true}

// statusAt reads the status of the clause headed by h.
func (pr *parseRun) statusAt(ps *psent, h int) (kg.Status, string) {
	cs := ps.cs
	negated := func(i int) bool {
		for _, d := range cs.Children(i) {
			l := strings.ToLower(cs.Tokens[d.Dep].Lemma)
			if (d.Rel == "advmod" || d.Rel == "neg") && (l == "not" || l == "never" || l == "n't") {
				return true
			}
			if d.Rel == "det" && (l == "no") {
				return true
			}
		}
		return false
	}
	if negated(h) {
		return kg.Negated, ""
	}
	for _, d := range cs.Children(h) {
		if d.Rel != "aux" {
			continue
		}
		switch strings.ToLower(cs.Tokens[d.Dep].Word) {
		case "will", "'ll", "shall", "wo":
			return kg.Planned, ""
		case "would", "could", "might", "may", "must", "should", "ought":
			return kg.Hypothetical, ""
		}
	}
	// A condition: an if/unless clause.
	for _, a := range children(cs, h, "advcl:", "advcl") {
		if mk := markOf(cs, a, "if", "unless"); mk >= 0 {
			return kg.Conditional, pr.subtreeText(cs, a, mk)
		}
	}
	for g, k := h, 0; k < 3; k++ { // "prepared to resume shelling": planned, however deep
		if g = controller(cs, g); g < 0 {
			break
		}
		if negated(g) {
			return kg.Negated, ""
		}
		if plannedGovernors[strings.ToLower(cs.Tokens[g].Lemma)] {
			return kg.Planned, ""
		}
	}
	// "if X attacks": the clause is itself a condition.
	if conditionClause(cs, h) {
		return kg.Hypothetical, ""
	}
	return kg.Actual, ""
}

// subtreeText is the text of the subtree of a, from its marker on.
func (pr *parseRun) subtreeText(cs *corenlp.Sentence, a, from int) string {
	lo, hi := from, a
	var walk func(i, depth int)
	seen := map[int]bool{}
	walk = func(i, depth int) {
		if seen[i] || depth > 30 {
			return
		}
		seen[i] = true
		lo, hi = min(lo, i), max(hi, i)
		for _, d := range cs.Children(i) {
			if d.Dep > a+40 || d.Rel == "punct" {
				continue
			}
			walk(d.Dep, depth+1)
		}
	}
	walk(a, 0)
	lo = max(lo, from)
	return strings.TrimSpace(string(pr.text[cs.Tokens[lo].Start:cs.Tokens[hi].End]))
}

// byToken indexes a sentence's events by the token of their event word.
func byToken(evs []*event) map[int]*event {
	at := make(map[int]*event, len(evs))
	for _, ev := range evs {
		at[ev.tok] = ev
	}
	return at
}

// govern applies the words that govern other events: an intent word's
// complement is planned (and lends it its target), a refusal's is negated,
// an accusation's act is alleged with the accused as its agent.
func (pr *parseRun) govern(ps *psent, evs []*event) {
	cs := ps.cs
	at := byToken(evs)
	for _, ev := range evs {
		switch ev.w.role {
		case "intent", "refuse":
			for _, x := range children(cs, ev.tok, "xcomp", "ccomp") {
				emb := at[x]
				if emb == nil && pr.isLight(cs, x) {
					// "promised to continue aid", "prepared to resume
					// shelling": the light verb's event noun or gerund.
					for _, o := range children(cs, x, "obj", "dep") {
						if at[o] != nil {
							emb = at[o]
						}
					}
				}
				if emb == nil {
					continue
				}
				emb.dependent = true
				if len(ev.to) == 0 {
					ev.to = emb.to
				}
				if len(emb.from) == 0 {
					emb.from = ev.from
				}
				if ev.w.role == "refuse" {
					emb.status = kg.Negated
				} else if emb.status == kg.Actual {
					emb.status = kg.Planned
					if ev.typ == kg.Threatens {
						emb.status = kg.Hypothetical
					}
				}
				// Intent to meet or negotiate is an offer of talks; a vow
				// to use force is a threat of it ("vowed to fight on").
				if ev.typ == kg.ExpressIntentToCoop && strings.HasPrefix(emb.cameo, "04") {
					ev.typ, ev.cameo = kg.OffersTalks, "036"
				}
				if ev.typ == kg.ExpressIntentToCoop && len(emb.cameo) >= 2 && forceRoots[emb.cameo[:2]] && postureWords[strings.ToLower(ev.w.lemma)] {
					// "the army prepared to resume shelling X": readying
					// force is a show of military posture against X.
					ev.typ, ev.cameo = kg.ExhibitForcePosture, "150"
					ev.rule += ".posture"
					emb.status = kg.Planned
				}
				if ev.typ == kg.ExpressIntentToCoop && len(emb.cameo) >= 2 && forceRoots[emb.cameo[:2]] && strings.ToLower(ev.w.lemma) != "agree" {
					ev.typ, ev.cameo = kg.Threatens, "138"
					emb.status = kg.Hypothetical
				}
				emb.conf *= 0.8
			}
		case "-":
			if len(ev.cameo) < 2 || !demandRoots[ev.cameo[:2]] {
				continue
			}
			// "demanded that X ease ...", "urged X to withdraw", "its demand
			// that X ...": what is demanded has not happened; the one it is
			// demanded of is the target.
			for _, x := range children(cs, ev.tok, "ccomp", "xcomp", "acl", "acl:that") {
				emb := at[x]
				if emb == nil || emb == ev {
					continue
				}
				emb.dependent = true
				if emb.status == kg.Actual {
					emb.status = kg.Hypothetical
				}
				emb.conf *= 0.8
				if len(ev.to) == 0 {
					ev.to = emb.from
				}
			}
		case "accuse":
			// The accused: the object ("accused Russia of ..."); the act: of/for/that.
			for _, x := range slices.Concat(children(cs, ev.tok, "advcl:of", "obl:of", "obl:for", "advcl:for", "ccomp"),
				nounActs(cs, ev.tok)) {
				act := at[x]
				if act == nil || act == ev {
					continue
				}
				act.dependent = true
				if len(act.from) == 0 {
					act.from = ev.to
				}
				act.speaker = ev.from
				act.conf *= 0.9
				act.accusedBy = ev
			}
		}
	}
}

// borrowTargets gives a target to the events that have a source and none,
// in order of evidence:
//   - a threat made on a condition is addressed to the condition's subject;
//   - halting a cooperation (16 on an event of 04-07) reduces relations
//     with that cooperation's partner;
//   - a protest, a concession or coercion with no one it addresses addresses the
//     state of its source's own country ("Ugandan rebels surrendered",
//     "students demonstrated"): the state is who it is made to, and an
//     analyst sees the rule id (".home") and a lower confidence.
func (pr *parseRun) borrowTargets(ps *psent, evs []*event) {
	cs := ps.cs
	at := byToken(evs)
	for _, ev := range evs {
		if len(ev.from) > 0 && len(ev.to) == 0 && strings.HasPrefix(ev.cameo, "13") {
			if ev.to = pr.conditionSubjects(ps, ev); len(ev.to) > 0 {
				ev.rule += ".condition"
			}
		}
		if len(ev.from) == 0 || ev.w.role != "-" && ev.w.role != "halt" || len(ev.cameo) < 2 {
			continue
		}
		root := ev.cameo[:2]
		if root == "14" && ev.cameo != "140" {
			pr.peopleProtest(ev)
		}
		if root == "15" && (len(ev.to) == 0 || pr.allSameSide(ev.from, ev.to)) {
			// "mobilized reservists for a war against X": the force is
			// one's own; whom it is for is the target.
			for _, h := range slices.Concat(children(cs, ev.tok, "obl:for"), nmodOfObj(cs, ev.tok, "nmod:for")) {
				if d := at[h]; d != nil && len(d.to) > 0 && !pr.allSameSide(ev.from, d.to) {
					ev.to = d.to
					ev.rule += ".for"
					break
				}
			}
		}
		if root == "16" {
			// "suspended talks with X", "halted aid to X": ending a
			// cooperation is reducing relations with its partner.
			for _, o := range objectsOf(cs, ev.tok) {
				if emb := at[o]; emb != nil && emb != ev && len(emb.cameo) >= 2 && haltCodes[emb.cameo[:2]] != "" {
					ev.cameo = haltCodes[emb.cameo[:2]]
					if strings.HasPrefix(emb.cameo, "045") {
						ev.cameo = "165"
					}
					if len(ev.to) == 0 {
						ev.to = emb.to
					}
					if len(ev.to) == 0 {
						// "suspended aid deliveries in Baghdad": the
						// cooperation was with the country it was in.
						ev.to = pr.countriesAt(ps, slices.Concat(children(cs, o, "nmod:in"), children(cs, ev.tok, "obl:in")))
					}
					emb.suppressed = true
					ev.rule += ".halt"
				}
			}
		}
		if len(ev.to) > 0 && !(refsArePlaces(ev.to) && !placeTarget[ev.typ]) {
			continue // a place is no target of a protest: "blocked a bridge" addresses the state
		}
		if p, _ := parentVia(cs, ev.tok, "acl", "amod", "acl:relcl"); homeRoots[root] && p < 0 && !strings.HasPrefix(ev.cameo, "0841") {
			// Not for modifiers ("property seized by X": an aside) nor
			// for a return or release, which always has an object
			// ("refugees return home" is no concession).
			if home := pr.homeStates(ev.from); len(home) > 0 {
				ev.to = home
				ev.rule += ".home"
				ev.conf *= 0.8
			}
		}
	}
}

// nmodOfObj are the dependents by rel of the objects of i.
func nmodOfObj(cs *corenlp.Sentence, i int, rel string) []int {
	var out []int
	for _, o := range children(cs, i, "obj") {
		out = append(out, children(cs, o, rel)...)
	}
	return out
}

// allSameSide reports whether every target is on a source's side.
func (pr *parseRun) allSameSide(from, to []ref) bool {
	for _, t := range to {
		same := false
		for _, f := range from {
			same = same || pr.sameSide(f.id, t.id)
		}
		if !same {
			return false
		}
	}
	return len(to) > 0
}

// peopleProtest: demonstrations, strikes, riots and blockades are made by
// people, not states: "Algerians blocked roads", "Iraqi Kurds demonstrated"
// name a country's people, its civilians (a state's formal protest, 140,
// is left as it is).
func (pr *parseRun) peopleProtest(ev *event) {
	cvl := pr.sectorByCode["CVL"]
	for k, f := range ev.from {
		a := pr.actors[f.id]
		if f.place || a == nil || a.Kind != kg.KindState || cvl == nil {
			continue
		}
		if c := pr.countryByISO[a.Country]; c != nil {
			ev.from[k] = ref{id: pr.sectorActorQuiet(c, cvl)}
			ev.rule += ".people"
		}
	}
}

// haltsCooperation reports whether the object of verb i is a cooperation
// (an event of a root haltCodes lists): "ended mediation efforts", not
// "ended the war".
func (pr *parseRun) haltsCooperation(cs *corenlp.Sentence, i int) bool {
	for _, o := range objectsOf(cs, i) {
		if w := pr.wordAt(cs, o); w != nil && len(w.cameo) >= 2 && haltCodes[w.cameo[:2]] != "" {
			return true
		}
	}
	return false
}

// haltCodes: what halting a cooperation of each CAMEO root is (164 halt
// negotiations, 162 reduce or stop aid, 160 reduce relations).
var haltCodes = map[string]string{"04": "164", "05": "160", "06": "160", "07": "162"}

// conditionSubjects: a threat made on a condition is addressed to the one
// the condition is about: "threatened to stop talks if the United States
// deploys missiles" threatens the United States.
func (pr *parseRun) conditionSubjects(ps *psent, ev *event) []ref {
	cs := ps.cs
	heads := []int{ev.tok, ev.cl}
	for k := 0; k < len(heads) && len(heads) < 8; k++ { // and what it threatens to do, two levels down
		heads = append(heads, children(cs, heads[k], "xcomp")...)
	}
	for _, h := range heads {
		for _, a := range children(cs, h, "advcl", "advcl:") {
			if !conditionClause(cs, a) {
				continue
			}
			var out []ref
			for _, t := range pr.args(ps, children(cs, a, "nsubj", "nsubj:pass")) {
				if !t.place && !slices.Contains(ev.from, t) {
					out = append(out, t)
				}
			}
			if len(out) > 0 {
				return out
			}
		}
	}
	return nil
}

// postureWords ready force rather than promise it: with an act of force as
// their complement they are a show of force (CAMEO 150), not a threat.
var postureWords = map[string]bool{"prepare": true, "prepared": true, "ready": true}

// forceRoots are the CAMEO roots of the use of force.
var forceRoots = map[string]bool{"18": true, "19": true, "20": true}

// homeRoots are the CAMEO roots whose act, with no one named, is addressed
// to the state of the actor's own country (14 protest, 08 yield, 17 coerce:
// "Turkish authorities imposed a curfew" falls on Turkey).
var homeRoots = map[string]bool{"14": true, "08": true, "17": true}

// homeStates is the state of each source's country, when the source is not
// that state itself (nor an unnamed source of a report).
func (pr *parseRun) homeStates(from []ref) []ref {
	var out []ref
	for _, f := range from {
		a := pr.actors[f.id]
		if f.place || a == nil || a.Kind == kg.KindState || a.Country == "" || strings.HasPrefix(a.ID, unnamedSourcePrefix) {
			continue
		}
		c := pr.countryByISO[a.Country]
		if c == nil {
			continue
		}
		if r := (ref{id: pr.stateActor(c)}); r.id != f.id && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// demandRoots are the CAMEO roots of appeals and demands (02, 10).
var demandRoots = map[string]bool{"02": true, "10": true}

// nounActs are the event nouns an accusation names as its complement.
func nounActs(cs *corenlp.Sentence, i int) []int {
	return children(cs, i, "obl:in", "obl:over")
}

// emitEvent turns an event into relations, one per source-target pair.
func (pr *parseRun) emitEvent(ps *psent, ev *event) {
	if ev.accusedBy != nil && len(ev.accusedBy.from) > 0 && len(ev.accusedBy.to) > 0 {
		return // emitted as the act the accusation alleges
	}
	cs := ps.cs
	if len(ev.from) == 0 || ev.typ == "" {
		return
	}
	speaker := ev.speaker
	if len(speaker) == 0 && (ev.framed || pr.inQuote(cs, ev.tok)) && !speechActs[ev.typ] {
		return // a claim whose speaker is unknown is never a fact
	}
	occurred := pr.dateNear(ps, ev.tok)
	mk := func(from, to ref) *proto {
		p := &proto{rule: ev.rule, typ: ev.typ, cameo: ev.cameo, from: from, to: to, sent: ps.s, confidence: round2(ev.conf),
			attribution: kg.Asserted, status: ev.status, condition: ev.condition, occurred: occurred}
		if p.status == kg.Conditional && p.condition == "" {
			p.status = kg.Actual
		}
		if len(speaker) > 0 && !speaker[0].place {
			sp := speaker[0]
			switch {
			case speechActs[p.typ] && pr.sameSide(from.id, sp.id):
				p.from = sp
			case sp.id == from.id && speechActs[p.typ]:
			default:
				p.attribution, p.claimedBy = kg.Alleged, sp.id
			}
		}
		return p
	}
	if ev.w.role == "deny" {
		for _, f := range ev.from {
			if f.place {
				continue
			}
			p := mk(f, ref{})
			p.deny = true
			pr.emit(p)
		}
		return
	}
	tos := ev.to
	if len(tos) == 0 && len(ev.from) > 1 && (ev.w.role == "mutual" || ev.mutual || len(ev.cameo) >= 2 && jointRoots[ev.cameo[:2]]) {
		tos = ev.from // "A and B agreed / met / signed": each with the other
	}
	for _, f := range ev.from {
		if f.place {
			continue
		}
		for _, t := range tos {
			if t.id == f.id || t.place && !placeTarget[ev.typ] {
				continue
			}
			p := mk(f, t)
			if ev.typ == kg.Accuses {
				if act := pr.actOf(ps, ev, t); act != nil {
					p.act = act
				}
			}
			pr.emit(p)
			if ip := pr.intentProto(ps, ev, p); ip != nil {
				pr.emit(ip)
			}
			if len(ev.to) == 0 {
				continue // both directions come from the pair loop
			}
			pr.reportedBlame(p, ev)
		}
		for _, z := range ev.against {
			if z.id == f.id || slices.Contains(ev.from, z) {
				continue
			}
			p := mk(f, z)
			p.typ, p.cameo, p.rule = kg.Attacks, "190", ParseRulePrefix+"attacks.against"
			pr.emit(p)
		}
	}
}

// intentCodes: what announcing an act of each CAMEO root is. "X will give
// Y aid" is X expressing intent to provide aid (03x), "X would blockade Y"
// a threat (13x); the act itself stays, PLANNED.
var intentCodes = map[string]string{"04": "036", "05": "032", "06": "031", "07": "033", "08": "035",
	"12": "1312", "15": "138", "16": "1313", "17": "137", "18": "138", "19": "138", "20": "138"}

// intentProto is the announcement a clause makes of its own future or
// conditional act (its head has will/would/shall, or an if/unless clause):
// an intent to cooperate or a threat, a little more confident than the act
// (it is what the sentence reports). Acts an intent word governs ("agreed
// to", "threatened to") have the governing word's relation instead.
func (pr *parseRun) intentProto(ps *psent, ev *event, act *proto) *proto {
	if ev.dependent || ev.w.role != "-" && ev.w.role != "mutual" || len(ev.cameo) < 2 {
		return nil
	}
	code, ok := intentCodes[ev.cameo[:2]]
	if !ok || !(ev.status == kg.Conditional || ev.status == kg.Planned || ev.status == kg.Hypothetical) || !futureAux(ps.cs, ev.cl) && ev.status != kg.Conditional {
		return nil
	}
	if unlessClause(ps.cs, ev.cl) && !strings.HasPrefix(code, "13") {
		// "will withdraw its force unless X ...": an act announced to
		// happen unless the target complies is a threat.
		code = "130"
	}
	typ, err := kg.TypeForCAMEO(code)
	if err != nil || act.to.place {
		return nil
	}
	ip := *act
	ip.typ, ip.cameo, ip.rule = typ, code, ParseRulePrefix+"intent."+strings.ToLower(string(typ))
	ip.status, ip.condition = kg.Actual, ""
	ip.confidence = round2(act.confidence + 0.05)
	ip.act = nil
	return &ip
}

// unlessClause reports whether clause head h has an "unless" clause.
func unlessClause(cs *corenlp.Sentence, h int) bool {
	for _, a := range children(cs, h, "advcl", "advcl:") {
		if markOf(cs, a, "unless") >= 0 {
			return true
		}
	}
	return false
}

// futureAux reports whether clause head h has a future or modal auxiliary
// of intent (will, would, shall).
func futureAux(cs *corenlp.Sentence, h int) bool {
	return hasAux(cs, h, "will", "'ll", "shall", "wo", "would", "'d")
}

// locatedRoots are the CAMEO roots (14 protest, 15 force posture, 17 coerce) whose
// target, with no object, is the country they happen in: "demonstrated in
// Serbia" protests to Serbia (places are dropped as targets of these types).
var locatedRoots = map[string]bool{"14": true, "15": true, "17": true}

// countriesAt is the state of each country (or capital) named at the heads
// ("in Turkey", "a curfew in Algiers"): the mention scanner takes a country
// after a locative for the place, not the state.
func (pr *parseRun) countriesAt(ps *psent, heads []int) []ref {
	var out []ref
	for _, h := range heads {
		start := ps.cs.Tokens[h].Start
		for i, tk := range ps.s.toks {
			if tk.start != start {
				continue
			}
			for _, e := range pr.trie.match(ps.s.toks, i) {
				if (e.kind == kCountryName || e.kind == kCapital) && e.country != nil {
					if r := (ref{id: pr.stateActor(e.country)}); !slices.Contains(out, r) {
						out = append(out, r)
					}
					break
				}
			}
		}
	}
	return out
}

// jointRoots are the cooperative CAMEO roots for which "A and B did it"
// without an object means with each other.
var jointRoots = map[string]bool{"03": true, "04": true, "05": true, "06": true}

// placeTarget are the types whose target may be a place.
var placeTarget = map[kg.RelationType]bool{kg.Attacks: true, kg.Besieges: true, kg.Controls: true}

// actOf builds the act an accusation alleges, its agent the accused.
func (pr *parseRun) actOf(ps *psent, acc *event, accused ref) *proto {
	for _, ev := range pr.pendingActs(ps, acc) {
		for _, t := range ev.to {
			if t.id == accused.id || t.place && !placeTarget[ev.typ] {
				continue
			}
			return &proto{rule: ev.rule + ".alleged", typ: ev.typ, cameo: ev.cameo, from: accused, to: t, sent: ps.s,
				confidence: round2(ev.conf), attribution: kg.Alleged, claimedBy: acc.from[0].id, status: kg.Actual,
				occurred: pr.dateNear(ps, ev.tok)}
		}
	}
	return nil
}

// pendingActs are the events whose accusation is acc, in this sentence.
func (pr *parseRun) pendingActs(ps *psent, acc *event) []*event {
	var out []*event
	for _, ev := range ps.acts {
		if ev.accusedBy == acc {
			out = append(out, ev)
		}
	}
	return out
}

// reportedBlame: an attack a speaker reports of the other side is an
// accusation by the speaker (as the dictionary coder's "accuse.reported").
func (pr *parseRun) reportedBlame(p *proto, ev *event) {
	if p.attribution != kg.Alleged || ev.typ != kg.Attacks || p.status == kg.Negated || pr.sameSide(p.from.id, p.claimedBy) {
		return
	}
	if a := pr.actors[p.claimedBy]; a == nil || strings.HasPrefix(a.ID, unnamedSourcePrefix) {
		return // witnesses and sources report; they are no side that blames
	}
	acc := &proto{rule: ParseRulePrefix + "accuses.reported", typ: kg.Accuses, cameo: "112", from: ref{id: p.claimedBy}, to: p.from,
		sent: p.sent, confidence: 0.55, attribution: kg.Asserted, status: kg.Actual, act: p, occurred: unknownDate}
	pr.emit(acc)
}

// dateNear is the date expression of the sentence nearest token i.
func (pr *parseRun) dateNear(ps *psent, i int) kg.Date {
	off := ps.cs.Tokens[i].Start
	best, bestDist := -1, 1<<30
	for k, d := range pr.curDates {
		if d.from >= len(ps.s.toks) {
			continue
		}
		dist := abs(ps.s.toks[d.from].start - off)
		if dist < bestDist {
			best, bestDist = k, dist
		}
	}
	if best < 0 {
		return unknownDate
	}
	return pr.curDates[best].date
}

var (
	eventsOnce sync.Once
	eventsLex  eventLexicon
	eventsErr  error
)

func defaultEvents() (eventLexicon, error) {
	eventsOnce.Do(func() {
		sub, err := fs.Sub(embedded, "data")
		if err != nil {
			eventsErr = err
			return
		}
		eventsLex, eventsErr = loadEvents(sub)
	})
	return eventsLex, eventsErr
}
