// Command tour is the five-minute tour of the README, verbatim: a care team
// is founded, checked for double links, decides by consent, and is kept in a
// store whose logbook verifies.
package main

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/linking"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/memstore"
)

func main() {
	ctx := context.Background()
	id := func(name string) uuid.UUID { return uuid.NewSHA1(uuid.NameSpaceURL, []byte(name)) }
	org, amara, ben, team := circle.OrgID(id("org")), circle.PersonID(id("amara")), circle.PersonID(id("ben")), circle.CircleID(id("team"))

	// Keep everything in a store: memstore here, sqlitestore or pgstore in production.
	// The core never reads the clock: the store hands every act its time (at).
	s := store.New(memstore.New(), nil)
	must(s.Found(ctx, circle.Founding{
		Org: org, Name: "Riverside Care", Zone: "Europe/London",
		Founder: amara, FounderLabel: "Amara", FounderClass: circle.Worker,
		Top: circle.CircleID(id("general")), TopName: "General circle", TopKind: circle.KindGeneral,
		Domain: []circle.DomainKey{"care"},
	}, nil))

	// 1. circle: every change is an act that returns events or a typed error.
	must(s.ActOrg(ctx, org, func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
		var acts store.Collector[circle.Event] // keeps the first refusal: then nothing is stored
		acts.Add(o.AddPerson(amara, at, circle.PersonSpec{ID: ben, Label: "Ben", Class: circle.SupportedPerson}))
		acts.Add(o.AddCircle(amara, at, circle.CircleSpec{ID: team, Parent: o.Top(), Name: "Care team", Kind: circle.KindTeam}))
		acts.Add(o.AddMember(amara, at, team, amara))
		acts.Add(o.AddMember(amara, at, team, ben))
		acts.Add(o.AssignRole(amara, at, team, circle.Leader, amara, circle.Term{Start: at, End: at.AddDate(1, 0, 0)}))
		return acts.Result()
	}, nil))

	// 2. linking: where the structure falls short, in words a secretary can act on.
	o, _ := s.Organisation(ctx, org)
	report, _ := linking.Check(o, nil, time.Now())
	fmt.Print(report)

	// 3. consent: decisions by consent, objections integrated, never overridden.
	pid := consent.ProcessID(id("proposal"))
	must(s.StartProcess(ctx, org, consent.ProcessSpec{ID: pid, Circle: team, Proposer: ben, Facilitator: amara,
		Proposal: consent.Proposal{Title: "Same two workers for evening visits", Driver: "Strangers at night", Text: "..."}}, nil))
	members := []circle.PersonID{amara, ben}
	for _, act := range []func(p *consent.Process, at time.Time) ([]consent.Event, error){
		func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.Present(amara, at, members) },
		func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.SkipReactions(amara, at) },
		func(p *consent.Process, at time.Time) ([]consent.Event, error) {
			return p.OpenConsentRound(amara, at, members, time.Time{})
		},
		func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.Consent(amara, at) },
		func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.Consent(ben, at) },
		func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.Adopt(amara, at) },
	} {
		must(s.ActProcess(ctx, org, pid, func(p *consent.Process, _ *circle.Organisation, at time.Time) ([]consent.Event, error) {
			return act(p, at)
		}, nil))
	}

	// 4. review: the adoption put its policy review on the calendar, in the same append.
	due, _ := s.Due(ctx, org, time.Now().AddDate(2, 0, 0))
	for _, it := range due {
		fmt.Println(it.Kind, it.Title)
	}

	// 5. The logbook: every event, in order, hash-chained.
	head, err := s.Verify(ctx, org)
	fmt.Println(head.Seq, "entries verified:", err == nil)
}

func must(_ store.Receipt, err error) {
	if err != nil {
		panic(err)
	}
}
