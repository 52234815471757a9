package review

import (
	"slices"
	"strconv"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/internal/enum"
)

// ReminderPolicy says when reminders are due. The zero value, like a nil
// policy, means the defaults: 14 days ahead of every item, 30 and 7 days
// ahead of a term end (so an election can be held), and a grace period of
// 14 days.
type ReminderPolicy struct {
	Ahead     []int          // days before the due date at which to remind; empty: 14
	AheadFor  map[Kind][]int // per kind, replacing Ahead; a term end's default is 30 and 7
	GraceDays int            // days overdue before each escalation; 0: 14
}

func (p *ReminderPolicy) ahead(k Kind) []int {
	if p != nil {
		if a, ok := p.AheadFor[k]; ok {
			return a
		}
	}
	if k == KindTermEnd {
		return []int{30, 7}
	}
	if p != nil && len(p.Ahead) > 0 {
		return p.Ahead
	}
	return []int{14}
}

func (p *ReminderPolicy) grace() int {
	if p == nil || p.GraceDays <= 0 {
		return 14
	}
	return p.GraceDays
}

// Escalation is who a reminder is for, on the ladder an overdue item climbs
// (docs/method.md: "Overdue items escalate: secretary, then leader, then the
// parent circle"). The zero value is invalid.
type Escalation uint8

// The rungs of the ladder.
const (
	ToSecretary Escalation = 1 + iota // the circle's secretary: every reminder until the grace period is over
	ToLeader                          // the circle's leader: overdue beyond one grace period
	ToParent                          // the parent circle: overdue beyond two grace periods
)

var escalations = enum.New[Escalation]("Escalation", "escalation level", refuser(ErrInvalidEvent),
	"secretary", "leader", "parent")

// Escalations lists every rung of the ladder in order.
func Escalations() []Escalation { return escalations.Values() }

// String returns the text form.
func (e Escalation) String() string { return escalations.Name(e) }

// Valid reports whether e is one of the constants.
func (e Escalation) Valid() bool { return escalations.Valid(e) }

