package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/store"
)

// lockerTests check [store.Locker]: an append whose batch is built while
// the organisation's append serialisation is held. [Run] runs them against
// every driver; a driver without the ability skips them.
var lockerTests = []struct {
	name string
	fn   func(t *testing.T, d store.Driver, l store.Locker)
}{
	{"LockerBuildErrorWritesNothing", testLockerBuildError},
	{"LockerReadsSeeTheLatestState", testLockerReads},
	{"Locker64ReadThenAppendWritersAllSucceed", testLocker64},
	{"LockerRefusesAnotherOrganisation", testLockerOtherOrg},
	{"LockerAppendsLikeAppend", testLockerLikeAppend},
	{"LockerHonoursTheContext", testLockerContext},
	{"LockerBuildPanicReachesTheCaller", testLockerPanic},
	{"LockerPrefetchAnswersLikeEachRead", testLockerPrefetch},
	{"LockerChecksWhatAPrefetchAtTheKnownHeadLeftOut", testLockerPrefetchUnless},
}

func runLockerTests(t *testing.T, newDriver NewDriver) {
	for _, tc := range lockerTests {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t)
			require.NotNil(t, d, "newDriver returned nil")
			t.Cleanup(func() { _ = d.Close() })
			l, ok := d.(store.Locker)
			if !ok {
				t.Skip("the driver does not implement store.Locker (optional)")
			}
			tc.fn(t, d, l)
		})
	}
}

func newCommand() store.CommandID { return store.CommandID(uuid.New()) }

type buildFunc = func(ctx context.Context, r store.Reader) (*store.Batch, error)

// readVersion returns the stream's version as r sees it, 0 when it does not
// exist.
func readVersion(ctx context.Context, r store.Reader, key store.StreamKey) (uint64, error) {
	info, err := r.Stream(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		return 0, nil
	}
	return info.Version, err
}

type buildError struct{ n int }

func (e *buildError) Error() string { return fmt.Sprintf("the build failed (%d)", e.n) }

