package sqlitestore

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every pooled connection, of the writer and of the readers, carries the
// pragmas: they are in the DSN, not run once with db.Exec (which reaches one
// connection only).
func TestEveryPooledConnectionHasThePragmas(t *testing.T) {
	ctx := context.Background()
	d, err := OpenMigrated(ctx, filepath.Join(t.TempDir(), "p.db"), &Options{ReadConns: 3})
	require.NoError(t, err)
	defer d.Close()

	check := func(name string, db *sql.DB, n int) {
		// Hold n connections at once so that each is a distinct one.
		conns := make([]*sql.Conn, n)
		for i := range conns {
			c, err := db.Conn(ctx)
			require.NoError(t, err)
			conns[i] = c
		}
		for i, c := range conns {
			var mode string
			var sync, busy, fk, secure int
			require.NoError(t, c.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode))
			require.NoError(t, c.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync))
			require.NoError(t, c.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy))
			require.NoError(t, c.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk))
			require.NoError(t, c.QueryRowContext(ctx, "PRAGMA secure_delete").Scan(&secure))
			assert.Equal(t, "wal", mode, "%s connection %d: journal_mode", name, i)
			assert.Equal(t, 2, sync, "%s connection %d: synchronous=FULL", name, i)
			assert.Equal(t, 5000, busy, "%s connection %d: busy_timeout", name, i)
			assert.Equal(t, 1, fk, "%s connection %d: foreign_keys", name, i)
			assert.Equal(t, 1, secure, "%s connection %d: secure_delete", name, i)
		}
		for _, c := range conns {
			require.NoError(t, c.Close())
		}
	}
	check("writer", d.w, 1)
	check("reader", d.r, 3)
	assert.Equal(t, 1, d.w.Stats().MaxOpenConnections, "all writes go through one connection")
}

// _txlock=immediate makes BeginTx take the write lock at BEGIN: a second
// writer (another process, here another handle) is refused at once rather
// than failing later at its first write or at COMMIT.
func TestWritesBeginImmediate(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "i.db")
	d, err := OpenMigrated(ctx, path, &Options{BusyTimeout: 1})
	require.NoError(t, err)
	defer d.Close()
	other, err := sql.Open("sqlite", DSN(path, &Options{BusyTimeout: 1}))
	require.NoError(t, err)
	defer other.Close()

	tx, err := d.w.BeginTx(ctx, nil)
	require.NoError(t, err)
	defer tx.Rollback()
	_, err = other.BeginTx(ctx, nil)
	require.Error(t, err, "a second BEGIN IMMEDIATE waits for the lock and fails after the busy timeout")
	assert.Contains(t, err.Error(), "locked")
}
