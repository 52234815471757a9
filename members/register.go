package members

import (
	"slices"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/internal/outbox"
)

// Period is one membership of a person: from admission until it ceased.
type Period struct {
	Admitted time.Time `json:"admitted"`
	Ceased   time.Time `json:"ceased,omitzero"`  // zero while a member
	Reason   string    `json:"reason,omitempty"` // why it ceased
}

// Holding is a shareholding from an instant on.
type Holding struct {
	From   time.Time `json:"from"`
	Shares int       `json:"shares"`
}

// Condition is a condition a membership depends on: a supported member
// while the co-op supports them, an investor while the investment is held.
// A condition lapses only by an act ([Register.LapseCondition]); a lapsed
// condition changes nothing by itself: it is on the review calendar until
// the register applies it ([Register.Cease]) or clears it
// ([Register.ClearCondition]).
type Condition struct {
	Kind   ConditionKind `json:"kind"`
	Since  time.Time     `json:"since"`
	Until  time.Time     `json:"until,omitzero"`   // when it is known to end, if it is
	Lapsed time.Time     `json:"lapsed,omitzero"`  // when it was recorded as lapsed; zero while it holds
	Reason string        `json:"reason,omitempty"` // why it lapsed
}

// Member is a person's entry in the register: their class, every period of
// membership, their shareholdings and the conditions of their membership.
// Members are returned by value; changing one changes nothing in the
// register.
type Member struct {
	Person     circle.PersonID         `json:"person"`
	Class      circle.StakeholderClass `json:"class"`
	Periods    []Period                `json:"periods"`              // oldest first
	Holdings   []Holding               `json:"holdings,omitempty"`   // oldest first
	Conditions []Condition             `json:"conditions,omitempty"` // of the current membership, by kind
}

// Current reports whether the person is a member now (their latest period
// has not ceased).
func (m Member) Current() bool {
	return len(m.Periods) > 0 && m.Periods[len(m.Periods)-1].Ceased.IsZero()
}

// At returns the period of membership that held at t, if any.
func (m Member) At(t time.Time) (Period, bool) {
	for i := len(m.Periods) - 1; i >= 0; i-- {
		p := m.Periods[i]
		if !t.Before(p.Admitted) {
			return p, p.Ceased.IsZero() || t.Before(p.Ceased)
		}
	}
	return Period{}, false
}

// SharesAt returns the shares held at t.
func (m Member) SharesAt(t time.Time) int {
	n := 0
	for _, h := range m.Holdings {
		if h.From.After(t) {
			break
		}
		n = h.Shares
	}
	return n
}

// Condition returns the condition of kind k of the current membership.
func (m Member) Condition(k ConditionKind) (Condition, bool) {
	i := slices.IndexFunc(m.Conditions, func(c Condition) bool { return c.Kind == k })
	if i < 0 {
		return Condition{}, false
	}
	return m.Conditions[i], true
}

// Office is an office held in the organisation: a seat on its top circle
// (the committee, whose members are the society's officers), or a role of
// that circle, with when it began and ended.
type Office struct {
	Person  circle.PersonID `json:"person"`
	Role    circle.Role     `json:"role,omitzero"`    // zero: a member of the top circle
	From    time.Time       `json:"from"`             // appointed
	Until   time.Time       `json:"until,omitzero"`   // ceased; zero while held
	TermEnd time.Time       `json:"termEnd,omitzero"` // a role's term end
}

// Title returns what the office is called: "committee member" or the
// role's text form.
func (o Office) Title() string {
	if o.Role == (circle.Role{}) {
		return "committee member"
	}
	return o.Role.String()
}

// HeldAt reports whether the office was held at t: From <= t < Until.
func (o Office) HeldAt(t time.Time) bool {
	return !t.Before(o.From) && (o.Until.IsZero() || t.Before(o.Until))
}

// Register is the aggregate: the register of members and officers of one
// organisation.
//
// A Register is created by [Open], [OpenFor] or [Replay]. Its acts
// ([Register.Admit], [Register.Cease], [Register.SetShares],
// [Register.SetCondition], [Register.LapseCondition],
// [Register.ClearCondition]) take the organisation, to check who acts, and
// either return an [*Error] and change nothing or return the events they
// applied. Officers follow the organisation's top circle through
// [Register.Observe].
//
// The zero Register is not usable. A Register is not safe for concurrent
// use; concurrent reads without writes are safe.
type Register struct {
	out     outbox.Box[Event]
	org     circle.OrgID
	top     circle.CircleID
	version uint64
	last    time.Time
	members map[circle.PersonID]*Member
	order   []*Member // in order of first admission
	offices []Office  // in order of appointment
}

