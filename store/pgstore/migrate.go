package pgstore

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/sociocracy/store"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// SchemaVersion is the schema version this package writes and reads: the
// number of the newest embedded migration.
const SchemaVersion = 1

type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded migrations in version order. Their file
// names are NNNN_name.sql, numbered 1, 2, 3, ... without gaps.
func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	out := make([]migration, 0, len(names))
	for _, n := range names {
		base := strings.TrimPrefix(n, "migrations/")
		num, rest, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v != len(out)+1 {
			return nil, fmt.Errorf("pgstore: migration %s: want name %04d_<name>.sql", base, len(out)+1)
		}
		b, err := migrationFiles.ReadFile(n)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: strings.TrimSuffix(rest, ".sql"), sql: string(b)})
	}
	return out, nil
}

// migrateLockKey is the advisory lock Migrate holds for its transaction:
// one per schema, so migrating two schemas does not wait.
func migrateLockKey(schema string) int64 {
	h := fnv.New64a()
	h.Write([]byte("sociocracy/pgstore/migrate/" + schema))
	return int64(h.Sum64())
}

// Migrate brings the driver's schema up to [SchemaVersion]: it creates the
// schema if needed and applies the embedded migrations that have not run
// yet, all in one transaction that holds a transaction-scoped advisory lock
// for the schema, so two processes starting at once apply each migration
// once (the second waits, then finds nothing to do). Running it on an
// up-to-date schema changes nothing. A schema already at a newer version
// than this package knows returns a [*store.SchemaError] (matches
// [store.ErrNewerSchema]) and changes nothing.
//
// The role needs CREATE on the database (for the schema) the first time,
// and to own the schema's tables afterwards; see the package documentation
// for running the adapter itself under a less privileged role.
func (d *Driver) Migrate(ctx context.Context) error {
	const op = "migrate"
	if err := d.checkOpen(op); err != nil {
		return err
	}
	ms, err := migrations()
	if err != nil {
		return err
	}
	schema := pgx.Identifier{d.schema}.Sanitize()
	err = pgx.BeginTxFunc(ctx, d.pool, pgx.TxOptions{IsoLevel: pgx.ReadCommitted}, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "select pg_advisory_xact_lock($1)", migrateLockKey(d.schema)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "create schema if not exists "+schema); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `create table if not exists `+schema+`.schema_migrations (
			version    integer     primary key,
			name       text        not null,
			applied_at timestamptz not null default now())`); err != nil {
			return err
		}
		var current int
		if err := tx.QueryRow(ctx, "select coalesce(max(version), 0) from "+schema+".schema_migrations").Scan(&current); err != nil {
			return err
		}
		if current > len(ms) {
			return &store.SchemaError{Found: current, Supported: len(ms)}
		}
		if current == len(ms) {
			return nil
		}
		if _, err := tx.Exec(ctx, "set local search_path to "+schema); err != nil {
			return err
		}
		for _, m := range ms[current:] {
			// No arguments: pgx sends it with the simple protocol, which
			// runs a file of several statements.
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return fmt.Errorf("migration %04d_%s: %w", m.version, m.name, err)
			}
			if _, err := tx.Exec(ctx, "insert into "+schema+".schema_migrations (version, name) values ($1, $2)", m.version, m.name); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		var se *store.SchemaError
		if errors.As(err, &se) {
			return se
		}
		return translate(ctx, op, err)
	}
	return nil
}

// Version returns the schema version recorded in the database: 0 when the
// schema has never been migrated.
func (d *Driver) Version(ctx context.Context) (int, error) {
	const op = "schema version"
	if err := d.checkOpen(op); err != nil {
		return 0, err
	}
	var exists bool
	if err := d.pool.QueryRow(ctx, "select to_regclass($1) is not null",
		pgx.Identifier{d.schema, "schema_migrations"}.Sanitize()).Scan(&exists); err != nil {
		return 0, translate(ctx, op, err)
	}
	if !exists {
		return 0, nil
	}
	var v int
	err := d.pool.QueryRow(ctx, "select coalesce(max(version), 0) from "+pgx.Identifier{d.schema}.Sanitize()+".schema_migrations").Scan(&v)
	return v, translate(ctx, op, err)
}
