package store

import "sync"

// cached is the decoded events of a stream up to a version. The slice is
// never appended to in place (its capacity equals its length), so readers
// may share it.
type cached struct {
	version uint64
	events  any // []circle.Event, []consent.Event, ...
}

// streamCache is a bounded map of decoded streams. When full it forgets
// an arbitrary half, which is cheap and good enough for a cache whose
// misses cost one read.
type streamCache struct {
	mu  sync.Mutex
	max int
	m   map[StreamKey]cached
}

func newStreamCache(max int) *streamCache {
	if max <= 0 {
		return nil
	}
	return &streamCache{max: max, m: make(map[StreamKey]cached)}
}

func (c *streamCache) get(k StreamKey) (cached, bool) {
	if c == nil {
		return cached{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	return v, ok
}

func (c *streamCache) put(k StreamKey, v cached) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.m[k]; ok && old.version > v.version {
		return
	}
	if len(c.m) >= c.max {
		n := 0
		for key := range c.m {
			if n >= c.max/2 {
				break
			}
			delete(c.m, key)
			n++
		}
	}
	c.m[k] = v
}

func (c *streamCache) drop(k StreamKey) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, k)
}
