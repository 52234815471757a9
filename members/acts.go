package members

import (
	"reflect"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/internal/kernel"
)

// Open starts the register of organisation org, whose top circle is top,
// with the offices held when it opens (usually none; see [OpenFor]).
func Open(org circle.OrgID, top circle.CircleID, actor circle.PersonID, at time.Time, offices []Office) (*Register, []Event, error) {
	const act = "open register"
	switch {
	case org.IsZero():
		return nil, nil, refuse(act, ErrMissingID, "organisation id is required")
	case top.IsZero():
		return nil, nil, refuse(act, ErrMissingID, "top circle id is required")
	case actor.IsZero():
		return nil, nil, refuse(act, ErrMissingID, "actor id is required")
	}
	e := Opened{Header: circle.Header{Org: org, Actor: actor, At: circle.Normalize(at)}, Top: top, Offices: offices}
	r := &Register{}
	if err := e.apply(r); err != nil {
		return nil, nil, err
	}
	r.noteTime(e)
	return r, []Event{e}, nil
}

// OpenFor opens the register of o, with the offices of o's top circle held
// now: a seat for each of its members (since they joined it) and each of
// its roles (since its term began).
func OpenFor(o *circle.Organisation, actor circle.PersonID, at time.Time) (*Register, []Event, error) {
	if o == nil {
		return nil, nil, refuse("open register", ErrMissingID, "no organisation")
	}
	var offices []Office
	if top, ok := o.Circle(o.Top()); ok {
		for _, p := range top.Members() {
			since, _ := top.MemberSince(p)
			offices = append(offices, Office{Person: p, From: circle.Normalize(since)})
		}
		for _, a := range top.Roles() {
			offices = append(offices, Office{Person: a.Holder, Role: a.Role, From: circle.Normalize(a.Term.Start), TermEnd: circle.Normalize(a.Term.End)})
		}
	}
	return Open(o.ID(), o.Top(), actor, at, offices)
}

// authorise checks that actor may change the register: a member of the
// organisation's top circle, which admits members and records their
// membership (the committee of a society).
func (r *Register) authorise(act string, o *circle.Organisation, actor circle.PersonID, at time.Time) error {
	switch {
	case o == nil || o.ID() != r.org:
		return refuse(act, ErrWrongOrganisation, "the organisation handed over is not %s", r.org)
	case actor.IsZero():
		return refuse(act, ErrMissingID, "actor id is required")
	case circle.Normalize(at).Before(r.last):
		return refuse(act, ErrTimeOrder, "the register's latest change was at %s; an act cannot be dated %s, before it",
			r.last.Format(time.RFC3339), circle.Normalize(at).Format(time.RFC3339))
	}
	top, ok := o.Circle(r.top)
	if !ok || !top.IsMember(actor) {
		return refuse(act, ErrNotAuthorised, "%s is not a member of the top circle, which keeps the member register", label(o, actor))
	}
	return nil
}

func label(o *circle.Organisation, p circle.PersonID) string {
	if pp, ok := o.Person(p); ok && pp.Label() != "" {
		return pp.Label()
	}
	return p.String()
}

func (r *Register) header(actor circle.PersonID, at time.Time) circle.Header {
	return circle.Header{Org: r.org, Actor: actor, At: circle.Normalize(at)}
}

func checkText(act, what, s string, minLen, maxLen int) error {
	if p, msg := kernel.CheckText(kernel.Text{What: what, Min: minLen, Max: maxLen, Multiline: true}, s); p != kernel.TextOK {
		return refuse(act, ErrInvalidText, "%s", msg)
	}
	return nil
}

// member returns the current member p, or the act's refusal.
func (r *Register) member(act string, o *circle.Organisation, p circle.PersonID) (*Member, error) {
	m, ok := r.members[p]
	if !ok || !m.Current() {
		return nil, refuse(act, ErrNotMember, "%s is not a member", label(o, p))
	}
	return m, nil
}

// Admit admits person p of o as a member, in the class o gives them, with
// the shares they hold (0 where the co-op has none). A former member may be
// admitted again: a new period of membership.
func (r *Register) Admit(o *circle.Organisation, actor circle.PersonID, at time.Time, p circle.PersonID, shares int) ([]Event, error) {
	const act = "admit"
	if err := r.authorise(act, o, actor, at); err != nil {
		return nil, err
	}
	person, ok := o.Person(p)
	switch {
	case p.IsZero():
		return nil, refuse(act, ErrMissingID, "person id is required")
	case !ok:
		return nil, refuse(act, ErrUnknownPerson, "no person %s in the organisation; add them first", p)
	}
	if m, ok := r.members[p]; ok && m.Current() {
		return nil, refuse(act, ErrAlreadyMember, "%s is a member since %s", label(o, p), m.Periods[len(m.Periods)-1].Admitted.Format("2006-01-02"))
	}
	if shares < 0 {
		return nil, refuse(act, ErrInvalidShares, "shares %d are negative", shares)
	}
	return r.commit(Admitted{Header: r.header(actor, at), Person: p, Class: person.Class(), Shares: shares})
}

