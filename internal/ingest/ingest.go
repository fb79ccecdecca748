// Package ingest turns an article into proposed relations: it codes the
// text with an event coder (the parse coder over CoreNLP when CORENLP_URL is
// set, else the dictionary coder; the rule id in each relation's provenance
// says which) against the actors and places the store
// already knows, and writes the source, any new actors and the proposals in
// one transaction. Proposals land as PROPOSED with the rule that made them,
// for an analyst to review. Ingesting the same text again changes nothing:
// the source id comes from the text's hash and the coder's ids are
// deterministic, so the write is an upsert of the same records.
package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/actorgraph/actorgraph/internal/coder"
	"github.com/actorgraph/actorgraph/internal/coder/corenlp"
	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// Article is what an analyst submits.
type Article struct {
	Text      string
	Title     string
	Publisher string
	URL       string
	// Published is the date the story ran; relative dates in the text
	// ("Wednesday") are resolved against it.
	Published time.Time
}

// Result is what an ingestion wrote.
type Result struct {
	Source    kg.Source
	Actors    []kg.Actor    // actors the coder had to create
	Places    []kg.Place    // places the parse coder had to create
	Relations []kg.Relation // proposals (and the hierarchy edges of new actors)
}

// MaxText bounds an article's size (runes): larger text is refused.
const MaxText = 200_000

// ErrInvalid marks a bad article.
var ErrInvalid = store.ErrInvalid

// FieldError is a bad article field; it wraps ErrInvalid.
type FieldError struct{ Field, Message string }

func (e *FieldError) Error() string { return e.Field + ": " + e.Message }
func (e *FieldError) Unwrap() error { return ErrInvalid }

func fieldError(field, format string, args ...any) error {
	return &FieldError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// check validates the article's fields.
func (a Article) check() error {
	switch {
	case strings.TrimSpace(a.Text) == "":
		return fieldError("text", "is empty")
	case !utf8.ValidString(a.Text):
		return fieldError("text", "is not valid UTF-8")
	case utf8.RuneCountInString(a.Text) > MaxText:
		return fieldError("text", "is longer than %d characters", MaxText)
	case strings.TrimSpace(a.Title) == "":
		return fieldError("title", "is empty")
	case strings.TrimSpace(a.Publisher) == "":
		return fieldError("publisher", "is empty")
	case a.Published.IsZero():
		return fieldError("publishedAt", "is missing")
	}
	if a.URL != "" {
		if u, err := url.Parse(a.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fieldError("url", "is not an http(s) URL")
		}
	}
	return nil
}

// SourceOf returns the source record of an article: its id is derived from
// the text, so the same text always maps to the same source.
func SourceOf(a Article) kg.Source {
	sum := sha256.Sum256([]byte(a.Text))
	hexSum := hex.EncodeToString(sum[:])
	return kg.Source{
		ID: "src-" + hexSum[:16], Title: strings.TrimSpace(a.Title), Publisher: strings.TrimSpace(a.Publisher),
		URL: a.URL, Published: a.Published.Format(time.DateOnly), Text: a.Text, SHA256: hexSum,
	}
}

// CoderFor returns the coder ingestion uses: the parse coder over the
// CoreNLP server at corenlpURL, or the dictionary coder when it is empty.
func CoderFor(corenlpURL string) (coder.ArticleCoder, error) {
	c, err := coder.Default()
	if err != nil {
		return nil, err
	}
	if corenlpURL == "" {
		return c, nil
	}
	cl, err := corenlp.New(corenlpURL)
	if err != nil {
		return nil, err
	}
	return coder.NewParseCoder(c, cl)
}

var (
	envOnce  sync.Once
	envCoder coder.ArticleCoder
	envErr   error
)

// DefaultCoder is CoderFor($CORENLP_URL), made once: the coder of the
// ingestArticle mutation.
func DefaultCoder() (coder.ArticleCoder, error) {
	envOnce.Do(func() { envCoder, envErr = CoderFor(os.Getenv("CORENLP_URL")) })
	return envCoder, envErr
}

// Ingest codes the article against everything the store knows and writes
// the result in one transaction.
func Ingest(ctx context.Context, st store.Store, c coder.ArticleCoder, a Article) (Result, error) {
	ctx = store.WithOp(ctx, "ingest") // the change log's name for its writes
	if err := a.check(); err != nil {
		return Result{}, err
	}
	known, err := knownOf(ctx, st)
	if err != nil {
		return Result{}, err
	}
	src := SourceOf(a)
	res, err := c.CodeContext(ctx, coder.Document{Text: a.Text, SourceID: src.ID, Published: a.Published}, known)
	if err != nil {
		if errors.Is(err, corenlp.ErrUnavailable) {
			return Result{}, err
		}
		return Result{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	// Validate the proposals against the text and the known graph before
	// writing anything.
	check := &kg.Graph{Sources: []kg.Source{src}, Actors: append(append([]kg.Actor{}, known.Actors...), res.Actors...),
		Places: append(append([]kg.Place{}, known.Places...), res.Places...), Relations: res.Relations}
	if err := check.Validate(); err != nil {
		return Result{}, fmt.Errorf("ingest: the coder proposed an invalid graph: %w", err)
	}
	g := &kg.Graph{Sources: []kg.Source{src}, Actors: res.Actors, Places: res.Places, Relations: res.Relations}
	if err := st.Load(ctx, g); err != nil {
		return Result{}, err
	}
	return Result{Source: src, Actors: res.Actors, Places: res.Places, Relations: res.Relations}, nil
}

// knownOf reads every actor and place, page by page.
func knownOf(ctx context.Context, st store.Store) (coder.Known, error) {
	var k coder.Known
	byID := store.Order{Field: store.SortID}
	var after *store.Cursor
	for {
		p, err := st.ListActors(ctx, store.ActorFilter{}, byID, store.Page{First: store.MaxLimit, After: after})
		if err != nil {
			return k, err
		}
		k.Actors = append(k.Actors, p.Items...)
		if !p.HasNext {
			break
		}
		c := store.ActorCursor(p.Items[len(p.Items)-1], byID)
		after = &c
	}
	after = nil
	for {
		p, err := st.ListPlaces(ctx, store.Page{First: store.MaxLimit, After: after})
		if err != nil {
			return k, err
		}
		k.Places = append(k.Places, p.Items...)
		if !p.HasNext {
			break
		}
		last := p.Items[len(p.Items)-1]
		after = &store.Cursor{Str: kg.Fold(last.Name), ID: last.ID}
	}
	return k, nil
}
