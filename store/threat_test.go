package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/memstore"
)

// sliceLog is a database an insider has edited: the entries and head it
// serves are whatever the attack left.
type sliceLog struct {
	entries []store.Entry
	head    store.Head
}

func (l *sliceLog) ReadLog(_ context.Context, q store.LogQuery) ([]store.Entry, error) {
	var out []store.Entry
	for _, e := range l.entries {
		if e.Seq > q.After && (q.Limit <= 0 || len(out) < q.Limit) {
			out = append(out, e)
		}
	}
	return out, nil
}

func (l *sliceLog) Head(context.Context, circle.OrgID) (store.Head, error) { return l.head, nil }

var (
	hostKey, _     = store.NewChainKey([]byte("the host's secret, kept outside the database"))
	attackerKey, _ = store.NewChainKey([]byte("an insider's guess at the secret, 32+ bytes"))
)

// legitLog appends ten entries through a driver, keyed with key when not
// nil: two events; an erasure of entry 2's text (an event and its
// redaction record, entries 3 and 4); six more events. It returns the log
// as stored and the head after entry 8 (an anchor the host kept).
func legitLog(t *testing.T, key *store.ChainKey) (circle.OrgID, *sliceLog, store.Head) {
	ctx := context.Background()
	d := memstore.New()
	org := circle.OrgID(uuid.New())
	sk := store.StreamKey{Org: org, Kind: store.KindConsent, ID: uuid.New()}
	appendBatch := func(b *store.Batch) {
		b.Key = key
		_, err := d.Append(ctx, b)
		require.NoError(t, err)
	}
	appendBatch(batch(org, sk, 0, 2))
	erased := []byte(`{"i":"erased"}`)
	b := batch(org, sk, 2, 1)
	b.Streams = append(b.Streams, store.StreamAppend{Stream: store.StreamKey{Org: org, Kind: store.KindLogbook, ID: uuid.UUID(org)}, Records: []store.Record{{
		Type: store.RedactionType, At: t0, Data: store.MarshalRedaction(store.RedactionRecord{Seq: 2, Digest: store.DigestOf(erased), Reason: "erasure request"}),
	}}})
	b.Redactions = []store.Redaction{{Seq: 2, Data: erased}}
	appendBatch(b)
	appendBatch(batch(org, sk, 3, 2))
	appendBatch(batch(org, sk, 5, 2))
	anchor, err := d.Head(ctx, org)
	require.NoError(t, err)
	require.Equal(t, uint64(8), anchor.Seq)
	appendBatch(batch(org, sk, 7, 2))
	es, err := d.ReadLog(ctx, store.LogQuery{Org: org})
	require.NoError(t, err)
	require.Len(t, es, 10)
	require.True(t, es[1].Redacted)
	head, err := d.Head(ctx, org)
	require.NoError(t, err)
	return org, &sliceLog{entries: es, head: head}, anchor
}

// rechain recomputes the hashes from entry i on, as an insider without the
// host's key can (plainly, or with a guessed key), and moves the head.
func rechain(l *sliceLog, from int, key *store.ChainKey) {
	prev := store.Hash{}
	if from > 0 {
		prev = l.entries[from-1].Hash
	}
	for i := from; i < len(l.entries); i++ {
		e := &l.entries[i]
		if key != nil {
			e.Hash = e.ComputeKeyedHash(key, prev)
		} else {
			e.Hash = e.ComputeHash(prev)
		}
		prev = e.Hash
	}
	last := l.entries[len(l.entries)-1]
	l.head = store.Head{Seq: last.Seq, Hash: last.Hash}
}

