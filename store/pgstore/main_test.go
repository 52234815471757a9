package pgstore_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/store/pgstore"
)

// DSNVar names the environment variable that points the tests at a
// PostgreSQL database. scripts/test starts a throwaway server and sets it.
const DSNVar = "SOCIOCRACY_PG_DSN"

// appRole is the role the adapter runs as in these tests when the DSN's own
// role is a superuser or has BYPASSRLS (scripts/test connects as the
// superuser postgres): without it row-level security would not apply, and
// the tests would not show that it does. It is created (NOLOGIN) if
// missing, given CREATE on the database, and every connection of the
// adapter's pool switches to it with SET ROLE.
const appRole = "sociocracy_test_app"

// pg is the shared test database, set up once by TestMain.
var pg struct {
	dsn    string
	admin  *pgxpool.Pool // the DSN's own role
	app    *pgxpool.Pool // a role without SUPERUSER and BYPASSRLS
	schema string        // a fresh schema for this run, dropped at the end
	skip   string        // why the PostgreSQL tests cannot run
}

func TestMain(m *testing.M) {
	os.Exit(func() int {
		if err := setup(); err != nil {
			fmt.Fprintf(os.Stderr, "pgstore tests: %v\n", err)
			return 1
		}
		defer teardown()
		return m.Run()
	}())
}

func setup() error {
	pg.dsn = os.Getenv(DSNVar)
	if pg.dsn == "" {
		pg.skip = DSNVar + " is not set: the PostgreSQL adapter is not tested (scripts/test starts a throwaway server and sets it)"
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var err error
	if pg.admin, err = pgxpool.New(ctx, pg.dsn); err != nil {
		return err
	}
	var privileged bool
	if err := pg.admin.QueryRow(ctx,
		"select rolsuper or rolbypassrls from pg_roles where rolname = current_user").Scan(&privileged); err != nil {
		return err
	}
	cfg, err := pgxpool.ParseConfig(pg.dsn)
	if err != nil {
		return err
	}
	cfg.MaxConns = 40
	if privileged {
		if err := createAppRole(ctx); err != nil {
			return err
		}
		cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
			_, err := c.Exec(ctx, "set role "+appRole)
			return err
		}
	}
	if pg.app, err = pgxpool.NewWithConfig(ctx, cfg); err != nil {
		return err
	}
	pg.schema = FreshSchema()
	d, err := pgstore.New(pg.app, &pgstore.Options{Schema: pg.schema})
	if err != nil {
		return err
	}
	return d.Migrate(ctx)
}

// createAppRole creates appRole if it is missing and lets it create
// schemas in the database. Concurrent test runs against one server take
// turns through an advisory lock.
func createAppRole(ctx context.Context) error {
	return pgx.BeginFunc(ctx, pg.admin, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "select pg_advisory_xact_lock(7215553)"); err != nil {
			return err
		}
		var exists bool
		if err := tx.QueryRow(ctx, "select exists (select 1 from pg_roles where rolname = $1)", appRole).Scan(&exists); err != nil {
			return err
		}
		if !exists {
			if _, err := tx.Exec(ctx, "create role "+appRole+" nologin nosuperuser nobypassrls"); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, "grant create on database "+pgx.Identifier{tx.Conn().Config().Database}.Sanitize()+" to "+appRole)
		return err
	})
}

func teardown() {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if pg.app != nil {
		pg.app.Close()
	}
	if pg.admin != nil {
		if pg.schema != "" {
			_, _ = pg.admin.Exec(ctx, "drop schema if exists "+pg.schema+" cascade")
		}
		pg.admin.Close()
	}
}

// needPG skips the test when no database is configured, or fails it when
// the CI variable is set: CI must never pass without the PostgreSQL tests.
func needPG(tb testing.TB) {
	tb.Helper()
	if pg.skip == "" {
		return
	}
	if os.Getenv("CI") != "" {
		tb.Fatalf("CI is set but %s", pg.skip)
	}
	tb.Skip(pg.skip)
}

// FreshSchema returns a new schema name for one test run or test.
func FreshSchema() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "sociocracy_test_" + hex.EncodeToString(b[:])
}

// newDriver returns a driver on the shared schema, as the app role.
func newDriver(tb testing.TB) *pgstore.Driver {
	tb.Helper()
	needPG(tb)
	d, err := pgstore.New(pg.app, &pgstore.Options{Schema: pg.schema})
	require.NoError(tb, err)
	return d
}

// dropLater drops schema when the test ends.
func dropLater(tb testing.TB, schema string) {
	tb.Cleanup(func() {
		_, err := pg.admin.Exec(context.Background(), "drop schema if exists "+schema+" cascade")
		if err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
}
