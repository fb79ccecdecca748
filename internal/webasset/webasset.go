// Package webasset serves files embedded in the binary (the playground's and
// the explorer's scripts and stylesheets) under a content-hash version: a
// request carrying the current ?v= is cached for a year, anything else is
// revalidated, and the version doubles as the ETag.
package webasset

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

// Asset is one embedded file.
type Asset struct {
	Body        []byte
	ContentType string
	Version     string // short content hash, used as ?v= and ETag
}

// MustLoad reads every file below root in fsys whose extension types maps
// to a content type, keyed by its path with trim removed. Other files (a
// page template, say) are left out. The files are embedded, so an error is
// a build mistake: it panics.
func MustLoad(fsys fs.FS, root, trim string, types map[string]string) map[string]*Asset {
	m := make(map[string]*Asset)
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ct, ok := types[path.Ext(p)]
		if !ok {
			return nil
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		m[strings.TrimPrefix(p, trim)] = &Asset{Body: body, ContentType: ct, Version: hex.EncodeToString(sum[:6])}
		return nil
	})
	if err != nil {
		panic(fmt.Sprintf("webasset: loading embedded files below %s: %v", root, err))
	}
	return m
}

// ServeHTTP serves the file with its caching headers.
func (a *Asset) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("Content-Type", a.ContentType)
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("ETag", `"`+a.Version+`"`)
	if r.URL.Query().Get("v") == a.Version {
		hdr.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		hdr.Set("Cache-Control", "no-cache")
	}
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.Body))
}

// ReadOnly answers 405 (Allow: GET, HEAD) to any other method and reports
// whether the request may go on.
func ReadOnly(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	w.Header().Set("Allow", "GET, HEAD")
	http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
	return false
}
