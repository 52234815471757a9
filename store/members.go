package store

import (
	"context"
	"slices"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/members"
	"github.com/coproduce/sociocracy/review"
)

// KindMemberRegister is the kind of an organisation's register of members
// and officers (package members); its ID is the organisation's ID.
const KindMemberRegister Kind = "member_register"

// MemberRegisterKey is the key of org's register of members and officers.
func MemberRegisterKey(org circle.OrgID) StreamKey {
	return StreamKey{Org: org, Kind: KindMemberRegister, ID: org.UUID()}
}

var memberRegisterKind = &kind[*members.Register, members.Event]{
	kind: KindMemberRegister, what: "member register",
	decode: members.UnmarshalStoredEvent, marshal: members.MarshalEvent, replay: members.Replay,
	apply: (*members.Register).Apply, take: (*members.Register).Take,
	meta: func(r *members.Register, e members.Event) (circle.CircleID, time.Time) {
		return r.Top(), e.EventHeader().At
	},
}

// ActMembers runs an act on org's register of members and officers
// ([members.Register.Admit], Cease, SetShares, SetCondition, LapseCondition,
// ClearCondition): act receives the register, the organisation (to read:
// who may act, the person's class; an act on it is refused with
// [ErrReadOnly]) and the time of this attempt. The register opens with the
// first act that yields events ([members.OpenFor]: the offices of the top
// circle held then), in the same append. The events are appended together
// with what the review calendar makes of them (a membership condition's end
// date, a lapse due at once, items retired when the register applies or
// clears them). The rules of [Store.ActOrg] hold.
func (s *Store) ActMembers(ctx context.Context, org circle.OrgID, act func(r *members.Register, o *circle.Organisation, at time.Time) ([]members.Event, error), w *WriteOptions) (Receipt, error) {
	return s.run(ctx, org, w.command(), false, func(ctx context.Context, r Reader) (*Batch, error) {
		o, err := checkout(ctx, s, r, orgKind, OrgKey(org))
		if err != nil {
			return nil, err
		}
		key := MemberRegisterKey(org)
		h, err := checkout(ctx, s, r, memberRegisterKind, key)
		var opened []members.Event
		if isNotFound(err) {
			// Opened names who opened it: the actor of the first act, set
			// below once the act has run.
			reg, oevs, oerr := members.OpenFor(o.agg, circle.PersonID(org), s.at(w, o.l.at))
			if oerr != nil {
				return nil, oerr
			}
			h, opened, err = fresh(memberRegisterKind, key, reg), oevs, nil
		}
		if err != nil {
			return nil, err
		}
		evs, err := act(h.agg, o.agg, s.at(w, o.l.at, h.l.at))
		if err != nil {
			return nil, err
		}
		if err := o.untouched("act on member register"); err != nil {
			return nil, err
		}
		if err := h.yielded("act on member register", evs); err != nil {
			return nil, err
		}
		o.checkin(s)
		if len(evs) == 0 {
			if opened == nil {
				h.checkin(s)
			}
			return nil, errNoop
		}
		all := evs
		if opened != nil {
			op := opened[0].(members.Opened)
			op.Actor = evs[0].EventHeader().Actor
			all = append([]members.Event{op}, evs...)
		}
		b := &Batch{}
		if err := h.append(b, all, StreamAppend{}); err != nil {
			return nil, err
		}
		cal, err := checkout(ctx, s, r, calendarKind, CalendarKey(org))
		if err != nil {
			return nil, err
		}
		var items []review.Event
		for _, e := range evs {
			got, err := cal.agg.ObserveMembers(h.agg, e)
			if err != nil {
				return nil, err
			}
			items = append(items, got...)
		}
		calendarKind.take(cal.agg)
		if len(items) > 0 {
			if err := cal.append(b, items, StreamAppend{}); err != nil {
				return nil, err
			}
		}
		cal.checkin(s)
		h.checkin(s)
		return b, nil
	})
}

