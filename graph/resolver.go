package graph

import (
	"github.com/actorgraph/actorgraph/internal/feed"
	"github.com/actorgraph/actorgraph/internal/store"
)

//go:generate go tool gqlgen generate

// Resolver is the root resolver. Resolvers stay thin: they check arguments,
// turn them into store filters and hand loading to load.go, which batches
// every nested level into one store call.
type Resolver struct {
	Store store.Store
	// Feed tails the store's change log for subscriptions; writes wake it.
	Feed *feed.Feed
}
