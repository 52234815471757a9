package election_test

import (
	"fmt"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/election"
)

var (
	pid  = circletest.Person
	cid  = circletest.Circle
	t0   = circletest.T0
	team = cid(2)
	must = circletest.Must[[]election.Event]
)

// at returns t0 plus n minutes: acts in a test happen in order.
func at(n int) time.Time { return t0.Add(time.Duration(n) * time.Minute) }

// teamOrg founds an organisation with a team circle of n members, Person(1)
// to Person(n); Person(1) is its leader and the facilitator of elections.
func teamOrg(n int) *circle.Organisation {
	org := circletest.Must3(circle.Found(circletest.Founding(1)))
	founder := pid(1)
	circletest.Must(org.AddCircle(founder, t0, circle.CircleSpec{ID: team, Parent: org.Top(), Name: "Care team North", Kind: circle.KindTeam}))
	for i := 1; i <= n; i++ {
		if i > 1 {
			circletest.Must(org.AddPerson(founder, t0, circle.PersonSpec{ID: pid(i), Label: fmt.Sprintf("P%d", i), Class: circle.Worker}))
		}
		circletest.Must(org.AddMember(founder, t0, team, pid(i)))
	}
	circletest.Must(org.AssignRole(founder, t0, team, circle.Leader, pid(1), circletest.Term(12)))
	return org
}

func delegateSpec() election.Spec {
	return election.Spec{
		ID: election.ElectionID(circletest.UUID(0xe1, 1)), Circle: team, Role: circle.Delegate, Facilitator: pid(1),
		Description: "Carries the team's concerns to the general circle and takes part in its decisions",
		Term:        circletest.Term(12), Policy: election.DefaultPolicy(),
	}
}
