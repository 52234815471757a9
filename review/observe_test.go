package review_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/review"
)

// observeAll hands every event to c and returns the events c recorded.
func observeAll(t testing.TB, c *review.Calendar, events []circle.Event) []review.Event {
	var out []review.Event
	for _, e := range events {
		got, err := c.Observe(e)
		require.NoError(t, err)
		out = append(out, got...)
	}
	return out
}

func TestObserveCircleEvents(t *testing.T) {
	o := org()
	c, _ := newCalendar()
	ada := pid(1)
	term := circle.Term{Start: t0, End: ldn(2027, time.January, 31, 23, 59)}

	events := observeAll(t, c, must(o.AssignRole(ada, t0, cid(2), circle.Facilitator, pid(5), term)))
	require.Len(t, events, 1, "a role assigned schedules its term end")
	s := events[0].(review.ItemScheduled)
	assert.Equal(t, review.KindTermEnd, s.Kind)
	assert.Equal(t, cid(2), s.Circle)
	assert.Equal(t, pid(5), s.Holder)
	assert.Equal(t, "Term end: facilitator", s.Title)
	assert.True(t, s.Due.Equal(term.End))
	assert.Equal(t, ada, s.Actor, "the observed event's actor and time")
	assert.True(t, s.At.Equal(t0))

	t.Run("observing the same event again changes nothing", func(t *testing.T) {
		a, _ := o.Circle(cid(2))
		asg, _ := a.Holder(circle.Facilitator)
		got, err := c.Observe(circle.RoleAssigned{Header: circle.Header{Org: orgID, Actor: ada, At: t0}, Assignment: asg})
		require.NoError(t, err)
		assert.Empty(t, got)
	})

	t.Run("re-assigning the role retires the old term end and schedules the new", func(t *testing.T) {
		term2 := circle.Term{Start: term.End, End: ldn(2028, time.January, 31, 23, 59)}
		events := observeAll(t, c, must(o.AssignRole(ada, t0, cid(2), circle.Facilitator, pid(5), term2))) // a re-assignment decided now for the next term
		require.Len(t, events, 2)
		assert.Equal(t, s.Item, events[0].(review.ItemRetired).Item)
		assert.Equal(t, "role ended (replaced)", events[0].(review.ItemRetired).Reason)
		assert.NotEqual(t, s.Item, events[1].(review.ItemScheduled).Item, "each term is its own item")
	})

	t.Run("a helping circle with an end date schedules its end", func(t *testing.T) {
		ends := ldn(2026, time.June, 30, 17, 0)
		events := observeAll(t, c, must(o.AddCircle(ada, t0, circle.CircleSpec{ID: cid(7), Parent: cid(2), Name: "Rota helpers", Kind: circle.KindHelping, Aim: "Fix the rota", Ends: ends})))
		require.Len(t, events, 1)
		h := events[0].(review.ItemScheduled)
		assert.Equal(t, review.KindHelpingCircleEnd, h.Kind)
		assert.Equal(t, cid(2), h.Circle, "on the agenda of the parent circle that formed it")
		assert.Equal(t, review.CircleSource(cid(7)), h.Source)
		assert.Equal(t, "End of helping circle: Rota helpers", h.Title)
		assert.Empty(t, observeAll(t, c, must(o.AddCircle(ada, t0, circle.CircleSpec{ID: cid(8), Parent: cid(2), Name: "Open-ended helpers", Kind: circle.KindHelping}))),
			"a helping circle without an end has nothing to review")
		assert.Empty(t, observeAll(t, c, must(o.AddCircle(ada, t0, circle.CircleSpec{ID: cid(9), Parent: cid(2), Name: "Team B", Kind: circle.KindTeam}))))

		t.Run("dissolving it retires its items", func(t *testing.T) {
			must(o.AddMember(ada, t0, cid(7), pid(3)))
			observeAll(t, c, must(o.AssignRole(ada, t0, cid(7), circle.Secretary, pid(3), term)))
			require.Len(t, c.Agenda(cid(7), term.End), 1)
			require.Contains(t, titles(c.Agenda(cid(2), ends)), "End of helping circle: Rota helpers")
			events := observeAll(t, c, must(o.DissolveCircle(ada, ends, cid(7))))
			require.Len(t, events, 2, "the term end (by its role ended) and the helping-circle end (by the dissolution)")
			assert.Empty(t, c.Agenda(cid(7), term.End))
			assert.NotContains(t, titles(c.Agenda(cid(2), ends)), "End of helping circle: Rota helpers")
		})
	})

	t.Run("events that schedule nothing are ignored", func(t *testing.T) {
		v := c.Version()
		// After the dissolution above: acts on an organisation are in time order.
		observeAll(t, c, must(o.AddMember(ada, ldn(2026, time.June, 30, 17, 0), cid(2), pid(1))))
		got, err := c.Observe("not an event")
		require.NoError(t, err)
		assert.Empty(t, got)
		assert.Equal(t, v, c.Version())
	})

	t.Run("an event of another organisation is refused", func(t *testing.T) {
		_, err := c.Observe(circle.MemberAdded{Header: circle.Header{Org: circletest.Org(2), Actor: ada, At: t0}})
		assert.ErrorIs(t, err, review.ErrWrongOrganisation)
	})
}

