package review_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/review"
)

// consentRun drives a consent process of the care team (cid(2)) of org():
// Ben (2) proposes, Cleo (3) facilitates, Dev (4) objects and his objection
// is answered by a measure he owns, everyone consents and the proposal is
// adopted.
type consentRun struct {
	t      *testing.T
	p      *consent.Process
	events []consent.Event
	now    time.Time
	o      *circle.Organisation
}

var (
	procID     = consent.ProcessID(circletest.UUID(0xb0, 1))
	reviewDate = ldn(2027, time.March, 1, 10, 0)
	checkpoint = ldn(2026, time.June, 1, 10, 0)
)

func (r *consentRun) tick() time.Time { r.now = r.now.Add(time.Hour); return r.now }

func (r *consentRun) must(evs []consent.Event, err error) {
	r.t.Helper()
	require.NoError(r.t, err)
	r.events = append(r.events, evs...)
}

func startConsent(t *testing.T, id consent.ProcessID) *consentRun {
	return startConsentAt(t, id, ldn(2026, time.February, 2, 9, 0), reviewDate, checkpoint)
}

func startConsentAt(t *testing.T, id consent.ProcessID, at, reviewDate, checkpoint time.Time) *consentRun {
	r := &consentRun{t: t, o: org(), now: at}
	p, evs, err := consent.Start(consent.ProcessSpec{
		ID: id, Org: orgID, Circle: cid(2), Proposer: pid(2), Facilitator: pid(3),
		Proposal: consent.Proposal{Title: "Lone working", Driver: "Night visits alone feel unsafe.",
			Text: "Night visits are made in pairs.", ReviewDate: reviewDate},
	}, r.now)
	require.NoError(t, err)
	r.p, r.events = p, evs
	members, err := consent.Members(r.o, cid(2))
	require.NoError(t, err)
	r.must(r.p.Present(pid(3), r.tick(), members))
	r.must(r.p.SkipReactions(pid(3), r.tick()))
	r.must(r.p.OpenConsentRound(pid(3), r.tick(), members, r.now.Add(48*time.Hour)))
	r.must(r.p.Object(pid(4), r.tick(), "Pairs are not always available at short notice."))
	for _, who := range []int{2, 3, 5} {
		r.must(r.p.Consent(pid(who), r.tick()))
	}
	r.must(r.p.Integrate(pid(3), r.tick()))
	r.must(r.p.UnderstandObjection(pid(3), r.tick(), pid(4), "Visits may be cancelled when no pair is free."))
	r.must(r.p.AddMeasure(pid(2), r.tick(), pid(4), consent.Measure{Watch: "cancelled night visits", Threshold: "more than two a month",
		Owner: pid(4), Checkpoint: checkpoint}))
	return r
}

func (r *consentRun) adopt() {
	members, _ := consent.Members(r.o, cid(2))
	r.must(r.p.OpenConsentRound(pid(3), r.tick(), members, r.now.Add(48*time.Hour)))
	for _, who := range []int{2, 3, 4, 5} {
		r.must(r.p.Consent(pid(who), r.tick()))
	}
	r.must(r.p.Adopt(pid(3), r.tick()))
}

func observeConsent(t *testing.T, c *review.Calendar, events []consent.Event) []review.Event {
	var out []review.Event
	for _, e := range events {
		got, err := c.Observe(e)
		require.NoError(t, err, e.EventType())
		out = append(out, got...)
	}
	return out
}

