package pgstore

import (
	"context"
	"fmt"
	"sync"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/store"
)

// maxGroup bounds how many AppendLocked calls of one organisation share a
// transaction.
const maxGroup = 64

// groups queues the AppendLocked calls of each organisation; one
// goroutine per organisation with calls waiting runs them.
type groups struct {
	mu sync.Mutex
	m  map[circle.OrgID]*orgQueue
}

type orgQueue struct{ reqs []*lockReq }

type lockReq struct {
	ctx      context.Context
	build    func(ctx context.Context, r store.Reader) (*store.Batch, error)
	res      store.Result
	err      error
	panicked any // what build panicked with
	done     chan struct{}
}

// AppendLocked implements [store.Locker]. The head row of the organisation
// is locked before build reads anything (SELECT ... FOR UPDATE), so that
// the appends of the organisation, from every process, wait for it and
// nothing build reads can change before the batch is written.
//
// Calls of one organisation that wait at the same time share one
// transaction (group commit): they queue in the driver, and one goroutine
// locks the head row once, runs their builds one after the other (each
// reading, through its [store.Reader], the appends of the ones before it),
// decides and seals each batch in Go, and commits them together, so that
// the lock is held for one commit (one flush of the write-ahead log) per
// group instead of one per act. Round trips while the row is locked: the
// first read of the group carries BEGIN, the organisation setting and the
// lock; each read of a build is one round trip and carries the writes of
// the acts before it; the last writes, the head and COMMIT are one. What a
// build already read (the head, its command record, its streams' versions)
// is not asked again. A build that prefetches at the head the act before
// it leaves ([store.Prefetch.Unless], as the portable Store does when it
// knows that head) reads nothing at all: its streams' versions are checked
// by its writes, and its command, unless the transaction knows it, by the
// insert of its record; a command that exists (a retry) fails that insert
// and with it the group, whose calls then run alone, where it is looked up.
// So the acts of a busy organisation hold its lock for two round trips per
// group, whatever its size.
//
// A build error, or a batch refused (conflict, duplicate command, invalid),
// concerns its own call only: builds only read, and a refused batch writes
// nothing, so the others go on. Should the shared transaction fail (a
// serialization failure, a deadlock, a lost connection), every call of the
// group runs again alone, in a transaction of its own retried on
// serialization failures and deadlocks ([Options.MaxRetries]), its build
// called again. A build error is returned unchanged. A caller whose ctx
// ends while its call waits gets an error wrapping ctx.Err(); when its
// build has already run in a group, its append may still be committed
// (a command ID makes the retry safe).
func (d *Driver) AppendLocked(ctx context.Context, org circle.OrgID, build func(ctx context.Context, r store.Reader) (*store.Batch, error)) (store.Result, error) {
	const op = "append locked"
	if err := d.checkOrg(op, org); err != nil {
		return store.Result{}, err
	}
	if build == nil {
		return store.Result{}, &store.InvalidError{Op: op, Detail: "nil build"}
	}
	if err := ctx.Err(); err != nil {
		return store.Result{}, translate(ctx, op, err)
	}
	r := &lockReq{ctx: ctx, build: build, done: make(chan struct{})}
	g := &d.groups
	g.mu.Lock()
	if g.m == nil {
		g.m = make(map[circle.OrgID]*orgQueue)
	}
	q := g.m[org]
	if q == nil {
		q = &orgQueue{}
		g.m[org] = q
		go d.runOrg(org, q)
	}
	q.reqs = append(q.reqs, r)
	g.mu.Unlock()
	select {
	case <-r.done:
		if r.panicked != nil {
			panic(r.panicked)
		}
		return r.res, r.err
	case <-ctx.Done():
		return store.Result{}, fmt.Errorf("pgstore: %s: %w", op, ctx.Err())
	}
}

// runOrg runs the queued calls of org in groups until none is left.
func (d *Driver) runOrg(org circle.OrgID, q *orgQueue) {
	g := &d.groups
	for {
		g.mu.Lock()
		n := min(len(q.reqs), maxGroup)
		if n == 0 {
			delete(g.m, org)
			g.mu.Unlock()
			return
		}
		group := q.reqs[:n:n]
		q.reqs = q.reqs[n:]
		g.mu.Unlock()
		d.runGroup(org, group)
		for _, r := range group {
			close(r.done)
		}
	}
}

