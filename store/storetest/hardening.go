package storetest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/store"
)

// hardeningTests check what an outside probe of the first release found
// the suite missing: redactions that cross organisations, a stale head
// after concurrent appends, paging past a few hundred rows, the
// check-then-insert idempotency race, and numbers no store keeps.
var hardeningTests = []struct {
	name string
	fn   func(t *testing.T, d store.Driver)
}{
	{"RedactionStaysInItsOrganisation", testRedactionTenancy},
	{"HeadFollowsConcurrentAppends", testHeadConcurrent},
	{"ReadsOf10000RowsPageExactly", testLongReads},
	{"CommandRetriedWhileTheFirstIsHeldHasOneEffect", testCommandHeld},
	{"NumbersPast2To63AreRefusedOrEmpty", testHugeNumbers},
}

func runHardeningTests(t *testing.T, newDriver NewDriver) {
	for _, tc := range hardeningTests {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t)
			require.NotNil(t, d, "newDriver returned nil")
			t.Cleanup(func() { _ = d.Close() })
			tc.fn(t, d)
		})
	}
}

// A redaction names a sequence number of its own organisation's log; the
// same number in another organisation is another entry, never touched.
func testRedactionTenancy(t *testing.T, d store.Driver) {
	ctx := context.Background()
	orgA, orgB := NewOrg(), NewOrg()
	mustAppend(t, d, One(NewKey(orgB, store.KindConsent), 0, Records(3, "b")...))
	before := readAll(t, d, orgB)
	keyA := NewKey(orgA, store.KindConsent)
	mustAppend(t, d, One(keyA, 0, Records(1, "a")...))

	b := One(keyA, 1, Records(1, "a2")...)
	b.Redactions = []store.Redaction{{Seq: 2, Data: []byte(`{"erased":true}`)}}
	_, err := d.Append(ctx, b)
	require.ErrorIs(t, err, store.ErrNotFound, "entry 2 exists only in another organisation")
	assert.Len(t, readAll(t, d, orgA), 1, "the refused batch wrote nothing")
	assert.Equal(t, before, readAll(t, d, orgB), "the other organisation's entry 2 is untouched")

	mustAppend(t, d, One(keyA, 1, Records(2, "a3")...))
	b = One(keyA, 3, Records(1, "a4")...)
	b.Redactions = []store.Redaction{{Seq: 2, Data: []byte(`{"erased":true}`)}}
	mustAppend(t, d, b)
	a := readAll(t, d, orgA)
	require.Len(t, a, 4)
	assert.True(t, a[1].Redacted)
	assert.Equal(t, []byte(`{"erased":true}`), a[1].Data)
	assert.Equal(t, before, readAll(t, d, orgB), "a redaction in A leaves B's entry of the same number alone")
	es, err := d.ReadStream(ctx, before[1].Stream, 0, 0)
	require.NoError(t, err)
	assert.Equal(t, before[1], es[1], "and so does its stream")
}

// After an append returns, the head is at least its last entry, and once
// the writers are done it is the log's last entry. Where the driver has
// [store.Locker], one append is held open while the others queue behind
// it, so they are all in flight at once.
func testHeadConcurrent(t *testing.T, d store.Driver) {
	ctx := context.Background()
	org := NewOrg()
	const n = 24
	// One append alone first, so that the head has been read back once
	// before the writers contend (a driver that caches it would now serve
	// it stale).
	mustAppend(t, d, One(NewKey(org, store.KindConsent), 0, Records(1, "first")...))
	l, hasLocker := d.(store.Locker)
	release := make(chan struct{})
	started := make(chan struct{}, n)
	results := make(chan store.Result, n+1)
	errs := make(chan error, n+1)
	check := func(r store.Result) {
		h, err := d.Head(ctx, org)
		if err != nil {
			errs <- err
			return
		}
		if h.Seq < r.Last {
			errs <- fmt.Errorf("head %d after an append of entries %d to %d returned", h.Seq, r.First, r.Last)
		}
		results <- r
	}
	var wg sync.WaitGroup
	if hasLocker {
		entered := make(chan struct{})
		wg.Go(func() {
			once := sync.Once{}
			r, err := l.AppendLocked(ctx, org, func(ctx context.Context, rd store.Reader) (*store.Batch, error) {
				if _, err := rd.Head(ctx, org); err != nil {
					return nil, err // a read takes the serialisation where a driver takes it lazily
				}
				once.Do(func() { close(entered) })
				<-release
				return One(NewKey(org, store.KindConsent), 0, Records(1, "held")...), nil
			})
			if err != nil {
				errs <- err
				return
			}
			check(r)
		})
		<-entered
	} else {
		close(release)
	}
	for i := range n {
		b := One(NewKey(org, store.KindConsent), 0, Records(1+i%3, fmt.Sprintf("c%d", i))...)
		wg.Go(func() {
			started <- struct{}{}
			r, err := d.Append(ctx, b)
			if err != nil {
				errs <- err
				return
			}
			check(r)
		})
	}
	if hasLocker {
		for range n {
			<-started
		}
		time.Sleep(250 * time.Millisecond) // let the writers reach the driver (generous: a loaded machine is slow to schedule them)
		close(release)
	}
	wg.Wait()
	close(errs)
	close(results)
	for err := range errs {
		t.Error(err)
	}
	all := readAll(t, d, org)
	require.NotEmpty(t, all)
	last := all[len(all)-1]
	h, err := d.Head(ctx, org)
	require.NoError(t, err)
	assert.Equal(t, store.Head{Seq: last.Seq, Hash: last.Hash}, h, "the head is the last entry once the writers are done")
	total := 0
	for r := range results {
		total += int(r.Last - r.First + 1)
	}
	assert.Equal(t, len(all), 1+total, "the first entry and every acknowledged append")
}

