package circle_test

import (
	"encoding/binary"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/coproduce/sociocracy/circle"
)

// Deterministic IDs for tests: the number is readable in the last bytes.
func testUUID(kind byte, n int) uuid.UUID {
	var u uuid.UUID
	u[0] = kind
	binary.BigEndian.PutUint64(u[8:], uint64(n))
	u[6] = 0x40 // version 4 layout, so the text looks like any other UUID
	u[8] |= 0x80
	return u
}

func pid(n int) circle.PersonID { return circle.PersonID(testUUID(0x50, n)) }
func cid(n int) circle.CircleID { return circle.CircleID(testUUID(0xc0, n)) }

var (
	orgID = circle.OrgID(testUUID(0x0a, 1))
	t0    = time.Date(2026, 1, 5, 9, 30, 0, 0, time.UTC)
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
