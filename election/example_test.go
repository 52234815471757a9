package election_test

import (
	"fmt"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/election"
)

// A care team selects its delegate: consent to the role, hidden nominations,
// a change round, a proposal, and a consent round in which one objection is
// integrated by shortening the term. The nominee answers last.
func Example_delegateElection() {
	org := teamOrg(4) // P1 (leader, facilitator), P2, P3, P4
	e, _, err := election.Call(org, delegateSpec(), at(0))
	if err != nil {
		fmt.Println(err)
		return
	}
	fac := pid(1)
	for i := 1; i <= 4; i++ {
		must(e.Consent(pid(i), at(1)))
	}
	must(e.OpenNominations(fac, at(2)))

	// The leader may not be the delegate: that nomination is refused.
	_, err = e.Nominate(pid(2), at(3), pid(1), "knows the general circle")
	fmt.Println(err)

	must(e.Nominate(pid(1), at(3), pid(3), "listens well"))
	must(e.Nominate(pid(2), at(3), pid(2), "I would like to do it"))
	must(e.Nominate(pid(3), at(3), pid(2), "speaks up for people we support"))
	fmt.Println("hidden from P4:", len(e.Nominations(pid(4))), "nominations visible")
	must(e.Nominate(pid(4), at(3), pid(3), "calm under pressure"))
	fmt.Println("revealed:", e.Revealed(), e.Phase())

	must(e.ChangeNomination(pid(1), at(4), pid(2), "the reasons for P2 convinced me"))
	for _, c := range election.Tally(e.Nominations(fac)) {
		fmt.Printf("%s: %d nomination(s)\n", label(org, c.Nominee), c.Count)
	}

	must(e.Propose(fac, at(5), election.ProposalSpec{Nominee: pid(2), Reasons: "nominated most often, and willing"}))
	_, err = e.Consent(pid(2), at(6))
	fmt.Println(err) // the nominee answers last
	must(e.Consent(pid(1), at(6)))
	must(e.Object(pid(3), at(6), "a year is long for a first term"))
	must(e.Consent(pid(4), at(6)))
	must(e.UnderstandObjection(fac, at(7), pid(3), "a shorter first term lets us review sooner"))
	must(e.ShortenTerm(fac, at(7), pid(3), t0.AddDate(0, 6, 0)))
	for _, p := range []int{1, 3, 4, 2} { // a new round; the nominee last
		must(e.Consent(pid(p), at(8)))
	}
	must(e.Elect(fac, at(9)))

	out, _ := e.Outcome()
	fmt.Println("elected:", label(org, out.Person), "as", out.Role, "until", out.Term.End.Format(time.DateOnly))
	events, err := out.Assign(org, fac)
	fmt.Println(len(events), "circle event, error:", err)
	team, _ := org.Circle(team)
	d, _ := team.Holder(circle.Delegate)
	fmt.Println("delegate now:", d.Holder == pid(2))
	// Output:
	// election: nominate: 50000000-0000-4000-8000-000000000001 is the circle's leader, and leader and delegate must be different people
	// hidden from P4: 0 nominations visible
	// revealed: true changing
	// P2: 3 nomination(s)
	// P3: 1 nomination(s)
	// consent: give consent: 50000000-0000-4000-8000-000000000002 answers after the 3 others
	// elected: P2 as delegate until 2026-07-05
	// 1 circle event, error: <nil>
	// delegate now: true
}

func label(org *circle.Organisation, id circle.PersonID) string {
	p, _ := org.Person(id)
	return p.Label()
}
