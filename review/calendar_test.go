package review_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/review"
)

func TestOpen(t *testing.T) {
	c, events := newCalendar()
	assert.Equal(t, orgID, c.Org())
	assert.Equal(t, "Europe/London", c.Zone().String())
	assert.Equal(t, uint64(1), c.Version())
	assert.Equal(t, 0, c.Len())
	require.Len(t, events, 1)
	assert.Equal(t, "review.opened", events[0].EventType())

	for name, tt := range map[string]struct {
		org   circle.OrgID
		zone  string
		actor circle.PersonID
		want  error
	}{
		"an unknown zone":        {orgID, "Europe/Atlantis", pid(1), review.ErrInvalidZone},
		"the machine's own zone": {orgID, "Local", pid(1), review.ErrInvalidZone},
		"no zone":                {orgID, "", pid(1), review.ErrInvalidZone},
		"no organisation":        {circle.OrgID{}, "Europe/London", pid(1), review.ErrMissingID},
		"no actor":               {orgID, "Europe/London", circle.PersonID{}, review.ErrMissingID},
	} {
		t.Run("refuses "+name, func(t *testing.T) {
			_, _, err := review.Open(tt.org, tt.zone, tt.actor, t0)
			assert.ErrorIs(t, err, tt.want)
		})
	}
	t.Run("OpenFor refuses no organisation", func(t *testing.T) {
		_, _, err := review.OpenFor(nil, pid(1), t0)
		assert.ErrorIs(t, err, review.ErrMissingID)
	})
	t.Run("OpenFor takes the organisation's zone", func(t *testing.T) {
		c, _, err := review.OpenFor(org(), pid(1), t0)
		require.NoError(t, err)
		assert.Equal(t, "Europe/London", c.Zone().String())
	})
}

func TestScheduleDerivesStableIDs(t *testing.T) {
	c, _ := newCalendar()
	spec := policy(1, cid(2), ldn(2026, time.July, 1, 10, 0))
	events := must(c.Schedule(pid(1), t0, spec))
	require.Len(t, events, 1)
	s := events[0].(review.ItemScheduled)
	assert.Equal(t, review.ItemIDFor(orgID, review.KindPolicyReview, spec.Source), s.Item)
	assert.Equal(t, uuid.Version(5), s.Item.UUID().Version(), "a name-based UUID")
	assert.NotEqual(t, s.Item, review.ItemIDFor(circletestOrg(2), review.KindPolicyReview, spec.Source), "another organisation's item differs")
	assert.NotEqual(t, s.Item, review.ItemIDFor(orgID, review.KindEarlyReview, spec.Source), "another kind from the same source differs")

	it, ok := c.Item(s.Item)
	require.True(t, ok)
	assert.Equal(t, review.StatusOpen, it.Status)
	assert.True(t, it.Due.Equal(spec.Due))
	assert.Equal(t, 1, c.Len())

	t.Run("an explicit ID is kept", func(t *testing.T) {
		spec := policy(2, cid(2), ldn(2026, time.July, 1, 10, 0))
		spec.ID = review.ItemID(uuid.MustParse("11111111-2222-4333-8444-555555555555"))
		events := must(c.Schedule(pid(1), t0, spec))
		assert.Equal(t, spec.ID, events[0].(review.ItemScheduled).Item)
	})
}

func circletestOrg(n int) circle.OrgID { o := orgID; o[15] = byte(n); return o }

