package linking

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
)

// Package circle's acts, Replay and Import never let a leader be the
// delegate or a role holder leave the circle, so these codes are reached
// here, one level below Check, with the facts Check would have read
// from an organisation built from inconsistent state.
func TestLinksReportsStatesCircleNeverProduces(t *testing.T) {
	const rule = `"Each circle below the top is linked to its parent by at least two distinct people: its leader and its delegate. Both are full members of both circles, with consent rights in both." and "Leader and delegate may never be the same person" (docs/method.md, "Double-linking" and "Roles")`
	t.Log(rule)
	org, _, err := circle.Found(circletest.Founding(1))
	require.NoError(t, err)
	_, err = org.AddPerson(circletest.Person(1), circletest.T0, circle.PersonSpec{ID: circletest.Person(2), Label: "Ben", Class: circle.Worker})
	require.NoError(t, err)
	ben := circletest.Person(2)
	term := circletest.Term(12)
	s := subject{id: circletest.Circle(2), name: "Care team", kind: circle.KindTeam, parent: circletest.Circle(1)}
	working := func(r circle.Role, p circle.PersonID) linkFacts {
		return linkFacts{a: circle.Assignment{Circle: s.id, Role: r, Holder: p, Term: term}, held: true, inCircle: true, inParent: true}
	}

	t.Run("one person holding both roles is one link, not two", func(t *testing.T) {
		v := newValidator(org, nil, circletest.T0)
		v.links(s, working(circle.Leader, ben), working(circle.Delegate, ben))
		require.Len(t, v.out, 1, "one fault, reported once: not also too-few-links")
		assert.Equal(t, CodeLeaderIsDelegate, v.out[0].Code)
		assert.Equal(t, ben, v.out[0].Person)
		assert.Equal(t, `Ben is both leader and delegate of circle "Care team". They must be two different people: the circle chooses another delegate.`, v.out[0].Message)
	})

	t.Run("too few links is reported when no other violation names the shortfall", func(t *testing.T) {
		p := &Policy{Circles: map[circle.CircleID]LinkRule{s.id: {RequireLeader: true, MinLinks: 2}}}
		v := newValidator(org, p, circletest.T0)
		v.links(s, working(circle.Leader, ben), linkFacts{})
		require.Len(t, v.out, 1)
		assert.Equal(t, CodeTooFewLinks, v.out[0].Code)
		assert.Equal(t, 1, v.out[0].Have)
		assert.Equal(t, 2, v.out[0].Want)
	})

	t.Run("a leader who is not a member of the circle is reported and does not count", func(t *testing.T) {
		v := newValidator(org, nil, circletest.T0)
		l := working(circle.Leader, ben)
		l.inCircle = false
		v.links(s, l, working(circle.Delegate, circletest.Person(1)))
		require.Len(t, v.out, 1)
		assert.Equal(t, CodeNotMemberOfCircle, v.out[0].Code)
		assert.Equal(t, circle.Leader, v.out[0].Role)
		assert.Contains(t, v.out[0].Message, `Ben, leader of circle "Care team", is not a member of the circle "Care team"`)
		assert.Equal(t, LinkNotInCircle, l.state())
	})

	t.Run("an unknown parent is named by its ID", func(t *testing.T) {
		v := newValidator(org, nil, circletest.T0)
		d := working(circle.Delegate, circletest.Person(1))
		d.inParent = false
		v.links(s, working(circle.Leader, ben), d)
		require.Len(t, v.out, 1)
		assert.Contains(t, v.out[0].Message, circletest.Circle(1).String())
	})
}
