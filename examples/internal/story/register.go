package story

import (
	"fmt"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/examples/internal/coop"
	"github.com/coproduce/sociocracy/members"
	"github.com/coproduce/sociocracy/store"
)

// The co-operative's members, with the shares each holds (one £1 share
// each; Grace invests) and the street they live on. Jo, an outside expert
// on the mission circle, is not a member.
var registerOf = []struct {
	name    string
	shares  int
	address string
}{
	{"Amara", 1, "4 Mill Lane"}, {"Ben", 1, "12 Orchard Road"}, {"Carol", 1, "12 Orchard Road"},
	{"Dev", 1, "7 Station Street"}, {"Erin", 1, "31 Hill View"}, {"Femi", 1, "2 Weir Close"},
	{"Grace", 250, "9 Abbey Gardens"}, {"Hamid", 1, "18 Canal Walk"}, {"Iris", 1, "2 Weir Close"},
	{"Kit", 1, "5 Ferry Row"}, {"Lena", 1, "40 Bridge Street"},
}

// 1b. The secretary keeps the register of members: everyone admitted with
// their shares, and the supported members' membership held while the
// co-operative supports them.
func (st *story) register() error {
	st.say("\n   The secretary, Amara, opens the register of members.\n")
	amara := coop.Person("Amara")
	// Jo sits on the mission circle, so the register of officers names
	// them, although they are not a member.
	if err := st.s.SetProfile(st.ctx, st.org, coop.Person("Jo"), store.Profile{Name: "Jo", Address: "1 College Green"}); err != nil {
		return err
	}
	for i, m := range registerOf {
		p := coop.Person(m.name)
		if err := st.s.SetProfile(st.ctx, st.org, p, store.Profile{Name: m.name, Address: m.address}); err != nil {
			return err
		}
		at := day(0, 30+i)
		if err := st.count(st.s.ActMembers(st.ctx, st.org, func(r *members.Register, o *circle.Organisation, _ time.Time) ([]members.Event, error) {
			var c store.Collector[members.Event]
			c.Add(r.Admit(o, amara, at, p, m.shares))
			if person, ok := o.Person(p); ok && person.Class() == circle.SupportedPerson {
				c.Add(r.SetCondition(o, amara, at, p, members.ConditionSupport, time.Time{}))
			}
			return c.Result()
		}, &store.WriteOptions{Command: cmd("admit " + m.name), At: at})); err != nil {
			return fmt.Errorf("admit %s: %w", m.name, err)
		}
	}
	reg, err := st.s.StatutoryRegister(st.ctx, st.org, day(0, 59), &members.Options{Shares: true})
	if err != nil {
		return err
	}
	byClass := map[circle.StakeholderClass]int{}
	for _, e := range reg.Members {
		byClass[e.Class]++
	}
	st.say("   %d members: %d who receive support, %d advocates, %d workers, %d investor; %d officers.\n",
		len(reg.Members), byClass[circle.SupportedPerson], byClass[circle.Advocate], byClass[circle.Worker], byClass[circle.Investor], len(reg.Officers))
	return nil
}
