package story

import (
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/examples/internal/coop"
	"github.com/coproduce/sociocracy/store"
)

var (
	joinID   = consent.ProcessID(uuid.NewSHA1(uuid.NameSpaceURL, []byte("carecoop/nia-joins-south")))
	femiIris = circle.MandateID(uuid.NewSHA1(uuid.NameSpaceURL, []byte("carecoop/femi-names-iris")))
	nia      = circle.PersonID(uuid.NewSHA1(uuid.NameSpaceURL, []byte("carecoop/person/Nia")))
)

// 4. A new worker joins Care team South by consent, and the team's policy
// needs the consent of the people it supports: Femi gives his through his
// advocate, Lena hers by phone.
func (st *story) join() error {
	st.say("\n4. Care team South takes on a new worker, with the consent of the people it supports.\n")
	south := coop.Circle(coop.CareSouth)
	femi, iris, hamid, kit, lena := coop.Person("Femi"), coop.Person("Iris"), coop.Person("Hamid"), coop.Person("Kit"), coop.Person("Lena")
	org := func(name string, f func(o *circle.Organisation) ([]circle.Event, error)) error {
		return st.count(st.s.ActOrg(st.ctx, st.org, func(o *circle.Organisation, _ time.Time) ([]circle.Event, error) { return f(o) },
			&store.WriteOptions{Command: cmd(name)}))
	}
	if err := org("nia joins the co-operative", func(o *circle.Organisation) ([]circle.Event, error) {
		return o.AddPerson(coop.Person("Amara"), day(4, 0), circle.PersonSpec{ID: nia, Label: "Nia", Class: circle.Worker})
	}); err != nil {
		return err
	}
	if err := org("femi names iris his advocate", func(o *circle.Organisation) ([]circle.Event, error) {
		return o.NameAdvocate(femi, day(4, 1), circle.Mandate{ID: femiIris, Principal: femi, Holder: iris,
			Circles: []circle.CircleID{south}, Decisions: []circle.DecisionKind{circle.DecisionMembership}})
	}); err != nil {
		return err
	}
	pol := consent.DefaultPolicy()
	pol.JoinConsentOf = circle.SupportedPerson // a care team's rule: the people it supports consent to every joiner
	if err := st.count(st.s.StartProcess(st.ctx, st.org, consent.ProcessSpec{
		ID: joinID, Circle: south, Proposer: hamid, Facilitator: hamid, Policy: &pol,
		Proposal: consent.Proposal{
			Title:  "Nia joins Care team South",
			Driver: "Weekend visits in the south are short of a worker.",
			Text:   "Nia, a care worker new to the co-operative, joins Care team South and takes the weekend visits.",
		},
		Membership: &consent.MembershipChange{Change: consent.MembershipJoin, Person: nia},
	}, &store.WriteOptions{Command: cmd("start nia joins south"), At: day(4, 2)})); err != nil {
		return err
	}
	steps := []struct {
		name string
		f    func(p *consent.Process, o *circle.Organisation) ([]consent.Event, error)
	}{
		{"present", func(p *consent.Process, o *circle.Organisation) ([]consent.Event, error) {
			ps, err := consent.Participants(o, south)
			if err != nil {
				return nil, err
			}
			var c store.Collector[consent.Event]
			c.Add(p.Present(hamid, day(4, 3), ps))
			c.Add(p.SkipReactions(hamid, day(4, 3)))
			c.Add(p.OpenConsentRound(hamid, day(4, 4), ps, time.Time{}))
			return c.Result()
		}},
		{"hamid consents", func(p *consent.Process, _ *circle.Organisation) ([]consent.Event, error) {
			return p.Consent(hamid, day(4, 5))
		}},
		{"kit consents", func(p *consent.Process, _ *circle.Organisation) ([]consent.Event, error) {
			return p.Consent(kit, day(4, 5))
		}},
		{"iris consents", func(p *consent.Process, _ *circle.Organisation) ([]consent.Event, error) {
			return p.Consent(iris, day(4, 6))
		}},
		{"iris answers for femi", func(p *consent.Process, o *circle.Organisation) ([]consent.Event, error) {
			return p.AnswerFor(iris, day(4, 7), o, femi, consent.AnswerConsent, "")
		}},
		{"lena consents by phone", func(p *consent.Process, _ *circle.Organisation) ([]consent.Event, error) {
			return p.EnterAnswer(hamid, day(4, 8), lena, consent.EntryPhone, consent.AnswerConcern, "Please meet me before the first visit.")
		}},
		{"adopt", func(p *consent.Process, _ *circle.Organisation) ([]consent.Event, error) {
			return p.Adopt(hamid, day(4, 9))
		}},
	}
	for _, s := range steps {
		if err := st.count(st.s.ActProcess(st.ctx, st.org, joinID, func(p *consent.Process, o *circle.Organisation, _ time.Time) ([]consent.Event, error) {
			return s.f(p, o)
		}, &store.WriteOptions{Command: cmd("nia joins south: " + s.name)})); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}
	p, err := st.s.Process(st.ctx, st.org, joinID)
	if err != nil {
		return err
	}
	o, err := st.s.Organisation(st.ctx, st.org)
	if err != nil {
		return err
	}
	d, ok := p.Decision()
	if !ok {
		return fmt.Errorf("the join was not adopted (phase %s)", p.Phase())
	}
	for _, a := range d.Support {
		how := "through an advocate, " + st.name(o, a.Support.By)
		if a.Support.How == consent.SupportAssisted {
			how = fmt.Sprintf("by %s, entered by %s", a.Support.Mode, st.name(o, a.Support.By))
		}
		st.say("   %s answered %s %s\n", st.name(o, a.Person), a.Kind, how)
	}
	c, _ := o.Circle(south)
	st.say("   Adopted; in the same append %s joined %s (member: %t).\n", st.name(o, nia), c.Name(), c.IsMember(nia))
	return nil
}
