// Package sqlitestore is the embedded default adapter of
// [github.com/coproduce/sociocracy/store]: a [store.Driver] and
// [store.Locker] on SQLite through modernc.org/sqlite (pure Go, no
// cgo).
//
// # Durability and settings
//
// Every pooled connection is opened with the same pragmas, set in the DSN
// so that no connection can miss them ([DSN]): WAL journal,
// synchronous=FULL (an acknowledged append survives power loss),
// busy_timeout, foreign_keys=ON and secure_delete=ON (an erased profile is
// overwritten in the file, not only unlinked). Writes run in
// BEGIN IMMEDIATE transactions (_txlock=immediate).
//
// On a file it opened itself the driver checkpoints the write-ahead log
// beside the writer rather than in its commits (the writer's connection
// has wal_autocheckpoint=0): after a group commits, at most every 50 ms, a
// passive checkpoint runs on a read connection, and once the log is past
// 4,096 pages the writer checkpoints the few pages left between two groups,
// so that the log starts again from its beginning under steady load. A
// host's handle keeps SQLite's own checkpoints.
//
// # Concurrency
//
// All appends of one [Driver] go through a single goroutine and a single
// connection, so concurrent writers in one process queue in Go rather than
// in SQLite's busy handler and never see "database is locked". The
// goroutine commits the appends waiting at once in one transaction, each in
// its own savepoint (group commit): concurrent writers share fsyncs, and
// every caller still gets exactly the result it would have got alone.
// [Driver.AppendLocked] ([store.Locker], which the portable Store uses
// for its acts) runs the act's build on that goroutine, inside the group's
// transaction and in a savepoint of its own, so that concurrent acts share
// commits and never conflict. An append of one stream without redactions
// is refused, if at all, before its first write (but for a version
// conflict after its command's record), and runs without a savepoint;
// should one fail after writing all the same, the group is rolled back
// and run again with a savepoint around every append.
// Reads use a separate pool and run in parallel with the writer (WAL). Another process writing the same
// file waits up to the busy timeout.
//
// The writer remembers the log head each of its commits left, per
// organisation (up to 4,096 of them), and an append starts from it
// without reading it. Another process may have written since, so that
// head is taken as unproved: the append proves it by writing the entry
// that follows it (the log only grows, one sequence number at a time, so
// that entry is free exactly when nobody has written since). An append
// or a build refused on an unproved head has the head read; when it had
// moved, the append runs again on the head as stored, so that an act is
// never refused, nor allowed, on what this process saw last.
//
// # What an act costs
//
// A commit writes every page it changed into the write-ahead log and syncs
// the log, and that is most of what an act costs: the more indexes an act
// touches, the more pages. An act on a process that exists writes its
// entry into three (the log's key, the stream's versions, the circle's
// log), and a command's record into a fourth; the start of a process
// writes the stream's row too, five in all, where a bare one-row insert
// writes one. Measured side by side on a 2-core machine (BenchmarkCommit),
// an act on an existing process costs 1.4 to 1.6 times a bare one-row
// insert transaction with the same settings and a start 1.5 to 1.7 times;
// a bare transaction of the very rows a start writes costs about 1.4
// times on its own, and the act 1.2 times that. Concurrent writers share the
// sync (group commit): 32 of them starting processes commit 12,700 to
// 17,000 acts a second (BenchmarkWriters) where the file takes 3,400
// one-row transactions (BenchmarkDriver32Writers), provided the new processes have time-ordered IDs;
// with random ones each start lands on random pages of two indexes and 32
// writers commit 8,100 to 9,800 (see "Choosing IDs" in the store package).
//
// # The host's own database handle
//
// [New] opens the driver on a *sql.DB the host already has (to keep its
// own tables in the same file); it checks the pragmas the driver relies on
// and refuses a handle without them with a [*SettingError].
//
// # Schema
//
// Migrations are embedded and applied by [Driver.Migrate], which is
// idempotent; [Open] refuses a file written by a newer schema with an error
// matching [store.ErrNewerSchema], and the other methods of a driver whose
// schema is behind return [ErrNotMigrated] until Migrate runs.
// [OpenMigrated] does both. Uniqueness of stream versions, log sequence
// numbers and command IDs is enforced by constraints; violations are
// reported as [store.ErrConflict].
//
// Since schema 2 a stream's version is that of its last entry, read
// through the entries' unique index, and the stream's row (its circle and
// status) is written only when the stream begins or they may change: the
// writer remembers, for up to 16,384 streams, the row its last commit left
// (an update returns the row, so a writer started on an existing file
// learns a stream's row at its first act), and an append that expects that very version and keeps the circle and
// status writes its entries alone. The first entry is the version check:
// the version the append expects is stored (the writer wrote it, or the
// insert asks), and its own version is free.
package sqlitestore
