package main_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// syncBuffer is a log buffer the server process writes while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestKeysRevokeSIGHUP: a key revoked with the CLI keeps working until the
// server gets SIGHUP, then gets 401 while the other key and the server go on;
// the reload is logged as JSON, and a keys file broken later is refused on
// reload with the keys in force kept.
func TestKeysRevokeSIGHUP(t *testing.T) {
	bin := build(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "keys.json")
	createKey := func(name string) string {
		out, err := exec.Command(bin, "keys", "create", "--name", name, "--role", "read", "--keys-file", file).Output()
		if err != nil {
			t.Fatalf("keys create %s: %v", name, err)
		}
		return strings.SplitN(string(out), "\n", 2)[0]
	}
	gone, kept := createKey("leaver"), createKey("stayer")

	addr := freePort(t)
	logs := &syncBuffer{}
	cmd := exec.Command(bin, "serve", "--listen", addr, "--data-dir", filepath.Join(dir, "data"), "--keys-file", file)
	cmd.Env = []string{"PATH=/usr/bin:/bin"}
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		cmd.Process.Kill()
		<-exited
		if t.Failed() {
			t.Logf("server log:\n%s", tail(logs.String(), 3000))
		}
	}()
	waitReady(t, addr)

	status := func(key string) int {
		t.Helper()
		req, _ := http.NewRequest("POST", "http://"+addr+"/graphql", strings.NewReader(`{"query":"{ actor(id: \"usa\") { id } }"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+key)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("server stopped answering: %v", err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	hup := func() {
		t.Helper()
		if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
			t.Fatal(err)
		}
	}
	waitLog := func(msg string, n int) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if strings.Count(logs.String(), msg) >= n {
				return
			}
		}
		t.Fatalf("no %d× log %q", n, msg)
	}
	if s := status(gone); s != 200 {
		t.Fatalf("key before revoke: %d", s)
	}

	out, err := exec.Command(bin, "keys", "revoke", "--name", "leaver", "--keys-file", file).CombinedOutput()
	if err != nil || !strings.Contains(string(out), `revoked key "leaver"`) || strings.Contains(string(out), gone) {
		t.Fatalf("keys revoke: %v %s", err, out)
	}
	if s := status(gone); s != 200 {
		t.Fatalf("revoked key refused before SIGHUP (%d): the reload is what applies it", s)
	}
	hup()
	waitLog("keys reloaded on SIGHUP", 1)
	if s := status(gone); s != http.StatusUnauthorized {
		t.Fatalf("revoked key after SIGHUP: %d, want 401", s)
	}
	if s := status(kept); s != 200 {
		t.Fatalf("other key after SIGHUP: %d", s)
	}

	// The reload is one JSON log line naming the keys now in force.
	var line map[string]any
	for _, l := range strings.Split(logs.String(), "\n") {
		if strings.Contains(l, "keys reloaded on SIGHUP") {
			if err := json.Unmarshal([]byte(l), &line); err != nil {
				t.Fatalf("reload log is not JSON: %q", l)
			}
		}
	}
	if keys, _ := line["keys"].(map[string]any); keys == nil || keys["count"] != float64(1) || strings.Contains(logs.String(), kept) {
		t.Fatalf("reload log %v", line)
	}

	// A broken keys file: the reload fails, the key in force keeps working.
	if err := os.WriteFile(file, []byte(`{"keys": [`), 0o600); err != nil {
		t.Fatal(err)
	}
	hup()
	waitLog("keys reload failed on SIGHUP", 1)
	if s := status(kept); s != 200 {
		t.Fatalf("key in force after a failed reload: %d", s)
	}
	// Revoking every key locks everyone out; it does not open the server.
	if err := os.WriteFile(file, []byte(`{"keys": []}`), 0o600); err != nil {
		t.Fatal(err)
	}
	hup()
	waitLog("keys reloaded on SIGHUP", 2)
	if s := status(kept); s != http.StatusUnauthorized {
		t.Fatalf("last key revoked: %d, want 401", s)
	}
	if s := status(""); s != http.StatusUnauthorized {
		t.Fatalf("no key once every key is revoked: %d, want 401", s)
	}
	select {
	case err := <-exited:
		t.Fatalf("server exited after SIGHUP: %v", err)
	default:
	}
}