// Cease ends p's membership (reason: 1 to 1000 bytes), applying a lapsed
// condition or recording a resignation, expulsion or death. Its
// conditions end with it.
func (r *Register) Cease(o *circle.Organisation, actor circle.PersonID, at time.Time, p circle.PersonID, reason string) ([]Event, error) {
	const act = "cease"
	if err := r.authorise(act, o, actor, at); err != nil {
		return nil, err
	}
	if err := checkText(act, "reason", reason, 1, 1000); err != nil {
		return nil, err
	}
	if _, err := r.member(act, o, p); err != nil {
		return nil, err
	}
	return r.commit(Ceased{Header: r.header(actor, at), Person: p, Reason: reason})
}

// SetShares records member p's shareholding. Setting the shares they hold
// already records nothing.
func (r *Register) SetShares(o *circle.Organisation, actor circle.PersonID, at time.Time, p circle.PersonID, shares int) ([]Event, error) {
	const act = "set shares"
	if err := r.authorise(act, o, actor, at); err != nil {
		return nil, err
	}
	m, err := r.member(act, o, p)
	if err != nil {
		return nil, err
	}
	if shares < 0 {
		return nil, refuse(act, ErrInvalidShares, "shares %d are negative", shares)
	}
	if m.SharesAt(r.last) == shares && len(m.Holdings) > 0 {
		return nil, nil
	}
	return r.commit(SharesSet{Header: r.header(actor, at), Person: p, Shares: shares})
}

// SetCondition records that member p's membership depends on condition k,
// until a date when it is known (zero: no known end). The date, when set,
// is a review item: the calendar shows it. Setting a condition again
// replaces its date and clears a lapse not yet applied.
func (r *Register) SetCondition(o *circle.Organisation, actor circle.PersonID, at time.Time, p circle.PersonID, k ConditionKind, until time.Time) ([]Event, error) {
	const act = "set condition"
	if err := r.authorise(act, o, actor, at); err != nil {
		return nil, err
	}
	if _, err := r.member(act, o, p); err != nil {
		return nil, err
	}
	if !k.Valid() {
		return nil, refuse(act, ErrInvalidCondition, "condition %d is not support, investment or work", uint8(k))
	}
	if !until.IsZero() {
		if y := until.UTC().Year(); y < 1900 || y > 9998 {
			return nil, refuse(act, ErrInvalidDate, "end date %d is outside the years 1900 to 9998", y)
		}
		until = circle.Normalize(until)
	}
	return r.commit(ConditionSet{Header: r.header(actor, at), Person: p, Condition: k, Until: until})
}

// LapseCondition records that condition k of member p's membership no
// longer holds (reason: 1 to 1000 bytes). Nothing else changes: the lapse
// is on the calendar until [Register.Cease] applies it or
// [Register.ClearCondition] clears it.
func (r *Register) LapseCondition(o *circle.Organisation, actor circle.PersonID, at time.Time, p circle.PersonID, k ConditionKind, reason string) ([]Event, error) {
	const act = "lapse condition"
	c, err := r.held(act, o, actor, at, p, k, reason)
	if err != nil {
		return nil, err
	}
	if !c.Lapsed.IsZero() {
		return nil, refuse(act, ErrInvalidCondition, "the %s condition of %s lapsed at %s already", k, label(o, p), c.Lapsed.Format("2006-01-02"))
	}
	return r.commit(ConditionLapsed{Header: r.header(actor, at), Person: p, Condition: k, Reason: reason})
}

// ClearCondition records that condition k no longer applies to member p's
// membership (reason: 1 to 1000 bytes): it was met, or the member stays on
// another footing. A lapse not yet applied is cleared with it.
func (r *Register) ClearCondition(o *circle.Organisation, actor circle.PersonID, at time.Time, p circle.PersonID, k ConditionKind, reason string) ([]Event, error) {
	const act = "clear condition"
	if _, err := r.held(act, o, actor, at, p, k, reason); err != nil {
		return nil, err
	}
	return r.commit(ConditionCleared{Header: r.header(actor, at), Person: p, Condition: k, Reason: reason})
}

func (r *Register) held(act string, o *circle.Organisation, actor circle.PersonID, at time.Time, p circle.PersonID, k ConditionKind, reason string) (Condition, error) {
	if err := r.authorise(act, o, actor, at); err != nil {
		return Condition{}, err
	}
	if err := checkText(act, "reason", reason, 1, 1000); err != nil {
		return Condition{}, err
	}
	m, err := r.member(act, o, p)
	if err != nil {
		return Condition{}, err
	}
	c, ok := m.Condition(k)
	if !ok {
		return Condition{}, refuse(act, ErrUnknownCondition, "the membership of %s has no %s condition", label(o, p), k)
	}
	return c, nil
}

