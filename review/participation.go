package review

import (
	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
)

// stuckItem is the ID of the item that flags process p as stuck on its
// circle's agenda.
func stuckItem(org circle.OrgID, p consent.ProcessID) ItemID {
	return ItemIDFor(org, KindStuckDecision, DecisionSource(p))
}

// referredSource identifies the item a stuck process referred up puts on
// the parent circle's agenda.
func referredSource(p consent.ProcessID) Source {
	return Source{Kind: SourceDecision, Ref: p.String() + "/referred-up"}
}

// observeParticipation keeps stuck processes on the calendar
// (docs/method.md, "Stuck decisions"):
//
//   - [consent.DecisionStuck] flags the process on its circle's agenda
//     (kind stuck-decision, for the facilitator, due at once);
//   - [consent.ReferredToParent] retires that flag and puts the process on
//     the parent circle's agenda, due at once, until the parent takes it up;
//   - [consent.Started] of a process that takes up a stuck one
//     ([consent.TakeUp]) retires the parent's item.
//
// The flag is retired, too, when the stuck process is adopted, withdrawn or
// referred elsewhere.
//
// Emergency decisions (docs/method.md, "Emergency decisions"):
//
//   - [consent.Started] of an emergency decision schedules its review
//     (kind emergency-review, for the one who decided, due when its consent
//     round must have opened), so that an overdue review escalates;
//   - [consent.ConsentRoundOpened] of that process retires it, as its
//     withdrawal or referral does.
func (c *Calendar) observeParticipation(h circle.Header, e any) ([]Event, error) {
	switch e := e.(type) {
	case consent.DecisionStuck:
		return c.observed(c.scheduleFrom(h, ItemSpec{Kind: KindStuckDecision, Circle: e.Circle, Title: "Stuck decision: " + e.Title,
			Source: DecisionSource(e.Process), Holder: e.Actor, Due: h.At}))
	case consent.ReferredToParent:
		events, err := c.retireFrom(h, "referred to the parent circle", append(c.pending(e.Circle, e.Process), stuckItem(c.org, e.Process), emergencyItem(c.org, e.Process))...)
		if err != nil {
			return nil, err
		}
		title := "Decision referred up: " + e.Reason
		if it, ok := c.items[stuckItem(c.org, e.Process)]; ok {
			title = "Decision referred up: " + trimPrefix(it.Title, "Stuck decision: ")
		}
		more, err := c.observed(c.scheduleFrom(h, ItemSpec{Kind: KindStuckDecision, Circle: e.To, Title: title,
			Source: referredSource(e.Process), Due: h.At}))
		return append(events, more...), err
	case consent.Started:
		if m := e.Emergency; m != nil {
			return c.observed(c.scheduleFrom(h, ItemSpec{Kind: KindEmergencyReview, Circle: e.Circle,
				Title: "Emergency decision to review: " + e.Proposal.Title, Source: DecisionSource(e.Process), Holder: e.Actor, Due: m.HoldBy}))
		}
		if e.History == nil {
			return nil, nil
		}
		return c.retireFrom(h, "taken up by consent process "+e.Process.String(), ItemIDFor(c.org, KindStuckDecision, referredSource(e.History.Process)))
	case consent.ConsentRoundOpened:
		return c.retireFrom(h, "its consent round opened", emergencyItem(c.org, e.Process))
	}
	return nil, nil
}

// emergencyItem is the ID of the item that keeps an emergency decision on
// its circle's agenda until its consent round opens.
func emergencyItem(org circle.OrgID, p consent.ProcessID) ItemID {
	return ItemIDFor(org, KindEmergencyReview, DecisionSource(p))
}
