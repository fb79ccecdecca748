// Package corenlp is a client of a Stanford CoreNLP server
// (nlp-launcher/corenlpctl) and the annotation types the parse coder reads:
// tokens with lemmas, POS tags and NER labels, the enhanced++ Universal
// Dependencies graph of each sentence, coreference chains and quotes.
//
// CoreNLP is GPL-3.0. It runs as its own process and is only called over
// HTTP; nothing of it is linked into actorgraph.
package corenlp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Annotators is the default pipeline, the one corenlpctl preloads.
// Statistical coreference is the slow part (about 4x the rest on two
// cores); WithoutCoref drops it.
const Annotators = "tokenize,ssplit,pos,lemma,ner,depparse,coref,quote"

// WithoutCoref is the pipeline without coreference (quote attribution needs
// coref, so it goes too).
const WithoutCoref = "tokenize,ssplit,pos,lemma,ner,depparse"

// ErrUnavailable marks a failure to reach the server or a server error (as
// opposed to a bad document).
var ErrUnavailable = errors.New("corenlp: server unavailable")

// Client calls one CoreNLP server.
type Client struct {
	base       *url.URL
	http       *http.Client
	annotators string
}

// New returns a client of the server at rawURL (http://127.0.0.1:9000).
func New(rawURL string) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(rawURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("corenlp: %q is not an http(s) URL", rawURL)
	}
	// The server's own timeout is 120 s (corenlpctl); wait a little longer.
	return &Client{base: u, http: &http.Client{Timeout: 150 * time.Second}, annotators: Annotators}, nil
}

// WithAnnotators returns a copy of the client that asks for other annotators.
func (c *Client) WithAnnotators(a string) *Client {
	cp := *c
	cp.annotators = a
	return &cp
}

// Annotators is the pipeline the client asks for.
func (c *Client) Annotators() string { return c.annotators }

// URL is the server's address.
func (c *Client) URL() string { return c.base.String() }

// Annotate annotates a text. Offsets in the result are code points of text.
func (c *Client) Annotate(ctx context.Context, text string) (*Document, error) {
	body, err := c.AnnotateJSON(ctx, text)
	if err != nil {
		return nil, err
	}
	return Parse(body, text)
}

// AnnotateJSON returns the server's JSON answer for a text unparsed (Parse
// reads it), so that evaluations can keep annotations on disk and re-code
// them without the server.
func (c *Client) AnnotateJSON(ctx context.Context, text string) ([]byte, error) {
	if !utf8.ValidString(text) {
		return nil, errors.New("corenlp: text is not valid UTF-8")
	}
	props, _ := json.Marshal(map[string]string{
		"annotators":   c.annotators,
		"outputFormat": "json",
		// News text carries one paragraph per line: a line break always ends a sentence.
		"ssplit.newlineIsSentenceBreak": "always",
		"coref.algorithm":               "statistical",
		"inputFormat":                   "text",
	})
	u := *c.base
	u.RawQuery = url.Values{"properties": {string(props)}}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader([]byte(text)))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "text/plain; charset=utf-8")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return nil, fmt.Errorf("corenlp: reading the answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		msg := strings.TrimSpace(string(body))
		if len(msg) > 200 {
			msg = msg[:200]
		}
		return nil, fmt.Errorf("%w: server answered %s: %s", ErrUnavailable, resp.Status, msg)
	}
	return body, nil
}

// Ping checks that the server answers.
func (c *Client) Ping(ctx context.Context) error {
	u := *c.base
	u.Path = strings.TrimRight(u.Path, "/") + "/ready"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("corenlp: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("corenlp: /ready answered %s", resp.Status)
	}
	return nil
}
