package store

import (
	"context"

	"github.com/coproduce/sociocracy/circle"
)

// Prefetcher is an optional ability of a [Reader]: several reads answered
// at once, in one round trip where the database is a server. The Store
// uses it, when the Reader a build is handed offers it, to ask in one go
// what an act would otherwise ask read by read: whether the organisation's
// logbook has new erasures, what each aggregate the act loads missed since
// the Store last saw it (or the whole stream, when it has not), and the
// act's command. A Reader without it still works, one read at a time.
type Prefetcher interface {
	// Prefetch answers each of q.Streams as ReadStream(ctx, read.Key,
	// read.After, 0) would, in the order given, and q.Command (unless
	// zero) as Command would, inside the same transaction as the
	// Reader's other reads. A stream that does not exist has Found false
	// and no entries, and a command not found has CommandFound false
	// (where ReadStream and Command return ErrNotFound). A zero q.Org, an
	// invalid key or a key of another organisation than q.Org (or than the
	// one the Reader reads) fails the call with ErrInvalid, and a failure
	// of the database fails it whole.
	//
	// When q.Unless is set and the organisation's log head is *q.Unless,
	// Prefetch may leave q.Streams unanswered (nothing was written to the
	// organisation since the asker last saw that head, so it has nothing
	// to learn from them) and set Unchanged; it may then leave the command
	// unanswered too (CommandFound false), and the asker calls Command
	// should it need the answer. A Prefetcher that ignores Unless is
	// correct, only slower.
	Prefetch(ctx context.Context, q Prefetch) (Prefetched, error)
}

// Prefetch is what [Prefetcher.Prefetch] is asked.
type Prefetch struct {
	Org     circle.OrgID // the organisation read: every key's, the command's
	Streams []StreamRead
	Command CommandID // zero: none
	// Unless, when set, is a head at which the asker needs none of the
	// reads it asks for: it holds what they would tell, or reads a stream
	// later if it turns out to need it (see [Prefetcher]).
	Unless *Head
}

// Validate checks that q names an organisation and only valid keys of it,
// with [ErrInvalid] otherwise.
func (q Prefetch) Validate() error {
	const op = "prefetch"
	if q.Org.IsZero() {
		return invalid(op, "no organisation")
	}
	for _, rd := range q.Streams {
		if err := ValidateKey(op, rd.Key); err != nil {
			return err
		}
		if rd.Key.Org != q.Org {
			return invalid(op, "a key of another organisation than %s", q.Org)
		}
	}
	return nil
}

// StreamRead is one stream read of a [Prefetch]: the entries of Key after
// version After.
type StreamRead struct {
	Key   StreamKey
	After uint64
}

// Prefetched is the answer to a [Prefetch].
type Prefetched struct {
	Streams      []StreamReadResult // one per read, in order
	Command      CommandRecord
	CommandFound bool
	// Unchanged reports that the head was [Prefetch.Unless] and the
	// streams were not read (Streams then holds zero results).
	Unchanged bool
}

// StreamReadResult is the answer to one [StreamRead].
type StreamReadResult struct {
	Found   bool    // the stream exists
	Entries []Entry // its entries after the read's version, in version order
}

// PrefetchOneByOne answers q with r's ReadStream and Command, one read
// after the other: an adapter whose reads cost no round trip (an embedded
// database) offers [Prefetcher] this way, so that the Store takes the same
// path over every adapter.
func PrefetchOneByOne(ctx context.Context, r Reader, q Prefetch) (Prefetched, error) {
	if err := q.Validate(); err != nil {
		return Prefetched{}, err
	}
	out := Prefetched{Streams: make([]StreamReadResult, len(q.Streams))}
	if q.Unless != nil {
		h, err := r.Head(ctx, q.Org)
		if err != nil {
			return Prefetched{}, err
		}
		out.Unchanged = h == *q.Unless
	}
	for i, rd := range q.Streams {
		if out.Unchanged {
			break
		}
		es, err := r.ReadStream(ctx, rd.Key, rd.After, 0)
		if isNotFound(err) {
			continue
		}
		if err != nil {
			return Prefetched{}, err
		}
		out.Streams[i] = StreamReadResult{Found: true, Entries: es}
	}
	if !q.Command.IsZero() {
		rec, err := r.Command(ctx, q.Org, q.Command)
		switch {
		case err == nil:
			out.Command, out.CommandFound = rec, true
		case !isNotFound(err):
			return Prefetched{}, err
		}
	}
	return out, nil
}

// prefetched is the Reader a build is handed after [Store.prefetch]: it
// answers, once each, the reads asked in advance, and passes every other
// read to the Reader underneath.
type prefetched struct {
	Reader
	pre map[StreamKey]preRead
	cmd *Prefetched // the command's answer, until asked
	id  CommandID
}

