package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"modernc.org/sqlite"

	"github.com/coproduce/sociocracy/store"
)

// ErrUnsuitableDB is matched (with [errors.Is]) by the [*SettingError] that
// [New] returns for a host's *sql.DB that lacks a setting the driver
// relies on.
var ErrUnsuitableDB = errors.New("sqlitestore: the database handle lacks a required setting")

// SettingError names the setting a host's *sql.DB lacks: what [New]
// found on one of its connections and what it needs. It matches
// [ErrUnsuitableDB].
type SettingError struct {
	Setting string // e.g. "synchronous"
	Want    string // e.g. "2 (FULL) or 3 (EXTRA)"
	Got     string
}

func (e *SettingError) Error() string {
	return fmt.Sprintf("sqlitestore: the database handle has %s = %s, want %s: open it with sqlitestore.DSN, or set the pragma in its DSN (_pragma=...) so that every pooled connection has it",
		e.Setting, e.Got, e.Want)
}

// Is reports whether target is [ErrUnsuitableDB].
func (e *SettingError) Is(target error) bool { return target == ErrUnsuitableDB }

// New returns a driver over the host's own *sql.DB, for a host that keeps
// its own tables in the same SQLite file. The caller keeps ownership of
// db: [Driver.Close] does not close it. Like [Open], New does not
// migrate: call [Driver.Migrate] before the first read or write.
//
// db must be opened with the modernc.org/sqlite driver (name "sqlite") and
// every one of its connections must carry the pragmas that [DSN] sets:
// journal_mode(WAL), synchronous(FULL) (or EXTRA), foreign_keys(1),
// secure_delete(1) and a busy_timeout above zero. Set them in the DSN
// (_pragma=...), not with db.Exec, which reaches one pooled connection
// only; the simplest is sql.Open("sqlite", sqlitestore.DSN(path, nil)).
// New checks them on a connection of db and refuses a handle that lacks
// one with a [*SettingError] (matching [ErrUnsuitableDB]); a handle of
// another database driver is refused the same way. _txlock=immediate is
// not needed: the driver's write transactions take the write lock with
// their first statement.
//
// All appends of the driver still go through its one writer goroutine
// (group commit), which takes a connection of db for each group;
// reads use db's pool. The host's own writes to the file are serialised
// with the driver's by SQLite (busy_timeout).
func New(ctx context.Context, db *sql.DB, opts *Options) (*Driver, error) {
	if db == nil {
		return nil, &store.InvalidError{Op: "sqlitestore", Detail: "nil database handle"}
	}
	if _, ok := db.Driver().(*sqlite.Driver); !ok {
		return nil, &SettingError{Setting: "driver", Want: "modernc.org/sqlite (driver name \"sqlite\")", Got: fmt.Sprintf("%T", db.Driver())}
	}
	if err := checkSettings(ctx, db); err != nil {
		return nil, err
	}
	d := &Driver{w: db, r: db, host: true, queue: make(chan *appendReq, 4*maxGroup), quit: make(chan struct{}), stopped: make(chan struct{})}
	v, err := d.schemaVersion(ctx, db)
	if err != nil {
		_ = d.Close()
		return nil, fmt.Errorf("sqlitestore: new: %w", err)
	}
	latest := latestVersion()
	if v > latest {
		_ = d.Close()
		return nil, fmt.Errorf("sqlitestore: new: %w", &store.SchemaError{Found: v, Supported: latest})
	}
	d.migrated.Store(v == latest)
	return d, nil
}

// checkSettings reads the pragmas the driver relies on from one connection
// of db.
func checkSettings(ctx context.Context, db *sql.DB) error {
	c, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("sqlitestore: new: %w", err)
	}
	defer c.Close()
	var mode string
	var syncMode, fk, secure, busy int
	for _, p := range []struct {
		pragma string
		dest   any
	}{
		{"journal_mode", &mode}, {"synchronous", &syncMode}, {"foreign_keys", &fk}, {"secure_delete", &secure}, {"busy_timeout", &busy},
	} {
		if err := c.QueryRowContext(ctx, "PRAGMA "+p.pragma).Scan(p.dest); err != nil {
			return fmt.Errorf("sqlitestore: new: reading pragma %s: %w", p.pragma, err)
		}
	}
	switch {
	case mode != "wal":
		return &SettingError{Setting: "journal_mode", Want: "wal (_pragma=journal_mode(WAL))", Got: mode}
	case syncMode < 2:
		return &SettingError{Setting: "synchronous", Want: "2 (FULL) or 3 (EXTRA) (_pragma=synchronous(FULL))", Got: strconv.Itoa(syncMode)}
	case fk != 1:
		return &SettingError{Setting: "foreign_keys", Want: "1 (_pragma=foreign_keys(1))", Got: strconv.Itoa(fk)}
	case secure != 1:
		return &SettingError{Setting: "secure_delete", Want: "1 (_pragma=secure_delete(1))", Got: strconv.Itoa(secure)}
	case busy <= 0:
		return &SettingError{Setting: "busy_timeout", Want: "more than 0 ms (_pragma=busy_timeout(5000))", Got: strconv.Itoa(busy)}
	}
	return nil
}
