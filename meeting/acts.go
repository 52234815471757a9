package meeting

import (
	"slices"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/internal/kernel"
)

// Every act is a decide method that checks it and builds its events without
// changing anything, and an exported method that commits them. Allowed runs
// the decide methods to list what a person may do.

// guard refuses an act on an ended meeting, dated before the last event, or
// in a phase the act does not accept.
func (m *Meeting) guard(act string, at time.Time, phases ...Phase) error {
	if m.phase == PhasePublished || m.phase == PhaseCancelled {
		return refuse(act, ErrFinished, "the meeting is %s", m.phase)
	}
	if circle.Normalize(at).Before(m.last) {
		return refuse(act, ErrTimeOrder, "%s is before the meeting's last event at %s", at.UTC().Format(time.RFC3339Nano), m.last.Format(time.RFC3339Nano))
	}
	if !slices.Contains(phases, m.phase) {
		names := make([]string, len(phases))
		for i, ph := range phases {
			names[i] = ph.String()
		}
		return refuse(act, ErrPhase, "%s", kernel.PhaseMessage("meeting", act, m.phase.String(), names...))
	}
	return nil
}

func (m *Meeting) host(act string, actor circle.PersonID) error {
	if actor != m.facilitator && actor != m.secretary {
		return refuse(act, ErrNotHost, "%s is neither the facilitator nor the secretary", actor)
	}
	return nil
}

// AddItems puts items on the agenda, by the facilitator or the secretary,
// before the meeting closes: what is due on the review calendar, the
// circle's open processes and elections ([AgendaFrom] builds them), or
// anything else they add as a request of their own. An item whose review,
// process or election is on the agenda already is refused with
// [ErrDuplicateItem]; so is a list that repeats one.
func (m *Meeting) AddItems(actor circle.PersonID, at time.Time, items ...ItemSpec) ([]Event, error) {
	return m.run(m.decideAddItems(actor, at, items))
}

func (m *Meeting) decideAddItems(actor circle.PersonID, at time.Time, items []ItemSpec) ([]Event, error) {
	const act = "add items"
	if err := kernel.FirstErr(m.guard(act, at, PhasePlanned, PhaseInSession), m.host(act, actor)); err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, refuse(act, ErrInvalidItem, "no items to add")
	}
	seen := map[[17]byte]bool{}
	for _, it := range m.items {
		if k, ok := sourceKey(it.Source, it.Review.UUID(), it.Process.UUID(), it.Election.UUID()); ok {
			seen[k] = true
		}
	}
	out := make([]Item, 0, len(items))
	for _, it := range items {
		if err := checkItem(act, it); err != nil {
			return nil, err
		}
		if k, ok := sourceKey(it.Source, it.Review.UUID(), it.Process.UUID(), it.Election.UUID()); ok {
			if seen[k] {
				return nil, refuse(act, ErrDuplicateItem, "%q is on the agenda already", it.Title)
			}
			seen[k] = true
		}
		item := Item{Number: len(m.items) + len(out) + 1, Source: it.Source, Title: it.Title, Review: it.Review,
			Process: it.Process, Election: it.Election, Confidential: it.Confidential}
		if it.Source == SourceRequest {
			item.AskedBy = actor
		}
		out = append(out, item)
	}
	return []Event{ItemsAdded{Header: m.header(actor, at), Items: out}}, nil
}

func sourceKey(s Source, ids ...[16]byte) ([17]byte, bool) {
	var k [17]byte
	if s == SourceRequest || int(s) > len(ids) {
		return k, false
	}
	k[0] = byte(s)
	copy(k[1:], ids[s-1][:])
	return k, true
}

// RequestItem puts an item a member of the circle asks for on the agenda,
// before the meeting closes; it may be confidential.
func (m *Meeting) RequestItem(actor circle.PersonID, at time.Time, title string, confidential bool) ([]Event, error) {
	return m.run(m.decideRequest(actor, at, title, confidential))
}

func (m *Meeting) decideRequest(actor circle.PersonID, at time.Time, title string, confidential bool) ([]Event, error) {
	const act = "request item"
	if err := m.guard(act, at, PhasePlanned, PhaseInSession); err != nil {
		return nil, err
	}
	if !m.isMember[actor] {
		return nil, refuse(act, ErrNotMember, "%s is not a member of the circle", actor)
	}
	if err := checkTitle(act, title); err != nil {
		return nil, err
	}
	return []Event{ItemsAdded{Header: m.header(actor, at), Items: []Item{{Number: len(m.items) + 1, Source: SourceRequest,
		Title: title, AskedBy: actor, Confidential: confidential}}}}, nil
}

// Open opens the meeting, by the facilitator.
func (m *Meeting) Open(actor circle.PersonID, at time.Time) ([]Event, error) {
	return m.run(m.decideOpen(actor, at))
}

