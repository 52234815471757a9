package pgstore

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/internal/streamrows"
	"github.com/coproduce/sociocracy/store"
)

var _ store.Locker = (*Driver)(nil)

// appendLockedAlone runs one AppendLocked in a transaction of its own,
// run again after a serialization failure or deadlock.
func (d *Driver) appendLockedAlone(ctx context.Context, org circle.OrgID, build func(ctx context.Context, r store.Reader) (*store.Batch, error)) (store.Result, error) {
	const op = "append locked"
	if err := ctx.Err(); err != nil {
		return store.Result{}, translate(ctx, op, err)
	}
	var res store.Result
	err := withRetry(ctx, op, d.retries, func() error {
		var err error
		res, err = d.appendLockedOnce(ctx, org, build)
		if errors.Is(err, errNoHead) {
			// The organisation's first append: create its head row in a
			// transaction of its own, then start again.
			if err = d.inTx(ctx, op, org, true, func(bt *pgx.Batch) { bt.Queue(d.q.ensureOrg, pgUUID(org)) }); err == nil {
				res, err = d.appendLockedOnce(ctx, org, build)
			}
		}
		return err
	})
	var bf *buildFailed
	if errors.As(err, &bf) {
		return store.Result{}, bf.err
	}
	if err != nil {
		return store.Result{}, translate(ctx, op, err)
	}
	return res, nil
}

// buildFailed carries build's own error through withRetry, which must
// neither retry nor translate it.
type buildFailed struct{ err error }

func (e *buildFailed) Error() string { return e.err.Error() }

func (d *Driver) appendLockedOnce(ctx context.Context, org circle.OrgID, build func(ctx context.Context, r store.Reader) (*store.Batch, error)) (res store.Result, err error) {
	conn, err := d.pool.Acquire(ctx)
	if err != nil {
		return res, err
	}
	defer conn.Release()
	defer func() {
		if err != nil {
			rollback(ctx, conn, d.q.rollback)
		}
	}()
	r := newLockedTx(d, conn, org, ctx)
	b, berr := func() (*store.Batch, error) {
		defer func() { r.done = true }()
		return build(ctx, r)
	}()
	if r.failed != nil && (berr == nil || retryable(r.failed) || errors.Is(r.failed, errNoHead)) {
		// The transaction itself failed under a read: it is rolled back,
		// and run again when the failure is one that passes.
		return res, r.failed
	}
	if berr != nil {
		return res, &buildFailed{berr}
	}
	if err := b.Validate(); err != nil {
		return res, err
	}
	if b.Org != org {
		return res, &store.InvalidError{Op: "append locked", Detail: "the batch belongs to another organisation than the one locked"}
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}

	st, err := r.state(ctx, b)
	if err != nil {
		return res, err
	}
	return d.finish(ctx, conn, b, st)
}

// lockedTx is the [store.Reader] of a build: it reads inside the
// transaction that holds the organisation's head row, and remembers what
// it learnt (the head, stream versions, command records) so that the
// append need not ask again.
type lockedTx struct {
	d        *Driver
	conn     *pgxpool.Conn
	org      circle.OrgID
	locked   bool // BEGIN, the setting and the lock have been sent
	head     store.Head
	headHash []byte
	versions map[store.StreamKey]uint64 // 0: known not to exist
	cmds     map[store.CommandID]*store.CommandRecord
	erased   map[circle.PersonID]bool // profiles erased by earlier acts of a group
	failed   error                    // the first failure of a round trip: the transaction is aborted
	done     bool                     // build returned
	io       context.Context          // the context of every round trip
	grouped  bool                     // several builds share the transaction (see Prefetch)
	pending  pgx.Batch                // writes of earlier acts of a group, sent with the next round trip
	rows     *streamrows.Tx           // the stream rows the group's acts leave
	// unasked holds the commands of a group's acts that were not looked
	// up (see Prefetch): their records are inserted all the same, and one
	// that exists fails the insert, the group's transaction with it, and
	// every call of the group then runs alone, where it is looked up.
	unasked map[store.CommandID]bool
}

func newLockedTx(d *Driver, conn *pgxpool.Conn, org circle.OrgID, io context.Context) *lockedTx {
	return &lockedTx{d: d, conn: conn, org: org, io: io, rows: d.rows.Tx(),
		versions: map[store.StreamKey]uint64{}, cmds: map[store.CommandID]*store.CommandRecord{}, erased: map[circle.PersonID]bool{},
		unasked: map[store.CommandID]bool{}}
}

