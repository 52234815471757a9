package sqlitestore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/sqlitestore"
	"github.com/coproduce/sociocracy/store/storetest"
)

// answerBody is the size of a typical event body (a consent answer in JSON).
var answerBody = []byte(`{"process":"2f1c4be8-3b0e-4d8b-9a51-8f3e3c6c2b10","round":2,"member":"8d7f0a52-1e2b-4c1d-9b7e-0f6a1c2d3e4f","answer":"consent","note":"fine by me; review in six months"}`)

var benchAt = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func answer(key store.StreamKey, expected uint64) *store.Batch {
	return storetest.One(key, expected, store.Record{Type: "consent.answered", Data: answerBody, At: benchAt})
}

// lockedAnswer is the build of an act through AppendLocked: it reads the
// stream's version inside the writer's transaction and appends after it.
func lockedAnswer(key store.StreamKey) func(ctx context.Context, r store.Reader) (*store.Batch, error) {
	return func(ctx context.Context, r store.Reader) (*store.Batch, error) {
		var v uint64
		info, err := r.Stream(ctx, key)
		switch {
		case err == nil:
			v = info.Version
		case !errors.Is(err, store.ErrNotFound):
			return nil, err
		}
		return answer(key, v), nil
	}
}

// bareDB is a file with the driver's settings (same DSN: WAL,
// synchronous=FULL, BEGIN IMMEDIATE) and one connection, and a table of
// rows the size of a log entry.
func bareDB(b *testing.B) *sql.DB {
	db, err := sql.Open("sqlite", sqlitestore.DSN(filepath.Join(b.TempDir(), "bare.db"), nil))
	require.NoError(b, err)
	b.Cleanup(func() { _ = db.Close() })
	db.SetMaxOpenConns(1)
	_, err = db.Exec(`CREATE TABLE t (org BLOB NOT NULL, seq INTEGER NOT NULL, type TEXT NOT NULL, data BLOB NOT NULL, hash BLOB NOT NULL,
		PRIMARY KEY (org, seq)) WITHOUT ROWID`)
	require.NoError(b, err)
	return db
}

func bareTx(ctx context.Context, db *sql.DB, org []byte, seq int64, rows int) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	hash := make([]byte, 32)
	for i := range rows {
		if _, err := tx.ExecContext(ctx, `INSERT INTO t (org, seq, type, data, hash) VALUES (?, ?, ?, ?, ?)`,
			org, seq+int64(i), "consent.answered", answerBody, hash); err != nil {
			_ = tx.Rollback()
			return err
		}
	}
	return tx.Commit()
}

