package coop_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/examples/internal/coop"
)

func TestBuildMakesTheCooperativeOfTheExamples(t *testing.T) {
	at := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	org, events, err := coop.Build(at)
	require.NoError(t, err)
	require.NoError(t, org.Check())
	assert.Equal(t, 7, org.CircleCount())
	north, ok := org.Circle(coop.Circle(coop.CareNorth))
	require.True(t, ok)
	_, hasDelegate := north.Holder(circle.Delegate)
	assert.False(t, hasDelegate, "Care team North starts without a delegate")
	assert.True(t, north.IsMember(coop.Person("Ben")), "a supported person sits in the care team")

	again, _, err := coop.Build(at)
	require.NoError(t, err)
	a, _ := org.Export()
	b, _ := again.Export()
	assert.Equal(t, string(a), string(b), "the same IDs every run")
	replayed, err := circle.Replay(events)
	require.NoError(t, err)
	c, _ := replayed.Export()
	assert.Equal(t, string(a), string(c))
}

func TestStepNamesAreUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range coop.Steps(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)) {
		assert.False(t, seen[s.Name], "step %q twice", s.Name)
		seen[s.Name] = true
	}
}