func TestObserveConsentDecision(t *testing.T) {
	r := startConsent(t, procID)
	c, _ := newCalendar()
	events := observeConsent(t, c, r.events)
	require.Len(t, events, 1, "the measure's checkpoint is scheduled as soon as it is proposed")
	m := events[0].(review.ItemScheduled)
	assert.Equal(t, review.KindMeasureCheckpoint, m.Kind)
	assert.Equal(t, "Measure checkpoint: cancelled night visits", m.Title)
	assert.Equal(t, pid(4), m.Holder, "the measure's owner")
	assert.True(t, m.Due.Equal(checkpoint))
	assert.Equal(t, cid(2), m.Circle)

	before := len(r.events)
	r.adopt()
	events = observeConsent(t, c, r.events[before:])
	require.Len(t, events, 1, "adoption schedules the policy review; the measure is on the calendar already")
	pr := events[0].(review.ItemScheduled)
	assert.Equal(t, review.KindPolicyReview, pr.Kind)
	assert.Equal(t, "Policy review: Lone working", pr.Title)
	assert.Equal(t, review.ItemIDFor(orgID, review.KindPolicyReview, review.DecisionSource(procID)), pr.Item)
	assert.True(t, pr.Due.Equal(reviewDate))
	assert.Equal(t, []string{"Measure checkpoint: cancelled night visits", "Policy review: Lone working"}, titles(c.Agenda(cid(2), reviewDate)))

	t.Run("observing the whole stream again records nothing", func(t *testing.T) {
		assert.Empty(t, observeConsent(t, c, r.events))
	})

	t.Run("consent withdrawn after adoption puts an early review on the next agenda", func(t *testing.T) {
		before := len(r.events)
		r.must(r.p.WithdrawConsent(pid(5), r.tick(), "Pairs leave the day shift short."))
		events := observeConsent(t, c, r.events[before:])
		require.Len(t, events, 1)
		er := events[0].(review.ItemScheduled)
		assert.Equal(t, review.KindEarlyReview, er.Kind)
		assert.Equal(t, "Early review: Lone working", er.Title)
		assert.Equal(t, pid(5), er.Holder)
		assert.True(t, er.Due.Equal(r.now), "due at once")
		assert.Contains(t, titles(c.Agenda(cid(2), r.now)), "Early review: Lone working")
	})

	t.Run("a review amended by a new consent process ends when that process adopts", func(t *testing.T) {
		policyItem := pr.Item
		amend := consent.ProcessID(circletest.UUID(0xb0, 2))
		must(c.Complete(pid(3), reviewDate, policyItem, review.Completion{Outcome: review.OutcomeAmended, Process: amend}))
		it, _ := c.Item(policyItem)
		require.Equal(t, review.StatusAmending, it.Status)

		r2 := startConsentAt(t, amend, reviewDate.Add(24*time.Hour), reviewDate.AddDate(1, 0, 0), reviewDate.AddDate(0, 3, 0))
		r2.adopt()
		var late []consent.Event
		for _, e := range r2.events {
			if _, ok := e.(consent.DecisionAdopted); ok {
				late = append(late, e)
			}
		}
		events := observeConsent(t, c, late)
		require.Len(t, events, 3, "the new decision's review and measure, and the old review retired")
		retired := events[2].(review.ItemRetired)
		assert.Equal(t, policyItem, retired.Item)
		assert.Equal(t, "amended by consent process "+amend.String(), retired.Reason)
	})
}

func TestObserveConsentWithdrawnProposalRetiresItsMeasures(t *testing.T) {
	r := startConsent(t, procID)
	r.must(r.p.Withdraw(pid(2), r.tick(), "Superseded by the county's guidance."))
	c, _ := newCalendar()
	events := observeConsent(t, c, r.events)
	require.Len(t, events, 2)
	assert.Equal(t, "proposal withdrawn", events[1].(review.ItemRetired).Reason)
	assert.Zero(t, c.Len())
}

func TestObserveConsentDeferredObjection(t *testing.T) {
	r := startConsent(t, procID)
	c, _ := newCalendar()
	observeConsent(t, c, r.events)
	// A second objection in the next round is deferred to Eve until June.
	members, _ := consent.Members(r.o, cid(2))
	r.must(r.p.OpenConsentRound(pid(3), r.tick(), members, r.now.Add(48*time.Hour)))
	r.must(r.p.Object(pid(5), r.tick(), "Who pays for the second carer's mileage?"))
	for _, who := range []int{2, 3, 4} {
		r.must(r.p.Consent(pid(who), r.tick()))
	}
	r.must(r.p.Integrate(pid(3), r.tick()))
	r.must(r.p.UnderstandObjection(pid(3), r.tick(), pid(5), "Mileage for the second carer is not budgeted."))
	until := ldn(2026, time.June, 15, 12, 0)
	before := len(r.events)
	r.must(r.p.Defer(pid(3), r.tick(), pid(5), pid(5), until, "mileage budget"))
	events := observeConsent(t, c, r.events[before:])
	require.Len(t, events, 1)
	d := events[0].(review.ItemScheduled)
	assert.Equal(t, review.KindDeferredObjection, d.Kind)
	assert.Equal(t, "Deferred objection: mileage budget", d.Title)
	assert.Equal(t, pid(5), d.Holder)
	assert.True(t, d.Due.Equal(until))
}

