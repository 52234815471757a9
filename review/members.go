package review

import (
	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/members"
)

// MembershipSource returns the source of the items a condition of a
// membership gives (package members): person p's condition k, and whether
// the item is for its end date or for its lapse.
func MembershipSource(p circle.PersonID, k members.ConditionKind, lapsed bool) Source {
	ref := p.String() + "/" + k.String() + "/ends"
	if lapsed {
		ref = p.String() + "/" + k.String() + "/lapsed"
	}
	return Source{Kind: SourceMembership, Ref: ref}
}

// ObserveMembers keeps the calendar in step with the member register
// (package members), so that a condition a membership depends on is on the
// agenda of the top circle, which keeps the register, and is applied by an
// act, never silently. A store hands it the events of an act on the
// register and appends what it returns in the same append.
//
//   - [members.ConditionSet] with an end date schedules a
//     membership-condition item at that date (for the member, as Holder);
//     set again with another date, the item moves; without a date, or when
//     it replaces a lapse, the items of the condition are retired;
//   - [members.ConditionLapsed] retires the end-date item and schedules a
//     membership-condition item due at once: the lapse waits for the circle
//     to cease the membership or clear the condition;
//   - [members.ConditionCleared] retires the items of the condition, and
//     [members.Ceased] those of every condition of the membership.
//
// Other events are ignored. Titles name the condition, never the person. As
// with Observe, observing an event twice has the effect of observing it
// once; an event of another organisation is refused with
// [ErrWrongOrganisation].
func (c *Calendar) ObserveMembers(r *members.Register, e members.Event) ([]Event, error) {
	h := e.EventHeader()
	if h.Org != c.org {
		return nil, refuse("observe", ErrWrongOrganisation, "%s of organisation %s observed by the calendar of %s", e.EventType(), h.Org, c.org)
	}
	ends := func(p circle.PersonID, k members.ConditionKind) ItemID {
		return ItemIDFor(c.org, KindMemberCondition, MembershipSource(p, k, false))
	}
	lapse := func(p circle.PersonID, k members.ConditionKind) ItemID {
		return ItemIDFor(c.org, KindMemberCondition, MembershipSource(p, k, true))
	}
	switch e := e.(type) {
	case members.ConditionSet:
		var out []Event
		if it, ok := c.items[lapse(e.Person, e.Condition)]; ok && it.Status != StatusRetired && !h.At.Before(it.Updated) {
			out = append(out, ItemRetired{Header: h, Item: it.ID, Reason: "membership condition set again"})
		}
		id := ends(e.Person, e.Condition)
		it, open := c.items[id]
		open = open && it.Status == StatusOpen
		switch {
		case e.Until.IsZero() && open && !h.At.Before(it.Updated):
			out = append(out, ItemRetired{Header: h, Item: id, Reason: "membership condition has no end date now"})
		case e.Until.IsZero():
		case open && !it.Due.Equal(e.Until) && !h.At.Before(it.Updated):
			out = append(out, ItemRescheduled{Header: h, Item: id, From: it.Due, To: circle.Normalize(e.Until), Reason: "membership condition's end date changed"})
		case !open:
			if s, ok := c.scheduleFrom(h, ItemSpec{Kind: KindMemberCondition, Circle: r.Top(), Title: "Membership condition ends: " + e.Condition.String(),
				Source: MembershipSource(e.Person, e.Condition, false), Holder: e.Person, Due: e.Until}); ok {
				out = append(out, s)
			}
		}
		return c.commit(out...)
	case members.ConditionLapsed:
		var out []Event
		if it, ok := c.items[ends(e.Person, e.Condition)]; ok && it.Status != StatusRetired && !h.At.Before(it.Updated) {
			out = append(out, ItemRetired{Header: h, Item: it.ID, Reason: "membership condition lapsed"})
		}
		if s, ok := c.scheduleFrom(h, ItemSpec{Kind: KindMemberCondition, Circle: r.Top(),
			Title:  "Membership condition lapsed: " + e.Condition.String() + "; cease the membership or clear the condition",
			Source: MembershipSource(e.Person, e.Condition, true), Holder: e.Person, Due: h.At}); ok {
			out = append(out, s)
		}
		return c.commit(out...)
	case members.ConditionCleared:
		return c.retireFrom(h, "membership condition cleared", ends(e.Person, e.Condition), lapse(e.Person, e.Condition))
	case members.Ceased:
		var ids []ItemID
		for _, k := range members.ConditionKinds() {
			ids = append(ids, ends(e.Person, k), lapse(e.Person, k))
		}
		return c.retireFrom(h, "membership ceased", ids...)
	}
	return nil, nil
}
