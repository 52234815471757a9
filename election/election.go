package election

import (
	"slices"
	"time"

	"github.com/coproduce/sociocracy/internal/kernel"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/internal/outbox"
)

// Policy is how a circle runs its elections.
type Policy struct {
	// AllowPass lets a participant pass instead of nominating.
	AllowPass bool `json:"allowPass"`
	// Consent is the policy of the election's consent rounds.
	Consent consent.Policy `json:"consent"`
}

// DefaultPolicy returns the Sociocracy For All defaults: every participant
// nominates someone (no pass), and consent rounds under
// [consent.DefaultPolicy].
func DefaultPolicy() Policy { return Policy{Consent: consent.DefaultPolicy()} }

// Spec describes an election for [Call].
type Spec struct {
	ID             ElectionID
	Circle         circle.CircleID // the circle whose role is filled, which holds the election
	Role           circle.Role
	Facilitator    circle.PersonID // a member of the circle
	Description    string          // what the role does; 1 to 4,000 bytes
	Qualifications string          // what it asks of the holder; up to 4,000 bytes
	Term           circle.Term
	Policy         Policy
}

// Nomination is a participant's current nomination.
type Nomination struct {
	Nominator circle.PersonID `json:"nominator"`
	Nominee   circle.PersonID `json:"nominee,omitzero"` // zero for a pass
	Reason    string          `json:"reason"`
	Pass      bool            `json:"pass,omitempty"`
	At        time.Time       `json:"at"`
}

// Change is one change made in the change round.
type Change struct {
	Nominator circle.PersonID `json:"nominator"`
	From      circle.PersonID `json:"from,omitzero"`
	To        circle.PersonID `json:"to"`
	Reason    string          `json:"reason"`
	At        time.Time       `json:"at"`
}

// Proposal is a nominee and term the facilitator proposed.
type Proposal struct {
	Nominee circle.PersonID `json:"nominee"`
	Term    circle.Term     `json:"term"`
	Reasons string          `json:"reasons"`
	Tie     TieRule         `json:"tie,omitzero"`
	At      time.Time       `json:"at"`
}

// Outcome is an election's result: the role assignment the organisation
// applies ([Outcome.Assign]).
type Outcome struct {
	Election ElectionID      `json:"election"`
	Circle   circle.CircleID `json:"circle"`
	Role     circle.Role     `json:"role"`
	Person   circle.PersonID `json:"person"`
	Term     circle.Term     `json:"term"`
	At       time.Time       `json:"at"`
}

// Assign applies the outcome to the organisation: the circle act it maps to,
// [circle.Organisation.AssignRole], by actor (usually the facilitator) at
// the outcome's time. A store runs it in the same atomic append as
// [Elected].
func (o Outcome) Assign(org *circle.Organisation, actor circle.PersonID) ([]circle.Event, error) {
	return org.AssignRole(actor, o.At, o.Circle, o.Role, o.Person, o.Term)
}

// roundState is one consent round with what it is about.
type roundState struct {
	purpose     Purpose
	nominee     circle.PersonID
	term        circle.Term
	description string
	round       *consent.Round
}

// Election is the selection process for one role of one circle. It is
// created by [Call] or [Replay] and changed only by its acts. The zero
// Election is not usable. An Election is not safe for concurrent use.
type Election struct {
	out            outbox.Box[Event] // what acts yielded, for Take
	org            circle.OrgID
	id             ElectionID
	circle         circle.CircleID
	role           circle.Role
	facilitator    circle.PersonID
	description    string
	qualifications string
	term           circle.Term
	participants   []circle.PersonID
	isParticipant  map[circle.PersonID]bool
	incumbent      circle.PersonID
	ineligible     map[circle.PersonID]string
	ineligibleList []Ineligible
	policy         Policy

	phase       Phase
	version     uint64 // events applied
	last        time.Time
	rounds      []roundState
	nominations map[circle.PersonID]Nomination
	order       []circle.PersonID // nominators in the order they nominated
	revealed    bool
	changes     []Change
	among       []circle.PersonID // a re-run change round is restricted to these
	proposals   []Proposal
	declined    map[circle.PersonID]string
	outcome     *Outcome
	cancelled   string
}

