package importer_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/actorgraph/actorgraph/internal/importer"
	"github.com/actorgraph/actorgraph/internal/seed"
	"github.com/actorgraph/actorgraph/internal/store/boltstore"
	"github.com/actorgraph/actorgraph/internal/store/storetest"
)

// Fuzz targets for every import format, each into a real on-disk embedded
// store holding the seed graph. Whatever the input: --strict either refuses
// it with nothing written or finds nothing malformed; a plain import never
// fails with a store error (what the importer accepts the store accepts),
// counts every row (Read = Imported + Skipped) and leaves a graph that keeps
// the data model's rules. Seeds below and in testdata/fuzz/<target>; CI runs
// each target for a fixed time (.ci/run).

func fuzzImport(f *testing.F, format importer.Format, seeds []string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	st, err := boltstore.Open(f.TempDir(), boltstore.Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { st.Close(context.Background()) })
	loadSeed(f, st)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, data []byte) {
		before, err := st.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		sum, err := importBytes(t, st, importer.Options{Format: format, Strict: true, Batch: 3}, "fuzz", data)
		var strict *importer.StrictError
		switch {
		case errors.As(err, &strict):
			if after, _ := st.Stats(ctx); after != before || !sum.Refused {
				t.Fatalf("--strict refused the input but the store changed: %+v -> %+v", before, after)
			}
		case err != nil:
			t.Fatalf("--strict import failed: %v", err)
		case sum.Bad > 0:
			t.Fatalf("--strict imported an input with %d malformed rows", sum.Bad)
		}
		sum, err = importBytes(t, st, importer.Options{Format: format, Batch: 3}, "fuzz", data)
		if err != nil {
			t.Fatalf("import failed (the store refused what the importer accepted?): %v", err)
		}
		if sum.Read != sum.Imported+sum.Skipped {
			t.Fatalf("read %d != imported %d + skipped %d", sum.Read, sum.Imported, sum.Skipped)
		}
		if msg := storetest.CheckGraph(st); msg != "" {
			t.Fatalf("stored graph breaks a rule: %s", msg)
		}
	})
}

func FuzzImportGDELT(f *testing.F) {
	seeds := []string{genLine(0) + "\n" + genLine(1) + "\n", genLine(7)}
	r := genRow(3)
	r[26] = "999" // not in the codebook
	seeds = append(seeds, strings.Join(r, "\t"))
	r = genRow(4)
	r[15] = r[5] // the same actor at both ends
	seeds = append(seeds, strings.Join(r, "\t"))
	seeds = append(seeds, strings.Join(genRow(5)[:57], "\t"), "\n\n", "x\ty\n")
	fuzzImport(f, importer.GDELT, seeds)
}

func FuzzImportICEWS(f *testing.F) {
	header := "Event ID\tEvent Date\tSource Name\tSource Sectors\tSource Country\tEvent Text\tCAMEO Code\tIntensity\tTarget Name\tTarget Sectors\tTarget Country\tStory ID\tSentence Number\tPublisher\tCity\tDistrict\tProvince\tCountry\tLatitude\tLongitude\n"
	row := "1\t2018-01-02\tRussia\tGovernment\tRussian Federation\tAccuse\t112\t-2.0\tUnited States\tGovernment\tUnited States\t77\t1\tAP\tMoscow\t\tMoskva\tRussian Federation\t55.75\t37.61\n"
	fuzzImport(f, importer.ICEWS, []string{
		header + row,
		row,
		header + strings.Replace(row, "United States\tGovernment", "Russia\tGovernment", 1),
		header + strings.Replace(row, "2018-01-02", "2018-13-40", 1),
		"Event ID\tEvent Date\n1\t2018-01-02\n",
		header + strings.Replace(row, "112", "unspecified actor", 1),
	})
}

func FuzzImportCSV(f *testing.F) {
	fuzzImport(f, importer.CSV, []string{
		"id,type,from,to,cameo,goldstein,occurred,reported,source,note,alleges,denies,attribution,claimedBy\n" +
			"csv-1,ACCUSES,usa,russia,1121,-2,2016-09-20,2016-09-28,thenews-aleppo-2016,,,,,\n" +
			"csv-3,DENIES,russia,usa,016,,,,thenews-aleppo-2016,,,csv-1,,\n" +
			"csv-7,ATTACKS,russian-military,aleppo,190,-10,2016-09-19,2016-09-28,thenews-aleppo-2016,,,,ALLEGED,usa\n",
		"id,type,from,to,source\nself,CRITICIZES,usa,usa,thenews-aleppo-2016\n",
		"id,type,from,to,source\np1,PART_OF,usa,russia,thenews-aleppo-2016\np2,PART_OF,russia,usa,thenews-aleppo-2016\n",
		"id,type,from,to,note,source\nn,CONSULTS,usa,russia,\"a note\nover two lines\",thenews-aleppo-2016\n",
		"id,type\n\"unterminated,x\n",
		"type,from,to\nCONSULTS,usa,russia\n",
	})
}

func FuzzImportJSON(f *testing.F) {
	g, err := seed.Graph()
	if err != nil {
		f.Fatal(err)
	}
	whole, _ := json.Marshal(g)
	g.Sources, g.Places, g.Events = nil, nil, nil
	g.Relations = g.Relations[:3]
	part, _ := json.Marshal(g)
	fuzzImport(f, importer.JSON, []string{
		string(whole), string(part),
		`{"relations": [{"id": "j1", "type": "CRITICIZES", "from": "usa", "to": "usa", "attribution": "ASSERTED", "status": "ACTUAL", "source": "thenews-aleppo-2016", "provenance": {"confidence": 0.5, "method": "MANUAL"}}]}`,
		`{"relations": [{"id": "j2", "type": "PART_OF", "from": "usa", "to": "russia", "attribution": "ASSERTED", "status": "ACTUAL", "source": "thenews-aleppo-2016", "provenance": {"confidence": 0.5, "method": "MANUAL"}}, {"id": "j3", "type": "PART_OF", "from": "russia", "to": "usa", "attribution": "ASSERTED", "status": "ACTUAL", "source": "thenews-aleppo-2016", "provenance": {"confidence": 0.5, "method": "MANUAL"}}]}`,
		`{"actors": [{"id": "x\u202e", "name": "\u001b[31mred", "kind": "STATE"}]}`,
		`{"actors": [`, `[]`, `null`, `{"actors": {"id": 1}}`,
	})
}
