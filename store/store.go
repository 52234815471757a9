package store

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/election"
	"github.com/coproduce/sociocracy/meeting"
)

// Options configure a [Store]. A nil *Options means the defaults, which
// are meant for production: a host should not need to change them.
type Options struct {
	// Clock gives the time of each attempt of an act (see [Store.ActOrg]).
	// Default [time.Now].
	Clock func() time.Time
	// MaxAttempts and RetryFor bound how long an act keeps trying when
	// concurrent writers make its append conflict: it gives up with a
	// [*RetryError] after MaxAttempts attempts or once RetryFor has passed
	// since the first, whichever comes first. Acts of one organisation are
	// serialised inside a Store, and inside the driver when it offers
	// [Locker] (every adapter of this module does), so conflicts come only
	// from another Store over the same database using a driver without
	// Locker; giving up is for the pathological case. Defaults 64 attempts
	// and 10 s.
	MaxAttempts int
	RetryFor    time.Duration
	// Backoff is the first wait between attempts; it doubles (with jitter)
	// up to 64 times itself. Default 200µs.
	Backoff time.Duration
	// PageSize is how many log entries [Store.Verify] reads at a time.
	// Default 10,000.
	PageSize int
	// ChainKey, when set, keys the hash of every entry the Store appends
	// (an HMAC under a secret the host keeps outside the database), and
	// [Store.Verify] requires it: someone who can write to the database but
	// does not hold the key cannot forge the log. Every Store over one
	// database must use the same key. See the threat model in the package
	// documentation.
	ChainKey *ChainKey
	// CacheAggregates bounds how many replayed aggregates (organisations,
	// calendars, consent processes, elections) the Store keeps in memory
	// on each of its two sides (the aggregates acts run on, and the
	// organisations and calendars readers ask for), so that an act costs
	// the same whatever the history behind it; see the package
	// documentation for what is cached and how another process's writes are
	// seen. The memory is that of the aggregates themselves. Default 1,024;
	// negative turns the caches off (every act and read replays its
	// streams).
	CacheAggregates int
}

// WriteOptions are the options of one act. A nil *WriteOptions means none.
type WriteOptions struct {
	// Command makes the act idempotent (see [Command]).
	Command Command
	// At, when not zero, dates every attempt of the act instead of the
	// Store's clock: for recording acts that happened earlier (an import of
	// paper records) and for tests. The core refuses a time before the
	// aggregate's latest event.
	At time.Time
	// Meeting, when not zero, names the meeting of a circle the act is done
	// in, and Item the agenda item (0: none): the meeting records the act
	// in the same atomic append ([meeting.Meeting.RecordActs]), and an act
	// the meeting cannot record (it is not in session) is refused.
	Meeting meeting.MeetingID
	Item    int
}

func (w *WriteOptions) command() writing {
	if w == nil {
		return writing{}
	}
	return writing{Command: w.Command, meeting: w.Meeting, item: w.Item}
}

// Store is the portable type users call: it knows the aggregates of the
// domain packages and keeps them in any [Driver]. Each act loads the
// aggregates it needs, runs the act, and appends the events it yields
// together with everything that must change with them (the review calendar,
// a role an election filled) in one atomic append.
//
// Create a Store with [New]; the zero Store is not usable. A Store is safe
// for concurrent use. It keeps replayed aggregates in memory (see the
// package documentation, "What a Store keeps in memory"); several Stores,
// in one process or many, may share a database.
type Store struct {
	d           Driver
	locker      Locker // d, when it offers Locker
	clock       func() time.Time
	maxAttempts int
	retryFor    time.Duration
	backoff     time.Duration
	pageSize    int
	key         *ChainKey
	live        *liveCache // write side
	read        *readCache // read side
	erasures    erasures   // what the caches reflect of each organisation's erasures
	heads       knownHeads // the head each organisation's cached aggregates are current at
	locks       *orgLocks
}