func TestActsRefuseAndChangeNothing(t *testing.T) {
	due := ldn(2026, time.July, 1, 10, 0)
	tests := []struct {
		name string
		act  func(c *review.Calendar, id review.ItemID) ([]review.Event, error)
		want error
	}{
		{"schedule without an actor", func(c *review.Calendar, _ review.ItemID) ([]review.Event, error) {
			return c.Schedule(circle.PersonID{}, t0, policy(9, cid(2), due))
		}, review.ErrMissingID},
		{"schedule without a circle", func(c *review.Calendar, _ review.ItemID) ([]review.Event, error) {
			return c.Schedule(pid(1), t0, policy(9, circle.CircleID{}, due))
		}, review.ErrMissingID},
		{"schedule without a title", func(c *review.Calendar, _ review.ItemID) ([]review.Event, error) {
			s := policy(9, cid(2), due)
			s.Title = ""
			return c.Schedule(pid(1), t0, s)
		}, review.ErrInvalidText},
		{"schedule a title of two lines", func(c *review.Calendar, _ review.ItemID) ([]review.Event, error) {
			s := policy(9, cid(2), due)
			s.Title = "a\nb"
			return c.Schedule(pid(1), t0, s)
		}, review.ErrInvalidText},
		{"schedule an invalid kind", func(c *review.Calendar, _ review.ItemID) ([]review.Event, error) {
			s := policy(9, cid(2), due)
			s.Kind = 0
			return c.Schedule(pid(1), t0, s)
		}, review.ErrInvalidKind},
		{"schedule without a source", func(c *review.Calendar, _ review.ItemID) ([]review.Event, error) {
			s := policy(9, cid(2), due)
			s.Source = review.Source{}
			return c.Schedule(pid(1), t0, s)
		}, review.ErrInvalidSource},
		{"schedule without a due date", func(c *review.Calendar, _ review.ItemID) ([]review.Event, error) {
			return c.Schedule(pid(1), t0, policy(9, cid(2), time.Time{}))
		}, review.ErrInvalidDate},
		{"schedule in the year 10000", func(c *review.Calendar, _ review.ItemID) ([]review.Event, error) {
			return c.Schedule(pid(1), t0, policy(9, cid(2), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)))
		}, review.ErrInvalidDate},
		{"schedule an invalid rule", func(c *review.Calendar, _ review.ItemID) ([]review.Event, error) {
			s := policy(9, cid(2), time.Time{})
			s.Recurrence = review.Recurrence{Rule: review.Rule{Freq: review.Monthly}, Start: t0}
			return c.Schedule(pid(1), t0, s)
		}, review.ErrInvalidRule},
		{"schedule an item that is open", func(c *review.Calendar, _ review.ItemID) ([]review.Event, error) {
			return c.Schedule(pid(1), t0, policy(1, cid(2), due.AddDate(0, 1, 0)))
		}, review.ErrDuplicateItem},
		{"reschedule without a reason", func(c *review.Calendar, id review.ItemID) ([]review.Event, error) {
			return c.Reschedule(pid(1), t0, id, due.AddDate(0, 1, 0), "")
		}, review.ErrInvalidText},
		{"reschedule an unknown item", func(c *review.Calendar, _ review.ItemID) ([]review.Event, error) {
			return c.Reschedule(pid(1), t0, review.ItemID(uuid.MustParse("11111111-2222-4333-8444-555555555555")), due, "why")
		}, review.ErrUnknownItem},
		{"reschedule to no date", func(c *review.Calendar, id review.ItemID) ([]review.Event, error) {
			return c.Reschedule(pid(1), t0, id, time.Time{}, "why")
		}, review.ErrInvalidDate},
		{"complete with no outcome", func(c *review.Calendar, id review.ItemID) ([]review.Event, error) {
			return c.Complete(pid(1), due, id, review.Completion{})
		}, review.ErrInvalidOutcome},
		{"keep a one-off item without a next date", func(c *review.Calendar, id review.ItemID) ([]review.Event, error) {
			return c.Complete(pid(1), due, id, review.Completion{Outcome: review.OutcomeKept})
		}, review.ErrInvalidDate},
		{"keep with a next date not after the date reviewed", func(c *review.Calendar, id review.ItemID) ([]review.Event, error) {
			return c.Complete(pid(1), due, id, review.Completion{Outcome: review.OutcomeKept, Next: due})
		}, review.ErrInvalidDate},
		{"amend without naming the consent process", func(c *review.Calendar, id review.ItemID) ([]review.Event, error) {
			return c.Complete(pid(1), due, id, review.Completion{Outcome: review.OutcomeAmended})
		}, review.ErrMissingProcess},
		{"retire with a next date", func(c *review.Calendar, id review.ItemID) ([]review.Event, error) {
			return c.Complete(pid(1), due, id, review.Completion{Outcome: review.OutcomeRetired, Next: due.AddDate(1, 0, 0)})
		}, review.ErrInvalidDate},
		{"complete a retired item", func(c *review.Calendar, _ review.ItemID) ([]review.Event, error) {
			id := review.ItemIDFor(orgID, review.KindPolicyReview, review.HostSource("decision-3"))
			return c.Complete(pid(1), due, id, review.Completion{Outcome: review.OutcomeRetired})
		}, review.ErrItemClosed},
		{"retire a retired item", func(c *review.Calendar, _ review.ItemID) ([]review.Event, error) {
			id := review.ItemIDFor(orgID, review.KindPolicyReview, review.HostSource("decision-3"))
			return c.Retire(pid(1), due, id, "again")
		}, review.ErrItemClosed},
		{"retire without a reason", func(c *review.Calendar, id review.ItemID) ([]review.Event, error) {
			return c.Retire(pid(1), due, id, "")
		}, review.ErrInvalidText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newCalendar()
			id := must(c.Schedule(pid(1), t0, policy(1, cid(2), due)))[0].(review.ItemScheduled).Item
			retired := must(c.Schedule(pid(1), t0, policy(3, cid(2), due)))[0].(review.ItemScheduled).Item
			must(c.Retire(pid(1), t0, retired, "not needed"))
			before, version := c.Items(), c.Version()
			events, err := tt.act(c, id)
			assert.ErrorIs(t, err, tt.want)
			var re *review.Error
			assert.ErrorAs(t, err, &re)
			assert.Nil(t, events)
			assert.Equal(t, before, c.Items(), "a refused act changes nothing")
			assert.Equal(t, version, c.Version())
		})
	}
}

