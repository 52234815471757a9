package storetest

import (
	"bytes"
	"context"
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

// tb is what the helpers need of a *testing.T or *rapid.T.
type tb interface {
	Helper()
	Errorf(format string, args ...any)
	FailNow()
}

// NewDriver returns the driver a subtest runs against. It is called once
// per subtest; it may return a new driver over a shared database.
type NewDriver func(t *testing.T) store.Driver

// Run runs the whole conformance suite against the drivers newDriver
// returns. Each part is a subtest named by the behaviour it checks, so one
// can be rerun with -run 'Conformance/Race'.
func Run(t *testing.T, newDriver NewDriver) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(t *testing.T, d store.Driver)
	}{
		{"RoundTripOfEveryField", testRoundTrip},
		{"TimesAreUTCMicroseconds", testTimes},
		{"BodiesOfEveryShape", testBodies},
		{"ReadStreamPagesInVersionOrder", testReadStream},
		{"StreamInfoAndQueries", testStreams},
		{"ReadLogFilters", testReadLog},
		{"HeadFollowsTheLog", testHead},
		{"ExpectedVersionIsEnforced", testExpectedVersion},
		{"RaceOf64WritersHasOneWinner", testRace},
		{"RaceToCreateAStreamHasOneWinner", testRaceCreate},
		{"ConcurrentAppendsKeepTheLogGapless", testConcurrentGapless},
		{"MultiStreamAppendIsAllOrNothing", testAtomic},
		{"CommandsAreIdempotent", testIdempotent},
		{"ConcurrentRetriesOfOneCommandHaveOneEffect", testIdempotentConcurrent},
		{"TenantsAreIsolated", testTenancy},
		{"HashChainVerifiesAndDetectsTampering", testChain},
		{"RedactionKeepsTheChainValid", testRedaction},
		{"ProfilesCanBeErased", testProfiles},
		{"ProfilesAreReadAtOnceLikeOneByOne", testProfilesAtOnce},
		{"NoAliasing", testAliasing},
		{"InvalidRequestsAreRefused", testInvalid},
		{"CancelledContextWritesNothing", testCancelled},
		{"UseAfterClose", testClosed},
		{"StateMachineAgainstAMapModel", testModel},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t)
			require.NotNil(t, d, "newDriver returned nil")
			t.Cleanup(func() { _ = d.Close() })
			tc.fn(t, d)
		})
	}
	for _, tc := range portableTests {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t)
			require.NotNil(t, d, "newDriver returned nil")
			t.Cleanup(func() { _ = d.Close() })
			tc.fn(t, store.New(d, nil)) // default options, as users run it
		})
	}
	runLockerTests(t, newDriver)
	runHardeningTests(t, newDriver)
	runParticipationTests(t, newDriver)
}

// base is the time the suite's records start at: not UTC and with
// nanoseconds, so that normalisation is visible.
var base = time.Date(2026, 3, 29, 1, 30, 0, 123456789, time.FixedZone("east", 5*3600+30*60))

// NewOrg returns a fresh random organisation ID.
func NewOrg() circle.OrgID { return circle.OrgID(uuid.New()) }

// NewKey returns a fresh random stream key of org.
func NewKey(org circle.OrgID, kind store.Kind) store.StreamKey {
	return store.StreamKey{Org: org, Kind: kind, ID: uuid.New()}
}

// Records returns n records of a stream, with distinct types, bodies and
// times.
func Records(n int, tag string) []store.Record {
	out := make([]store.Record, n)
	for i := range out {
		out[i] = store.Record{
			Type: fmt.Sprintf("test.%s_%d", tag, i),
			Data: []byte(fmt.Sprintf(`{"tag":%q,"i":%d}`, tag, i)),
			At:   base.Add(time.Duration(i) * time.Second),
		}
	}
	return out
}

// One returns a batch that appends recs to one stream.
func One(key store.StreamKey, expected uint64, recs ...store.Record) *store.Batch {
	return &store.Batch{Org: key.Org, Streams: []store.StreamAppend{{Stream: key, Expected: expected, Records: recs}}}
}

func mustAppend(t tb, d store.Driver, b *store.Batch) store.Result {
	t.Helper()
	r, err := d.Append(context.Background(), b)
	require.NoError(t, err)
	return r
}

func readAll(t tb, d store.Driver, org circle.OrgID) []store.Entry {
	t.Helper()
	es, err := d.ReadLog(context.Background(), store.LogQuery{Org: org})
	require.NoError(t, err)
	return es
}

// verify runs a [store.Verifier] over entries and returns its result.
func verify(org circle.OrgID, entries []store.Entry) (store.Head, error) {
	v := store.NewVerifier(org)
	for i := range entries {
		if err := v.Add(&entries[i]); err != nil {
			return store.Head{}, err
		}
	}
	return v.Finish()
}

// sameEntry compares two entries field by field, treating nil and empty
// bodies alike and times by instant and location.
func sameEntry(t tb, want, got store.Entry, msgAndArgs ...any) {
	t.Helper()
	wd, gd := want.Data, got.Data
	want.Data, got.Data = nil, nil
	assert.Equal(t, want.At.UnixMicro(), got.At.UnixMicro(), msgAndArgs...)
	assert.Equal(t, time.UTC, got.At.Location(), "times are returned in UTC")
	want.At, got.At = time.Time{}, time.Time{}
	assert.Equal(t, want, got, msgAndArgs...)
	assert.True(t, bytes.Equal(wd, gd), "body: want %q, got %q", clip(wd), clip(gd))
}

func clip(b []byte) []byte {
	if len(b) > 80 {
		return b[:80]
	}
	return b
}

