package consent_test

import (
	"slices"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/consent"
)

// The cast of the tests: p(1) proposes, p(2) facilitates, p(1)..p(5) are
// the circle's members, p(99) is an outsider.
var (
	orgID     = circletest.Org(1)
	circleID  = circletest.Circle(1)
	otherID   = circletest.Circle(2)
	procID    = consent.ProcessID(circletest.UUID(0xb0, 1))
	proposer  = circletest.Person(1)
	facil     = circletest.Person(2)
	objector  = circletest.Person(3)
	member4   = circletest.Person(4)
	member5   = circletest.Person(5)
	outsider  = circletest.Person(99)
	members   = people(1, 2, 3, 4, 5)
	proposal1 = consent.Proposal{
		Title:  "Night shift handover",
		Driver: "Handover notes get lost between the evening and night shifts.",
		Text:   "Handover happens in person at 22:00, with a written note in the care log.",
	}
)

// flexPolicy allows everything that can be allowed, with a group test.
func flexPolicy() consent.Policy {
	pol := consent.DefaultPolicy()
	pol.AllowStandAside = true
	pol.Validity = consent.ValidityGroupTest
	return pol
}

// fixture is a process with its event log and a clock.
type fixture struct {
	t      require.TestingT
	p      *consent.Process
	events []consent.Event
	now    time.Time
}

func start(t require.TestingT, pol consent.Policy) *fixture {
	f := &fixture{t: t, now: t0}
	p, evs, err := consent.Start(consent.ProcessSpec{
		ID: procID, Org: orgID, Circle: circleID, Proposer: proposer, Facilitator: facil,
		Proposal: proposal1, Policy: &pol,
	}, f.now)
	require.NoError(t, err)
	f.p, f.events = p, evs
	return f
}

// tick advances the clock by a minute and returns it.
func (f *fixture) tick() time.Time { f.now = f.now.Add(time.Minute); return f.now }

// must records the events of a successful act.
func (f *fixture) must(evs []consent.Event, err error) {
	if h, ok := f.t.(interface{ Helper() }); ok {
		h.Helper()
	}
	require.NoError(f.t, err)
	f.events = append(f.events, evs...)
}

// The phases, reached by the usual path. Each builder returns a fresh fixture.
func inDraft(t require.TestingT) *fixture { return start(t, flexPolicy()) }

func inPresented(t require.TestingT) *fixture {
	f := inDraft(t)
	f.must(f.p.Present(facil, f.tick(), members))
	f.must(f.p.AskClarifying(member4, f.tick(), "Who writes the note?"))
	return f
}

func inReactions(t require.TestingT) *fixture {
	f := inPresented(t)
	f.must(f.p.AnswerClarifying(proposer, f.tick(), 1, "The evening shift lead."))
	f.must(f.p.OpenReactions(facil, f.tick()))
	return f
}

// inConsent: p(3) objected, p(1) and p(2) consented, p(4) and p(5) have not answered.
func inConsent(t require.TestingT) *fixture {
	f := inReactions(t)
	f.must(f.p.React(member4, f.tick(), "Looks workable."))
	f.must(f.p.OpenConsentRound(facil, f.tick(), members, f.now.Add(48*time.Hour)))
	f.must(f.p.Object(objector, f.tick(), "22:00 clashes with the medication round."))
	f.must(f.p.Consent(proposer, f.tick()))
	f.must(f.p.Consent(facil, f.tick()))
	return f
}

// inIntegration: p(3)'s objection is understood; everyone else consented.
func inIntegration(t require.TestingT) *fixture {
	f := inConsent(t)
	f.must(f.p.Consent(member4, f.tick()))
	f.must(f.p.Consent(member5, f.tick()))
	f.must(f.p.Integrate(facil, f.tick()))
	f.must(f.p.UnderstandObjection(facil, f.tick(), objector, "Medication at 22:00 needs both shifts' nurses."))
	return f
}

// readyToAdopt: in integration with the only objection withdrawn.
func readyToAdopt(t require.TestingT) *fixture {
	f := inIntegration(t)
	f.must(f.p.WithdrawObjection(objector, f.tick(), objector))
	return f
}

// readyToIntegrate: the round is complete with p(3)'s objection open.
func readyToIntegrate(t require.TestingT) *fixture {
	f := inConsent(t)
	f.must(f.p.Consent(member4, f.tick()))
	f.must(f.p.Consent(member5, f.tick()))
	return f
}

func inAdopted(t require.TestingT) *fixture {
	f := inIntegration(t)
	f.must(f.p.WithdrawObjection(objector, f.tick(), objector))
	f.must(f.p.Adopt(facil, f.tick()))
	return f
}

func inWithdrawn(t require.TestingT) *fixture {
	f := inReactions(t)
	f.must(f.p.Withdraw(proposer, f.tick(), "superseded"))
	return f
}

func inReferred(t require.TestingT) *fixture {
	f := inPresented(t)
	f.must(f.p.Refer(facil, f.tick(), otherID, "night staffing belongs to the care circle"))
	return f
}

