package circle

import (
	"iter"
	"slices"
	"time"

	"github.com/coproduce/sociocracy/internal/kernel"
	"github.com/coproduce/sociocracy/internal/outbox"
)

// Organisation is the aggregate: one tenant, its people and its circles
// (docs/method.md, "Organisation and circles").
//
// An Organisation is created by [Found], by [Replay] of its events or by
// [Import] of a document, and changed only by its acts, each of which either
// returns a typed error and changes nothing or returns the events it applied.
// Acts touch only what they change: their cost depends on the depth of the
// circle tree and the size of the circles involved, never on the size of the
// organisation.
//
// The zero Organisation is not usable. An Organisation is not safe for
// concurrent use; concurrent reads without writes are safe.
type Organisation struct {
	id       OrgID
	name     string
	zone     *time.Location
	top      CircleID
	version  uint64
	last     time.Time // the time of the latest event; acts dated before it are refused
	people   map[PersonID]*Person
	circles  map[CircleID]*Circle
	personOf map[PersonID]map[CircleID]struct{} // circles of each person
	mandates map[MandateID]Mandate              // advocates and proxies; nil until the first
	heldBy   map[PersonID][]MandateID           // the mandates each holder holds, in the order granted
	out      outbox.Box[Event]                  // what acts yielded, for Take
}

// Person is someone in the organisation (docs/method.md, "Person"). The
// aggregate keeps only an opaque ID, a display label the host chooses and the
// stakeholder class; names and contact details belong in an erasable profile
// outside it. A *Person returned by a query is read-only and valid until the
// next act.
type Person struct {
	id      PersonID
	label   string
	class   StakeholderClass
	actsFor []PersonID // sorted; only for advocates
}

// ID returns the person's ID.
func (p *Person) ID() PersonID { return p.id }

// Label returns the display label the host chose.
func (p *Person) Label() string { return p.label }

// Class returns the person's stakeholder class.
func (p *Person) Class() StakeholderClass { return p.class }

// ActsFor returns, for an advocate, the supported people they act for, in ID order.
func (p *Person) ActsFor() []PersonID { return slices.Clone(p.actsFor) }

// Circle is a semi-autonomous group with an aim, a domain and a defined
// membership. A *Circle returned by a query is read-only and valid until the
// next act.
type Circle struct {
	id      CircleID
	name    string
	kind    Kind
	aim     string
	parent  CircleID // zero for the top circle
	ends    time.Time
	domain  []DomainKey // sorted, no two overlapping
	members map[PersonID]time.Time
	classes map[PersonID]Participation // members who are not full; nil when none
	roles   map[Role]Assignment
	// link holds the leader (0) and delegate (1) entries of roles as well,
	// so that linking checks, which ask for them for every circle, need no
	// map lookup; held says which are filled. setRole and endRole keep the
	// two in step.
	link     [2]Assignment
	held     [2]bool
	children []*Circle // sorted by ID
}

// linkIndex returns the index in Circle.link of a link role.
func linkIndex(r Role) (int, bool) {
	switch {
	case r.Name != "":
		return 0, false
	case r.Kind == RoleLeader:
		return 0, true
	case r.Kind == RoleDelegate:
		return 1, true
	}
	return 0, false
}

// setRole records assignment a.
func (c *Circle) setRole(a Assignment) {
	c.roles[a.Role] = a
	if i, ok := linkIndex(a.Role); ok {
		c.link[i], c.held[i] = a, true
	}
}

// endRole removes the assignment of role r.
func (c *Circle) endRole(r Role) {
	delete(c.roles, r)
	if i, ok := linkIndex(r); ok {
		c.link[i], c.held[i] = Assignment{}, false
	}
}

// Assignment is a role held by a person for a term.
type Assignment struct {
	Circle CircleID `json:"circle"`
	Role   Role     `json:"role"`
	Holder PersonID `json:"holder"`
	Term   Term     `json:"term"`
}

// Term is the half-open interval [Start, End) for which a role is held.
// End must be after Start. A term end is a review date.
type Term struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Contains reports whether t lies in [Start, End).
func (t Term) Contains(at time.Time) bool { return !at.Before(t.Start) && at.Before(t.End) }

// Ended reports whether the term is over at t.
func (t Term) Ended(at time.Time) bool { return !at.Before(t.End) }

