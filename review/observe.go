package review

import (
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
)

// ObserveCircle is [Calendar.Observe] for an event of package circle.
func (c *Calendar) ObserveCircle(e circle.Event) ([]Event, error) { return c.Observe(e) }

// ObserveConsent is [Calendar.Observe] for an event of package consent.
func (c *Calendar) ObserveConsent(e consent.Event) ([]Event, error) { return c.Observe(e) }

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
// Events of package consent, on the agenda of the process's circle:
//
//   - [consent.DecisionAdopted] schedules the policy review at the
//     decision's review date (source: the decision, by its process ID) and a
//     checkpoint for each of its measures and deferred objections, and
//     retires the items whose review was amended by this process (see
//     [Calendar.Complete]);
//   - [consent.MeasureAdded] schedules the measure's checkpoint (kind
//     measure-checkpoint, for its owner), and [consent.ObjectionDeferred] the
//     deferral's date (kind deferred-objection, for its owner), as soon as
//     they are proposed; [consent.ProposalWithdrawn] and [consent.Referred]
//     retire them again, since the proposal never took effect;
//   - [consent.ConsentWithdrawn] schedules an early review, due at once;
//   - [consent.DecisionReopened] (a late objection under lazy consent)
//     retires the policy review until the decision is adopted again.
//
// Every other event, of any package, is ignored (no events, no error). A
// pointer to an event is observed as the event; a value that is not an
// event of the library (no EventType method), or a nil pointer, is refused
// with [ErrInvalidEvent] rather than silently ignored. [Calendar.ObserveCircle]
// and [Calendar.ObserveConsent] are the typed forms.
// Events are expected in the order they happened (their times never
// decrease). An item is scheduled from an event only when it is not on the
// calendar yet, or it was closed before the event happened; it is retired
// only when it has not changed since. So observing an event twice has the
// effect of observing it once, and a decision re-adopted after it was
// reopened gets its review again. An event of another organisation is
// refused with [ErrWrongOrganisation].
func (c *Calendar) Observe(e any) ([]Event, error) {
	const act = "observe"
	if v := reflect.ValueOf(e); v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil, refuse(act, ErrInvalidEvent, "a nil %T is not an event", e)
		}
		e = v.Elem().Interface()
	}
	if _, ok := e.(interface{ EventType() string }); !ok {
		return nil, refuse(act, ErrInvalidEvent, "a %T is not an event of the library", e)
	}
	var h circle.Header
	switch ev := e.(type) {
	case circle.Event:
		h = ev.EventHeader()
	case consent.Event:
		ch := ev.EventHeader()
		h = circle.Header{Org: ch.Org, Actor: ch.Actor, At: ch.At}
	default:
		return nil, nil
	}
	if h.Org != c.org {
		return nil, refuse(act, ErrWrongOrganisation, "%s of organisation %s observed by the calendar of %s", e.(interface{ EventType() string }).EventType(), h.Org, c.org)
	}
	switch e := e.(type) {
	case circle.RoleAssigned:
		return c.observed(c.termEnd(h, e.Assignment))
	case circle.RoleEnded:
		return c.retireFrom(h, "role ended ("+e.Reason+")", ItemIDFor(c.org, KindTermEnd, AssignmentSource(e.Assignment)))
	case circle.CircleAdded:
		if e.Kind != circle.KindHelping || e.Ends.IsZero() {
			return nil, nil
		}
		return c.observed(c.helpingEnd(h, e.Circle, e.Parent, e.Name, e.Ends))
	case circle.CircleDissolved:
		var ids []ItemID
		for _, it := range c.itemsOf(e.Circle) {
			ids = append(ids, it.ID)
		}
		// Items about the circle on another circle's agenda: its end, its regular reviews.
		for _, k := range []Kind{KindHelpingCircleEnd, KindCircleReview} {
			if it, ok := c.items[ItemIDFor(c.org, k, CircleSource(e.Circle))]; ok && it.Circle != e.Circle {
				ids = append(ids, it.ID)
			}
		}
		return c.retireFrom(h, "circle dissolved", ids...)
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

	case consent.DecisionAdopted:
		return c.observeAdopted(h, e)
	case consent.MeasureAdded:
		return c.observed(c.measure(h, e.Circle, e.Process, e.Round, e.Objector, e.Measure))
	case consent.ObjectionDeferred:
		return c.observed(c.deferral(h, e.Circle, e.Process, e.Resolution, e.Owner, e.Until))
	case consent.ProposalWithdrawn:
		return c.retireFrom(h, "proposal withdrawn", append(c.pending(e.Circle, e.Process), stuckItem(c.org, e.Process), emergencyItem(c.org, e.Process))...)
	case consent.Referred:
		return c.retireFrom(h, "proposal referred to another circle", append(c.pending(e.Circle, e.Process), stuckItem(c.org, e.Process), emergencyItem(c.org, e.Process))...)
	case consent.ConsentWithdrawn:
		title := "Early review"
		if it, ok := c.items[ItemIDFor(c.org, KindPolicyReview, DecisionSource(e.Process))]; ok {
			title = "Early review: " + trimPrefix(it.Title, "Policy review: ")
		}
		return c.observed(c.scheduleFrom(h, ItemSpec{Kind: KindEarlyReview, Circle: e.Circle, Title: title,
			Source: DecisionSource(e.Process), Holder: e.Actor, Due: h.At}))
	case consent.DecisionReopened:
		return c.retireFrom(h, "decision reopened by a late objection", ItemIDFor(c.org, KindPolicyReview, DecisionSource(e.Process)))
	case consent.DecisionStuck, consent.ReferredToParent, consent.Started, consent.ConsentRoundOpened:
		return c.observeParticipation(h, e)
	}
	return nil, nil
}

