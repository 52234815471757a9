package circle_test

import (
	"fmt"
	"time"

	"github.com/coproduce/sociocracy/circle"
)

func ExampleFound() {
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	org, events, err := circle.Found(circle.Founding{
		Org: orgID, Name: "Riverside Care Co-operative", Zone: "Europe/London",
		Founder: pid(1), FounderLabel: "Ada", FounderClass: circle.Worker,
		Top: cid(1), TopName: "Mission circle", TopKind: circle.KindMission,
		TopAim: "Good lives at home, decided together", Domain: []circle.DomainKey{"care", "finance"},
		At: at,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	top, _ := org.Circle(org.Top())
	fmt.Println(org.Name(), "in", org.Zone())
	fmt.Println(top.Name(), top.Kind(), top.Domain(), top.MemberCount(), "member")
	fmt.Println(events[0].EventType())
	// Output:
	// Riverside Care Co-operative in Europe/London
	// Mission circle mission [care finance] 1 member
	// circle.founded
}

func ExampleOrganisation_AddCircle() {
	org, _, _ := circle.Found(founding())
	ada := pid(1)
	_, err := org.AddPerson(ada, t0, circle.PersonSpec{ID: pid(2), Label: "Ben", Class: circle.SupportedPerson})
	if err != nil {
		fmt.Println(err)
	}
	_, err = org.AddCircle(ada, t0, circle.CircleSpec{ID: cid(2), Parent: org.Top(), Name: "Care team North", Kind: circle.KindTeam, Aim: "Support at home in the north"})
	if err != nil {
		fmt.Println(err)
	}
	_, err = org.AddMember(ada, t0, cid(2), pid(2))
	if err != nil {
		fmt.Println(err)
	}
	// Adding Ben twice is refused with a typed error and changes nothing.
	_, err = org.AddMember(ada, t0, cid(2), pid(2))
	fmt.Println(err)
	team, _ := org.Circle(cid(2))
	fmt.Println(team.Name(), team.MemberCount())
	// Output:
	// circle: add member: Ben is already a member of circle "Care team North"
	// Care team North 1
}

func ExampleOrganisation_DelegateDomain() {
	org, _, _ := circle.Found(founding())
	ada := pid(1)
	must(org.AddCircle(ada, t0, circle.CircleSpec{ID: cid(2), Parent: org.Top(), Name: "Care", Kind: circle.KindDepartment}))
	must(org.AddCircle(ada, t0, circle.CircleSpec{ID: cid(3), Parent: cid(2), Name: "Rota", Kind: circle.KindTeam}))
	must(org.DelegateDomain(ada, t0, cid(2), "care"))
	must(org.DelegateDomain(ada, t0, cid(3), "care/rota"))

	// The parent does not hold "finance/payroll", so it cannot give it away.
	_, err := org.DelegateDomain(ada, t0, cid(3), "finance/payroll")
	fmt.Println(err)

	holder, _ := org.DomainHolder("care/rota/weekends")
	c, _ := org.Circle(holder)
	fmt.Println("care/rota/weekends is decided by", c.Name())

	// Revoking "care" from the care circle revokes it below too.
	events := must(org.RevokeDomain(ada, t0, cid(2), "care"))
	fmt.Println(len(events), "keys revoked")
	// Output:
	// circle: delegate domain: circle "Care" does not hold "finance/payroll", so it cannot give it to a child
	// care/rota/weekends is decided by Rota
	// 2 keys revoked
}

func ExampleOrganisation_AssignRole() {
	org, _, _ := circle.Found(founding())
	ada, ben := pid(1), pid(2)
	must(org.AddPerson(ada, t0, circle.PersonSpec{ID: ben, Label: "Ben", Class: circle.SupportedPerson}))
	must(org.AddCircle(ada, t0, circle.CircleSpec{ID: cid(2), Parent: org.Top(), Name: "Care team North", Kind: circle.KindTeam}))
	for _, p := range []circle.PersonID{ada, ben} {
		must(org.AddMember(ada, t0, cid(2), p))
	}
	terms := circle.Term{Start: t0, End: t0.AddDate(1, 0, 0)}
	must(org.AssignRole(ada, t0, cid(2), circle.Leader, ada, terms))
	must(org.AssignRole(ada, t0, cid(2), circle.Delegate, ben, terms))

	// The leader may never also be the delegate.
	_, err := org.AssignRole(ada, t0, cid(2), circle.Delegate, ada, terms)
	fmt.Println(err)

	team, _ := org.Circle(cid(2))
	for _, a := range team.Roles() {
		p, _ := org.Person(a.Holder)
		fmt.Printf("%s: %s until %s\n", a.Role, p.Label(), a.Term.End.Format(time.DateOnly))
	}
	// Output:
	// circle: assign role: Ada is the leader of circle "Care team North" and cannot also be its delegate
	// leader: Ada until 2027-01-05
	// delegate: Ben until 2027-01-05
}
