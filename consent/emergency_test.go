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

// emergencyOrg is childOrg with circle 2 holding the domain care, and p(1)
// its leader.
func emergencyOrg(t require.TestingT) *circle.Organisation {
	org := childOrg(t)
	at := circletest.T0.Add(96 * time.Hour)
	_, err := org.DelegateDomain(proposer, at, otherID, "care")
	require.NoError(t, err)
	_, err = org.AssignRole(proposer, at, otherID, circle.Leader, proposer, circle.Term{Start: at, End: at.AddDate(1, 0, 0)})
	require.NoError(t, err)
	return org
}

func emergencySpec(pol consent.Policy, by consent.PersonID, domain circle.DomainKey) consent.ProcessSpec {
	return consent.ProcessSpec{ID: procID, Org: orgID, Circle: otherID, Proposer: by, Facilitator: facil, Policy: &pol,
		Proposal: consent.Proposal{Title: "Two workers on every night visit to Flat 4", Driver: "A worker was threatened there last night.",
			Text: "Until the team decides otherwise, night visits to Flat 4 are made by two workers."},
		Emergency: &consent.EmergencySpec{Domain: domain}}
}

// emergencyLog: the leader decides alone; the team's consent round opens
// three days later and adopts it.
func emergencyLog(t require.TestingT) []consent.Event {
	f := &fixture{t: t, now: t0}
	p, evs, err := consent.StartIn(emergencyOrg(t), emergencySpec(consent.DefaultPolicy(), proposer, "care/nights"), f.now)
	require.NoError(t, err)
	f.p, f.events = p, evs
	f.now = f.now.Add(72 * time.Hour)
	f.must(f.p.Present(facil, f.tick(), members))
	f.must(f.p.SkipReactions(facil, f.tick()))
	f.must(f.p.OpenConsentRound(facil, f.tick(), members, time.Time{}))
	for _, who := range members {
		f.must(f.p.Consent(who, f.tick()))
	}
	f.must(f.p.Adopt(facil, f.tick()))
	return f.events
}

// "A role named by policy may decide alone in an emergency, within a
// scope; the decision takes effect at once, opens a consent process that
// must be held within a set number of days" (issue 16, item 6).
func TestTheLeaderMayDecideAloneInAnEmergency(t *testing.T) {
	t.Run("in effect at once, its consent round due within the days", func(t *testing.T) {
		p, _, err := consent.StartIn(emergencyOrg(t), emergencySpec(consent.DefaultPolicy(), proposer, "care/nights"), t0)
		require.NoError(t, err)
		m, ok := p.Emergency()
		require.True(t, ok)
		assert.Equal(t, circle.Leader, m.Role)
		assert.Equal(t, t0.AddDate(0, 0, consent.DefaultEmergencyDays), m.HoldBy)
		assert.False(t, p.EmergencyOverdue(m.HoldBy.Add(-time.Minute)))
		assert.True(t, p.EmergencyOverdue(m.HoldBy))
		q := mustReplay(t, emergencyLog(t))
		d, ok := q.Decision()
		require.True(t, ok)
		require.NotNil(t, d.Emergency, "the record says it began as an emergency decision")
		assert.False(t, q.EmergencyOverdue(m.HoldBy), "its round was held")
	})
	lazy := consent.DefaultPolicy()
	lazy.NoEmergency = true
	scoped := consent.DefaultPolicy()
	scoped.EmergencyScope = "care/rota"
	byRole := consent.DefaultPolicy()
	byRole.EmergencyRole = circle.Operational("on-call manager")
	tests := []struct {
		name   string
		pol    consent.Policy
		by     consent.PersonID
		domain circle.DomainKey
	}{
		{"by someone without the role", consent.DefaultPolicy(), facil, "care/nights"},
		{"outside the circle's domain", consent.DefaultPolicy(), proposer, "finance"},
		{"outside the policy's scope", scoped, proposer, "care/nights"},
		{"where the policy allows none", lazy, proposer, "care/nights"},
		{"when the policy's role is vacant", byRole, proposer, "care/nights"},
	}
	for _, tc := range tests {
		t.Run("refused "+tc.name, func(t *testing.T) {
			_, _, err := consent.StartIn(emergencyOrg(t), emergencySpec(tc.pol, tc.by, tc.domain), t0)
			assert.ErrorIs(t, err, consent.ErrNotAllowedByPolicy)
		})
	}
	t.Run("refused without the organisation", func(t *testing.T) {
		_, _, err := consent.Start(emergencySpec(consent.DefaultPolicy(), proposer, "care/nights"), t0)
		assert.ErrorIs(t, err, consent.ErrUnknownCircle)
	})
	t.Run("the policy's days", func(t *testing.T) {
		pol := consent.DefaultPolicy()
		pol.EmergencyDays = 2
		p, _, err := consent.StartIn(emergencyOrg(t), emergencySpec(pol, proposer, "care/nights"), t0)
		require.NoError(t, err)
		m, _ := p.Emergency()
		assert.Equal(t, t0.AddDate(0, 0, 2), m.HoldBy)
		pol.EmergencyDays = consent.MaxEmergencyDays + 1
		assert.ErrorIs(t, pol.Validate(), consent.ErrInvalidPolicy)
	})
}
