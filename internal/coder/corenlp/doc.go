package corenlp

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"unicode/utf8"
)

// Document is CoreNLP's analysis of one text. Token and sentence indices are
// 0-based here (CoreNLP's JSON counts tokens from 1); offsets are code points.
type Document struct {
	Sentences []Sentence
	// Chains are the coreference chains; each mention points into Sentences.
	Chains [][]CorefMention
	Quotes []Quote
}

// Token is one token.
type Token struct {
	Word, Lemma, POS, NER string
	Start, End            int // code points
}

// Dep is one edge of the enhanced++ graph: Gov -> Dep with label Rel
// ("nsubj", "obl:against", "conj:and" ...). Gov is -1 for the root.
type Dep struct {
	Rel      string
	Gov, Dep int
}

// Entity is an NER entity mention, tokens [From, To).
type Entity struct {
	From, To int
	Text     string
	NER      string
}

// Sentence is one sentence.
type Sentence struct {
	Index    int
	Tokens   []Token
	Deps     []Dep
	Entities []Entity

	out, in map[int][]Dep
}

// Children are the edges leaving token i.
func (s *Sentence) Children(i int) []Dep { s.index(); return s.out[i] }

// Parents are the edges entering token i.
func (s *Sentence) Parents(i int) []Dep { s.index(); return s.in[i] }

func (s *Sentence) index() {
	if s.out != nil {
		return
	}
	s.out, s.in = map[int][]Dep{}, map[int][]Dep{}
	for _, d := range s.Deps {
		s.out[d.Gov] = append(s.out[d.Gov], d)
		s.in[d.Dep] = append(s.in[d.Dep], d)
	}
}

// Start and End are the sentence's code-point span.
func (s *Sentence) Start() int { return s.Tokens[0].Start }
func (s *Sentence) End() int   { return s.Tokens[len(s.Tokens)-1].End }

// CorefMention is one mention of a chain: tokens [From, To) of sentence
// Sent, with head token Head.
type CorefMention struct {
	Sent, From, To, Head int
	Text                 string
	Type                 string // PRONOMINAL, NOMINAL, PROPER, LIST
	Representative       bool
}

// Quote is a quotation; Speaker is CoreNLP's attribution (trained on fiction:
// a supplement only), with the speaker's token span when it found one.
type Quote struct {
	Start, End             int // code points
	FirstSent, LastSent    int
	Speaker, Canonical     string
	SpeakerSent, SpeakerTo int
	SpeakerFrom            int // -1 when unknown
}

type rawDoc struct {
	Sentences []struct {
		Index  int `json:"index"`
		Tokens []struct {
			Word   string `json:"word"`
			Lemma  string `json:"lemma"`
			POS    string `json:"pos"`
			NER    string `json:"ner"`
			Begin  int    `json:"characterOffsetBegin"`
			EndOff int    `json:"characterOffsetEnd"`
		} `json:"tokens"`
		Deps []struct {
			Dep       string `json:"dep"`
			Governor  int    `json:"governor"`
			Dependent int    `json:"dependent"`
		} `json:"enhancedPlusPlusDependencies"`
		Entities []struct {
			Begin int    `json:"tokenBegin"`
			End   int    `json:"tokenEnd"`
			Text  string `json:"text"`
			NER   string `json:"ner"`
		} `json:"entitymentions"`
	} `json:"sentences"`
	Corefs map[string][]struct {
		Text    string `json:"text"`
		Type    string `json:"type"`
		Start   int    `json:"startIndex"`
		End     int    `json:"endIndex"`
		Head    int    `json:"headIndex"`
		SentNum int    `json:"sentNum"`
		Rep     bool   `json:"isRepresentativeMention"`
	} `json:"corefs"`
	Quotes []struct {
		Begin      int    `json:"beginIndex"`
		End        int    `json:"endIndex"`
		BeginSent  int    `json:"beginSentence"`
		EndSent    int    `json:"endSentence"`
		Speaker    string `json:"speaker"`
		Canonical  string `json:"canonicalSpeaker"`
		MentionTok *struct {
			Sent  int `json:"sentenceIndex"`
			Begin int `json:"tokenBegin"`
			End   int `json:"tokenEnd"`
		} `json:"mentionTokenSpan,omitempty"`
	} `json:"quotes"`
}

