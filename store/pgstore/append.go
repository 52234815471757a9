package pgstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/internal/streamrows"
	"github.com/coproduce/sociocracy/store"
)

// Append implements [store.Driver.Append].
//
// One append is one READ COMMITTED transaction in two round trips (plus one
// small transaction that creates the head row at an organisation's first
// append). The first pipelines BEGIN, the organisation setting for
// row-level security,
// the lock on the organisation's head row (SELECT ... FOR UPDATE, which
// serialises the appends of one organisation and lets other organisations
// run in parallel), the command record and the current version of each
// stream. The driver then decides in Go (duplicate command, stale version,
// missing stream, redaction out of range), seals the entries with
// [store.Batch.Seal], and the second round trip pipelines every write and
// COMMIT. Unique constraints on (org, seq), (org, kind, stream, version)
// and (org, command) back the lock up: a violation surfaces as a
// [*ConstraintError] matching [store.ErrConflict], with nothing written.
// Serialization failures and deadlocks are retried ([Options.MaxRetries]).
func (d *Driver) Append(ctx context.Context, b *store.Batch) (store.Result, error) {
	const op = "append"
	if err := d.checkOpen(op); err != nil {
		return store.Result{}, err
	}
	if err := b.Validate(); err != nil {
		return store.Result{}, err
	}
	var res store.Result
	err := withRetry(ctx, op, d.retries, func() error {
		var err error
		res, err = d.appendOnce(ctx, b)
		if errors.Is(err, errNoHead) {
			// The organisation's first append: create its head row in a
			// transaction of its own (a row at seq 0 is the same as none),
			// then append as usual.
			if err = d.inTx(ctx, op, b.Org, true, func(bt *pgx.Batch) { bt.Queue(d.q.ensureOrg, pgUUID(b.Org)) }); err == nil {
				res, err = d.appendOnce(ctx, b)
			}
		}
		return err
	})
	if err != nil {
		return store.Result{}, translate(ctx, op, err)
	}
	return res, nil
}

func (d *Driver) appendOnce(ctx context.Context, b *store.Batch) (res store.Result, err error) {
	conn, err := d.pool.Acquire(ctx)
	if err != nil {
		return res, err
	}
	// Release destroys a connection left inside a transaction; rollback
	// below keeps it for reuse in the ordinary refusals.
	defer conn.Release()
	defer func() {
		if err != nil {
			rollback(ctx, conn, d.q.rollback)
		}
	}()

	q := &d.q
	org := pgUUID(b.Org)
	var bt pgx.Batch
	bt.Queue(q.begin)
	bt.Queue(q.setOrg, b.Org.String())
	var head store.Head
	var headHash []byte
	bt.Queue(q.lockHead, org).QueryRow(func(row pgx.Row) error {
		err := row.Scan(&head.Seq, &headHash)
		if errors.Is(err, pgx.ErrNoRows) {
			return errNoHead
		}
		return err
	})
	var cmd struct {
		found       bool
		payload     []byte
		first, last uint64
	}
	if !b.Command.IsZero() {
		bt.Queue(q.command, org, pgUUID(b.Command)).QueryRow(func(row pgx.Row) error {
			err := row.Scan(&cmd.payload, &cmd.first, &cmd.last)
			if errors.Is(err, pgx.ErrNoRows) {
				return nil
			}
			cmd.found = err == nil
			return err
		})
	}
	versions := make([]uint64, len(b.Streams)) // 0: the stream does not exist
	for i := range b.Streams {
		k := &b.Streams[i].Stream
		bt.Queue(q.streamVersion, org, string(k.Kind), pgUUID(k.ID)).QueryRow(func(row pgx.Row) error {
			err := row.Scan(&versions[i])
			if errors.Is(err, pgx.ErrNoRows) {
				return nil
			}
			return err
		})
	}
	profiles := make([]bool, len(b.ErasedProfiles)) // whether each profile exists
	for i, p := range b.ErasedProfiles {
		bt.Queue(q.profileCount, org, pgUUID(p)).QueryRow(func(row pgx.Row) error {
			var n int
			err := row.Scan(&n)
			profiles[i] = n == 1
			return err
		})
	}
	if err := conn.SendBatch(ctx, &bt).Close(); err != nil {
		return res, err
	}
	if head.Hash, err = toHash(headHash); err != nil {
		return res, err
	}
	st := lockedState{head: head, versions: versions, profiles: profiles}
	if cmd.found {
		st.cmd = &store.CommandRecord{Org: b.Org, ID: b.Command, First: cmd.first, Last: cmd.last}
		if st.cmd.PayloadHash, err = toHash(cmd.payload); err != nil {
			return res, err
		}
	}
	return d.finish(ctx, conn, b, &st)
}