// observeMembers hands the events of an act on the organisation to org's
// member register, when it is open and any event concerns it (the top
// circle's members and roles are its officers), and appends what it makes
// of them to b. A register not yet opened takes the offices held when it
// opens.
func observeMembers[E any](ctx context.Context, s *Store, r Reader, b *Batch, org circle.OrgID, evs []E) error {
	if !slices.ContainsFunc(evs, func(e E) bool { return members.Observes(e) }) {
		return nil
	}
	h, err := checkout(ctx, s, r, memberRegisterKind, MemberRegisterKey(org))
	if isNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	var out []members.Event
	for _, e := range evs {
		got, err := h.agg.Observe(e)
		if err != nil {
			return err
		}
		out = append(out, got...)
	}
	memberRegisterKind.take(h.agg)
	if len(out) > 0 {
		if err := h.append(b, out, StreamAppend{}); err != nil {
			return err
		}
	}
	h.checkin(s)
	return nil
}

// MemberRegister returns org's register of members and officers as stored:
// a copy of its own. Before the first act on it there is none: the error
// matches [ErrNotFound].
func (s *Store) MemberRegister(ctx context.Context, org circle.OrgID) (*members.Register, error) {
	return readWith(ctx, s, memberRegisterKind, MemberRegisterKey(org), (*members.Register).Clone)
}

// MembersAt returns the members of org at t, any instant past or present,
// in order of first admission ([members.Register.Members]).
func (s *Store) MembersAt(ctx context.Context, org circle.OrgID, t time.Time) ([]members.Member, error) {
	return readWith(ctx, s, memberRegisterKind, MemberRegisterKey(org), func(r *members.Register) []members.Member { return r.Members(t) })
}

// StatutoryRegister returns org's register of members and officers as it
// stood at t ([members.Register.Statutory]), with names and addresses read
// now from the profiles ([Store.SetProfile]): a person whose profile was
// erased ([Store.ErasePerson]) is shown without them, and never served
// again. A nil opt means the co-op has no shares.
func (s *Store) StatutoryRegister(ctx context.Context, org circle.OrgID, t time.Time, opt *members.Options) (members.Statutory, error) {
	reg, lookup, err := s.registerWithContacts(ctx, org)
	if err != nil {
		return members.Statutory{}, err
	}
	return reg.Statutory(t, lookup, opt), nil
}

// InspectableRegister returns the part of org's register that member viewer
// may inspect at t ([members.Register.Inspectable]). Someone who is not a
// member at t inspects nothing: [members.ErrNotMember].
func (s *Store) InspectableRegister(ctx context.Context, org circle.OrgID, viewer circle.PersonID, t time.Time, opt *members.Options) (members.Statutory, error) {
	reg, lookup, err := s.registerWithContacts(ctx, org)
	if err != nil {
		return members.Statutory{}, err
	}
	if m, ok := reg.Member(viewer); !ok {
		return members.Statutory{}, &members.Error{Act: "inspect register", Err: members.ErrNotMember, Detail: viewer.String() + " is not a member"}
	} else if _, in := m.At(t); !in {
		return members.Statutory{}, &members.Error{Act: "inspect register", Err: members.ErrNotMember, Detail: viewer.String() + " was not a member at " + t.UTC().Format(time.RFC3339)}
	}
	return reg.Inspectable(t, lookup, opt, viewer), nil
}

// registerWithContacts returns a copy of org's member register and a lookup
// of the contact details of everyone in it, read from the profiles now.
func (s *Store) registerWithContacts(ctx context.Context, org circle.OrgID) (*members.Register, members.Lookup, error) {
	reg, err := s.MemberRegister(ctx, org)
	if err != nil {
		return nil, nil, err
	}
	var people []circle.PersonID
	seen := map[circle.PersonID]bool{}
	for _, m := range reg.Everyone() {
		if !seen[m.Person] {
			seen[m.Person] = true
			people = append(people, m.Person)
		}
	}
	for _, o := range reg.Offices() {
		if !seen[o.Person] {
			seen[o.Person] = true
			people = append(people, o.Person)
		}
	}
	profiles, err := s.ProfilesOf(ctx, org, people)
	if err != nil {
		return nil, nil, err
	}
	contacts := make(map[circle.PersonID]members.Contact, len(profiles))
	for p, pr := range profiles {
		contacts[p] = members.Contact{Name: pr.Name, Address: pr.Address}
	}
	return reg, func(p circle.PersonID) (members.Contact, bool) { c, ok := contacts[p]; return c, ok }, nil
}
