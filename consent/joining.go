package consent

import (
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/internal/enum"
)

// MembershipChangeKind says what a membership decision changes. The zero
// value is invalid.
type MembershipChangeKind uint8

// The membership changes a circle decides by consent.
const (
	MembershipJoin   MembershipChangeKind = 1 + iota // someone joins the circle
	MembershipRemove                                 // a member is removed; leaving is the member's own act (circle.Organisation.Leave)
)

var membershipChanges = enum.New[MembershipChangeKind]("MembershipChangeKind", "membership change", refuser(ErrInvalidEvent),
	"join", "remove")

// MembershipChangeKinds lists the kinds in order.
func MembershipChangeKinds() []MembershipChangeKind { return membershipChanges.Values() }

// String returns the text form.
func (k MembershipChangeKind) String() string { return membershipChanges.Name(k) }

// Valid reports whether k is one of the constants.
func (k MembershipChangeKind) Valid() bool { return membershipChanges.Valid(k) }

// MarshalText implements encoding.TextMarshaler; invalid values are an error.
func (k MembershipChangeKind) MarshalText() ([]byte, error) { return membershipChanges.MarshalText(k) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *MembershipChangeKind) UnmarshalText(b []byte) error {
	return membershipChanges.UnmarshalText(b, k)
}

// MembershipChange is what a membership decision decides (docs/method.md,
// "Membership by consent"): who joins the circle, or which member is
// removed. Its adoption makes the change in the same atomic append (a
// store does so; see [Process.Enact]).
type MembershipChange struct {
	Change MembershipChangeKind `json:"change"`
	Person PersonID             `json:"person"` // who joins, or who is removed
	// ConsentOf lists, sorted, the participants whose own consent a join
	// needs, whatever the absence rule: under the policy's
	// [Policy.JoinConsentOf], the circle's members of that class (the
	// people a care team supports). Their consent may be given by them, be
	// entered for them, or come from their advocate.
	ConsentOf []PersonID `json:"consentOf,omitempty"`
	// Class is the participation class a joiner joins with; zero is
	// circle.ParticipationFull. Only a join names one.
	Class circle.Participation `json:"class,omitzero"`
}

func (m MembershipChange) clone() MembershipChange {
	m.ConsentOf = slices.Clone(m.ConsentOf)
	return m
}

func normMembership(m MembershipChange) MembershipChange {
	ps := slices.Clone(m.ConsentOf)
	slices.SortFunc(ps, PersonID.Compare)
	m.ConsentOf = slices.Compact(ps)
	if len(m.ConsentOf) == 0 {
		m.ConsentOf = nil
	}
	return m
}

// checkMembership checks the membership change a Started event carries.
func checkMembership(act string, e Started) error {
	m := e.Membership
	if m == nil {
		return nil
	}
	n := normMembership(*m)
	switch {
	case !m.Change.Valid():
		return refuse(act, ErrInvalidEvent, "membership change %d is not valid", uint8(m.Change))
	case m.Person.IsZero():
		return refuse(act, ErrMissingID, "a membership decision names the person who joins or is removed")
	case e.Kind != circle.DecisionMembership:
		return invalid(e, "a membership decision is of kind %s", circle.DecisionMembership)
	case !slices.Equal(n.ConsentOf, m.ConsentOf):
		return invalid(e, "the people whose consent a join needs must be sorted and distinct")
	case m.Change == MembershipRemove && (len(m.ConsentOf) > 0 || m.Class != 0):
		return refuse(act, ErrInvalidEvent, "only a join names people whose consent it needs, or a class")
	case m.Class != 0 && !m.Class.Valid():
		return refuse(act, ErrInvalidEvent, "participation class %d is not valid", uint8(m.Class))
	case slices.Contains(m.ConsentOf, m.Person):
		return refuse(act, ErrInvalidEvent, "the joiner does not consent to their own joining")
	case m.Change == MembershipRemove && (m.Person == e.Proposer || m.Person == e.Facilitator):
		return refuse(act, ErrInvalidEvent, "the member to be removed neither proposes nor facilitates the decision")
	case e.Policy.Absence == AbsenceLazyConsent:
		return refuse(act, ErrNotAllowedByPolicy, "a membership decision is not made by lazy consent: it takes effect when adopted")
	}
	return nil
}

