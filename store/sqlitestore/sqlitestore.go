package sqlitestore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/internal/streamrows"
	"github.com/coproduce/sociocracy/store"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// ErrNotMigrated is returned by every method of a [Driver] whose database
// schema is older than this package's until [Driver.Migrate] has run.
var ErrNotMigrated = errors.New("sqlitestore: database schema is not migrated; call Migrate")

// Options configure [Open]. A nil *Options means the defaults.
type Options struct {
	// BusyTimeout is how long a connection waits for a lock held by
	// another process before failing. Default 5s.
	BusyTimeout time.Duration
	// ReadConns is the size of the read pool. Default 4.
	ReadConns int
}

func (o *Options) busy() time.Duration {
	if o == nil || o.BusyTimeout <= 0 {
		return 5 * time.Second
	}
	return o.BusyTimeout
}

func (o *Options) readConns() int {
	if o == nil || o.ReadConns <= 0 {
		return 4
	}
	return o.ReadConns
}

// DSN returns the modernc.org/sqlite data source name [Open] uses for path:
// every pragma the package relies on, set per connection. The path is
// escaped for a file: URI, so any file name (with '#', '?' or '%' in it)
// names that file and no other.
func DSN(path string, opts *Options) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout("+strconv.FormatInt(opts.busy().Milliseconds(), 10)+")")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "secure_delete(1)")
	q.Set("_txlock", "immediate")
	return "file:" + uriPath(path) + "?" + q.Encode()
}

// Driver is the SQLite adapter. Create it with [Open] or [OpenMigrated];
// the zero value is not usable. It is safe for concurrent use.
type Driver struct {
	w, r     *sql.DB // w has exactly one connection
	closed   atomic.Bool
	migrated atomic.Bool
	mu       sync.Mutex // serialises Migrate
	ws, rs   stmtCache  // prepared statements of w and r

	wprepared atomic.Bool
	host      bool // opened with New on the host's *sql.DB: w and r are that pool

	// The write path: one goroutine commits queued appends in groups.
	queue      chan *appendReq
	quit       chan struct{} // closed by Close
	stopped    chan struct{} // closed when the writer has stopped
	writerOnce sync.Once

	// Checkpoints, on a file the driver opened itself (see checkpointer):
	// wake tells the checkpointer a group committed; walLong tells the
	// writer the log is long and wants a checkpoint of its own, between
	// groups, so that the log can start again from its beginning.
	wake       chan struct{}
	walLong    atomic.Bool
	ckptDone   chan struct{} // closed when the checkpointer has stopped
	background bool          // the checkpointer runs (not on a host's handle)

	// known holds, per organisation, the log head as of the writer's last
	// commit that touched it; only the writer's goroutine uses it (see
	// wtx.head for how a head taken from it is made sure of).
	known map[circle.OrgID]store.Head
	// rows holds, per stream, its row as the writer's last commit that
	// wrote it left it (see appendTx).
	rows streamrows.Cache
}

// maxKnown bounds Driver.known; when it is full it is emptied, and the
// heads are read again.
const maxKnown = 4096

// stmtCache keeps one prepared statement per query text; database/sql
// prepares it again on each pooled connection that runs it, once.
type stmtCache struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

func (c *stmtCache) get(ctx context.Context, db *sql.DB, q string) (*sql.Stmt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[q]; ok {
		return st, nil
	}
	st, err := db.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	if c.m == nil {
		c.m = make(map[string]*sql.Stmt)
	}
	c.m[q] = st
	return st, nil
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		_ = st.Close()
	}
	c.m = nil
}

func (c *stmtCache) lookup(q string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[q]
}

