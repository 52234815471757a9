package agreement

import (
	"reflect"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
)

// Observes reports whether [Register.Observe] may do anything with e: a
// store loads the register only for the events that concern it. When
// Observes(e) is false, Observe(e) returns no events and no error.
func Observes(e any) bool {
	switch e := e.(type) {
	case consent.Started:
		return !e.Review.IsZero()
	case *consent.Started:
		return e != nil && !e.Review.IsZero()
	case consent.DecisionAdopted, consent.DecisionReopened, consent.ProposalWithdrawn, consent.Referred, circle.CircleDissolved,
		*consent.DecisionAdopted, *consent.DecisionReopened, *consent.ProposalWithdrawn, *consent.Referred, *circle.CircleDissolved:
		return true
	}
	return false
}

// Observe keeps the register in step with the consent decisions of the
// organisation: a store hands it every consent event it stores and appends
// the events it returns, in the same append. The actor and time of the
// events returned are those of the observed event.
//
//   - [consent.Started] of a process with a [consent.Review] records the
//     review ([ReviewStarted]). The agreement must exist, belong to the
//     process's circle and not be retired; otherwise Observe refuses
//     ([ErrUnknownAgreement], [ErrWrongCircle], [ErrRetired]) and the store
//     starts nothing.
//   - [consent.DecisionAdopted] of a process that reviews nothing makes a
//     new agreement of the circle ([Adopted], ID [IDFor] the process). Of a
//     review: retires the agreement when the review was to retire it
//     ([Retired]); keeps it when the adopted title and text are those in
//     force ([Kept]); amends it otherwise ([Amended]; also when it was
//     retired or reopened meanwhile, which brings it back in force).
//   - [consent.DecisionReopened] takes the version that decision made out
//     of force ([Reopened]).
//   - [consent.ProposalWithdrawn] and [consent.Referred] of a review end it
//     without a change ([ReviewEnded]).
//   - [circle.CircleDissolved] retires every agreement of the circle not
//     retired yet ([CircleDissolved]): a dissolved circle's agreements are
//     no longer in force.
//
// Every other event is ignored (no events, no error). A pointer to an event
// is observed as the event; a value that is not an event of the library, or
// a nil pointer, is refused with [ErrInvalidEvent]. An event of another
// organisation is refused with [ErrWrongOrganisation]. Observing an event
// twice has the effect of observing it once.
func (r *Register) Observe(e any) ([]Event, error) {
	const act = "observe"
	if v := reflect.ValueOf(e); v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil, refuse(act, ErrInvalidEvent, "a nil %T is not an event", e)
		}
		e = v.Elem().Interface()
	}
	ev, ok := e.(interface{ EventType() string })
	if !ok {
		return nil, refuse(act, ErrInvalidEvent, "a %T is not an event of the library", e)
	}
	if d, ok := e.(circle.CircleDissolved); ok {
		return r.observeDissolved(d)
	}
	ce, ok := e.(consent.Event)
	if !ok {
		return nil, nil
	}
	ch := ce.EventHeader()
	if ch.Org != r.org {
		return nil, refuse(act, ErrWrongOrganisation, "%s of organisation %s observed by the register of %s", ev.EventType(), ch.Org, r.org)
	}
	h := circle.Header{Org: ch.Org, Actor: ch.Actor, At: circle.Normalize(ch.At)}
	switch e := ce.(type) {
	case consent.Started:
		return r.observeStarted(h, ch, e)
	case consent.DecisionAdopted:
		return r.observeAdopted(h, ch, e.Decision)
	case consent.DecisionReopened:
		id, ok := r.byDecision[ch.Process]
		if !ok {
			return nil, nil
		}
		a := r.byID[id]
		cur := a.Current()
		if a.State != StateInForce || cur.Decision != ch.Process || !cur.Until.IsZero() || h.At.Before(cur.From) {
			return nil, nil // not in force by this decision: observed before, or superseded since
		}
		return r.commit(Reopened{Header: h, Agreement: id, Circle: a.Circle, Decision: ch.Process, Version: cur.Version})
	case consent.ProposalWithdrawn:
		return r.ended(h, ch.Process, "proposal withdrawn")
	case consent.Referred:
		return r.ended(h, ch.Process, "proposal referred to another circle")
	}
	return nil, nil
}

