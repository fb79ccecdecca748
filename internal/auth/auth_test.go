package auth_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/actorgraph/actorgraph/internal/auth"
	"github.com/actorgraph/actorgraph/internal/playground"
)

func TestRoleOrdering(t *testing.T) {
	order := []auth.Role{auth.RoleNone, auth.RoleRead, auth.RoleWrite, auth.RoleAdmin}
	for i, have := range order {
		for j, need := range order {
			if got, want := have.Includes(need), i >= j; got != want {
				t.Errorf("%v.Includes(%v) = %v, want %v", have, need, got, want)
			}
		}
	}
	if !(auth.RoleRead < auth.RoleWrite && auth.RoleWrite < auth.RoleAdmin) {
		t.Fatal("roles are not ordered read < write < admin")
	}
	for _, tc := range []struct {
		in   string
		want auth.Role
	}{{"read", auth.RoleRead}, {"Write", auth.RoleWrite}, {" ADMIN ", auth.RoleAdmin}} {
		got, err := auth.ParseRole(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseRole(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
		if tc.want.String() != strings.ToLower(strings.TrimSpace(tc.in)) {
			t.Errorf("String() = %q", tc.want.String())
		}
	}
	for _, bad := range []string{"", "none", "root", "reader"} {
		if _, err := auth.ParseRole(bad); err == nil {
			t.Errorf("ParseRole(%q): no error", bad)
		}
	}
	b, err := json.Marshal(map[string]auth.Role{"r": auth.RoleWrite})
	if err != nil || string(b) != `{"r":"write"}` {
		t.Fatalf("marshal: %s %v", b, err)
	}
	var back map[string]auth.Role
	if err := json.Unmarshal(b, &back); err != nil || back["r"] != auth.RoleWrite {
		t.Fatalf("unmarshal: %v %v", back, err)
	}
}

func TestNewKey(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		k, err := auth.NewKey()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(k, auth.KeyPrefix) || len(k) != len(auth.KeyPrefix)+52 {
			t.Fatalf("key %q: want %q and 52 base32 characters", k, auth.KeyPrefix)
		}
		for _, c := range k[len(auth.KeyPrefix):] {
			if !(c >= 'a' && c <= 'z' || c >= '2' && c <= '7') {
				t.Fatalf("key %q: character %q is not lower-case base32", k, c)
			}
		}
		if seen[k] {
			t.Fatal("NewKey repeated a key")
		}
		seen[k] = true
	}
}

func sha(key string) string {
	h := sha256.Sum256([]byte(key))
	return hex.EncodeToString(h[:])
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "keys.json")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func newKey(t *testing.T) string {
	t.Helper()
	k, err := auth.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestLoad(t *testing.T) {
	readKey, writeKey, envAdmin, envWrite := newKey(t), newKey(t), newKey(t), newKey(t)
	file := writeFile(t, fmt.Sprintf(`{"keys":[
		{"name":"analyst","role":"read","sha256":%q,"created":"2025-03-01T10:00:00Z"},
		{"name":"ci-bot","role":"write","sha256":%q}]}`, sha(readKey), strings.ToUpper(sha(writeKey))))
	kr, err := auth.Load(file, " admin:"+envAdmin+" , ops@example:write:"+envWrite+",")
	if err != nil {
		t.Fatal(err)
	}
	if kr.Empty() || kr.Len() != 4 {
		t.Fatalf("Len = %d", kr.Len())
	}
	want := []struct {
		key, name string
		role      auth.Role
	}{{readKey, "analyst", auth.RoleRead}, {writeKey, "ci-bot", auth.RoleWrite}, {envAdmin, "env-1", auth.RoleAdmin}, {envWrite, "ops@example", auth.RoleWrite}}
	for i, w := range want {
		p, ok := kr.Lookup(w.key)
		if !ok || p != (auth.Principal{Name: w.name, Role: w.role}) {
			t.Errorf("Lookup(key %d) = %+v, %v", i, p, ok)
		}
		info := kr.Keys()[i]
		if info.Name != w.name || info.Role != w.role || info.Fingerprint != sha(w.key)[:8] || info.Fingerprint != auth.Fingerprint(w.key) {
			t.Errorf("Keys()[%d] = %+v", i, info)
		}
	}
	if got := kr.Keys()[0].Created; !got.Equal(time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("created = %v", got)
	}
	if kr.Keys()[2].Source != "env" || kr.Keys()[0].Source != "file" {
		t.Errorf("sources: %+v", kr.Keys())
	}
	for _, bad := range []string{"", "ag_", readKey + "x", readKey[:len(readKey)-1], sha(readKey)} {
		if _, ok := kr.Lookup(bad); ok {
			t.Errorf("Lookup(%q) accepted", bad)
		}
	}

	empty, err := auth.Load("", "  ")
	if err != nil || !empty.Empty() || empty.Len() != 0 {
		t.Fatalf("Load(\"\", \"\") = %v, %v", empty, err)
	}
	var nilRing *auth.Keyring
	if !nilRing.Empty() {
		t.Fatal("nil keyring is not empty")
	}
	if kr, err := auth.Load(writeFile(t, "\n"), ""); err != nil || !kr.Empty() {
		t.Fatalf("empty file: %v %v", kr, err)
	}
}

func TestLoadErrors(t *testing.T) {
	k1, k2 := newKey(t), newKey(t)
	good := fmt.Sprintf(`{"name":"a","role":"read","sha256":%q}`, sha(k1))
	for _, tc := range []struct {
		name      string
		file      string // file content; "" for no file, "-" for a missing file
		env       string
		want      []string
		secretish string // must not appear in the error
	}{
		{name: "missing file", file: "-", want: []string{"keys file", "no such file"}},
		{name: "not JSON", file: `{"keys":[`, want: []string{"keys file"}},
		{name: "trailing data", file: `{"keys":[]} {}`, want: []string{"after the JSON object"}},
		{name: "unknown field", file: fmt.Sprintf(`{"keys":[{"name":"a","role":"read","key":%q}]}`, k1), want: []string{`unknown field "key"`}, secretish: k1},
		{name: "unknown role", file: `{"keys":[` + good + `,{"name":"b","role":"root","sha256":"` + sha(k2) + `"}]}`, want: []string{"keys[1]", `unknown role "root"`}},
		{name: "key in role", file: `{"keys":[{"name":"b","role":"` + k2 + `","sha256":"` + sha(k2) + `"}]}`, want: []string{"keys[0]", "unknown role", "not shown"}, secretish: k2},
		{name: "bad sha256", file: `{"keys":[` + good + `,{"name":"b","role":"read","sha256":"xyz"}]}`, want: []string{"keys[1]", "sha256 must be 64 hex digits"}},
		{name: "non-hex sha256", file: `{"keys":[{"name":"b","role":"read","sha256":"` + strings.Repeat("g", 64) + `"}]}`, want: []string{"keys[0]", "sha256"}},
		{name: "empty name", file: `{"keys":[{"name":"","role":"read","sha256":"` + sha(k2) + `"}]}`, want: []string{"keys[0]", "name is empty"}},
		{name: "bad name", file: `{"keys":[{"name":"a b","role":"read","sha256":"` + sha(k2) + `"}]}`, want: []string{"keys[0]", "name"}},
		{name: "bad created", file: `{"keys":[{"name":"a","role":"read","sha256":"` + sha(k2) + `","created":"yesterday"}]}`, want: []string{"keys[0]", "RFC 3339"}},
		{name: "duplicate name", file: `{"keys":[` + good + `,{"name":"a","role":"write","sha256":"` + sha(k2) + `"}]}`, want: []string{"keys[1]", `duplicate key name "a"`, "keys[0]"}},
		{name: "same key twice", file: `{"keys":[` + good + `,{"name":"b","role":"write","sha256":"` + sha(k1) + `"}]}`, want: []string{"keys[1]", "same key as", "keys[0]"}},
		{name: "duplicate name across sources", file: `{"keys":[{"name":"env-1","role":"read","sha256":"` + sha(k1) + `"}]}`, env: "read:" + k2, want: []string{"ACTORGRAPH_API_KEYS item 1", `duplicate key name "env-1"`}, secretish: k2},
		{name: "env without role", env: "read:" + k1 + "," + k2, want: []string{"ACTORGRAPH_API_KEYS item 2", "want role:key"}, secretish: k2},
		{name: "env reversed", env: k1 + ":write", want: []string{"item 1", "unknown role", "not shown"}, secretish: k1},
		{name: "env unknown role", env: "owner:" + k1, want: []string{"item 1", `unknown role "owner"`}, secretish: k1},
		{name: "env short key", env: "write:hunter2", want: []string{"item 1", "shorter than 32"}, secretish: "hunter2"},
		{name: "env bad name", env: "a b:write:" + k1, want: []string{"item 1", "name"}, secretish: k1},
		{name: "env same key twice", env: "read:" + k1 + ",write:" + k1, want: []string{"item 2", "same key as", "item 1"}, secretish: k1},
		{name: "env too many colons", env: "a:b:read:" + k1, want: []string{"item 1", "want role:key"}, secretish: k1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var file string
			switch tc.file {
			case "":
			case "-":
				file = filepath.Join(t.TempDir(), "missing.json")
			default:
				file = writeFile(t, tc.file)
			}
			kr, err := auth.Load(file, tc.env)
			if err == nil {
				t.Fatalf("no error; keyring %v", kr)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if tc.secretish != "" && strings.Contains(err.Error(), tc.secretish) {
				t.Errorf("error %q contains key material", err)
			}
		})
	}
}

func TestCreateKey(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sub", "keys.json")
	if _, _, err := auth.CreateKey(file, "a", auth.RoleRead, time.Now()); err == nil {
		t.Fatal("created a file in a missing directory")
	}
	file = filepath.Join(t.TempDir(), "keys.json")
	now := time.Date(2025, 6, 7, 8, 9, 10, 500, time.FixedZone("x", 3600))
	k1, info, err := auth.CreateKey(file, "a", auth.RoleRead, now)
	if err != nil {
		t.Fatal(err)
	}
	if info.Name != "a" || info.Role != auth.RoleRead || info.Fingerprint != auth.Fingerprint(k1) || !info.Created.Equal(now.Truncate(time.Second)) {
		t.Fatalf("info = %+v", info)
	}
	st, err := os.Stat(file)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, %v", st.Mode(), err)
	}
	// A looser mode is tightened when the file is rewritten.
	os.Chmod(file, 0o644)
	k2, _, err := auth.CreateKey(file, "b", auth.RoleAdmin, now)
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(file); st.Mode().Perm() != 0o600 {
		t.Fatalf("mode after rewrite %v", st.Mode())
	}
	if _, _, err := auth.CreateKey(file, "a", auth.RoleWrite, now); err == nil || !strings.Contains(err.Error(), `already has a key named "a"`) {
		t.Fatalf("duplicate name: %v", err)
	}
	if _, _, err := auth.CreateKey(file, "no good", auth.RoleWrite, now); err == nil {
		t.Fatal("bad name accepted")
	}
	if _, _, err := auth.CreateKey(file, "c", auth.RoleNone, now); err == nil {
		t.Fatal("role none accepted")
	}
	kr, err := auth.Load(file, "")
	if err != nil || kr.Len() != 2 {
		t.Fatalf("%v %v", kr, err)
	}
	if p, ok := kr.Lookup(k2); !ok || p.Name != "b" || p.Role != auth.RoleAdmin {
		t.Fatalf("Lookup(k2) = %v %v", p, ok)
	}
	if p, ok := kr.Lookup(k1); !ok || p.Name != "a" {
		t.Fatalf("Lookup(k1) = %v %v", p, ok)
	}
	b, _ := os.ReadFile(file)
	if bytes.Contains(b, []byte(k1)) || bytes.Contains(b, []byte(k2)) || !bytes.Contains(b, []byte(sha(k1))) {
		t.Fatalf("file holds a key or lacks a hash:\n%s", b)
	}
	// A broken file is reported and left as it is.
	broken := writeFile(t, `{"keys":[{"name":"a","role":"god","sha256":"`+sha(k1)+`"}]}`)
	before, _ := os.ReadFile(broken)
	if _, _, err := auth.CreateKey(broken, "b", auth.RoleRead, now); err == nil || !strings.Contains(err.Error(), "keys[0]") {
		t.Fatalf("broken file: %v", err)
	}
	if after, _ := os.ReadFile(broken); !bytes.Equal(before, after) {
		t.Fatal("broken file was rewritten")
	}
	if entries, _ := os.ReadDir(filepath.Dir(file)); len(entries) != 1 {
		t.Fatalf("temporary files left behind: %v", entries)
	}
}

// chain is the server's shape: the auth middleware in front of a mux with
// the real playground, health endpoints and a /graphql stand-in that reports
// the principal and what Require says for each role.
func chain(p auth.Policy) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/", playground.Handler("test", "/graphql", nil))
	ok := func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok\n") }
	mux.HandleFunc("GET /livez", ok)
	mux.HandleFunc("GET /readyz", ok)
	mux.HandleFunc("GET /metrics", ok)
	mux.HandleFunc("/graphql", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions {
			w.Header().Set("Allow", "GET, POST, OPTIONS")
			return
		}
		pr, found := auth.FromContext(r.Context())
		res := map[string]any{"found": found, "name": pr.Name, "role": pr.Role.String(), "anonymous": pr.Anonymous}
		for _, min := range []auth.Role{auth.RoleRead, auth.RoleWrite, auth.RoleAdmin} {
			code := "OK"
			if err := auth.Require(r.Context(), min); err != nil {
				var ae *auth.Error
				if !errors.As(fmt.Errorf("resolver: %w", err), &ae) {
					panic("Require returned an untyped error")
				}
				code = ae.Code
			}
			res[min.String()] = code
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(res)
	})
	return p.Middleware(mux)
}