// Statements of the write path. They are prepared on the one write
// connection before a transaction starts (preparing inside one would wait
// for the connection the transaction holds).
const (
	qCommand      = `SELECT payload_hash, first_seq, last_seq FROM commands WHERE org = ? AND id = ?`
	qStreamInsert = `INSERT INTO streams (org, kind, id, status_version, circle, status) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (org, kind, id) DO NOTHING`
	qStreamUpdate = `UPDATE streams SET status_version = ?,
		circle = CASE WHEN ? = zeroblob(16) THEN circle ELSE ? END,
		status = CASE WHEN ? = '' THEN status ELSE ? END
		WHERE org = ? AND kind = ? AND id = ? RETURNING circle, status`
	qStreamVersion = `SELECT version FROM entries WHERE org = ? AND kind = ? AND stream = ? ORDER BY version DESC LIMIT 1`
	qHead          = `SELECT seq, hash FROM entries WHERE org = ? ORDER BY seq DESC LIMIT 1`
	qEntryInsert   = `INSERT INTO entries
		(org, seq, kind, stream, version, type, circle, at, command, data, digest, redacted, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`
	// qEntryAfter inserts the first entry of an append to a stream that
	// exists, only when the version it follows is stored; its own version
	// being free (the UNIQUE index) then proves that version is the last.
	qEntryAfter = `INSERT INTO entries
		(org, seq, kind, stream, version, type, circle, at, command, data, digest, redacted, hash)
		SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?
		WHERE EXISTS (SELECT 1 FROM entries WHERE org = ? AND kind = ? AND stream = ? AND version = ?)`
	qRedact        = `UPDATE entries SET data = ?, redacted = 1 WHERE org = ? AND seq = ? AND seq < ?`
	qCommandInsert = `INSERT INTO commands (org, id, payload_hash, first_seq, last_seq) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (org, id) DO NOTHING`
	qProfileDelete = `DELETE FROM profiles WHERE org = ? AND person = ?`
)

var writeQueries = []string{qCommand, qStreamInsert, qStreamUpdate, qStreamVersion, qHead, qEntryInsert, qEntryAfter, qRedact, qCommandInsert, qProfileDelete,
	qStreamInfo, qReadStream, qSavepoint, qRelease, qRollbackTo, qTakeWriteLock}

// prepareWriter prepares the write path's statements once.
func (d *Driver) prepareWriter(ctx context.Context) error {
	if d.wprepared.Load() {
		return nil
	}
	for _, q := range writeQueries {
		if _, err := d.ws.get(ctx, d.w, q); err != nil {
			return d.fail("prepare", ctx, err)
		}
	}
	d.wprepared.Store(true)
	return nil
}

// rQuery runs a cached query on the read pool.
func (d *Driver) rQuery(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := d.rs.get(ctx, d.r, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// rScan runs a cached one-row query on the read pool.
func (d *Driver) rScan(ctx context.Context, q string, args []any, dest ...any) error {
	st, err := d.rs.get(ctx, d.r, q)
	if err != nil {
		return err
	}
	return st.QueryRowContext(ctx, args...).Scan(dest...)
}

var (
	_ store.Driver = (*Driver)(nil)
	_ store.Locker = (*Driver)(nil)
)

// Open opens (creating if needed) the database file at path. It fails
// with an error matching [store.ErrNewerSchema] when the file was written by
// a newer schema than this package knows. It does not migrate: call
// [Driver.Migrate], or use [OpenMigrated].
func Open(ctx context.Context, path string, opts *Options) (*Driver, error) {
	dsn := DSN(path, opts)
	// The writer does not checkpoint after its commits: the checkpointer
	// does, beside it (see checkpointer).
	w, err := sql.Open("sqlite", dsn+"&_pragma=wal_autocheckpoint(0)")
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	r, err := sql.Open("sqlite", dsn)
	if err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("sqlitestore: open %s: %w", path, err)
	}
	r.SetMaxOpenConns(opts.readConns())
	r.SetMaxIdleConns(opts.readConns())
	d := &Driver{w: w, r: r, queue: make(chan *appendReq, 4*maxGroup), quit: make(chan struct{}), stopped: make(chan struct{}),
		background: true, wake: make(chan struct{}, 1), ckptDone: make(chan struct{})}
	v, err := d.schemaVersion(ctx, w)
	if err != nil {
		_ = d.Close()
		return nil, fmt.Errorf("sqlitestore: open %s: %w", path, err)
	}
	latest := latestVersion()
	if v > latest {
		_ = d.Close()
		return nil, fmt.Errorf("sqlitestore: open %s: %w", path, &store.SchemaError{Found: v, Supported: latest})
	}
	d.migrated.Store(v == latest)
	return d, nil
}

// OpenMigrated is [Open] followed by [Driver.Migrate].
func OpenMigrated(ctx context.Context, path string, opts *Options) (*Driver, error) {
	d, err := Open(ctx, path, opts)
	if err != nil {
		return nil, err
	}
	if err := d.Migrate(ctx); err != nil {
		_ = d.Close()
		return nil, err
	}
	return d, nil
}

type migration struct {
	version int
	name    string
	sql     string
}

func migrations() []migration {
	files, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		panic(err) // the pattern is a constant
	}
	var out []migration
	for _, f := range files {
		base := strings.TrimPrefix(f, "migrations/")
		n, err := strconv.Atoi(base[:4])
		if err != nil {
			panic("sqlitestore: migration file without a 4-digit number: " + base)
		}
		body, err := migrationFS.ReadFile(f)
		if err != nil {
			panic(err)
		}
		out = append(out, migration{version: n, name: base, sql: string(body)})
	}
	slices.SortFunc(out, func(a, b migration) int { return a.version - b.version })
	return out
}