func (d *Driver) runGroup(org circle.OrgID, group []*lockReq) {
	live := group[:0:0]
	for _, r := range group {
		if err := r.ctx.Err(); err != nil {
			r.err = translate(r.ctx, "append locked", err)
			continue
		}
		live = append(live, r)
	}
	if len(live) > 1 && d.tryGroup(org, live) {
		return
	}
	for _, r := range live {
		if r.panicked != nil {
			r.err = fmt.Errorf("pgstore: append locked: the build panicked: %v", r.panicked)
			continue
		}
		r.res, r.err = d.appendLockedAlone(r.ctx, org, r.call)
	}
}

// tryGroup runs live in one transaction; false (with nothing written and
// the results cleared) when that transaction failed.
func (d *Driver) tryGroup(org circle.OrgID, live []*lockReq) (ok bool) {
	ctx := context.Background()
	conn, err := d.pool.Acquire(ctx)
	if err != nil {
		return false
	}
	defer conn.Release()
	defer func() {
		if !ok {
			rollback(ctx, conn, d.q.rollback)
			for _, r := range live {
				r.res, r.err = store.Result{}, nil
			}
		}
	}()
	t := newLockedTx(d, conn, org, ctx)
	t.grouped = true
	wrote := false
	for _, r := range live {
		if err := r.ctx.Err(); err != nil {
			r.err = translate(r.ctx, "append locked", err)
			continue
		}
		t.done = false
		b, berr := func() (*store.Batch, error) {
			defer func() { t.done = true }()
			return r.call(r.ctx, t)
		}()
		if t.failed != nil {
			return false
		}
		if berr != nil {
			r.err = berr
			continue
		}
		if err := b.Validate(); err != nil {
			r.err = err
			continue
		}
		if b.Org != org {
			r.err = &store.InvalidError{Op: "append locked", Detail: "the batch belongs to another organisation than the one locked"}
			continue
		}
		if err := r.ctx.Err(); err != nil {
			r.err = translate(r.ctx, "append locked", err)
			continue
		}
		st, err := t.state(ctx, b)
		if err != nil {
			return false
		}
		entries, res, err := decide(b, st)
		if err != nil {
			r.err = err
			continue
		}
		r.res = res
		if res.Duplicate {
			continue
		}
		// The act's writes go with the next round trip; what the
		// transaction holds after them is known without asking.
		// A checked stream not at its version fails the whole
		// transaction, and each call then runs alone (which names it).
		var failed int
		d.queueWrites(&t.pending, b, entries, st.checked, &failed, t.rows)
		last := &entries[len(entries)-1]
		t.head = store.Head{Seq: last.Seq, Hash: last.Hash}
		for i := range b.Streams {
			s := &b.Streams[i]
			t.versions[s.Stream] = s.Expected + uint64(len(s.Records))
		}
		for _, p := range b.ErasedProfiles {
			t.erased[p] = true
		}
		if !b.Command.IsZero() {
			t.cmds[b.Command] = &store.CommandRecord{Org: org, ID: b.Command, PayloadHash: b.PayloadHash, First: res.First, Last: res.Last}
		}
		wrote = true
	}
	if !wrote {
		rollback(ctx, conn, d.q.rollback)
		return true
	}
	var bt = t.pending
	t.pending.QueuedQueries = nil
	bt.Queue(d.q.setHead, pgUUID(org), t.head.Seq, t.head.Hash[:])
	bt.Queue(d.q.commit)
	if err := conn.SendBatch(ctx, &bt).Close(); err != nil {
		return false
	}
	if conn.Conn().PgConn().TxStatus() != 'I' {
		return false
	}
	t.rows.Commit()
	return true
}

// call runs r's build, turning a panic into an error; AppendLocked raises
// the panic again in the caller's goroutine.
func (r *lockReq) call(ctx context.Context, rd store.Reader) (b *store.Batch, err error) {
	defer func() {
		if p := recover(); p != nil {
			r.panicked = p
			b, err = nil, fmt.Errorf("pgstore: append locked: the build panicked: %v", p)
		}
	}()
	return r.build(ctx, rd)
}
