package store

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/coproduce/sociocracy/circle"
)

// Hash is a SHA-256 digest. Its text form is 64 lowercase hex digits. The
// zero Hash is the "previous hash" of an organisation's first entry.
type Hash [sha256.Size]byte

// String returns the lowercase hex form.
func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// IsZero reports whether h is all zero bytes.
func (h Hash) IsZero() bool { return h == Hash{} }

// MarshalText implements encoding.TextMarshaler.
func (h Hash) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler; it accepts exactly 64
// lowercase hex digits.
func (h *Hash) UnmarshalText(b []byte) error {
	p, err := ParseHash(string(b))
	if err != nil {
		return err
	}
	*h = p
	return nil
}

// ParseHash parses 64 lowercase hex digits.
func ParseHash(s string) (Hash, error) {
	var h Hash
	if len(s) != 2*len(h) {
		return Hash{}, invalid("parse hash", "want %d hex digits, got %d characters", 2*len(h), len(s))
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return Hash{}, invalid("parse hash", "character %d is not a lowercase hex digit", i)
		}
	}
	if _, err := hex.Decode(h[:], []byte(s)); err != nil {
		return Hash{}, invalid("parse hash", "%v", err)
	}
	return h, nil
}

// DigestOf returns the SHA-256 of data: the [Entry.Digest] of an entry whose
// Data is data.
func DigestOf(data []byte) Hash { return sha256.Sum256(data) }

// canonicalTag separates our hashes from any other use of SHA-256 and names
// the encoding version.
const canonicalTag = "sociocracy/store/entry/v1\x00"

// AppendCanonical appends the canonical bytes of e to buf and returns the
// extended buffer. They cover every field of e except Data, Redacted and
// Hash: the organisation, sequence number, stream kind and ID, version,
// type, circle, time (Unix microseconds), command and Digest. Because they
// hold the digest of Data and not Data itself, redacting an entry's body
// leaves its hash and every later hash valid.
//
// Layout (big-endian integers; strings as a uvarint length then bytes):
// tag, org(16), seq(8), kind, stream id(16), version(8), type, circle(16),
// at(8, signed), command(16), digest(32).
func AppendCanonical(buf []byte, e *Entry) []byte {
	buf = append(buf, canonicalTag...)
	buf = append(buf, e.Org[:]...)
	buf = binary.BigEndian.AppendUint64(buf, e.Seq)
	buf = binary.AppendUvarint(buf, uint64(len(e.Stream.Kind)))
	buf = append(buf, e.Stream.Kind...)
	buf = append(buf, e.Stream.ID[:]...)
	buf = binary.BigEndian.AppendUint64(buf, e.Version)
	buf = binary.AppendUvarint(buf, uint64(len(e.Type)))
	buf = append(buf, e.Type...)
	buf = append(buf, e.Circle[:]...)
	buf = binary.BigEndian.AppendUint64(buf, uint64(e.At.UnixMicro()))
	buf = append(buf, e.Command[:]...)
	buf = append(buf, e.Digest[:]...)
	return buf
}

// ComputeHash returns the hash e must carry when the entry before it has
// hash prev (the zero Hash for the first entry): SHA-256 of prev followed by
// e's canonical bytes ([AppendCanonical]).
func (e *Entry) ComputeHash(prev Hash) Hash {
	var arr [256]byte
	buf := append(arr[:0], prev[:]...)
	buf = AppendCanonical(buf, e)
	return sha256.Sum256(buf)
}

// Limits on what a batch carries. Times are kept as Unix microseconds
// in 64 bits and read back through time.Time; the years 1 to 9999 round-trip
// exactly (and print as RFC 3339). Sequence numbers and versions are kept
// as signed 64-bit integers by SQL databases.
const (
	minYear   = 1
	maxYear   = 9999
	maxNumber = 1<<63 - 1

	maxKindLen   = 32
	maxTypeLen   = 128
	maxStatusLen = 32
)

func validKind(k Kind) bool {
	if len(k) == 0 || len(k) > maxKindLen {
		return false
	}
	for i := 0; i < len(k); i++ {
		if c := k[i]; !('a' <= c && c <= 'z' || c == '_') {
			return false
		}
	}
	return true
}

