package linking

import (
	"fmt"
	"strings"
	"time"

	"github.com/coproduce/sociocracy/circle"
)

// Link is one link role of a circle as it stands: who holds it, if anyone,
// and whether it works.
type Link struct {
	Role   circle.Role     `json:"role"`
	Person circle.PersonID `json:"person,omitzero"` // zero when vacant
	Label  string          `json:"label,omitempty"` // the holder's display label
	State  LinkState       `json:"state"`
}

// Working reports whether the link can carry a concern.
func (l Link) Working() bool { return l.State == LinkWorking }

// Hop is one step of a [Path], between a circle and its parent. Leader and
// Delegate describe the child circle's two links whatever the direction, so
// the hop from A to B and the hop from B to A differ only in From, To and
// Direction.
type Hop struct {
	From      circle.CircleID `json:"from"`
	FromName  string          `json:"fromName"`
	To        circle.CircleID `json:"to"`
	ToName    string          `json:"toName"`
	Direction Direction       `json:"direction"`
	Leader    Link            `json:"leader"`
	Delegate  Link            `json:"delegate"`
}

// Child returns the circle of the hop that is the other's child.
func (h Hop) Child() circle.CircleID {
	if h.Direction == Up {
		return h.From
	}
	return h.To
}

// Carrier returns the link whose role is to carry a concern this way: the
// child's delegate going up, the child's leader going down.
func (h Hop) Carrier() Link {
	if h.Direction == Up {
		return h.Delegate
	}
	return h.Leader
}

// Backup returns the other link of the child circle: a working backup can
// carry a concern when the carrier cannot, since both are members of both
// circles.
func (h Hop) Backup() Link {
	if h.Direction == Up {
		return h.Leader
	}
	return h.Delegate
}

// Gap reports whether the carrier of the hop does not work. The concern can
// still cross when [Hop.Backup] works; [Hop.Blocked] says when it cannot.
func (h Hop) Gap() bool { return !h.Carrier().Working() }

// Blocked reports whether neither link of the hop works: nobody can carry
// a concern across it.
func (h Hop) Blocked() bool { return !h.Leader.Working() && !h.Delegate.Working() }

// Path is the way a concern travels between two circles (docs/method.md,
// "Double-linking"): up from From through each circle's delegate to the
// lowest common ancestor Via, then down through each circle's leader to To.
// A path from a circle to itself has one circle and no hops. Vacant and
// broken links are reported in the hops, never skipped: see [Hop.Gap].
//
// The path from B to A is the path from A to B reversed: circles in the
// opposite order, each hop with From and To swapped and the opposite
// direction, the same links.
//
// A path judges links the way [Check] does, but without a policy: a
// helping circle that the policy lets go without a delegate still shows a
// gap going up from it, with its leader as the backup. A Path is plain data
// that marshals to JSON; its zero value is empty.
type Path struct {
	From    circle.CircleID   `json:"from"`
	To      circle.CircleID   `json:"to"`
	Via     circle.CircleID   `json:"via"`
	At      time.Time         `json:"at"`
	Circles []circle.CircleID `json:"circles"`
	Hops    []Hop             `json:"hops"`
}

// Complete reports whether every hop's carrier works.
func (p *Path) Complete() bool {
	for _, h := range p.Hops {
		if h.Gap() {
			return false
		}
	}
	return true
}

// Gaps returns the hops whose carrier does not work, in path order.
func (p *Path) Gaps() []Hop {
	var out []Hop
	for _, h := range p.Hops {
		if h.Gap() {
			out = append(out, h)
		}
	}
	return out
}

// Carriers returns the working carriers of the hops in order; a person who
// carries two hops in a row appears once. A gap contributes nobody.
func (p *Path) Carriers() []circle.PersonID {
	var out []circle.PersonID
	for _, h := range p.Hops {
		if c := h.Carrier(); c.Working() && (len(out) == 0 || out[len(out)-1] != c.Person) {
			out = append(out, c.Person)
		}
	}
	return out
}

