package review_test

import (
	"fmt"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/review"
)

// A care team's secretary prepares the monthly meeting: what must the team
// review by then? The calendar follows the organisation's events (term
// ends, helping circles) and holds the team's policy reviews and its
// regular review.
func Example_monthlyAgenda() {
	o, events := must2(circle.Found(circletest.Founding(1)))
	ada, team := pid(1), cid(2)
	record := func(e []circle.Event, err error) {
		if err != nil {
			panic(err)
		}
		events = append(events, e...)
	}
	record(o.AddPerson(ada, t0, circle.PersonSpec{ID: pid(2), Label: "Ben", Class: circle.Worker}))
	record(o.AddCircle(ada, t0, circle.CircleSpec{ID: team, Parent: o.Top(), Name: "Care team North", Kind: circle.KindTeam}))
	record(o.AddMember(ada, t0, team, pid(2)))
	record(o.AssignRole(ada, t0, team, circle.Delegate, pid(2), circle.Term{Start: t0, End: review.LocalTime(o.Zone(), 2026, time.June, 30, 23, 59, 0, 0)}))
	record(o.AddCircle(ada, t0, circle.CircleSpec{ID: cid(3), Parent: team, Name: "Rota fixers", Kind: circle.KindHelping,
		Ends: review.LocalTime(o.Zone(), 2026, time.July, 31, 17, 0, 0, 0)}))

	// The calendar keeps itself in step with the organisation.
	cal, _, _ := review.OpenFor(o, ada, t0)
	for _, e := range events {
		if _, err := cal.Observe(e); err != nil {
			panic(err)
		}
	}
	// A policy adopted on 31 January, to be reviewed in 6 months (the
	// end of the month clamps: 31 July), and the team's regular review.
	adopted := review.LocalTime(cal.Zone(), 2026, time.January, 31, 18, 0, 0, 0)
	_, _ = cal.Schedule(ada, adopted, review.ItemSpec{
		Kind: review.KindPolicyReview, Circle: team, Title: "Medication policy",
		Source: review.HostSource("decision/medication-2026"), Due: cal.AddMonths(adopted, 6),
	})
	_, _ = cal.Schedule(ada, t0, review.ItemSpec{
		Kind: review.KindCircleReview, Circle: team, Title: "How is the team doing?", Source: review.CircleSource(team),
		Recurrence: review.Recurrence{Rule: review.Every(3, review.Monthly).On(1, time.Monday), Start: review.LocalTime(cal.Zone(), 2026, time.August, 1, 19, 0, 0, 0)},
	})

	// The meeting is on the first Monday of August: what must the team review by then?
	meeting := review.LocalTime(cal.Zone(), 2026, time.August, 3, 19, 0, 0, 0)
	fmt.Println("Agenda for", meeting.In(cal.Zone()).Format("Monday 2 January 2006"))
	for _, it := range cal.Agenda(team, meeting) {
		fmt.Printf("- %-18s %-36s due %s\n", it.Kind, it.Title, it.Due.In(cal.Zone()).Format("Mon 2 Jan 15:04 MST"))
	}

	// At the meeting the team keeps its way of working; the next review follows the rule.
	review1, _ := cal.Item(review.ItemIDFor(o.ID(), review.KindCircleReview, review.CircleSource(team)))
	_, _ = cal.Complete(pid(2), meeting, review1.ID, review.Completion{Outcome: review.OutcomeKept})
	next, _ := cal.Item(review1.ID)
	fmt.Println("next team review:", next.Due.In(cal.Zone()).Format("Mon 2 Jan 2006 15:04 MST"))
	// Output:
	// Agenda for Monday 3 August 2026
	// - term-end           Term end: delegate                   due Tue 30 Jun 23:59 BST
	// - helping-circle-end End of helping circle: Rota fixers   due Fri 31 Jul 17:00 BST
	// - policy-review      Medication policy                    due Fri 31 Jul 18:00 BST
	// - circle-review      How is the team doing?               due Mon 3 Aug 19:00 BST
	// next team review: Mon 2 Nov 2026 19:00 GMT
}
