package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/actorgraph/actorgraph/internal/importer"
	"github.com/actorgraph/actorgraph/internal/store/boltstore"
)

// runImportTest runs `actorgraph import args…` in process against the
// embedded store in dir (never a Neo4j named by the environment).
func runImportTest(t *testing.T, dir string, stdin io.Reader, args ...string) (string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	args = append([]string{"--neo4j-uri=", "--data-dir", dir}, args...)
	err := runImport(context.Background(), log, args, stdin, &stdout, &stderr)
	if stderr.Len() > 0 {
		t.Logf("stderr: %s", stderr.String())
	}
	return stdout.String(), err
}

func sampleFile(t *testing.T, name string) string {
	t.Helper()
	path := filepath.Join("..", "..", "..", "shared", "data", "eventdata", name)
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("event data sample missing (CI=true): %v", err)
		}
		t.Skipf("event data sample missing: %v", err)
	}
	return path
}

func TestImportCommand(t *testing.T) {
	dir := t.TempDir()
	gdelt := sampleFile(t, "gdelt2_20191024143000.export.first2000.CSV")
	out, err := runImportTest(t, dir, nil, "--format", "gdelt", gdelt)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", out)
	for _, want := range []string{"import gdelt: 2000 rows read, ", " imported, ", "skipped:", "one-sided event",
		"gdelt2_20191024143000.export.first2000.CSV:1: one-sided event: Actor1Code is empty"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}

	// stdin, with a flag after the file name; the seed is not loaded twice.
	f, err := os.Open(sampleFile(t, "icews_andybega_events.2018.sample.first2000.tab"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out, err = runImportTest(t, dir, f, "-", "--format=icews", "--batch", "700")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "import icews: 1999 rows read, ") || !strings.Contains(out, "3 batches") {
		t.Errorf("stdin import:\n%s", out)
	}

	st, err := boltstore.Open(dir, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close(context.Background())
	m, err := st.Actors(context.Background(), []string{"russia", "kerry"})
	if err != nil || len(m) != 2 {
		t.Errorf("the seed graph was not loaded first: %v %v", m, err)
	}
}

func TestImportCommandStrict(t *testing.T) {
	dir := t.TempDir()
	bad := "1\t20191024\n" // two columns
	out, err := runImportTest(t, dir, strings.NewReader(bad), "--format", "gdelt2", "--strict", "--no-seed")
	var se *importer.StrictError
	if !errors.As(err, &se) || se.First.Line != 1 {
		t.Fatalf("err = %v, want a strict refusal at line 1", err)
	}
	if !strings.Contains(out, "--strict: nothing was written") || !strings.Contains(out, "-:1: wrong column count") {
		t.Errorf("output:\n%s", out)
	}
	st, err := boltstore.Open(dir, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close(context.Background())
	if s, _ := st.Stats(context.Background()); s.Relations != 0 || s.Actors != 0 {
		t.Errorf("strict refusal wrote %+v", s)
	}
}

// TestImportCommandNoValidRow: an import whose every row is skipped fails
// (exit status 1 from main) with a clear message, after its summary; one
// whose rows were all unchanged (a re-import) does not.
func TestImportCommandNoValidRow(t *testing.T) {
	dir := t.TempDir()
	bad := "1\t20191024\nnot\ta\trow\n" // two malformed GDELT rows
	out, err := runImportTest(t, dir, strings.NewReader(bad), "--format", "gdelt2", "--no-seed")
	if err == nil || !strings.Contains(err.Error(), "no row was valid: all 2 row(s) read were skipped (2 malformed)") {
		t.Errorf("err = %v, want no row was valid", err)
	}
	if !strings.Contains(out, "2 rows read, 0 imported, 2 skipped") {
		t.Errorf("no summary before the failure:\n%s", out)
	}
	seed := filepath.Join("..", "..", "internal", "seed", "data", "aleppo.json")
	if _, err := runImportTest(t, dir, nil, "--format", "json", seed); err != nil {
		t.Fatal(err)
	}
	out, err = runImportTest(t, dir, nil, "--format", "json", seed)
	if err != nil || !strings.Contains(out, "0 created, 0 updated, ") {
		t.Errorf("re-import: %v\n%s", err, out)
	}
}

func TestImportCommandErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := runImportTest(t, dir, nil, "--format", "xml", "f"); err == nil || !strings.Contains(err.Error(), "unknown format") {
		t.Errorf("bad format: %v", err)
	}
	if _, err := runImportTest(t, dir, nil, "--format", "gdelt", filepath.Join(dir, "missing.tsv")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, boltstore.FileName)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed start created the store: %v", err)
	}
}

func TestParseInterleaved(t *testing.T) {
	for _, c := range []struct {
		args  []string
		files []string
		batch string
	}{
		{[]string{"a", "--batch", "3", "b"}, []string{"a", "b"}, "3"},
		{[]string{"--batch=4", "-"}, []string{"-"}, "4"},
		{[]string{"a", "--", "--batch", "b"}, []string{"a", "--batch", "b"}, "1"},
		{nil, nil, "1"},
	} {
		fs := newTestFlagSet()
		files, err := parseInterleaved(fs, c.args)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(files, "|") != strings.Join(c.files, "|") || fs.Lookup("batch").Value.String() != c.batch {
			t.Errorf("%q: files %q batch %s", c.args, files, fs.Lookup("batch").Value)
		}
	}
}

func newTestFlagSet() *flag.FlagSet {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.Int("batch", 1, "")
	return fs
}
