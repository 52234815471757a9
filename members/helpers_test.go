package members_test

import (
	"time"

	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/members"
)

var (
	pid   = circletest.Person
	cid   = circletest.Circle
	orgID = circletest.Org(1)
	t0    = circletest.T0
	top   = cid(1)
	team  = cid(2)
	sec   = pid(1) // the founder: a member of the top circle
)

func day(n int) time.Time { return t0.AddDate(0, 0, n) }

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// org founds an organisation with people 1..n (1 the founder, in the top
// circle; the others in the team circle), people 2.. of class class(i).
func org(t require.TestingT, n int) (*circle.Organisation, []circle.Event) {
	o, evs, err := circle.Found(circle.Founding{Org: orgID, Name: "Co-op", Zone: "Europe/London", Founder: sec, FounderLabel: "Sam",
		FounderClass: circle.Worker, Top: top, TopName: "General", TopKind: circle.KindGeneral, At: t0})
	require.NoError(t, err)
	add := func(more []circle.Event, err error) {
		require.NoError(t, err)
		evs = append(evs, more...)
	}
	add(o.AddCircle(sec, t0, circle.CircleSpec{ID: team, Parent: top, Name: "Team", Kind: circle.KindTeam}))
	for i := 2; i <= n; i++ {
		add(o.AddPerson(sec, t0, circle.PersonSpec{ID: pid(i), Label: "P", Class: class(i)}))
	}
	return o, evs
}

func class(i int) circle.StakeholderClass {
	return []circle.StakeholderClass{circle.SupportedPerson, circle.Worker, circle.Investor}[i%3]
}

// open opens the register of o.
func open(t require.TestingT, o *circle.Organisation) (*members.Register, []members.Event) {
	r, evs, err := members.OpenFor(o, sec, t0)
	require.NoError(t, err)
	return r, evs
}
