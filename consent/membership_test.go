package consent_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/consent"
)

// memberOrg is organisation 1 whose top circle (circleID) has members p(1)
// to p(5), labelled "Founder" and "P2".."P5".
func memberOrg(t *testing.T) *circle.Organisation {
	t.Helper()
	org, _, err := circle.Found(circletest.Founding(1))
	require.NoError(t, err)
	for i := 2; i <= 5; i++ {
		_, err := org.AddPerson(proposer, t0, circle.PersonSpec{ID: circletest.Person(i), Label: fmt.Sprintf("P%d", i), Class: circle.Worker})
		require.NoError(t, err)
		_, err = org.AddMember(proposer, t0, circleID, circletest.Person(i))
		require.NoError(t, err)
	}
	return org
}

// "A round's participants are exactly the circle's members at that time":
// the only way to leave a member out is an exclusion the snapshot records.
func TestParticipantsAreExactlyTheCircleMembers(t *testing.T) {
	org := memberOrg(t)
	got, err := consent.Participants(org, circleID)
	require.NoError(t, err)
	assert.Equal(t, members, got)

	ex := consent.Exclusion{Person: member4, Reason: "the proposal is P4's removal from the circle"}
	got, err = consent.Participants(org, circleID, ex)
	require.NoError(t, err)
	assert.Equal(t, people(1, 2, 3, 5), got)

	for name, tc := range map[string]struct {
		ex   []consent.Exclusion
		want error
	}{
		"an outsider":    {[]consent.Exclusion{{Person: outsider, Reason: "r"}}, consent.ErrInvalidParticipant},
		"twice":          {[]consent.Exclusion{ex, ex}, consent.ErrInvalidParticipant},
		"with no reason": {[]consent.Exclusion{{Person: member4, Reason: "  "}}, consent.ErrMissingReason},
	} {
		_, err := consent.Participants(org, circleID, tc.ex...)
		assert.ErrorIs(t, err, tc.want, name)
	}
	_, err = consent.Participants(org, otherID)
	assert.ErrorIs(t, err, consent.ErrUnknownCircle)
}

func TestCheckMembersFindsStrangersAndLeftOutMembers(t *testing.T) {
	org := memberOrg(t)
	present := func(ps []consent.PersonID, ex ...consent.Exclusion) (*consent.Process, error) {
		f := inDraft(t)
		if _, err := f.p.Present(facil, f.tick(), ps, ex...); err != nil {
			return nil, err
		}
		return f.p, nil
	}
	p, err := present(members)
	require.NoError(t, err)
	assert.NoError(t, consent.CheckMembers(org, p))
	assert.NoError(t, consent.CheckMembers(org, inDraft(t).p), "a draft has no snapshot")

	p, err = present(append(people(1, 2, 3, 5), outsider))
	require.NoError(t, err)
	err = consent.CheckMembers(org, p)
	require.ErrorIs(t, err, consent.ErrInvalidParticipant)
	assert.Contains(t, err.Error(), outsider.String()+" is not a member of Mission circle")
	assert.Contains(t, err.Error(), "P4 is a member of Mission circle but neither a participant nor excluded with a reason")

	ex := consent.Exclusion{Person: member4, Reason: "the proposal is P4's removal"}
	p, err = present(people(1, 2, 3, 5), ex)
	require.NoError(t, err)
	assert.NoError(t, consent.CheckMembers(org, p))
	assert.Equal(t, []consent.Exclusion{ex}, p.Excluded())

	_, err = present(members, ex)
	assert.ErrorIs(t, err, consent.ErrInvalidParticipant, "a participant cannot also be excluded")
	_, err = present(people(1, 2, 3, 5), consent.Exclusion{Person: member4})
	assert.ErrorIs(t, err, consent.ErrMissingReason, "an exclusion gives its reason")

	other, _, err := circle.Found(circletest.Founding(2))
	require.NoError(t, err)
	assert.ErrorIs(t, consent.CheckMembers(other, p), consent.ErrUnknownCircle, "another organisation")
}

// 200,000 unknown people are refused, in a message of bounded size.
func TestCheckMembersRefusesAHostOfStrangers(t *testing.T) {
	org := memberOrg(t)
	ps := make([]consent.PersonID, 200_000)
	for i := range ps {
		ps[i] = circletest.Person(1000 + i)
	}
	f := inDraft(t)
	_, err := f.p.Present(facil, f.tick(), append(ps, members...))
	require.NoError(t, err, "the process alone cannot know the circle")
	err = consent.CheckMembers(org, f.p)
	require.ErrorIs(t, err, consent.ErrInvalidParticipant)
	assert.Less(t, len(err.Error()), 600)
	assert.Contains(t, err.Error(), "and 199995 more")
}

