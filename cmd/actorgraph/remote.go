package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/actorgraph/actorgraph/internal/ingest"
	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/server"
)

// remoteFlags send import and ingest through a running server (which may
// hold the embedded store's file locked, or be one of many over Neo4j):
// the server writes, so its change log announces the writes to every
// subscriber.
type remoteFlags struct {
	server, apiKey string
}

func (f *remoteFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.server, "server", env("ACTORGRAPH_SERVER", ""), "write through the actorgraph server at this URL (e.g. http://127.0.0.1:8080) instead of opening the store (env ACTORGRAPH_SERVER)")
	fs.StringVar(&f.apiKey, "api-key", "", "the server's write API key (default: env ACTORGRAPH_API_KEY)")
}

func (f *remoteFlags) key() string {
	if f.apiKey != "" {
		return f.apiKey
	}
	return os.Getenv("ACTORGRAPH_API_KEY")
}

// post sends body to the server's path and returns the answer's body; a
// status other than 200 is an error carrying the server's text.
func (f *remoteFlags) post(ctx context.Context, path, contentType string, body io.Reader) ([]byte, error) {
	base, err := url.Parse(strings.TrimRight(f.server, "/"))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("--server must be an http:// or https:// URL, got %q", f.server)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base.String()+path, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", contentType)
	if k := f.key(); k != "" {
		req.Header.Set("Authorization", "Bearer "+k)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	out, err := io.ReadAll(io.LimitReader(res.Body, 16<<20))
	if err != nil {
		return nil, err
	}
	if res.StatusCode != http.StatusOK {
		return out, fmt.Errorf("server answered %s: %s", res.Status, strings.TrimSpace(string(out)))
	}
	return out, nil
}

// remoteImport posts each input to the server's import endpoint and
// copies its summary to stdout.
func (f *remoteFlags) importFiles(ctx context.Context, format string, strict bool, batch int, noSeed bool, files []string, stdin io.Reader, stdout io.Writer) error {
	q := url.Values{"format": {format}, "batch": {strconv.Itoa(batch)}}
	if strict {
		q.Set("strict", "true")
	}
	if noSeed {
		q.Set("seed", "false")
	}
	for _, name := range files {
		in := stdin
		if name != "-" {
			fh, err := os.Open(name)
			if err != nil {
				return err
			}
			defer fh.Close()
			in = fh
		}
		out, err := f.post(ctx, server.ImportPath+"?"+q.Encode(), "application/octet-stream", in)
		stdout.Write(out)
		if err != nil {
			return fmt.Errorf("import %s: %w", name, err)
		}
	}
	return nil
}

const remoteIngest = `mutation($text: String!, $title: String!, $publisher: String!, $publishedAt: String!, $url: String) {
  ingestArticle(text: $text, title: $title, publisher: $publisher, publishedAt: $publishedAt, url: $url) {
    source { id title } relations { id type } newActors { id name kind }
  }
}`

// ingestArticle runs the ingestArticle mutation on the server.
func (f *remoteFlags) ingestArticle(ctx context.Context, a ingest.Article) (ingest.Result, error) {
	vars := map[string]any{"text": a.Text, "title": a.Title, "publisher": a.Publisher,
		"publishedAt": a.Published.Format(time.DateOnly)}
	if a.URL != "" {
		vars["url"] = a.URL
	}
	body, err := json.Marshal(map[string]any{"query": remoteIngest, "variables": vars})
	if err != nil {
		return ingest.Result{}, err
	}
	out, err := f.post(ctx, "/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		return ingest.Result{}, err
	}
	var resp struct {
		Data struct {
			IngestArticle *struct {
				Source    kg.Source
				Relations []kg.Relation
				NewActors []kg.Actor
			}
		}
		Errors []struct{ Message string }
	}
	if err := json.Unmarshal(out, &resp); err != nil {
		return ingest.Result{}, fmt.Errorf("server answer: %w", err)
	}
	if len(resp.Errors) > 0 || resp.Data.IngestArticle == nil {
		msgs := []string{}
		for _, e := range resp.Errors {
			msgs = append(msgs, e.Message)
		}
		return ingest.Result{}, errors.New("server refused the article: " + strings.Join(msgs, "; "))
	}
	r := resp.Data.IngestArticle
	return ingest.Result{Source: r.Source, Relations: r.Relations, Actors: r.NewActors}, nil
}
