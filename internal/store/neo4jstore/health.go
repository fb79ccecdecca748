package neo4jstore

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/actorgraph/actorgraph/internal/store"
)

// Health: the store tracks whether Neo4j is reachable, so that requests fail
// within milliseconds while it is known to be down instead of each waiting
// out the driver's retries, and so that the schema is checked again when the
// database comes back (a restarted or restored database may be empty, and
// MERGE without the uniqueness constraints creates duplicate ids under
// concurrent writes).
//
//   - A request that fails with an outage error (connection refused or
//     lost, database unavailable) marks the store down.
//   - While down, every read and write returns store.ErrUnavailable at once
//     (the server answers UNAVAILABLE), and a monitor pings Neo4j every
//     pingInterval.
//   - When a ping succeeds, the monitor recreates whatever schema objects are
//     missing and waits for the indexes, and only then lets requests through.
//   - While up, the monitor checks every checkInterval that the uniqueness
//     constraints are all there (one SHOW CONSTRAINTS), which also notices a
//     restart no request happened to see; a missing one is recreated at once.
//
// Transient errors are retried (reads by queryLogged, writes by the
// driver's managed transactions) for up to maxRetryTime (short, so a
// request that discovers an outage still answers well within its deadline).
const (
	pingInterval  = 250 * time.Millisecond
	checkInterval = 1 * time.Second
	maxRetryTime  = 3 * time.Second
)

// health is the store's view of Neo4j.
type health struct {
	down    atomic.Bool
	wake    chan struct{} // a request saw an outage: check now
	stop    chan struct{}
	stopped sync.WaitGroup
	once    sync.Once
}

// errDown is returned while the store is known to be down.
var errDown = errors.New("the database is down")

// gate fails fast while the store is known to be down.
func (s *Store) gate(op string) error {
	if s.health.down.Load() {
		return &opError{op: op, kind: store.ErrUnavailable, cause: errDown}
	}
	return nil
}

// observe looks at a request's error: an outage marks the store down and
// wakes the monitor. A request whose own context ended says nothing about
// Neo4j (the driver reports a deadline hit while connecting as a
// connectivity error). It returns err unchanged.
func (s *Store) observe(ctx context.Context, err error) error {
	if err != nil && ctx.Err() == nil && isOutage(err) && s.health.down.CompareAndSwap(false, true) {
		select {
		case s.health.wake <- struct{}{}:
		default:
		}
	}
	return err
}

// isOutage reports an error meaning Neo4j cannot be reached at all (not a
// slow query, a timeout or a bad statement).
func isOutage(err error) bool {
	if errors.Is(err, errDown) {
		return false // already known
	}
	var (
		conn  *neo4j.ConnectivityError
		limit *neo4j.TransactionExecutionLimit
		n4j   *neo4j.Neo4jError
		netE  *net.OpError
	)
	switch {
	case errors.As(err, &conn), errors.As(err, &netE):
		return true
	case errors.As(err, &limit):
		for _, e := range limit.Errors {
			if isOutage(e) {
				return true
			}
		}
	case errors.As(err, &n4j):
		return strings.HasSuffix(n4j.Code, ".DatabaseUnavailable") || strings.HasSuffix(n4j.Code, ".DatabaseNotFound")
	}
	return false
}

// startMonitor runs the monitor until Close.
func (s *Store) startMonitor() {
	s.health.wake = make(chan struct{}, 1)
	s.health.stop = make(chan struct{})
	s.health.stopped.Add(1)
	go func() {
		defer s.health.stopped.Done()
		for {
			wait := checkInterval
			if s.health.down.Load() {
				wait = pingInterval
			}
			select {
			case <-s.health.stop:
				return
			case <-s.health.wake:
			case <-time.After(wait):
			}
			s.check()
		}
	}()
}

// stopMonitor ends the monitor (Close).
func (s *Store) stopMonitor() {
	s.health.once.Do(func() {
		if s.health.stop != nil {
			close(s.health.stop)
			s.health.stopped.Wait()
		}
	})
}

// check pings Neo4j and verifies the constraints; it marks the store down on
// an outage and up once the schema is complete again.
func (s *Store) check() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	n, err := s.constraintCount(ctx)
	if err != nil {
		s.observe(ctx, err)
		return
	}
	if n < constraintTotal || s.health.down.Load() {
		// Back from an outage, or the database lost its schema (restored,
		// recreated): recreate what is missing before taking writes again.
		s.health.down.Store(true)
		actx, acancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer acancel()
		if err := s.ensureSchema(actx, true); err != nil {
			s.observe(ctx, err)
			return
		}
		s.health.down.Store(false)
	}
}

// constraintTotal is how many uniqueness constraints the schema holds.
var constraintTotal = func() int {
	n := 0
	for _, o := range schema {
		if strings.HasPrefix(o.cypher, "CREATE CONSTRAINT") {
			n++
		}
	}
	return n
}()

// constraintNames lists the schema's constraints, as a Cypher parameter.
var constraintNames = func() []any {
	var out []any
	for _, o := range schema {
		if strings.HasPrefix(o.cypher, "CREATE CONSTRAINT") {
			out = append(out, o.name)
		}
	}
	return out
}()

// constraintCount counts the schema's constraints present in the database,
// bypassing the gate (it is how the store finds out it is back).
func (s *Store) constraintCount(ctx context.Context) (int, error) {
	recs, err := s.queryLogged(ctx, "check schema",
		"SHOW CONSTRAINTS YIELD name WHERE name IN $names RETURN count(*) AS n", map[string]any{"names": constraintNames}, false)
	if err != nil {
		return 0, err
	}
	if len(recs) != 1 {
		return 0, nil
	}
	v, _ := recs[0].Get("n")
	return gint(v), nil
}

// bulkKey marks a context whose transactions may run longer than the
// configured TxTimeout (which is sized for requests): see withBulkTimeout.
type bulkKey struct{}

// withBulkTimeout lets the transactions of ctx run up to d even when the
// configured TxTimeout is shorter: the one-time seed load of a fresh
// database writes the whole seed in one transaction, and a server that
// loses the race waits on the winner's marker lock for as long. A 10 s
// request timeout failed both on a busy machine (LockClientStopped for the
// waiter, TransactionTimedOut for the loader). ctx's own deadline still
// bounds them.
func withBulkTimeout(ctx context.Context, d time.Duration) context.Context {
	return context.WithValue(ctx, bulkKey{}, d)
}

// txTimeout is the server-side timeout of a transaction run for ctx: the
// configured TxTimeout (or a longer bulk one, withBulkTimeout), shortened to what is left of ctx's deadline (the
// request's), so Neo4j stops working on a request its client no longer
// waits for.
func (s *Store) txTimeout(ctx context.Context) time.Duration {
	t := s.opts.TxTimeout
	if b, ok := ctx.Value(bulkKey{}).(time.Duration); ok && t > 0 && b > t {
		t = b
	}
	if dl, ok := ctx.Deadline(); ok {
		left := time.Until(dl)
		if left < time.Millisecond {
			left = time.Millisecond
		}
		if t <= 0 || left < t {
			t = left
		}
	}
	return t
}
