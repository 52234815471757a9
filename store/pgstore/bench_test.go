package pgstore_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/storetest"
)

// actBody is the size of a typical event body (a consent answer in JSON).
var actBody = []byte(`{"process":"2f1c4be8-3b0e-4d8b-9a51-8f3e3c6c2b10","round":2,"member":"8d7f0a52-1e2b-4c1d-9b7e-0f6a1c2d3e4f","answer":"consent","note":"fine by me; review in six months"}`)

func act(key store.StreamKey, expected uint64, at time.Time) *store.Batch {
	return storetest.One(key, expected, store.Record{Type: "consent.answered", Data: actBody, At: at})
}

// BenchmarkCommit compares one committed act (Driver.Append of one event to
// an existing stream: head lock, version check, seal, insert, commit) with
// a bare pgx insert transaction of a row of the same size on the same pool,
// written the usual way (BEGIN, INSERT, COMMIT: three round trips) and
// pipelined (one round trip).
func BenchmarkCommit(b *testing.B) {
	d := newDriver(b)
	ctx := context.Background()
	at := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	bare := bareTable(b)
	hash := make([]byte, 32)

	b.Run("act", func(b *testing.B) {
		org := storetest.NewOrg()
		key := storetest.NewKey(org, store.KindConsent)
		_, err := d.Append(ctx, act(key, 0, at))
		require.NoError(b, err)
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			if _, err := d.Append(ctx, act(key, uint64(i)+1, at)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("bare_insert_tx", func(b *testing.B) {
		insert := bareInsertTx(b)
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			if err := insert(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("bare_insert_tx_pipelined", func(b *testing.B) {
		org := uuid.New()
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			var bt pgx.Batch
			bt.Queue("begin")
			bt.Queue("insert into "+bare+" (org, seq, type, data, hash) values ($1, $2, $3, $4, $5)",
				org, i+1, "consent.answered", actBody, hash)
			bt.Queue("commit")
			if err := pg.app.SendBatch(ctx, &bt).Close(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// bareTable creates, once per run, the table of the bare transactions:
// rows of the size of an entry, keyed like the log.
func bareTable(b *testing.B) string {
	bare := pg.schema + ".bench_bare"
	_, err := pg.app.Exec(context.Background(), "create table if not exists "+bare+
		" (org uuid, seq bigint, type text, data bytea, hash bytea, primary key (org, seq))")
	require.NoError(b, err)
	return bare
}

// bareInsertTx returns a bare pgx insert transaction of a row of the size
// of an entry, written the usual way (BEGIN, INSERT, COMMIT: three round
// trips), each call the next row of a new organisation.
func bareInsertTx(b *testing.B) func() error {
	ctx := context.Background()
	bare := bareTable(b)
	org := uuid.New()
	hash := make([]byte, 32)
	seq := 0
	return func() error {
		seq++
		return pgx.BeginFunc(ctx, pg.app, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, "insert into "+bare+" (org, seq, type, data, hash) values ($1, $2, $3, $4, $5)",
				org, seq, "consent.answered", actBody, hash)
			return err
		})
	}
}

// BenchmarkConcurrent32Clients runs 32 clients at once, each committing
// acts as fast as it can, and reports committed acts per second and the
// optimistic-concurrency conflicts the clients retried (a client that
// loses a race re-reads the stream's version from the conflict and tries
// again). Afterwards it checks that every acknowledged act is in the log
// exactly where its acknowledgement said, that the log is gapless and that
// the hash chain verifies.
//
//   - one_org_8_streams: all 32 clients in one organisation, four on each
//     of 8 streams: every append waits for the organisation's lock, and
//     most attempts lose a race and are retried (the worst case);
//   - one_org_32_streams: 32 clients in one organisation, each on its own
//     stream (many people acting at once on different processes of one
//     co-operative): no conflicts, every append waits for the lock;
//   - org_per_client: 32 organisations, one client each: appends of
//     different organisations do not wait for each other.
func BenchmarkConcurrent32Clients(b *testing.B) {
	b.Run("one_org_8_streams", func(b *testing.B) { benchConcurrent(b, 1, 8) })
	b.Run("one_org_32_streams", func(b *testing.B) { benchConcurrent(b, 1, 32) })
	b.Run("org_per_client", func(b *testing.B) { benchConcurrent(b, 32, 1) })
}

type ack struct {
	key     store.StreamKey
	version uint64
	seq     uint64
	body    string
}

func benchConcurrent(b *testing.B, nOrgs, streamsPerOrg int) {
	const clients = 32
	d := newDriver(b)
	ctx := context.Background()
	at := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	orgs := make([]circle.OrgID, nOrgs)
	var keys [][]store.StreamKey
	for i := range orgs {
		orgs[i] = storetest.NewOrg()
		ks := make([]store.StreamKey, streamsPerOrg)
		for j := range ks {
			ks[j] = storetest.NewKey(orgs[i], store.KindConsent)
		}
		keys = append(keys, ks)
	}
	var (
		conflicts atomic.Int64
		next      atomic.Int64
		mu        sync.Mutex
		acks      []ack
	)
	b.SetParallelism((clients + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		client := int(next.Add(1) - 1)
		org := client % nOrgs
		versions := make(map[store.StreamKey]uint64)
		var mine []ack
		n := 0
		for pb.Next() {
			key := keys[org][(client/nOrgs)%streamsPerOrg]
			n++
			body := fmt.Sprintf(`{"client":%d,"n":%d}`, client, n)
			for attempt := 0; ; attempt++ {
				expected := versions[key]
				batch := storetest.One(key, expected, store.Record{Type: "bench.act", Data: []byte(body), At: at})
				res, err := d.Append(ctx, batch)
				var ce *store.ConflictError
				if errors.As(err, &ce) && attempt < 1000 {
					conflicts.Add(1)
					versions[key] = ce.Actual
					continue
				}
				if err != nil {
					b.Error(err)
					return
				}
				versions[key] = expected + 1
				mine = append(mine, ack{key: key, version: expected + 1, seq: res.First, body: body})
				break
			}
		}
		mu.Lock()
		acks = append(acks, mine...)
		mu.Unlock()
	})
	b.StopTimer()
	elapsed := b.Elapsed()
	b.ReportMetric(float64(len(acks))/elapsed.Seconds(), "acts/s")
	b.ReportMetric(float64(conflicts.Load()), "conflicts")
	b.ReportMetric(float64(conflicts.Load())/float64(max(len(acks), 1)), "conflicts/act")

	// No acknowledged act lost, the log gapless, the chain intact.
	bySeq := make(map[circle.OrgID]map[uint64]ack)
	for _, a := range acks {
		if bySeq[a.key.Org] == nil {
			bySeq[a.key.Org] = make(map[uint64]ack)
		}
		bySeq[a.key.Org][a.seq] = a
	}
	total := 0
	for _, org := range orgs {
		entries, err := d.ReadLog(ctx, store.LogQuery{Org: org})
		require.NoError(b, err)
		require.Len(b, entries, len(bySeq[org]), "entries in the log vs acknowledged acts")
		total += len(entries)
		var prev store.Hash
		for i, e := range entries {
			require.Equal(b, uint64(i+1), e.Seq, "gapless")
			require.Equal(b, e.ComputeHash(prev), e.Hash, "chain at seq %d", e.Seq)
			require.Equal(b, store.DigestOf(e.Data), e.Digest)
			prev = e.Hash
			a, ok := bySeq[org][e.Seq]
			require.True(b, ok, "entry %d was never acknowledged", e.Seq)
			require.Equal(b, a.key, e.Stream)
			require.Equal(b, a.version, e.Version)
			require.Equal(b, a.body, string(e.Data))
		}
		head, err := d.Head(ctx, org)
		require.NoError(b, err)
		require.Equal(b, store.Head{Seq: uint64(len(entries)), Hash: prev}, head)
	}
	require.Equal(b, len(acks), total)
}
