package consent_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/consent"
)

var joiner = circletest.Person(7)

// careTeam is the tests' circle as a care team whose policy needs the
// consent of the supported person, p(5), to every joiner; p(7) is a worker
// who is not yet a member.
func careTeam(t require.TestingT) (*circle.Organisation, consent.Policy) {
	org := supportOrg(t)
	_, err := org.AddPerson(proposer, circletest.T0.Add(time.Hour), circle.PersonSpec{ID: joiner, Label: "New worker", Class: circle.Worker})
	require.NoError(t, err)
	pol := consent.DefaultPolicy()
	pol.JoinConsentOf = circle.SupportedPerson
	return org, pol
}

// membershipRound starts a membership decision through StartIn and opens
// its consent round with the participants the process asks for.
func membershipRound(t require.TestingT, org *circle.Organisation, pol consent.Policy, m consent.MembershipChange) *fixture {
	f := &fixture{t: t, now: t0}
	p, evs, err := consent.StartIn(org, consent.ProcessSpec{ID: procID, Org: orgID, Circle: circleID, Proposer: proposer,
		Facilitator: facil, Proposal: proposal1, Policy: &pol, Membership: &m}, f.now)
	require.NoError(t, err)
	f.p, f.events = p, evs
	f.must(f.p.Present(facil, f.tick(), members))
	f.must(f.p.SkipReactions(facil, f.tick()))
	var ex []consent.Exclusion
	if x, ok := f.p.RemovalExclusion(); ok {
		ex = append(ex, x)
	}
	ps, err := consent.Participants(org, circleID, ex...)
	require.NoError(t, err)
	f.must(f.p.OpenConsentRound(facil, f.tick(), ps, f.now.Add(48*time.Hour), ex...))
	return f
}

// joinLog: a new worker joins the care team with the consent the
// supported person's advocate gave for them.
func joinLog(t require.TestingT) []consent.Event {
	org, pol := careTeam(t)
	f := membershipRound(t, org, pol, consent.MembershipChange{Change: consent.MembershipJoin, Person: joiner})
	f.must(f.p.AnswerFor(advocate, f.tick(), org, supported, consent.AnswerConsent, ""))
	for _, who := range people(1, 2, 3, 4) {
		f.must(f.p.Consent(who, f.tick()))
	}
	f.must(f.p.Adopt(facil, f.tick()))
	return f.events
}

// removalLog: p(4) is removed; heard, objecting, without blocking.
func removalLog(t require.TestingT) []consent.Event {
	f := membershipRound(t, supportOrg(t), consent.DefaultPolicy(), consent.MembershipChange{Change: consent.MembershipRemove, Person: member4})
	f.must(f.p.HearSubject(member4, f.tick(), "I was not told what went wrong.", true))
	for _, who := range people(1, 2, 3, 5) {
		f.must(f.p.Consent(who, f.tick()))
	}
	f.must(f.p.Adopt(facil, f.tick()))
	return f.events
}

// "Joining a care team needs the consent of the person supported or their
// advocate" (Equal Care Co-op's rules, quoted in issue 16, item 1).
func TestAJoinNeedsTheSupportedPersonsConsent(t *testing.T) {
	t.Run("their advocate's consent for them adopts the join and enacts it", func(t *testing.T) {
		org, _ := careTeam(t)
		p := mustReplay(t, joinLog(t))
		m, ok := p.Membership()
		require.True(t, ok)
		assert.Equal(t, []consent.PersonID{supported}, m.ConsentOf, "StartIn named the supported member")
		assert.Equal(t, circle.DecisionMembership, p.Kind())
		evs, err := p.Enact(org)
		require.NoError(t, err)
		require.Len(t, evs, 1)
		added := evs[0].(circle.MemberAdded)
		assert.Equal(t, joiner, added.Person)
		assert.Equal(t, facil, added.Actor)
		assert.Equal(t, uuid.UUID(procID), added.Decision, "the member register can name the decision")
		c, _ := org.Circle(circleID)
		assert.True(t, c.IsMember(joiner))
	})
	t.Run("everyone else's consent is not enough", func(t *testing.T) {
		org, pol := careTeam(t)
		pol.Absence = consent.AbsenceSilenceIsConsent
		f := membershipRound(t, org, pol, consent.MembershipChange{Change: consent.MembershipJoin, Person: joiner})
		for _, who := range people(1, 2, 3, 4) {
			f.must(f.p.Consent(who, f.tick()))
		}
		_, err := f.p.Adopt(facil, f.now.Add(49*time.Hour))
		assert.ErrorIs(t, err, consent.ErrConsentRequired, "silence is not the supported person's consent")
		assert.NotContains(t, f.p.Allowed(facil, f.now.Add(49*time.Hour)), consent.ActAdopt)
	})
	t.Run("a circle without the policy decides as usual", func(t *testing.T) {
		org, _ := careTeam(t)
		f := membershipRound(t, org, consent.DefaultPolicy(), consent.MembershipChange{Change: consent.MembershipJoin, Person: joiner})
		m, _ := f.p.Membership()
		assert.Empty(t, m.ConsentOf)
	})
}

