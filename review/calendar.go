package review

import (
	"slices"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/internal/outbox"
)

// Calendar is the aggregate: the review calendar of one organisation, in
// the organisation's IANA zone.
//
// A Calendar is created by [Open] or by [Replay] of its events, and changed
// only by its acts ([Calendar.Schedule], [Calendar.Reschedule],
// [Calendar.Complete], [Calendar.Retire], [Calendar.Observe]), each of which
// either returns a typed error and changes nothing or returns the events it
// applied. Open items are kept in an index ordered by due instant, so the
// queries cost the logarithm of the calendar's size plus the size of their
// answer.
//
// The zero Calendar is not usable. A Calendar is not safe for concurrent
// use; concurrent reads without writes are safe.
type Calendar struct {
	out      outbox.Box[Event] // what acts yielded, for Take
	last     time.Time         // the time of the latest event: the calendar's own acts are never dated before it
	org      circle.OrgID
	zone     *time.Location
	version  uint64
	items    map[ItemID]*Item
	due      index // open items by (due, id)
	byCircle map[circle.CircleID]map[ItemID]struct{}
	amending map[consent.ProcessID]map[ItemID]struct{} // items waiting for the consent process that amends them
	bulk     bool                                      // during Replay: the due index is built at the end
}

// Item is one thing to review. Items are returned by value; changing one
// changes nothing in the calendar.
type Item struct {
	ID         ItemID          `json:"id"`
	Kind       Kind            `json:"kind"`
	Circle     circle.CircleID `json:"circle"` // the circle whose agenda it belongs on
	Title      string          `json:"title"`
	Source     Source          `json:"source"`
	Holder     circle.PersonID `json:"holder,omitzero"`     // the person it concerns: a term's holder, a measure's or deferral's owner, who withdrew consent
	Due        time.Time       `json:"due,omitzero"`        // the next due instant; zero unless open
	Recurrence Recurrence      `json:"recurrence,omitzero"` // zero for a one-off item
	Status     Status          `json:"status"`
	Scheduled  time.Time       `json:"scheduled"` // when it was first scheduled
	Updated    time.Time       `json:"updated"`   // when it last changed
	Revision   int             `json:"revision"`  // changes since first scheduled (the iCalendar SEQUENCE)
	Reviews    int             `json:"reviews"`   // reviews completed

	LastOutcome  Outcome           `json:"lastOutcome,omitzero"`  // of the latest review
	LastReviewed time.Time         `json:"lastReviewed,omitzero"` // when the latest review was recorded
	Process      consent.ProcessID `json:"process,omitzero"`      // the consent process of the latest amendment
}

// Open starts the review calendar of organisation org, whose local dates
// are reckoned in zone (an IANA name, usually org.Zone().String()). An
// unknown zone is an error, never a silent UTC.
func Open(org circle.OrgID, zone string, actor circle.PersonID, at time.Time) (*Calendar, []Event, error) {
	const act = "open calendar"
	if err := firstErr(requireID(act, "organisation", org.IsZero()), requireID(act, "actor", actor.IsZero())); err != nil {
		return nil, nil, err
	}
	if _, err := loadZone(act, zone); err != nil {
		return nil, nil, err
	}
	e := Opened{Header: circle.Header{Org: org, Actor: actor, At: circle.Normalize(at)}, Zone: zone}
	c := &Calendar{}
	if err := e.apply(c); err != nil {
		return nil, nil, err
	}
	return c, []Event{e}, nil
}

// OpenFor opens the calendar of o, in o's zone.
func OpenFor(o *circle.Organisation, actor circle.PersonID, at time.Time) (*Calendar, []Event, error) {
	if o == nil || o.Zone() == nil {
		return nil, nil, refuse("open calendar", ErrMissingID, "no organisation")
	}
	return Open(o.ID(), o.Zone().String(), actor, at)
}

// Org returns the organisation's ID.
func (c *Calendar) Org() circle.OrgID { return c.org }

// Zone returns the zone local dates are reckoned in.
func (c *Calendar) Zone() *time.Location { return c.zone }

