package store_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/memstore"
)

var t0 = time.Date(2026, 3, 2, 18, 0, 0, 0, time.UTC)

func batch(org circle.OrgID, key store.StreamKey, expected uint64, n int) *store.Batch {
	b := &store.Batch{Org: org, Streams: []store.StreamAppend{{Stream: key, Expected: expected}}}
	for i := range n {
		b.Streams[0].Records = append(b.Streams[0].Records, store.Record{
			Type: "test.e", Data: []byte(fmt.Sprintf(`{"i":%d}`, i)), At: t0.Add(time.Duration(i) * time.Nanosecond * 1500),
		})
	}
	return b
}

func TestSealNumbersAndChains(t *testing.T) {
	org := circle.OrgID(uuid.New())
	key := store.StreamKey{Org: org, Kind: store.KindConsent, ID: uuid.New()}
	head := store.Head{Seq: 41, Hash: store.DigestOf([]byte("previous"))}
	es, err := batch(org, key, 7, 3).Seal(head)
	require.NoError(t, err)
	require.Len(t, es, 3)
	prev := head.Hash
	for i, e := range es {
		assert.Equal(t, uint64(42+i), e.Seq, "sequence numbers follow the head")
		assert.Equal(t, uint64(8+i), e.Version, "versions follow the expected version")
		assert.Equal(t, time.UTC, e.At.Location())
		assert.Zero(t, e.At.Nanosecond()%1000, "times are cut to microseconds")
		assert.Equal(t, store.DigestOf(e.Data), e.Digest)
		assert.Equal(t, e.ComputeHash(prev), e.Hash, "each hash covers the previous one")
		prev = e.Hash
	}
	again, err := batch(org, key, 7, 3).Seal(head)
	require.NoError(t, err)
	assert.Equal(t, es, again, "Seal is deterministic")
	other, err := batch(org, key, 7, 3).Seal(store.Head{Seq: 41})
	require.NoError(t, err)
	assert.NotEqual(t, es[0].Hash, other[0].Hash, "a different previous hash changes every hash")
}

// Property: the hash covers every field but the body, the redaction flag
// and the hash itself; changing any covered field changes it, changing the
// body does not (the digest stands for it).
func TestHashCoversTheCanonicalFields(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		org := circle.OrgID(uuid.New())
		e := store.Entry{
			Org: org, Seq: rapid.Uint64Range(1, 1<<40).Draw(t, "seq"),
			Stream:  store.StreamKey{Org: org, Kind: store.Kind(rapid.StringMatching(`[a-z_]{1,32}`).Draw(t, "kind")), ID: uuid.New()},
			Version: rapid.Uint64Range(1, 1<<40).Draw(t, "version"),
			Type:    rapid.StringN(1, 20, 128).Draw(t, "type"),
			At:      time.UnixMicro(rapid.Int64Range(-1<<50, 1<<50).Draw(t, "at")).UTC(),
			Data:    rapid.SliceOf(rapid.Byte()).Draw(t, "data"),
		}
		e.Digest = store.DigestOf(e.Data)
		prev := store.DigestOf([]byte("p"))
		h := e.ComputeHash(prev)
		mutations := map[string]func(x *store.Entry){
			"seq":     func(x *store.Entry) { x.Seq++ },
			"version": func(x *store.Entry) { x.Version++ },
			"type":    func(x *store.Entry) { x.Type += "x" },
			"kind":    func(x *store.Entry) { x.Stream.Kind += "x" },
			"stream":  func(x *store.Entry) { x.Stream.ID[0] ^= 1 },
			"org":     func(x *store.Entry) { x.Org[15] ^= 1 },
			"circle":  func(x *store.Entry) { x.Circle[3] ^= 1 },
			"command": func(x *store.Entry) { x.Command[7] ^= 1 },
			"at":      func(x *store.Entry) { x.At = x.At.Add(time.Microsecond) },
			"digest":  func(x *store.Entry) { x.Digest[31] ^= 1 },
		}
		for name, m := range mutations {
			x := e
			m(&x)
			if x.ComputeHash(prev) == h {
				t.Fatalf("changing %s leaves the hash unchanged", name)
			}
		}
		x := e
		x.Data, x.Redacted = []byte("[erased]"), true
		if x.ComputeHash(prev) != h {
			t.Fatalf("the body and the redaction flag must not be hashed")
		}
		if e.ComputeHash(store.Hash{}) == h {
			t.Fatalf("the previous hash must be covered")
		}
	})
}

// Type names with kind/type boundaries moved must not collide: the
// canonical form length-prefixes strings.
func TestCanonicalFormIsUnambiguous(t *testing.T) {
	org := circle.OrgID(uuid.New())
	a := store.Entry{Org: org, Seq: 1, Stream: store.StreamKey{Org: org, Kind: "ab", ID: uuid.New()}, Version: 1, Type: "c"}
	b := a
	b.Stream.Kind, b.Type = "a", "bc"
	assert.NotEqual(t, a.ComputeHash(store.Hash{}), b.ComputeHash(store.Hash{}))
}