// flushInto queues, in front of what bt will hold, BEGIN and the lock (the
// first time) and the writes pending.
func (t *lockedTx) flushInto(bt *pgx.Batch) {
	t.start(bt)
	bt.QueuedQueries = append(bt.QueuedQueries, t.pending.QueuedQueries...)
	t.pending = pgx.Batch{}
}

// state returns what the append of b must know under the lock: the head,
// the command record and the streams' versions. What build has read is
// known; the rest is read now, in one round trip.
func (t *lockedTx) state(ctx context.Context, b *store.Batch) (*lockedState, error) {
	st := &lockedState{versions: make([]uint64, len(b.Streams)), profiles: make([]bool, len(b.ErasedProfiles))}
	_, known := t.cmds[b.Command]
	known = known || b.Command.IsZero() || t.unasked[b.Command]
	if t.locked && (len(t.pending.QueuedQueries) == 0 || t.grouped) && len(b.ErasedProfiles) == 0 && known {
		// Nothing is missing but stream versions (the reads were left out
		// for a head the Store knew), if any: the write round trip checks
		// them, rather than a round trip of its own. In a group the writes
		// of the acts before wait for the next round trip too.
		for i := range b.Streams {
			if _, ok := t.versions[b.Streams[i].Stream]; !ok {
				if st.checked == nil {
					st.checked = make([]bool, len(b.Streams))
				}
				st.checked[i] = true
			}
		}
		if rec := t.cmds[b.Command]; rec != nil {
			st.cmd = rec
		}
		for i := range b.Streams {
			st.versions[i] = t.versions[b.Streams[i].Stream]
		}
		st.head = t.head
		return st, nil
	}
	var bt pgx.Batch
	t.flushInto(&bt)
	pg := pgUUID(t.org)
	if !b.Command.IsZero() {
		if rec, ok := t.cmds[b.Command]; ok {
			st.cmd = rec
		} else {
			bt.Queue(t.d.q.command, pg, pgUUID(b.Command)).QueryRow(func(row pgx.Row) error {
				var payload []byte
				rec := store.CommandRecord{Org: t.org, ID: b.Command}
				err := row.Scan(&payload, &rec.First, &rec.Last)
				if errors.Is(err, pgx.ErrNoRows) {
					return nil
				}
				if err != nil {
					return err
				}
				if rec.PayloadHash, err = toHash(payload); err != nil {
					return err
				}
				st.cmd = &rec
				return nil
			})
		}
	}
	for i := range b.Streams {
		k := b.Streams[i].Stream
		if v, ok := t.versions[k]; ok {
			st.versions[i] = v
			continue
		}
		bt.Queue(t.d.q.streamVersion, pg, string(k.Kind), pgUUID(k.ID)).QueryRow(func(row pgx.Row) error {
			err := row.Scan(&st.versions[i])
			if errors.Is(err, pgx.ErrNoRows) {
				return nil
			}
			return err
		})
	}
	for i, p := range b.ErasedProfiles {
		if t.erased[p] {
			continue // erased by an earlier act of the group
		}
		bt.Queue(t.d.q.profileCount, pg, pgUUID(p)).QueryRow(func(row pgx.Row) error {
			var n int
			err := row.Scan(&n)
			st.profiles[i] = n == 1
			return err
		})
	}
	if bt.Len() > 0 {
		if err := t.conn.SendBatch(t.io, &bt).Close(); err != nil {
			t.failed = err
			return nil, err
		}
	}
	st.head = t.head
	return st, nil
}

// start queues BEGIN, the organisation setting and the head lock in front
// of bt's statements, the first time only.
func (t *lockedTx) start(bt *pgx.Batch) {
	if t.locked {
		return
	}
	t.locked = true
	bt.Queue(t.d.q.begin)
	bt.Queue(t.d.q.setOrg, t.org.String())
	bt.Queue(t.d.q.lockHead, pgUUID(t.org)).QueryRow(func(row pgx.Row) error {
		err := row.Scan(&t.head.Seq, &t.headHash)
		if errors.Is(err, pgx.ErrNoRows) {
			return errNoHead
		}
		if err != nil {
			return err
		}
		t.head.Hash, err = toHash(t.headHash)
		return err
	})
}

