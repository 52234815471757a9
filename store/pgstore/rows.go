package pgstore

import (
	"sync"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/store"
)

// streamRow is a stream as one of this driver's commits left it: its
// version (that of its last entry) and the circle and status its row
// holds.
//
// It stays a fact whatever other processes write since: a stream's row
// changes only with an append to the stream, which moves its version on.
// So a stream found at that version still has that row; and an append
// expecting that version, whose first entry's own version turns out free
// (the unique key of entries), finds the stream exactly there, the entry
// of the version expected being stored (entries are never removed).
type streamRow struct {
	version uint64
	circle  circle.CircleID
	status  string
}

// maxRows bounds the rows a driver remembers; when full, it forgets them
// all (each costs its stream one checked write to learn again).
const maxRows = 16384

// rowCache holds, per stream, the row this driver's last commit that
// wrote to it left. The appends of one organisation are serialised by its
// head row's lock, but those of different organisations run at once.
type rowCache struct {
	mu sync.Mutex
	m  map[store.StreamKey]streamRow
}

func (c *rowCache) get(key store.StreamKey) (streamRow, bool) {
	c.mu.Lock()
	r, ok := c.m[key]
	c.mu.Unlock()
	return r, ok
}

// keep remembers the rows a transaction left once it has committed.
func (c *rowCache) keep(rows map[store.StreamKey]*streamRow) {
	if len(rows) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m)+len(rows) > maxRows {
		c.m = make(map[store.StreamKey]streamRow, len(rows))
	}
	for key, r := range rows {
		// A later commit of another goroutine may have remembered a
		// later version already; the earlier one is as true, only less
		// useful.
		if old, ok := c.m[key]; !ok || old.version < r.version {
			c.m[key] = *r
		}
	}
}

// txRows is what a transaction knows of its streams' rows: those its
// appends leave (committed with it), and else the driver's.
type txRows struct {
	c    *rowCache
	left map[store.StreamKey]*streamRow
}

func (t *txRows) row(key store.StreamKey) (streamRow, bool) {
	if r, ok := t.left[key]; ok {
		return *r, true
	}
	return t.c.get(key)
}