func testRoundTrip(t *testing.T, d store.Driver) {
	ctx := context.Background()
	org := NewOrg()
	a, b := NewKey(org, store.KindConsent), NewKey(org, "custom_kind")
	cid := circle.CircleID(uuid.New())
	recs := Records(3, "a")
	recs[1].Circle = cid
	batch := &store.Batch{
		Org:         org,
		Command:     store.CommandID(uuid.New()),
		PayloadHash: store.DigestOf([]byte("payload")),
		Streams: []store.StreamAppend{
			{Stream: a, Expected: 0, Circle: cid, Status: "open", Records: recs},
			{Stream: b, Expected: 0, Records: Records(2, "b")},
		},
	}
	want, err := batch.Seal(store.Head{})
	require.NoError(t, err)
	res := mustAppend(t, d, batch)
	assert.Equal(t, store.Result{First: 1, Last: 5}, withoutHead(res), "the first append of an organisation is entries 1 to 5")

	got := readAll(t, d, org)
	require.Len(t, got, 5)
	for i := range want {
		sameEntry(t, want[i], got[i], "log entry %d", i+1)
	}
	sa, err := d.ReadStream(ctx, a, 0, 0)
	require.NoError(t, err)
	require.Len(t, sa, 3)
	for i := range sa {
		sameEntry(t, want[i], sa[i], "stream a version %d", i+1)
	}
	sb, err := d.ReadStream(ctx, b, 0, 0)
	require.NoError(t, err)
	require.Len(t, sb, 2)
	for i := range sb {
		sameEntry(t, want[3+i], sb[i], "stream b version %d", i+1)
	}
	head, err := d.Head(ctx, org)
	require.NoError(t, err)
	assert.Equal(t, store.Head{Seq: 5, Hash: want[4].Hash}, head)
	if res.Head != (store.Head{}) {
		assert.Equal(t, head, res.Head, "the head an append reports is the log's head")
	}
	cmd, err := d.Command(ctx, org, batch.Command)
	require.NoError(t, err)
	assert.Equal(t, store.CommandRecord{Org: org, ID: batch.Command, PayloadHash: batch.PayloadHash, First: 1, Last: 5}, cmd)

	// A second append continues both numberings.
	next := Records(1, "c")
	b2 := One(a, 3, next...)
	want2, err := b2.Seal(head)
	require.NoError(t, err)
	res = mustAppend(t, d, b2)
	assert.Equal(t, store.Result{First: 6, Last: 6}, withoutHead(res))
	if res.Head != (store.Head{}) {
		assert.Equal(t, store.Head{Seq: 6, Hash: want2[0].Hash}, res.Head, "the head an append reports is the log's head")
	}
	got = readAll(t, d, org)
	require.Len(t, got, 6)
	sameEntry(t, want2[0], got[5])
	assert.Equal(t, uint64(4), got[5].Version)
	assert.True(t, got[5].Command.IsZero(), "an append without a command stores the zero command")
	_, err = verify(org, got)
	assert.NoError(t, err)
}