// New returns a Store over d.
func New(d Driver, opts *Options) *Store {
	s := &Store{d: d, clock: time.Now, maxAttempts: 64, retryFor: 10 * time.Second,
		backoff: 200 * time.Microsecond, pageSize: 10_000, locks: newOrgLocks()}
	s.locker, _ = d.(Locker)
	size := 1024
	if opts != nil {
		if opts.Clock != nil {
			s.clock = opts.Clock
		}
		if opts.MaxAttempts > 0 {
			s.maxAttempts = opts.MaxAttempts
		}
		if opts.RetryFor > 0 {
			s.retryFor = opts.RetryFor
		}
		if opts.Backoff > 0 {
			s.backoff = opts.Backoff
		}
		if opts.PageSize > 0 {
			s.pageSize = opts.PageSize
		}
		if opts.CacheAggregates != 0 {
			size = opts.CacheAggregates
		}
		s.key = opts.ChainKey
	}
	s.live, s.read = newLiveCache(size), newReadCache(size)
	return s
}

// Driver returns the driver the Store was created with.
func (s *Store) Driver() Driver { return s.d }

// Close closes the driver.
func (s *Store) Close() error { return s.d.Close() }

// Command makes an act idempotent (through [WriteOptions]). ID names the request (a host typically
// takes it from an idempotency key the client sends); Payload is the request
// as the host received it (its body, say), compared by SHA-256 when the
// same ID comes again. A retry with the same ID and payload has one effect
// and returns the original [Receipt]; the same ID with another payload is
// refused with [ErrCommandMismatch]. The zero Command makes the act not
// idempotent.
type Command struct {
	ID      CommandID
	Payload []byte
}

func (c Command) hash() Hash {
	if c.ID.IsZero() {
		return Hash{}
	}
	return sha256.Sum256(c.Payload)
}

// Receipt tells what an act appended: the sequence numbers of its first and
// last log entries, and whether the command had already been performed (in
// which case First and Last are those of the original and nothing was
// written). An act that yields no events writes nothing and returns the zero
// Receipt. Read the entries with [Store.Entries].
type Receipt struct {
	Org         circle.OrgID
	First, Last uint64
	Duplicate   bool
}

// RetryError reports an act that kept conflicting. It matches
// [ErrRetriesExhausted] and, through Last, [ErrConflict].
type RetryError struct {
	Attempts int
	For      time.Duration // from the first attempt to giving up
	Last     error
}

// Error implements error.
func (e *RetryError) Error() string {
	return fmt.Sprintf("store: gave up after %d attempts in %s: %v", e.Attempts, e.For.Round(time.Millisecond), e.Last)
}

// Is reports whether target is [ErrRetriesExhausted].
func (e *RetryError) Is(target error) bool { return target == ErrRetriesExhausted }

// Unwrap returns the last conflict.
func (e *RetryError) Unwrap() error { return e.Last }

// errNoop is returned by a build function whose act yielded no events.
var errNoop = errors.New("store: nothing to append")

// build makes one attempt's batch from what r reads. It may be called again
// for another attempt.
type build func(ctx context.Context, r Reader) (*Batch, error)

// run performs one act of org: attempts of build and its append until one
// succeeds, a non-conflict error occurs, the attempts or their time run out
// or ctx is done. With a [Locker] driver the batch is built under the
// driver's serialisation of org; otherwise under the Store's own, with the
// append optimistic. once (Found, Seed) makes a conflict final.
func (s *Store) run(ctx context.Context, org circle.OrgID, cmd writing, once bool, b build) (Receipt, error) {
	return s.runOn(ctx, org, cmd, once, nil, b)
}

// runOn is run for an act that checks out the aggregates of keys: their
// reads are asked together with the check of erasures and the command
// (see [Prefetcher]).
func (s *Store) runOn(ctx context.Context, org circle.OrgID, cmd writing, once bool, keys []StreamKey, b build) (Receipt, error) {
	if org.IsZero() {
		return Receipt{}, invalid("act", "no organisation")
	}
	first := time.Now()
	wait := s.backoff
	for attempt := 1; ; attempt++ {
		res, err := s.attempt(ctx, org, cmd, keys, b)
		if err == nil {
			return Receipt{Org: org, First: res.First, Last: res.Last, Duplicate: res.Duplicate}, nil
		}
		if errors.Is(err, errBuild) {
			return s.refused(ctx, org, cmd.Command, err)
		}
		if !errors.Is(err, ErrConflict) {
			return Receipt{}, err
		}
		if once {
			return Receipt{}, err
		}
		if spent := time.Since(first); attempt >= s.maxAttempts || spent >= s.retryFor {
			return Receipt{}, &RetryError{Attempts: attempt, For: spent, Last: err}
		}
		// Jittered exponential backoff, so that colliding writers spread out.
		d := wait/2 + rand.N(wait)
		if wait < 64*s.backoff {
			wait *= 2
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return Receipt{}, fmt.Errorf("store: act: %w (after %d attempts: %v)", ctx.Err(), attempt, err)
		case <-t.C:
		}
	}
}

