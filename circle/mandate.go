package circle

import (
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/coproduce/sociocracy/internal/enum"
)

// Supported decision-making and proxies (docs/method.md, "Taking part"):
// a person names someone who may answer consent rounds for them, within a
// scope and until a date, and may take that back at any time. The
// organisation keeps these mandates; a consent round checks them when an
// answer is given for someone (package consent, AnswerFor).

type mandateKind struct{}

func (mandateKind) IDKind() string { return "mandate" }

// MandateID identifies a [Mandate].
type MandateID = ID[mandateKind]

// ParseMandateID parses a [MandateID]; see [ParseID].
func ParseMandateID(s string) (MandateID, error) { return ParseID[mandateKind](s) }

// MandateKind is what a mandate makes its holder. The zero value is invalid.
type MandateKind uint8

// The kinds of mandate.
const (
	// MandateAdvocate: the holder supports the principal to take part and
	// may answer for them (supported decision-making). The principal's own
	// answer always stands over the advocate's.
	MandateAdvocate MandateKind = 1 + iota
	// MandateProxy: the holder answers for an absent principal, where the
	// circle's policy allows proxies and within its limit per holder. It
	// always has an end.
	MandateProxy
)

var mandateKinds = enum.New[MandateKind]("MandateKind", "mandate kind", refuser(ErrInvalidMandate), "advocate", "proxy")

// MandateKinds lists the kinds in order.
func MandateKinds() []MandateKind { return mandateKinds.Values() }

// String returns the text form ("advocate", "proxy").
func (k MandateKind) String() string { return mandateKinds.Name(k) }

// Valid reports whether k is one of the constants.
func (k MandateKind) Valid() bool { return mandateKinds.Valid(k) }

// MarshalText implements encoding.TextMarshaler; invalid values are an error.
func (k MandateKind) MarshalText() ([]byte, error) { return mandateKinds.MarshalText(k) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *MandateKind) UnmarshalText(b []byte) error { return mandateKinds.UnmarshalText(b, k) }

// DecisionKind names a kind of decision, so that a mandate can be limited
// to some kinds: the library uses "membership" for decisions on who joins
// or leaves a circle; a host names its own ("care-plan", "rota",
// "budget"), spelled as lowercase words joined by hyphens, 1 to 40 bytes.
type DecisionKind string

// DecisionMembership is the kind of a decision on who joins or leaves a circle.
const DecisionMembership DecisionKind = "membership"

// Valid reports whether k is spelled as a decision kind must be.
func (k DecisionKind) Valid() bool { return len(k) <= 40 && isSlug(string(k)) }

// UnmarshalText implements encoding.TextUnmarshaler and refuses badly spelled kinds.
func (k *DecisionKind) UnmarshalText(b []byte) error {
	v := DecisionKind(b)
	if !v.Valid() {
		return refuse("parse decision kind", ErrInvalidMandate, "%q is not a decision kind (lowercase words joined by hyphens, at most 40 bytes)", clip(string(b)))
	}
	*k = v
	return nil
}

// Mandate lets its holder answer for its principal: an advocate or a
// proxy, limited to some circles, some kinds of decision, one consent
// process, and the half-open period [From, Until).
type Mandate struct {
	ID        MandateID   `json:"id"`
	Kind      MandateKind `json:"kind"`
	Principal PersonID    `json:"principal"` // the person answered for, who named the holder
	Holder    PersonID    `json:"holder"`    // the advocate or proxy
	// Circles limits the mandate to these circles (sorted); empty: every
	// circle.
	Circles []CircleID `json:"circles,omitempty"`
	// Decisions limits it to these kinds of decision (sorted); empty: every
	// kind.
	Decisions []DecisionKind `json:"decisions,omitempty"`
	// Process limits it to one consent process (a consent.ProcessID); zero:
	// any.
	Process uuid.UUID `json:"process,omitzero"`
	// From is when it starts; Until, when not zero, the first instant it no
	// longer holds. A proxy always has an Until.
	From  time.Time `json:"from"`
	Until time.Time `json:"until,omitzero"`
	// Revoked is when it was revoked; zero while it stands. Always zero in
	// [MandateGranted].
	Revoked time.Time `json:"revoked,omitzero"`
}

