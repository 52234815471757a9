package sqlitestore_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/sqlitestore"
	"github.com/coproduce/sociocracy/store/storetest"
)

func TestMigrateIsExplicitAndIdempotent(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "m.db")
	d, err := sqlitestore.Open(ctx, path, nil)
	require.NoError(t, err)
	defer d.Close()
	v, err := d.SchemaVersion(ctx)
	require.NoError(t, err)
	assert.Equal(t, 0, v, "Open does not migrate")
	_, err = d.Head(ctx, storetest.NewOrg())
	assert.ErrorIs(t, err, sqlitestore.ErrNotMigrated)

	require.NoError(t, d.Migrate(ctx))
	v1, err := d.SchemaVersion(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, v1, "every migration is applied")
	org := storetest.NewOrg()
	_, err = d.Append(ctx, storetest.One(storetest.NewKey(org, store.KindConsent), 0, storetest.Records(2, "m")...))
	require.NoError(t, err)

	require.NoError(t, d.Migrate(ctx), "up twice is a no-op")
	v2, err := d.SchemaVersion(ctx)
	require.NoError(t, err)
	assert.Equal(t, v1, v2)
	es, err := d.ReadLog(ctx, store.LogQuery{Org: org})
	require.NoError(t, err)
	assert.Len(t, es, 2, "data survives a second Migrate")
	require.NoError(t, d.Close())

	// Reopened, the file is already migrated.
	d2, err := sqlitestore.Open(ctx, path, nil)
	require.NoError(t, err)
	defer d2.Close()
	es, err = d2.ReadLog(ctx, store.LogQuery{Org: org})
	require.NoError(t, err)
	assert.Len(t, es, 2)
}

func TestNewerSchemaIsRefused(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "n.db")
	d, err := sqlitestore.OpenMigrated(ctx, path, nil)
	require.NoError(t, err)
	require.NoError(t, d.Close())

	raw, err := sql.Open("sqlite", sqlitestore.DSN(path, nil))
	require.NoError(t, err)
	_, err = raw.Exec(`INSERT INTO sociocracy_schema (version, name, applied_at) VALUES (99, '0099_future.sql', 0)`)
	require.NoError(t, err)
	require.NoError(t, raw.Close())

	_, err = sqlitestore.Open(ctx, path, nil)
	require.Error(t, err)
	assert.ErrorIs(t, err, store.ErrNewerSchema)
	var se *store.SchemaError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, 99, se.Found)
	assert.Equal(t, 2, se.Supported)
	assert.Contains(t, err.Error(), "newer")
	_, err = sqlitestore.OpenMigrated(ctx, path, nil)
	assert.ErrorIs(t, err, store.ErrNewerSchema)
}

// rawDB opens the driver's file behind its back, as another program (or an
// attacker with file access) would.
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	raw, err := sql.Open("sqlite", sqlitestore.DSN(path, nil))
	require.NoError(t, err)
	t.Cleanup(func() { _ = raw.Close() })
	return raw
}

func TestConstraintViolationsAreConflicts(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "c.db")
	d, err := sqlitestore.OpenMigrated(ctx, path, nil)
	require.NoError(t, err)
	defer d.Close()
	org := storetest.NewOrg()
	key := storetest.NewKey(org, store.KindConsent)
	_, err = d.Append(ctx, storetest.One(key, 0, storetest.Records(1, "a")...))
	require.NoError(t, err)

	// Another writer slips in log entry 2 without going through the driver:
	// the driver's next insert of entry 2 violates the primary key.
	raw := rawDB(t, path)
	other := storetest.NewKey(org, store.KindElection)
	_, err = raw.Exec(`INSERT INTO streams (org, kind, id, status_version, circle, status) VALUES (?, ?, ?, 1, zeroblob(16), '')`,
		org[:], string(other.Kind), other.ID[:])
	require.NoError(t, err)
	_, err = raw.Exec(`INSERT INTO entries (org, seq, kind, stream, version, type, circle, at, command, data, digest, redacted, hash)
		VALUES (?, 2, ?, ?, 1, 'x', zeroblob(16), 0, zeroblob(16), x'', zeroblob(32), 0, zeroblob(32))`,
		org[:], string(other.Kind), other.ID[:])
	require.NoError(t, err)
	_, err = raw.Exec(`DELETE FROM entries WHERE org = ? AND seq = 2`, org[:]) // the head query now sees 1 ...
	require.NoError(t, err)
	_, err = raw.Exec(`INSERT INTO entries (org, seq, kind, stream, version, type, circle, at, command, data, digest, redacted, hash)
		VALUES (?, 3, ?, ?, 1, 'x', zeroblob(16), 0, zeroblob(16), x'', zeroblob(32), 0, zeroblob(32))`,
		org[:], string(other.Kind), other.ID[:])
	require.NoError(t, err) // ... and the head is 3, so the driver writes 4; make 4 taken too
	_, err = raw.Exec(`INSERT INTO entries (org, seq, kind, stream, version, type, circle, at, command, data, digest, redacted, hash)
		VALUES (?, 4, ?, ?, 2, 'x', zeroblob(16), 0, zeroblob(16), x'', zeroblob(32), 0, zeroblob(32))`,
		org[:], string(other.Kind), other.ID[:])
	require.NoError(t, err)
	// Version 2 of the other stream exists: an append that expects version
	// 1 violates UNIQUE (org, kind, stream, version) with its first entry.
	_, err = d.Append(ctx, storetest.One(other, 1, storetest.Records(1, "b")...))
	require.Error(t, err)
	assert.ErrorIs(t, err, store.ErrConflict, "a unique violation is reported as a conflict: %v", err)
	assert.NotContains(t, strings.ToLower(err.Error()), "database is locked")
}

