package consent_test

import (
	"fmt"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/consent"
)

// A new worker joins a care team by consent. The team's policy needs the
// consent of the person it supports; she gives it through her advocate,
// and a worker away from the meeting answers by phone. The decision record
// shows the support given, and Enact is the act that adds the joiner (a
// store appends it with the adoption).
func ExampleProcess_AnswerFor() {
	var (
		ana, ben, cleo, dev = circletest.Person(1), circletest.Person(2), circletest.Person(3), circletest.Person(4)
		eve, finn           = circletest.Person(5), circletest.Person(6) // Cleo's advocate; the new worker
		team                = circletest.Circle(1)
		at                  = time.Date(2026, 3, 2, 18, 0, 0, 0, time.UTC)
	)
	org, _, _ := circle.Found(circletest.Founding(1))
	for _, p := range []circle.PersonSpec{
		{ID: ben, Label: "Ben", Class: circle.Worker}, {ID: cleo, Label: "Cleo", Class: circle.SupportedPerson},
		{ID: dev, Label: "Dev", Class: circle.Worker}, {ID: eve, Label: "Eve", Class: circle.Advocate, ActsFor: []circle.PersonID{cleo}},
		{ID: finn, Label: "Finn", Class: circle.Worker},
	} {
		_, _ = org.AddPerson(ana, circletest.T0, p)
		if p.ID != eve && p.ID != finn {
			_, _ = org.AddMember(ana, circletest.T0, team, p.ID)
		}
	}
	_, _ = org.NameAdvocate(cleo, circletest.T0, circle.Mandate{ID: circle.MandateID(circletest.UUID(0xad, 1)), Principal: cleo, Holder: eve})

	pol := consent.DefaultPolicy()
	pol.JoinConsentOf = circle.SupportedPerson
	p, _, err := consent.StartIn(org, consent.ProcessSpec{
		ID: consent.ProcessID(circletest.UUID(0xb0, 1)), Org: org.ID(), Circle: team, Proposer: ana, Facilitator: ben, Policy: &pol,
		Proposal:   consent.Proposal{Title: "Finn joins the team", Driver: "Weekends are short of a worker.", Text: "Finn joins the team."},
		Membership: &consent.MembershipChange{Change: consent.MembershipJoin, Person: finn},
	}, at)
	if err != nil {
		fmt.Println(err)
		return
	}
	ps, _ := consent.Participants(org, team)
	_, _ = p.Present(ben, at, ps)
	_, _ = p.SkipReactions(ben, at)
	_, _ = p.OpenConsentRound(ben, at, ps, time.Time{})
	_, _ = p.Consent(ana, at)
	_, _ = p.Consent(ben, at)
	_, _ = p.EnterAnswer(ben, at, dev, consent.EntryPhone, consent.AnswerConsent, "")
	fmt.Println("Eve may answer for:", len(p.AnswersFor(org, eve, at)), "person")
	_, err = p.Adopt(ben, at)
	fmt.Println(err)
	_, _ = p.AnswerFor(eve, at, org, cleo, consent.AnswerConsent, "")
	_, _ = p.Adopt(ben, at)

	d, _ := p.Decision()
	for _, a := range d.Support {
		if a.Support.How == consent.SupportAssisted {
			fmt.Println("Dev:", a.Kind, "given by", a.Support.Mode, "entered by Ben:", a.Support.By == ben)
			continue
		}
		fmt.Println("Cleo:", a.Kind, "given by her", a.Support.How, "Eve:", a.Support.By == eve)
	}
	evs, _ := p.Enact(org)
	c, _ := org.Circle(team)
	fmt.Println(evs[0].EventType(), c.IsMember(finn))
	// Output:
	// Eve may answer for: 1 person
	// consent: adopt: 1 participant has not answered
	// Cleo: consent given by her advocate Eve: true
	// Dev: consent given by phone entered by Ben: true
	// circle.member_added true
}
