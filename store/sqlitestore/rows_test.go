package sqlitestore_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/sqlitestore"
	"github.com/coproduce/sociocracy/store/storetest"
)

// An act writes its stream's row only when the circle or status changes,
// or when the writer does not know the row (a driver opened on an existing
// file); the update it then makes returns the row, so the next act writes
// none.
func TestAStreamRowIsWrittenOnlyWhenItChanges(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rows.db")
	d, err := sqlitestore.OpenMigrated(ctx, path, nil)
	require.NoError(t, err)
	defer func() { _ = d.Close() }()
	key := storetest.NewKey(storetest.NewOrg(), store.KindConsent)

	// A trigger planted behind the driver's back counts the row's updates.
	raw, err := sql.Open("sqlite", sqlitestore.DSN(path, nil))
	require.NoError(t, err)
	defer raw.Close()
	_, err = raw.Exec(`CREATE TABLE row_writes (n INTEGER NOT NULL); INSERT INTO row_writes VALUES (0)`)
	require.NoError(t, err)
	_, err = raw.Exec(fmt.Sprintf(`CREATE TRIGGER count_row_writes AFTER UPDATE ON streams
		WHEN NEW.id = x'%x' BEGIN UPDATE row_writes SET n = n + 1; END`, key.ID[:]))
	require.NoError(t, err)
	writes := func() int {
		var n int
		require.NoError(t, raw.QueryRow(`SELECT n FROM row_writes`).Scan(&n))
		return n
	}
	v := uint64(0)
	act := func(d *sqlitestore.Driver, status string) {
		t.Helper()
		b := storetest.One(key, v, storetest.Records(1, "x")...)
		b.Streams[0].Status = status
		if v == 0 || v == 8 {
			b.Streams[0].Circle = circletest.Circle(1) // at 8: the circle it has
		}
		_, err := d.Append(ctx, b)
		require.NoError(t, err)
		v++
	}
	act(d, store.StatusOpen)
	act(d, store.StatusOpen)
	act(d, store.StatusOpen)
	assert.Equal(t, 0, writes(), "the status stays: the row is not written")
	act(d, store.StatusClosed)
	assert.Equal(t, 1, writes(), "the status changes")
	act(d, "")
	assert.Equal(t, 1, writes(), "no status given")
	require.NoError(t, d.Close())

	later, err := sqlitestore.OpenMigrated(ctx, path, nil) // it knows no row
	require.NoError(t, err)
	defer func() { _ = later.Close() }()
	act(later, store.StatusClosed)
	assert.Equal(t, 2, writes(), "a row the writer does not know is written")
	act(later, store.StatusClosed)
	act(later, store.StatusClosed)
	act(later, store.StatusClosed)
	require.Equal(t, uint64(9), v)
	assert.Equal(t, 2, writes(), "the update taught the writer the row, its circle too")
	info, err := later.Stream(ctx, key)
	require.NoError(t, err)
	assert.Equal(t, store.StreamInfo{Key: key, Version: v, Circle: circletest.Circle(1), Status: store.StatusClosed}, info)
}