// lockedState is what an append knows of its organisation once the head
// row is locked: the head, the command record of the batch's command (nil:
// none) and the current version of each of the batch's streams (0: it does
// not exist), in the order of b.Streams.
type lockedState struct {
	head     store.Head
	cmd      *store.CommandRecord
	versions []uint64
	profiles []bool // whether each profile of b.ErasedProfiles exists
	// checked marks the streams whose version is not known under the lock
	// (nil: none): the write round trip checks each itself, in front of
	// the writes, and an existing stream not at its expected version fails
	// the transaction, so that nothing is written.
	checked []bool
}

// finish decides an append under the head lock (duplicate command, stale
// version, missing stream, redaction out of range), seals the entries and
// sends every write and COMMIT in one round trip.
func (d *Driver) finish(ctx context.Context, conn *pgxpool.Conn, b *store.Batch, st *lockedState) (res store.Result, err error) {
	entries, res, err := decide(b, st)
	if err != nil {
		return res, err
	}
	if res.Duplicate {
		rollback(ctx, conn, d.q.rollback)
		return res, nil
	}
	var bt pgx.Batch
	failed := -1 // the stream whose checked write failed
	rows := d.rows.Tx()
	d.queueWrites(&bt, b, entries, st.checked, &failed, rows)
	last := &entries[len(entries)-1]
	bt.Queue(d.q.setHead, pgUUID(b.Org), last.Seq, last.Hash[:])
	bt.Queue(d.q.commit)
	if err := conn.SendBatch(ctx, &bt).Close(); err != nil {
		if failed >= 0 {
			return store.Result{}, d.conflictAfter(ctx, conn, b, failed)
		}
		return store.Result{}, err
	}
	if conn.Conn().PgConn().TxStatus() != 'I' {
		// COMMIT did not end the transaction: something failed unseen.
		return store.Result{}, errors.New("pgstore: append: transaction still open after commit")
	}
	rows.Commit()
	return res, nil
}

// conflictAfter rolls back a transaction whose check of stream i failed
// and tells the conflict as a check under the lock would have.
func (d *Driver) conflictAfter(ctx context.Context, conn *pgxpool.Conn, b *store.Batch, i int) error {
	rollback(ctx, conn, d.q.rollback)
	s := &b.Streams[i]
	var actual uint64
	err := d.inTx(ctx, "append", b.Org, false, func(bt *pgx.Batch) {
		bt.Queue(d.q.streamVersion, pgUUID(b.Org), string(s.Stream.Kind), pgUUID(s.Stream.ID)).QueryRow(func(row pgx.Row) error {
			err := row.Scan(&actual)
			if errors.Is(err, pgx.ErrNoRows) {
				return nil
			}
			return err
		})
	})
	switch {
	case err != nil:
		return err
	case actual == 0:
		return store.StreamNotFound(s.Stream)
	}
	return &store.ConflictError{Stream: s.Stream, Expected: s.Expected, Actual: actual}
}

// decide checks b against what is known under the head lock, in the order
// the contract gives (command, versions, redactions), and seals its
// entries. A duplicate command returns its recorded result with
// Duplicate set and no entries.
func decide(b *store.Batch, st *lockedState) ([]store.Entry, store.Result, error) {
	head := st.head
	if st.cmd != nil {
		if st.cmd.PayloadHash != b.PayloadHash {
			return nil, store.Result{}, &store.CommandError{Command: b.Command, Stored: st.cmd.PayloadHash, Given: b.PayloadHash}
		}
		return nil, store.Result{First: st.cmd.First, Last: st.cmd.Last, Duplicate: true}, nil
	}
	for i := range b.Streams {
		s := &b.Streams[i]
		if st.checked != nil && st.checked[i] {
			continue // checked by the writes
		}
		switch actual := st.versions[i]; {
		case s.Expected == 0 && actual != 0:
			return nil, store.Result{}, &store.ConflictError{Stream: s.Stream, Expected: 0, Actual: actual}
		case s.Expected != 0 && actual == 0:
			return nil, store.Result{}, store.StreamNotFound(s.Stream)
		case s.Expected != actual:
			return nil, store.Result{}, &store.ConflictError{Stream: s.Stream, Expected: s.Expected, Actual: actual}
		}
	}
	for _, r := range b.Redactions {
		// The log is gapless and never shortened, so under the head lock
		// the entries 1..head.Seq are exactly the older ones.
		if r.Seq > head.Seq {
			return nil, store.Result{}, &store.NotFoundError{What: "entry", Key: fmt.Sprintf("seq %d", r.Seq)}
		}
	}
	for i, p := range b.ErasedProfiles {
		if !st.profiles[i] {
			return nil, store.Result{}, &store.NotFoundError{What: "profile", Key: p.String()}
		}
	}
	entries, err := b.Seal(head)
	if err != nil {
		return nil, store.Result{}, err
	}
	last := &entries[len(entries)-1]
	return entries, store.Result{First: entries[0].Seq, Last: last.Seq, Head: store.Head{Seq: last.Seq, Hash: last.Hash}}, nil
}

