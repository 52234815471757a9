package store

import (
	"context"
	"errors"
	"slices"
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

// load reads a stream and decodes its events. With the cache on, only the
// entries after the cached version are read and decoded.
func load[E any](ctx context.Context, s *Store, key StreamKey, unmarshal func(string, []byte) (E, error)) ([]E, uint64, error) {
	var have []E
	var after uint64
	if c, ok := s.cache.get(key); ok {
		if evs, ok := c.events.([]E); ok {
			have, after = evs, c.version
		}
	}
	entries, err := s.d.ReadStream(ctx, key, after, 0)
	if err != nil {
		return nil, 0, err
	}
	out := make([]E, len(have), len(have)+len(entries))
	copy(out, have)
	for i := range entries {
		e, err := unmarshal(entries[i].Type, entries[i].Data)
		if err != nil {
			return nil, 0, &ChainError{Org: key.Org.String(), Seq: entries[i].Seq, Reason: "undecodable " + entries[i].Type + " event: " + err.Error()}
		}
		out = append(out, e)
	}
	v := after
	if n := len(entries); n > 0 {
		v = entries[n-1].Version
		s.cache.put(key, cached{version: v, events: out[:len(out):len(out)]})
	}
	return out, v, nil
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

func (s *Store) loadOrg(ctx context.Context, org circle.OrgID) (*circle.Organisation, uint64, error) {
	evs, v, err := load(ctx, s, OrgKey(org), circle.UnmarshalEvent)
	if err != nil {
		return nil, 0, notFound("organisation", err)
	}
	o, err := circle.Replay(evs)
	if err != nil {
		return nil, 0, &ChainError{Org: org.String(), Reason: "organisation does not replay: " + err.Error()}
	}
	return o, v, nil
}

func (s *Store) loadCalendar(ctx context.Context, org circle.OrgID) (*review.Calendar, uint64, error) {
	evs, v, err := load(ctx, s, CalendarKey(org), review.UnmarshalEvent)
	if err != nil {
		return nil, 0, notFound("review calendar", err)
	}
	c, err := review.Replay(evs)
	if err != nil {
		return nil, 0, &ChainError{Org: org.String(), Reason: "review calendar does not replay: " + err.Error()}
	}
	return c, v, nil
}

func (s *Store) loadProcess(ctx context.Context, org circle.OrgID, id consent.ProcessID) (*consent.Process, uint64, error) {
	evs, v, err := load(ctx, s, ProcessKey(org, id), consent.UnmarshalEvent)
	if err != nil {
		return nil, 0, notFound("consent process", err)
	}
	p, err := consent.Replay(evs)
	if err != nil {
		return nil, 0, &ChainError{Org: org.String(), Reason: "consent process does not replay: " + err.Error()}
	}
	return p, v, nil
}

func (s *Store) loadElection(ctx context.Context, org circle.OrgID, id election.ElectionID) (*election.Election, uint64, error) {
	evs, v, err := load(ctx, s, ElectionKey(org, id), election.UnmarshalEvent)
	if err != nil {
		return nil, 0, notFound("election", err)
	}
	e, err := election.Replay(evs)
	if err != nil {
		return nil, 0, &ChainError{Org: org.String(), Reason: "election does not replay: " + err.Error()}
	}
	return e, v, nil
}

// Organisation loads organisation org by replaying its stream.
func (s *Store) Organisation(ctx context.Context, org circle.OrgID) (*circle.Organisation, error) {
	o, _, err := s.loadOrg(ctx, org)
	return o, err
}

// Calendar loads the review calendar of org.
func (s *Store) Calendar(ctx context.Context, org circle.OrgID) (*review.Calendar, error) {
	c, _, err := s.loadCalendar(ctx, org)
	return c, err
}

// Process loads consent process id of org.
func (s *Store) Process(ctx context.Context, org circle.OrgID, id consent.ProcessID) (*consent.Process, error) {
	p, _, err := s.loadProcess(ctx, org, id)
	return p, err
}

// Election loads election id of org.
func (s *Store) Election(ctx context.Context, org circle.OrgID, id election.ElectionID) (*election.Election, error) {
	e, _, err := s.loadElection(ctx, org, id)
	return e, err
}

// Events to records.

func circleRecords(evs []circle.Event) ([]Record, error) {
	out := make([]Record, len(evs))
	for i, e := range evs {
		typ, data, err := circle.MarshalEvent(e)
		if err != nil {
			return nil, err
		}
		out[i] = Record{Type: typ, Data: data, Circle: circleOf(e), At: e.EventHeader().At}
	}
	return out, nil
}

// circleOf names the circle a circle event is about, for per-circle
// logbook queries.
func circleOf(e circle.Event) circle.CircleID {
	switch e := e.(type) {
	case circle.Founded:
		return e.Top
	case circle.CircleAdded:
		return e.Circle
	case circle.AimChanged:
		return e.Circle
	case circle.CircleMoved:
		return e.Circle
	case circle.CircleDissolved:
		return e.Circle
	case circle.DomainDelegated:
		return e.Circle
	case circle.DomainRevoked:
		return e.Circle
	case circle.MemberAdded:
		return e.Circle
	case circle.MemberRemoved:
		return e.Circle
	case circle.RoleAssigned:
		return e.Assignment.Circle
	case circle.RoleEnded:
		return e.Assignment.Circle
	}
	return circle.CircleID{}
}

func reviewRecords(evs []review.Event) ([]Record, error) {
	out := make([]Record, len(evs))
	for i, e := range evs {
		typ, data, err := review.MarshalEvent(e)
		if err != nil {
			return nil, err
		}
		var c circle.CircleID
		if sch, ok := e.(review.ItemScheduled); ok {
			c = sch.Circle
		}
		out[i] = Record{Type: typ, Data: data, Circle: c, At: e.EventHeader().At}
	}
	return out, nil
}

func consentRecords(evs []consent.Event) ([]Record, error) {
	out := make([]Record, len(evs))
	for i, e := range evs {
		typ, data, err := consent.MarshalEvent(e)
		if err != nil {
			return nil, err
		}
		h := e.EventHeader()
		out[i] = Record{Type: typ, Data: data, Circle: h.Circle, At: h.At}
	}
	return out, nil
}

func electionRecords(evs []election.Event, c circle.CircleID) ([]Record, error) {
	out := make([]Record, len(evs))
	for i, e := range evs {
		typ, data, err := election.MarshalEvent(e)
		if err != nil {
			return nil, err
		}
		out[i] = Record{Type: typ, Data: data, Circle: c, At: e.EventHeader().At}
	}
	return out, nil
}

// observe hands every event to the calendar and collects what it schedules
// or retires.
func observe[E any](cal *review.Calendar, evs []E) ([]review.Event, error) {
	var out []review.Event
	for _, e := range evs {
		got, err := cal.Observe(e)
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	return out, nil
}

// calendarAppend adds the calendar's events to b, when there are any.
func calendarAppend(b *Batch, org circle.OrgID, version uint64, evs []review.Event) error {
	if len(evs) == 0 {
		return nil
	}
	recs, err := reviewRecords(evs)
	if err != nil {
		return err
	}
	b.Streams = append(b.Streams, StreamAppend{Stream: CalendarKey(org), Expected: version, Records: recs})
	return nil
}

// Found founds an organisation ([circle.Found]) and opens its review
// calendar ([review.OpenFor]) in one append. Founding an organisation that
// exists fails with [ErrConflict].
func (s *Store) Found(ctx context.Context, cmd Command, f circle.Founding) (Receipt, error) {
	return s.run(ctx, f.Org, cmd, 1, func(ctx context.Context) (*Batch, error) {
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
func (s *Store) Seed(ctx context.Context, cmd Command, document []byte, actor circle.PersonID, at time.Time) (Receipt, error) {
	o, evs, err := circle.Seed(document, actor, at)
	if err != nil {
		return Receipt{}, err
	}
	return s.run(ctx, o.ID(), cmd, 1, func(ctx context.Context) (*Batch, error) {
		return s.founding(o, evs, actor, at)
	})
}

func (s *Store) founding(o *circle.Organisation, evs []circle.Event, actor circle.PersonID, at time.Time) (*Batch, error) {
	cal, cevs, err := review.OpenFor(o, actor, at)
	if err != nil {
		return nil, err
	}
	more, err := observe(cal, evs)
	if err != nil {
		return nil, err
	}
	recs, err := circleRecords(evs)
	if err != nil {
		return nil, err
	}
	crecs, err := reviewRecords(append(cevs, more...))
	if err != nil {
		return nil, err
	}
	return &Batch{Streams: []StreamAppend{
		{Stream: OrgKey(o.ID()), Records: recs},
		{Stream: CalendarKey(o.ID()), Records: crecs},
	}}, nil
}

// ActOrg runs an act on organisation org: act receives the organisation as
// stored and returns the events of one of its acts (for example
// o.AddMember(actor, at, c, p)). The events are appended together with what
// the review calendar makes of them (a role's term end, a helping circle's
// end, items retired with a dissolved circle). act may be called more than
// once (once per attempt, each time with freshly loaded state), so it must
// do nothing but call acts.
func (s *Store) ActOrg(ctx context.Context, org circle.OrgID, cmd Command, act func(o *circle.Organisation) ([]circle.Event, error)) (Receipt, error) {
	return s.run(ctx, org, cmd, 0, func(ctx context.Context) (*Batch, error) {
		o, ov, err := s.loadOrg(ctx, org)
		if err != nil {
			return nil, err
		}
		cal, cv, err := s.loadCalendar(ctx, org)
		if err != nil {
			return nil, err
		}
		evs, err := act(o)
		if err != nil {
			return nil, err
		}
		if len(evs) == 0 {
			return nil, errNoop
		}
		recs, err := circleRecords(evs)
		if err != nil {
			return nil, err
		}
		b := &Batch{Streams: []StreamAppend{{Stream: OrgKey(org), Expected: ov, Records: recs}}}
		cevs, err := observe(cal, evs)
		if err != nil {
			return nil, err
		}
		return b, calendarAppend(b, org, cv, cevs)
	})
}

// ActCalendar runs an act on org's review calendar (Schedule, Reschedule,
// Complete, Retire).
func (s *Store) ActCalendar(ctx context.Context, org circle.OrgID, cmd Command, act func(c *review.Calendar) ([]review.Event, error)) (Receipt, error) {
	return s.run(ctx, org, cmd, 0, func(ctx context.Context) (*Batch, error) {
		cal, cv, err := s.loadCalendar(ctx, org)
		if err != nil {
			return nil, err
		}
		evs, err := act(cal)
		if err != nil {
			return nil, err
		}
		if len(evs) == 0 {
			return nil, errNoop
		}
		b := &Batch{}
		return b, calendarAppend(b, org, cv, evs)
	})
}

// Due returns the calendar items of org due before t (open items only),
// soonest first.
func (s *Store) Due(ctx context.Context, org circle.OrgID, before time.Time) ([]review.Item, error) {
	cal, err := s.Calendar(ctx, org)
	if err != nil {
		return nil, err
	}
	return slices.Collect(cal.DueBefore(before)), nil
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

// StartProcess starts a consent process ([consent.StartIn]) in
// organisation spec.Org.
func (s *Store) StartProcess(ctx context.Context, cmd Command, spec consent.ProcessSpec, at time.Time) (Receipt, error) {
	return s.run(ctx, spec.Org, cmd, 0, func(ctx context.Context) (*Batch, error) {
		o, _, err := s.loadOrg(ctx, spec.Org)
		if err != nil {
			return nil, err
		}
		p, evs, err := consent.StartIn(o, spec, at)
		if err != nil {
			return nil, err
		}
		return s.processBatch(ctx, spec.Org, p, 0, evs)
	})
}

// ActProcess runs an act on consent process id of org. act receives the
// process and the organisation (read-only: for the circle's members, say)
// and returns the events of one act. The events are appended together with
// what the review calendar makes of them (a decision's review date, its
// measures, an early review after consent is withdrawn). act may be called
// more than once (see [Store.ActOrg]).
func (s *Store) ActProcess(ctx context.Context, org circle.OrgID, id consent.ProcessID, cmd Command, act func(p *consent.Process, o *circle.Organisation) ([]consent.Event, error)) (Receipt, error) {
	return s.run(ctx, org, cmd, 0, func(ctx context.Context) (*Batch, error) {
		o, _, err := s.loadOrg(ctx, org)
		if err != nil {
			return nil, err
		}
		p, pv, err := s.loadProcess(ctx, org, id)
		if err != nil {
			return nil, err
		}
		evs, err := act(p, o)
		if err != nil {
			return nil, err
		}
		if len(evs) == 0 {
			return nil, errNoop
		}
		return s.processBatch(ctx, org, p, pv, evs)
	})
}

func (s *Store) processBatch(ctx context.Context, org circle.OrgID, p *consent.Process, version uint64, evs []consent.Event) (*Batch, error) {
	recs, err := consentRecords(evs)
	if err != nil {
		return nil, err
	}
	b := &Batch{Streams: []StreamAppend{{
		Stream: ProcessKey(org, p.ID()), Expected: version, Circle: p.Circle(), Status: processStatus(p), Records: recs,
	}}}
	cal, cv, err := s.loadCalendar(ctx, org)
	if err != nil {
		return nil, err
	}
	cevs, err := observe(cal, evs)
	if err != nil {
		return nil, err
	}
	return b, calendarAppend(b, org, cv, cevs)
}

// CallElection calls an election ([election.Call]) in organisation org.
func (s *Store) CallElection(ctx context.Context, org circle.OrgID, cmd Command, spec election.Spec, at time.Time) (Receipt, error) {
	return s.run(ctx, org, cmd, 0, func(ctx context.Context) (*Batch, error) {
		o, _, err := s.loadOrg(ctx, org)
		if err != nil {
			return nil, err
		}
		e, evs, err := election.Call(o, spec, at)
		if err != nil {
			return nil, err
		}
		recs, err := electionRecords(evs, e.Circle())
		if err != nil {
			return nil, err
		}
		return &Batch{Streams: []StreamAppend{{
			Stream: ElectionKey(org, e.ID()), Circle: e.Circle(), Status: electionStatus(e), Records: recs,
		}}}, nil
	})
}

// ActElection runs an act on election id of org. When the act ends the
// election with an outcome, the same append assigns the role in the
// organisation ([election.Outcome.Assign], by the election's facilitator)
// and schedules the term end on the review calendar. act may be called more
// than once (see [Store.ActOrg]).
func (s *Store) ActElection(ctx context.Context, org circle.OrgID, id election.ElectionID, cmd Command, act func(e *election.Election, o *circle.Organisation) ([]election.Event, error)) (Receipt, error) {
	return s.run(ctx, org, cmd, 0, func(ctx context.Context) (*Batch, error) {
		o, ov, err := s.loadOrg(ctx, org)
		if err != nil {
			return nil, err
		}
		e, ev, err := s.loadElection(ctx, org, id)
		if err != nil {
			return nil, err
		}
		_, had := e.Outcome()
		evs, err := act(e, o)
		if err != nil {
			return nil, err
		}
		if len(evs) == 0 {
			return nil, errNoop
		}
		recs, err := electionRecords(evs, e.Circle())
		if err != nil {
			return nil, err
		}
		b := &Batch{Streams: []StreamAppend{{
			Stream: ElectionKey(org, id), Expected: ev, Status: electionStatus(e), Records: recs,
		}}}
		out, has := e.Outcome()
		if !has || had {
			return b, nil
		}
		assigned, err := out.Assign(o, e.Facilitator())
		if err != nil {
			return nil, err
		}
		orecs, err := circleRecords(assigned)
		if err != nil {
			return nil, err
		}
		b.Streams = append(b.Streams, StreamAppend{Stream: OrgKey(org), Expected: ov, Records: orecs})
		cal, cv, err := s.loadCalendar(ctx, org)
		if err != nil {
			return nil, err
		}
		cevs, err := observe(cal, assigned)
		if err != nil {
			return nil, err
		}
		return b, calendarAppend(b, org, cv, cevs)
	})
}

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
