package review

import (
	"github.com/coproduce/sociocracy/agreement"
)

// ObserveAgreement keeps the calendar in step with the policy register
// (package agreement), as [Calendar.Observe] does with the other packages:
// a store hands it the events the register made of a consent decision, after
// the decision's own events, and appends what it returns in the same append.
//
//   - [agreement.Kept] and [agreement.Amended]: the review of the version
//     they follow is done (its policy-review item is retired, naming the
//     review's consent process); the new decision's review, scheduled from
//     its adoption, takes over;
//   - [agreement.Retired]: the review of the retired version is done, and
//     the decision that retired it has nothing left to review (both items
//     are retired);
//   - [agreement.Reopened]: when an earlier version is back in force, its
//     review is scheduled again at its review date.
//
// Other events of the register are ignored. As with Observe, observing an
// event twice has the effect of observing it once, and an event of another
// organisation is refused with [ErrWrongOrganisation].
func (c *Calendar) ObserveAgreement(r *agreement.Register, e agreement.Event) ([]Event, error) {
	h := e.EventHeader()
	if h.Org != c.org {
		return nil, refuse("observe", ErrWrongOrganisation, "%s of organisation %s observed by the calendar of %s", e.EventType(), h.Org, c.org)
	}
	item := func(v agreement.Version) ItemID {
		return ItemIDFor(c.org, KindPolicyReview, DecisionSource(v.Decision))
	}
	previous := func(id agreement.ID, version int) (agreement.Version, bool) {
		a, ok := r.Agreement(id)
		if !ok || version < 2 || version-1 > len(a.Versions) {
			return agreement.Version{}, false
		}
		return a.Versions[version-2], true
	}
	switch e := e.(type) {
	case agreement.Kept:
		if v, ok := previous(e.Agreement, e.Version); ok && v.Decision != e.Decision {
			return c.retireFrom(h, "policy reviewed and kept by consent process "+e.Decision.String(), item(v))
		}
	case agreement.Amended:
		if v, ok := previous(e.Agreement, e.Version); ok && v.Decision != e.Decision {
			return c.retireFrom(h, "policy amended by consent process "+e.Decision.String(), item(v))
		}
	case agreement.Retired:
		a, ok := r.Agreement(e.Agreement)
		if !ok {
			return nil, nil
		}
		reason := "policy retired by consent process " + e.Decision.String()
		return c.retireFrom(h, reason, item(a.Current()), ItemIDFor(c.org, KindPolicyReview, DecisionSource(e.Decision)))
	case agreement.Reopened:
		a, ok := r.Agreement(e.Agreement)
		if !ok || a.State != agreement.StateInForce {
			return nil, nil
		}
		v := a.Current()
		return c.observed(c.scheduleFrom(h, ItemSpec{Kind: KindPolicyReview, Circle: a.Circle, Title: "Policy review: " + v.Title,
			Source: DecisionSource(v.Decision), Due: v.ReviewDate}))
	}
	return nil, nil
}
