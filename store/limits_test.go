package store_test

import (
	"math"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/store"
)

func TestValidateRefusesNumbersAndYearsNoStoreKeeps(t *testing.T) {
	org := circle.OrgID(uuid.New())
	key := store.StreamKey{Org: org, Kind: store.KindConsent, ID: uuid.New()}
	at := func(y int) []store.Record {
		return []store.Record{{Type: "t", At: time.Date(y, 1, 2, 0, 0, 0, 0, time.UTC)}}
	}
	one := func(expected uint64, recs []store.Record) *store.Batch {
		return &store.Batch{Org: org, Streams: []store.StreamAppend{{Stream: key, Expected: expected, Records: recs}}}
	}
	refused := map[string]*store.Batch{
		"the year 300000":                 one(0, at(300000)),
		"the year 10000":                  one(0, at(10000)),
		"the year 0":                      one(0, at(0)),
		"a negative year":                 one(0, at(-5)),
		"expected version 2^63":           one(1<<63, at(2026)),
		"expected version 2^64-1":         one(math.MaxUint64, at(2026)),
		"versions that would pass 2^63-1": one(1<<63-1, at(2026)),
		"a redaction of entry 2^63":       {Org: org, Streams: one(0, at(2026)).Streams, Redactions: []store.Redaction{{Seq: 1 << 63}}},
	}
	for name, b := range refused {
		err := b.Validate()
		require.ErrorIs(t, err, store.ErrInvalid, name)
		assert.Contains(t, err.Error(), "store: ", name)
	}
	for _, y := range []int{1, 1969, 2026, 9999} {
		b := one(0, at(y))
		require.NoError(t, b.Validate(), "the year %d", y)
		es, err := b.Seal(store.Head{})
		require.NoError(t, err)
		assert.Equal(t, y, es[0].At.Year())
		assert.Equal(t, es[0].At, time.UnixMicro(es[0].At.UnixMicro()).UTC(), "the year %d survives Unix microseconds", y)
	}
	assert.NoError(t, one(1<<63-2, at(2026)).Validate(), "the last version a store keeps")
}
