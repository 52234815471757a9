// Package streamrows remembers, for a storage adapter, each stream's row as
// the adapter's own commits left it, so that an append need not write the
// row again when nothing in it changes.
//
// A stream's row holds its circle and status; its version is that of its
// last entry. A row remembered at a version stays a fact whatever other
// processes write since: a stream's row changes only with an append to the
// stream, which moves its version on. So an append that expects the
// version a row is remembered at, and whose first entry's own version turns
// out free (a unique key of the adapter's entries), finds the stream
// exactly there, the entry of the version expected being stored (entries
// are never removed); and when it keeps the circle and the status, the row
// stands as it is.
//
// An adapter keeps one [Cache] and, per write transaction, a [Tx]: for each
// append, [Tx.Plan] for each of its streams, then [Tx.Done] when the append
// succeeded or [Tx.Undo] when it was rolled back; [Tx.Commit] once the
// transaction has committed.
package streamrows

import (
	"sync"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/store"
)

// Row is a stream's row as a commit left it: the version of the stream's
// last entry, and the circle and status the row holds.
type Row struct {
	Version uint64
	Circle  circle.CircleID
	Status  string
}

// Max bounds the rows a Cache remembers; when it would pass it, the cache
// forgets them all (each costs its stream one checked write to learn
// again).
const Max = 16384

// Cache holds, per stream, the row the adapter's last commit that wrote to
// it left. It is safe for concurrent use. The zero Cache is empty and
// ready.
type Cache struct {
	mu sync.Mutex
	m  map[store.StreamKey]Row
}

// Get returns the row remembered for key.
func (c *Cache) Get(key store.StreamKey) (Row, bool) {
	c.mu.Lock()
	r, ok := c.m[key]
	c.mu.Unlock()
	return r, ok
}

// Len returns how many rows c remembers.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

// Forget forgets every row (after a commit whose outcome is unknown, say).
func (c *Cache) Forget() {
	c.mu.Lock()
	c.m = nil
	c.mu.Unlock()
}

// keep remembers the rows a transaction left once it has committed.
func (c *Cache) keep(rows map[store.StreamKey]*Row) {
	if len(rows) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m)+len(rows) > Max {
		c.m = make(map[store.StreamKey]Row, len(rows))
	}
	for key, r := range rows {
		// A later commit of another transaction may have remembered a
		// later version already; the earlier one is as true, only less
		// useful.
		if old, ok := c.m[key]; !ok || old.Version < r.Version {
			c.m[key] = *r
		}
	}
}

// Tx is what one write transaction knows of its streams' rows: those its
// appends that succeeded leave, and else the cache's. It is not safe for
// concurrent use.
type Tx struct {
	c       *Cache
	left    map[store.StreamKey]*Row
	pending []pending // of the append under way
}

type pending struct {
	key  store.StreamKey
	row  *Row
	kept bool
}

// Tx starts the rows of one write transaction.
func (c *Cache) Tx() *Tx { return &Tx{c: c} }

// Plan is what an append does with one stream's row.
type Plan struct {
	// Known reports that the row is remembered at the version the append
	// expects: that version is stored, so the append's first entry needs
	// only its own version to be free.
	Known bool
	// Write reports that the row must be written: inserted for a new
	// stream (Expected 0), else updated. When false the row stands.
	Write bool
	// Next is the row as the append leaves it. An update that leaves the
	// circle or the status as they were (a zero Circle, an empty Status)
	// fills them, in Next, from what it returns; until then they are
	// unknown, which Plan allows for (a later append then writes the row).
	Next *Row
}

// Plan plans the append of s within the transaction, after the appends
// that succeeded before it, and notes the row it leaves as pending until
// [Tx.Done] or [Tx.Undo].
func (t *Tx) Plan(s *store.StreamAppend) Plan {
	last := s.Expected + uint64(len(s.Records))
	row, ok := t.row(s.Stream)
	known := ok && s.Expected > 0 && row.Version == s.Expected
	if known && (s.Circle.IsZero() || s.Circle == row.Circle) && (s.Status == "" || s.Status == row.Status) {
		next := &Row{Version: last, Circle: row.Circle, Status: row.Status}
		t.pending = append(t.pending, pending{key: s.Stream, row: next, kept: true})
		return Plan{Known: true, Next: next}
	}
	next := &Row{Version: last, Circle: s.Circle, Status: s.Status}
	t.pending = append(t.pending, pending{key: s.Stream, row: next})
	return Plan{Known: known, Write: true, Next: next}
}

// row returns the stream's row as the transaction's appends that succeeded
// leave it, else as the cache remembers it.
func (t *Tx) row(key store.StreamKey) (Row, bool) {
	if r, ok := t.left[key]; ok {
		return *r, true
	}
	return t.c.Get(key)
}

// Done records that the append planned since the last Done or Undo
// succeeded: the rows it leaves are the transaction's.
func (t *Tx) Done() {
	if t.left == nil && len(t.pending) > 0 {
		t.left = make(map[store.StreamKey]*Row, len(t.pending))
	}
	for _, p := range t.pending {
		if old, ok := t.left[p.key]; ok && p.kept {
			// The row an earlier append of the transaction leaves, which
			// stands: an update's answer may still be due to fill it.
			old.Version = p.row.Version
			continue
		}
		t.left[p.key] = p.row
	}
	t.pending = t.pending[:0]
}

// Undo records that the append planned since the last Done or Undo was
// rolled back: the rows it would have left are forgotten.
func (t *Tx) Undo() { t.pending = t.pending[:0] }

// Commit records that the transaction committed: the cache remembers the
// rows its appends left. Call it once the rows' updates have answered.
func (t *Tx) Commit() { t.c.keep(t.left) }
