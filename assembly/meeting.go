package assembly

import (
	"maps"
	"slices"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/internal/kernel"
	"github.com/coproduce/sociocracy/internal/outbox"
)

// Spec describes a general meeting for [Call].
type Spec struct {
	ID    MeetingID
	Kind  Kind
	Title string          // one line, 1 to 200 bytes: "Annual general meeting 2026"
	Chair circle.PersonID // a member; opens and closes the meeting and puts resolutions
	Held  time.Time       // when the meeting is held
	// Members are the members entitled to attend, with their classes;
	// nil means every person of the organisation now. A host that keeps
	// a register of members names them from it (the Store's CallGeneralMeeting
	// in package store does so when the organisation has one).
	Members []Member
}

// ResolutionSpec is a resolution to put on the notice ([Meeting.Propose]).
type ResolutionSpec struct {
	Majority Majority
	Title    string // one line, 1 to 200 bytes
	Text     string // the resolution as it will be recorded; 1 to 20,000 bytes
}

// Objection is a member's objection to a resolution.
type Objection struct {
	Member circle.PersonID `json:"member"`
	Reason string          `json:"reason"`
	Open   bool            `json:"open"`
}

// Resolution is a resolution of a general meeting as it stands.
type Resolution struct {
	Number     int
	Majority   Majority
	Title      string
	Text       string
	Stage      Stage
	Objections []Objection
	ByConsent  bool    // carried by consent, without a vote
	Result     *Result // the count, when it went to a vote
	Votes      int     // votes cast so far
}

type resolution struct {
	number     int
	majority   Majority
	title      string
	text       string
	stage      Stage
	objections []Objection
	votes      map[circle.PersonID]vote // by the member whose vote it is
	byConsent  bool
	result     *Result
}

type vote struct {
	choice Choice
	by     circle.PersonID // who cast it: the member or their proxy
}

// Meeting is a general meeting of the organisation's members (an AGM or
// an extraordinary general meeting): its notice, rules, resolutions,
// proxies, attendance and results. It is created by [Call] or [Replay]
// and changed only by its acts. The zero Meeting is not usable. A Meeting
// is not safe for concurrent use.
type Meeting struct {
	out     outbox.Box[Event]
	org     circle.OrgID
	id      MeetingID
	kind    Kind
	title   string
	chair   circle.PersonID
	held    time.Time
	notice  time.Time
	zone    *time.Location
	rules   Rules
	members map[circle.PersonID]circle.StakeholderClass
	list    []circle.PersonID

	phase       Phase
	version     uint64
	last        time.Time
	resolutions []*resolution
	proxies     map[circle.PersonID]circle.PersonID // principal -> holder
	holds       map[circle.PersonID]int             // holder -> proxies held
	present     map[circle.PersonID]bool            // in person
	reason      string
}

// ID returns the meeting's ID.
func (m *Meeting) ID() MeetingID { return m.id }

// Org returns the organisation's ID.
func (m *Meeting) Org() circle.OrgID { return m.org }

// Kind returns the kind of meeting.
func (m *Meeting) Kind() Kind { return m.kind }

// Title returns the meeting's title.
func (m *Meeting) Title() string { return m.title }

// Chair returns the chair.
func (m *Meeting) Chair() circle.PersonID { return m.chair }

// Held returns when the meeting is held.
func (m *Meeting) Held() time.Time { return m.held }

// Rules returns the rules the meeting runs under.
func (m *Meeting) Rules() Rules {
	r := m.rules
	r.Classes = slices.Clone(r.Classes)
	return r
}

// Phase returns where the meeting stands.
func (m *Meeting) Phase() Phase { return m.phase }

// Version returns the number of events applied.
func (m *Meeting) Version() uint64 { return m.version }

// Members returns the members entitled to attend and vote, sorted.
func (m *Meeting) Members() []Member {
	out := make([]Member, len(m.list))
	for i, p := range m.list {
		out[i] = Member{Person: p, Class: m.members[p]}
	}
	return out
}

