package circle

import (
	"github.com/coproduce/sociocracy/internal/kernel"
	"slices"
	"time"

	"github.com/google/uuid"
)

// Header is carried by every event: which organisation, who acted, when.
type Header struct {
	Org   OrgID     `json:"org"`
	Actor PersonID  `json:"actor"`
	At    time.Time `json:"at"` // UTC, microsecond precision
}

// EventHeader returns the header; it makes every event type an [Event].
func (h Header) EventHeader() Header { return h }

// Event is what an act yields and what the logbook keeps. Events are plain
// data; applying them in order to an empty organisation ([Replay]) rebuilds
// exactly the organisation that produced them.
type Event interface {
	// EventType is the stable name stored with the event ("circle.member_added").
	EventType() string
	EventHeader() Header
	apply(o *Organisation) error
}

// Founded starts an organisation with its top circle and the founding person,
// who is the top circle's first member.
type Founded struct {
	Header
	Name         string           `json:"name"`
	Zone         string           `json:"zone"`
	Founder      PersonID         `json:"founder"`
	FounderLabel string           `json:"founderLabel"`
	FounderClass StakeholderClass `json:"founderClass"`
	Top          CircleID         `json:"top"`
	TopName      string           `json:"topName"`
	TopKind      Kind             `json:"topKind"`
	TopAim       string           `json:"topAim"`
	Domain       []DomainKey      `json:"domain"`
}

// Imported starts an organisation from a whole [Document] (see [Seed]).
type Imported struct {
	Header
	Document Document `json:"document"`
}

// PersonAdded records a new person.
type PersonAdded struct {
	Header
	Person PersonRecord `json:"person"`
}

// PersonUpdated records a changed label, class or advocacy.
type PersonUpdated struct {
	Header
	Person PersonRecord `json:"person"`
}

// PersonRecord is a person as events and documents carry them.
type PersonRecord struct {
	ID      PersonID         `json:"id"`
	Label   string           `json:"label"`
	Class   StakeholderClass `json:"class"`
	ActsFor []PersonID       `json:"actsFor,omitempty"`
}

// CircleAdded records a new circle under a parent.
type CircleAdded struct {
	Header
	Circle CircleID  `json:"circle"`
	Parent CircleID  `json:"parent"`
	Name   string    `json:"name"`
	Kind   Kind      `json:"kind"`
	Aim    string    `json:"aim"`
	Ends   time.Time `json:"ends,omitzero"`
}

// AimChanged records a circle's new aim.
type AimChanged struct {
	Header
	Circle CircleID `json:"circle"`
	Aim    string   `json:"aim"`
}

// CircleMoved records a circle placed under another parent.
type CircleMoved struct {
	Header
	Circle CircleID `json:"circle"`
	From   CircleID `json:"from"`
	To     CircleID `json:"to"`
}

// CircleDissolved records the end of a circle (its roles ended first, by
// their own events).
type CircleDissolved struct {
	Header
	Circle CircleID `json:"circle"`
}

// DomainDelegated records a domain key given to a circle.
type DomainDelegated struct {
	Header
	Circle CircleID  `json:"circle"`
	Key    DomainKey `json:"key"`
}

// DomainRevoked records a domain key taken back from a circle. Revoking a
// key from a circle yields one event for it and one for every circle below
// that held a key inside it, deepest first.
type DomainRevoked struct {
	Header
	Circle CircleID  `json:"circle"`
	Key    DomainKey `json:"key"`
}

// MemberAdded records a person joining a circle.
type MemberAdded struct {
	Header
	Circle CircleID `json:"circle"`
	Person PersonID `json:"person"`
	// Decision, when set, is the consent process (a consent.ProcessID)
	// whose adoption admitted the member ([Organisation.AdmitByDecision]).
	Decision uuid.UUID `json:"decision,omitzero"`
}

// MemberRemoved records a person leaving a circle; the roles they held there
// end first, by their own events.
type MemberRemoved struct {
	Header
	Circle CircleID `json:"circle"`
	Person PersonID `json:"person"`
	// Decision, when set, is the consent process whose adoption removed
	// the member ([Organisation.RemoveByDecision]).
	Decision uuid.UUID `json:"decision,omitzero"`
}

