package members

import (
	"github.com/coproduce/sociocracy/internal/kernel"
	"slices"
	"time"

	"github.com/coproduce/sociocracy/circle"
)

// Event is what an act yields and what the logbook keeps. Events are plain
// data; applying them in order ([Replay]) rebuilds exactly the register that
// produced them. Every event carries a [circle.Header].
type Event interface {
	// EventType is the stable name stored with the event ("members.admitted").
	EventType() string
	EventHeader() circle.Header
	apply(r *Register) error
}

// Opened starts the register of an organisation, with the offices of its
// top circle held when it opened.
type Opened struct {
	circle.Header
	Top     circle.CircleID `json:"top"`
	Offices []Office        `json:"offices,omitempty"`
}

// Admitted records a person admitted as a member, with their class and the
// shares they hold (0 where the co-op has none).
type Admitted struct {
	circle.Header
	Person circle.PersonID         `json:"person"`
	Class  circle.StakeholderClass `json:"class"`
	Shares int                     `json:"shares,omitempty"`
}

// Ceased records a membership ended, and why; its conditions end with it.
type Ceased struct {
	circle.Header
	Person circle.PersonID `json:"person"`
	Reason string          `json:"reason"`
}

// SharesSet records a member's shareholding changed.
type SharesSet struct {
	circle.Header
	Person circle.PersonID `json:"person"`
	Shares int             `json:"shares"`
}

// ConditionSet records a condition of a membership, with the date it is
// known to end, if it is (a condition set again replaces the one before).
type ConditionSet struct {
	circle.Header
	Person    circle.PersonID `json:"person"`
	Condition ConditionKind   `json:"condition"`
	Until     time.Time       `json:"until,omitzero"`
}

// ConditionLapsed records that a condition of a membership no longer holds
// (the support ended, the investment was withdrawn). The membership is
// unchanged until an act applies the lapse or clears it.
type ConditionLapsed struct {
	circle.Header
	Person    circle.PersonID `json:"person"`
	Condition ConditionKind   `json:"condition"`
	Reason    string          `json:"reason"`
}

// ConditionCleared records a condition that no longer applies to a
// membership (it was met, or the member stays on another footing).
type ConditionCleared struct {
	circle.Header
	Person    circle.PersonID `json:"person"`
	Condition ConditionKind   `json:"condition"`
	Reason    string          `json:"reason"`
}

// ClassChanged records a member's stakeholder class changed in the
// organisation.
type ClassChanged struct {
	circle.Header
	Person circle.PersonID         `json:"person"`
	Class  circle.StakeholderClass `json:"class"`
}

// OfficeTaken records a person taking an office: a seat on the top circle
// (zero Role) or one of its roles, with its term end.
type OfficeTaken struct {
	circle.Header
	Person  circle.PersonID `json:"person"`
	Role    circle.Role     `json:"role,omitzero"`
	TermEnd time.Time       `json:"termEnd,omitzero"`
}

// OfficeLeft records a person leaving an office.
type OfficeLeft struct {
	circle.Header
	Person circle.PersonID `json:"person"`
	Role   circle.Role     `json:"role,omitzero"`
}

func (Opened) EventType() string           { return "members.opened" }
func (Admitted) EventType() string         { return "members.admitted" }
func (Ceased) EventType() string           { return "members.ceased" }
func (SharesSet) EventType() string        { return "members.shares_set" }
func (ConditionSet) EventType() string     { return "members.condition_set" }
func (ConditionLapsed) EventType() string  { return "members.condition_lapsed" }
func (ConditionCleared) EventType() string { return "members.condition_cleared" }
func (ClassChanged) EventType() string     { return "members.class_changed" }
func (OfficeTaken) EventType() string      { return "members.office_taken" }
func (OfficeLeft) EventType() string       { return "members.office_left" }

// Replay rebuilds a register from its events, the first of which must be
// [Opened]. An inconsistent stream is refused with [ErrInvalidEvent] naming
// the event's position.
func Replay(events []Event) (*Register, error) { return replayer.Run(events) }

var replayer = kernel.Replay[*Register, Event]{
	Opening:   "members.opened",
	Opens:     func(e Event) bool { _, ok := e.(Opened); return ok },
	NotOpened: func(d string) error { return refuse("replay", ErrNotOpened, "%s", d) },
	Invalid:   func(i int, err error) error { return refuse("replay", ErrInvalidEvent, "event %d: %s", i, plain(err)) },
	Open: func(e Event) (*Register, error) {
		r := &Register{}
		if err := e.apply(r); err != nil {
			return nil, err
		}
		r.noteTime(e)
		return r, nil
	},
	Apply: (*Register).Apply,
}

// Apply applies one event that a store read back, after those already
// applied. It refuses an event of another organisation and one that does
// not fit the current state; on error nothing changed.
func (r *Register) Apply(e Event) error {
	if _, ok := e.(Opened); ok {
		return refuse("apply", ErrInvalidEvent, "register of %s is already opened", r.org)
	}
	if e.EventHeader().Org != r.org {
		return refuse("apply", ErrWrongOrganisation, "event of organisation %s applied to %s", e.EventHeader().Org, r.org)
	}
	if err := e.apply(r); err != nil {
		return err
	}
	r.noteTime(e)
	return nil
}

