package pgstore

import (
	"context"
	"fmt"
	"regexp"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coproduce/sociocracy/internal/streamrows"
	"github.com/coproduce/sociocracy/store"
)

// DefaultSchema is the schema the adapter's tables live in when
// [Options.Schema] is empty.
const DefaultSchema = "sociocracy"

// DefaultMaxRetries is how many times a transaction that failed with a
// serialization failure (SQLSTATE 40001) or a deadlock (40P01) is run again
// when [Options.MaxRetries] is zero.
const DefaultMaxRetries = 8

// Options configures a [Driver]. A nil *Options means the defaults.
type Options struct {
	// Schema is the PostgreSQL schema holding the adapter's tables; empty
	// means [DefaultSchema]. It must be a plain lowercase identifier
	// ([a-z_][a-z0-9_]*, at most 63 bytes). Two drivers with different
	// schemas in one database are fully independent.
	Schema string
	// MaxRetries bounds how many times a transaction is run again after a
	// serialization failure or deadlock; 0 means [DefaultMaxRetries], a
	// negative value means no retry. When the retries are used up the error
	// is a [*RetryError].
	MaxRetries int
}

var schemaName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

func (o *Options) withDefaults() (Options, error) {
	var out Options
	if o != nil {
		out = *o
	}
	if out.Schema == "" {
		out.Schema = DefaultSchema
	}
	if !schemaName.MatchString(out.Schema) {
		return Options{}, &store.InvalidError{Op: "pgstore options", Detail: fmt.Sprintf("schema %q is not a lowercase identifier of 1 to 63 bytes ([a-z_][a-z0-9_]*)", out.Schema)}
	}
	switch {
	case out.MaxRetries == 0:
		out.MaxRetries = DefaultMaxRetries
	case out.MaxRetries < 0:
		out.MaxRetries = 0
	}
	return out, nil
}

// Driver is the PostgreSQL implementation of [store.Driver] and
// [store.Locker]. Create it with [New] (on the caller's pool) or
// [Open] (on a pool of its own). It is safe for concurrent use by many
// goroutines; the zero Driver is not usable.
type Driver struct {
	pool    *pgxpool.Pool
	owned   bool // Close closes pool
	schema  string
	retries int
	closed  atomic.Bool
	q       queries
	groups  groups // AppendLocked's queues, one per organisation
	rows    streamrows.Cache
}

var (
	_ store.Driver = (*Driver)(nil)
)

// New returns a driver that keeps its records in pool's database, in the
// schema opts names. The caller keeps ownership of pool: [Driver.Close]
// does not close it. New does not touch the database; call
// [Driver.Migrate] once at start-up (it is cheap when the schema is up to
// date) before the first read or write.
//
// The pool must connect as a role that is neither a superuser nor has
// BYPASSRLS, or the row-level security described in the package
// documentation is not in force (everything else still works).
func New(pool *pgxpool.Pool, opts *Options) (*Driver, error) {
	if pool == nil {
		return nil, &store.InvalidError{Op: "pgstore", Detail: "nil pool"}
	}
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Driver{
		pool:    pool,
		schema:  o.Schema,
		retries: o.MaxRetries,
		q:       buildQueries(pgx.Identifier{o.Schema}.Sanitize()),
	}, nil
}

// Open connects to the database that dsn names (a PostgreSQL URL or
// key=value string, see [pgxpool.ParseConfig]), runs [Driver.Migrate] and
// returns a driver that owns its pool: [Driver.Close] closes it. It is the
// one-call start for examples and small hosts; hosts that share a pool use
// [New].
func Open(ctx context.Context, dsn string, opts *Options) (*Driver, error) {
	if _, err := opts.withDefaults(); err != nil {
		return nil, err
	}
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("pgstore: open: %w", err)
	}
	d, err := New(pool, opts)
	if err != nil {
		pool.Close()
		return nil, err
	}
	d.owned = true
	if err := d.Migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return d, nil
}

// Schema returns the schema the driver's tables live in.
func (d *Driver) Schema() string { return d.schema }

// Close marks the driver closed: later calls return [store.ErrClosed]. It
// closes the pool only when the driver owns it ([Open]). A second Close
// returns nil.
func (d *Driver) Close() error {
	if d.closed.Swap(true) {
		return nil
	}
	if d.owned {
		d.pool.Close()
	}
	return nil
}

func (d *Driver) checkOpen(op string) error {
	if d.closed.Load() {
		return fmt.Errorf("pgstore: %s: %w", op, store.ErrClosed)
	}
	return nil
}
