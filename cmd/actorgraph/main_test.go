package main_test

import (
	"bytes"
	"encoding/json"

	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// build compiles the real binary once per test.
func build(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "actorgraph")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func waitReady(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		res, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("server at %s not ready", addr)
}

// TestServeEmbedded is the README's first command end to end: the binary
// starts on an empty data dir with no Neo4j, loads the seed graph, serves
// the playground and GraphQL, refuses a second server on the same data dir,
// and exits cleanly on SIGTERM.
func TestServeEmbedded(t *testing.T) {
	bin := build(t)
	dir := filepath.Join(t.TempDir(), "data")
	addr := freePort(t)
	var logs bytes.Buffer
	cmd := exec.Command(bin, "serve", "--listen", addr, "--data-dir", dir)
	cmd.Env = []string{"PATH=/usr/bin:/bin"} // no NEO4J_URI: the embedded default
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	waitReady(t, addr)

	res, err := http.Get("http://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Errorf("playground: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}

	body := `{"query":"{ relations(filter: {types: [DENIES]}) { nodes { from { name } denies { from { name } to { name } } evidence { quote } } } }"}`
	res, err = http.Post("http://"+addr+"/graphql", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Data struct {
			Relations struct {
				Nodes []struct {
					From     struct{ Name string }
					Denies   struct{ From, To struct{ Name string } }
					Evidence []struct{ Quote string }
				}
			}
		}
	}
	json.NewDecoder(res.Body).Decode(&r)
	res.Body.Close()
	if rs := r.Data.Relations.Nodes; len(rs) == 0 || rs[0].Denies.To.Name != "Russia" ||
		rs[0].Evidence[0].Quote != "accusations Moscow has denied" {
		t.Errorf("seed graph not served: %+v", r.Data)
	}

	second := exec.Command(bin, "serve", "--listen", freePort(t), "--data-dir", dir)
	second.Env = cmd.Env
	out, err := second.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "in use by another process") {
		t.Errorf("second server on the same data dir: err=%v\n%s", err, out)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v\n%s", err, logs.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no exit after SIGTERM")
	}
	for _, want := range []string{"loaded the seed article graph", "shutting down"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}

}

// TestFirstRun: --help exits 0 without an error line; the server logs the
// absolute data directory it opened and, without --access-log, no line per
// request.
func TestFirstRun(t *testing.T) {
	bin := build(t)
	var help bytes.Buffer
	cmd := exec.Command(bin, "serve", "--help")
	cmd.Stderr = &help
	if err := cmd.Run(); err != nil {
		t.Errorf("serve --help: %v", err)
	}
	if strings.Contains(help.String(), "ERROR") || !strings.Contains(help.String(), "-access-log") {
		t.Errorf("serve --help printed:\n%s", help.String())
	}

	work := t.TempDir()
	addr := freePort(t)
	var logs bytes.Buffer
	srv := exec.Command(bin, "serve", "--listen", addr, "--data-dir", "rel-data")
	srv.Dir, srv.Env, srv.Stderr = work, []string{"PATH=/usr/bin:/bin"}, &logs
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer srv.Process.Kill()
	waitReady(t, addr)
	for range 3 {
		if res, err := http.Get("http://" + addr + "/livez"); err == nil {
			res.Body.Close()
		}
	}
	srv.Process.Kill()
	srv.Wait()
	abs, _ := filepath.EvalSymlinks(work)
	if !strings.Contains(logs.String(), `"dir":"`+filepath.Join(work, "rel-data")+`"`) &&
		!strings.Contains(logs.String(), `"dir":"`+filepath.Join(abs, "rel-data")+`"`) {
		t.Errorf("the log does not name the absolute data directory:\n%s", logs.String())
	}
	if strings.Contains(logs.String(), `"msg":"http"`) {
		t.Errorf("access lines logged without --access-log:\n%s", logs.String())
	}
}
