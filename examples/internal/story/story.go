// Package story is the governance story the carecoop and postgres examples
// tell, on whatever store they open: the co-operative builds its circles,
// decides by consent, selects a delegate, reads its review agenda and
// verifies its logbook. Every act carries a command ID, so telling the story
// again on the same store continues from what is stored.
package story

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/election"
	"github.com/coproduce/sociocracy/examples/internal/coop"
	"github.com/coproduce/sociocracy/linking"
	"github.com/coproduce/sociocracy/store"
)

// The story happens on a fixed date, so the output is the same on every
// machine and every run.
var london = mustZone("Europe/London")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// day returns the story's date plus n days, at 10:00 in London, plus m minutes.
func day(n, m int) time.Time {
	return time.Date(2026, 11, 2+n, 10, m, 0, 0, london)
}

// story keeps what every step needs.
type story struct {
	ctx   context.Context
	w     io.Writer
	s     *store.Store
	org   circle.OrgID
	fresh int // acts written in this run
	again int // acts found already done
}

// cmd makes the command of a named act: the same name always gives the same
// ID and payload, so a second run finds the act done.
func cmd(name string) store.Command {
	return store.Command{
		ID:      store.CommandID(uuid.NewSHA1(uuid.NameSpaceURL, []byte("carecoop/"+name))),
		Payload: []byte(name),
	}
}

func (st *story) count(r store.Receipt, err error) error {
	if err != nil {
		return err
	}
	if r.Duplicate {
		st.again++
	} else if r.Last > 0 {
		st.fresh++
	}
	return nil
}

func (st *story) say(format string, args ...any) { fmt.Fprintf(st.w, format, args...) }

func (st *story) name(o *circle.Organisation, p circle.PersonID) string {
	if person, ok := o.Person(p); ok {
		return person.Label()
	}
	return p.String()
}

// Run tells the story on s, writing what happens to w.
func Run(ctx context.Context, w io.Writer, s *store.Store) error {
	st := &story{ctx: ctx, w: w, s: s, org: coop.OrgID}
	head, err := s.Head(ctx, st.org)
	if err != nil {
		return err
	}
	if head.Seq > 0 {
		st.say("The logbook already holds %d entries: continuing from what is stored.\n", head.Seq)
	}
	for _, step := range []func() error{st.build, st.register, st.decide, st.elect, st.join, st.meetings, st.agenda, st.logbook} {
		if err := step(); err != nil {
			return err
		}
	}
	st.say("\nThis run recorded %d act(s); %d were already in the store.\n", st.fresh, st.again)
	return nil
}

// 1. Build the organisation and check the double links.
func (st *story) build() error {
	st.say("\n1. Riverside Care Co-operative builds its circles.\n")
	at := day(0, 0)
	if err := st.count(st.s.Found(st.ctx, coop.Founding(at), &store.WriteOptions{Command: cmd("found")})); err != nil {
		return err
	}
	for _, step := range coop.Steps(at) {
		if err := st.count(st.s.ActOrg(st.ctx, st.org, func(o *circle.Organisation, _ time.Time) ([]circle.Event, error) { return step.Act(o) }, &store.WriteOptions{Command: cmd(step.Name)})); err != nil {
			return fmt.Errorf("%s: %w", step.Name, err)
		}
	}
	o, err := st.s.Organisation(st.ctx, st.org)
	if err != nil {
		return err
	}
	st.say("   %d circles, %d people. People who receive support sit in both care teams.\n", o.CircleCount(), len(o.People()))
	report, err := linking.Check(o, coop.Policy(), day(0, 1))
	if err != nil {
		return err
	}
	st.say("   Double-linking check:\n")
	if report.OK() {
		st.say("   - every circle is double-linked (the delegate was selected in an earlier run)\n")
	}
	for _, v := range report.Violations {
		st.say("   - [%s] %s\n", v.Code, v.Message)
	}
	return nil
}

var proposalID = consent.ProcessID(uuid.NewSHA1(uuid.NameSpaceURL, []byte("carecoop/evening-visits")))