func (m *Meeting) decideOpen(actor circle.PersonID, at time.Time) ([]Event, error) {
	const act = "open meeting"
	if err := m.guard(act, at, PhasePlanned); err != nil {
		return nil, err
	}
	if actor != m.facilitator {
		return nil, refuse(act, ErrNotFacilitator, "%s is not the facilitator", actor)
	}
	return []Event{Opened{Header: m.header(actor, at)}}, nil
}

// Attend records, by the facilitator or the secretary, how person attends:
// a member of the circle is present, absent or sent apologies; anyone else
// attends as a guest. Apologies may be recorded before the meeting opens;
// the rest while it is in session. A later record replaces an earlier one.
func (m *Meeting) Attend(actor circle.PersonID, at time.Time, person circle.PersonID, a Attendance) ([]Event, error) {
	return m.run(m.decideAttend("attend", actor, at, person, a))
}

// SendApologies records that actor, a member of the circle, sends apologies.
func (m *Meeting) SendApologies(actor circle.PersonID, at time.Time) ([]Event, error) {
	return m.run(m.decideAttend("send apologies", actor, at, actor, Apologies))
}

func (m *Meeting) decideAttend(act string, actor circle.PersonID, at time.Time, person circle.PersonID, a Attendance) ([]Event, error) {
	phases := []Phase{PhaseInSession}
	if a == Apologies {
		phases = append(phases, PhasePlanned)
	}
	if err := m.guard(act, at, phases...); err != nil {
		return nil, err
	}
	if act != "send apologies" { // a member sends their own; the rest is the hosts' record
		if err := m.host(act, actor); err != nil {
			return nil, err
		}
	}
	switch {
	case person.IsZero():
		return nil, refuse(act, ErrMissingID, "person id is required")
	case !a.Valid():
		return nil, refuse(act, ErrAttendance, "attendance %d is not one of %s", uint8(a), kernel.OneOf(attendances.Names()...))
	case a == Guest && m.isMember[person]:
		return nil, refuse(act, ErrAttendance, "%s is a member of the circle, not a guest", person)
	case a != Guest && !m.isMember[person]:
		return nil, refuse(act, ErrAttendance, "%s is not a member of the circle: they attend as a guest", person)
	}
	if cur, ok := m.attendance[person]; ok && cur == a {
		return nil, refuse(act, ErrUnchanged, "%s is recorded %s already", person, a)
	}
	return []Event{AttendanceRecorded{Header: m.header(actor, at), Person: person, Attendance: a}}, nil
}

// RecordActs records, while the meeting is in session, that an act done in
// it (on agenda item item, or 0 for none) wrote the streams of links. A
// store calls it in the same atomic append as the act, with the secretary
// as actor, when the act's write options name the meeting, and refuses
// the event from a host's own function, so that a link always names what
// an append wrote.
func (m *Meeting) RecordActs(actor circle.PersonID, at time.Time, item int, links []Link) ([]Event, error) {
	return m.run(m.decideRecord(actor, at, item, links))
}

func (m *Meeting) decideRecord(actor circle.PersonID, at time.Time, item int, links []Link) ([]Event, error) {
	const act = "record acts"
	if err := kernel.FirstErr(m.guard(act, at, PhaseInSession), m.host(act, actor)); err != nil {
		return nil, err
	}
	if item < 0 || item > len(m.items) {
		return nil, refuse(act, ErrUnknownItem, "the agenda has no item %d (it has %d)", item, len(m.items))
	}
	if err := checkLinks(act, links); err != nil {
		return nil, err
	}
	return []Event{ActsRecorded{Header: m.header(actor, at), Item: item, Links: cloneLinks(links)}}, nil
}

// Minute records, by the secretary, what happened to agenda item item,
// while the meeting is in session or after it closed and before the
// minutes are published; a later minute of the item replaces the earlier.
func (m *Meeting) Minute(actor circle.PersonID, at time.Time, item int, o Outcome, note string) ([]Event, error) {
	return m.run(m.decideMinute(actor, at, item, o, note))
}

func (m *Meeting) decideMinute(actor circle.PersonID, at time.Time, item int, o Outcome, note string) ([]Event, error) {
	const act = "minute item"
	if err := m.guard(act, at, PhaseInSession, PhaseClosed); err != nil {
		return nil, err
	}
	if actor != m.secretary {
		return nil, refuse(act, ErrNotSecretary, "%s is not the secretary", actor)
	}
	if item < 1 || item > len(m.items) {
		return nil, refuse(act, ErrUnknownItem, "the agenda has no item %d (it has %d)", item, len(m.items))
	}
	if !o.Valid() {
		return nil, refuse(act, ErrInvalidItem, "outcome %d is not one of %s", uint8(o), kernel.OneOf(outcomes.Names()...))
	}
	if err := checkNote(act, "note", note); err != nil {
		return nil, err
	}
	if cur, ok := m.minutes[item]; ok && cur.outcome == o && cur.note == note {
		return nil, refuse(act, ErrUnchanged, "item %d is minuted so already", item)
	}
	return []Event{Minuted{Header: m.header(actor, at), Item: item, Outcome: o, Note: note}}, nil
}