// RoleAssigned records a role filled for a term.
type RoleAssigned struct {
	Header
	Assignment Assignment `json:"assignment"`
}

// RoleEnded records a role assignment that ended before, at or after its
// term end. Reason is one of the EndReason constants.
type RoleEnded struct {
	Header
	Assignment Assignment `json:"assignment"`
	Reason     string     `json:"reason"`
}

// Reasons a role ends, as [RoleEnded.Reason] records them.
const (
	EndReasonEnded     = "ended"     // ended by an act
	EndReasonReplaced  = "replaced"  // a new holder was assigned
	EndReasonLeft      = "left"      // the holder left the circle
	EndReasonDissolved = "dissolved" // the circle was dissolved
)

func (Founded) EventType() string         { return "circle.founded" }
func (Imported) EventType() string        { return "circle.imported" }
func (PersonAdded) EventType() string     { return "circle.person_added" }
func (PersonUpdated) EventType() string   { return "circle.person_updated" }
func (CircleAdded) EventType() string     { return "circle.circle_added" }
func (AimChanged) EventType() string      { return "circle.aim_changed" }
func (CircleMoved) EventType() string     { return "circle.circle_moved" }
func (CircleDissolved) EventType() string { return "circle.circle_dissolved" }
func (DomainDelegated) EventType() string { return "circle.domain_delegated" }
func (DomainRevoked) EventType() string   { return "circle.domain_revoked" }
func (MemberAdded) EventType() string     { return "circle.member_added" }
func (MemberRemoved) EventType() string   { return "circle.member_removed" }
func (RoleAssigned) EventType() string    { return "circle.role_assigned" }
func (RoleEnded) EventType() string       { return "circle.role_ended" }

// Replay rebuilds an organisation from its events, the first of which must be
// [Founded]. Events are checked as they are applied; an inconsistent stream
// (a member added to an unknown circle, say) is refused with [ErrInvalidEvent]
// naming the event's position.
func Replay(events []Event) (*Organisation, error) { return replayer.Run(events) }

var replayer = kernel.Replay[*Organisation, Event]{
	Opening: "circle.founded or circle.imported",
	Opens: func(e Event) bool {
		switch e.(type) {
		case Founded, Imported:
			return true
		}
		return false
	},
	NotOpened: func(d string) error { return refuse("replay", ErrNotFounded, "%s", d) },
	Invalid:   func(i int, err error) error { return refuse("replay", ErrInvalidEvent, "event %d: %v", i, err) },
	Open:      func(e Event) (*Organisation, error) { o := &Organisation{}; return o, e.apply(o) },
	Apply:     (*Organisation).Apply,
}

// Apply applies one event that a store read back, after those already
// applied. It refuses an event of another organisation and one that does not
// fit the current state; on error nothing changed.
func (o *Organisation) Apply(e Event) error {
	switch e.(type) {
	case Founded, Imported:
		return refuse("apply", ErrInvalidEvent, "organisation %s is already founded", o.id)
	}
	if e.EventHeader().Org != o.id {
		return refuse("apply", ErrWrongOrganisation, "event of organisation %s applied to %s", e.EventHeader().Org, o.id)
	}
	if err := o.checkTime("apply "+e.EventType(), e.EventHeader().At); err != nil {
		return err
	}
	if err := e.apply(o); err != nil {
		return err
	}
	o.last = later(o.last, e.EventHeader().At)
	return nil
}

func bad(format string, args ...any) error { return refuse("apply", ErrInvalidEvent, format, args...) }

