package linking_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/linking"
)

// "Feedback, requests and concerns travel along these links, so 'who
// carries this from the care team to the board' is a path through linking
// people." (docs/method.md, "Double-linking")
func TestFeedbackPathGoesUpThroughDelegatesAndDownThroughLeaders(t *testing.T) {
	p, err := linking.FeedbackPath(riverside(), team, rota, now)
	require.NoError(t, err)
	assert.Equal(t, []circle.CircleID{team, ops, rota}, p.Circles)
	assert.Equal(t, ops, p.Via)
	require.Len(t, p.Hops, 2)
	assert.Equal(t, linking.Up, p.Hops[0].Direction)
	assert.Equal(t, linking.Link{Role: circle.Delegate, Person: dan, Label: "Dan", State: linking.LinkWorking}, p.Hops[0].Carrier())
	assert.Equal(t, linking.Down, p.Hops[1].Direction)
	assert.Equal(t, linking.Link{Role: circle.Leader, Person: ben, Label: "Ben", State: linking.LinkWorking}, p.Hops[1].Carrier())
	assert.Equal(t, rota, p.Hops[1].Child())
	assert.True(t, p.Complete())
	assert.Equal(t, []circle.PersonID{dan, ben}, p.Carriers())
}

func TestFeedbackPathToTheBoardClimbsEveryLevel(t *testing.T) {
	p, err := linking.FeedbackPath(riverside(), team, mission, now)
	require.NoError(t, err)
	assert.Equal(t, []circle.CircleID{team, ops, mission}, p.Circles)
	assert.Equal(t, mission, p.Via)
	assert.Equal(t, []circle.PersonID{dan, cat}, p.Carriers())
	assert.Equal(t, `From "Care team North" to "Mission circle" via "Mission circle": 2 hops.
  up "Care team North" -> "Operations": Dan (delegate)
  up "Operations" -> "Mission circle": Cat (delegate)
`, p.String())
}

func TestFeedbackPathReportsAVacantLinkAsAGapAndNamesTheBackup(t *testing.T) {
	org := riverside()
	must(org.EndRole(ada, now, team, circle.Delegate))
	p, err := linking.FeedbackPath(org, team, mission, now)
	require.NoError(t, err)
	assert.False(t, p.Complete())
	gaps := p.Gaps()
	require.Len(t, gaps, 1)
	assert.Equal(t, team, gaps[0].From)
	assert.Equal(t, linking.LinkVacant, gaps[0].Carrier().State)
	assert.True(t, gaps[0].Carrier().Person.IsZero(), "a gap names nobody as carrier")
	assert.True(t, gaps[0].Backup().Working())
	assert.False(t, gaps[0].Blocked())
	assert.Equal(t, []circle.PersonID{cat}, p.Carriers(), "the gap contributes nobody")
	assert.Equal(t, `From "Care team North" to "Mission circle" via "Mission circle": 2 hops.
  up "Care team North" -> "Operations": GAP: "Care team North" has no delegate
    Fay (leader) could carry it instead
  up "Operations" -> "Mission circle": Cat (delegate)
`, p.String())
}

func TestFeedbackPathIsBlockedWhenNeitherLinkWorks(t *testing.T) {
	org := riverside()
	must(org.EndRole(ada, now, team, circle.Delegate))
	must(org.RemoveMember(ada, now, ops, fay))
	p, err := linking.FeedbackPath(org, mission, team, now)
	require.NoError(t, err)
	require.Len(t, p.Hops, 2)
	h := p.Hops[1]
	assert.True(t, h.Gap())
	assert.True(t, h.Blocked())
	assert.Equal(t, linking.LinkNotInParent, h.Leader.State)
	assert.Equal(t, fay, h.Leader.Person, "a broken link still names its holder")
	assert.Contains(t, p.String(), "GAP: Fay, the leader, is not a member of the parent circle\n    nobody can carry it: the delegate link is vacant too")
}

func TestFeedbackPathMarksAnEndedTermAsAGap(t *testing.T) {
	p, err := linking.FeedbackPath(riverside(), team, mission, t0.AddDate(1, 0, 0))
	require.NoError(t, err)
	assert.Len(t, p.Gaps(), 2)
	assert.Equal(t, linking.LinkTermEnded, p.Hops[0].Delegate.State)
	assert.Empty(t, p.Carriers())
}

func TestFeedbackPathFromACircleToItselfHasNoHops(t *testing.T) {
	p, err := linking.FeedbackPath(riverside(), team, team, now)
	require.NoError(t, err)
	assert.Equal(t, []circle.CircleID{team}, p.Circles)
	assert.Empty(t, p.Hops)
	assert.Equal(t, team, p.Via)
	assert.True(t, p.Complete())
}

func TestFeedbackPathRefusesUnknownCircles(t *testing.T) {
	_, err := linking.FeedbackPath(riverside(), team, cid(99), now)
	assert.ErrorIs(t, err, linking.ErrUnknownCircle)
	_, err = linking.FeedbackPath(nil, team, ops, now)
	assert.ErrorIs(t, err, linking.ErrNoOrganisation)
}

func TestFeedbackPathRoundTripsThroughJSON(t *testing.T) {
	p, err := linking.FeedbackPath(riverside(), team, rota, now)
	require.NoError(t, err)
	data, err := json.Marshal(p)
	require.NoError(t, err)
	var back linking.Path
	require.NoError(t, json.Unmarshal(data, &back))
	assert.Equal(t, *p, back)
	assert.Contains(t, string(data), `"direction":"up"`)
	assert.Contains(t, string(data), `"state":"working"`)
}

func TestLinksDescribesBothLinksOfACircle(t *testing.T) {
	org := riverside()
	links, err := linking.Links(org, rota, now)
	require.NoError(t, err)
	assert.Equal(t, linking.Link{Role: circle.Leader, Person: ben, Label: "Ben", State: linking.LinkWorking}, links[0])
	assert.Equal(t, linking.Link{Role: circle.Delegate, State: linking.LinkVacant}, links[1])
	_, err = linking.Links(org, mission, now)
	assert.ErrorIs(t, err, linking.ErrTopCircle)
	_, err = linking.Links(org, cid(99), now)
	assert.ErrorIs(t, err, linking.ErrUnknownCircle)
}
