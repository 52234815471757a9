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

var guest = circletest.Person(8)

// classOrg is supportOrg with p(4) a learning member and p(8) a guest of
// the circle.
func classOrg(t require.TestingT) *circle.Organisation {
	org := supportOrg(t)
	at := circletest.T0.Add(48 * time.Hour)
	_, err := org.AddPerson(proposer, at, circle.PersonSpec{ID: guest, Label: "Guest", Class: "visitor"})
	require.NoError(t, err)
	_, err = org.AddMember(proposer, at, circleID, guest)
	require.NoError(t, err)
	_, err = org.SetParticipation(proposer, at, circleID, guest, circle.ParticipationGuest)
	require.NoError(t, err)
	_, err = org.SetParticipation(proposer, at, circleID, member4, circle.ParticipationLearning)
	require.NoError(t, err)
	return org
}

// classRound is a process of the class org in its consent round, its
// snapshots taken as the process asks.
func classRound(t require.TestingT, org *circle.Organisation, confidential bool) *fixture {
	f := &fixture{t: t, now: t0}
	pol := consent.DefaultPolicy()
	p, evs, err := consent.StartIn(org, consent.ProcessSpec{ID: procID, Org: orgID, Circle: circleID, Proposer: proposer,
		Facilitator: facil, Proposal: proposal1, Policy: &pol, Confidential: confidential}, f.now)
	require.NoError(t, err)
	f.p, f.events = p, evs
	ps, ex, err := f.p.Snapshot(org)
	require.NoError(t, err)
	f.must(f.p.Present(facil, f.tick(), ps, ex...))
	require.NoError(t, consent.CheckMembers(org, f.p))
	f.must(f.p.SkipReactions(facil, f.tick()))
	ps, ex, err = f.p.Snapshot(org)
	require.NoError(t, err)
	f.must(f.p.OpenConsentRound(facil, f.tick(), ps, time.Time{}, ex...))
	require.NoError(t, consent.CheckMembers(org, f.p))
	return f
}

// classLog: a learning member objects as advice, which does not block.
func classLog(t require.TestingT) []consent.Event {
	f := classRound(t, classOrg(t), true)
	f.must(f.p.Advise(member4, f.tick(), consent.AnswerObject, "I would ask the night staff first."))
	for _, who := range people(1, 2, 3, 5) {
		f.must(f.p.Consent(who, f.tick()))
	}
	f.must(f.p.Adopt(facil, f.tick()))
	return f.events
}

// "Full (consent rights), learning (speaks, answers are recorded, no
// consent right) and guest (no consent right; left out of items marked
// confidential and of their records)" (issue 16, item 2).
func TestOnlyFullMembersHaveAConsentRight(t *testing.T) {
	t.Run("learning members and guests are left out of the round by class", func(t *testing.T) {
		f := classRound(t, classOrg(t), false)
		assert.Equal(t, people(1, 2, 3, 5), f.p.Participants())
		_, err := f.p.Consent(member4, f.tick())
		assert.ErrorIs(t, err, consent.ErrNotParticipant, "a learning member has no consent right")
		assert.ErrorIs(t, f.p.CanAdvise(guest, f.now), consent.ErrNotParticipant, "a guest does not advise")
	})
	t.Run("a learning member's objection is advice and does not block", func(t *testing.T) {
		p := mustReplay(t, classLog(t))
		d, ok := p.Decision()
		require.True(t, ok)
		require.Len(t, d.Advice, 1)
		assert.Equal(t, consent.AnswerObject, d.Advice[0].Answer)
		assert.Empty(t, d.Objections)
		require.Len(t, d.Classes, 2, "the record names who took part without a consent right")
		assert.True(t, d.Confidential)
	})
	t.Run("advice once a round, only in the round", func(t *testing.T) {
		f := classRound(t, classOrg(t), false)
		f.must(f.p.Advise(member4, f.tick(), consent.AnswerConsent, ""))
		_, err := f.p.Advise(member4, f.tick(), consent.AnswerObject, "second thoughts")
		assert.ErrorIs(t, err, consent.ErrAlreadyAnswered)
		_, err = inReactions(t).p.Advise(member4, t0.Add(time.Hour), consent.AnswerConsent, "")
		assert.ErrorIs(t, err, consent.ErrPhase)
	})
}

func TestCheckMembersHoldsTheClasses(t *testing.T) {
	org := classOrg(t)
	t.Run("a learning member among a round's participants", func(t *testing.T) {
		f := start(t, consent.DefaultPolicy())
		g := consent.Exclusion{Person: guest, Reason: "a guest", Class: circle.ParticipationGuest}
		f.must(f.p.Present(facil, f.tick(), members, g))
		f.must(f.p.SkipReactions(facil, f.tick()))
		require.NoError(t, consent.CheckMembers(org, f.p), "a learning member speaks when the proposal is presented")
		f.must(f.p.OpenConsentRound(facil, f.tick(), members, time.Time{}, g))
		err := consent.CheckMembers(org, f.p)
		assert.ErrorIs(t, err, consent.ErrInvalidParticipant)
		assert.ErrorContains(t, err, "P4 is a learning member")
	})
	t.Run("a class that is not the member's", func(t *testing.T) {
		f := start(t, consent.DefaultPolicy())
		f.must(f.p.Present(facil, f.tick(), people(1, 2, 3, 4, 5), consent.Exclusion{Person: guest, Reason: "learning", Class: circle.ParticipationLearning}))
		assert.ErrorIs(t, consent.CheckMembers(org, f.p), consent.ErrInvalidParticipant)
	})
	t.Run("a guest presented a confidential item", func(t *testing.T) {
		f := &fixture{t: t, now: t0}
		p, evs, err := consent.StartIn(org, consent.ProcessSpec{ID: procID, Org: orgID, Circle: circleID, Proposer: proposer,
			Facilitator: facil, Proposal: proposal1, Confidential: true}, f.now)
		require.NoError(t, err)
		f.p, f.events = p, evs
		f.must(f.p.Present(facil, f.tick(), append(people(1, 2, 3, 4, 5), guest)))
		assert.ErrorIs(t, consent.CheckMembers(org, f.p), consent.ErrInvalidParticipant)
		assert.False(t, consent.MayRead(org, f.p, guest), "guests do not read a confidential item")
		assert.True(t, consent.MayRead(org, f.p, member4))
	})
	t.Run("a guest presented an open item", func(t *testing.T) {
		f := start(t, consent.DefaultPolicy())
		f.must(f.p.Present(facil, f.tick(), append(people(1, 2, 3, 4, 5), guest)))
		assert.NoError(t, consent.CheckMembers(org, f.p))
		assert.True(t, consent.MayRead(org, f.p, guest))
	})
}

func TestAJoinerMayJoinAsALearningMember(t *testing.T) {
	org, _ := careTeam(t)
	f := membershipRound(t, org, consent.DefaultPolicy(), consent.MembershipChange{Change: consent.MembershipJoin, Person: joiner, Class: circle.ParticipationLearning})
	for _, who := range members {
		f.must(f.p.Consent(who, f.tick()))
	}
	f.must(f.p.Adopt(facil, f.tick()))
	evs, err := f.p.Enact(org)
	require.NoError(t, err)
	require.Len(t, evs, 2)
	c, _ := org.Circle(circleID)
	assert.Equal(t, circle.ParticipationLearning, c.Participation(joiner))
}