// InForce reports whether the mandate holds at t: from From, before Until
// and before it was revoked.
func (m Mandate) InForce(t time.Time) bool {
	return !t.Before(m.From) && (m.Until.IsZero() || t.Before(m.Until)) && (m.Revoked.IsZero() || t.Before(m.Revoked))
}

// Covers reports whether the mandate's scope includes a decision of kind k
// in circle c, in the consent process whose ID is process (zero: none
// known), at t. It checks the scope only, not who holds it.
func (m Mandate) Covers(c CircleID, k DecisionKind, process uuid.UUID, t time.Time) bool {
	if !m.InForce(t) {
		return false
	}
	if len(m.Circles) > 0 && !slices.Contains(m.Circles, c) {
		return false
	}
	if len(m.Decisions) > 0 && !slices.Contains(m.Decisions, k) {
		return false
	}
	return m.Process == uuid.Nil || m.Process == process
}

func (m Mandate) clone() Mandate {
	m.Circles = slices.Clone(m.Circles)
	m.Decisions = slices.Clone(m.Decisions)
	return m
}

// MandateGranted records a mandate: an advocate named or a proxy appointed
// by the principal.
type MandateGranted struct {
	Header
	Mandate Mandate `json:"mandate"`
}

// MandateRevoked records a mandate taken back by its principal, or given
// up by its holder, with an optional reason.
type MandateRevoked struct {
	Header
	Mandate MandateID `json:"mandateId"`
	Reason  string    `json:"reason,omitempty"`
}

func (MandateGranted) EventType() string { return "circle.mandate_granted" }
func (MandateRevoked) EventType() string { return "circle.mandate_revoked" }

// MaxMandateReason bounds, in bytes, the reason given when a mandate is revoked.
const MaxMandateReason = 2000

// NameAdvocate records the principal naming an advocate who may answer for
// them within the mandate's scope (m.Kind must be [MandateAdvocate] or
// zero). Only the principal names their advocate ([ErrNotPrincipal]). A
// zero m.From is at.
func (o *Organisation) NameAdvocate(actor PersonID, at time.Time, m Mandate) ([]Event, error) {
	return o.grant("name advocate", MandateAdvocate, actor, at, m)
}

// AppointProxy records the principal appointing a proxy who answers for
// them while they are absent, within the mandate's scope (m.Kind must be
// [MandateProxy] or zero). A proxy always expires: m.Until is required.
// Whether a circle accepts proxies, and how many one holder may carry, is
// the circle's consent policy.
func (o *Organisation) AppointProxy(actor PersonID, at time.Time, m Mandate) ([]Event, error) {
	return o.grant("appoint proxy", MandateProxy, actor, at, m)
}

func (o *Organisation) grant(act string, kind MandateKind, actor PersonID, at time.Time, m Mandate) ([]Event, error) {
	if err := o.checkActor(act, actor, at); err != nil {
		return nil, err
	}
	at = Normalize(at)
	if m.Kind == 0 {
		m.Kind = kind
	}
	if m.From.IsZero() {
		m.From = at
	}
	m = normMandate(m)
	if err := o.checkMandate(act, m, kind); err != nil {
		return nil, err
	}
	if actor != m.Principal {
		return nil, refuse(act, ErrNotPrincipal, "only %s names who answers for them, not %s", o.labelOf(m.Principal), o.labelOf(actor))
	}
	if !m.Until.IsZero() && !m.Until.After(at) {
		return nil, refuse(act, ErrInvalidMandate, "the mandate ends (%s) before it is granted", m.Until.Format(time.RFC3339))
	}
	return o.commit(MandateGranted{Header: o.header(actor, at), Mandate: m})
}

