package store_test

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/coproduce/sociocracy/agreement"
	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/members"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/memstore"
)

// registerOrg founds an organisation whose top circle has Ana and Ben.
func registerOrg(ctx context.Context, s *store.Store) (org circle.OrgID, top circle.CircleID, ana, ben circle.PersonID, at time.Time) {
	org = circle.OrgID(uuid.MustParse("0a000000-0000-4000-8000-000000000002"))
	ana = circle.PersonID(uuid.MustParse("50000000-0000-4000-8000-000000000001"))
	ben = circle.PersonID(uuid.MustParse("50000000-0000-4000-8000-000000000002"))
	top = circle.CircleID(uuid.MustParse("c0000000-0000-4000-8000-000000000001"))
	at = time.Date(2026, 3, 2, 18, 0, 0, 0, time.UTC)
	_, err := s.Found(ctx, circle.Founding{Org: org, Name: "Care co-op", Zone: "Europe/London", Founder: ana, FounderLabel: "Ana",
		FounderClass: circle.Worker, Top: top, TopName: "Mission circle", TopKind: circle.KindMission, At: at}, nil)
	check(err)
	_, err = s.ActOrg(ctx, org, func(o *circle.Organisation, _ time.Time) ([]circle.Event, error) {
		var c store.Collector[circle.Event]
		c.Add(o.AddPerson(ana, at, circle.PersonSpec{ID: ben, Label: "Ben", Class: circle.SupportedPerson}))
		c.Add(o.AddMember(ana, at, top, ben))
		return c.Result()
	}, &store.WriteOptions{At: at})
	check(err)
	return org, top, ana, ben, at
}

// adopt runs consent process id in circle c to adoption.
func adopt(ctx context.Context, s *store.Store, org circle.OrgID, spec consent.ProcessSpec, at time.Time, everyone []circle.PersonID) {
	_, err := s.StartProcess(ctx, org, spec, &store.WriteOptions{At: at})
	check(err)
	f := spec.Facilitator
	for _, act := range []func(p *consent.Process) ([]consent.Event, error){
		func(p *consent.Process) ([]consent.Event, error) { return p.Present(f, at, everyone) },
		func(p *consent.Process) ([]consent.Event, error) { return p.SkipReactions(f, at) },
		func(p *consent.Process) ([]consent.Event, error) {
			return p.OpenConsentRound(f, at, everyone, time.Time{})
		},
		func(p *consent.Process) ([]consent.Event, error) { return p.Consent(everyone[0], at) },
		func(p *consent.Process) ([]consent.Event, error) { return p.Consent(everyone[1], at) },
		func(p *consent.Process) ([]consent.Event, error) { return p.Adopt(f, at) },
	} {
		_, err := s.ActProcess(ctx, org, spec.ID, func(p *consent.Process, _ *circle.Organisation, _ time.Time) ([]consent.Event, error) {
			return act(p)
		}, &store.WriteOptions{At: at})
		check(err)
	}
}

// A circle's decision becomes an agreement of the policy register in the
// same append; a review by consent amends it, and the register answers what
// was in force on any date.
func ExampleStore_AgreementsInForce() {
	ctx := context.Background()
	s := store.New(memstore.New(), nil)
	defer s.Close()
	org, top, ana, ben, at := registerOrg(ctx, s)
	o, err := s.Organisation(ctx, org)
	check(err)
	everyone, _ := consent.Members(o, top)

	first := consent.ProcessID(uuid.MustParse("b0000000-0000-4000-8000-000000000001"))
	adopt(ctx, s, org, consent.ProcessSpec{ID: first, Circle: top, Proposer: ben, Facilitator: ana,
		Proposal: consent.Proposal{Title: "Rota", Driver: "The rota is unclear.", Text: "Publish it on Fridays."}}, at, everyone)
	adopt(ctx, s, org, consent.ProcessSpec{ID: consent.ProcessID(uuid.MustParse("b0000000-0000-4000-8000-000000000002")), Circle: top,
		Proposer: ben, Facilitator: ana, Review: consent.Review{Agreement: agreement.IDFor(org, first)},
		Proposal: consent.Proposal{Title: "Rota", Driver: "Annual review", Text: "Publish it on Thursdays."}}, at.AddDate(1, 0, 0), everyone)

	for _, when := range []time.Time{at.AddDate(0, 6, 0), at.AddDate(1, 0, 1)} {
		in, err := s.AgreementsInForce(ctx, org, when)
		check(err)
		for _, f := range in {
			fmt.Printf("%s: %s v%d (%s): %s\n", when.Format("2006-01-02"), f.Version.Title, f.Version.Version, f.Version.Change, f.Version.Text)
		}
	}
	// Output:
	// 2026-09-02: Rota v1 (adopted): Publish it on Fridays.
	// 2027-03-03: Rota v2 (amended): Publish it on Thursdays.
}

// The top circle admits members through the Store; the register the law
// requires takes names and addresses from the profiles, and an erased
// person's are never served again.
func ExampleStore_StatutoryRegister() {
	ctx := context.Background()
	s := store.New(memstore.New(), nil)
	defer s.Close()
	org, _, ana, ben, at := registerOrg(ctx, s)
	_, err := s.ActMembers(ctx, org, func(r *members.Register, o *circle.Organisation, at time.Time) ([]members.Event, error) {
		var c store.Collector[members.Event]
		c.Add(r.Admit(o, ana, at, ana, 1))
		c.Add(r.Admit(o, ana, at, ben, 1))
		return c.Result()
	}, &store.WriteOptions{At: at})
	check(err)
	check(s.SetProfile(ctx, org, ana, store.Profile{Name: "Ana Costa", Address: "1 Mill Lane"}))
	check(s.SetProfile(ctx, org, ben, store.Profile{Name: "Ben Hale", Address: "2 Quay St"}))
	_, err = s.ErasePerson(ctx, org, ben, store.Erasure{Actor: ana, Reason: "erasure request"}, nil)
	check(err)

	reg, err := s.StatutoryRegister(ctx, org, at.AddDate(0, 1, 0), &members.Options{Shares: true})
	check(err)
	fmt.Print(string(reg.MembersCSV()))
	fmt.Print(string(reg.OfficersCSV()))
	// Output:
	// person,name,address,class,admitted,ceased,shares
	// 50000000-0000-4000-8000-000000000001,Ana Costa,1 Mill Lane,worker,2026-03-02,,1
	// 50000000-0000-4000-8000-000000000002,,,supported-person,2026-03-02,,1
	// person,name,address,office,appointed,ceased,term end
	// 50000000-0000-4000-8000-000000000001,Ana Costa,1 Mill Lane,committee member,2026-03-02,,
	// 50000000-0000-4000-8000-000000000002,,,committee member,2026-03-02,,
}
