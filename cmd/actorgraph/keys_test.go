package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/actorgraph/actorgraph/internal/auth"
)

// create runs "keys create" and returns the key it printed.
func create(t *testing.T, args ...string) string {
	t.Helper()
	var out bytes.Buffer
	if err := keysCmd(append([]string{"create"}, args...), &out); err != nil {
		t.Fatalf("keys create %v: %v", args, err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[1], "# ") {
		t.Fatalf("want the key and a one-line hint, got %q", out.String())
	}
	key := lines[0]
	if !strings.HasPrefix(key, auth.KeyPrefix) || strings.Count(out.String(), key) != 1 {
		t.Fatalf("key not printed exactly once: %q", out.String())
	}
	if !strings.Contains(lines[1], "only time") || !strings.Contains(lines[1], auth.Fingerprint(key)) {
		t.Fatalf("hint %q", lines[1])
	}
	return key
}

func TestKeysCreateListRoundTrip(t *testing.T) {
	file := filepath.Join(t.TempDir(), "keys.json")
	readKey := create(t, "--name", "analyst", "--role", "read", "--keys-file", file)
	st, err := os.Stat(file)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("keys file mode %v, %v", st.Mode(), err)
	}
	t.Setenv(auth.EnvKeysFile, file) // the flag's env fallback
	writeKey := create(t, "--name", "ci-bot", "--role", "write")
	if readKey == writeKey {
		t.Fatal("same key twice")
	}

	// The file holds the hashes and nothing of the keys.
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Keys []map[string]string `json:"keys"`
	}
	if err := json.Unmarshal(b, &f); err != nil || len(f.Keys) != 2 {
		t.Fatalf("keys file %s: %v", b, err)
	}
	for i, k := range []string{readKey, writeKey} {
		h := sha256.Sum256([]byte(k))
		if f.Keys[i]["sha256"] != hex.EncodeToString(h[:]) {
			t.Errorf("entry %d: sha256 %q", i, f.Keys[i]["sha256"])
		}
		if bytes.Contains(b, []byte(k)) || bytes.Contains(b, []byte(k[len(auth.KeyPrefix):])) {
			t.Fatalf("keys file holds a key:\n%s", b)
		}
	}
	if f.Keys[0]["name"] != "analyst" || f.Keys[0]["role"] != "read" || f.Keys[1]["role"] != "write" || f.Keys[0]["created"] == "" {
		t.Fatalf("entries %v", f.Keys)
	}

	var out bytes.Buffer
	if err := keysCmd([]string{"list", "--keys-file", file}, &out); err != nil {
		t.Fatal(err)
	}
	list := out.String()
	lines := strings.Split(strings.TrimSpace(list), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "NAME") {
		t.Fatalf("list:\n%s", list)
	}
	for i, want := range [][]string{{"analyst", "read", f.Keys[0]["created"], auth.Fingerprint(readKey)}, {"ci-bot", "write", f.Keys[1]["created"], auth.Fingerprint(writeKey)}} {
		if got := strings.Fields(lines[i+1]); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("row %d = %q, want %q", i, got, want)
		}
	}
	for i, k := range []string{readKey, writeKey} {
		if strings.Contains(list, k[len(auth.KeyPrefix):len(auth.KeyPrefix)+12]) || strings.Contains(list, f.Keys[i]["sha256"][:16]) {
			t.Fatalf("list shows key material:\n%s", list)
		}
	}

	// The created keys authenticate through the middleware with their roles.
	kr, err := auth.Load(file, "")
	if err != nil {
		t.Fatal(err)
	}
	h := auth.Policy{Keys: kr, Exempt: auth.DefaultExempt}.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, _ := auth.FromContext(r.Context())
		if err := auth.Require(r.Context(), auth.RoleWrite); err != nil {
			w.Write([]byte(p.Name + " " + err.(*auth.Error).Code))
			return
		}
		w.Write([]byte(p.Name + " may write"))
	}))
	srv := httptest.NewServer(h)
	defer srv.Close()
	for _, tc := range []struct{ key, want string }{
		{writeKey, "ci-bot may write"},
		{readKey, "analyst FORBIDDEN"},
	} {
		req, _ := http.NewRequest("POST", srv.URL+"/graphql", nil)
		req.Header.Set("Authorization", "Bearer "+tc.key)
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body bytes.Buffer
		body.ReadFrom(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || body.String() != tc.want {
			t.Errorf("got %d %q, want %q", res.StatusCode, body.String(), tc.want)
		}
	}
	res, err := srv.Client().Post(srv.URL+"/graphql", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("no key: %d", res.StatusCode)
	}
}

func TestKeysCmdErrors(t *testing.T) {
	file := filepath.Join(t.TempDir(), "keys.json")
	t.Setenv(auth.EnvKeysFile, "")
	create(t, "--name", "a", "--role", "admin", "--keys-file", file)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "missing subcommand"},
		{[]string{"rotate"}, `unknown subcommand "rotate"`},
		{[]string{"create", "--name", "b", "--role", "write"}, "--keys-file"},
		{[]string{"create", "--role", "write", "--keys-file", file}, "--name is required"},
		{[]string{"create", "--name", "b", "--keys-file", file}, "--role is required"},
		{[]string{"create", "--name", "b", "--role", "superuser", "--keys-file", file}, `unknown role "superuser"`},
		{[]string{"create", "--name", "a", "--role", "read", "--keys-file", file}, `already has a key named "a"`},
		{[]string{"create", "--name", "b c", "--role", "read", "--keys-file", file}, "name"},
		{[]string{"create", "--name", "b", "--role", "read", "--keys-file", file, "extra"}, "unexpected argument"},
		{[]string{"list"}, "--keys-file"},
		{[]string{"revoke", "--name", "a"}, "--keys-file"},
		{[]string{"revoke", "--keys-file", file}, "--name is required"},
		{[]string{"revoke", "--name", "zz", "--keys-file", file}, `no key named "zz"`},
		{[]string{"list", "--keys-file", file + ".missing"}, "no such file"},
	} {
		var out bytes.Buffer
		err := keysCmd(tc.args, &out)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("keys %v: error %v, want %q", tc.args, err, tc.want)
		}
		if out.Len() != 0 {
			t.Errorf("keys %v printed %q on failure", tc.args, out.String())
		}
	}
	var out bytes.Buffer
	if err := keysCmd([]string{"list", "--keys-file", file}, &out); err != nil || strings.Count(out.String(), "\n") != 2 {
		t.Fatalf("failed creates changed the file: %q %v", out.String(), err)
	}
	empty := filepath.Join(t.TempDir(), "empty.json")
	os.WriteFile(empty, nil, 0o600)
	out.Reset()
	if err := keysCmd([]string{"list", "--keys-file", empty}, &out); err != nil || !strings.Contains(out.String(), "no keys") {
		t.Fatalf("empty file: %q %v", out.String(), err)
	}
}
