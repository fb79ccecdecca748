package importer_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/actorgraph/actorgraph/internal/importer"
	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/seed"
	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/boltstore"
	"github.com/actorgraph/actorgraph/internal/testenv"
)

// eachStore runs f against a fresh embedded store and against Neo4j (which
// skips without NEO4J_URI, and fails without it under CI=true).
func eachStore(t *testing.T, f func(t *testing.T, st store.Store)) {
	t.Run("bolt", func(t *testing.T) { f(t, testenv.Bolt(t, boltstore.Options{})) })
	t.Run("neo4j", func(t *testing.T) { f(t, testenv.Neo4j(t, nil)) })
}

// eventDir is the shared directory of real event data samples. CI must
// have it; elsewhere the tests that need it skip.
func eventDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "data", "eventdata")
	if _, err := os.Stat(filepath.Join(dir, "README.txt")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the event data samples are missing (CI=true): %v", err)
		}
		t.Skipf("the event data samples are missing: %v", err)
	}
	return dir
}

func loadSeed(t testing.TB, st store.Store) {
	t.Helper()
	g, err := seed.Graph()
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Load(context.Background(), g); err != nil {
		t.Fatal(err)
	}
}

func stats(t testing.TB, st store.Store) store.Stats {
	t.Helper()
	s, err := st.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func importFile(t testing.TB, st store.Store, opts importer.Options, path string) *importer.Summary {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sum, err := importer.Import(context.Background(), st, opts, importer.Input{Name: filepath.Base(path), R: f})
	if err != nil {
		t.Fatalf("import %s: %v", path, err)
	}
	return sum
}

func importBytes(t testing.TB, st store.Store, opts importer.Options, name string, data []byte) (*importer.Summary, error) {
	t.Helper()
	return importer.Import(context.Background(), st, opts, importer.Input{Name: name, R: bytes.NewReader(data)})
}

func rawLines(t testing.TB, path string) [][]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for _, l := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		out = append(out, strings.Split(l, "\t"))
	}
	return out
}

func relation(t testing.TB, st store.Store, id string) kg.Relation {
	t.Helper()
	m, err := st.Relations(context.Background(), []string{id})
	if err != nil {
		t.Fatal(err)
	}
	r, ok := m[id]
	if !ok {
		t.Fatalf("relation %s is not in the store", id)
	}
	return r
}

func actor(t testing.TB, st store.Store, id string) kg.Actor {
	t.Helper()
	m, err := st.Actors(context.Background(), []string{id})
	if err != nil {
		t.Fatal(err)
	}
	a, ok := m[id]
	if !ok {
		t.Fatalf("actor %s is not in the store", id)
	}
	return a
}

// relations fetches the relations of the rows' ids, a thousand per call.
func relations(t testing.TB, st store.Store, rows [][]string, id func([]string) string) map[string]kg.Relation {
	t.Helper()
	out := map[string]kg.Relation{}
	for chunk := range slices.Chunk(rows, store.MaxLimit) {
		var ids []string
		for _, f := range chunk {
			ids = append(ids, id(f))
		}
		m, err := st.Relations(context.Background(), ids)
		if err != nil {
			t.Fatal(err)
		}
		maps.Copy(out, m)
	}
	return out
}

func allRelations(t testing.TB, st store.Store) []kg.Relation {
	t.Helper()
	var out []kg.Relation
	o := store.Order{Field: store.SortID}
	p := store.Page{First: store.MaxLimit}
	for {
		page, err := st.ListRelations(context.Background(), store.RelationFilter{}, o, p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page.Items...)
		if !page.HasNext {
			return out
		}
		c := store.CursorOf(page.Items[len(page.Items)-1], o)
		p.After = &c
	}
}

func ptr[T any](v T) *T { return &v }

// gs is a relation's Goldstein score, NaN when it has none.
func gs(r kg.Relation) float64 {
	if r.Goldstein == nil {
		return math.NaN()
	}
	return *r.Goldstein
}

// row is an imported relation's row; the test stops when the store lost it.
func row(t testing.TB, r kg.Relation) kg.ImportRow {
	t.Helper()
	if r.Row == nil {
		t.Fatalf("relation %s came back without its import row", r.ID)
	}
	return *r.Row
}

