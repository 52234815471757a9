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
	now := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC) // the core never reads the clock
	id := func(name string) uuid.UUID { return uuid.NewSHA1(uuid.NameSpaceURL, []byte(name)) }
	org, amara, ben, team := circle.OrgID(id("org")), circle.PersonID(id("amara")), circle.PersonID(id("ben")), circle.CircleID(id("team"))

	// Keep everything in a store: memstore here, sqlitestore or pgstore in production.
	s := store.New(memstore.New(), nil)
	must(s.Found(ctx, store.Command{}, circle.Founding{
		Org: org, Name: "Riverside Care", Zone: "Europe/London",
		Founder: amara, FounderLabel: "Amara", FounderClass: circle.Worker,
		Top: circle.CircleID(id("general")), TopName: "General circle", TopKind: circle.KindGeneral,
		Domain: []circle.DomainKey{"care"}, At: now,
	}))

	// 1. circle: every change is an act that returns events or a typed error.
	must(s.ActOrg(ctx, org, store.Command{}, func(o *circle.Organisation) ([]circle.Event, error) {
		var all []circle.Event
		for _, act := range []func() ([]circle.Event, error){
			func() ([]circle.Event, error) {
				return o.AddPerson(amara, now, circle.PersonSpec{ID: ben, Label: "Ben", Class: circle.SupportedPerson})
			},
			func() ([]circle.Event, error) {
				return o.AddCircle(amara, now, circle.CircleSpec{ID: team, Parent: o.Top(), Name: "Care team", Kind: circle.KindTeam})
			},
			func() ([]circle.Event, error) { return o.AddMember(amara, now, team, amara) },
			func() ([]circle.Event, error) { return o.AddMember(amara, now, team, ben) },
			func() ([]circle.Event, error) {
				return o.AssignRole(amara, now, team, circle.Leader, amara, circle.Term{Start: now, End: now.AddDate(1, 0, 0)})
			},
		} {
			events, err := act()
			if err != nil {
				return nil, err // refused: nothing changed, nothing is stored
			}
			all = append(all, events...)
		}
		return all, nil
	}))

	// 2. linking: where the structure falls short, in words a secretary can act on.
	o, _ := s.Organisation(ctx, org)
	report, _ := linking.Validate(o, nil, now)
	fmt.Print(report)

	// 3. consent: decisions by consent, objections integrated, never overridden.
	pid := consent.ProcessID(id("proposal"))
	must(s.StartProcess(ctx, store.Command{}, consent.ProcessSpec{ID: pid, Org: org, Circle: team, Proposer: ben, Facilitator: amara,
		Proposal: consent.Proposal{Title: "Same two workers for evening visits", Driver: "Strangers at night", Text: "..."}}, now))
	for _, act := range []func(p *consent.Process) ([]consent.Event, error){
		func(p *consent.Process) ([]consent.Event, error) {
			return p.Present(amara, now, []circle.PersonID{amara, ben})
		},
		func(p *consent.Process) ([]consent.Event, error) { return p.SkipReactions(amara, now) },
		func(p *consent.Process) ([]consent.Event, error) {
			return p.OpenConsentRound(amara, now, []circle.PersonID{amara, ben}, time.Time{})
		},
		func(p *consent.Process) ([]consent.Event, error) { return p.Consent(amara, now) },
		func(p *consent.Process) ([]consent.Event, error) { return p.Consent(ben, now) },
		func(p *consent.Process) ([]consent.Event, error) { return p.Adopt(amara, now) },
	} {
		must(s.ActProcess(ctx, org, pid, store.Command{}, func(p *consent.Process, _ *circle.Organisation) ([]consent.Event, error) { return act(p) }))
	}

	// 4. review: the adoption put its policy review on the calendar, in the same append.
	due, _ := s.Due(ctx, org, now.AddDate(2, 0, 0))
	for _, it := range due {
		fmt.Println(it.Due.Format("2006-01-02"), it.Kind, it.Title)
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
