package linking

import (
	"time"

	"github.com/coproduce/sociocracy/circle"
)

// label returns the display label of p, or its ID when p is unknown.
func label(org *circle.Organisation, p circle.PersonID) string {
	if person, ok := org.Person(p); ok {
		return person.Label()
	}
	return p.String()
}

// linkFacts is what the package knows about one link role of a circle.
type linkFacts struct {
	a        circle.Assignment
	held     bool // somebody holds the role
	inCircle bool // the holder is a member of the circle
	inParent bool // the holder is a member of the parent circle
	ended    bool // the holder's term has ended
}

// factsOf reads link role r of child c, whose parent is parent (nil when
// the parent is unknown).
func factsOf(c, parent *circle.Circle, r circle.Role, now time.Time) linkFacts {
	a, held := c.Holder(r)
	if !held {
		return linkFacts{a: a}
	}
	return linkFacts{
		a: a, held: true,
		inCircle: c.IsMember(a.Holder),
		inParent: parent != nil && parent.IsMember(a.Holder),
		ended:    a.Term.Ended(now),
	}
}

func (f linkFacts) working() bool { return f.held && f.inCircle && f.inParent && !f.ended }

// state returns the first fault of the link, in the order of [LinkState].
func (f linkFacts) state() LinkState {
	switch {
	case !f.held:
		return LinkVacant
	case !f.inCircle:
		return LinkNotInCircle
	case !f.inParent:
		return LinkNotInParent
	case f.ended:
		return LinkTermEnded
	}
	return LinkWorking
}
