package linking

import (
	"time"

	"github.com/coproduce/sociocracy/circle"
)

// node is what the package reads of a circle. *circle.Circle implements it;
// tests implement it to reach states that circle's acts never produce.
type node interface {
	ID() circle.CircleID
	Name() string
	Kind() circle.Kind
	Parent() (circle.CircleID, bool)
	Ends() time.Time
	IsMember(p circle.PersonID) bool
	Holder(r circle.Role) (circle.Assignment, bool)
	Members() []circle.PersonID
}

// source is what the package reads of an organisation.
type source interface {
	circles() []circle.CircleID // parents before children
	node(id circle.CircleID) (node, bool)
	person(id circle.PersonID) (label string, class circle.StakeholderClass, ok bool)
	actsFor(id circle.PersonID) []circle.PersonID
	zone() *time.Location
}

// orgSource reads a *circle.Organisation.
type orgSource struct{ o *circle.Organisation }

func (s orgSource) circles() []circle.CircleID { return s.o.Circles() }

func (s orgSource) node(id circle.CircleID) (node, bool) {
	c, ok := s.o.Circle(id)
	if !ok {
		return nil, false
	}
	return c, true
}

func (s orgSource) person(id circle.PersonID) (string, circle.StakeholderClass, bool) {
	p, ok := s.o.Person(id)
	if !ok {
		return "", "", false
	}
	return p.Label(), p.Class(), true
}

func (s orgSource) actsFor(id circle.PersonID) []circle.PersonID {
	if p, ok := s.o.Person(id); ok {
		return p.ActsFor()
	}
	return nil
}

func (s orgSource) zone() *time.Location { return s.o.Zone() }

// label returns the display label of p, or its ID when p is unknown.
func label(src source, p circle.PersonID) string {
	if l, _, ok := src.person(p); ok {
		return l
	}
	return p.String()
}

// linkState judges one link role of child c under parent (nil for the top).
func linkState(c, parent node, a circle.Assignment, held bool, now time.Time) LinkState {
	switch {
	case !held:
		return LinkVacant
	case !c.IsMember(a.Holder):
		return LinkNotInCircle
	case parent == nil || !parent.IsMember(a.Holder):
		return LinkNotInParent
	case a.Term.Ended(now):
		return LinkTermEnded
	}
	return LinkWorking
}
