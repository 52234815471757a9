package story

import (
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/coproduce/sociocracy/assembly"
	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/examples/internal/coop"
	"github.com/coproduce/sociocracy/meeting"
	"github.com/coproduce/sociocracy/members"
	"github.com/coproduce/sociocracy/review"
	"github.com/coproduce/sociocracy/store"
)

var (
	northMeetingID = meeting.MeetingID(uuid.NewSHA1(uuid.NameSpaceURL, []byte("carecoop/north-meeting-december")))
	weekendID      = consent.ProcessID(uuid.NewSHA1(uuid.NameSpaceURL, []byte("carecoop/weekend-cover")))
	agmID          = assembly.MeetingID(uuid.NewSHA1(uuid.NameSpaceURL, []byte("carecoop/agm-2026")))
)

// meetings tells the story's meetings: Care team North's December meeting,
// whose minutes are printed, and the AGM, which passes a special resolution
// with investors' votes capped.
func (st *story) meetings() error {
	if err := st.circleMeeting(); err != nil {
		return fmt.Errorf("care team meeting: %w", err)
	}
	if err := st.agm(); err != nil {
		return fmt.Errorf("agm: %w", err)
	}
	return nil
}

// 5. Care team North meets: the measure's checkpoint is due, a proposal is
// open, Carol asks for a confidential item; the acts done in the meeting
// are recorded by it, and the minutes are published.
func (st *story) circleMeeting() error {
	st.say("\n5. Care team North meets on 3 December; its minutes are published to every member.\n")
	north := coop.Circle(coop.CareNorth)
	dev, ben, carol, erin, iris := coop.Person("Dev"), coop.Person("Ben"), coop.Person("Carol"), coop.Person("Erin"), coop.Person("Iris")
	err := st.count(st.s.StartProcess(st.ctx, st.org, consent.ProcessSpec{
		ID: weekendID, Org: st.org, Circle: north, Proposer: dev, Facilitator: erin,
		Proposal: consent.Proposal{
			Title:  "Weekend cover from a shared pool",
			Driver: "Weekend visits are missed when one of a person's two workers is away.",
			Text:   "Care teams North and South keep one pool of workers who know the people supported, for weekend cover.",
		},
	}, &store.WriteOptions{Command: cmd("start weekend cover"), At: day(29, 0)}))
	if err != nil {
		return err
	}
	when := day(30, 0)
	err = st.count(st.s.ConveneMeeting(st.ctx, st.org, meeting.Spec{ID: northMeetingID, Circle: north,
		Title: "Care team North, December", Facilitator: erin, Secretary: dev, Scheduled: day(31, 0).Add(7 * time.Hour)},
		&store.WriteOptions{Command: cmd("convene north december"), At: when}))
	if err != nil {
		return err
	}
	mt := func(name string, f func(m *meeting.Meeting) ([]meeting.Event, error)) error {
		return st.count(st.s.ActMeeting(st.ctx, st.org, northMeetingID, func(m *meeting.Meeting, _ *circle.Organisation, _ time.Time) ([]meeting.Event, error) {
			return f(m)
		}, &store.WriteOptions{Command: cmd("north december: " + name)}))
	}
	src, err := st.s.MeetingAgenda(st.ctx, st.org, north, day(31, 0).Add(7*time.Hour))
	if err != nil {
		return err
	}
	items := meeting.AgendaFrom(src)
	if err := mt("agenda", func(m *meeting.Meeting) ([]meeting.Event, error) { return m.AddItems(dev, day(30, 1), items...) }); err != nil {
		return err
	}
	if err := mt("carol's item", func(m *meeting.Meeting) ([]meeting.Event, error) {
		return m.RequestItem(carol, day(30, 2), "Changes to Ben's support plan", true)
	}); err != nil {
		return err
	}
	start := day(31, 0).Add(7 * time.Hour) // 17:00
	at := func(min int) time.Time { return start.Add(time.Duration(min) * time.Minute) }
	for _, s := range []struct {
		name string
		f    func(m *meeting.Meeting) ([]meeting.Event, error)
	}{
		{"open", func(m *meeting.Meeting) ([]meeting.Event, error) { return m.Open(erin, at(0)) }},
		{"erin present", func(m *meeting.Meeting) ([]meeting.Event, error) { return m.Attend(dev, at(0), erin, meeting.Present) }},
		{"dev present", func(m *meeting.Meeting) ([]meeting.Event, error) { return m.Attend(dev, at(0), dev, meeting.Present) }},
		{"ben present", func(m *meeting.Meeting) ([]meeting.Event, error) { return m.Attend(dev, at(0), ben, meeting.Present) }},
		{"carol present", func(m *meeting.Meeting) ([]meeting.Event, error) { return m.Attend(dev, at(0), carol, meeting.Present) }},
		{"iris a guest", func(m *meeting.Meeting) ([]meeting.Event, error) { return m.Attend(dev, at(0), iris, meeting.Guest) }},
	} {
		if err := mt(s.name, s.f); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}
	m, err := st.s.Meeting(st.ctx, st.org, northMeetingID)
	if err != nil {
		return err
	}
	// Item 1, the measure's checkpoint: reviewed in the meeting and kept.
	var checkpoint review.ItemID
	for _, it := range m.Items() {
		if it.Source == meeting.SourceReview {
			checkpoint = it.Review
		}
	}
	in := func(item int, name string) *store.WriteOptions {
		return &store.WriteOptions{Command: cmd("north december: " + name), Meeting: northMeetingID, Item: item}
	}
	err = st.count(st.s.ActCalendar(st.ctx, st.org, func(c *review.Calendar, _ time.Time) ([]review.Event, error) {
		return c.Complete(dev, at(5), checkpoint, review.Completion{Outcome: review.OutcomeKept, Next: day(61, 0),
			Note: "One evening visit by someone else in November, under the threshold."})
	}, in(1, "checkpoint kept")))
	if err != nil {
		return err
	}
	// Item 2, weekend cover: decided by consent in the meeting.
	members := func(o *circle.Organisation) []consent.PersonID { ms, _ := consent.Members(o, north); return ms }
	for _, s := range []struct {
		name string
		f    func(p *consent.Process, o *circle.Organisation) ([]consent.Event, error)
	}{
		{"present", func(p *consent.Process, o *circle.Organisation) ([]consent.Event, error) {
			return p.Present(erin, at(10), members(o))
		}},
		{"skip reactions", func(p *consent.Process, _ *circle.Organisation) ([]consent.Event, error) {
			return p.SkipReactions(erin, at(15))
		}},
		{"open round", func(p *consent.Process, o *circle.Organisation) ([]consent.Event, error) {
			return p.OpenConsentRound(erin, at(16), members(o), time.Time{})
		}},
		{"ben consents", func(p *consent.Process, _ *circle.Organisation) ([]consent.Event, error) {
			return p.Consent(ben, at(17))
		}},
		{"carol consents", func(p *consent.Process, _ *circle.Organisation) ([]consent.Event, error) {
			return p.Consent(carol, at(17))
		}},
		{"dev consents", func(p *consent.Process, _ *circle.Organisation) ([]consent.Event, error) {
			return p.Consent(dev, at(17))
		}},
		{"erin consents", func(p *consent.Process, _ *circle.Organisation) ([]consent.Event, error) {
			return p.Consent(erin, at(17))
		}},
		{"adopt", func(p *consent.Process, _ *circle.Organisation) ([]consent.Event, error) {
			return p.Adopt(erin, at(18))
		}},
	} {
		err := st.count(st.s.ActProcess(st.ctx, st.org, weekendID, func(p *consent.Process, o *circle.Organisation, _ time.Time) ([]consent.Event, error) {
			return s.f(p, o)
		}, in(2, "weekend cover: "+s.name)))
		if err != nil {
			return fmt.Errorf("weekend cover: %s: %w", s.name, err)
		}
	}
	for _, s := range []struct {
		name string
		f    func(m *meeting.Meeting) ([]meeting.Event, error)
	}{
		{"minute 1", func(m *meeting.Meeting) ([]meeting.Event, error) {
			return m.Minute(dev, at(20), 1, meeting.OutcomeDecided, "Kept: one visit by someone else in November, under the threshold of two. Next checkpoint in a month.")
		}},
		{"minute 2", func(m *meeting.Meeting) ([]meeting.Event, error) {
			return m.Minute(dev, at(21), 2, meeting.OutcomeDecided, "Adopted by consent; Care team South will be asked to join the pool.")
		}},
		{"minute 3", func(m *meeting.Meeting) ([]meeting.Event, error) {
			return m.Minute(dev, at(40), 3, meeting.OutcomeDecided, "Ben's evening visits move to 7pm from January; Carol will tell the office.")
		}},
		{"close", func(m *meeting.Meeting) ([]meeting.Event, error) { return m.Close(erin, at(45)) }},
		{"publish", func(m *meeting.Meeting) ([]meeting.Event, error) { return m.Publish(dev, at(90)) }},
	} {
		if err := mt(s.name, s.f); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}
	o, err := st.s.Organisation(st.ctx, st.org)
	if err != nil {
		return err
	}
	// The minutes as Grace, a member outside the care team, reads them.
	mn, err := st.s.Minutes(st.ctx, st.org, northMeetingID, coop.Person("Grace"))
	if err != nil {
		return err
	}
	st.say("   The minutes as Grace, who is not in the care team, reads them:\n\n")
	for _, line := range strings.Split(strings.TrimRight(mn.Text(func(p circle.PersonID) string { return st.name(o, p) }, london), "\n"), "\n") {
		st.say("   | %s\n", line)
	}
	return nil
}

