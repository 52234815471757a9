package store

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/coproduce/sociocracy/circle"
)

// Options configure a [Store]. A nil *Options means the defaults.
type Options struct {
	// MaxAttempts bounds how many times an act is tried when concurrent
	// writers make its append conflict. Default 12.
	MaxAttempts int
	// Backoff is the first wait between attempts; it doubles (with jitter)
	// up to 64 times itself. Default 200µs.
	Backoff time.Duration
	// PageSize is how many log entries [Store.Verify] reads at a time.
	// Default 10,000.
	PageSize int
	// CacheStreams is how many streams' decoded events the Store keeps in
	// memory, so that loading an aggregate reads and decodes only the
	// events appended since (the stream stays the truth: every load asks
	// the driver for newer entries). Default 1,024; negative turns the
	// cache off. A Store clears a stream from its cache when it erases
	// text in it; another process's erasure is seen once the stream leaves
	// the cache, so hosts that erase text from several processes should
	// turn the cache off.
	CacheStreams int
}

// Store is the portable type users call: it knows the aggregates of the
// domain packages and keeps them in any [Driver]. Each act loads the
// aggregates it needs from their streams, runs the act, and appends the
// events it yields together with everything that must change with them (the
// review calendar, a role an election filled) in one atomic append. When a
// concurrent writer got there first it reloads and tries again, a bounded
// number of times, honouring ctx.
//
// Create a Store with [New]; the zero Store is not usable. A Store is safe
// for concurrent use; it keeps no state of its own beyond its options.
type Store struct {
	d           Driver
	maxAttempts int
	backoff     time.Duration
	pageSize    int
	cache       *streamCache
}

// New returns a Store over d.
func New(d Driver, opts *Options) *Store {
	s := &Store{d: d, maxAttempts: 12, backoff: 200 * time.Microsecond, pageSize: 10_000}
	size := 1024
	if opts != nil && opts.CacheStreams != 0 {
		size = opts.CacheStreams
	}
	s.cache = newStreamCache(size)
	if opts != nil {
		if opts.MaxAttempts > 0 {
			s.maxAttempts = opts.MaxAttempts
		}
		if opts.Backoff > 0 {
			s.backoff = opts.Backoff
		}
		if opts.PageSize > 0 {
			s.pageSize = opts.PageSize
		}
	}
	return s
}

// Driver returns the driver the Store was created with.
func (s *Store) Driver() Driver { return s.d }

// Close closes the driver.
func (s *Store) Close() error { return s.d.Close() }

// Command makes an act idempotent. ID names the request (a host typically
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
	Last     error
}

// Error implements error.
func (e *RetryError) Error() string {
	return fmt.Sprintf("store: gave up after %d attempts: %v", e.Attempts, e.Last)
}

// Is reports whether target is [ErrRetriesExhausted].
func (e *RetryError) Is(target error) bool { return target == ErrRetriesExhausted }

// Unwrap returns the last conflict.
func (e *RetryError) Unwrap() error { return e.Last }

// errNoop is returned by a build function whose act yielded no events.
var errNoop = errors.New("store: nothing to append")

// run performs one act: the idempotency check, then attempts of build and
// Append until one succeeds, a non-conflict error occurs, the attempts run
// out or ctx is done. build loads fresh state on every call.
func (s *Store) run(ctx context.Context, org circle.OrgID, cmd Command, attempts int, build func(ctx context.Context) (*Batch, error)) (Receipt, error) {
	if org.IsZero() {
		return Receipt{}, invalid("act", "no organisation")
	}
	if attempts <= 0 {
		attempts = s.maxAttempts
	}
	wait := s.backoff
	for attempt := 1; ; attempt++ {
		b, err := build(ctx)
		if err != nil {
			// A retried command meets the state its first run left: its
			// act may now be refused (the person exists already) or yield
			// nothing. Only then is the command looked up; when the act
			// succeeds, Append itself tells a duplicate.
			if r, ok, cerr := s.performed(ctx, org, cmd); cerr != nil || ok {
				return r, cerr
			}
			if errors.Is(err, errNoop) {
				return Receipt{}, nil
			}
			return Receipt{}, err
		}
		b.Org, b.Command, b.PayloadHash = org, cmd.ID, cmd.hash()
		res, err := s.d.Append(ctx, b)
		if err == nil {
			return Receipt{Org: org, First: res.First, Last: res.Last, Duplicate: res.Duplicate}, nil
		}
		if !errors.Is(err, ErrConflict) {
			return Receipt{}, err
		}
		if attempt >= attempts {
			if attempts == 1 {
				return Receipt{}, err
			}
			return Receipt{}, &RetryError{Attempts: attempt, Last: err}
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

// Entries returns the log entries of a receipt.
func (s *Store) Entries(ctx context.Context, r Receipt) ([]Entry, error) {
	if r.First == 0 {
		return []Entry{}, nil
	}
	return s.d.ReadLog(ctx, LogQuery{Org: r.Org, After: r.First - 1, Limit: int(r.Last - r.First + 1)})
}

// Log returns the entries of q.Org's logbook that match q (a circle, a
// time range, paging), in order. Times in q are normalised to UTC
// microseconds first.
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
	return s.d.ReadLog(ctx, q)
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
// bad entry. To detect a truncated log, compare the head with one anchored
// earlier: its Seq must not be smaller, and [Store.VerifyAnchor] checks that
// the anchored entry is still there unchanged.
func (s *Store) Verify(ctx context.Context, org circle.OrgID) (Head, error) {
	if org.IsZero() {
		return Head{}, invalid("verify", "no organisation")
	}
	v := NewVerifier(org)
	var after uint64
	for {
		page, err := s.d.ReadLog(ctx, LogQuery{Org: org, After: after, Limit: s.pageSize})
		if err != nil {
			return Head{}, err
		}
		for i := range page {
			if err := v.Add(&page[i]); err != nil {
				return Head{}, err
			}
		}
		if len(page) < s.pageSize {
			return v.Finish()
		}
		after = page[len(page)-1].Seq
	}
}

// VerifyAnchor verifies org's logbook and checks that it still contains
// the anchored head: an entry with anchor.Seq whose hash is anchor.Hash.
// A log rewritten or cut back since the anchor was taken fails with a
// [*ChainError].
func (s *Store) VerifyAnchor(ctx context.Context, org circle.OrgID, anchor Head) (Head, error) {
	h, err := s.Verify(ctx, org)
	if err != nil || anchor.Seq == 0 {
		return h, err
	}
	if h.Seq < anchor.Seq {
		return Head{}, &ChainError{Org: org.String(), Seq: h.Seq + 1, Reason: "missing: the log ends before the anchored head " + utoa(anchor.Seq)}
	}
	es, err := s.d.ReadLog(ctx, LogQuery{Org: org, After: anchor.Seq - 1, Limit: 1})
	if err != nil {
		return Head{}, err
	}
	if len(es) != 1 || es[0].Hash != anchor.Hash {
		return Head{}, &ChainError{Org: org.String(), Seq: anchor.Seq, Reason: "differs from the anchored head (the log was rewritten)"}
	}
	return h, nil
}
