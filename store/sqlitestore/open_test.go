package sqlitestore_test

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/uuid"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/sqlitestore"
	"github.com/coproduce/sociocracy/store/storetest"
)

func TestFileNamesWithURICharactersNameTheirOwnFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	names := []string{"a#1.db", "a#2.db", "a?b.db", "50%.db", "50%25.db", "space and ünïcode.db"}
	orgs := map[string]store.Head{}
	for _, n := range names {
		d, err := sqlitestore.OpenMigrated(ctx, filepath.Join(dir, n), nil)
		require.NoError(t, err, n)
		org := storetest.NewOrg()
		_, err = d.Append(ctx, storetest.One(storetest.NewKey(org, store.KindConsent), 0, storetest.Records(1, "f")...))
		require.NoError(t, err, n)
		h, err := d.Head(ctx, org)
		require.NoError(t, err)
		orgs[n] = h
		require.NoError(t, d.Close())
		_, err = os.Stat(filepath.Join(dir, n))
		require.NoError(t, err, "the file %q exists under its own name", n)
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var files []string
	for _, e := range entries {
		if filepath.Ext(e.Name()) == ".db" {
			files = append(files, e.Name())
		}
	}
	assert.ElementsMatch(t, names, files, "one file per name, and no other")
	for _, n := range names {
		d, err := sqlitestore.Open(ctx, filepath.Join(dir, n), nil)
		require.NoError(t, err)
		es, err := d.ReadLog(ctx, store.LogQuery{Org: storetest.NewOrg()})
		require.NoError(t, err)
		assert.Empty(t, es)
		require.NoError(t, d.Close())
	}
	assert.NotEqual(t, orgs["a#1.db"], orgs["a#2.db"])
}

func TestADriverOpenedBeforeMigrationRecovers(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "late.db")
	early, err := sqlitestore.Open(ctx, path, nil)
	require.NoError(t, err)
	defer early.Close()
	org := storetest.NewOrg()
	_, err = early.Head(ctx, org)
	require.ErrorIs(t, err, sqlitestore.ErrNotMigrated)

	// Another driver (another process, in production) migrates and writes.
	migrator, err := sqlitestore.OpenMigrated(ctx, path, nil)
	require.NoError(t, err)
	_, err = migrator.Append(ctx, storetest.One(storetest.NewKey(org, store.KindConsent), 0, storetest.Records(2, "m")...))
	require.NoError(t, err)
	require.NoError(t, migrator.Close())

	h, err := early.Head(ctx, org)
	require.NoError(t, err, "the early driver sees the migrated schema")
	assert.Equal(t, uint64(2), h.Seq)
	_, err = early.Append(ctx, storetest.One(storetest.NewKey(org, store.KindConsent), 0, storetest.Records(1, "n")...))
	require.NoError(t, err, "and writes to it")
	es, err := early.ReadLog(ctx, store.LogQuery{Org: org})
	require.NoError(t, err)
	assert.Len(t, es, 3)
}

func TestNumbersPast2To63AreHandled(t *testing.T) {
	ctx := context.Background()
	d, err := sqlitestore.OpenMigrated(ctx, filepath.Join(t.TempDir(), "big.db"), nil)
	require.NoError(t, err)
	defer d.Close()
	org := storetest.NewOrg()
	key := storetest.NewKey(org, store.KindConsent)
	_, err = d.Append(ctx, storetest.One(key, 0, storetest.Records(2, "b")...))
	require.NoError(t, err)
	for _, n := range []uint64{1 << 63, math.MaxUint64} {
		es, err := d.ReadLog(ctx, store.LogQuery{Org: org, After: n})
		require.NoError(t, err)
		assert.Empty(t, es)
		es, err = d.ReadStream(ctx, key, n, 0)
		require.NoError(t, err)
		assert.Empty(t, es)
		_, err = d.Append(ctx, storetest.One(key, n, storetest.Records(1, "c")...))
		assert.ErrorIs(t, err, store.ErrInvalid)
		b := storetest.One(key, 2, storetest.Records(1, "c")...)
		b.Redactions = []store.Redaction{{Seq: n, Data: []byte("{}")}}
		_, err = d.Append(ctx, b)
		assert.ErrorIs(t, err, store.ErrInvalid)
	}
}

func TestEraseTextOfEntryZeroIsATypedError(t *testing.T) {
	ctx := context.Background()
	d, err := sqlitestore.OpenMigrated(ctx, filepath.Join(t.TempDir(), "zero.db"), nil)
	require.NoError(t, err)
	s := store.New(d, nil)
	defer s.Close()
	org := storetest.NewOrg()
	_, err = d.Append(ctx, storetest.One(storetest.NewKey(org, store.KindConsent), 0, storetest.Records(1, "z")...))
	require.NoError(t, err)
	_, err = s.EraseText(ctx, org, 0, []string{"tag"}, store.Erasure{Actor: circle.PersonID(uuid.New()), Reason: "erasure request"}, nil)
	require.Error(t, err)
	assert.True(t, errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid), "a typed error, not the database's: %v", err)
	assert.NotContains(t, err.Error(), "high bit")
}
