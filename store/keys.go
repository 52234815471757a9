package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"hash"
	"sync"

	"github.com/coproduce/sociocracy/circle"
)

// MinChainKeyLen is the shortest secret [NewChainKey] accepts.
const MinChainKeyLen = 32

// keyedTag separates keyed hashes from plain ones and names their version.
const keyedTag = "sociocracy/store/keyed-entry/v1\x00"

// ChainKey is a secret that keys an organisation's hash chain: with it,
// each entry's hash is an HMAC-SHA256 of the previous hash and the entry's
// canonical bytes ([Entry.ComputeKeyedHash]) instead of a plain SHA-256, so
// nobody without the key can rewrite an entry and recompute the chain,
// append an entry, or forge a redaction record that a keyed [Verifier]
// accepts. The host holds the key outside the database (a secrets manager,
// an environment variable of the process, a file readable only by it):
// whoever holds the database and the key can forge, so keep them apart.
//
// Give it to a [Store] with [Options.ChainKey]. A ChainKey is safe for
// concurrent use; its zero value is not usable.
type ChainKey struct {
	secret []byte
}

// NewChainKey returns a key made from secret (at least [MinChainKeyLen]
// random bytes; they are copied). A shorter secret is refused with an
// error matching [ErrInvalid].
func NewChainKey(secret []byte) (*ChainKey, error) {
	if len(secret) < MinChainKeyLen {
		return nil, invalid("new chain key", "the secret has %d bytes; it needs at least %d random bytes", len(secret), MinChainKeyLen)
	}
	return &ChainKey{secret: append([]byte(nil), secret...)}, nil
}

func (k *ChainKey) mac() hash.Hash { return hmac.New(sha256.New, k.secret) }

// ComputeKeyedHash returns the hash e must carry under key k when the entry
// before it has hash prev: HMAC-SHA256 with k of a tag, prev and e's
// canonical bytes ([AppendCanonical]).
func (e *Entry) ComputeKeyedHash(k *ChainKey, prev Hash) Hash {
	var arr [256]byte
	buf := append(arr[:0], keyedTag...)
	buf = append(buf, prev[:]...)
	buf = AppendCanonical(buf, e)
	m := k.mac()
	m.Write(buf)
	var h Hash
	m.Sum(h[:0])
	return h
}

// LogReader is the part of a [Driver] that [VerifyLog] reads.
type LogReader interface {
	ReadLog(ctx context.Context, q LogQuery) ([]Entry, error)
	Head(ctx context.Context, org circle.OrgID) (Head, error)
}

// VerifyOptions say what [VerifyLog] checks beyond the plain chain. The
// zero value (or nil) checks the plain chain and the driver's head.
type VerifyOptions struct {
	// Key, when set, requires every entry from sequence KeyedFrom on to
	// carry its keyed hash ([Entry.ComputeKeyedHash]).
	Key *ChainKey
	// KeyedFrom is the first entry appended under Key (0 or 1: all of
	// them). A host that adds a key to an organisation with history keeps
	// this number with the key: the plain entries before it are protected
	// by the first keyed entry, whose hash covers theirs.
	KeyedFrom uint64
	// Anchor, when not zero, is a head taken earlier and kept outside the
	// database; the log must still hold it.
	Anchor Head
	// PageSize is how many entries are read at a time (<= 0: 1000).
	PageSize int
}

// VerifyLog walks org's whole log through d with a [Verifier] configured
// by opts, then checks it against the driver's own [Driver.Head], read
// before the walk: the log must reach that head and hold its hash, so a
// deleted or replaced tail fails even when no anchor was taken. Entries
// appended during the walk are verified too. It returns the head of the
// verified log, or a [*ChainError] (matching [ErrCorrupt]) naming the
// first bad entry.
func VerifyLog(ctx context.Context, d LogReader, org circle.OrgID, opts *VerifyOptions) (Head, error) {
	if org.IsZero() {
		return Head{}, invalid("verify", "no organisation")
	}
	var o VerifyOptions
	if opts != nil {
		o = *opts
	}
	if o.PageSize <= 0 {
		o.PageSize = 1000
	}
	driverHead, err := d.Head(ctx, org)
	if err != nil {
		return Head{}, err
	}
	v := NewVerifier(org)
	if o.Key != nil {
		v.RequireKey(o.Key, o.KeyedFrom)
	}
	v.Expect(driverHead)
	if o.Anchor.Seq > 0 {
		v.Expect(o.Anchor)
	}
	// Pages are read ahead of the hashing, two at a time, so that the
	// database's work and the hashing overlap where there are cores for
	// them.
	ctx, cancel := context.WithCancel(ctx)
	pages, wait := readPages(ctx, d, org, o.PageSize)
	defer wait() // no read outlives the call
	defer cancel()
	for next := range pages {
		p := <-next
		if p.err != nil {
			return Head{}, p.err
		}
		for i := range p.entries {
			if err := v.Add(&p.entries[i]); err != nil {
				return Head{}, err
			}
		}
		if p.last {
			return v.Finish()
		}
	}
	return Head{}, fmt.Errorf("store: verify: %w", ctx.Err()) // the reader stopped: ctx is done
}

// logPage is one page of a log read ahead by [readPages].
type logPage struct {
	entries []Entry
	last    bool // no page follows
	err     error
}

// pagesAhead is how many pages [readPages] reads at once.
const pagesAhead = 2

// readPages reads org's log in pages of size entries, pagesAhead of them at
// a time, and hands them over in log order: each value received from the
// channel it returns is the channel of the next page. It stops after a
// short page, an error or the end of ctx; the function it returns waits
// until every read has returned.
//
// Page i is asked for the entries after sequence number i*size, which is
// where it starts in a gapless log; entries past (i+1)*size (a log with a
// gap) are left to the pages that hold them, and the verifier names the
// gap.
func readPages(ctx context.Context, d LogReader, org circle.OrgID, size int) (<-chan chan logPage, func()) {
	order := make(chan chan logPage, pagesAhead)
	work := make(chan func(), pagesAhead)
	var wg sync.WaitGroup
	for range pagesAhead {
		wg.Go(func() {
			for f := range work {
				f()
			}
		})
	}
	wg.Go(func() {
		defer close(order)
		defer close(work)
		for i := uint64(0); ; i++ {
			res := make(chan logPage, 1)
			from, to := i*uint64(size), (i+1)*uint64(size)
			read := func() {
				page, err := d.ReadLog(ctx, LogQuery{Org: org, After: from, Limit: size})
				p := logPage{err: err, last: err == nil && len(page) < size}
				for len(page) > 0 && page[len(page)-1].Seq > to {
					page = page[:len(page)-1]
				}
				p.entries = page
				res <- p
			}
			select {
			case order <- res:
			case <-ctx.Done():
				return
			}
			select {
			case work <- read:
			case <-ctx.Done():
				res <- logPage{err: fmt.Errorf("store: verify: %w", ctx.Err())}
				return
			}
		}
	})
	return order, wg.Wait
}
