package agreement_test

import (
	"testing"

	"github.com/coproduce/sociocracy/agreement"
	"github.com/coproduce/sociocracy/consent"
)

// registerOf returns a register of circles circles with perCircle agreements
// each, every one amended once.
func registerOf(b *testing.B, circles, perCircle int) *agreement.Register {
	r, _ := open()
	n := 0
	for c := 1; c <= circles; c++ {
		for range perCircle {
			n++
			must(r.Observe(adopted(proc(n), cid(c), day(1), "Agreement", "v1")))
		}
	}
	for i := 1; i <= n; i++ {
		id := agreement.IDFor(orgID, proc(i))
		a, _ := r.Agreement(id)
		must(r.Observe(started(proc(n+i), a.Circle, day(100), consent.Review{Agreement: id})))
		must(r.Observe(adopted(proc(n+i), a.Circle, day(101), "Agreement", "v2")))
	}
	if r.Len() != n {
		b.Fatalf("%d agreements, want %d", r.Len(), n)
	}
	return r
}

// BenchmarkInForce1000Circles: the agreements in force in the whole
// organisation of 1,000 circles (three agreements each, each amended once)
// at a past instant. Target: under 1 ms.
func BenchmarkInForce1000Circles(b *testing.B) {
	r := registerOf(b, 1000, 3)
	at := day(50)
	b.ReportAllocs()
	for b.Loop() {
		if len(r.InForce(at)) != 3000 {
			b.Fatal("wrong answer")
		}
	}
}

// BenchmarkInForceOneCircle: one circle's agreements among 1,000 circles,
// the baseline of the organisation-wide question.
func BenchmarkInForceOneCircle(b *testing.B) {
	r := registerOf(b, 1000, 3)
	at := day(50)
	b.ReportAllocs()
	for b.Loop() {
		if len(r.InForceIn(cid(500), at)) != 3 {
			b.Fatal("wrong answer")
		}
	}
}

// BenchmarkReplay: rebuilding the register of 1,000 circles (3,000
// agreements) from its log, as a store does after a restart.
func BenchmarkReplay(b *testing.B) {
	log := logOf(1000, 3)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := agreement.Replay(log); err != nil {
			b.Fatal(err)
		}
	}
}

func logOf(circles, perCircle int) []agreement.Event {
	r, log := open()
	n := 0
	for c := 1; c <= circles; c++ {
		for range perCircle {
			n++
			log = append(log, must(r.Observe(adopted(proc(n), cid(c), day(1), "Agreement", "v1")))...)
		}
	}
	return log
}