// Version returns the number of events applied (1 after [Open]). Stores use
// it as the stream version.
func (c *Calendar) Version() uint64 { return c.version }

// Len returns the number of open items.
func (c *Calendar) Len() int { return c.due.n }

// Item returns the item with the given ID, in any status.
func (c *Calendar) Item(id ItemID) (Item, bool) {
	it, ok := c.items[id]
	if !ok {
		return Item{}, false
	}
	return *it, true
}

// Items returns every item, in any status, in ID order.
func (c *Calendar) Items() []Item {
	out := make([]Item, 0, len(c.items))
	for _, it := range c.items {
		out = append(out, *it)
	}
	slices.SortFunc(out, func(a, b Item) int { return a.ID.Compare(b.ID) })
	return out
}

// ItemsOf returns every item of circle cid (on its agenda), in any status:
// open ones first by due instant, then the others, each group in ID order.
func (c *Calendar) ItemsOf(cid circle.CircleID) []Item {
	items := c.itemsOf(cid)
	slices.SortStableFunc(items, func(a, b *Item) int {
		ao, bo := a.Status == StatusOpen, b.Status == StatusOpen
		switch {
		case ao && !bo:
			return -1
		case !ao && bo:
			return 1
		case ao:
			return a.Due.Compare(b.Due)
		}
		return 0
	})
	out := make([]Item, len(items))
	for i, it := range items {
		out[i] = *it
	}
	return out
}

// AddMonths is [AddMonths] in the calendar's zone: "review in 6 months"
// is c.AddMonths(adopted, 6).
func (c *Calendar) AddMonths(t time.Time, n int) time.Time { return AddMonths(t, n, c.zone) }

// ItemSpec describes an item for [Calendar.Schedule].
type ItemSpec struct {
	ID         ItemID          // zero: [ItemIDFor] the organisation, Kind and Source
	Kind       Kind            // required
	Circle     circle.CircleID // required: the circle whose agenda it belongs on
	Title      string          // 1 to 200 bytes, one line
	Source     Source          // required
	Holder     circle.PersonID // optional: the person whose term ends
	Due        time.Time       // required unless Recurrence is set (then its first occurrence)
	Recurrence Recurrence      // optional: a regular review
}

// Schedule puts an item on the calendar, or schedules a closed item (one
// retired or being amended) again with the same ID. Scheduling an item that
// is open is refused with [ErrDuplicateItem]; to move its date use
// [Calendar.Reschedule].
func (c *Calendar) Schedule(actor circle.PersonID, at time.Time, s ItemSpec) ([]Event, error) {
	const act = "schedule item"
	if err := c.checkTime(act, at); err != nil {
		return nil, err
	}
	if err := firstErr(
		requireID(act, "actor", actor.IsZero()),
		requireID(act, "circle", s.Circle.IsZero()),
		checkText(act, "title", s.Title, 1, 200, false),
	); err != nil {
		return nil, err
	}
	if !s.Kind.Valid() {
		return nil, refuse(act, ErrInvalidKind, "kind %d is not an item kind", uint8(s.Kind))
	}
	if err := s.Source.Validate(); err != nil {
		return nil, refuse(act, ErrInvalidSource, "%s", err.(*Error).Detail)
	}
	var rec *Recurrence
	due := s.Due
	if !s.Recurrence.IsZero() {
		if err := s.Recurrence.Validate(); err != nil {
			return nil, refuse(act, ErrInvalidRule, "%s", err.(*Error).Detail)
		}
		if err := checkDate(act, "recurrence start", s.Recurrence.Start); err != nil {
			return nil, err
		}
		rec = &Recurrence{Rule: s.Recurrence.Rule, Start: circle.Normalize(s.Recurrence.Start)}
		if due.IsZero() {
			due = rec.First(c.zone)
		}
	}
	if err := checkDate(act, "due date", due); err != nil {
		return nil, err
	}
	id := s.ID
	if id.IsZero() {
		id = ItemIDFor(c.org, s.Kind, s.Source)
	}
	if it, ok := c.items[id]; ok && it.Status == StatusOpen {
		return nil, refuse(act, ErrDuplicateItem, "item %s (%q) is already scheduled for %s", id, it.Title, c.local(it.Due))
	}
	return c.commit(ItemScheduled{
		Header: c.header(actor, at), Item: id, Kind: s.Kind, Circle: s.Circle, Title: s.Title, Source: s.Source,
		Holder: s.Holder, Due: circle.Normalize(due), Recurrence: rec,
	})
}