// Membership returns the membership change the process decides, if it is
// a membership decision.
func (p *Process) Membership() (MembershipChange, bool) {
	if p.membership == nil {
		return MembershipChange{}, false
	}
	return p.membership.clone(), true
}

// Enact returns the acts on org that carry out an adopted membership
// decision, by the process's facilitator at the time of adoption: the
// joiner added to the circle, or the member removed (their roles there
// ending first). A store appends them with the adoption, in one atomic
// append, as an election's outcome assigns its role. It refuses a process
// that is not an adopted membership decision ([ErrPhase]) and returns
// org's refusal when the change no longer fits (the joiner is already a
// member, say), so that the adoption is not stored either.
func (p *Process) Enact(org *circle.Organisation) ([]circle.Event, error) {
	d, ok := p.Decision()
	if !ok || p.membership == nil {
		return nil, refuse("enact", ErrPhase, "only an adopted membership decision is enacted")
	}
	m := p.membership
	if m.Change == MembershipJoin {
		evs, err := org.AdmitByDecision(p.facilitator, d.AdoptedAt, p.circle, m.Person, uuid.UUID(p.id))
		if err != nil || m.Class == 0 || m.Class == circle.ParticipationFull {
			return evs, err
		}
		more, err := org.SetParticipation(p.facilitator, d.AdoptedAt, p.circle, m.Person, m.Class)
		if err != nil {
			return nil, err // not reached: the joiner was just added
		}
		return append(evs, more...), nil
	}
	return org.RemoveByDecision(p.facilitator, d.AdoptedAt, p.circle, m.Person, uuid.UUID(p.id))
}

// prepareMembership checks a membership decision against the organisation
// and fills in whose consent a join needs. c is the circle.
func prepareMembership(org *circle.Organisation, c *circle.Circle, s *ProcessSpec, pol Policy) error {
	const act = "start"
	m := normMembership(*s.Membership)
	if _, ok := org.Person(m.Person); !ok {
		return refuse(act, ErrInvalidParticipant, "no person %s in the organisation", m.Person)
	}
	switch m.Change {
	case MembershipJoin:
		if c.IsMember(m.Person) {
			return refuse(act, ErrInvalidParticipant, "%s is already a member of %s", label(org, m.Person), c.Name())
		}
		m.ConsentOf = nil
		if pol.JoinConsentOf != "" {
			for _, x := range c.Members() {
				if person, ok := org.Person(x); ok && person.Class() == pol.JoinConsentOf {
					m.ConsentOf = append(m.ConsentOf, x)
				}
			}
		}
	case MembershipRemove:
		if !c.IsMember(m.Person) {
			return refuse(act, ErrInvalidParticipant, "%s is not a member of %s", label(org, m.Person), c.Name())
		}
	}
	s.Membership = &m
	return nil
}

// RemovalExclusion is the one exclusion of a removal's consent rounds: the
// member to be removed, who is heard ([Process.HearSubject]) but does not
// consent to their own removal. It is the zero Exclusion for any other
// process.
func (p *Process) RemovalExclusion() (Exclusion, bool) {
	if p.membership == nil || p.membership.Change != MembershipRemove {
		return Exclusion{}, false
	}
	return Exclusion{Person: p.membership.Person, Reason: "the member whose removal is decided is heard but has no consent right on it"}, true
}

// checkSubjectExcluded: a removal's consent round leaves out the member to
// be removed, as its recorded exclusion.
func (p *Process) checkSubjectExcluded(act string, participants []PersonID, excluded []Exclusion) error {
	x, ok := p.RemovalExclusion()
	if !ok {
		return nil
	}
	if slices.Contains(participants, x.Person) ||
		!slices.ContainsFunc(excluded, func(e Exclusion) bool { return e.Person == x.Person }) {
		return refuse(act, ErrInvalidParticipant, "%s, whose removal is decided, is left out of the round as its recorded exclusion (see RemovalExclusion)", x.Person)
	}
	return nil
}

