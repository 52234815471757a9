package pgstore_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/pgstore"
	"github.com/coproduce/sociocracy/store/storetest"
)

func TestConformance(t *testing.T) {
	needPG(t)
	storetest.Run(t, func(t *testing.T) store.Driver { return newDriver(t) })
}

func TestNewRefusesBadOptions(t *testing.T) {
	tests := []struct {
		name string
		pool *pgxpool.Pool
		opts *pgstore.Options
	}{
		{"nil pool", nil, nil},
		{"schema with a quote", &pgxpool.Pool{}, &pgstore.Options{Schema: `x"; drop table y; --`}},
		{"schema in upper case", &pgxpool.Pool{}, &pgstore.Options{Schema: "Sociocracy"}},
		{"schema starting with a digit", &pgxpool.Pool{}, &pgstore.Options{Schema: "1abc"}},
		{"schema longer than 63 bytes", &pgxpool.Pool{}, &pgstore.Options{Schema: "a234567890123456789012345678901234567890123456789012345678901234"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := pgstore.New(tc.pool, tc.opts)
			assert.Nil(t, d)
			assert.ErrorIs(t, err, store.ErrInvalid)
		})
	}
}

func TestNewAcceptsDefaults(t *testing.T) {
	d, err := pgstore.New(&pgxpool.Pool{}, nil)
	require.NoError(t, err)
	assert.Equal(t, pgstore.DefaultSchema, d.Schema())
}

func migrationRows(t *testing.T, schema string) []string {
	t.Helper()
	rows, err := pg.admin.Query(context.Background(),
		"select version || ' ' || name || ' ' || applied_at::text from "+schema+".schema_migrations order by version")
	require.NoError(t, err)
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	return out
}

func TestMigrate(t *testing.T) {
	needPG(t)
	ctx := context.Background()

	t.Run("fresh schema reaches SchemaVersion and a second run changes nothing", func(t *testing.T) {
		schema := FreshSchema()
		dropLater(t, schema)
		d, err := pgstore.New(pg.app, &pgstore.Options{Schema: schema})
		require.NoError(t, err)
		v, err := d.Version(ctx)
		require.NoError(t, err)
		assert.Equal(t, 0, v, "version of a schema that does not exist")

		require.NoError(t, d.Migrate(ctx))
		v, err = d.Version(ctx)
		require.NoError(t, err)
		assert.Equal(t, pgstore.SchemaVersion, v)
		before := migrationRows(t, schema)
		require.Len(t, before, pgstore.SchemaVersion)

		require.NoError(t, d.Migrate(ctx))
		assert.Equal(t, before, migrationRows(t, schema), "second Migrate must be a no-op")
	})

	t.Run("processes starting at once apply each migration once", func(t *testing.T) {
		schema := FreshSchema()
		dropLater(t, schema)
		const n = 8
		start := make(chan struct{})
		errs := make(chan error, n)
		var wg sync.WaitGroup
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				d, err := pgstore.New(pg.app, &pgstore.Options{Schema: schema})
				if err != nil {
					errs <- err
					return
				}
				<-start
				errs <- d.Migrate(ctx)
			}()
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			assert.NoError(t, err)
		}
		assert.Len(t, migrationRows(t, schema), pgstore.SchemaVersion)
	})

	t.Run("a newer schema is refused and left alone", func(t *testing.T) {
		schema := FreshSchema()
		dropLater(t, schema)
		d, err := pgstore.New(pg.app, &pgstore.Options{Schema: schema})
		require.NoError(t, err)
		require.NoError(t, d.Migrate(ctx))
		_, err = pg.admin.Exec(ctx, "insert into "+schema+".schema_migrations (version, name) values ($1, 'from the future')",
			pgstore.SchemaVersion+1)
		require.NoError(t, err)
		before := migrationRows(t, schema)

		err = d.Migrate(ctx)
		require.ErrorIs(t, err, store.ErrNewerSchema)
		var se *store.SchemaError
		require.ErrorAs(t, err, &se)
		assert.Equal(t, pgstore.SchemaVersion+1, se.Found)
		assert.Equal(t, pgstore.SchemaVersion, se.Supported)
		assert.Equal(t, before, migrationRows(t, schema))
	})

	t.Run("Open migrates and owns its pool", func(t *testing.T) {
		schema := FreshSchema()
		dropLater(t, schema)
		d, err := pgstore.Open(ctx, pg.dsn, &pgstore.Options{Schema: schema})
		require.NoError(t, err)
		v, err := d.Version(ctx)
		require.NoError(t, err)
		assert.Equal(t, pgstore.SchemaVersion, v)
		require.NoError(t, d.Close())
		require.NoError(t, d.Close(), "second Close")
		_, err = d.Head(ctx, storetest.NewOrg())
		assert.ErrorIs(t, err, store.ErrClosed)
	})

	t.Run("Open refuses bad options before connecting", func(t *testing.T) {
		_, err := pgstore.Open(ctx, "postgres://nowhere.invalid/x", &pgstore.Options{Schema: "Bad"})
		assert.ErrorIs(t, err, store.ErrInvalid)
	})
}