// Parse reads CoreNLP's JSON output for text. CoreNLP counts offsets in
// UTF-16 code units; they are turned into code points of text.
func Parse(body []byte, text string) (*Document, error) {
	var raw rawDoc
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, fmt.Errorf("corenlp: bad JSON answer: %w", err)
	}
	cp := utf16ToRune(text)
	conv := func(o int) (int, error) {
		if o < 0 || o >= len(cp) {
			return 0, fmt.Errorf("corenlp: offset %d outside the text", o)
		}
		return cp[o], nil
	}
	d := &Document{}
	for si, rs := range raw.Sentences {
		s := Sentence{Index: si}
		for _, t := range rs.Tokens {
			a, err := conv(t.Begin)
			if err != nil {
				return nil, err
			}
			b, err := conv(t.EndOff)
			if err != nil {
				return nil, err
			}
			s.Tokens = append(s.Tokens, Token{Word: t.Word, Lemma: t.Lemma, POS: t.POS, NER: t.NER, Start: a, End: b})
		}
		if len(s.Tokens) == 0 {
			continue
		}
		n := len(s.Tokens)
		for _, e := range rs.Deps {
			g, dd := e.Governor-1, e.Dependent-1
			if g < -1 || g >= n || dd < 0 || dd >= n {
				return nil, fmt.Errorf("corenlp: dependency %s %d->%d outside sentence %d", e.Dep, e.Governor, e.Dependent, si)
			}
			s.Deps = append(s.Deps, Dep{Rel: e.Dep, Gov: g, Dep: dd})
		}
		for _, e := range rs.Entities {
			if e.Begin < 0 || e.End > n || e.Begin >= e.End {
				continue
			}
			s.Entities = append(s.Entities, Entity{From: e.Begin, To: e.End, Text: e.Text, NER: e.NER})
		}
		d.Sentences = append(d.Sentences, s)
	}
	// Chains in a fixed order (the JSON object's key order is not).
	keys := make([]int, 0, len(raw.Corefs))
	for k := range raw.Corefs {
		n, err := strconv.Atoi(k)
		if err != nil {
			return nil, fmt.Errorf("corenlp: coref chain id %q", k)
		}
		keys = append(keys, n)
	}
	sort.Ints(keys)
	for _, k := range keys {
		var chain []CorefMention
		for _, m := range raw.Corefs[strconv.Itoa(k)] {
			si := m.SentNum - 1
			if si < 0 || si >= len(d.Sentences) || m.Start < 1 || m.End-1 > len(d.Sentences[si].Tokens) || m.Start >= m.End {
				continue
			}
			chain = append(chain, CorefMention{Sent: si, From: m.Start - 1, To: m.End - 1, Head: m.Head - 1, Text: m.Text, Type: m.Type, Representative: m.Rep})
		}
		if len(chain) > 1 {
			d.Chains = append(d.Chains, chain)
		}
	}
	for _, q := range raw.Quotes {
		a, err := conv(q.Begin)
		if err != nil {
			return nil, err
		}
		b, err := conv(q.End)
		if err != nil {
			return nil, err
		}
		qq := Quote{Start: a, End: b, FirstSent: q.BeginSent, LastSent: q.EndSent, Speaker: q.Speaker, Canonical: q.Canonical, SpeakerFrom: -1}
		if m := q.MentionTok; m != nil {
			qq.SpeakerSent, qq.SpeakerFrom, qq.SpeakerTo = m.Sent, m.Begin, m.End
		}
		d.Quotes = append(d.Quotes, qq)
	}
	slices.SortFunc(d.Quotes, func(a, b Quote) int { return a.Start - b.Start })
	return d, nil
}

// utf16ToRune maps every UTF-16 offset of text (and the end) to a code-point offset.
func utf16ToRune(text string) []int {
	out := make([]int, 0, len(text)+1)
	n := 0
	for _, r := range text {
		out = append(out, n)
		if utf8.RuneLen(r) == 4 { // outside the BMP: a surrogate pair, two units
			out = append(out, n)
		}
		n++
	}
	return append(out, n)
}