// Org returns the organisation's ID.
func (r *Register) Org() circle.OrgID { return r.org }

// Top returns the organisation's top circle, whose members and roles are
// its officers.
func (r *Register) Top() circle.CircleID { return r.top }

// Version returns the number of events applied (1 after [Open]).
func (r *Register) Version() uint64 { return r.version }

// Len returns the number of people ever admitted.
func (r *Register) Len() int { return len(r.order) }

// Member returns the entry of person p, current or former.
func (r *Register) Member(p circle.PersonID) (Member, bool) {
	m, ok := r.members[p]
	if !ok {
		return Member{}, false
	}
	return m.copy(), true
}

// Members returns the entries of everyone who was a member at t, in order
// of first admission. t may be any instant, past or present.
func (r *Register) Members(t time.Time) []Member {
	var in []*Member
	for _, m := range r.order {
		if _, ok := m.At(t); ok {
			in = append(in, m)
		}
	}
	return copies(in)
}

// copies returns copies of ms that share nothing with the register, in a few
// allocations: the slices of every copy are cut from one array per field,
// with their capacity capped so that appending to one never reaches the
// next.
func copies(ms []*Member) []Member {
	if len(ms) == 0 {
		return nil
	}
	var np, nh, nc int
	for _, m := range ms {
		np, nh, nc = np+len(m.Periods), nh+len(m.Holdings), nc+len(m.Conditions)
	}
	out := make([]Member, len(ms))
	periods, holdings, conds := make([]Period, 0, np), make([]Holding, 0, nh), make([]Condition, 0, nc)
	for i, m := range ms {
		out[i] = *m
		periods = append(periods, m.Periods...)
		out[i].Periods = periods[len(periods)-len(m.Periods) : len(periods) : len(periods)]
		if len(m.Holdings) > 0 {
			holdings = append(holdings, m.Holdings...)
			out[i].Holdings = holdings[len(holdings)-len(m.Holdings) : len(holdings) : len(holdings)]
		}
		if len(m.Conditions) > 0 {
			conds = append(conds, m.Conditions...)
			out[i].Conditions = conds[len(conds)-len(m.Conditions) : len(conds) : len(conds)]
		}
	}
	return out
}

// Everyone returns the entries of everyone ever admitted, current and
// former, in order of first admission: the whole register.
func (r *Register) Everyone() []Member { return copies(r.order) }

// ByClass returns the members at t of each stakeholder class.
func (r *Register) ByClass(t time.Time) map[circle.StakeholderClass][]circle.PersonID {
	out := map[circle.StakeholderClass][]circle.PersonID{}
	for _, m := range r.order {
		if _, ok := m.At(t); ok {
			out[m.Class] = append(out[m.Class], m.Person)
		}
	}
	return out
}

// Offices returns every office held at any time, in order of appointment.
func (r *Register) Offices() []Office { return slices.Clone(r.offices) }

// OfficesAt returns the offices held at t, in order of appointment.
func (r *Register) OfficesAt(t time.Time) []Office {
	var out []Office
	for _, o := range r.offices {
		if o.HeldAt(t) {
			out = append(out, o)
		}
	}
	return out
}

// Lapsed returns the current members with a lapsed condition not yet
// applied or cleared, in order of first admission.
func (r *Register) Lapsed() []Member {
	var out []Member
	for _, m := range r.order {
		if m.Current() && slices.ContainsFunc(m.Conditions, func(c Condition) bool { return !c.Lapsed.IsZero() }) {
			out = append(out, m.copy())
		}
	}
	return out
}

func (m *Member) copy() Member {
	cp := *m
	cp.Periods = slices.Clone(m.Periods)
	cp.Holdings = slices.Clone(m.Holdings)
	cp.Conditions = slices.Clone(m.Conditions)
	return cp
}

// Take returns the events that acts (and Observe) have yielded since the
// previous call of Take, and clears them. Recording starts at the first
// call; events applied by [Replay] or Apply are never recorded.
func (r *Register) Take() []Event { return r.out.Take() }

// Clone returns a deep copy of r: acts on the copy never change r. The copy
// records nothing for [Register.Take] until it is asked.
func (r *Register) Clone() *Register {
	d := &Register{org: r.org, top: r.top, version: r.version, last: r.last,
		members: make(map[circle.PersonID]*Member, len(r.members)), order: make([]*Member, len(r.order)),
		offices: slices.Clone(r.offices)}
	for i, m := range r.order {
		cp := m.copy()
		d.order[i] = &cp
		d.members[cp.Person] = &cp
	}
	return d
}
