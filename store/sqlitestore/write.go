package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/internal/streamrows"
	"github.com/coproduce/sociocracy/store"
)

// Statements of the write path beyond those of Append: the reads of a
// build inside the writer's transaction, and the savepoints.
const (
	// streamVersion is the version of stream row s: that of its last
	// entry (schema 2).
	streamVersion = `(SELECT e.version FROM entries e WHERE e.org = s.org AND e.kind = s.kind AND e.stream = s.id
		ORDER BY e.version DESC LIMIT 1)`
	qStreamInfo = `SELECT ` + streamVersion + `, s.circle, s.status FROM streams s WHERE s.org = ? AND s.kind = ? AND s.id = ?`
	qReadStream = `SELECT e.seq, e.version, e.type, e.circle, e.at, e.command, e.data, e.digest, e.redacted, e.hash
		FROM streams s LEFT JOIN entries e ON e.org = s.org AND e.kind = s.kind AND e.stream = s.id AND e.version > ?
		WHERE s.org = ? AND s.kind = ? AND s.id = ? ORDER BY e.version LIMIT ?`
	qSavepoint  = `SAVEPOINT append`
	qRelease    = `RELEASE append`
	qRollbackTo = `ROLLBACK TO append`
	// qTakeWriteLock is the first statement of a write transaction on a
	// host's database, whose DSN may lack _txlock=immediate: a write before
	// any read takes the write lock at once (waiting up to the busy
	// timeout), so no read snapshot can go stale before the first write.
	qTakeWriteLock = `UPDATE sociocracy_schema SET version = version WHERE version < 0`
)

// Append implements [store.Driver.Append].
func (d *Driver) Append(ctx context.Context, b *store.Batch) (store.Result, error) {
	if err := b.Validate(); err != nil {
		return store.Result{}, err
	}
	return d.submit(ctx, &appendReq{ctx: ctx, b: b, done: make(chan struct{})})
}

// AppendLocked implements [store.Locker]. The build runs on the writer
// goroutine, inside the group-commit transaction that every append of the
// driver goes through (so it is serialised with every Append and
// AppendLocked of the file, of every organisation), in a savepoint of its
// own: a build that fails, or a batch that is refused, rolls back only its
// own work, and the appends of the other writers in the group still share
// one commit. The [store.Reader] build is given reads inside that
// transaction; it is valid only until build returns. A build that panics
// is rolled back and the panic is raised again in the caller's goroutine.
func (d *Driver) AppendLocked(ctx context.Context, org circle.OrgID, build func(ctx context.Context, r store.Reader) (*store.Batch, error)) (store.Result, error) {
	if org.IsZero() {
		return store.Result{}, &store.InvalidError{Op: "append locked", Detail: "no organisation"}
	}
	if build == nil {
		return store.Result{}, &store.InvalidError{Op: "append locked", Detail: "nil build"}
	}
	r := &appendReq{ctx: ctx, org: org, build: build, done: make(chan struct{})}
	res, err := d.submit(ctx, r)
	if r.panicked != nil {
		panic(r.panicked)
	}
	return res, err
}

func (d *Driver) submit(ctx context.Context, r *appendReq) (store.Result, error) {
	if err := d.ready(ctx); err != nil {
		return store.Result{}, err
	}
	if err := ctx.Err(); err != nil {
		return store.Result{}, err
	}
	d.startWriter()
	select {
	case d.queue <- r:
	case <-d.quit:
		return store.Result{}, store.ErrClosed
	case <-ctx.Done():
		return store.Result{}, ctx.Err()
	}
	select {
	case <-r.done:
		return r.res, r.err
	case <-d.quit:
		// The writer finishes the group it is committing before it stops.
		<-d.stopped
		select {
		case <-r.done:
			return r.res, r.err
		default:
			return store.Result{}, store.ErrClosed
		}
	case <-ctx.Done():
		// The append may still be committed: the caller learns only that it
		// stopped waiting (a Command makes the retry safe).
		return store.Result{}, fmt.Errorf("sqlitestore: append: %w", ctx.Err())
	}
}