// Reads of more than 10,000 rows, whole and in pages of every awkward size,
// return every row once, in order.
func testLongReads(t *testing.T, d store.Driver) {
	ctx := context.Background()
	org := NewOrg()
	key := NewKey(org, store.KindConsent)
	const perBatch, batches = 500, 21 // 10,500 entries
	for i := range batches {
		mustAppend(t, d, One(key, uint64(i*perBatch), Records(perBatch, fmt.Sprintf("l%d", i))...))
	}
	const total = perBatch * batches
	all := readAll(t, d, org)
	require.Len(t, all, total, "ReadLog without a limit returns every entry")
	for i, e := range all {
		if e.Seq != uint64(i+1) {
			t.Fatalf("ReadLog: entry %d has sequence number %d", i, e.Seq)
		}
	}
	stream, err := d.ReadStream(ctx, key, 0, 0)
	require.NoError(t, err)
	require.Len(t, stream, total, "ReadStream without a limit returns every entry")
	// Row by row across the first boundaries a cursor might have.
	for after := uint64(0); after < 600; after++ {
		es, err := d.ReadLog(ctx, store.LogQuery{Org: org, After: after, Limit: 1})
		if err != nil || len(es) != 1 || es[0].Seq != after+1 {
			t.Fatalf("ReadLog after %d, limit 1: %d entries, %v", after, len(es), err)
		}
	}
	for _, page := range []int{250, 251, 1000} {
		var got []store.Entry
		for after := uint64(0); ; {
			es, err := d.ReadLog(ctx, store.LogQuery{Org: org, After: after, Limit: page})
			require.NoError(t, err)
			require.LessOrEqual(t, len(es), page)
			got = append(got, es...)
			if len(es) < page {
				break
			}
			after = es[len(es)-1].Seq
		}
		require.Len(t, got, total, "ReadLog in pages of %d", page)
		for i := range got {
			if got[i].Seq != uint64(i+1) {
				t.Fatalf("ReadLog in pages of %d: entry %d has sequence number %d", page, i, got[i].Seq)
			}
		}
	}
	// A stream in pages of 256.
	const page = 256
	var got []store.Entry
	for after := uint64(0); ; {
		es, err := d.ReadStream(ctx, key, after, page)
		require.NoError(t, err)
		got = append(got, es...)
		if len(es) < page {
			break
		}
		after = es[len(es)-1].Version
	}
	require.Len(t, got, total, "ReadStream in pages of %d", page)
	for i := range got {
		if got[i].Version != uint64(i+1) {
			t.Fatalf("ReadStream in pages of %d: entry %d has version %d", page, i, got[i].Version)
		}
	}
	// Streams past a few hundred, paged by ID.
	const nStreams = 700
	b := &store.Batch{Org: org}
	for i := range nStreams {
		b.Streams = append(b.Streams, store.StreamAppend{Stream: NewKey(org, store.KindReview), Records: Records(1, fmt.Sprintf("s%d", i))})
	}
	mustAppend(t, d, b)
	whole, err := d.Streams(ctx, store.StreamQuery{Org: org, Kind: store.KindReview})
	require.NoError(t, err)
	require.Len(t, whole, nStreams)
	var paged []store.StreamInfo
	for after := (uuid.UUID{}); ; {
		ss, err := d.Streams(ctx, store.StreamQuery{Org: org, Kind: store.KindReview, After: after, Limit: 251})
		require.NoError(t, err)
		paged = append(paged, ss...)
		if len(ss) < 251 {
			break
		}
		after = ss[len(ss)-1].Key.ID
	}
	assert.Equal(t, whole, paged, "Streams in pages of 251")
}