// Reschedule moves an open item's due date, recording who, when and why
// (reason: 1 to 1000 bytes). Moving it to the date it already has records
// nothing and returns no events.
func (c *Calendar) Reschedule(actor circle.PersonID, at time.Time, id ItemID, due time.Time, reason string) ([]Event, error) {
	const act = "reschedule item"
	if err := c.checkTime(act, at); err != nil {
		return nil, err
	}
	if err := firstErr(
		requireID(act, "actor", actor.IsZero()),
		checkText(act, "reason", reason, 1, 1000, true),
		checkDate(act, "due date", due),
	); err != nil {
		return nil, err
	}
	it, err := c.open(act, id)
	if err != nil {
		return nil, err
	}
	due = circle.Normalize(due)
	if due.Equal(it.Due) {
		return nil, nil
	}
	return c.commit(ItemRescheduled{Header: c.header(actor, at), Item: id, From: it.Due, To: due, Reason: reason})
}

// Completion is the outcome of a review, for [Calendar.Complete].
type Completion struct {
	Outcome Outcome           // required
	Next    time.Time         // kept: the next due date (zero on a recurring item: its next occurrence); amended: optional
	Process consent.ProcessID // amended: the consent process that carries the amendment (required)
	Note    string            // optional, up to 4000 bytes
}

// Complete records a review of an open item and its outcome:
//
//   - kept: the item stays open with the next due date, which must be after
//     the date reviewed. A recurring item without a Next moves to its rule's
//     first occurrence after both the date reviewed and at, so a late review
//     does not leave the next one already overdue;
//   - amended: Process names the consent process that carries the amendment.
//     With a Next the item stays open; without one it waits (StatusAmending)
//     until the amended matter is scheduled again;
//   - retired: the item leaves the calendar; Next must be zero.
func (c *Calendar) Complete(actor circle.PersonID, at time.Time, id ItemID, done Completion) ([]Event, error) {
	const act = "complete review"
	if err := c.checkTime(act, at); err != nil {
		return nil, err
	}
	if err := firstErr(requireID(act, "actor", actor.IsZero()), checkText(act, "note", done.Note, 0, 4000, true)); err != nil {
		return nil, err
	}
	it, err := c.open(act, id)
	if err != nil {
		return nil, err
	}
	next := done.Next
	switch done.Outcome {
	case OutcomeKept:
		if next.IsZero() && !it.Recurrence.IsZero() {
			after := it.Due
			if at.After(after) {
				after = at
			}
			next = it.Recurrence.After(after, c.zone)
		}
		if next.IsZero() {
			return nil, refuse(act, ErrInvalidDate, "a kept item needs its next review date")
		}
	case OutcomeAmended:
		if done.Process.IsZero() {
			return nil, refuse(act, ErrMissingProcess, "name the consent process that carries the amendment of %q", it.Title)
		}
	case OutcomeRetired:
		if !next.IsZero() {
			return nil, refuse(act, ErrInvalidDate, "a retired item has no next review date")
		}
	default:
		return nil, refuse(act, ErrInvalidOutcome, "outcome %d is not kept, amended or retired", uint8(done.Outcome))
	}
	if !next.IsZero() {
		if err := checkDate(act, "next review date", next); err != nil {
			return nil, err
		}
		next = circle.Normalize(next)
		if !next.After(it.Due) {
			return nil, refuse(act, ErrInvalidDate, "next review date %s is not after the date reviewed, %s", c.local(next), c.local(it.Due))
		}
	}
	return c.commit(ReviewCompleted{
		Header: c.header(actor, at), Item: id, Reviewed: it.Due, Outcome: done.Outcome, Next: next, Process: done.Process, Note: done.Note,
	})
}