// The exclusions of every snapshot event survive the stored form, a replay
// and a snapshot, and a retake replaces them.
func TestExclusionsAreRecorded(t *testing.T) {
	org := memberOrg(t)
	ex := consent.Exclusion{Person: member4, Reason: "the proposal is P4's removal"}
	f := inDraft(t)
	ps, err := consent.Participants(org, circleID, ex)
	require.NoError(t, err)
	f.must(f.p.Present(facil, f.tick(), ps, ex))
	f.must(f.p.SkipReactions(facil, f.tick()))
	f.must(f.p.OpenConsentRound(facil, f.tick(), ps, f.now.Add(time.Hour), ex))
	require.NoError(t, consent.CheckMembers(org, f.p))
	opened := f.events[len(f.events)-1].(consent.ConsentRoundOpened)
	assert.Equal(t, []consent.Exclusion{ex}, opened.Excluded)
	assert.True(t, consent.TakesSnapshot(opened))
	assert.False(t, consent.TakesSnapshot(f.events[0]))

	// P6 joins the circle: the snapshot no longer fits until it is retaken.
	_, err = org.AddPerson(proposer, t0, circle.PersonSpec{ID: circletest.Person(6), Label: "P6", Class: circle.Worker})
	require.NoError(t, err)
	_, err = org.AddMember(proposer, t0, circleID, circletest.Person(6))
	require.NoError(t, err)
	assert.ErrorIs(t, consent.CheckMembers(org, f.p), consent.ErrInvalidParticipant)
	all, err := consent.Participants(org, circleID)
	require.NoError(t, err)
	f.must(f.p.RetakeSnapshot(facil, f.tick(), all))
	require.NoError(t, consent.CheckMembers(org, f.p))
	assert.Empty(t, f.p.Excluded(), "a retake replaces the exclusions")

	back, err := consent.Replay(roundtrip(t, f.events))
	require.NoError(t, err)
	assert.Equal(t, f.p, back)
	snap, err := json.Marshal(f.p)
	require.NoError(t, err)
	var q consent.Process
	require.NoError(t, q.UnmarshalJSON(snap))
	assert.Equal(t, f.p, &q)

	// A stored event whose exclusion overlaps its participants is refused.
	bad := opened
	bad.Excluded = []consent.Exclusion{{Person: proposer, Reason: "r"}}
	_, err = consent.Replay(append(f.events[:3:3], bad))
	assert.ErrorIs(t, err, consent.ErrInvalidEvent)
}

// "Review in 1 month" is computed in the organisation's zone with month ends
// clamped, through the library's one date routine: from 31 January it is
// 28 February, and across the change to summer time the wall clock stays.
func TestReviewDateIsInTheOrganisationsZone(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	require.NoError(t, err)
	for _, tc := range []struct {
		adopted, want time.Time
	}{
		{time.Date(2026, time.January, 31, 10, 0, 0, 0, london), time.Date(2026, time.February, 28, 10, 0, 0, 0, london)},
		{time.Date(2026, time.March, 20, 10, 0, 0, 0, london), time.Date(2026, time.April, 20, 10, 0, 0, 0, london)},
	} {
		org := memberOrg(t)
		pol := consent.DefaultPolicy()
		pol.ReviewMonths = 1
		start := tc.adopted.Add(-time.Hour)
		p, _, err := consent.StartIn(org, consent.ProcessSpec{ID: procID, Org: orgID, Circle: circleID, Proposer: proposer,
			Facilitator: facil, Proposal: proposal1, Policy: &pol}, start)
		require.NoError(t, err)
		ps, err := consent.Participants(org, circleID)
		require.NoError(t, err)
		_, err = p.Present(facil, start, ps)
		require.NoError(t, err)
		_, err = p.SkipReactions(facil, start)
		require.NoError(t, err)
		_, err = p.OpenConsentRound(facil, start, ps, time.Time{})
		require.NoError(t, err)
		for _, who := range ps {
			_, err = p.Consent(who, start)
			require.NoError(t, err)
		}
		_, err = p.Adopt(facil, tc.adopted)
		require.NoError(t, err)
		d, ok := p.Decision()
		require.True(t, ok)
		assert.True(t, d.ReviewDate.Equal(tc.want), "adopted %s: review %s, want %s", tc.adopted, d.ReviewDate.In(london), tc.want)

		snap, err := json.Marshal(p)
		require.NoError(t, err)
		var q consent.Process
		require.NoError(t, q.UnmarshalJSON(snap))
		assert.Equal(t, p, &q, "the zone survives a snapshot")
	}
	_, _, err = consent.Start(consent.ProcessSpec{ID: procID, Org: orgID, Circle: circleID, Proposer: proposer,
		Facilitator: facil, Proposal: proposal1, Zone: "Mars/Olympus"}, t0)
	assert.ErrorIs(t, err, consent.ErrInvalidZone)
}
