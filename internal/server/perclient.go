package server

import (
	"context"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/actorgraph/actorgraph/internal/auth"
)

const codeTooManyRequests = "TOO_MANY_REQUESTS"

// clientOf names who a request counts against: its API key's name, or, for
// an anonymous request, the client's IP address (the connection's, not a
// forwarded header a client could forge; behind a proxy all anonymous
// clients share one slot set).
func clientOf(r *http.Request) string {
	if p, ok := auth.FromContext(r.Context()); ok && !p.Anonymous {
		return "key:" + p.Name
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return "ip:" + host
}

// clientSlots bounds how many requests each client runs at once, so one key
// (or one anonymous address) cannot occupy every core while others wait.
// The state is per process: several servers behind a balancer each allow
// max per client.
type clientSlots struct {
	max  int
	wait time.Duration

	mu    sync.Mutex
	slots map[string]chan struct{} // a semaphore per client with requests in flight
	users map[string]int           // requests holding or waiting for the client's semaphore
}

func newClientSlots(max int, wait time.Duration) *clientSlots {
	return &clientSlots{max: max, wait: wait, slots: map[string]chan struct{}{}, users: map[string]int{}}
}

// acquire takes one of client's slots, waiting at most s.wait (and never
// past ctx); it returns the release func, or false when none came free.
func (s *clientSlots) acquire(ctx context.Context, client string) (func(), bool) {
	s.mu.Lock()
	sem, ok := s.slots[client]
	if !ok {
		sem = make(chan struct{}, s.max)
		s.slots[client] = sem
	}
	s.users[client]++
	s.mu.Unlock()
	done := func() {
		s.mu.Lock()
		if s.users[client]--; s.users[client] == 0 {
			delete(s.users, client) // memory stays bounded by clients in flight
			delete(s.slots, client)
		}
		s.mu.Unlock()
	}
	select {
	case sem <- struct{}{}:
		return func() { <-sem; done() }, true
	default:
	}
	t := time.NewTimer(s.wait)
	defer t.Stop()
	select {
	case sem <- struct{}{}:
		return func() { <-sem; done() }, true
	case <-t.C:
	case <-ctx.Done():
	}
	done()
	return nil, false
}

// limitClients refuses a request with 429 and TOO_MANY_REQUESTS when its
// client already runs s.max requests and none finishes within s.wait.
// Websockets pass (subscriptions are bounded by subscriptionLimits).
func limitClients(s *clientSlots, refused func(), next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isUpgrade(r) || r.Method == http.MethodOptions {
			next.ServeHTTP(w, r)
			return
		}
		release, ok := s.acquire(r.Context(), clientOf(r))
		if !ok {
			refused()
			w.Header().Set("Retry-After", strconv.Itoa(1))
			writeError(w, http.StatusTooManyRequests, codeTooManyRequests,
				"too many concurrent requests from this client (the limit is "+strconv.Itoa(s.max)+"); retry when one has finished")
			return
		}
		defer release()
		next.ServeHTTP(w, r)
	})
}
