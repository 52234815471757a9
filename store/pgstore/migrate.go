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
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/coproduce/sociocracy/store"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// SchemaVersion is the schema version this package writes and reads: the
// number of the newest embedded migration.
const SchemaVersion = 3

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
// once (the second waits, then finds nothing to do). A schema already at
// [SchemaVersion] is found with two reads and nothing else: no lock, no
// DDL, so a runtime role without CREATE or ownership (see "The database
// roles" in the package documentation) may call it at every start. A
// schema already at a newer version than this package knows returns a
// [*store.SchemaError] (matches [store.ErrNewerSchema]) and changes
// nothing. A role that may not migrate a schema that needs it gets a
// [*PrivilegeError].
//
// The role that migrates needs CREATE on the database the first time (to
// create the schema) and owns the schema and its tables afterwards.
func (d *Driver) Migrate(ctx context.Context) error {
	const op = "migrate"
	if err := d.checkOpen(op); err != nil {
		return err
	}
	ms, err := migrations()
	if err != nil {
		return err
	}
	current, err := d.Version(ctx)
	if err != nil {
		return err
	}
	if current > len(ms) {
		return &store.SchemaError{Found: current, Supported: len(ms)}
	}
	if current == len(ms) {
		return nil
	}
	schema := pgx.Identifier{d.schema}.Sanitize()
	err = pgx.BeginTxFunc(ctx, d.pool, pgx.TxOptions{IsoLevel: pgx.ReadCommitted}, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "select pg_advisory_xact_lock($1)", migrateLockKey(d.schema)); err != nil {
			return err
		}
		var exists bool
		if err := tx.QueryRow(ctx, "select exists (select 1 from pg_namespace where nspname = $1)", d.schema).Scan(&exists); err != nil {
			return err
		}
		if !exists {
			if _, err := tx.Exec(ctx, "create schema "+schema); err != nil {
				return err
			}
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
		if pe := privilegeError(op, d.schema, err); pe != nil {
			return pe
		}
		return translate(ctx, op, err)
	}
	return nil
}

const codeInsufficientPrivilege = "42501"

// PrivilegeError reports that the driver's role may not do what was asked:
// migrate a schema that needs it, or grant on a schema it does not own.
// It matches [ErrPrivilege]; Unwrap returns the PostgreSQL error.
type PrivilegeError struct {
	Op, Schema string
	Err        *pgconn.PgError
}

// ErrPrivilege is matched by every [*PrivilegeError].
var ErrPrivilege = errors.New("pgstore: the role lacks a privilege")

func (e *PrivilegeError) Error() string {
	return fmt.Sprintf("pgstore: %s: the role may not change schema %s (%s); run it as the role that owns the schema, or as one with CREATE on the database the first time",
		e.Op, e.Schema, e.Err.Message)
}

// Is reports whether target is [ErrPrivilege].
func (e *PrivilegeError) Is(target error) bool { return target == ErrPrivilege }

// Unwrap returns the PostgreSQL error.
func (e *PrivilegeError) Unwrap() error { return e.Err }

func privilegeError(op, schema string, err error) *PrivilegeError {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == codeInsufficientPrivilege {
		return &PrivilegeError{Op: op, Schema: schema, Err: pe}
	}
	return nil
}

// runtimeGrants are the privileges the driver uses at run time, table by
// table, and no more: the log's entries are never deleted and only their
// body and redaction flag are ever updated (an erasure); idempotency
// records are never changed.
var runtimeGrants = []struct{ table, privileges string }{
	{"schema_migrations", "select"},
	{"orgs", "select, insert, update"},
	{"streams", "select, insert, update"},
	{"entries", "select, insert, update (data, redacted)"},
	{"commands", "select, insert"},
	{"profiles", "select, insert, update, delete"},
	{"snapshots", "select, insert, update"},
}

// GrantRuntime gives role what the driver needs at run time on the
// driver's schema and nothing more (see "The database roles" in the
// package documentation): USAGE on the schema and, table by table, the
// statements the driver runs. Run it as the role that owns the schema,
// after [Driver.Migrate]; it is idempotent. It never gives ownership,
// CREATE, TRUNCATE, or DELETE on the log. A role name is any PostgreSQL
// identifier (it is quoted).
func (d *Driver) GrantRuntime(ctx context.Context, role string) error {
	const op = "grant runtime"
	if err := d.checkOpen(op); err != nil {
		return err
	}
	if role == "" {
		return &store.InvalidError{Op: op, Detail: "no role"}
	}
	schema := pgx.Identifier{d.schema}.Sanitize()
	r := pgx.Identifier{role}.Sanitize()
	err := pgx.BeginTxFunc(ctx, d.pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "grant usage on schema "+schema+" to "+r); err != nil {
			return err
		}
		for _, g := range runtimeGrants {
			if _, err := tx.Exec(ctx, "grant "+g.privileges+" on "+schema+"."+pgx.Identifier{g.table}.Sanitize()+" to "+r); err != nil {
				return err
			}
		}
		return nil
	})
	if pe := privilegeError(op, d.schema, err); pe != nil {
		return pe
	}
	return translate(ctx, op, err)
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
