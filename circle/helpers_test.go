package circle_test

import (
	"errors"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
)

// Deterministic IDs and times for tests, shared with every package.
var (
	pid   = circletest.Person
	cid   = circletest.Circle
	orgID = circletest.Org(1)
	t0    = circletest.T0
)

func founding() circle.Founding {
	return circle.Founding{
		Org: orgID, Name: "Riverside Care Co-operative", Zone: "Europe/London",
		Founder: pid(1), FounderLabel: "Ada", FounderClass: circle.Worker,
		Top: cid(1), TopName: "Mission circle", TopKind: circle.KindMission, TopAim: "Good lives at home",
		Domain: []circle.DomainKey{"care", "finance", "people"}, At: t0,
	}
}

// must fails the test at once if an act was refused.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func term(years int) circle.Term {
	return circle.Term{Start: t0, End: t0.AddDate(years, 0, 0)}
}

func errorsIsAny(err error, targets ...error) bool {
	for _, t := range targets {
		if errors.Is(err, t) {
			return true
		}
	}
	return false
}
