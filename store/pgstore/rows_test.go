package pgstore_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/pgstore"
	"github.com/coproduce/sociocracy/store/storetest"
)

// prefetchedAt returns a build that tells the driver the head its asker
// knows (so that, at that head, the stream's version is not read under the
// lock but checked by the append's writes) and then appends b.
func prefetchedAt(key store.StreamKey, head store.Head, b *store.Batch) func(context.Context, store.Reader) (*store.Batch, error) {
	return func(ctx context.Context, r store.Reader) (*store.Batch, error) {
		if pf, ok := r.(store.Prefetcher); ok {
			if _, err := pf.Prefetch(ctx, store.Prefetch{Org: key.Org, Streams: []store.StreamRead{{Key: key}}, Unless: &head}); err != nil {
				return nil, err
			}
		}
		return b, nil
	}
}

// A driver remembers the row each of its commits leaves a stream with, and
// writes the row only when the circle or status changes. Another process
// writing to the stream since never makes it keep a row it does not know
// or accept a version that is not the stream's: the remembered row counts
// only at the version it was remembered at.
func TestAStreamRowAnotherProcessWroteStands(t *testing.T) {
	ctx := context.Background()
	a, b := newDriver(t), newDriver(t)
	org := storetest.NewOrg()
	key := storetest.NewKey(org, store.KindConsent)
	with := func(b *store.Batch, status string) *store.Batch {
		b.Streams[0].Status = status
		return b
	}
	first := with(storetest.One(key, 0, storetest.Records(1, "a")...), store.StatusOpen)
	first.Streams[0].Circle = circletest.Circle(1)
	_, err := a.Append(ctx, first)
	require.NoError(t, err)
	_, err = b.Append(ctx, with(storetest.One(key, 1, storetest.Records(2, "b")...), store.StatusClosed))
	require.NoError(t, err)
	head, err := a.Head(ctx, org)
	require.NoError(t, err)

	// a remembers the stream at version 1; it is at 3.
	_, err = a.AppendLocked(ctx, org, prefetchedAt(key, head, with(storetest.One(key, 1, storetest.Records(1, "stale")...), store.StatusOpen)))
	var ce *store.ConflictError
	if assert.ErrorAs(t, err, &ce, "a version the remembered row was at, since overtaken") {
		assert.Equal(t, uint64(1), ce.Expected)
		assert.Equal(t, uint64(3), ce.Actual)
	}
	_, err = a.AppendLocked(ctx, org, prefetchedAt(key, head, with(storetest.One(key, 5, storetest.Records(1, "ahead")...), store.StatusOpen)))
	if assert.ErrorAs(t, err, &ce, "a version the stream has not reached") {
		assert.Equal(t, uint64(5), ce.Expected)
		assert.Equal(t, uint64(3), ce.Actual)
	}
	// Open again, as a remembers it: the row b closed is written.
	_, err = a.AppendLocked(ctx, org, prefetchedAt(key, head, with(storetest.One(key, 3, storetest.Records(1, "reopen")...), store.StatusOpen)))
	require.NoError(t, err)
	info, err := b.Stream(ctx, key)
	require.NoError(t, err)
	assert.Equal(t, store.StreamInfo{Key: key, Version: 4, Circle: circletest.Circle(1), Status: store.StatusOpen}, info)

	// b remembers its closing at version 3: at 4 it writes the row again.
	_, err = b.Append(ctx, with(storetest.One(key, 4, storetest.Records(1, "close")...), store.StatusClosed))
	require.NoError(t, err)
	info, err = a.Stream(ctx, key)
	require.NoError(t, err)
	assert.Equal(t, store.StreamInfo{Key: key, Version: 5, Circle: circletest.Circle(1), Status: store.StatusClosed}, info)
	listed, err := a.Streams(ctx, store.StreamQuery{Org: org, Kind: store.KindConsent, Status: store.StatusClosed})
	require.NoError(t, err)
	assert.Equal(t, []store.StreamInfo{info}, listed)
	_, err = store.VerifyLog(ctx, a, org, nil)
	require.NoError(t, err)
}

