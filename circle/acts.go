package circle

import (
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/coproduce/sociocracy/internal/kernel"
)

// Normalize returns t as the library stores every instant: UTC, truncated to
// the microsecond. Acts normalise the times they are given, so an event read
// back from any store equals the event the act returned.
func Normalize(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// Founding holds what [Found] needs.
type Founding struct {
	Org          OrgID
	Name         string // 1 to 200 bytes
	Zone         string // IANA name such as "Europe/London"
	Founder      PersonID
	FounderLabel string // display label, 1 to 200 bytes
	FounderClass StakeholderClass
	Top          CircleID
	TopName      string
	TopKind      Kind // KindMission or KindGeneral
	TopAim       string
	Domain       []DomainKey // the organisation's domain, held by the top circle
	At           time.Time
}

// Found creates an organisation with its top circle, whose first member is
// the founder. The zone must load as an IANA zone: an unknown zone is an
// error, never a silent UTC.
func Found(f Founding) (*Organisation, []Event, error) {
	const act = "found organisation"
	if err := firstErr(
		requireID(act, "organisation", f.Org.IsZero()),
		requireID(act, "founder", f.Founder.IsZero()),
		requireID(act, "top circle", f.Top.IsZero()),
		checkText(act, "organisation name", f.Name, 1, 200, false),
		checkText(act, "founder label", f.FounderLabel, 1, 200, false),
		checkClass(act, f.FounderClass),
		checkText(act, "circle name", f.TopName, 1, 200, false),
		checkText(act, "aim", f.TopAim, 0, 4000, true),
		checkDomainSet(act, f.Domain),
	); err != nil {
		return nil, nil, err
	}
	if f.TopKind != KindMission && f.TopKind != KindGeneral {
		return nil, nil, refuse(act, ErrInvalidKind, "the top circle must be a mission or general circle, not %s", f.TopKind)
	}
	if _, err := loadZone(act, f.Zone); err != nil {
		return nil, nil, err
	}
	e := Founded{
		Header: Header{Org: f.Org, Actor: f.Founder, At: Normalize(f.At)},
		Name:   f.Name, Zone: f.Zone,
		Founder: f.Founder, FounderLabel: f.FounderLabel, FounderClass: f.FounderClass,
		Top: f.Top, TopName: f.TopName, TopKind: f.TopKind, TopAim: f.TopAim,
		Domain: sortedUnique(f.Domain),
	}
	o := &Organisation{}
	if err := e.apply(o); err != nil {
		return nil, nil, err
	}
	return o, []Event{e}, nil
}

// PersonSpec describes a person for [Organisation.AddPerson] and
// [Organisation.UpdatePerson].
type PersonSpec struct {
	ID      PersonID
	Label   string // display label the host chooses, 1 to 200 bytes; not a legal name
	Class   StakeholderClass
	ActsFor []PersonID // for an advocate: the supported people they act for
}

// AddPerson adds a person to the organisation.
func (o *Organisation) AddPerson(actor PersonID, at time.Time, p PersonSpec) ([]Event, error) {
	const act = "add person"
	if err := o.checkPerson(act, actor, at, p); err != nil {
		return nil, err
	}
	if _, dup := o.people[p.ID]; dup {
		return nil, refuse(act, ErrDuplicatePerson, "person %s already exists", p.ID)
	}
	return o.commit(PersonAdded{Header: o.header(actor, at), Person: p.record()})
}

// UpdatePerson changes a person's label, class or advocacy.
func (o *Organisation) UpdatePerson(actor PersonID, at time.Time, p PersonSpec) ([]Event, error) {
	const act = "update person"
	if err := o.checkPerson(act, actor, at, p); err != nil {
		return nil, err
	}
	if _, ok := o.people[p.ID]; !ok {
		return nil, refuse(act, ErrUnknownPerson, "no person %s", p.ID)
	}
	if p.Class != SupportedPerson {
		for _, other := range o.people {
			if other.id != p.ID && slices.Contains(other.actsFor, p.ID) {
				return nil, refuse(act, ErrInvalidAdvocacy, "advocate %s acts for %s, who must stay a supported person", other.label, o.people[p.ID].label)
			}
		}
	}
	return o.commit(PersonUpdated{Header: o.header(actor, at), Person: p.record()})
}

func (p PersonSpec) record() PersonRecord {
	return PersonRecord{ID: p.ID, Label: p.Label, Class: p.Class, ActsFor: sortedIDs(p.ActsFor)}
}

func (o *Organisation) checkPerson(act string, actor PersonID, at time.Time, p PersonSpec) error {
	if err := firstErr(
		o.checkActor(act, actor, at),
		requireID(act, "person", p.ID.IsZero()),
		checkText(act, "label", p.Label, 1, 200, false),
		checkClass(act, p.Class),
	); err != nil {
		return err
	}
	if len(p.ActsFor) > 0 && p.Class != Advocate {
		return refuse(act, ErrInvalidAdvocacy, "only an advocate acts for someone, and %s is %s", p.Label, p.Class)
	}
	seen := map[PersonID]bool{}
	for _, s := range p.ActsFor {
		sp, ok := o.people[s]
		switch {
		case s == p.ID:
			return refuse(act, ErrInvalidAdvocacy, "a person cannot act for themselves")
		case seen[s]:
			return refuse(act, ErrInvalidAdvocacy, "%s is listed twice", o.labelOf(s))
		case !ok:
			return refuse(act, ErrUnknownPerson, "advocate acts for unknown person %s", s)
		case sp.class != SupportedPerson:
			return refuse(act, ErrInvalidAdvocacy, "an advocate acts for a supported person, and %s is %s", sp.label, sp.class)
		}
		seen[s] = true
	}
	return nil
}

// CircleSpec describes a circle for [Organisation.AddCircle].
type CircleSpec struct {
	ID     CircleID
	Parent CircleID
	Name   string // 1 to 200 bytes
	Kind   Kind   // not KindMission or KindGeneral: there is one top circle
	Aim    string // up to 4000 bytes
	Ends   time.Time
}

// AddCircle adds a circle under a parent. Only a helping circle may have an
// end date.
func (o *Organisation) AddCircle(actor PersonID, at time.Time, s CircleSpec) ([]Event, error) {
	const act = "add circle"
	if err := firstErr(
		o.checkActor(act, actor, at),
		requireID(act, "circle", s.ID.IsZero()),
		checkText(act, "circle name", s.Name, 1, 200, false),
		checkText(act, "aim", s.Aim, 0, 4000, true),
	); err != nil {
		return nil, err
	}
	if _, dup := o.circles[s.ID]; dup {
		return nil, refuse(act, ErrDuplicateCircle, "circle %s already exists", s.ID)
	}
	if _, err := o.circleFor(act, s.Parent); err != nil {
		return nil, err
	}
	switch {
	case !s.Kind.Valid():
		return nil, refuse(act, ErrInvalidKind, "kind %d is not a circle kind", uint8(s.Kind))
	case s.Kind == KindMission || s.Kind == KindGeneral:
		if parent := o.circles[s.Parent]; !(s.Kind == KindGeneral && parent.IsTop() && parent.kind == KindMission) {
			return nil, refuse(act, ErrInvalidKind, "a %s circle belongs at the top (a general circle may sit under the mission circle)", s.Kind)
		}
	case !s.Ends.IsZero() && s.Kind != KindHelping:
		return nil, refuse(act, ErrInvalidKind, "only a helping circle has an end date")
	}
	return o.commit(CircleAdded{Header: o.header(actor, at), Circle: s.ID, Parent: s.Parent, Name: s.Name, Kind: s.Kind, Aim: s.Aim, Ends: normalizeOptional(s.Ends)})
}

// ChangeAim records a circle's new aim.
func (o *Organisation) ChangeAim(actor PersonID, at time.Time, c CircleID, aim string) ([]Event, error) {
	const act = "change aim"
	if err := firstErr(o.checkActor(act, actor, at), checkText(act, "aim", aim, 0, 4000, true)); err != nil {
		return nil, err
	}
	if _, err := o.circleFor(act, c); err != nil {
		return nil, err
	}
	return o.commit(AimChanged{Header: o.header(actor, at), Circle: c, Aim: aim})
}

// MoveCircle places a circle (with everything below it) under another parent.
// It refuses to move the top circle, to create a cycle, and to move a circle
// whose domain the new parent does not hold or a new sibling overlaps.
func (o *Organisation) MoveCircle(actor PersonID, at time.Time, c, to CircleID) ([]Event, error) {
	const act = "move circle"
	if err := o.checkActor(act, actor, at); err != nil {
		return nil, err
	}
	cs, err := o.circleFor(act, c)
	if err != nil {
		return nil, err
	}
	dest, err := o.circleFor(act, to)
	if err != nil {
		return nil, err
	}
	if cs.IsTop() {
		return nil, refuse(act, ErrTopCircle, "the top circle has no parent to move from")
	}
	if to == c || slices.Contains(o.Ancestors(to), c) {
		return nil, refuse(act, ErrCycle, "circle %q cannot move below itself", cs.name)
	}
	if (cs.kind == KindGeneral) && !(dest.IsTop() && dest.kind == KindMission) {
		return nil, refuse(act, ErrInvalidKind, "a general circle sits under the mission circle")
	}
	for _, k := range cs.domain {
		if err := o.checkDelegable(act, dest, c, k); err != nil {
			return nil, err
		}
	}
	if cs.parent == to {
		return nil, nil // already there: nothing to record
	}
	return o.commit(CircleMoved{Header: o.header(actor, at), Circle: c, From: cs.parent, To: to})
}

// DissolveCircle ends a circle. It refuses while the circle has child
// circles. Its roles end (one [RoleEnded] each) before [CircleDissolved].
func (o *Organisation) DissolveCircle(actor PersonID, at time.Time, c CircleID) ([]Event, error) {
	const act = "dissolve circle"
	if err := o.checkActor(act, actor, at); err != nil {
		return nil, err
	}
	cs, err := o.circleFor(act, c)
	if err != nil {
		return nil, err
	}
	if cs.IsTop() {
		return nil, refuse(act, ErrTopCircle, "the top circle cannot be dissolved")
	}
	if len(cs.children) > 0 {
		return nil, refuse(act, ErrHasChildren, "circle %q has %d child circles; move or dissolve them first", cs.name, len(cs.children))
	}
	h := o.header(actor, at)
	var events []Event
	for _, a := range cs.Roles() {
		events = append(events, RoleEnded{Header: h, Assignment: a, Reason: EndReasonDissolved})
	}
	return o.commit(append(events, CircleDissolved{Header: h, Circle: c})...)
}

// DelegateDomain gives key k to circle c. The key must lie inside a key the
// parent holds (any key, for the top circle), must not overlap a key a
// sibling holds, and must not overlap a key c already holds.
func (o *Organisation) DelegateDomain(actor PersonID, at time.Time, c CircleID, k DomainKey) ([]Event, error) {
	const act = "delegate domain"
	if err := firstErr(o.checkActor(act, actor, at), checkKey(act, k)); err != nil {
		return nil, err
	}
	cs, err := o.circleFor(act, c)
	if err != nil {
		return nil, err
	}
	for _, held := range cs.domain {
		if held.Overlaps(k) {
			return nil, refuse(act, ErrDomainHeld, "circle %q already holds %q, which overlaps %q", cs.name, held, k)
		}
	}
	if !cs.IsTop() {
		if err := o.checkDelegable(act, o.circles[cs.parent], c, k); err != nil {
			return nil, err
		}
	}
	return o.commit(DomainDelegated{Header: o.header(actor, at), Circle: c, Key: k})
}

// checkDelegable checks that parent may hold k for its child c.
func (o *Organisation) checkDelegable(act string, parent *Circle, c CircleID, k DomainKey) error {
	if !containedIn(parent.domain, k) {
		return refuse(act, ErrDomainOutside, "circle %q does not hold %q, so it cannot give it to a child", parent.name, k)
	}
	for _, s := range parent.children {
		if s.id == c {
			continue
		}
		for _, sk := range s.domain {
			if sk.Overlaps(k) {
				return refuse(act, ErrDomainOverlap, "sibling circle %q holds %q, which overlaps %q", s.name, sk, k)
			}
		}
	}
	return nil
}

// RevokeDomain takes key k back from circle c, which must hold exactly k.
// Every circle below c loses the keys it held inside k, deepest first, each
// by its own [DomainRevoked] event.
func (o *Organisation) RevokeDomain(actor PersonID, at time.Time, c CircleID, k DomainKey) ([]Event, error) {
	const act = "revoke domain"
	if err := firstErr(o.checkActor(act, actor, at), checkKey(act, k)); err != nil {
		return nil, err
	}
	cs, err := o.circleFor(act, c)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(cs.domain, k) {
		return nil, refuse(act, ErrDomainNotHeld, "circle %q does not hold %q", cs.name, k)
	}
	h := o.header(actor, at)
	var events []Event
	var below func(cur *Circle)
	below = func(cur *Circle) {
		for _, ch := range cur.children {
			below(ch)
		}
		for _, held := range cur.domain {
			if k.Contains(held) {
				events = append(events, DomainRevoked{Header: h, Circle: cur.id, Key: held})
			}
		}
	}
	for _, ch := range cs.children {
		below(ch)
	}
	return o.commit(append(events, DomainRevoked{Header: h, Circle: c, Key: k})...)
}

// AddMember makes p a member of circle c. Joining is itself a consent
// decision of the circle (docs/method.md, "Membership changes"); this act
// records its result.
func (o *Organisation) AddMember(actor PersonID, at time.Time, c CircleID, p PersonID) ([]Event, error) {
	return o.addMember("add member", actor, at, c, p, uuid.Nil)
}

func (o *Organisation) addMember(act string, actor PersonID, at time.Time, c CircleID, p PersonID, decision uuid.UUID) ([]Event, error) {
	if err := o.checkActor(act, actor, at); err != nil {
		return nil, err
	}
	cs, err := o.circleFor(act, c)
	if err != nil {
		return nil, err
	}
	if _, ok := o.people[p]; !ok {
		return nil, refuse(act, ErrUnknownPerson, "no person %s", p)
	}
	if cs.IsMember(p) {
		return nil, refuse(act, ErrAlreadyMember, "%s is already a member of circle %q", o.people[p].label, cs.name)
	}
	return o.commit(MemberAdded{Header: o.header(actor, at), Circle: c, Person: p, Decision: decision})
}

// RemoveMember removes p from circle c; the roles p held there end first,
// each by its own [RoleEnded] event.
func (o *Organisation) RemoveMember(actor PersonID, at time.Time, c CircleID, p PersonID) ([]Event, error) {
	return o.removeMember("remove member", actor, at, c, p, uuid.Nil)
}

func (o *Organisation) removeMember(act string, actor PersonID, at time.Time, c CircleID, p PersonID, decision uuid.UUID) ([]Event, error) {
	if err := o.checkActor(act, actor, at); err != nil {
		return nil, err
	}
	cs, err := o.circleFor(act, c)
	if err != nil {
		return nil, err
	}
	if !cs.IsMember(p) {
		return nil, refuse(act, ErrNotMember, "%s is not a member of circle %q", o.labelOf(p), cs.name)
	}
	h := o.header(actor, at)
	var events []Event
	for _, a := range cs.Roles() {
		if a.Holder == p {
			events = append(events, RoleEnded{Header: h, Assignment: a, Reason: EndReasonLeft})
		}
	}
	return o.commit(append(events, MemberRemoved{Header: h, Circle: c, Person: p, Decision: decision})...)
}

// AssignRole gives role r in circle c to holder for term. The holder must be
// a member of c, and the leader and the delegate of one circle are never the
// same person. If the role is filled, the current assignment ends first
// (reason "replaced"), so a re-election is one act.
func (o *Organisation) AssignRole(actor PersonID, at time.Time, c CircleID, r Role, holder PersonID, term Term) ([]Event, error) {
	const act = "assign role"
	if err := firstErr(o.checkActor(act, actor, at), r.validate(act), checkTerm(act, term)); err != nil {
		return nil, err
	}
	cs, err := o.circleFor(act, c)
	if err != nil {
		return nil, err
	}
	if _, ok := o.people[holder]; !ok {
		return nil, refuse(act, ErrUnknownPerson, "no person %s", holder)
	}
	if !cs.IsMember(holder) {
		return nil, refuse(act, ErrNotMember, "%s must be a member of circle %q to hold its %s role", o.people[holder].label, cs.name, r)
	}
	if r.IsLink() {
		other := Leader
		if r == Leader {
			other = Delegate
		}
		if a, ok := cs.roles[other]; ok && a.Holder == holder {
			return nil, refuse(act, ErrLeaderIsDelegate, "%s is the %s of circle %q and cannot also be its %s", o.people[holder].label, other, cs.name, r)
		}
	}
	h := o.header(actor, at)
	var events []Event
	if cur, ok := cs.roles[r]; ok {
		events = append(events, RoleEnded{Header: h, Assignment: cur, Reason: EndReasonReplaced})
	}
	a := Assignment{Circle: c, Role: r, Holder: holder, Term: Term{Start: Normalize(term.Start), End: Normalize(term.End)}}
	return o.commit(append(events, RoleAssigned{Header: h, Assignment: a})...)
}

// EndRole ends the current assignment of role r in circle c.
func (o *Organisation) EndRole(actor PersonID, at time.Time, c CircleID, r Role) ([]Event, error) {
	const act = "end role"
	if err := firstErr(o.checkActor(act, actor, at), r.validate(act)); err != nil {
		return nil, err
	}
	cs, err := o.circleFor(act, c)
	if err != nil {
		return nil, err
	}
	cur, ok := cs.roles[r]
	if !ok {
		return nil, refuse(act, ErrRoleVacant, "the %s role of circle %q is vacant", r, cs.name)
	}
	return o.commit(RoleEnded{Header: o.header(actor, at), Assignment: cur, Reason: EndReasonEnded})
}

// commit applies events that an act has fully validated.
func (o *Organisation) commit(events ...Event) ([]Event, error) {
	for _, e := range events {
		if err := e.apply(o); err != nil {
			// Unreachable when the act validated correctly; reported, not hidden.
			return nil, refuse("commit", ErrInvariant, "act produced an event that does not apply: %v", err)
		}
	}
	for _, e := range events {
		o.last = later(o.last, e.EventHeader().At)
	}
	o.out.Record(events...)
	return events, nil
}

func (o *Organisation) header(actor PersonID, at time.Time) Header {
	return Header{Org: o.id, Actor: actor, At: Normalize(at)}
}

// checkActor checks that actor is a person of the organisation and that the
// act is not dated before the organisation's latest event ([ErrTimeOrder]).
func (o *Organisation) checkActor(act string, actor PersonID, at time.Time) error {
	if _, ok := o.people[actor]; !ok {
		return refuse(act, ErrUnknownActor, "actor %s is not a person of organisation %q", actor, o.name)
	}
	return o.checkTime(act, at)
}

// checkTime refuses a time before the organisation's latest event.
func (o *Organisation) checkTime(act string, at time.Time) error {
	if at = Normalize(at); at.Before(o.last) {
		return refuse(act, ErrTimeOrder, "%s is before the organisation's latest event, at %s",
			at.Format(time.RFC3339Nano), o.last.Format(time.RFC3339Nano))
	}
	return nil
}

func (o *Organisation) circleFor(act string, id CircleID) (*Circle, error) {
	c, ok := o.circles[id]
	if !ok {
		return nil, refuse(act, ErrUnknownCircle, "no circle %s", id)
	}
	return c, nil
}

func requireID(act, what string, zero bool) error {
	if zero {
		return refuse(act, ErrMissingID, "%s id is required", what)
	}
	return nil
}

func checkClass(act string, c StakeholderClass) error {
	if !c.Valid() {
		return refuse(act, ErrInvalidClass, "%q is not a stakeholder class (lowercase words joined by hyphens)", clip(string(c)))
	}
	return nil
}

func checkKey(act string, k DomainKey) error {
	if !k.Valid() {
		return refuse(act, ErrInvalidDomainKey, "%q is not a domain key (lowercase segments joined by '/')", clip(string(k)))
	}
	return nil
}

func checkDomainSet(act string, keys []DomainKey) error {
	for i, k := range keys {
		if err := checkKey(act, k); err != nil {
			return err
		}
		for _, other := range keys[:i] {
			if other.Overlaps(k) {
				return refuse(act, ErrDomainKeyCollision, "domain keys %q and %q overlap", other, k)
			}
		}
	}
	return nil
}

func checkTerm(act string, t Term) error {
	if t.Start.IsZero() || t.End.IsZero() {
		return refuse(act, ErrInvalidTerm, "a term needs a start and an end")
	}
	if !Normalize(t.End).After(Normalize(t.Start)) {
		return refuse(act, ErrInvalidTerm, "term end %s is not after its start %s", t.End.Format(time.RFC3339), t.Start.Format(time.RFC3339))
	}
	return nil
}

// loadZone returns the IANA zone called name, parsed once per process
// (kernel.LoadZone).
func loadZone(act, name string) (*time.Location, error) {
	loc, msg := kernel.LoadZone(name)
	if loc == nil {
		return nil, refuse(act, ErrInvalidZone, "%s", msg)
	}
	return loc, nil
}

// firstErr returns the first error that is not nil (kernel.FirstErr).
func firstErr(errs ...error) error { return kernel.FirstErr(errs...) }

func later(a, b time.Time) time.Time {
	if b = Normalize(b); b.After(a) {
		return b
	}
	return a
}

// labelOf returns the label of person id, or its ID when the organisation
// does not know it: messages name people as the organisation knows them,
// and the typed error keeps the ID for programs.
func (o *Organisation) labelOf(id PersonID) string {
	if p, ok := o.people[id]; ok {
		return p.label
	}
	return id.String()
}
