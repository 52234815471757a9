package store

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/coproduce/sociocracy/circle"
)

// Driver is what an adapter writer implements: a small store of opaque
// records. The portable [Store] holds every piece of domain logic (loading
// aggregates, running acts, retries, hashing, verification); a driver only
// keeps bytes, enforces versions and uniqueness, and serialises appends per
// organisation. Run [github.com/coproduce/sociocracy/store/storetest.Run]
// against an adapter to prove it honours this contract.
//
// # Rules for every method
//
//   - Concurrency: a Driver is used by many goroutines at once and must be
//     safe for concurrent use.
//   - Context: every method honours ctx; when ctx is done before the work is
//     committed the method returns an error that wraps ctx.Err() and changes
//     nothing.
//   - Tenancy: every read and write is scoped to one organisation (the Org of
//     the key, query or batch). An adapter never returns or touches a record of
//     another organisation, whatever IDs it is given. The same stream ID or
//     person ID under two organisations names two unrelated things.
//   - Ownership: slices passed in (Batch data, profile bytes) belong to the
//     caller and may be changed after the call returns; an adapter that keeps
//     them copies them. Slices returned belong to the caller; an adapter never
//     keeps or changes them after returning.
//   - Times: every time stored is UTC with microsecond precision (see
//     [circle.Normalize]); [Batch.Seal] produces such times, and reads return
//     them in UTC with the same instant. Store them losslessly, e.g. as Unix
//     microseconds in a 64-bit integer.
//   - Errors: failures a caller may handle are returned as (or wrapping) the
//     sentinels of this package, matched with [errors.Is]: [ErrNotFound],
//     [ErrConflict] (as a [*ConflictError]), [ErrCommandMismatch] (as a
//     [*CommandError]), [ErrInvalid], [ErrClosed]. Raw database errors for
//     these cases (unique constraint violations, "no rows") must be
//     translated. Other errors (I/O, a lost connection) are returned wrapped,
//     and the operation must have changed nothing.
//   - Close: after Close returns, every method returns [ErrClosed]; Close
//     itself may be called more than once and returns nil after the first.
type Driver interface {
	// Append writes one [Batch] atomically: every stream, log entry,
	// redaction and command record in it, or nothing.
	//
	// The adapter must, inside one write transaction that is serialised with
	// every other Append of the same organisation (appends of different
	// organisations may run in parallel):
	//
	//  1. Call b.Validate(); on error return it unchanged (it matches
	//     [ErrInvalid]).
	//  2. If b.Command is not zero and a command record (b.Org, b.Command)
	//     exists: when its PayloadHash equals b.PayloadHash, write nothing
	//     and return the recorded First and Last with Duplicate set and a nil
	//     error; otherwise return a [*CommandError] (matches
	//     [ErrCommandMismatch]). This check comes before the version checks,
	//     because a retried command names versions that are now stale.
	//  3. For each [StreamAppend], compare Expected with the stream's
	//     current version (the number of events in it; 0 when it does not
	//     exist). Expected 0 means "must not exist": if the stream exists,
	//     return a [*ConflictError]. Expected > 0 and the stream does not
	//     exist: return a [*NotFoundError] for the stream (matches
	//     [ErrNotFound]). Expected > 0 and different from the current version:
	//     return a [*ConflictError] naming the stream, Expected and Actual.
	//  4. Read the organisation's log [Head] (zero when it has no entries)
	//     and call b.Seal(head). Seal returns the entries to insert, with
	//     sequence numbers head.Seq+1, head.Seq+2, ... in order, stream
	//     versions, digests and chained hashes already set. Store every field
	//     of every entry exactly as given.
	//  5. Set each stream's version to its last new version; when the
	//     StreamAppend's Circle is not zero it replaces the stream's circle,
	//     when its Status is not empty it replaces the stream's status.
	//  6. Apply b.Redactions: for each, the entry (b.Org, Seq) must exist and
	//     be older than the first new entry, else return a [*NotFoundError]
	//     (matches [ErrNotFound]); replace its Data with the given bytes and set
	//     its Redacted flag. Nothing else in the entry changes.
	//     For each person of b.ErasedProfiles, delete the profile (b.Org,
	//     person) as [Driver.EraseProfile] does; when there is none, return
	//     a [*NotFoundError] (matches [ErrNotFound]).
	//  7. If b.Command is not zero, record (b.Org, b.Command, b.PayloadHash,
	//     First, Last).
	//  8. Commit and return First and Last, the sequence numbers of the first
	//     and last new entries.
	//
	// Uniqueness of (org, stream kind, stream ID, version), (org, seq) and
	// (org, command) should be enforced by the database as well (unique
	// constraints); a violation that slips through (for example two
	// transactions racing where the adapter's serialisation is weaker than
	// described) must surface as [ErrConflict], never as a raw error, and
	// must leave nothing written. An adapter may retry its own transaction
	// on a serialisation failure, calling Seal again with the new head; Seal
	// is pure and cheap.
	Append(ctx context.Context, b *Batch) (Result, error)

	// ReadStream returns the entries of one stream with version > after, in
	// version order, at most limit of them (limit <= 0 means all). A stream
	// that does not exist returns a [*NotFoundError] (matches
	// [ErrNotFound]); after at or past the stream's version returns an empty
	// slice and a nil error.
	ReadStream(ctx context.Context, key StreamKey, after uint64, limit int) ([]Entry, error)

	// Stream returns the current version, circle and status of one stream,
	// or a [*NotFoundError] (matches [ErrNotFound]) when it does not exist.
	Stream(ctx context.Context, key StreamKey) (StreamInfo, error)

	// Streams lists the streams of q.Org that match q, ordered by stream ID
	// bytes (see [uuid.UUID] byte order; [circle.ID.Compare] gives the same
	// order). No match is an empty slice and a nil error, never ErrNotFound.
	Streams(ctx context.Context, q StreamQuery) ([]StreamInfo, error)

	// ReadLog returns the log entries of q.Org that match q, in ascending
	// sequence order, at most q.Limit of them (q.Limit <= 0 means all). No
	// match, including an organisation without entries, is an empty slice
	// and a nil error.
	ReadLog(ctx context.Context, q LogQuery) ([]Entry, error)

	// Head returns the sequence number and hash of the last log entry of
	// org; the zero Head when org has no entries (not an error).
	Head(ctx context.Context, org circle.OrgID) (Head, error)

	// Command returns the command record (org, id), or a [*NotFoundError]
	// (matches [ErrNotFound]) when there is none.
	Command(ctx context.Context, org circle.OrgID, id CommandID) (CommandRecord, error)

	// PutProfile creates or replaces the profile of person in org. Profiles
	// are opaque bytes kept apart from the log; they are not hashed and may
	// be erased.
	PutProfile(ctx context.Context, org circle.OrgID, person circle.PersonID, data []byte) error

	// Profile returns the profile of person in org, or a [*NotFoundError]
	// (matches [ErrNotFound]) when there is none or it was erased.
	Profile(ctx context.Context, org circle.OrgID, person circle.PersonID) ([]byte, error)

	// EraseProfile deletes the profile of person in org so that no copy
	// remains readable through the adapter (delete the row; do not merely
	// flag it). Erasing a profile that does not exist returns a
	// [*NotFoundError] (matches [ErrNotFound]).
	EraseProfile(ctx context.Context, org circle.OrgID, person circle.PersonID) error

	// Close releases the adapter's resources. Calls after Close return
	// [ErrClosed]; a second Close returns nil. Close does not close a
	// database handle the caller passed in and still owns.
	Close() error
}

