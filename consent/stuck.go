package consent

import (
	"slices"
	"time"

	"github.com/coproduce/sociocracy/circle"
)

// Stuck decisions (docs/method.md, "Stuck decisions"): when a process has
// held [Policy.StuckAfter] consent rounds (by default
// [DefaultStuckAfter]) and the latest ended in objections, integrating it
// records the process as stuck ([DecisionStuck]), which puts it on the
// review calendar. The facilitator may then refer it to the parent circle
// ([Process.ReferToParent]), which takes it up in a process of its own
// with the history attached ([TakeUp], [History]).

// DefaultStuckAfter is the number of consent rounds without consent after
// which a process is stuck, when the policy names none.
const DefaultStuckAfter = 3

// MaxStuckAfter is the largest [Policy.StuckAfter] a policy may set.
const MaxStuckAfter = 100

// stuckAfter is the policy's number of rounds, or the default.
func (p Policy) stuckAfter() int {
	if p.StuckAfter == 0 {
		return DefaultStuckAfter
	}
	return p.StuckAfter
}

// DecisionStuck records that a process has gone Rounds consent rounds
// without consent. It comes with the [IntegrationBegun] of that round.
type DecisionStuck struct {
	Header
	Rounds int    `json:"rounds"`
	Title  string `json:"title"` // the proposal's title, for the calendar
}

// ReferredToParent records the facilitator referring a stuck process to
// the parent circle, which takes it up with the history attached.
type ReferredToParent struct {
	Header
	To     circle.CircleID `json:"to"`
	Reason string          `json:"reason"`
	Rounds int             `json:"rounds"`
}

// EventType implements [Event].
func (DecisionStuck) EventType() string { return "consent.decision_stuck" }

// EventType implements [Event].
func (ReferredToParent) EventType() string { return "consent.referred_to_parent" }

func (e DecisionStuck) apply(p *Process) error {
	if p.stuck || p.phase != PhaseIntegration || len(p.rounds) < p.policy.stuckAfter() || e.Rounds != len(p.rounds) || e.Title != p.Proposal().Title {
		return invalid(e, "a process is stuck once, when it integrates round %d or later", p.policy.stuckAfter())
	}
	p.stuck = true
	return nil
}

// Stuck reports whether the process has gone the policy's number of
// consent rounds without consent (see [DecisionStuck]).
func (p *Process) Stuck() bool { return p.stuck }

// EscalatedTo returns the parent circle a stuck process was referred to.
func (p *Process) EscalatedTo() (circle.CircleID, bool) {
	return p.referredTo, p.escalated
}

// ReferToParent refers a stuck process ([Process.Stuck]) to the parent of
// its circle in org (facilitator; [PhaseIntegration] or [PhaseConsent]).
// The reason is required. The process ends in [PhaseReferred]; the parent
// circle takes it up with [TakeUp].
func (p *Process) ReferToParent(actor PersonID, at time.Time, org *circle.Organisation, reason string) ([]Event, error) {
	const act = "refer to parent"
	var parent circle.CircleID
	ci, ok := org.Circle(p.circle)
	if ok {
		parent, _ = ci.Parent()
	}
	e := ReferredToParent{Header: p.header(actor, at), To: parent, Reason: reason, Rounds: len(p.rounds)}
	if err := e.check(p); err != nil {
		return nil, err
	}
	if !ok || org.ID() != p.org {
		return nil, refuse(act, ErrUnknownCircle, "no circle %s in the organisation", p.circle)
	}
	if parent.IsZero() {
		return nil, refuse(act, ErrSameCircle, "%s is the top circle: it has no parent to refer to", circleLabel(org, p.circle))
	}
	return p.commit(e)
}

