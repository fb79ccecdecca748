package batch

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

func TestDoRunsOncePerKey(t *testing.T) {
	var c Calls
	var runs atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := Do(&c, "k", func() (int, error) { runs.Add(1); return 42, nil })
			if err != nil || v != 42 {
				t.Errorf("got %v %v", v, err)
			}
		}()
	}
	wg.Wait()
	if runs.Load() != 1 {
		t.Fatalf("fn ran %d times, want 1", runs.Load())
	}
	v, _ := Do(&c, "other", func() (int, error) { return 7, nil })
	if v != 7 {
		t.Fatalf("second key: %d", v)
	}
}

func TestDoSharesErrors(t *testing.T) {
	var c Calls
	boom := errors.New("boom")
	for i := 0; i < 2; i++ {
		if _, err := Do(&c, "k", func() (string, error) { return "", boom }); !errors.Is(err, boom) {
			t.Fatalf("err = %v", err)
		}
	}
}