// 6. The annual general meeting: consent first, then a vote in which the
// investors' votes count for at most 10%.
func (st *story) agm() error {
	st.say("\n6. The annual general meeting, under Equal Care Co-op's rules, passes a special resolution.\n")
	amara := coop.Person("Amara")
	err := st.count(st.s.ActOrg(st.ctx, st.org, func(o *circle.Organisation, _ time.Time) ([]circle.Event, error) {
		var c store.Collector[circle.Event]
		for _, label := range []string{"Olu", "Priya"} {
			c.Add(o.AddPerson(amara, day(32, 0), circle.PersonSpec{ID: coop.Person(label), Label: label, Class: circle.Investor}))
		}
		return c.Result()
	}, &store.WriteOptions{Command: cmd("two community investors join")}))
	if err != nil {
		return err
	}
	// They become members by buying shares; the meeting's members are the
	// register's.
	for i, inv := range []struct{ label, address string }{{"Olu", "3 Quay Street"}, {"Priya", "27 Linden Avenue"}} {
		p := coop.Person(inv.label)
		if err := st.s.SetProfile(st.ctx, st.org, p, store.Profile{Name: inv.label, Address: inv.address}); err != nil {
			return err
		}
		at := day(32, 0).Add(time.Duration(i+1) * time.Second)
		if err := st.count(st.s.ActMembers(st.ctx, st.org, func(r *members.Register, o *circle.Organisation, _ time.Time) ([]members.Event, error) {
			return r.Admit(o, amara, at, p, 100)
		}, &store.WriteOptions{Command: cmd("admit " + inv.label), At: at})); err != nil {
			return err
		}
	}
	rules := assembly.EqualCare()
	held := day(50, 0).Add(8 * time.Hour) // 22 December, 18:00
	err = st.count(st.s.CallGeneralMeeting(st.ctx, st.org, assembly.Spec{ID: agmID, Kind: assembly.Annual,
		Title: "Annual general meeting 2026", Chair: amara, Held: held}, rules, &store.WriteOptions{Command: cmd("call agm"), At: day(32, 1)}))
	if err != nil {
		return err
	}
	at := func(min int) time.Time { return held.Add(time.Duration(min) * time.Minute) }
	type act = func(m *assembly.Meeting) ([]assembly.Event, error)
	var steps []struct {
		name string
		f    act
	}
	add := func(name string, f act) {
		steps = append(steps, struct {
			name string
			f    act
		}{name, f})
	}
	add("propose accounts", func(m *assembly.Meeting) ([]assembly.Event, error) {
		return m.Propose(amara, day(32, 2), assembly.ResolutionSpec{Majority: assembly.Ordinary, Title: "Receive the accounts for 2025-26",
			Text: "The members receive the accounts for the year to 31 March 2026."})
	})
	add("propose rule 7", func(m *assembly.Meeting) ([]assembly.Event, error) {
		return m.Propose(amara, day(32, 3), assembly.ResolutionSpec{Majority: assembly.Special, Title: "Amend rule 7: members' meetings online too",
			Text: "Rule 7 is amended so that members may attend and vote at general meetings online as well as in person."})
	})
	for _, p := range []struct{ principal, holder string }{{"Kit", "Hamid"}, {"Lena", "Femi"}} {
		add("proxy "+p.principal, func(m *assembly.Meeting) ([]assembly.Event, error) {
			return m.AppointProxy(coop.Person(p.principal), day(40, 0), coop.Person(p.holder))
		})
	}
	present := []string{"Amara", "Ben", "Carol", "Dev", "Erin", "Femi", "Hamid", "Iris", "Grace", "Olu", "Priya"}
	for _, p := range present {
		add("register "+p, func(m *assembly.Meeting) ([]assembly.Event, error) {
			return m.Register(amara, at(-10), coop.Person(p))
		})
	}
	add("open", func(m *assembly.Meeting) ([]assembly.Event, error) { return m.Open(amara, at(0)) })
	add("seek consent 1", func(m *assembly.Meeting) ([]assembly.Event, error) { return m.SeekConsent(amara, at(5), 1) })
	add("consent 1", func(m *assembly.Meeting) ([]assembly.Event, error) { return m.DeclareConsent(amara, at(10), 1) })
	add("seek consent 2", func(m *assembly.Meeting) ([]assembly.Event, error) { return m.SeekConsent(amara, at(15), 2) })
	add("grace objects", func(m *assembly.Meeting) ([]assembly.Event, error) {
		return m.Object(coop.Person("Grace"), at(20), 2, "Members without a good connection would be heard less.")
	})
	add("call vote", func(m *assembly.Meeting) ([]assembly.Event, error) { return m.CallVote(amara, at(30), 2) })
	votes := []struct {
		by, member string
		c          assembly.Choice
	}{
		{"Amara", "", assembly.For}, {"Ben", "", assembly.For}, {"Carol", "", assembly.For}, {"Dev", "", assembly.For},
		{"Erin", "", assembly.For}, {"Femi", "", assembly.For}, {"Hamid", "", assembly.For}, {"Iris", "", assembly.Against},
		{"Hamid", "Kit", assembly.For}, {"Femi", "Lena", assembly.For},
		{"Grace", "", assembly.Against}, {"Olu", "", assembly.Against}, {"Priya", "", assembly.Against},
	}
	for _, v := range votes {
		add("vote "+v.by+" "+v.member, func(m *assembly.Meeting) ([]assembly.Event, error) {
			var member circle.PersonID
			if v.member != "" {
				member = coop.Person(v.member)
			}
			return m.Vote(coop.Person(v.by), at(35), 2, v.c, member)
		})
	}
	add("count 2", func(m *assembly.Meeting) ([]assembly.Event, error) { return m.Count(amara, at(40), 2) })
	add("close", func(m *assembly.Meeting) ([]assembly.Event, error) { return m.Close(amara, at(45)) })
	for _, s := range steps {
		err := st.count(st.s.ActGeneralMeeting(st.ctx, st.org, agmID, func(m *assembly.Meeting, _ *circle.Organisation, _ time.Time) ([]assembly.Event, error) {
			return s.f(m)
		}, &store.WriteOptions{Command: cmd("agm: " + s.name)}))
		if err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}
	m, err := st.s.GeneralMeeting(st.ctx, st.org, agmID)
	if err != nil {
		return err
	}
	st.say("   %d of %d members attend, in person or by proxy (the quorum is %d).\n", m.Attending(), len(m.Members()), rules.Quorum.Need(len(m.Members())))
	for _, r := range m.Resolutions() {
		how := "by consent"
		if r.Result != nil {
			how = "on a vote"
		}
		st.say("   Resolution %d, %s (%s): %s %s.\n", r.Number, r.Title, r.Majority, r.Stage, how)
		if r.Result == nil {
			continue
		}
		st.say("     Rule applied: %s.\n", r.Result.Rule)
		for _, c := range r.Result.Classes {
			st.say("     %-17s for %2d, against %d, each vote weighs %s\n", c.Class, c.For, c.Against, c.Weight)
		}
		plain := rules
		plain.Weighting, plain.Classes = assembly.Unweighted, nil
		unweighted, err := assembly.Tally(plain, r.Majority, m.Counts(r.Number))
		if err != nil {
			return err
		}
		would := "fail"
		if unweighted.Carried {
			would = "carry too"
		}
		st.say("     For: %s of the weighted votes cast; unweighted it would be %s, and the resolution would %s.\n",
			percent(r.Result.ShareFor()), percent(unweighted.ShareFor()), would)
	}
	return nil
}

func percent(r *big.Rat) string {
	return new(big.Rat).Mul(r, big.NewRat(100, 1)).FloatString(1) + "%"
}
