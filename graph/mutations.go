package graph

import (
	"context"
	"errors"
	"time"

	"github.com/actorgraph/actorgraph/graph/model"
	"github.com/actorgraph/actorgraph/internal/auth"
	"github.com/actorgraph/actorgraph/internal/ingest"
)

// Mutations: each checks the caller's role first, then runs one store
// transaction.

func (r *Resolver) ingestArticle(ctx context.Context, text, title, publisher, publishedAt string, url *string) (*model.IngestResult, error) {
	if err := auth.Require(ctx, auth.RoleWrite); err != nil {
		return nil, err
	}
	day, err := time.Parse(time.DateOnly, publishedAt)
	if err != nil {
		return nil, badInput("publishedAt", "must be a date YYYY-MM-DD, got %q", publishedAt)
	}
	c, err := ingest.DefaultCoder()
	if err != nil {
		return nil, err
	}
	res, err := ingest.Ingest(ctx, r.Store, c, ingest.Article{Text: text, Title: title, Publisher: publisher, URL: deref(url), Published: day})
	var fe *ingest.FieldError
	if errors.As(err, &fe) {
		return nil, badInput(fe.Field, "%s", fe.Message)
	}
	if err != nil {
		return nil, err
	}
	return &model.IngestResult{
		Source:    &model.Source{Source: res.Source},
		Relations: model.Relations(res.Relations),
		NewActors: model.Actors(res.Actors),
	}, nil
}
