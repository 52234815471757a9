package store

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/coproduce/sociocracy/circle"
)

// What a Store knows of each organisation's log head, so that an act can
// tell from the head alone that its cached aggregates are current (the
// package documentation, "What a Store keeps in memory", says why that
// holds).
//
// Every cached aggregate carries an epoch. After an act's append succeeds
// and its entries came straight after the head the act saw, the Store
// records the new head with the act's epoch and gives that epoch to every
// aggregate the act checked in, as it left it: each is then current at the
// recorded head. The next act that finds the organisation's head still there uses
// the aggregates of that epoch without reading their streams. An act that
// finds another head starts a new epoch and reads every stream it loads
// from where its cached copy ends, as before.

// knownHeads maps organisations to their bases: the head this Store's last
// settled append left, and the head its last pending act will leave.
type knownHeads struct {
	mu    sync.Mutex
	m     map[circle.OrgID]basis // the heads settled acts left
	epoch atomic.Uint64          // the last epoch given out
	pend  map[circle.OrgID]basis // the heads pending acts will leave
}

// pending returns org's pending act, if any.
func (k *knownHeads) pending(org circle.OrgID) (basis, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	p, ok := k.pend[org]
	return p, ok
}

// setPending records p as org's pending act; dropPending forgets it.
func (k *knownHeads) setPending(org circle.OrgID, p basis) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.pend == nil || len(k.pend) >= maxSeen {
		k.pend = make(map[circle.OrgID]basis)
	}
	k.pend[org] = p
}

func (k *knownHeads) dropPending(org circle.OrgID) {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.pend, org)
}

// settled forgets org's pending act when it is the one of b, which has
// settled: the head it left is known now.
func (k *knownHeads) settled(org circle.OrgID, b *Batch) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if p, ok := k.pend[org]; ok && p.b == b {
		delete(k.pend, org)
	}
}

// sealed records head as the head of org's pending act of b, if it still
// is the pending act.
func (k *knownHeads) sealed(org circle.OrgID, b *Batch, head Head) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if p, ok := k.pend[org]; ok && p.b == b {
		p.head = head
		k.pend[org] = p
	}
}

// basis is a head at which cached copies are current without a read:
// those of its epoch, and the copies in held (as they were left).
//
// The head a Store's last settled act left is a basis with no copies of
// its own. So is, with its copies, the head of a pending act: one whose
// batch is built and handed to the driver, but whose append is not known
// to have committed (held then has the copies it left, with those of the
// pending acts it built on). A later act of the same transaction (a
// driver's group commit) that finds that very head may trust those copies:
// if the append fails, so does the later act's, and nothing is settled.
type basis struct {
	head  Head
	epoch uint64
	held  []heldRef
	// A pending act's head is worked out (sealing b at from) only when a
	// later act needs it before the act has settled, which happens only
	// under contention: until then head is zero.
	b    *Batch
	from Head
}

// maxTrusted bounds the copies a chain of pending acts hands on; past it,
// the oldest are left out (and read again, should an act need them before
// the chain settles).
const maxTrusted = 64

// handOn returns the copies a pending act hands on to the act after it:
// those it trusted, less those of the streams it checked in, then those it
// checked in; at most maxTrusted, the latest. (What an act trusted came
// from handOn, one per stream, and an act checks each stream in once.)
func handOn(trusted, held []heldRef) []heldRef {
	out := make([]heldRef, 0, min(len(trusted)+len(held), maxTrusted+len(held)))
	for _, t := range trusted {
		if !slices.ContainsFunc(held, func(h heldRef) bool { return h.key == t.key }) {
			out = append(out, t)
		}
	}
	out = append(out, held...)
	if n := len(out) - maxTrusted; n > 0 {
		out = out[n:]
	}
	return out
}

// get returns what is known of org's head.
func (k *knownHeads) get(org circle.OrgID) (basis, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	h, ok := k.m[org]
	return h, ok
}

// next gives out a new epoch, never 0 (0 marks an aggregate as not known
// current at any head).
func (k *knownHeads) next() uint64 { return k.epoch.Add(1) }

// note records head and epoch for org unless a later head is recorded,
// reporting whether it did. Past maxSeen organisations the record starts
// afresh (an organisation forgotten merely reads its streams once more).
func (k *knownHeads) note(org circle.OrgID, head Head, epoch uint64) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	if old, ok := k.m[org]; ok && old.head.Seq > head.Seq {
		return false
	}
	if k.m == nil || len(k.m) >= maxSeen {
		k.m = make(map[circle.OrgID]basis)
	}
	k.m[org] = basis{head: head, epoch: epoch}
	return true
}

