package orgchart

import (
	"fmt"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
)

var (
	firstNames = []string{"Ada", "Bartholomew", "Chidi", "Dorota", "Eilidh", "Fatima", "Gwenllian", "Hamza", "Ines", "Jun",
		"Kwame", "Lucía", "Margaret", "Nkechi", "Oisín", "Priya", "Quentin", "Rhiannon", "Siobhán", "Tomasz"}
	lastNames = []string{"Okafor", "Featherstonehaugh-Smythe", "Ng", "Wiśniewska", "MacLeod", "Rahman", "ap Rhys",
		"O'Donnell-Fitzgerald", "Silva", "Park", "Mensah", "Hernández Villanueva", "Ali"}
)

// careOrg builds, through the acts, a care co-operative of n circles (n ≥ 3)
// shaped like the ones this package draws: a mission circle, departments,
// regional circles once there are many teams, and a care team for each
// supported person, with realistic (and some long) names. Every circle is
// double-linked except the helping circle, whose delegate is vacant.
func careOrg(n int) *circle.Organisation {
	f := circletest.Founding(1)
	f.Name, f.TopName = "Riverside Care Co-operative", "Riverside Care Co-operative: mission circle"
	f.FounderLabel = "Ada Okafor"
	org, _, err := circle.Found(f)
	if err != nil {
		panic(err)
	}
	actor, at := circletest.Person(1), circletest.T0
	must := func(_ []circle.Event, err error) {
		if err != nil {
			panic(err)
		}
	}
	people := 0
	person := func() circle.PersonID {
		people++
		p := circletest.Person(people + 1)
		i := people
		must(org.AddPerson(actor, at, circle.PersonSpec{ID: p, Label: firstNames[i%len(firstNames)] + " " + lastNames[(i/3)%len(lastNames)], Class: circle.Worker}))
		return p
	}
	join := func(c circle.CircleID, p circle.PersonID) {
		if cc, _ := org.Circle(c); !cc.IsMember(p) {
			must(org.AddMember(actor, at, c, p))
		}
	}
	next := 1
	add := func(parent circle.CircleID, name string, kind circle.Kind, delegate bool) circle.CircleID {
		next++
		id := circletest.Circle(next)
		spec := circle.CircleSpec{ID: id, Parent: parent, Name: name, Kind: kind}
		if kind == circle.KindHelping {
			spec.Ends = at.AddDate(0, 6, 0)
		}
		must(org.AddCircle(actor, at, spec))
		l, d := person(), person()
		for _, p := range []circle.PersonID{l, d} {
			join(id, p)
			join(parent, p)
		}
		join(id, person())
		must(org.AssignRole(actor, at, id, circle.Leader, l, circletest.Term(12)))
		if delegate {
			must(org.AssignRole(actor, at, id, circle.Delegate, d, circletest.Term(12)))
		}
		return id
	}
	top := org.Top()
	depts := []string{"Care coordination", "Finance, fundraising and membership", "People and wellbeing", "Operations and IT"}
	var dids []circle.CircleID
	for _, d := range depts {
		if next < n {
			dids = append(dids, add(top, d, circle.KindDepartment, true))
		}
	}
	if next < n {
		add(dids[len(dids)-1], "Helping circle: choosing the new rota software", circle.KindHelping, false)
	}
	parents := []circle.CircleID{dids[0]}
	if n >= 40 {
		parents = nil
		for _, r := range []string{"North", "South", "East", "West", "Central and the river villages"} {
			if next < n {
				parents = append(parents, add(dids[0], "Care teams "+r, circle.KindDepartment, true))
			}
		}
	}
	for i := 0; next < n; i++ {
		name := fmt.Sprintf("Care team for %s %s", firstNames[(i*7)%len(firstNames)], lastNames[(i*5+2)%len(lastNames)])
		if i%9 == 4 && len(dids) > 2 {
			add(dids[1+i%(len(dids)-1)], fmt.Sprintf("Working group %d", i), circle.KindTeam, true)
			continue
		}
		add(parents[i%len(parents)], name, circle.KindTeam, true)
	}
	return org
}