func (r *Register) noteTime(e Event) {
	if at := e.EventHeader().At; at.After(r.last) {
		r.last = at
	}
}

func bad(format string, args ...any) error { return refuse("apply", ErrInvalidEvent, format, args...) }

func (e Opened) apply(r *Register) error {
	if r.version != 0 {
		return bad("register already opened")
	}
	*r = Register{org: e.Org, top: e.Top, version: 1, members: map[circle.PersonID]*Member{}, offices: slices.Clone(e.Offices)}
	return nil
}

// current returns the current member p, or an error.
func (r *Register) current(p circle.PersonID) (*Member, error) {
	m, ok := r.members[p]
	if !ok || !m.Current() {
		return nil, bad("%s is not a member", p)
	}
	return m, nil
}

func (e Admitted) apply(r *Register) error {
	m, ok := r.members[e.Person]
	switch {
	case ok && m.Current():
		return bad("%s is already a member", e.Person)
	case e.Shares < 0:
		return bad("negative shares")
	case !ok:
		m = &Member{Person: e.Person}
		r.members[e.Person] = m
		r.order = append(r.order, m)
	}
	m.Class = e.Class
	m.Periods = append(m.Periods, Period{Admitted: e.At})
	m.Conditions = nil
	if e.Shares > 0 || len(m.Holdings) > 0 {
		m.Holdings = append(m.Holdings, Holding{From: e.At, Shares: e.Shares})
	}
	r.version++
	return nil
}

func (e Ceased) apply(r *Register) error {
	m, err := r.current(e.Person)
	if err != nil {
		return err
	}
	p := &m.Periods[len(m.Periods)-1]
	p.Ceased, p.Reason = e.At, e.Reason
	if len(m.Holdings) > 0 && m.Holdings[len(m.Holdings)-1].Shares != 0 {
		m.Holdings = append(m.Holdings, Holding{From: e.At})
	}
	m.Conditions = nil
	r.version++
	return nil
}

func (e SharesSet) apply(r *Register) error {
	m, err := r.current(e.Person)
	if err != nil {
		return err
	}
	if e.Shares < 0 {
		return bad("negative shares")
	}
	m.Holdings = append(m.Holdings, Holding{From: e.At, Shares: e.Shares})
	r.version++
	return nil
}

func (e ConditionSet) apply(r *Register) error {
	m, err := r.current(e.Person)
	if err != nil {
		return err
	}
	if !e.Condition.Valid() {
		return bad("invalid condition")
	}
	c := Condition{Kind: e.Condition, Since: e.At, Until: e.Until}
	if i := slices.IndexFunc(m.Conditions, func(c Condition) bool { return c.Kind == e.Condition }); i >= 0 {
		c.Since = m.Conditions[i].Since
		m.Conditions[i] = c
	} else {
		m.Conditions = append(m.Conditions, c)
		slices.SortFunc(m.Conditions, func(a, b Condition) int { return int(a.Kind) - int(b.Kind) })
	}
	r.version++
	return nil
}

func (r *Register) condition(p circle.PersonID, k ConditionKind) (*Condition, error) {
	m, err := r.current(p)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(m.Conditions, func(c Condition) bool { return c.Kind == k })
	if i < 0 {
		return nil, bad("%s has no %s condition", p, k)
	}
	return &m.Conditions[i], nil
}

func (e ConditionLapsed) apply(r *Register) error {
	c, err := r.condition(e.Person, e.Condition)
	if err != nil {
		return err
	}
	if !c.Lapsed.IsZero() {
		return bad("the %s condition of %s has lapsed already", e.Condition, e.Person)
	}
	c.Lapsed, c.Reason = e.At, e.Reason
	r.version++
	return nil
}

func (e ConditionCleared) apply(r *Register) error {
	if _, err := r.condition(e.Person, e.Condition); err != nil {
		return err
	}
	m := r.members[e.Person]
	m.Conditions = slices.DeleteFunc(m.Conditions, func(c Condition) bool { return c.Kind == e.Condition })
	r.version++
	return nil
}

func (e ClassChanged) apply(r *Register) error {
	m, ok := r.members[e.Person]
	if !ok {
		return bad("%s was never a member", e.Person)
	}
	m.Class = e.Class
	r.version++
	return nil
}

// openOffice returns the index of p's open office of role, or -1.
func (r *Register) openOffice(p circle.PersonID, role circle.Role) int {
	return slices.IndexFunc(r.offices, func(o Office) bool { return o.Person == p && o.Role == role && o.Until.IsZero() })
}

func (e OfficeTaken) apply(r *Register) error {
	if r.openOffice(e.Person, e.Role) >= 0 {
		return bad("%s already holds office %s", e.Person, Office{Role: e.Role}.Title())
	}
	r.offices = append(r.offices, Office{Person: e.Person, Role: e.Role, From: e.At, TermEnd: e.TermEnd})
	r.version++
	return nil
}

func (e OfficeLeft) apply(r *Register) error {
	i := r.openOffice(e.Person, e.Role)
	if i < 0 {
		return bad("%s holds no office %s", e.Person, Office{Role: e.Role}.Title())
	}
	r.offices[i].Until = e.At
	r.version++
	return nil
}