// rowsPerOrg is what fill writes to each table for one organisation (the
// snapshots table of schema 1 is no longer written: it stays empty).
var rowsPerOrg = map[string]int{"orgs": 1, "streams": 1, "entries": 2, "commands": 1, "profiles": 1, "snapshots": 0}

// fill writes one of everything for org: a stream of two entries, a
// command and a profile.
func fill(t *testing.T, d *pgstore.Driver, org circle.OrgID) {
	t.Helper()
	ctx := context.Background()
	key := storetest.NewKey(org, store.KindConsent)
	b := storetest.One(key, 0, storetest.Records(2, "rls")...)
	b.Command = store.CommandID(uuid.New())
	_, err := d.Append(ctx, b)
	require.NoError(t, err)
	require.NoError(t, d.PutProfile(ctx, org, circle.PersonID(uuid.New()), []byte("name")))
}

// TestRowLevelSecurity shows the defence in depth: as the adapter's role
// (neither superuser nor BYPASSRLS), a query that does not set the
// organisation sees no row of any table, and one that sets it sees only
// that organisation's rows and cannot write another's.
func TestRowLevelSecurity(t *testing.T) {
	needPG(t)
	ctx := context.Background()
	d := newDriver(t)
	orgA, orgB := storetest.NewOrg(), storetest.NewOrg()
	fill(t, d, orgA)
	fill(t, d, orgB)

	count := func(t *testing.T, q interface {
		QueryRow(context.Context, string, ...any) pgx.Row
	}, table, where string, args ...any) int {
		t.Helper()
		var n int
		require.NoError(t, q.QueryRow(ctx, "select count(*) from "+pg.schema+"."+table+where, args...).Scan(&n))
		return n
	}

	t.Run("every table has row-level security enabled and forced", func(t *testing.T) {
		for table := range rowsPerOrg {
			var enabled, forced bool
			require.NoError(t, pg.admin.QueryRow(ctx,
				"select relrowsecurity, relforcerowsecurity from pg_class where oid = to_regclass($1)",
				pg.schema+"."+table).Scan(&enabled, &forced))
			assert.True(t, enabled, table)
			assert.True(t, forced, table)
		}
	})

	t.Run("the rows are there", func(t *testing.T) {
		if pg.app.Config().AfterConnect == nil {
			t.Skip("the DSN's role is not privileged, so no role here sees past row-level security")
		}
		for table, n := range rowsPerOrg {
			assert.Equal(t, 2*n, count(t, pg.admin, table, " where org = any($1)",
				[]uuid.UUID{orgA.UUID(), orgB.UUID()}), "the superuser sees both organisations in %s", table)
		}
	})

	t.Run("without the organisation setting a raw query sees nothing", func(t *testing.T) {
		for table := range rowsPerOrg {
			assert.Zero(t, count(t, pg.app, table, ""), table)
		}
	})

	t.Run("with the setting a query sees only that organisation", func(t *testing.T) {
		tx, err := pg.app.Begin(ctx)
		require.NoError(t, err)
		defer func() { _ = tx.Rollback(ctx) }()
		_, err = tx.Exec(ctx, "select set_config('sociocracy.org', $1, true)", orgA.String())
		require.NoError(t, err)
		for table, n := range rowsPerOrg {
			assert.Equal(t, n, count(t, tx, table, " where org = any($1)", []uuid.UUID{orgA.UUID(), orgB.UUID()}), table)
			assert.Zero(t, count(t, tx, table, " where org = $1", orgB.UUID()), table)
		}
	})

	t.Run("the setting does not outlive its transaction", func(t *testing.T) {
		conn, err := pg.app.Acquire(ctx)
		require.NoError(t, err)
		defer conn.Release()
		tx, err := conn.Begin(ctx)
		require.NoError(t, err)
		_, err = tx.Exec(ctx, "select set_config('sociocracy.org', $1, true)", orgA.String())
		require.NoError(t, err)
		require.NoError(t, tx.Commit(ctx))
		assert.Zero(t, count(t, conn, "entries", ""), "same connection, after the transaction")
	})

	t.Run("the driver's setting does not outlive its calls on a pooled connection", func(t *testing.T) {
		cfg := pg.app.Config()
		cfg.MaxConns, cfg.MinConns = 1, 0
		one, err := pgxpool.NewWithConfig(ctx, cfg)
		require.NoError(t, err)
		defer one.Close()
		d1, err := pgstore.New(one, &pgstore.Options{Schema: pg.schema})
		require.NoError(t, err)
		_, err = d1.ReadLog(ctx, store.LogQuery{Org: orgA}) // a read: no explicit transaction
		require.NoError(t, err)
		require.NoError(t, d1.PutProfile(ctx, orgA, circle.PersonID(uuid.New()), []byte("x"))) // a write
		var setting *string
		require.NoError(t, one.QueryRow(ctx, "select nullif(current_setting('sociocracy.org', true), '')").Scan(&setting))
		assert.Nil(t, setting, "the only connection still names an organisation")
		assert.Zero(t, count(t, one, "entries", ""))
	})

	t.Run("a write for another organisation is refused", func(t *testing.T) {
		tx, err := pg.app.Begin(ctx)
		require.NoError(t, err)
		defer func() { _ = tx.Rollback(ctx) }()
		_, err = tx.Exec(ctx, "select set_config('sociocracy.org', $1, true)", orgA.String())
		require.NoError(t, err)
		_, err = tx.Exec(ctx, "insert into "+pg.schema+".profiles (org, person, data) values ($1, $2, 'x')",
			orgB.UUID(), uuid.New())
		require.Error(t, err)
		assert.Contains(t, err.Error(), "row-level security")
	})
}

