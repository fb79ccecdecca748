package boltstore

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

type intOrder struct{}

func (intOrder) cmp(a, b int) int { return cmp.Compare(a, b) }

// The tree against a sorted slice, under random puts and deletes (in and
// out of transient batches), with every old version checked unchanged.
func TestPtreeModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var tr ptree[int, intOrder]
	var model []int
	type version struct {
		tr    ptree[int, intOrder]
		items []int
	}
	var versions []version
	for step := 0; step < 400; step++ {
		ed := &edit{}
		w := tr.transient(ed)
		for range 1 + rng.IntN(60) {
			x := rng.IntN(3000)
			i, found := slices.BinarySearch(model, x)
			if rng.IntN(3) == 0 {
				w = w.Delete(x)
				if found {
					model = slices.Delete(model, i, i+1)
				}
			} else {
				w = w.Put(x)
				if !found {
					model = slices.Insert(model, i, x)
				}
			}
		}
		tr = w.frozen()
		if got := tr.Items(); !slices.Equal(got, model) || tr.Len() != len(model) {
			t.Fatalf("step %d: tree has %d items (Len %d), model %d", step, len(got), tr.Len(), len(model))
		}
		versions = append(versions, version{tr, slices.Clone(model)})
		// Ascend/Descend from a random point, strict or not.
		x := rng.IntN(3000)
		strict := rng.IntN(2) == 0
		var up, down []int
		tr.Ascend(&x, strict, func(v int) bool { up = append(up, v); return len(up) < 10 })
		tr.Descend(&x, strict, func(v int) bool { down = append(down, v); return len(down) < 10 })
		var wantUp, wantDown []int
		for _, v := range model {
			if (v > x || (!strict && v == x)) && len(wantUp) < 10 {
				wantUp = append(wantUp, v)
			}
		}
		for i := len(model) - 1; i >= 0; i-- {
			if v := model[i]; (v < x || (!strict && v == x)) && len(wantDown) < 10 {
				wantDown = append(wantDown, v)
			}
		}
		if !slices.Equal(up, wantUp) || !slices.Equal(down, wantDown) {
			t.Fatalf("step %d: from %d strict %v: up %v want %v; down %v want %v", step, x, strict, up, wantUp, down, wantDown)
		}
		if _, ok := tr.Get(x); ok != slices.Contains(model, x) {
			t.Fatalf("step %d: Get(%d) = %v", step, x, ok)
		}
	}
	for i, v := range versions {
		if !slices.Equal(v.tr.Items(), v.items) {
			t.Fatalf("version %d changed after later writes", i)
		}
	}
}

// firstK keeps what a full sort would put first.
func TestFirstK(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 5, 50, 500} {
		list := make([]int, n)
		for i := range list {
			list[i] = rng.IntN(100)
		}
		want := slices.Clone(list)
		slices.Sort(want)
		want = want[:min(n, 20)]
		if got := firstK(slices.Clone(list), 20, cmp.Compare[int]); !slices.Equal(got, want) {
			t.Fatalf("n=%d: %v, want %v", n, got, want)
		}
	}
}
