package review_test

import (
	"strconv"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/review"
)

// Deterministic IDs and times for tests, shared with package circle.
var (
	pid    = circletest.Person
	cid    = circletest.Circle
	orgID  = circletest.Org(1)
	t0     = circletest.T0
	london = mustZone("Europe/London")
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// must fails at once if an act was refused.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// ldn returns a wall clock in London, resolved by review.LocalTime.
func ldn(y int, m time.Month, d, hh, mm int) time.Time {
	return review.LocalTime(london, y, m, d, hh, mm, 0, 0)
}

// newCalendar opens the calendar of orgID in London at t0.
func newCalendar() (*review.Calendar, []review.Event) {
	c, events, err := review.Open(orgID, "Europe/London", pid(1), t0)
	if err != nil {
		panic(err)
	}
	return c, events
}

// policy returns the spec of a policy review of decision n for circle c.
func policy(n int, c circle.CircleID, due time.Time) review.ItemSpec {
	return review.ItemSpec{
		Kind: review.KindPolicyReview, Circle: c, Title: "Review policy " + itoa(n),
		Source: review.HostSource("decision-" + itoa(n)), Due: due,
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// org returns organisation 1: the top circle cid(1) and a team cid(2) under
// it. Top circle: Ada (1) leader, Eve (5) secretary. Team: Ben (2) leader,
// Cleo (3) secretary, Dev (4) delegate.
func org() *circle.Organisation { o, _ := buildOrg(); return o }

// buildOrg returns org() and the events that built it.
func buildOrg() (*circle.Organisation, []circle.Event) {
	o, all := must2(circle.Found(circletest.Founding(1)))
	a := pid(1)
	add := func(events []circle.Event, err error) {
		if err != nil {
			panic(err)
		}
		all = append(all, events...)
	}
	for i, label := range []string{"", "Ada", "Ben", "Cleo", "Dev", "Eve"} {
		if i <= 1 {
			continue
		}
		add(o.AddPerson(a, t0, circle.PersonSpec{ID: pid(i), Label: label, Class: circle.Worker}))
	}
	add(o.AddCircle(a, t0, circle.CircleSpec{ID: cid(2), Parent: cid(1), Name: "Care team", Kind: circle.KindTeam, Aim: "Care"}))
	for _, p := range []int{2, 3, 4, 5} {
		add(o.AddMember(a, t0, cid(2), pid(p)))
	}
	add(o.AddMember(a, t0, cid(1), pid(2)))
	add(o.AddMember(a, t0, cid(1), pid(5)))
	term := circle.Term{Start: t0, End: t0.AddDate(1, 0, 0)}
	add(o.AssignRole(a, t0, cid(1), circle.Secretary, pid(5), term)) // Eve: secretary of the top circle
	add(o.AssignRole(a, t0, cid(1), circle.Leader, pid(1), term))    // Ada: leader of the top circle
	add(o.AssignRole(a, t0, cid(2), circle.Secretary, pid(3), term)) // Cleo: secretary of the team
	add(o.AssignRole(a, t0, cid(2), circle.Leader, pid(2), term))    // Ben: leader of the team
	add(o.AssignRole(a, t0, cid(2), circle.Delegate, pid(4), term))  // Dev: delegate of the team
	return o, all
}

func must2[A, B any](a A, b B, err error) (A, B) {
	if err != nil {
		panic(err)
	}
	return a, b
}