type result struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func do(t *testing.T, srv *httptest.Server, method, path string, hdr ...string) result {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	out := result{status: res.StatusCode, header: res.Header, raw: string(b)}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(b, &out.body); err != nil {
			t.Fatalf("%s %s: bad JSON %q", method, path, b)
		}
	}
	return out
}

func errCode(t *testing.T, r result) string {
	t.Helper()
	errs, _ := r.body["errors"].([]any)
	if len(errs) != 1 {
		t.Fatalf("want one error in %s", r.raw)
	}
	e := errs[0].(map[string]any)
	if msg, _ := e["message"].(string); msg == "" {
		t.Fatalf("error without message: %s", r.raw)
	}
	return e["extensions"].(map[string]any)["code"].(string)
}

func TestMiddlewareWithKeys(t *testing.T) {
	readKey, writeKey, adminKey := newKey(t), newKey(t), newKey(t)
	kr, err := auth.Load("", "reader:read:"+readKey+",writer:write:"+writeKey+",boss:admin:"+adminKey)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(chain(auth.Policy{Keys: kr, Exempt: auth.DefaultExempt}))
	defer srv.Close()

	unauth := func(name string, r result) {
		t.Helper()
		if r.status != http.StatusUnauthorized {
			t.Errorf("%s: status %d, want 401 (%s)", name, r.status, r.raw)
			return
		}
		if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("%s: WWW-Authenticate %q", name, r.header.Get("WWW-Authenticate"))
		}
		if c := errCode(t, r); c != auth.CodeUnauthenticated {
			t.Errorf("%s: code %s", name, c)
		}
	}
	unauth("no key", do(t, srv, "POST", "/graphql"))
	unauth("no key GET", do(t, srv, "GET", "/graphql?query={x}"))
	unauth("wrong key", do(t, srv, "POST", "/graphql", "Authorization", "Bearer "+newKey(t)))
	unauth("wrong X-API-Key", do(t, srv, "POST", "/graphql", "X-API-Key", "ag_nope"))
	unauth("Basic scheme", do(t, srv, "POST", "/graphql", "Authorization", "Basic "+readKey))
	unauth("Bearer without token", do(t, srv, "POST", "/graphql", "Authorization", "Bearer "))
	unauth("conflicting headers", do(t, srv, "POST", "/graphql", "Authorization", "Bearer "+readKey, "X-API-Key", adminKey))
	unauth("huge key", do(t, srv, "POST", "/graphql", "X-API-Key", strings.Repeat("a", 4096)))
	unauth("unknown path", do(t, srv, "GET", "/admin"))
	unauth("path below /graphql", do(t, srv, "GET", "/graphql/"))

	for _, tc := range []struct {
		name              string
		hdr               []string
		who, role         string
		read, write, admn string
	}{
		{"read key", []string{"Authorization", "Bearer " + readKey}, "reader", "read", "OK", "FORBIDDEN", "FORBIDDEN"},
		{"read key, lower-case scheme", []string{"Authorization", "bearer " + readKey}, "reader", "read", "OK", "FORBIDDEN", "FORBIDDEN"},
		{"write key in X-API-Key", []string{"X-API-Key", writeKey}, "writer", "write", "OK", "OK", "FORBIDDEN"},
		{"write key in both headers", []string{"Authorization", "Bearer " + writeKey, "X-API-Key", writeKey}, "writer", "write", "OK", "OK", "FORBIDDEN"},
		{"admin key", []string{"Authorization", "Bearer " + adminKey}, "boss", "admin", "OK", "OK", "OK"},
	} {
		r := do(t, srv, "POST", "/graphql", tc.hdr...)
		if r.status != 200 {
			t.Errorf("%s: status %d %s", tc.name, r.status, r.raw)
			continue
		}
		b := r.body
		if b["found"] != true || b["name"] != tc.who || b["role"] != tc.role || b["anonymous"] != false ||
			b["read"] != tc.read || b["write"] != tc.write || b["admin"] != tc.admn {
			t.Errorf("%s: %v", tc.name, b)
		}
	}

	// Exempt paths pass without a key, and with a wrong one.
	for _, path := range []string{"/livez", "/readyz", "/metrics", "/", playground.AssetPrefix + "vendor/graphiql.min.js"} {
		for _, hdr := range [][]string{nil, {"Authorization", "Bearer wrong"}} {
			if r := do(t, srv, "GET", path, hdr...); r.status != 200 {
				t.Errorf("GET %s %v: status %d", path, hdr, r.status)
			}
		}
	}
	if r := do(t, srv, "OPTIONS", "/graphql"); r.status != 200 || r.header.Get("Allow") == "" {
		t.Errorf("OPTIONS /graphql: %d", r.status)
	}
	// Nil Exempt exempts nothing.
	strict := httptest.NewServer(chain(auth.Policy{Keys: kr}))
	defer strict.Close()
	unauth("livez without Exempt", do(t, strict, "GET", "/livez"))
}

