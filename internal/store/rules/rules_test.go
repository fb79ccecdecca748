package rules

import (
	"testing"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// The facts rule: made acts the source asserts, not rejected.
func TestIsFact(t *testing.T) {
	for _, c := range []struct {
		a    kg.Attribution
		s    kg.Status
		rv   kg.Review
		want bool
	}{
		{kg.Asserted, kg.Actual, kg.ReviewConfirmed, true},
		{kg.Asserted, kg.Conditional, kg.ReviewConfirmed, true}, // a conditional threat is made
		{kg.Asserted, kg.Planned, kg.ReviewConfirmed, false},
		{kg.Asserted, kg.Negated, kg.ReviewConfirmed, false},
		{kg.Alleged, kg.Actual, kg.ReviewConfirmed, false}, // a claim, whatever its status
		{kg.Asserted, kg.Actual, kg.ReviewRejected, false},
	} {
		if got := IsFact(c.a, c.s, c.rv); got != c.want {
			t.Errorf("IsFact(%s, %s, %s) = %v", c.a, c.s, c.rv, got)
		}
	}
}

// A month-precision date (the 1st, a Thursday) has no week: it must not be
// filed in the week of Monday 29 August.
func TestBucketStartPrecision(t *testing.T) {
	if s, ok := BucketStart("2016-09-01", kg.PrecisionMonth, store.Week); ok {
		t.Errorf("month precision in a weekly series: bucket %s", s)
	}
	if s, ok := BucketStart("2016-09-01", kg.PrecisionMonth, store.Month); !ok || s != "2016-09-01" {
		t.Errorf("month precision, monthly: %s %v", s, ok)
	}
	if s, ok := BucketStart("2016-09-01", kg.PrecisionDay, store.Week); !ok || s != "2016-08-29" {
		t.Errorf("a day, weekly: %s %v", s, ok)
	}
}