// The idempotency race, made deterministic: the first append of a command
// is held inside the driver's serialisation ([store.Locker]) while a retry
// of the same command arrives; the retry must wait and then report the
// first one's effect, never have its own. An adapter that looks the
// command up before taking the serialisation (check, then insert) fails.
func testCommandHeld(t *testing.T, d store.Driver) {
	l, ok := d.(store.Locker)
	if !ok {
		t.Skip("holding the first append needs store.Locker (optional); ConcurrentRetriesOfOneCommandHaveOneEffect races them instead")
	}
	ctx := context.Background()
	org := NewOrg()
	mustAppend(t, d, One(NewKey(org, store.KindConsent), 0, Records(1, "before")...))
	cmd := store.CommandID(uuid.New())
	payload := store.DigestOf([]byte("held"))
	entered := make(chan struct{})
	retried := make(chan struct{})
	type outcome struct {
		r   store.Result
		err error
	}
	first, second := make(chan outcome, 1), make(chan outcome, 1)
	go func() {
		once := sync.Once{}
		r, err := l.AppendLocked(ctx, org, func(ctx context.Context, rd store.Reader) (*store.Batch, error) {
			// What the portable type does first: look the command up.
			if _, err := rd.Command(ctx, org, cmd); !errors.Is(err, store.ErrNotFound) {
				if err == nil {
					err = errors.New("storetest: the command is recorded before its first append")
				}
				return nil, err
			}
			once.Do(func() { close(entered) })
			// Hold until the retry has returned or has had 200 ms to look the
			// command up; a correct driver keeps it waiting for us.
			select {
			case <-retried:
			case <-time.After(200 * time.Millisecond):
			}
			b := One(NewKey(org, store.KindConsent), 0, Records(1, "first")...)
			b.Command, b.PayloadHash = cmd, payload
			return b, nil
		})
		first <- outcome{r, err}
	}()
	<-entered
	go func() {
		// Another stream: only the command record can stop a second effect.
		b := One(NewKey(org, store.KindConsent), 0, Records(1, "retry")...)
		b.Command, b.PayloadHash = cmd, payload
		r, err := d.Append(ctx, b)
		close(retried)
		second <- outcome{r, err}
	}()
	f, s := <-first, <-second
	require.NoError(t, f.err)
	require.NoError(t, s.err, "the retry of a command reports the first one's effect, not an error")
	assert.False(t, f.r.Duplicate)
	assert.True(t, s.r.Duplicate, "the retry arrived while the first append was held: it is the duplicate")
	assert.Equal(t, f.r.First, s.r.First)
	assert.Equal(t, f.r.Last, s.r.Last)
	assert.Len(t, readAll(t, d, org), 2, "one effect")
}

// Sequence numbers and versions past 2^63-1 are kept by no store: appends
// naming them are refused with ErrInvalid, reads after them are empty.
func testHugeNumbers(t *testing.T, d store.Driver) {
	ctx := context.Background()
	org := NewOrg()
	key := NewKey(org, store.KindConsent)
	mustAppend(t, d, One(key, 0, Records(2, "h")...))
	for _, n := range []uint64{1 << 63, math.MaxUint64} {
		es, err := d.ReadLog(ctx, store.LogQuery{Org: org, After: n})
		require.NoError(t, err, "ReadLog after %d", n)
		assert.Empty(t, es)
		es, err = d.ReadStream(ctx, key, n, 0)
		require.NoError(t, err, "ReadStream after %d", n)
		assert.Empty(t, es)
		_, err = d.Append(ctx, One(key, n, Records(1, "x")...))
		assert.ErrorIs(t, err, store.ErrInvalid, "expected version %d", n)
		b := One(key, 2, Records(1, "y")...)
		b.Redactions = []store.Redaction{{Seq: n, Data: []byte("{}")}}
		_, err = d.Append(ctx, b)
		assert.ErrorIs(t, err, store.ErrInvalid, "redaction of %d", n)
	}
	assert.Len(t, readAll(t, d, org), 2, "nothing was written")
}