func (e Founded) apply(o *Organisation) error {
	if o.version != 0 {
		return bad("organisation already founded")
	}
	loc, err := loadZone("apply", e.Zone)
	if err != nil {
		return err
	}
	*o = Organisation{
		id: e.Org, name: e.Name, zone: loc, top: e.Top, version: 1, last: Normalize(e.At),
		people:   map[PersonID]*Person{e.Founder: {id: e.Founder, label: e.FounderLabel, class: e.FounderClass}},
		circles:  map[CircleID]*Circle{},
		personOf: map[PersonID]map[CircleID]struct{}{},
	}
	o.circles[e.Top] = &Circle{
		id: e.Top, name: e.TopName, kind: e.TopKind, aim: e.TopAim,
		domain: sortedUnique(e.Domain), members: map[PersonID]time.Time{}, roles: map[Role]Assignment{},
	}
	o.join(o.circles[e.Top], e.Founder, e.At)
	return nil
}

func (e Imported) apply(o *Organisation) error {
	if o.version != 0 {
		return bad("organisation already founded")
	}
	imported, err := fromDocument(e.Document)
	if err != nil {
		return err
	}
	if imported.id != e.Org {
		return bad("document of organisation %s in an event of %s", imported.id, e.Org)
	}
	*o = *imported
	o.version, o.last = 1, Normalize(e.At)
	return nil
}

func (e PersonAdded) apply(o *Organisation) error {
	if _, ok := o.people[e.Person.ID]; ok {
		return bad("person %s already exists", e.Person.ID)
	}
	o.people[e.Person.ID] = e.Person.person()
	o.version++
	return nil
}

func (e PersonUpdated) apply(o *Organisation) error {
	if _, ok := o.people[e.Person.ID]; !ok {
		return bad("unknown person %s", e.Person.ID)
	}
	o.people[e.Person.ID] = e.Person.person()
	o.version++
	return nil
}

func (r PersonRecord) person() *Person {
	return &Person{id: r.ID, label: r.Label, class: r.Class, actsFor: sortedIDs(r.ActsFor)}
}

func (e CircleAdded) apply(o *Organisation) error {
	parent, ok := o.circles[e.Parent]
	if !ok {
		return bad("unknown parent circle %s", e.Parent)
	}
	if _, dup := o.circles[e.Circle]; dup {
		return bad("circle %s already exists", e.Circle)
	}
	o.circles[e.Circle] = &Circle{
		id: e.Circle, name: e.Name, kind: e.Kind, aim: e.Aim, parent: e.Parent, ends: e.Ends,
		members: map[PersonID]time.Time{}, roles: map[Role]Assignment{},
	}
	parent.children = insertChild(parent.children, o.circles[e.Circle])
	o.version++
	return nil
}

func (e AimChanged) apply(o *Organisation) error {
	c, ok := o.circles[e.Circle]
	if !ok {
		return bad("unknown circle %s", e.Circle)
	}
	c.aim = e.Aim
	o.version++
	return nil
}

func (e CircleMoved) apply(o *Organisation) error {
	c, ok := o.circles[e.Circle]
	from, ok2 := o.circles[e.From]
	to, ok3 := o.circles[e.To]
	if !ok || !ok2 || !ok3 || c.parent != e.From {
		return bad("circle %s cannot move from %s to %s", e.Circle, e.From, e.To)
	}
	from.children = removeChild(from.children, c)
	to.children = insertChild(to.children, c)
	c.parent = e.To
	o.version++
	return nil
}

func (e CircleDissolved) apply(o *Organisation) error {
	c, ok := o.circles[e.Circle]
	if !ok || c.IsTop() || len(c.children) > 0 || len(c.roles) > 0 {
		return bad("circle %s cannot be dissolved", e.Circle)
	}
	for p := range c.members {
		o.leave(c.id, p)
	}
	parent := o.circles[c.parent]
	parent.children = removeChild(parent.children, c)
	delete(o.circles, c.id)
	o.version++
	return nil
}

func (e DomainDelegated) apply(o *Organisation) error {
	c, ok := o.circles[e.Circle]
	if !ok {
		return bad("unknown circle %s", e.Circle)
	}
	c.domain = sortedUnique(append(c.domain, e.Key))
	o.version++
	return nil
}

