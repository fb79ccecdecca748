package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/actorgraph/actorgraph/internal/auth"
	"github.com/actorgraph/actorgraph/internal/seed"
	"github.com/actorgraph/actorgraph/internal/server"
	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/boltstore"
	"github.com/actorgraph/actorgraph/internal/store/storetest"
	"github.com/actorgraph/actorgraph/internal/testenv"
)

// aliases is the attack of issue 11 (item 3): n aliases of a relations
// totalCount, each under filter (or none).
func aliases(n int, filter string) string {
	var b strings.Builder
	b.WriteString("{")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, " a%d: relations(first: 0%s) { totalCount }", i, filter)
	}
	b.WriteString(" }")
	return b.String()
}

// grownStore is the seed graph plus n*4 generated relations.
func grownStore(t testing.TB, n int) store.Store {
	t.Helper()
	s := testenv.Bolt(t, boltstore.Options{})
	g, err := seed.Graph()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Load(context.Background(), g); err != nil {
		t.Fatal(err)
	}
	if err := s.Load(context.Background(), storetest.Generate(42, n, n*4, "thenews-aleppo-2016")); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestFilteredCountsCostWhatTheyScan: a totalCount under a value filter is
// charged by the relations it may read, so the 450-alias attack is refused
// before it runs, while the same aliases unfiltered or filtered by type only
// (counted from the index) still pass. Before, each alias cost the same
// whatever its filter.
func TestFilteredCountsCostWhatTheyScan(t *testing.T) {
	s := grownStore(t, 2500) // ~10,000 relations: a value-filtered scan costs ~101
	srv, _ := start(t, s, server.Limits{MaxComplexity: 60_000})
	for _, c := range []struct {
		name, filter string
		refused      bool
	}{
		{"no filter", "", false},
		{"types only", ", filter: {types: [ACCUSES]}", false},
		{"minConfidence", ", filter: {minConfidence: 0.1}", true},
		{"status", ", filter: {status: ACTUAL}", true},
	} {
		status, r, raw := gql(t, srv, aliases(450, c.filter), nil)
		switch {
		case c.refused:
			wantError(t, status, r, raw, http.StatusUnprocessableEntity, "COMPLEXITY_LIMIT_EXCEEDED")
		case status != 200 || len(r.Errors) > 0:
			t.Errorf("%s: %d %.300s", c.name, status, raw)
		}
	}
	// One filtered count is still fine.
	if status, r, raw := gql(t, srv, aliases(1, ", filter: {minConfidence: 0.1}"), nil); status != 200 || len(r.Errors) > 0 {
		t.Errorf("one filtered count: %d %.300s", status, raw)
	}
}

// gated is the real embedded store whose CountRelations waits at a gate, so
// a test can hold requests in flight without timing.
type gated struct {
	store.Store
	entered atomic.Int64
	gate    chan struct{}
}

func (g *gated) CountRelations(ctx context.Context, f store.RelationFilter) (int, error) {
	g.entered.Add(1)
	select {
	case <-g.gate:
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	return g.Store.CountRelations(ctx, f)
}

// TestOneKeyCannotStarveOthers: a key running its limit of requests gets
// 429 TOO_MANY_REQUESTS for one more, while another key's small query is
// answered at once (before, every request ran and queued on the cores).
func TestOneKeyCannotStarveOthers(t *testing.T) {
	g := &gated{Store: grownStore(t, 50), gate: make(chan struct{})}
	attacker, _ := auth.NewKey()
	analyst, _ := auth.NewKey()
	keys, err := auth.Load("", "attacker:read:"+attacker+",analyst:read:"+analyst)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.New(server.Config{Store: g, Logger: slog.New(slog.DiscardHandler), Auth: auth.Policy{Keys: keys},
		Limits: server.Limits{PerClient: 3, PerClientWait: 50 * time.Millisecond}}))
	t.Cleanup(srv.Close)
	post := func(key, query string) (int, gqlResponse, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(`{"query": "`+strings.ReplaceAll(query, `"`, `\"`)+`"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+key)
		return doReq(t, req)
	}
	// Counts from an actor: they take no scan slot (graph/cost.go), so the
	// per-key limit alone is what holds the attacker back here.
	attack := aliases(1, ", filter: {from: \"usa\", minConfidence: 0.1}")
	var wg sync.WaitGroup
	statuses := make([]int, 3)
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i], _, _ = post(attacker, attack)
		}()
	}
	for g.entered.Load() < 3 {
		time.Sleep(time.Millisecond)
	}
	status, r, raw := post(attacker, attack)
	wantError(t, status, r, raw, http.StatusTooManyRequests, "TOO_MANY_REQUESTS")
	status, r, raw = post(analyst, `{ actor(id: "usa") { name } }`)
	if status != 200 || len(r.Errors) > 0 || r.Data["actor"] == nil {
		t.Errorf("another key was refused or failed while the attacker held its slots: %d %s", status, raw)
	}
	close(g.gate)
	wg.Wait()
	for i, st := range statuses {
		if st != 200 {
			t.Errorf("attacker request %d within the limit: status %d", i, st)
		}
	}
	// The slots are back.
	if status, _, raw := post(attacker, attack); status != 200 {
		t.Errorf("after the others finished: %d %s", status, raw)
	}
}

func doReq(t *testing.T, req *http.Request) (int, gqlResponse, string) {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var r gqlResponse
	json.Unmarshal(raw, &r)
	return res.StatusCode, r, string(raw)
}

// percentile of sorted durations.
func percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return d[min(len(d)-1, int(float64(len(d))*p))]
}