// Hearing is what the member whose removal is decided said in a consent
// round: heard and recorded, an objection among it not blocking.
type Hearing struct {
	Round     int       `json:"round"`
	Statement string    `json:"statement"`
	Objects   bool      `json:"objects,omitempty"` // they object to their removal
	At        time.Time `json:"at"`
}

// SubjectHeard records the member whose removal is decided being heard.
type SubjectHeard struct {
	Header
	Round     int    `json:"round"`
	Statement string `json:"statement"`
	Objects   bool   `json:"objects,omitempty"`
}

// EventType implements [Event].
func (SubjectHeard) EventType() string { return "consent.subject_heard" }

// HearSubject records what the member whose removal is decided (actor)
// says in the current consent round ([PhaseConsent] or [PhaseIntegration]),
// once per round: they speak, and may object, but have no consent right on
// their own removal, so their objection does not block. It is on the
// [Decision] ([Decision.Heard]).
func (p *Process) HearSubject(actor PersonID, at time.Time, statement string, objects bool) ([]Event, error) {
	e := SubjectHeard{Header: p.header(actor, at), Statement: statement, Objects: objects}
	if r := p.latest(); r != nil {
		e.Round = r.Number()
	}
	if err := e.check(p); err != nil {
		return nil, err
	}
	return p.commit(e)
}

// CanHearSubject reports why actor may not be heard now (nil: they may).
func (p *Process) CanHearSubject(actor PersonID, at time.Time) error {
	r := p.latest()
	n := 0
	if r != nil {
		n = r.Number()
	}
	return SubjectHeard{Header: p.header(actor, at), Round: n, Statement: "-"}.check(p)
}

func (e SubjectHeard) check(p *Process) error {
	const act = "hear subject"
	at := circle.Normalize(e.At)
	switch {
	case !p.started:
		return refuse(act, ErrNotStarted, "the process has not been started")
	case at.Before(p.last):
		return refuse(act, ErrTimeOrder, "%s is before the last event at %s", stamp(at), stamp(p.last))
	case p.phase.Ended():
		return refuse(act, ErrFinished, "the process was %s", p.phase)
	case p.phase != PhaseConsent && p.phase != PhaseIntegration:
		return refuse(act, ErrPhase, "%s", phaseMessage(act, p.phase, []Phase{PhaseConsent, PhaseIntegration}))
	}
	x, ok := p.RemovalExclusion()
	switch {
	case !ok:
		return refuse(act, ErrNotAllowedByPolicy, "only the member whose removal is decided is heard this way")
	case e.Actor != x.Person:
		return refuse(act, ErrNotParticipant, "%s is not the member whose removal is decided", e.Actor)
	case e.Round != p.latest().Number():
		return invalid(e, "round %d is not the latest", e.Round)
	case slices.ContainsFunc(p.heard, func(h Hearing) bool { return h.Round == e.Round }):
		return refuse(act, ErrAlreadyAnswered, "%s was already heard in round %d", e.Actor, e.Round)
	}
	return checkText(act, "statement", e.Statement, p.policy.MaxReason, true)
}

func (e SubjectHeard) apply(p *Process) error {
	if err := e.check(p); err != nil {
		return err
	}
	p.heard = append(p.heard, Hearing{Round: e.Round, Statement: e.Statement, Objects: e.Objects, At: circle.Normalize(e.At)})
	return nil
}

// joinConsentGiven: a join needs the own consent of the people it names,
// whatever the absence rule.
func joinConsentGiven(p *Process, c ask) error {
	if p.membership == nil || len(p.membership.ConsentOf) == 0 {
		return nil
	}
	for _, x := range p.membership.ConsentOf {
		a, ok := c.r.answers[x]
		if !ok || (a.Kind != AnswerConsent && a.Kind != AnswerConcern) {
			return refuse(c.label, ErrConsentRequired, "%s has not consented to %s joining; a join needs their consent or their advocate's", x, p.membership.Person)
		}
	}
	return nil
}

func membershipEqual(a, b MembershipChange) bool {
	return a.Change == b.Change && a.Person == b.Person && slices.Equal(a.ConsentOf, b.ConsentOf) && a.Class == b.Class
}
