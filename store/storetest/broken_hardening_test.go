package storetest_test

import (
	"context"
	"errors"
	"math"
	"sync"
	"sync/atomic"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/memstore"
)

// More broken adapters, one for each miss an outside probe found in the
// suite; each must fail the subtest named beside it.
func init() {
	for name, b := range map[string]struct {
		newDriver func() store.Driver
		mustFail  []string
	}{
		"redacts by sequence number alone": {
			func() store.Driver {
				return &crossRedacts{Driver: memstore.New(), overlay: map[circle.OrgID]map[uint64][]byte{}}
			},
			[]string{"RedactionStaysInItsOrganisation"},
		},
		"refreshes a cached head only when uncontended": {
			func() store.Driver {
				return &contendedHead{Driver: memstore.New(), heads: map[circle.OrgID]store.Head{}}
			},
			[]string{"HeadFollowsConcurrentAppends"},
		},
		"caps reads at 256 rows": {
			func() store.Driver { return &capsReads{memstore.New()} },
			[]string{"ReadsOf10000RowsPageExactly"},
		},
		"skips a row when paging past row 250": {
			func() store.Driver { return &skipsPastRow250{memstore.New()} },
			[]string{"ReadsOf10000RowsPageExactly"},
		},
		"checks the command before the serialisation": {
			func() store.Driver {
				return &checkThenInsert{Driver: memstore.New(), cmds: map[cmdKey]store.CommandRecord{}}
			},
			[]string{"CommandRetriedWhileTheFirstIsHeldHasOneEffect"},
		},
		"reads numbers past 2^63 as signed": {
			func() store.Driver { return &signedNumbers{memstore.New()} },
			[]string{"NumbersPast2To63AreRefusedOrEmpty"},
		},
	} {
		brokenAdapters[name] = b
	}
}

// crossRedacts applies a redaction to the entry of that sequence number in
// every organisation it has seen, as "UPDATE entries SET data = ? WHERE
// seq = ?" without the organisation would; a redaction of a number its own
// organisation lacks succeeds if another has it.
type crossRedacts struct {
	*memstore.Driver
	mu      sync.Mutex
	overlay map[circle.OrgID]map[uint64][]byte
}

func (d *crossRedacts) Append(ctx context.Context, b *store.Batch) (store.Result, error) {
	if b != nil {
		d.mu.Lock()
		if d.overlay[b.Org] == nil {
			d.overlay[b.Org] = map[uint64][]byte{}
		}
		d.mu.Unlock()
	}
	res, err := d.Driver.Append(ctx, b)
	if errors.Is(err, store.ErrNotFound) && b != nil && len(b.Redactions) > 0 {
		plain := *b
		plain.Redactions = nil
		if res, err = d.Driver.Append(ctx, &plain); err != nil {
			return res, err
		}
	}
	if err == nil && b != nil {
		d.mu.Lock()
		for org, m := range d.overlay {
			if org != b.Org {
				for _, r := range b.Redactions {
					m[r.Seq] = append([]byte(nil), r.Data...)
				}
			}
		}
		d.mu.Unlock()
	}
	return res, err
}

func (d *crossRedacts) apply(org circle.OrgID, es []store.Entry) []store.Entry {
	d.mu.Lock()
	defer d.mu.Unlock()
	for i := range es {
		if data, ok := d.overlay[org][es[i].Seq]; ok {
			es[i].Data, es[i].Redacted = append([]byte(nil), data...), true
		}
	}
	return es
}

func (d *crossRedacts) ReadLog(ctx context.Context, q store.LogQuery) ([]store.Entry, error) {
	es, err := d.Driver.ReadLog(ctx, q)
	return d.apply(q.Org, es), err
}

func (d *crossRedacts) ReadStream(ctx context.Context, k store.StreamKey, after uint64, limit int) ([]store.Entry, error) {
	es, err := d.Driver.ReadStream(ctx, k, after, limit)
	return d.apply(k.Org, es), err
}

// contendedHead serves Head from a cache that an append refreshes only when
// no other append of the organisation was in flight as it started (an
// optimisation that leaves "someone else" to refresh it).
type contendedHead struct {
	*memstore.Driver
	inflight atomic.Int64
	mu       sync.Mutex
	heads    map[circle.OrgID]store.Head
}

func (d *contendedHead) around(ctx context.Context, org circle.OrgID, op func() (store.Result, error)) (store.Result, error) {
	alone := d.inflight.Add(1) == 1
	defer d.inflight.Add(-1)
	res, err := op()
	if err == nil && alone {
		if h, herr := d.Driver.Head(ctx, org); herr == nil {
			d.mu.Lock()
			d.heads[org] = h
			d.mu.Unlock()
		}
	}
	return res, err
}

func (d *contendedHead) Append(ctx context.Context, b *store.Batch) (store.Result, error) {
	if b == nil {
		return d.Driver.Append(ctx, b)
	}
	return d.around(ctx, b.Org, func() (store.Result, error) { return d.Driver.Append(ctx, b) })
}

func (d *contendedHead) AppendLocked(ctx context.Context, org circle.OrgID, build func(context.Context, store.Reader) (*store.Batch, error)) (store.Result, error) {
	return d.around(ctx, org, func() (store.Result, error) { return d.Driver.AppendLocked(ctx, org, build) })
}

func (d *contendedHead) Head(ctx context.Context, org circle.OrgID) (store.Head, error) {
	d.mu.Lock()
	h, ok := d.heads[org]
	d.mu.Unlock()
	if ok {
		return h, nil
	}
	return d.Driver.Head(ctx, org)
}

