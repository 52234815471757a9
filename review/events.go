package review

import (
	"slices"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/internal/kernel"
)

// Event is what an act yields and what the logbook keeps. Events are plain
// data; applying them in order ([Replay]) rebuilds exactly the calendar that
// produced them. Every event carries a [circle.Header]: the organisation, who
// acted and when.
type Event interface {
	// EventType is the stable name stored with the event ("review.item_scheduled").
	EventType() string
	EventHeader() circle.Header
	apply(c *Calendar) error
}

// Opened starts the review calendar of an organisation, in its zone.
type Opened struct {
	circle.Header
	Zone string `json:"zone"` // IANA name
}

// ItemScheduled records an item put on the calendar, or a closed item
// scheduled again (a policy amended and re-adopted, say).
type ItemScheduled struct {
	circle.Header
	Item       ItemID          `json:"item"`
	Kind       Kind            `json:"kind"`
	Circle     circle.CircleID `json:"circle"`
	Title      string          `json:"title"`
	Source     Source          `json:"source"`
	Holder     circle.PersonID `json:"holder,omitzero"`
	Due        time.Time       `json:"due"`
	Recurrence *Recurrence     `json:"recurrence,omitempty"`
}

// ItemRescheduled records an open item's due date moved: who (the header's
// actor), when (its time), why (Reason), from and to.
type ItemRescheduled struct {
	circle.Header
	Item   ItemID    `json:"item"`
	From   time.Time `json:"from"`
	To     time.Time `json:"to"`
	Reason string    `json:"reason"`
}

// ReviewCompleted records a review held and its outcome. Reviewed is the due
// instant that was reviewed. Next is the next due date (kept; or amended
// with a date); Process is the consent process that carries an amendment.
type ReviewCompleted struct {
	circle.Header
	Item     ItemID            `json:"item"`
	Reviewed time.Time         `json:"reviewed"`
	Outcome  Outcome           `json:"outcome"`
	Next     time.Time         `json:"next,omitzero"`
	Process  consent.ProcessID `json:"process,omitzero"`
	Note     string            `json:"note,omitempty"`
}

// ItemRetired records an item taken off the calendar without a review,
// because its source ended (the role ended, the circle was dissolved, the
// decision was withdrawn) or the host retired it.
type ItemRetired struct {
	circle.Header
	Item   ItemID `json:"item"`
	Reason string `json:"reason"`
}

func (Opened) EventType() string          { return "review.opened" }
func (ItemScheduled) EventType() string   { return "review.item_scheduled" }
func (ItemRescheduled) EventType() string { return "review.item_rescheduled" }
func (ReviewCompleted) EventType() string { return "review.review_completed" }
func (ItemRetired) EventType() string     { return "review.item_retired" }

// EventHeader returns the header.
func (e Opened) EventHeader() circle.Header { return e.Header }

// EventHeader returns the header.
func (e ItemScheduled) EventHeader() circle.Header { return e.Header }

// EventHeader returns the header.
func (e ItemRescheduled) EventHeader() circle.Header { return e.Header }

// EventHeader returns the header.
func (e ReviewCompleted) EventHeader() circle.Header { return e.Header }

// EventHeader returns the header.
func (e ItemRetired) EventHeader() circle.Header { return e.Header }

// Replay rebuilds a calendar from its events, the first of which must be
// [Opened]. An inconsistent stream is refused with [ErrInvalidEvent] naming
// the event's position.
func Replay(events []Event) (*Calendar, error) { return replayer.Run(events) }

var replayer = kernel.Replay[*Calendar, Event]{
	Opening:   "review.opened",
	Opens:     func(e Event) bool { _, ok := e.(Opened); return ok },
	NotOpened: func(d string) error { return refuse("replay", ErrNotOpened, "%s", d) },
	Invalid:   func(i int, err error) error { return refuse("replay", ErrInvalidEvent, "event %d: %v", i, err) },
	Open: func(e Event) (*Calendar, error) {
		c := &Calendar{}
		if err := e.apply(c); err != nil {
			return nil, err
		}
		c.noteTime(e)
		return c, nil
	},
	Apply: (*Calendar).Apply,
	// Build the due index once at the end: sorting is cheaper than as many
	// ordered inserts.
	Begin: func(c *Calendar, n int) {
		c.bulk = true
		c.items = make(map[ItemID]*Item, n)
	},
	End: func(c *Calendar, _ int) {
		c.bulk = false
		keys := make([]key, 0, len(c.items))
		for _, it := range c.items {
			if it.Status == StatusOpen {
				keys = append(keys, key{due: it.Due.UnixMicro(), id: it.ID})
			}
		}
		slices.SortFunc(keys, key.compare)
		c.due.build(keys)
	},
}

// Apply applies one event that a store read back, after those already
// applied. It refuses an event of another organisation and one that does not
// fit the current state; on error nothing changed.
func (c *Calendar) Apply(e Event) error {
	if _, ok := e.(Opened); ok {
		return refuse("apply", ErrInvalidEvent, "calendar of %s is already opened", c.org)
	}
	if e.EventHeader().Org != c.org {
		return refuse("apply", ErrWrongOrganisation, "event of organisation %s applied to %s", e.EventHeader().Org, c.org)
	}
	if err := e.apply(c); err != nil {
		return err
	}
	c.noteTime(e)
	return nil
}