func validName(s string, maxLen int, allowEmpty bool) bool {
	if len(s) > maxLen || (!allowEmpty && len(s) == 0) || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

// ValidateKey reports whether k names a stream: a non-zero organisation, a
// valid [Kind] and a non-zero ID. The error matches [ErrInvalid].
func ValidateKey(op string, k StreamKey) error {
	switch {
	case k.Org.IsZero():
		return invalid(op, "stream key without organisation")
	case !validKind(k.Kind):
		return invalid(op, "stream kind %q is not 1 to %d of [a-z_]", clip(string(k.Kind)), maxKindLen)
	case k.ID == [16]byte{}:
		return invalid(op, "%s stream without id", k.Kind)
	}
	return nil
}

// Validate checks that b is well formed: a non-zero organisation; at least
// one stream append; every stream of b's organisation, named once, with a
// valid key, a status of at most 32 bytes, at least one record and versions
// below 2^63; every record with a type of 1 to 128 printable bytes and a
// non-zero time in the years 1 to 9999 (UTC); every redaction with a
// positive, distinct sequence number below 2^63. The error matches
// [ErrInvalid]. Adapters call it first in [Driver.Append]; it does not touch
// the database.
func (b *Batch) Validate() error {
	const op = "append"
	if b == nil {
		return invalid(op, "nil batch")
	}
	if b.Org.IsZero() {
		return invalid(op, "batch without organisation")
	}
	if len(b.Streams) == 0 {
		return invalid(op, "batch without streams")
	}
	seen := make(map[StreamKey]struct{}, len(b.Streams))
	for i := range b.Streams {
		s := &b.Streams[i]
		if err := ValidateKey(op, s.Stream); err != nil {
			return err
		}
		if s.Stream.Org != b.Org {
			return invalid(op, "%s stream %s belongs to another organisation", s.Stream.Kind, s.Stream.ID)
		}
		if _, dup := seen[s.Stream]; dup {
			return invalid(op, "%s stream %s appears twice in one batch", s.Stream.Kind, s.Stream.ID)
		}
		seen[s.Stream] = struct{}{}
		if !validName(s.Status, maxStatusLen, true) {
			return invalid(op, "status %q is not 0 to %d printable bytes", clip(s.Status), maxStatusLen)
		}
		if len(s.Records) == 0 {
			return invalid(op, "%s stream %s: no records", s.Stream.Kind, s.Stream.ID)
		}
		if s.Expected > maxNumber-uint64(len(s.Records)) {
			return invalid(op, "%s stream %s: expected version %d is past the largest a store keeps (2^63-1)", s.Stream.Kind, s.Stream.ID, s.Expected)
		}
		for j := range s.Records {
			r := &s.Records[j]
			if !validName(r.Type, maxTypeLen, false) {
				return invalid(op, "event type %q is not 1 to %d printable bytes", clip(r.Type), maxTypeLen)
			}
			if r.At.IsZero() {
				return invalid(op, "%s event without time", r.Type)
			}
			if y := r.At.UTC().Year(); y < minYear || y > maxYear {
				return invalid(op, "%s event in the year %d: times must fall in the years %d to %d", r.Type, y, minYear, maxYear)
			}
		}
	}
	people := make(map[circle.PersonID]struct{}, len(b.ErasedProfiles))
	for _, p := range b.ErasedProfiles {
		if p.IsZero() {
			return invalid(op, "erasure of the profile of no one")
		}
		if _, dup := people[p]; dup {
			return invalid(op, "the profile of %s erased twice in one batch", p)
		}
		people[p] = struct{}{}
	}
	red := make(map[uint64]struct{}, len(b.Redactions))
	for _, r := range b.Redactions {
		if r.Seq == 0 {
			return invalid(op, "redaction of entry 0")
		}
		if r.Seq > maxNumber {
			return invalid(op, "redaction of entry %d, past the largest a store keeps (2^63-1)", r.Seq)
		}
		if _, dup := red[r.Seq]; dup {
			return invalid(op, "entry %d redacted twice in one batch", r.Seq)
		}
		red[r.Seq] = struct{}{}
	}
	return nil
}

// Seal returns the log entries b appends after head, the current head of
// b's organisation: the records of each stream append in batch order, with
// sequence numbers head.Seq+1, head.Seq+2, ..., stream versions
// Expected+1, Expected+2, ..., times normalised to UTC microseconds, the
// digest of each body and the hash chained from head.Hash (keyed with
// b.Key when it is set). The entries' Data slices are b's own (not copies). Seal validates b first; it is pure,
// so an adapter that retries its transaction may call it again.
func (b *Batch) Seal(head Head) ([]Entry, error) {
	if err := b.Validate(); err != nil {
		return nil, err
	}
	n := 0
	for i := range b.Streams {
		n += len(b.Streams[i].Records)
	}
	out := make([]Entry, 0, n)
	seq, prev := head.Seq, head.Hash
	for i := range b.Streams {
		s := &b.Streams[i]
		for j, r := range s.Records {
			seq++
			e := Entry{
				Org:     b.Org,
				Seq:     seq,
				Stream:  s.Stream,
				Version: s.Expected + uint64(j) + 1,
				Type:    r.Type,
				Circle:  r.Circle,
				At:      circle.Normalize(r.At),
				Command: b.Command,
				Data:    r.Data,
				Digest:  DigestOf(r.Data),
			}
			if b.Key != nil {
				e.Hash = e.ComputeKeyedHash(b.Key, prev)
			} else {
				e.Hash = e.ComputeHash(prev)
			}
			prev = e.Hash
			out = append(out, e)
		}
	}
	return out, nil
}

func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "..."
	}
	return s
}

// String returns "kind id" of the stream, without the organisation.
func (k StreamKey) String() string { return fmt.Sprintf("%s %s", k.Kind, k.ID) }

func sha256Sum(b []byte) [sha256.Size]byte { return sha256.Sum256(b) }

func utoa(n uint64) string { return strconv.FormatUint(n, 10) }
