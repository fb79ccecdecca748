package importer_test

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/actorgraph/actorgraph/internal/kg"
)

// The generator writes synthetic GDELT 2.0 export rows (61 tab-separated
// columns) that all import: two different actor codes, a codebook event
// code, a web SOURCEURL shared by ten rows, one of a few ActionGeo places.

var (
	genActors = []string{"USA", "RUS", "SYR", "SYRGOV", "RUSMIL", "USAGOV", "CHN", "GBR", "FRA", "DEU",
		"TUR", "IRN", "ISR", "SYRREB", "UKR", "IGOUNO", "EGY", "IRQ", "SAU", "JOR"}
	// Not 016: DENIES needs the id of the denied accusation, which no event row has.
	genCodes = []string{"010", "0211", "036", "040", "043", "045", "057", "062", "072", "0834",
		"112", "1121", "120", "1313", "138", "141", "163", "173", "190", "191", "195", "2041"}
	genPlaces = [][]string{
		{"4", "Aleppo, Halab, Syria", "SY", "SY09", "", "36.2028", "37.1586", "-2162488"},
		{"1", "Syria", "SY", "SY", "", "35", "38", "SY"},
		{"4", "Moscow, Moskva, Russia", "RS", "RS48", "", "55.7522", "37.6156", "-2960561"},
		{"2", "New York, United States", "US", "USNY", "", "42.1497", "-74.9384", "NY"},
		{"0", "", "", "", "", "", "", ""},
	}
)

// genID is the GLOBALEVENTID of generated row i.
func genID(i int) string { return strconv.Itoa(1_000_000_000 + i) }

// genRow returns generated row i (from 0) as its 61 fields.
func genRow(i int) []string {
	f := make([]string, 61)
	n := len(genActors)
	a1 := genActors[i%n]
	a2 := genActors[(i+1+(i/n)%(n-1))%n] // never a1
	code := genCodes[(i*7)%len(genCodes)]
	g, _ := kg.Goldstein(code)
	f[0] = genID(i)
	f[1], f[2], f[3], f[4] = "20191024", "201910", "2019", "2019.8055"
	f[5], f[6], f[7] = a1, a1+" NAME", a1[:3]
	f[15], f[16], f[17] = a2, a2+" NAME", a2[:3]
	if len(a1) > 3 {
		f[12] = a1[3:6]
	}
	if len(a2) > 3 {
		f[22] = a2[3:6]
	}
	f[25] = "1"
	f[26], f[27], f[28] = code, code[:min(3, len(code))], code[:2]
	f[29] = strconv.Itoa(1 + i%4)
	f[30] = strconv.FormatFloat(g, 'f', 1, 64)
	f[31], f[32], f[33] = "10", "1", "10"
	f[34] = "-1.52284263959391"
	p := genPlaces[i%len(genPlaces)]
	copy(f[35:43], p)
	copy(f[43:51], p)
	copy(f[51:59], p)
	f[59] = "20191024143000"
	f[60] = "https://news.example.org/story/" + strconv.Itoa(i/10)
	return f
}

func genLine(i int) string { return strings.Join(genRow(i), "\t") }

// writeGDELT writes n generated rows to path.
func writeGDELT(t testing.TB, path string, n int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	for i := 0; i < n; i++ {
		w.WriteString(genLine(i))
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
