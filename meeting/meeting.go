package meeting

import (
	"maps"
	"slices"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/election"
	"github.com/coproduce/sociocracy/internal/enum"
	"github.com/coproduce/sociocracy/internal/kernel"
	"github.com/coproduce/sociocracy/internal/outbox"
	"github.com/coproduce/sociocracy/review"
)

// Spec describes a meeting for [Convene].
type Spec struct {
	ID          MeetingID
	Circle      circle.CircleID
	Title       string          // one line, 1 to 200 bytes: "Care team North, November"
	Facilitator circle.PersonID // a member of the circle; convenes, opens and closes the meeting
	Secretary   circle.PersonID // a member of the circle; keeps the attendance and the minutes
	Scheduled   time.Time       // when the meeting is to be held
}

// ItemSpec is an agenda item to add ([Meeting.AddItems]). A review item
// names the calendar item, a process item the consent process, an election
// item the election; a member's request names none ([Meeting.RequestItem]).
type ItemSpec struct {
	Source       Source
	Title        string // one line, 1 to 200 bytes
	Review       review.ItemID
	Process      consent.ProcessID
	Election     election.ElectionID
	Confidential bool // withheld from the published minutes for everyone but the circle's members
}

// minute is the latest minute of one item.
type minute struct {
	outcome Outcome
	note    string
	at      time.Time
}

// Meeting is one meeting of a circle: its agenda, attendance, the acts done
// in it and its minutes. It is created by [Convene] or [Replay] and changed
// only by its acts. The zero Meeting is not usable. A Meeting is not safe
// for concurrent use.
type Meeting struct {
	out         outbox.Box[Event]
	org         circle.OrgID
	id          MeetingID
	circle      circle.CircleID
	title       string
	facilitator circle.PersonID
	secretary   circle.PersonID
	scheduled   time.Time
	members     []circle.PersonID
	isMember    map[circle.PersonID]bool

	phase      Phase
	version    uint64
	last       time.Time
	opened     time.Time
	closed     time.Time
	published  time.Time
	cancelled  string
	items      []Item
	attendance map[circle.PersonID]Attendance
	attendees  []circle.PersonID // in the order first recorded
	links      []ActsRecorded
	minutes    map[int]minute
}

// ID returns the meeting's ID.
func (m *Meeting) ID() MeetingID { return m.id }

// Org returns the organisation's ID.
func (m *Meeting) Org() circle.OrgID { return m.org }

// Circle returns the circle that meets.
func (m *Meeting) Circle() circle.CircleID { return m.circle }

// Title returns the meeting's title.
func (m *Meeting) Title() string { return m.title }

// Facilitator returns the facilitator.
func (m *Meeting) Facilitator() circle.PersonID { return m.facilitator }

// Secretary returns the secretary, who keeps the minutes.
func (m *Meeting) Secretary() circle.PersonID { return m.secretary }

// Scheduled returns when the meeting is to be held.
func (m *Meeting) Scheduled() time.Time { return m.scheduled }

// Phase returns where the meeting stands.
func (m *Meeting) Phase() Phase { return m.phase }

// Version returns the number of events applied.
func (m *Meeting) Version() uint64 { return m.version }

// Members returns the circle's members when the meeting was convened, sorted.
func (m *Meeting) Members() []circle.PersonID { return slices.Clone(m.members) }

// IsMember reports whether p was a member of the circle when the meeting
// was convened.
func (m *Meeting) IsMember(p circle.PersonID) bool { return m.isMember[p] }

// Items returns the whole agenda, confidential items included, in order.
// Use [Meeting.Agenda] or [Meeting.Minutes] to show it to a person.
func (m *Meeting) Items() []Item { return slices.Clone(m.items) }

// Agenda returns the agenda as viewer may see it: a confidential item's
// title is withheld from anyone who is not a member of the circle.
func (m *Meeting) Agenda(viewer circle.PersonID) []Item {
	out := slices.Clone(m.items)
	for i := range out {
		if out[i].Confidential && !m.isMember[viewer] {
			out[i] = withheldItem(out[i])
		}
	}
	return out
}

func withheldItem(it Item) Item {
	return Item{Number: it.Number, Source: it.Source, Title: "Confidential item", Confidential: true}
}

// AttendanceOf returns how p attended, if it was recorded.
func (m *Meeting) AttendanceOf(p circle.PersonID) (Attendance, bool) {
	a, ok := m.attendance[p]
	return a, ok
}

// Links returns every record of acts done in the meeting, in order.
func (m *Meeting) Links() []ActsRecorded {
	out := slices.Clone(m.links)
	for i := range out {
		out[i].Links = cloneLinks(out[i].Links)
	}
	return out
}