func TestValidateRefusesMalformedBatches(t *testing.T) {
	org := circle.OrgID(uuid.New())
	key := store.StreamKey{Org: org, Kind: store.KindConsent, ID: uuid.New()}
	ok := []store.Record{{Type: "t", At: t0}}
	cases := map[string]*store.Batch{
		"status too long":        {Org: org, Streams: []store.StreamAppend{{Stream: key, Status: strings.Repeat("s", 33), Records: ok}}},
		"type too long":          {Org: org, Streams: []store.StreamAppend{{Stream: key, Records: []store.Record{{Type: strings.Repeat("t", 129), At: t0}}}}},
		"type not utf-8":         {Org: org, Streams: []store.StreamAppend{{Stream: key, Records: []store.Record{{Type: "\xff", At: t0}}}}},
		"kind too long":          {Org: org, Streams: []store.StreamAppend{{Stream: store.StreamKey{Org: org, Kind: store.Kind(strings.Repeat("k", 33)), ID: uuid.New()}, Records: ok}}},
		"kind with a digit":      {Org: org, Streams: []store.StreamAppend{{Stream: store.StreamKey{Org: org, Kind: "k1", ID: uuid.New()}, Records: ok}}},
		"redaction twice":        {Org: org, Streams: []store.StreamAppend{{Stream: key, Records: ok}}, Redactions: []store.Redaction{{Seq: 1}, {Seq: 1}}},
		"stream of another org":  {Org: circle.OrgID(uuid.New()), Streams: []store.StreamAppend{{Stream: key, Records: ok}}},
		"status with a newline":  {Org: org, Streams: []store.StreamAppend{{Stream: key, Status: "a\nb", Records: ok}}},
		"type with a DEL":        {Org: org, Streams: []store.StreamAppend{{Stream: key, Records: []store.Record{{Type: "a\x7f", At: t0}}}}},
		"no streams, redactions": {Org: org, Redactions: []store.Redaction{{Seq: 1}}},
	}
	for name, b := range cases {
		err := b.Validate()
		assert.ErrorIs(t, err, store.ErrInvalid, name)
		_, err = b.Seal(store.Head{})
		assert.ErrorIs(t, err, store.ErrInvalid, "%s: Seal validates too", name)
	}
	assert.NoError(t, (&store.Batch{Org: org, Streams: []store.StreamAppend{{Stream: key, Status: strings.Repeat("s", 32), Records: ok}}}).Validate())
}

func TestHashText(t *testing.T) {
	h := store.DigestOf([]byte("x"))
	txt, err := h.MarshalText()
	require.NoError(t, err)
	var back store.Hash
	require.NoError(t, back.UnmarshalText(txt))
	assert.Equal(t, h, back)
	for _, bad := range []string{"", "00", strings.ToUpper(h.String()), h.String() + "0", strings.Repeat("g", 64)} {
		_, err := store.ParseHash(bad)
		assert.ErrorIs(t, err, store.ErrInvalid, "%q", bad)
	}
	assert.True(t, store.Hash{}.IsZero())
}

func FuzzParseHash(f *testing.F) {
	f.Add(store.DigestOf(nil).String())
	f.Add("")
	f.Add(strings.Repeat("A", 64))
	f.Add(strings.Repeat("0", 63) + "\x00")
	f.Fuzz(func(t *testing.T, s string) {
		h, err := store.ParseHash(s)
		if err != nil {
			return
		}
		if h.String() != s {
			t.Fatalf("%q parsed but prints as %q", s, h)
		}
	})
}

// chain builds n entries of one organisation across a few streams.
func chain(tb testing.TB, org circle.OrgID, n int) []store.Entry {
	tb.Helper()
	keys := []store.StreamKey{
		{Org: org, Kind: store.KindOrganisation, ID: org.UUID()},
		{Org: org, Kind: store.KindConsent, ID: uuid.New()},
		{Org: org, Kind: store.KindReview, ID: org.UUID()},
	}
	versions := make([]uint64, len(keys))
	out := make([]store.Entry, 0, n)
	body := []byte(`{"org":"00000000-0000-0000-0000-000000000000","actor":"00000000-0000-0000-0000-000000000000","at":"2026-03-02T18:00:00Z","circle":"x"}`)
	var head store.Head
	for len(out) < n {
		k := len(out) % len(keys)
		size := min(100, n-len(out))
		b := &store.Batch{Org: org, Streams: []store.StreamAppend{{Stream: keys[k], Expected: versions[k]}}}
		for range size {
			b.Streams[0].Records = append(b.Streams[0].Records, store.Record{Type: "circle.member_added", Data: body, At: t0})
		}
		es, err := b.Seal(head)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, es...)
		versions[k] += uint64(size)
		head = store.Head{Seq: es[len(es)-1].Seq, Hash: es[len(es)-1].Hash}
	}
	return out
}

