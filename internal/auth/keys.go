package auth

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// KeyPrefix starts every key NewKey makes, so a leaked key is easy to
// recognise (and to scan for in repositories and logs).
const KeyPrefix = "ag_"

// MinEnvKeyLen is the shortest key accepted from ACTORGRAPH_API_KEYS: keys
// are hashed with a fast hash, which is only safe for high-entropy keys.
const MinEnvKeyLen = 32

// EnvAPIKeys and EnvKeysFile name the environment variables the server reads.
const (
	EnvAPIKeys  = "ACTORGRAPH_API_KEYS"
	EnvKeysFile = "ACTORGRAPH_KEYS_FILE"
)

var keyEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewKey returns a fresh key: KeyPrefix and 32 bytes from crypto/rand in
// unpadded lower-case base32.
func NewKey() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("auth: reading random bytes: %w", err)
	}
	return KeyPrefix + strings.ToLower(keyEncoding.EncodeToString(b[:])), nil
}

// digest is the SHA-256 of a key.
type digest [sha256.Size]byte

// hashKey returns the digest stored for key. A single SHA-256, not a slow
// password hash (bcrypt, scrypt, argon2), is the right choice here: keys are
// 256 random bits, not something a person chose, so a stolen digest cannot be
// brute-forced at any hashing speed, and a fast hash keeps the per-request
// check cheap (a slow hash on every request would be a denial-of-service
// lever).
func hashKey(key string) digest { return sha256.Sum256([]byte(key)) }

// fingerprint is the first 8 hex digits of the digest: enough to tell keys
// apart in a listing, and reveals nothing usable about the key.
func (d digest) fingerprint() string { return hex.EncodeToString(d[:4]) }

// Fingerprint returns the short fingerprint "actorgraph keys list" shows for
// key, so the holder of a key can tell which entry is theirs.
func Fingerprint(key string) string { return hashKey(key).fingerprint() }

// entry is one known key. Keyring holds pointers to entries so that printing
// a Keyring value with %v by mistake shows addresses, never digests.
type entry struct {
	name    string
	role    Role
	hash    digest
	created time.Time
	where   string // "keys file F: keys[2]" or "ACTORGRAPH_API_KEYS item 1", for errors
}

// KeyInfo is what may be shown about a key: never the key or its full digest.
type KeyInfo struct {
	Name        string
	Role        Role
	Created     time.Time // zero when the source does not say
	Fingerprint string    // first 8 hex digits of the key's SHA-256
	Source      string    // "file" or "env"
}

// Keyring is the set of keys the server accepts, safe for concurrent use.
// Replace swaps in a reloaded set (SIGHUP) while requests run. A nil or zero
// *Keyring is empty.
type Keyring struct {
	// state is behind a pointer so that a Keyring printed by value shows an
	// address, never digests, and is never a copied lock.
	state *keyState
}

type keyState struct {
	mu      sync.RWMutex
	entries []*entry // replaced whole, never modified in place once published
	// keyed: keys were configured at some point. It never goes back to
	// false, so revoking the last key locks everyone out instead of
	// turning the server into an anonymous one.
	keyed bool
}

// list returns the current entries and whether keys were ever configured.
func (k *Keyring) list() ([]*entry, bool) {
	if k == nil || k.state == nil {
		return nil, false
	}
	k.state.mu.RLock()
	defer k.state.mu.RUnlock()
	return k.state.entries, k.state.keyed
}

// Empty reports whether no keys are configured (nor ever were: a keyring
// whose keys were all revoked by a reload is not empty, it accepts no key).
func (k *Keyring) Empty() bool {
	_, keyed := k.list()
	return !keyed
}

// Replace makes k, a Keyring from Load, accept exactly the keys of n from
// now on (a reload).
func (k *Keyring) Replace(n *Keyring) {
	entries, _ := n.list()
	k.state.mu.Lock()
	defer k.state.mu.Unlock()
	k.state.entries = entries
	k.state.keyed = k.state.keyed || len(entries) > 0
}

// Len returns the number of keys.
func (k *Keyring) Len() int {
	entries, _ := k.list()
	return len(entries)
}

// Keys lists the keys' non-secret facts in the order they were loaded.
func (k *Keyring) Keys() []KeyInfo {
	if k == nil {
		return nil
	}
	entries, _ := k.list()
	out := make([]KeyInfo, 0, len(entries))
	for _, e := range entries {
		src := "file"
		if strings.HasPrefix(e.where, EnvAPIKeys) {
			src = "env"
		}
		out = append(out, KeyInfo{Name: e.name, Role: e.role, Created: e.created, Fingerprint: e.hash.fingerprint(), Source: src})
	}
	return out
}

