package review_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/review"
)

// The calendar's own acts are never dated before its latest event, as in
// every aggregate; a refused act changes nothing. Events it observes carry
// the time their own aggregate checked, so they are not refused.
func TestCalendarActsKeepTimeOrder(t *testing.T) {
	c, _ := newCalendar()
	later := t0.Add(48 * time.Hour)
	ev := must(c.Schedule(pid(1), later, policy(1, cid(2), t0.AddDate(0, 6, 0))))
	id := ev[0].(review.ItemScheduled).Item
	before := c.Items()
	version := c.Version()

	for name, act := range map[string]func() ([]review.Event, error){
		"schedule":   func() ([]review.Event, error) { return c.Schedule(pid(1), t0, policy(2, cid(2), t0.AddDate(0, 6, 0))) },
		"reschedule": func() ([]review.Event, error) { return c.Reschedule(pid(1), t0, id, t0.AddDate(0, 7, 0), "moved") },
		"complete": func() ([]review.Event, error) {
			return c.Complete(pid(1), t0, id, review.Completion{Outcome: review.OutcomeKept, Next: t0.AddDate(1, 0, 0)})
		},
		"retire": func() ([]review.Event, error) { return c.Retire(pid(1), t0, id, "gone") },
	} {
		_, err := act()
		assert.ErrorIs(t, err, review.ErrTimeOrder, name)
		assert.Equal(t, before, c.Items(), "%s: nothing changed", name)
		assert.Equal(t, version, c.Version(), name)
	}

	// An observed event from an aggregate with an earlier time still counts.
	_, err := c.Observe(circle.RoleAssigned{Header: circle.Header{Org: orgID, Actor: pid(1), At: t0},
		Assignment: circle.Assignment{Circle: cid(2), Role: circle.Leader, Holder: pid(1), Term: circle.Term{Start: t0, End: t0.AddDate(1, 0, 0)}}})
	require.NoError(t, err)

	// The latest time survives a replay and a clone.
	_, err = c.Clone().Retire(pid(1), t0, id, "gone")
	assert.ErrorIs(t, err, review.ErrTimeOrder, "a clone keeps the latest time")
	must(c.Retire(pid(1), later, id, "gone"))
}