func TestTamperingInTheFileIsDetected(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name string
		sql  string
		seq  uint64
	}{
		{"a body altered", `UPDATE entries SET data = CAST('{"forged":true}' AS BLOB) WHERE org = ? AND seq = 5`, 5},
		{"a type altered", `UPDATE entries SET type = 'test.other' WHERE org = ? AND seq = 3`, 3},
		{"an entry deleted", `DELETE FROM entries WHERE org = ? AND seq = 4`, 4},
		{"two entries swapped", `UPDATE entries SET seq = seq + 1000 WHERE org = ?1 AND seq IN (6, 7);
			UPDATE entries SET seq = CASE seq WHEN 1006 THEN 7 ELSE 6 END WHERE org = ?1 AND seq > 1000`, 6},
		{"a body replaced and marked redacted", `UPDATE entries SET data = x'', redacted = 1 WHERE org = ? AND seq = 2`, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "t.db")
			d, err := sqlitestore.OpenMigrated(ctx, path, nil)
			require.NoError(t, err)
			defer d.Close()
			s := store.New(d, nil)
			org := storetest.NewOrg()
			key := storetest.NewKey(org, store.KindConsent)
			for i := range 8 {
				_, err := d.Append(ctx, storetest.One(key, uint64(i), storetest.Records(1, fmt.Sprint(i))...))
				require.NoError(t, err)
			}
			_, err = s.Verify(ctx, org)
			require.NoError(t, err)

			raw := rawDB(t, path)
			_, err = raw.Exec(`PRAGMA foreign_keys = OFF`)
			require.NoError(t, err)
			_, err = raw.Exec(c.sql, org[:])
			require.NoError(t, err)

			_, err = s.Verify(ctx, org)
			require.ErrorIs(t, err, store.ErrCorrupt)
			var ce *store.ChainError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, c.seq, ce.Seq, "the first bad entry is named: %v", err)
		})
	}
}

// 32 writers in one process never see "database is locked": they queue
// for the one write connection in Go.
func Test32ConcurrentWritersAreNeverLocked(t *testing.T) {
	ctx := context.Background()
	d, err := sqlitestore.OpenMigrated(ctx, filepath.Join(t.TempDir(), "w.db"), &sqlitestore.Options{BusyTimeout: 1})
	require.NoError(t, err)
	defer d.Close()
	org := storetest.NewOrg()
	start := make(chan struct{})
	errs := make(chan error, 32*10)
	var wg sync.WaitGroup
	for w := range 32 {
		wg.Go(func() {
			<-start
			key := store.StreamKey{Org: org, Kind: store.KindConsent, ID: uuid.New()}
			for i := range 10 {
				_, err := d.Append(ctx, storetest.One(key, uint64(i), storetest.Records(1, fmt.Sprintf("w%d", w))...))
				errs <- err
			}
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	h, err := d.Head(ctx, org)
	require.NoError(t, err)
	assert.Equal(t, uint64(320), h.Seq)
	_, err = store.New(d, nil).Verify(ctx, org)
	assert.NoError(t, err)
}

// A file of schema 1 (where the stream row carried the version and every
// append rewrote it) migrates to schema 2 with its streams at the same
// versions and statuses, and takes appends as before.
func TestASchemaOneFileMigrates(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "one.db")
	d, err := sqlitestore.OpenMigrated(ctx, path, nil)
	require.NoError(t, err)
	org := storetest.NewOrg()
	keys := []store.StreamKey{storetest.NewKey(org, store.KindConsent), storetest.NewKey(org, store.KindElection)}
	for i, key := range keys {
		for v := range uint64(3 + i) {
			b := storetest.One(key, v, storetest.Records(1, fmt.Sprint(v))...)
			b.Streams[0].Status = store.StatusOpen
			_, err := d.Append(ctx, b)
			require.NoError(t, err)
		}
	}
	require.NoError(t, d.Close())

	// Turn the file back into schema 1, as the first release wrote it.
	raw := rawDB(t, path)
	for _, q := range []string{
		`ALTER TABLE streams RENAME COLUMN status_version TO version`,
		`UPDATE streams SET version = (SELECT max(e.version) FROM entries e
			WHERE e.org = streams.org AND e.kind = streams.kind AND e.stream = streams.id)`,
		`DELETE FROM sociocracy_schema WHERE version = 2`,
	} {
		_, err := raw.Exec(q)
		require.NoError(t, err, q)
	}
	require.NoError(t, raw.Close())

	d, err = sqlitestore.Open(ctx, path, nil)
	require.NoError(t, err)
	defer d.Close()
	v, err := d.SchemaVersion(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, v)
	require.NoError(t, d.Migrate(ctx))
	for i, key := range keys {
		info, err := d.Stream(ctx, key)
		require.NoError(t, err)
		assert.Equal(t, uint64(3+i), info.Version)
		assert.Equal(t, store.StatusOpen, info.Status)
		b := storetest.One(key, info.Version, storetest.Records(1, "after")...)
		_, err = d.Append(ctx, b)
		require.NoError(t, err)
		_, err = d.Append(ctx, storetest.One(key, info.Version, storetest.Records(1, "stale")...))
		assert.ErrorIs(t, err, store.ErrConflict)
	}
	_, err = store.New(d, nil).Verify(ctx, org)
	require.NoError(t, err)
}