// Lookup returns the principal for key, if key is known. It compares the
// key's digest with every entry in constant time and never stops early.
func (k *Keyring) Lookup(key string) (Principal, bool) {
	if k == nil || key == "" {
		return Principal{}, false
	}
	h := hashKey(key)
	var found *entry
	entries, _ := k.list()
	for _, e := range entries {
		if subtle.ConstantTimeCompare(h[:], e.hash[:]) == 1 {
			found = e
		}
	}
	if found == nil {
		return Principal{}, false
	}
	return Principal{Name: found.name, Role: found.role}, true
}

// String summarises the keyring: counts by role, no names, digests or keys.
func (k *Keyring) String() string {
	entries, _ := k.list()
	if len(entries) == 0 {
		return "keyring(no keys)"
	}
	var n [RoleAdmin + 1]int
	for _, e := range entries {
		n[e.role]++
	}
	return fmt.Sprintf("keyring(%d keys: %d read, %d write, %d admin)", len(entries), n[RoleRead], n[RoleWrite], n[RoleAdmin])
}

// GoString keeps %#v as safe as %v.
func (k *Keyring) GoString() string { return k.String() }

// LogValue logs the count and the key names with their roles.
func (k *Keyring) LogValue() slog.Value {
	entries, _ := k.list()
	if len(entries) == 0 {
		return slog.GroupValue(slog.Int("count", 0))
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.name+":"+e.role.String())
	}
	return slog.GroupValue(slog.Int("count", len(entries)), slog.Any("keys", names))
}

// Load builds the keyring from a keys file (skipped when file is "") and the
// value of ACTORGRAPH_API_KEYS (skipped when envKeys is blank). A file that is
// named but missing is an error: a typo must not silently open the server.
// Errors name the offending entry by position and never contain key text.
func Load(file, envKeys string) (*Keyring, error) {
	kr := &Keyring{state: &keyState{}}
	if file != "" {
		fes, err := readKeysFile(file)
		if err != nil {
			return nil, err
		}
		for i, fe := range fes {
			e, err := fe.entry()
			if err != nil {
				return nil, fmt.Errorf("keys file %s: keys[%d]: %w", file, i, err)
			}
			e.where = fmt.Sprintf("keys file %s: keys[%d]", file, i)
			if err := kr.add(e); err != nil {
				return nil, err
			}
		}
	}
	if strings.TrimSpace(envKeys) != "" {
		for i, item := range strings.Split(envKeys, ",") {
			item = strings.TrimSpace(item)
			if item == "" {
				continue
			}
			where := fmt.Sprintf("%s item %d", EnvAPIKeys, i+1)
			e, err := parseEnvItem(item, i+1)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", where, err)
			}
			e.where = where
			if err := kr.add(e); err != nil {
				return nil, err
			}
		}
	}
	return kr, nil
}

func (k *Keyring) add(e *entry) error {
	for _, o := range k.state.entries {
		if o.name == e.name {
			return fmt.Errorf("%s: duplicate key name %q (also %s)", e.where, e.name, o.where)
		}
		if o.hash == e.hash {
			return fmt.Errorf("%s: the same key as %s", e.where, o.where)
		}
	}
	k.state.entries = append(k.state.entries, e)
	k.state.keyed = true
	return nil
}

// parseEnvItem parses "role:key" or "name:role:key". Keys contain no colon
// (base32 and base64url never do).
func parseEnvItem(item string, pos int) (*entry, error) {
	parts := strings.Split(item, ":")
	var name, role, key string
	switch len(parts) {
	case 2:
		name, role, key = fmt.Sprintf("env-%d", pos), parts[0], parts[1]
	case 3:
		name, role, key = parts[0], parts[1], parts[2]
		if err := ValidateName(name); err != nil {
			return nil, err
		}
	default:
		return nil, errors.New("want role:key or name:role:key")
	}
	r, err := ParseRole(role)
	if err != nil {
		return nil, err
	}
	key = strings.TrimSpace(key)
	if len(key) < MinEnvKeyLen {
		return nil, fmt.Errorf("key is shorter than %d characters; make one with \"actorgraph keys create\" or \"openssl rand -hex 32\"", MinEnvKeyLen)
	}
	return &entry{name: name, role: r, hash: hashKey(key)}, nil
}

// ValidateName checks a key name: 1 to 64 letters, digits, '.', '_', '-' or
// '@'. Names show in logs and as the author of reviews.
func ValidateName(name string) error {
	if name == "" {
		return errors.New("name is empty")
	}
	if len(name) > 64 {
		return fmt.Errorf("name is longer than 64 characters")
	}
	for _, c := range name {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '_', c == '-', c == '@':
		default:
			return fmt.Errorf("name %s may only hold letters, digits, '.', '_', '-' and '@'", quoteShort(name))
		}
	}
	return nil
}

// fileEntry is one key in the keys file, as JSON.
type fileEntry struct {
	Name    string `json:"name"`
	Role    string `json:"role"`
	SHA256  string `json:"sha256"`
	Created string `json:"created,omitempty"`
}