func TestStartInChecksAMembershipDecision(t *testing.T) {
	org, pol := careTeam(t)
	start := func(m consent.MembershipChange, pol consent.Policy) error {
		_, _, err := consent.StartIn(org, consent.ProcessSpec{ID: procID, Org: orgID, Circle: circleID, Proposer: proposer,
			Facilitator: facil, Proposal: proposal1, Policy: &pol, Membership: &m}, t0)
		return err
	}
	lazy := pol
	lazy.Absence, lazy.LazyWindow = consent.AbsenceLazyConsent, time.Hour
	assert.ErrorIs(t, start(consent.MembershipChange{Change: consent.MembershipJoin, Person: member4}, pol), consent.ErrInvalidParticipant, "already a member")
	assert.ErrorIs(t, start(consent.MembershipChange{Change: consent.MembershipRemove, Person: joiner}, pol), consent.ErrInvalidParticipant, "not a member")
	assert.ErrorIs(t, start(consent.MembershipChange{Change: consent.MembershipJoin, Person: outsider}, pol), consent.ErrInvalidParticipant, "nobody")
	assert.ErrorIs(t, start(consent.MembershipChange{Change: consent.MembershipRemove, Person: facil}, pol), consent.ErrInvalidEvent, "the facilitator")
	assert.ErrorIs(t, start(consent.MembershipChange{Change: consent.MembershipJoin, Person: joiner}, lazy), consent.ErrNotAllowedByPolicy)
	assert.ErrorIs(t, start(consent.MembershipChange{Person: joiner}, pol), consent.ErrInvalidEvent)
}

// "They may say what they think, objection included, but they have no
// consent right on their own removal" (docs/method.md, "Membership by
// consent").
func TestARemovalHearsItsSubjectWithoutABlock(t *testing.T) {
	t.Run("the subject is the round's one recorded exclusion", func(t *testing.T) {
		org := supportOrg(t)
		f := start(t, consent.DefaultPolicy())
		p, evs, err := consent.StartIn(org, consent.ProcessSpec{ID: procID, Org: orgID, Circle: circleID, Proposer: proposer,
			Facilitator: facil, Proposal: proposal1, Membership: &consent.MembershipChange{Change: consent.MembershipRemove, Person: member4}}, t0)
		require.NoError(t, err)
		f.p, f.events = p, evs
		f.must(f.p.Present(facil, f.tick(), members))
		f.must(f.p.AskClarifying(member4, f.tick(), "What is the concern about my work?"))
		f.must(f.p.SkipReactions(facil, f.tick()))
		_, err = f.p.OpenConsentRound(facil, f.tick(), members, time.Time{})
		assert.ErrorIs(t, err, consent.ErrInvalidParticipant, "the subject may not consent to their own removal")
		_, err = f.p.OpenConsentRound(facil, f.tick(), people(1, 2, 3, 5), time.Time{})
		assert.ErrorIs(t, err, consent.ErrInvalidParticipant, "left out without the recorded exclusion")
	})
	t.Run("their objection is heard and does not block", func(t *testing.T) {
		org := supportOrg(t)
		p := mustReplay(t, removalLog(t))
		d, ok := p.Decision()
		require.True(t, ok)
		require.Len(t, d.Heard, 1)
		assert.True(t, d.Heard[0].Objects)
		assert.Empty(t, d.Objections)
		evs, err := p.Enact(org)
		require.NoError(t, err)
		assert.IsType(t, circle.MemberRemoved{}, evs[len(evs)-1])
	})
	t.Run("only the subject is heard, once a round", func(t *testing.T) {
		f := membershipRound(t, supportOrg(t), consent.DefaultPolicy(), consent.MembershipChange{Change: consent.MembershipRemove, Person: member4})
		_, err := f.p.HearSubject(member5, f.tick(), "I speak for p(4).", false)
		assert.ErrorIs(t, err, consent.ErrNotParticipant)
		f.must(f.p.HearSubject(member4, f.tick(), "I accept.", false))
		assert.ErrorIs(t, f.p.CanHearSubject(member4, f.tick()), consent.ErrAlreadyAnswered)
		_, err = f.p.Consent(member4, f.tick())
		assert.ErrorIs(t, err, consent.ErrNotParticipant, "no consent right on their own removal")
	})
	t.Run("a decision that is not a removal hears nobody this way", func(t *testing.T) {
		f := inConsent(t)
		assert.ErrorIs(t, f.p.CanHearSubject(member4, f.tick()), consent.ErrNotAllowedByPolicy)
	})
}

func TestEnactRefusesAProcessNotAdopted(t *testing.T) {
	f := membershipRound(t, supportOrg(t), consent.DefaultPolicy(), consent.MembershipChange{Change: consent.MembershipRemove, Person: member4})
	_, err := f.p.Enact(supportOrg(t))
	assert.ErrorIs(t, err, consent.ErrPhase)
	_, err = inAdopted(t).p.Enact(supportOrg(t))
	assert.ErrorIs(t, err, consent.ErrPhase, "an adopted decision that is not about membership")
}
