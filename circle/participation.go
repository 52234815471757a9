package circle

import (
	"time"

	"github.com/coproduce/sociocracy/internal/enum"
)

// Participation is a member's standing in one circle (docs/method.md,
// "Participation classes"). The zero value is invalid; a member whose
// class was never set is [ParticipationFull].
type Participation uint8

// The participation classes.
const (
	// ParticipationFull: a member with a consent right (the default).
	ParticipationFull Participation = 1 + iota
	// ParticipationLearning: a member who speaks and whose answers are
	// recorded, without a consent right.
	ParticipationLearning
	// ParticipationGuest: a member without a consent right, who is left
	// out of confidential items and their records.
	ParticipationGuest
)

var participations = enum.New[Participation]("Participation", "participation class", refuser(ErrInvalidParticipation),
	"full", "learning", "guest")

// Participations lists the classes in order.
func Participations() []Participation { return participations.Values() }

// String returns the text form ("full", "learning", "guest").
func (p Participation) String() string { return participations.Name(p) }

// Valid reports whether p is one of the constants.
func (p Participation) Valid() bool { return participations.Valid(p) }

// MarshalText implements encoding.TextMarshaler; invalid values are an error.
func (p Participation) MarshalText() ([]byte, error) { return participations.MarshalText(p) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (p *Participation) UnmarshalText(b []byte) error { return participations.UnmarshalText(b, p) }

// Participation returns member p's class in the circle: [ParticipationFull]
// unless it was set otherwise; zero when p is not a member.
func (c *Circle) Participation(p PersonID) Participation {
	if !c.IsMember(p) {
		return 0
	}
	if k, ok := c.classes[p]; ok {
		return k
	}
	return ParticipationFull
}

// ParticipationSet records a member's class in a circle.
type ParticipationSet struct {
	Header
	Circle CircleID      `json:"circle"`
	Person PersonID      `json:"person"`
	Class  Participation `json:"class"`
}

func (ParticipationSet) EventType() string { return "circle.participation_set" }

// SetParticipation records member p's class in circle c: full (a consent
// right), learning or guest. Like [Organisation.AddMember] it records a
// decision of the circle. Setting the class p already has is refused
// ([ErrInvalidParticipation]), so that every event records a change.
func (o *Organisation) SetParticipation(actor PersonID, at time.Time, c CircleID, p PersonID, class Participation) ([]Event, error) {
	const act = "set participation"
	if err := o.checkActor(act, actor, at); err != nil {
		return nil, err
	}
	e := ParticipationSet{Header: o.header(actor, at), Circle: c, Person: p, Class: class}
	if err := o.checkParticipation(act, e); err != nil {
		return nil, err
	}
	return o.commit(e)
}

func (o *Organisation) checkParticipation(act string, e ParticipationSet) error {
	cs, err := o.circleFor(act, e.Circle)
	if err != nil {
		return err
	}
	switch {
	case !e.Class.Valid():
		return refuse(act, ErrInvalidParticipation, "participation class %d is not valid (want full, learning or guest)", uint8(e.Class))
	case !cs.IsMember(e.Person):
		return refuse(act, ErrNotMember, "%s is not a member of circle %q", o.labelOf(e.Person), cs.name)
	case cs.Participation(e.Person) == e.Class:
		return refuse(act, ErrInvalidParticipation, "%s is already a %s member of circle %q", o.labelOf(e.Person), e.Class, cs.name)
	}
	return nil
}

func (e ParticipationSet) apply(o *Organisation) error {
	if err := o.checkParticipation("apply", e); err != nil {
		return bad("%s", detail(err))
	}
	c := o.circles[e.Circle]
	if e.Class == ParticipationFull {
		delete(c.classes, e.Person)
	} else {
		if c.classes == nil {
			c.classes = map[PersonID]Participation{}
		}
		c.classes[e.Person] = e.Class
	}
	o.version++
	return nil
}