func testLockerBuildError(t *testing.T, d store.Driver, l store.Locker) {
	ctx := context.Background()
	org := NewOrg()
	key := NewKey(org, store.KindConsent)
	mustAppend(t, d, One(key, 0, Records(2, "b")...))
	before := readAll(t, d, org)

	// The error comes back unchanged, the very value build returned.
	want := &buildError{1}
	calls := 0
	_, err := l.AppendLocked(ctx, org, func(ctx context.Context, r store.Reader) (*store.Batch, error) {
		calls++
		if _, err := r.Stream(ctx, key); err != nil {
			return nil, err
		}
		return One(key, 2, Records(1, "never")...), want
	})
	require.Error(t, err)
	assert.Same(t, want, err, "AppendLocked returns build's error itself, not a wrapped copy")
	assert.Equal(t, 1, calls, "a build error is not retried")
	assert.Equal(t, before, readAll(t, d, org), "a failed build writes nothing, even with a batch beside its error")

	// Many failed builds among good ones (in a group commit, each fails
	// alone): every good one is written, no failed one is.
	var wg sync.WaitGroup
	errs := make([]error, 32)
	for i := range errs {
		wg.Go(func() {
			_, errs[i] = l.AppendLocked(ctx, org, func(ctx context.Context, r store.Reader) (*store.Batch, error) {
				v, err := readVersion(ctx, r, key)
				if err != nil {
					return nil, err
				}
				if i%2 == 1 {
					return One(key, v, Records(1, fmt.Sprintf("bad%d", i))...), &buildError{i}
				}
				return One(key, v, Records(1, fmt.Sprintf("good%d", i))...), nil
			})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if i%2 == 1 {
			var be *buildError
			if assert.ErrorAs(t, err, &be, "writer %d", i) {
				assert.Equal(t, i, be.n, "each writer gets its own build's error")
			}
			continue
		}
		assert.NoError(t, err, "writer %d", i)
	}
	es := readAll(t, d, org)
	assert.Len(t, es, 2+16, "the 16 good builds are written, the 16 failed ones are not")
	for _, e := range es {
		assert.NotContains(t, string(e.Data), `"bad`, "a failed build's record was written")
	}
	_, err = verify(org, es)
	assert.NoError(t, err)
	info, err := d.Stream(ctx, key)
	require.NoError(t, err)
	assert.Equal(t, uint64(18), info.Version)
}

func testLockerReads(t *testing.T, d store.Driver, l store.Locker) {
	ctx := context.Background()
	org := NewOrg()
	key := NewKey(org, store.KindElection)
	cmd := newCommand()
	first := store.Batch{Org: org, Command: cmd, PayloadHash: store.DigestOf([]byte("p")),
		Streams: []store.StreamAppend{{Stream: key, Circle: circle.CircleID(NewOrg()), Status: "open", Records: Records(3, "r")}}}
	res := mustAppend(t, d, &first)

	// What a build read; checked after AppendLocked returns (a build may run
	// on the driver's own goroutine, where a test must not stop).
	type seen struct {
		head            store.Head
		info            store.StreamInfo
		after1, limited []store.Entry
		rec             store.CommandRecord
		errs            []error // of reads that must succeed
		notFound        []error // of reads that must fail with ErrNotFound
	}
	read := func(ctx context.Context, r store.Reader) seen {
		var s seen
		var err error
		s.head, err = r.Head(ctx, org)
		s.errs = append(s.errs, err)
		s.info, err = r.Stream(ctx, key)
		s.errs = append(s.errs, err)
		s.after1, err = r.ReadStream(ctx, key, 1, 0)
		s.errs = append(s.errs, err)
		s.limited, err = r.ReadStream(ctx, key, 0, 2)
		s.errs = append(s.errs, err)
		s.rec, err = r.Command(ctx, org, cmd)
		s.errs = append(s.errs, err)
		_, err = r.Command(ctx, org, newCommand())
		s.notFound = append(s.notFound, err)
		_, err = r.Stream(ctx, NewKey(org, store.KindConsent))
		s.notFound = append(s.notFound, err)
		_, err = r.ReadStream(ctx, NewKey(org, store.KindConsent), 0, 0)
		s.notFound = append(s.notFound, err)
		return s
	}
	check := func(t *testing.T, s seen, wantVersion uint64) {
		t.Helper()
		for i, err := range s.errs {
			require.NoError(t, err, "read %d inside the build", i)
		}
		for i, err := range s.notFound {
			assert.ErrorIs(t, err, store.ErrNotFound, "read %d of something unknown inside the build", i)
		}
		es := readAll(t, d, org)
		last := es[len(es)-2] // the build's own append came after
		assert.Equal(t, store.Head{Seq: last.Seq, Hash: last.Hash}, s.head, "the head inside the build")
		assert.Equal(t, wantVersion, s.info.Version)
		assert.Equal(t, first.Streams[0].Circle, s.info.Circle)
		assert.Equal(t, "open", s.info.Status)
		require.Len(t, s.after1, int(wantVersion)-1, "ReadStream after 1")
		for i, e := range s.after1 {
			assert.Equal(t, uint64(i+2), e.Version)
		}
		assert.Len(t, s.limited, 2, "ReadStream honours limit")
		assert.Equal(t, res.First, s.rec.First)
		assert.Equal(t, res.Last, s.rec.Last)
	}

	// Other writers append between builds; each build sees every append
	// acknowledged before it started.
	version := uint64(3)
	for round := range 5 {
		var wg sync.WaitGroup
		for w := range 2 {
			wg.Go(func() {
				for {
					_, err := d.Append(ctx, One(NewKey(org, store.KindConsent), 0, Records(1, fmt.Sprintf("o%d_%d", round, w))...))
					if !errors.Is(err, store.ErrConflict) { // a driver may refuse a racing append; try again
						assert.NoError(t, err)
						return
					}
				}
			})
		}
		wg.Wait()
		mustAppend(t, d, One(key, version, Records(1, fmt.Sprintf("k%d", round))...))
		version++
		var s seen
		_, err := l.AppendLocked(ctx, org, func(ctx context.Context, r store.Reader) (*store.Batch, error) {
			s = read(ctx, r)
			return One(key, version, Records(1, fmt.Sprintf("l%d", round))...), nil
		})
		require.NoError(t, err)
		check(t, s, version)
		version++
	}
	// A build sees what the previous AppendLocked wrote.
	var es []store.Entry
	_, err := l.AppendLocked(ctx, org, func(ctx context.Context, r store.Reader) (*store.Batch, error) {
		var err error
		if es, err = r.ReadStream(ctx, key, version-1, 0); err != nil {
			return nil, err
		}
		return nil, &buildError{0}
	})
	var be *buildError
	assert.ErrorAs(t, err, &be)
	require.Len(t, es, 1)
	assert.Equal(t, `{"tag":"l4","i":0}`, string(es[0].Data))
}

func testLocker64(t *testing.T, d store.Driver, l store.Locker) {
	ctx := context.Background()
	org := NewOrg()
	key := NewKey(org, store.KindConsent)
	const n = 64
	start := make(chan struct{})
	var wg sync.WaitGroup
	errs := make([]error, n)
	results := make([]store.Result, n)
	for i := range n {
		wg.Go(func() {
			<-start
			results[i], errs[i] = l.AppendLocked(ctx, org, func(ctx context.Context, r store.Reader) (*store.Batch, error) {
				v, err := readVersion(ctx, r, key)
				if err != nil {
					return nil, err
				}
				head, err := r.Head(ctx, org)
				if err != nil {
					return nil, err
				}
				if head.Seq != v {
					return nil, fmt.Errorf("storetest: head %d and stream version %d disagree inside one build", head.Seq, v)
				}
				return One(key, v, Records(1, fmt.Sprintf("w%d", i))...), nil
			})
		})
	}
	close(start)
	wg.Wait()
	seqs := make(map[uint64]bool)
	for i, err := range errs {
		if !assert.NoError(t, err, "writer %d: read-then-append under the lock never conflicts", i) {
			continue
		}
		assert.Equal(t, results[i].First, results[i].Last)
		assert.False(t, seqs[results[i].First], "two writers got seq %d", results[i].First)
		seqs[results[i].First] = true
	}
	info, err := d.Stream(ctx, key)
	require.NoError(t, err)
	assert.Equal(t, uint64(n), info.Version, "every one of the %d writers appended", n)
	es := readAll(t, d, org)
	assert.Len(t, es, n)
	_, err = verify(org, es)
	assert.NoError(t, err)
}

func testLockerOtherOrg(t *testing.T, d store.Driver, l store.Locker) {
	ctx := context.Background()
	org, other := NewOrg(), NewOrg()
	mine := NewKey(org, store.KindConsent)
	mustAppend(t, d, One(mine, 0, Records(1, "m")...))
	theirs := NewKey(other, store.KindConsent)
	_, err := l.AppendLocked(ctx, org, func(ctx context.Context, r store.Reader) (*store.Batch, error) {
		return One(theirs, 0, Records(1, "x")...), nil
	})
	assert.ErrorIs(t, err, store.ErrInvalid, "a batch of another organisation than the one locked")
	assert.Empty(t, readAll(t, d, other), "nothing is written to the other organisation")
	assert.Len(t, readAll(t, d, org), 1, "nor to the locked one")

	_, err = l.AppendLocked(ctx, org, func(ctx context.Context, r store.Reader) (*store.Batch, error) { return nil, nil })
	assert.ErrorIs(t, err, store.ErrInvalid, "a nil batch")
	_, err = l.AppendLocked(ctx, circle.OrgID{}, func(ctx context.Context, r store.Reader) (*store.Batch, error) {
		return One(mine, 1, Records(1, "z")...), nil
	})
	assert.ErrorIs(t, err, store.ErrInvalid, "no organisation")
	assert.Len(t, readAll(t, d, org), 1)
}

func testLockerLikeAppend(t *testing.T, d store.Driver, l store.Locker) {
	ctx := context.Background()
	org := NewOrg()
	key := NewKey(org, store.KindConsent)
	constant := func(b *store.Batch) buildFunc {
		return func(context.Context, store.Reader) (*store.Batch, error) { return b, nil }
	}
	res, err := l.AppendLocked(ctx, org, constant(One(key, 0, Records(2, "a")...)))
	require.NoError(t, err)
	assert.Equal(t, store.Result{First: 1, Last: 2}, withoutHead(res))

	// Version checks, as Append does them.
	_, err = l.AppendLocked(ctx, org, constant(One(key, 1, Records(1, "stale")...)))
	var ce *store.ConflictError
	if assert.ErrorAs(t, err, &ce) {
		assert.Equal(t, uint64(1), ce.Expected)
		assert.Equal(t, uint64(2), ce.Actual)
	}
	_, err = l.AppendLocked(ctx, org, constant(One(NewKey(org, store.KindConsent), 3, Records(1, "missing")...)))
	assert.ErrorIs(t, err, store.ErrNotFound)
	_, err = l.AppendLocked(ctx, org, constant(&store.Batch{Org: org}))
	assert.ErrorIs(t, err, store.ErrInvalid, "an invalid batch")

	// Commands, as Append does them: a retry is a duplicate that writes
	// nothing, another payload under the same command is refused.
	cmd := newCommand()
	b := One(key, 2, Records(1, "c")...)
	b.Command, b.PayloadHash = cmd, store.DigestOf([]byte("one"))
	res, err = l.AppendLocked(ctx, org, constant(b))
	require.NoError(t, err)
	assert.Equal(t, store.Result{First: 3, Last: 3}, withoutHead(res))
	again := One(key, 2, Records(1, "c")...)
	again.Command, again.PayloadHash = cmd, store.DigestOf([]byte("one"))
	res, err = l.AppendLocked(ctx, org, constant(again))
	require.NoError(t, err)
	assert.Equal(t, store.Result{First: 3, Last: 3, Duplicate: true}, withoutHead(res))
	again.PayloadHash = store.DigestOf([]byte("two"))
	_, err = l.AppendLocked(ctx, org, constant(again))
	assert.ErrorIs(t, err, store.ErrCommandMismatch)

	// Redactions and the stream's circle and status.
	circ := circle.CircleID(NewOrg())
	red := &store.Batch{Org: org, Streams: []store.StreamAppend{{Stream: NewKey(org, store.KindLogbook), Circle: circ, Status: "done",
		Records: []store.Record{{Type: store.RedactionType, Data: []byte(`{}`), At: base}}}},
		Redactions: []store.Redaction{{Seq: 1, Data: []byte(`{"erased":true}`)}}}
	_, err = l.AppendLocked(ctx, org, constant(red))
	require.NoError(t, err)
	es := readAll(t, d, org)
	require.Len(t, es, 4)
	assert.True(t, es[0].Redacted)
	assert.Equal(t, `{"erased":true}`, string(es[0].Data))
	info, err := d.Stream(ctx, red.Streams[0].Stream)
	require.NoError(t, err)
	assert.Equal(t, circ, info.Circle)
	assert.Equal(t, "done", info.Status)
	for i, e := range es {
		assert.Equal(t, uint64(i+1), e.Seq)
		assert.Equal(t, time.UTC, e.At.Location())
	}
	head, err := d.Head(ctx, org)
	require.NoError(t, err)
	assert.Equal(t, store.Head{Seq: 4, Hash: es[3].Hash}, head)
	bad := &store.Batch{Org: org, Streams: []store.StreamAppend{{Stream: NewKey(org, store.KindLogbook), Records: Records(1, "r")}},
		Redactions: []store.Redaction{{Seq: 99, Data: []byte(`{}`)}}}
	_, err = l.AppendLocked(ctx, org, constant(bad))
	assert.ErrorIs(t, err, store.ErrNotFound, "a redaction of an entry that does not exist")
	assert.Len(t, readAll(t, d, org), 4)
}

func testLockerContext(t *testing.T, d store.Driver, l store.Locker) {
	org := NewOrg()
	key := NewKey(org, store.KindConsent)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := l.AppendLocked(ctx, org, func(ctx context.Context, r store.Reader) (*store.Batch, error) {
		return One(key, 0, Records(1, "c")...), nil
	})
	assert.ErrorIs(t, err, context.Canceled, "an append with a cancelled context")
	assert.Empty(t, readAll(t, d, org), "writes nothing")

	// Cancelled while the build runs: the batch it returns is not written.
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	_, err = l.AppendLocked(ctx, org, func(ctx context.Context, r store.Reader) (*store.Batch, error) {
		cancel()
		return One(key, 0, Records(1, "c")...), nil
	})
	assert.ErrorIs(t, err, context.Canceled, "a context cancelled during the build")
	assert.Empty(t, readAll(t, d, org), "writes nothing")

	// A build that reads after the context ends sees it end.
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	_, err = l.AppendLocked(ctx, org, func(ctx context.Context, r store.Reader) (*store.Batch, error) {
		cancel()
		if _, err := r.Head(ctx, org); err != nil {
			return nil, err
		}
		_, err := r.Stream(ctx, key)
		return nil, err
	})
	assert.ErrorIs(t, err, context.Canceled, "a read after the context ended")
	assert.Empty(t, readAll(t, d, org))

	// The organisation is not left locked.
	_, err = l.AppendLocked(context.Background(), org, func(ctx context.Context, r store.Reader) (*store.Batch, error) {
		return One(key, 0, Records(1, "after")...), nil
	})
	assert.NoError(t, err)
}

func testLockerPanic(t *testing.T, d store.Driver, l store.Locker) {
	ctx := context.Background()
	org := NewOrg()
	key := NewKey(org, store.KindConsent)
	for range 3 {
		var wg sync.WaitGroup
		// A panicking build among good ones, as a group commit would hold.
		errs := make([]error, 8)
		for i := range errs {
			wg.Go(func() {
				_, errs[i] = l.AppendLocked(ctx, org, func(ctx context.Context, r store.Reader) (*store.Batch, error) {
					v, err := readVersion(ctx, r, key)
					if err != nil {
						return nil, err
					}
					return One(key, v, Records(1, fmt.Sprintf("g%d", i))...), nil
				})
			})
		}
		var recovered any
		func() {
			defer func() { recovered = recover() }()
			_, _ = l.AppendLocked(ctx, org, func(ctx context.Context, r store.Reader) (*store.Batch, error) {
				panic("storetest: a build that panics")
			})
		}()
		wg.Wait()
		assert.Equal(t, "storetest: a build that panics", recovered, "the panic reaches the caller of AppendLocked")
		for i, err := range errs {
			assert.NoError(t, err, "writer %d beside a panicking build", i)
		}
	}
	info, err := d.Stream(ctx, key)
	require.NoError(t, err)
	assert.Equal(t, uint64(24), info.Version, "the panicking builds wrote nothing, the others everything")
	_, err = verify(org, readAll(t, d, org))
	assert.NoError(t, err)
}

// A build's Reader that offers [store.Prefetcher] answers several reads
// and a command at once exactly as ReadStream and Command answer each: the
// Store relies on it to learn in one go what an act needs.
func testLockerPrefetch(t *testing.T, d store.Driver, l store.Locker) {
	ctx := context.Background()
	org := NewOrg()
	a, b := NewKey(org, store.KindConsent), NewKey(org, store.KindElection)
	cmd := newCommand()
	mustAppend(t, d, &store.Batch{Org: org, Command: cmd, PayloadHash: store.DigestOf([]byte("p")),
		Streams: []store.StreamAppend{{Stream: a, Records: Records(4, "a")}}})
	mustAppend(t, d, One(b, 0, Records(2, "b")...))
	missing := NewKey(org, store.KindReview)
	reads := []store.StreamRead{{Key: a, After: 0}, {Key: b, After: 1}, {Key: missing}, {Key: a, After: 4}, {Key: a, After: 2}, {Key: b, After: 9}}

	type seen struct {
		offered              bool
		got, unknown         store.Prefetched
		err, unknownErr      error
		want                 []store.StreamReadResult
		wantErr              []error
		rec                  store.CommandRecord
		invalid, other, zero error
	}
	var s seen
	_, err := l.AppendLocked(ctx, org, func(ctx context.Context, r store.Reader) (*store.Batch, error) {
		pf, ok := r.(store.Prefetcher)
		if !ok {
			return nil, &buildError{0}
		}
		s.offered = true
		s.got, s.err = pf.Prefetch(ctx, store.Prefetch{Org: org, Streams: reads, Command: cmd})
		s.unknown, s.unknownErr = pf.Prefetch(ctx, store.Prefetch{Org: org, Command: newCommand()})
		for _, rd := range reads {
			es, err := r.ReadStream(ctx, rd.Key, rd.After, 0)
			s.want = append(s.want, store.StreamReadResult{Found: err == nil, Entries: es})
			s.wantErr = append(s.wantErr, err)
		}
		s.rec, _ = r.Command(ctx, org, cmd)
		_, s.invalid = pf.Prefetch(ctx, store.Prefetch{Org: org, Streams: []store.StreamRead{{Key: store.StreamKey{Org: org}}}})
		_, s.other = pf.Prefetch(ctx, store.Prefetch{Org: org, Streams: []store.StreamRead{{Key: NewKey(NewOrg(), store.KindConsent)}}})
		_, s.zero = pf.Prefetch(ctx, store.Prefetch{})
		return nil, &buildError{1}
	})
	var be *buildError
	require.ErrorAs(t, err, &be)
	if !s.offered {
		t.Skip("the build's Reader does not implement store.Prefetcher (optional)")
	}
	require.NoError(t, s.err)
	require.Len(t, s.got.Streams, len(reads), "one answer per read, in order")
	for i := range reads {
		if s.wantErr[i] != nil {
			require.ErrorIs(t, s.wantErr[i], store.ErrNotFound, "read %d", i)
			assert.False(t, s.got.Streams[i].Found, "read %d: a missing stream is not found", i)
			assert.Empty(t, s.got.Streams[i].Entries, "read %d", i)
			continue
		}
		assert.True(t, s.got.Streams[i].Found, "read %d", i)
		require.Len(t, s.got.Streams[i].Entries, len(s.want[i].Entries), "read %d", i)
		for j := range s.want[i].Entries {
			assert.Equal(t, s.want[i].Entries[j], s.got.Streams[i].Entries[j], "read %d, entry %d", i, j)
		}
	}
	assert.Len(t, s.got.Streams[0].Entries, 4)
	assert.Len(t, s.got.Streams[1].Entries, 1)
	assert.Len(t, s.got.Streams[4].Entries, 2)
	assert.Empty(t, s.got.Streams[3].Entries, "after the last version: found, no entries")
	assert.True(t, s.got.Streams[3].Found)
	assert.True(t, s.got.CommandFound, "the command is found")
	assert.Equal(t, s.rec, s.got.Command, "as Command reads it")
	require.NoError(t, s.unknownErr)
	assert.False(t, s.unknown.CommandFound, "an unknown command is not found")
	assert.Empty(t, s.unknown.Streams)
	assert.ErrorIs(t, s.invalid, store.ErrInvalid, "an invalid key")
	assert.ErrorIs(t, s.other, store.ErrInvalid, "a key of another organisation")
	assert.ErrorIs(t, s.zero, store.ErrInvalid, "no organisation")
}

// A Prefetch told the head the asker knows may leave the reads out (the
// head is unchanged), but the append still checks every version: a stale,
// missing or existing stream is refused as usual, with nothing written.
// Told a head that has moved, it answers the reads.
func testLockerPrefetchUnless(t *testing.T, d store.Driver, l store.Locker) {
	ctx := context.Background()
	org := NewOrg()
	key, other := NewKey(org, store.KindConsent), NewKey(org, store.KindConsent)
	_, err := l.AppendLocked(ctx, org, func(context.Context, store.Reader) (*store.Batch, error) {
		b := One(key, 0, Records(2, "a")...)
		b.Streams = append(b.Streams, store.StreamAppend{Stream: other, Records: Records(1, "b")})
		return b, nil
	})
	require.NoError(t, err)
	known, err := d.Head(ctx, org)
	require.NoError(t, err)
	build := func(b *store.Batch, unless store.Head) buildFunc {
		return func(ctx context.Context, r store.Reader) (*store.Batch, error) {
			if pf, ok := r.(store.Prefetcher); ok {
				res, err := pf.Prefetch(ctx, store.Prefetch{Org: org, Streams: []store.StreamRead{{Key: key}, {Key: other}}, Unless: &unless})
				if err != nil {
					return nil, err
				}
				if res.Unchanged {
					assert.Equal(t, known, unless, "the reads are left out only at the head asked about")
				} else {
					assert.True(t, res.Streams[0].Found && res.Streams[1].Found, "a prefetch at another head answers")
				}
			}
			return b, nil
		}
	}
	_, err = l.AppendLocked(ctx, org, build(One(key, 1, Records(1, "stale")...), known))
	var ce *store.ConflictError
	if assert.ErrorAs(t, err, &ce, "a stale version") {
		assert.Equal(t, uint64(1), ce.Expected)
		assert.Equal(t, uint64(2), ce.Actual)
	}
	_, err = l.AppendLocked(ctx, org, build(One(NewKey(org, store.KindConsent), 4, Records(1, "missing")...), known))
	assert.ErrorIs(t, err, store.ErrNotFound, "a missing stream")
	_, err = l.AppendLocked(ctx, org, build(One(other, 0, Records(1, "exists")...), known))
	assert.ErrorIs(t, err, store.ErrConflict, "a new stream that exists")
	head, err := d.Head(ctx, org)
	require.NoError(t, err)
	assert.Equal(t, known, head, "nothing was written")
	require.Len(t, readAll(t, d, org), 3)

	res, err := l.AppendLocked(ctx, org, build(One(key, 2, Records(1, "right")...), known))
	require.NoError(t, err)
	assert.Equal(t, store.Result{First: 4, Last: 4}, withoutHead(res))
	_, err = l.AppendLocked(ctx, org, build(One(other, 1, Records(1, "after")...), known))
	require.NoError(t, err, "a prefetch told a head that has moved answers, and the append goes on")
	require.Len(t, readAll(t, d, org), 5)
}
