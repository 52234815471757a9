package store

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/election"
	"github.com/coproduce/sociocracy/review"
)

// Stream statuses the portable type sets, for [StreamQuery.Status].
const (
	StatusOpen   = "open"   // a process or election that can still change
	StatusClosed = "closed" // adopted, withdrawn, referred, elected or cancelled
)

// Keys of the streams of one organisation.

// OrgKey is the key of the organisation's own stream.
func OrgKey(org circle.OrgID) StreamKey {
	return StreamKey{Org: org, Kind: KindOrganisation, ID: org.UUID()}
}

// CalendarKey is the key of the organisation's review calendar.
func CalendarKey(org circle.OrgID) StreamKey {
	return StreamKey{Org: org, Kind: KindReview, ID: org.UUID()}
}

// LogbookKey is the key of the stream of the store's own entries.
func LogbookKey(org circle.OrgID) StreamKey {
	return StreamKey{Org: org, Kind: KindLogbook, ID: org.UUID()}
}

// ProcessKey is the key of a consent process.
func ProcessKey(org circle.OrgID, id consent.ProcessID) StreamKey {
	return StreamKey{Org: org, Kind: KindConsent, ID: id.UUID()}
}

// ElectionKey is the key of an election.
func ElectionKey(org circle.OrgID, id election.ElectionID) StreamKey {
	return StreamKey{Org: org, Kind: KindElection, ID: id.UUID()}
}

func notFound(what string, err error) error {
	if errors.Is(err, ErrNotFound) {
		var nf *NotFoundError
		if errors.As(err, &nf) {
			return &NotFoundError{What: what, Key: nf.Key}
		}
	}
	return err
}

// readCache is the read side of what a Store keeps: one entry per stream,
// each with its own lock, so that readers of one organisation wait for each
// other but not for readers of another.
type readCache struct {
	mu  sync.Mutex
	max int
	m   map[StreamKey]*readEntry
}

type readEntry struct {
	mu sync.Mutex
	l  *liveAgg
}

func newReadCache(max int) *readCache {
	if max <= 0 {
		return nil
	}
	return &readCache{max: max, m: make(map[StreamKey]*readEntry)}
}

// entry returns the entry of k, creating it (and forgetting an arbitrary
// half of the others when full).
func (c *readCache) entry(k StreamKey) *readEntry {
	if c == nil {
		return &readEntry{}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[k]; ok {
		return e
	}
	makeRoom(c.m, c.max)
	e := &readEntry{}
	c.m[k] = e
	return e
}

func (c *readCache) dropOrg(org circle.OrgID) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	dropOrg(c.m, org)
}

func (c *readCache) drop(k StreamKey) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, k)
}

// readWith answers f from the aggregate of key as the driver holds it now,
// kept on the read side.
func readWith[A aggregate, E, R any](ctx context.Context, s *Store, k *kind[A, E], key StreamKey, f func(A) R) (R, error) {
	var zero R
	if key.Org.IsZero() {
		return zero, invalid("read "+k.what, "no organisation")
	}
	if err := s.checkErasures(ctx, s.d, key.Org); err != nil {
		return zero, err
	}
	e := s.read.entry(key)
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.l != nil {
		ok, err := refresh(ctx, s.d, k, key, e.l)
		if err != nil || !ok {
			e.l = nil
		}
		if err != nil {
			return zero, err
		}
	}
	if e.l == nil {
		l, err := replayStream(ctx, s.d, k, key)
		if err != nil {
			return zero, err
		}
		e.l = l
	}
	return f(e.l.agg.(A)), nil
}

// Organisation returns organisation org as stored: a copy of its own, which
// the caller may change (acts on it change nothing stored).
func (s *Store) Organisation(ctx context.Context, org circle.OrgID) (*circle.Organisation, error) {
	return readWith(ctx, s, orgKind, OrgKey(org), (*circle.Organisation).Clone)
}

// Calendar returns the review calendar of org as stored: a copy of its own.
// To ask what is due, [Store.Due] costs less than a copy.
func (s *Store) Calendar(ctx context.Context, org circle.OrgID) (*review.Calendar, error) {
	return readWith(ctx, s, calendarKind, CalendarKey(org), (*review.Calendar).Clone)
}

