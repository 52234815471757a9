package review_test

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"pgregory.net/rapid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/review"
)

func titles(items []review.Item) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, it.Title)
	}
	return out
}

func TestDueOverdueUpcomingAgenda(t *testing.T) {
	c, _ := newCalendar()
	for _, s := range []review.ItemSpec{
		policy(1, cid(2), ldn(2026, time.March, 2, 10, 0)),  // weeks overdue
		policy(2, cid(2), ldn(2026, time.March, 30, 9, 0)),  // due this morning
		policy(3, cid(1), ldn(2026, time.March, 30, 18, 0)), // due this evening
		policy(4, cid(2), ldn(2026, time.April, 10, 10, 0)), // in 11 days
		policy(5, cid(2), ldn(2026, time.June, 1, 10, 0)),   // in two months
	} {
		must(c.Schedule(pid(1), t0, s))
	}
	now := ldn(2026, time.March, 30, 12, 0)
	assert.Equal(t, []string{"Review policy 1", "Review policy 2"}, titles(c.Due(now)), "due: the due instant has come")
	assert.Equal(t, []string{"Review policy 1"}, titles(c.Overdue(now)), "overdue: the due date is over")
	assert.Equal(t, []string{"Review policy 3", "Review policy 4"}, titles(c.Upcoming(now, 14*24*time.Hour)))
	assert.Equal(t, []string{"Review policy 1", "Review policy 2", "Review policy 4"}, titles(c.Agenda(cid(2), ldn(2026, time.April, 10, 19, 0))),
		"the agenda of a meeting holds everything due by the end of its day")
	assert.Equal(t, []string{"Review policy 3"}, titles(c.Agenda(cid(1), now)))
	assert.Empty(t, c.Agenda(cid(9), now))
	t.Run("an item due at exactly now is due, not upcoming", func(t *testing.T) {
		at := ldn(2026, time.March, 30, 9, 0)
		assert.Contains(t, titles(c.Due(at)), "Review policy 2")
		assert.NotContains(t, titles(c.Upcoming(at, time.Hour)), "Review policy 2")
	})
	t.Run("DueBefore stops when the caller stops", func(t *testing.T) {
		var got []string
		for it := range c.DueBefore(ldn(2030, 1, 1, 0, 0)) {
			got = append(got, it.Title)
			if len(got) == 2 {
				break
			}
		}
		assert.Equal(t, []string{"Review policy 1", "Review policy 2"}, got)
	})
	t.Run("DueBefore is half-open, to the microsecond", func(t *testing.T) {
		due := ldn(2026, time.March, 2, 10, 0)
		assert.Empty(t, slices.Collect(c.DueBefore(due)))
		assert.Len(t, slices.Collect(c.DueBefore(due.Add(time.Nanosecond))), 1)
	})
}

// Property: after any sequence of acts, DueBefore(t) and DueBetween(from,
// to) equal a brute-force filter of every item, sorted; Due, Overdue and
// Upcoming agree with the same filter.
func TestPropertyDueBeforeEqualsBruteForce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c, _ := newCalendar()
		base := ldn(2026, time.January, 1, 0, 0)
		instant := func(label string) time.Time {
			// Few distinct instants, so ties in due time are common.
			return base.Add(time.Duration(rapid.IntRange(0, 400).Draw(t, label)) * 6 * time.Hour)
		}
		var ids []review.ItemID
		for i := range rapid.IntRange(0, 120).Draw(t, "acts") {
			act := rapid.IntRange(0, 4).Draw(t, "act")
			if act == 0 || len(ids) == 0 {
				events, err := c.Schedule(pid(1), t0, policy(i, circle.CircleID(cid(rapid.IntRange(1, 3).Draw(t, "circle"))), instant("due")))
				if err == nil {
					ids = append(ids, events[0].(review.ItemScheduled).Item)
				}
				continue
			}
			id := rapid.SampledFrom(ids).Draw(t, "item")
			switch act {
			case 1:
				_, _ = c.Reschedule(pid(1), t0, id, instant("to"), "moved")
			case 2:
				it, _ := c.Item(id)
				_, _ = c.Complete(pid(1), t0, id, review.Completion{Outcome: review.OutcomeKept, Next: it.Due.Add(time.Duration(rapid.IntRange(1, 1000).Draw(t, "h")) * time.Hour)})
			case 3:
				_, _ = c.Retire(pid(1), t0, id, "gone")
			case 4:
				_, _ = c.Schedule(pid(1), t0, policy(rapid.IntRange(0, i).Draw(t, "again"), cid(2), instant("due")))
			}
		}
		filter := func(keep func(review.Item) bool) []review.Item {
			var out []review.Item
			for _, it := range c.Items() {
				if it.Status == review.StatusOpen && keep(it) {
					out = append(out, it)
				}
			}
			slices.SortFunc(out, func(a, b review.Item) int {
				if x := a.Due.Compare(b.Due); x != 0 {
					return x
				}
				return a.ID.Compare(b.ID)
			})
			return out
		}
		at := instant("t").Add(time.Duration(rapid.IntRange(-1, 1).Draw(t, "ns")))
		from := instant("from")
		assert.Equal(t, filter(func(it review.Item) bool { return it.Due.Before(at) }), slices.Collect(c.DueBefore(at)))
		assert.Equal(t, filter(func(it review.Item) bool { return !it.Due.Before(from) && it.Due.Before(at) }), slices.Collect(c.DueBetween(from, at)))
		assert.Equal(t, filter(func(it review.Item) bool { return !it.Due.After(at) }), c.Due(at))
		y, m, d := at.In(london).Date()
		assert.Equal(t, filter(func(it review.Item) bool {
			iy, im, id := it.Due.In(london).Date()
			return iy < y || iy == y && (im < m || im == m && id < d)
		}), c.Overdue(at))
		assert.Equal(t, filter(func(it review.Item) bool { return it.Due.After(at) && !it.Due.After(at.Add(72*time.Hour)) }), c.Upcoming(at, 72*time.Hour))
		assert.Equal(t, len(filter(func(review.Item) bool { return true })), c.Len())
	})
}