// ID returns the circle's ID.
func (c *Circle) ID() CircleID { return c.id }

// Name returns the circle's name.
func (c *Circle) Name() string { return c.name }

// Kind returns the circle's kind.
func (c *Circle) Kind() Kind { return c.kind }

// Aim returns what the circle is for.
func (c *Circle) Aim() string { return c.aim }

// Parent returns the parent circle, and false for the top circle.
func (c *Circle) Parent() (CircleID, bool) { return c.parent, !c.parent.IsZero() }

// IsTop reports whether c is the organisation's top circle.
func (c *Circle) IsTop() bool { return c.parent.IsZero() }

// Ends returns the end date of a helping circle; zero when it has none.
func (c *Circle) Ends() time.Time { return c.ends }

// Domain returns the domain keys the circle holds, sorted.
func (c *Circle) Domain() []DomainKey { return slices.Clone(c.domain) }

// Children returns the child circles in ID order.
func (c *Circle) Children() []CircleID {
	out := make([]CircleID, len(c.children))
	for i, ch := range c.children {
		out[i] = ch.id
	}
	return out
}

// ChildCount returns the number of child circles.
func (c *Circle) ChildCount() int { return len(c.children) }

// MembersUnordered yields the members in no particular order, without
// allocating: for hot loops where [Circle.Members]' sorted copy costs too much.
func (c *Circle) MembersUnordered() iter.Seq[PersonID] {
	return func(yield func(PersonID) bool) {
		for p := range c.members {
			if !yield(p) {
				return
			}
		}
	}
}

// IsMember reports whether p is a member of the circle.
func (c *Circle) IsMember(p PersonID) bool { _, ok := c.members[p]; return ok }

// MemberSince returns when p joined the circle.
func (c *Circle) MemberSince(p PersonID) (time.Time, bool) { t, ok := c.members[p]; return t, ok }

// MemberCount returns the number of members.
func (c *Circle) MemberCount() int { return len(c.members) }

// Members returns the members in ID order.
func (c *Circle) Members() []PersonID { return sortedKeys(c.members) }

// Holder returns the current assignment of role r, if it is filled.
func (c *Circle) Holder(r Role) (Assignment, bool) {
	if i, ok := linkIndex(r); ok {
		return c.link[i], c.held[i]
	}
	a, ok := c.roles[r]
	return a, ok
}

// Roles returns the filled roles, ordered by role kind then name.
func (c *Circle) Roles() []Assignment {
	out := make([]Assignment, 0, len(c.roles))
	for _, a := range c.roles {
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b Assignment) int { return compareRoles(a.Role, b.Role) })
	return out
}

func compareRoles(a, b Role) int {
	if a.Kind != b.Kind {
		return int(a.Kind) - int(b.Kind)
	}
	switch {
	case a.Name < b.Name:
		return -1
	case a.Name > b.Name:
		return 1
	}
	return 0
}

// ID returns the organisation's ID.
func (o *Organisation) ID() OrgID { return o.id }

// Name returns the organisation's name.
func (o *Organisation) Name() string { return o.name }

// Zone returns the organisation's IANA time zone; local dates (review dates,
// term ends) are reckoned in it.
func (o *Organisation) Zone() *time.Location { return o.zone }

// Version returns the number of events applied since founding (1 after
// [Found]). Stores use it as the stream version.
func (o *Organisation) Version() uint64 { return o.version }

// Top returns the top circle's ID.
func (o *Organisation) Top() CircleID { return o.top }

// Person returns the person with the given ID.
func (o *Organisation) Person(id PersonID) (*Person, bool) { p, ok := o.people[id]; return p, ok }

// People returns every person's ID in ID order.
func (o *Organisation) People() []PersonID { return sortedKeys(o.people) }

// Circle returns the circle with the given ID.
func (o *Organisation) Circle(id CircleID) (*Circle, bool) { c, ok := o.circles[id]; return c, ok }

// CircleCount returns the number of circles.
func (o *Organisation) CircleCount() int { return len(o.circles) }

// Circles returns every circle's ID in depth-first order from the top,
// children in ID order: parents always come before their children.
func (o *Organisation) Circles() []CircleID {
	out := make([]CircleID, 0, len(o.circles))
	for c := range o.All() {
		out = append(out, c.id)
	}
	return out
}

