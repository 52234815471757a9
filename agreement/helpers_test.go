package agreement_test

import (
	"time"

	"github.com/coproduce/sociocracy/agreement"
	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/consent"
)

var (
	pid   = circletest.Person
	cid   = circletest.Circle
	orgID = circletest.Org(1)
	t0    = circletest.T0
)

// proc returns the ID of consent process n.
func proc(n int) consent.ProcessID { return consent.ProcessID(circletest.UUID(0x0d, n)) }

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func hdr(p consent.ProcessID, c circle.CircleID, at time.Time) consent.Header {
	return consent.Header{Process: p, Org: orgID, Circle: c, Actor: pid(1), At: at}
}

// started is the first event of process p in circle c, reviewing rv.
func started(p consent.ProcessID, c circle.CircleID, at time.Time, rv consent.Review) consent.Started {
	return consent.Started{Header: hdr(p, c, at), Proposer: pid(2), Facilitator: pid(1),
		Proposal: consent.Proposal{Title: "t", Driver: "d", Text: "x"}, Policy: consent.DefaultPolicy(), Review: rv}
}

// adopted is the adoption of process p in circle c with the given title and text.
func adopted(p consent.ProcessID, c circle.CircleID, at time.Time, title, text string) consent.DecisionAdopted {
	return consent.DecisionAdopted{Header: hdr(p, c, at), Decision: consent.Decision{
		Process: p, Org: orgID, Circle: c, Title: title, Driver: "need", Text: text, Version: 1,
		Proposer: pid(2), Facilitator: pid(1), AdoptedAt: at, ReviewDate: at.AddDate(1, 0, 0), Round: 1, Rounds: 1,
		Policy: consent.DefaultPolicy(),
	}}
}

func open() (*agreement.Register, []agreement.Event) {
	r, evs, err := agreement.Open(orgID, pid(1), t0)
	if err != nil {
		panic(err)
	}
	return r, evs
}

// observe hands every event to r, failing at once on a refusal, and returns
// the register's events.
func observe(r *agreement.Register, evs ...any) []agreement.Event {
	var out []agreement.Event
	for _, e := range evs {
		out = append(out, must(r.Observe(e))...)
	}
	return out
}

func day(n int) time.Time { return t0.AddDate(0, 0, n) }