type preRead struct {
	after uint64
	res   StreamReadResult
}

func (p *prefetched) ReadStream(ctx context.Context, key StreamKey, after uint64, limit int) ([]Entry, error) {
	if pr, ok := p.pre[key]; ok && pr.after == after && limit == 0 {
		delete(p.pre, key)
		if !pr.res.Found {
			return nil, StreamNotFound(key)
		}
		if pr.res.Entries == nil {
			return []Entry{}, nil
		}
		return pr.res.Entries, nil
	}
	return p.Reader.ReadStream(ctx, key, after, limit)
}

func (p *prefetched) Command(ctx context.Context, org circle.OrgID, id CommandID) (CommandRecord, error) {
	if c := p.cmd; c != nil && id == p.id && !id.IsZero() {
		p.cmd = nil
		if !c.CommandFound {
			return CommandRecord{}, &NotFoundError{What: "command", Key: id.String()}
		}
		return c.Command, nil
	}
	return p.Reader.Command(ctx, org, id)
}

// prefetch checks org's erasures, reads what the aggregates of keys missed
// since the Store cached them (or their whole streams) and looks up the
// command, in one call, and returns the Reader for the build. It reports
// false when r cannot prefetch: then the caller checks erasures itself,
// read by read.
func (s *Store) prefetch(ctx context.Context, r Reader, org circle.OrgID, cmd CommandID, keys []StreamKey, st *actState) (Reader, bool, error) {
	pf, ok := r.(Prefetcher)
	if !ok || len(keys) == 0 {
		return r, false, nil
	}
	seen, _ := s.erasures.version(org)
	q := Prefetch{Org: org, Streams: make([]StreamRead, 1, 1+len(keys)), Command: cmd}
	q.Streams[0] = StreamRead{Key: LogbookKey(org), After: seen}
	for _, k := range keys {
		if ValidateKey("prefetch", k) != nil || k.Org != org {
			continue // the act itself refuses it, in its own words
		}
		var after uint64
		if v, ok := s.live.version(k); ok && v > 0 {
			after = v - 1
		}
		q.Streams = append(q.Streams, StreamRead{Key: k, After: after})
	}
	// When every aggregate the act loads that the Store caches is current
	// at a head it knows, the reads are needed only if the head has moved.
	// (A stream it does not cache is then read when the act loads it, if
	// it does: a new process's stream is never read, only written.) The
	// most recent such head is the one the act the Store last built will
	// leave: under contention, committed by now.
	var basis basis
	bases := s.bases(org)
	ok = len(bases) > 0
	if ok {
		basis = bases[0]
		probe := &actState{fresh: true, epoch: basis.epoch, trusted: basis.held}
		for _, rd := range q.Streams[1:] {
			if s.live.untrusted(probe, rd.Key) {
				ok = false
			}
		}
	}
	if ok {
		q.Unless = &basis.head
	}
	res, err := pf.Prefetch(ctx, q)
	if err != nil {
		return nil, true, err
	}
	if len(res.Streams) != len(q.Streams) {
		return nil, true, &InvalidError{Op: "prefetch", Detail: "the driver answered a different number of reads than asked"}
	}
	if st.seen, err = r.Head(ctx, org); err != nil {
		return nil, true, err
	}
	if res.Unchanged && ok && st.seen == basis.head {
		st.fresh, st.epoch, st.trusted = true, basis.epoch, basis.held
		// The command may be unanswered: a build that asks, asks r.
		return &prefetched{Reader: r}, true, nil
	}
	if res.Unchanged {
		// The driver says the head is the one asked about, but it is not:
		// the reads it left out cannot be trusted.
		return nil, true, &InvalidError{Op: "prefetch", Detail: "the driver left the reads out for a head that is not the organisation's"}
	}
	st.epoch = s.heads.next()
	for _, b := range s.bases(org) {
		if b.head == st.seen {
			// The head has not moved: what is current at it stays so,
			// and what was read now joins it. (Everything was read, so
			// nothing need be trusted.)
			st.epoch = b.epoch
			break
		}
	}
	v := seen
	switch lb := res.Streams[0]; {
	case !lb.Found:
		v = 0
	case len(lb.Entries) > 0:
		v = lb.Entries[len(lb.Entries)-1].Version
	}
	s.noteErasures(org, v)
	// Every read stays good to serve when the caches were just dropped: a
	// dropped aggregate is replayed, and its read from version 0 is
	// served if it was asked; a read from a cached version is not asked.
	p := &prefetched{Reader: r, id: cmd, cmd: &res, pre: make(map[StreamKey]preRead, len(q.Streams)-1)}
	for i, rd := range q.Streams[1:] {
		p.pre[rd.Key] = preRead{after: rd.After, res: res.Streams[1+i]}
	}
	return p, true, nil
}
