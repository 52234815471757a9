// Package pgstore is the PostgreSQL adapter of
// [github.com/coproduce/sociocracy/store]: a [store.Driver] (and
// [store.Locker]) on [github.com/jackc/pgx/v5] with a [pgxpool.Pool],
// for platforms that run PostgreSQL or outgrow one machine (many
// co-operatives on one platform, replicas, managed databases).
//
// # Use
//
//	pool, err := pgxpool.New(ctx, dsn)      // the host's pool, shared
//	d, err := pgstore.New(pool, nil)        // nil Options: schema "sociocracy"
//	err = d.Migrate(ctx)                    // once at start-up; cheap when up to date
//
// or, for examples and small hosts, [Open] (pool, driver and Migrate in one
// call). [Driver.Close] never closes a pool the caller passed to [New].
//
// # Schema and migrations
//
// The tables live in one schema ([Options.Schema]). Migrations are SQL
// files embedded in the binary and applied only by an explicit
// [Driver.Migrate], in one transaction holding an advisory lock, so that
// processes starting together apply each migration once; a second run is a
// no-op, and a database at a newer schema version than [SchemaVersion] is
// refused with [store.ErrNewerSchema] rather than used. Each table keeps
// an organisation's records keyed by the organisation first:
//
//   - orgs: the head of each organisation's log (last sequence number and
//     hash);
//   - streams: one row per aggregate stream (circle, status, and the
//     version the row was last written at); since schema 3 a stream's
//     version is that of its last entry (see "Stream rows" below);
//   - entries: the logbook, one row per event, unique on (org, seq) and on
//     (org, kind, stream, version);
//   - commands: idempotency records, unique on (org, command);
//   - profiles: erasable personal profiles; an erasure deletes the row;
//   - snapshots: unused since the Store keeps replayed aggregates in memory;
//     schema 1 still creates it, empty.
//
// Times are stored as Unix microseconds (bigint), IDs as uuid, hashes and
// bodies as bytea, kinds and types as text with CHECK constraints.
//
// # Concurrency
//
// Every append is one READ COMMITTED transaction that first locks its
// organisation's row in orgs (SELECT ... FOR UPDATE). That serialises the
// appends of one organisation, so its log sequence stays gapless and its
// hash chain linear under any number of concurrent writers, while
// different organisations never wait for each other; there is no global
// lock. The unique constraints back the lock up: a write that slips past
// it is refused by the database and surfaces as a [*ConstraintError]
// matching [store.ErrConflict], with nothing written. Serialization
// failures (SQLSTATE 40001) and deadlocks (40P01) are retried a bounded
// number of times ([Options.MaxRetries]) with a short random back-off that
// honours the context, then returned as a [*RetryError] (matches
// [store.ErrConflict]). An append costs two round trips: statements are
// pipelined with [pgx.Batch], BEGIN and COMMIT included.
//
// The driver implements [store.Locker] ([Driver.AppendLocked]), which the
// portable Store uses for its acts: the head row is locked before the act
// reads anything, in the round trip of its first read, so that acts of one
// organisation never conflict, from this process or another. Acts of one
// organisation that wait at the same time in one driver share one
// transaction and one commit (group commit); the writes of each ride with
// the next round trip, and an act at the head the act before it leaves
// asks nothing of its own, so a group holds the lock for two round trips
// whatever its size (see [Driver.AppendLocked]).
//
// # Stream rows
//
// An act used to rewrite its stream's row only to move the version on; it
// cost a fifth of the act. Since schema 3 the version is read from the
// stream's last entry (through the unique key of entries), and the row is
// written when the stream starts and when its circle or status changes.
// To know whether they change without reading the row, the driver
// remembers, for up to 16,384 streams, the row each of its commits left
// (the update returns it). That stays true whatever other processes write:
// a row changes only with an append to its stream, which moves the
// version on, so the remembered row counts only at the version it was
// remembered at; another version, or a stream the driver does not
// remember, has its row written as the act asks.
//
// When the Store knows the organisation's head and it has not moved, a
// stream's version is not read under the lock but checked by the act's
// first entry: its own version must be free (the unique key) and, unless
// the driver remembers the stream at the version expected (which is then
// stored: entries are never removed), the entry of that version must be
// stored. Either failure aborts the transaction, and the act is refused
// with a [*store.ConflictError] naming the stream's version, as read
// afterwards.
//
// Every transaction also turns sorts off (enable_sort, for the
// transaction only): each query of the driver reads in the order of an
// index, and the planner must not choose to sort a whole long log instead
// because its statistics do not know the organisation yet.
//
// # Tenant isolation and row-level security
//
// Every statement names its organisation (WHERE org = $1). As defence in
// depth, every table has row-level security enabled and forced, with a
// policy that admits only rows whose org equals the transaction-local
// setting sociocracy.org; the driver sets it (set_config(...,
// true)) at the start of every transaction, so it never outlives one on a
// pooled connection. (A read is one pipelined batch, which PostgreSQL runs
// as one implicit transaction: setting and query in one round trip.) A query that does not set it, from a bug in the host
// or a hand-written report on the same role, sees no rows and cannot
// write any.
//
// # The database roles
//
// Row-level security does not apply to superusers or to roles with
// BYPASSRLS, and a table's owner may switch it off (ALTER TABLE ... NO
// FORCE ROW LEVEL SECURITY) or add a policy that admits everything. So
// run the adapter as two roles, neither a superuser nor BYPASSRLS:
//
//   - an owner role that migrates: CREATE on the database the first time;
//     it then owns the schema and its tables. It runs [Driver.Migrate] and
//     [Driver.GrantRuntime] at deployment, and nothing else.
//   - a runtime role that the host's pool logs in as: it owns nothing and
//     holds only the grants [Driver.GrantRuntime] gives: USAGE on the
//     schema; SELECT on schema_migrations; SELECT, INSERT, UPDATE on orgs,
//     streams and snapshots; SELECT, INSERT and UPDATE of the data and
//     redacted columns only on entries (an erasure), never DELETE; SELECT,
//     INSERT on commands; SELECT, INSERT, UPDATE, DELETE on profiles.
//
// [Driver.Migrate] on a schema already at [SchemaVersion] only reads
// schema_migrations, so the runtime role may call it at every start (as
// [Open] does); on a schema that needs migrating it fails with a
// [*PrivilegeError] and changes nothing. For example, as an administrator:
//
//	CREATE ROLE coop_owner LOGIN PASSWORD '...' NOSUPERUSER NOBYPASSRLS;
//	GRANT CREATE ON DATABASE coop TO coop_owner;
//	CREATE ROLE coop_app LOGIN PASSWORD '...' NOSUPERUSER NOBYPASSRLS;
//
// then, as coop_owner, d.Migrate(ctx) and d.GrantRuntime(ctx, "coop_app").
// The runtime role cannot ALTER, DROP, TRUNCATE or create a policy or a
// table, cannot delete or rewrite the log's hashes, cannot take the owner's
// role, and with row_security off its queries fail rather than see past the
// policies; without the organisation setting it sees no rows, and with one
// it sees and changes only that organisation's. TestLeastPrivilegeRoles
// checks every one of these statements, and runs the whole conformance
// suite as the runtime role. A schema migrated by a later version of this
// package may need more grants: run GrantRuntime again after Migrate.
//
// The setting is transaction-local, so it never outlives an adapter call
// on a pooled connection; a session-level setting that another user of the
// pool left behind is overridden inside every adapter call and does not
// change what the adapter reads or writes (tested too).
//
// # Erasure
//
// [store.Store.ErasePerson] deletes a profile row and [store.Store.EraseText]
// rewrites an entry's data in the same transaction as the logbook entry
// that records it, so no query through the adapter serves the erased text
// again. PostgreSQL itself still holds the old row versions as dead tuples
// in the table files until the table is rewritten, and in its write-ahead
// log until that is recycled. After an erasure a host that must make the
// bytes unrecoverable runs, as the owner role:
//
//	VACUUM FULL <schema>.entries;
//	VACUUM FULL <schema>.profiles;
//
// (plain VACUUM marks the space free but leaves the bytes until they are
// overwritten; VACUUM FULL takes an exclusive lock on the table while it
// rewrites it, so run it in a quiet moment), and keeps its WAL archive and
// base backups on a retention period that its erasure policy allows for:
// they hold the erased bytes until they age out. A test of this package
// reads the raw pages to show the bytes there after the erasure and gone
// after VACUUM FULL.
//
// # Errors
//
// Errors match the sentinels of package store with [errors.Is]: stale
// versions are [*store.ConflictError], missing records [*store.NotFoundError]
// (pgx.ErrNoRows never escapes), constraint violations [*ConstraintError]
// (unique: [store.ErrConflict]; foreign key: [store.ErrNotFound]; check:
// [store.ErrInvalid]). When the context ends first, the error wraps
// ctx.Err().
package pgstore
