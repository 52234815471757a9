package review_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/agreement"
	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/review"
)

// registerRun hands consent events to a policy register and a calendar, as
// a store does: the calendar sees the consent event, then what the register
// made of it.
type registerRun struct {
	t   *testing.T
	cal *review.Calendar
	reg *agreement.Register
}

func newRegisterRun(t *testing.T) *registerRun {
	c, _ := newCalendar()
	r, _, err := agreement.Open(orgID, pid(1), t0)
	require.NoError(t, err)
	return &registerRun{t: t, cal: c, reg: r}
}

func (r *registerRun) see(e consent.Event) {
	r.t.Helper()
	_, err := r.cal.Observe(e)
	require.NoError(r.t, err)
	evs, err := r.reg.Observe(e)
	require.NoError(r.t, err)
	for _, ae := range evs {
		_, err := r.cal.ObserveAgreement(r.reg, ae)
		require.NoError(r.t, err)
	}
}

func regProc(n int) consent.ProcessID { return consent.ProcessID(circletest.UUID(0xd0, n)) }

func regHeader(p consent.ProcessID, at time.Time) consent.Header {
	return consent.Header{Process: p, Org: orgID, Circle: cid(2), Actor: pid(1), At: at}
}

func regAdopted(p consent.ProcessID, at time.Time, text string) consent.DecisionAdopted {
	return consent.DecisionAdopted{Header: regHeader(p, at), Decision: consent.Decision{Process: p, Org: orgID, Circle: cid(2),
		Title: "Rota", Driver: "d", Text: text, Version: 1, Proposer: pid(2), Facilitator: pid(1), AdoptedAt: at,
		ReviewDate: at.AddDate(1, 0, 0), Round: 1, Rounds: 1, Policy: consent.DefaultPolicy()}}
}

func regStarted(p consent.ProcessID, at time.Time, rv consent.Review) consent.Started {
	return consent.Started{Header: regHeader(p, at), Proposer: pid(2), Facilitator: pid(1),
		Proposal: consent.Proposal{Title: "Rota", Driver: "d", Text: "x"}, Policy: consent.DefaultPolicy(), Review: rv}
}

func policyItem(p consent.ProcessID) review.ItemID {
	return review.ItemIDFor(orgID, review.KindPolicyReview, review.DecisionSource(p))
}

func TestAReviewByConsentRetiresTheReviewOfTheVersionItFollows(t *testing.T) {
	for _, tt := range []struct {
		name, text string
		retire     bool
		newOpen    bool
	}{
		{"kept", "v1", false, true},
		{"amended", "v2", false, true},
		{"retired", "retire it", true, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := newRegisterRun(t)
			first, second := regProc(1), regProc(2)
			r.see(regAdopted(first, t0.Add(time.Hour), "v1"))
			it, _ := r.cal.Item(policyItem(first))
			require.Equal(t, review.StatusOpen, it.Status, "the adoption scheduled its review")
			r.see(regStarted(second, t0.Add(2*time.Hour), consent.Review{Agreement: agreement.IDFor(orgID, first), Retire: tt.retire}))
			r.see(regAdopted(second, t0.Add(3*time.Hour), tt.text))
			old, _ := r.cal.Item(policyItem(first))
			assert.Equal(t, review.StatusRetired, old.Status, "the reviewed version's review is done")
			nw, _ := r.cal.Item(policyItem(second))
			assert.Equal(t, tt.newOpen, nw.Status == review.StatusOpen, "the new decision's review takes over, unless it retired the policy")
		})
	}
}

func TestAReopenedAmendmentPutsTheRestoredVersionsReviewBack(t *testing.T) {
	r := newRegisterRun(t)
	first, second := regProc(1), regProc(2)
	r.see(regAdopted(first, t0.Add(time.Hour), "v1"))
	r.see(regStarted(second, t0.Add(2*time.Hour), consent.Review{Agreement: agreement.IDFor(orgID, first)}))
	r.see(regAdopted(second, t0.Add(3*time.Hour), "v2"))
	r.see(consent.DecisionReopened{Header: regHeader(second, t0.Add(4*time.Hour))})
	old, _ := r.cal.Item(policyItem(first))
	assert.Equal(t, review.StatusOpen, old.Status)
	assert.Equal(t, t0.Add(time.Hour).AddDate(1, 0, 0), old.Due, "at the restored version's own review date")
	nw, _ := r.cal.Item(policyItem(second))
	assert.Equal(t, review.StatusRetired, nw.Status)
}

func TestObserveAgreementRefusesAnotherOrganisation(t *testing.T) {
	r := newRegisterRun(t)
	_, err := r.cal.ObserveAgreement(r.reg, agreement.Opened{Header: circle.Header{Org: circletest.Org(9), Actor: pid(1), At: t0}})
	assert.ErrorIs(t, err, review.ErrWrongOrganisation)
}