// Process returns consent process id of org as stored.
func (s *Store) Process(ctx context.Context, org circle.OrgID, id consent.ProcessID) (*consent.Process, error) {
	l, err := replayStream(ctx, s.d, processKind, ProcessKey(org, id))
	if err != nil {
		return nil, err
	}
	return l.agg.(*consent.Process), nil
}

// Election returns election id of org as stored.
func (s *Store) Election(ctx context.Context, org circle.OrgID, id election.ElectionID) (*election.Election, error) {
	l, err := replayStream(ctx, s.d, electionKind, ElectionKey(org, id))
	if err != nil {
		return nil, err
	}
	return l.agg.(*election.Election), nil
}

// Due returns the open calendar items of org due before t, soonest first.
// It costs the logarithm of the calendar's size plus the size of its
// answer.
func (s *Store) Due(ctx context.Context, org circle.OrgID, before time.Time) ([]review.Item, error) {
	return readWith(ctx, s, calendarKind, CalendarKey(org), func(c *review.Calendar) []review.Item {
		return slices.Collect(c.DueBefore(before))
	})
}

// at is the time of one attempt of an act: the WriteOptions' time, or the
// Store's clock, never before the latest event of the aggregates the act
// loaded (a clock that steps back must not make an act refused).
func (s *Store) at(w *WriteOptions, latest ...time.Time) time.Time {
	if w != nil && !w.At.IsZero() {
		return w.At
	}
	t := s.clock()
	for _, l := range latest {
		if t.Before(l) {
			t = l
		}
	}
	return t
}

// fresh wraps an aggregate an act has just created.
func fresh[A aggregate, E any](k *kind[A, E], key StreamKey, a A) *held[A, E] {
	k.take(a) // start recording
	return &held[A, E]{k: k, key: key, l: &liveAgg{agg: a}, agg: a}
}

// observe hands the events of an act to org's policy register and review
// calendar, when any of them concerns either, and adds what they make of
// them to b (observeAll, in registers.go).
func observe[E any](ctx context.Context, s *Store, r Reader, b *Batch, org circle.OrgID, evs []E) error {
	return observeAll(ctx, s, r, b, org, evs)
}

// Found founds an organisation ([circle.Found]) and opens its review
// calendar ([review.OpenFor]) in one append. A zero f.At takes the time of
// the act (see [WriteOptions]). Founding an organisation that exists fails
// with [ErrConflict].
func (s *Store) Found(ctx context.Context, f circle.Founding, w *WriteOptions) (Receipt, error) {
	return s.run(ctx, f.Org, w.command(), true, func(ctx context.Context, _ Reader) (*Batch, error) {
		if f.At.IsZero() {
			f.At = s.at(w)
		}
		o, evs, err := circle.Found(f)
		if err != nil {
			return nil, err
		}
		return s.founding(o, evs, f.Founder, f.At)
	})
}

// Seed starts an organisation from an imported document ([circle.Seed]),
// opens its review calendar and schedules what the document implies (term
// ends, helping-circle ends), in one append.
func (s *Store) Seed(ctx context.Context, document []byte, actor circle.PersonID, w *WriteOptions) (Receipt, error) {
	at := s.at(w)
	o, evs, err := circle.Seed(document, actor, at)
	if err != nil {
		return Receipt{}, err
	}
	return s.run(ctx, o.ID(), w.command(), true, func(ctx context.Context, _ Reader) (*Batch, error) {
		return s.founding(o, evs, actor, at)
	})
}

func (s *Store) founding(o *circle.Organisation, evs []circle.Event, actor circle.PersonID, at time.Time) (*Batch, error) {
	c, cevs, err := review.OpenFor(o, actor, at)
	if err != nil {
		return nil, err
	}
	oh := fresh(orgKind, OrgKey(o.ID()), o)
	ch := fresh(calendarKind, CalendarKey(o.ID()), c)
	b := &Batch{}
	if err := oh.append(b, evs, StreamAppend{}); err != nil {
		return nil, err
	}
	more := make([]review.Event, 0, len(cevs))
	for _, e := range evs {
		got, err := c.Observe(e)
		if err != nil {
			return nil, err
		}
		more = append(more, got...)
	}
	calendarKind.take(c)
	if err := ch.append(b, append(cevs, more...), StreamAppend{}); err != nil {
		return nil, err
	}
	oh.checkin(s)
	ch.checkin(s)
	return b, nil
}