// String describes the path hop by hop, for people.
func (p *Path) String() string {
	var b strings.Builder
	if len(p.Hops) == 0 {
		fmt.Fprintf(&b, "From a circle to itself: no links to cross.\n")
		return b.String()
	}
	fmt.Fprintf(&b, "From %q to %q", p.Hops[0].FromName, p.Hops[len(p.Hops)-1].ToName)
	for _, h := range p.Hops {
		if h.Direction == Up && h.To == p.Via {
			fmt.Fprintf(&b, " via %q", h.ToName)
		}
	}
	fmt.Fprintf(&b, ": %s.\n", plural(len(p.Hops), "hop", "hops"))
	for _, h := range p.Hops {
		c := h.Carrier()
		fmt.Fprintf(&b, "  %s %q -> %q: ", h.Direction, h.FromName, h.ToName)
		if c.Working() {
			fmt.Fprintf(&b, "%s (%s)\n", c.Label, c.Role)
			continue
		}
		fmt.Fprintf(&b, "GAP: %s\n", describeBroken(c, h.Child() == h.From, h.FromName, h.ToName))
		if bk := h.Backup(); bk.Working() {
			fmt.Fprintf(&b, "    %s (%s) could carry it instead\n", bk.Label, bk.Role)
		} else {
			fmt.Fprintf(&b, "    nobody can carry it: the %s link is %s too\n", bk.Role, bk.State)
		}
	}
	return b.String()
}

func describeBroken(l Link, fromIsChild bool, from, to string) string {
	child := to
	if fromIsChild {
		child = from
	}
	switch l.State {
	case LinkVacant:
		return fmt.Sprintf("%q has no %s", child, l.Role)
	case LinkTermEnded:
		return fmt.Sprintf("the term of %s as %s has ended", l.Label, l.Role)
	case LinkNotInCircle:
		return fmt.Sprintf("%s, the %s, is not a member of %q", l.Label, l.Role, child)
	case LinkNotInParent:
		return fmt.Sprintf("%s, the %s, is not a member of the parent circle", l.Label, l.Role)
	}
	return l.State.String()
}

// FeedbackPath returns the path a concern takes from circle from to circle
// to at instant now (which decides whether a term has ended). It fails with
// [ErrNoOrganisation] or [ErrUnknownCircle].
func FeedbackPath(org *circle.Organisation, from, to circle.CircleID, now time.Time) (*Path, error) {
	const op = "feedback path"
	if org == nil {
		return nil, fail(op, ErrNoOrganisation, "no organisation")
	}
	now = circle.Normalize(now)
	for _, id := range []circle.CircleID{from, to} {
		if _, ok := org.Circle(id); !ok {
			return nil, fail(op, ErrUnknownCircle, "no circle %s", id)
		}
	}
	ids, ok := org.PathBetween(from, to)
	if !ok {
		return nil, fail(op, ErrUnknownCircle, "no path from %s to %s", from, to)
	}
	p := &Path{From: from, To: to, At: now, Circles: ids, Hops: make([]Hop, 0, len(ids)-1)}
	p.Via = from
	for i := 0; i+1 < len(ids); i++ {
		a, _ := org.Circle(ids[i])
		b, _ := org.Circle(ids[i+1])
		h := Hop{From: a.ID(), FromName: a.Name(), To: b.ID(), ToName: b.Name()}
		child, parent := a, b
		if pid, ok := a.Parent(); ok && pid == b.ID() {
			h.Direction = Up
		} else {
			h.Direction = Down
			child, parent = b, a
		}
		h.Leader = link(org, child, parent, circle.Leader, now)
		h.Delegate = link(org, child, parent, circle.Delegate, now)
		p.Hops = append(p.Hops, h)
	}
	// Via is the circle where the path stops climbing.
	for i, h := range p.Hops {
		if h.Direction == Up {
			p.Via = p.Circles[i+1]
		}
	}
	return p, nil
}

func link(org *circle.Organisation, child, parent *circle.Circle, r circle.Role, now time.Time) Link {
	f := factsOf(child, parent, r, now)
	l := Link{Role: r, State: f.state()}
	if f.held {
		l.Person, l.Label = f.a.Holder, label(org, f.a.Holder)
	}
	return l
}

// Links returns the two links of circle c (below the top) to its parent at
// instant now, leader first.
func Links(org *circle.Organisation, c circle.CircleID, now time.Time) ([2]Link, error) {
	const op = "links"
	if org == nil {
		return [2]Link{}, fail(op, ErrNoOrganisation, "no organisation")
	}
	child, ok := org.Circle(c)
	if !ok {
		return [2]Link{}, fail(op, ErrUnknownCircle, "no circle %s", c)
	}
	pid, ok := child.Parent()
	if !ok {
		return [2]Link{}, fail(op, ErrTopCircle, "circle %q is the top circle and has no parent to link to", child.Name())
	}
	parent, _ := org.Circle(pid)
	now = circle.Normalize(now)
	return [2]Link{link(org, child, parent, circle.Leader, now), link(org, child, parent, circle.Delegate, now)}, nil
}