// DecisionSource returns the source of the items a consent decision gives:
// the decision is identified by its process.
func DecisionSource(p consent.ProcessID) Source { return IDSource(SourceDecision, p) }

// measureSource and deferralSource identify a measure or deferral by its
// process, round and objector: the same from the event that proposes it and
// from the decision that adopts it.
func measureSource(p consent.ProcessID, round int, objector circle.PersonID) Source {
	return Source{Kind: SourceMeasure, Ref: p.String() + "/measure/" + strconv.Itoa(round) + "/" + objector.String()}
}

func deferralSource(p consent.ProcessID, round int, objector circle.PersonID) Source {
	return Source{Kind: SourceDecision, Ref: p.String() + "/deferral/" + strconv.Itoa(round) + "/" + objector.String()}
}

func (c *Calendar) measure(h circle.Header, cid circle.CircleID, p consent.ProcessID, round int, objector circle.PersonID, m consent.Measure) (ItemScheduled, bool) {
	return c.scheduleFrom(h, ItemSpec{Kind: KindMeasureCheckpoint, Circle: cid, Title: "Measure checkpoint: " + m.Watch,
		Source: measureSource(p, round, objector), Holder: m.Owner, Due: m.Checkpoint})
}

func (c *Calendar) deferral(h circle.Header, cid circle.CircleID, p consent.ProcessID, r consent.Resolution, owner circle.PersonID, until time.Time) (ItemScheduled, bool) {
	title := "Deferred objection"
	if r.Note != "" {
		title += ": " + r.Note
	}
	return c.scheduleFrom(h, ItemSpec{Kind: KindDeferredObjection, Circle: cid, Title: title,
		Source: deferralSource(p, r.Round, r.Objector), Holder: owner, Due: until})
}

