package store_test

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/memstore"
)

// A host founds an organisation, adds a circle and runs a consent process
// through the Store; the calendar and the logbook follow by themselves.
func Example() {
	ctx := context.Background()
	s := store.New(memstore.New(), nil)
	defer s.Close()

	org := circle.OrgID(uuid.MustParse("0a000000-0000-4000-8000-000000000001"))
	ana := circle.PersonID(uuid.MustParse("50000000-0000-4000-8000-000000000001"))
	ben := circle.PersonID(uuid.MustParse("50000000-0000-4000-8000-000000000002"))
	top := circle.CircleID(uuid.MustParse("c0000000-0000-4000-8000-000000000001"))
	at := time.Date(2026, 3, 2, 18, 0, 0, 0, time.UTC)

	_, err := s.Found(ctx, circle.Founding{
		Org: org, Name: "Care co-op", Zone: "Europe/London", Founder: ana, FounderLabel: "Ana",
		FounderClass: circle.Worker, Top: top, TopName: "Mission circle", TopKind: circle.KindMission,
		TopAim: "Good lives, decided together", At: at,
	}, nil)
	check(err)
	// Adding Ben is idempotent: the host passes the request's key and body.
	add := store.Command{ID: store.CommandID(uuid.MustParse("00000000-0000-4000-8000-0000000000a1")), Payload: []byte(`{"add":"ben"}`)}
	for range 2 { // a retried request has one effect
		r, err := s.ActOrg(ctx, org, func(o *circle.Organisation, _ time.Time) ([]circle.Event, error) {
			evs, err := o.AddPerson(ana, at, circle.PersonSpec{ID: ben, Label: "Ben", Class: circle.Worker})
			if err != nil {
				return nil, err
			}
			more, err := o.AddMember(ana, at, top, ben)
			return append(evs, more...), err
		}, &store.WriteOptions{Command: add})
		check(err)
		fmt.Println("entries", r.First, "to", r.Last, "duplicate:", r.Duplicate)
	}

	id := consent.ProcessID(uuid.MustParse("b0000000-0000-4000-8000-000000000001"))
	_, err = s.StartProcess(ctx, org, consent.ProcessSpec{
		ID: id, Org: org, Circle: top, Proposer: ben, Facilitator: ana,
		Proposal: consent.Proposal{Title: "Rota", Driver: "The rota is unclear.", Text: "Publish it on Fridays."},
	}, &store.WriteOptions{At: at.Add(time.Hour)})
	check(err)
	open, err := s.OpenProcesses(ctx, org, top)
	check(err)
	fmt.Println("open processes:", len(open))

	head, err := s.Verify(ctx, org)
	check(err)
	fmt.Println("logbook verified up to entry", head.Seq)
	// Output:
	// entries 3 to 4 duplicate: false
	// entries 3 to 4 duplicate: true
	// open processes: 1
	// logbook verified up to entry 5
}

func check(err error) {
	if err != nil {
		panic(err)
	}
}