func TestObserveImportedDocument(t *testing.T) {
	o, built := buildOrg()
	built = append(built, must(o.AddCircle(pid(1), t0, circle.CircleSpec{ID: cid(7), Parent: cid(2), Name: "Rota helpers", Kind: circle.KindHelping, Ends: ldn(2026, time.June, 30, 17, 0)}))...)
	_, seeded := must2(circle.Seed(must(o.Export()), pid(1), t0))
	c, _ := newCalendar()
	assert.Len(t, observeAll(t, c, seeded), 5+1, "five term ends and one helping-circle end")

	byActs, _ := newCalendar()
	observeAll(t, byActs, built)
	assert.Equal(t, byActs.Items(), c.Items(), "importing gives the items that building by acts gives")
}

// genCircleEvents drives an organisation through random acts (assign and
// end roles, add helping and other circles, add and remove members,
// dissolve circles), in time order, and returns every event, in order.
// Refused acts are skipped.
func genCircleEvents(t *rapid.T) []circle.Event {
	o, all := buildOrg()
	circles := []circle.CircleID{cid(1), cid(2)}
	next := 10
	// Acts happen in time order, as a host's clock makes them; term
	// starts and ends are any dates.
	now := t0
	tick := func() time.Time {
		now = now.Add(time.Duration(rapid.IntRange(0, 40).Draw(t, "days")) * 24 * time.Hour)
		return now
	}
	day := func(label string) time.Time {
		return t0.Add(time.Duration(rapid.IntRange(0, 1000).Draw(t, label)) * 24 * time.Hour)
	}
	record := func(events []circle.Event, err error) {
		if err == nil {
			all = append(all, events...)
		}
	}
	roles := []circle.Role{circle.Leader, circle.Delegate, circle.Facilitator, circle.Secretary, circle.Operational("rota keeper")}
	for range rapid.IntRange(0, 40).Draw(t, "acts") {
		c := rapid.SampledFrom(circles).Draw(t, "circle")
		p := pid(rapid.IntRange(1, 5).Draw(t, "person"))
		switch rapid.IntRange(0, 5).Draw(t, "act") {
		case 0, 1:
			start := day("start")
			record(o.AssignRole(pid(1), tick(), c, rapid.SampledFrom(roles).Draw(t, "role"), p,
				circle.Term{Start: start, End: review.AddMonths(start, rapid.IntRange(1, 36).Draw(t, "months"), london)}))
		case 2:
			record(o.EndRole(pid(1), tick(), c, rapid.SampledFrom(roles).Draw(t, "role")))
		case 3:
			spec := circle.CircleSpec{ID: cid(next), Parent: c, Name: "Circle " + itoa(next), Kind: circle.KindTeam}
			if rapid.Bool().Draw(t, "helping") {
				spec.Kind = circle.KindHelping
				if rapid.Bool().Draw(t, "ends") {
					spec.Ends = day("ends")
				}
			}
			if events, err := o.AddCircle(pid(1), tick(), spec); err == nil {
				all = append(all, events...)
				circles = append(circles, spec.ID)
			}
			next++
		case 4:
			record(o.AddMember(pid(1), tick(), c, p))
		case 5:
			if rapid.Bool().Draw(t, "dissolve") {
				record(o.DissolveCircle(pid(1), tick(), c))
			} else {
				record(o.RemoveMember(pid(1), tick(), c, p))
			}
		}
	}
	return all
}

