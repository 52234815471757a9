package review

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/coproduce/sociocracy/circle"
)

// Observe keeps the calendar in step with the events of the other packages,
// so a host never forgets to add or retire an item: it hands every event it
// stores to Observe and appends the events Observe returns. The actor and
// time of the events returned are those of the observed event.
//
// Events of package circle:
//
//   - [circle.RoleAssigned] schedules the term end (kind term-end, on the
//     role's circle, source [AssignmentSource], due at the term's end);
//   - [circle.RoleEnded] retires that term end;
//   - [circle.CircleAdded] of a helping circle with an end date schedules the
//     helping-circle end, on the agenda of the parent circle that formed it
//     and decides whether to extend it (source [CircleSource] of the helping
//     circle);
//   - [circle.CircleDissolved] retires every item of the circle still on the
//     calendar, and the items about it on other agendas (its end, its
//     regular review);
//   - [circle.Imported] schedules the term end of every role and the end of
//     every helping circle in the document.
//
// Every other event, of any package, is ignored (no events, no error); so is
// an event whose item is already on the calendar in any status, or already
// retired: observing an event twice has the effect of observing it once. An
// event of another organisation is refused with [ErrWrongOrganisation].
// Decisions, measures and early reviews of package consent are scheduled
// with [Calendar.Schedule] (see the package documentation).
func (c *Calendar) Observe(e any) ([]Event, error) {
	const act = "observe"
	var h circle.Header
	if ev, ok := e.(circle.Event); ok {
		h = ev.EventHeader()
		if h.Org != c.org {
			return nil, refuse(act, ErrWrongOrganisation, "%s of organisation %s observed by the calendar of %s", ev.EventType(), h.Org, c.org)
		}
	}
	switch e := e.(type) {
	case circle.RoleAssigned:
		return c.observed(c.termEnd(h, e.Assignment))
	case circle.RoleEnded:
		return c.retireFrom(h, ItemIDFor(c.org, KindTermEnd, AssignmentSource(e.Assignment)), "role ended ("+e.Reason+")")
	case circle.CircleAdded:
		if e.Kind != circle.KindHelping || e.Ends.IsZero() {
			return nil, nil
		}
		return c.observed(c.helpingEnd(h, e.Circle, e.Parent, e.Name, e.Ends))
	case circle.CircleDissolved:
		var events []Event
		retire := func(it *Item) {
			if it.Status != StatusRetired {
				events = append(events, ItemRetired{Header: h, Item: it.ID, Reason: "circle dissolved"})
			}
		}
		for _, it := range c.itemsOf(e.Circle) {
			retire(it)
		}
		// Items about the circle on another circle's agenda: its end, its regular reviews.
		for _, k := range []Kind{KindHelpingCircleEnd, KindCircleReview} {
			if it, ok := c.items[ItemIDFor(c.org, k, CircleSource(e.Circle))]; ok && it.Circle != e.Circle {
				retire(it)
			}
		}
		return c.commit(events...)
	case circle.Imported:
		var events []Event
		for _, cd := range e.Document.Circles {
			for _, r := range cd.Roles {
				if s, ok := c.termEnd(h, circle.Assignment{Circle: cd.ID, Role: r.Role, Holder: r.Holder, Term: r.Term}); ok {
					events = append(events, s)
				}
			}
			if cd.Kind == circle.KindHelping && !cd.Ends.IsZero() && cd.Parent != nil {
				if s, ok := c.helpingEnd(h, cd.ID, *cd.Parent, cd.Name, cd.Ends); ok {
					events = append(events, s)
				}
			}
		}
		return c.commit(events...)
	}
	return nil, nil
}

// observed commits s when ok.
func (c *Calendar) observed(s ItemScheduled, ok bool) ([]Event, error) {
	if !ok {
		return nil, nil
	}
	return c.commit(s)
}

// scheduleNew returns the event that schedules spec, and false when the item
// exists already or the spec cannot be scheduled (a date outside the years
// the calendar keeps).
func (c *Calendar) scheduleNew(h circle.Header, s ItemSpec) (ItemScheduled, bool) {
	id := ItemIDFor(c.org, s.Kind, s.Source)
	if _, ok := c.items[id]; ok {
		return ItemScheduled{}, false
	}
	if s.Circle.IsZero() || checkDate("observe", "due date", s.Due) != nil {
		return ItemScheduled{}, false
	}
	return ItemScheduled{Header: h, Item: id, Kind: s.Kind, Circle: s.Circle, Title: clipTitle(s.Title), Source: s.Source, Holder: s.Holder, Due: circle.Normalize(s.Due)}, true
}

func (c *Calendar) termEnd(h circle.Header, a circle.Assignment) (ItemScheduled, bool) {
	return c.scheduleNew(h, ItemSpec{Kind: KindTermEnd, Circle: a.Circle, Title: "Term end: " + a.Role.String(), Source: AssignmentSource(a), Holder: a.Holder, Due: a.Term.End})
}

func (c *Calendar) helpingEnd(h circle.Header, id, parent circle.CircleID, name string, ends time.Time) (ItemScheduled, bool) {
	return c.scheduleNew(h, ItemSpec{Kind: KindHelpingCircleEnd, Circle: parent, Title: "End of helping circle: " + name, Source: CircleSource(id), Due: ends})
}

func (c *Calendar) retireFrom(h circle.Header, id ItemID, reason string) ([]Event, error) {
	it, ok := c.items[id]
	if !ok || it.Status == StatusRetired {
		return nil, nil
	}
	return c.commit(ItemRetired{Header: h, Item: id, Reason: reason})
}

// itemsOf returns the items of circle cid, in any status, in ID order.
func (c *Calendar) itemsOf(cid circle.CircleID) []*Item {
	out := make([]*Item, 0, len(c.byCircle[cid]))
	for id := range c.byCircle[cid] {
		out = append(out, c.items[id])
	}
	sortItems(out)
	return out
}

// clipTitle makes a generated title one line of at most 200 bytes: control
// characters become spaces and the text is cut on a rune boundary.
func clipTitle(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
	if len(s) <= 200 {
		return s
	}
	s = s[:200]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}
