package store

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"

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
	assert.Equal(t, uint64(9), c.epochOf(k1), "the copy as the act left it is vouched for")
	assert.Zero(t, c.epochOf(k2), "a copy moved on since is not")
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
	assert.Equal(t, knownHead{head: Head{Seq: 4}, epoch: 1}, h)
	k.forget(org)
	_, ok = k.get(org)
	assert.False(t, ok)
	assert.NotEqual(t, k.next(), k.next(), "epochs are never given twice")
}