// ID returns the election's ID.
func (e *Election) ID() ElectionID { return e.id }

// Org returns the organisation's ID.
func (e *Election) Org() circle.OrgID { return e.org }

// Circle returns the circle whose role is filled.
func (e *Election) Circle() circle.CircleID { return e.circle }

// Role returns the role being filled.
func (e *Election) Role() circle.Role { return e.role }

// Facilitator returns the facilitator.
func (e *Election) Facilitator() circle.PersonID { return e.facilitator }

// Phase returns where the election stands.
func (e *Election) Phase() Phase { return e.phase }

// Version returns the number of events applied.
func (e *Election) Version() uint64 { return e.version }

// Participants returns the snapshot of who takes part, sorted.
func (e *Election) Participants() []circle.PersonID { return slices.Clone(e.participants) }

// Term returns the term under consent: the proposal's (shortened or not)
// while a nominee is proposed, else the role's.
func (e *Election) Term() circle.Term {
	if r := e.current(); r != nil {
		return r.term
	}
	return e.term
}

// Round returns the current consent round, if one is open: the description
// round in [PhaseDescription], the nominee round in [PhaseConsenting]. Treat
// it as read-only.
func (e *Election) Round() (*consent.Round, bool) {
	if r := e.current(); r != nil {
		return r.round, true
	}
	return nil, false
}

// Nominee returns the proposed nominee during [PhaseConsenting].
func (e *Election) Nominee() (circle.PersonID, bool) {
	if r := e.current(); r != nil && r.purpose == PurposeNominee {
		return r.nominee, true
	}
	return circle.PersonID{}, false
}

// Outcome returns the result of an election in [PhaseElected].
func (e *Election) Outcome() (Outcome, bool) {
	if e.outcome == nil {
		return Outcome{}, false
	}
	return *e.outcome, true
}

// Revealed reports whether the nominations are visible to all.
func (e *Election) Revealed() bool { return e.revealed }

// Nominations returns the current nominations as viewer may see them:
// before they are revealed, only viewer's own; afterwards, all of them, in
// nominator order. This is the only way to read nominations, so they
// cannot leak early through this package's API.
func (e *Election) Nominations(viewer circle.PersonID) []Nomination {
	if !e.revealed {
		if n, ok := e.nominations[viewer]; ok {
			return []Nomination{n}
		}
		return nil
	}
	out := make([]Nomination, 0, len(e.nominations))
	for _, p := range e.participants {
		if n, ok := e.nominations[p]; ok {
			out = append(out, n)
		}
	}
	return out
}

// current returns the open round: in PhaseDescription or PhaseConsenting.
func (e *Election) current() *roundState {
	if (e.phase == PhaseDescription || e.phase == PhaseConsenting) && len(e.rounds) > 0 {
		return &e.rounds[len(e.rounds)-1]
	}
	return nil
}