func TestObserveRefusesConsentEventsOfAnotherOrganisation(t *testing.T) {
	c, _ := newCalendar()
	_, err := c.Observe(consent.ProposalWithdrawn{Header: consent.Header{Process: procID, Org: circletest.Org(2), Circle: cid(2), Actor: pid(1), At: t0}})
	assert.ErrorIs(t, err, review.ErrWrongOrganisation)
}

func TestObserveReopenedDecisionUnderLazyConsent(t *testing.T) {
	// "they may object within a window after the record is published (lazy
	// consent)" (docs/method.md, "Consent decision-making"): a late objection
	// reopens the decision, so its review date no longer stands.
	r := &consentRun{t: t, o: org(), now: ldn(2026, time.February, 2, 9, 0)}
	pol := consent.DefaultPolicy()
	pol.Absence, pol.LazyWindow = consent.AbsenceLazyConsent, 7*24*time.Hour
	p, evs, err := consent.Start(consent.ProcessSpec{ID: procID, Org: orgID, Circle: cid(2), Proposer: pid(2), Facilitator: pid(3), Policy: &pol,
		Proposal: consent.Proposal{Title: "Lone working", Driver: "Night visits alone feel unsafe.", Text: "Night visits are made in pairs.", ReviewDate: reviewDate}}, r.now)
	require.NoError(t, err)
	r.p, r.events = p, evs
	members, _ := consent.Members(r.o, cid(2))
	r.must(r.p.Present(pid(3), r.tick(), members))
	r.must(r.p.SkipReactions(pid(3), r.tick()))
	closes := r.now.Add(48 * time.Hour)
	r.must(r.p.OpenConsentRound(pid(3), r.tick(), members, closes))
	for _, who := range []int{2, 3, 4} { // Eve (5) is away
		r.must(r.p.Consent(pid(who), r.tick()))
	}
	r.now = closes.Add(time.Hour)
	r.must(r.p.Adopt(pid(3), r.now))
	c, _ := newCalendar()
	require.Len(t, observeConsent(t, c, r.events), 1)
	policyItem := review.ItemIDFor(orgID, review.KindPolicyReview, review.DecisionSource(procID))

	before := len(r.events)
	r.must(r.p.Object(pid(5), r.tick(), "Nobody asked the night staff."))
	events := observeConsent(t, c, r.events[before:])
	require.Len(t, events, 1)
	assert.Equal(t, policyItem, events[0].(review.ItemRetired).Item)
	assert.Equal(t, "decision reopened by a late objection", events[0].(review.ItemRetired).Reason)

	// Integrated and adopted again: the review is back, with its history.
	before = len(r.events)
	r.must(r.p.UnderstandObjection(pid(3), r.tick(), pid(5), "The night staff were not consulted."))
	r.must(r.p.WithdrawObjection(pid(5), r.tick(), pid(5)))
	r.must(r.p.Adopt(pid(3), r.tick()))
	events = observeConsent(t, c, r.events[before:])
	require.Len(t, events, 1)
	assert.Equal(t, policyItem, events[0].(review.ItemScheduled).Item)
	it, _ := c.Item(policyItem)
	assert.Equal(t, review.StatusOpen, it.Status)
	assert.Equal(t, 2, it.Revision, "scheduled, retired, scheduled again")
	assert.Empty(t, observeConsent(t, c, r.events), "and observing everything again changes nothing")
}
