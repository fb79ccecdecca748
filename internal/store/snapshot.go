package store

import "context"

// Snapshotter is implemented by a store that can pin one consistent state
// for a whole request: every read made with the returned context sees the
// state as of the call, whatever writes commit meanwhile (so a list's
// totalCount equals what paging through it returns). release ends the
// snapshot; it must be called, once the request's reads are done.
//
// The embedded store implements it (one bbolt read transaction and its
// index version); Neo4j reads are read-committed and do not.
type Snapshotter interface {
	Snapshot(ctx context.Context) (_ context.Context, release func())
}
