package store

import (
	"context"
	"fmt"
	"reflect"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/election"
	"github.com/coproduce/sociocracy/review"
)

// kind is what the Store knows of one kind of aggregate: how its events are
// stored, replayed and applied. The Store treats every aggregate alike
// through it.
type kind[A aggregate, E any] struct {
	kind Kind
	what string // for messages: "organisation", "consent process", ...
	// decode reads a stored event: the fast decoder, since the hash chain
	// vouches for what the Store wrote (strict decoding is for outside
	// input).
	decode  func(typ string, data []byte) (E, error)
	marshal func(E) (string, []byte, error)
	replay  func([]E) (A, error)
	apply   func(A, E) error
	take    func(A) []E
	// meta gives the circle an event of the aggregate concerns (for
	// per-circle logbook queries) and its time.
	meta func(A, E) (circle.CircleID, time.Time)
}

var orgKind = &kind[*circle.Organisation, circle.Event]{
	kind: KindOrganisation, what: "organisation",
	decode: circle.UnmarshalStoredEvent, marshal: circle.MarshalEvent, replay: circle.Replay,
	apply: (*circle.Organisation).Apply, take: (*circle.Organisation).Take,
	meta: func(_ *circle.Organisation, e circle.Event) (circle.CircleID, time.Time) {
		return circleOf(e), e.EventHeader().At
	},
}

var calendarKind = &kind[*review.Calendar, review.Event]{
	kind: KindReview, what: "review calendar",
	decode: review.UnmarshalStoredEvent, marshal: review.MarshalEvent, replay: review.Replay,
	apply: (*review.Calendar).Apply, take: (*review.Calendar).Take,
	meta: func(_ *review.Calendar, e review.Event) (circle.CircleID, time.Time) {
		var c circle.CircleID
		if s, ok := e.(review.ItemScheduled); ok {
			c = s.Circle
		}
		return c, e.EventHeader().At
	},
}

var processKind = &kind[*consent.Process, consent.Event]{
	kind: KindConsent, what: "consent process",
	decode: consent.UnmarshalStoredEvent, marshal: consent.MarshalEvent, replay: consent.Replay,
	apply: (*consent.Process).Apply, take: (*consent.Process).Take,
	meta: func(_ *consent.Process, e consent.Event) (circle.CircleID, time.Time) {
		h := e.EventHeader()
		return h.Circle, h.At
	},
}

