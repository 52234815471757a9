package linking_test

import (
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
)

// Deterministic IDs and times, shared with package circle's tests.
var (
	pid = circletest.Person
	cid = circletest.Circle
	t0  = circletest.T0
	// now is one month after founding: every term of a year is running.
	now = t0.AddDate(0, 1, 0)
)

// The people and circles of the fixture.
var (
	ada, ben, cat, dan, eve, fay, gus = pid(1), pid(2), pid(3), pid(4), pid(5), pid(6), pid(7)

	mission, ops, team, rota = cid(1), cid(2), cid(3), cid(4)
)

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func year() circle.Term { return circle.Term{Start: t0, End: t0.AddDate(1, 0, 0)} }

// riverside builds a small, well-linked care co-operative:
//
//	Mission circle (mission): Ada, Ben, Cat
//	  Operations (department): Ben (leader), Cat (delegate), Dan, Fay
//	    Care team North (team): Fay (leader), Dan (delegate), Eve, Gus
//	    Rota review (helping, ends three months after t0): Ben (leader)
//
// Dan is a supported person and Eve an advocate acting for him; Gus is an
// investor; the others are workers.
func riverside() *circle.Organisation {
	f := circletest.Founding(1)
	f.Name, f.FounderLabel = "Riverside Care Co-operative", "Ada"
	org, _, err := circle.Found(f)
	if err != nil {
		panic(err)
	}
	people := []circle.PersonSpec{
		{ID: ben, Label: "Ben", Class: circle.Worker},
		{ID: cat, Label: "Cat", Class: circle.Worker},
		{ID: dan, Label: "Dan", Class: circle.SupportedPerson},
		{ID: eve, Label: "Eve", Class: circle.Advocate, ActsFor: []circle.PersonID{dan}},
		{ID: fay, Label: "Fay", Class: circle.Worker},
		{ID: gus, Label: "Gus", Class: circle.Investor},
	}
	for _, p := range people {
		must(org.AddPerson(ada, t0, p))
	}
	must(org.AddCircle(ada, t0, circle.CircleSpec{ID: ops, Parent: mission, Name: "Operations", Kind: circle.KindDepartment}))
	must(org.AddCircle(ada, t0, circle.CircleSpec{ID: team, Parent: ops, Name: "Care team North", Kind: circle.KindTeam}))
	must(org.AddCircle(ada, t0, circle.CircleSpec{ID: rota, Parent: ops, Name: "Rota review", Kind: circle.KindHelping, Ends: t0.AddDate(0, 3, 0)}))
	join := func(c circle.CircleID, ps ...circle.PersonID) {
		for _, p := range ps {
			must(org.AddMember(ada, t0, c, p))
		}
	}
	join(mission, ben, cat)
	join(ops, ben, cat, dan, fay)
	join(team, fay, dan, eve, gus)
	join(rota, ben)
	assign := func(c circle.CircleID, r circle.Role, p circle.PersonID) {
		must(org.AssignRole(ada, t0, c, r, p, year()))
	}
	assign(ops, circle.Leader, ben)
	assign(ops, circle.Delegate, cat)
	assign(team, circle.Leader, fay)
	assign(team, circle.Delegate, dan)
	assign(rota, circle.Leader, ben)
	return org
}

// generated builds, through the acts of package circle, an organisation of
// n circles with about six memberships per circle: four members each, and
// the leader and delegate of every child also in its parent. It reports how
// long building took, for the benchmark log.
func generated(n int) (*circle.Organisation, time.Duration) {
	start := time.Now()
	org, _ := circletest.Generate(n, 8, 4)
	return org, time.Since(start)
}

func memberships(org *circle.Organisation) int {
	total := 0
	for _, id := range org.Circles() {
		c, _ := org.Circle(id)
		total += c.MemberCount()
	}
	return total
}
