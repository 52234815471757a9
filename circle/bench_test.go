package circle_test

import (
	"testing"

	"github.com/coproduce/sociocracy/circle"
)

// generate builds an organisation of n circles (a tree with up to eight
// children per circle) and six memberships per circle, each circle with a
// leader from its parent and a delegate of its own, through the acts.
func generate(tb testing.TB, n int) *circle.Organisation {
	tb.Helper()
	org, _, err := circle.Found(founding())
	if err != nil {
		tb.Fatal(err)
	}
	ada := pid(1)
	people := n * 2
	for i := 2; i <= people; i++ {
		if _, err := org.AddPerson(ada, t0, circle.PersonSpec{ID: pid(i), Label: "p", Class: circle.Worker}); err != nil {
			tb.Fatal(err)
		}
	}
	member := func(c, p int) {
		if _, err := org.AddMember(ada, t0, cid(c), pid(p)); err != nil {
			tb.Fatal(err)
		}
	}
	for p := 2; p <= 6; p++ {
		member(1, p)
	}
	for c := 2; c <= n; c++ {
		parent := (c-2)/8 + 1
		if _, err := org.AddCircle(ada, t0, circle.CircleSpec{ID: cid(c), Parent: cid(parent), Name: "c", Kind: circle.KindTeam}); err != nil {
			tb.Fatal(err)
		}
		// Six members: the leader (a member of the parent), then five of its own.
		parentCircle, _ := org.Circle(cid(parent))
		leader := parentCircle.Members()[c%parentCircle.MemberCount()]
		if _, err := org.AddMember(ada, t0, cid(c), leader); err != nil {
			tb.Fatal(err)
		}
		for k := range 5 {
			p := (c*5+k)%people + 1
			if pid(p) != leader && !must2(org.Circle(cid(c))).IsMember(pid(p)) {
				member(c, p)
			}
		}
		if _, err := org.AssignRole(ada, t0, cid(c), circle.Leader, leader, term(1)); err != nil {
			tb.Fatal(err)
		}
	}
	return org
}

func must2[T any](v T, _ bool) T { return v }

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
	newcomer := pid(n*2 + 1)
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
