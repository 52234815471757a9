package review_test

import (
	"fmt"
	"strings"
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
	_, _ = cal.Schedule(ada, adopted, review.ItemSpec{
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

func ExampleAddMonths() {
	london, _ := time.LoadLocation("Europe/London")
	adopted := review.LocalTime(london, 2026, time.January, 31, 18, 0, 0, 0)
	for _, n := range []int{1, 2, 6, 25} {
		fmt.Printf("+%d months: %s\n", n, review.AddMonths(adopted, n, london).Format("Mon 2 Jan 2006 15:04 MST"))
	}
	// Output:
	// +1 months: Sat 28 Feb 2026 18:00 GMT
	// +2 months: Tue 31 Mar 2026 18:00 BST
	// +6 months: Fri 31 Jul 2026 18:00 BST
	// +25 months: Tue 29 Feb 2028 18:00 GMT
}

func ExampleLocalTime() {
	london, _ := time.LoadLocation("Europe/London")
	// 01:30 does not exist on 29 March 2026 (the clocks jump from 01:00 to
	// 02:00): it moves forward by the gap. 01:30 on 25 October 2026 happens
	// twice: the first is meant.
	fmt.Println(review.LocalTime(london, 2026, time.March, 29, 1, 30, 0, 0).Format("15:04 MST"))
	fmt.Println(review.LocalTime(london, 2026, time.October, 25, 1, 30, 0, 0).Format("15:04 MST"))
	// Output:
	// 02:30 BST
	// 01:30 BST
}

func ExampleCalendar_Reminders() {
	o := org() // team cid(2): Ben leads it, Cleo is its secretary
	cal, _, _ := review.OpenFor(o, pid(1), t0)
	due := review.LocalTime(cal.Zone(), 2026, time.March, 2, 10, 0, 0, 0)
	_, _ = cal.Schedule(pid(1), t0, review.ItemSpec{Kind: review.KindPolicyReview, Circle: cid(2), Title: "Lone working policy",
		Source: review.HostSource("decision/lone-working"), Due: due})
	policy := &review.ReminderPolicy{Ahead: []int{14}, GraceDays: 7}
	// The host's hourly job, on six of its runs: it sends each reminder whose
	// key it has not recorded yet.
	for _, now := range []time.Time{
		review.LocalTime(cal.Zone(), 2026, time.February, 15, 12, 0, 0, 0),
		review.LocalTime(cal.Zone(), 2026, time.February, 16, 12, 0, 0, 0),
		review.LocalTime(cal.Zone(), 2026, time.February, 28, 12, 0, 0, 0),
		review.LocalTime(cal.Zone(), 2026, time.March, 2, 12, 0, 0, 0),
		review.LocalTime(cal.Zone(), 2026, time.March, 9, 12, 0, 0, 0),
		review.LocalTime(cal.Zone(), 2026, time.March, 16, 12, 0, 0, 0),
	} {
		for _, r := range cal.Reminders(now, o, policy) {
			var to []string
			for _, rc := range r.To {
				p, _ := o.Person(rc.Person)
				to = append(to, p.Label())
			}
			fmt.Printf("%s: %s to %v, key …/%s\n", now.Format("2 Jan"), r.Stage, to, r.Key()[37:])
		}
	}
	// Output:
	// 16 Feb: ahead to [Cleo], key …/policy-review/ahead-14d/2026-03-02T10:00:00.000000Z
	// 28 Feb: ahead to [Cleo], key …/policy-review/ahead-14d/2026-03-02T10:00:00.000000Z
	// 2 Mar: due to [Cleo], key …/policy-review/due/2026-03-02T10:00:00.000000Z
	// 9 Mar: escalated to [Ben], key …/policy-review/escalated-leader/2026-03-02T10:00:00.000000Z
	// 16 Mar: escalated to [Eve Founder], key …/policy-review/escalated-parent/2026-03-02T10:00:00.000000Z
}

func ExampleCalendar_ICalendar() {
	cal, _, _ := review.Open(orgID, "Europe/London", pid(1), t0)
	_, _ = cal.Schedule(pid(1), t0, review.ItemSpec{Kind: review.KindPolicyReview, Circle: cid(2), Title: "Lone working policy; nights, weekends",
		Source: review.HostSource("decision/lone-working"), Due: review.LocalTime(cal.Zone(), 2026, time.July, 1, 10, 0, 0, 0)})
	out := cal.ICalendar(t0, &review.ICalOptions{Name: "Care team reviews", Circle: cid(2), Alarms: []int{7}})
	inEvent := false
	for _, line := range strings.Split(string(out), "\r\n") {
		inEvent = inEvent || line == "BEGIN:VEVENT"
		if inEvent {
			fmt.Println(line)
		}
		inEvent = inEvent && line != "END:VEVENT"
	}
	// Output:
	// BEGIN:VEVENT
	// UID:7f4c24f0-b0d6-5aa4-adcb-f961d914cada@review.sociocracy
	// DTSTAMP:20260105T093000Z
	// DTSTART;VALUE=DATE:20260701
	// DURATION:P1D
	// CREATED:20260105T093000Z
	// LAST-MODIFIED:20260105T093000Z
	// SEQUENCE:0
	// SUMMARY:Lone working policy\; nights\, weekends
	// DESCRIPTION:Policy review.
	// CATEGORIES:policy-review
	// STATUS:CONFIRMED
	// TRANSP:TRANSPARENT
	// BEGIN:VALARM
	// ACTION:DISPLAY
	// DESCRIPTION:Lone working policy\; nights\, weekends
	// TRIGGER:-P6DT15H
	// END:VALARM
	// END:VEVENT
}
