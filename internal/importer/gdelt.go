package importer

import (
	"fmt"
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/actorgraph/actorgraph/internal/kg"
)

// GDELT column positions (0-based). Both versions share the first 35
// columns; the geography blocks differ (2.0 adds ADM2Code), and 1.0's
// historical backfile has no SOURCEURL.
const (
	gID          = 0
	gSQLDate     = 1
	gActor1Code  = 5
	gActor2Code  = 15
	gEventCode   = 26
	gQuadClass   = 29
	gGoldstein   = 30
	gNumMentions = 31
	gNumSources  = 32
	gNumArticles = 33
	gAvgTone     = 34
)

// gdeltLayout is where a version keeps its ActionGeo block, DATEADDED and
// SOURCEURL (-1: none).
type gdeltLayout struct {
	format                      string
	geo, geoFeature, added, url int
}

var (
	gdelt2Layout   = gdeltLayout{"gdelt2", 51, 58, 59, 60}
	gdelt1Layout   = gdeltLayout{"gdelt1", 49, 55, 56, 57}
	gdelt1NoURL    = gdeltLayout{"gdelt1", 49, 55, 56, -1}
	gdeltPublisher = "The GDELT Project"
)

func (im *importer) gdeltLine(at lineRef, line string) {
	f := strings.Split(line, "\t")
	var lay gdeltLayout
	switch n, want := len(f), im.opts.Format; {
	case n == 61 && want != GDELT1:
		lay = gdelt2Layout
	case n == 58 && want != GDELT2:
		lay = gdelt1Layout
	case n == 57 && want != GDELT2:
		lay = gdelt1NoURL
	default:
		expect := map[Format]string{
			GDELT:  "61 (GDELT 2.0) or 57/58 (GDELT 1.0)",
			GDELT2: "61 (GDELT 2.0)",
			GDELT1: "57 or 58 (GDELT 1.0)",
		}[want]
		im.skip(at, ReasonColumns, true, "%d tab-separated columns, want %s", n, expect)
		return
	}

	id := f[gID]
	if !isDigits(id) {
		im.skip(at, ReasonID, true, "GLOBALEVENTID %q is not a number", id)
		return
	}
	occurred, err := compactDate(f[gSQLDate], false)
	if err != nil {
		im.skip(at, ReasonDate, true, "SQLDATE: %v", err)
		return
	}
	added, err := compactDate(f[lay.added], true)
	if err != nil {
		im.skip(at, ReasonDate, true, "DATEADDED: %v", err)
		return
	}
	code := f[gEventCode]
	typ, err := kg.TypeForCAMEO(code)
	if err != nil {
		im.skip(at, ReasonCode, true, "EventCode %q is not in the CAMEO codebook", code)
		return
	}
	row := kg.ImportRow{Format: lay.format, RowID: id, Actor1: f[gActor1Code], Actor2: f[gActor2Code]}
	nums := []struct {
		col  string
		v    string
		dst  *int
		low  int
		high int
	}{
		{"QuadClass", f[gQuadClass], &row.QuadClass, 1, 4},
		{"NumMentions", f[gNumMentions], &row.NumMentions, 0, math.MaxInt32},
		{"NumSources", f[gNumSources], &row.NumSources, 0, math.MaxInt32},
		{"NumArticles", f[gNumArticles], &row.NumArticles, 0, math.MaxInt32},
	}
	for _, n := range nums {
		if n.v == "" {
			continue
		}
		v, err := strconv.Atoi(n.v)
		if err != nil || v < n.low || v > n.high {
			im.skip(at, ReasonNumber, true, "%s %q is not a whole number in [%d, %d]", n.col, n.v, n.low, n.high)
			return
		}
		*n.dst = v
	}
	goldstein, err := score(f[gGoldstein], 10)
	if err != nil {
		im.skip(at, ReasonNumber, true, "GoldsteinScale: %v", err)
		return
	}
	if row.AvgTone, err = score(f[gAvgTone], 100); err != nil {
		im.skip(at, ReasonNumber, true, "AvgTone: %v", err)
		return
	}
	for i, c := range []string{row.Actor1, row.Actor2} {
		if c != "" && !rawActorCode.MatchString(c) {
			im.skip(at, ReasonActorCode, true, "Actor%dCode %q is not a CAMEO actor code", i+1, c)
			return
		}
	}
	if lay.url >= 0 {
		row.URL = strings.TrimSpace(f[lay.url])
	}
	switch {
	case row.Actor1 == "":
		im.skip(at, ReasonOneSided, false, "Actor1Code is empty")
		return
	case row.Actor2 == "":
		im.skip(at, ReasonOneSided, false, "Actor2Code is empty")
		return
	}

	ev := &eventRow{
		at: at,
		a1: actorRef{code: row.Actor1},
		a2: actorRef{code: row.Actor2},
		rel: kg.Relation{
			ID: "gdelt-" + id, Type: typ, Attribution: kg.Asserted, Status: kg.Actual,
			Occurred: occurred, Reported: kg.Date{Date: added.Date, Precision: kg.PrecisionDay},
			CAMEO: code, Goldstein: goldstein,
			Provenance: kg.Provenance{Confidence: Confidence, Method: kg.MethodImport, Detail: lay.format, Review: kg.ReviewProposed},
		},
		source: gdeltSource(lay.format, row.URL, added.Date),
		place:  gdeltPlace(f[lay.geo : lay.geoFeature+1]),
	}
	ev.rel.Row = &row
	im.pending = append(im.pending, ev)
}