func normMandate(m Mandate) Mandate {
	m.Circles = slices.Compact(sortedIDs(m.Circles))
	ks := slices.Clone(m.Decisions)
	slices.Sort(ks)
	m.Decisions = slices.Compact(ks)
	if len(m.Decisions) == 0 {
		m.Decisions = nil
	}
	m.From = Normalize(m.From)
	if !m.Until.IsZero() {
		m.Until = Normalize(m.Until)
	}
	return m
}

// checkMandate checks a mandate as granted (also on replay).
func (o *Organisation) checkMandate(act string, m Mandate, kind MandateKind) error {
	switch {
	case m.ID.IsZero():
		return refuse(act, ErrMissingID, "the mandate needs an id")
	case m.Kind != kind:
		return refuse(act, ErrInvalidMandate, "a %s mandate cannot be granted by %s", m.Kind, act)
	case !m.Revoked.IsZero():
		return refuse(act, ErrInvalidMandate, "a new mandate is not revoked")
	case m.Kind == MandateProxy && m.Until.IsZero():
		return refuse(act, ErrInvalidMandate, "a proxy needs an end date")
	case !m.Until.IsZero() && !m.Until.After(m.From):
		return refuse(act, ErrInvalidMandate, "the mandate ends before it starts")
	case m.Principal == m.Holder:
		return refuse(act, ErrInvalidMandate, "%s cannot answer for themselves through a mandate", o.labelOf(m.Holder))
	}
	if _, ok := o.mandates[m.ID]; ok {
		return refuse(act, ErrDuplicateMandate, "mandate %s already exists", m.ID)
	}
	for _, p := range []PersonID{m.Principal, m.Holder} {
		if _, ok := o.people[p]; !ok {
			return refuse(act, ErrUnknownPerson, "no person %s", p)
		}
	}
	for _, c := range m.Circles {
		if _, ok := o.circles[c]; !ok {
			return refuse(act, ErrUnknownCircle, "no circle %s", c)
		}
	}
	for _, k := range m.Decisions {
		if !k.Valid() {
			return refuse(act, ErrInvalidMandate, "%q is not a decision kind (lowercase words joined by hyphens)", clip(string(k)))
		}
	}
	return nil
}

// RevokeMandate ends mandate id at at: its principal takes it back, or its
// holder gives it up ([ErrNotPrincipal] for anyone else). Answers already
// given under it stay on the record. The reason is optional.
func (o *Organisation) RevokeMandate(actor PersonID, at time.Time, id MandateID, reason string) ([]Event, error) {
	const act = "revoke mandate"
	if err := o.checkActor(act, actor, at); err != nil {
		return nil, err
	}
	e := MandateRevoked{Header: o.header(actor, at), Mandate: id, Reason: reason}
	if err := o.checkRevoke(act, e); err != nil {
		return nil, err
	}
	return o.commit(e)
}

func (o *Organisation) checkRevoke(act string, e MandateRevoked) error {
	m, ok := o.mandates[e.Mandate]
	if !ok {
		return refuse(act, ErrUnknownMandate, "no mandate %s", e.Mandate)
	}
	if e.Actor != m.Principal && e.Actor != m.Holder {
		return refuse(act, ErrNotPrincipal, "only %s or %s may end this mandate, not %s", o.labelOf(m.Principal), o.labelOf(m.Holder), o.labelOf(e.Actor))
	}
	if !m.Revoked.IsZero() {
		return refuse(act, ErrUnknownMandate, "mandate %s was revoked at %s", e.Mandate, m.Revoked.Format(time.RFC3339))
	}
	return checkText(act, "reason", e.Reason, 0, MaxMandateReason, true)
}

