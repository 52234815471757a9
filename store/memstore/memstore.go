// Package memstore is the in-memory reference adapter of
// [github.com/coproduce/sociocracy/store]: a [store.Driver] (and
// [store.Locker]) kept in maps behind one mutex per organisation.
//
// It is the adapter the conformance suite is written against and the one
// to read first when writing another. It deep-copies every slice it is
// given and every slice it returns, so callers can never alias stored data.
// Nothing survives the process.
package memstore

import (
	"bytes"
	"context"
	"slices"
	"strconv"
	"sync"

	"github.com/google/uuid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/store"
)

// Driver is the in-memory adapter. Create it with [New]; the zero value is
// not usable. It is safe for concurrent use: appends of one organisation
// are serialised, appends of different organisations run in parallel.
type Driver struct {
	mu     sync.RWMutex // guards orgs and closed
	orgs   map[circle.OrgID]*org
	closed bool
}

type org struct {
	mu       sync.RWMutex
	log      []store.Entry // log[i].Seq == i+1
	streams  map[streamID]*stream
	commands map[store.CommandID]store.CommandRecord
	profiles map[circle.PersonID][]byte
}

type streamID struct {
	kind store.Kind
	id   uuid.UUID
}

type stream struct {
	info store.StreamInfo
	seqs []uint64 // seqs[v-1] is the log sequence of version v
}

// New returns an empty driver.
func New() *Driver { return &Driver{orgs: make(map[circle.OrgID]*org)} }

var (
	_ store.Driver = (*Driver)(nil)
	_ store.Locker = (*Driver)(nil)
)

// get returns the organisation's state, creating it when create is set; nil
// when it does not exist and create is false.
func (d *Driver) get(ctx context.Context, id circle.OrgID, create bool) (*org, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	d.mu.RLock()
	if d.closed {
		d.mu.RUnlock()
		return nil, store.ErrClosed
	}
	o := d.orgs[id]
	d.mu.RUnlock()
	if o != nil || !create {
		return o, nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return nil, store.ErrClosed
	}
	if o = d.orgs[id]; o == nil {
		o = &org{
			streams:  make(map[streamID]*stream),
			commands: make(map[store.CommandID]store.CommandRecord),
			profiles: make(map[circle.PersonID][]byte),
		}
		d.orgs[id] = o
	}
	return o, nil
}

func (d *Driver) isClosed() bool {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.closed
}

