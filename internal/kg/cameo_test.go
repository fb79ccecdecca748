package kg

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// eventDataDir holds real GDELT and ICEWS samples (not part of the module),
// relative to this package's directory.
const eventDataDir = "../../../shared/data/eventdata"

var cameoRoots = []string{
	"01", "02", "03", "04", "05", "06", "07", "08", "09", "10",
	"11", "12", "13", "14", "15", "16", "17", "18", "19", "20",
}

func sortedCodes() []string {
	codes := make([]string, 0, len(goldstein))
	for c := range goldstein {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	return codes
}

func TestCodebookShape(t *testing.T) {
	if n := len(goldstein); n != 311 {
		t.Errorf("codebook has %d codes, GDELT's CAMEO.goldsteinscale.txt has 311", n)
	}
	for _, r := range cameoRoots {
		if _, ok := goldstein[r]; !ok {
			t.Errorf("root %s is missing", r)
		}
	}
	for _, c := range sortedCodes() {
		if len(c) < 2 || len(c) > 4 || strings.Trim(c, "0123456789") != "" {
			t.Errorf("code %q: want 2 to 4 digits", c)
			continue
		}
		if _, ok := goldstein[c[:2]]; !ok {
			t.Errorf("code %s: root %s is not in the codebook", c, c[:2])
		}
		if len(c) > 2 {
			if _, ok := goldstein[c[:len(c)-1]]; !ok {
				t.Errorf("code %s: parent %s is not in the codebook", c, c[:len(c)-1])
			}
		}
		if r := c[:2]; r < "01" || r > "20" {
			t.Errorf("code %s: root %s outside 01-20", c, r)
		}
		if g := goldstein[c]; g < -10 || g > 10 {
			t.Errorf("code %s: Goldstein %v outside [-10, 10]", c, g)
		}
		if n, ok := cameoNames[c]; !ok || strings.TrimSpace(n) == "" {
			t.Errorf("code %s has no name", c)
		}
	}
	for c := range cameoNames {
		if _, ok := goldstein[c]; !ok {
			t.Errorf("cameoNames has %q, which goldstein lacks", c)
		}
	}
}

func TestGoldsteinSpotChecks(t *testing.T) {
	want := map[string]float64{
		"016": -2.0, "036": 4.0, "045": 5.0, "057": 8.0, "062": 7.4, "072": 8.3,
		"112": -2.0, "1313": -5.8, "134": -5.8, "190": -10, "195": -10, "2041": -10,
		// GDELT's irregular values, kept as GDELT gives them.
		"13": -6.0, "130": -4.4, "182": -9.5, "1821": -9.0, "087": 9.0, "0874": 10.0,
		"022": 3.2, "164": -7.0, "165": -6.5, "191": -9.5, "106": -5.0,
	}
	for c, w := range want {
		g, ok := Goldstein(c)
		if !ok || g != w {
			t.Errorf("Goldstein(%q) = %v, %v; want %v, true", c, g, ok, w)
		}
	}
}

func TestCAMEOName(t *testing.T) {
	want := map[string]string{
		"01":   "MAKE PUBLIC STATEMENT",
		"010":  "Make statement",
		"016":  "Deny responsibility",
		"045":  "Mediate",
		"057":  "Sign formal agreement",
		"105":  "Demand that target yields",
		"108":  "Demand mediation",
		"19":   "FIGHT",
		"191":  "Impose blockade, restrict movement",
		"20":   "USE UNCONVENTIONAL MASS VIOLENCE",
		"2042": "Detonate nuclear weapons",
	}
	for c, w := range want {
		if n, ok := CAMEOName(c); !ok || n != w {
			t.Errorf("CAMEOName(%q) = %q, %v; want %q, true", c, n, ok, w)
		}
	}
	for _, c := range []string{"", "0", "21", "999", "1213", "10 "} {
		if n, ok := CAMEOName(c); ok {
			t.Errorf("CAMEOName(%q) = %q, true; want not found", c, n)
		}
	}
}

func TestTypeForCAMEOCoversCodebook(t *testing.T) {
	for _, c := range sortedCodes() {
		rt, err := TypeForCAMEO(c)
		if err != nil {
			t.Errorf("TypeForCAMEO(%q): %v", c, err)
			continue
		}
		if !rt.IsValid() {
			t.Errorf("TypeForCAMEO(%q) = %q, not in the vocabulary", c, rt)
		}
		if ti, _ := rt.Info(); ti.Structural {
			t.Errorf("TypeForCAMEO(%q) = structural type %q", c, rt)
		}
	}
	want := map[string]RelationType{
		"045": Brokers, "04": Consults, "040": Consults, "046": Consults,
		"057": PartyTo, "051": Backs, "191": Besieges, "190": Attacks,
		"016": Denies, "010": MakeStatement,
	}
	for c, w := range want {
		if got, err := TypeForCAMEO(c); err != nil || got != w {
			t.Errorf("TypeForCAMEO(%q) = %q, %v; want %q", c, got, err, w)
		}
	}
	for _, c := range []string{"999", "0", "", "21"} {
		if got, err := TypeForCAMEO(c); err == nil {
			t.Errorf("TypeForCAMEO(%q) = %q, want an error", c, got)
		}
	}
}

// openEventData opens a sample file; it fails when CI=true and skips otherwise
// if the file is missing.
func openEventData(t *testing.T, name string) *os.File {
	t.Helper()
	p := filepath.Join(eventDataDir, name)
	f, err := os.Open(p)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("event data sample: %v", err)
		}
		t.Skipf("event data sample not available: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// eachLine calls fn with every line of f and its 1-based line number.
func eachLine(t *testing.T, f *os.File, fn func(n int, line string)) {
	t.Helper()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		fn(n, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", f.Name(), err)
	}
	if n == 0 {
		t.Fatalf("%s is empty", f.Name())
	}
}

// failures collects per-line problems and reports the first few.
type failures struct {
	t    *testing.T
	name string
	n    int
}

func (fl *failures) add(line int, format string, args ...any) {
	fl.t.Helper()
	fl.n++
	if fl.n <= 25 {
		fl.t.Errorf("%s:%d: %s", fl.name, line, fmt.Sprintf(format, args...))
	}
}

func (fl *failures) done() {
	fl.t.Helper()
	if fl.n > 25 {
		fl.t.Errorf("%s: %d problems in all (first 25 shown)", fl.name, fl.n)
	}
}

// TestCodebookAgainstEventData checks real GDELT 1.0/2.0 and ICEWS events
// against the codebook: every event code is in it and, for GDELT, the row's
// GoldsteinScale is the codebook's score.
func TestCodebookAgainstEventData(t *testing.T) {
	// GDELT 1.0 and 2.0 share the positions of these columns (0-based).
	const (
		colEventCode     = 26
		colEventBaseCode = 27
		colEventRootCode = 28
		colGoldstein     = 30
	)
	for _, name := range []string{
		"gdelt2_20191024143000.export.first2000.CSV",
		"gdelt1_reed9999_sample_events.csv",
	} {
		t.Run(name, func(t *testing.T) {
			f := openEventData(t, name)
			fl := &failures{t: t, name: name}
			rows := 0
			eachLine(t, f, func(n int, line string) {
				rows++
				cols := strings.Split(line, "\t")
				if len(cols) <= colGoldstein {
					fl.add(n, "%d columns, want > %d", len(cols), colGoldstein)
					return
				}
				code, base, root := cols[colEventCode], cols[colEventBaseCode], cols[colEventRootCode]
				want, ok := Goldstein(code)
				if !ok {
					fl.add(n, "EventCode %q is not in the codebook", code)
					return
				}
				if !IsCAMEOCode(base) || !strings.HasPrefix(code, base) {
					fl.add(n, "EventBaseCode %q: not in the codebook or not a prefix of %q", base, code)
				}
				if !IsCAMEOCode(root) || root != code[:2] {
					fl.add(n, "EventRootCode %q: not in the codebook or not the root of %q", root, code)
				}
				got, err := strconv.ParseFloat(cols[colGoldstein], 64)
				if err != nil {
					fl.add(n, "GoldsteinScale %q: %v", cols[colGoldstein], err)
					return
				}
				if got != want {
					fl.add(n, "EventCode %s: GoldsteinScale %v, codebook has %v", code, got, want)
				}
			})
			fl.done()
			t.Logf("%d rows checked", rows)
		})
	}

	t.Run("icews", func(t *testing.T) {
		const name = "icews_andybega_events.2018.sample.first2000.tab"
		f := openEventData(t, name)
		fl := &failures{t: t, name: name}
		colCode, colText, rows := -1, -1, 0
		eachLine(t, f, func(n int, line string) {
			cols := strings.Split(line, "\t")
			if n == 1 {
				for i, h := range cols {
					switch h {
					case "CAMEO Code":
						colCode = i
					case "Event Text":
						colText = i
					}
				}
				if colCode < 0 || colText < 0 {
					t.Fatalf("%s: header lacks \"CAMEO Code\" or \"Event Text\": %q", name, line)
				}
				return
			}
			rows++
			if len(cols) <= colCode || len(cols) <= colText {
				fl.add(n, "%d columns", len(cols))
				return
			}
			// ICEWS's Intensity is not always GDELT's Goldstein score
			// (e.g. 016), so only the code and its name are checked.
			code := cols[colCode]
			nm, ok := CAMEOName(code)
			if !ok {
				fl.add(n, "CAMEO Code %q is not in the codebook", code)
				return
			}
			if !strings.EqualFold(nm, cols[colText]) {
				fl.add(n, "CAMEO Code %s: Event Text %q, codebook name %q", code, cols[colText], nm)
			}
		})
		fl.done()
		if rows == 0 {
			t.Fatalf("%s has no events", name)
		}
		t.Logf("%d rows checked", rows)
	})
}