// The threat model of the package documentation, one row per attack: what
// the plain chain (with the driver's head), an anchored head (taken after
// entry 8) and keyed heads each detect. Every cell is checked.
func TestThreatModel(t *testing.T) {
	type level int
	const (
		plain level = iota
		anchored
		keyed
	)
	// forge is the insider's key: none for a plain log, a guessed one for
	// a keyed log.
	rows := []struct {
		name   string
		attack func(l *sliceLog, forge *store.ChainKey)
		detect [3]bool // plain, anchored, keyed
	}{
		{"nothing (the legitimate log, with its erasure)", func(*sliceLog, *store.ChainKey) {}, [3]bool{false, false, false}},
		{"a body altered in place", func(l *sliceLog, _ *store.ChainKey) {
			l.entries[2].Data = []byte(`{"i":99}`)
		}, [3]bool{true, true, true}},
		{"an entry deleted from the middle", func(l *sliceLog, _ *store.ChainKey) {
			l.entries = append(l.entries[:4:4], l.entries[5:]...)
		}, [3]bool{true, true, true}},
		{"an entry rewritten and the chain recomputed from it", func(l *sliceLog, forge *store.ChainKey) {
			e := &l.entries[2]
			e.Data = []byte(`{"i":"what was never decided"}`)
			e.Digest = store.DigestOf(e.Data)
			rechain(l, 2, forge)
		}, [3]bool{false, true, true}},
		{"a redaction forged: a body replaced, flagged, and a text-erased record appended", func(l *sliceLog, forge *store.ChainKey) {
			e := &l.entries[4]
			e.Data, e.Redacted = []byte(`{}`), true
			last := l.entries[len(l.entries)-1]
			rec := store.Entry{
				Org: last.Org, Seq: last.Seq + 1, Stream: l.entries[3].Stream, Version: l.entries[3].Version + 1, Type: store.RedactionType, At: last.At,
				Data: store.MarshalRedaction(store.RedactionRecord{Seq: e.Seq, Digest: store.DigestOf(e.Data), Reason: "erasure request"}),
			}
			rec.Digest = store.DigestOf(rec.Data)
			l.entries = append(l.entries, rec)
			rechain(l, len(l.entries)-1, forge)
		}, [3]bool{false, false, true}},
		{"an entry appended by an insider", func(l *sliceLog, forge *store.ChainKey) {
			last := l.entries[len(l.entries)-1]
			e := last
			e.Seq, e.Version, e.Data = last.Seq+1, last.Version+1, []byte(`{"i":"inserted"}`)
			e.Digest = store.DigestOf(e.Data)
			l.entries = append(l.entries, e)
			rechain(l, len(l.entries)-1, forge)
		}, [3]bool{false, false, true}},
		{"the tail deleted, the driver's head left", func(l *sliceLog, _ *store.ChainKey) {
			l.entries = l.entries[:9]
		}, [3]bool{true, true, true}},
		{"the tail deleted past the anchor and the driver's head rewound", func(l *sliceLog, _ *store.ChainKey) {
			l.entries = l.entries[:6]
			l.head = store.Head{Seq: 6, Hash: l.entries[5].Hash}
		}, [3]bool{false, true, false}},
		{"the tail after the anchor rewritten and recomputed", func(l *sliceLog, forge *store.ChainKey) {
			e := &l.entries[8]
			e.Data = []byte(`{"i":"late change"}`)
			e.Digest = store.DigestOf(e.Data)
			rechain(l, 8, forge)
		}, [3]bool{false, false, true}},
	}
	for _, row := range rows {
		for lv, name := range []string{"plain", "anchored", "keyed"} {
			t.Run(fmt.Sprintf("%s/%s", row.name, name), func(t *testing.T) {
				var key, forge *store.ChainKey
				if level(lv) == keyed {
					key, forge = hostKey, attackerKey
				}
				org, l, anchor := legitLog(t, key)
				row.attack(l, forge)
				opts := &store.VerifyOptions{Key: key, PageSize: 3}
				if level(lv) == anchored {
					opts.Anchor = anchor
				}
				_, err := store.VerifyLog(context.Background(), l, org, opts)
				if row.detect[lv] {
					require.ErrorIs(t, err, store.ErrCorrupt, "the %s level detects this", name)
				} else {
					require.NoError(t, err, "the %s level cannot detect this (the threat model says so)", name)
				}
			})
		}
	}
}

func TestKeyedLogFailsAPlainVerifierAndAWrongKey(t *testing.T) {
	org, l, _ := legitLog(t, hostKey)
	_, err := store.VerifyLog(context.Background(), l, org, nil)
	require.ErrorIs(t, err, store.ErrCorrupt, "keyed hashes are not plain hashes")
	_, err = store.VerifyLog(context.Background(), l, org, &store.VerifyOptions{Key: attackerKey})
	require.ErrorIs(t, err, store.ErrCorrupt)
	h, err := store.VerifyLog(context.Background(), l, org, &store.VerifyOptions{Key: hostKey})
	require.NoError(t, err)
	require.Equal(t, l.head, h)
}

func TestKeyAddedToALogWithHistory(t *testing.T) {
	ctx := context.Background()
	d := memstore.New()
	org := circle.OrgID(uuid.New())
	sk := store.StreamKey{Org: org, Kind: store.KindConsent, ID: uuid.New()}
	_, err := d.Append(ctx, batch(org, sk, 0, 3)) // plain, before the host had a key
	require.NoError(t, err)
	b := batch(org, sk, 3, 2)
	b.Key = hostKey
	_, err = d.Append(ctx, b)
	require.NoError(t, err)
	_, err = store.VerifyLog(ctx, d, org, &store.VerifyOptions{Key: hostKey, KeyedFrom: 4})
	require.NoError(t, err)
	_, err = store.VerifyLog(ctx, d, org, &store.VerifyOptions{Key: hostKey})
	require.ErrorIs(t, err, store.ErrCorrupt, "entries before KeyedFrom are plain")

	// A plain entry rewritten and recomputed before the key: the first keyed entry covers it.
	es, err := d.ReadLog(ctx, store.LogQuery{Org: org})
	require.NoError(t, err)
	l := &sliceLog{entries: es}
	l.entries[1].Data = []byte(`{"i":"rewritten"}`)
	l.entries[1].Digest = store.DigestOf(l.entries[1].Data)
	prev := l.entries[0].Hash
	for i := 1; i < 3; i++ {
		l.entries[i].Hash = l.entries[i].ComputeHash(prev)
		prev = l.entries[i].Hash
	}
	l.head = store.Head{Seq: 5, Hash: l.entries[4].Hash}
	_, err = store.VerifyLog(ctx, l, org, &store.VerifyOptions{Key: hostKey, KeyedFrom: 4})
	require.ErrorIs(t, err, store.ErrCorrupt)
}

func TestNewChainKeyRefusesAShortSecret(t *testing.T) {
	_, err := store.NewChainKey(make([]byte, store.MinChainKeyLen-1))
	require.ErrorIs(t, err, store.ErrInvalid)
}
