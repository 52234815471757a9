package agreement

import (
	"github.com/coproduce/sociocracy/internal/kernel"
	"slices"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
)

// Event is what the register yields and what the logbook keeps. Events are
// plain data; applying them in order ([Replay]) rebuilds exactly the
// register that produced them. Every event carries a [circle.Header]: the
// organisation, who acted and when; the actor and time are those of the
// consent event observed.
type Event interface {
	// EventType is the stable name stored with the event ("agreement.amended").
	EventType() string
	EventHeader() circle.Header
	apply(r *Register) error
}

// Opened starts the policy register of an organisation.
type Opened struct {
	circle.Header
}

// Text is the text of an agreement's version, as a decision adopted it.
type Text struct {
	Agreement  ID                `json:"agreement"`
	Circle     circle.CircleID   `json:"circle"`
	Version    int               `json:"version"`
	Decision   consent.ProcessID `json:"decision"`
	Title      string            `json:"title"`
	Text       string            `json:"text"`
	ReviewDate time.Time         `json:"reviewDate"`
}

// Adopted records a decision on a new matter becoming an agreement of its
// circle (version 1), or an agreement whose only decision was reopened
// adopted again.
type Adopted struct {
	circle.Header
	Text
}

// Amended records a review's decision amending an agreement: a new version
// with a new title or text, which supersedes the version in force.
type Amended struct {
	circle.Header
	Text
}

// Kept records a review's decision keeping an agreement: a new version with
// the same title and text and a new review date.
type Kept struct {
	circle.Header
	Text
}

// Retired records a review's decision retiring an agreement: from then on
// no version of it is in force.
type Retired struct {
	circle.Header
	Agreement ID                `json:"agreement"`
	Circle    circle.CircleID   `json:"circle"`
	Decision  consent.ProcessID `json:"decision"`
}

// Reopened records that a late objection (lazy consent) reopened the
// decision that made the agreement's latest version: that version is no
// longer in force. The version before it, if any, is in force again (a new
// version with [ChangeRestored]); an agreement with no earlier version is
// [StateReopened] until the decision is adopted again.
type Reopened struct {
	circle.Header
	Agreement ID                `json:"agreement"`
	Circle    circle.CircleID   `json:"circle"`
	Decision  consent.ProcessID `json:"decision"`
	Version   int               `json:"version"` // the version that left force
}

// CircleDissolved records that the circle of some agreements was dissolved:
// every agreement of it not yet retired leaves force and is retired with
// the circle (RetiredBy stays zero).
type CircleDissolved struct {
	circle.Header
	Circle circle.CircleID `json:"circle"`
}

// ReviewStarted records a consent process started to review an agreement
// (its [consent.Review]): to keep or amend it, or to retire it.
type ReviewStarted struct {
	circle.Header
	Agreement ID                `json:"agreement"`
	Circle    circle.CircleID   `json:"circle"`
	Process   consent.ProcessID `json:"process"`
	Retire    bool              `json:"retire,omitempty"`
}

// ReviewEnded records a review process that ended without a decision: its
// proposal was withdrawn or referred to another circle. The agreement stays
// as it was.
type ReviewEnded struct {
	circle.Header
	Agreement ID                `json:"agreement"`
	Circle    circle.CircleID   `json:"circle"`
	Process   consent.ProcessID `json:"process"`
	Reason    string            `json:"reason"`
}

func (Opened) EventType() string          { return "agreement.opened" }
func (Adopted) EventType() string         { return "agreement.adopted" }
func (Amended) EventType() string         { return "agreement.amended" }
func (Kept) EventType() string            { return "agreement.kept" }
func (Retired) EventType() string         { return "agreement.retired" }
func (Reopened) EventType() string        { return "agreement.reopened" }
func (CircleDissolved) EventType() string { return "agreement.circle_dissolved" }
func (ReviewStarted) EventType() string   { return "agreement.review_started" }
func (ReviewEnded) EventType() string     { return "agreement.review_ended" }

// CircleOf returns the circle an event of the register is about (zero for
// [Opened]), for per-circle logbook queries.
func CircleOf(e Event) circle.CircleID {
	switch e := e.(type) {
	case Adopted:
		return e.Circle
	case Amended:
		return e.Circle
	case Kept:
		return e.Circle
	case Retired:
		return e.Circle
	case Reopened:
		return e.Circle
	case ReviewStarted:
		return e.Circle
	case ReviewEnded:
		return e.Circle
	case CircleDissolved:
		return e.Circle
	}
	return circle.CircleID{}
}

