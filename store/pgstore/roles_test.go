package pgstore_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/pgstore"
	"github.com/coproduce/sociocracy/store/storetest"
)

// roles are the two roles the package documentation recommends, created
// for one test: an owner that migrates and a runtime role with grants only.
type roles struct {
	schema         string
	owner, runtime string
	ownerPool      *pgxpool.Pool
	runtimePool    *pgxpool.Pool
}

// newRoles creates a fresh owner (LOGIN, CREATE on the database, neither
// superuser nor BYPASSRLS) and runtime role (LOGIN only), and pools that
// log in as each. The DSN's role must be able to create roles.
func newRoles(t *testing.T) *roles {
	t.Helper()
	needPG(t)
	ctx := context.Background()
	var canCreate bool
	require.NoError(t, pg.admin.QueryRow(ctx, "select rolsuper or rolcreaterole from pg_roles where rolname = current_user").Scan(&canCreate))
	if !canCreate {
		t.Skip("the DSN's role cannot create roles")
	}
	var b [4]byte
	_, _ = rand.Read(b[:])
	suffix := hex.EncodeToString(b[:])
	r := &roles{schema: FreshSchema(), owner: "sociocracy_owner_" + suffix, runtime: "sociocracy_app_" + suffix}
	db := pgx.Identifier{pg.admin.Config().ConnConfig.Database}.Sanitize()
	for _, q := range []string{
		"create role " + r.owner + " login password 'owner-pw' nosuperuser nobypassrls nocreaterole nocreatedb",
		"create role " + r.runtime + " login password 'runtime-pw' nosuperuser nobypassrls nocreaterole nocreatedb",
		"grant create on database " + db + " to " + r.owner,
	} {
		_, err := pg.admin.Exec(ctx, q)
		require.NoError(t, err, q)
	}
	t.Cleanup(func() {
		ctx := context.Background()
		if r.ownerPool != nil {
			r.ownerPool.Close()
		}
		if r.runtimePool != nil {
			r.runtimePool.Close()
		}
		for _, q := range []string{
			"drop schema if exists " + r.schema + " cascade",
			"drop owned by " + r.owner + ", " + r.runtime,
			"drop role " + r.runtime,
			"drop role " + r.owner,
		} {
			if _, err := pg.admin.Exec(ctx, q); err != nil {
				t.Errorf("%s: %v", q, err)
			}
		}
	})
	r.ownerPool = poolAs(t, r.owner, "owner-pw")
	r.runtimePool = poolAs(t, r.runtime, "runtime-pw")
	return r
}

func poolAs(t *testing.T, user, password string) *pgxpool.Pool {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(pg.dsn)
	require.NoError(t, err)
	cfg.ConnConfig.User, cfg.ConnConfig.Password = user, password
	cfg.MaxConns = 8
	p, err := pgxpool.NewWithConfig(context.Background(), cfg)
	require.NoError(t, err)
	return p
}

func code(err error) string {
	var pe *pgconn.PgError
	if errorsAs(err, &pe) {
		return pe.Code
	}
	return ""
}

