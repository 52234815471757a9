package store

import (
	"context"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/election"
	"github.com/coproduce/sociocracy/review"
)

// OrganisationAt returns organisation org as it stood at instant at: a
// copy of its own. Before the founding it fails with a [*NotFoundError]
// (matching [ErrNotFound]); a zero at with [ErrInvalid].
//
// "As of at" means, here and in [Store.CalendarAt], [Store.ProcessAt] and
// [Store.ElectionAt]: the aggregate replayed from its stream up to, and not
// including, the first entry dated after at. For a stream whose times never
// go back (the organisation, a process, an election: the core refuses an
// act dated before the aggregate's latest event) that is exactly every
// entry dated at or before at, so an act dated at is part of the state as
// of at. The review calendar also records what it observed of other
// streams, which an import may date earlier than the calendar's latest
// entry; the prefix rule still gives a state the calendar really passed
// through, and never applies its events out of order.
//
// The past is replayed from the entries as they are stored now, so text
// erased since ([Store.EraseText]) is erased in the past too, and an erased
// profile ([Store.ErasePerson]) is gone from every date.
//
// The cost is that of replaying the organisation's events up to at,
// whatever the length of the log after it; at or after its latest event
// the answer is a copy of the organisation [Store.Organisation] keeps.
func (s *Store) OrganisationAt(ctx context.Context, org circle.OrgID, at time.Time) (*circle.Organisation, error) {
	return pastOrCurrent(ctx, s, orgKind, OrgKey(org), at, (*circle.Organisation).Clone)
}

// CalendarAt returns the review calendar of org as it stood at instant at,
// as [Store.OrganisationAt] does for the organisation: the items it held,
// due, completed and retired as they were then.
func (s *Store) CalendarAt(ctx context.Context, org circle.OrgID, at time.Time) (*review.Calendar, error) {
	return pastOrCurrent(ctx, s, calendarKind, CalendarKey(org), at, (*review.Calendar).Clone)
}

// ProcessAt returns consent process id of org as it stood at instant at:
// its phase, round, answers and objections then. Before the process
// started it fails with a [*NotFoundError].
func (s *Store) ProcessAt(ctx context.Context, org circle.OrgID, id consent.ProcessID, at time.Time) (*consent.Process, error) {
	return replayAt(ctx, s, processKind, ProcessKey(org, id), at)
}

// ElectionAt returns election id of org as it stood at instant at. Before
// the election was called it fails with a [*NotFoundError].
func (s *Store) ElectionAt(ctx context.Context, org circle.OrgID, id election.ElectionID, at time.Time) (*election.Election, error) {
	return replayAt(ctx, s, electionKind, ElectionKey(org, id), at)
}

// firstPage and lastPage bound the pages a replay as of an instant reads:
// small for the short streams of processes and elections, growing for an
// organisation with a long history.
const (
	firstPage = 256
	lastPage  = 4096
)

// pastOrCurrent answers from the read cache when at is at or after the
// stream's latest entry, and replays the stream up to at otherwise.
func pastOrCurrent[A aggregate, E any](ctx context.Context, s *Store, k *kind[A, E], key StreamKey, at time.Time, clone func(A) A) (A, error) {
	var zero A
	if err := checkAt(k, key, at); err != nil {
		return zero, err
	}
	info, err := s.d.Stream(ctx, key)
	if err != nil {
		return zero, notFound(k.what, err)
	}
	last, err := s.d.ReadStream(ctx, key, info.Version-1, 1)
	if err != nil {
		return zero, notFound(k.what, err)
	}
	if len(last) == 1 && !last[0].At.After(at) {
		cur, err := readWith(ctx, s, k, key, func(a A) A {
			if a.Version() != info.Version {
				return zero // written since: replay instead
			}
			return clone(a)
		})
		if err != nil {
			return zero, err
		}
		if any(cur) != any(zero) {
			return cur, nil
		}
	}
	return replayAt(ctx, s, k, key, at)
}

func checkAt[A aggregate, E any](k *kind[A, E], key StreamKey, at time.Time) error {
	if key.Org.IsZero() {
		return invalid("read "+k.what+" as of", "no organisation")
	}
	if at.IsZero() {
		return invalid("read "+k.what+" as of", "no time: say the instant to look at")
	}
	return nil
}

// replayAt replays the stream of key up to its first entry dated after at.
func replayAt[A aggregate, E any](ctx context.Context, s *Store, k *kind[A, E], key StreamKey, at time.Time) (A, error) {
	var zero A
	if err := checkAt(k, key, at); err != nil {
		return zero, err
	}
	var (
		a     A
		begun bool
		after uint64
		page  = firstPage
		evs   []E
	)
	for {
		es, err := s.d.ReadStream(ctx, key, after, page)
		if err != nil {
			return zero, notFound(k.what, err)
		}
		evs = evs[:0]
		stop := len(es) < page
		for i := range es {
			e := &es[i]
			if e.At.After(at) {
				stop = true
				break
			}
			ev, err := k.decode(e.Type, e.Data)
			if err != nil {
				return zero, undecodable(key, e, err)
			}
			evs = append(evs, ev)
		}
		if len(evs) > 0 {
			if !begun {
				if a, err = k.replay(evs); err != nil {
					return zero, &ChainError{Org: key.Org.String(), Reason: k.what + " does not replay: " + err.Error()}
				}
				begun = true
			} else {
				for i, ev := range evs {
					if err := k.apply(a, ev); err != nil {
						return zero, &ChainError{Org: key.Org.String(), Seq: es[i].Seq, Reason: k.what + " does not replay: " + err.Error()}
					}
				}
			}
		}
		if stop {
			break
		}
		after = es[len(es)-1].Version
		page = min(2*page, lastPage)
	}
	if !begun {
		return zero, &NotFoundError{What: k.what, Key: key.ID.String() + " as of " + at.UTC().Format(time.RFC3339Nano)}
	}
	return a, nil
}