// Close closes the meeting, by the facilitator; the members whose
// attendance was not recorded are recorded absent.
func (m *Meeting) Close(actor circle.PersonID, at time.Time) ([]Event, error) {
	return m.run(m.decideClose(actor, at))
}

func (m *Meeting) decideClose(actor circle.PersonID, at time.Time) ([]Event, error) {
	const act = "close meeting"
	if err := m.guard(act, at, PhaseInSession); err != nil {
		return nil, err
	}
	if actor != m.facilitator {
		return nil, refuse(act, ErrNotFacilitator, "%s is not the facilitator", actor)
	}
	absent := []circle.PersonID{}
	for _, p := range m.members {
		if _, ok := m.attendance[p]; !ok {
			absent = append(absent, p)
		}
	}
	return []Event{Closed{Header: m.header(actor, at), Absent: absent}}, nil
}

// Publish publishes the minutes to every member of the organisation, by
// the secretary, once the meeting is closed and every agenda item has a
// minute ([ErrUnminuted] names the first that has none).
func (m *Meeting) Publish(actor circle.PersonID, at time.Time) ([]Event, error) {
	return m.run(m.decidePublish(actor, at))
}

func (m *Meeting) decidePublish(actor circle.PersonID, at time.Time) ([]Event, error) {
	const act = "publish minutes"
	if err := m.guard(act, at, PhaseClosed); err != nil {
		return nil, err
	}
	if actor != m.secretary {
		return nil, refuse(act, ErrNotSecretary, "%s is not the secretary", actor)
	}
	for _, it := range m.items {
		if _, ok := m.minutes[it.Number]; !ok {
			return nil, refuse(act, ErrUnminuted, "item %d, %q, has no minute", it.Number, it.Title)
		}
	}
	return []Event{Published{Header: m.header(actor, at)}}, nil
}

// Cancel calls the meeting off before it opens, by the facilitator.
func (m *Meeting) Cancel(actor circle.PersonID, at time.Time, reason string) ([]Event, error) {
	return m.run(m.decideCancel(actor, at, reason))
}

func (m *Meeting) decideCancel(actor circle.PersonID, at time.Time, reason string) ([]Event, error) {
	const act = "cancel meeting"
	if err := m.guard(act, at, PhasePlanned); err != nil {
		return nil, err
	}
	if actor != m.facilitator {
		return nil, refuse(act, ErrNotFacilitator, "%s is not the facilitator", actor)
	}
	if err := checkNote(act, "reason", reason); err != nil {
		return nil, err
	}
	return []Event{Cancelled{Header: m.header(actor, at), Reason: reason}}, nil
}

// Allowed lists the acts person may do at time at, so a screen can show the
// right buttons. Every act not listed is refused. An act whose success
// depends on its arguments (which item to minute, whose attendance) is
// listed when some argument would succeed.
func (m *Meeting) Allowed(person circle.PersonID, at time.Time) []Act {
	var out []Act
	try := func(a Act, err error) {
		if err == nil {
			out = append(out, a)
		}
	}
	try(ActAddItems, errOf(m.decideAddItems(person, at, []ItemSpec{{Source: SourceRequest, Title: "an item"}})))
	try(ActRequestItem, errOf(m.decideRequest(person, at, "an item", false)))
	try(ActOpen, errOf(m.decideOpen(person, at)))
	if m.host("attend", person) == nil && m.guard("attend", at, PhasePlanned, PhaseInSession) == nil {
		// In session a guest can always be recorded; before, apologies of
		// a member who has not sent them.
		ok := m.phase == PhaseInSession
		for _, p := range m.members {
			ok = ok || m.attendance[p] != Apologies
		}
		if ok {
			out = append(out, ActAttend)
		}
	}
	try(ActSendApologies, errOf(m.decideAttend("send apologies", person, at, person, Apologies)))
	try(ActRecordActs, errOf(m.decideRecord(person, at, 0, []Link{{Stream: "consent", ID: [16]byte{1}, From: 1, To: 1, Types: []string{"consent.answered"}}})))
	for _, it := range m.items {
		if _, err := m.decideMinute(person, at, it.Number, OutcomeNoted, "allowed?"); err == nil {
			out = append(out, ActMinute)
			break
		}
	}
	try(ActClose, errOf(m.decideClose(person, at)))
	try(ActPublish, errOf(m.decidePublish(person, at)))
	try(ActCancel, errOf(m.decideCancel(person, at, "")))
	return out
}

func errOf(_ []Event, err error) error { return err }