// errBuild marks an error of the build itself (an act refused, say), which
// is final even when it matches ErrConflict.
var errBuild = errors.New("store: build failed")

type buildError struct{ err error }

func (e *buildError) Error() string        { return e.err.Error() }
func (e *buildError) Unwrap() []error      { return []error{e.err, errBuild} }
func (e *buildError) Is(target error) bool { return target == errBuild }

// attempt builds and appends once.
func (s *Store) attempt(ctx context.Context, org circle.OrgID, cmd writing, keys []StreamKey, b build) (Result, error) {
	var st *actState // the last build's
	wrap := func(ctx context.Context, r Reader) (*Batch, error) {
		st = &actState{}
		r, checked, err := s.prefetch(ctx, r, org, cmd.ID, keys, st)
		if err != nil {
			return nil, &buildError{err}
		}
		if !checked {
			if err := s.begin(ctx, r, org, st); err != nil {
				return nil, &buildError{err}
			}
		}
		batch, err := b(ctx, &actReader{Reader: r, st: st})
		if err == nil {
			err = s.inMeeting(ctx, r, org, cmd, batch)
		}
		if err != nil {
			return nil, &buildError{err}
		}
		batch.Org, batch.Command, batch.PayloadHash, batch.Key = org, cmd.ID, cmd.hash(), s.key
		st.erasing = len(batch.Redactions) > 0 || len(batch.ErasedProfiles) > 0
		if s.locker != nil {
			s.built(org, st, batch)
		}
		return batch, nil
	}
	if s.locker != nil {
		res, err := s.locker.AppendLocked(ctx, org, wrap)
		if err == nil {
			s.settle(org, st, res)
		}
		return res, err
	}
	unlock, err := s.locks.lock(ctx, OrgKey(org))
	if err != nil {
		return Result{}, fmt.Errorf("store: act: %w", err)
	}
	defer unlock()
	batch, err := wrap(ctx, s.d)
	if err != nil {
		return Result{}, err
	}
	res, err := s.d.Append(ctx, batch)
	if err == nil {
		s.settle(org, st, res)
	}
	return res, err
}

// refused handles an act whose build failed. A retried command meets the
// state its first run left: its act may now be refused (the person exists
// already) or yield nothing. Only then is the command looked up; when the
// act succeeds, Append itself tells a duplicate.
func (s *Store) refused(ctx context.Context, org circle.OrgID, cmd Command, err error) (Receipt, error) {
	var be *buildError
	if errors.As(err, &be) {
		err = be.err
	}
	if r, ok, cerr := s.performed(ctx, org, cmd); cerr != nil || ok {
		return r, cerr
	}
	if errors.Is(err, errNoop) {
		return Receipt{}, nil
	}
	return Receipt{}, err
}

// performed returns the receipt of a command already performed.
func (s *Store) performed(ctx context.Context, org circle.OrgID, cmd Command) (Receipt, bool, error) {
	if cmd.ID.IsZero() {
		return Receipt{}, false, nil
	}
	rec, err := s.d.Command(ctx, org, cmd.ID)
	if errors.Is(err, ErrNotFound) {
		return Receipt{}, false, nil
	}
	if err != nil {
		return Receipt{}, false, err
	}
	if rec.PayloadHash != cmd.hash() {
		return Receipt{}, false, &CommandError{Command: cmd.ID, Stored: rec.PayloadHash, Given: cmd.hash()}
	}
	return Receipt{Org: org, First: rec.First, Last: rec.Last, Duplicate: true}, true, nil
}