// An exempt request carries an anonymous principal with no role, and
// Require refuses it as unauthenticated.
func TestExemptPrincipal(t *testing.T) {
	k := newKey(t)
	kr, _ := auth.Load("", "read:"+k)
	srv := httptest.NewServer(chain(auth.Policy{Keys: kr, Exempt: func(r *http.Request) bool { return r.URL.Path == "/graphql" }}))
	defer srv.Close()
	b := do(t, srv, "GET", "/graphql").body
	if b["anonymous"] != true || b["role"] != "none" || b["read"] != auth.CodeUnauthenticated || b["write"] != auth.CodeUnauthenticated {
		t.Fatalf("%v", b)
	}
	b = do(t, srv, "GET", "/graphql", "X-API-Key", k).body
	if b["name"] != "env-1" || b["read"] != "OK" || b["write"] != auth.CodeForbidden {
		t.Fatalf("%v", b)
	}
}

func TestMiddlewareWithoutKeys(t *testing.T) {
	for _, tc := range []struct {
		name              string
		policy            auth.Policy
		role              string
		read, write, admn string
	}{
		{"read-only", auth.Policy{}, "read", "OK", "FORBIDDEN", "FORBIDDEN"},
		{"empty keyring", auth.Policy{Keys: &auth.Keyring{}, Exempt: auth.DefaultExempt}, "read", "OK", "FORBIDDEN", "FORBIDDEN"},
		{"anonymous writes", auth.Policy{AllowAnonymousWrites: true}, "write", "OK", "OK", "FORBIDDEN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(chain(tc.policy))
			defer srv.Close()
			// A key sent to a server without keys is ignored.
			for _, hdr := range [][]string{nil, {"Authorization", "Bearer " + newKey(t)}} {
				r := do(t, srv, "POST", "/graphql", hdr...)
				b := r.body
				if r.status != 200 || b["anonymous"] != true || b["name"] != "anonymous" || b["role"] != tc.role ||
					b["read"] != tc.read || b["write"] != tc.write || b["admin"] != tc.admn {
					t.Errorf("%v: %d %v", hdr, r.status, b)
				}
			}
			if r := do(t, srv, "GET", "/livez"); r.status != 200 {
				t.Errorf("livez %d", r.status)
			}
		})
	}
}