// send runs one round trip of reads, prefixed by the lock on the first.
func (t *lockedTx) send(ctx context.Context, op string, org circle.OrgID, queue func(bt *pgx.Batch)) error {
	if err := ctx.Err(); err != nil {
		return translate(ctx, op, err)
	}
	if t.done {
		return &store.InvalidError{Op: op, Detail: "the reader of a build was used after the build returned"}
	}
	if t.failed != nil {
		return translate(ctx, op, t.failed)
	}
	if org != t.org {
		return &store.InvalidError{Op: op, Detail: "a key of another organisation than the one locked"}
	}
	if queue == nil && t.locked {
		return nil // the head is known: nothing to ask
	}
	var bt pgx.Batch
	t.flushInto(&bt)
	if queue != nil {
		queue(&bt)
	}
	if err := t.conn.SendBatch(t.io, &bt).Close(); err != nil {
		t.failed = err
		return translate(ctx, op, err)
	}
	return nil
}

func (t *lockedTx) ReadStream(ctx context.Context, key store.StreamKey, after uint64, limit int) ([]store.Entry, error) {
	const op = "read stream"
	if err := store.ValidateKey(op, key); err != nil {
		return nil, err
	}
	var (
		version uint64
		found   bool
		out     []store.Entry
	)
	org, kind, id := pgUUID(key.Org), string(key.Kind), pgUUID(key.ID)
	err := t.send(ctx, op, key.Org, func(b *pgx.Batch) {
		b.Queue(t.d.q.streamVersion, org, kind, id).QueryRow(func(row pgx.Row) error {
			err := row.Scan(&version)
			if errors.Is(err, pgx.ErrNoRows) {
				return nil
			}
			found = err == nil
			return err
		})
		b.Queue(t.d.q.readStream, org, kind, id, clampSeq(after), limitArg(limit)).Query(func(rows pgx.Rows) error {
			var err error
			out, err = scanEntries(rows, key.Org, limit)
			return err
		})
	})
	if err != nil {
		return nil, err
	}
	t.versions[key] = version
	if !found {
		return nil, store.StreamNotFound(key)
	}
	if out == nil {
		out = []store.Entry{}
	}
	return out, nil
}

func (t *lockedTx) Stream(ctx context.Context, key store.StreamKey) (store.StreamInfo, error) {
	const op = "stream"
	if err := store.ValidateKey(op, key); err != nil {
		return store.StreamInfo{}, err
	}
	info := store.StreamInfo{Key: key}
	found := false
	err := t.send(ctx, op, key.Org, func(b *pgx.Batch) {
		b.Queue(t.d.q.streamInfo, pgUUID(key.Org), string(key.Kind), pgUUID(key.ID)).QueryRow(func(row pgx.Row) error {
			var c pgtype.UUID
			err := row.Scan(&info.Version, &c, &info.Status)
			if errors.Is(err, pgx.ErrNoRows) {
				return nil
			}
			found = err == nil
			info.Circle = circle.CircleID(c.Bytes)
			return err
		})
	})
	if err != nil {
		return store.StreamInfo{}, err
	}
	t.versions[key] = info.Version
	if !found {
		return store.StreamInfo{}, store.StreamNotFound(key)
	}
	return info, nil
}

func (t *lockedTx) Head(ctx context.Context, org circle.OrgID) (store.Head, error) {
	const op = "head"
	if org.IsZero() {
		return store.Head{}, &store.InvalidError{Op: op, Detail: "no organisation"}
	}
	// The head row is locked: once read, it cannot change until the
	// append writes it.
	if err := t.send(ctx, op, org, nil); err != nil {
		return store.Head{}, err
	}
	return t.head, nil
}

func (t *lockedTx) Command(ctx context.Context, org circle.OrgID, id store.CommandID) (store.CommandRecord, error) {
	const op = "command"
	if org.IsZero() || id.IsZero() {
		return store.CommandRecord{}, &store.InvalidError{Op: op, Detail: "no organisation or command id"}
	}
	var (
		rec     = store.CommandRecord{Org: org, ID: id}
		payload []byte
		found   bool
	)
	err := t.send(ctx, op, org, func(b *pgx.Batch) {
		b.Queue(t.d.q.command, pgUUID(org), pgUUID(id)).QueryRow(func(row pgx.Row) error {
			err := row.Scan(&payload, &rec.First, &rec.Last)
			if errors.Is(err, pgx.ErrNoRows) {
				return nil
			}
			found = err == nil
			return err
		})
	})
	if err != nil {
		return store.CommandRecord{}, err
	}
	if !found {
		t.cmds[id] = nil
		return store.CommandRecord{}, &store.NotFoundError{What: "command", Key: id.String()}
	}
	if rec.PayloadHash, err = toHash(payload); err != nil {
		return store.CommandRecord{}, err
	}
	c := rec
	t.cmds[id] = &c
	return rec, nil
}