type keysFile struct {
	Keys []fileEntry `json:"keys"`
}

func (fe fileEntry) entry() (*entry, error) {
	if err := ValidateName(fe.Name); err != nil {
		return nil, err
	}
	r, err := ParseRole(fe.Role)
	if err != nil {
		return nil, err
	}
	e := &entry{name: fe.Name, role: r}
	if len(fe.SHA256) != hex.EncodedLen(sha256.Size) {
		return nil, fmt.Errorf("sha256 must be %d hex digits", hex.EncodedLen(sha256.Size))
	}
	if _, err := hex.Decode(e.hash[:], []byte(strings.ToLower(fe.SHA256))); err != nil {
		return nil, fmt.Errorf("sha256 must be %d hex digits", hex.EncodedLen(sha256.Size))
	}
	if fe.Created != "" {
		t, err := time.Parse(time.RFC3339, fe.Created)
		if err != nil {
			return nil, fmt.Errorf("created %s is not an RFC 3339 time", quoteShort(fe.Created))
		}
		e.created = t
	}
	return e, nil
}

// readKeysFile decodes a keys file strictly (unknown fields are an error, so
// a plaintext "key" field pasted in by hand is caught). An empty file holds
// no keys.
func readKeysFile(path string) ([]fileEntry, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("keys file: %w", err)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var f keysFile
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("keys file %s: %w", path, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("keys file %s: unexpected data after the JSON object", path)
	}
	return f.Keys, nil
}

// CreateKey makes a new key named name with role, appends its digest to the
// keys file (creating the file with mode 0600) and returns the key, which is
// shown to the user once and stored nowhere. The file is validated first and
// rewritten atomically (temporary file and rename, mode 0600), so a bad or
// half-written file never results. Two concurrent CreateKey calls on the same
// file may lose one key; keys are created by hand, so there is no lock.
func CreateKey(file, name string, role Role, now time.Time) (string, KeyInfo, error) {
	if file == "" {
		return "", KeyInfo{}, errors.New("no keys file given")
	}
	if err := ValidateName(name); err != nil {
		return "", KeyInfo{}, err
	}
	if !role.Includes(RoleRead) {
		return "", KeyInfo{}, fmt.Errorf("role must be read, write or admin")
	}
	var fes []fileEntry
	if _, err := os.Stat(file); err == nil {
		// Load validates the whole file, names included.
		kr, err := Load(file, "")
		if err != nil {
			return "", KeyInfo{}, err
		}
		for _, e := range kr.state.entries {
			if e.name == name {
				return "", KeyInfo{}, fmt.Errorf("keys file %s already has a key named %q", file, name)
			}
		}
		if fes, err = readKeysFile(file); err != nil {
			return "", KeyInfo{}, err
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", KeyInfo{}, fmt.Errorf("keys file: %w", err)
	}
	key, err := NewKey()
	if err != nil {
		return "", KeyInfo{}, err
	}
	h := hashKey(key)
	created := now.UTC().Truncate(time.Second)
	fes = append(fes, fileEntry{Name: name, Role: role.String(), SHA256: hex.EncodeToString(h[:]), Created: created.Format(time.RFC3339)})
	if err := writeKeysFile(file, keysFile{Keys: fes}); err != nil {
		return "", KeyInfo{}, err
	}
	return key, KeyInfo{Name: name, Role: role, Created: created, Fingerprint: h.fingerprint(), Source: "file"}, nil
}

// RevokeKey removes the key named name from the keys file (rewritten
// atomically like CreateKey) and returns what it was. A running server stops
// accepting it when it reloads its keys (SIGHUP). Keys given in
// ACTORGRAPH_API_KEYS are not in the file: they go when the variable does.
func RevokeKey(file, name string) (KeyInfo, error) {
	if file == "" {
		return KeyInfo{}, errors.New("no keys file given")
	}
	kr, err := Load(file, "") // validates the whole file first
	if err != nil {
		return KeyInfo{}, err
	}
	fes, err := readKeysFile(file)
	if err != nil {
		return KeyInfo{}, err
	}
	for i, fe := range fes {
		if fe.Name != name {
			continue
		}
		info := kr.Keys()[i]
		if err := writeKeysFile(file, keysFile{Keys: append(fes[:i:i], fes[i+1:]...)}); err != nil {
			return KeyInfo{}, err
		}
		return info, nil
	}
	return KeyInfo{}, fmt.Errorf("keys file %s has no key named %s", file, quoteShort(name))
}

func writeKeysFile(path string, f keysFile) error {
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("keys file: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("keys file: %w", err)
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("keys file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("keys file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("keys file: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("keys file: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // best effort: make the rename durable
		d.Close()
	}
	return nil
}
