package coder

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"strings"

	"github.com/actorgraph/actorgraph/internal/kg"
)

// eventWord is one line of data/events.tsv: a word the parse coder codes.
type eventWord struct {
	lemma, pos, cameo, role string
	typ                     kg.RelationType
}

// eventLexicon maps "lemma/pos" to its entry.
type eventLexicon map[string]*eventWord

func (l eventLexicon) get(lemma, pos string) *eventWord { return l[strings.ToLower(lemma)+"/"+pos] }

var eventRoles = map[string]bool{"-": true, "intent": true, "refuse": true, "accuse": true, "deny": true, "respond": true, "mutual": true, "light": true, "halt": true}

// loadEvents reads data/events.tsv.
func loadEvents(fsys fs.FS) (eventLexicon, error) {
	b, err := fs.ReadFile(fsys, "events.tsv")
	if err != nil {
		return nil, fmt.Errorf("coder: events: %w", err)
	}
	out := eventLexicon{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			return nil, fmt.Errorf("coder: events.tsv:%d: %d fields, want 4", n, len(f))
		}
		w := &eventWord{lemma: f[0], pos: f[1], cameo: f[2], role: f[3]}
		switch {
		case w.pos != "V" && w.pos != "N" && w.pos != "A":
			return nil, fmt.Errorf("coder: events.tsv:%d: pos %q is not V, N or A", n, w.pos)
		case !eventRoles[w.role]:
			return nil, fmt.Errorf("coder: events.tsv:%d: role %q unknown", n, w.role)
		}
		switch {
		case w.role == "respond":
			w.typ, w.cameo = kg.RespondsTo, ""
		case w.cameo == "-":
			if w.role != "light" {
				return nil, fmt.Errorf("coder: events.tsv:%d: no CAMEO code", n)
			}
			w.cameo = ""
		default:
			t, err := kg.TypeForCAMEO(w.cameo)
			if err != nil {
				return nil, fmt.Errorf("coder: events.tsv:%d: %w", n, err)
			}
			w.typ = t
		}
		key := w.lemma + "/" + w.pos
		if out[key] != nil {
			return nil, fmt.Errorf("coder: events.tsv:%d: %s listed twice", n, key)
		}
		out[key] = w
	}
	return out, sc.Err()
}