func TestRescheduleRecordsWhoWhyAndWhen(t *testing.T) {
	c, _ := newCalendar()
	due := ldn(2026, time.July, 1, 10, 0)
	id := must(c.Schedule(pid(1), t0, policy(1, cid(2), due)))[0].(review.ItemScheduled).Item
	at := ldn(2026, time.June, 20, 14, 0)
	events := must(c.Reschedule(pid(3), at, id, ldn(2026, time.September, 1, 10, 0), "the team is short-staffed over the summer"))
	require.Len(t, events, 1)
	e := events[0].(review.ItemRescheduled)
	assert.Equal(t, pid(3), e.Actor)
	assert.True(t, e.At.Equal(at))
	assert.True(t, e.From.Equal(due))
	assert.Equal(t, "the team is short-staffed over the summer", e.Reason)
	it, _ := c.Item(id)
	assert.Equal(t, "2026-09-01 10:00 BST", it.Due.In(london).Format("2006-01-02 15:04 MST"))
	assert.Equal(t, 1, it.Revision)
	assert.Empty(t, must(c.Reschedule(pid(3), at, id, it.Due, "no change")), "moving to the same date records nothing")
}

func TestCompleteOutcomes(t *testing.T) {
	due := ldn(2026, time.July, 1, 10, 0)
	process := consent.ProcessID(uuid.MustParse("0d0d0d0d-0000-4000-8000-000000000001"))
	t.Run("kept: open again with the next date", func(t *testing.T) {
		c, _ := newCalendar()
		id := must(c.Schedule(pid(1), t0, policy(1, cid(2), due)))[0].(review.ItemScheduled).Item
		next := c.AddMonths(due, 6)
		e := must(c.Complete(pid(3), due, id, review.Completion{Outcome: review.OutcomeKept, Next: next, Note: "works well"}))[0].(review.ReviewCompleted)
		assert.True(t, e.Reviewed.Equal(due))
		it, _ := c.Item(id)
		assert.Equal(t, review.StatusOpen, it.Status)
		assert.Equal(t, "2027-01-01 10:00 GMT", it.Due.In(london).Format("2006-01-02 15:04 MST"))
		assert.Equal(t, review.OutcomeKept, it.LastOutcome)
		assert.Equal(t, 1, it.Reviews)
	})
	t.Run("amended without a date: waits for the consent process", func(t *testing.T) {
		c, _ := newCalendar()
		spec := policy(1, cid(2), due)
		id := must(c.Schedule(pid(1), t0, spec))[0].(review.ItemScheduled).Item
		must(c.Complete(pid(3), due, id, review.Completion{Outcome: review.OutcomeAmended, Process: process}))
		it, _ := c.Item(id)
		assert.Equal(t, review.StatusAmending, it.Status)
		assert.Equal(t, process, it.Process)
		assert.True(t, it.Due.IsZero())
		assert.Zero(t, c.Len())
		// The amended policy is adopted with a new review date: scheduled again, same ID.
		spec.Due = c.AddMonths(due, 12)
		e := must(c.Schedule(pid(3), due.AddDate(0, 1, 0), spec))[0].(review.ItemScheduled)
		assert.Equal(t, id, e.Item)
		it, _ = c.Item(id)
		assert.Equal(t, review.StatusOpen, it.Status)
		assert.Equal(t, 1, it.Reviews, "the history stays with the item")
		assert.Equal(t, 2, it.Revision)
	})
	t.Run("amended with a date stays open", func(t *testing.T) {
		c, _ := newCalendar()
		id := must(c.Schedule(pid(1), t0, policy(1, cid(2), due)))[0].(review.ItemScheduled).Item
		must(c.Complete(pid(3), due, id, review.Completion{Outcome: review.OutcomeAmended, Process: process, Next: c.AddMonths(due, 3)}))
		it, _ := c.Item(id)
		assert.Equal(t, review.StatusOpen, it.Status)
	})
	t.Run("retired leaves the calendar", func(t *testing.T) {
		c, _ := newCalendar()
		id := must(c.Schedule(pid(1), t0, policy(1, cid(2), due)))[0].(review.ItemScheduled).Item
		must(c.Complete(pid(3), due, id, review.Completion{Outcome: review.OutcomeRetired}))
		it, _ := c.Item(id)
		assert.Equal(t, review.StatusRetired, it.Status)
		assert.Empty(t, c.Due(due.AddDate(1, 0, 0)))
	})
	t.Run("a recurring review kept moves to the next occurrence", func(t *testing.T) {
		c, _ := newCalendar()
		spec := review.ItemSpec{
			Kind: review.KindCircleReview, Circle: cid(2), Title: "Care team review", Source: review.CircleSource(cid(2)),
			Recurrence: review.Recurrence{Rule: review.Every(6, review.Monthly).On(1, time.Monday), Start: ldn(2026, time.January, 10, 19, 0)},
		}
		id := must(c.Schedule(pid(1), t0, spec))[0].(review.ItemScheduled).Item
		it, _ := c.Item(id)
		assert.Equal(t, "2026-07-06 19:00 BST", it.Due.In(london).Format("2006-01-02 15:04 MST"))
		must(c.Complete(pid(3), it.Due, id, review.Completion{Outcome: review.OutcomeKept}))
		it, _ = c.Item(id)
		assert.Equal(t, "2027-01-04 19:00 GMT", it.Due.In(london).Format("2006-01-02 15:04 MST"))
		// Reviewed three months late: the next is the first occurrence after the review.
		must(c.Complete(pid(3), ldn(2027, time.April, 2, 10, 0), id, review.Completion{Outcome: review.OutcomeKept}))
		it, _ = c.Item(id)
		assert.Equal(t, "2027-07-05 19:00 BST", it.Due.In(london).Format("2006-01-02 15:04 MST"))
		must(c.Complete(pid(3), ldn(2027, time.December, 2, 10, 0), id, review.Completion{Outcome: review.OutcomeKept}))
		it, _ = c.Item(id)
		assert.Equal(t, "2028-01-03 19:00 GMT", it.Due.In(london).Format("2006-01-02 15:04 MST"))
	})
}