// Retire takes an item off the calendar without a review (reason: 1 to
// 1000 bytes), because its source ended or the host no longer tracks it.
func (c *Calendar) Retire(actor circle.PersonID, at time.Time, id ItemID, reason string) ([]Event, error) {
	const act = "retire item"
	if err := c.checkTime(act, at); err != nil {
		return nil, err
	}
	if err := firstErr(requireID(act, "actor", actor.IsZero()), checkText(act, "reason", reason, 1, 1000, true)); err != nil {
		return nil, err
	}
	it, ok := c.items[id]
	switch {
	case !ok:
		return nil, refuse(act, ErrUnknownItem, "no item %s", id)
	case it.Status == StatusRetired:
		return nil, refuse(act, ErrItemClosed, "item %q is already retired", it.Title)
	}
	return c.commit(ItemRetired{Header: c.header(actor, at), Item: id, Reason: reason})
}

func (c *Calendar) open(act string, id ItemID) (*Item, error) {
	it, ok := c.items[id]
	switch {
	case !ok:
		return nil, refuse(act, ErrUnknownItem, "no item %s", id)
	case it.Status != StatusOpen:
		return nil, refuse(act, ErrItemClosed, "item %q is %s", it.Title, it.Status)
	}
	return it, nil
}

// commit applies events that an act has fully validated.
func (c *Calendar) commit(events ...Event) ([]Event, error) {
	for _, e := range events {
		if err := e.apply(c); err != nil {
			// Unreachable when the act validated correctly; reported, not hidden.
			return nil, refuse("commit", ErrInvalidEvent, "act produced an event that does not apply: %v", err)
		}
		c.noteTime(e)
	}
	c.out.Record(events...)
	return events, nil
}

// noteTime keeps the time of the latest event applied.
func (c *Calendar) noteTime(e Event) {
	if at := e.EventHeader().At; at.After(c.last) {
		c.last = at
	}
}

// checkTime refuses an act of the calendar's own dated before its latest
// event, as every aggregate does. Observed events are not checked here:
// they carry the time of the act that made them in another aggregate,
// which checked it there.
func (c *Calendar) checkTime(act string, at time.Time) error {
	if circle.Normalize(at).Before(c.last) {
		return refuse(act, ErrTimeOrder, "the calendar's latest change was at %s; an act cannot be dated %s, before it", c.local(c.last), c.local(at))
	}
	return nil
}

func (c *Calendar) header(actor circle.PersonID, at time.Time) circle.Header {
	return circle.Header{Org: c.org, Actor: actor, At: circle.Normalize(at)}
}

// local formats t as a local date and time in the calendar's zone.
func (c *Calendar) local(t time.Time) string { return t.In(c.zone).Format("2006-01-02 15:04 MST") }

func requireID(act, what string, zero bool) error {
	if zero {
		return refuse(act, ErrMissingID, "%s id is required", what)
	}
	return nil
}

// checkDate accepts instants in the years 1900 to 9999: what JSON, SQL and
// iCalendar all store.
func checkDate(act, what string, t time.Time) error {
	if t.IsZero() {
		return refuse(act, ErrInvalidDate, "%s is required", what)
	}
	if y := t.UTC().Year(); y < 1900 || y > 9998 {
		return refuse(act, ErrInvalidDate, "%s %d is outside the years 1900 to 9998", what, y)
	}
	return nil
}

// Take returns the events that acts on this calendar have yielded since the
// previous call of Take, and clears them. Recording starts at the first
// call, so a calendar nobody asks keeps nothing; events applied by [Replay] or
// Apply are never recorded. A store calls Take before it hands the calendar to a
// host's function and again after it, so that it appends exactly what the
// function's acts did and nothing else.
func (c *Calendar) Take() []Event { return c.out.Take() }
