package store

import (
	"context"
	"slices"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/meeting"
	"github.com/coproduce/sociocracy/review"
)

// KindMeeting is the kind of a circle's meeting ([meeting.Meeting]).
const KindMeeting Kind = "meeting"

// MeetingKey is the key of a meeting of a circle.
func MeetingKey(org circle.OrgID, id meeting.MeetingID) StreamKey {
	return StreamKey{Org: org, Kind: KindMeeting, ID: id.UUID()}
}

var meetingAgg = &kind[*meeting.Meeting, meeting.Event]{
	kind: KindMeeting, what: "meeting",
	decode: meeting.UnmarshalStoredEvent, marshal: meeting.MarshalEvent, replay: meeting.Replay,
	apply: (*meeting.Meeting).Apply, take: (*meeting.Meeting).Take,
	// A meeting's events are all about its circle.
	meta: func(m *meeting.Meeting, e meeting.Event) (circle.CircleID, time.Time) {
		return m.Circle(), e.EventHeader().At
	},
}

func meetingStatus(m *meeting.Meeting) string {
	switch m.Phase() {
	case meeting.PhasePublished, meeting.PhaseCancelled:
		return StatusClosed
	}
	return StatusOpen
}

// writing is what the Store takes from an act's [WriteOptions]: the
// command, and the meeting the act is done in.
type writing struct {
	Command
	meeting meeting.MeetingID
	item    int
}

// ConveneMeeting convenes a meeting of a circle of org
// ([meeting.Convene]).
func (s *Store) ConveneMeeting(ctx context.Context, org circle.OrgID, spec meeting.Spec, w *WriteOptions) (Receipt, error) {
	return s.run(ctx, org, w.command(), false, func(ctx context.Context, r Reader) (*Batch, error) {
		o, err := checkout(ctx, s, r, orgKind, OrgKey(org))
		if err != nil {
			return nil, err
		}
		m, evs, err := meeting.Convene(o.agg, spec, s.at(w, o.l.at))
		if err != nil {
			return nil, err
		}
		if err := o.untouched("convene meeting"); err != nil {
			return nil, err
		}
		h := fresh(meetingAgg, MeetingKey(org, m.ID()), m)
		b := &Batch{}
		if err := h.append(b, evs, StreamAppend{Circle: m.Circle(), Status: meetingStatus(m)}); err != nil {
			return nil, err
		}
		o.checkin(s)
		h.checkin(s)
		return b, nil
	})
}

// ActMeeting runs an act on meeting id of org, as [Store.ActProcess] does
// on a process: act receives the meeting, the organisation (to read) and
// the time of this attempt, and returns the events of its acts on the
// meeting. To build the agenda, read [Store.MeetingAgenda] first. A host
// cannot record acts itself ([meeting.Meeting.RecordActs] is refused with
// [ErrInvalid]): only the Store links what an append wrote.
func (s *Store) ActMeeting(ctx context.Context, org circle.OrgID, id meeting.MeetingID, act func(m *meeting.Meeting, o *circle.Organisation, at time.Time) ([]meeting.Event, error), w *WriteOptions) (Receipt, error) {
	if w != nil && w.Meeting == id {
		return Receipt{}, invalid("act on meeting", "a meeting's own acts are its record: do not name the meeting in their write options")
	}
	return s.run(ctx, org, w.command(), false, func(ctx context.Context, r Reader) (*Batch, error) {
		o, err := checkout(ctx, s, r, orgKind, OrgKey(org))
		if err != nil {
			return nil, err
		}
		m, err := checkout(ctx, s, r, meetingAgg, MeetingKey(org, id))
		if err != nil {
			return nil, err
		}
		evs, err := act(m.agg, o.agg, s.at(w, o.l.at, m.l.at))
		if err != nil {
			return nil, err
		}
		if err := o.untouched("act on meeting"); err != nil {
			return nil, err
		}
		if err := m.yielded("act on meeting", evs); err != nil {
			return nil, err
		}
		if slices.ContainsFunc(evs, func(e meeting.Event) bool { _, ok := e.(meeting.ActsRecorded); return ok }) {
			return nil, invalid("act on meeting", "the acts done in a meeting are recorded by the Store, in the append that writes them: name the meeting in the act's write options")
		}
		o.checkin(s)
		if len(evs) == 0 {
			m.checkin(s)
			return nil, errNoop
		}
		b := &Batch{}
		if err := m.append(b, evs, StreamAppend{Status: meetingStatus(m.agg)}); err != nil {
			return nil, err
		}
		m.checkin(s)
		return b, nil
	})
}