func latestVersion() int {
	ms := migrations()
	return ms[len(ms)-1].version
}

const schemaTable = `CREATE TABLE IF NOT EXISTS sociocracy_schema (
    version    INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    applied_at INTEGER NOT NULL
)`

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// schemaVersion returns the highest applied migration, 0 for a new file.
func (d *Driver) schemaVersion(ctx context.Context, q querier) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'sociocracy_schema'`).Scan(&n)
	if err != nil || n == 0 {
		return 0, err
	}
	var v sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT max(version) FROM sociocracy_schema`).Scan(&v); err != nil {
		return 0, err
	}
	return int(v.Int64), nil
}

// Migrate applies every embedded migration the database lacks, in order,
// in one transaction. Running it again is a no-op. It fails with an error
// matching [store.ErrNewerSchema] when the file is newer than this package.
func (d *Driver) Migrate(ctx context.Context) error {
	if d.closed.Load() {
		return store.ErrClosed
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	tx, err := d.w.BeginTx(ctx, nil)
	if err != nil {
		return d.fail("migrate", ctx, err)
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, schemaTable); err != nil {
		return d.fail("migrate", ctx, err)
	}
	v, err := d.schemaVersion(ctx, tx)
	if err != nil {
		return d.fail("migrate", ctx, err)
	}
	if latest := latestVersion(); v > latest {
		return fmt.Errorf("sqlitestore: migrate: %w", &store.SchemaError{Found: v, Supported: latest})
	}
	for _, m := range migrations() {
		if m.version <= v {
			continue
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return fmt.Errorf("sqlitestore: migrate %s: %w", m.name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sociocracy_schema (version, name, applied_at) VALUES (?, ?, ?)`,
			m.version, m.name, time.Now().UnixMicro()); err != nil {
			return d.fail("migrate", ctx, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return d.fail("migrate", ctx, err)
	}
	d.migrated.Store(true)
	return nil
}

// SchemaVersion returns the schema version of the open database.
func (d *Driver) SchemaVersion(ctx context.Context) (int, error) {
	if d.closed.Load() {
		return 0, store.ErrClosed
	}
	return d.schemaVersion(ctx, d.r)
}

// Close closes both connection pools. A second Close returns nil.
func (d *Driver) Close() error {
	if d.closed.Swap(true) {
		return nil
	}
	close(d.quit)
	d.writerOnce.Do(func() { // never started
		close(d.stopped)
		if d.background {
			close(d.ckptDone)
		}
	})
	<-d.stopped
	if d.background {
		<-d.ckptDone
	}
	d.ws.close()
	d.rs.close()
	if d.host {
		return nil // the host's *sql.DB stays open; it is the host's to close
	}
	return errors.Join(d.w.Close(), d.r.Close())
}

func (d *Driver) ready(ctx context.Context) error {
	if d.closed.Load() {
		return store.ErrClosed
	}
	if !d.migrated.Load() {
		return d.recheckSchema(ctx)
	}
	return nil
}

// fail wraps a database error, translating what the contract names:
// a done context, a closed pool, constraint violations.
func (d *Driver) fail(op string, ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return fmt.Errorf("sqlitestore: %s: %w", op, ctx.Err())
	}
	if d.closed.Load() || errors.Is(err, sql.ErrConnDone) || strings.Contains(err.Error(), "database is closed") {
		return fmt.Errorf("sqlitestore: %s: %w", op, store.ErrClosed)
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("sqlitestore: %s: %w (%v)", op, store.ErrConflict, err)
		}
	}
	return fmt.Errorf("sqlitestore: %s: %w", op, err)
}

func blob16(id [16]byte) []byte { return id[:] }

func sqlLimit(limit int) int {
	if limit <= 0 {
		return -1
	}
	return limit
}

// ReadStream implements [store.Driver.ReadStream]. One query answers both
// "does the stream exist" and "what follows after": the stream's row, left
// joined with its entries.
func (d *Driver) ReadStream(ctx context.Context, key store.StreamKey, after uint64, limit int) ([]store.Entry, error) {
	if err := store.ValidateKey("read stream", key); err != nil {
		return nil, err
	}
	if err := d.ready(ctx); err != nil {
		return nil, err
	}
	rows, err := d.rQuery(ctx, qReadStream, sqlSeq(after), blob16(key.Org), string(key.Kind), key.ID[:], sqlLimit(limit))
	if err != nil {
		return nil, d.fail("read stream", ctx, err)
	}
	out, found, err := scanStream(rows, key)
	if err != nil {
		return nil, d.fail("read stream", ctx, err)
	}
	if !found {
		return nil, store.StreamNotFound(key)
	}
	return out, nil
}

// scanStream reads the rows of qReadStream: found is false when the stream
// does not exist.
func scanStream(rows *sql.Rows, key store.StreamKey) (out []store.Entry, found bool, err error) {
	defer rows.Close()
	out = []store.Entry{}
	for rows.Next() {
		found = true
		var (
			seq, version, at              sql.NullInt64
			redacted                      sql.NullInt64
			typ                           sql.NullString
			circ, cmd, data, digest, hash []byte
		)
		if err := rows.Scan(&seq, &version, &typ, &circ, &at, &cmd, &data, &digest, &redacted, &hash); err != nil {
			return nil, false, err
		}
		if !seq.Valid {
			continue // the stream exists; nothing after `after`
		}
		e := store.Entry{Org: key.Org, Seq: uint64(seq.Int64), Stream: key, Version: uint64(version.Int64),
			Type: typ.String, At: time.UnixMicro(at.Int64).UTC(), Data: data, Redacted: redacted.Int64 != 0}
		if e.Data == nil {
			e.Data = []byte{}
		}
		copy(e.Circle[:], circ)
		copy(e.Command[:], cmd)
		copy(e.Digest[:], digest)
		copy(e.Hash[:], hash)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	return out, found, nil
}

// Stream implements [store.Driver.Stream].
func (d *Driver) Stream(ctx context.Context, key store.StreamKey) (store.StreamInfo, error) {
	if err := store.ValidateKey("stream", key); err != nil {
		return store.StreamInfo{}, err
	}
	if err := d.ready(ctx); err != nil {
		return store.StreamInfo{}, err
	}
	info := store.StreamInfo{Key: key}
	var circ []byte
	err := d.rScan(ctx, qStreamInfo,
		[]any{blob16(key.Org), string(key.Kind), key.ID[:]}, &info.Version, &circ, &info.Status)
	if errors.Is(err, sql.ErrNoRows) {
		return store.StreamInfo{}, store.StreamNotFound(key)
	}
	if err != nil {
		return store.StreamInfo{}, d.fail("stream", ctx, err)
	}
	copy(info.Circle[:], circ)
	return info, nil
}

// Streams implements [store.Driver.Streams].
func (d *Driver) Streams(ctx context.Context, q store.StreamQuery) ([]store.StreamInfo, error) {
	if q.Org.IsZero() {
		return nil, &store.InvalidError{Op: "streams", Detail: "query without organisation"}
	}
	if err := d.ready(ctx); err != nil {
		return nil, err
	}
	var sb strings.Builder
	sb.WriteString(`SELECT s.id, ` + streamVersion + `, s.circle, s.status FROM streams s WHERE s.org = ? AND s.kind = ? AND s.id > ?`)
	args := []any{blob16(q.Org), string(q.Kind), q.After[:]}
	if !q.Circle.IsZero() {
		sb.WriteString(` AND s.circle = ?`)
		args = append(args, blob16(q.Circle))
	}
	if q.Status != "" {
		sb.WriteString(` AND s.status = ?`)
		args = append(args, q.Status)
	}
	sb.WriteString(` ORDER BY s.id LIMIT ?`)
	args = append(args, sqlLimit(q.Limit))
	rows, err := d.rQuery(ctx, sb.String(), args...)
	if err != nil {
		return nil, d.fail("streams", ctx, err)
	}
	defer rows.Close()
	out := []store.StreamInfo{}
	for rows.Next() {
		var id, circ []byte
		info := store.StreamInfo{Key: store.StreamKey{Org: q.Org, Kind: q.Kind}}
		if err := rows.Scan(&id, &info.Version, &circ, &info.Status); err != nil {
			return nil, d.fail("streams", ctx, err)
		}
		copy(info.Key.ID[:], id)
		copy(info.Circle[:], circ)
		out = append(out, info)
	}
	if err := rows.Err(); err != nil {
		return nil, d.fail("streams", ctx, err)
	}
	return out, nil
}

// ReadLog implements [store.Driver.ReadLog].
func (d *Driver) ReadLog(ctx context.Context, q store.LogQuery) ([]store.Entry, error) {
	if q.Org.IsZero() {
		return nil, &store.InvalidError{Op: "read log", Detail: "query without organisation"}
	}
	if err := d.ready(ctx); err != nil {
		return nil, err
	}
	var sb strings.Builder
	sb.WriteString(`SELECT ` + logCols + ` FROM entries WHERE org = ? AND seq > ?`)
	args := []any{blob16(q.Org), sqlSeq(q.After)}
	if !q.Circle.IsZero() {
		sb.WriteString(` AND circle = ?`)
		args = append(args, blob16(q.Circle))
	}
	if !q.Since.IsZero() {
		sb.WriteString(` AND at >= ?`)
		args = append(args, q.Since.UnixMicro())
	}
	if !q.Until.IsZero() {
		sb.WriteString(` AND at < ?`)
		args = append(args, q.Until.UnixMicro())
	}
	sb.WriteString(` ORDER BY seq LIMIT ?`)
	args = append(args, sqlLimit(q.Limit))
	rows, err := d.rQuery(ctx, sb.String(), args...)
	if err != nil {
		return nil, d.fail("read log", ctx, err)
	}
	es, err := scanLog(rows, q.Org, q.Limit)
	if err != nil {
		return nil, d.fail("read log", ctx, err)
	}
	return es, nil
}

// Head implements [store.Driver.Head].
func (d *Driver) Head(ctx context.Context, org circle.OrgID) (store.Head, error) {
	if org.IsZero() {
		return store.Head{}, &store.InvalidError{Op: "head", Detail: "no organisation"}
	}
	if err := d.ready(ctx); err != nil {
		return store.Head{}, err
	}
	var h store.Head
	var hh []byte
	err := d.rScan(ctx, `SELECT seq, hash FROM entries WHERE org = ? ORDER BY seq DESC LIMIT 1`, []any{blob16(org)}, &h.Seq, &hh)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Head{}, nil
	}
	if err != nil {
		return store.Head{}, d.fail("head", ctx, err)
	}
	copy(h.Hash[:], hh)
	return h, nil
}

// Command implements [store.Driver.Command].
func (d *Driver) Command(ctx context.Context, org circle.OrgID, id store.CommandID) (store.CommandRecord, error) {
	if org.IsZero() || id.IsZero() {
		return store.CommandRecord{}, &store.InvalidError{Op: "command", Detail: "no organisation or command id"}
	}
	if err := d.ready(ctx); err != nil {
		return store.CommandRecord{}, err
	}
	rec := store.CommandRecord{Org: org, ID: id}
	var ph []byte
	err := d.rScan(ctx, `SELECT payload_hash, first_seq, last_seq FROM commands WHERE org = ? AND id = ?`,
		[]any{blob16(org), blob16(id)}, &ph, &rec.First, &rec.Last)
	if errors.Is(err, sql.ErrNoRows) {
		return store.CommandRecord{}, &store.NotFoundError{What: "command", Key: id.String()}
	}
	if err != nil {
		return store.CommandRecord{}, d.fail("command", ctx, err)
	}
	copy(rec.PayloadHash[:], ph)
	return rec, nil
}

// PutProfile implements [store.Driver.PutProfile].
func (d *Driver) PutProfile(ctx context.Context, org circle.OrgID, person circle.PersonID, data []byte) error {
	if org.IsZero() || person.IsZero() {
		return &store.InvalidError{Op: "put profile", Detail: "no organisation or person"}
	}
	if err := d.ready(ctx); err != nil {
		return err
	}
	if data == nil {
		data = []byte{}
	}
	_, err := d.w.ExecContext(ctx, `INSERT INTO profiles (org, person, data) VALUES (?, ?, ?)
		ON CONFLICT (org, person) DO UPDATE SET data = excluded.data`, blob16(org), blob16(person), data)
	return d.fail("put profile", ctx, err)
}

// Profile implements [store.Driver.Profile].
func (d *Driver) Profile(ctx context.Context, org circle.OrgID, person circle.PersonID) ([]byte, error) {
	if org.IsZero() || person.IsZero() {
		return nil, &store.InvalidError{Op: "profile", Detail: "no organisation or person"}
	}
	if err := d.ready(ctx); err != nil {
		return nil, err
	}
	var data []byte
	err := d.rScan(ctx, `SELECT data FROM profiles WHERE org = ? AND person = ?`, []any{blob16(org), blob16(person)}, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &store.NotFoundError{What: "profile", Key: person.String()}
	}
	if err != nil {
		return nil, d.fail("profile", ctx, err)
	}
	if data == nil {
		data = []byte{}
	}
	return data, nil
}

// EraseProfile implements [store.Driver.EraseProfile]. With secure_delete
// the row's bytes are overwritten with zeros in the page that replaces
// theirs; a passive checkpoint then copies that page into the database
// file. Old frames in the write-ahead log are overwritten as the log is
// reused.
func (d *Driver) EraseProfile(ctx context.Context, org circle.OrgID, person circle.PersonID) error {
	if org.IsZero() || person.IsZero() {
		return &store.InvalidError{Op: "erase profile", Detail: "no organisation or person"}
	}
	if err := d.ready(ctx); err != nil {
		return err
	}
	r, err := d.w.ExecContext(ctx, `DELETE FROM profiles WHERE org = ? AND person = ?`, blob16(org), blob16(person))
	if err != nil {
		return d.fail("erase profile", ctx, err)
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return &store.NotFoundError{What: "profile", Key: person.String()}
	}
	// Best effort, without waiting for readers: copy the overwritten pages
	// into the main file, so the old bytes do not linger there; the WAL's
	// frames are reused from its start once every reader has moved on.
	_, _ = d.w.ExecContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`)
	return nil
}

// profilesChunk is how many people one query of [Driver.Profiles] asks for
// (SQLite allows 32,766 parameters).
const profilesChunk = 500

// qProfiles reads the profiles of profilesChunk people: one statement,
// prepared once, whatever the number of people asked for (a short chunk
// repeats its last person).
var qProfiles = `SELECT person, data FROM profiles WHERE org = ? AND person IN (?` + strings.Repeat(`, ?`, profilesChunk-1) + `)`

// Profiles implements [store.ProfilesReader]: a query per 500 people.
func (d *Driver) Profiles(ctx context.Context, org circle.OrgID, people []circle.PersonID) (map[circle.PersonID][]byte, error) {
	if err := store.ValidatePeople("profiles", org, people); err != nil {
		return nil, err
	}
	if err := d.ready(ctx); err != nil {
		return nil, err
	}
	out := make(map[circle.PersonID][]byte, len(people))
	if len(people) > 2*profilesChunk {
		// Many people (a register): one walk over the organisation's
		// profiles costs less than a lookup of each.
		want := make(map[circle.PersonID]bool, len(people))
		for _, p := range people {
			want[p] = true
		}
		rows, err := d.rQuery(ctx, `SELECT person, data FROM profiles WHERE org = ?`, blob16(org))
		if err != nil {
			return nil, d.fail("profiles", ctx, err)
		}
		if err := scanProfiles(rows, want, out); err != nil {
			return nil, d.fail("profiles", ctx, err)
		}
		return out, nil
	}
	for from := 0; from < len(people); from += profilesChunk {
		chunk := people[from:min(len(people), from+profilesChunk)]
		args := make([]any, 0, 1+len(chunk))
		args = append(args, blob16(org))
		for i := range profilesChunk {
			args = append(args, blob16(chunk[min(i, len(chunk)-1)]))
		}
		rows, err := d.rQuery(ctx, qProfiles, args...)
		if err != nil {
			return nil, d.fail("profiles", ctx, err)
		}
		if err := scanProfiles(rows, nil, out); err != nil {
			return nil, d.fail("profiles", ctx, err)
		}
	}
	return out, nil
}

// scanProfiles reads rows of (person, data) into out, only the people of
// want when it is not nil, and closes rows.
func scanProfiles(rows *sql.Rows, want map[circle.PersonID]bool, out map[circle.PersonID][]byte) error {
	defer rows.Close()
	for rows.Next() {
		var person, data []byte
		if err := rows.Scan(&person, &data); err != nil {
			return err
		}
		var id circle.PersonID
		if len(person) != len(id) {
			return fmt.Errorf("sqlitestore: a profile's person is malformed: %w", store.ErrCorrupt)
		}
		copy(id[:], person)
		if want != nil && !want[id] {
			continue
		}
		if data == nil {
			data = []byte{}
		}
		out[id] = data
	}
	return rows.Err()
}