// Entries returns the log entries of a receipt, nominations withheld as
// [Store.Log] says.
func (s *Store) Entries(ctx context.Context, r Receipt) ([]Entry, error) {
	if r.First == 0 {
		return []Entry{}, nil
	}
	es, err := s.d.ReadLog(ctx, LogQuery{Org: r.Org, After: r.First - 1, Limit: int(r.Last - r.First + 1)})
	if err != nil {
		return nil, err
	}
	return es, s.withhold(ctx, es)
}

// Log returns the entries of q.Org's logbook that match q (a circle, a
// time range, paging), in order. Times in q are normalised to UTC
// microseconds first.
//
// Nominations stay hidden until their election reveals them, as the
// selection process requires: an election's nomination read before its
// reveal comes with [Entry.Withheld] set and a body that names who
// nominated and when but not whom or why ([election.RedactStored]).
func (s *Store) Log(ctx context.Context, q LogQuery) ([]Entry, error) {
	if q.Org.IsZero() {
		return nil, invalid("read log", "no organisation")
	}
	if !q.Since.IsZero() {
		q.Since = ceilMicro(q.Since)
	}
	if !q.Until.IsZero() {
		q.Until = ceilMicro(q.Until)
	}
	es, err := s.d.ReadLog(ctx, q)
	if err != nil {
		return nil, err
	}
	return es, s.withhold(ctx, es)
}

// withhold redacts, in place, the nominations among es whose election had
// not revealed them when es were read.
func (s *Store) withhold(ctx context.Context, es []Entry) error {
	var revealed map[StreamKey]uint64 // an election's reveal version; 0: none yet
	for i := range es {
		e := &es[i]
		if e.Stream.Kind != KindElection || !election.WithheldType(e.Type) {
			continue
		}
		if revealed == nil {
			revealed = make(map[StreamKey]uint64)
		}
		rv, ok := revealed[e.Stream]
		if !ok {
			stream, err := s.d.ReadStream(ctx, e.Stream, e.Version, 0)
			if err != nil {
				return err
			}
			for _, later := range stream {
				if election.RevealsType(later.Type) {
					rv = later.Version
					break
				}
			}
			revealed[e.Stream] = rv
		}
		if rv > e.Version {
			continue
		}
		body, err := election.RedactStored(e.Type, e.Data)
		if err != nil {
			return &ChainError{Org: e.Org.String(), Seq: e.Seq, Reason: "undecodable " + e.Type + " event: " + err.Error()}
		}
		e.Data, e.Withheld = body, true
	}
	return nil
}

// ceilMicro rounds t up to the next microsecond, so that "at >= t" and
// "at < t" keep their meaning at microsecond precision.
func ceilMicro(t time.Time) time.Time {
	n := circle.Normalize(t)
	if n.Before(t) {
		n = n.Add(time.Microsecond)
	}
	return n
}

// Head returns the head of org's logbook (sequence number and hash of its
// last entry): the value to anchor elsewhere.
func (s *Store) Head(ctx context.Context, org circle.OrgID) (Head, error) {
	return s.d.Head(ctx, org)
}

// Verify walks org's whole logbook with a [Verifier] and returns its head.
// It fails with a [*ChainError] (matching [ErrCorrupt]) naming the first
// bad entry. Besides every entry's hash and every erasure's record, it
// checks the log against the driver's own head, so a deleted or replaced
// tail fails too; with [Options.ChainKey] set, every entry must carry its
// keyed hash (for an organisation whose history began before the key, call
// [VerifyLog] with [VerifyOptions.KeyedFrom]). The package documentation's
// threat model says what each level detects.
func (s *Store) Verify(ctx context.Context, org circle.OrgID) (Head, error) {
	return VerifyLog(ctx, s.d, org, &VerifyOptions{Key: s.key, PageSize: s.pageSize})
}

// VerifyAnchor verifies org's logbook as [Store.Verify] does and checks
// that it still contains the anchored head, a head taken earlier and kept
// outside the database: an entry with anchor.Seq whose hash is anchor.Hash.
// A log rewritten or cut back since the anchor was taken fails with a
// [*ChainError].
func (s *Store) VerifyAnchor(ctx context.Context, org circle.OrgID, anchor Head) (Head, error) {
	return VerifyLog(ctx, s.d, org, &VerifyOptions{Key: s.key, Anchor: anchor, PageSize: s.pageSize})
}