// Kind names the kind of aggregate a stream holds. Kinds are short
// lowercase words ([a-z_], 1 to 32 bytes); adapters store them as text and
// treat them as opaque.
type Kind string

// The aggregate kinds the portable type writes. Adapters must accept any
// valid Kind, not only these.
const (
	KindOrganisation Kind = "organisation"
	KindConsent      Kind = "consent"
	KindElection     Kind = "election"
	KindReview       Kind = "review"
	// KindLogbook is the stream of the store's own entries (erasures) of an
	// organisation; its ID is the organisation's ID.
	KindLogbook Kind = "logbook"
)

// StreamKey names one event stream: an aggregate of one kind in one
// organisation. The zero StreamKey is invalid.
type StreamKey struct {
	Org  circle.OrgID
	Kind Kind
	ID   uuid.UUID
}

// StreamInfo describes a stream as [Driver.Stream] and [Driver.Streams]
// return it.
type StreamInfo struct {
	Key     StreamKey
	Version uint64          // number of events in the stream, >= 1
	Circle  circle.CircleID // the circle the aggregate belongs to; zero if none
	Status  string          // opaque short text set by the portable type, e.g. "open"
}

// StreamQuery selects streams for [Driver.Streams].
type StreamQuery struct {
	Org    circle.OrgID    // required
	Kind   Kind            // required
	Circle circle.CircleID // zero: any circle
	Status string          // empty: any status
	After  uuid.UUID       // only stream IDs greater than this (paging); zero: from the start
	Limit  int             // <= 0: all
}

