package circle_test

import (
	"testing"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
)

// generate builds n circles with six memberships each (four members of
// its own, and its leader and delegate in the parent too).
func generate(tb testing.TB, n int) *circle.Organisation {
	tb.Helper()
	org, _ := circletest.Generate(n, 8, 4)
	return org
}

func BenchmarkBuildOrganisation10k(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		generate(b, 10_000)
	}
}

func BenchmarkCheck10k(b *testing.B) {
	org := generate(b, 10_000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := org.Check(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkActOn10k and BenchmarkActOn100 show that an act's cost does not
// grow with the organisation: add and remove one member, in a circle deep in
// the tree.
func BenchmarkActOn10k(b *testing.B) { benchAct(b, 10_000) }
func BenchmarkActOn100(b *testing.B) { benchAct(b, 100) }
func benchAct(b *testing.B, n int) {
	org := generate(b, n)
	ada := pid(1)
	target := cid(n)
	newcomer := pid(n*2 + 10)
	if _, err := org.AddPerson(ada, t0, circle.PersonSpec{ID: newcomer, Label: "new", Class: circle.Worker}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := org.AddMember(ada, t0, target, newcomer); err != nil {
			b.Fatal(err)
		}
		if _, err := org.RemoveMember(ada, t0, target, newcomer); err != nil {
			b.Fatal(err)
		}
	}
}

func TestGeneratedOrganisationIsSound(t *testing.T) {
	org := generate(t, 500)
	if err := org.Check(); err != nil {
		t.Fatal(err)
	}
	if got := org.CircleCount(); got != 500 {
		t.Fatalf("%d circles", got)
	}
}