func (c *Calendar) observeAdopted(h circle.Header, e consent.DecisionAdopted) ([]Event, error) {
	d := e.Decision
	var events []Event
	add := func(s ItemScheduled, ok bool) {
		if ok {
			events = append(events, s)
		}
	}
	add(c.scheduleFrom(h, ItemSpec{Kind: KindPolicyReview, Circle: e.Circle, Title: "Policy review: " + d.Title,
		Source: DecisionSource(e.Process), Holder: d.Proposer, Due: d.ReviewDate}))
	for _, m := range d.Measures {
		add(c.measure(h, e.Circle, e.Process, m.Round, m.Objector, m.Measure))
	}
	for _, df := range d.Deferrals {
		add(c.deferral(h, e.Circle, e.Process, consent.Resolution{Round: df.Round, Objector: df.Objector, Note: df.Note}, df.Owner, df.Until))
	}
	// The reviews this process amended are done: the adopted decision carries on.
	amended := make([]*Item, 0, len(c.amending[e.Process]))
	for id := range c.amending[e.Process] {
		amended = append(amended, c.items[id])
	}
	sortItems(amended)
	for _, it := range amended {
		events = append(events, ItemRetired{Header: h, Item: it.ID, Reason: "amended by consent process " + e.Process.String()})
	}
	if it, ok := c.items[stuckItem(c.org, e.Process)]; ok && it.Status != StatusRetired && !h.At.Before(it.Updated) {
		events = append(events, ItemRetired{Header: h, Item: it.ID, Reason: "the stuck decision was adopted"})
	}
	return c.commit(events...)
}

// pending returns the open measure and deferral items of process p, which
// only take effect if p's proposal is adopted.
func (c *Calendar) pending(cid circle.CircleID, p consent.ProcessID) []ItemID {
	prefix := p.String() + "/"
	var out []ItemID
	for _, it := range c.itemsOf(cid) {
		if (it.Kind == KindMeasureCheckpoint || it.Kind == KindDeferredObjection) && strings.HasPrefix(it.Source.Ref, prefix) {
			out = append(out, it.ID)
		}
	}
	return out
}

func trimPrefix(s, p string) string { return strings.TrimPrefix(s, p) }

// observed commits s when ok.
func (c *Calendar) observed(s ItemScheduled, ok bool) ([]Event, error) {
	if !ok {
		return nil, nil
	}
	return c.commit(s)
}

// scheduleFrom returns the event that schedules spec from an observed event
// with header h, and false when the item is open, or was closed at or after
// h.At (the event was observed before), or the spec cannot be scheduled (a
// date outside the years the calendar keeps).
func (c *Calendar) scheduleFrom(h circle.Header, s ItemSpec) (ItemScheduled, bool) {
	id := ItemIDFor(c.org, s.Kind, s.Source)
	if it, ok := c.items[id]; ok && (it.Status == StatusOpen || !h.At.After(it.Updated)) {
		return ItemScheduled{}, false
	}
	if s.Circle.IsZero() || checkDate("observe", "due date", s.Due) != nil {
		return ItemScheduled{}, false
	}
	return ItemScheduled{Header: h, Item: id, Kind: s.Kind, Circle: s.Circle, Title: clipTitle(s.Title), Source: s.Source, Holder: s.Holder, Due: circle.Normalize(s.Due)}, true
}

func (c *Calendar) termEnd(h circle.Header, a circle.Assignment) (ItemScheduled, bool) {
	return c.scheduleFrom(h, ItemSpec{Kind: KindTermEnd, Circle: a.Circle, Title: "Term end: " + a.Role.String(), Source: AssignmentSource(a), Holder: a.Holder, Due: a.Term.End})
}

func (c *Calendar) helpingEnd(h circle.Header, id, parent circle.CircleID, name string, ends time.Time) (ItemScheduled, bool) {
	return c.scheduleFrom(h, ItemSpec{Kind: KindHelpingCircleEnd, Circle: parent, Title: "End of helping circle: " + name, Source: CircleSource(id), Due: ends})
}

// retireFrom retires the items that are on the calendar, not retired, and
// have not changed since the observed event happened (an event observed
// again after its item was scheduled anew retires nothing).
func (c *Calendar) retireFrom(h circle.Header, reason string, ids ...ItemID) ([]Event, error) {
	var events []Event
	for _, id := range ids {
		if it, ok := c.items[id]; ok && it.Status != StatusRetired && !h.At.Before(it.Updated) {
			events = append(events, ItemRetired{Header: h, Item: id, Reason: reason})
		}
	}
	return c.commit(events...)
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