// 2. A consent decision in Care team North, with an objection integrated.
func (st *story) decide() error {
	st.say("\n2. Care team North decides by consent: the same two workers for evening visits.\n")
	north := coop.Circle(coop.CareNorth)
	dev, ben, carol, erin := coop.Person("Dev"), coop.Person("Ben"), coop.Person("Carol"), coop.Person("Erin")
	err := st.count(st.s.StartProcess(st.ctx, st.org, consent.ProcessSpec{
		ID: proposalID, Org: st.org, Circle: north, Proposer: dev, Facilitator: erin,
		Proposal: consent.Proposal{
			Title:  "Evening visits by the same two workers",
			Driver: "Different workers every evening unsettle the people we support.",
			Text:   "Each person's evening visits are made by the same two workers, who cover for each other.",
		},
	}, &store.WriteOptions{Command: cmd("start evening visits"), At: day(1, 0)}))
	if err != nil {
		return err
	}
	act := func(name string, f func(p *consent.Process, o *circle.Organisation) ([]consent.Event, error)) error {
		return st.count(st.s.ActProcess(st.ctx, st.org, proposalID, func(p *consent.Process, o *circle.Organisation, _ time.Time) ([]consent.Event, error) { return f(p, o) }, &store.WriteOptions{Command: cmd("evening visits: " + name)}))
	}
	members := func(o *circle.Organisation) []consent.PersonID { m, _ := consent.Members(o, north); return m }
	steps := []struct {
		name string
		f    func(p *consent.Process, o *circle.Organisation) ([]consent.Event, error)
	}{
		{"present", func(p *consent.Process, o *circle.Organisation) ([]consent.Event, error) {
			return p.Present(erin, day(1, 1), members(o))
		}},
		{"skip reactions", func(p *consent.Process, o *circle.Organisation) ([]consent.Event, error) {
			return p.SkipReactions(erin, day(1, 2))
		}},
		{"open round 1", func(p *consent.Process, o *circle.Organisation) ([]consent.Event, error) {
			return p.OpenConsentRound(erin, day(1, 3), members(o), time.Time{})
		}},
		{"dev consents 1", func(p *consent.Process, _ *circle.Organisation) ([]consent.Event, error) {
			return p.Consent(dev, day(1, 4))
		}},
		{"erin consents 1", func(p *consent.Process, _ *circle.Organisation) ([]consent.Event, error) {
			return p.Consent(erin, day(1, 4))
		}},
		{"ben objects", func(p *consent.Process, _ *circle.Organisation) ([]consent.Event, error) {
			return p.Object(ben, day(1, 5), "If one of my two workers is off sick, I would get a stranger at night; I need to know who is coming.")
		}},
		{"carol objects", func(p *consent.Process, _ *circle.Organisation) ([]consent.Event, error) {
			return p.Object(carol, day(1, 6), "We cannot know after a year whether this works; a year is too long to wait.")
		}},
		{"integrate", func(p *consent.Process, _ *circle.Organisation) ([]consent.Event, error) {
			return p.Integrate(erin, day(1, 7))
		}},
		{"understand ben", func(p *consent.Process, _ *circle.Organisation) ([]consent.Event, error) {
			return p.UnderstandObjection(erin, day(1, 8), ben, "Ben fears an unknown worker at night when one of his two is away.")
		}},
		{"understand carol", func(p *consent.Process, _ *circle.Organisation) ([]consent.Event, error) {
			return p.UnderstandObjection(erin, day(1, 9), carol, "Carol wants an early look at whether it works.")
		}},
		{"measure", func(p *consent.Process, _ *circle.Organisation) ([]consent.Event, error) {
			return p.AddMeasure(dev, day(1, 10), ben, consent.Measure{
				Watch: "evening visits made by someone other than the person's two workers", Threshold: "more than two in a month",
				Owner: dev, Checkpoint: day(31, 0),
			})
		}},
		{"shorter term", func(p *consent.Process, _ *circle.Organisation) ([]consent.Event, error) {
			return p.ShortenTerm(dev, day(1, 11), carol, day(91, 0), "review after three months, not twelve")
		}},
		{"open round 2", func(p *consent.Process, o *circle.Organisation) ([]consent.Event, error) {
			return p.OpenConsentRound(erin, day(1, 12), members(o), time.Time{})
		}},
		{"ben consents", func(p *consent.Process, _ *circle.Organisation) ([]consent.Event, error) {
			return p.Consent(ben, day(1, 13))
		}},
		{"carol consents", func(p *consent.Process, _ *circle.Organisation) ([]consent.Event, error) {
			return p.Consent(carol, day(1, 13))
		}},
		{"dev consents 2", func(p *consent.Process, _ *circle.Organisation) ([]consent.Event, error) {
			return p.Consent(dev, day(1, 13))
		}},
		{"erin consents 2", func(p *consent.Process, _ *circle.Organisation) ([]consent.Event, error) {
			return p.Consent(erin, day(1, 13))
		}},
		{"adopt", func(p *consent.Process, _ *circle.Organisation) ([]consent.Event, error) {
			return p.Adopt(erin, day(1, 14))
		}},
	}
	for _, s := range steps {
		if err := act(s.name, s.f); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}
	p, err := st.s.Process(st.ctx, st.org, proposalID)
	if err != nil {
		return err
	}
	o, err := st.s.Organisation(st.ctx, st.org)
	if err != nil {
		return err
	}
	d, ok := p.Decision()
	if !ok {
		return fmt.Errorf("the proposal was not adopted (phase %s)", p.Phase())
	}
	for _, obj := range d.Objections {
		st.say("   %s objected: %q\n     resolved by %s\n", st.name(o, obj.Objector), obj.Reason, strings.ReplaceAll(obj.Resolution.String(), "-", " "))
	}
	for _, m := range d.Measures {
		st.say("   measure: watch %s; act at %s; owner %s; checkpoint %s\n",
			m.Measure.Watch, m.Measure.Threshold, st.name(o, m.Measure.Owner), m.Measure.Checkpoint.In(london).Format("2 Jan 2006"))
	}
	st.say("   Adopted (version %d, after %d rounds, no objection open); review by %s.\n",
		d.Version, d.Rounds, d.ReviewDate.In(london).Format("2 Jan 2006"))
	return nil
}