// Present reports whether p is present in person.
func (m *Meeting) Present(p circle.PersonID) bool { return m.present[p] }

// Proxy returns the proxy p appointed, if any.
func (m *Meeting) Proxy(p circle.PersonID) (circle.PersonID, bool) {
	h, ok := m.proxies[p]
	return h, ok
}

// Attending returns the number of members present in person or by a proxy
// who is present.
func (m *Meeting) Attending() int {
	n := 0
	for _, p := range m.list {
		if m.attends(p) {
			n++
		}
	}
	return n
}

func (m *Meeting) attends(p circle.PersonID) bool {
	if m.present[p] {
		return true
	}
	h, ok := m.proxies[p]
	return ok && m.present[h]
}

// Quorate reports whether the members attending meet the rules' quorum.
func (m *Meeting) Quorate() bool { return m.Attending() >= m.rules.Quorum.Need(len(m.list)) }

// Resolutions returns every resolution as it stands, in order.
func (m *Meeting) Resolutions() []Resolution {
	out := make([]Resolution, len(m.resolutions))
	for i, r := range m.resolutions {
		out[i] = r.view()
	}
	return out
}

// Resolution returns resolution n.
func (m *Meeting) Resolution(n int) (Resolution, bool) {
	if n < 1 || n > len(m.resolutions) {
		return Resolution{}, false
	}
	return m.resolutions[n-1].view(), true
}

func (r *resolution) view() Resolution {
	v := Resolution{Number: r.number, Majority: r.majority, Title: r.title, Text: r.text, Stage: r.stage,
		Objections: slices.Clone(r.objections), ByConsent: r.byConsent, Votes: len(r.votes)}
	if r.result != nil {
		res := cloneResult(*r.result)
		v.Result = &res
	}
	return v
}

func cloneResult(r Result) Result {
	r.Threshold = Threshold{Rule: r.Threshold.Rule, Share: r.Threshold.Share}
	r.Classes = slices.Clone(r.Classes)
	return r
}

// Call gives notice of a general meeting of org under rules, by its chair
// (a person of the organisation), at time at: the meeting must be held at
// least rules.NoticeDays clear days later, in the organisation's zone. The
// members entitled to attend are s.Members, each a person of the
// organisation named once with a class, or, when s.Members is nil, the
// organisation's people now.
func Call(org *circle.Organisation, s Spec, rules Rules, at time.Time) (*Meeting, []Event, error) {
	const act = "call meeting"
	at = circle.Normalize(at)
	if s.ID.IsZero() {
		return nil, nil, refuse(act, ErrMissingID, "meeting id is required")
	}
	if !s.Kind.Valid() {
		return nil, nil, refuse(act, ErrInvalidSpec, "the kind must be %s", kernel.OneOf(kinds.Names()...))
	}
	if err := checkText(act, "title", s.Title, 1, 200, false); err != nil {
		return nil, nil, err
	}
	if _, ok := org.Person(s.Chair); !ok {
		return nil, nil, refuse(act, ErrNotMember, "the chair %s is not a person of the organisation", s.Chair)
	}
	if err := rules.Validate(); err != nil {
		return nil, nil, refuse(act, ErrInvalidRules, "%s", kernel.Plain(err, details))
	}
	if err := notice(act, rules, org.Zone(), at, s.Held); err != nil {
		return nil, nil, err
	}
	ev := Called{Header: Header{Org: org.ID(), Meeting: s.ID, Actor: s.Chair, At: at}, Kind: s.Kind, Title: s.Title,
		Chair: s.Chair, Held: circle.Normalize(s.Held), Zone: zoneName(org.Zone()), Rules: rules}
	ev.Rules.Classes = slices.Clone(rules.Classes)
	if ev.Rules.Classes == nil {
		ev.Rules.Classes = []ClassShare{}
	}
	if s.Members != nil {
		seen := make(map[circle.PersonID]bool, len(s.Members))
		for _, mb := range s.Members {
			if _, ok := org.Person(mb.Person); !ok {
				return nil, nil, refuse(act, ErrNotMember, "member %s is not a person of the organisation", mb.Person)
			}
			if seen[mb.Person] {
				return nil, nil, refuse(act, ErrInvalidSpec, "member %s is named twice", mb.Person)
			}
			if mb.Class == "" {
				return nil, nil, refuse(act, ErrInvalidSpec, "member %s has no class", mb.Person)
			}
			seen[mb.Person] = true
		}
		ev.Members = slices.Clone(s.Members)
		slices.SortFunc(ev.Members, func(a, b Member) int { return a.Person.Compare(b.Person) })
	} else {
		for _, p := range org.People() {
			person, _ := org.Person(p)
			ev.Members = append(ev.Members, Member{Person: p, Class: person.Class()})
		}
	}
	m := &Meeting{}
	evs, err := m.commit(ev)
	if err != nil {
		return nil, nil, err
	}
	return m, evs, nil
}

