package members_test

import (
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/members"
)

// A care co-operative admits a supported member and an investor member;
// the support ends, the lapse waits on the calendar until the committee
// applies it, and the register the law requires is exported.
func Example() {
	id := func(s string) uuid.UUID { return uuid.NewSHA1(uuid.NameSpaceURL, []byte(s)) }
	amara, ben, cleo := circle.PersonID(id("amara")), circle.PersonID(id("ben")), circle.PersonID(id("cleo"))
	at := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	o, _, _ := circle.Found(circle.Founding{Org: circle.OrgID(id("org")), Name: "Riverside Care", Zone: "Europe/London",
		Founder: amara, FounderLabel: "Amara", FounderClass: circle.Worker,
		Top: circle.CircleID(id("general")), TopName: "General circle", TopKind: circle.KindGeneral, At: at})
	_, _ = o.AddPerson(amara, at, circle.PersonSpec{ID: ben, Label: "Ben", Class: circle.SupportedPerson})
	_, _ = o.AddPerson(amara, at, circle.PersonSpec{ID: cleo, Label: "Cleo", Class: circle.Investor})

	reg, _, _ := members.OpenFor(o, amara, at)
	_, _ = reg.Admit(o, amara, at, amara, 1)
	_, _ = reg.Admit(o, amara, at, ben, 1)
	_, _ = reg.Admit(o, amara, at, cleo, 250)
	_, _ = reg.SetCondition(o, amara, at, ben, members.ConditionSupport, time.Time{})
	_, _ = reg.LapseCondition(o, amara, at.AddDate(0, 6, 0), ben, members.ConditionSupport, "support plan ended")
	for _, m := range reg.Lapsed() {
		c, _ := m.Condition(members.ConditionSupport)
		fmt.Printf("lapsed, not yet applied: %s (%s)\n", m.Class, c.Reason)
	}
	_, _ = reg.Cease(o, amara, at.AddDate(0, 7, 0), ben, "support ended; by the rules, membership ends with it")

	// Names and addresses come from the host's profiles; Ben's were erased.
	profiles := map[circle.PersonID]members.Contact{amara: {Name: "Amara Osei", Address: "1 Mill Lane"}, cleo: {Name: "Cleo Park", Address: "9 Quay St"}}
	lookup := func(p circle.PersonID) (members.Contact, bool) { c, ok := profiles[p]; return c, ok }
	s := reg.Statutory(at.AddDate(1, 0, 0), lookup, &members.Options{Shares: true})
	date := func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return t.Format("2006-01-02")
	}
	for _, e := range s.Members {
		fmt.Printf("%-16s %-10s %-11s admitted %s ceased %-10s shares %d\n", e.Class, e.Name, e.Address, date(e.Admitted), date(e.Ceased), *e.Shares)
	}
	for _, e := range s.Officers {
		fmt.Printf("officer: %s, %s, from %s\n", e.Name, e.Office, e.Appointed.Format("2006-01-02"))
	}
	// Output:
	// lapsed, not yet applied: supported-person (support plan ended)
	// worker           Amara Osei 1 Mill Lane admitted 2026-01-05 ceased -          shares 1
	// supported-person                        admitted 2026-01-05 ceased 2026-08-05 shares 0
	// investor         Cleo Park  9 Quay St   admitted 2026-01-05 ceased -          shares 250
	// officer: Amara Osei, committee member, from 2026-01-05
}