// canonicalActor is who normally does an act in the fixtures.
func canonicalActor(a consent.Act) consent.PersonID {
	switch a {
	case consent.ActPresent, consent.ActOpenReactions, consent.ActSkipReactions, consent.ActOpenConsentRound,
		consent.ActSetDeadline, consent.ActRetakeSnapshot, consent.ActIntegrate, consent.ActUnderstandObjection,
		consent.ActTestObjection, consent.ActDefer, consent.ActAdopt, consent.ActRefer:
		return facil
	case consent.ActAnswerClarifying, consent.ActAmend, consent.ActShortenTerm, consent.ActAddMeasure, consent.ActWithdraw:
		return proposer
	case consent.ActWithdrawObjection:
		return objector
	case consent.ActWithdrawConsent:
		return member4
	case consent.ActAskClarifying, consent.ActReact:
		return member4
	default: // answering acts
		return member5
	}
}

// do performs act a by actor at time at with valid arguments for the
// process's state: an objection argument names an open objection of the
// latest round (objector p(3) when there is one).
func do(p *consent.Process, a consent.Act, actor consent.PersonID, at time.Time) ([]consent.Event, error) {
	target := objector
	var open []consent.PersonID
	if r := p.Round(); r != nil {
		for _, o := range r.Objections() {
			if o.Status == consent.ObjectionOpen && o.Understood() {
				open = append(open, o.Objector)
			}
		}
		if len(open) > 0 && !slices.Contains(open, target) {
			target = open[0]
		}
		if a == consent.ActUnderstandObjection || a == consent.ActTestObjection {
			for _, o := range r.Objections() {
				if o.Status == consent.ObjectionOpen && ((a == consent.ActUnderstandObjection && !o.Understood()) || (a == consent.ActTestObjection && o.Understood() && !o.Tested)) {
					target = o.Objector
					break
				}
			}
		}
		if a == consent.ActWithdrawObjection {
			target = actor
		}
	}
	switch a {
	case consent.ActPresent:
		return p.Present(actor, at, members)
	case consent.ActAskClarifying:
		return p.AskClarifying(actor, at, "What happens at weekends?")
	case consent.ActAnswerClarifying:
		n := 1
		for _, q := range p.Questions() {
			if q.AnsweredAt.IsZero() {
				n = q.Number
				break
			}
		}
		return p.AnswerClarifying(actor, at, n, "The same.")
	case consent.ActOpenReactions:
		return p.OpenReactions(actor, at)
	case consent.ActSkipReactions:
		return p.SkipReactions(actor, at)
	case consent.ActReact:
		return p.React(actor, at, "Good idea.")
	case consent.ActAmend:
		prop := p.Proposal()
		prop.Text += " Amended."
		var addr []consent.PersonID
		if p.Phase() == consent.PhaseIntegration {
			addr = open
		}
		return p.Amend(actor, at, consent.Amendment{Proposal: prop, Change: "handover at 21:30", Addresses: addr})
	case consent.ActOpenConsentRound:
		return p.OpenConsentRound(actor, at, members, at.Add(48*time.Hour))
	case consent.ActConsent:
		return p.Consent(actor, at)
	case consent.ActRaiseConcern:
		return p.RaiseConcern(actor, at, "Watch the overtime.")
	case consent.ActStandAside:
		return p.StandAside(actor, at, "")
	case consent.ActObject:
		return p.Object(actor, at, "It puts residents at risk.")
	case consent.ActSetDeadline:
		return p.SetDeadline(actor, at, at.Add(72*time.Hour))
	case consent.ActRetakeSnapshot:
		return p.RetakeSnapshot(actor, at, members)
	case consent.ActIntegrate:
		return p.Integrate(actor, at)
	case consent.ActUnderstandObjection:
		return p.UnderstandObjection(actor, at, target, "The risk is at medication time.")
	case consent.ActTestObjection:
		return p.TestObjection(actor, at, target, true, "It names a harm to the circle's aim.")
	case consent.ActShortenTerm:
		return p.ShortenTerm(actor, at, target, at.AddDate(0, 3, 0), "a three-month trial")
	case consent.ActAddMeasure:
		return p.AddMeasure(actor, at, target, consent.Measure{Watch: "late medications", Threshold: "more than 2 a week", Owner: target, Checkpoint: at.AddDate(0, 1, 0)})
	case consent.ActDefer:
		return p.Defer(actor, at, target, member4, at.AddDate(0, 0, 14), "to the next meeting")
	case consent.ActWithdrawObjection:
		return p.WithdrawObjection(actor, at, target)
	case consent.ActAdopt:
		return p.Adopt(actor, at)
	case consent.ActWithdrawConsent:
		return p.WithdrawConsent(actor, at, "The handover runs late every night.")
	case consent.ActWithdraw:
		return p.Withdraw(actor, at, "no longer needed")
	case consent.ActRefer:
		return p.Refer(actor, at, otherID, "outside this circle's domain")
	}
	panic("unknown act " + a.String())
}

// roundtrip stores and reads back every event, as a store would.
func roundtrip(t require.TestingT, events []consent.Event) []consent.Event {
	out := make([]consent.Event, len(events))
	for i, e := range events {
		typ, data, err := consent.MarshalEvent(e)
		require.NoError(t, err)
		back, err := consent.UnmarshalEvent(typ, data)
		require.NoError(t, err, "%s: %s", typ, data)
		out[i] = back
	}
	return out
}