var _ store.Prefetcher = (*lockedTx)(nil)

// Prefetch answers every read, and the command, in one round trip (with
// BEGIN and the lock in front of it on the first), and remembers what it
// learnt for the append.
func (t *lockedTx) Prefetch(ctx context.Context, q store.Prefetch) (store.Prefetched, error) {
	const op = "prefetch"
	if err := q.Validate(); err != nil {
		return store.Prefetched{}, err
	}
	out := store.Prefetched{Streams: make([]store.StreamReadResult, len(q.Streams))}
	if q.Unless != nil && t.grouped && t.locked && t.failed == nil && !t.done && q.Org == t.org && t.head == *q.Unless {
		// An act of a group after the first, at the head the act before it
		// leaves: nothing need be asked, and nothing is, so that the lock
		// is held for one round trip of reads and one of writes per group
		// rather than one per act. The command is answered only when the
		// transaction knows it; otherwise its insert checks it (unasked).
		out.Unchanged = true
		if !q.Command.IsZero() {
			if rec, ok := t.cmds[q.Command]; !ok {
				t.unasked[q.Command] = true
			} else if rec != nil {
				out.Command, out.CommandFound = *rec, true
			}
		}
		return out, nil
	}
	versions := make([]uint64, len(q.Streams))
	var payload []byte
	if q.Unless != nil && !t.locked && !t.grouped {
		// The lock (with the command) first: when the head is the one the
		// Store knows, nothing else need be asked; otherwise the reads
		// follow in a second round trip. Not in a group: there other calls
		// wait for the lock, and the head has most likely moved since the
		// Store last saw it, so the reads go with the lock.
		if q.Command.IsZero() {
			if err := t.send(ctx, op, q.Org, nil); err != nil {
				return store.Prefetched{}, err
			}
		} else {
			rec, err := t.Command(ctx, q.Org, q.Command)
			switch {
			case err == nil:
				out.Command, out.CommandFound = rec, true
			case !errors.Is(err, store.ErrNotFound):
				return store.Prefetched{}, err
			}
			q.Command = store.CommandID{} // answered
		}
		if t.head == *q.Unless {
			out.Unchanged = true
			return out, nil
		}
	}
	err := t.send(ctx, op, q.Org, func(b *pgx.Batch) {
		for i, rd := range q.Streams {
			org, kind, id := pgUUID(rd.Key.Org), string(rd.Key.Kind), pgUUID(rd.Key.ID)
			b.Queue(t.d.q.streamVersion, org, kind, id).QueryRow(func(row pgx.Row) error {
				err := row.Scan(&versions[i])
				if errors.Is(err, pgx.ErrNoRows) {
					return nil
				}
				out.Streams[i].Found = err == nil
				return err
			})
			b.Queue(t.d.q.readStream, org, kind, id, clampSeq(rd.After), limitArg(0)).Query(func(rows pgx.Rows) error {
				var err error
				out.Streams[i].Entries, err = scanEntries(rows, rd.Key.Org, 0)
				return err
			})
		}
		if !q.Command.IsZero() {
			b.Queue(t.d.q.command, pgUUID(q.Org), pgUUID(q.Command)).QueryRow(func(row pgx.Row) error {
				out.Command = store.CommandRecord{Org: q.Org, ID: q.Command}
				err := row.Scan(&payload, &out.Command.First, &out.Command.Last)
				if errors.Is(err, pgx.ErrNoRows) {
					return nil
				}
				out.CommandFound = err == nil
				return err
			})
		}
	})
	if err != nil {
		return store.Prefetched{}, err
	}
	for i, rd := range q.Streams {
		t.versions[rd.Key] = versions[i]
		if !out.Streams[i].Found {
			out.Streams[i].Entries = nil
		} else if out.Streams[i].Entries == nil {
			out.Streams[i].Entries = []store.Entry{}
		}
	}
	if !q.Command.IsZero() {
		if !out.CommandFound {
			out.Command = store.CommandRecord{}
			t.cmds[q.Command] = nil
		} else {
			if out.Command.PayloadHash, err = toHash(payload); err != nil {
				return store.Prefetched{}, err
			}
			c := out.Command
			t.cmds[q.Command] = &c
		}
	}
	return out, nil
}
