package consent_test

import (
	"fmt"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/consent"
)

// A care team cannot find consent in two rounds, its policy's limit; the
// facilitator refers the proposal to the parent circle, which takes it up
// with the history attached. Before the rounds, a member declared an
// interest and was recused.
func ExampleProcess_ReferToParent() {
	var (
		ana, ben, cleo, dev = circletest.Person(1), circletest.Person(2), circletest.Person(3), circletest.Person(4)
		team                = circletest.Circle(2)
		at                  = time.Date(2026, 3, 2, 18, 0, 0, 0, time.UTC)
	)
	org, _, _ := circle.Found(circletest.Founding(1))
	_, _ = org.AddCircle(ana, circletest.T0, circle.CircleSpec{ID: team, Parent: org.Top(), Name: "Care team", Kind: circle.KindTeam})
	for _, p := range []circle.PersonID{ana, ben, cleo, dev} {
		if p != ana {
			_, _ = org.AddPerson(ana, circletest.T0, circle.PersonSpec{ID: p, Label: "P", Class: circle.Worker})
		}
		_, _ = org.AddMember(ana, circletest.T0, team, p)
	}
	pol := consent.DefaultPolicy()
	pol.StuckAfter = 2
	p, _, _ := consent.StartIn(org, consent.ProcessSpec{ID: consent.ProcessID(circletest.UUID(0xb0, 1)), Org: org.ID(), Circle: team,
		Proposer: ana, Facilitator: ben, Policy: &pol,
		Proposal: consent.Proposal{Title: "Agency cover at night", Driver: "Nights are short.", Text: "An agency covers two nights a week."}}, at)
	ps, ex, _ := p.Snapshot(org)
	_, _ = p.Present(ben, at, ps, ex...)
	_, _ = p.DeclareInterest(dev, at, dev, "My brother runs the agency.")
	_, _ = p.SkipReactions(ben, at)
	for round := 1; round <= 2; round++ {
		ps, ex, _ := p.Snapshot(org)
		if round == 1 {
			fmt.Println("participants:", len(ps), "recused:", len(p.Recused()))
		}
		_, _ = p.OpenConsentRound(ben, at, ps, time.Time{}, ex...)
		_, _ = p.Consent(ana, at)
		_, _ = p.Consent(ben, at)
		_, _ = p.Object(cleo, at, "An agency worker would not know the people we support.")
		_, _ = p.Integrate(ben, at)
		_, _ = p.UnderstandObjection(ben, at, cleo, "Strangers at night unsettle people.")
		if round == 1 {
			prop := p.Proposal()
			prop.Text += " The same two agency workers each time."
			_, _ = p.Amend(ana, at, consent.Amendment{Proposal: prop, Change: "the same two workers", Addresses: []circle.PersonID{cleo}})
		}
	}
	fmt.Println("stuck:", p.Stuck())
	_, err := p.ReferToParent(ben, at, org, "Two rounds have not found a way; the mission circle holds the budget.")
	fmt.Println(err, p.Phase())

	up, _, err := consent.TakeUp(org, p, consent.ProcessSpec{ID: consent.ProcessID(circletest.UUID(0xb0, 2)), Org: org.ID(), Circle: org.Top(),
		Proposer: ana, Facilitator: ana, Proposal: p.Proposal()}, at.Add(24*time.Hour))
	if err != nil {
		fmt.Println(err)
		return
	}
	h, _ := up.TakesUp()
	fmt.Println("taken up after", h.Rounds, "rounds with", len(h.Objections), "objections:", h.Reason)
	// Output:
	// participants: 3 recused: 1
	// stuck: true
	// <nil> referred
	// taken up after 2 rounds with 2 objections: Two rounds have not found a way; the mission circle holds the budget.
}
