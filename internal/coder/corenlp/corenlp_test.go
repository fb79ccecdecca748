package corenlp

import (
	"context"
	"os"
	"testing"
)

// Parse turns CoreNLP's UTF-16 offsets into code points: "𝔸" (outside the
// BMP) is two UTF-16 units but one code point.
func TestParseOffsets(t *testing.T) {
	text := "𝔸 Russia attacked é."
	body := `{"sentences":[{"index":0,"tokens":[
	 {"word":"𝔸","lemma":"𝔸","pos":"NN","ner":"O","characterOffsetBegin":0,"characterOffsetEnd":2},
	 {"word":"Russia","lemma":"Russia","pos":"NNP","ner":"COUNTRY","characterOffsetBegin":3,"characterOffsetEnd":9},
	 {"word":"attacked","lemma":"attack","pos":"VBD","ner":"O","characterOffsetBegin":10,"characterOffsetEnd":18},
	 {"word":"é","lemma":"é","pos":"NN","ner":"O","characterOffsetBegin":19,"characterOffsetEnd":20}],
	 "enhancedPlusPlusDependencies":[{"dep":"ROOT","governor":0,"dependent":3},{"dep":"nsubj","governor":3,"dependent":2}]}]}`
	d, err := Parse([]byte(body), text)
	if err != nil {
		t.Fatal(err)
	}
	toks := d.Sentences[0].Tokens
	r := []rune(text)
	for _, tk := range toks {
		if got := string(r[tk.Start:tk.End]); got != tk.Word {
			t.Errorf("token %q at [%d,%d) reads %q", tk.Word, tk.Start, tk.End, got)
		}
	}
	s := &d.Sentences[0]
	if ch := s.Children(2); len(ch) != 1 || ch[0].Rel != "nsubj" || ch[0].Dep != 1 {
		t.Errorf("children of 'attacked' = %+v, want nsubj Russia (0-based)", ch)
	}
	if _, err := Parse([]byte(`{"sentences":[{"tokens":[{"word":"x","characterOffsetBegin":0,"characterOffsetEnd":99}]}]}`), "x"); err == nil {
		t.Error("an offset outside the text was accepted")
	}
}

// Annotate against the real server (CORENLP_URL).
func TestAnnotate(t *testing.T) {
	u := os.Getenv("CORENLP_URL")
	if u == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but CORENLP_URL is not set")
		}
		t.Skip("CORENLP_URL not set")
	}
	c, err := New(u)
	if err != nil {
		t.Fatal(err)
	}
	d, err := c.Annotate(context.Background(), "Foreign Minister Sergei Lavrov said Russia would respond. He blamed Kyiv.")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Sentences) != 2 || len(d.Sentences[0].Deps) == 0 || len(d.Chains) == 0 {
		t.Fatalf("%d sentences, %d deps, %d chains", len(d.Sentences), len(d.Sentences[0].Deps), len(d.Chains))
	}
	found := false
	for _, e := range d.Sentences[0].Entities {
		found = found || e.NER == "PERSON" && e.Text == "Sergei Lavrov"
	}
	if !found {
		t.Errorf("no PERSON entity Sergei Lavrov: %+v", d.Sentences[0].Entities)
	}
	if _, err := New("ftp://x"); err == nil {
		t.Error("a non-http URL was accepted")
	}
}
