package importer

import (
	"fmt"
	"strings"
	"time"

	"github.com/actorgraph/actorgraph/internal/kg"
)

// icewsColumns is the header of ICEWS's coded event files, in order.
var icewsColumns = []string{
	"Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text",
	"CAMEO Code", "Intensity", "Target Name", "Target Sectors", "Target Country", "Story ID",
	"Sentence Number", "Publisher", "City", "District", "Province", "Country", "Latitude", "Longitude",
}

// icewsUnspecified is how ICEWS writes a missing actor.
const icewsUnspecified = "unspecified actor"

// icewsRequired are the columns a row cannot do without.
var icewsRequired = []string{"Event ID", "Event Date", "Source Name", "CAMEO Code", "Target Name"}

// icewsFile parses one ICEWS file: the header (when the first line is one)
// names the columns; without it the standard order is assumed.
type icewsFile struct {
	started bool
	col     map[string]int // folded column name -> index
	n       int            // columns per row
	broken  bool           // the header lacks a required column
}

func (ic *icewsFile) line(im *importer, at lineRef, line string) {
	f := strings.Split(line, "\t")
	if !ic.started {
		ic.started = true
		ic.col = map[string]int{}
		if kg.Fold(f[0]) == "event id" {
			for i, name := range f {
				ic.col[kg.Fold(name)] = i
			}
			ic.n = len(f)
			var missing []string
			for _, c := range icewsRequired {
				if _, ok := ic.col[kg.Fold(c)]; !ok {
					missing = append(missing, c)
				}
			}
			if len(missing) > 0 { // a bad row, and so is every row after it
				ic.broken = true
				im.skip(at, ReasonHeader, true, "the header lacks %s", strings.Join(missing, ", "))
				return
			}
			im.sum.Read-- // the header is not a row
			return
		}
		for i, name := range icewsColumns {
			ic.col[kg.Fold(name)] = i
		}
		ic.n = len(icewsColumns)
	}
	if ic.broken {
		im.skip(at, ReasonHeader, true, "the file's header lacks required columns")
		return
	}
	if len(f) != ic.n {
		im.skip(at, ReasonColumns, true, "%d tab-separated columns, want %d as in the header", len(f), ic.n)
		return
	}
	get := func(name string) string {
		i, ok := ic.col[kg.Fold(name)]
		if !ok {
			return ""
		}
		v := strings.TrimSpace(f[i])
		if v == "NA" {
			return ""
		}
		return v
	}

	id := get("Event ID")
	if !rawID.MatchString(id) {
		im.skip(at, ReasonID, true, "Event ID %q is not a number", id)
		return
	}
	date, err := icewsDate(get("Event Date"))
	if err != nil {
		im.skip(at, ReasonDate, true, "Event Date: %v", err)
		return
	}
	code := get("CAMEO Code")
	typ, err := kg.TypeForCAMEO(code)
	if err != nil {
		im.skip(at, ReasonCode, true, "CAMEO Code %q is not in the CAMEO codebook", code)
		return
	}
	intensity, err := score(get("Intensity"), 10)
	if err != nil {
		im.skip(at, ReasonNumber, true, "Intensity: %v", err)
		return
	}
	src, tgt := get("Source Name"), get("Target Name")
	switch {
	case src == "" || kg.Fold(src) == icewsUnspecified:
		im.skip(at, ReasonOneSided, false, "Source Name is %q", f[ic.col[kg.Fold("Source Name")]])
		return
	case tgt == "" || kg.Fold(tgt) == icewsUnspecified:
		im.skip(at, ReasonOneSided, false, "Target Name is %q", f[ic.col[kg.Fold("Target Name")]])
		return
	}

	ev := &eventRow{
		at: at,
		a1: actorRef{name: src, sectors: get("Source Sectors"), country: get("Source Country")},
		a2: actorRef{name: tgt, sectors: get("Target Sectors"), country: get("Target Country")},
		rel: kg.Relation{
			ID: "icews-" + id, Type: typ, Attribution: kg.Asserted, Status: kg.Actual,
			Occurred: date, Reported: date, CAMEO: code, Goldstein: intensity,
			Provenance: kg.Provenance{Confidence: Confidence, Method: kg.MethodImport, Detail: "icews", Review: kg.ReviewProposed},
			Row:        &kg.ImportRow{Format: "icews", RowID: id, Actor1: src, Actor2: tgt},
		},
		source: icewsSource(get("Story ID"), get("Publisher"), date.Date),
		place:  icewsPlace(get("City"), get("District"), get("Province"), get("Country")),
	}
	im.pending = append(im.pending, ev)
}

// icewsDate parses "Event Date": YYYY-MM-DD, or M/D/YYYY as in Events.2017.
func icewsDate(s string) (kg.Date, error) {
	for _, layout := range []string{time.DateOnly, "1/2/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return kg.Date{Date: t.Format(time.DateOnly), Precision: kg.PrecisionDay}, nil
		}
	}
	return kg.Date{}, fmt.Errorf("%q is not YYYY-MM-DD or M/D/YYYY", s)
}

// icewsSource is the story a row comes from, or the data set's day when the
// row names no story.
func icewsSource(story, publisher, day string) kg.Source {
	if publisher == "" {
		publisher = "ICEWS"
	}
	if rawID.MatchString(story) {
		return kg.Source{ID: "icews-story-" + strings.ToLower(story), Title: "ICEWS story " + story, Publisher: publisher, Published: day}
	}
	return kg.Source{ID: "icews-" + strings.ReplaceAll(day, "-", ""), Title: "ICEWS events of " + day, Publisher: "ICEWS", Published: day}
}

// icewsPlace is the row's location, named by its known parts.
func icewsPlace(city, district, province, country string) *kg.Place {
	var parts []string
	for _, p := range []string{city, district, province, country} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return nil
	}
	alpha3 := alpha3ByName[kg.Fold(country)]
	p := &kg.Place{Name: strings.Join(parts, ", "), Country: alpha3}
	switch {
	case city != "":
		p.Kind = kg.PlaceCity
	case district != "" || province != "":
		p.Kind = kg.PlaceDistrict
	default:
		p.Kind = kg.PlaceCountry
		p.Name = country
	}
	if p.Kind == kg.PlaceCountry && alpha3 != "" {
		p.ID = countryPlaceID(alpha3)
		p.Name = countryByAlpha3[alpha3].name
	} else {
		p.ID = "place-" + slugOrHash(p.Name)
	}
	return p
}