// LogQuery selects log entries for [Driver.ReadLog]. Filters combine with
// AND.
type LogQuery struct {
	Org    circle.OrgID    // required
	After  uint64          // only entries with Seq > After
	Limit  int             // <= 0: all
	Circle circle.CircleID // zero: any; otherwise only entries whose Circle equals it
	Since  time.Time       // zero: unbounded; otherwise only entries with At >= Since (microsecond precision: callers pass normalised times)
	Until  time.Time       // zero: unbounded; otherwise only entries with At < Until
}

// Record is one event to append: its stored type name, its body, and the
// circle it concerns (for per-circle logbook queries).
type Record struct {
	Type   string          // stable event type name, 1 to 128 bytes
	Data   []byte          // the event body, opaque to the driver; may be empty
	Circle circle.CircleID // zero if the event concerns no one circle
	At     time.Time       // when the act happened; normalised by Seal
}

// StreamAppend is the part of a [Batch] that writes one stream.
type StreamAppend struct {
	Stream   StreamKey
	Expected uint64          // the stream's current version; 0: the stream must not exist
	Circle   circle.CircleID // when not zero, becomes the stream's circle
	Status   string          // when not empty, becomes the stream's status (at most 32 bytes)
	Records  []Record        // at least one
}

// Redaction replaces the body of an older log entry, for erasing personal
// free text. The entry keeps its digest and hash, so the chain stays valid;
// the portable type logs every redaction in the same batch so that
// [Verify] can tell an erasure from tampering.
type Redaction struct {
	Seq  uint64
	Data []byte
}

// Batch is one atomic append: one or more streams of one organisation, the
// redactions it performs and the command that caused it. Build it in the
// portable type; adapters read it and call [Batch.Validate] and
// [Batch.Seal].
type Batch struct {
	Org         circle.OrgID
	Command     CommandID // zero: not idempotent
	PayloadHash Hash      // hash of the command's payload; compared on a retried Command
	Streams     []StreamAppend
	Redactions  []Redaction
	// ErasedProfiles are people whose profiles the append deletes, with
	// the logbook entry that records the erasure ([Store.ErasePerson]).
	ErasedProfiles []circle.PersonID
	// Key, when set, keys the hashes [Batch.Seal] computes (see
	// [ChainKey]). The portable type sets it from its options; adapters
	// pass the batch to Seal and never read it.
	Key *ChainKey
}

// Result is what [Driver.Append] returns: the sequence numbers of the first
// and last entries the batch appended (for a duplicate command, those of
// the original append), and whether the batch was a duplicate that wrote
// nothing.
type Result struct {
	First, Last uint64
	Duplicate   bool
	// Head is the organisation's log head once the append is written (the
	// sequence number and hash of its last entry), or zero when the driver
	// does not say (and always for a duplicate). A driver that gives it
	// lets the Store tell, from the head alone, that nothing was written
	// to the organisation since its own last append (see the package
	// documentation, "What a Store keeps in memory"); a driver that
	// leaves it zero works, at the cost of a read per aggregate an act
	// loads. A head given must be the head: [storetest] checks it.
	Head Head
}

