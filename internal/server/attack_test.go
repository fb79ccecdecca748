package server_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/actorgraph/actorgraph/graph"
	"github.com/actorgraph/actorgraph/internal/auth"
	"github.com/actorgraph/actorgraph/internal/server"
)

// TestAttackFullScale measures issue 11's item 3 at full scale: on a store
// of ~131k relations, 8 clients in parallel send 450 aliases of a
// minConfidence-filtered totalCount with one read key while another key
// asks actor(id: "usa") every 50 ms. It prints how each attack request ended
// and the probe's p50/p99; it checks the attack requests end within the 30 s
// deadline and the probe never fails. Wall-clock figures are printed, not
// asserted beyond the deadline (the machine is shared). Opt in:
//
//	ACTORGRAPH_ATTACK=1 go test -p 1 -run TestAttackFullScale -v -timeout 20m ./internal/server
func TestAttackFullScale(t *testing.T) {
	if os.Getenv("ACTORGRAPH_ATTACK") == "" {
		t.Skip("set ACTORGRAPH_ATTACK=1 for the full-scale measurement (builds a 131k-relation store)")
	}
	start := time.Now()
	s := grownStore(t, 32_750) // 131,000 generated relations + the seed's
	st, _ := s.Stats(context.Background())
	t.Logf("store: %d relations, built in %s", st.Relations, time.Since(start).Round(time.Second))
	attacker, _ := auth.NewKey()
	analyst, _ := auth.NewKey()
	keys, _ := auth.Load("", "attacker:read:"+attacker+",analyst:read:"+analyst)
	srv := httptest.NewServer(server.New(server.Config{Store: s, Logger: slog.New(slog.DiscardHandler), Auth: auth.Policy{Keys: keys}}))
	defer srv.Close()
	post := func(key, query string) (int, gqlResponse, time.Duration) {
		b, _ := json.Marshal(map[string]string{"query": query})
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(string(b)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+key)
		t0 := time.Now()
		status, r, _ := doReq(t, req)
		return status, r, time.Since(t0)
	}
	// 450 aliases (the attack: refused by the complexity limit),
	// then as many as the limit admits (answered, 4 at a time per key).
	perScan := st.Relations/graph.RelationsPerCostUnit + 1 + 101
	for _, n := range []int{450, server.DefaultLimits.MaxComplexity/perScan - 1} {
		phase(t, post, analyst, attacker, n)
	}
}

// phase runs one attack of 8 parallel requests of n aliases with a probe.
func phase(t *testing.T, post func(key, query string) (int, gqlResponse, time.Duration), analyst, attacker string, n int) {
	attack := aliases(n, ", filter: {minConfidence: 0.1}")
	stop := make(chan struct{})
	var probes []time.Duration
	probeFailures := 0
	var pw sync.WaitGroup
	pw.Add(1)
	go func() {
		defer pw.Done()
		for {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
			}
			status, r, d := post(analyst, `{ actor(id: "usa") { name } }`)
			if status != 200 || len(r.Errors) > 0 {
				probeFailures++
			}
			probes = append(probes, d)
		}
	}()
	time.Sleep(500 * time.Millisecond)
	var wg sync.WaitGroup
	var mu sync.Mutex
	outcomes := map[string]int{}
	var slowest time.Duration
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, r, d := post(attacker, attack)
			outcome := "answered"
			if len(r.Errors) > 0 {
				outcome = "refused " + r.Errors[0].Extensions["code"].(string)
			}
			mu.Lock()
			outcomes[http.StatusText(status)+" "+outcome]++
			slowest = max(slowest, d)
			mu.Unlock()
		}()
	}
	wg.Wait()
	time.Sleep(500 * time.Millisecond)
	close(stop)
	pw.Wait()
	t.Logf("attack: 8 × %d filtered totalCounts: %v, slowest %s", n, outcomes, slowest.Round(time.Millisecond))
	t.Logf("probe actor(id: \"usa\"): %d requests, p50 %s, p99 %s, max %s, %d failed", len(probes),
		percentile(probes, 0.5).Round(time.Microsecond), percentile(probes, 0.99).Round(time.Microsecond),
		percentile(probes, 1).Round(time.Microsecond), probeFailures)
	if slowest > 30*time.Second {
		t.Errorf("an attack request took %s, past the 30 s deadline", slowest)
	}
	if probeFailures > 0 {
		t.Errorf("%d probe requests failed", probeFailures)
	}
}
