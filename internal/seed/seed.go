// Package seed holds the curated graph of the first data set — one AP article
// about Aleppo (September 2016) — and its loader. The graph is a data file,
// data/aleppo.json (the JSON form of kg.Graph), curated by hand from
// data/aleppo-2016-09.txt, a byte-identical copy of the shared article whose
// code-point offsets every evidence cites.
package seed

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/actorgraph/actorgraph/internal/kg"
)

//go:embed data
var files embed.FS

const (
	// SourceID is the id of the article's Source in the graph.
	SourceID = "thenews-aleppo-2016"
	// ArticleSHA256 is the sha256 of the article (3,084 code points,
	// 3,125 bytes); the loader refuses any other text.
	ArticleSHA256 = "883021b09bc598a36f9b33b16f572d581ac7dbfb3b1997f99d99bf12372849dc"

	graphFile   = "data/aleppo.json"
	articleFile = "data/aleppo-2016-09.txt"
)

// Article returns the text of the seed article.
func Article() (string, error) {
	b, err := files.ReadFile(articleFile)
	if err != nil {
		return "", fmt.Errorf("seed: %w", err)
	}
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != ArticleSHA256 {
		return "", fmt.Errorf("seed: %s has sha256 %x, want %s", articleFile, sum, ArticleSHA256)
	}
	return string(b), nil
}

// Graph returns the curated seed graph, validated, with the article's text
// filled into its Source. Each call returns a fresh copy the caller may modify.
func Graph() (*kg.Graph, error) {
	text, err := Article()
	if err != nil {
		return nil, err
	}
	data, err := files.ReadFile(graphFile)
	if err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	g, err := Parse(data, map[string]string{SourceID: text})
	if err != nil {
		return nil, fmt.Errorf("seed: %s: %w", graphFile, err)
	}
	return g, nil
}

// Parse decodes a graph file strictly (unknown fields and trailing data are
// errors), fills each source's text from texts (keyed by source id; a file
// carries sha256 but never the text itself), sets a missing sha256 from the
// text, and validates the result. A bad file is refused with every problem,
// each naming its entry (see kg.Graph.Validate).
func Parse(data []byte, texts map[string]string) (*kg.Graph, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var g kg.Graph
	if err := dec.Decode(&g); err != nil {
		return nil, fmt.Errorf("decoding graph: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("decoding graph: data after the graph object")
	}

	var errs []error
	used := map[string]bool{}
	for i := range g.Sources {
		s := &g.Sources[i]
		text, ok := texts[s.ID]
		if !ok {
			continue
		}
		used[s.ID] = true
		if s.Text != "" {
			errs = append(errs, fmt.Errorf("source %q: text is in the file and given to the loader; keep it out of the file", s.ID))
			continue
		}
		s.Text = text
		sum := sha256.Sum256([]byte(text))
		if s.SHA256 == "" {
			s.SHA256 = hex.EncodeToString(sum[:])
		}
		// A mismatch is reported by Validate, naming the source.
	}
	for _, id := range slices.Sorted(maps.Keys(texts)) {
		if !used[id] {
			errs = append(errs, fmt.Errorf("text given for source %q, which the file does not have", id))
		}
	}
	if err := g.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return &g, nil
}
