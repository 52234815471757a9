package linking_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/linking"
)

func people(cs []linking.Candidate) []circle.PersonID {
	out := []circle.PersonID{}
	for _, c := range cs {
		out = append(out, c.Person)
	}
	return out
}

// "Delegate (bottom-up link, representative): chosen by the circle itself,
// confirmed by the parent." and "Eligibility is checked: only circle
// members, and a leader cannot become the delegate of the same circle."
// (docs/method.md, "Roles" and "Selection")
func TestDelegateCandidatesAreMembersOfTheCircleOtherThanItsLeader(t *testing.T) {
	org := riverside()
	must(org.EndRole(ada, now, team, circle.Delegate))
	cs, err := linking.Candidates(org, team, circle.Delegate, now)
	require.NoError(t, err)
	// Dan is in Operations already; Eve and Gus must join it. Fay leads.
	assert.Equal(t, []circle.PersonID{dan, eve, gus}, people(cs))
	assert.True(t, cs[0].Ready())
	assert.Equal(t, "Already a member of \"Care team North\" and of \"Operations\".", cs[0].Note)
	assert.Equal(t, []circle.CircleID{ops}, cs[1].MustJoin)
	assert.Equal(t, "A member of \"Care team North\"; must join the parent circle \"Operations\".", cs[1].Note)
	assert.Equal(t, circle.Advocate, cs[1].Class)
}

// "Leader (top-down link, operational leader): chosen by the parent circle,
// with the receiving circle's consent." (docs/method.md, "Roles")
func TestLeaderCandidatesComeFromEitherCircleReadiestFirst(t *testing.T) {
	org := riverside()
	cs, err := linking.Candidates(org, team, circle.Leader, now)
	require.NoError(t, err)
	// Fay (incumbent) is in both; Ben and Cat are in Operations and must join
	// the team; Eve and Gus are in the team and must join Operations; Dan is
	// the delegate and cannot lead. Cat links one other circle, Ben two.
	assert.Equal(t, []circle.PersonID{fay, eve, gus, cat, ben}, people(cs))
	assert.True(t, cs[0].Incumbent)
	assert.Equal(t, "Already a member of \"Care team North\" and of \"Operations\". The current leader.", cs[0].Note)
	assert.Equal(t, 2, cs[4].OtherLinks, "Ben leads Operations and Rota review")
	assert.Equal(t, []circle.CircleID{team}, cs[4].MustJoin)
	assert.Equal(t, "A member of the parent circle \"Operations\"; must join \"Care team North\", with its consent. Already links 2 other circles.", cs[4].Note)
}

func TestCandidatesMarkAnIncumbentWhoseTermHasEnded(t *testing.T) {
	cs, err := linking.Candidates(riverside(), team, circle.Delegate, t0.AddDate(1, 0, 0))
	require.NoError(t, err)
	require.Equal(t, dan, cs[0].Person)
	assert.True(t, cs[0].Incumbent)
	assert.Contains(t, cs[0].Note, "The current delegate, whose term has ended.")
}

func TestCandidatesRefuseWhatHasNoLink(t *testing.T) {
	org := riverside()
	_, err := linking.Candidates(org, mission, circle.Leader, now)
	assert.ErrorIs(t, err, linking.ErrTopCircle)
	_, err = linking.Candidates(org, team, circle.Secretary, now)
	assert.ErrorIs(t, err, linking.ErrNotALink)
	_, err = linking.Candidates(org, cid(99), circle.Leader, now)
	assert.ErrorIs(t, err, linking.ErrUnknownCircle)
	_, err = linking.Candidates(nil, team, circle.Leader, now)
	assert.ErrorIs(t, err, linking.ErrNoOrganisation)
}

func TestEveryCandidateCanBeAssignedOnceTheyJoin(t *testing.T) {
	for _, r := range []circle.Role{circle.Leader, circle.Delegate} {
		base := riverside()
		cs, err := linking.Candidates(base, team, r, now)
		require.NoError(t, err)
		for _, c := range cs {
			org := riverside()
			for _, j := range c.MustJoin {
				must(org.AddMember(ada, now, j, c.Person))
			}
			must(org.AssignRole(ada, now, team, r, c.Person, year()))
			rep, err := linking.Check(org, nil, now)
			require.NoError(t, err)
			assert.Empty(t, rep.For(team), "%s as %s", c.Label, r)
		}
	}
}