// capsReads returns at most 256 rows from any read, as a driver with a
// fixed fetch size that never fetches the next batch would.
type capsReads struct{ *memstore.Driver }

func (d *capsReads) ReadLog(ctx context.Context, q store.LogQuery) ([]store.Entry, error) {
	if q.Limit <= 0 || q.Limit > 256 {
		q.Limit = 256
	}
	return d.Driver.ReadLog(ctx, q)
}

func (d *capsReads) ReadStream(ctx context.Context, k store.StreamKey, after uint64, limit int) ([]store.Entry, error) {
	if limit <= 0 || limit > 256 {
		limit = 256
	}
	return d.Driver.ReadStream(ctx, k, after, limit)
}

// skipsPastRow250 loses one row on every page that starts past row 250,
// as an off-by-one in a cursor that switches strategy there would.
type skipsPastRow250 struct{ *memstore.Driver }

func (d *skipsPastRow250) ReadLog(ctx context.Context, q store.LogQuery) ([]store.Entry, error) {
	if q.After >= 250 {
		q.After++
	}
	return d.Driver.ReadLog(ctx, q)
}

type cmdKey struct {
	org circle.OrgID
	id  store.CommandID
}

// checkThenInsert keeps command records itself and looks a command up
// before it takes the organisation's serialisation, recording it only
// after the append: correct one at a time, two effects when a retry
// arrives while the first append is in progress.
type checkThenInsert struct {
	*memstore.Driver
	mu   sync.Mutex
	cmds map[cmdKey]store.CommandRecord
}

var errRecorded = errors.New("recorded")

func (d *checkThenInsert) lookup(b *store.Batch) (store.CommandRecord, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	rec, ok := d.cmds[cmdKey{b.Org, b.Command}]
	return rec, ok
}

func (d *checkThenInsert) answer(b *store.Batch, rec store.CommandRecord) (store.Result, error) {
	if rec.PayloadHash != b.PayloadHash {
		return store.Result{}, &store.CommandError{Command: b.Command, Stored: rec.PayloadHash, Given: b.PayloadHash}
	}
	return store.Result{First: rec.First, Last: rec.Last, Duplicate: true}, nil
}

func (d *checkThenInsert) record(b *store.Batch, res store.Result) {
	d.mu.Lock()
	d.cmds[cmdKey{b.Org, b.Command}] = store.CommandRecord{Org: b.Org, ID: b.Command, PayloadHash: b.PayloadHash, First: res.First, Last: res.Last}
	d.mu.Unlock()
}

func (d *checkThenInsert) Append(ctx context.Context, b *store.Batch) (store.Result, error) {
	if b == nil || b.Command.IsZero() {
		return d.Driver.Append(ctx, b)
	}
	if rec, ok := d.lookup(b); ok {
		return d.answer(b, rec)
	}
	plain := *b
	plain.Command = store.CommandID{}
	res, err := d.Driver.Append(ctx, &plain)
	if err == nil {
		d.record(b, res)
	}
	return res, err
}

func (d *checkThenInsert) AppendLocked(ctx context.Context, org circle.OrgID, build func(context.Context, store.Reader) (*store.Batch, error)) (store.Result, error) {
	var built *store.Batch
	var rec store.CommandRecord
	res, err := d.Driver.AppendLocked(ctx, org, func(ctx context.Context, r store.Reader) (*store.Batch, error) {
		b, err := build(ctx, &cmdReader{Reader: r, d: d})
		if err != nil || b == nil || b.Command.IsZero() {
			return b, err
		}
		built = b
		if known, ok := d.lookup(b); ok {
			rec = known
			return nil, errRecorded
		}
		plain := *b
		plain.Command = store.CommandID{}
		return &plain, nil
	})
	if errors.Is(err, errRecorded) {
		return d.answer(built, rec)
	}
	if err == nil && built != nil {
		d.record(built, res)
	}
	return res, err
}

func (d *checkThenInsert) Command(ctx context.Context, org circle.OrgID, id store.CommandID) (store.CommandRecord, error) {
	d.mu.Lock()
	rec, ok := d.cmds[cmdKey{org, id}]
	d.mu.Unlock()
	if ok {
		return rec, nil
	}
	return d.Driver.Command(ctx, org, id)
}

// cmdReader answers command lookups inside a build from checkThenInsert's
// own records.
type cmdReader struct {
	store.Reader
	d *checkThenInsert
}

func (r *cmdReader) Command(ctx context.Context, org circle.OrgID, id store.CommandID) (store.CommandRecord, error) {
	r.d.mu.Lock()
	rec, ok := r.d.cmds[cmdKey{org, id}]
	r.d.mu.Unlock()
	if ok {
		return rec, nil
	}
	return r.Reader.Command(ctx, org, id)
}

// signedNumbers reads an "after" past 2^63 as the negative number a
// signed 64-bit column sees, so everything is after it.
type signedNumbers struct{ *memstore.Driver }

func (d *signedNumbers) ReadStream(ctx context.Context, k store.StreamKey, after uint64, limit int) ([]store.Entry, error) {
	if after > math.MaxInt64 {
		after = 0
	}
	return d.Driver.ReadStream(ctx, k, after, limit)
}

func (d *signedNumbers) ReadLog(ctx context.Context, q store.LogQuery) ([]store.Entry, error) {
	if q.After > math.MaxInt64 {
		q.After = 0
	}
	return d.Driver.ReadLog(ctx, q)
}
