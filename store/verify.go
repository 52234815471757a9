package store

import (
	"encoding/json"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/internal/strictjson"
)

// RedactionType is the event type of the log entry that records a
// [Redaction]. Its body is a [RedactionRecord] in JSON. The portable type
// appends one for every redaction, in the same batch, to the organisation's
// [KindLogbook] stream.
const RedactionType = "store.text_erased"

// RedactionRecord is the body of a [RedactionType] entry: which entry was
// redacted and the digest of the body that replaced it. It holds no personal
// data.
type RedactionRecord struct {
	Seq    uint64          `json:"seq"`
	Digest Hash            `json:"digest"`           // SHA-256 of the replacement body
	Fields []string        `json:"fields,omitempty"` // the JSON paths erased, e.g. "proposal.text"
	Actor  circle.PersonID `json:"actor,omitzero"`
	Reason string          `json:"reason"` // why, e.g. "erasure request"; never the erased text
}

// Verifier walks an organisation's log in order and names the first entry
// that breaks it. Feed it every entry from sequence 1 with [Verifier.Add],
// then call [Verifier.Finish]. It checks that sequence numbers run 1, 2, 3
// without gaps or reordering; that each entry belongs to the organisation;
// that each body matches its digest, or, for a redacted entry, that a later
// [RedactionType] entry records the digest of the replacement body; and
// that each hash chains to the previous one. With [Verifier.RequireKey]
// the hashes must be keyed ([Entry.ComputeKeyedHash]), which nobody without
// the key can forge. A deleted or rewritten tail cannot be seen from inside
// the log: give the heads it must hold ([Verifier.Expect]) — the driver's
// own, and one anchored elsewhere; [VerifyLog] does both. The package
// documentation's threat model says what each check detects.
//
// The zero Verifier is not usable; create one with [NewVerifier]. A
// Verifier is not safe for concurrent use.
type Verifier struct {
	org       circle.OrgID
	head      Head
	pending   map[uint64]Hash // redacted entries not yet matched to a record
	buf       []byte
	err       error
	key       *ChainKey
	keyedFrom uint64
	expect    []Head // heads the log must hold
}

// RequireKey makes v require, from entry from on (0 or 1: every entry),
// the keyed hash of key instead of the plain one. Call it before the first
// [Verifier.Add].
func (v *Verifier) RequireKey(key *ChainKey, from uint64) {
	v.key, v.keyedFrom = key, max(from, 1)
}

// Expect makes v require that the log holds h: an entry with sequence
// h.Seq and hash h.Hash. A log that ends before h.Seq fails in
// [Verifier.Finish] (its tail was deleted); one whose entry h.Seq has
// another hash fails in [Verifier.Add] (rewritten). The zero Head expects
// nothing.
func (v *Verifier) Expect(h Head) {
	if h.Seq > 0 {
		v.expect = append(v.expect, h)
	}
}

// NewVerifier returns a Verifier for org's log.
func NewVerifier(org circle.OrgID) *Verifier {
	return &Verifier{org: org, buf: make([]byte, 0, 256)}
}

func (v *Verifier) fail(seq uint64, reason string) error {
	v.err = &ChainError{Org: v.org.String(), Seq: seq, Reason: reason}
	return v.err
}

// Add checks the next entry. After the first failure it keeps returning
// that failure (a [*ChainError], matching [ErrCorrupt]).
func (v *Verifier) Add(e *Entry) error {
	if v.err != nil {
		return v.err
	}
	want := v.head.Seq + 1
	switch {
	case e.Seq != want:
		if e.Seq > want {
			return v.fail(want, "missing (the next entry found is "+utoa(e.Seq)+")")
		}
		return v.fail(want, "out of order (found entry "+utoa(e.Seq)+" in its place)")
	case e.Org != v.org:
		return v.fail(want, "belongs to another organisation")
	}
	if e.Redacted {
		if v.pending == nil {
			v.pending = make(map[uint64]Hash)
		}
		v.pending[e.Seq] = DigestOf(e.Data)
	} else if DigestOf(e.Data) != e.Digest {
		return v.fail(want, "body does not match its digest (altered)")
	}
	if v.key != nil && e.Seq >= v.keyedFrom {
		if e.ComputeKeyedHash(v.key, v.head.Hash) != e.Hash {
			return v.fail(want, "keyed hash does not match (altered, inserted, removed or reordered by someone without the key)")
		}
	} else {
		v.buf = append(v.buf[:0], v.head.Hash[:]...)
		v.buf = AppendCanonical(v.buf, e)
		if h := Hash(sha256Sum(v.buf)); h != e.Hash {
			return v.fail(want, "hash does not chain from the previous entry (altered, removed or reordered)")
		}
	}
	for _, x := range v.expect {
		if x.Seq == e.Seq && x.Hash != e.Hash {
			return v.fail(want, "differs from the expected head (the log was rewritten)")
		}
	}
	if e.Type == RedactionType && e.Stream.Kind == KindLogbook {
		var r RedactionRecord
		if err := strictjson.Unmarshal(e.Data, &r); err != nil {
			return v.fail(want, "unreadable redaction record")
		}
		if d, ok := v.pending[r.Seq]; ok && d == r.Digest {
			delete(v.pending, r.Seq)
		}
	}
	v.head = Head{Seq: e.Seq, Hash: e.Hash}
	return nil
}

// Finish ends the walk and returns the head of the verified log. It fails
// when an earlier entry failed, or when a redacted entry has no matching
// redaction record (its body was replaced outside the portable type).
func (v *Verifier) Finish() (Head, error) {
	if v.err != nil {
		return Head{}, v.err
	}
	// A deleted tail first: it may have taken a redaction's record with it.
	for _, x := range v.expect {
		if x.Seq > v.head.Seq {
			return Head{}, v.fail(v.head.Seq+1, "missing: the log ends before the expected head "+utoa(x.Seq)+" (its tail was deleted)")
		}
	}
	if len(v.pending) > 0 {
		first := uint64(0)
		for s := range v.pending {
			if first == 0 || s < first {
				first = s
			}
		}
		return Head{}, v.fail(first, "body replaced without a logged redaction (altered)")
	}
	return v.head, nil
}

// MarshalRedaction returns the body of a [RedactionType] entry.
func MarshalRedaction(r RedactionRecord) []byte {
	b, _ := json.Marshal(r) // cannot fail: fixed fields of plain types
	return b
}