func TestRequire(t *testing.T) {
	ctx := context.Background()
	check := func(name string, err error, code string, msg string) {
		t.Helper()
		if code == "" {
			if err != nil {
				t.Errorf("%s: %v", name, err)
			}
			return
		}
		var ae *auth.Error
		if !errors.As(err, &ae) || ae.Code != code || !strings.Contains(ae.Message, msg) {
			t.Errorf("%s: %v, want %s containing %q", name, err, code, msg)
		}
	}
	check("no principal", auth.Require(ctx, auth.RoleRead), auth.CodeUnauthenticated, "API key is required")
	roles := []auth.Role{auth.RoleRead, auth.RoleWrite, auth.RoleAdmin}
	for _, have := range roles {
		kctx := auth.NewContext(ctx, auth.Principal{Name: "k", Role: have})
		for _, need := range roles {
			name := fmt.Sprintf("key %v needs %v", have, need)
			if have >= need {
				check(name, auth.Require(kctx, need), "", "")
			} else {
				check(name, auth.Require(kctx, need), auth.CodeForbidden, "needs role "+need.String()+"; the API key sent has role "+have.String())
			}
		}
	}
	anonRead := auth.NewContext(ctx, auth.Principal{Name: "anonymous", Role: auth.RoleRead, Anonymous: true})
	check("anonymous read", auth.Require(anonRead, auth.RoleRead), "", "")
	check("anonymous write, read-only server", auth.Require(anonRead, auth.RoleWrite), auth.CodeForbidden, "--allow-anonymous-writes")
	anonWrite := auth.NewContext(ctx, auth.Principal{Name: "anonymous", Role: auth.RoleWrite, Anonymous: true})
	check("anonymous write allowed", auth.Require(anonWrite, auth.RoleWrite), "", "")
	check("anonymous admin", auth.Require(anonWrite, auth.RoleAdmin), auth.CodeForbidden, "role admin")

	e := &auth.Error{Code: auth.CodeForbidden, Message: "no"}
	if e.HTTPStatus() != 403 || (&auth.Error{Code: auth.CodeUnauthenticated}).HTTPStatus() != 401 {
		t.Fatal("HTTPStatus")
	}
	rec := httptest.NewRecorder()
	e.WriteHTTP(rec)
	if rec.Code != 403 || rec.Header().Get("WWW-Authenticate") != "" ||
		strings.TrimSpace(rec.Body.String()) != `{"errors":[{"extensions":{"code":"FORBIDDEN"},"message":"no"}]}` {
		t.Fatalf("%d %q", rec.Code, rec.Body)
	}
}