// MarshalText implements encoding.TextMarshaler; an invalid value is an error.
func (e Escalation) MarshalText() ([]byte, error) { return escalations.MarshalText(e) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (e *Escalation) UnmarshalText(b []byte) error { return escalations.UnmarshalText(b, e) }

// Reminder is a reminder due to be sent. Key identifies it: a host that
// records the keys it has sent (in a unique column) sends each reminder once,
// even when its job runs twice, concurrently or after a crash.
type Reminder struct {
	Item   ItemID          `json:"item"`
	Kind   Kind            `json:"kind"`
	Circle circle.CircleID `json:"circle"`
	Title  string          `json:"title"`
	Due    time.Time       `json:"due"`   // the item's due instant
	Stage  Stage           `json:"stage"` // ahead, due or escalated
	Days   int             `json:"days"`  // ahead: days before the due date; escalated: days overdue
	Level  Escalation      `json:"level"` // who it is for
	At     time.Time       `json:"at"`    // when it became due to be sent
	To     []Recipient     `json:"to"`    // the people it goes to; empty when the roles are vacant
}

// Recipient is a person a reminder goes to, and why.
type Recipient struct {
	Circle circle.CircleID `json:"circle"`
	Role   circle.Role     `json:"role,omitzero"` // zero for a term end's holder
	Person circle.PersonID `json:"person"`
}

// Key returns the reminder's stable key:
// "<item>/<kind>/<stage>[-<days>d|-<level>]/<due instant, UTC>", e.g.
// "…/term-end/ahead-30d/2027-01-05T09:30:00.000000Z". It depends only on
// the item, its kind, the stage and the due instant, never on when it was
// asked for or who receives it; rescheduling an item changes its keys.
func (r Reminder) Key() string {
	b := make([]byte, 0, 100)
	b = append(b, r.Item.String()...)
	b = append(b, '/')
	b = append(b, r.Kind.String()...)
	b = append(b, '/')
	b = append(b, r.Stage.String()...)
	switch r.Stage {
	case StageAhead:
		b = append(b, '-')
		b = strconv.AppendInt(b, int64(r.Days), 10)
		b = append(b, 'd')
	case StageEscalated:
		b = append(b, '-')
		b = append(b, r.Level.String()...)
	}
	b = append(b, '/')
	b = r.Due.UTC().AppendFormat(b, "2006-01-02T15:04:05.000000Z")
	return string(b)
}

// Reminders returns the reminders due at now: for each open item, the
// latest stage it has reached, if any. Earlier stages that a host missed (its
// job did not run for a month) are not returned: the current one replaces
// them. The stages of an item due at D, in local calendar days in the
// calendar's zone, with grace period G:
//
//   - ahead, from each lead time L days before D, to the secretary (and
//     the item's Holder, if a member of the circle: a term's holder, a
//     measure's owner);
//   - due, from D, to the same people;
//   - escalated to the leader from D+G, and to the parent circle (its
//     secretary and leader) from D+2G. A rung whose roles are vacant passes
//     the reminder to the next rung up; the top circle has no parent, so its
//     last rung is its leader (its secretary while the leader role is
//     vacant).
//
// The organisation o supplies the role holders; with a nil o the reminders
// have no recipients. Reminders are ordered by due instant, then item.
func (c *Calendar) Reminders(now time.Time, o *circle.Organisation, p *ReminderPolicy) []Reminder {
	maxLead := 0
	for _, k := range Kinds() {
		for _, d := range p.ahead(k) {
			maxLead = max(maxLead, d)
		}
	}
	g := p.grace()
	// Every item whose first lead time has come is due before now + maxLead
	// local days; a day more covers any DST change.
	var out []Reminder
	for it := range c.DueBefore(AddDays(now, maxLead+1, c.zone)) {
		r, ok := c.stage(it, now, p.ahead(it.Kind), g)
		if !ok {
			continue
		}
		r.To = recipients(o, it, r.Level)
		out = append(out, r)
	}
	return out
}

// stage returns the latest reminder of it due at now.
func (c *Calendar) stage(it Item, now time.Time, ahead []int, g int) (Reminder, bool) {
	r := Reminder{Item: it.ID, Kind: it.Kind, Circle: it.Circle, Title: it.Title, Due: it.Due, Level: ToSecretary}
	if !now.Before(it.Due) {
		switch {
		case !now.Before(AddDays(it.Due, 2*g, c.zone)):
			r.Stage, r.Days, r.Level, r.At = StageEscalated, 2*g, ToParent, AddDays(it.Due, 2*g, c.zone)
		case !now.Before(AddDays(it.Due, g, c.zone)):
			r.Stage, r.Days, r.Level, r.At = StageEscalated, g, ToLeader, AddDays(it.Due, g, c.zone)
		default:
			r.Stage, r.At = StageDue, it.Due
		}
		return r, true
	}
	best := -1
	for _, d := range ahead {
		// d local days before the due instant lie at most d×24 hours plus
		// the widest gap between two UTC offsets (26 hours) before it: a
		// lead whose earliest possible send time is still ahead needs no
		// date arithmetic.
		if d <= 0 || (best >= 0 && d >= best) || it.Due.Add(-time.Duration(d)*24*time.Hour-26*time.Hour).After(now) {
			continue
		}
		if !now.Before(AddDays(it.Due, -d, c.zone)) {
			best = d
		}
	}
	if best < 0 {
		return Reminder{}, false
	}
	r.Stage, r.Days, r.At = StageAhead, best, AddDays(it.Due, -best, c.zone)
	return r, true
}

// recipients returns who a reminder at level lvl for it goes to.
func recipients(o *circle.Organisation, it Item, lvl Escalation) []Recipient {
	if o == nil {
		return nil
	}
	var out []Recipient
	add := func(cid circle.CircleID, r circle.Role) {
		if cs, ok := o.Circle(cid); ok {
			if a, ok := cs.Holder(r); ok && !slices.ContainsFunc(out, func(x Recipient) bool { return x.Person == a.Holder }) {
				out = append(out, Recipient{Circle: cid, Role: r, Person: a.Holder})
			}
		}
	}
	cs, ok := o.Circle(it.Circle)
	if !ok {
		return nil
	}
	parent, hasParent := cs.Parent()
	for l := lvl; l <= ToParent && len(out) == 0; l++ {
		switch l {
		case ToSecretary:
			add(it.Circle, circle.Secretary)
		case ToLeader:
			add(it.Circle, circle.Leader)
		case ToParent:
			if hasParent {
				add(parent, circle.Secretary)
				add(parent, circle.Leader)
			}
		}
	}
	if lvl == ToSecretary && !it.Holder.IsZero() && cs.IsMember(it.Holder) &&
		!slices.ContainsFunc(out, func(x Recipient) bool { return x.Person == it.Holder }) {
		out = append(out, Recipient{Circle: it.Circle, Person: it.Holder})
	}
	if !hasParent && len(out) == 0 { // the top circle: its leader; its secretary only while the leader role is vacant
		add(it.Circle, circle.Leader)
		if len(out) == 0 {
			add(it.Circle, circle.Secretary)
		}
	}
	return out
}
