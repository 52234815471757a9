package sqlitestore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/sqlitestore"
	"github.com/coproduce/sociocracy/store/storetest"
)

// An append that fails after its first write (here: its entry collides
// with a row planted in the file, after its stream's version moved) is
// undone whole, and the appends that shared its group commit still
// commit: the writer runs the group again with a savepoint around every
// append.
func TestAnAppendFailingAfterItsFirstWriteIsUndoneAlone(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "g.db")
	d, err := sqlitestore.OpenMigrated(ctx, path, nil)
	require.NoError(t, err)
	defer d.Close()

	poisoned := storetest.NewKey(storetest.NewOrg(), store.KindConsent)
	_, err = d.Append(ctx, lockedOne(poisoned, 0))
	require.NoError(t, err)
	// A trigger planted behind the driver's back refuses the poisoned
	// stream's versions from 3 on: each poisoned append (two records,
	// versions 2 and 3) fails at its second entry, after its first.
	raw, err := sql.Open("sqlite", sqlitestore.DSN(path, nil))
	require.NoError(t, err)
	defer raw.Close()
	_, err = raw.Exec(fmt.Sprintf(`CREATE TRIGGER poison BEFORE INSERT ON entries
		WHEN NEW.stream = x'%x' AND NEW.version >= 3 BEGIN SELECT RAISE(ABORT, 'poisoned'); END`, poisoned.ID[:]))
	require.NoError(t, err)

	const others, rounds = 15, 6
	keys := make([]store.StreamKey, others)
	for i := range keys {
		keys[i] = storetest.NewKey(storetest.NewOrg(), store.KindConsent)
	}
	for round := range rounds {
		var wg sync.WaitGroup
		errs := make([]error, others+1)
		for i := range errs {
			key, n := poisoned, 2
			if i < others {
				key, n = keys[i], 1
			}
			wg.Go(func() {
				_, errs[i] = d.AppendLocked(ctx, key.Org, func(ctx context.Context, r store.Reader) (*store.Batch, error) {
					v, err := version(ctx, r, key)
					if err != nil {
						return nil, err
					}
					return storetest.One(key, v, storetest.Records(n, fmt.Sprintf("v%d", v))...), nil
				})
			})
		}
		wg.Wait()
		for i := range others {
			assert.NoError(t, errs[i], "round %d, writer %d", round, i)
		}
		require.Error(t, errs[others], "round %d: the planted trigger refuses the poisoned append", round)
		assert.Contains(t, errs[others].Error(), "poisoned", "round %d", round)
	}
	info, err := d.Stream(ctx, poisoned)
	require.NoError(t, err)
	assert.Equal(t, uint64(1), info.Version, "the poisoned append's first entry was undone")
	for _, k := range keys {
		info, err := d.Stream(ctx, k)
		require.NoError(t, err)
		assert.Equal(t, uint64(rounds), info.Version)
	}
}

func lockedOne(key store.StreamKey, v uint64) *store.Batch {
	return storetest.One(key, v, storetest.Records(1, fmt.Sprintf("v%d", v))...)
}

func version(ctx context.Context, r store.Reader, key store.StreamKey) (uint64, error) {
	info, err := r.Stream(ctx, key)
	if err != nil {
		if storeNotFound(err) {
			return 0, nil
		}
		return 0, err
	}
	return info.Version, nil
}

func storeNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }

// An append with a command records the command first; when its stream
// then turns out stale, the whole group is run again with savepoints, so
// that the refused append leaves no command behind while the appends that
// shared its group commit.
func TestAStaleAppendWithACommandInAGroupLeavesNoCommand(t *testing.T) {
	ctx := context.Background()
	d, err := sqlitestore.OpenMigrated(ctx, filepath.Join(t.TempDir(), "c.db"), nil)
	require.NoError(t, err)
	defer d.Close()

	const writers, rounds = 16, 5
	keys := make([]store.StreamKey, writers)
	for i := range keys {
		keys[i] = storetest.NewKey(storetest.NewOrg(), store.KindConsent)
		if i%2 == 1 {
			_, err := d.Append(ctx, lockedOne(keys[i], 0))
			require.NoError(t, err)
		}
	}
	for round := range rounds {
		var wg sync.WaitGroup
		errs := make([]error, writers)
		cmds := make([]store.CommandID, writers)
		for i := range writers {
			cmds[i] = store.CommandID(uuid.New())
			b := lockedOne(keys[i], uint64(round))
			if i%2 == 1 {
				b = lockedOne(keys[i], 7) // stale: the stream is at version 1
			}
			b.Command, b.PayloadHash = cmds[i], store.DigestOf([]byte(fmt.Sprint(round, i)))
			wg.Go(func() { _, errs[i] = d.Append(ctx, b) })
		}
		wg.Wait()
		for i := range writers {
			_, cerr := d.Command(ctx, keys[i].Org, cmds[i])
			if i%2 == 1 {
				assert.ErrorIs(t, errs[i], store.ErrConflict, "round %d, writer %d: a stale version", round, i)
				assert.ErrorIs(t, cerr, store.ErrNotFound, "round %d, writer %d: the refused append left its command", round, i)
				continue
			}
			assert.NoError(t, errs[i], "round %d, writer %d", round, i)
			assert.NoError(t, cerr, "round %d, writer %d: the command of an append that committed", round, i)
		}
	}
}

// The writer does not checkpoint in its commits; the checkpointer beside it
// does, and the log still starts again from its beginning under a steady
// stream of group commits, so the write-ahead log file stays small (without
// checkpoints it would pass 100 MB here).
func TestTheWriteAheadLogStaysBoundedUnderLoad(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "wal.db")
	d, err := sqlitestore.OpenMigrated(ctx, path, nil)
	require.NoError(t, err)
	defer d.Close()

	const writers, each = 8, 1500
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for i := range writers {
		wg.Go(func() {
			org := storetest.NewOrg()
			for range each {
				key := storetest.NewKey(org, store.KindConsent)
				if _, err := d.Append(ctx, lockedOne(key, 0)); err != nil {
					errs[i] = err
					return
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	fi, err := os.Stat(path + "-wal")
	require.NoError(t, err)
	assert.Less(t, fi.Size(), int64(48<<20), "the write-ahead log is checkpointed and starts again")
}