// Call opens an election for role r of circle spec.Circle in org, and with
// it the consent round on the role's description and term. The participants
// are the circle's members now.
func Call(org *circle.Organisation, s Spec, at time.Time) (*Election, []Event, error) {
	const act = "call election"
	at = circle.Normalize(at)
	if s.ID.IsZero() {
		return nil, nil, refuse(act, ErrMissingID, "election id is required")
	}
	c, ok := org.Circle(s.Circle)
	if !ok {
		return nil, nil, refuse(act, ErrUnknownCircle, "no circle %s", s.Circle)
	}
	if _, err := s.Role.MarshalText(); err != nil {
		return nil, nil, refuse(act, ErrInvalidSpec, "%v", err)
	}
	if !c.IsMember(s.Facilitator) {
		return nil, nil, refuse(act, ErrNotParticipant, "the facilitator must be a member of circle %q", c.Name())
	}
	if err := firstErr(
		checkText(act, "description", s.Description, 1, 4000),
		checkText(act, "qualifications", s.Qualifications, 0, 4000),
		checkTerm(act, s.Term),
	); err != nil {
		return nil, nil, err
	}
	if err := s.Policy.Consent.Validate(); err != nil {
		return nil, nil, err
	}
	if s.Role == circle.Delegate && c.IsTop() {
		return nil, nil, refuse(act, ErrNoParent, "circle %q is the top circle", c.Name())
	}
	called := Called{
		Circle: s.Circle, Role: s.Role, Facilitator: s.Facilitator,
		Description: s.Description, Qualifications: s.Qualifications,
		Term:         circle.Term{Start: circle.Normalize(s.Term.Start), End: circle.Normalize(s.Term.End)},
		Participants: c.Members(), Ineligible: []Ineligible{}, Policy: s.Policy,
	}
	if a, held := c.Holder(s.Role); held {
		called.Incumbent = a.Holder
	}
	other := map[circle.Role]circle.Role{circle.Leader: circle.Delegate, circle.Delegate: circle.Leader}
	if o, isLink := other[s.Role]; isLink {
		if a, held := c.Holder(o); held {
			called.Ineligible = append(called.Ineligible, Ineligible{Person: a.Holder,
				Reason: "is the circle's " + o.String() + ", and leader and delegate must be different people"})
		}
	}
	called.Header = Header{Org: org.ID(), Election: s.ID, Actor: s.Facilitator, At: at}
	e := &Election{}
	events := []Event{called}
	if err := called.apply(e); err != nil {
		return nil, nil, err
	}
	e.version++
	opened, err := e.openRoundEvent(s.Facilitator, at, PurposeDescription, circle.PersonID{}, called.Term)
	if err != nil {
		return nil, nil, err
	}
	if _, err := e.commit(opened); err != nil {
		return nil, nil, err
	}
	return e, append(events, opened), nil
}

// openRound prepares the event of a new consent round.
func (e *Election) openRoundEvent(actor circle.PersonID, at time.Time, purpose Purpose, nominee circle.PersonID, term circle.Term) (RoundOpened, error) {
	opening, err := consent.PrepareRound(consent.RoundOpening{
		Round: len(e.rounds) + 1, Version: len(e.rounds) + 1, Participants: e.participants,
		Opens: at, Last: nominee, Policy: e.policy.Consent,
	})
	if err != nil {
		return RoundOpened{}, err
	}
	return RoundOpened{Header: e.header(actor, at), Purpose: purpose, Nominee: nominee, Term: term,
		Description: e.description, RoundOpening: opening}, nil
}

func (e *Election) header(actor circle.PersonID, at time.Time) Header {
	return Header{Org: e.org, Election: e.id, Actor: actor, At: circle.Normalize(at)}
}

// commit applies events an act has validated.
func (e *Election) commit(events ...Event) ([]Event, error) {
	for _, ev := range events {
		if err := ev.apply(e); err != nil {
			return nil, refuse("commit", ErrInvalidEvent, "act produced an event that does not apply: %v", err)
		}
		e.version++
	}
	e.out.Record(events...)
	return events, nil
}

// checkText applies the library's one text rule (kernel.CheckText) to a
// multi-line text: a missing reason is [ErrMissingReason], any other missing
// text and every other fault (too long, not UTF-8, a control character other
// than newline and tab) [ErrInvalidText].
func checkText(act, what, s string, minLen, maxLen int) error {
	switch p, msg := kernel.CheckText(kernel.Text{What: what, Min: minLen, Max: maxLen, Multiline: true}, s); {
	case p == kernel.TextOK:
		return nil
	case p == kernel.TextMissing && (what == "reason" || what == "reasons"):
		return refuse(act, ErrMissingReason, "a %s is required", what)
	default:
		return refuse(act, ErrInvalidText, "%s", msg)
	}
}

func checkTerm(act string, t circle.Term) error {
	if t.Start.IsZero() || t.End.IsZero() || !circle.Normalize(t.End).After(circle.Normalize(t.Start)) {
		return refuse(act, ErrInvalidTerm, "a term needs a start and a later end")
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Take returns the events that acts on this election have yielded since the
// previous call of Take, and clears them. Recording starts at the first
// call, so a election nobody asks keeps nothing; events applied by [Replay] or
// Apply are never recorded. A store calls Take before it hands the election to a
// host's function and again after it, so that it appends exactly what the
// function's acts did and nothing else.
func (e *Election) Take() []Event { return e.out.Take() }
