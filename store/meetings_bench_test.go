package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/meeting"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/memstore"
)

// benchMeeting founds an organisation on the memory store with a team of
// three in session in a meeting, and returns an act that adds a person
// (one organisation event, a fresh person each time).
func benchMeeting(b *testing.B) (*store.Store, circle.OrgID, meeting.MeetingID, func(i int) func(o *circle.Organisation, at time.Time) ([]circle.Event, error)) {
	ctx := context.Background()
	s := store.New(memstore.New(), nil)
	f := circletest.Founding(1)
	if _, err := s.Found(ctx, f, nil); err != nil {
		b.Fatal(err)
	}
	org, team := f.Org, circletest.Circle(2)
	if _, err := s.ActOrg(ctx, org, func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
		var c store.Collector[circle.Event]
		c.Add(o.AddCircle(circletest.Person(1), at, circle.CircleSpec{ID: team, Parent: o.Top(), Name: "Team", Kind: circle.KindTeam}))
		c.Add(o.AddMember(circletest.Person(1), at, team, circletest.Person(1)))
		return c.Result()
	}, nil); err != nil {
		b.Fatal(err)
	}
	id := meeting.MeetingID(circletest.UUID(0x3e, 1))
	if _, err := s.ConveneMeeting(ctx, org, meeting.Spec{ID: id, Circle: team, Title: "Team meeting", Facilitator: circletest.Person(1),
		Secretary: circletest.Person(1), Scheduled: circletest.T0}, nil); err != nil {
		b.Fatal(err)
	}
	if _, err := s.ActMeeting(ctx, org, id, func(m *meeting.Meeting, _ *circle.Organisation, at time.Time) ([]meeting.Event, error) {
		return m.Open(circletest.Person(1), at)
	}, nil); err != nil {
		b.Fatal(err)
	}
	add := func(i int) func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
		return func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
			return o.AddPerson(circletest.Person(1), at, circle.PersonSpec{ID: circletest.Person(1000 + i), Label: fmt.Sprintf("P%d", i), Class: circle.Worker})
		}
	}
	return s, org, id, add
}

// BenchmarkActInMeeting is an act on the organisation recorded by a
// meeting in the same append; BenchmarkActOutsideMeeting is its baseline,
// the same act recorded by none.
func BenchmarkActInMeeting(b *testing.B) {
	s, org, id, add := benchMeeting(b)
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		if _, err := s.ActOrg(ctx, org, add(i), &store.WriteOptions{Meeting: id}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkActOutsideMeeting(b *testing.B) {
	s, org, _, add := benchMeeting(b)
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		if _, err := s.ActOrg(ctx, org, add(i), nil); err != nil {
			b.Fatal(err)
		}
	}
}
