package store_test

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/memstore"
)

// The organisation as it stood on a past date: who was in the circle then.
func ExampleStore_OrganisationAt() {
	ctx := context.Background()
	s := store.New(memstore.New(), nil)
	defer s.Close()
	org := circle.OrgID(uuid.MustParse("0a000000-0000-4000-8000-000000000002"))
	ana := circle.PersonID(uuid.MustParse("50000000-0000-4000-8000-000000000001"))
	ben := circle.PersonID(uuid.MustParse("50000000-0000-4000-8000-000000000002"))
	top := circle.CircleID(uuid.MustParse("c0000000-0000-4000-8000-000000000001"))
	march := time.Date(2026, 3, 2, 18, 0, 0, 0, time.UTC)

	_, err := s.Found(ctx, circle.Founding{Org: org, Name: "Care co-op", Zone: "Europe/London", Founder: ana,
		FounderLabel: "Ana", FounderClass: circle.Worker, Top: top, TopName: "Mission circle",
		TopKind: circle.KindMission, At: march}, nil)
	check(err)
	for i, act := range []func(o *circle.Organisation, at time.Time) ([]circle.Event, error){
		func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
			var c store.Collector[circle.Event]
			c.Add(o.AddPerson(ana, at, circle.PersonSpec{ID: ben, Label: "Ben", Class: circle.SupportedPerson}))
			c.Add(o.AddMember(ana, at, top, ben))
			return c.Result()
		},
		func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
			return o.RemoveMember(ana, at, top, ben)
		},
	} {
		_, err := s.ActOrg(ctx, org, act, &store.WriteOptions{At: march.AddDate(0, i+1, 0)}) // April, then May
		check(err)
	}
	for _, day := range []time.Time{march, march.AddDate(0, 1, 14), march.AddDate(0, 2, 14)} {
		o, err := s.OrganisationAt(ctx, org, day)
		check(err)
		c, _ := o.Circle(top)
		fmt.Println(day.Format("2 January:"), len(c.Members()), "members, Ben a member:", c.IsMember(ben))
	}
	_, err = s.OrganisationAt(ctx, org, march.AddDate(-1, 0, 0))
	fmt.Println("a year before the founding:", err)
	// Output:
	// 2 March: 1 members, Ben a member: false
	// 16 April: 2 members, Ben a member: true
	// 16 May: 1 members, Ben a member: false
	// a year before the founding: store: organisation 0a000000-0000-4000-8000-000000000002 as of 2025-03-02T18:00:00Z not found
}
