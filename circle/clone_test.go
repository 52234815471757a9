package circle_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
)

// Property: a clone exports the same document as its original and replays
// to the same state, and acts on the clone never change the original.
func TestCloneIsIndependent(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 30).Draw(t, "circles")
		orig, _ := circletest.Generate(n, rapid.IntRange(1, 5).Draw(t, "fanout"), rapid.IntRange(2, 5).Draw(t, "members"))
		before, err := orig.Export()
		require.NoError(t, err)

		c := orig.Clone()
		got, err := c.Export()
		require.NoError(t, err)
		require.Equal(t, string(before), string(got), "the clone differs from its original")
		require.Equal(t, orig.Version(), c.Version())
		require.NoError(t, c.Check())

		// Change the clone in every way an act can.
		actor := circletest.Person(1)
		at := circletest.T0
		target := circletest.Circle(rapid.IntRange(1, n).Draw(t, "circle"))
		newcomer := circletest.Person(10_000)
		circletest.Must(c.AddPerson(actor, at, circle.PersonSpec{ID: newcomer, Label: "New", Class: circle.Worker}))
		circletest.Must(c.AddMember(actor, at, target, newcomer))
		circletest.Must(c.AddCircle(actor, at, circle.CircleSpec{ID: circletest.Circle(10_000), Parent: target, Name: "Helping", Kind: circle.KindTeam}))
		cc, _ := c.Circle(target)
		for _, m := range cc.Members() {
			if m != newcomer {
				circletest.Must(c.RemoveMember(actor, at, target, m))
				break
			}
		}

		after, err := orig.Export()
		require.NoError(t, err)
		require.Equal(t, string(before), string(after), "an act on the clone changed the original")
		require.NoError(t, orig.Check())
		require.NoError(t, c.Check())
	})
}