var electionID = election.ElectionID(uuid.NewSHA1(uuid.NameSpaceURL, []byte("carecoop/north-delegate")))

// 3. Care team North selects its delegate.
func (st *story) elect() error {
	st.say("\n3. Care team North selects its delegate.\n")
	north := coop.Circle(coop.CareNorth)
	dev, ben, carol, erin := coop.Person("Dev"), coop.Person("Ben"), coop.Person("Carol"), coop.Person("Erin")
	spec := election.Spec{
		ID: electionID, Circle: north, Role: circle.Delegate, Facilitator: erin,
		Description:    "Carries the team's concerns to the general circle and takes part in its decisions by consent.",
		Qualifications: "Knows what evening and weekend support is like from the inside.",
		Term:           circle.Term{Start: day(3, 0), End: day(3, 0).AddDate(1, 0, 0)},
		Policy:         election.DefaultPolicy(),
	}
	if err := st.count(st.s.CallElection(st.ctx, st.org, spec, &store.WriteOptions{Command: cmd("call delegate election"), At: day(2, 0)})); err != nil {
		return err
	}
	type act = func(e *election.Election, o *circle.Organisation) ([]election.Event, error)
	consentBy := func(p circle.PersonID, m int) act {
		return func(e *election.Election, _ *circle.Organisation) ([]election.Event, error) {
			return e.Consent(p, day(2, m))
		}
	}
	nominate := func(p, nominee circle.PersonID, reason string) act {
		return func(e *election.Election, _ *circle.Organisation) ([]election.Event, error) {
			return e.Nominate(p, day(2, 10), nominee, reason)
		}
	}
	steps := []struct {
		name string
		f    act
	}{
		{"description: dev", consentBy(dev, 1)}, {"description: ben", consentBy(ben, 1)},
		{"description: carol", consentBy(carol, 1)}, {"description: erin", consentBy(erin, 1)},
		{"open nominations", func(e *election.Election, _ *circle.Organisation) ([]election.Event, error) {
			return e.OpenNominations(erin, day(2, 2))
		}},
		{"nominate: dev", nominate(dev, erin, "Erin already knows the general circle's work.")},
		{"nominate: ben", nominate(ben, ben, "I want the general circle to hear from someone who gets the support.")},
		{"nominate: carol", nominate(carol, ben, "Ben speaks plainly and people listen to him.")},
		{"nominate: erin", nominate(erin, ben, "Ben knows our evenings better than any of us.")},
		{"change: dev", func(e *election.Election, _ *circle.Organisation) ([]election.Event, error) {
			return e.ChangeNomination(dev, day(2, 11), ben, "Hearing the reasons, Ben is the better voice for us.")
		}},
		{"propose ben", func(e *election.Election, _ *circle.Organisation) ([]election.Event, error) {
			return e.Propose(erin, day(2, 12), election.ProposalSpec{Nominee: ben, Reasons: "Every nomination ends with Ben, for his plain speaking and first-hand knowledge."})
		}},
		{"nominee round: dev", consentBy(dev, 13)}, {"nominee round: carol", consentBy(carol, 13)},
		{"nominee round: erin", consentBy(erin, 13)}, {"nominee round: ben (last)", consentBy(ben, 14)},
		{"elect", func(e *election.Election, _ *circle.Organisation) ([]election.Event, error) {
			return e.Elect(erin, day(2, 15))
		}},
	}
	for _, s := range steps {
		if err := st.count(st.s.ActElection(st.ctx, st.org, electionID, func(e *election.Election, o *circle.Organisation, _ time.Time) ([]election.Event, error) {
			return s.f(e, o)
		}, &store.WriteOptions{Command: cmd("delegate election: " + s.name)})); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}
	// A delegate is a full member of the parent circle too.
	err := st.count(st.s.ActOrg(st.ctx, st.org, func(o *circle.Organisation, _ time.Time) ([]circle.Event, error) {
		return o.AddMember(coop.Person("Amara"), day(2, 16), coop.Circle(coop.General), ben)
	}, &store.WriteOptions{Command: cmd("ben joins the general circle")}))
	if err != nil {
		return err
	}
	e, err := st.s.Election(st.ctx, st.org, electionID)
	if err != nil {
		return err
	}
	o, err := st.s.Organisation(st.ctx, st.org)
	if err != nil {
		return err
	}
	for _, c := range election.Tally(e.Nominations(erin)) {
		st.say("   %s: nominated %d time(s)\n", st.name(o, c.Nominee), c.Count)
	}
	out, _ := e.Outcome()
	st.say("   %s is elected delegate until %s; the nominee consented last.\n", st.name(o, out.Person), out.Term.End.In(london).Format("2 Jan 2006"))
	report, err := linking.Check(o, coop.Policy(), day(2, 17))
	if err != nil {
		return err
	}
	st.say("   Double-linking check: %d problem(s).\n", len(report.Violations))
	for _, v := range report.Violations {
		st.say("   - [%s] %s\n", v.Code, v.Message)
	}
	return nil
}