// TestConstraintsBackTheLock plants a row the adapter's serialisation
// cannot know about (as a racing writer with weaker locking would) and
// checks that the unique constraint refuses the append, that the error
// matches store.ErrConflict and names the constraint, and that nothing of
// the batch was written.
func TestConstraintsBackTheLock(t *testing.T) {
	needPG(t)
	ctx := context.Background()
	d := newDriver(t)
	org := storetest.NewOrg()
	key := storetest.NewKey(org, store.KindConsent)
	_, err := d.Append(ctx, storetest.One(key, 0, storetest.Records(1, "first")...))
	require.NoError(t, err)
	head, err := d.Head(ctx, org)
	require.NoError(t, err)

	// Entry seq 2 appears behind the adapter's back, without moving the head.
	err = pgx.BeginFunc(ctx, pg.app, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "select set_config('sociocracy.org', $1, true)", org.String()); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `insert into `+pg.schema+`.entries
			(org, seq, kind, stream, version, type, circle, at_us, command, data, digest, hash)
			values ($1, 2, $2, $3, 99, 'planted', $4, 0, $4, '', $5, $5)`,
			org.UUID(), string(key.Kind), key.ID, uuid.UUID{}, make([]byte, 32))
		return err
	})
	require.NoError(t, err)

	other := storetest.NewKey(org, store.KindElection)
	_, err = d.Append(ctx, storetest.One(other, 0, storetest.Records(1, "second")...))
	require.ErrorIs(t, err, store.ErrConflict)
	var ce *pgstore.ConstraintError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "entries_pkey", ce.Constraint)

	_, err = d.Stream(ctx, other)
	assert.ErrorIs(t, err, store.ErrNotFound, "the refused batch created its stream")
	after, err := d.Head(ctx, org)
	require.NoError(t, err)
	assert.Equal(t, head, after, "the refused batch moved the head")
}

// TestCancelDuringLockWait: an append waiting for another transaction's
// lock on the organisation's head returns the context's error when its
// context ends, and writes nothing.
func TestCancelDuringLockWait(t *testing.T) {
	needPG(t)
	ctx := context.Background()
	d := newDriver(t)
	org := storetest.NewOrg()
	key := storetest.NewKey(org, store.KindConsent)
	_, err := d.Append(ctx, storetest.One(key, 0, storetest.Records(1, "a")...))
	require.NoError(t, err)

	tx, err := pg.app.Begin(ctx)
	require.NoError(t, err)
	defer func() { _ = tx.Rollback(ctx) }()
	_, err = tx.Exec(ctx, "select set_config('sociocracy.org', $1, true)", org.String())
	require.NoError(t, err)
	_, err = tx.Exec(ctx, "select 1 from "+pg.schema+".orgs where org = $1 for update", org.UUID())
	require.NoError(t, err)

	cctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	_, err = d.Append(cctx, storetest.One(key, 1, storetest.Records(1, "b")...))
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.DeadlineExceeded), "got %v", err)
	require.NoError(t, tx.Rollback(ctx))

	info, err := d.Stream(ctx, key)
	require.NoError(t, err)
	assert.Equal(t, uint64(1), info.Version)
}

