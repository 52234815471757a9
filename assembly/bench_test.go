package assembly_test

import (
	"fmt"
	"testing"

	"github.com/coproduce/sociocracy/assembly"
	"github.com/coproduce/sociocracy/circle"
)

// agm is an AGM of n members (a tenth of them investors), all present, on
// one special resolution put to a vote that everyone has cast.
func agm(n int) (*assembly.Meeting, []assembly.Event) {
	r := assembly.EqualCare()
	m, log, err := assembly.Call(coopOrg(n-n/10, n/10), spec(), r, at(0))
	if err != nil {
		panic(err)
	}
	do := func(evs []assembly.Event, err error) {
		if err != nil {
			panic(err)
		}
		log = append(log, evs...)
	}
	do(m.Propose(pid(1), at(1), assembly.ResolutionSpec{Majority: assembly.Special, Title: "Amend rule 12", Text: "..."}))
	for p := 1; p <= n; p++ {
		do(m.Register(pid(p), at(2), pid(p)))
	}
	do(m.Open(pid(1), after(0)))
	do(m.SeekConsent(pid(1), after(1), 1))
	do(m.Object(pid(n), after(1), 1, "no"))
	do(m.CallVote(pid(1), after(1), 1))
	for p := 1; p <= n; p++ {
		c := assembly.For
		if p%7 == 0 {
			c = assembly.Against
		}
		do(m.Vote(pid(p), after(2), 1, c, circle.PersonID{}))
	}
	return m, log
}

// BenchmarkCount1000 counts a vote of 1,000 members, capped weighting.
func BenchmarkCount1000(b *testing.B) {
	m, _ := agm(1000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.Clone().Count(pid(1), after(3), 1); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkClone1000 is the baseline of BenchmarkCount1000: the copy it
// counts on.
func BenchmarkClone1000(b *testing.B) {
	m, _ := agm(1000)
	b.ReportAllocs()
	for b.Loop() {
		_ = m.Clone()
	}
}

// BenchmarkReplay1000 replays that meeting: 2,006 events.
func BenchmarkReplay1000(b *testing.B) {
	_, log := agm(1000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := assembly.Replay(log); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTally counts four classes under each weighting.
func BenchmarkTally(b *testing.B) {
	counts := []assembly.Count{
		{Class: circle.Worker, For: 412, Against: 37, Present: 460},
		{Class: circle.SupportedPerson, For: 230, Against: 12, Present: 250},
		{Class: circle.Advocate, For: 80, Against: 40, Present: 130},
		{Class: circle.Investor, For: 10, Against: 190, Present: 200},
	}
	for _, r := range []assembly.Rules{assembly.EqualCare(), assembly.EqualCareFixed()} {
		b.Run(fmt.Sprint(r.Weighting), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := assembly.Tally(r, assembly.Special, counts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
