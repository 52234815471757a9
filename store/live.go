package store

import (
	"context"
	"sync"
	"time"

	"github.com/coproduce/sociocracy/circle"
)

// The caches of replayed aggregates; the package documentation, "What a
// Store keeps in memory", says what they hold and how they stay true.

// liveAgg is an aggregate at a stream version.
type liveAgg struct {
	agg     aggregate
	epoch   uint64    // the epoch at whose head it is current (0: none; see known.go)
	version uint64    // number of events applied
	digest  Hash      // digest of the entry at version (zero when version is 0)
	at      time.Time // time of the entry at version
	uses    uint32    // acts that checked it in, halved at each eviction (see makeRoomLive)
}

// aggregate is what every aggregate of the domain packages answers.
type aggregate interface {
	Version() uint64
}

// liveCache is a bounded map of aggregates. When full it forgets half of
// them, those acts used least first (see makeRoomLive).
type liveCache struct {
	mu  sync.Mutex
	max int
	m   map[StreamKey]*liveAgg
}

func newLiveCache(max int) *liveCache {
	if max <= 0 {
		return nil
	}
	return &liveCache{max: max, m: make(map[StreamKey]*liveAgg)}
}

// take removes the aggregate of k from the cache and returns it, or nil.
func (c *liveCache) take(k StreamKey) *liveAgg {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	a := c.m[k]
	delete(c.m, k)
	return a
}

// put keeps a under k, unless an aggregate at a later version is there.
func (c *liveCache) put(k StreamKey, a *liveAgg) {
	if c == nil || a == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.m[k]; ok && old.version > a.version {
		return
	}
	if _, ok := c.m[k]; !ok {
		makeRoomLive(c.m, c.max)
	}
	a.epoch = 0 // current at no known head until its act's append is settled
	if a.uses < 1<<30 {
		a.uses++
	}
	c.m[k] = a
}

// makeRoomLive forgets half of m when it holds max entries: first those
// checked in only once since the last eviction (a process started and
// not acted on since), then any. The others' counts are halved, so that
// an aggregate busy long ago does not stay forever. An organisation that
// every act uses thus stays while the streams of a thousand new processes
// come and go; forgetting it would cost a replay of its whole history.
func makeRoomLive(m map[StreamKey]*liveAgg, max int) {
	if len(m) < max {
		return
	}
	n := 0
	for key, a := range m {
		if n < (max+1)/2 && a.uses <= 1 {
			delete(m, key)
			n++
			continue
		}
		a.uses /= 2
	}
	for key := range m {
		if n >= (max+1)/2 {
			break
		}
		delete(m, key)
		n++
	}
}

// confirm gives epoch to each aggregate of held still in the cache as it
// was checked in. One that a later act has moved on since (its append may
// not be committed yet) keeps its own epoch: only that act's settling may
// vouch for it.
func (c *liveCache) confirm(held []heldRef, epoch uint64) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, h := range held {
		if c.m[h.key] == h.l && h.l.version == h.version {
			h.l.epoch = epoch
		}
	}
}

// untrusted reports whether the aggregate of k is cached (at a version
// above 0) and st would not use it without a read.
func (c *liveCache) untrusted(st *actState, k StreamKey) bool {
	if c == nil {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	a := c.m[k]
	return a != nil && a.version > 0 && !st.trusts(k, a)
}

// version returns the version of the aggregate of k in the cache, if any.
func (c *liveCache) version(k StreamKey) (uint64, bool) {
	if c == nil {
		return 0, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	a, ok := c.m[k]
	if !ok {
		return 0, false
	}
	return a.version, true
}

// drop forgets the aggregate of k.
func (c *liveCache) drop(k StreamKey) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, k)
}

// orgLocks serialise the acts of one organisation inside a Store when the
// driver cannot build batches under its own serialisation (see [Locker]).
// A fixed set of locks, an organisation's chosen by its ID, bounds the
// memory whatever the number of organisations; two organisations sharing a
// lock merely wait for each other. Each lock is a channel of capacity one,
// so that a wait can give up when its context is done.
type orgLocks [256]chan struct{}

func newOrgLocks() *orgLocks {
	var l orgLocks
	for i := range l {
		l[i] = make(chan struct{}, 1)
	}
	return &l
}

// lock takes the lock of org's acts, or gives up when ctx is done; unlock
// with the function it returns.
func (l *orgLocks) lock(ctx context.Context, k StreamKey) (func(), error) {
	u := k.Org.UUID()
	ch := l[u[15]]
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// dropOrg forgets every aggregate of org.
func (c *liveCache) dropOrg(org circle.OrgID) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	dropOrg(c.m, org)
}

// makeRoom forgets an arbitrary half of m when it holds max entries: cheap,
// and good enough for a cache whose misses cost one replay.
func makeRoom[V any](m map[StreamKey]V, max int) {
	if len(m) < max {
		return
	}
	n := 0
	for key := range m {
		if n >= (max+1)/2 {
			break
		}
		delete(m, key)
		n++
	}
}

// dropOrg forgets every entry of org in m.
func dropOrg[V any](m map[StreamKey]V, org circle.OrgID) {
	for k := range m {
		if k.Org == org {
			delete(m, k)
		}
	}
}

// erasures remembers, per organisation, the version of its logbook stream
// (where erasures are recorded) that a Store's caches reflect. An erasure by
// any Store moves that version on; the next act or read of the
// organisation in every Store sees it and drops the organisation's cached
// aggregates, which may hold the erased text.
type erasures struct {
	mu   sync.Mutex
	seen map[circle.OrgID]uint64
}

// maxSeen bounds the memory of [erasures]: past it the record starts
// afresh, and each organisation's caches are dropped once more.
const maxSeen = 1 << 16

// check reads org's logbook version through r and drops org's cached
// aggregates when it is not the one the caches reflect.
func (s *Store) checkErasures(ctx context.Context, r Reader, org circle.OrgID) error {
	var v uint64
	info, err := r.Stream(ctx, LogbookKey(org))
	switch {
	case err == nil:
		v = info.Version
	case !isNotFound(err):
		return err
	}
	s.noteErasures(org, v)
	return nil
}

// version returns the logbook version of org that the caches reflect, and
// whether there is one.
func (e *erasures) version(org circle.OrgID) (uint64, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	v, ok := e.seen[org]
	return v, ok
}

// noteErasures records v, the logbook version of org just read, and drops
// org's cached aggregates when it is not the version the caches reflect,
// reporting whether it did.
func (s *Store) noteErasures(org circle.OrgID, v uint64) bool {
	e := &s.erasures
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.seen == nil || len(e.seen) >= maxSeen {
		e.seen = make(map[circle.OrgID]uint64)
	}
	if cur, ok := e.seen[org]; ok && cur == v {
		return false
	}
	s.live.dropOrg(org)
	s.read.dropOrg(org)
	e.seen[org] = v
	return true
}