// TestOrganisationsDoNotWaitForEachOther: while another transaction holds
// organisation A's head lock, an append to organisation B commits (there is
// no global lock), and an append to A waits until the lock is released.
func TestOrganisationsDoNotWaitForEachOther(t *testing.T) {
	needPG(t)
	ctx := context.Background()
	d := newDriver(t)
	orgA, orgB := storetest.NewOrg(), storetest.NewOrg()
	keyA, keyB := storetest.NewKey(orgA, store.KindConsent), storetest.NewKey(orgB, store.KindConsent)
	for _, k := range []store.StreamKey{keyA, keyB} {
		_, err := d.Append(ctx, storetest.One(k, 0, storetest.Records(1, "first")...))
		require.NoError(t, err)
	}

	tx, err := pg.app.Begin(ctx)
	require.NoError(t, err)
	defer func() { _ = tx.Rollback(ctx) }()
	_, err = tx.Exec(ctx, "select set_config('sociocracy.org', $1, true)", orgA.String())
	require.NoError(t, err)
	_, err = tx.Exec(ctx, "select 1 from "+pg.schema+".orgs where org = $1 for update", orgA.UUID())
	require.NoError(t, err)

	// A generous bound: B must not wait for A's lock, which is held until
	// the rollback below.
	bctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	_, err = d.Append(bctx, storetest.One(keyB, 1, storetest.Records(1, "second")...))
	require.NoError(t, err, "organisation B waited for organisation A's lock")

	done := make(chan error, 1)
	go func() {
		_, err := d.Append(ctx, storetest.One(keyA, 1, storetest.Records(1, "second")...))
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("organisation A's append did not wait for its lock (err %v)", err)
	case <-time.After(100 * time.Millisecond):
	}
	require.NoError(t, tx.Rollback(ctx))
	require.NoError(t, <-done)
	info, err := d.Stream(ctx, keyA)
	require.NoError(t, err)
	assert.Equal(t, uint64(2), info.Version)
}

// TestDeadlockIsRetried provokes a real deadlock (SQLSTATE 40P01) with an
// append that closes its stream (so that it writes the stream's row):
// another transaction holds that row and then asks for the organisation's
// head, which the append holds. PostgreSQL aborts the append's
// transaction (it waited first, so its deadlock check runs first); the
// driver runs it again, and it commits once the other
// transaction ends.
func TestDeadlockIsRetried(t *testing.T) {
	needPG(t)
	ctx := context.Background()
	d := newDriver(t)
	org := storetest.NewOrg()
	key := storetest.NewKey(org, store.KindConsent)
	_, err := d.Append(ctx, storetest.One(key, 0, storetest.Records(1, "first")...))
	require.NoError(t, err)

	tx, err := pg.app.Begin(ctx)
	require.NoError(t, err)
	defer func() { _ = tx.Rollback(ctx) }()
	_, err = tx.Exec(ctx, "select set_config('sociocracy.org', $1, true)", org.String())
	require.NoError(t, err)
	_, err = tx.Exec(ctx, "update "+pg.schema+".streams set status = status where org = $1 and id = $2", org.UUID(), key.ID)
	require.NoError(t, err)

	done := make(chan error, 1)
	go func() {
		// The append closes the stream, so that it writes the stream's row.
		second := storetest.One(key, 1, storetest.Records(1, "second")...)
		second.Streams[0].Status = store.StatusClosed
		_, err := d.Append(ctx, second)
		done <- err
	}()
	// Wait until the append is blocked on the stream row, holding the head.
	giveUp := time.Now().Add(time.Minute)
	for {
		require.True(t, time.Now().Before(giveUp), "the append never waited for the stream row")
		var waiting int
		require.NoError(t, pg.admin.QueryRow(ctx, `select count(*) from pg_stat_activity
			where wait_event_type = 'Lock' and position($1 in query) > 0`, pgx.Identifier{pg.schema}.Sanitize()+".streams set status_version").Scan(&waiting))
		if waiting > 0 {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("the append finished without waiting: %v", err)
		case <-time.After(5 * time.Millisecond):
		}
	}
	// Start waiting well after the append did, so that the append's
	// deadlock check (deadlock_timeout after it began waiting) runs first
	// even on a loaded machine.
	time.Sleep(500 * time.Millisecond)
	_, err = tx.Exec(ctx, "select 1 from "+pg.schema+".orgs where org = $1 for update", org.UUID())
	require.NoError(t, err, "the other transaction was chosen as the deadlock victim")
	require.NoError(t, tx.Rollback(ctx))
	require.NoError(t, <-done, "the append was not retried after the deadlock")
	info, err := d.Stream(ctx, key)
	require.NoError(t, err)
	assert.Equal(t, uint64(2), info.Version)
}
