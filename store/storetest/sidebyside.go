package storetest

import (
	"testing"
	"time"
)

// SideBySide measures act beside its baseline bare in one benchmark: it
// runs them in turns, a block of SideBlock calls of bare and then as many
// iterations of act, timing each call, so that a drift of the machine's
// speed during the run (a disk's flushes vary by a third within a minute
// on a shared machine) moves both alike. Single calls in turn would
// measure each against the other's flushes. An iteration is one call of
// act; it reports bare-ns/op, act-ns/op and their ratio act/bare.
func SideBySide(b *testing.B, bare, act func() error) {
	b.Helper()
	var tb, ta time.Duration
	n, nb := 0, 0
	b.ReportAllocs()
	for b.Loop() {
		if n%SideBlock == 0 {
			t0 := time.Now()
			for range SideBlock {
				if err := bare(); err != nil {
					b.Fatal(err)
				}
			}
			tb += time.Since(t0)
			nb += SideBlock
		}
		n++
		t1 := time.Now()
		if err := act(); err != nil {
			b.Fatal(err)
		}
		ta += time.Since(t1)
	}
	perBare := float64(tb.Nanoseconds()) / float64(nb)
	perAct := float64(ta.Nanoseconds()) / float64(n)
	b.ReportMetric(perBare, "bare-ns/op")
	b.ReportMetric(perAct, "act-ns/op")
	b.ReportMetric(perAct/perBare, "act/bare")
}

// SideBlock is how many calls of one of them [SideBySide] makes before it
// turns to the other.
const SideBlock = 64