func (e MandateGranted) apply(o *Organisation) error {
	m := e.Mandate
	if err := o.checkMandate("apply", m, m.Kind); err != nil {
		return bad("%s", detail(err))
	}
	if e.Actor != m.Principal || !normEqual(m) {
		return bad("mandate %s is granted by its principal, in normal form", m.ID)
	}
	if o.mandates == nil {
		o.mandates, o.heldBy = map[MandateID]Mandate{}, map[PersonID][]MandateID{}
	}
	o.mandates[m.ID] = m.clone()
	o.heldBy[m.Holder] = append(o.heldBy[m.Holder], m.ID)
	o.version++
	return nil
}

func normEqual(m Mandate) bool {
	n := normMandate(m)
	return slices.Equal(n.Circles, m.Circles) && slices.Equal(n.Decisions, m.Decisions) &&
		n.From.Equal(m.From) && n.Until.Equal(m.Until)
}

func (e MandateRevoked) apply(o *Organisation) error {
	if err := o.checkRevoke("apply", e); err != nil {
		return bad("%s", detail(err))
	}
	m := o.mandates[e.Mandate]
	m.Revoked = Normalize(e.At)
	o.mandates[e.Mandate] = m
	o.version++
	return nil
}

// Mandate returns mandate id, revoked or not.
func (o *Organisation) Mandate(id MandateID) (Mandate, bool) {
	m, ok := o.mandates[id]
	return m.clone(), ok
}

// MandatesOf returns the mandates whose principal is p (revoked ones too),
// by ID.
func (o *Organisation) MandatesOf(p PersonID) []Mandate {
	return o.mandatesWhere(func(m Mandate) bool { return m.Principal == p })
}

// MandatesHeldBy returns the mandates holder holds (revoked ones too), by ID.
func (o *Organisation) MandatesHeldBy(holder PersonID) []Mandate {
	ids := o.heldBy[holder]
	out := make([]Mandate, 0, len(ids))
	for _, id := range ids {
		out = append(out, o.mandates[id].clone())
	}
	slices.SortFunc(out, func(a, b Mandate) int { return a.ID.Compare(b.ID) })
	return out
}

func (o *Organisation) mandatesWhere(keep func(Mandate) bool) []Mandate {
	var out []Mandate
	for _, m := range o.mandates {
		if keep(m) {
			out = append(out, m.clone())
		}
	}
	slices.SortFunc(out, func(a, b Mandate) int { return a.ID.Compare(b.ID) })
	return out
}

// Leave records actor leaving circle c of their own accord: leaving is the
// member's own act, not a decision of the circle (docs/method.md,
// "Membership by consent"). The roles actor held there end first, as in
// [Organisation.RemoveMember].
func (o *Organisation) Leave(actor PersonID, at time.Time, c CircleID) ([]Event, error) {
	const act = "leave"
	if err := o.checkActor(act, actor, at); err != nil {
		return nil, err
	}
	cs, err := o.circleFor(act, c)
	if err != nil {
		return nil, err
	}
	if !cs.IsMember(actor) {
		return nil, refuse(act, ErrNotMember, "%s is not a member of circle %q", o.labelOf(actor), cs.name)
	}
	return o.RemoveMember(actor, at, c, actor)
}

// AdmitByDecision is [Organisation.AddMember] recording the consent
// decision (a consent.ProcessID, not zero) whose adoption admits p, so that
// a member register can name it. Package consent's Process.Enact calls it.
func (o *Organisation) AdmitByDecision(actor PersonID, at time.Time, c CircleID, p PersonID, decision uuid.UUID) ([]Event, error) {
	if decision == uuid.Nil {
		return nil, refuse("admit by decision", ErrMissingID, "the decision that admits the member is required")
	}
	return o.addMember("admit by decision", actor, at, c, p, decision)
}

// RemoveByDecision is [Organisation.RemoveMember] recording the consent
// decision whose adoption removes p.
func (o *Organisation) RemoveByDecision(actor PersonID, at time.Time, c CircleID, p PersonID, decision uuid.UUID) ([]Event, error) {
	if decision == uuid.Nil {
		return nil, refuse("remove by decision", ErrMissingID, "the decision that removes the member is required")
	}
	return o.removeMember("remove by decision", actor, at, c, p, decision)
}
