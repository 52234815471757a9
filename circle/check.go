package circle

import (
	"errors"
	"slices"
	"strings"
)

// Check reports every broken invariant of the organisation at once, joined
// with [errors.Join]; each is an [*Error] matching a sentinel such as
// [ErrCycle], [ErrDomainOverlap] or [ErrNotMember]. It returns nil when all
// hold. Acts never break an invariant; Check exists for organisations built
// from documents or stored state, and for tests.
func (o *Organisation) Check() error {
	var errs []error
	add := func(sentinel error, format string, args ...any) {
		errs = append(errs, refuse("check", sentinel, format, args...))
	}
	if o.zone == nil {
		add(ErrInvalidZone, "organisation has no time zone")
	}
	if err := checkText("check", "organisation name", o.name, 1, 200, false); err != nil {
		errs = append(errs, err)
	}

	// People.
	for id, p := range o.people {
		if err := checkText("check", "label", p.label, 1, 200, false); err != nil {
			add(ErrInvalidText, "person %s: %s", id, detail(err))
		}
		if !p.class.Valid() {
			add(ErrInvalidClass, "person %s has class %q", id, clip(string(p.class)))
		}
		if len(p.actsFor) > 0 && p.class != Advocate {
			add(ErrInvalidAdvocacy, "person %s acts for others but is %s, not an advocate", id, p.class)
		}
		for _, s := range p.actsFor {
			if sp, ok := o.people[s]; !ok {
				add(ErrUnknownPerson, "advocate %s acts for unknown person %s", id, s)
			} else if sp.class != SupportedPerson || s == id {
				add(ErrInvalidAdvocacy, "advocate %s acts for %s, who is not a supported person", id, s)
			}
		}
	}

	// The tree: exactly one top, known parents, no cycles.
	var tops []CircleID
	for id, c := range o.circles {
		if c.parent.IsZero() {
			tops = append(tops, id)
			continue
		}
		if _, ok := o.circles[c.parent]; !ok {
			add(ErrUnknownCircle, "circle %s has unknown parent %s", id, c.parent)
		}
	}
	slices.SortFunc(tops, CircleID.Compare)
	switch {
	case len(tops) == 0:
		add(ErrTopCircle, "no top circle")
	case len(tops) > 1:
		add(ErrTopCircle, "%d top circles (%v); there must be exactly one", len(tops), tops)
	case tops[0] != o.top:
		add(ErrTopCircle, "top circle is %s, recorded as %s", tops[0], o.top)
	}
	for id, c := range o.circles {
		if o.inCycle(id) {
			add(ErrCycle, "circle %s is its own ancestor", id)
		}
		// Kinds, members, roles, domains.
		errs = append(errs, o.checkCircle(c)...)
	}
	// Maps iterate in random order; the report does not.
	slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
	return errors.Join(errs...)
}

// inCycle reports whether following parents from id returns to id.
func (o *Organisation) inCycle(id CircleID) bool {
	cur := o.circles[id]
	for steps := 0; cur != nil && !cur.parent.IsZero() && steps <= len(o.circles); steps++ {
		if cur.parent == id {
			return true
		}
		cur = o.circles[cur.parent]
	}
	return false
}

func (o *Organisation) checkCircle(c *Circle) []error {
	var errs []error
	add := func(sentinel error, format string, args ...any) {
		errs = append(errs, refuse("check", sentinel, format, args...))
	}
	where := circleRef{c.id}
	if err := checkText("check", "circle name", c.name, 1, 200, false); err != nil {
		add(ErrInvalidText, "%s: %s", where, detail(err))
	}
	if err := checkText("check", "aim", c.aim, 0, 4000, true); err != nil {
		add(ErrInvalidText, "%s: %s", where, detail(err))
	}
	switch {
	case !c.kind.Valid():
		add(ErrInvalidKind, "%s has kind %d", where, uint8(c.kind))
	case c.IsTop() && c.kind != KindMission && c.kind != KindGeneral:
		add(ErrInvalidKind, "top %s is a %s circle, not a mission or general circle", where, c.kind)
	case !c.IsTop() && c.kind == KindMission:
		add(ErrInvalidKind, "%s is a mission circle below the top", where)
	case !c.ends.IsZero() && c.kind != KindHelping:
		add(ErrInvalidKind, "%s has an end date but is not a helping circle", where)
	}
	for p := range c.members {
		if _, ok := o.people[p]; !ok {
			add(ErrUnknownPerson, "%s has unknown member %s", where, p)
		}
	}
	for _, a := range c.roles {
		if err := a.Role.validate("check"); err != nil {
			errs = append(errs, err)
		}
		if !c.IsMember(a.Holder) {
			add(ErrNotMember, "%s: %s holder %s is not a member", where, a.Role, a.Holder)
		}
		if a.Circle != c.id {
			add(ErrInvalidRole, "%s: %s assignment names circle %s", where, a.Role, a.Circle)
		}
		if err := checkTerm("check", a.Term); err != nil {
			errs = append(errs, refuse("check", ErrInvalidTerm, "%s: %s term: %s", where, a.Role, detail(err)))
		}
	}
	if l, ok := c.roles[Leader]; ok {
		if d, ok := c.roles[Delegate]; ok && l.Holder == d.Holder {
			add(ErrLeaderIsDelegate, "%s: %s is both leader and delegate", where, l.Holder)
		}
	}
	for i, k := range c.domain {
		if !k.Valid() {
			add(ErrInvalidDomainKey, "%s holds malformed key %q", where, clip(string(k)))
			continue
		}
		for _, other := range c.domain[:i] {
			if other.Overlaps(k) {
				add(ErrDomainKeyCollision, "%s holds overlapping keys %q and %q", where, other, k)
			}
		}
	}
	if parent, ok := o.circles[c.parent]; ok && !c.IsTop() {
		for _, k := range c.domain {
			if !containedIn(parent.domain, k) {
				add(ErrDomainOutside, "%s holds %q, which its parent %s does not hold", where, k, parent.id)
			}
		}
		for _, s := range parent.children {
			if s.id.Compare(c.id) <= 0 {
				continue // each pair once
			}
			for _, k := range c.domain {
				for _, sk := range s.domain {
					if k.Overlaps(sk) {
						add(ErrDomainOverlap, "sibling circles %s and %s hold overlapping keys %q and %q", c.id, s.id, k, sk)
					}
				}
			}
		}
		if !slices.Contains(parent.children, c) {
			add(ErrInvariant, "%s is missing from its parent's children", where)
		}
	}
	return errs
}

// circleRef formats as "circle <id>" only when an error is reported.
type circleRef struct{ id CircleID }

func (r circleRef) String() string { return "circle " + r.id.String() }