// queueWrites queues every write of b (streams, entries, redactions, the
// erased profiles, the command record), but not the head row's, and
// records in rows the stream rows b leaves.
//
// The streams marked in checked (nil: none) had their version not read
// under the lock: the first entry of each is written only at the version
// expected (its own version must be free and, unless rows knows the
// stream at the version expected, the entry before it must be stored);
// otherwise the write fails, the transaction is aborted, and *failed names
// the stream. A new stream's insert fails likewise when it exists.
//
// A stream's row is updated only when its circle or status changes, or
// rows does not know it at the version expected (see streamrows); the
// update returns the row, so that rows knows it afterwards.
func (d *Driver) queueWrites(bt *pgx.Batch, b *store.Batch, entries []store.Entry, checked []bool, failed *int, rows *streamrows.Tx) {
	q := &d.q
	org := pgUUID(b.Org)
	k := 0
	for i := range b.Streams {
		s := &b.Streams[i]
		es := entries[k : k+len(s.Records)]
		k += len(s.Records)
		last := s.Expected + uint64(len(s.Records))
		kind, id := string(s.Stream.Kind), pgUUID(s.Stream.ID)
		check := checked != nil && checked[i]
		fail := func(err error) error {
			var pe *pgconn.PgError
			if check && errors.As(err, &pe) && (pe.Code == codeDivisionByZero || pe.Code == codeUniqueViolation) {
				*failed = i
			}
			return err
		}
		plan := rows.Plan(s)
		if s.Expected == 0 {
			qq := bt.Queue(q.insertStream, org, kind, id, last, pgUUID(s.Circle), s.Status)
			qq.Fn = func(br pgx.BatchResults) error { _, err := br.Exec(); return fail(err) }
		}
		for j := range es {
			e := &es[j]
			data := e.Data
			if data == nil {
				data = []byte{}
			}
			args := []any{org, e.Seq, string(e.Stream.Kind), pgUUID(e.Stream.ID), e.Version, e.Type,
				pgUUID(e.Circle), e.At.UnixMicro(), pgUUID(e.Command), data, e.Digest[:], false, e.Hash[:]}
			switch {
			case j > 0 || s.Expected == 0 || !check:
				bt.Queue(q.insertEntry, args...)
			case plan.Known:
				qq := bt.Queue(q.insertEntry, args...)
				qq.Fn = func(br pgx.BatchResults) error { _, err := br.Exec(); return fail(err) }
			default:
				bt.Queue(q.insertEntryAfter, args...).QueryRow(func(r pgx.Row) error {
					var one int
					return fail(r.Scan(&one))
				})
			}
		}
		if s.Expected == 0 || !plan.Write {
			continue
		}
		next := plan.Next
		c := pgtype.UUID{Bytes: [16]byte(s.Circle), Valid: !s.Circle.IsZero()}
		bt.Queue(q.updateStream, org, kind, id, last, c, s.Status).QueryRow(func(r pgx.Row) error {
			var got pgtype.UUID
			if err := r.Scan(&got, &next.Status); err != nil {
				return err
			}
			next.Circle = circle.CircleID(got.Bytes)
			return nil
		})
	}
	rows.Done()
	for _, r := range b.Redactions {
		data := r.Data
		if data == nil {
			data = []byte{}
		}
		bt.Queue(q.redact, org, r.Seq, data)
	}
	for _, p := range b.ErasedProfiles {
		bt.Queue(q.eraseProfile, org, pgUUID(p))
	}
	if !b.Command.IsZero() {
		bt.Queue(q.insertCommand, org, pgUUID(b.Command), b.PayloadHash[:], entries[0].Seq, entries[len(entries)-1].Seq)
	}
}

// errNoHead: the organisation has no head row yet; see Append.
var errNoHead = errors.New("pgstore: no head row")

// rollback ends the connection's transaction, if any. When that fails
// (the context is done, the connection broke) the connection is released
// inside its transaction and the pool destroys it, which rolls back on the
// server.
func rollback(ctx context.Context, conn *pgxpool.Conn, sql string) {
	if conn.Conn().PgConn().TxStatus() == 'I' || ctx.Err() != nil {
		return
	}
	_, _ = conn.Exec(ctx, sql)
}

func pgUUID[T ~[16]byte](id T) pgtype.UUID { return pgtype.UUID{Bytes: id, Valid: true} }

func toHash(b []byte) (store.Hash, error) {
	var h store.Hash
	if len(b) != len(h) {
		return h, fmt.Errorf("pgstore: stored hash has %d bytes, want %d: %w", len(b), len(h), store.ErrCorrupt)
	}
	copy(h[:], b)
	return h, nil
}
