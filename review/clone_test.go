package review_test

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/review"
)

// Property: a clone holds the same items in the same due order as its
// original, and acts on the clone never change the original.
func TestCloneIsIndependent(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		o, evs := circletest.Generate(rapid.IntRange(2, 40).Draw(t, "circles"), 3, 3)
		cal, _, err := review.OpenFor(o, circletest.Person(1), circletest.T0)
		require.NoError(t, err)
		for _, e := range evs {
			_, err := cal.Observe(e)
			require.NoError(t, err)
		}
		require.NotZero(t, cal.Len(), "term ends are on the calendar")
		due := func(c *review.Calendar) []review.Item {
			return slices.Collect(c.DueBefore(circletest.T0.AddDate(5, 0, 0)))
		}
		before, beforeDue := cal.Items(), due(cal)

		c := cal.Clone()
		require.Equal(t, before, c.Items())
		require.Equal(t, beforeDue, due(c))
		require.Equal(t, cal.Version(), c.Version())

		at := circletest.T0.Add(time.Hour)
		items := c.Items()
		for _, it := range items[:rapid.IntRange(1, len(items)).Draw(t, "changed")] {
			switch rapid.IntRange(0, 2).Draw(t, "act") {
			case 0:
				circletest.Must(c.Reschedule(circletest.Person(1), at, it.ID, it.Due.AddDate(0, 1, 0), "moved"))
			case 1:
				circletest.Must(c.Retire(circletest.Person(1), at, it.ID, "no longer needed"))
			default:
				circletest.Must(c.Complete(circletest.Person(1), at, it.ID, review.Completion{Outcome: review.OutcomeKept, Next: it.Due.AddDate(1, 0, 0)}))
			}
		}
		require.NotEqual(t, beforeDue, due(c), "the acts changed the clone")
		require.Equal(t, before, cal.Items(), "an act on the clone changed the original's items")
		require.Equal(t, beforeDue, due(cal), "an act on the clone changed the original's due index")
	})
}
