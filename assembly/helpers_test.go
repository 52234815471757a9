package assembly_test

import (
	"fmt"
	"time"

	"github.com/coproduce/sociocracy/assembly"
	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
)

var (
	pid  = circletest.Person
	t0   = circletest.T0
	must = circletest.Must[[]assembly.Event]
)

// at returns t0 plus n minutes.
func at(n int) time.Time { return t0.Add(time.Duration(n) * time.Minute) }

// held is when the test meetings are held: 20 days after t0, 18:00 London.
var held = time.Date(2026, 1, 25, 18, 0, 0, 0, time.UTC)

// after returns held plus n minutes.
func after(n int) time.Time { return held.Add(time.Duration(n) * time.Minute) }

// coopOrg founds an organisation whose people are Person(1) to
// Person(workers+investors): the first workers are workers (Person(1), the
// founder, chairs), the rest investors.
func coopOrg(workers, investors int) *circle.Organisation {
	org := circletest.Must3(circle.Found(circletest.Founding(1)))
	for i := 2; i <= workers+investors; i++ {
		class := circle.Worker
		if i > workers {
			class = circle.Investor
		}
		circletest.Must(org.AddPerson(pid(1), t0, circle.PersonSpec{ID: pid(i), Label: fmt.Sprintf("P%d", i), Class: class}))
	}
	return org
}

func spec() assembly.Spec {
	return assembly.Spec{ID: assembly.MeetingID(circletest.UUID(0xa9, 1)), Kind: assembly.Annual,
		Title: "Annual general meeting 2026", Chair: pid(1), Held: held}
}

// rules are Equal Care's with a quorum of 3 and at most 2 proxies each.
func rules() assembly.Rules {
	r := assembly.EqualCare()
	r.Quorum = assembly.Quorum{Members: 3}
	r.ProxyLimit = 2
	return r
}

func call(workers, investors int, r assembly.Rules) (*assembly.Meeting, []assembly.Event) {
	m, evs, err := assembly.Call(coopOrg(workers, investors), spec(), r, at(0))
	if err != nil {
		panic(err)
	}
	return m, evs
}