// All yields every circle in the order of [Organisation.Circles]: depth
// first from the top, parents before children, children in ID order. It
// follows the tree directly, so walking a large organisation costs no map
// lookups. The organisation must not change during the walk.
func (o *Organisation) All() iter.Seq[*Circle] {
	return func(yield func(*Circle) bool) {
		top, ok := o.circles[o.top]
		if !ok {
			return
		}
		stack := []*Circle{top}
		for len(stack) > 0 {
			c := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if !yield(c) {
				return
			}
			for i := len(c.children) - 1; i >= 0; i-- {
				stack = append(stack, c.children[i])
			}
		}
	}
}

// Ancestors returns the circles above c, nearest first, ending with the top
// circle. It returns nil for the top circle and for an unknown circle.
func (o *Organisation) Ancestors(c CircleID) []CircleID {
	var out []CircleID
	cur, ok := o.circles[c]
	for ok && !cur.parent.IsZero() {
		out = append(out, cur.parent)
		cur, ok = o.circles[cur.parent]
	}
	return out
}

// Depth returns the number of ancestors of c (0 for the top circle).
func (o *Organisation) Depth(c CircleID) int { return len(o.Ancestors(c)) }

// PathBetween returns the circles from a to b through their lowest common
// ancestor, both ends included. It returns false if either circle is unknown.
func (o *Organisation) PathBetween(a, b CircleID) ([]CircleID, bool) {
	if _, ok := o.circles[a]; !ok {
		return nil, false
	}
	if _, ok := o.circles[b]; !ok {
		return nil, false
	}
	up := append([]CircleID{a}, o.Ancestors(a)...)
	down := append([]CircleID{b}, o.Ancestors(b)...)
	// Strip the common tail (shared ancestors) but keep the lowest one.
	i, j := len(up)-1, len(down)-1
	for i > 0 && j > 0 && up[i-1] == down[j-1] {
		i--
		j--
	}
	path := slices.Clone(up[:i+1])
	for k := j - 1; k >= 0; k-- {
		path = append(path, down[k])
	}
	return path, true
}

// CirclesOf returns the circles p is a member of, in ID order.
func (o *Organisation) CirclesOf(p PersonID) []CircleID { return sortedKeys(o.personOf[p]) }

// RolesOf returns every role p holds, ordered by circle then role.
func (o *Organisation) RolesOf(p PersonID) []Assignment {
	var out []Assignment
	for _, c := range o.CirclesOf(p) {
		for _, a := range o.circles[c].Roles() {
			if a.Holder == p {
				out = append(out, a)
			}
		}
	}
	return out
}

// DomainHolder returns the circle with authority over key k: the deepest
// circle holding a key that contains k. It returns false when no circle's
// domain contains k.
func (o *Organisation) DomainHolder(k DomainKey) (CircleID, bool) {
	cur := o.circles[o.top]
	if !containedIn(cur.domain, k) {
		return CircleID{}, false
	}
	for {
		next := (*Circle)(nil)
		for _, c := range cur.children {
			if containedIn(c.domain, k) {
				next = c
				break // siblings never overlap, so at most one child matches
			}
		}
		if next == nil {
			return cur.id, true
		}
		cur = next
	}
}

func sortedKeys[K interface {
	comparable
	Compare(K) int
}, V any](m map[K]V) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.SortFunc(out, K.Compare)
	return out
}

// checkText applies the library's one text rule (kernel.CheckText): not
// blank when required, a length in bytes within [minLen, maxLen], valid
// UTF-8, no control characters (newline and tab only in multiline text).
func checkText(act, what, s string, minLen, maxLen int, multiline bool) error {
	if p, msg := kernel.CheckText(kernel.Text{What: what, Min: minLen, Max: maxLen, Multiline: multiline}, s); p != kernel.TextOK {
		return refuse(act, ErrInvalidText, "%s", msg)
	}
	return nil
}

// Take returns the events that acts on this organisation have yielded since the
// previous call of Take, and clears them. Recording starts at the first
// call, so a organisation nobody asks keeps nothing; events applied by [Replay] or
// Apply are never recorded. A store calls Take before it hands the organisation to a
// host's function and again after it, so that it appends exactly what the
// function's acts did and nothing else.
func (o *Organisation) Take() []Event { return o.out.Take() }
