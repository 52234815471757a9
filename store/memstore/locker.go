package memstore

import (
	"context"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/store"
)

// AppendLocked implements [store.Locker]: it holds the organisation's
// write lock (the one every Append of the organisation takes) while build
// reads through the [store.Reader] it is handed and while the batch build
// returns is appended. Appends of other organisations go on in parallel.
// build must read only through that Reader: the driver's own methods take
// the same lock and would wait for ever.
func (d *Driver) AppendLocked(ctx context.Context, id circle.OrgID, build func(ctx context.Context, r store.Reader) (*store.Batch, error)) (store.Result, error) {
	if id.IsZero() {
		return store.Result{}, &store.InvalidError{Op: "append locked", Detail: "no organisation"}
	}
	o, err := d.get(ctx, id, true)
	if err != nil {
		return store.Result{}, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if d.isClosed() {
		return store.Result{}, store.ErrClosed
	}
	r := &lockedReader{d: d, o: o, org: id}
	b, err := build(ctx, r)
	r.done = true
	if err != nil {
		return store.Result{}, err
	}
	if err := b.Validate(); err != nil {
		return store.Result{}, err
	}
	if b.Org != id {
		return store.Result{}, &store.InvalidError{Op: "append locked", Detail: "the batch belongs to another organisation than the one locked"}
	}
	if err := ctx.Err(); err != nil {
		return store.Result{}, err
	}
	if d.isClosed() {
		return store.Result{}, store.ErrClosed
	}
	return o.append(ctx, b)
}

// lockedReader reads one organisation while AppendLocked holds its lock.
// It answers only for that organisation: a key of another one is not
// found (reading it would need a second lock, and could deadlock).
type lockedReader struct {
	d    *Driver
	o    *org
	org  circle.OrgID
	done bool // build returned: the lock is no longer held
}

func (r *lockedReader) check(ctx context.Context, org circle.OrgID) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if r.done {
		return &store.InvalidError{Op: "locked read", Detail: "the reader was used after its build returned"}
	}
	if org != r.org {
		return &store.InvalidError{Op: "locked read", Detail: "a key of another organisation than the one locked"}
	}
	return nil
}

func (r *lockedReader) ReadStream(ctx context.Context, key store.StreamKey, after uint64, limit int) ([]store.Entry, error) {
	if err := store.ValidateKey("read stream", key); err != nil {
		return nil, err
	}
	if err := r.check(ctx, key.Org); err != nil {
		return nil, err
	}
	return r.o.readStream(key, after, limit)
}

func (r *lockedReader) Stream(ctx context.Context, key store.StreamKey) (store.StreamInfo, error) {
	if err := store.ValidateKey("stream", key); err != nil {
		return store.StreamInfo{}, err
	}
	if err := r.check(ctx, key.Org); err != nil {
		return store.StreamInfo{}, err
	}
	return r.o.stream(key)
}

func (r *lockedReader) Head(ctx context.Context, org circle.OrgID) (store.Head, error) {
	if org.IsZero() {
		return store.Head{}, &store.InvalidError{Op: "head", Detail: "no organisation"}
	}
	if err := r.check(ctx, org); err != nil {
		return store.Head{}, err
	}
	return r.o.head(), nil
}

func (r *lockedReader) Command(ctx context.Context, org circle.OrgID, id store.CommandID) (store.CommandRecord, error) {
	if org.IsZero() || id.IsZero() {
		return store.CommandRecord{}, &store.InvalidError{Op: "command", Detail: "no organisation or command id"}
	}
	if err := r.check(ctx, org); err != nil {
		return store.CommandRecord{}, err
	}
	return r.o.command(id)
}

// Prefetch implements [store.Prefetcher], one read after the other.
func (r *lockedReader) Prefetch(ctx context.Context, q store.Prefetch) (store.Prefetched, error) {
	return store.PrefetchOneByOne(ctx, r, q)
}
