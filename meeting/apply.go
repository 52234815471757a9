package meeting

import (
	"github.com/coproduce/sociocracy/internal/kernel"
	"slices"
	"time"

	"github.com/coproduce/sociocracy/circle"
)

// Replay rebuilds a meeting from its events, the first of which must be
// [Convened]. An event that does not fit is refused with [ErrInvalidEvent]
// naming its position.
func Replay(events []Event) (*Meeting, error) { return replayer.Run(events) }

var replayer = kernel.Replay[*Meeting, Event]{
	Opening:   "meeting.convened",
	Opens:     func(e Event) bool { _, ok := e.(Convened); return ok },
	NotOpened: func(d string) error { return refuse("replay", ErrNotConvened, "%s", d) },
	Invalid:   func(i int, err error) error { return refuse("replay", ErrInvalidEvent, "event %d: %v", i, err) },
	Open: func(e Event) (*Meeting, error) {
		m := &Meeting{}
		if err := e.apply(m); err != nil {
			return nil, err
		}
		m.version++
		return m, nil
	},
	Apply: (*Meeting).Apply,
}

// Apply applies one stored event after those already applied. It refuses an
// event of another meeting or one that does not fit; on error nothing
// changed.
func (m *Meeting) Apply(ev Event) error {
	h := ev.EventHeader()
	if _, ok := ev.(Convened); ok {
		return refuse("apply", ErrInvalidEvent, "meeting %s is already convened", m.id)
	}
	if h.Org != m.org || h.Meeting != m.id {
		return refuse("apply", ErrWrongMeeting, "event of meeting %s applied to %s", h.Meeting, m.id)
	}
	if err := ev.apply(m); err != nil {
		return err
	}
	m.version++
	return nil
}

func bad(format string, args ...any) error { return refuse("apply", ErrInvalidEvent, format, args...) }

func (m *Meeting) stamp(at time.Time) { m.last = at }

func (ev Convened) apply(m *Meeting) error {
	if m.phase != 0 {
		return bad("meeting already convened")
	}
	members := slices.Clone(ev.Members)
	slices.SortFunc(members, circle.PersonID.Compare)
	members = slices.Compact(members)
	*m = Meeting{
		org: ev.Org, id: ev.Meeting, circle: ev.Circle, title: ev.Title, facilitator: ev.Facilitator,
		secretary: ev.Secretary, scheduled: ev.Scheduled, members: members, isMember: map[circle.PersonID]bool{},
		phase: PhasePlanned, last: ev.At, attendance: map[circle.PersonID]Attendance{}, minutes: map[int]minute{},
	}
	for _, p := range members {
		m.isMember[p] = true
	}
	return nil
}

func (ev ItemsAdded) apply(m *Meeting) error {
	if m.phase != PhasePlanned && m.phase != PhaseInSession {
		return bad("items are added before the meeting closes")
	}
	for i, it := range ev.Items {
		if it.Number != len(m.items)+1+i {
			return bad("item numbered %d after %d items", it.Number, len(m.items)+i)
		}
	}
	m.items = append(m.items, ev.Items...)
	m.stamp(ev.At)
	return nil
}

func (ev Opened) apply(m *Meeting) error {
	if m.phase != PhasePlanned {
		return bad("a meeting opens from the planned phase")
	}
	m.phase, m.opened = PhaseInSession, ev.At
	m.stamp(ev.At)
	return nil
}

func (ev AttendanceRecorded) apply(m *Meeting) error {
	if m.phase != PhasePlanned && m.phase != PhaseInSession {
		return bad("attendance is recorded before the meeting closes")
	}
	if (ev.Attendance == Guest) == m.isMember[ev.Person] || !ev.Attendance.Valid() {
		return bad("%s cannot attend as %s", ev.Person, ev.Attendance)
	}
	m.attend(ev.Person, ev.Attendance)
	m.stamp(ev.At)
	return nil
}

func (m *Meeting) attend(p circle.PersonID, a Attendance) {
	if _, ok := m.attendance[p]; !ok {
		m.attendees = append(m.attendees, p)
	}
	m.attendance[p] = a
}

func (ev ActsRecorded) apply(m *Meeting) error {
	if m.phase != PhaseInSession {
		return bad("acts are recorded while the meeting is in session")
	}
	if ev.Item < 0 || ev.Item > len(m.items) {
		return bad("no agenda item %d", ev.Item)
	}
	ev.Links = cloneLinks(ev.Links)
	m.links = append(m.links, ev)
	m.stamp(ev.At)
	return nil
}

func (ev Minuted) apply(m *Meeting) error {
	if m.phase != PhaseInSession && m.phase != PhaseClosed {
		return bad("items are minuted in session or after closing, before publication")
	}
	if ev.Item < 1 || ev.Item > len(m.items) {
		return bad("no agenda item %d", ev.Item)
	}
	m.minutes[ev.Item] = minute{outcome: ev.Outcome, note: ev.Note, at: ev.At}
	m.stamp(ev.At)
	return nil
}

func (ev Closed) apply(m *Meeting) error {
	if m.phase != PhaseInSession {
		return bad("a meeting closes from session")
	}
	for _, p := range ev.Absent {
		if !m.isMember[p] {
			return bad("%s is not a member and cannot be absent", p)
		}
		m.attend(p, Absent)
	}
	m.phase, m.closed = PhaseClosed, ev.At
	m.stamp(ev.At)
	return nil
}

func (ev Published) apply(m *Meeting) error {
	if m.phase != PhaseClosed {
		return bad("minutes are published after the meeting closes")
	}
	m.phase, m.published = PhasePublished, ev.At
	m.stamp(ev.At)
	return nil
}

func (ev Cancelled) apply(m *Meeting) error {
	if m.phase != PhasePlanned {
		return bad("only a planned meeting is cancelled")
	}
	m.phase, m.cancelled = PhaseCancelled, ev.Reason
	m.stamp(ev.At)
	return nil
}