func bad(format string, args ...any) error { return refuse("apply", ErrInvalidEvent, format, args...) }

func (e Opened) apply(c *Calendar) error {
	if c.version != 0 {
		return bad("calendar already opened")
	}
	loc, err := loadZone("apply", e.Zone)
	if err != nil {
		return err
	}
	*c = Calendar{org: e.Org, zone: loc, version: 1, items: map[ItemID]*Item{}, byCircle: map[circle.CircleID]map[ItemID]struct{}{},
		amending: map[consent.ProcessID]map[ItemID]struct{}{}}
	return nil
}

func (e ItemScheduled) apply(c *Calendar) error {
	old, exists := c.items[e.Item]
	if exists && old.Status == StatusOpen {
		return bad("item %s is already scheduled", e.Item)
	}
	it := &Item{
		ID: e.Item, Kind: e.Kind, Circle: e.Circle, Title: e.Title, Source: e.Source, Holder: e.Holder,
		Due: e.Due, Status: StatusOpen, Scheduled: e.At, Updated: e.At,
	}
	if e.Recurrence != nil {
		it.Recurrence = *e.Recurrence
	}
	if exists {
		it.Scheduled, it.Revision, it.Reviews = old.Scheduled, old.Revision+1, old.Reviews
		it.LastOutcome, it.LastReviewed, it.Process = old.LastOutcome, old.LastReviewed, old.Process
		c.unfile(old)
	}
	c.items[e.Item] = it
	c.file(it)
	c.version++
	return nil
}

func (e ItemRescheduled) apply(c *Calendar) error {
	it, ok := c.items[e.Item]
	if !ok || it.Status != StatusOpen || !it.Due.Equal(e.From) {
		return bad("item %s is not open with due date %s", e.Item, e.From.Format(time.RFC3339))
	}
	c.unfile(it)
	it.Due, it.Updated = e.To, e.At
	it.Revision++
	c.file(it)
	c.version++
	return nil
}

func (e ReviewCompleted) apply(c *Calendar) error {
	it, ok := c.items[e.Item]
	if !ok || it.Status != StatusOpen || !it.Due.Equal(e.Reviewed) {
		return bad("item %s is not open with due date %s", e.Item, e.Reviewed.Format(time.RFC3339))
	}
	c.unfile(it)
	it.Reviews++
	it.Revision++
	it.Updated = e.At
	it.LastOutcome, it.LastReviewed, it.Process = e.Outcome, e.At, e.Process
	switch {
	case e.Outcome == OutcomeRetired:
		it.Status, it.Due = StatusRetired, time.Time{}
	case !e.Next.IsZero():
		it.Due = e.Next
	default: // amended, without a date
		it.Status, it.Due = StatusAmending, time.Time{}
	}
	c.file(it)
	c.version++
	return nil
}

func (e ItemRetired) apply(c *Calendar) error {
	it, ok := c.items[e.Item]
	if !ok || it.Status == StatusRetired {
		return bad("item %s is not on the calendar", e.Item)
	}
	c.unfile(it)
	it.Status, it.Due, it.Updated = StatusRetired, time.Time{}, e.At
	it.Revision++
	c.file(it)
	c.version++
	return nil
}

// file adds it to the indexes; unfile removes it.
func (c *Calendar) file(it *Item) {
	if it.Status == StatusOpen && !c.bulk {
		c.due.insert(key{due: it.Due.UnixMicro(), id: it.ID})
	}
	set := c.byCircle[it.Circle]
	if set == nil {
		set = map[ItemID]struct{}{}
		c.byCircle[it.Circle] = set
	}
	set[it.ID] = struct{}{}
	if it.Status == StatusAmending {
		set := c.amending[it.Process]
		if set == nil {
			set = map[ItemID]struct{}{}
			c.amending[it.Process] = set
		}
		set[it.ID] = struct{}{}
	}
}

func (c *Calendar) unfile(it *Item) {
	if it.Status == StatusOpen && !c.bulk {
		c.due.remove(key{due: it.Due.UnixMicro(), id: it.ID})
	}
	if set := c.byCircle[it.Circle]; set != nil {
		delete(set, it.ID)
		if len(set) == 0 {
			delete(c.byCircle, it.Circle)
		}
	}
	if set := c.amending[it.Process]; it.Status == StatusAmending && set != nil {
		delete(set, it.ID)
		if len(set) == 0 {
			delete(c.amending, it.Process)
		}
	}
}

// loadZone returns the IANA zone called name, parsed once per process
// (kernel.LoadZone).
func loadZone(act, name string) (*time.Location, error) {
	loc, msg := kernel.LoadZone(name)
	if loc == nil {
		return nil, refuse(act, ErrInvalidZone, "%s", msg)
	}
	return loc, nil
}
