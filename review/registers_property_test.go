package review_test

import (
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/coproduce/sociocracy/agreement"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/members"
	"github.com/coproduce/sociocracy/review"
)

// Property: whatever decisions and reviews a circle makes, every agreement
// of the policy register has exactly one open policy review on the calendar
// while it is in force (the review of the decision that made its current
// version), and none once it is retired.
func TestPropertyEachAgreementInForceHasOneOpenReview(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cal, _ := newCalendar()
		reg, _, err := agreement.Open(orgID, pid(1), t0)
		if err != nil {
			t.Fatal(err)
		}
		r := struct {
			cal *review.Calendar
			reg *agreement.Register
		}{cal, reg}
		see := func(e consent.Event) {
			if _, err := r.cal.Observe(e); err != nil {
				t.Fatal(err)
			}
			evs, err := r.reg.Observe(e)
			if err != nil {
				t.Fatal(err)
			}
			for _, ae := range evs {
				if _, err := r.cal.ObserveAgreement(r.reg, ae); err != nil {
					t.Fatal(err)
				}
			}
		}
		now, n := t0, 0
		var ids []agreement.ID
		for range rapid.IntRange(1, 25).Draw(t, "steps") {
			now = now.Add(time.Hour)
			n++
			p := regProc(n)
			live := []agreement.ID{}
			for _, id := range ids {
				if a, _ := r.reg.Agreement(id); a.State != agreement.StateRetired {
					live = append(live, id)
				}
			}
			switch {
			case len(live) > 0 && rapid.IntRange(0, 4).Draw(t, "what") == 0:
				// A late objection reopens the decision in force of an agreement.
				a, _ := r.reg.Agreement(rapid.SampledFrom(live).Draw(t, "reopen"))
				see(consent.DecisionReopened{Header: regHeader(a.Current().Decision, now)})
			case len(live) > 0 && rapid.Bool().Draw(t, "review"):
				id := rapid.SampledFrom(live).Draw(t, "agreement")
				see(regStarted(p, now, consent.Review{Agreement: id, Retire: rapid.IntRange(0, 3).Draw(t, "retire") == 0}))
				see(regAdopted(p, now.Add(time.Minute), rapid.SampledFrom([]string{"a", "b"}).Draw(t, "text")))
			default:
				see(regAdopted(p, now, "a"))
				ids = append(ids, agreement.IDFor(orgID, p))
			}
		}
		open := map[review.ItemID]bool{}
		for _, it := range r.cal.Items() {
			if it.Kind == review.KindPolicyReview && it.Status == review.StatusOpen {
				open[it.ID] = true
			}
		}
		want := 0
		for _, a := range r.reg.Agreements() {
			id := policyItem(a.Current().Decision)
			switch a.State {
			case agreement.StateInForce:
				want++
				if !open[id] {
					t.Fatalf("agreement %s is in force by %s, whose review is not open", a.ID, a.Current().Decision)
				}
			default:
				if open[id] {
					t.Fatalf("agreement %s is %s, yet its review is open", a.ID, a.State)
				}
			}
		}
		if len(open) != want {
			t.Fatalf("%d open policy reviews for %d agreements in force", len(open), want)
		}
	})
}

// Property: whatever the member register's acts, the open
// membership-condition items are exactly the current members' conditions
// with an end date not lapsed (at that date) and their lapsed conditions
// (due at the lapse).
func TestPropertyMembershipItemsMatchTheConditions(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		o := org()
		reg, _, err := members.OpenFor(o, pid(1), t0)
		if err != nil {
			t.Fatal(err)
		}
		cal, _ := newCalendar()
		now := t0
		for range rapid.IntRange(1, 40).Draw(t, "steps") {
			now = now.Add(time.Hour)
			p := pid(rapid.IntRange(2, 4).Draw(t, "person"))
			k := rapid.SampledFrom(members.ConditionKinds()).Draw(t, "kind")
			var evs []members.Event
			switch rapid.IntRange(0, 4).Draw(t, "act") {
			case 0:
				evs, _ = reg.Admit(o, pid(1), now, p, 0)
			case 1:
				evs, _ = reg.Cease(o, pid(1), now, p, "gone")
			case 2:
				until := time.Time{}
				if rapid.Bool().Draw(t, "dated") {
					until = now.AddDate(0, rapid.IntRange(1, 12).Draw(t, "months"), 0)
				}
				evs, _ = reg.SetCondition(o, pid(1), now, p, k, until)
			case 3:
				evs, _ = reg.LapseCondition(o, pid(1), now, p, k, "ended")
			case 4:
				evs, _ = reg.ClearCondition(o, pid(1), now, p, k, "stays")
			}
			for _, e := range evs {
				if _, err := cal.ObserveMembers(reg, e); err != nil {
					t.Fatal(err)
				}
			}
		}
		want := map[review.ItemID]time.Time{}
		for _, m := range reg.Everyone() {
			if !m.Current() {
				continue
			}
			for _, c := range m.Conditions {
				switch {
				case !c.Lapsed.IsZero():
					want[review.ItemIDFor(orgID, review.KindMemberCondition, review.MembershipSource(m.Person, c.Kind, true))] = c.Lapsed
				case !c.Until.IsZero():
					want[review.ItemIDFor(orgID, review.KindMemberCondition, review.MembershipSource(m.Person, c.Kind, false))] = c.Until
				}
			}
		}
		got := map[review.ItemID]time.Time{}
		for _, it := range cal.Items() {
			if it.Kind == review.KindMemberCondition && it.Status == review.StatusOpen {
				got[it.ID] = it.Due
			}
		}
		if len(got) != len(want) {
			t.Fatalf("%d open membership items, want %d", len(got), len(want))
		}
		for id, due := range want {
			if !got[id].Equal(due) {
				t.Fatalf("item %s due %s, want %s", id, got[id], due)
			}
		}
	})
}
