package export

import (
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path"
	"strings"
	"testing"

	"github.com/actorgraph/actorgraph/internal/testenv"
)

// FuzzExport: any format name and query string against GET /export over a
// real on-disk embedded store holding the seed graph. The answer is an
// export its format's reader parses whole (JSON, CSV with one width, XML),
// or a coded JSON error (400/404) — never a 500 or a panic.
func FuzzExport(f *testing.F) {
	for _, c := range [][2]string{
		{"json", ""}, {"networkx", "actor=russia&depth=2"}, {"cytoscape", "types=ACCUSES,DENIES&status=ACTUAL"},
		{"graphml", "attribution=ALLEGED"}, {"gexf", "version=1.3&from=2016-01-01&to=2016-12-31"},
		{"csv-nodes", "actor=usa&depth=9"}, {"csv-edges", "from=2016-13-01"}, {"json", "actor=nobody"},
		{"xml", ""}, {"json", "%zz"}, {"graphml", "version=1.2"}, {"csv-edges", "types=NOT_A_TYPE&actor=russia&depth=1"},
	} {
		f.Add(c[0], c[1])
	}
	s := testenv.SeededBolt(f)
	mux := http.NewServeMux()
	mux.Handle("/export/", Handler(s))
	f.Fuzz(func(t *testing.T, format, query string) {
		if strings.ContainsAny(format, "/?#") || path.Clean("/export/"+format) != "/export/"+format {
			return // another path (the mux redirects "." and ".." to the clean one), not this handler's
		}
		req := httptest.NewRequest("GET", "/export/x", nil)
		req.URL.Path, req.URL.RawQuery = "/export/"+format, query
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		body := rec.Body.Bytes()
		if rec.Code != 200 {
			var e struct {
				Errors []struct {
					Extensions map[string]any `json:"extensions"`
				} `json:"errors"`
			}
			if rec.Code >= 500 || json.Unmarshal(body, &e) != nil || len(e.Errors) == 0 || e.Errors[0].Extensions["code"] == nil {
				t.Fatalf("status %d without a coded JSON error: %.300s", rec.Code, body)
			}
			return
		}
		if err := readBack(Format(strings.ToLower(strings.TrimSpace(format))), body); err != nil {
			t.Fatalf("%s export of %q does not read back: %v", format, query, err)
		}
	})
}

// readBack parses an export whole with its format's reader.
func readBack(f Format, body []byte) error {
	switch f {
	case JSON, NetworkX, Cytoscape:
		var v any
		return json.Unmarshal(body, &v)
	case CSVNodes, CSVEdges:
		_, err := csv.NewReader(strings.NewReader(string(body))).ReadAll() // one width: FieldsPerRecord from the header
		return err
	case GraphML, GEXF:
		dec := xml.NewDecoder(strings.NewReader(string(body)))
		for {
			if _, err := dec.Token(); errors.Is(err, io.EOF) {
				return nil
			} else if err != nil {
				return err
			}
		}
	}
	return errors.New("no reader for format " + string(f))
}