// direct builds, by the calendar's own acts, the calendar that observing
// events should give: the model of Observe written as a host would without it.
func direct(t *rapid.T, events []circle.Event) *review.Calendar {
	c, _ := newCalendar()
	schedule := func(h circle.Header, s review.ItemSpec) {
		// Scheduled unless open, or closed at or after the event.
		if it, exists := c.Item(review.ItemIDFor(orgID, s.Kind, s.Source)); !exists || it.Status != review.StatusOpen && h.At.After(it.Updated) {
			if _, err := c.Schedule(h.Actor, h.At, s); err != nil {
				t.Fatalf("schedule: %v", err)
			}
		}
	}
	retire := func(h circle.Header, id review.ItemID, reason string) {
		// Retired unless retired already, or changed after the event.
		if it, ok := c.Item(id); ok && it.Status != review.StatusRetired && !h.At.Before(it.Updated) {
			if _, err := c.Retire(h.Actor, h.At, id, reason); err != nil {
				t.Fatalf("retire: %v", err)
			}
		}
	}
	for _, e := range events {
		switch e := e.(type) {
		case circle.RoleAssigned:
			a := e.Assignment
			schedule(e.Header, review.ItemSpec{Kind: review.KindTermEnd, Circle: a.Circle, Title: "Term end: " + a.Role.String(),
				Source: review.AssignmentSource(a), Holder: a.Holder, Due: a.Term.End})
		case circle.RoleEnded:
			retire(e.Header, review.ItemIDFor(orgID, review.KindTermEnd, review.AssignmentSource(e.Assignment)), "role ended ("+e.Reason+")")
		case circle.CircleAdded:
			if e.Kind == circle.KindHelping && !e.Ends.IsZero() {
				schedule(e.Header, review.ItemSpec{Kind: review.KindHelpingCircleEnd, Circle: e.Parent, Title: "End of helping circle: " + e.Name,
					Source: review.CircleSource(e.Circle), Due: e.Ends})
			}
		case circle.CircleDissolved:
			for _, it := range c.Items() {
				if it.Circle == e.Circle || it.Source == review.CircleSource(e.Circle) {
					retire(e.Header, it.ID, "circle dissolved")
				}
			}
		}
	}
	return c
}

// Property: the calendar built by observing an organisation's events equals
// the one built by the calendar's own acts; observing the events a second
// time records nothing; replaying the calendar's events, straight or through
// their stored form, rebuilds it.
func TestPropertyObservedEqualsDirectAndReplays(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		events := genCircleEvents(t)
		observed, opened := newCalendar()
		log := opened
		for _, e := range events {
			got, err := observed.Observe(e)
			if err != nil {
				t.Fatalf("observe %s: %v", e.EventType(), err)
			}
			log = append(log, got...)
		}
		byActs := direct(t, events)
		assert.Equal(t, byActs.Items(), observed.Items())
		assert.Equal(t, byActs.Version(), observed.Version())

		for _, e := range events {
			if again, _ := observed.Observe(e); len(again) > 0 {
				t.Fatalf("observing %s again recorded %d events", e.EventType(), len(again))
			}
		}

		replayed, err := review.Replay(log)
		if err != nil {
			t.Fatalf("replay: %v", err)
		}
		assert.Equal(t, observed.Items(), replayed.Items())
		stored := make([]review.Event, len(log))
		for i, e := range log {
			typ, data, err := review.MarshalEvent(e)
			if err != nil {
				t.Fatalf("marshal: %v", err)
			}
			if stored[i], err = review.UnmarshalEvent(typ, data); err != nil {
				t.Fatalf("unmarshal %s %s: %v", typ, data, err)
			}
		}
		assert.Equal(t, log, stored)
		fromStore, err := review.Replay(stored)
		if err != nil {
			t.Fatalf("replay stored: %v", err)
		}
		assert.Equal(t, observed.Items(), fromStore.Items())
		assert.Equal(t, observed.Version(), fromStore.Version())
	})
}
