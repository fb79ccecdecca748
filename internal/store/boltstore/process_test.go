package boltstore_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/boltstore"
	"github.com/actorgraph/actorgraph/internal/store/storetest"
)

// The tests below run a second, real process (this test binary re-executed
// in a helper mode) to check what only another process can show: the file
// lock, and crash safety under kill -9.

const helperEnv = "BOLTSTORE_TEST_HELPER"

// TestMain runs the helper process's work when re-executed in helper mode,
// and the tests otherwise.
func TestMain(m *testing.M) {
	if mode := os.Getenv(helperEnv); mode != "" {
		helperProcess(mode)
	}
	os.Exit(m.Run())
}

// helperProcess is the child process's entry point.
func helperProcess(mode string) {
	dir := os.Getenv("BOLTSTORE_TEST_DIR")
	s, err := boltstore.Open(dir, boltstore.Options{})
	if err != nil {
		fmt.Println("open failed:", err)
		os.Exit(3)
	}
	switch mode {
	case "hold": // keep the file open until killed
		fmt.Println("ready")
		time.Sleep(time.Minute)
	case "write": // commit batch after batch, reporting each commit
		for i := 0; ; i++ {
			if err := s.Load(context.Background(), batch(i)); err != nil {
				fmt.Println("load failed:", err)
				os.Exit(4)
			}
			fmt.Println("committed", i)
		}
	}
	os.Exit(0)
}

// batch i is the fixture plus 50 relations numbered for batch i.
func batch(i int) *kg.Graph {
	g := storetest.Fixture()
	base := g.Relations[0]
	g.Relations = nil
	for j := 0; j < 50; j++ {
		r := base
		r.ID = fmt.Sprintf("b%05d-%02d", i, j)
		r.Alleges = ""
		g.Relations = append(g.Relations, r)
	}
	return g
}

func helper(t *testing.T, mode, dir string) (*exec.Cmd, *bufio.Scanner) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), helperEnv+"="+mode, "BOLTSTORE_TEST_DIR="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd, bufio.NewScanner(out)
}

// TestSecondProcessGetsInUse: while another process holds the store, Open
// fails with ErrInUse after the lock timeout instead of hanging.
func TestSecondProcessGetsInUse(t *testing.T) {
	dir := t.TempDir()
	_, out := helper(t, "hold", dir)
	if !out.Scan() || out.Text() != "ready" {
		t.Fatalf("helper did not start: %q", out.Text())
	}
	start := time.Now()
	_, err := boltstore.Open(dir, boltstore.Options{LockTimeout: 300 * time.Millisecond})
	if !errors.Is(err, store.ErrInUse) {
		t.Fatalf("err = %v, want ErrInUse", err)
	}
	if !strings.Contains(err.Error(), "in use") {
		t.Errorf("message %q does not say the store is in use", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s", d)
	}
}

// TestCrashSafety kills a writer with SIGKILL mid-stream, reopens the file
// and checks that every batch it reported committed is there, whole.
func TestCrashSafety(t *testing.T) {
	dir := t.TempDir()
	cmd, out := helper(t, "write", dir)
	last := -1
	for out.Scan() {
		f := strings.Fields(out.Text())
		if len(f) != 2 || f[0] != "committed" {
			t.Fatalf("helper: %q", out.Text())
		}
		last, _ = strconv.Atoi(f[1])
		if last >= 20 {
			break
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	s, err := boltstore.Open(dir, boltstore.Options{})
	if err != nil {
		t.Fatalf("reopen after kill -9: %v", err)
	}
	defer s.Close(context.Background())
	st, _ := s.Stats(context.Background())
	// Each batch adds 50 relations; batches after `last` may or may not have
	// committed, but never partly.
	if st.Relations < 50*(last+1) || st.Relations%50 != 0 {
		t.Fatalf("after crash: %d relations; want a multiple of 50 and at least %d", st.Relations, 50*(last+1))
	}
	page, err := s.ListRelations(context.Background(), store.RelationFilter{}, store.Order{Field: store.SortID}, store.Page{First: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	rs := page.Items
	for i := 0; i <= last && i < 20; i++ {
		id := fmt.Sprintf("b%05d-%02d", i, 49)
		found := false
		for _, r := range rs {
			found = found || r.ID == id
		}
		if !found {
			t.Fatalf("committed relation %s lost", id)
		}
	}
}