func testTimes(t *testing.T, d store.Driver) {
	ctx := context.Background()
	org := NewOrg()
	key := NewKey(org, store.KindReview)
	times := []time.Time{
		base,
		time.Date(1969, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(1900, 1, 1, 0, 0, 0, 1000, time.FixedZone("w", -8*3600)),
		time.Date(2999, 12, 31, 23, 59, 59, 999999000, time.UTC),
		time.Date(2026, 10, 25, 1, 30, 0, 999, mustZone(t, "Europe/London")),
		time.Unix(0, 0),
	}
	recs := make([]store.Record, len(times))
	for i, at := range times {
		recs[i] = store.Record{Type: "test.time", At: at}
	}
	mustAppend(t, d, One(key, 0, recs...))
	got, err := d.ReadStream(ctx, key, 0, 0)
	require.NoError(t, err)
	require.Len(t, got, len(times))
	for i, at := range times {
		want := at.UTC().Truncate(time.Microsecond)
		assert.True(t, want.Equal(got[i].At), "time %d: want %s, got %s", i, want, got[i].At)
		assert.Equal(t, time.UTC, got[i].At.Location(), "time %d is UTC", i)
		assert.Zero(t, got[i].At.Nanosecond()%1000, "time %d has microsecond precision", i)
		assert.Equal(t, want, got[i].At, "time %d is exactly the normalised instant", i)
	}
	_, err = verify(org, readAll(t, d, org))
	assert.NoError(t, err, "hashes computed over normalised times verify after a round trip")
}

func mustZone(t testing.TB, name string) *time.Location {
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}

func testBodies(t *testing.T, d store.Driver) {
	ctx := context.Background()
	org := NewOrg()
	large := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
	bodies := map[string][]byte{
		"nil":     nil,
		"empty":   {},
		"binary":  {0, 1, 2, 0xff, 0xfe, 0, '\'', '"', '\\'},
		"unicode": []byte(`{"name":"Zoë – 東京 🌱"}`),
		"large":   large,
	}
	for name, body := range bodies {
		key := NewKey(org, store.KindConsent)
		mustAppend(t, d, One(key, 0, store.Record{Type: "test.body_" + name, Data: body, At: base}))
		got, err := d.ReadStream(ctx, key, 0, 0)
		require.NoError(t, err)
		require.Len(t, got, 1)
		assert.True(t, bytes.Equal(body, got[0].Data), "%s body survives the round trip", name)
		assert.Equal(t, store.DigestOf(body), got[0].Digest, "%s body digest", name)
	}
	typ := "test.ünïcode type with spaces/and:punctuation"
	key := NewKey(org, store.KindConsent)
	mustAppend(t, d, One(key, 0, store.Record{Type: typ, At: base}))
	got, err := d.ReadStream(ctx, key, 0, 0)
	require.NoError(t, err)
	assert.Equal(t, typ, got[0].Type)
	_, err = verify(org, readAll(t, d, org))
	assert.NoError(t, err)
}

func testReadStream(t *testing.T, d store.Driver) {
	ctx := context.Background()
	org := NewOrg()
	key, other := NewKey(org, store.KindElection), NewKey(org, store.KindElection)
	mustAppend(t, d, One(key, 0, Records(3, "x")...))
	mustAppend(t, d, One(other, 0, Records(2, "y")...))
	mustAppend(t, d, One(key, 3, Records(4, "z")...))

	versions := func(es []store.Entry) []uint64 {
		out := []uint64{}
		for _, e := range es {
			assert.Equal(t, key, e.Stream, "only entries of the stream asked for")
			out = append(out, e.Version)
		}
		return out
	}
	cases := []struct {
		after uint64
		limit int
		want  []uint64
	}{
		{0, 0, []uint64{1, 2, 3, 4, 5, 6, 7}},
		{0, -1, []uint64{1, 2, 3, 4, 5, 6, 7}},
		{2, 0, []uint64{3, 4, 5, 6, 7}},
		{2, 3, []uint64{3, 4, 5}},
		{0, 1, []uint64{1}},
		{6, 10, []uint64{7}},
		{7, 0, []uint64{}},
		{100, 0, []uint64{}},
	}
	for _, c := range cases {
		got, err := d.ReadStream(ctx, key, c.after, c.limit)
		require.NoError(t, err, "after %d limit %d", c.after, c.limit)
		assert.Equal(t, c.want, versions(got), "after %d limit %d", c.after, c.limit)
	}
	all, err := d.ReadStream(ctx, key, 0, 0)
	require.NoError(t, err)
	for i := 1; i < len(all); i++ {
		assert.Less(t, all[i-1].Seq, all[i].Seq, "stream order follows log order")
	}

	_, err = d.ReadStream(ctx, NewKey(org, store.KindElection), 0, 0)
	assert.ErrorIs(t, err, store.ErrNotFound, "a stream that does not exist")
	var nf *store.NotFoundError
	assert.ErrorAs(t, err, &nf)
	_, err = d.ReadStream(ctx, store.StreamKey{Org: org, Kind: store.KindConsent, ID: key.ID}, 0, 0)
	assert.ErrorIs(t, err, store.ErrNotFound, "the same ID under another kind is another stream")
}

func testStreams(t *testing.T, d store.Driver) {
	ctx := context.Background()
	org := NewOrg()
	c1, c2 := circle.CircleID(uuid.New()), circle.CircleID(uuid.New())
	type spec struct {
		circle circle.CircleID
		status string
	}
	specs := []spec{{c1, "open"}, {c1, "closed"}, {c2, "open"}, {c1, "open"}, {circle.CircleID{}, ""}}
	keys := make([]store.StreamKey, len(specs))
	for i, s := range specs {
		keys[i] = NewKey(org, store.KindConsent)
		mustAppend(t, d, &store.Batch{Org: org, Streams: []store.StreamAppend{{
			Stream: keys[i], Circle: s.circle, Status: s.status, Records: Records(1, "s"),
		}}})
	}
	mustAppend(t, d, One(NewKey(org, store.KindElection), 0, Records(1, "e")...))

	info, err := d.Stream(ctx, keys[0])
	require.NoError(t, err)
	assert.Equal(t, store.StreamInfo{Key: keys[0], Version: 1, Circle: c1, Status: "open"}, info)

	// An append with an empty status and zero circle keeps both; a new
	// status replaces the old.
	mustAppend(t, d, One(keys[0], 1, Records(1, "t")...))
	info, err = d.Stream(ctx, keys[0])
	require.NoError(t, err)
	assert.Equal(t, store.StreamInfo{Key: keys[0], Version: 2, Circle: c1, Status: "open"}, info)
	mustAppend(t, d, &store.Batch{Org: org, Streams: []store.StreamAppend{{Stream: keys[0], Expected: 2, Status: "closed", Records: Records(1, "u")}}})
	info, err = d.Stream(ctx, keys[0])
	require.NoError(t, err)
	assert.Equal(t, store.StreamInfo{Key: keys[0], Version: 3, Circle: c1, Status: "closed"}, info)

	_, err = d.Stream(ctx, NewKey(org, store.KindConsent))
	assert.ErrorIs(t, err, store.ErrNotFound)

	sorted := func(idx ...int) []uuid.UUID {
		out := []uuid.UUID{}
		for _, i := range idx {
			out = append(out, keys[i].ID)
		}
		sortUUIDs(out)
		return out
	}
	ids := func(infos []store.StreamInfo) []uuid.UUID {
		out := []uuid.UUID{}
		for _, in := range infos {
			out = append(out, in.Key.ID)
			assert.Equal(t, org, in.Key.Org)
		}
		return out
	}
	cases := []struct {
		name string
		q    store.StreamQuery
		want []uuid.UUID
	}{
		{"every consent stream", store.StreamQuery{Org: org, Kind: store.KindConsent}, sorted(0, 1, 2, 3, 4)},
		{"open ones", store.StreamQuery{Org: org, Kind: store.KindConsent, Status: "open"}, sorted(2, 3)},
		{"of circle 1", store.StreamQuery{Org: org, Kind: store.KindConsent, Circle: c1}, sorted(0, 1, 3)},
		{"open of circle 1", store.StreamQuery{Org: org, Kind: store.KindConsent, Circle: c1, Status: "open"}, sorted(3)},
		{"no match", store.StreamQuery{Org: org, Kind: store.KindConsent, Status: "nothing"}, []uuid.UUID{}},
		{"another kind", store.StreamQuery{Org: org, Kind: store.KindReview}, []uuid.UUID{}},
		{"another organisation", store.StreamQuery{Org: NewOrg(), Kind: store.KindConsent}, []uuid.UUID{}},
	}
	for _, c := range cases {
		got, err := d.Streams(ctx, c.q)
		require.NoError(t, err, c.name)
		assert.Equal(t, c.want, ids(got), c.name)
	}
	// Paging by After and Limit walks every stream once, in order.
	all := sorted(0, 1, 2, 3, 4)
	var paged []uuid.UUID
	q := store.StreamQuery{Org: org, Kind: store.KindConsent, Limit: 2}
	for range 10 {
		page, err := d.Streams(ctx, q)
		require.NoError(t, err)
		if len(page) == 0 {
			break
		}
		assert.LessOrEqual(t, len(page), 2)
		paged = append(paged, ids(page)...)
		q.After = page[len(page)-1].Key.ID
	}
	assert.Equal(t, all, paged, "paging")
}

func sortUUIDs(ids []uuid.UUID) {
	for i := 1; i < len(ids); i++ {
		for j := i; j > 0 && bytes.Compare(ids[j-1][:], ids[j][:]) > 0; j-- {
			ids[j-1], ids[j] = ids[j], ids[j-1]
		}
	}
}

func testReadLog(t *testing.T, d store.Driver) {
	ctx := context.Background()
	org := NewOrg()
	c1, c2 := circle.CircleID(uuid.New()), circle.CircleID(uuid.New())
	// Ten entries, one per hour, alternating circles 1 and 2, every third
	// without a circle.
	for i := range 10 {
		r := store.Record{Type: "test.hourly", At: base.Add(time.Duration(i) * time.Hour), Data: []byte{byte(i)}}
		switch {
		case i%3 == 2:
		case i%2 == 0:
			r.Circle = c1
		default:
			r.Circle = c2
		}
		mustAppend(t, d, One(NewKey(org, store.KindConsent), 0, r))
	}
	mustAppend(t, d, One(NewKey(NewOrg(), store.KindConsent), 0, Records(3, "other")...))
	seqs := func(es []store.Entry) []uint64 {
		out := []uint64{}
		for _, e := range es {
			out = append(out, e.Seq)
		}
		return out
	}
	hour := func(h int) time.Time {
		return circle.Normalize(base.Add(time.Duration(h) * time.Hour)).In(base.Location())
	}
	cases := []struct {
		name string
		q    store.LogQuery
		want []uint64
	}{
		{"all", store.LogQuery{Org: org}, []uint64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
		{"after", store.LogQuery{Org: org, After: 7}, []uint64{8, 9, 10}},
		{"limit", store.LogQuery{Org: org, After: 2, Limit: 3}, []uint64{3, 4, 5}},
		{"circle 1", store.LogQuery{Org: org, Circle: c1}, []uint64{1, 5, 7}},
		{"circle 2", store.LogQuery{Org: org, Circle: c2}, []uint64{2, 4, 8, 10}},
		{"since is inclusive", store.LogQuery{Org: org, Since: hour(7)}, []uint64{8, 9, 10}},
		{"until is exclusive", store.LogQuery{Org: org, Until: hour(2)}, []uint64{1, 2}},
		{"a range", store.LogQuery{Org: org, Since: hour(1), Until: hour(5)}, []uint64{2, 3, 4, 5}},
		{"a range in another zone", store.LogQuery{Org: org, Since: hour(1).In(time.UTC), Until: hour(5).In(mustZone(t, "America/New_York"))}, []uint64{2, 3, 4, 5}},
		{"circle and range", store.LogQuery{Org: org, Circle: c2, Since: hour(3), Until: hour(9)}, []uint64{4, 8}},
		{"circle, range and limit", store.LogQuery{Org: org, Circle: c2, Since: hour(1), Limit: 2}, []uint64{2, 4}},
		{"empty range", store.LogQuery{Org: org, Since: hour(5), Until: hour(5)}, []uint64{}},
		{"past the end", store.LogQuery{Org: org, After: 10}, []uint64{}},
		{"unknown organisation", store.LogQuery{Org: NewOrg()}, []uint64{}},
	}
	for _, c := range cases {
		got, err := d.ReadLog(ctx, c.q)
		require.NoError(t, err, c.name)
		assert.Equal(t, c.want, seqs(got), c.name)
		for _, e := range got {
			assert.Equal(t, org, e.Org, c.name)
		}
	}
}

func testHead(t *testing.T, d store.Driver) {
	ctx := context.Background()
	org := NewOrg()
	h, err := d.Head(ctx, org)
	require.NoError(t, err, "the head of an empty log is not an error")
	assert.Equal(t, store.Head{}, h)
	key := NewKey(org, store.KindOrganisation)
	for i := range 5 {
		mustAppend(t, d, One(key, uint64(i), Records(1, "h")...))
		h, err = d.Head(ctx, org)
		require.NoError(t, err)
		es := readAll(t, d, org)
		last := es[len(es)-1]
		assert.Equal(t, store.Head{Seq: uint64(i + 1), Hash: last.Hash}, h)
	}
	vh, err := verify(org, readAll(t, d, org))
	require.NoError(t, err)
	assert.Equal(t, h, vh, "the verified head is the driver's head")
}

func testExpectedVersion(t *testing.T, d store.Driver) {
	ctx := context.Background()
	org := NewOrg()
	key := NewKey(org, store.KindConsent)
	mustAppend(t, d, One(key, 0, Records(2, "v")...))

	cases := []struct {
		name     string
		key      store.StreamKey
		expected uint64
		sentinel error
		actual   uint64
	}{
		{"expected none but the stream exists", key, 0, store.ErrConflict, 2},
		{"stale version", key, 1, store.ErrConflict, 2},
		{"future version", key, 3, store.ErrConflict, 2},
		{"far future version", key, 1 << 40, store.ErrConflict, 2},
		{"stream does not exist", NewKey(org, store.KindConsent), 1, store.ErrNotFound, 0},
	}
	for _, c := range cases {
		before := readAll(t, d, org)
		_, err := d.Append(ctx, One(c.key, c.expected, Records(1, "w")...))
		require.Error(t, err, c.name)
		assert.ErrorIs(t, err, c.sentinel, c.name)
		if c.sentinel == store.ErrConflict {
			assert.NotErrorIs(t, err, store.ErrNotFound, c.name)
			var ce *store.ConflictError
			if assert.ErrorAs(t, err, &ce, c.name) {
				assert.Equal(t, store.ConflictError{Stream: c.key, Expected: c.expected, Actual: c.actual}, *ce, c.name)
			}
		} else {
			assert.NotErrorIs(t, err, store.ErrConflict, c.name)
		}
		assert.Equal(t, len(before), len(readAll(t, d, org)), "%s: nothing written", c.name)
	}
	res := mustAppend(t, d, One(key, 2, Records(1, "ok")...))
	assert.Equal(t, uint64(3), res.First, "the right version succeeds")
	info, err := d.Stream(ctx, key)
	require.NoError(t, err)
	assert.Equal(t, uint64(3), info.Version)
}

// race starts n appends together behind a closed channel and collects
// their results over a channel.
func race(d store.Driver, n int, mk func(i int) *store.Batch) []error {
	start := make(chan struct{})
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for i := range n {
		b := mk(i)
		wg.Go(func() {
			<-start
			_, err := d.Append(context.Background(), b)
			errs <- err
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	var out []error
	for err := range errs {
		out = append(out, err)
	}
	return out
}

func testRace(t *testing.T, d store.Driver) {
	org := NewOrg()
	key := NewKey(org, store.KindConsent)
	mustAppend(t, d, One(key, 0, Records(3, "r")...))
	const n = 64
	errs := race(d, n, func(i int) *store.Batch { return One(key, 3, Records(2, fmt.Sprintf("w%d", i))...) })
	wins := 0
	for _, err := range errs {
		if err == nil {
			wins++
			continue
		}
		var ce *store.ConflictError
		if assert.ErrorAs(t, err, &ce, "a loser gets a typed conflict: %v", err) {
			assert.Equal(t, uint64(3), ce.Expected)
			assert.Equal(t, uint64(5), ce.Actual)
			assert.Equal(t, key, ce.Stream)
		}
		assert.ErrorIs(t, err, store.ErrConflict)
	}
	assert.Equal(t, 1, wins, "exactly one of %d writers from the same version wins", n)
	info, err := store.Driver.Stream(d, context.Background(), key)
	require.NoError(t, err)
	assert.Equal(t, uint64(5), info.Version)
	es := readAll(t, d, org)
	assert.Len(t, es, 5, "only the winner's entries are in the log")
	_, err = verify(org, es)
	assert.NoError(t, err)
}

func testRaceCreate(t *testing.T, d store.Driver) {
	org := NewOrg()
	key := NewKey(org, store.KindElection)
	errs := race(d, 64, func(i int) *store.Batch { return One(key, 0, Records(1, fmt.Sprintf("c%d", i))...) })
	wins := 0
	for _, err := range errs {
		if err == nil {
			wins++
			continue
		}
		assert.ErrorIs(t, err, store.ErrConflict, "creating a stream that exists is a conflict")
	}
	assert.Equal(t, 1, wins)
	assert.Len(t, readAll(t, d, org), 1)
}

func testConcurrentGapless(t *testing.T, d store.Driver) {
	// 32 writers on their own streams in two organisations: none may fail,
	// and each organisation's log is gapless and verifies.
	orgs := []circle.OrgID{NewOrg(), NewOrg()}
	errs := race(d, 32, func(i int) *store.Batch {
		return One(NewKey(orgs[i%2], store.KindConsent), 0, Records(1+i%3, fmt.Sprintf("g%d", i))...)
	})
	for _, err := range errs {
		assert.NoError(t, err, "appends to distinct streams never conflict")
	}
	total := 0
	for _, org := range orgs {
		es := readAll(t, d, org)
		total += len(es)
		for i, e := range es {
			assert.Equal(t, uint64(i+1), e.Seq)
		}
		_, err := verify(org, es)
		assert.NoError(t, err)
	}
	want := 0
	for i := range 32 {
		want += 1 + i%3
	}
	assert.Equal(t, want, total)
}

func testAtomic(t *testing.T, d store.Driver) {
	ctx := context.Background()
	org := NewOrg()
	a, b := NewKey(org, store.KindElection), NewKey(org, store.KindOrganisation)
	mustAppend(t, d, &store.Batch{Org: org, Streams: []store.StreamAppend{
		{Stream: a, Records: Records(1, "a")},
		{Stream: b, Records: Records(1, "b")},
	}})
	before := readAll(t, d, org)
	headBefore, err := d.Head(ctx, org)
	require.NoError(t, err)

	fresh := NewKey(org, store.KindReview)
	cmd := store.CommandID(uuid.New())
	cases := []struct {
		name     string
		batch    *store.Batch
		sentinel error
	}{
		{"the second stream is stale", &store.Batch{Org: org, Command: cmd, Streams: []store.StreamAppend{
			{Stream: a, Expected: 1, Status: "done", Records: Records(2, "x")},
			{Stream: b, Expected: 0, Records: Records(1, "y")},
		}}, store.ErrConflict},
		{"the first stream is stale", &store.Batch{Org: org, Command: cmd, Streams: []store.StreamAppend{
			{Stream: b, Expected: 7, Records: Records(1, "y")},
			{Stream: a, Expected: 1, Records: Records(2, "x")},
		}}, store.ErrConflict},
		{"the only stream is stale", &store.Batch{Org: org, Command: cmd, Streams: []store.StreamAppend{
			{Stream: a, Expected: 3, Status: "done", Records: Records(1, "x")},
		}}, store.ErrConflict},
		{"the only stream is missing", &store.Batch{Org: org, Command: cmd, Streams: []store.StreamAppend{
			{Stream: NewKey(org, store.KindConsent), Expected: 2, Records: Records(1, "m")},
		}}, store.ErrNotFound},
		{"the only stream, new, exists", &store.Batch{Org: org, Command: cmd, Streams: []store.StreamAppend{
			{Stream: b, Expected: 0, Records: Records(1, "y")},
		}}, store.ErrConflict},
		{"a new stream and a missing one", &store.Batch{Org: org, Command: cmd, Streams: []store.StreamAppend{
			{Stream: fresh, Expected: 0, Records: Records(1, "n")},
			{Stream: NewKey(org, store.KindConsent), Expected: 4, Records: Records(1, "m")},
		}}, store.ErrNotFound},
		{"a redaction of an entry that does not exist", &store.Batch{Org: org, Command: cmd, Streams: []store.StreamAppend{
			{Stream: fresh, Expected: 0, Records: Records(1, "n")},
		}, Redactions: []store.Redaction{{Seq: 1, Data: []byte("{}")}, {Seq: 99, Data: []byte("{}")}}}, store.ErrNotFound},
	}
	for _, c := range cases {
		_, err := d.Append(ctx, c.batch)
		assert.ErrorIs(t, err, c.sentinel, c.name)
		after := readAll(t, d, org)
		require.Equal(t, len(before), len(after), "%s: no entry written", c.name)
		for i := range before {
			sameEntry(t, before[i], after[i], "%s: entry %d unchanged", c.name, i+1)
		}
		h, err := d.Head(ctx, org)
		require.NoError(t, err)
		assert.Equal(t, headBefore, h, c.name)
		ia, err := d.Stream(ctx, a)
		require.NoError(t, err)
		assert.Equal(t, store.StreamInfo{Key: a, Version: 1}, ia, "%s: stream a untouched (status too)", c.name)
		_, err = d.Stream(ctx, fresh)
		assert.ErrorIs(t, err, store.ErrNotFound, "%s: the new stream was not created", c.name)
		_, err = d.Command(ctx, org, cmd)
		assert.ErrorIs(t, err, store.ErrNotFound, "%s: a failed append records no command", c.name)
	}
	// With right versions the same command now succeeds once.
	res := mustAppend(t, d, &store.Batch{Org: org, Command: cmd, Streams: []store.StreamAppend{
		{Stream: a, Expected: 1, Records: Records(2, "x")},
		{Stream: b, Expected: 1, Records: Records(1, "y")},
	}})
	assert.Equal(t, store.Result{First: 3, Last: 5}, withoutHead(res))
	_, err = verify(org, readAll(t, d, org))
	assert.NoError(t, err)
}

func testIdempotent(t *testing.T, d store.Driver) {
	ctx := context.Background()
	org := NewOrg()
	key := NewKey(org, store.KindConsent)
	cmd := store.CommandID(uuid.New())
	payload := store.DigestOf([]byte("object to proposal 1"))
	mk := func(expected uint64, h store.Hash) *store.Batch {
		b := One(key, expected, Records(2, "i")...)
		b.Command, b.PayloadHash = cmd, h
		return b
	}
	first := mustAppend(t, d, mk(0, payload))
	assert.Equal(t, store.Result{First: 1, Last: 2}, withoutHead(first))

	// The retry names the version the first attempt saw: now stale. The
	// command check comes first, so it is a duplicate, not a conflict.
	again, err := d.Append(ctx, mk(0, payload))
	require.NoError(t, err, "a retried command is not an error")
	assert.Equal(t, store.Result{First: 1, Last: 2, Duplicate: true}, withoutHead(again), "a retry returns the original result")
	assert.Len(t, readAll(t, d, org), 2, "and writes nothing")

	again, err = d.Append(ctx, mk(2, payload))
	require.NoError(t, err)
	assert.True(t, again.Duplicate, "even with a current version")
	assert.Len(t, readAll(t, d, org), 2)

	_, err = d.Append(ctx, mk(2, store.DigestOf([]byte("another payload"))))
	assert.ErrorIs(t, err, store.ErrCommandMismatch, "the same id with another payload is refused")
	assert.NotErrorIs(t, err, store.ErrConflict)
	var ce *store.CommandError
	if assert.ErrorAs(t, err, &ce) {
		assert.Equal(t, cmd, ce.Command)
		assert.Equal(t, payload, ce.Stored)
	}
	assert.Len(t, readAll(t, d, org), 2)

	rec, err := d.Command(ctx, org, cmd)
	require.NoError(t, err)
	assert.Equal(t, store.CommandRecord{Org: org, ID: cmd, PayloadHash: payload, First: 1, Last: 2}, rec)
	_, err = d.Command(ctx, org, store.CommandID(uuid.New()))
	assert.ErrorIs(t, err, store.ErrNotFound)

	// Appends without a command are never deduplicated.
	b := One(key, 2, Records(1, "n")...)
	mustAppend(t, d, b)
	mustAppend(t, d, One(key, 3, Records(1, "n")...))
	assert.Len(t, readAll(t, d, org), 4)
}

func testIdempotentConcurrent(t *testing.T, d store.Driver) {
	ctx := context.Background()
	org := NewOrg()
	cmd := store.CommandID(uuid.New())
	payload := store.DigestOf([]byte("p"))
	// Every retry targets a different new stream, so only the command
	// record can stop the duplicates.
	const n = 32
	start := make(chan struct{})
	results := make(chan store.Result, n)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for i := range n {
		b := One(NewKey(org, store.KindConsent), 0, Records(1, fmt.Sprintf("d%d", i))...)
		b.Command, b.PayloadHash = cmd, payload
		wg.Go(func() {
			<-start
			r, err := d.Append(ctx, b)
			if err != nil {
				errs <- err
				return
			}
			results <- r
		})
	}
	close(start)
	wg.Wait()
	close(results)
	close(errs)
	for err := range errs {
		t.Errorf("a concurrent retry failed: %v", err)
	}
	fresh, dup := 0, 0
	for r := range results {
		assert.Equal(t, uint64(1), r.First)
		assert.Equal(t, uint64(1), r.Last)
		if r.Duplicate {
			dup++
		} else {
			fresh++
		}
	}
	assert.Equal(t, 1, fresh, "exactly one retry has the effect")
	assert.Equal(t, n-1, dup)
	assert.Len(t, readAll(t, d, org), 1)
}

func testTenancy(t *testing.T, d store.Driver) {
	ctx := context.Background()
	orgA, orgB := NewOrg(), NewOrg()
	id := uuid.New()
	ka := store.StreamKey{Org: orgA, Kind: store.KindConsent, ID: id}
	kb := store.StreamKey{Org: orgB, Kind: store.KindConsent, ID: id}
	cmd := store.CommandID(uuid.New())
	person := circle.PersonID(uuid.New())
	cid := circle.CircleID(uuid.New())

	ba := &store.Batch{Org: orgA, Command: cmd, PayloadHash: store.DigestOf([]byte("a")),
		Streams: []store.StreamAppend{{Stream: ka, Circle: cid, Status: "open", Records: Records(3, "a")}}}
	mustAppend(t, d, ba)
	require.NoError(t, d.PutProfile(ctx, orgA, person, []byte("Alice, alice@example.org")))

	// Organisation B sees none of it, even with A's IDs.
	_, err := d.ReadStream(ctx, kb, 0, 0)
	assert.ErrorIs(t, err, store.ErrNotFound, "a guessed stream ID reads nothing across tenants")
	_, err = d.Stream(ctx, kb)
	assert.ErrorIs(t, err, store.ErrNotFound)
	infos, err := d.Streams(ctx, store.StreamQuery{Org: orgB, Kind: store.KindConsent, Circle: cid})
	require.NoError(t, err)
	assert.Empty(t, infos)
	es, err := d.ReadLog(ctx, store.LogQuery{Org: orgB, Circle: cid})
	require.NoError(t, err)
	assert.Empty(t, es)
	h, err := d.Head(ctx, orgB)
	require.NoError(t, err)
	assert.Equal(t, store.Head{}, h)
	_, err = d.Command(ctx, orgB, cmd)
	assert.ErrorIs(t, err, store.ErrNotFound)
	_, err = d.Profile(ctx, orgB, person)
	assert.ErrorIs(t, err, store.ErrNotFound)
	assert.ErrorIs(t, d.EraseProfile(ctx, orgB, person), store.ErrNotFound)

	// The same stream ID, command ID and person in B are B's own: "expected
	// none" holds, the command is new, the numbering starts at 1.
	bb := &store.Batch{Org: orgB, Command: cmd, PayloadHash: store.DigestOf([]byte("other payload")),
		Streams: []store.StreamAppend{{Stream: kb, Records: Records(1, "b")}}}
	res := mustAppend(t, d, bb)
	assert.Equal(t, store.Result{First: 1, Last: 1}, withoutHead(res))
	require.NoError(t, d.PutProfile(ctx, orgB, person, []byte("Bob")))
	pa, err := d.Profile(ctx, orgA, person)
	require.NoError(t, err)
	assert.Equal(t, []byte("Alice, alice@example.org"), pa)

	// A batch of one organisation cannot name another's stream.
	_, err = d.Append(ctx, &store.Batch{Org: orgB, Streams: []store.StreamAppend{{Stream: ka, Expected: 3, Records: Records(1, "x")}}})
	assert.ErrorIs(t, err, store.ErrInvalid)
	// Nor redact another's entries: entry 2 of B does not exist, even
	// though A has one.
	_, err = d.Append(ctx, &store.Batch{Org: orgB, Streams: []store.StreamAppend{{Stream: kb, Expected: 1, Records: Records(1, "x")}},
		Redactions: []store.Redaction{{Seq: 2, Data: nil}}})
	assert.ErrorIs(t, err, store.ErrNotFound)

	la, lb := readAll(t, d, orgA), readAll(t, d, orgB)
	assert.Len(t, la, 3)
	assert.Len(t, lb, 1)
	for _, e := range la {
		assert.Equal(t, orgA, e.Org)
		assert.False(t, e.Redacted)
	}
	_, err = verify(orgA, la)
	assert.NoError(t, err)
	_, err = verify(orgB, lb)
	assert.NoError(t, err)
	_, err = verify(orgB, la)
	assert.ErrorIs(t, err, store.ErrCorrupt, "one organisation's log does not verify as another's")
}

func testChain(t *testing.T, d store.Driver) {
	org := NewOrg()
	keys := []store.StreamKey{NewKey(org, store.KindOrganisation), NewKey(org, store.KindConsent), NewKey(org, store.KindElection)}
	versions := make([]uint64, len(keys))
	for i := range 12 {
		k := i % len(keys)
		mustAppend(t, d, One(keys[k], versions[k], Records(1+i%2, fmt.Sprintf("k%d", i))...))
		versions[k] += uint64(1 + i%2)
	}
	good := readAll(t, d, org)
	require.Len(t, good, 18)
	head, err := verify(org, good)
	require.NoError(t, err)
	dh, err := d.Head(context.Background(), org)
	require.NoError(t, err)
	assert.Equal(t, dh, head)

	cp := func() []store.Entry {
		out := make([]store.Entry, len(good))
		for i, e := range good {
			e.Data = bytes.Clone(e.Data)
			out[i] = e
		}
		return out
	}
	cases := []struct {
		name   string
		tamper func([]store.Entry) []store.Entry
		seq    uint64
	}{
		{"altered body", func(es []store.Entry) []store.Entry { es[6].Data = []byte(`{"tag":"forged"}`); return es }, 7},
		{"altered body and digest", func(es []store.Entry) []store.Entry {
			es[6].Data = []byte(`{}`)
			es[6].Digest = store.DigestOf(es[6].Data)
			return es
		}, 7},
		{"altered type", func(es []store.Entry) []store.Entry { es[3].Type = "test.other"; return es }, 4},
		{"altered time", func(es []store.Entry) []store.Entry { es[9].At = es[9].At.Add(time.Microsecond); return es }, 10},
		{"altered version", func(es []store.Entry) []store.Entry { es[2].Version++; return es }, 3},
		{"altered circle", func(es []store.Entry) []store.Entry { es[0].Circle = circle.CircleID(uuid.New()); return es }, 1},
		{"altered command", func(es []store.Entry) []store.Entry { es[11].Command = store.CommandID(uuid.New()); return es }, 12},
		{"altered stream", func(es []store.Entry) []store.Entry { es[5].Stream.ID = uuid.New(); return es }, 6},
		{"rewritten hash", func(es []store.Entry) []store.Entry { es[4].Hash[0] ^= 1; return es }, 5},
		{"deleted entry", func(es []store.Entry) []store.Entry { return append(es[:8], es[9:]...) }, 9},
		{"deleted and renumbered", func(es []store.Entry) []store.Entry {
			es = append(es[:8], es[9:]...)
			for i := 8; i < len(es); i++ {
				es[i].Seq--
			}
			return es
		}, 9},
		{"reordered entries", func(es []store.Entry) []store.Entry { es[13], es[14] = es[14], es[13]; return es }, 14},
		{"reordered and renumbered", func(es []store.Entry) []store.Entry {
			es[13], es[14] = es[14], es[13]
			es[13].Seq, es[14].Seq = 14, 15
			return es
		}, 14},
		{"redacted flag set without a record", func(es []store.Entry) []store.Entry {
			es[2].Redacted = true
			es[2].Data = []byte(`{"tag":"[erased]"}`)
			return es
		}, 3},
		{"another organisation's entry", func(es []store.Entry) []store.Entry { es[1].Org = NewOrg(); return es }, 2},
	}
	for _, c := range cases {
		_, err := verify(org, c.tamper(cp()))
		require.Error(t, err, c.name)
		assert.ErrorIs(t, err, store.ErrCorrupt, c.name)
		var ce *store.ChainError
		if assert.ErrorAs(t, err, &ce, c.name) {
			assert.Equal(t, c.seq, ce.Seq, "%s: the first bad entry is named (%v)", c.name, err)
		}
	}
	// A truncated tail verifies by itself; only an anchored head reveals it.
	th, err := verify(org, cp()[:10])
	require.NoError(t, err)
	assert.NotEqual(t, head, th, "the head of a truncated log differs from the anchored one")
}

func testRedaction(t *testing.T, d store.Driver) {
	ctx := context.Background()
	org := NewOrg()
	key := NewKey(org, store.KindConsent)
	secret := []byte(`{"text":"Maria's diagnosis is ..."}`)
	mustAppend(t, d, One(key, 0, store.Record{Type: "test.proposal", Data: secret, At: base}, store.Record{Type: "test.other", At: base}))
	before := readAll(t, d, org)

	erased := []byte(`{"text":"[erased]"}`)
	logbook := store.StreamKey{Org: org, Kind: store.KindLogbook, ID: org.UUID()}
	rec := store.MarshalRedaction(store.RedactionRecord{Seq: 1, Digest: store.DigestOf(erased), Reason: "erasure request"})
	res := mustAppend(t, d, &store.Batch{Org: org,
		Streams:    []store.StreamAppend{{Stream: logbook, Records: []store.Record{{Type: store.RedactionType, Data: rec, At: base}}}},
		Redactions: []store.Redaction{{Seq: 1, Data: erased}}})
	assert.Equal(t, uint64(3), res.First)

	after := readAll(t, d, org)
	require.Len(t, after, 3)
	assert.Equal(t, erased, after[0].Data, "the body is replaced")
	assert.True(t, after[0].Redacted)
	assert.Equal(t, before[0].Digest, after[0].Digest, "the digest is the original's")
	assert.Equal(t, before[0].Hash, after[0].Hash, "the hash is unchanged")
	sameEntry(t, before[1], after[1], "other entries are untouched")
	st, err := d.ReadStream(ctx, key, 0, 1)
	require.NoError(t, err)
	assert.Equal(t, erased, st[0].Data, "the stream read sees the redacted body")
	assert.True(t, st[0].Redacted)
	for _, e := range after {
		assert.False(t, bytes.Contains(e.Data, []byte("Maria")), "no copy of the erased text is readable")
	}
	_, err = verify(org, after)
	assert.NoError(t, err, "a logged redaction keeps the chain valid")

	// A redaction without a record, or with a record of another body, is
	// tampering.
	other := []byte(`{"text":"something else"}`)
	mustAppend(t, d, &store.Batch{Org: org,
		Streams:    []store.StreamAppend{{Stream: key, Expected: 2, Records: Records(1, "z")}},
		Redactions: []store.Redaction{{Seq: 2, Data: other}}})
	_, err = verify(org, readAll(t, d, org))
	var ce *store.ChainError
	if assert.ErrorAs(t, err, &ce) {
		assert.Equal(t, uint64(2), ce.Seq)
	}
}

func testProfiles(t *testing.T, d store.Driver) {
	ctx := context.Background()
	org := NewOrg()
	p, q := circle.PersonID(uuid.New()), circle.PersonID(uuid.New())
	_, err := d.Profile(ctx, org, p)
	assert.ErrorIs(t, err, store.ErrNotFound)
	require.NoError(t, d.PutProfile(ctx, org, p, []byte(`{"name":"Ama"}`)))
	require.NoError(t, d.PutProfile(ctx, org, q, []byte(`{"name":"Kofi"}`)))
	got, err := d.Profile(ctx, org, p)
	require.NoError(t, err)
	assert.Equal(t, []byte(`{"name":"Ama"}`), got)
	require.NoError(t, d.PutProfile(ctx, org, p, []byte(`{"name":"Ama B."}`)))
	got, err = d.Profile(ctx, org, p)
	require.NoError(t, err)
	assert.Equal(t, []byte(`{"name":"Ama B."}`), got, "put replaces")

	key := NewKey(org, store.KindOrganisation)
	mustAppend(t, d, One(key, 0, store.Record{Type: "test.person_added", Data: []byte(`{"person":"` + p.String() + `"}`), At: base}))
	before := readAll(t, d, org)

	require.NoError(t, d.EraseProfile(ctx, org, p))
	_, err = d.Profile(ctx, org, p)
	assert.ErrorIs(t, err, store.ErrNotFound, "an erased profile is gone")
	assert.ErrorIs(t, d.EraseProfile(ctx, org, p), store.ErrNotFound, "erasing twice")
	got, err = d.Profile(ctx, org, q)
	require.NoError(t, err)
	assert.Equal(t, []byte(`{"name":"Kofi"}`), got, "other profiles stay")
	after := readAll(t, d, org)
	require.Len(t, after, len(before))
	for i := range before {
		sameEntry(t, before[i], after[i], "erasing a profile leaves the log alone")
	}
	_, err = verify(org, after)
	assert.NoError(t, err)

	require.NoError(t, d.PutProfile(ctx, org, p, nil))
	got, err = d.Profile(ctx, org, p)
	require.NoError(t, err, "an empty profile is a profile")
	assert.Empty(t, got)
}

func testAliasing(t *testing.T, d store.Driver) {
	ctx := context.Background()
	org := NewOrg()
	key := NewKey(org, store.KindConsent)
	data := []byte(`{"v":1}`)
	mustAppend(t, d, One(key, 0, store.Record{Type: "test.a", Data: data, At: base}))
	data[6] = '9' // the caller reuses its buffer
	got, err := d.ReadStream(ctx, key, 0, 0)
	require.NoError(t, err)
	assert.Equal(t, []byte(`{"v":1}`), got[0].Data, "the driver copied the body it was given")
	got[0].Data[6] = '8' // the caller scribbles on what it read
	es := readAll(t, d, org)
	es[0].Data[6] = '7'
	again, err := d.ReadStream(ctx, key, 0, 0)
	require.NoError(t, err)
	assert.Equal(t, []byte(`{"v":1}`), again[0].Data, "returned bodies are the caller's own")

	prof := []byte("profile")
	person := circle.PersonID(uuid.New())
	require.NoError(t, d.PutProfile(ctx, org, person, prof))
	prof[0] = 'X'
	p1, err := d.Profile(ctx, org, person)
	require.NoError(t, err)
	assert.Equal(t, []byte("profile"), p1)
	p1[0] = 'Y'
	p2, err := d.Profile(ctx, org, person)
	require.NoError(t, err)
	assert.Equal(t, []byte("profile"), p2)

	red := []byte(`{"v":0}`)
	mustAppend(t, d, &store.Batch{Org: org, Streams: []store.StreamAppend{{Stream: key, Expected: 1, Records: Records(1, "r")}},
		Redactions: []store.Redaction{{Seq: 1, Data: red}}})
	red[6] = '5'
	again, err = d.ReadStream(ctx, key, 0, 1)
	require.NoError(t, err)
	assert.Equal(t, []byte(`{"v":0}`), again[0].Data, "the driver copied the redaction body")

}

func testInvalid(t *testing.T, d store.Driver) {
	ctx := context.Background()
	org := NewOrg()
	key := NewKey(org, store.KindConsent)
	good := Records(1, "ok")
	cases := []struct {
		name  string
		batch *store.Batch
	}{
		{"nil batch", nil},
		{"no organisation", &store.Batch{Streams: []store.StreamAppend{{Stream: store.StreamKey{Kind: store.KindConsent, ID: uuid.New()}, Records: good}}}},
		{"no streams", &store.Batch{Org: org}},
		{"no records", &store.Batch{Org: org, Streams: []store.StreamAppend{{Stream: key}}}},
		{"stream twice", &store.Batch{Org: org, Streams: []store.StreamAppend{{Stream: key, Records: good}, {Stream: key, Expected: 1, Records: good}}}},
		{"bad kind", One(store.StreamKey{Org: org, Kind: "Bad Kind", ID: uuid.New()}, 0, good...)},
		{"empty kind", One(store.StreamKey{Org: org, ID: uuid.New()}, 0, good...)},
		{"no stream id", One(store.StreamKey{Org: org, Kind: store.KindConsent}, 0, good...)},
		{"empty type", One(key, 0, store.Record{At: base})},
		{"control character in type", One(key, 0, store.Record{Type: "a\nb", At: base})},
		{"no time", One(key, 0, store.Record{Type: "test.t"})},
		{"redaction of entry 0", &store.Batch{Org: org, Streams: []store.StreamAppend{{Stream: key, Records: good}}, Redactions: []store.Redaction{{Seq: 0}}}},
	}
	for _, c := range cases {
		_, err := d.Append(ctx, c.batch)
		assert.ErrorIs(t, err, store.ErrInvalid, c.name)
	}
	assert.Empty(t, readAll(t, d, org), "nothing written")
	_, err := d.ReadLog(ctx, store.LogQuery{})
	assert.ErrorIs(t, err, store.ErrInvalid, "read log without organisation")
	_, err = d.ReadStream(ctx, store.StreamKey{Kind: store.KindConsent, ID: uuid.New()}, 0, 0)
	assert.ErrorIs(t, err, store.ErrInvalid, "read stream without organisation")
	_, err = d.Streams(ctx, store.StreamQuery{Kind: store.KindConsent})
	assert.ErrorIs(t, err, store.ErrInvalid, "streams without organisation")
	_, err = d.Head(ctx, circle.OrgID{})
	assert.ErrorIs(t, err, store.ErrInvalid, "head without organisation")
	assert.ErrorIs(t, d.PutProfile(ctx, org, circle.PersonID{}, nil), store.ErrInvalid, "profile without person")
}

func testCancelled(t *testing.T, d store.Driver) {
	org := NewOrg()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := d.Append(ctx, One(NewKey(org, store.KindConsent), 0, Records(1, "c")...))
	assert.ErrorIs(t, err, context.Canceled, "an append with a cancelled context")
	assert.Empty(t, readAll(t, d, org), "writes nothing")
	err = d.PutProfile(ctx, org, circle.PersonID(uuid.New()), []byte("x"))
	assert.ErrorIs(t, err, context.Canceled)
	_, err = d.ReadLog(ctx, store.LogQuery{Org: org})
	assert.ErrorIs(t, err, context.Canceled)
}

func testClosed(t *testing.T, d store.Driver) {
	ctx := context.Background()
	org := NewOrg()
	key := NewKey(org, store.KindConsent)
	mustAppend(t, d, One(key, 0, Records(1, "c")...))
	require.NoError(t, d.Close())
	assert.NoError(t, d.Close(), "a second Close returns nil")
	person := circle.PersonID(uuid.New())
	calls := map[string]func() error{
		"Append":     func() error { _, err := d.Append(ctx, One(key, 1, Records(1, "d")...)); return err },
		"ReadStream": func() error { _, err := d.ReadStream(ctx, key, 0, 0); return err },
		"Stream":     func() error { _, err := d.Stream(ctx, key); return err },
		"Streams": func() error {
			_, err := d.Streams(ctx, store.StreamQuery{Org: org, Kind: store.KindConsent})
			return err
		},
		"ReadLog":      func() error { _, err := d.ReadLog(ctx, store.LogQuery{Org: org}); return err },
		"Head":         func() error { _, err := d.Head(ctx, org); return err },
		"Command":      func() error { _, err := d.Command(ctx, org, store.CommandID(uuid.New())); return err },
		"PutProfile":   func() error { return d.PutProfile(ctx, org, person, nil) },
		"Profile":      func() error { _, err := d.Profile(ctx, org, person); return err },
		"EraseProfile": func() error { return d.EraseProfile(ctx, org, person) },
	}
	for name, call := range calls {
		assert.ErrorIs(t, call(), store.ErrClosed, "%s after Close", name)
	}
}

// withoutHead is res without the head it reports, which a driver may leave
// out (see [store.Result]); where it gives one, the tests check it
// against the log.
func withoutHead(res store.Result) store.Result {
	res.Head = store.Head{}
	return res
}
