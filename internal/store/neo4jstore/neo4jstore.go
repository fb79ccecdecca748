// Package neo4jstore implements store.Store on Neo4j 5 (bolt:// single server
// or neo4j:// cluster routing) through neo4j-go-driver.
//
// Model: nodes :Actor, :Place, :Event, :Source carry their kg fields as
// properties; each kg.Relation is one relationship (from:Actor)-[r:TYPE]->(to)
// whose type is the kg.RelationType (only after IsValid: Cypher cannot take
// types as parameters, so types and labels come from the allowlist, never
// from user text) and whose properties flatten the relation. Links between
// relations (alleges, denies) are indexed id properties.
//
// Every read is one parameterised auto-commit statement (one Bolt round
// trip), its text fixed at package init or compiled per shape; limits and
// orderings are applied inside the statement. Case folding happens in Go (kg.Fold) before storing, so the
// store compares the same strings as the embedded store.
package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/log"

	"github.com/actorgraph/actorgraph/internal/store"
)

// Options configure Open.
type Options struct {
	// URI is bolt://host:port (one server) or neo4j://host:port (routing).
	URI string
	// User and Password: basic auth; an empty User means no auth.
	User, Password string
	// Database is the database name; empty means the user's home database.
	Database string
	// TxTimeout bounds every transaction on the server (0: server default).
	TxTimeout time.Duration
	// BoltLogger, when set, sees every Bolt message of every query (tests
	// count the RUN messages to prove a method sends a fixed number of
	// statements).
	BoltLogger log.BoltLogger
	// ConnectTimeout is how long Open retries reaching the server (default 30s).
	ConnectTimeout time.Duration
	// NoChangeLog writes no change log (the benchmark's baseline only:
	// subscribers see nothing).
	NoChangeLog bool
}

// Store is the Neo4j store.
type Store struct {
	driver neo4j.DriverWithContext
	opts   Options
	health health // health.go
}

var _ store.Store = (*Store)(nil)

// Open connects to Neo4j, waiting up to opts.ConnectTimeout for it to answer,
// creates the schema (once per process and URI), and starts the health
// monitor (health.go), which fails requests fast while Neo4j is down and
// recreates the schema when it comes back.
func Open(ctx context.Context, opts Options) (*Store, error) {
	if opts.ConnectTimeout <= 0 {
		opts.ConnectTimeout = 30 * time.Second
	}
	auth := neo4j.NoAuth()
	if opts.User != "" {
		auth = neo4j.BasicAuth(opts.User, opts.Password, "")
	}
	driver, err := neo4j.NewDriverWithContext(opts.URI, auth, func(c *config.Config) {
		c.SocketConnectTimeout = 5 * time.Second
		// Managed transactions retry transient errors, but not for the
		// driver's default 30 s: the request deadline is 30 s too.
		c.MaxTransactionRetryTime = maxRetryTime
	})
	if err != nil {
		// The URI may carry credentials: do not echo it.
		return nil, fmt.Errorf("neo4jstore: open: bad URI or options: %w", store.ErrInvalid)
	}
	s := &Store{driver: driver, opts: opts}
	if err := s.waitConnectivity(ctx); err != nil {
		driver.Close(context.Background())
		return nil, err
	}
	// Servers starting together race to create the schema: IF NOT EXISTS
	// still lets a concurrent creator fail (an equivalent rule appeared
	// meanwhile, a schema lock timed out); the next attempt finds it made.
	err = s.ensureSchema(ctx, false)
	for attempt := 1; err != nil && attempt < 5 && ctx.Err() == nil; attempt++ {
		time.Sleep(time.Duration(attempt) * 300 * time.Millisecond)
		err = s.ensureSchema(ctx, false)
	}
	if err != nil {
		driver.Close(context.Background())
		return nil, err
	}
	if err := s.ensureChangeLog(ctx); err != nil {
		driver.Close(context.Background())
		return nil, err
	}
	s.startMonitor()
	return s, nil
}