// Replay rebuilds a register from its events, the first of which must be
// [Opened]. An inconsistent stream is refused with [ErrInvalidEvent] naming
// the event's position.
func Replay(events []Event) (*Register, error) { return replayer.Run(events) }

var replayer = kernel.Replay[*Register, Event]{
	Opening:   "agreement.opened",
	Opens:     func(e Event) bool { _, ok := e.(Opened); return ok },
	NotOpened: func(d string) error { return refuse("replay", ErrNotOpened, "%s", d) },
	Invalid:   func(i int, err error) error { return refuse("replay", ErrInvalidEvent, "event %d: %s", i, plain(err)) },
	Open: func(e Event) (*Register, error) {
		r := &Register{}
		if err := e.apply(r); err != nil {
			return nil, err
		}
		r.noteTime(e)
		return r, nil
	},
	Apply: (*Register).Apply,
}

// Apply applies one event that a store read back, after those already
// applied. It refuses an event of another organisation and one that does not
// fit the current state; on error nothing changed.
func (r *Register) Apply(e Event) error {
	if _, ok := e.(Opened); ok {
		return refuse("apply", ErrInvalidEvent, "register of %s is already opened", r.org)
	}
	if e.EventHeader().Org != r.org {
		return refuse("apply", ErrWrongOrganisation, "event of organisation %s applied to %s", e.EventHeader().Org, r.org)
	}
	if err := e.apply(r); err != nil {
		return err
	}
	r.noteTime(e)
	return nil
}

func (r *Register) noteTime(e Event) {
	if at := e.EventHeader().At; at.After(r.last) {
		r.last = at
	}
}

func bad(format string, args ...any) error { return refuse("apply", ErrInvalidEvent, format, args...) }

func (e Opened) apply(r *Register) error {
	if r.version != 0 {
		return bad("register already opened")
	}
	*r = Register{org: e.Org, version: 1, byID: map[ID]*Agreement{}, byCircle: map[circle.CircleID][]*Agreement{},
		byDecision: map[consent.ProcessID]ID{}, reviews: map[consent.ProcessID]consent.Review{}}
	return nil
}

// version returns the version record of t, made at h.
func (t Text) version(c Change, h circle.Header) Version {
	return Version{Version: t.Version, Change: c, Decision: t.Decision, Title: t.Title, Text: t.Text, ReviewDate: t.ReviewDate, From: h.At, By: h.Actor}
}

// next checks that t follows the agreement's latest version at h and is not
// dated before it.
func (t Text) next(a *Agreement, h circle.Header) error {
	cur := a.Current()
	switch {
	case t.Circle != a.Circle:
		return bad("agreement %s is of circle %s, not %s", a.ID, a.Circle, t.Circle)
	case t.Version != cur.Version+1:
		return bad("agreement %s is at version %d, not %d", a.ID, cur.Version, t.Version-1)
	case h.At.Before(cur.From):
		return bad("agreement %s changed at %s, after %s", a.ID, cur.From.Format(time.RFC3339), h.At.Format(time.RFC3339))
	}
	return nil
}

// push ends the version in force and appends v.
func (r *Register) push(a *Agreement, v Version) {
	if n := len(a.Versions); n > 0 && a.Versions[n-1].Until.IsZero() {
		a.Versions[n-1].Until = v.From
	}
	a.Versions = append(a.Versions, v)
	a.State, a.Retired, a.RetiredBy = StateInForce, time.Time{}, consent.ProcessID{}
	r.byDecision[v.Decision] = a.ID
	r.version++
}

// endReview forgets review process p of a.
func (r *Register) endReview(a *Agreement, p consent.ProcessID) {
	delete(r.reviews, p)
	a.Reviews = slices.DeleteFunc(a.Reviews, func(q consent.ProcessID) bool { return q == p })
}

func (e Adopted) apply(r *Register) error {
	if a, ok := r.byID[e.Agreement]; ok {
		if a.State != StateReopened {
			return bad("agreement %s already exists", e.Agreement)
		}
		if err := e.next(a, e.Header); err != nil {
			return err
		}
		r.push(a, e.version(ChangeAdopted, e.Header))
		return nil
	}
	if e.Version != 1 {
		return bad("a new agreement starts at version 1, not %d", e.Version)
	}
	a := &Agreement{ID: e.Agreement, Circle: e.Circle}
	r.list = append(r.list, a)
	r.byID[a.ID] = a
	r.byCircle[a.Circle] = append(r.byCircle[a.Circle], a)
	r.push(a, e.version(ChangeAdopted, e.Header))
	return nil
}