// Allowed returns the acts actor may take now on person p's entry, in the
// order of [Acts]: nothing unless actor is a member of the top circle;
// admission for a person of o who is not a member; the rest for a member,
// the condition acts when they have a condition (lapse while one holds).
func (r *Register) Allowed(o *circle.Organisation, actor, p circle.PersonID) []Act {
	if o == nil || o.ID() != r.org {
		return nil
	}
	if top, ok := o.Circle(r.top); !ok || !top.IsMember(actor) {
		return nil
	}
	m, ok := r.members[p]
	if !ok || !m.Current() {
		if _, known := o.Person(p); known {
			return []Act{ActAdmit}
		}
		return nil
	}
	out := []Act{ActCease, ActSetShares, ActSetCondition}
	holds := false
	for _, c := range m.Conditions {
		holds = holds || c.Lapsed.IsZero()
	}
	if holds {
		out = append(out, ActLapseCondition)
	}
	if len(m.Conditions) > 0 {
		out = append(out, ActClearCondition)
	}
	return out
}

// commit applies events that an act has fully validated.
func (r *Register) commit(events ...Event) ([]Event, error) {
	for _, e := range events {
		if err := e.apply(r); err != nil {
			return nil, refuse("commit", ErrInvalidEvent, "act produced an event that does not apply: %s", plain(err))
		}
		r.noteTime(e)
	}
	r.out.Record(events...)
	return events, nil
}

// Observes reports whether [Register.Observe] may do anything with e.
func Observes(e any) bool {
	switch e.(type) {
	case circle.MemberAdded, circle.MemberRemoved, circle.RoleAssigned, circle.RoleEnded, circle.PersonUpdated,
		*circle.MemberAdded, *circle.MemberRemoved, *circle.RoleAssigned, *circle.RoleEnded, *circle.PersonUpdated:
		return true
	}
	return false
}

// Observe keeps the officers in step with the organisation's top circle:
// [circle.MemberAdded] and [circle.MemberRemoved] of the top circle give and
// end a seat ([OfficeTaken], [OfficeLeft]); [circle.RoleAssigned] and
// [circle.RoleEnded] of the top circle give and end a role's office (a role
// assigned to someone else ends the previous holder's office first). A
// [circle.PersonUpdated] that changes the class of someone in the register
// records it ([ClassChanged]). Other events are ignored; observing an event
// twice has the effect of once; an event of another organisation is refused
// with [ErrWrongOrganisation], and a value that is not an event with
// [ErrInvalidEvent]. The actor and time are those of the observed event.
func (r *Register) Observe(e any) ([]Event, error) {
	const act = "observe"
	if v := reflect.ValueOf(e); v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil, refuse(act, ErrInvalidEvent, "a nil %T is not an event", e)
		}
		e = v.Elem().Interface()
	}
	ev, ok := e.(interface{ EventType() string })
	if !ok {
		return nil, refuse(act, ErrInvalidEvent, "a %T is not an event of the library", e)
	}
	ce, ok := e.(circle.Event)
	if !ok {
		return nil, nil
	}
	h := ce.EventHeader()
	if h.Org != r.org {
		return nil, refuse(act, ErrWrongOrganisation, "%s of organisation %s observed by the register of %s", ev.EventType(), h.Org, r.org)
	}
	h.At = circle.Normalize(h.At)
	switch e := ce.(type) {
	case circle.MemberAdded:
		if e.Circle == r.top && r.openOffice(e.Person, circle.Role{}) < 0 {
			return r.commit(OfficeTaken{Header: h, Person: e.Person})
		}
	case circle.MemberRemoved:
		if e.Circle == r.top && r.openOffice(e.Person, circle.Role{}) >= 0 {
			return r.commit(OfficeLeft{Header: h, Person: e.Person})
		}
	case circle.RoleAssigned:
		a := e.Assignment
		if a.Circle != r.top || r.openOffice(a.Holder, a.Role) >= 0 {
			return nil, nil
		}
		var out []Event
		for _, o := range r.offices {
			if o.Role == a.Role && o.Until.IsZero() {
				out = append(out, OfficeLeft{Header: h, Person: o.Person, Role: o.Role})
			}
		}
		out = append(out, OfficeTaken{Header: h, Person: a.Holder, Role: a.Role, TermEnd: circle.Normalize(a.Term.End)})
		return r.commit(out...)
	case circle.RoleEnded:
		a := e.Assignment
		if a.Circle == r.top && r.openOffice(a.Holder, a.Role) >= 0 {
			return r.commit(OfficeLeft{Header: h, Person: a.Holder, Role: a.Role})
		}
	case circle.PersonUpdated:
		if m, ok := r.members[e.Person.ID]; ok && m.Class != e.Person.Class {
			return r.commit(ClassChanged{Header: h, Person: e.Person.ID, Class: e.Person.Class})
		}
	}
	return nil, nil
}
