package circletest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
)

func TestGenerateBuildsADoubleLinkedOrganisation(t *testing.T) {
	org, events := circletest.Generate(300, 6, 6)
	require.NoError(t, org.Check())
	assert.Equal(t, 300, org.CircleCount())
	for _, id := range org.Circles() {
		c, _ := org.Circle(id)
		parentID, ok := c.Parent()
		if !ok {
			continue
		}
		parent, _ := org.Circle(parentID)
		assert.GreaterOrEqual(t, c.MemberCount(), 6)
		for _, role := range []circle.Role{circle.Leader, circle.Delegate} {
			a, held := c.Holder(role)
			require.True(t, held, "%s of %s", role, id)
			assert.True(t, parent.IsMember(a.Holder), "%s of %s is a member of the parent", role, id)
		}
	}
	replayed, err := circle.Replay(events)
	require.NoError(t, err)
	want, _ := org.Export()
	got, _ := replayed.Export()
	assert.Equal(t, string(want), string(got))
}
