package coder

import (
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/actorgraph/actorgraph/internal/kg"
)

// FuzzCode checks that any text codes without panicking and that every
// proposal validates.
func FuzzCode(f *testing.F) {
	for _, s := range []string{
		"", "MOSCOW – ", "“", "Lt. Gen.", "U.S.-", "-Russian", "Russia accused", "accused of", "Kerry said, “",
		"The U.S. blamed Russia for an attack on a convoy, accusations Moscow has denied.",
		"He said he would. It is. They did not, unless if, but while\n\nKYIV (AP) — x",
		"the two militaries between and against ,,, ’s 's '", "Sept. 31, 2016 Feb. 30 in 1899 Monday",
	} {
		f.Add(s)
	}
	c, err := Default()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if kg.CheckText("text", text, kg.MaxText, true) != nil {
			return // an article the source rules refuse is never coded (ingest validates its source)
		}
		res, err := c.Code(Document{Text: text, SourceID: "fuzz", Published: testDate}, nil)
		if err != nil {
			return // invalid UTF-8
		}
		g := &kg.Graph{
			Sources:   []kg.Source{{ID: "fuzz", Title: "t", Publisher: "p", Published: "2016-09-28", Text: text}},
			Actors:    res.Actors,
			Relations: res.Relations,
		}
		if err := g.Validate(); err != nil {
			t.Fatalf("%q: proposals do not validate: %v", text, err)
		}
	})
}

// FuzzDictionary: the dictionary path with a line of any text added to one
// of its files (orgs, countries, titles or sectors, by which): the
// dictionary loads or is refused with an error, never a panic; a dictionary
// that loads codes an article into proposals that validate.
func FuzzDictionary(f *testing.F) {
	for _, c := range []struct {
		which uint8
		line  string
	}{
		{0, "fzorg\tFuzz Front\tFF|the Front\tARMED_GROUP\tSYRREB\tSYR\t"},
		{0, "fzsub\tFuzz Council\tCouncil\tINTERNATIONAL_ORGANIZATION\tIGOUNO\t\tun"},
		{0, "fzbad\tBad\t\tNOT_A_KIND\t\t\t"},
		{0, "fzloop\tLoop\t\tARMED_GROUP\t\t\tfzloop"},
		{1, "FZL\tFZL\tFuzzland\tRepublic of Fuzz\tFuzzish\tFuzz City|!Quiet\tUN"},
		{1, "XX\t\t\t\t\t\tOBS"},
		{2, "GOV\tHigh Fuzz|Lt. Fuzz"},
		{3, "MIL\tfuzz brigade"},
		{0, "\t\t\t\t\t\t"},
	} {
		f.Add(c.which, c.line)
	}
	base, err := fs.Sub(embedded, "data")
	if err != nil {
		f.Fatal(err)
	}
	files := []string{"orgs.tsv", "countries.tsv", "titles.tsv", "sectors.tsv"}
	orig := map[string][]byte{}
	for _, name := range append(files, "events.tsv", "patterns.json", "lexicon.json") {
		if orig[name], err = fs.ReadFile(base, name); err != nil {
			f.Fatal(err)
		}
	}
	patterns, err := DefaultPatterns()
	if err != nil {
		f.Fatal(err)
	}
	const text = "The Fuzz Front accused Russia and the United Nations of an attack on Fuzz City on Monday, High Fuzz John Smith said."
	f.Fuzz(func(t *testing.T, which uint8, line string) {
		fsys := fstest.MapFS{}
		for name, b := range orig {
			fsys[name] = &fstest.MapFile{Data: b}
		}
		name := files[int(which)%len(files)]
		fsys[name] = &fstest.MapFile{Data: append(append(append([]byte{}, orig[name]...), line...), '\n')}
		d, err := LoadDictionary(fsys)
		if err != nil {
			return // refused: fine, as long as it did not panic
		}
		res, err := New(d, patterns).Code(Document{Text: text, SourceID: "fuzz", Published: testDate}, nil)
		if err != nil {
			t.Fatalf("coding with a loaded dictionary: %v", err)
		}
		g := &kg.Graph{
			Sources:   []kg.Source{{ID: "fuzz", Title: "t", Publisher: "p", Published: "2016-09-28", Text: text}},
			Actors:    res.Actors,
			Relations: res.Relations,
		}
		if err := g.Validate(); err != nil {
			t.Fatalf("dictionary line %q in %s: proposals do not validate: %v", line, name, err)
		}
	})
}