func TestDescribe(t *testing.T) {
	kr, _ := auth.Load("", "w:write:"+newKey(t)+",r:read:"+newKey(t))
	for _, tc := range []struct {
		p        auth.Policy
		insecure bool
		want     string
	}{
		{auth.Policy{}, false, "read-only"},
		{auth.Policy{AllowAnonymousWrites: true}, true, "ANYONE"},
		{auth.Policy{Keys: kr}, false, "2 keys: 1 read, 1 write, 0 admin"},
		{auth.Policy{Keys: kr, AllowAnonymousWrites: true}, false, "ignored"},
	} {
		if got := tc.p.Describe(); !strings.Contains(got, tc.want) || tc.p.Insecure() != tc.insecure {
			t.Errorf("%+v: Describe %q, Insecure %v", tc.p, got, tc.p.Insecure())
		}
	}
}

// TestNoKeyMaterialInLogs logs everything an operator might log — the
// request's principal, the keyring, the policy, the answer to a wrong key,
// a Load error for a malformed item — with slog (JSON and text) and fmt, and
// checks that no key, and no full digest, shows up.
func TestNoKeyMaterialInLogs(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "keys.json")
	fileKey, _, err := auth.CreateKey(file, "analyst", auth.RoleWrite, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	envKey, wrongKey, badEnvKey := newKey(t), newKey(t), newKey(t)
	kr, err := auth.Load(file, "ops:admin:"+envKey)
	if err != nil {
		t.Fatal(err)
	}
	policy := auth.Policy{Keys: kr, Exempt: auth.DefaultExempt}

	var logs bytes.Buffer
	jsonLog := slog.New(slog.NewJSONHandler(&logs, nil))
	textLog := slog.New(slog.NewTextHandler(&logs, nil))
	logAll := func(msg string, args ...any) {
		jsonLog.Info(msg, args...)
		textLog.Info(msg, args...)
		for _, a := range args {
			fmt.Fprintf(&logs, "%v %+v %#v %s\n", a, a, a, a)
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/graphql", func(w http.ResponseWriter, r *http.Request) {
		p, _ := auth.FromContext(r.Context())
		logAll("request", "principal", p, "write", auth.Require(r.Context(), auth.RoleAdmin))
	})
	srv := httptest.NewServer(policy.Middleware(mux))
	defer srv.Close()

	for _, k := range []string{fileKey, envKey} {
		if r := do(t, srv, "POST", "/graphql", "Authorization", "Bearer "+k); r.status != 200 {
			t.Fatalf("valid key refused: %d", r.status)
		}
	}
	r := do(t, srv, "POST", "/graphql", "Authorization", "Bearer "+wrongKey)
	if r.status != 401 {
		t.Fatalf("wrong key: %d", r.status)
	}
	logAll("wrong key answer", "body", r.raw, "header", r.header.Get("WWW-Authenticate"))
	logAll("state", "keyring", kr, "keyring_value", *kr, "policy", policy, "keys", kr.Keys())
	_, loadErr := auth.Load(file, "ops:admin:"+envKey+","+badEnvKey+",read:"+badEnvKey[:10])
	if loadErr == nil {
		t.Fatal("malformed item accepted")
	}
	logAll("load failed", "err", loadErr)

	out := logs.String()
	for _, s := range []string{"analyst", "ops", "UNAUTHENTICATED", "keyring(2 keys", "want role:key"} {
		if !strings.Contains(out, s) {
			t.Errorf("logs lack %q, so the test proves nothing:\n%s", s, out)
		}
	}
	for _, k := range []string{fileKey, envKey, wrongKey, badEnvKey} {
		body := k[len(auth.KeyPrefix):]
		for _, secret := range []string{body[:16], body[len(body)-16:], sha(k)[:16], sha(k)[len(sha(k))-16:]} {
			if strings.Contains(out, secret) {
				t.Fatalf("logs contain key material %q:\n%s", secret, out)
			}
		}
	}
}
