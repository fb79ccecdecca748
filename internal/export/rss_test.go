package export

import (
	"bufio"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// procKB reads a field (VmRSS, VmHWM) of /proc/self/status, in kB.
func procKB(b *testing.B, field string) float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		b.Skip("no /proc: ", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			v, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return v
		}
	}
	return 0
}

// BenchmarkExportRSS exports 50,000 relations as networkx JSON and reports
// the process's resident memory at idle (graph loaded) and its peak during
// the export: streaming keeps the two close.
//
//	go test -run '^$' -bench ExportRSS -benchtime 3x ./internal/export
func BenchmarkExportRSS(b *testing.B) {
	rels := 50_000
	if testing.Short() {
		rels = 2_000
	}
	s := generated(b, 2_000, rels)
	h := Handler(s)
	runtime.GC()
	idle := procKB(b, "VmRSS")
	// Writing 5 to clear_refs resets the peak (VmHWM) to the current RSS.
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		b.Skip("cannot reset the RSS peak: ", err)
	}
	var out int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w := &discard{h: http.Header{}, onW: func() {}}
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/export/networkx", nil))
		if w.status != http.StatusOK {
			b.Fatalf("status %d", w.status)
		}
		out = w.n
	}
	b.StopTimer()
	peak := procKB(b, "VmHWM")
	b.ReportMetric(idle/1024, "idle-RSS-MB")
	b.ReportMetric(peak/1024, "peak-RSS-MB")
	b.ReportMetric(float64(out)/1e6, "output-MB")
}