// Convene convenes a meeting of circle s.Circle of org, by its
// facilitator: the agenda is empty and the circle's members now are the
// meeting's members.
func Convene(org *circle.Organisation, s Spec, at time.Time) (*Meeting, []Event, error) {
	const act = "convene meeting"
	at = circle.Normalize(at)
	if s.ID.IsZero() {
		return nil, nil, refuse(act, ErrMissingID, "meeting id is required")
	}
	c, ok := org.Circle(s.Circle)
	if !ok {
		return nil, nil, refuse(act, ErrUnknownCircle, "no circle %s", s.Circle)
	}
	for _, p := range []struct {
		who string
		id  circle.PersonID
	}{{"facilitator", s.Facilitator}, {"secretary", s.Secretary}} {
		if !c.IsMember(p.id) {
			return nil, nil, refuse(act, ErrNotMember, "the %s must be a member of circle %q", p.who, c.Name())
		}
	}
	if err := checkTitle(act, s.Title); err != nil {
		return nil, nil, err
	}
	if s.Scheduled.IsZero() {
		return nil, nil, refuse(act, ErrInvalidItem, "the meeting needs a scheduled time")
	}
	ev := Convened{
		Header: Header{Org: org.ID(), Meeting: s.ID, Actor: s.Facilitator, At: at},
		Circle: s.Circle, Title: s.Title, Facilitator: s.Facilitator, Secretary: s.Secretary,
		Scheduled: circle.Normalize(s.Scheduled), Members: c.Members(),
	}
	m := &Meeting{}
	evs, err := m.commit(ev)
	if err != nil {
		return nil, nil, err
	}
	return m, evs, nil
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

// run commits the events of a decide method.
func (m *Meeting) run(evs []Event, err error) ([]Event, error) {
	if err != nil {
		return nil, err
	}
	return m.commit(evs...)
}

// Take returns the events that acts on this meeting have yielded since the
// previous call of Take, and clears them. Recording starts at the first
// call; events applied by [Replay] or [Meeting.Apply] are never recorded.
// A store calls Take before and after handing the meeting to a host's
// function, so that it appends exactly what the function's acts did.
func (m *Meeting) Take() []Event { return m.out.Take() }

// Clone returns a deep copy of m that shares nothing mutable with it. The
// copy records nothing for [Meeting.Take] until it is asked.
func (m *Meeting) Clone() *Meeting {
	c := *m
	c.out = outbox.Box[Event]{}
	c.members = slices.Clone(m.members)
	c.isMember = maps.Clone(m.isMember)
	c.items = slices.Clone(m.items)
	c.attendance = maps.Clone(m.attendance)
	c.attendees = slices.Clone(m.attendees)
	c.links = m.Links()
	c.minutes = maps.Clone(m.minutes)
	return &c
}

func cloneLinks(ls []Link) []Link {
	out := slices.Clone(ls)
	for i := range out {
		out[i].Types = slices.Clone(out[i].Types)
	}
	return out
}

var (
	titleRule = kernel.Text{What: "title", Min: 1, Max: 200}
	noteRules = map[string]kernel.Text{
		"note":   {What: "note", Max: 4000, Multiline: true},
		"reason": {What: "reason", Max: 4000, Multiline: true},
	}
)

func checkTitle(act, s string) error {
	if p, msg := kernel.CheckText(titleRule, s); p != kernel.TextOK {
		return refuse(act, ErrInvalidText, "%s", msg)
	}
	return nil
}

func checkNote(act, what, s string) error {
	if p, msg := kernel.CheckText(noteRules[what], s); p != kernel.TextOK {
		return refuse(act, ErrInvalidText, "%s", msg)
	}
	return nil
}

// checkItem holds an item to the rules of its source: a review, process
// or election item names exactly its own source; a request names none.
func checkItem(act string, it ItemSpec) error {
	if !it.Source.Valid() {
		return refuse(act, ErrInvalidItem, "item source %d is not one of %s", uint8(it.Source), kernel.OneOf(sources.Names()...))
	}
	if err := checkTitle(act, it.Title); err != nil {
		return err
	}
	named := map[Source]bool{SourceReview: !it.Review.IsZero(), SourceProcess: !it.Process.IsZero(), SourceElection: !it.Election.IsZero()}
	for src, has := range named {
		if has != (src == it.Source) {
			if has {
				return refuse(act, ErrInvalidItem, "a %s item cannot name a %s", it.Source, src)
			}
			return refuse(act, ErrInvalidItem, "a %s item must name its %s", it.Source, src)
		}
	}
	return nil
}

// maxLinks bounds one record of acts: an act writes a few streams.
const maxLinks = 16

func checkLinks(act string, ls []Link) error {
	if len(ls) == 0 || len(ls) > maxLinks {
		return refuse(act, ErrInvalidLink, "a record of acts links 1 to %d streams, not %d", maxLinks, len(ls))
	}
	for _, l := range ls {
		switch {
		case !validStream(l.Stream):
			return refuse(act, ErrInvalidLink, "stream kind %q is not 1 to 32 of [a-z_]", enum.Clip(l.Stream))
		case l.ID == [16]byte{}:
			return refuse(act, ErrInvalidLink, "%s stream without id", l.Stream)
		case l.From < 1 || l.To < l.From:
			return refuse(act, ErrInvalidLink, "%s stream %s: versions %d to %d are not a range from 1", l.Stream, l.ID, l.From, l.To)
		case len(l.Types) == 0 || uint64(len(l.Types)) > l.To-l.From+1:
			return refuse(act, ErrInvalidLink, "%s stream %s: %d event types for %d events", l.Stream, l.ID, len(l.Types), l.To-l.From+1)
		}
		for _, t := range l.Types {
			if len(t) == 0 || len(t) > 128 {
				return refuse(act, ErrInvalidLink, "%s stream %s: an event type of %d bytes", l.Stream, l.ID, len(t))
			}
		}
	}
	return nil
}

func validStream(k string) bool {
	if len(k) == 0 || len(k) > 32 {
		return false
	}
	for i := 0; i < len(k); i++ {
		if (k[i] < 'a' || k[i] > 'z') && k[i] != '_' {
			return false
		}
	}
	return true
}
