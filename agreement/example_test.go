package agreement_test

import (
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/coproduce/sociocracy/agreement"
	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
)

// decide runs a consent process in circle team of org to adoption and hands
// every event to the register, as a store does.
func decide(reg *agreement.Register, org circle.OrgID, team circle.CircleID, p consent.ProcessID, at time.Time,
	members []circle.PersonID, prop consent.Proposal, review consent.Review) {
	proc, evs, err := consent.Start(consent.ProcessSpec{ID: p, Org: org, Circle: team, Proposer: members[0], Facilitator: members[0],
		Proposal: prop, Review: review}, at)
	if err != nil {
		panic(err)
	}
	for _, act := range []func() ([]consent.Event, error){
		func() ([]consent.Event, error) { return proc.Present(members[0], at, members) },
		func() ([]consent.Event, error) { return proc.SkipReactions(members[0], at) },
		func() ([]consent.Event, error) { return proc.OpenConsentRound(members[0], at, members, time.Time{}) },
		func() ([]consent.Event, error) { return proc.Consent(members[0], at) },
		func() ([]consent.Event, error) { return proc.Consent(members[1], at) },
		func() ([]consent.Event, error) { return proc.Adopt(members[0], at) },
	} {
		more, err := act()
		if err != nil {
			panic(err)
		}
		evs = append(evs, more...)
	}
	for _, e := range evs {
		if _, err := reg.Observe(e); err != nil {
			panic(err)
		}
	}
}

// A care team adopts a rule for evening visits; a year later it reviews the
// rule by consent and amends it. The register answers what was in force at
// any instant, and keeps every version with the decision that made it.
func Example() {
	id := func(s string) uuid.UUID { return uuid.NewSHA1(uuid.NameSpaceURL, []byte(s)) }
	org, team := circle.OrgID(id("org")), circle.CircleID(id("team"))
	members := []circle.PersonID{circle.PersonID(id("amara")), circle.PersonID(id("ben"))}
	reg, _, _ := agreement.Open(org, members[0], time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC))

	first := consent.ProcessID(id("evening visits"))
	adopted := time.Date(2026, 2, 1, 18, 0, 0, 0, time.UTC)
	decide(reg, org, team, first, adopted, members,
		consent.Proposal{Title: "Evening visits", Driver: "Strangers at night", Text: "The same two workers visit in the evening."}, consent.Review{})

	// The review is a consent process linked to the agreement it reviews.
	rule := agreement.IDFor(org, first)
	reviewed := adopted.AddDate(1, 0, 0)
	decide(reg, org, team, consent.ProcessID(id("review")), reviewed, members,
		consent.Proposal{Title: "Evening visits", Driver: "Annual review", Text: "The same two workers visit in the evening, named a week ahead."},
		consent.Review{Agreement: rule})

	for _, at := range []time.Time{adopted.AddDate(0, 6, 0), reviewed} {
		for _, f := range reg.InForceIn(team, at) {
			fmt.Printf("%s: %s v%d: %s\n", at.Format("2006-01-02"), f.Version.Title, f.Version.Version, f.Version.Text)
		}
	}
	a, _ := reg.Agreement(rule)
	for _, v := range a.Versions {
		fmt.Printf("v%d %s %s, review by %s\n", v.Version, v.Change, v.From.Format("2006-01-02"), v.ReviewDate.Format("2006-01-02"))
	}
	// Output:
	// 2026-08-01: Evening visits v1: The same two workers visit in the evening.
	// 2027-02-01: Evening visits v2: The same two workers visit in the evening, named a week ahead.
	// v1 adopted 2026-02-01, review by 2027-02-01
	// v2 amended 2027-02-01, review by 2028-02-01
}
