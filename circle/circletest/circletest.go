// Package circletest helps tests and benchmarks build organisations: readable
// deterministic IDs, a founding with sensible defaults, and a generator of
// large, well-linked organisations. It is an ordinary package so that tests of
// every package (and of hosts) can share it; it reads no clock and makes no
// random IDs.
package circletest

import (
	"encoding/binary"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/coproduce/sociocracy/circle"
)

// T0 is the instant test organisations are founded at: Monday 5 January
// 2026, 09:30 UTC.
var T0 = time.Date(2026, 1, 5, 9, 30, 0, 0, time.UTC)

func id(kind byte, n int) uuid.UUID {
	var u uuid.UUID
	u[0] = kind
	binary.BigEndian.PutUint64(u[8:], uint64(n))
	u[6] = 0x40 // looks like a version 4 UUID
	u[8] |= 0x80
	return u
}

// Org returns organisation ID n; Person, Circle likewise. The number can be
// read in the last digits of the text form.
func Org(n int) circle.OrgID          { return circle.OrgID(id(0x0a, n)) }
func Person(n int) circle.PersonID    { return circle.PersonID(id(0x50, n)) }
func Circle(n int) circle.CircleID    { return circle.CircleID(id(0xc0, n)) }
func UUID(kind byte, n int) uuid.UUID { return id(kind, n) }

// Founding returns the founding of organisation Org(n): founder Person(1), a
// worker labelled "Founder"; top circle Circle(1), a mission circle holding
// the domains care, finance and people; zone Europe/London; at T0.
func Founding(n int) circle.Founding {
	return circle.Founding{
		Org: Org(n), Name: fmt.Sprintf("Organisation %d", n), Zone: "Europe/London",
		Founder: Person(1), FounderLabel: "Founder", FounderClass: circle.Worker,
		Top: Circle(1), TopName: "Mission circle", TopKind: circle.KindMission, TopAim: "Good lives, decided together",
		Domain: []circle.DomainKey{"care", "finance", "people"}, At: T0,
	}
}

// Must returns v and panics if err is not nil: for building fixtures.
func Must[V any](v V, err error) V {
	if err != nil {
		panic(err)
	}
	return v
}

// Term returns a term starting at T0 and lasting the given number of months.
func Term(months int) circle.Term {
	return circle.Term{Start: T0, End: T0.AddDate(0, months, 0)}
}

// Generate builds, through the acts, an organisation of n circles in a tree
// with up to fanout children per circle, membersPer members in each circle
// and two people per circle in all. Every circle below the top is
// double-linked: its leader and its delegate are members of it and of its
// parent, with terms of a year from T0. It returns the organisation and
// every event, in order.
func Generate(n, fanout, membersPer int) (*circle.Organisation, []circle.Event) {
	org, events, err := circle.Found(Founding(1))
	if err != nil {
		panic(err)
	}
	rec := func(e []circle.Event, err error) {
		if err != nil {
			panic(err)
		}
		events = append(events, e...)
	}
	actor := Person(1)
	people := max(2*n, membersPer+1)
	for p := 2; p <= people; p++ {
		rec(org.AddPerson(actor, T0, circle.PersonSpec{ID: Person(p), Label: fmt.Sprintf("Person %d", p), Class: classOf(p)}))
	}
	join := func(c circle.CircleID, p circle.PersonID) {
		if cc, _ := org.Circle(c); !cc.IsMember(p) {
			rec(org.AddMember(actor, T0, c, p))
		}
	}
	for p := 2; p <= membersPer; p++ {
		join(Circle(1), Person(p))
	}
	next := membersPer + 1 // next person to place
	take := func() circle.PersonID {
		p := Person(next)
		next = next%people + 1
		return p
	}
	for c := 2; c <= n; c++ {
		parent := Circle((c-2)/fanout + 1)
		rec(org.AddCircle(actor, T0, circle.CircleSpec{ID: Circle(c), Parent: parent, Name: fmt.Sprintf("Circle %d", c), Kind: circle.KindTeam}))
		leader, delegate := take(), take()
		for leader == delegate || leader == Person(1) {
			leader = take()
		}
		for _, p := range []circle.PersonID{leader, delegate} {
			join(Circle(c), p)
			join(parent, p)
		}
		for cc, _ := org.Circle(Circle(c)); cc.MemberCount() < membersPer; cc, _ = org.Circle(Circle(c)) {
			join(Circle(c), take())
		}
		rec(org.AssignRole(actor, T0, Circle(c), circle.Leader, leader, Term(12)))
		rec(org.AssignRole(actor, T0, Circle(c), circle.Delegate, delegate, Term(12)))
	}
	return org, events
}

func classOf(p int) circle.StakeholderClass {
	switch p % 4 {
	case 0:
		return circle.SupportedPerson
	case 1:
		return circle.Investor
	}
	return circle.Worker
}

// Must3 is Must for functions that return two values and an error, such as
// circle.Found; it returns the first.
func Must3[V, W any](v V, _ W, err error) V {
	if err != nil {
		panic(err)
	}
	return v
}