// ActOrg runs an act on organisation org: act receives the organisation as
// stored and the time of this attempt, and returns the events of its acts
// on it (for example o.AddMember(actor, at, c, p); see [Collector] for
// several). The events are appended together with what the review calendar
// makes of them (a role's term end, a helping circle's end, items retired
// with a dissolved circle), in one append.
//
// act may be called more than once (once per attempt) and must do nothing
// but act on the organisation it is handed, which it must not keep: the
// Store appends only the events that its acts yielded on that
// organisation, and refuses anything else (events of a copy or of another
// organisation, some left out) with [ErrForeignEvents], writing nothing.
// An act refused by the core changes nothing and is returned as it is.
func (s *Store) ActOrg(ctx context.Context, org circle.OrgID, act func(o *circle.Organisation, at time.Time) ([]circle.Event, error), w *WriteOptions) (Receipt, error) {
	return s.runOn(ctx, org, w.command(), false, []StreamKey{OrgKey(org)}, func(ctx context.Context, r Reader) (*Batch, error) {
		o, err := checkout(ctx, s, r, orgKind, OrgKey(org))
		if err != nil {
			return nil, err
		}
		evs, err := act(o.agg, s.at(w, o.l.at))
		if err != nil {
			return nil, labelled(o.agg, err)
		}
		if err := o.yielded("act on organisation", evs); err != nil {
			return nil, err
		}
		if len(evs) == 0 {
			o.checkin(s)
			return nil, errNoop
		}
		b := &Batch{}
		if err := o.append(b, evs, StreamAppend{}); err != nil {
			return nil, err
		}
		if err := observe(ctx, s, r, b, org, evs); err != nil {
			return nil, err
		}
		o.checkin(s)
		return b, nil
	})
}

// ActCalendar runs an act on org's review calendar (Schedule, Reschedule,
// Complete, Retire), as [Store.ActOrg] does on the organisation.
func (s *Store) ActCalendar(ctx context.Context, org circle.OrgID, act func(c *review.Calendar, at time.Time) ([]review.Event, error), w *WriteOptions) (Receipt, error) {
	return s.runOn(ctx, org, w.command(), false, []StreamKey{CalendarKey(org)}, func(ctx context.Context, r Reader) (*Batch, error) {
		c, err := checkout(ctx, s, r, calendarKind, CalendarKey(org))
		if err != nil {
			return nil, err
		}
		evs, err := act(c.agg, s.at(w, c.l.at))
		if err != nil {
			return nil, err
		}
		if err := c.yielded("act on review calendar", evs); err != nil {
			return nil, err
		}
		if len(evs) == 0 {
			c.checkin(s)
			return nil, errNoop
		}
		b := &Batch{}
		if err := c.append(b, evs, StreamAppend{}); err != nil {
			return nil, err
		}
		c.checkin(s)
		return b, nil
	})
}

func processStatus(p *consent.Process) string {
	switch p.Phase() {
	case consent.PhaseAdopted, consent.PhaseWithdrawn, consent.PhaseReferred:
		return StatusClosed
	}
	return StatusOpen
}

func electionStatus(e *election.Election) string {
	if e.Phase().Ended() {
		return StatusClosed
	}
	return StatusOpen
}

// StartProcess starts a consent process ([consent.StartIn]) in organisation
// org; a zero spec.Org is org, another organisation is refused.
func (s *Store) StartProcess(ctx context.Context, org circle.OrgID, spec consent.ProcessSpec, w *WriteOptions) (Receipt, error) {
	if spec.Org.IsZero() {
		spec.Org = org
	}
	if spec.Org != org {
		return Receipt{}, invalid("start process", "the process is for organisation %s, not %s", spec.Org, org)
	}
	// The new stream is read too: the append must know it is not there.
	return s.runOn(ctx, org, w.command(), false, []StreamKey{OrgKey(org), ProcessKey(org, spec.ID)}, func(ctx context.Context, r Reader) (*Batch, error) {
		o, err := checkout(ctx, s, r, orgKind, OrgKey(org))
		if err != nil {
			return nil, err
		}
		p, evs, err := consent.StartIn(o.agg, spec, s.at(w, o.l.at))
		if err != nil {
			return nil, labelled(o.agg, err)
		}
		h := fresh(processKind, ProcessKey(org, p.ID()), p)
		b := &Batch{}
		if err := h.append(b, evs, StreamAppend{Circle: p.Circle(), Status: processStatus(p)}); err != nil {
			return nil, err
		}
		if err := observe(ctx, s, r, b, org, evs); err != nil {
			return nil, err
		}
		o.checkin(s)
		h.checkin(s)
		return b, nil
	})
}