// appendReq is one Append or AppendLocked waiting for the writer.
type appendReq struct {
	ctx      context.Context
	b        *store.Batch // Append's batch
	built    *store.Batch // AppendLocked: what build returned
	org      circle.OrgID // AppendLocked: the organisation locked
	build    func(ctx context.Context, r store.Reader) (*store.Batch, error)
	res      store.Result
	err      error
	panicked any // what build panicked with
	done     chan struct{}
}

// maxGroup bounds how many appends share one transaction.
const maxGroup = 64

// startWriter starts the goroutine that owns the write path, and the
// checkpointer beside it.
func (d *Driver) startWriter() {
	d.writerOnce.Do(func() {
		go d.writer()
		if d.background {
			go d.checkpointer()
		}
	})
}

// Checkpoints. In WAL mode a commit appends the pages it changed to the
// write-ahead log, and a checkpoint copies them into the database file
// (each page once, however many commits changed it) so that the log can
// start again from its beginning. By default SQLite checkpoints in the
// committing connection whenever the log passes 1,000 pages, which here
// would put every checkpoint, and its fsync of the database file, on the
// writer goroutine that every append waits for. On a file it opened itself
// the driver turns that off for the writer's connection and checkpoints
// from a pooled read connection instead, beside the writer: after a group
// commits, at most every ckptPause. Such a checkpoint copies what was
// committed before it began but cannot let the log start again while the
// writer keeps appending to it; so once the log is longer than walRestart
// pages, the writer checkpoints the few pages left itself, between two
// groups, and its next group starts the log again. (A host's handle keeps
// its own settings, and SQLite's checkpoints.)
const (
	ckptPause  = 50 * time.Millisecond
	walRestart = 4096
)

// checkpointer runs the checkpoints beside the writer until Close.
func (d *Driver) checkpointer() {
	defer close(d.ckptDone)
	bg := context.Background()
	for {
		select {
		case <-d.wake:
		case <-d.quit:
			return
		}
		var busy, frames, moved int
		err := d.r.QueryRowContext(bg, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &frames, &moved)
		if err == nil && frames >= walRestart {
			d.walLong.Store(true)
		}
		t := time.NewTimer(ckptPause)
		select {
		case <-t.C:
		case <-d.quit:
			t.Stop()
			return
		}
	}
}

