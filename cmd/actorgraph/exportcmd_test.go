package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/seed"
	"github.com/actorgraph/actorgraph/internal/store/boltstore"
)

// seededDir makes an embedded store holding the seed graph and closes it.
func seededDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	st, err := boltstore.Open(dir, boltstore.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	g, err := seed.Graph()
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Load(context.Background(), g); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	return dir
}

// runExport runs `actorgraph export args…` against the embedded store in
// dir (never a Neo4j named by the environment).
func runExport(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	var stdout bytes.Buffer
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	args = append([]string{"--neo4j-uri=", "--data-dir", dir}, args...)
	err := exportCmd(context.Background(), log, args, &stdout)
	return stdout.String(), err
}

func TestExportCommand(t *testing.T) {
	dir := seededDir(t)
	g, _ := seed.Graph()

	// The project's JSON to stdout: the whole graph, valid as a kg.Graph.
	out, err := runExport(t, dir, "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var got kg.Graph
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if err := got.Validate(); err != nil || len(got.Relations) != len(g.Relations) || len(got.Actors) != len(g.Actors) {
		t.Errorf("json: %d relations, %d actors, %v", len(got.Relations), len(got.Actors), err)
	}

	// GraphML of Russia's neighbourhood, ACCUSES and DENIES only, to a file.
	file := filepath.Join(t.TempDir(), "russia.graphml")
	if _, err := runExport(t, dir, "--format=graphml", "--actor", "russia", "--depth", "2", "--types", "ACCUSES,DENIES", "-o", file); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Edges []struct {
			ID   string `xml:"id,attr"`
			Data []struct {
				Key   string `xml:"key,attr"`
				Value string `xml:",chardata"`
			} `xml:"data"`
		} `xml:"graph>edge"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Edges) == 0 {
		t.Fatal("no edges")
	}
	for _, e := range doc.Edges {
		for _, d := range e.Data {
			if d.Key == "e_relation" && d.Value != "ACCUSES" && d.Value != "DENIES" {
				t.Errorf("edge %s is %s", e.ID, d.Value)
			}
		}
	}
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("output file: %v %v", fi.Mode(), err)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(file), ".*.tmp")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}

	// Mistakes name the flag, and no file is written.
	bad := filepath.Join(t.TempDir(), "bad.csv")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--format", "csv-edges", "--actor", "russia", "--depth", "5", "-o", bad}, "--depth"},
		{[]string{"--format", "csv-edges", "--types", "HUGS", "-o", bad}, "--types"},
		{[]string{"--format", "csv-edges", "--gexf-version", "1.2draft", "-o", bad}, "--gexf-version"},
		{[]string{"--format", "csv-edges", "--actor", "nobody", "-o", bad}, "actor"},
		{[]string{"--format", "pajek"}, "unknown export format"},
		{[]string{"--actor", "russia"}, "--format is required"},
		{[]string{"--format", "json", "extra.json"}, "unexpected argument"},
	} {
		if _, err := runExport(t, dir, tc.args...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want one mentioning %q", tc.args, err, tc.want)
		}
	}
	if _, err := os.Stat(bad); !os.IsNotExist(err) {
		t.Errorf("a failed export left %s", bad)
	}
	if _, err := runExport(t, filepath.Join(dir, "missing"), "--format", "json"); err == nil || !strings.Contains(err.Error(), "no embedded store") {
		t.Errorf("missing store: %v", err)
	}
}