// BenchmarkDriverCommit compares one durable append of the driver (one
// event on an existing stream, alone in its transaction: command-free
// version check, head, seal, insert, commit) with a bare one-row insert
// transaction of the same size on a file with the same settings. The
// target is append/bare <= 1.5. "append-locked" is the same append built
// inside the writer's transaction by AppendLocked (one more read).
func BenchmarkDriverCommit(b *testing.B) {
	ctx := context.Background()
	b.Run("bare-insert-tx", func(b *testing.B) {
		db := bareDB(b)
		org := storetest.NewOrg()
		b.ReportAllocs()
		var seq int64
		for b.Loop() {
			seq++
			if err := bareTx(ctx, db, org[:], seq, 1); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("append", func(b *testing.B) {
		d := openBench(b)
		key := storetest.NewKey(storetest.NewOrg(), store.KindConsent)
		_, err := d.Append(ctx, answer(key, 0))
		require.NoError(b, err)
		v := uint64(1)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := d.Append(ctx, answer(key, v)); err != nil {
				b.Fatal(err)
			}
			v++
		}
	})
	b.Run("append-locked", func(b *testing.B) {
		d := openBench(b)
		key := storetest.NewKey(storetest.NewOrg(), store.KindConsent)
		build := lockedAnswer(key)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := d.AppendLocked(ctx, key.Org, build); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkDriver32Writers runs 32 writers at once (RunParallel with
// parallelism 16 on 2 cores), reporting durable appends per second, beside
// what the file does bare: 32 writers committing one-row transactions on
// one connection, and one writer committing 32-row transactions (the
// ceiling of group commit). Through AppendLocked every writer reads its
// stream's version inside the group's transaction and appends after it, so
// none conflicts, on new streams ("own-streams", each writer its own
// stream) and on 8 heavily shared ones.
func BenchmarkDriver32Writers(b *testing.B) {
	ctx := context.Background()
	const writers = 32
	perSecond := func(b *testing.B, n int64) {
		b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "appends/s")
	}
	b.Run("bare-1-row-tx", func(b *testing.B) {
		db := bareDB(b)
		org := storetest.NewOrg()
		var seq, n atomic.Int64
		b.SetParallelism(writers / 2)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := bareTx(ctx, db, org[:], seq.Add(1), 1); err != nil {
					b.Error(err)
					return
				}
				n.Add(1)
			}
		})
		perSecond(b, n.Load())
	})
	b.Run("bare-32-row-tx", func(b *testing.B) {
		db := bareDB(b)
		org := storetest.NewOrg()
		var seq int64
		for b.Loop() {
			if err := bareTx(ctx, db, org[:], seq+1, writers); err != nil {
				b.Fatal(err)
			}
			seq += writers
		}
		perSecond(b, int64(b.N)*writers)
	})
	for _, shared := range []int{0, 8} {
		name := "append-locked-own-streams"
		if shared > 0 {
			name = fmt.Sprintf("append-locked-%d-shared-streams", shared)
		}
		b.Run(name, func(b *testing.B) {
			d := openBench(b)
			org := storetest.NewOrg()
			keys := make([]store.StreamKey, max(shared, 1))
			for i := range keys {
				keys[i] = storetest.NewKey(org, store.KindConsent)
			}
			var next, n atomic.Int64
			b.ReportAllocs()
			b.SetParallelism(writers / 2)
			b.RunParallel(func(pb *testing.PB) {
				key := storetest.NewKey(org, store.KindConsent)
				if shared > 0 {
					key = keys[int(next.Add(1))%shared]
				}
				build := lockedAnswer(key)
				for pb.Next() {
					if _, err := d.AppendLocked(ctx, org, build); err != nil {
						b.Error(err)
						return
					}
					n.Add(1)
				}
			})
			perSecond(b, n.Load())
			head, err := d.Head(ctx, org)
			require.NoError(b, err)
			require.Equal(b, uint64(n.Load()), head.Seq, "every acknowledged append is in the log")
		})
	}
}

// verifyLog is the file of 1,000,000 entries BenchmarkVerify1M reads,
// written once per test binary (FillLog takes a while) and removed by
// TestMain.
var verifyLog struct {
	once sync.Once
	dir  string
	org  store.StreamKey
	err  error
}

// BenchmarkVerify1M verifies a log of 1,000,000 entries through
// Store.Verify (ReadLog pages out of the file) beside the bare hash chain
// over the same entries in memory (target: under 2 s).
func BenchmarkVerify1M(b *testing.B) {
	const n = 1_000_000
	ctx := context.Background()
	verifyLog.once.Do(func() {
		if verifyLog.dir, verifyLog.err = os.MkdirTemp("", "sqlitestore-verify-"); verifyLog.err != nil {
			return
		}
		d, err := sqlitestore.OpenMigrated(ctx, filepath.Join(verifyLog.dir, "verify.db"), nil)
		if err != nil {
			verifyLog.err = err
			return
		}
		defer d.Close()
		verifyLog.org = storetest.NewKey(storetest.NewOrg(), store.KindOrganisation)
		verifyLog.err = storetest.FillLog(ctx, d, verifyLog.org.Org, n)
	})
	require.NoError(b, verifyLog.err)
	d, err := sqlitestore.OpenMigrated(ctx, filepath.Join(verifyLog.dir, "verify.db"), nil)
	require.NoError(b, err)
	defer d.Close()
	storetest.BenchVerify(b, d, verifyLog.org.Org, n)
}

func TestMain(m *testing.M) {
	code := m.Run()
	if verifyLog.dir != "" {
		_ = os.RemoveAll(verifyLog.dir)
	}
	os.Exit(code)
}