// waitConnectivity retries VerifyConnectivity until it succeeds, ctx ends or
// ConnectTimeout passes (a server that is still starting refuses connections).
func (s *Store) waitConnectivity(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, s.opts.ConnectTimeout)
	defer cancel()
	for {
		err := s.driver.VerifyConnectivity(ctx)
		if err == nil {
			return nil
		}
		if isAuthError(err) {
			return wrapErr("connect", err)
		}
		select {
		case <-ctx.Done():
			return wrapErr("connect", errors.Join(err, ctx.Err()))
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// Close releases the driver's connections.
func (s *Store) Close(ctx context.Context) error {
	s.stopMonitor()
	if err := s.driver.Close(ctx); err != nil {
		return wrapErr("close", err)
	}
	return nil
}

// Ping runs RETURN 1 (an auto-commit read).
func (s *Store) Ping(ctx context.Context) error {
	_, err := s.read(ctx, "ping", "RETURN 1 AS ok", nil)
	return err
}

// txConfig is the transaction configuration of every transaction.
func (s *Store) txConfig() []func(*neo4j.TransactionConfig) {
	if s.opts.TxTimeout > 0 {
		return []func(*neo4j.TransactionConfig){neo4j.WithTxTimeout(s.opts.TxTimeout)}
	}
	return nil
}

// txConfigFor is the transaction configuration for a transaction run for
// ctx: its timeout ends with ctx's deadline at the latest (health.go).
func (s *Store) txConfigFor(ctx context.Context) []func(*neo4j.TransactionConfig) {
	if t := s.txTimeout(ctx); t > 0 {
		return []func(*neo4j.TransactionConfig){neo4j.WithTxTimeout(t)}
	}
	return nil
}

// read runs one statement as an auto-commit read (routed to readers); it
// fails fast while the store is known to be down.
func (s *Store) read(ctx context.Context, op, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	if err := s.gate(op); err != nil {
		return nil, err
	}
	recs, err := s.query(ctx, op, cypher, params)
	return recs, s.observe(ctx, err)
}

// query is read without the health gate (the monitor uses it to find out
// the store is back).
func (s *Store) query(ctx context.Context, op, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	return s.queryLogged(ctx, op, cypher, params, true)
}

// queryLogged is query; logged false keeps the statement from the
// BoltLogger (the monitor's checks would disturb tests counting statements).
//
// A read is one auto-commit statement: RUN and PULL go out together and the
// answer is one Bolt round trip, where a managed read transaction (BEGIN +
// RUN + PULL, then COMMIT) takes two. One statement needs no transaction of
// its own to read one consistent state. What the managed transaction gave
// besides, retrying transient failures for up to maxRetryTime, is done here:
// a read is safe to repeat.
func (s *Store) queryLogged(ctx context.Context, op, cypher string, params map[string]any, logged bool) ([]*neo4j.Record, error) {
	var logger log.BoltLogger
	if logged {
		logger = s.opts.BoltLogger
	}
	deadline := time.Now().Add(maxRetryTime)
	for wait := 20 * time.Millisecond; ; wait *= 2 {
		recs, err := s.autoCommit(ctx, cypher, params, logger)
		if err == nil {
			return recs, nil
		}
		if !neo4j.IsRetryable(err) || ctx.Err() != nil || time.Now().Add(wait).After(deadline) {
			return nil, wrapErr(op, err)
		}
		select {
		case <-ctx.Done():
			return nil, wrapErr(op, errors.Join(err, ctx.Err()))
		case <-time.After(wait):
		}
	}
}

// autoCommit runs one statement in a read session of its own (a session
// costs no round trip; it shares ExecuteQuery's bookmark manager, so a read
// sees the writes made before it, also on a cluster).
func (s *Store) autoCommit(ctx context.Context, cypher string, params map[string]any, logger log.BoltLogger) ([]*neo4j.Record, error) {
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{
		AccessMode:      neo4j.AccessModeRead,
		DatabaseName:    s.opts.Database,
		BoltLogger:      logger,
		BookmarkManager: s.driver.ExecuteQueryBookmarkManager(),
	})
	defer sess.Close(ctx)
	res, err := sess.Run(ctx, cypher, params, s.txConfigFor(ctx)...)
	if err != nil {
		return nil, err
	}
	return res.Collect(ctx)
}

// session opens a session for writes. It shares ExecuteQuery's bookmark
// manager so reads that follow a write see it, also on a cluster.
func (s *Store) session(ctx context.Context) neo4j.SessionWithContext {
	return s.driver.NewSession(ctx, neo4j.SessionConfig{
		AccessMode:      neo4j.AccessModeWrite,
		DatabaseName:    s.opts.Database,
		BoltLogger:      s.opts.BoltLogger,
		BookmarkManager: s.driver.ExecuteQueryBookmarkManager(),
	})
}

// errDatabase stands for any other failure reported by Neo4j.
var errDatabase = errors.New("database error")

// opError is what the store returns for driver and server failures. Its
// message names the operation, the sentinel and at most the server's status
// code — never Cypher text, parameters or the server's message, which may
// quote them — while errors.Is/As still reach the sentinel and the cause.
type opError struct {
	op    string
	kind  error // store.ErrUnavailable, store.ErrInvalid or errDatabase
	code  string
	cause error
}

func (e *opError) Error() string {
	msg := "neo4jstore: " + e.op + ": " + e.kind.Error()
	if e.code != "" {
		msg += " (" + e.code + ")"
	}
	return msg
}

func (e *opError) Unwrap() []error { return []error{e.kind, e.cause} }

// wrapErr classifies a driver error: connection problems, timeouts and
// transient server states become store.ErrUnavailable. It uses errors.As:
// the driver's Is* helpers do not see through wrapping.
func wrapErr(op string, err error) error {
	if err == nil {
		return nil
	}
	var already *opError
	if errors.As(err, &already) || errors.Is(err, store.ErrInvalid) || errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrConflict) {
		return err
	}
	e := &opError{op: op, kind: errDatabase, cause: err}
	var (
		n4j      *neo4j.Neo4jError
		conn     *neo4j.ConnectivityError
		limit    *neo4j.TransactionExecutionLimit
		authErr  *neo4j.InvalidAuthenticationError
		netErr   net.Error
		usageErr *neo4j.UsageError
	)
	switch {
	case errors.As(err, &n4j):
		e.code = n4j.Code
		switch {
		case strings.HasPrefix(n4j.Code, "Neo.TransientError."),
			strings.HasPrefix(n4j.Code, "Neo.ClientError.Transaction.TransactionTimedOut"),
			strings.HasPrefix(n4j.Code, "Neo.ClientError.Security."),
			strings.HasPrefix(n4j.Code, "Neo.ClientError.Cluster."),
			n4j.Code == "Neo.ClientError.Database.DatabaseNotFound",
			n4j.Code == "Neo.DatabaseError.Database.DatabaseUnavailable":
			e.kind = store.ErrUnavailable
		case strings.HasPrefix(n4j.Code, "Neo.ClientError.Schema.ConstraintValidationFailed"):
			e.kind = store.ErrInvalid
		case n4j.Code == "Neo.ClientError.Statement.EntityNotFound":
			// A node or relationship the statement matched was deleted by a
			// write that committed meanwhile (read committed): the write
			// raced a merge or deletion.
			e.kind = store.ErrConflict
		}
	case errors.As(err, &conn), errors.As(err, &limit), errors.As(err, &authErr), errors.As(err, &netErr),
		errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		e.kind = store.ErrUnavailable
	case errors.As(err, &usageErr):
		// A closed driver or pool: the store cannot be reached any more.
		e.kind = store.ErrUnavailable
	}
	return e
}

// isAuthError reports a refused login: retrying will not help.
func isAuthError(err error) bool {
	var n4j *neo4j.Neo4jError
	var authErr *neo4j.InvalidAuthenticationError
	return errors.As(err, &authErr) || (errors.As(err, &n4j) && strings.HasPrefix(n4j.Code, "Neo.ClientError.Security."))
}

// clamp applies the store's limit rule: <= 0 means MaxLimit; above it, MaxLimit.
func clamp(limit int) int64 {
	if limit <= 0 || limit > store.MaxLimit {
		return store.MaxLimit
	}
	return int64(limit)
}

// uniq returns ids without duplicates and empty strings, as a Cypher list.
func uniq(ids []string) []any {
	seen := make(map[string]bool, len(ids))
	out := make([]any, 0, len(ids))
	for _, id := range ids {
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
