package store

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
)

// An act's settling vouches only for the copies it left: one that a later
// act has moved on since (whose append may yet fail) keeps epoch 0, and
// one that a later act checked out is left alone.
func TestConfirmVouchesOnlyForWhatTheActLeft(t *testing.T) {
	c := newLiveCache(8)
	org := circle.OrgID(uuid.New())
	k1, k2, k3 := OrgKey(org), CalendarKey(org), ProcessKey(org, [16]byte(uuid.New()))
	l1, l2, l3 := &liveAgg{version: 5}, &liveAgg{version: 2}, &liveAgg{version: 7}
	c.put(k1, l1)
	c.put(k2, l2)
	c.put(k3, l3)
	held := []heldRef{{k1, l1, 5}, {k2, l2, 2}, {k3, l3, 7}}

	// A later act moves l2 on and puts it back; another holds l3.
	c.take(k2)
	l2.version = 3
	c.put(k2, l2)
	c.take(k3)

	c.confirm(held, 9)
	assert.Equal(t, uint64(9), l1.epoch, "the copy as the act left it is vouched for")
	assert.Zero(t, l2.epoch, "a copy moved on since is not")
	assert.Zero(t, l3.epoch, "a copy checked out by another act is not touched")
}

// The head known of an organisation only moves forward.
func TestKnownHeadsMoveForward(t *testing.T) {
	var k knownHeads
	org := circle.OrgID(uuid.New())
	assert.True(t, k.note(org, Head{Seq: 4}, 1))
	assert.False(t, k.note(org, Head{Seq: 3}, 2), "an older head does not replace a newer one")
	h, ok := k.get(org)
	assert.True(t, ok)
	assert.Equal(t, basis{head: Head{Seq: 4}, epoch: 1}, h)
	k.forget(org)
	_, ok = k.get(org)
	assert.False(t, ok)
	assert.NotEqual(t, k.next(), k.next(), "epochs are never given twice")
}

// headReader answers Head only.
type headReader struct {
	Reader
	head Head
}

func (r headReader) Head(context.Context, circle.OrgID) (Head, error) { return r.head, nil }

// buildOne has the act of st check in a copy of key at version 2 and
// build one entry on it at head h0, and returns the copy, the batch and
// the head that the batch will leave.
func buildOne(t *testing.T, s *Store, org circle.OrgID, key StreamKey, st *actState, h0 Head) (*liveAgg, *Batch, Head) {
	t.Helper()
	x := &liveAgg{version: 2}
	st.held = []heldRef{{key, x, 2}}
	b := &Batch{Org: org, Streams: []StreamAppend{{Stream: key, Expected: 1, Records: []Record{{Type: "t", Data: []byte(`{}`), At: time.Unix(0, 0)}}}}}
	s.built(org, st, b)
	entries, err := b.Seal(h0)
	require.NoError(t, err)
	return x, b, Head{Seq: entries[0].Seq, Hash: entries[0].Hash}
}

// A later act of the same transaction that finds the head a pending act
// will leave trusts that act's copies as it left them, and nothing else
// of it; one that finds the old head (the pending act was refused)
// trusts none of them.
func TestPendingActsCopiesAreTrustedAtTheHeadTheyLeave(t *testing.T) {
	ctx := context.Background()
	s := New(nil, nil)
	org := circle.OrgID(uuid.New())
	key := ProcessKey(org, [16]byte(uuid.New()))
	h0 := Head{Seq: 3, Hash: Hash{1}}
	s.heads.note(org, h0, 7)

	first := &actState{}
	require.NoError(t, s.begin(ctx, headReader{head: h0}, org, first))
	require.True(t, first.fresh, "the known head")
	x, _, h1 := buildOne(t, s, org, key, first, h0)

	second := &actState{}
	require.NoError(t, s.begin(ctx, headReader{head: h1}, org, second))
	assert.True(t, second.fresh, "the head the pending act leaves")
	assert.True(t, second.trusts(key, x), "its copy as it left it")
	x.version = 3
	assert.False(t, second.trusts(key, x), "not once moved on")
	x.version = 2

	refused := &actState{}
	require.NoError(t, s.begin(ctx, headReader{head: h0}, org, refused))
	assert.True(t, refused.fresh)
	assert.False(t, refused.trusts(key, x), "at the old head the pending act's copy is not trusted")

	// Once the act settles, the head it left is known and it is pending
	// no more.
	s.settle(org, first, Result{First: h1.Seq, Last: h1.Seq, Head: h1})
	_, pending := s.heads.pending(org)
	assert.False(t, pending, "a settled act is not pending")
	k, ok := s.heads.get(org)
	assert.True(t, ok && k.head == h1 && k.epoch == 7, "the head it left is known, at its epoch")
}

// streamlessReader answers Head, and Stream as for an organisation without
// a logbook (no erasures yet).
type streamlessReader struct{ headReader }

func (r streamlessReader) Stream(_ context.Context, key StreamKey) (StreamInfo, error) {
	return StreamInfo{}, StreamNotFound(key)
}

// An act that found a head the Store did not know read its streams inside
// the driver's serialisation, so the copies it checked in are as current
// as a trusting act's: it is pending all the same, and the act after it in
// the same group trusts them instead of reading in its turn.
func TestAnActThatReadIsPendingToo(t *testing.T) {
	ctx := context.Background()
	s := New(nil, nil)
	org := circle.OrgID(uuid.New())
	key := ProcessKey(org, [16]byte(uuid.New()))
	h0 := Head{Seq: 3, Hash: Hash{1}}

	first := &actState{}
	require.NoError(t, s.begin(ctx, streamlessReader{headReader{head: h0}}, org, first))
	require.False(t, first.fresh, "a head the Store does not know")
	x, b, h1 := buildOne(t, s, org, key, first, h0)

	second := &actState{}
	require.NoError(t, s.begin(ctx, headReader{head: h1}, org, second))
	assert.True(t, second.fresh, "the head the act that read will leave")
	assert.True(t, second.trusts(key, x), "its copy as it left it")

	// An act that erases is never pending.
	erasing := &actState{erasing: true}
	require.NoError(t, s.begin(ctx, headReader{head: h1}, org, erasing))
	s.built(org, erasing, b)
	_, pending := s.heads.pending(org)
	assert.False(t, pending, "after an act that erases nothing is pending")
}

// A chain of pending acts hands on one copy per stream, the latest, and at
// most maxTrusted of them, the latest.
func TestAChainHandsOnTheLatestCopies(t *testing.T) {
	org := circle.OrgID(uuid.New())
	ok := OrgKey(org)
	var trusted []heldRef
	var orgCopy *liveAgg
	var last []StreamKey
	for i := range 3 * maxTrusted {
		orgCopy = &liveAgg{version: uint64(i + 1)}
		k := ProcessKey(org, [16]byte(uuid.New()))
		last = append(last, k)
		trusted = handOn(trusted, []heldRef{{ok, orgCopy, orgCopy.version}, {k, &liveAgg{version: 1}, 1}})
		require.LessOrEqual(t, len(trusted), maxTrusted)
	}
	require.Len(t, trusted, maxTrusted)
	seen := map[StreamKey]bool{}
	for _, h := range trusted {
		assert.False(t, seen[h.key], "one copy per stream")
		seen[h.key] = true
	}
	assert.Equal(t, orgCopy, trusted[len(trusted)-2].l, "the organisation's latest copy")
	for _, k := range last[len(last)-(maxTrusted-1):] {
		assert.True(t, seen[k], "the latest streams are handed on")
	}
}
