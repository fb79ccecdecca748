// Package auth decides who may read and who may write: API keys with roles,
// the HTTP middleware that turns a request's key into a Principal, and
// Require, which GraphQL mutations call before they write.
//
// # Keys
//
// A key is "ag_" followed by 32 random bytes (crypto/rand) in unpadded,
// lower-case base32: 55 characters, 256 bits of entropy. The server keeps only
// the SHA-256 of a key, never the key itself (see hashKey for why a fast hash
// is right here), and compares digests in constant time.
//
// Keys come from two places, merged into one Keyring by Load:
//
//   - a keys file (flag --keys-file, env ACTORGRAPH_KEYS_FILE), written by
//     "actorgraph keys create" with mode 0600:
//
//     {"keys":[{"name":"ci-bot","role":"write","sha256":"<64 hex>","created":"2025-01-02T03:04:05Z"}]}
//
//   - the environment variable ACTORGRAPH_API_KEYS, for containers: a
//     comma-separated list of "role:key" (or "name:role:key") items, hashed as
//     they are loaded. Keys given this way must be at least 32 characters long
//     (a key from "actorgraph keys create", or e.g. "openssl rand -hex 32").
//     Items without a name are named "env-1", "env-2", … by position.
//
// # Roles and rules
//
// Roles are ordered read < write < admin; a role includes the ones below it.
//
//   - With keys configured, every request except the exempt paths (health,
//     metrics, the playground's static page and assets) must carry a known
//     key, as "Authorization: Bearer <key>" or "X-API-Key: <key>"; otherwise
//     it gets 401 with "WWW-Authenticate: Bearer" and a GraphQL-shaped error
//     body with extensions.code UNAUTHENTICATED. Any known key may read;
//     mutations call Require(ctx, RoleWrite) (or RoleAdmin) and fail with
//     FORBIDDEN when the key's role is too low.
//   - With no keys configured, everyone reads anonymously and mutations are
//     refused (FORBIDDEN) unless the server was started with
//     --allow-anonymous-writes, which is meant for local use: then anonymous
//     requests count as write (never admin).
//
// # Secrets
//
// Keys never appear in logs or errors. Principal holds no key material; the
// String, GoString and LogValue methods of Keyring and Policy show only names,
// roles and counts; fingerprints are the first 8 hex digits of a key's
// SHA-256, enough to tell keys apart and useless to an attacker. Errors about a
// malformed ACTORGRAPH_API_KEYS item name its position, never its text.
package auth

import (
	"fmt"
	"strings"
)

// Role is what a key may do. The zero value, RoleNone, may do nothing.
type Role uint8

// Roles, in increasing order of power: a role includes every role below it.
const (
	RoleNone Role = iota
	RoleRead
	RoleWrite
	RoleAdmin
)

var roleNames = [...]string{RoleNone: "none", RoleRead: "read", RoleWrite: "write", RoleAdmin: "admin"}

// String returns "read", "write", "admin" or "none".
func (r Role) String() string {
	if int(r) < len(roleNames) {
		return roleNames[r]
	}
	return fmt.Sprintf("Role(%d)", uint8(r))
}

// Includes reports whether r grants at least what min grants.
func (r Role) Includes(min Role) bool { return r >= min && r <= RoleAdmin }

// ParseRole parses "read", "write" or "admin" (case and surrounding space
// ignored). "none" is not a role a key can have.
func ParseRole(s string) (Role, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "read":
		return RoleRead, nil
	case "write":
		return RoleWrite, nil
	case "admin":
		return RoleAdmin, nil
	}
	return RoleNone, fmt.Errorf("unknown role %s (want read, write or admin)", quoteShort(s))
}

// MarshalText writes the role's name.
func (r Role) MarshalText() ([]byte, error) {
	if r < RoleRead || r > RoleAdmin {
		return nil, fmt.Errorf("auth: cannot encode role %v", r)
	}
	return []byte(r.String()), nil
}

// UnmarshalText parses a role name with ParseRole.
func (r *Role) UnmarshalText(b []byte) error {
	v, err := ParseRole(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// quoteShort quotes s for an error message unless it could be a key pasted
// into the wrong place: long strings and anything starting with the key
// prefix are described, not shown.
func quoteShort(s string) string {
	if len(s) > 16 || strings.HasPrefix(s, KeyPrefix) {
		return fmt.Sprintf("(%d characters, not shown)", len(s))
	}
	return fmt.Sprintf("%q", s)
}
