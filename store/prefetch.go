package store

import (
	"context"

	"github.com/coproduce/sociocracy/circle"
)

// StreamsReader is an optional ability of a [Reader]: several stream reads
// answered at once, in one round trip where the database is a server. The
// Store uses it, when the Reader a build is handed offers it, to ask in one
// go what an act would otherwise ask stream by stream: whether the
// organisation's logbook has new erasures, and what each aggregate it
// keeps in memory missed. A Reader without it still works, one read at a
// time.
type StreamsReader interface {
	// ReadStreams answers each read as ReadStream(ctx, read.Key,
	// read.After, 0) would, in the order given, inside the same
	// transaction as the Reader's other reads: a stream that does not
	// exist has Found false and no entries (where ReadStream returns
	// ErrNotFound). A read of an invalid key fails the call with
	// ErrInvalid, and a failure of the database fails it whole.
	ReadStreams(ctx context.Context, reads []StreamRead) ([]StreamReadResult, error)
}

// StreamRead is one read of [StreamsReader.ReadStreams]: the entries of
// Key after version After.
type StreamRead struct {
	Key   StreamKey
	After uint64
}

// StreamReadResult is the answer to one [StreamRead].
type StreamReadResult struct {
	Found   bool    // the stream exists
	Entries []Entry // its entries after the read's version, in version order
}

// ReadStreamsOneByOne answers reads with r's ReadStream, one after the
// other: an adapter whose reads cost no round trip (an embedded database)
// offers [StreamsReader] this way, so that the Store takes the same path
// over every adapter.
func ReadStreamsOneByOne(ctx context.Context, r Reader, reads []StreamRead) ([]StreamReadResult, error) {
	out := make([]StreamReadResult, len(reads))
	for i, rd := range reads {
		es, err := r.ReadStream(ctx, rd.Key, rd.After, 0)
		if isNotFound(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[i] = StreamReadResult{Found: true, Entries: es}
	}
	return out, nil
}

// prefetched is the Reader a build is handed after [Store.prefetch]: it
// answers, once each, the reads asked in advance, and passes every other
// read to the Reader underneath.
type prefetched struct {
	Reader
	pre map[StreamKey]preRead
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

// prefetch checks org's erasures and reads what the cached aggregates of
// keys missed, in one call of sr, and returns the Reader for the build. It
// reports false when r cannot read several streams at once: then the
// caller checks erasures itself, read by read.
func (s *Store) prefetch(ctx context.Context, r Reader, org circle.OrgID, keys []StreamKey) (Reader, bool, error) {
	sr, ok := r.(StreamsReader)
	if !ok || len(keys) == 0 {
		return r, false, nil
	}
	seen, _ := s.erasures.version(org)
	reads := make([]StreamRead, 1, 1+len(keys))
	reads[0] = StreamRead{Key: LogbookKey(org), After: seen}
	for _, k := range keys {
		if v, ok := s.live.version(k); ok && v > 0 {
			reads = append(reads, StreamRead{Key: k, After: v - 1})
		}
	}
	res, err := sr.ReadStreams(ctx, reads)
	if err != nil {
		return nil, true, err
	}
	if len(res) != len(reads) {
		return nil, true, &InvalidError{Op: "read streams", Detail: "the driver answered a different number of reads than asked"}
	}
	v := seen
	switch lb := res[0]; {
	case !lb.Found:
		v = 0
	case len(lb.Entries) > 0:
		v = lb.Entries[len(lb.Entries)-1].Version
	}
	if s.noteErasures(org, v) {
		return r, true, nil // the caches were dropped: nothing to serve
	}
	p := &prefetched{Reader: r, pre: make(map[StreamKey]preRead, len(reads)-1)}
	for i, rd := range reads[1:] {
		p.pre[rd.Key] = preRead{after: rd.After, res: res[1+i]}
	}
	return p, true, nil
}
