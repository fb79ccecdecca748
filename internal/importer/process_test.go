package importer_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/actorgraph/actorgraph/internal/importer"
	"github.com/actorgraph/actorgraph/internal/store/boltstore"
)

// The kill -9 test re-executes this test binary as an importing child
// process and kills it mid-import, as only another process can show.

const helperEnv = "IMPORTER_TEST_HELPER"

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) == "import" {
		os.Exit(helperImport())
	}
	os.Exit(m.Run())
}

// helperImport imports IMPORTER_TEST_FILE into the embedded store in
// IMPORTER_TEST_DIR (fsync on, as users run it) and prints
// "committed <relations>" after every batch.
func helperImport() int {
	st, err := boltstore.Open(os.Getenv("IMPORTER_TEST_DIR"), boltstore.Options{})
	if err != nil {
		fmt.Println("open failed:", err)
		return 3
	}
	f, err := os.Open(os.Getenv("IMPORTER_TEST_FILE"))
	if err != nil {
		fmt.Println("open failed:", err)
		return 3
	}
	batch, _ := strconv.Atoi(os.Getenv("IMPORTER_TEST_BATCH"))
	opts := importer.Options{Format: importer.GDELT2, Batch: batch, Progress: func(p importer.Progress) {
		fmt.Printf("committed %d\n", p.Imported)
	}}
	if _, err := importer.Import(context.Background(), st, opts, importer.Input{Name: f.Name(), R: f}); err != nil {
		fmt.Println("import failed:", err)
		return 4
	}
	fmt.Println("done")
	return 0
}

// TestKill9MidImport: SIGKILL during an import into the embedded store
// leaves a store that opens and holds whole batches only — never part of one.
func TestKill9MidImport(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 200k-row file")
	}
	const total, batch = 200_000, 1000
	tmp := t.TempDir()
	file, dir := filepath.Join(tmp, "gdelt.tsv"), filepath.Join(tmp, "store")
	writeGDELT(t, file, total)

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"=import", "IMPORTER_TEST_DIR="+dir, "IMPORTER_TEST_FILE="+file,
		"IMPORTER_TEST_BATCH="+strconv.Itoa(batch))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	committed := 0
	sc := bufio.NewScanner(out)
	for committed < 5*batch && sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 2 || f[0] != "committed" {
			t.Fatalf("child: %q", sc.Text())
		}
		committed, _ = strconv.Atoi(f[1])
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if committed < 5*batch {
		t.Fatalf("the child stopped after %d relations: %v", committed, sc.Err())
	}

	st, err := boltstore.Open(dir, boltstore.Options{})
	if err != nil {
		t.Fatalf("reopen after kill -9: %v", err)
	}
	defer st.Close(context.Background())
	rels := stats(t, st).Relations
	t.Logf("killed after %d relations were reported committed; the store holds %d of %d", committed, rels, total)
	switch {
	case rels <= 0 || rels >= total:
		t.Fatalf("%d relations: the kill did not land mid-import", rels)
	case rels%batch != 0:
		t.Fatalf("%d relations: not a whole number of %d-row batches", rels, batch)
	case rels < committed:
		t.Fatalf("%d relations, but %d were reported committed", rels, committed)
	}
	// The rows import in order, all valid: the store holds exactly the first rels.
	m, err := st.Relations(context.Background(), []string{"gdelt-" + genID(0), "gdelt-" + genID(rels-1), "gdelt-" + genID(rels)})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := m["gdelt-"+genID(0)]; !ok {
		t.Error("the first row is missing")
	}
	if _, ok := m["gdelt-"+genID(rels-1)]; !ok {
		t.Errorf("row %d, the last of the committed batches, is missing", rels-1)
	}
	if _, ok := m["gdelt-"+genID(rels)]; ok {
		t.Errorf("row %d, the first of the lost batch, is present", rels)
	}
	// Every relation's ends and source came in the same transaction.
	r := m["gdelt-"+genID(rels-1)]
	as, _ := st.Actors(context.Background(), []string{r.From, r.To})
	srcs, _ := st.Sources(context.Background(), []string{r.SourceID})
	if len(as) != 2 || len(srcs) != 1 {
		t.Errorf("relation %s lacks its actors or source: %v %v", r.ID, as, srcs)
	}
}