func (r *Register) observeStarted(h circle.Header, ch consent.Header, e consent.Started) ([]Event, error) {
	const act = "start review"
	if e.Review.IsZero() {
		return nil, nil
	}
	if _, ok := r.reviews[ch.Process]; ok {
		return nil, nil // observed before
	}
	if e.Review.Agreement.IsZero() {
		return nil, refuse(act, ErrMissingID, "a review names the agreement it reviews")
	}
	a, ok := r.byID[e.Review.Agreement]
	switch {
	case !ok:
		return nil, refuse(act, ErrUnknownAgreement, "no agreement %s in the policy register", e.Review.Agreement)
	case a.Circle != ch.Circle:
		return nil, refuse(act, ErrWrongCircle, "agreement %q is of circle %s, not of the process's circle %s; review it there", a.Current().Title, a.Circle, ch.Circle)
	case a.State == StateRetired:
		return nil, refuse(act, ErrRetired, "agreement %q was retired at %s; propose it anew instead", a.Current().Title, a.Retired.Format("2006-01-02 15:04 MST"))
	}
	return r.commit(ReviewStarted{Header: h, Agreement: a.ID, Circle: a.Circle, Process: ch.Process, Retire: e.Review.Retire})
}

func (r *Register) observeAdopted(h circle.Header, ch consent.Header, d consent.Decision) ([]Event, error) {
	p := ch.Process
	rv, isReview := r.reviews[p]
	if !isReview {
		id := IDFor(r.org, p)
		if got, ok := r.byDecision[p]; ok && got != id {
			return nil, nil // a review decision observed before
		}
		a, exists := r.byID[id]
		t := Text{Agreement: id, Circle: ch.Circle, Version: 1, Decision: p, Title: d.Title, Text: d.Text, ReviewDate: circle.Normalize(d.ReviewDate)}
		if exists {
			if a.State != StateReopened || h.At.Before(a.Current().From) {
				return nil, nil // observed before
			}
			t.Version = a.Current().Version + 1
		}
		return r.commit(Adopted{Header: h, Text: t})
	}
	a := r.byID[rv.Agreement]
	cur := a.Current()
	if h.At.Before(cur.From) {
		return nil, nil
	}
	if rv.Retire {
		if a.State == StateRetired {
			return r.ended(h, p, "the agreement was retired already")
		}
		return r.commit(Retired{Header: h, Agreement: a.ID, Circle: a.Circle, Decision: p})
	}
	t := Text{Agreement: a.ID, Circle: a.Circle, Version: cur.Version + 1, Decision: p, Title: d.Title, Text: d.Text, ReviewDate: circle.Normalize(d.ReviewDate)}
	if a.State == StateInForce && d.Title == cur.Title && d.Text == cur.Text {
		return r.commit(Kept{Header: h, Text: t})
	}
	return r.commit(Amended{Header: h, Text: t})
}

func (r *Register) ended(h circle.Header, p consent.ProcessID, reason string) ([]Event, error) {
	rv, ok := r.reviews[p]
	if !ok {
		return nil, nil
	}
	return r.commit(ReviewEnded{Header: h, Agreement: rv.Agreement, Circle: r.byID[rv.Agreement].Circle, Process: p, Reason: reason})
}

// commit applies events that Observe has fully validated.
func (r *Register) commit(events ...Event) ([]Event, error) {
	for _, e := range events {
		if err := e.apply(r); err != nil {
			// Unreachable when Observe validated correctly; reported, not hidden.
			return nil, refuse("commit", ErrInvalidEvent, "observed event does not apply: %s", plain(err))
		}
		r.noteTime(e)
	}
	r.out.Record(events...)
	return events, nil
}

func (r *Register) observeDissolved(d circle.CircleDissolved) ([]Event, error) {
	if d.Org != r.org {
		return nil, refuse("observe", ErrWrongOrganisation, "%s of organisation %s observed by the register of %s", d.EventType(), d.Org, r.org)
	}
	h := circle.Header{Org: d.Org, Actor: d.Actor, At: circle.Normalize(d.At)}
	for _, a := range r.byCircle[d.Circle] {
		if a.State != StateRetired && !h.At.Before(a.Current().From) {
			return r.commit(CircleDissolved{Header: h, Circle: d.Circle})
		}
	}
	return nil, nil // nothing left to retire: observed before, or no agreements
}