// committed is called by the writer after each commit: it wakes the
// checkpointer, and checkpoints itself when the log has grown long.
func (d *Driver) committed(ctx context.Context) {
	if !d.background {
		return
	}
	if d.walLong.Swap(false) {
		_, _ = d.w.ExecContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`)
	}
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// writer commits appends in groups: it takes every append waiting (up to
// maxGroup), applies each inside its own savepoint of one write
// transaction, and commits once, so concurrent writers share one fsync
// (group commit). An append that fails rolls back to its savepoint and
// leaves the others alone; each caller gets exactly the result it would
// have got alone, in queue order.
func (d *Driver) writer() {
	defer close(d.stopped)
	group := make([]*appendReq, 0, maxGroup)
	for {
		var first *appendReq
		select {
		case first = <-d.queue:
		case <-d.quit:
			return
		}
		group = append(group[:0], first)
	drain:
		for len(group) < maxGroup {
			select {
			case r := <-d.queue:
				group = append(group, r)
			default:
				break drain
			}
		}
		d.commitGroup(group)
		clear(group)
	}
}

// wtx is the writer's transaction with its statements bound to it once.
type wtx struct {
	d     *Driver
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
	// heads holds the log head of each organisation this transaction has
	// read or written, as of the last append that succeeded: under the
	// write lock nothing else changes it, and an append rolled back to its
	// savepoint leaves it as it was.
	heads map[circle.OrgID]store.Head
	// unsure marks the heads taken from Driver.known that nothing in the
	// transaction has proved yet.
	unsure map[circle.OrgID]bool
	next   store.Head // the head the last appendTx left, kept once its savepoint is released
	// rows holds the stream rows the transaction's appends leave, for
	// Driver.rows once it commits.
	rows *streamrows.Tx
	// erased is set by an append that erases (redactions, profiles): after
	// the commit the writer empties the WAL into the file, so that no copy
	// of the erased bytes stays in either.
	erased bool
}

// versionError tells why stream s of an append was refused: read inside
// the transaction, its version is not the one expected, or it does not
// exist.
func (d *Driver) versionError(ctx context.Context, w *wtx, org []byte, s store.StreamAppend) error {
	var actual uint64
	err := w.scan(ctx, qStreamVersion, []any{org, string(s.Stream.Kind), s.Stream.ID[:]}, &actual)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return d.fail("append", ctx, err)
	}
	if s.Expected != 0 && actual == 0 {
		return store.StreamNotFound(s.Stream)
	}
	return &store.ConflictError{Stream: s.Stream, Expected: s.Expected, Actual: actual}
}

// isUnique reports whether err is the violation of a UNIQUE index (not of
// a primary key).
func isUnique(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE
}

func rowsAffected(r sql.Result) int64 {
	n, err := r.RowsAffected()
	if err != nil {
		return -1
	}
	return n
}

// head returns org's log head inside the transaction. Outside the
// transaction's own appends it comes from the head the writer's last
// commit left (Driver.known) when there is one, without a query: that head
// is unsure until the transaction proves it (see sure), since another
// process may have written since. An append proves it by writing the entry
// that follows it (the log only grows, one sequence number at a time, so
// that entry is free exactly when the head is still the one known); an
// append or build that fails on an unsure head has it read, and runs again
// when it had moved.
func (w *wtx) head(ctx context.Context, org circle.OrgID) (store.Head, error) {
	if h, ok := w.heads[org]; ok {
		return h, nil
	}
	if h, ok := w.d.known[org]; ok {
		w.heads[org] = h
		w.unsure[org] = true
		return h, nil
	}
	h, err := w.readHead(ctx, org)
	if err != nil {
		return store.Head{}, err
	}
	w.heads[org] = h
	return h, nil
}

func (w *wtx) readHead(ctx context.Context, org circle.OrgID) (store.Head, error) {
	var h store.Head
	var hh []byte
	err := w.scan(ctx, qHead, []any{blob16(org)}, &h.Seq, &hh)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return store.Head{}, err
	}
	copy(h.Hash[:], hh)
	return h, nil
}

// sure makes org's head sure after an append or a build on it failed,
// reading it. It reports whether the head had moved (and the failure is
// therefore to be tried again on the head read).
func (w *wtx) sure(ctx context.Context, org circle.OrgID) (moved bool, err error) {
	if !w.unsure[org] {
		return false, nil
	}
	delete(w.unsure, org)
	h, err := w.readHead(ctx, org)
	if err != nil {
		return false, err
	}
	if h == w.heads[org] {
		return false, nil
	}
	w.heads[org] = h
	delete(w.d.known, org)
	return true, nil
}

func (w *wtx) stmt(q string) *sql.Stmt {
	if st, ok := w.stmts[q]; ok {
		return st
	}
	p := w.d.ws.lookup(q)
	if p == nil {
		return nil
	}
	st := w.tx.Stmt(p)
	w.stmts[q] = st
	return st
}

// exec runs q inside the transaction, prepared when it can be.
func (w *wtx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if st := w.stmt(q); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return w.tx.ExecContext(ctx, q, args...)
}

// scan runs the one-row query q inside the transaction.
func (w *wtx) scan(ctx context.Context, q string, args []any, dest ...any) error {
	if st := w.stmt(q); st != nil {
		return st.QueryRowContext(ctx, args...).Scan(dest...)
	}
	return w.tx.QueryRowContext(ctx, q, args...).Scan(dest...)
}

func (w *wtx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := w.stmt(q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return w.tx.QueryContext(ctx, q, args...)
}

func (d *Driver) commitGroup(group []*appendReq) {
	defer func() {
		for _, r := range group {
			close(r.done)
		}
	}()
	live := group[:0:0]
	for _, r := range group {
		if err := r.ctx.Err(); err != nil {
			r.err = err
			continue
		}
		live = append(live, r)
	}
	if len(live) == 0 {
		return
	}
	bg := context.Background()
	if err := d.prepareWriter(bg); err != nil {
		for _, r := range live {
			r.err = err
		}
		return
	}
	// First without savepoints for the appends that are refused, if at
	// all, before they write (one stream, no redactions or erasures; see
	// simple). Should one fail after writing all the same (a database
	// error, or a version conflict after a command's record), the whole
	// transaction is rolled back and the group runs again with a
	// savepoint around every append.
	if d.tryGroup(bg, live, false) {
		for _, r := range live {
			r.res, r.err, r.built, r.panicked = store.Result{}, nil, nil, nil
		}
		d.tryGroup(bg, live, true)
	}
}

// simple reports whether b can be refused only before its first write,
// but for one case: a version conflict of a batch with a command, whose
// record is written first (an AppendLocked build, which reads the versions
// inside the transaction, does not meet it).
func simple(b *store.Batch) bool {
	return len(b.Streams) == 1 && len(b.Redactions) == 0 && len(b.ErasedProfiles) == 0
}

// tryGroup runs the group in one transaction and commits it. In safe mode
// every append runs in its own savepoint; otherwise only those that are
// not simple, and tryGroup returns redo (having rolled back everything)
// when an append without a savepoint failed after writing.
func (d *Driver) tryGroup(bg context.Context, live []*appendReq, safe bool) (redo bool) {
	abort := func(err error) {
		for _, r := range live {
			if r.err == nil {
				r.res, r.err = store.Result{}, err
			}
		}
	}
	tx, err := d.w.BeginTx(bg, nil)
	if err != nil {
		abort(d.fail("append", bg, err))
		return false
	}
	w := &wtx{d: d, tx: tx, stmts: make(map[string]*sql.Stmt, len(writeQueries)),
		heads: make(map[circle.OrgID]store.Head, 4), unsure: make(map[circle.OrgID]bool, 4),
		rows: d.rows.Tx()}
	fail := func(err error) bool {
		_ = tx.Rollback()
		abort(d.fail("append", bg, err))
		return false
	}
	if d.host {
		if _, err := w.exec(bg, qTakeWriteLock); err != nil {
			return fail(err)
		}
	}
	wrote := false
	for i := 0; i < len(live); i++ {
		r := live[i]
		org := r.org
		if r.build == nil {
			org = r.b.Org
		}
		// A failure on a head not yet sure may come of that head: it is
		// read, and when it had moved the append runs again on it.
		again := func() (bool, error) {
			if r.err == nil {
				return false, nil
			}
			moved, err := w.sure(bg, org)
			if moved {
				r.res, r.err, r.built, r.panicked = store.Result{}, nil, nil, nil
				i--
			}
			return moved, err
		}
		// The statements run under the group's context, not the caller's:
		// a caller that gives up must not interrupt the shared transaction
		// (SQLite rolls a whole transaction back on an interrupted write).
		b := d.prepare(w, r)
		if b == nil {
			// Refused before any write.
			if _, err := again(); err != nil {
				return fail(err)
			}
			continue
		}
		savepoint := safe || !simple(b)
		if savepoint {
			if _, err := w.exec(bg, qSavepoint); err != nil {
				return fail(err)
			}
		}
		var dirty bool
		r.res, dirty, r.err = d.appendTx(bg, w, b)
		failed := r.err != nil || r.res.Duplicate
		if failed {
			w.rows.Undo()
		} else {
			w.rows.Done()
		}
		if !savepoint {
			if failed && dirty {
				_ = tx.Rollback()
				if w.unsure[org] {
					delete(d.known, org) // the run again reads it
				}
				return true
			}
		} else {
			if failed {
				if _, err := w.exec(bg, qRollbackTo); err != nil {
					return fail(err)
				}
			}
			if _, err := w.exec(bg, qRelease); err != nil {
				return fail(err)
			}
		}
		if failed {
			if _, err := again(); err != nil {
				return fail(err)
			}
			continue
		}
		wrote = true
		w.heads[b.Org] = w.next
		delete(w.unsure, b.Org) // its next entry was free: the head was the one known
	}
	if !wrote {
		_ = tx.Rollback()
		return false
	}
	if err := tx.Commit(); err != nil {
		// Nothing of the group is on disk, and a duplicate found inside
		// it may have named an append of this very group.
		clear(d.known)
		d.rows.Forget()
		err = d.fail("append", bg, err)
		for _, r := range live {
			if r.err == nil {
				r.res, r.err = store.Result{}, err
			}
		}
		return false
	}
	if d.known == nil {
		d.known = make(map[circle.OrgID]store.Head)
	}
	if len(d.known)+len(w.heads) > maxKnown {
		clear(d.known)
	}
	for org, h := range w.heads {
		if !w.unsure[org] {
			d.known[org] = h
		}
	}
	w.rows.Commit()
	if w.erased {
		d.truncateWAL(bg)
	}
	d.committed(bg)
	return false
}

// truncateWAL copies every page of the WAL into the database file and
// empties the WAL, so that after an erasure (with secure_delete, which
// zeroes what a write frees) neither holds the erased bytes. A reader still
// on an older snapshot keeps the checkpoint from completing: it is tried
// again a few times, then left to the next erasure (the erasure itself is
// committed either way).
func (d *Driver) truncateWAL(ctx context.Context) {
	for range 50 {
		var busy, frames, moved int
		err := d.w.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &frames, &moved)
		if err == nil && busy == 0 {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// prepare returns the batch of one request: Append's own, or for
// AppendLocked the one its build returns (checked); nil, with r.err set,
// when the request is refused. Builds only read, so nothing needs undoing.
func (d *Driver) prepare(w *wtx, r *appendReq) *store.Batch {
	if r.build == nil {
		return r.b
	}
	b, err := d.callBuild(w, r)
	if err != nil {
		r.err = err
		return nil
	}
	if err := b.Validate(); err != nil {
		r.err = err
		return nil
	}
	if b.Org != r.org {
		r.err = &store.InvalidError{Op: "append locked", Detail: "the batch belongs to another organisation than the one locked"}
		return nil
	}
	if err := r.ctx.Err(); err != nil {
		r.err = fmt.Errorf("sqlitestore: append locked: %w", err)
		return nil
	}
	r.built = b
	return b
}

// callBuild calls r.build with a reader of the transaction, turning a
// panic into an error (the caller's goroutine raises it again).
func (d *Driver) callBuild(w *wtx, r *appendReq) (b *store.Batch, err error) {
	rd := &txReader{w: w, org: r.org}
	defer func() {
		rd.done = true
		if p := recover(); p != nil {
			r.panicked = p
			b, err = nil, fmt.Errorf("sqlitestore: append locked: the build panicked: %v", p)
		}
	}()
	return r.build(r.ctx, rd)
}

// appendTx applies b inside the transaction. dirty reports that it failed
// after a write of its own succeeded (so only a rollback undoes it). A
// command is recorded first, by an insert that does nothing when the
// command is there already (its record is then read: a duplicate, or
// another payload), so a retried command is told before anything is
// written; the versions are checked by the stream writes after it.
func (d *Driver) appendTx(ctx context.Context, w *wtx, b *store.Batch) (res store.Result, dirty bool, err error) {
	org := blob16(b.Org)
	head, err := w.head(ctx, b.Org)
	if err != nil {
		return store.Result{}, true, d.fail("append", ctx, err)
	}
	entries, err := b.Seal(head)
	if err != nil {
		return store.Result{}, false, err
	}
	res = store.Result{First: entries[0].Seq, Last: entries[len(entries)-1].Seq}
	wrote := false
	if !b.Command.IsZero() {
		r, err := w.exec(ctx, qCommandInsert,
			org, blob16(b.Command), b.PayloadHash[:], res.First, res.Last)
		if err != nil {
			return store.Result{}, true, d.fail("append", ctx, err)
		}
		if n, err := r.RowsAffected(); err != nil || n != 1 {
			var ph []byte
			var first, last uint64
			err := w.scan(ctx, qCommand, []any{org, blob16(b.Command)}, &ph, &first, &last)
			if err != nil {
				return store.Result{}, true, d.fail("append", ctx, err)
			}
			var stored store.Hash
			copy(stored[:], ph)
			if stored != b.PayloadHash {
				return store.Result{}, false, &store.CommandError{Command: b.Command, Stored: stored, Given: b.PayloadHash}
			}
			return store.Result{First: first, Last: last, Duplicate: true}, false, nil
		}
		wrote = true
	}
	// Versions are checked by the writes themselves (schema 2): a new
	// stream by the insert of its row, which finds none; a stream that
	// exists by its first entry, inserted only when the version it follows
	// is stored, and whose own version must be free. Either way the
	// version is read only when the check fails, to tell a conflict from a
	// missing stream. The stream's row is then written only when its
	// circle or status may change: when the row this writer last committed
	// for the stream is at the version expected and the append keeps its
	// circle and status, the row stands as it is (see streamrows).
	k := 0
	for i := range b.Streams {
		s := &b.Streams[i]
		es := entries[k : k+len(s.Records)]
		k += len(s.Records)
		last := s.Expected + uint64(len(s.Records))
		plan := w.rows.Plan(s)
		if s.Expected == 0 {
			r, err := w.exec(ctx, qStreamInsert,
				org, string(s.Stream.Kind), s.Stream.ID[:], last, blob16(s.Circle), s.Status)
			if err != nil {
				return store.Result{}, true, d.fail("append", ctx, err)
			}
			if n, err := r.RowsAffected(); err != nil || n != 1 {
				return store.Result{}, wrote, d.versionError(ctx, w, org, *s)
			}
			wrote = true
		}
		for j := range es {
			e := &es[j]
			data := e.Data
			if data == nil {
				data = []byte{}
			}
			args := []any{org, e.Seq, string(e.Stream.Kind), e.Stream.ID[:], e.Version, e.Type, blob16(e.Circle),
				e.At.UnixMicro(), blob16(e.Command), data, e.Digest[:], e.Hash[:]}
			check := j == 0 && s.Expected > 0
			q := qEntryInsert
			if check && !plan.Known {
				// The version expected is not known to be stored: the
				// insert checks that it is.
				q = qEntryAfter
				args = append(args, org, string(s.Stream.Kind), s.Stream.ID[:], s.Expected)
			}
			r, err := w.exec(ctx, q, args...)
			if check && (isUnique(err) || err == nil && rowsAffected(r) != 1) {
				return store.Result{}, wrote, d.versionError(ctx, w, org, *s)
			}
			if err != nil {
				return store.Result{}, true, d.fail("append", ctx, err)
			}
			wrote = true
		}
		if s.Expected > 0 && plan.Write {
			// The update returns the row it leaves, which the writer then
			// knows.
			var c []byte
			if err := w.scan(ctx, qStreamUpdate, []any{last, blob16(s.Circle), blob16(s.Circle), s.Status, s.Status,
				org, string(s.Stream.Kind), s.Stream.ID[:]}, &c, &plan.Next.Status); err != nil {
				return store.Result{}, true, d.fail("append", ctx, err)
			}
			if len(c) != len(plan.Next.Circle) {
				return store.Result{}, true, d.fail("append", ctx, fmt.Errorf("stored circle has %d bytes: %w", len(c), store.ErrCorrupt))
			}
			plan.Next.Circle = circle.CircleID(c)
		}
	}
	first := res.First
	for _, rd := range b.Redactions {
		data := rd.Data
		if data == nil {
			data = []byte{}
		}
		r, err := w.exec(ctx, qRedact,
			data, org, rd.Seq, first)
		if err != nil {
			return store.Result{}, true, d.fail("append", ctx, err)
		}
		if n, _ := r.RowsAffected(); n != 1 {
			return store.Result{}, wrote, &store.NotFoundError{What: "entry", Key: "seq " + strconv.FormatUint(rd.Seq, 10)}
		}
	}
	if len(b.Redactions) > 0 || len(b.ErasedProfiles) > 0 {
		w.erased = true
	}
	for _, p := range b.ErasedProfiles {
		r, err := w.exec(ctx, qProfileDelete, org, blob16(p))
		if err != nil {
			return store.Result{}, true, d.fail("append", ctx, err)
		}
		if n, _ := r.RowsAffected(); n != 1 {
			return store.Result{}, wrote, &store.NotFoundError{What: "profile", Key: p.String()}
		}
	}
	last := &entries[len(entries)-1]
	w.next = store.Head{Seq: last.Seq, Hash: last.Hash}
	res.Head = w.next
	return res, false, nil
}

// txReader is the [store.Reader] of a build: it reads inside the writer's
// transaction, under the group's context (an interrupted statement would
// roll back the whole group), after checking the caller's.
type txReader struct {
	w    *wtx
	org  circle.OrgID
	done bool // build returned: the transaction is no longer its own
}

func (r *txReader) check(ctx context.Context, op string, org circle.OrgID) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("sqlitestore: %s: %w", op, err)
	}
	if r.done {
		return &store.InvalidError{Op: op, Detail: "the reader of a build was used after the build returned"}
	}
	if org != r.org {
		return &store.InvalidError{Op: op, Detail: "a key of another organisation than the one locked"}
	}
	return nil
}

func (r *txReader) ReadStream(ctx context.Context, key store.StreamKey, after uint64, limit int) ([]store.Entry, error) {
	const op = "read stream"
	if err := store.ValidateKey(op, key); err != nil {
		return nil, err
	}
	if err := r.check(ctx, op, key.Org); err != nil {
		return nil, err
	}
	bg := context.Background()
	rows, err := r.w.query(bg, qReadStream, sqlSeq(after), blob16(key.Org), string(key.Kind), key.ID[:], sqlLimit(limit))
	if err != nil {
		return nil, r.w.d.fail(op, bg, err)
	}
	out, found, err := scanStream(rows, key)
	if err != nil {
		return nil, r.w.d.fail(op, bg, err)
	}
	if !found {
		return nil, store.StreamNotFound(key)
	}
	return out, nil
}

func (r *txReader) Stream(ctx context.Context, key store.StreamKey) (store.StreamInfo, error) {
	const op = "stream"
	if err := store.ValidateKey(op, key); err != nil {
		return store.StreamInfo{}, err
	}
	if err := r.check(ctx, op, key.Org); err != nil {
		return store.StreamInfo{}, err
	}
	bg := context.Background()
	info := store.StreamInfo{Key: key}
	var circ []byte
	err := r.w.scan(bg, qStreamInfo, []any{blob16(key.Org), string(key.Kind), key.ID[:]}, &info.Version, &circ, &info.Status)
	if errors.Is(err, sql.ErrNoRows) {
		return store.StreamInfo{}, store.StreamNotFound(key)
	}
	if err != nil {
		return store.StreamInfo{}, r.w.d.fail(op, bg, err)
	}
	copy(info.Circle[:], circ)
	return info, nil
}

func (r *txReader) Head(ctx context.Context, org circle.OrgID) (store.Head, error) {
	const op = "head"
	if org.IsZero() {
		return store.Head{}, &store.InvalidError{Op: op, Detail: "no organisation"}
	}
	if err := r.check(ctx, op, org); err != nil {
		return store.Head{}, err
	}
	bg := context.Background()
	h, err := r.w.head(bg, org)
	if err != nil {
		return store.Head{}, r.w.d.fail(op, bg, err)
	}
	return h, nil
}

func (r *txReader) Command(ctx context.Context, org circle.OrgID, id store.CommandID) (store.CommandRecord, error) {
	const op = "command"
	if org.IsZero() || id.IsZero() {
		return store.CommandRecord{}, &store.InvalidError{Op: op, Detail: "no organisation or command id"}
	}
	if err := r.check(ctx, op, org); err != nil {
		return store.CommandRecord{}, err
	}
	bg := context.Background()
	rec := store.CommandRecord{Org: org, ID: id}
	var ph []byte
	err := r.w.scan(bg, qCommand, []any{blob16(org), blob16(id)}, &ph, &rec.First, &rec.Last)
	if errors.Is(err, sql.ErrNoRows) {
		return store.CommandRecord{}, &store.NotFoundError{What: "command", Key: id.String()}
	}
	if err != nil {
		return store.CommandRecord{}, r.w.d.fail(op, bg, err)
	}
	copy(rec.PayloadHash[:], ph)
	return rec, nil
}
