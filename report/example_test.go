package report_test

import (
	"context"
	"fmt"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/report"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/memstore"
)

// A decision of a care team, followed through the report: who was asked,
// how they answered, and the logbook entry of each answer.
func ExampleBuild() {
	ctx := context.Background()
	s := store.New(memstore.New(), nil)
	f := circletest.Founding(1)
	ana, ben := circletest.Person(1), circletest.Person(2)
	team := circletest.Circle(2)
	must := func(_ store.Receipt, err error) {
		if err != nil {
			panic(err)
		}
	}
	at := func(h int) *store.WriteOptions {
		return &store.WriteOptions{At: f.At.Add(time.Duration(h) * time.Hour)}
	}
	must(s.Found(ctx, f, nil))
	must(s.ActOrg(ctx, f.Org, func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
		var c store.Collector[circle.Event]
		c.Add(o.AddCircle(ana, at, circle.CircleSpec{ID: team, Parent: o.Top(), Name: "Care team", Kind: circle.KindTeam}))
		c.Add(o.AddPerson(ana, at, circle.PersonSpec{ID: ben, Label: "Ben", Class: circle.SupportedPerson}))
		c.Add(o.AddMember(ana, at, team, ana))
		c.Add(o.AddMember(ana, at, team, ben))
		return c.Result()
	}, at(1)))
	id := consent.ProcessID(circletest.UUID(7, 1))
	must(s.StartProcess(ctx, f.Org, consent.ProcessSpec{ID: id, Circle: team, Proposer: ben, Facilitator: ana,
		Proposal: consent.Proposal{Title: "Visits before nine", Driver: "Late visits", Text: "Morning visits end by nine."}}, at(2)))
	both := []circle.PersonID{ana, ben}
	for i, act := range []func(p *consent.Process, at time.Time) ([]consent.Event, error){
		func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.Present(ana, at, both) },
		func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.SkipReactions(ana, at) },
		func(p *consent.Process, at time.Time) ([]consent.Event, error) {
			return p.OpenConsentRound(ana, at, both, time.Time{})
		},
		func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.Consent(ben, at) },
		func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.Consent(ana, at) },
		func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.Adopt(ana, at) },
	} {
		must(s.ActProcess(ctx, f.Org, id, func(p *consent.Process, _ *circle.Organisation, at time.Time) ([]consent.Event, error) {
			return act(p, at)
		}, at(3+i)))
	}

	r, err := report.Build(ctx, s, f.Org, report.Options{From: f.At, Until: f.At.AddDate(0, 1, 0)})
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Schema, "verified:", r.Log.Verified)
	for _, d := range r.Decisions {
		fmt.Printf("%q in %s, entry %d; review %s\n", d.Title, d.Circle.Name, d.Entry.Seq, d.Review.Status)
		for _, a := range d.Answers {
			fmt.Printf("  %s (%s) answered %s %s, entry %d\n", a.Person.Label, a.Person.Class, a.Answer, a.How, a.Entry.Seq)
		}
	}
	for _, c := range r.CoProduction {
		fmt.Printf("%s: %d decision(s) without a person who receives support\n", c.Circle.Name, c.NotHeard)
	}
	// Output:
	// sociocracy.governance-report/1 verified: true
	// "Visits before nine" in Care team, entry 13; review not-due
	//   Ben (supported-person) answered consent in-person, entry 11
	//   Founder (worker) answered consent in-person, entry 12
	// Care team: 0 decision(s) without a person who receives support
}