// A schema that version 2 of the adapter wrote, where each stream's row
// kept its version, migrates to version 3: every stream keeps its version
// (now that of its last entry), status and circle, and appends, conflicts
// and the chain carry on.
func TestASchemaTwoMigrates(t *testing.T) {
	needPG(t)
	ctx := context.Background()
	schema := FreshSchema()
	dropLater(t, schema)
	_, err := pg.app.Exec(ctx, "create schema "+schema)
	require.NoError(t, err)
	tx, err := pg.app.Begin(ctx)
	require.NoError(t, err)
	defer func() { _ = tx.Rollback(ctx) }()
	_, err = tx.Exec(ctx, "create table "+schema+`.schema_migrations (
		version integer primary key, name text not null, applied_at timestamptz not null default now())`)
	require.NoError(t, err)
	_, err = tx.Exec(ctx, "set local search_path to "+schema)
	require.NoError(t, err)
	for i, name := range []string{"0001_init", "0002_stream_lists_lead_with_circle_and_status"} {
		body, err := os.ReadFile("migrations/" + name + ".sql")
		require.NoError(t, err)
		_, err = tx.Exec(ctx, string(body))
		require.NoError(t, err, name)
		_, err = tx.Exec(ctx, "insert into schema_migrations (version, name) values ($1, $2)", i+1, name[5:])
		require.NoError(t, err)
	}
	// Two streams as version 2 left them: rows carrying the version.
	org := storetest.NewOrg()
	keys := []store.StreamKey{storetest.NewKey(org, store.KindConsent), storetest.NewKey(org, store.KindConsent)}
	head := store.Head{}
	_, err = tx.Exec(ctx, "select set_config('sociocracy.org', $1, true)", org.String())
	require.NoError(t, err)
	_, err = tx.Exec(ctx, "insert into orgs (org) values ($1)", org.UUID())
	require.NoError(t, err)
	for i, key := range keys {
		b := storetest.One(key, 0, storetest.Records(2+i, "v2")...)
		entries, err := b.Seal(head)
		require.NoError(t, err)
		for _, e := range entries {
			_, err = tx.Exec(ctx, `insert into entries (org, seq, kind, stream, version, type, circle, at_us, command, data, digest, redacted, hash)
				values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, false, $12)`,
				org.UUID(), e.Seq, string(key.Kind), key.ID, e.Version, e.Type, uuid.UUID(e.Circle), e.At.UnixMicro(), uuid.UUID(e.Command), e.Data, e.Digest[:], e.Hash[:])
			require.NoError(t, err)
		}
		last := entries[len(entries)-1]
		head = store.Head{Seq: last.Seq, Hash: last.Hash}
		_, err = tx.Exec(ctx, "insert into streams (org, kind, id, version, circle, status) values ($1, $2, $3, $4, $5, $6)",
			org.UUID(), string(key.Kind), key.ID, last.Version, uuid.UUID(circletest.Circle(1+i)), store.StatusOpen)
		require.NoError(t, err)
	}
	_, err = tx.Exec(ctx, "update orgs set head_seq = $2, head_hash = $3 where org = $1", org.UUID(), head.Seq, head.Hash[:])
	require.NoError(t, err)
	require.NoError(t, tx.Commit(ctx))

	d, err := pgstore.New(pg.app, &pgstore.Options{Schema: schema})
	require.NoError(t, err)
	v, err := d.Version(ctx)
	require.NoError(t, err)
	require.Equal(t, 2, v)
	require.NoError(t, d.Migrate(ctx))
	v, err = d.Version(ctx)
	require.NoError(t, err)
	assert.Equal(t, 3, v)

	for i, key := range keys {
		info, err := d.Stream(ctx, key)
		require.NoError(t, err)
		assert.Equal(t, store.StreamInfo{Key: key, Version: uint64(2 + i), Circle: circletest.Circle(1 + i), Status: store.StatusOpen}, info)
	}
	listed, err := d.Streams(ctx, store.StreamQuery{Org: org, Kind: store.KindConsent})
	require.NoError(t, err)
	require.Len(t, listed, 2)
	_, err = d.Append(ctx, storetest.One(keys[0], 1, storetest.Records(1, "stale")...))
	var ce *store.ConflictError
	if assert.ErrorAs(t, err, &ce) {
		assert.Equal(t, uint64(2), ce.Actual)
	}
	_, err = d.AppendLocked(ctx, org, prefetchedAt(keys[1], head, storetest.One(keys[1], 3, storetest.Records(1, "next")...)))
	require.NoError(t, err)
	info, err := d.Stream(ctx, keys[1])
	require.NoError(t, err)
	assert.Equal(t, uint64(4), info.Version)
	_, err = store.VerifyLog(ctx, d, org, nil)
	require.NoError(t, err)

	var column string
	require.NoError(t, pg.app.QueryRow(ctx, `select column_name from information_schema.columns
		where table_schema = $1 and table_name = 'streams' and column_name like '%version'`, schema).Scan(&column))
	assert.Equal(t, "status_version", column)
}