// gdeltSource is the Source a row cites: its SOURCEURL, or — for the rows
// that have none (1.0's backfile) or cite a non-web source ("BBC
// Monitoring") — the day's batch of the data set or that publisher's day.
func gdeltSource(format, raw, day string) kg.Source {
	if u, err := url.Parse(raw); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		return kg.Source{ID: "url-" + hash16(raw), Title: raw, Publisher: u.Host, URL: raw, Published: day}
	}
	compact := strings.ReplaceAll(day, "-", "")
	if raw != "" {
		return kg.Source{ID: "pub-" + slugOrHash(raw) + "-" + compact, Title: raw + ", " + day, Publisher: raw, Published: day}
	}
	version := map[string]string{"gdelt1": "GDELT 1.0", "gdelt2": "GDELT 2.0"}[format]
	return kg.Source{ID: format + "-" + compact, Title: version + " events added " + day, Publisher: gdeltPublisher, Published: day}
}

// gdeltPlace is the ActionGeo block as a Place: Type, FullName,
// CountryCode (FIPS 10-4), ADM1Code, [ADM2Code,] Lat, Long, FeatureID.
// Type 0 or an empty name is no place.
func gdeltPlace(geo []string) *kg.Place {
	typ, name, fips, feature := geo[0], strings.TrimSpace(geo[1]), geo[2], geo[len(geo)-1]
	if typ == "" || typ == "0" || name == "" {
		return nil
	}
	kind := map[string]kg.PlaceKind{
		"1": kg.PlaceCountry, "2": kg.PlaceDistrict, "3": kg.PlaceCity, "4": kg.PlaceCity, "5": kg.PlaceDistrict,
	}[typ]
	if kind == "" {
		kind = kg.PlaceOtherKind
	}
	alpha3 := alpha3ByFIPS[fips]
	p := &kg.Place{Name: name, Kind: kind, Country: alpha3}
	switch {
	case kind == kg.PlaceCountry && alpha3 != "":
		p.ID = countryPlaceID(alpha3)
	case feature != "" && feature != "0" && featureRE.MatchString(feature):
		p.ID = "geo-" + strings.ToLower(feature)
	default:
		p.ID = "place-" + slugOrHash(name)
	}
	return p
}

// countryPlaceID is the one place id of a country, whichever data set names it.
func countryPlaceID(alpha3 string) string { return "geo-" + strings.ToLower(alpha3) }

// featureRE: GDELT FeatureIDs are GNS/GNIS numbers (maybe negative) or
// FIPS country and ADM1 codes.
var featureRE = regexp.MustCompile(`^-?[A-Za-z0-9]{1,40}$`)

// compactDate parses GDELT's dates: YYYYMMDD (DAY), YYYYMM (MONTH), YYYY
// (YEAR) — 1.0's backfile has the coarser ones — and, for DATEADDED,
// 2.0's YYYYMMDDHHMMSS (the date part is kept).
func compactDate(s string, added bool) (kg.Date, error) {
	if !isDigits(s) {
		return kg.Date{}, fmt.Errorf("%q is not a date", s)
	}
	var layout string
	prec := kg.PrecisionDay
	switch len(s) {
	case 14:
		if !added {
			return kg.Date{}, fmt.Errorf("%q is not YYYYMMDD", s)
		}
		layout = "20060102150405"
	case 8:
		layout = "20060102"
	case 6:
		layout, prec = "200601", kg.PrecisionMonth
	case 4:
		layout, prec = "2006", kg.PrecisionYear
	default:
		return kg.Date{}, fmt.Errorf("%q is not YYYYMMDD, YYYYMM or YYYY", s)
	}
	if added && prec != kg.PrecisionDay {
		return kg.Date{}, fmt.Errorf("%q is not YYYYMMDD or YYYYMMDDHHMMSS", s)
	}
	t, err := time.Parse(layout, s)
	if err != nil || t.Year() < 1 {
		return kg.Date{}, fmt.Errorf("%q is not a calendar date", s)
	}
	return kg.Date{Date: t.Format(time.DateOnly), Precision: prec}, nil
}

// score parses an optional decimal within [-limit, limit].
func score(s string, limit float64) (*float64, error) {
	if s == "" {
		return nil, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || v < -limit || v > limit {
		return nil, fmt.Errorf("%q is not a number in [%g, %g]", s, -limit, limit)
	}
	return &v, nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
