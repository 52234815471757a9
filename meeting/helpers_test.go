package meeting_test

import (
	"fmt"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/meeting"
)

var (
	pid  = circletest.Person
	cid  = circletest.Circle
	t0   = circletest.T0
	team = cid(2)
	must = circletest.Must[[]meeting.Event]
)

// at returns t0 plus n minutes: acts in a test happen in order.
func at(n int) time.Time { return t0.Add(time.Duration(n) * time.Minute) }

// teamOrg founds an organisation with a team circle of n members, Person(1)
// to Person(n), and one more person, Person(n+1), who is not a member.
// Person(1) facilitates, Person(2) keeps the minutes.
func teamOrg(n int) *circle.Organisation {
	org := circletest.Must3(circle.Found(circletest.Founding(1)))
	founder := pid(1)
	circletest.Must(org.AddCircle(founder, t0, circle.CircleSpec{ID: team, Parent: org.Top(), Name: "Care team North", Kind: circle.KindTeam}))
	for i := 1; i <= n+1; i++ {
		if i > 1 {
			circletest.Must(org.AddPerson(founder, t0, circle.PersonSpec{ID: pid(i), Label: fmt.Sprintf("P%d", i), Class: circle.Worker}))
		}
		if i <= n {
			circletest.Must(org.AddMember(founder, t0, team, pid(i)))
		}
	}
	return org
}

func spec() meeting.Spec {
	return meeting.Spec{ID: meeting.MeetingID(circletest.UUID(0x3e, 1)), Circle: team, Title: "Care team North, January",
		Facilitator: pid(1), Secretary: pid(2), Scheduled: t0.Add(24 * time.Hour)}
}

// convene convenes the test meeting of a team of n.
func convene(n int) (*meeting.Meeting, []meeting.Event) {
	m, evs, err := meeting.Convene(teamOrg(n), spec(), at(0))
	if err != nil {
		panic(err)
	}
	return m, evs
}

func names(p circle.PersonID) string {
	for i := 1; i <= 1000; i++ {
		if pid(i) == p {
			return fmt.Sprintf("P%d", i)
		}
	}
	return ""
}