// An act writes its stream's row only when the circle or status changes,
// or when the driver does not know the row (a driver just started); the
// update it then makes teaches it the row, so the next act writes none.
func TestAStreamRowIsWrittenOnlyWhenItChanges(t *testing.T) {
	ctx := context.Background()
	d := newDriver(t)
	org := storetest.NewOrg()
	key := storetest.NewKey(org, store.KindConsent)
	// A trigger planted behind the driver's back counts the row's updates.
	counter := pg.schema + ".row_writes_" + strings.ReplaceAll(key.ID.String(), "-", "")
	_, err := pg.admin.Exec(ctx, `create table `+counter+` (n int not null)`)
	require.NoError(t, err)
	_, err = pg.admin.Exec(ctx, `insert into `+counter+` values (0)`)
	require.NoError(t, err)
	_, err = pg.admin.Exec(ctx, `create function `+counter+`_count() returns trigger language plpgsql security definer as $$
		begin
			if new.id = '`+key.ID.String()+`' then update `+counter+` set n = n + 1; end if;
			return new;
		end $$`)
	require.NoError(t, err)
	_, err = pg.admin.Exec(ctx, `create trigger `+"row_writes_"+strings.ReplaceAll(key.ID.String(), "-", "")+` after update on `+pg.schema+`.streams for each row execute function `+counter+`_count()`)
	require.NoError(t, err)
	t.Cleanup(func() {
		_, err := pg.admin.Exec(context.Background(), `drop function `+counter+`_count() cascade; drop table `+counter)
		assert.NoError(t, err)
	})
	writes := func() int {
		var n int
		require.NoError(t, pg.admin.QueryRow(ctx, `select n from `+counter).Scan(&n))
		return n
	}
	v := uint64(0)
	act := func(d *pgstore.Driver, status string, locked bool) {
		t.Helper()
		b := storetest.One(key, v, storetest.Records(1, "x")...)
		b.Streams[0].Status = status
		if v == 0 || v == 8 {
			b.Streams[0].Circle = circletest.Circle(1) // at 8: the circle it has
		}
		var err error
		if locked {
			head, herr := d.Head(ctx, org)
			require.NoError(t, herr)
			_, err = d.AppendLocked(ctx, org, prefetchedAt(key, head, b))
		} else {
			_, err = d.Append(ctx, b)
		}
		require.NoError(t, err)
		v++
	}
	act(d, store.StatusOpen, false)
	act(d, store.StatusOpen, false)
	act(d, store.StatusOpen, true)
	assert.Equal(t, 0, writes(), "the status stays: the row is not written")
	act(d, store.StatusClosed, true)
	assert.Equal(t, 1, writes(), "the status changes")
	act(d, "", false)
	assert.Equal(t, 1, writes(), "no status given")

	later := newDriver(t) // a process started since: it knows no row
	act(later, store.StatusClosed, true)
	assert.Equal(t, 2, writes(), "a row the driver does not know is written")
	act(later, store.StatusClosed, true)
	act(later, store.StatusClosed, false)
	act(later, store.StatusClosed, true)
	require.Equal(t, uint64(9), v)
	assert.Equal(t, 2, writes(), "the update taught the driver the row, its circle too")
	info, err := d.Stream(ctx, key)
	require.NoError(t, err)
	assert.Equal(t, store.StreamInfo{Key: key, Version: v, Circle: circletest.Circle(1), Status: store.StatusClosed}, info)
}