// ActProcess runs an act on consent process id of org. act receives the
// process, the organisation (to read: the circle's members, say; an act on
// it is refused with [ErrReadOnly]) and the time of this attempt, and
// returns the events of its acts on the process. The events are appended
// together with what the review calendar makes of them (a decision's review
// date, its measures, an early review after consent is withdrawn). The rules
// of [Store.ActOrg] hold.
func (s *Store) ActProcess(ctx context.Context, org circle.OrgID, id consent.ProcessID, act func(p *consent.Process, o *circle.Organisation, at time.Time) ([]consent.Event, error), w *WriteOptions) (Receipt, error) {
	return s.runOn(ctx, org, w.command(), false, []StreamKey{OrgKey(org), ProcessKey(org, id)}, func(ctx context.Context, r Reader) (*Batch, error) {
		o, err := checkout(ctx, s, r, orgKind, OrgKey(org))
		if err != nil {
			return nil, err
		}
		p, err := checkout(ctx, s, r, processKind, ProcessKey(org, id))
		if err != nil {
			return nil, err
		}
		evs, err := act(p.agg, o.agg, s.at(w, o.l.at, p.l.at))
		if err != nil {
			return nil, labelled(o.agg, err)
		}
		if err := o.untouched("act on consent process"); err != nil {
			return nil, err
		}
		if err := p.yielded("act on consent process", evs); err != nil {
			return nil, err
		}
		// A round's participants are exactly the circle's members, less the
		// exclusions the snapshot records: a host cannot leave an objector
		// out or add a stranger.
		if slices.ContainsFunc(evs, consent.TakesSnapshot) {
			if err := consent.CheckMembers(o.agg, p.agg); err != nil {
				return nil, labelled(o.agg, err)
			}
		}
		if err := consent.CheckAgainst(o.agg, p.agg, evs); err != nil {
			return nil, err
		}
		if len(evs) == 0 {
			o.checkin(s)
			p.checkin(s)
			return nil, errNoop
		}
		b := &Batch{}
		if err := p.append(b, evs, StreamAppend{Status: processStatus(p.agg)}); err != nil {
			return nil, err
		}
		if err := observe(ctx, s, r, b, org, evs); err != nil {
			return nil, err
		}
		if err := s.enactMembership(ctx, r, b, o, p.agg, evs); err != nil {
			return nil, err
		}
		o.checkin(s)
		p.checkin(s)
		return b, nil
	})
}

// CallElection calls an election ([election.Call]) in organisation org.
func (s *Store) CallElection(ctx context.Context, org circle.OrgID, spec election.Spec, w *WriteOptions) (Receipt, error) {
	return s.runOn(ctx, org, w.command(), false, []StreamKey{OrgKey(org), ElectionKey(org, spec.ID)}, func(ctx context.Context, r Reader) (*Batch, error) {
		o, err := checkout(ctx, s, r, orgKind, OrgKey(org))
		if err != nil {
			return nil, err
		}
		e, evs, err := election.Call(o.agg, spec, s.at(w, o.l.at))
		if err != nil {
			return nil, labelled(o.agg, err)
		}
		if err := o.untouched("call election"); err != nil {
			return nil, err
		}
		h := fresh(electionKind, ElectionKey(org, e.ID()), e)
		b := &Batch{}
		if err := h.append(b, evs, StreamAppend{Circle: e.Circle(), Status: electionStatus(e)}); err != nil {
			return nil, err
		}
		o.checkin(s)
		h.checkin(s)
		return b, nil
	})
}