func TestVerifierNamesTheFirstBadEntry(t *testing.T) {
	org := circle.OrgID(uuid.New())
	es := chain(t, org, 500)
	v := store.NewVerifier(org)
	for i := range es {
		require.NoError(t, v.Add(&es[i]))
	}
	h, err := v.Finish()
	require.NoError(t, err)
	assert.Equal(t, es[499].Hash, h.Hash)

	es[250].Data = []byte(`{}`)
	v = store.NewVerifier(org)
	var first error
	for i := range es {
		if err := v.Add(&es[i]); err != nil && first == nil {
			first = err
		}
	}
	var ce *store.ChainError
	require.ErrorAs(t, first, &ce)
	assert.Equal(t, uint64(251), ce.Seq)
	_, err = v.Finish()
	assert.Equal(t, first, err, "the first failure sticks")
}

// BenchmarkVerify walks a log of 1,000,000 entries (target: under 2 s).
// "chain" feeds the Verifier directly; "memstore" goes through
// Store.Verify, paging the log out of the memory adapter.
func BenchmarkVerify(b *testing.B) {
	org := circle.OrgID(uuid.New())
	es := chain(b, org, 1_000_000)
	b.Run("chain-1M", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			v := store.NewVerifier(org)
			for i := range es {
				if err := v.Add(&es[i]); err != nil {
					b.Fatal(err)
				}
			}
			if _, err := v.Finish(); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(es))/(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e9), "entries/s")
	})
	b.Run("memstore-1M", func(b *testing.B) {
		d := memstore.New()
		ctx := context.Background()
		// Load the same entries through appends of 100.
		keys := map[store.StreamKey]uint64{}
		for i := 0; i < len(es); i += 100 {
			part := es[i:min(i+100, len(es))]
			k := part[0].Stream
			bt := &store.Batch{Org: org, Streams: []store.StreamAppend{{Stream: k, Expected: keys[k]}}}
			for _, e := range part {
				bt.Streams[0].Records = append(bt.Streams[0].Records, store.Record{Type: e.Type, Data: e.Data, At: e.At})
			}
			if _, err := d.Append(ctx, bt); err != nil {
				b.Fatal(err)
			}
			keys[k] += uint64(len(part))
		}
		s := store.New(d, nil)
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			h, err := s.Verify(ctx, org)
			if err != nil || h.Seq != uint64(len(es)) {
				b.Fatal(h, err)
			}
		}
	})
}

// pagedLog is a [store.LogReader] over entries in memory, safe for
// concurrent use like every driver, that can fail from a page on.
type pagedLog struct {
	es     []store.Entry
	failAt int // the page (from 1, by position) that fails; 0: none
	mu     sync.Mutex
	pages  int // pages read
}

func (l *pagedLog) ReadLog(ctx context.Context, q store.LogQuery) ([]store.Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	l.mu.Lock()
	l.pages++
	l.mu.Unlock()
	if page := int(q.After)/q.Limit + 1; l.failAt > 0 && page >= l.failAt {
		return nil, fmt.Errorf("page %d: disk on fire", page)
	}
	from := min(len(l.es), int(q.After))
	to := min(len(l.es), from+q.Limit)
	return append([]store.Entry(nil), l.es[from:to]...), nil
}

func (l *pagedLog) Head(context.Context, circle.OrgID) (store.Head, error) {
	last := l.es[len(l.es)-1]
	return store.Head{Seq: last.Seq, Hash: last.Hash}, nil
}

// VerifyLog reads pages ahead of its hashing; what it reports must not
// depend on that: the head of a whole log, the first bad entry of an
// altered one, the reader's error, the end of the context.
func TestVerifyLogPagesAhead(t *testing.T) {
	org := circle.OrgID(uuid.New())
	es := chain(t, org, 2_345)
	opts := &store.VerifyOptions{PageSize: 100}
	ctx := context.Background()

	h, err := store.VerifyLog(ctx, &pagedLog{es: es}, org, opts)
	require.NoError(t, err)
	assert.Equal(t, es[len(es)-1].Hash, h.Hash)
	l := &pagedLog{es: es[:2_300]} // a length that is a whole number of pages
	_, err = store.VerifyLog(ctx, l, org, opts)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, l.pages, 24, "23 full pages and the empty one that ends the log")
	assert.LessOrEqual(t, l.pages, 24+2, "and at most the pages read ahead")

	bad := append([]store.Entry(nil), es...)
	bad[1_717].Data = []byte(`{}`)
	_, err = store.VerifyLog(ctx, &pagedLog{es: bad}, org, opts)
	var ce *store.ChainError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, uint64(1_718), ce.Seq)

	_, err = store.VerifyLog(ctx, &pagedLog{es: es, failAt: 9}, org, opts)
	assert.ErrorContains(t, err, "page 9: disk on fire")

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = store.VerifyLog(cancelled, &pagedLog{es: es}, org, opts)
	assert.ErrorIs(t, err, context.Canceled)
}