var electionKind = &kind[*election.Election, election.Event]{
	kind: KindElection, what: "election",
	decode: election.UnmarshalStoredEvent, marshal: election.MarshalEvent, replay: election.Replay,
	apply: (*election.Election).Apply, take: (*election.Election).Take,
	// An election's events are all about its circle.
	meta: func(el *election.Election, e election.Event) (circle.CircleID, time.Time) {
		return el.Circle(), e.EventHeader().At
	},
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

// held is an aggregate an act has checked out of the write cache (or
// replayed), typed.
type held[A aggregate, E any] struct {
	k   *kind[A, E]
	key StreamKey
	l   *liveAgg
	agg A
	st  *actState // the attempt that checked it out (nil: none known)
}

// checkout returns the aggregate of key at the stream's current version as
// r sees it: the cached one brought up to date, or a replay of the whole
// stream. Nobody else sees it until [held.checkin].
func checkout[A aggregate, E any](ctx context.Context, s *Store, r Reader, k *kind[A, E], key StreamKey) (*held[A, E], error) {
	st := stateOf(r)
	if l := s.live.take(key); l != nil {
		ok := st.trusts(key, l) // current at the head the act saw
		if !ok {
			var err error
			if ok, err = refresh(ctx, r, k, key, l); err != nil {
				return nil, err
			}
		}
		if ok {
			h := &held[A, E]{k: k, key: key, l: l, agg: l.agg.(A), st: st}
			k.take(h.agg) // forget what anyone did to it before
			return h, nil
		}
	}
	l, err := replayStream(ctx, r, k, key)
	if err != nil {
		return nil, err
	}
	h := &held[A, E]{k: k, key: key, l: l, agg: l.agg.(A), st: st}
	k.take(h.agg) // start recording
	return h, nil
}

// refresh brings l up to date with the entries of key after its version.
// It reports false when the cached version is no longer the stream's (the
// entry it ended at was rolled back or rewritten): then l must be replayed.
func refresh[A aggregate, E any](ctx context.Context, r Reader, k *kind[A, E], key StreamKey, l *liveAgg) (bool, error) {
	es, err := r.ReadStream(ctx, key, l.version-1, 0)
	if err != nil {
		if isNotFound(err) {
			return false, nil
		}
		return false, err
	}
	if len(es) == 0 || es[0].Version != l.version || es[0].Digest != l.digest {
		return false, nil
	}
	a := l.agg.(A)
	for i := range es[1:] {
		e := &es[1+i]
		ev, err := k.decode(e.Type, e.Data)
		if err != nil {
			return false, undecodable(key, e, err)
		}
		if err := k.apply(a, ev); err != nil {
			return false, &ChainError{Org: key.Org.String(), Seq: e.Seq, Reason: k.what + " does not replay: " + err.Error()}
		}
		l.version, l.digest, l.at = e.Version, e.Digest, e.At
	}
	return true, nil
}

// replayStream reads the whole stream of key and replays it.
func replayStream[A aggregate, E any](ctx context.Context, r Reader, k *kind[A, E], key StreamKey) (*liveAgg, error) {
	es, err := r.ReadStream(ctx, key, 0, 0)
	if err != nil {
		return nil, notFound(k.what, err)
	}
	evs := make([]E, len(es))
	for i := range es {
		ev, err := k.decode(es[i].Type, es[i].Data)
		if err != nil {
			return nil, undecodable(key, &es[i], err)
		}
		evs[i] = ev
	}
	a, err := k.replay(evs)
	if err != nil {
		return nil, &ChainError{Org: key.Org.String(), Reason: k.what + " does not replay: " + err.Error()}
	}
	l := &liveAgg{agg: a}
	if n := len(es); n > 0 {
		l.version, l.digest, l.at = es[n-1].Version, es[n-1].Digest, es[n-1].At
	}
	return l, nil
}

func undecodable(key StreamKey, e *Entry, err error) error {
	return &ChainError{Org: key.Org.String(), Seq: e.Seq, Reason: "undecodable " + e.Type + " event: " + err.Error()}
}

// records turns the events of an act into the records of one stream append,
// noting in h where the aggregate will stand once they are written.
func (h *held[A, E]) records(evs []E) ([]Record, error) {
	out := make([]Record, len(evs))
	for i, e := range evs {
		typ, data, err := h.k.marshal(e)
		if err != nil {
			return nil, err
		}
		c, at := h.k.meta(h.agg, e)
		out[i] = Record{Type: typ, Data: data, Circle: c, At: at}
	}
	return out, nil
}

// append adds the records of evs to b as one stream append, expecting the
// version h was checked out at, and moves h to the version the append will
// give it.
func (h *held[A, E]) append(b *Batch, evs []E, sa StreamAppend) error {
	recs, err := h.records(evs)
	if err != nil {
		return err
	}
	sa.Stream, sa.Expected, sa.Records = h.key, h.l.version, recs
	b.Streams = append(b.Streams, sa)
	last := recs[len(recs)-1]
	h.l.version += uint64(len(recs))
	h.l.digest, h.l.at = DigestOf(last.Data), circle.Normalize(last.At)
	return nil
}

// checkin puts h back in the write cache, at the version its last append
// (if any) will give it. When that append does not commit, the next
// checkout finds the stream short of that version and replays it.
func (h *held[A, E]) checkin(s *Store) {
	if h.agg.Version() != h.l.version {
		// An act changed the aggregate beyond what was appended: never
		// keep such a copy.
		return
	}
	s.live.put(h.key, h.l)
	if h.st != nil {
		h.st.held = append(h.st.held, heldRef{h.key, h.l, h.l.version})
	}
}

// yielded checks that evs, which a host's function returned, are exactly the
// events its acts yielded on the aggregate it was handed, and returns them.
func (h *held[A, E]) yielded(act string, evs []E) error {
	got := h.k.take(h.agg)
	if len(got) == len(evs) {
		same := true
		for i := range got {
			if !reflect.DeepEqual(any(got[i]), any(evs[i])) {
				same = false
				break
			}
		}
		if same {
			return nil
		}
	}
	return &ActError{Act: act, What: h.k.what, Returned: len(evs), Yielded: len(got), Reason: foreignReason(len(evs), len(got))}
}

// untouched checks that a host's function did not act on an aggregate it was
// handed to read.
func (h *held[A, E]) untouched(act string) error {
	if got := h.k.take(h.agg); len(got) > 0 {
		return &ActError{Act: act, What: h.k.what, Yielded: len(got), ReadOnly: true,
			Reason: fmt.Sprintf("the %s is handed over to read: an act on it yielded %d events; act on it with its own call", h.k.what, len(got))}
	}
	return nil
}

func foreignReason(returned, yielded int) string {
	switch {
	case returned == yielded:
		return "the events returned are not those its acts yielded on the aggregate it was handed; return exactly the events of the acts performed on it"
	case returned > yielded:
		return fmt.Sprintf("it returned %d events but its acts on the aggregate it was handed yielded %d; return only the events of acts performed on it", returned, yielded)
	default:
		return fmt.Sprintf("it returned %d events but its acts on the aggregate it was handed yielded %d; return every event of every act performed on it", returned, yielded)
	}
}
