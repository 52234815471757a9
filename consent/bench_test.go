package consent_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/consent"
)

// runThreeRounds runs a whole process with n participants: round 1 with one
// objection resolved by amendment, round 2 with one objection resolved by a
// measure, round 3 all consent, then adoption. It returns the process and
// its events.
func runThreeRounds(tb testing.TB, n int) (*consent.Process, []consent.Event) {
	ps := make([]consent.PersonID, n)
	for i := range ps {
		ps[i] = circletest.Person(i + 1)
	}
	prop, fac := ps[0], ps[1]
	at := t0
	var log []consent.Event
	step := func(evs []consent.Event, err error) {
		if err != nil {
			tb.Fatal(err)
		}
		log = append(log, evs...)
		at = at.Add(time.Second)
	}
	p, evs, err := consent.Start(consent.ProcessSpec{
		ID: procID, Org: orgID, Circle: circleID, Proposer: prop, Facilitator: fac, Proposal: proposal1,
	}, at)
	step(evs, err)
	step(p.Present(fac, at, ps))
	step(p.SkipReactions(fac, at))
	for round := 1; round <= 3; round++ {
		step(p.OpenConsentRound(fac, at, ps, at.Add(48*time.Hour)))
		var obj consent.PersonID
		for i, who := range ps {
			if round < 3 && i == round+1 {
				obj = who
				step(p.Object(who, at, "This puts the night shift at risk."))
				continue
			}
			step(p.Consent(who, at))
		}
		if round == 3 {
			break
		}
		step(p.Integrate(fac, at))
		step(p.UnderstandObjection(fac, at, obj, "The risk is at medication time."))
		if round == 1 {
			pr := p.Proposal()
			pr.Text += " Amended."
			step(p.Amend(prop, at, consent.Amendment{Proposal: pr, Change: "21:30", Addresses: []consent.PersonID{obj}}))
		} else {
			step(p.AddMeasure(prop, at, obj, consent.Measure{Watch: "late medications", Threshold: "two a week", Owner: obj, Checkpoint: at.AddDate(0, 1, 0)}))
		}
	}
	step(p.Adopt(fac, at))
	return p, log
}

// BenchmarkProcess500 decides and applies every act of a process with 500
// participants and three rounds (target: under 2 ms per process).
func BenchmarkProcess500(b *testing.B) {
	b.ReportAllocs()
	var events int
	for b.Loop() {
		_, log := runThreeRounds(b, 500)
		events = len(log)
	}
	b.ReportMetric(float64(events), "events/op")
}

// BenchmarkReplay10000 rebuilds a process from 10,000 events (target: under
// 5 ms).
func BenchmarkReplay10000(b *testing.B) {
	_, log := runThreeRounds(b, 3400)
	if len(log) < 10000 {
		b.Fatalf("only %d events", len(log))
	}
	log = log[:10000]
	b.ReportAllocs()
	for b.Loop() {
		if _, err := consent.Replay(log); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAllowed asks what a participant may do in an open round of 500.
func BenchmarkAllowed(b *testing.B) {
	p, _ := runThreeRounds(b, 500)
	who := circletest.Person(7)
	b.ReportAllocs()
	for b.Loop() {
		_ = p.Allowed(who, t0)
	}
}

func TestThreeRoundsScenarioAdopts(t *testing.T) {
	p, log := runThreeRounds(t, 50)
	d, ok := p.Decision()
	if !ok || d.Rounds != 3 || d.Version != 3 || len(d.Objections) != 2 || len(d.Consented) != 50 {
		t.Fatalf("unexpected decision: ok=%v %+v", ok, d)
	}
	got, err := consent.Replay(log)
	if err != nil || got.Version() != uint64(len(log)) {
		t.Fatalf("replay: %v", err)
	}
}

// processInRound returns a process of n participants whose consent round is open,
// and the participants.
func processInRound(tb testing.TB, n int) (*consent.Process, []consent.PersonID) {
	ps := make([]consent.PersonID, n)
	for i := range ps {
		ps[i] = circletest.Person(i + 1)
	}
	p, _, err := consent.Start(consent.ProcessSpec{
		ID: procID, Org: orgID, Circle: circleID, Proposer: ps[0], Facilitator: ps[1], Proposal: proposal1,
	}, t0)
	if err == nil {
		_, err = p.Present(ps[1], t0, ps)
	}
	if err == nil {
		_, err = p.SkipReactions(ps[1], t0)
	}
	if err == nil {
		_, err = p.OpenConsentRound(ps[1], t0, ps, t0.Add(48*time.Hour))
	}
	if err != nil {
		tb.Fatal(err)
	}
	return p, ps
}

// BenchmarkAnswer gives every answer of a consent round, in rounds of 50 and
// of 2,000 participants side by side, and reports the cost of one answer
// (ns/answer): it must not grow with the round (target: within 2x).
func BenchmarkAnswer(b *testing.B) {
	for _, n := range []int{50, 2000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			var answers int
			var spent time.Duration
			for b.Loop() {
				b.StopTimer()
				p, ps := processInRound(b, n)
				b.StartTimer()
				start := time.Now()
				for _, who := range ps {
					if _, err := p.Consent(who, t0.Add(time.Second)); err != nil {
						b.Fatal(err)
					}
				}
				spent += time.Since(start)
				answers += n
			}
			b.ReportMetric(float64(spent.Nanoseconds())/float64(answers), "ns/answer")
		})
	}
}