// CommandRecord is the idempotency record of one command.
type CommandRecord struct {
	Org         circle.OrgID
	ID          CommandID
	PayloadHash Hash
	First, Last uint64 // the log entries the command appended
}

// Head is the end of an organisation's log: the sequence number and hash of
// its last entry. The zero Head is the head of an empty log. A host may
// export Hash and anchor it elsewhere (a notary, an email, another
// database) to detect a rewritten log later.
type Head struct {
	Seq  uint64
	Hash Hash
}

// Entry is one log entry: an event with its place in its stream and in its
// organisation's log. Adapters store and return every field as given.
type Entry struct {
	Org      circle.OrgID
	Seq      uint64 // 1, 2, 3, ... per organisation, without gaps
	Stream   StreamKey
	Version  uint64 // 1, 2, 3, ... per stream, without gaps
	Type     string
	Circle   circle.CircleID
	At       time.Time // UTC, microsecond precision
	Command  CommandID // zero if the append carried no command
	Data     []byte
	Digest   Hash // SHA-256 of the original Data
	Redacted bool // Data was replaced by a [Redaction]; Digest is the original's
	// Withheld is set by [Store.Log] and [Store.Entries] (never by a driver)
	// on an election's nomination read before the election revealed its
	// nominations: Data shows who nominated and when, not whom; Digest is the
	// original's. Verify a log with [Store.Verify], which reads the driver.
	Withheld bool
	Hash     Hash // chains this entry to the previous one; see [Entry.ComputeHash]
}

type commandKind struct{}

// IDKind implements [circle.IDKind].
func (commandKind) IDKind() string { return "command" }

// CommandID identifies one command (one request to perform an act) so that
// a retried request has one effect.
type CommandID = circle.ID[commandKind]

// ParseCommandID parses a [CommandID]; see [circle.ParseID].
func ParseCommandID(s string) (CommandID, error) { return circle.ParseID[commandKind](s) }

// Reader is the read side of a [Driver] as seen from inside a write
// transaction (see [Locker]): every read sees the organisation's records as
// the transaction does, including appends made earlier in it.
type Reader interface {
	ReadStream(ctx context.Context, key StreamKey, after uint64, limit int) ([]Entry, error)
	Stream(ctx context.Context, key StreamKey) (StreamInfo, error)
	Head(ctx context.Context, org circle.OrgID) (Head, error)
	Command(ctx context.Context, org circle.OrgID, id CommandID) (CommandRecord, error)
}

// Locker is an optional ability of a [Driver]: an append whose batch is
// built while the organisation's append serialisation is held, so that what
// the batch was built from cannot change before it is written. The portable
// [Store] uses it when the driver offers it; its acts then never conflict
// with other writers of the same organisation, in this process or another.
// A plain Driver still works: the Store falls back to optimistic appends
// retried on [ErrConflict].
type Locker interface {
	// AppendLocked starts a write transaction of org that is serialised
	// with every other Append and AppendLocked of org (as [Driver.Append]
	// describes), calls build with a [Reader] that reads inside that
	// transaction, and appends the batch build returns exactly as
	// [Driver.Append] would (Validate, command check, version checks, Seal,
	// ...) inside the same transaction.
	//
	// When build returns an error, nothing is written and AppendLocked
	// returns that error unchanged. The batch's Org must be org, else
	// [ErrInvalid]. If the adapter retries its transaction (a serialisation
	// failure, say), it calls build again; build is written to be called
	// again. An adapter may run several builds, of one or many
	// organisations, in one database transaction (group commit), each in
	// its own savepoint, provided a build that fails rolls back only its
	// own work; build is then called from the adapter's goroutine and must
	// not wait for another AppendLocked.
	AppendLocked(ctx context.Context, org circle.OrgID, build func(ctx context.Context, r Reader) (*Batch, error)) (Result, error)
}