func (r *Register) revised(t Text, h circle.Header, c Change) error {
	a, ok := r.byID[t.Agreement]
	if !ok {
		return bad("no agreement %s", t.Agreement)
	}
	if err := t.next(a, h); err != nil {
		return err
	}
	r.endReview(a, t.Decision)
	r.push(a, t.version(c, h))
	return nil
}

func (e Amended) apply(r *Register) error { return r.revised(e.Text, e.Header, ChangeAmended) }

func (e Kept) apply(r *Register) error { return r.revised(e.Text, e.Header, ChangeKept) }

func (e Retired) apply(r *Register) error {
	a, ok := r.byID[e.Agreement]
	switch {
	case !ok:
		return bad("no agreement %s", e.Agreement)
	case a.Circle != e.Circle:
		return bad("agreement %s is of circle %s, not %s", a.ID, a.Circle, e.Circle)
	case a.State == StateRetired:
		return bad("agreement %s is already retired", a.ID)
	case e.At.Before(a.Current().From):
		return bad("agreement %s changed after %s", a.ID, e.At.Format(time.RFC3339))
	}
	if cur := &a.Versions[len(a.Versions)-1]; cur.Until.IsZero() {
		cur.Until = e.At
	}
	r.endReview(a, e.Decision)
	a.State, a.Retired, a.RetiredBy = StateRetired, e.At, e.Decision
	r.byDecision[e.Decision] = a.ID
	r.version++
	return nil
}

func (e Reopened) apply(r *Register) error {
	a, ok := r.byID[e.Agreement]
	if !ok {
		return bad("no agreement %s", e.Agreement)
	}
	cur := a.Current()
	switch {
	case a.Circle != e.Circle:
		return bad("agreement %s is of circle %s, not %s", a.ID, a.Circle, e.Circle)
	case a.State != StateInForce || cur.Version != e.Version || cur.Decision != e.Decision:
		return bad("version %d of agreement %s, by decision %s, is not the one in force", e.Version, a.ID, e.Decision)
	case e.At.Before(cur.From):
		return bad("agreement %s changed after %s", a.ID, e.At.Format(time.RFC3339))
	}
	n := len(a.Versions)
	a.Versions[n-1].Until = e.At
	if n == 1 {
		a.State = StateReopened
		r.version++
		return nil
	}
	prev := a.Versions[n-2]
	prev.Version, prev.Change, prev.From, prev.Until, prev.By = cur.Version+1, ChangeRestored, e.At, time.Time{}, e.Actor
	a.Versions = append(a.Versions, prev)
	r.version++
	return nil
}

func (e ReviewStarted) apply(r *Register) error {
	a, ok := r.byID[e.Agreement]
	switch {
	case !ok:
		return bad("no agreement %s", e.Agreement)
	case a.Circle != e.Circle:
		return bad("agreement %s is of circle %s, not %s", a.ID, a.Circle, e.Circle)
	case a.State == StateRetired:
		return bad("agreement %s is retired", a.ID)
	}
	if _, ok := r.reviews[e.Process]; ok {
		return bad("process %s already reviews an agreement", e.Process)
	}
	r.reviews[e.Process] = consent.Review{Agreement: e.Agreement, Retire: e.Retire}
	a.Reviews = append(a.Reviews, e.Process)
	r.version++
	return nil
}

func (e ReviewEnded) apply(r *Register) error {
	rv, ok := r.reviews[e.Process]
	if !ok || rv.Agreement != e.Agreement {
		return bad("process %s is not a review of agreement %s", e.Process, e.Agreement)
	}
	r.endReview(r.byID[e.Agreement], e.Process)
	r.version++
	return nil
}

func (e CircleDissolved) apply(r *Register) error {
	n := 0
	for _, a := range r.byCircle[e.Circle] {
		if a.State == StateRetired {
			continue
		}
		if cur := &a.Versions[len(a.Versions)-1]; cur.Until.IsZero() {
			if e.At.Before(cur.From) {
				return bad("agreement %s changed after %s", a.ID, e.At.Format(time.RFC3339))
			}
			cur.Until = e.At
		}
		a.State, a.Retired, a.RetiredBy = StateRetired, e.At, consent.ProcessID{}
		n++
	}
	if n == 0 {
		return bad("circle %s has no agreement to retire", e.Circle)
	}
	r.version++
	return nil
}
