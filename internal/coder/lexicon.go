package coder

import (
	"strings"

	"github.com/actorgraph/actorgraph/internal/kg"
)

// lexicon is the compiled form of Lexicon and of the rules' trigger words.
type lexicon struct {
	ab abbreviations

	determiner, preposition, locative, quantifier, targetNoun, nounModifier map[string]bool
	function, personPronoun, speakerPronoun, nameParticle, affiliateHead    map[string]bool
	anaphoricHead, placeAnaphor, eventNoun, speechSkip                      map[string]bool
	speech                                                                  map[string]*SpeechVerb
	cues                                                                    []cue
	purpose                                                                 [][]string
	afterComma, subordinate, relative, anywhere, conditional, initialSub    map[string]bool
	participleExclusions                                                    map[string]bool
	verbForms                                                               map[string]bool
	// triggers maps the first word of each trigger form to the rules and
	// the whole form.
	triggers map[string][]trigger
}

type cue struct {
	words  []string
	status kg.Status
}

type trigger struct {
	rule   *Rule
	words  []string
	verbal bool // an inflected verb (not a noun or adjective)
}

func set(lists ...[]string) map[string]bool {
	m := map[string]bool{}
	for _, l := range lists {
		for _, w := range l {
			m[normalize(w)] = true
		}
	}
	return m
}

var auxiliaries = []string{"is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "will", "would",
	"did", "does", "do", "could", "can", "may", "might", "must", "should", "shall", "'s", "'re", "'ve", "'ll", "'d"}

func compileLexicon(p *Patterns) *lexicon {
	L := p.Lexicon
	l := &lexicon{
		ab: abbreviations{
			title:  set(L.TitleAbbreviations),
			month:  set(L.MonthAbbreviations),
			final:  set(L.FinalAbbreviations),
			starts: set(L.SentenceStarters),
		},
		determiner:           set(L.Determiners),
		preposition:          set(L.Prepositions),
		locative:             set(L.LocativePrepositions),
		quantifier:           set(L.Quantifiers),
		targetNoun:           set(L.TargetNouns),
		nounModifier:         set(L.NounModifiers),
		personPronoun:        set(L.Pronouns["person"]),
		speakerPronoun:       set(L.Pronouns["speaker"]),
		nameParticle:         set(L.NameParticles),
		affiliateHead:        set(L.AffiliateHeads),
		anaphoricHead:        set(L.AnaphoricHeads),
		placeAnaphor:         set(L.PlaceAnaphors),
		eventNoun:            set(L.EventNouns),
		speechSkip:           set(L.SpeechSkip),
		speech:               map[string]*SpeechVerb{},
		afterComma:           set(L.SegmentBreaks.AfterComma),
		subordinate:          set(L.SegmentBreaks.SubordinateAfterComma),
		relative:             set(L.SegmentBreaks.Relative),
		anywhere:             set(L.SegmentBreaks.Anywhere),
		conditional:          set(L.SegmentBreaks.Conditional),
		initialSub:           set(L.SegmentBreaks.SentenceInitialSubordinate),
		participleExclusions: set(L.SegmentBreaks.ParticipleExclusions),
		verbForms:            set(auxiliaries),
		triggers:             map[string][]trigger{},
	}
	l.function = set(L.Determiners, L.Prepositions, auxiliaries,
		[]string{"and", "or", "but", "that", "which", "who", "whom", "whose", "where", "when", "while", "if", "unless", "as", "than", "not", "n't", "'s", "no", "so", "because", "said", "says"})
	for i := range L.SpeechVerbs {
		sv := &L.SpeechVerbs[i]
		for _, f := range sv.Forms {
			l.speech[normalize(f)] = sv
			l.verbForms[normalize(f)] = true
		}
	}
	for _, sc := range L.StatusCues {
		for _, c := range sc.Cues {
			l.cues = append(l.cues, cue{words: strings.Fields(normalize(c)), status: sc.Status})
		}
	}
	for _, c := range L.PurposeCues {
		l.purpose = append(l.purpose, strings.Fields(normalize(c)))
	}
	for i := range p.Rules {
		r := &p.Rules[i]
		for _, v := range r.Verbs {
			for _, form := range inflect(v, L.IrregularVerbs) {
				w := words(form, &l.ab)
				l.triggers[w[0]] = append(l.triggers[w[0]], trigger{rule: r, words: w, verbal: true})
				l.verbForms[w[0]] = true
			}
		}
		for _, v := range r.Words {
			w := words(v, &l.ab)
			l.triggers[w[0]] = append(l.triggers[w[0]], trigger{rule: r, words: w})
		}
	}
	return l
}

// verbLike reports whether a word is (probably) a verb: an auxiliary, a
// speech verb, an inflected trigger verb, or a word ending in -ed.
func (l *lexicon) verbLike(w string) bool {
	return l.verbForms[w] || (len(w) > 4 && strings.HasSuffix(w, "ed"))
}

// inflect returns the forms of a verb phrase: its first word inflected
// (attack: attack, attacks, attacked, attacking; "call on": "calls on" ...),
// with irregular forms from the lexicon.
func inflect(phrase string, irregular map[string][]string) []string {
	f := strings.Fields(phrase)
	v, rest := f[0], ""
	if len(f) > 1 {
		rest = " " + strings.Join(f[1:], " ")
	}
	forms := []string{v}
	if irr, ok := irregular[v]; ok {
		forms = append(forms, irr...)
	} else {
		forms = append(forms, regularForms(v)...)
	}
	out := make([]string, len(forms))
	for i, x := range forms {
		out[i] = x + rest
	}
	return out
}

func regularForms(v string) []string {
	vowel := func(c byte) bool { return strings.IndexByte("aeiou", c) >= 0 }
	n := len(v)
	var s, ed, ing string
	switch {
	case strings.HasSuffix(v, "s") || strings.HasSuffix(v, "sh") || strings.HasSuffix(v, "ch") || strings.HasSuffix(v, "x") || strings.HasSuffix(v, "z"):
		s = v + "es"
	case n > 1 && v[n-1] == 'y' && !vowel(v[n-2]):
		s = v[:n-1] + "ies"
	default:
		s = v + "s"
	}
	switch {
	case strings.HasSuffix(v, "e"):
		ed, ing = v+"d", v[:n-1]+"ing"
	case n > 1 && v[n-1] == 'y' && !vowel(v[n-2]):
		ed, ing = v[:n-1]+"ied", v+"ing"
	default:
		ed, ing = v+"ed", v+"ing"
	}
	return []string{s, ed, ing}
}
