package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"hash"

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
	// Pages are read one ahead of the hashing, so that the database's
	// work and the hashing overlap where there is a core for each.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pages := make(chan logPage, 2)
	go readPages(ctx, d, LogQuery{Org: org, Limit: o.PageSize}, pages)
	for p := range pages {
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

// readPages reads the log of q page by page into out, until a short page,
// an error or the end of ctx, and closes out.
func readPages(ctx context.Context, d LogReader, q LogQuery, out chan<- logPage) {
	defer close(out)
	for {
		page, err := d.ReadLog(ctx, q)
		p := logPage{entries: page, err: err, last: err == nil && len(page) < q.Limit}
		select {
		case out <- p:
		case <-ctx.Done():
			return
		}
		if err != nil || p.last {
			return
		}
		q.After = page[len(page)-1].Seq
	}
}