func (e DomainRevoked) apply(o *Organisation) error {
	c, ok := o.circles[e.Circle]
	if !ok {
		return bad("unknown circle %s", e.Circle)
	}
	i := slices.Index(c.domain, e.Key)
	if i < 0 {
		return bad("circle %s does not hold %q", e.Circle, e.Key)
	}
	c.domain = slices.Delete(c.domain, i, i+1)
	o.version++
	return nil
}

func (e MemberAdded) apply(o *Organisation) error {
	c, ok := o.circles[e.Circle]
	if _, known := o.people[e.Person]; !ok || !known || c.IsMember(e.Person) {
		return bad("person %s cannot join circle %s", e.Person, e.Circle)
	}
	o.join(c, e.Person, e.At)
	o.version++
	return nil
}

func (e MemberRemoved) apply(o *Organisation) error {
	c, ok := o.circles[e.Circle]
	if !ok || !c.IsMember(e.Person) {
		return bad("person %s is not a member of circle %s", e.Person, e.Circle)
	}
	for _, a := range c.roles {
		if a.Holder == e.Person {
			return bad("person %s still holds %s in circle %s", e.Person, a.Role, e.Circle)
		}
	}
	o.leave(e.Circle, e.Person)
	o.version++
	return nil
}

func (e RoleAssigned) apply(o *Organisation) error {
	a := e.Assignment
	c, ok := o.circles[a.Circle]
	if !ok || !c.IsMember(a.Holder) {
		return bad("person %s cannot hold a role in circle %s", a.Holder, a.Circle)
	}
	if _, held := c.roles[a.Role]; held {
		return bad("role %s of circle %s is filled", a.Role, a.Circle)
	}
	if a.Role.IsLink() {
		other := Leader
		if a.Role == Leader {
			other = Delegate
		}
		if cur, held := c.roles[other]; held && cur.Holder == a.Holder {
			return bad("%s would be both leader and delegate of circle %s", a.Holder, a.Circle)
		}
	}
	c.setRole(a)
	o.version++
	return nil
}

func (e RoleEnded) apply(o *Organisation) error {
	a := e.Assignment
	c, ok := o.circles[a.Circle]
	if !ok {
		return bad("unknown circle %s", a.Circle)
	}
	if cur, held := c.roles[a.Role]; !held || cur.Holder != a.Holder {
		return bad("role %s of circle %s is not held by %s", a.Role, a.Circle, a.Holder)
	}
	c.endRole(a.Role)
	o.version++
	return nil
}

func (o *Organisation) join(c *Circle, p PersonID, at time.Time) {
	c.members[p] = at
	set := o.personOf[p]
	if set == nil {
		set = map[CircleID]struct{}{}
		o.personOf[p] = set
	}
	set[c.id] = struct{}{}
}

func (o *Organisation) leave(c CircleID, p PersonID) {
	delete(o.circles[c].members, p)
	delete(o.circles[c].classes, p)
	if len(o.circles[c].classes) == 0 {
		o.circles[c].classes = nil
	}
	delete(o.personOf[p], c)
	if len(o.personOf[p]) == 0 {
		delete(o.personOf, p)
	}
}

// insertChild and removeChild keep a circle's children sorted by ID.
func insertChild(s []*Circle, c *Circle) []*Circle {
	i, found := slices.BinarySearchFunc(s, c.id, func(x *Circle, id CircleID) int { return x.id.Compare(id) })
	if found {
		return s
	}
	return slices.Insert(s, i, c)
}

func removeChild(s []*Circle, c *Circle) []*Circle {
	i, found := slices.BinarySearchFunc(s, c.id, func(x *Circle, id CircleID) int { return x.id.Compare(id) })
	if !found {
		return s
	}
	return slices.Delete(s, i, i+1)
}

func sortedIDs[K interface{ Compare(K) int }](s []K) []K {
	if len(s) == 0 {
		return nil
	}
	out := slices.Clone(s)
	slices.SortFunc(out, K.Compare)
	return out
}

func sortedUnique(keys []DomainKey) []DomainKey {
	out := slices.Clone(keys)
	slices.Sort(out)
	return slices.Compact(out)
}