// notice checks that held is at least rules.NoticeDays clear days after at
// in zone loc (neither the day of the notice nor the day of the meeting
// counted).
func notice(act string, rules Rules, loc *time.Location, at, held time.Time) error {
	if held.IsZero() {
		return refuse(act, ErrInvalidSpec, "the meeting needs a time it is held")
	}
	if loc == nil {
		loc = time.UTC
	}
	day := func(t time.Time) int {
		y, mo, d := t.In(loc).Date()
		return int(time.Date(y, mo, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
	}
	if clear := day(held) - day(at) - 1; clear < rules.NoticeDays {
		return refuse(act, ErrNotice, "the rules ask for %d clear days' notice; %s leaves %d", rules.NoticeDays, held.In(loc).Format("2 January 2006"), max(clear, 0))
	}
	return nil
}

func zoneName(loc *time.Location) string {
	if loc == nil {
		return "UTC"
	}
	return loc.String()
}

func (m *Meeting) header(actor circle.PersonID, at time.Time) Header {
	return Header{Org: m.org, Meeting: m.id, Actor: actor, At: circle.Normalize(at)}
}

// commit applies events an act has validated.
func (m *Meeting) commit(events ...Event) ([]Event, error) {
	for _, ev := range events {
		if err := ev.apply(m); err != nil {
			return nil, refuse("commit", ErrInvalidEvent, "act produced an event that does not apply: %v", err)
		}
		m.version++
	}
	m.out.Record(events...)
	return events, nil
}

func (m *Meeting) run(evs []Event, err error) ([]Event, error) {
	if err != nil {
		return nil, err
	}
	return m.commit(evs...)
}

// Take returns the events that acts on this meeting have yielded since the
// previous call of Take, and clears them. Recording starts at the first
// call; events applied by [Replay] or [Meeting.Apply] are never recorded.
func (m *Meeting) Take() []Event { return m.out.Take() }

// Clone returns a deep copy of m that shares nothing mutable with it. The
// copy records nothing for [Meeting.Take] until it is asked.
func (m *Meeting) Clone() *Meeting {
	c := *m
	c.out = outbox.Box[Event]{}
	c.rules = m.Rules()
	c.members = maps.Clone(m.members)
	c.list = slices.Clone(m.list)
	c.proxies = maps.Clone(m.proxies)
	c.holds = maps.Clone(m.holds)
	c.present = maps.Clone(m.present)
	c.resolutions = make([]*resolution, len(m.resolutions))
	for i, r := range m.resolutions {
		cr := *r
		cr.objections = slices.Clone(r.objections)
		cr.votes = maps.Clone(r.votes)
		if r.result != nil {
			res := cloneResult(*r.result)
			cr.result = &res
		}
		c.resolutions[i] = &cr
	}
	return &c
}