// forget drops what is known of org.
func (k *knownHeads) forget(org circle.OrgID) {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.m, org)
}

// actState is what one attempt of an act knows of its organisation: the
// head it saw before its first read, whether that is the head the Store
// knows (fresh: the aggregates of epoch need no read), the epoch the
// aggregates it checks in will have once its append succeeds, and those
// aggregates.
type actState struct {
	seen    Head
	fresh   bool
	epoch   uint64
	erasing bool // the batch redacts or erases: the caches must be checked again
	held    []heldRef
	trusted []heldRef // copies of pending acts this act builds on (see basis)
	batch   *Batch    // the batch recorded as the pending act's (nil: none)
}

// trusts reports whether l, the cached aggregate of key, is current at
// the head the act saw without a read.
func (st *actState) trusts(key StreamKey, l *liveAgg) bool {
	if st == nil || !st.fresh {
		return false
	}
	if l.epoch == st.epoch && l.epoch != 0 {
		return true
	}
	for _, h := range st.trusted {
		if h.key == key && h.l == l && h.version == l.version {
			return true
		}
	}
	return false
}

type heldRef struct {
	key     StreamKey
	l       *liveAgg
	version uint64 // l.version when checked in
}

// actReader is the Reader a build is handed: the attempt's reads, with
// its state for checkout and checkin.
type actReader struct {
	Reader
	st *actState
}

// stateOf returns the attempt state of the Reader a build was handed, or
// nil when it carries none.
func stateOf(r Reader) *actState {
	if ar, ok := r.(*actReader); ok {
		return ar.st
	}
	return nil
}

// begin fills st for an act whose Reader cannot prefetch: the head first,
// then, when it is not the head the Store knows, a new epoch and the
// check of erasures.
func (s *Store) begin(ctx context.Context, r Reader, org circle.OrgID, st *actState) error {
	h, err := r.Head(ctx, org)
	if err != nil {
		return err
	}
	st.seen = h
	for _, b := range s.bases(org) {
		if b.head == h {
			st.fresh, st.epoch, st.trusted = true, b.epoch, b.held
			return nil
		}
	}
	st.epoch = s.heads.next()
	return s.checkErasures(ctx, r, org)
}

// bases returns the heads at which org's cached copies are known current
// without a read, most recent first: the head the pending act will leave
// (with its copies), then the head the last settled act left.
func (s *Store) bases(org circle.OrgID) []basis {
	var out []basis
	if p, ok := s.heads.pending(org); ok {
		if p.head == (Head{}) {
			entries, err := p.b.Seal(p.from)
			if err == nil && len(entries) > 0 {
				last := &entries[len(entries)-1]
				p.head = Head{Seq: last.Seq, Hash: last.Hash}
				s.heads.sealed(org, p.b, p.head)
			}
		}
		if p.head != (Head{}) {
			out = append(out, p)
		}
	}
	if k, ok := s.heads.get(org); ok {
		out = append(out, k)
	}
	return out
}

// built records the act of st, whose batch b is about to go to the driver,
// as org's pending act (see basis), unless it erases: then it forgets any
// pending act of org. Whether the act trusted its copies or read them, it
// built inside the driver's serialisation (built is called only with a
// [Locker]), so the copies it checked in are current at the head its append
// will leave; an act that had to read thus starts a chain of pending acts
// anew instead of leaving every act after it to read too.
func (s *Store) built(org circle.OrgID, st *actState, b *Batch) {
	if st.erasing {
		s.heads.dropPending(org)
		return
	}
	held := handOn(st.trusted, st.held)
	s.heads.setPending(org, basis{epoch: st.epoch, held: held, b: b, from: st.seen})
	st.batch = b
}

// settle records what an attempt's successful append leaves known: the
// new head, and the aggregates it checked in as current at it. It does
// nothing when the append's entries did not follow the head the attempt
// saw (someone else wrote in between), when the driver did not give the
// head, or when the batch erased (the next act must check the caches).
func (s *Store) settle(org circle.OrgID, st *actState, res Result) {
	if st == nil {
		return
	}
	if st.batch != nil {
		s.heads.settled(org, st.batch)
	}
	if res.Duplicate || res.Head == (Head{}) || res.First != st.seen.Seq+1 {
		return
	}
	if st.erasing {
		s.heads.forget(org)
		return
	}
	if s.heads.note(org, res.Head, st.epoch) {
		s.live.confirm(st.held, st.epoch)
	}
}
