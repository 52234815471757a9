package linking

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/coproduce/sociocracy/circle"
)

// Candidate is a person who may fill a link role of a circle under the
// rules (docs/method.md, "Roles" and "Selection"), with what stands between
// them and a working link. It is plain data that marshals to JSON.
//
// Candidates are who the rules allow, not a recommendation: choosing among
// them is the circle's selection process (package election).
type Candidate struct {
	Person circle.PersonID         `json:"person"`
	Label  string                  `json:"label"`
	Class  circle.StakeholderClass `json:"class"`
	// MemberOfCircle and MemberOfParent say where the person already belongs.
	MemberOfCircle bool `json:"memberOfCircle"`
	MemberOfParent bool `json:"memberOfParent"`
	// Incumbent reports that the person holds the role now (perhaps with an
	// ended term, or without being a member of the parent).
	Incumbent bool `json:"incumbent,omitempty"`
	// MustJoin lists the circles the person must join, by that circle's
	// consent, before the link works: the circle first, then the parent.
	MustJoin []circle.CircleID `json:"mustJoin"`
	// OtherLinks counts the leader and delegate roles the person holds in
	// other circles now, so a circle can spread the load.
	OtherLinks int `json:"otherLinks"`
	// Note says the candidate's situation in plain words.
	Note string `json:"note"`
}

// Ready reports whether the person is already a member of both circles.
func (c Candidate) Ready() bool { return len(c.MustJoin) == 0 }

// Candidates lists who may fill link role r (circle.Leader or
// circle.Delegate) of circle c, a circle below the top, at instant now:
//   - a delegate is chosen by the circle from its own members, and may not
//     be its leader;
//   - a leader is chosen by the parent circle, from the members of either
//     circle, and may not be its delegate; a leader from the parent must
//     then join the circle, with its consent.
//
// The order is deterministic: people who are members of both circles first,
// then those who must join one circle, then by fewer other links (to spread
// the load), then by person ID. The incumbent is listed like anyone else,
// marked [Candidate.Incumbent].
func Candidates(org *circle.Organisation, c circle.CircleID, r circle.Role, now time.Time) ([]Candidate, error) {
	const op = "candidates"
	if org == nil {
		return nil, fail(op, ErrNoOrganisation, "no organisation")
	}
	if !r.IsLink() {
		return nil, fail(op, ErrNotALink, "%s is not a link role: want leader or delegate", r)
	}
	child, ok := org.Circle(c)
	if !ok {
		return nil, fail(op, ErrUnknownCircle, "no circle %s", c)
	}
	pid, ok := child.Parent()
	if !ok {
		return nil, fail(op, ErrTopCircle, "circle %q is the top circle: it has no parent to link to", child.Name())
	}
	parent, _ := org.Circle(pid)
	now = circle.Normalize(now)

	other := circle.Delegate
	if r == circle.Delegate {
		other = circle.Leader
	}
	excluded, hasOther := child.Holder(other)
	incumbent, hasInc := child.Holder(r)

	pool := child.Members()
	if r == circle.Leader {
		pool = append(pool, parent.Members()...)
		slices.SortFunc(pool, circle.PersonID.Compare)
		pool = slices.Compact(pool)
	}
	out := make([]Candidate, 0, len(pool))
	for _, p := range pool {
		if hasOther && excluded.Holder == p {
			continue
		}
		person, ok := org.Person(p)
		if !ok {
			continue
		}
		cd := Candidate{
			Person: p, Label: person.Label(), Class: person.Class(),
			MemberOfCircle: child.IsMember(p), MemberOfParent: parent.IsMember(p),
			Incumbent: hasInc && incumbent.Holder == p,
			MustJoin:  []circle.CircleID{},
		}
		if !cd.MemberOfCircle {
			cd.MustJoin = append(cd.MustJoin, c)
		}
		if !cd.MemberOfParent {
			cd.MustJoin = append(cd.MustJoin, pid)
		}
		for _, a := range org.RolesOf(p) {
			if a.Role.IsLink() && a.Circle != c && !a.Term.Ended(now) {
				cd.OtherLinks++
			}
		}
		cd.Note = note(cd, r, child.Name(), parent.Name(), incumbent, now)
		out = append(out, cd)
	}
	slices.SortFunc(out, func(a, b Candidate) int {
		return cmp.Or(
			cmp.Compare(len(a.MustJoin), len(b.MustJoin)),
			cmp.Compare(a.OtherLinks, b.OtherLinks),
			a.Person.Compare(b.Person),
		)
	})
	return out, nil
}

func note(cd Candidate, r circle.Role, child, parent string, inc circle.Assignment, now time.Time) string {
	var s string
	switch {
	case cd.MemberOfCircle && cd.MemberOfParent:
		s = fmt.Sprintf("Already a member of %q and of %q.", child, parent)
	case cd.MemberOfCircle:
		s = fmt.Sprintf("A member of %q; must join the parent circle %q.", child, parent)
	default:
		s = fmt.Sprintf("A member of the parent circle %q; must join %q, with its consent.", parent, child)
	}
	if cd.Incumbent {
		if inc.Term.Ended(now) {
			s += fmt.Sprintf(" The current %s, whose term has ended.", r)
		} else {
			s += fmt.Sprintf(" The current %s.", r)
		}
	}
	if cd.OtherLinks > 0 {
		s += fmt.Sprintf(" Already links %s.", plural(cd.OtherLinks, "other circle", "other circles"))
	}
	return s
}