func (e ReferredToParent) check(p *Process) error {
	const act = "refer to parent"
	at := circle.Normalize(e.At)
	switch {
	case !p.started:
		return refuse(act, ErrNotStarted, "the process has not been started")
	case at.Before(p.last):
		return refuse(act, ErrTimeOrder, "%s is before the last event at %s", stamp(at), stamp(p.last))
	case p.phase.Ended() || p.phase == PhaseAdopted:
		return refuse(act, ErrFinished, "the process was %s", p.phase)
	case e.Actor != p.facilitator:
		return refuse(act, ErrNotFacilitator, "%s is not the facilitator", e.Actor)
	case !p.stuck:
		return refuse(act, ErrNotStuck, "%s held without consent; a process is referred up after %d",
			count(len(p.rounds), "round has", "rounds have"), p.policy.stuckAfter())
	case e.Rounds != len(p.rounds):
		return invalid(e, "the process has held %d rounds", len(p.rounds))
	case e.To == p.circle:
		return refuse(act, ErrSameCircle, "a process is referred to the parent circle, not its own")
	}
	return checkText(act, "reason", e.Reason, p.policy.MaxReason, true)
}

func (e ReferredToParent) apply(p *Process) error {
	if err := e.check(p); err != nil {
		return err
	}
	if e.To.IsZero() {
		return refuse("refer to parent", ErrMissingID, "the parent circle is required")
	}
	p.phase, p.referredTo, p.endReason, p.escalated = PhaseReferred, e.To, e.Reason, true
	return nil
}

// History is what a parent circle takes up with a stuck process: where it
// came from and how it stood.
type History struct {
	Process    ProcessID       `json:"process"`
	Circle     circle.CircleID `json:"circle"`
	Title      string          `json:"title"`
	Version    int             `json:"version"`
	Rounds     int             `json:"rounds"`
	Objections []Objection     `json:"objections,omitempty"` // every objection of every round, as they stood
	Reason     string          `json:"reason"`               // why the facilitator referred it
}

// TakeUp starts, in the parent circle that from was referred to, a
// process that takes up the stuck process from, with its [History]
// attached (see [StartIn] for the rest of s). It refuses a process that
// was not referred up to s.Circle ([ErrNotStuck]).
func TakeUp(org *circle.Organisation, from *Process, s ProcessSpec, at time.Time) (*Process, []Event, error) {
	if to, ok := from.EscalatedTo(); !ok || to != s.Circle {
		return nil, nil, refuse("take up", ErrNotStuck, "process %s was not referred up to circle %s", from.ID(), s.Circle)
	}
	s.History = &History{Process: from.ID(), Circle: from.Circle(), Title: from.Proposal().Title, Version: from.ProposalVersion(),
		Rounds: len(from.rounds), Objections: from.Objections(), Reason: from.EndReason()}
	return StartIn(org, s, at)
}

func (h *History) clone() *History {
	if h == nil {
		return nil
	}
	c := *h
	c.Objections = slices.Clone(h.Objections)
	return &c
}

// TakesUp returns the history of the stuck process this process takes up,
// if any.
func (p *Process) TakesUp() (History, bool) {
	if p.history == nil {
		return History{}, false
	}
	return *p.history.clone(), true
}

// CheckAgainst runs every check of an act's events against the
// organisation a store holds, which the process itself cannot see:
// [CheckSupport] for answers given under a mandate, and that a process
// referred up goes to its circle's parent. A store calls it on the events
// of every act on a process (it calls [CheckMembers] too, after a
// snapshot).
func CheckAgainst(org *circle.Organisation, p *Process, evs []Event) error {
	if err := CheckSupport(org, p, evs); err != nil {
		return err
	}
	for _, e := range evs {
		up, ok := e.(ReferredToParent)
		if !ok {
			continue
		}
		ci, ok := org.Circle(p.circle)
		if !ok {
			return refuse("check referral", ErrUnknownCircle, "no circle %s in the organisation", p.circle)
		}
		if parent, _ := ci.Parent(); parent != up.To {
			return refuse("check referral", ErrSameCircle, "%s is not the parent of %s", circleLabel(org, up.To), ci.Name())
		}
	}
	return nil
}