func TestTimesAreNormalised(t *testing.T) {
	c, _ := newCalendar()
	due := time.Date(2026, 7, 1, 10, 0, 0, 123456789, london)
	e := must(c.Schedule(pid(1), t0.In(london), policy(1, cid(2), due)))[0].(review.ItemScheduled)
	assert.Equal(t, circle.Normalize(due), e.Due)
	assert.Equal(t, time.UTC, e.Due.Location())
	assert.Equal(t, 123456000, e.Due.Nanosecond())
}

func TestItemsOfListsOpenItemsFirst(t *testing.T) {
	c, _ := newCalendar()
	a := must(c.Schedule(pid(1), t0, policy(1, cid(2), ldn(2026, time.July, 1, 10, 0))))[0].(review.ItemScheduled).Item
	must(c.Schedule(pid(1), t0, policy(2, cid(2), ldn(2026, time.May, 1, 10, 0))))
	must(c.Schedule(pid(1), t0, policy(3, cid(1), ldn(2026, time.May, 1, 10, 0))))
	must(c.Retire(pid(1), t0, a, "withdrawn"))
	got := c.ItemsOf(cid(2))
	assert.Equal(t, []string{"Review policy 2", "Review policy 1"}, titles(got))
	assert.Equal(t, review.StatusRetired, got[1].Status)
	assert.Empty(t, c.ItemsOf(cid(9)))
}