// inMeeting adds to b, when the act's write options name a meeting, the
// meeting's record of the act: one [meeting.ActsRecorded] by the meeting's
// secretary linking every stream b writes. The meeting refuses when it is
// not in session, and then the act is refused and nothing is written.
func (s *Store) inMeeting(ctx context.Context, r Reader, org circle.OrgID, w writing, b *Batch) error {
	if w.meeting.IsZero() {
		return nil
	}
	key := MeetingKey(org, w.meeting)
	var latest time.Time
	links := make([]meeting.Link, 0, len(b.Streams))
	for _, sa := range b.Streams {
		if sa.Stream == key {
			return invalid("act in meeting", "the act writes the meeting it is recorded in")
		}
		var types []string
		for _, rec := range sa.Records {
			types = append(types, rec.Type)
			if at := circle.Normalize(rec.At); at.After(latest) {
				latest = at
			}
		}
		slices.Sort(types)
		links = append(links, meeting.Link{Stream: string(sa.Stream.Kind), ID: sa.Stream.ID,
			From: sa.Expected + 1, To: sa.Expected + uint64(len(sa.Records)), Types: slices.Compact(types)})
	}
	m, err := checkout(ctx, s, r, meetingAgg, key)
	if err != nil {
		return err
	}
	if latest.Before(m.l.at) {
		latest = m.l.at
	}
	evs, err := m.agg.RecordActs(m.agg.Secretary(), latest, w.item, links)
	if err != nil {
		return err
	}
	meetingAgg.take(m.agg) // the Store's own act, appended here
	if err := m.append(b, evs, StreamAppend{}); err != nil {
		return err
	}
	m.checkin(s)
	return nil
}

// Meeting returns meeting id of org as stored.
func (s *Store) Meeting(ctx context.Context, org circle.OrgID, id meeting.MeetingID) (*meeting.Meeting, error) {
	l, err := replayStream(ctx, s.d, meetingAgg, MeetingKey(org, id))
	if err != nil {
		return nil, err
	}
	return l.agg.(*meeting.Meeting), nil
}

// Minutes returns the minutes of meeting id of org as viewer may read them
// ([meeting.Meeting.Minutes]): published minutes are open to every person
// of the organisation, and to nobody else ([ErrNotFound] for a viewer the
// organisation does not know).
func (s *Store) Minutes(ctx context.Context, org circle.OrgID, id meeting.MeetingID, viewer circle.PersonID) (meeting.Minutes, error) {
	known, err := readWith(ctx, s, orgKind, OrgKey(org), func(o *circle.Organisation) bool {
		_, ok := o.Person(viewer)
		return ok
	})
	if err != nil {
		return meeting.Minutes{}, err
	}
	if !known {
		return meeting.Minutes{}, &NotFoundError{What: "person", Key: viewer.String() + " of organisation " + org.String()}
	}
	m, err := s.Meeting(ctx, org, id)
	if err != nil {
		return meeting.Minutes{}, err
	}
	return m.Minutes(viewer)
}

// MeetingAgenda returns what an agenda of circle c of org for a meeting on
// the local date of at is built from ([meeting.AgendaFrom]): the circle's
// items on the review calendar due by the end of that date
// ([review.Calendar.Agenda]), and its open consent processes and elections.
func (s *Store) MeetingAgenda(ctx context.Context, org circle.OrgID, c circle.CircleID, at time.Time) (meeting.Sources, error) {
	due, err := readWith(ctx, s, calendarKind, CalendarKey(org), func(cal *review.Calendar) []review.Item {
		return cal.Agenda(c, at)
	})
	if err != nil {
		return meeting.Sources{}, err
	}
	src := meeting.Sources{Due: due}
	procs, err := s.OpenProcesses(ctx, org, c)
	if err != nil {
		return meeting.Sources{}, err
	}
	for _, id := range procs {
		p, err := s.Process(ctx, org, id)
		if err != nil {
			return meeting.Sources{}, err
		}
		src.Processes = append(src.Processes, p)
	}
	els, err := s.OpenElections(ctx, org, c)
	if err != nil {
		return meeting.Sources{}, err
	}
	for _, id := range els {
		e, err := s.Election(ctx, org, id)
		if err != nil {
			return meeting.Sources{}, err
		}
		src.Elections = append(src.Elections, e)
	}
	return src, nil
}

// OpenMeetings lists the meetings of circle c of org whose minutes are not
// yet published (and that were not cancelled), by ID.
func (s *Store) OpenMeetings(ctx context.Context, org circle.OrgID, c circle.CircleID) ([]meeting.MeetingID, error) {
	infos, err := s.allStreams(ctx, StreamQuery{Org: org, Kind: KindMeeting, Circle: c, Status: StatusOpen})
	if err != nil {
		return nil, err
	}
	out := make([]meeting.MeetingID, len(infos))
	for i, in := range infos {
		out[i] = meeting.MeetingID(in.Key.ID)
	}
	return out, nil
}

// meetingsOf lists the meetings of circle c whose agenda items may copy
// the titles of the entries of stream where (a process, the calendar), for
// [Store.EraseText] to erase the copies too. It reads the driver, so it is
// called before the append serialisation is held; a meeting convened
// between the two builds its agenda from the text as erased.
func (s *Store) meetingsOf(ctx context.Context, where StreamKey, c circle.CircleID) ([]StreamKey, error) {
	if c.IsZero() || where.Kind == KindMeeting {
		return nil, nil
	}
	infos, err := s.allStreams(ctx, StreamQuery{Org: where.Org, Kind: KindMeeting, Circle: c})
	if err != nil {
		return nil, err
	}
	out := make([]StreamKey, len(infos))
	for i, in := range infos {
		out[i] = in.Key
	}
	return out, nil
}

// meetingEntries reads the entries of the meetings through r.
func meetingEntries(ctx context.Context, r Reader, meetings []StreamKey) ([]Entry, error) {
	var out []Entry
	for _, k := range meetings {
		es, err := r.ReadStream(ctx, k, 0, 0)
		if err != nil && !isNotFound(err) {
			return nil, err
		}
		out = append(out, es...)
	}
	return out, nil
}
