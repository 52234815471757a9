package pgstore_test

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/pgstore"
	"github.com/coproduce/sociocracy/store/storetest"
)

// lockedAct is the build of an act through AppendLocked: it reads the
// stream's version under the head lock and appends one event after it.
func lockedAct(key store.StreamKey, at time.Time) func(ctx context.Context, r store.Reader) (*store.Batch, error) {
	return func(ctx context.Context, r store.Reader) (*store.Batch, error) {
		var v uint64
		info, err := r.Stream(ctx, key)
		switch {
		case err == nil:
			v = info.Version
		case !errors.Is(err, store.ErrNotFound):
			return nil, err
		}
		return act(key, v, at), nil
	}
}

// The driver's own reads of entries decode the raw binary values: none
// falls back to Scan.
func TestReadsOfEntriesTakeTheFastPath(t *testing.T) {
	d := newDriver(t)
	ctx := context.Background()
	key := storetest.NewKey(storetest.NewOrg(), store.KindConsent)
	_, err := d.Append(ctx, storetest.One(key, 0, storetest.Records(3, "f")...))
	require.NoError(t, err)
	before := pgstore.SlowScans.Load()
	es, err := d.ReadLog(ctx, store.LogQuery{Org: key.Org})
	require.NoError(t, err)
	require.Len(t, es, 3)
	_, err = d.ReadStream(ctx, key, 0, 0)
	require.NoError(t, err)
	_, err = d.AppendLocked(ctx, key.Org, func(ctx context.Context, r store.Reader) (*store.Batch, error) {
		_, err := r.ReadStream(ctx, key, 1, 0)
		return nil, err
	})
	assert.ErrorIs(t, err, store.ErrInvalid, "a nil batch")
	assert.Equal(t, before, pgstore.SlowScans.Load(), "reads fell back to Scan")
}

// BenchmarkCommitLocked is BenchmarkCommit's act built through
// AppendLocked (the version read under the head lock, then the append:
// two round trips), beside the same bare insert transaction in the same
// run.
func BenchmarkCommitLocked(b *testing.B) {
	d := newDriver(b)
	ctx := context.Background()
	at := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	bare := pg.schema + ".bench_bare"
	_, err := pg.app.Exec(ctx, "create table if not exists "+bare+
		" (org uuid, seq bigint, type text, data bytea, hash bytea, primary key (org, seq))")
	require.NoError(b, err)
	hash := make([]byte, 32)
	b.Run("bare_insert_tx", func(b *testing.B) {
		org := uuid.New()
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i++
			err := pgx.BeginFunc(ctx, pg.app, func(tx pgx.Tx) error {
				_, err := tx.Exec(ctx, "insert into "+bare+" (org, seq, type, data, hash) values ($1, $2, $3, $4, $5)",
					org, i, "consent.answered", actBody, hash)
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("append", func(b *testing.B) {
		key := storetest.NewKey(storetest.NewOrg(), store.KindConsent)
		_, err := d.Append(ctx, act(key, 0, at))
		require.NoError(b, err)
		v := uint64(1)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := d.Append(ctx, act(key, v, at)); err != nil {
				b.Fatal(err)
			}
			v++
		}
	})
	b.Run("append_locked", func(b *testing.B) {
		key := storetest.NewKey(storetest.NewOrg(), store.KindConsent)
		build := lockedAct(key, at)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := d.AppendLocked(ctx, key.Org, build); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkLocked32Clients runs 32 clients at once through AppendLocked,
// reporting acts per second and checking that none gave up and every
// acknowledged act is in the log, beside 32 clients committing bare insert
// transactions in the same run:
//
//   - new_streams: one organisation, every act a new stream (people
//     starting processes); every act waits for the organisation's lock;
//   - 8_shared_streams: one organisation, four clients on each of 8
//     streams (people answering in 8 rounds at once); under the lock none
//     conflicts.
func BenchmarkLocked32Clients(b *testing.B) {
	const clients = 32
	ctx := context.Background()
	at := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	par := (clients + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0)
	b.Run("bare_insert_tx", func(b *testing.B) {
		bare := pg.schema + ".bench_bare32"
		_, err := pg.app.Exec(ctx, "create table if not exists "+bare+
			" (org uuid, seq bigint, type text, data bytea, hash bytea, primary key (org, seq))")
		require.NoError(b, err)
		org := uuid.New()
		hash := make([]byte, 32)
		var seq atomic.Int64
		b.SetParallelism(par)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				err := pgx.BeginFunc(ctx, pg.app, func(tx pgx.Tx) error {
					_, err := tx.Exec(ctx, "insert into "+bare+" (org, seq, type, data, hash) values ($1, $2, $3, $4, $5)",
						org, seq.Add(1), "consent.answered", actBody, hash)
					return err
				})
				if err != nil {
					b.Error(err)
					return
				}
			}
		})
		b.ReportMetric(float64(seq.Load())/b.Elapsed().Seconds(), "tx/s")
	})
	for _, shared := range []int{0, 8} {
		name := "new_streams"
		if shared > 0 {
			name = "8_shared_streams"
		}
		b.Run(name, func(b *testing.B) {
			d := newDriver(b)
			org := storetest.NewOrg()
			keys := make([]store.StreamKey, max(shared, 1))
			for i := range keys {
				keys[i] = storetest.NewKey(org, store.KindConsent)
			}
			var next, acked, failed atomic.Int64
			b.ReportAllocs()
			b.SetParallelism(par)
			b.RunParallel(func(pb *testing.PB) {
				client := int(next.Add(1) - 1)
				for pb.Next() {
					key := storetest.NewKey(org, store.KindConsent)
					if shared > 0 {
						key = keys[client%shared]
					}
					if _, err := d.AppendLocked(ctx, org, lockedAct(key, at)); err != nil {
						failed.Add(1)
						b.Error(err)
						return
					}
					acked.Add(1)
				}
			})
			b.StopTimer()
			b.ReportMetric(float64(acked.Load())/b.Elapsed().Seconds(), "acts/s")
			b.ReportMetric(float64(failed.Load()), "given-up")
			checkLog(b, d, org, int(acked.Load()))
		})
	}
}

// checkLog checks that org's log holds exactly n entries, gapless, with a
// valid chain.
func checkLog(b *testing.B, d store.Driver, org circle.OrgID, n int) {
	ctx := context.Background()
	es, err := d.ReadLog(ctx, store.LogQuery{Org: org})
	require.NoError(b, err)
	require.Len(b, es, n, "entries in the log vs acknowledged acts")
	v := store.NewVerifier(org)
	for i := range es {
		require.NoError(b, v.Add(&es[i]))
	}
	_, err = v.Finish()
	require.NoError(b, err)
}

// verifyLog is the organisation of 1,000,000 entries BenchmarkVerify1M
// reads, written once per test binary into the run's schema.
var verifyLog struct {
	once sync.Once
	org  circle.OrgID
	err  error
}

// BenchmarkVerify1M verifies a log of 1,000,000 entries through
// Store.Verify (ReadLog pages over the wire) beside the bare hash chain
// over the same entries in memory (target: under 2 s).
func BenchmarkVerify1M(b *testing.B) {
	const n = 1_000_000
	d := newDriver(b)
	verifyLog.once.Do(func() {
		verifyLog.org = storetest.NewOrg()
		verifyLog.err = storetest.FillLog(context.Background(), d, verifyLog.org, n)
	})
	require.NoError(b, verifyLog.err)
	storetest.BenchVerify(b, d, verifyLog.org, n)
}