func num(t testing.TB, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func atoi(t testing.TB, s string) int {
	t.Helper()
	v, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func isoDate(s string) string { return s[0:4] + "-" + s[4:6] + "-" + s[6:8] }

func urlSource(u string) string {
	sum := sha256.Sum256([]byte(u))
	return "url-" + hex.EncodeToString(sum[:8])
}

// seedByCode is what the importer must map the seed's CAMEO codes onto:
// RUSMIL is shared by the military, its General Staff, its air force and a
// general, and means the military; USAGOV (Kerry, the State Department)
// means the department.
var seedByCode = map[string]string{
	"USA": "usa", "RUS": "russia", "SYR": "syria", "SYRGOV": "syrian-government",
	"SYRMIL": "syrian-government-forces", "RUSGOV": "russian-government", "RUSMIL": "russian-military",
	"USAGOV": "us-state-department", "USAMIL": "us-military", "SYRREB": "syrian-rebels",
}

func codeActor(code string) string {
	if id, ok := seedByCode[code]; ok {
		return id
	}
	return "cameo-" + strings.ToLower(code)
}

// expectEventRows checks a summary against the raw rows: every row read,
// the skipped ones only for the reasons these clean files can have, and the
// imported count exactly the two-sided rows — CAMEO 016 rows included:
// an imported DENIES need not name the accusation it denies.
func expectEventRows(t *testing.T, sum *importer.Summary, rows [][]string, actors func([]string) (string, string)) {
	t.Helper()
	if sum.Read != len(rows) {
		t.Errorf("read %d rows, the file has %d", sum.Read, len(rows))
	}
	if sum.Imported+sum.Skipped != sum.Read {
		t.Errorf("imported %d + skipped %d != read %d", sum.Imported, sum.Skipped, sum.Read)
	}
	twoSided, self := 0, 0
	for _, f := range rows {
		a1, a2 := actors(f)
		switch {
		case a1 == "" || a2 == "":
		case kg.Fold(a1) == kg.Fold(a2):
			self++
		default:
			twoSided++
		}
	}
	if got := sum.Reasons[importer.ReasonInvalid]; got != 0 {
		t.Errorf("%d rows invalid in a clean file: %v", got, sum.Problems)
	}
	if sum.Bad != 0 {
		t.Errorf("%d malformed rows in a clean file: %v", sum.Bad, sum.Problems)
	}
	// Distinct names or codes can still meet in one actor ("Russia" and
	// "Russian Federation"): those are the extra self-relations.
	extraSelf := sum.Reasons[importer.ReasonSelf] - self
	if extraSelf < 0 || sum.Imported != twoSided-extraSelf {
		t.Errorf("imported %d, skipped %d as self-relations; the file has %d two-sided rows (%d self)",
			sum.Imported, sum.Reasons[importer.ReasonSelf], twoSided, self)
	}
	for r := range sum.Reasons {
		switch r {
		case importer.ReasonOneSided, importer.ReasonSelf, importer.ReasonInvalid:
		default:
			t.Errorf("unexpected skip reason %q: %v", r, sum.Problems)
		}
	}
	for _, p := range sum.Problems {
		if p.Line < 1 || p.File == "" {
			t.Errorf("problem without a place: %+v", p)
		}
	}
}

func gdeltActors(f []string) (string, string) { return f[5], f[15] }

// reimport imports the same file again and checks nothing changed.
func reimport(t *testing.T, st store.Store, opts importer.Options, path string, first *importer.Summary) {
	t.Helper()
	before := stats(t, st)
	again := importFile(t, st, opts, path)
	if after := stats(t, st); after != before {
		t.Errorf("re-import changed the store: %+v -> %+v", before, after)
	}
	if again.Imported != first.Imported || again.Skipped != first.Skipped || again.Created != (importer.Created{}) {
		t.Errorf("re-import: imported %d skipped %d created %+v; first time imported %d skipped %d",
			again.Imported, again.Skipped, again.Created, first.Imported, first.Skipped)
	}
}

func TestGDELT2Sample(t *testing.T) {
	path := filepath.Join(eventDir(t), "gdelt2_20191024143000.export.first2000.CSV")
	rows := rawLines(t, path)
	eachStore(t, func(t *testing.T, st store.Store) {
		loadSeed(t, st)
		before := stats(t, st)
		sum := importFile(t, st, importer.Options{Format: importer.GDELT, Batch: 500}, path)
		var out strings.Builder
		sum.WriteText(&out)
		t.Logf("\n%s", out.String())
		expectEventRows(t, sum, rows, gdeltActors)
		if sum.Batches != (sum.Imported+499)/500 {
			t.Errorf("%d batches for %d relations in batches of 500", sum.Batches, sum.Imported)
		}
		after := stats(t, st)
		if after.Relations != before.Relations+sum.Imported {
			t.Errorf("store has %d relations, want %d + %d", after.Relations, before.Relations, sum.Imported)
		}
		if after.Actors != before.Actors+sum.Created.Actors || after.Sources != before.Sources+sum.Created.Sources ||
			after.Places != before.Places+sum.Created.Places {
			t.Errorf("created %+v, but the store went %+v -> %+v", sum.Created, before, after)
		}

		// Line 57, RUSGOV -> SYR, 040 "Consult": onto the seed's actors, in full.
		f := rows[56]
		want := kg.Relation{
			ID: "gdelt-" + f[0], Type: kg.Consults, From: "russian-government", To: "syria",
			Attribution: kg.Asserted, Status: kg.Actual,
			Occurred: kg.Date{Date: isoDate(f[1]), Precision: kg.PrecisionDay},
			Reported: kg.Date{Date: isoDate(f[59]), Precision: kg.PrecisionDay},
			SourceID: urlSource(f[60]), PlaceID: "geo-" + strings.ToLower(f[58]),
			CAMEO: "040", Goldstein: ptr(num(t, f[30])),
			Provenance: kg.Provenance{Confidence: 0.5, Method: kg.MethodImport, Detail: "gdelt2", Review: kg.ReviewProposed},
			Row: &kg.ImportRow{Format: "gdelt2", RowID: f[0], Actor1: "RUSGOV", Actor2: "SYR", QuadClass: atoi(t, f[29]),
				NumMentions: atoi(t, f[31]), NumSources: atoi(t, f[32]), NumArticles: atoi(t, f[33]),
				AvgTone: ptr(num(t, f[34])), URL: f[60]},
		}
		if f[5] != "RUSGOV" || f[15] != "SYR" || f[26] != "040" || f[51] != "2" || f[58] != "UT" {
			t.Fatalf("line 57 is not the row this test expects: %q", f[:27])
		}
		if got := relation(t, st, want.ID); !reflect.DeepEqual(got, want) {
			t.Errorf("line 57:\n got %s\nwant %s", jsonOf(got), jsonOf(want))
		}
		src, _ := st.Sources(context.Background(), []string{want.SourceID})
		if s := src[want.SourceID]; s.URL != f[60] || s.Publisher != "www.theguardian.com" || s.Published != "2019-10-24" {
			t.Errorf("source of line 57: %+v", s)
		}
		places, _ := st.Places(context.Background(), []string{"geo-ut"})
		if p := places["geo-ut"]; p.Name != "Utah, United States" || p.Kind != kg.PlaceDistrict || p.Country != "USA" {
			t.Errorf("place of line 57: %+v", p)
		}

		// Every row: the code as written (leading zeros kept), the row's own
		// Goldstein score, QuadClass, and the actor codes mapped onto the seed.
		checked := map[string]int{}
		imported := relations(t, st, rows, func(f []string) string { return "gdelt-" + f[0] })
		for i, f := range rows {
			r, ok := imported["gdelt-"+f[0]]
			if !ok {
				continue
			}
			checked["imported"]++
			if r.CAMEO != f[26] || gs(r) != num(t, f[30]) || row(t, r).QuadClass != atoi(t, f[29]) {
				t.Errorf("line %d: cameo %q goldstein %v quad %d, raw %q %q %q", i+1, r.CAMEO, gs(r), row(t, r).QuadClass, f[26], f[30], f[29])
			}
			if strings.HasPrefix(f[26], "0") {
				checked["leading zero"]++
			}
			if r.From != codeActor(f[5]) || r.To != codeActor(f[15]) {
				t.Errorf("line %d: %s -> %s for %s -> %s", i+1, r.From, r.To, f[5], f[15])
			}
			for _, c := range []string{f[5], f[15]} {
				if _, ok := seedByCode[c]; ok {
					checked["onto the seed: "+c]++
				}
			}
		}
		t.Logf("checked: %v", checked)
		for _, k := range []string{"leading zero", "onto the seed: USA", "onto the seed: RUS", "onto the seed: SYR", "onto the seed: USAGOV"} {
			if checked[k] == 0 {
				t.Errorf("no imported row checks %q", k)
			}
		}

		// A code no seed actor has: created from the code alone.
		if a := actor(t, st, "cameo-chn"); a.Name != "China" || a.Kind != kg.KindState || a.Country != "CHN" || a.CAMEOCode != "CHN" {
			t.Errorf("cameo-chn: %+v", a)
		}
		if a := actor(t, st, "cameo-igoeureec"); a.Name != "European Union" || a.Kind != kg.KindInternationalOrg {
			t.Errorf("cameo-igoeureec: %+v", a)
		}

		reimport(t, st, importer.Options{Format: importer.GDELT, Batch: 500}, path, sum)
	})
}

func TestGDELT1Sample(t *testing.T) {
	path := filepath.Join(eventDir(t), "gdelt1_reed9999_sample_events.csv")
	rows := rawLines(t, path)
	eachStore(t, func(t *testing.T, st store.Store) {
		loadSeed(t, st)
		sum := importFile(t, st, importer.Options{Format: importer.GDELT}, path)
		var out strings.Builder
		sum.WriteText(&out)
		t.Logf("\n%s", out.String())
		expectEventRows(t, sum, rows, gdeltActors)

		// Line 8 (58 columns, daily file): CHNGOV -> USA, 112 accuses.
		f := rows[7]
		if len(f) != 58 || f[5] != "CHNGOV" || f[15] != "USA" || f[26] != "112" {
			t.Fatalf("line 8 is not the row this test expects: %q", f[:27])
		}
		r := relation(t, st, "gdelt-"+f[0])
		if r.Type != kg.Accuses || r.From != "cameo-chngov" || r.To != "usa" || row(t, r).Format != "gdelt1" ||
			r.Provenance.Detail != "gdelt1" || row(t, r).URL != f[57] || r.SourceID != urlSource(f[57]) ||
			r.Occurred != (kg.Date{Date: isoDate(f[1]), Precision: kg.PrecisionDay}) ||
			r.Reported != (kg.Date{Date: "2016-07-28", Precision: kg.PrecisionDay}) || gs(r) != -2 ||
			r.PlaceID != "geo-usa" {
			t.Errorf("line 8: %s", jsonOf(r))
		}
		if a := actor(t, st, "cameo-chngov"); a.Name != "China government" || a.Kind != kg.KindGovernment || a.Country != "CHN" {
			t.Errorf("cameo-chngov: %+v", a)
		}

		// Line 580 (57 columns, the 1982 backfile, no SOURCEURL): RUS -> BUS.
		f = rows[579]
		if len(f) != 57 || f[5] != "RUS" || f[15] != "BUS" || f[26] != "160" {
			t.Fatalf("line 580 is not the row this test expects: %q", f[:27])
		}
		r = relation(t, st, "gdelt-"+f[0])
		if r.From != "russia" || r.To != "cameo-bus" || r.Type != kg.ReducesRelations || row(t, r).URL != "" ||
			r.SourceID != "gdelt1-20130203" || r.Occurred.Date != "1982-01-02" || gs(r) != -4 {
			t.Errorf("line 580: %s", jsonOf(r))
		}
		srcs, _ := st.Sources(context.Background(), []string{"gdelt1-20130203"})
		if s := srcs["gdelt1-20130203"]; s.Publisher != "The GDELT Project" || s.Published != "2013-02-03" {
			t.Errorf("backfile source: %+v", s)
		}
		reimport(t, st, importer.Options{Format: importer.GDELT}, path, sum)
	})
}

func TestICEWSSample(t *testing.T) {
	path := filepath.Join(eventDir(t), "icews_andybega_events.2018.sample.first2000.tab")
	lines := rawLines(t, path)
	header, rows := lines[0], lines[1:]
	if header[0] != "Event ID" || len(header) != 20 {
		t.Fatalf("header: %q", header)
	}
	unspecified := func(s string) string {
		if s == "Unspecified Actor" || s == "NA" {
			return ""
		}
		return s
	}
	eachStore(t, func(t *testing.T, st store.Store) {
		loadSeed(t, st)
		sum := importFile(t, st, importer.Options{Format: importer.ICEWS}, path)
		var out strings.Builder
		sum.WriteText(&out)
		t.Logf("\n%s", out.String())
		expectEventRows(t, sum, rows,
			func(f []string) (string, string) { return unspecified(f[2]), unspecified(f[8]) })

		checked := map[string]int{}
		imported := relations(t, st, rows, func(f []string) string { return "icews-" + f[0] })
		for i, f := range rows {
			r, ok := imported["icews-"+f[0]]
			if !ok {
				continue
			}
			if r.CAMEO != f[6] || gs(r) != num(t, f[7]) || r.Occurred.Date != f[1] || r.Reported != r.Occurred ||
				r.SourceID != "icews-story-"+f[11] || row(t, r).Actor1 != f[2] || row(t, r).Actor2 != f[8] {
				t.Errorf("line %d: %s", i+2, jsonOf(r))
			}
			if strings.HasPrefix(f[6], "0") {
				checked["leading zero"]++
			}
			for end, name := range map[string]string{r.From: f[2], r.To: f[8]} {
				switch name {
				case "Russia", "Russian Federation":
					checked["Russia"]++
					if end != "russia" {
						t.Errorf("line %d: %q is %s, not the seed's russia", i+2, name, end)
					}
				case "United States":
					checked["United States"]++
					if end != "usa" {
						t.Errorf("line %d: %q is %s, not the seed's usa", i+2, name, end)
					}
				case "Syria":
					checked["Syria"]++
					if end != "syria" {
						t.Errorf("line %d: %q is %s, not the seed's syria", i+2, name, end)
					}
				}
			}
		}
		t.Logf("checked: %v", checked)
		for _, k := range []string{"leading zero", "Russia", "United States"} {
			if checked[k] == 0 {
				t.Errorf("no imported row checks %q", k)
			}
		}
		// Line 14: "Government (China)" is CHNGOV, with the ICEWS name as alias.
		f := rows[12]
		if f[2] != "Government (China)" || f[8] != "United States" || f[6] != "111" {
			t.Fatalf("line 14 is not the row this test expects: %q", f)
		}
		r := relation(t, st, "icews-"+f[0])
		if r.From != "cameo-chngov" || r.To != "usa" || r.Type != kg.Criticizes || gs(r) != -2 {
			t.Errorf("line 14: %s", jsonOf(r))
		}
		if a := actor(t, st, "cameo-chngov"); a.Name != "China government" || !reflect.DeepEqual(a.Aliases, []string{"Government (China)"}) {
			t.Errorf("cameo-chngov: %+v", a)
		}
		reimport(t, st, importer.Options{Format: importer.ICEWS}, path, sum)
	})
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// malformed builds a GDELT 2.0 file of 30 lines with one of each kind of
// bad line, a one-sided row, and a 10 MB line in the middle.
func malformed() (data []byte, bad map[int]string, valid []int) {
	var b bytes.Buffer
	bad = map[int]string{}
	for line := 1; line <= 30; line++ {
		f := genRow(line)
		switch line {
		case 3:
			f = f[:60]
			bad[line] = importer.ReasonColumns
		case 5:
			f[1] = "20191340"
			bad[line] = importer.ReasonDate
		case 7:
			f[26] = "999"
			bad[line] = importer.ReasonCode
		case 9:
			f[6] = "BAD \xff\xfe NAME"
			bad[line] = importer.ReasonUTF8
		case 11:
			f[60] = "https://news.example.org/" + strings.Repeat("x", 10<<20)
			bad[line] = importer.ReasonTooLong
		case 13:
			f[30] = "-11.5"
			bad[line] = importer.ReasonNumber
		case 15:
			f[59] = "2019"
			bad[line] = importer.ReasonDate
		case 17:
			f[15] = ""
		default:
			valid = append(valid, line)
		}
		b.WriteString(strings.Join(f, "\t"))
		b.WriteByte('\n')
	}
	return b.Bytes(), bad, valid
}

func TestMalformedFile(t *testing.T) {
	data, bad, valid := malformed()
	eachStore(t, func(t *testing.T, st store.Store) {
		loadSeed(t, st)
		before := stats(t, st)
		sum, err := importBytes(t, st, importer.Options{Format: importer.GDELT, Batch: 4}, "bad.tsv", data)
		if err != nil {
			t.Fatal(err)
		}
		var out strings.Builder
		sum.WriteText(&out)
		t.Logf("\n%s", out.String())
		if sum.Read != 30 || sum.Imported != len(valid) || sum.Skipped != len(bad)+1 || sum.Bad != len(bad) {
			t.Errorf("read %d imported %d skipped %d bad %d; want 30, %d, %d, %d",
				sum.Read, sum.Imported, sum.Skipped, sum.Bad, len(valid), len(bad)+1, len(bad))
		}
		got := map[int]string{}
		for _, p := range sum.Problems {
			if p.File != "bad.tsv" {
				t.Errorf("problem in file %q", p.File)
			}
			if p.Bad {
				got[p.Line] = p.Reason
			} else if p.Line != 17 || p.Reason != importer.ReasonOneSided {
				t.Errorf("unexpected skip: %v", p)
			}
		}
		if !reflect.DeepEqual(got, bad) {
			t.Errorf("bad lines reported %v, want %v", got, bad)
		}
		if after := stats(t, st); after.Relations != before.Relations+len(valid) {
			t.Errorf("%d relations written, want %d", after.Relations-before.Relations, len(valid))
		}
		for _, line := range valid {
			relation(t, st, "gdelt-"+genID(line)) // the rows after the 10 MB line too
		}
		if !strings.Contains(out.String(), "bad.tsv:11: line too long: 104") || !strings.Contains(out.String(), " bytes, over the 1048576-byte limit") {
			t.Errorf("summary does not report the long line:\n%s", out.String())
		}
	})
}

func TestStrict(t *testing.T) {
	data, _, _ := malformed()
	eachStore(t, func(t *testing.T, st store.Store) {
		loadSeed(t, st)
		before := stats(t, st)
		sum, err := importBytes(t, st, importer.Options{Format: importer.GDELT, Strict: true, Batch: 4}, "bad.tsv", data)
		var se *importer.StrictError
		if !errors.As(err, &se) {
			t.Fatalf("err = %v, want a StrictError", err)
		}
		if se.First.Line != 3 || se.First.Reason != importer.ReasonColumns || se.Bad != 7 {
			t.Errorf("strict error: %v", se)
		}
		if !strings.Contains(err.Error(), "bad.tsv:3: wrong column count") {
			t.Errorf("error %q does not name the first bad line", err)
		}
		if sum == nil || !sum.Refused || sum.Imported != 0 || sum.Batches != 0 {
			t.Errorf("summary: %+v", sum)
		}
		if after := stats(t, st); after != before {
			t.Errorf("--strict wrote: %+v -> %+v", before, after)
		}

		// A clean input through a reader that cannot seek (a pipe): read,
		// checked, spooled, read again and written.
		var clean bytes.Buffer
		for i := 0; i < 25; i++ {
			clean.WriteString(genLine(i) + "\n")
		}
		sum, err = importer.Import(context.Background(), st, importer.Options{Format: importer.GDELT2, Strict: true, Batch: 10},
			importer.Input{Name: "-", R: io.MultiReader(&clean)})
		if err != nil {
			t.Fatal(err)
		}
		if sum.Imported != 25 || sum.Batches != 3 || sum.Refused {
			t.Errorf("strict clean import: %+v", sum)
		}
		if after := stats(t, st); after.Relations != before.Relations+25 {
			t.Errorf("%d relations after a clean strict import, want %d", after.Relations, before.Relations+25)
		}
	})
}

func TestFormatsTellColumnsApart(t *testing.T) {
	path := filepath.Join(eventDir(t), "gdelt1_reed9999_sample_events.csv")
	st := testenv.Bolt(t, boltstore.Options{})
	// gdelt2 refuses every 1.0 row by its column count.
	sum := importFile(t, st, importer.Options{Format: importer.GDELT2}, path)
	if sum.Imported != 0 || sum.Reasons[importer.ReasonColumns] != 710 {
		t.Errorf("gdelt2 on a 1.0 file: %+v", sum.Reasons)
	}
	if p := sum.Problems[0]; p.Line != 1 || p.Detail != "58 tab-separated columns, want 61 (GDELT 2.0)" {
		t.Errorf("first problem: %v", p)
	}
	gdelt1 := importFile(t, testenv.Bolt(t, boltstore.Options{}), importer.Options{Format: importer.GDELT1}, path)
	auto := importFile(t, testenv.Bolt(t, boltstore.Options{}), importer.Options{Format: importer.GDELT}, path)
	if gdelt1.Imported != auto.Imported || gdelt1.Imported == 0 {
		t.Errorf("gdelt1 imported %d, gdelt %d", gdelt1.Imported, auto.Imported)
	}
}

func TestGDELTDates(t *testing.T) {
	st := testenv.Bolt(t, boltstore.Options{})
	var b bytes.Buffer
	for i, d := range []string{"201910", "2019", "20191024"} {
		f := genRow(i)
		f[1] = d
		b.WriteString(strings.Join(f, "\t") + "\n")
	}
	sum, err := importBytes(t, st, importer.Options{Format: importer.GDELT}, "dates.tsv", b.Bytes())
	if err != nil || sum.Imported != 3 {
		t.Fatalf("%v %+v", err, sum)
	}
	for i, want := range []kg.Date{{Date: "2019-10-01", Precision: kg.PrecisionMonth}, {Date: "2019-01-01", Precision: kg.PrecisionYear},
		{Date: "2019-10-24", Precision: kg.PrecisionDay}} {
		if got := relation(t, st, "gdelt-"+genID(i)).Occurred; got != want {
			t.Errorf("row %d: occurred %+v, want %+v", i, got, want)
		}
	}
}

func TestJSONRoundTrip(t *testing.T) {
	eachStore(t, func(t *testing.T, st store.Store) {
		g, err := seed.Graph()
		if err != nil {
			t.Fatal(err)
		}
		data, err := json.MarshalIndent(g, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		sum, err := importBytes(t, st, importer.Options{Format: importer.JSON, Batch: 10}, "seed.json", data)
		if err != nil {
			t.Fatal(err)
		}
		entries := len(g.Sources) + len(g.Actors) + len(g.Places) + len(g.Events) + len(g.Relations)
		// One more batch at most: relations alleging or denying a relation
		// of a later batch are written after it (the store refuses a
		// dangling link).
		if b := (entries + 9) / 10; sum.Read != entries || sum.Imported != entries || sum.Skipped != 0 || sum.Batches < b || sum.Batches > b+1 {
			t.Errorf("summary %+v; the graph has %d entries", sum, entries)
		}
		want := store.Stats{Actors: len(g.Actors), Places: len(g.Places), Events: len(g.Events), Sources: len(g.Sources),
			Relations: len(g.Relations)}
		for _, r := range g.Relations {
			want.Evidence += len(r.Evidence)
		}
		if got := stats(t, st); got != want {
			t.Errorf("stats %+v, want %+v", got, want)
		}
		got := allRelations(t, st)
		if len(got) != len(g.Relations) {
			t.Fatalf("%d relations, want %d", len(got), len(g.Relations))
		}
		byID := map[string]kg.Relation{}
		for _, r := range g.Relations {
			byID[r.ID] = r
		}
		for _, r := range got {
			if !reflect.DeepEqual(r, byID[r.ID]) {
				t.Errorf("relation %s:\n got %s\nwant %s", r.ID, jsonOf(r), jsonOf(byID[r.ID]))
			}
		}
		if sum.Rows != (importer.RowCounts{Created: entries}) {
			t.Errorf("first import: rows %+v, want all %d created", sum.Rows, entries)
		}
		// Again: nothing changes, and the summary says so (nothing written).
		before := stats(t, st)
		again, err := importBytes(t, st, importer.Options{Format: importer.JSON}, "seed.json", data)
		if err != nil {
			t.Fatal(err)
		}
		if after := stats(t, st); after != before {
			t.Errorf("re-import changed %+v -> %+v", before, after)
		}
		if again.Rows != (importer.RowCounts{Unchanged: entries}) || again.Imported != entries || again.Batches != 0 {
			t.Errorf("re-import: rows %+v, %d imported, %d batches; want all %d unchanged, none written", again.Rows, again.Imported, again.Batches, entries)
		}
		var text strings.Builder
		again.WriteText(&text)
		if want := fmt.Sprintf("rows: 0 created, 0 updated, %d unchanged", entries); !strings.Contains(text.String(), want) {
			t.Errorf("summary text lacks %q:\n%s", want, text.String())
		}
		// One relation edited, one added: one updated, one created, the rest unchanged.
		edited := *g
		edited.Relations = slices.Clone(g.Relations)
		edited.Relations[0].Note = "edited by the re-import test"
		extra := edited.Relations[1]
		extra.ID = extra.ID + "-copy"
		edited.Relations = append(edited.Relations, extra)
		data2, err := json.Marshal(&edited)
		if err != nil {
			t.Fatal(err)
		}
		third, err := importBytes(t, st, importer.Options{Format: importer.JSON}, "edited.json", data2)
		if err != nil {
			t.Fatal(err)
		}
		if want := (importer.RowCounts{Created: 1, Updated: 1, Unchanged: entries - 1}); third.Rows != want {
			t.Errorf("edited re-import: rows %+v, want %+v", third.Rows, want)
		}
		if r, err := st.Relations(context.Background(), []string{edited.Relations[0].ID}); err != nil || r[edited.Relations[0].ID].Note != "edited by the re-import test" {
			t.Errorf("the updated relation was not written: %v %v", r, err)
		}
	})
}

// TestJSONSeedFile: the seed's own file carries each source's sha256 but
// not its text; the store's text of that digest checks its evidence.
func TestJSONSeedFile(t *testing.T) {
	st := testenv.Bolt(t, boltstore.Options{})
	loadSeed(t, st)
	before := stats(t, st)
	sum := importFile(t, st, importer.Options{Format: importer.JSON}, filepath.Join("..", "seed", "data", "aleppo.json"))
	if sum.Skipped != 0 || sum.Imported != sum.Read {
		t.Errorf("%+v", sum)
	}
	if after := stats(t, st); after != before {
		t.Errorf("%+v -> %+v", before, after)
	}
	// Into an empty store the evidence cannot be checked.
	sum = importFile(t, testenv.Bolt(t, boltstore.Options{}), importer.Options{Format: importer.JSON},
		filepath.Join("..", "seed", "data", "aleppo.json"))
	if sum.Reasons[importer.ReasonInvalid] == 0 || !strings.Contains(sum.Problems[0].Detail, "no text loaded") {
		t.Errorf("%+v", sum.Problems)
	}
}

func TestJSONBadEntries(t *testing.T) {
	st := testenv.Bolt(t, boltstore.Options{})
	loadSeed(t, st)
	data := []byte(`{
  "actors": [
    {"id": "new-actor", "name": "New actor", "kind": "STATE"},
    {"id": "bad-kind", "name": "Bad kind", "kind": "EMPIRE"},
    {"id": "typo", "name": "Typo", "kind": "STATE", "nmae": "x"}
  ],
  "relations": [
    {"id": "r-ok", "type": "CONSULTS", "from": "new-actor", "to": "russia", "attribution": "ASSERTED", "status": "ACTUAL",
     "occurred": {"precision": "UNKNOWN"}, "reported": {"precision": "UNKNOWN"}, "source": "thenews-aleppo-2016",
     "provenance": {"confidence": 0.5, "method": "IMPORT", "detail": "json", "review": "PROPOSED"}},
    {"id": "r-dep", "type": "CONSULTS", "from": "bad-kind", "to": "russia", "attribution": "ASSERTED", "status": "ACTUAL",
     "occurred": {"precision": "UNKNOWN"}, "reported": {"precision": "UNKNOWN"}, "source": "thenews-aleppo-2016",
     "provenance": {"confidence": 0.5, "method": "IMPORT", "detail": "json", "review": "PROPOSED"}},
    {"id": "r-nosource", "type": "CONSULTS", "from": "new-actor", "to": "usa", "attribution": "ASSERTED", "status": "ACTUAL",
     "occurred": {"precision": "UNKNOWN"}, "reported": {"precision": "UNKNOWN"}, "source": "nowhere",
     "provenance": {"confidence": 0.5, "method": "IMPORT", "detail": "json", "review": "PROPOSED"}}
  ]
}
`)
	sum, err := importBytes(t, st, importer.Options{Format: importer.JSON}, "g.json", data)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	sum.WriteText(&out)
	t.Logf("\n%s", out.String())
	got := map[int]string{}
	for _, p := range sum.Problems {
		got[p.Line] = p.Reason
	}
	want := map[int]string{4: importer.ReasonInvalid, 5: importer.ReasonSyntax, 11: importer.ReasonDependsOnBad, 14: importer.ReasonInvalid}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems %v, want %v", got, want)
	}
	if sum.Read != 6 || sum.Imported != 2 {
		t.Errorf("read %d imported %d, want 6 and 2", sum.Read, sum.Imported)
	}
	relation(t, st, "r-ok")
	actor(t, st, "new-actor")
}

func TestCSV(t *testing.T) {
	eachStore(t, func(t *testing.T, st store.Store) {
		loadSeed(t, st)
		before := stats(t, st)
		data := []byte(strings.Join([]string{
			"id,type,from,to,cameo,goldstein,occurred,reported,source,note,alleges,denies,attribution,claimedBy",
			"csv-1,ACCUSES,usa,russia,1121,-2,2016-09-20,2016-09-28,thenews-aleppo-2016,,,,,",
			"csv-2,,russia,usa,112,,2016-09-21,,thenews-aleppo-2016,\"a note\nover two lines\",,,,",
			"csv-3,DENIES,russia,usa,016,,,,thenews-aleppo-2016,,,csv-1,,",
			"csv-4,CONSULTS,nobody,usa,,,,,thenews-aleppo-2016,,,,,",
			"csv-5,EMPIRE_BUILDS,usa,russia,,,,,thenews-aleppo-2016,,,,,",
			"csv-6,DENIES,usa,russia,016,,,,thenews-aleppo-2016,,,csv-4,,",
			"csv-7,ATTACKS,russian-military,aleppo,190,-10,2016-09-19,2016-09-28,thenews-aleppo-2016,,,,ALLEGED,usa",
			"csv-8,CONSULTS,usa,russia,,,2016-02-30,,thenews-aleppo-2016,,,,,",
			"csv-1,CONSULTS,usa,russia,,,,,thenews-aleppo-2016,,,,,",
			"csv-9,CONSULTS,usa,russia",
		}, "\n") + "\n")
		sum, err := importBytes(t, st, importer.Options{Format: importer.CSV, Batch: 2}, "rel.csv", data)
		if err != nil {
			t.Fatal(err)
		}
		var out strings.Builder
		sum.WriteText(&out)
		t.Logf("\n%s", out.String())
		got := map[int]string{}
		for _, p := range sum.Problems {
			got[p.Line] = p.Reason
		}
		want := map[int]string{ // csv-2's note spans lines 3 and 4
			6: importer.ReasonInvalid, 7: importer.ReasonInvalid, 8: importer.ReasonDependsOnBad,
			10: importer.ReasonInvalid, 11: importer.ReasonInvalid, 12: importer.ReasonColumns,
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("problems %v, want %v", got, want)
		}
		if sum.Read != 10 || sum.Imported != 4 {
			t.Errorf("read %d imported %d, want 10 and 4", sum.Read, sum.Imported)
		}
		if after := stats(t, st); after.Relations != before.Relations+4 {
			t.Errorf("%d relations written", after.Relations-before.Relations)
		}
		r := relation(t, st, "csv-1")
		if r.Type != kg.Accuses || r.CAMEO != "1121" || gs(r) != -2 || r.Provenance != (kg.Provenance{Confidence: 0.5,
			Method: kg.MethodImport, Detail: "csv", Review: kg.ReviewProposed}) || r.Occurred != (kg.Date{Date: "2016-09-20", Precision: kg.PrecisionDay}) {
			t.Errorf("csv-1: %s", jsonOf(r))
		}
		if r := relation(t, st, "csv-2"); r.Type != kg.Accuses || r.Note != "a note\nover two lines" || r.Reported.Precision != kg.PrecisionUnknown {
			t.Errorf("csv-2: %s", jsonOf(r))
		}
		if r := relation(t, st, "csv-3"); r.Denies != "csv-1" {
			t.Errorf("csv-3: %s", jsonOf(r))
		}
		if r := relation(t, st, "csv-7"); r.To != "aleppo" || r.Attribution != kg.Alleged || r.ClaimedBy != "usa" {
			t.Errorf("csv-7: %s", jsonOf(r))
		}
	})
}

func TestCSVHeader(t *testing.T) {
	st := testenv.Bolt(t, boltstore.Options{})
	sum, err := importBytes(t, st, importer.Options{Format: importer.CSV}, "h.csv", []byte("id,kind,from\nx,y,z\n"))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Read != 2 || sum.Bad != 2 || sum.Problems[0].Reason != importer.ReasonHeader ||
		!strings.Contains(sum.Problems[0].Detail, `unknown column "kind"`) {
		t.Errorf("%+v", sum)
	}
}

func TestLongLinesAndLineEndings(t *testing.T) {
	st := testenv.Bolt(t, boltstore.Options{})
	var b bytes.Buffer
	b.WriteString(genLine(0) + "\r\n")               // CRLF
	b.WriteString(strings.Repeat("y", 300) + "\r\n") // 300 bytes: the CR does not count
	b.WriteString(genLine(1))                        // no final newline
	sum, err := importBytes(t, st, importer.Options{Format: importer.GDELT, MaxLine: 1000}, "crlf.tsv", b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if sum.Read != 3 || sum.Imported != 2 || sum.Problems[0].Line != 2 || sum.Problems[0].Reason != importer.ReasonColumns {
		t.Errorf("%+v", sum)
	}
	sum, err = importBytes(t, st, importer.Options{Format: importer.GDELT, MaxLine: 299}, "crlf.tsv", b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range sum.Problems {
		found = found || p.Line == 2 && p.Reason == importer.ReasonTooLong && p.Detail == "300 bytes, over the 299-byte limit"
	}
	if sum.Read != 3 || !found {
		t.Errorf("%+v", sum.Problems)
	}
	sum, err = importBytes(t, st, importer.Options{Format: importer.GDELT, MaxLine: 300}, "crlf.tsv", b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range sum.Problems {
		if p.Line == 2 && p.Reason != importer.ReasonColumns {
			t.Errorf("a 300-byte line under a 300-byte limit: %v", p)
		}
	}
}

func TestSummaryText(t *testing.T) {
	s := &importer.Summary{Format: importer.GDELT, Read: 3, Imported: 1, Skipped: 2, Bad: 1, Batches: 1,
		Reasons:  map[string]int{importer.ReasonOneSided: 1, importer.ReasonDate: 1},
		Problems: []importer.Problem{{File: "f", Line: 2, Reason: importer.ReasonDate, Detail: "SQLDATE: x", Bad: true}},
		Created:  importer.Created{Actors: 2}}
	var b strings.Builder
	s.WriteText(&b)
	for _, want := range []string{"import gdelt: 3 rows read, 1 imported, 2 skipped (1 malformed)", "1 batch\n",
		"created 2 actors, 0 sources, 0 places", "skipped:       1  bad date\n", "  f:2: bad date: SQLDATE: x\n", "  … 1 more\n"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, b.String())
		}
	}
	fmt.Fprint(io.Discard, b.String())
}