// 7. The review agenda of the coming months.
func (st *story) agenda() error {
	until := day(0, 0).AddDate(0, 13, 0)
	st.say("\n7. What the co-operative must review before %s:\n", until.In(london).Format("January 2006"))
	items, err := st.s.Due(st.ctx, st.org, until)
	if err != nil {
		return err
	}
	o, err := st.s.Organisation(st.ctx, st.org)
	if err != nil {
		return err
	}
	for _, it := range items {
		where := ""
		if c, ok := o.Circle(it.Circle); ok {
			where = c.Name()
		}
		st.say("   %s  %-22s %-18s %s\n", it.Due.In(london).Format("2006-01-02"), it.Kind, where, it.Title)
	}
	return nil
}

// 8. The end of the logbook, and its hash chain verified.
func (st *story) logbook() error {
	head, err := st.s.Verify(st.ctx, st.org)
	if err != nil {
		return fmt.Errorf("the logbook does not verify: %w", err)
	}
	st.say("\n8. The logbook: %d entries, hash-chained. The last five:\n", head.Seq)
	after := uint64(0)
	if head.Seq > 5 {
		after = head.Seq - 5
	}
	entries, err := st.s.Log(st.ctx, store.LogQuery{Org: st.org, After: after})
	if err != nil {
		return err
	}
	for _, e := range entries {
		st.say("   #%-4d %s  %-32s %s\n", e.Seq, e.At.In(london).Format("2006-01-02 15:04"), e.Type, e.Hash.String()[:16])
	}
	st.say("   Verified: every entry's hash covers the one before it. Head %s (anchor it elsewhere to detect a rewrite).\n", head.Hash.String()[:16])
	return nil
}
