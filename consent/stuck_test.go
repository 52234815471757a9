package consent_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/consent"
)

var takeUpID = consent.ProcessID(circletest.UUID(0xb0, 2))

// childOrg is supportOrg with circle 2, a child of circle 1, whose members
// are p(1) to p(5).
func childOrg(t require.TestingT) *circle.Organisation {
	org := supportOrg(t)
	at := circletest.T0.Add(72 * time.Hour)
	_, err := org.AddCircle(proposer, at, circle.CircleSpec{ID: otherID, Parent: circleID, Name: "Care team", Kind: circle.KindTeam})
	require.NoError(t, err)
	for _, m := range members {
		_, err = org.AddMember(proposer, at, otherID, m)
		require.NoError(t, err)
	}
	return org
}

// stuckRound is a process of circle 2 whose policy makes it stuck after
// two rounds, integrating round n with p(3)'s objection open.
func stuckRound(t require.TestingT, n int) *fixture {
	pol := consent.DefaultPolicy()
	pol.StuckAfter = 2
	f := &fixture{t: t, now: t0}
	p, evs, err := consent.Start(consent.ProcessSpec{ID: procID, Org: orgID, Circle: otherID, Proposer: proposer, Facilitator: facil,
		Proposal: proposal1, Policy: &pol}, f.now)
	require.NoError(t, err)
	f.p, f.events = p, evs
	f.must(f.p.Present(facil, f.tick(), members))
	f.must(f.p.SkipReactions(facil, f.tick()))
	for round := 1; round <= n; round++ {
		f.must(f.p.OpenConsentRound(facil, f.tick(), members, time.Time{}))
		f.must(f.p.Object(objector, f.tick(), "The night shift cannot carry this."))
		for _, who := range people(1, 2, 4, 5) {
			f.must(f.p.Consent(who, f.tick()))
		}
		f.must(f.p.Integrate(facil, f.tick()))
		f.must(f.p.UnderstandObjection(facil, f.tick(), objector, "The night shift is short."))
		if round < n {
			prop := f.p.Proposal()
			prop.Text += " Again."
			f.must(f.p.Amend(proposer, f.tick(), consent.Amendment{Proposal: prop, Change: "again", Addresses: []consent.PersonID{objector}}))
			f.must(f.p.OpenConsentRound(facil, f.tick(), members, time.Time{}))
			f.must(f.p.Object(objector, f.tick(), "Still too much for nights."))
			for _, who := range people(1, 2, 4, 5) {
				f.must(f.p.Consent(who, f.tick()))
			}
			f.must(f.p.Integrate(facil, f.tick()))
			f.must(f.p.UnderstandObjection(facil, f.tick(), objector, "Still short."))
			round++
		}
	}
	return f
}

// stuckLog: stuck after two rounds, referred to the parent circle.
func stuckLog(t require.TestingT) []consent.Event {
	f := stuckRound(t, 2)
	f.must(f.p.ReferToParent(facil, f.tick(), childOrg(t), "Two rounds have not found a way; the general circle holds the rota domain."))
	return f.events
}

// takeUpLog: the parent circle takes the stuck process up.
func takeUpLog(t require.TestingT) []consent.Event {
	from := mustReplay(t, stuckLog(t))
	_, evs, err := consent.TakeUp(childOrg(t), from, consent.ProcessSpec{ID: takeUpID, Org: orgID, Circle: circleID,
		Proposer: proposer, Facilitator: facil, Proposal: from.Proposal()}, t0.Add(24*time.Hour))
	require.NoError(t, err)
	return evs
}

// "After several meetings without consent the facilitator passes a
// decision to the next broader circle" (Equal Care Co-op's rules, quoted
// in issue 16, item 7).
func TestAStuckProcessGoesToTheParentCircle(t *testing.T) {
	t.Run("integrating the policy's last round marks it stuck", func(t *testing.T) {
		f := stuckRound(t, 2)
		assert.True(t, f.p.Stuck())
		var stuck int
		for _, e := range f.events {
			if _, ok := e.(consent.DecisionStuck); ok {
				stuck++
			}
		}
		assert.Equal(t, 1, stuck)
		assert.Equal(t, f.p, mustReplay(t, f.events))
	})
	t.Run("a process that is not stuck is not referred up", func(t *testing.T) {
		f := stuckRound(t, 1)
		assert.False(t, f.p.Stuck())
		_, err := f.p.ReferToParent(facil, f.tick(), childOrg(t), "impatient")
		assert.ErrorIs(t, err, consent.ErrNotStuck)
	})
	t.Run("only the facilitator refers it, to a parent there is", func(t *testing.T) {
		f := stuckRound(t, 2)
		_, err := f.p.ReferToParent(proposer, f.tick(), childOrg(t), "reason")
		assert.ErrorIs(t, err, consent.ErrNotFacilitator)
		_, err = f.p.ReferToParent(facil, f.tick(), supportOrg(t), "reason")
		assert.ErrorIs(t, err, consent.ErrUnknownCircle, "an organisation without the process's circle")
	})
	t.Run("the parent takes it up with the history", func(t *testing.T) {
		from := mustReplay(t, stuckLog(t))
		to, ok := from.EscalatedTo()
		require.True(t, ok)
		assert.Equal(t, circleID, to)
		assert.Equal(t, consent.PhaseReferred, from.Phase())
		p := mustReplay(t, takeUpLog(t))
		h, ok := p.TakesUp()
		require.True(t, ok)
		assert.Equal(t, procID, h.Process)
		assert.Equal(t, 2, h.Rounds)
		assert.Len(t, h.Objections, 2)
		_, _, err := consent.TakeUp(childOrg(t), from, consent.ProcessSpec{ID: takeUpID, Org: orgID, Circle: otherID,
			Proposer: proposer, Facilitator: facil, Proposal: from.Proposal()}, t0.Add(24*time.Hour))
		assert.ErrorIs(t, err, consent.ErrNotStuck, "only the circle it was referred to takes it up")
		_, _, err = consent.TakeUp(childOrg(t), inAdopted(t).p, consent.ProcessSpec{ID: takeUpID, Org: orgID, Circle: circleID,
			Proposer: proposer, Facilitator: facil, Proposal: from.Proposal()}, t0.Add(24*time.Hour))
		assert.ErrorIs(t, err, consent.ErrNotStuck)
	})
}
