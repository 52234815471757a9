package linking_test

import (
	"fmt"
	"testing"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/linking"
)

// BenchmarkCheck judges generated well-linked organisations built through
// circle's acts: 10,000 circles with about 60,000 memberships (the docs/method.md
// target is under 10 ms) and 100,000 circles (linear: within 12x).
func BenchmarkCheck(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		org, took := generated(n)
		b.Logf("built %d circles, %d memberships through acts in %s", n, memberships(org), took)
		for _, bc := range []struct {
			name   string
			policy *linking.Policy
		}{
			{"default", nil},
			{"coproduction", &linking.Policy{Coverage: []linking.CoverageRule{linking.CoProduction()}}},
		} {
			b.Run(fmt.Sprintf("circles=%d/policy=%s", n, bc.name), func(b *testing.B) {
				b.ReportAllocs()
				problems := 0
				for b.Loop() {
					r, err := linking.Check(org, bc.policy, now)
					if err != nil {
						b.Fatal(err)
					}
					problems = len(r.Violations)
					if bc.policy == nil && !r.OK() {
						b.Fatalf("generated organisation is not well linked:\n%s", r.Violations[0])
					}
				}
				b.ReportMetric(float64(problems), "violations")
			})
		}
	}
}

// BenchmarkCheckBroken measures the cost of messages: every term has
// ended, so each circle below the top has two violations (each ended link,
// reported once: not also too-few-links).
func BenchmarkCheckBroken(b *testing.B) {
	org, _ := generated(10_000)
	later := now.AddDate(2, 0, 0)
	b.ReportAllocs()
	for b.Loop() {
		r, err := linking.Check(org, nil, later)
		if err != nil || len(r.Violations) != 2*(org.CircleCount()-1) {
			b.Fatal(err, len(r.Violations))
		}
	}
}

func BenchmarkFeedbackPath(b *testing.B) {
	org, _ := generated(10_000)
	ids := org.Circles()
	from, to := ids[len(ids)-1], ids[len(ids)/2]
	b.ReportAllocs()
	for b.Loop() {
		if _, err := linking.FeedbackPath(org, from, to, now); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCandidates(b *testing.B) {
	org, _ := generated(10_000)
	c := org.Circles()[100]
	b.ReportAllocs()
	for b.Loop() {
		if _, err := linking.Candidates(org, c, circle.Leader, now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWalkBaseline measures the least any whole-organisation pass
// through circle's public API costs: Circles() and one Circle lookup each.
// It is the floor under BenchmarkCheck, reported beside it so that the
// share of the circle package's data layout is visible.
func BenchmarkWalkBaseline(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		org, _ := generated(n)
		b.Run(fmt.Sprintf("circles=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, id := range org.Circles() {
					if c, ok := org.Circle(id); !ok || c.Kind() == 0 {
						b.Fatal("lost circle")
					}
				}
			}
		})
	}
}