// TestLeastPrivilegeRoles follows "The database roles" of the package
// documentation: the owner migrates and grants; the runtime role runs the
// whole conformance suite, may call Migrate on a current schema, and can
// neither switch the policies off nor get around them.
func TestLeastPrivilegeRoles(t *testing.T) {
	r := newRoles(t)
	ctx := context.Background()
	runtimeDriver := func(t *testing.T) *pgstore.Driver {
		d, err := pgstore.New(r.runtimePool, &pgstore.Options{Schema: r.schema})
		require.NoError(t, err)
		return d
	}

	t.Run("the runtime role cannot migrate a schema that needs it", func(t *testing.T) {
		err := runtimeDriver(t).Migrate(ctx)
		require.ErrorIs(t, err, pgstore.ErrPrivilege)
		var pe *pgstore.PrivilegeError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, "42501", pe.Err.Code)
		var exists bool
		require.NoError(t, pg.admin.QueryRow(ctx, "select exists (select 1 from pg_namespace where nspname = $1)", r.schema).Scan(&exists))
		assert.False(t, exists, "a refused Migrate creates nothing")
	})

	owner, err := pgstore.New(r.ownerPool, &pgstore.Options{Schema: r.schema})
	require.NoError(t, err)
	require.NoError(t, owner.Migrate(ctx))
	require.NoError(t, owner.GrantRuntime(ctx, r.runtime))
	require.NoError(t, owner.GrantRuntime(ctx, r.runtime), "granting again changes nothing")

	t.Run("the runtime role holds grants only", func(t *testing.T) {
		var super, bypass bool
		require.NoError(t, pg.admin.QueryRow(ctx, "select rolsuper, rolbypassrls from pg_roles where rolname = $1", r.runtime).Scan(&super, &bypass))
		assert.False(t, super)
		assert.False(t, bypass)
		var owned int
		require.NoError(t, pg.admin.QueryRow(ctx, `select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
			where n.nspname = $1 and pg_get_userbyid(c.relowner) = $2`, r.schema, r.runtime).Scan(&owned))
		assert.Zero(t, owned, "the runtime role owns no table")
		var schemaOwner string
		require.NoError(t, pg.admin.QueryRow(ctx, "select pg_get_userbyid(nspowner) from pg_namespace where nspname = $1", r.schema).Scan(&schemaOwner))
		assert.Equal(t, r.owner, schemaOwner)
	})

	t.Run("Migrate is a no-op for the runtime role on a current schema", func(t *testing.T) {
		d := runtimeDriver(t)
		require.NoError(t, d.Migrate(ctx))
		v, err := d.Version(ctx)
		require.NoError(t, err)
		assert.Equal(t, pgstore.SchemaVersion, v)
	})

	t.Run("the runtime role passes the conformance suite", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) store.Driver { return runtimeDriver(t) })
	})

	orgA, orgB := storetest.NewOrg(), storetest.NewOrg()
	d := runtimeDriver(t)
	fill(t, d, orgA)
	fill(t, d, orgB)

	// Every statement an attacker with the runtime role's password might
	// try against the policies, and the error PostgreSQL gives.
	t.Run("the runtime role cannot disable or bypass the policies", func(t *testing.T) {
		s := r.schema
		for _, q := range []string{
			"alter table " + s + ".entries no force row level security",
			"alter table " + s + ".entries disable row level security",
			"drop policy org_isolation on " + s + ".entries",
			"alter policy org_isolation on " + s + ".entries using (true)",
			"create policy everything on " + s + ".entries using (true)",
			"create table " + s + ".copy as select 1",
			"truncate " + s + ".entries",
			"delete from " + s + ".entries",
			"update " + s + ".entries set hash = digest",
			"update " + s + ".commands set payload_hash = payload_hash",
			"alter role " + r.runtime + " bypassrls",
			"set role " + r.owner,
			"grant " + r.owner + " to " + r.runtime,
			"drop table " + s + ".entries",
		} {
			_, err := r.runtimePool.Exec(ctx, q)
			require.Error(t, err, q)
			assert.Equal(t, "42501", code(err), "%s: %v", q, err)
		}
	})

	t.Run("row_security off does not show the rows", func(t *testing.T) {
		tx, err := r.runtimePool.Begin(ctx)
		require.NoError(t, err)
		defer func() { _ = tx.Rollback(ctx) }()
		_, err = tx.Exec(ctx, "set local row_security = off")
		require.NoError(t, err)
		var n int
		err = tx.QueryRow(ctx, "select count(*) from "+r.schema+".entries").Scan(&n)
		require.Error(t, err, "with row_security off a query the policy would filter fails instead")
		assert.Equal(t, "42501", code(err))
	})

	t.Run("the runtime role reads only the organisation it names", func(t *testing.T) {
		var n int
		require.NoError(t, r.runtimePool.QueryRow(ctx, "select count(*) from "+r.schema+".entries").Scan(&n))
		assert.Zero(t, n, "without the setting")
		tx, err := r.runtimePool.Begin(ctx)
		require.NoError(t, err)
		defer func() { _ = tx.Rollback(ctx) }()
		_, err = tx.Exec(ctx, "select set_config('sociocracy.org', $1, true)", orgA.String())
		require.NoError(t, err)
		for table, want := range rowsPerOrg {
			require.NoError(t, tx.QueryRow(ctx, "select count(*) from "+r.schema+"."+table+" where org = any($1)",
				[]uuid.UUID{orgA.UUID(), orgB.UUID()}).Scan(&n))
			assert.Equal(t, want, n, table)
		}
		_, err = tx.Exec(ctx, "update "+r.schema+".entries set data = 'x' where org = $1", orgB.UUID())
		require.NoError(t, err)
		require.NoError(t, pg.admin.QueryRow(ctx, "select count(*) from "+r.schema+".entries where org = $1 and data = 'x'", orgB.UUID()).Scan(&n))
		assert.Zero(t, n, "an update of another organisation's rows touches none")
	})

	t.Run("a session-level setting on a pooled connection does not leak through the adapter", func(t *testing.T) {
		cfg := r.runtimePool.Config()
		cfg.MaxConns, cfg.MinConns = 1, 0
		one, err := pgxpool.NewWithConfig(ctx, cfg)
		require.NoError(t, err)
		defer one.Close()
		// An earlier user of the only connection (a report, a bug in the
		// host) leaves a session-level setting naming organisation A.
		_, err = one.Exec(ctx, "select set_config('sociocracy.org', $1, false)", orgA.String())
		require.NoError(t, err)
		d1, err := pgstore.New(one, &pgstore.Options{Schema: r.schema})
		require.NoError(t, err)
		orgC := storetest.NewOrg()
		es, err := d1.ReadLog(ctx, store.LogQuery{Org: orgC})
		require.NoError(t, err)
		assert.Empty(t, es, "the adapter reads as organisation C, not as the session's A")
		h, err := d1.Head(ctx, orgC)
		require.NoError(t, err)
		assert.Zero(t, h)
		person := circle.PersonID(uuid.New())
		require.NoError(t, d1.PutProfile(ctx, orgB, person, []byte("b")), "a write for B succeeds despite the session's A")
		var n int
		require.NoError(t, pg.admin.QueryRow(ctx, "select count(*) from "+r.schema+".profiles where org = $1 and person = $2", orgB.UUID(), person).Scan(&n))
		assert.Equal(t, 1, n, "and lands in B")
		var setting string
		require.NoError(t, one.QueryRow(ctx, "select current_setting('sociocracy.org', true)").Scan(&setting))
		assert.Equal(t, orgA.String(), setting, "the adapter's own setting ended with its call; the session's is untouched")
	})
}

func errorsAs(err error, target **pgconn.PgError) bool { return errors.As(err, target) }
