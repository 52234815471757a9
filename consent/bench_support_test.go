package consent_test

import (
	"testing"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/consent"
)

// supportBench is an organisation whose top circle has 500 members: the
// last 100 answer through others, 401-450 through an advocate each
// (persons 601-650) and 451-500 through ten proxies (651-660, five each).
func supportBench(b *testing.B) (*circle.Organisation, []consent.PersonID) {
	org, _, err := circle.Found(circletest.Founding(1))
	if err != nil {
		b.Fatal(err)
	}
	at := circletest.T0
	must := func(_ []circle.Event, err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	ps := []consent.PersonID{circletest.Person(1)}
	for i := 2; i <= 660; i++ {
		must(org.AddPerson(circletest.Person(1), at, circle.PersonSpec{ID: circletest.Person(i), Label: "P", Class: circle.Worker}))
		if i <= 500 {
			must(org.AddMember(circletest.Person(1), at, circleID, circletest.Person(i)))
			ps = append(ps, circletest.Person(i))
		}
	}
	for i := 401; i <= 500; i++ {
		m := circle.Mandate{ID: circle.MandateID(circletest.UUID(0xad, i)), Principal: circletest.Person(i)}
		if i <= 450 {
			m.Holder = circletest.Person(i + 200)
			must(org.NameAdvocate(m.Principal, at, m))
		} else {
			m.Holder, m.Until = circletest.Person(651+(i-451)/5), t0.AddDate(0, 1, 0)
			must(org.AppointProxy(m.Principal, at, m))
		}
	}
	return org, ps
}

// benchRound runs one consent round of 500 participants to adoption; with
// supported, the last 100 answer through their advocates and proxies.
func benchRound(b *testing.B, org *circle.Organisation, ps []consent.PersonID, supported bool) {
	pol := consent.DefaultPolicy()
	pol.Proxies = 5
	at := t0
	step := func(_ []consent.Event, err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	p, _, err := consent.Start(consent.ProcessSpec{ID: procID, Org: orgID, Circle: circleID, Proposer: ps[0], Facilitator: ps[1],
		Proposal: proposal1, Policy: &pol}, at)
	if err != nil {
		b.Fatal(err)
	}
	step(p.Present(ps[1], at, ps))
	step(p.SkipReactions(ps[1], at))
	step(p.OpenConsentRound(ps[1], at, ps, at.Add(48*time.Hour)))
	for i, who := range ps {
		n := i + 1
		switch {
		case !supported || n <= 400:
			step(p.Consent(who, at))
		case n <= 450:
			step(p.AnswerFor(circletest.Person(n+200), at, org, who, consent.AnswerConsent, ""))
		default:
			step(p.AnswerFor(circletest.Person(651+(n-451)/5), at, org, who, consent.AnswerConsent, ""))
		}
	}
	step(p.Adopt(ps[1], at))
}

// BenchmarkRound500Supported: a consent round of 500 participants of whom
// 100 answer through advocates or proxies, beside the same round with none
// (target: within 1.5x of it).
func BenchmarkRound500Supported(b *testing.B) {
	org, ps := supportBench(b)
	for _, tc := range []struct {
		name      string
		supported bool
	}{{"none", false}, {"100-through-others", true}} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				benchRound(b, org, ps, tc.supported)
			}
		})
	}
}