// Append implements [store.Driver.Append].
func (d *Driver) Append(ctx context.Context, b *store.Batch) (store.Result, error) {
	if err := b.Validate(); err != nil {
		return store.Result{}, err
	}
	o, err := d.get(ctx, b.Org, true)
	if err != nil {
		return store.Result{}, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if d.isClosed() {
		return store.Result{}, store.ErrClosed
	}
	return o.append(ctx, b)
}

// append applies b to o; the caller holds o.mu for writing and has
// validated b.
func (o *org) append(ctx context.Context, b *store.Batch) (store.Result, error) {
	if !b.Command.IsZero() {
		if rec, ok := o.commands[b.Command]; ok {
			if rec.PayloadHash != b.PayloadHash {
				return store.Result{}, &store.CommandError{Command: b.Command, Stored: rec.PayloadHash, Given: b.PayloadHash}
			}
			return store.Result{First: rec.First, Last: rec.Last, Duplicate: true}, nil
		}
	}
	for _, s := range b.Streams {
		var actual uint64
		if st := o.streams[streamID{s.Stream.Kind, s.Stream.ID}]; st != nil {
			actual = st.info.Version
		}
		switch {
		case s.Expected == 0 && actual != 0:
			return store.Result{}, &store.ConflictError{Stream: s.Stream, Expected: 0, Actual: actual}
		case s.Expected != 0 && actual == 0:
			return store.Result{}, store.StreamNotFound(s.Stream)
		case s.Expected != actual:
			return store.Result{}, &store.ConflictError{Stream: s.Stream, Expected: s.Expected, Actual: actual}
		}
	}
	head := store.Head{Seq: uint64(len(o.log))}
	if n := len(o.log); n > 0 {
		head.Hash = o.log[n-1].Hash
	}
	for _, r := range b.Redactions {
		if r.Seq > head.Seq {
			return store.Result{}, &store.NotFoundError{What: "entry", Key: seqKey(r.Seq)}
		}
	}
	for _, p := range b.ErasedProfiles {
		if _, ok := o.profiles[p]; !ok {
			return store.Result{}, &store.NotFoundError{What: "profile", Key: p.String()}
		}
	}
	entries, err := b.Seal(head)
	if err != nil {
		return store.Result{}, err
	}
	if err := ctx.Err(); err != nil {
		return store.Result{}, err
	}
	// Nothing can fail from here on: apply.
	for i := range entries {
		e := copyEntry(&entries[i])
		o.log = append(o.log, e)
		sid := streamID{e.Stream.Kind, e.Stream.ID}
		st := o.streams[sid]
		if st == nil {
			st = &stream{info: store.StreamInfo{Key: e.Stream}}
			o.streams[sid] = st
		}
		st.info.Version = e.Version
		st.seqs = append(st.seqs, e.Seq)
	}
	for _, s := range b.Streams {
		st := o.streams[streamID{s.Stream.Kind, s.Stream.ID}]
		if !s.Circle.IsZero() {
			st.info.Circle = s.Circle
		}
		if s.Status != "" {
			st.info.Status = s.Status
		}
	}
	for _, r := range b.Redactions {
		e := &o.log[r.Seq-1]
		e.Data = clone(r.Data)
		e.Redacted = true
	}
	for _, p := range b.ErasedProfiles {
		delete(o.profiles, p)
	}
	last := &entries[len(entries)-1]
	res := store.Result{First: entries[0].Seq, Last: last.Seq, Head: store.Head{Seq: last.Seq, Hash: last.Hash}}
	if !b.Command.IsZero() {
		o.commands[b.Command] = store.CommandRecord{Org: b.Org, ID: b.Command, PayloadHash: b.PayloadHash, First: res.First, Last: res.Last}
	}
	return res, nil
}

// ReadStream implements [store.Driver.ReadStream].
func (d *Driver) ReadStream(ctx context.Context, key store.StreamKey, after uint64, limit int) ([]store.Entry, error) {
	if err := store.ValidateKey("read stream", key); err != nil {
		return nil, err
	}
	o, err := d.get(ctx, key.Org, false)
	if err != nil {
		return nil, err
	}
	if o == nil {
		return nil, store.StreamNotFound(key)
	}
	o.mu.RLock()
	defer o.mu.RUnlock()
	return o.readStream(key, after, limit)
}

func (o *org) readStream(key store.StreamKey, after uint64, limit int) ([]store.Entry, error) {
	st := o.streams[streamID{key.Kind, key.ID}]
	if st == nil {
		return nil, store.StreamNotFound(key)
	}
	out := []store.Entry{}
	if after >= st.info.Version {
		return out, nil // also keeps after+1 from wrapping round
	}
	for v := after + 1; v <= st.info.Version; v++ {
		if limit > 0 && len(out) >= limit {
			break
		}
		out = append(out, copyEntry(&o.log[st.seqs[v-1]-1]))
	}
	return out, nil
}

// Stream implements [store.Driver.Stream].
func (d *Driver) Stream(ctx context.Context, key store.StreamKey) (store.StreamInfo, error) {
	if err := store.ValidateKey("stream", key); err != nil {
		return store.StreamInfo{}, err
	}
	o, err := d.get(ctx, key.Org, false)
	if err != nil {
		return store.StreamInfo{}, err
	}
	if o == nil {
		return store.StreamInfo{}, store.StreamNotFound(key)
	}
	o.mu.RLock()
	defer o.mu.RUnlock()
	return o.stream(key)
}

func (o *org) stream(key store.StreamKey) (store.StreamInfo, error) {
	st := o.streams[streamID{key.Kind, key.ID}]
	if st == nil {
		return store.StreamInfo{}, store.StreamNotFound(key)
	}
	return st.info, nil
}

// Streams implements [store.Driver.Streams].
func (d *Driver) Streams(ctx context.Context, q store.StreamQuery) ([]store.StreamInfo, error) {
	if q.Org.IsZero() {
		return nil, &store.InvalidError{Op: "streams", Detail: "query without organisation"}
	}
	o, err := d.get(ctx, q.Org, false)
	if err != nil {
		return nil, err
	}
	out := []store.StreamInfo{}
	if o == nil {
		return out, nil
	}
	o.mu.RLock()
	for sid, st := range o.streams {
		switch {
		case sid.kind != q.Kind,
			!q.Circle.IsZero() && st.info.Circle != q.Circle,
			q.Status != "" && st.info.Status != q.Status,
			bytes.Compare(sid.id[:], q.After[:]) <= 0:
			continue
		}
		out = append(out, st.info)
	}
	o.mu.RUnlock()
	slices.SortFunc(out, func(a, b store.StreamInfo) int { return bytes.Compare(a.Key.ID[:], b.Key.ID[:]) })
	if q.Limit > 0 && len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out, nil
}

// ReadLog implements [store.Driver.ReadLog].
func (d *Driver) ReadLog(ctx context.Context, q store.LogQuery) ([]store.Entry, error) {
	if q.Org.IsZero() {
		return nil, &store.InvalidError{Op: "read log", Detail: "query without organisation"}
	}
	o, err := d.get(ctx, q.Org, false)
	if err != nil {
		return nil, err
	}
	out := []store.Entry{}
	if o == nil {
		return out, nil
	}
	o.mu.RLock()
	defer o.mu.RUnlock()
	match := func(e *store.Entry) bool {
		return (q.Circle.IsZero() || e.Circle == q.Circle) &&
			(q.Since.IsZero() || !e.At.Before(q.Since)) &&
			(q.Until.IsZero() || e.At.Before(q.Until))
	}
	// Two passes: count the matches and their bytes, then copy them into
	// one slice of entries and one buffer of bodies, so that a page costs
	// two allocations whatever its length.
	n, size := 0, 0
	for i := q.After; i < uint64(len(o.log)) && (q.Limit <= 0 || n < q.Limit); i++ {
		if e := &o.log[i]; match(e) {
			n++
			size += len(e.Data)
		}
	}
	if n == 0 {
		return out, nil
	}
	out = make([]store.Entry, 0, n)
	buf := make([]byte, size)
	for i := q.After; len(out) < n; i++ {
		e := &o.log[i]
		if !match(e) {
			continue
		}
		c := *e
		if e.Data != nil {
			k := copy(buf, e.Data)
			c.Data, buf = buf[:k:k], buf[k:]
		}
		out = append(out, c)
	}
	return out, nil
}

// Head implements [store.Driver.Head].
func (d *Driver) Head(ctx context.Context, id circle.OrgID) (store.Head, error) {
	if id.IsZero() {
		return store.Head{}, &store.InvalidError{Op: "head", Detail: "no organisation"}
	}
	o, err := d.get(ctx, id, false)
	if err != nil || o == nil {
		return store.Head{}, err
	}
	o.mu.RLock()
	defer o.mu.RUnlock()
	return o.head(), nil
}

func (o *org) head() store.Head {
	if len(o.log) == 0 {
		return store.Head{}
	}
	last := &o.log[len(o.log)-1]
	return store.Head{Seq: last.Seq, Hash: last.Hash}
}

// Command implements [store.Driver.Command].
func (d *Driver) Command(ctx context.Context, id circle.OrgID, cmd store.CommandID) (store.CommandRecord, error) {
	if id.IsZero() || cmd.IsZero() {
		return store.CommandRecord{}, &store.InvalidError{Op: "command", Detail: "no organisation or command id"}
	}
	o, err := d.get(ctx, id, false)
	if err != nil {
		return store.CommandRecord{}, err
	}
	notFound := &store.NotFoundError{What: "command", Key: cmd.String()}
	if o == nil {
		return store.CommandRecord{}, notFound
	}
	o.mu.RLock()
	defer o.mu.RUnlock()
	return o.command(cmd)
}

func (o *org) command(cmd store.CommandID) (store.CommandRecord, error) {
	rec, ok := o.commands[cmd]
	if !ok {
		return store.CommandRecord{}, &store.NotFoundError{What: "command", Key: cmd.String()}
	}
	return rec, nil
}

// PutProfile implements [store.Driver.PutProfile].
func (d *Driver) PutProfile(ctx context.Context, id circle.OrgID, person circle.PersonID, data []byte) error {
	if id.IsZero() || person.IsZero() {
		return &store.InvalidError{Op: "put profile", Detail: "no organisation or person"}
	}
	o, err := d.get(ctx, id, true)
	if err != nil {
		return err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if d.isClosed() {
		return store.ErrClosed
	}
	o.profiles[person] = clone(data)
	return nil
}

// Profile implements [store.Driver.Profile].
func (d *Driver) Profile(ctx context.Context, id circle.OrgID, person circle.PersonID) ([]byte, error) {
	if id.IsZero() || person.IsZero() {
		return nil, &store.InvalidError{Op: "profile", Detail: "no organisation or person"}
	}
	o, err := d.get(ctx, id, false)
	if err != nil {
		return nil, err
	}
	notFound := &store.NotFoundError{What: "profile", Key: person.String()}
	if o == nil {
		return nil, notFound
	}
	o.mu.RLock()
	defer o.mu.RUnlock()
	p, ok := o.profiles[person]
	if !ok {
		return nil, notFound
	}
	return clone(p), nil
}

// EraseProfile implements [store.Driver.EraseProfile].
func (d *Driver) EraseProfile(ctx context.Context, id circle.OrgID, person circle.PersonID) error {
	if id.IsZero() || person.IsZero() {
		return &store.InvalidError{Op: "erase profile", Detail: "no organisation or person"}
	}
	o, err := d.get(ctx, id, false)
	if err != nil {
		return err
	}
	notFound := &store.NotFoundError{What: "profile", Key: person.String()}
	if o == nil {
		return notFound
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if _, ok := o.profiles[person]; !ok {
		return notFound
	}
	delete(o.profiles, person)
	return nil
}

// Close implements [store.Driver.Close]. It drops every record.
func (d *Driver) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.closed {
		d.closed = true
		d.orgs = nil
	}
	return nil
}

func copyEntry(e *store.Entry) store.Entry {
	c := *e
	c.Data = clone(e.Data)
	return c
}

func clone(b []byte) []byte {
	if b == nil {
		return nil
	}
	return bytes.Clone(b)
}

func seqKey(seq uint64) string { return "seq " + strconv.FormatUint(seq, 10) }

// Profiles implements [store.ProfilesReader].
func (d *Driver) Profiles(ctx context.Context, id circle.OrgID, people []circle.PersonID) (map[circle.PersonID][]byte, error) {
	if err := store.ValidatePeople("profiles", id, people); err != nil {
		return nil, err
	}
	o, err := d.get(ctx, id, false)
	if err != nil {
		return nil, err
	}
	out := make(map[circle.PersonID][]byte, len(people))
	if o == nil {
		return out, nil
	}
	o.mu.RLock()
	defer o.mu.RUnlock()
	for _, p := range people {
		if data, ok := o.profiles[p]; ok {
			out[p] = clone(data)
		}
	}
	return out, nil
}