// ActElection runs an act on election id of org, as [Store.ActProcess]
// does on a process. When the act ends the election with an outcome, the
// same append assigns the role in the organisation
// ([election.Outcome.Assign], by the election's facilitator) and schedules
// the term end on the review calendar.
func (s *Store) ActElection(ctx context.Context, org circle.OrgID, id election.ElectionID, act func(e *election.Election, o *circle.Organisation, at time.Time) ([]election.Event, error), w *WriteOptions) (Receipt, error) {
	return s.runOn(ctx, org, w.command(), false, []StreamKey{OrgKey(org), ElectionKey(org, id)}, func(ctx context.Context, r Reader) (*Batch, error) {
		o, err := checkout(ctx, s, r, orgKind, OrgKey(org))
		if err != nil {
			return nil, err
		}
		e, err := checkout(ctx, s, r, electionKind, ElectionKey(org, id))
		if err != nil {
			return nil, err
		}
		_, had := e.agg.Outcome()
		evs, err := act(e.agg, o.agg, s.at(w, o.l.at, e.l.at))
		if err != nil {
			return nil, labelled(o.agg, err)
		}
		if err := o.untouched("act on election"); err != nil {
			return nil, err
		}
		if err := e.yielded("act on election", evs); err != nil {
			return nil, err
		}
		if len(evs) == 0 {
			o.checkin(s)
			e.checkin(s)
			return nil, errNoop
		}
		b := &Batch{}
		if err := e.append(b, evs, StreamAppend{Status: electionStatus(e.agg)}); err != nil {
			return nil, err
		}
		if out, has := e.agg.Outcome(); has && !had {
			assigned, err := out.Assign(o.agg, e.agg.Facilitator())
			if err != nil {
				return nil, labelled(o.agg, err)
			}
			orgKind.take(o.agg) // the Store's own act, appended below
			if err := o.append(b, assigned, StreamAppend{}); err != nil {
				return nil, err
			}
			if err := observe(ctx, s, r, b, org, assigned); err != nil {
				return nil, err
			}
		}
		o.checkin(s)
		e.checkin(s)
		return b, nil
	})
}

// Collector gathers the events of several acts for one append and keeps the
// first error, so that a function handed to [Store.ActOrg] (or another act)
// reads as the list of its acts:
//
//	var c store.Collector[circle.Event]
//	c.Add(o.AddPerson(actor, at, spec))
//	c.Add(o.AddMember(actor, at, team, spec.ID))
//	return c.Result()
//
// Once an act has failed, Add ignores the rest and Result returns that
// error: the Store then writes nothing. The zero Collector is ready to use.
type Collector[E any] struct {
	events []E
	err    error
}

// Add records the result of one act.
func (c *Collector[E]) Add(events []E, err error) {
	if c.err != nil {
		return
	}
	if err != nil {
		c.err = err
		return
	}
	c.events = append(c.events, events...)
}

// Result returns the events of every act added, or the first error.
func (c *Collector[E]) Result() ([]E, error) {
	if c.err != nil {
		return nil, c.err
	}
	return c.events, nil
}

// Err returns the first error added, or nil.
func (c *Collector[E]) Err() error { return c.err }

// OpenProcesses lists the consent processes of circle c of org that are not
// adopted, withdrawn or referred, by ID.
func (s *Store) OpenProcesses(ctx context.Context, org circle.OrgID, c circle.CircleID) ([]consent.ProcessID, error) {
	infos, err := s.allStreams(ctx, StreamQuery{Org: org, Kind: KindConsent, Circle: c, Status: StatusOpen})
	if err != nil {
		return nil, err
	}
	out := make([]consent.ProcessID, len(infos))
	for i, in := range infos {
		out[i] = consent.ProcessID(in.Key.ID)
	}
	return out, nil
}

// OpenElections lists the elections of circle c of org that have not
// ended, by ID.
func (s *Store) OpenElections(ctx context.Context, org circle.OrgID, c circle.CircleID) ([]election.ElectionID, error) {
	infos, err := s.allStreams(ctx, StreamQuery{Org: org, Kind: KindElection, Circle: c, Status: StatusOpen})
	if err != nil {
		return nil, err
	}
	out := make([]election.ElectionID, len(infos))
	for i, in := range infos {
		out[i] = election.ElectionID(in.Key.ID)
	}
	return out, nil
}

func (s *Store) allStreams(ctx context.Context, q StreamQuery) ([]StreamInfo, error) {
	if q.Org.IsZero() {
		return nil, invalid("streams", "no organisation")
	}
	q.Limit = 1000
	var out []StreamInfo
	for {
		page, err := s.d.Streams(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) < q.Limit {
			return out, nil
		}
		q.After = page[len(page)-1].Key.ID
	}
}
