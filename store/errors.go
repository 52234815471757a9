package store

import (
	"errors"
	"fmt"
)

// Sentinels, one per failure a caller or adapter might handle. Match them with
// [errors.Is]; the typed errors below carry detail and match their sentinel.
var (
	// ErrNotFound: the stream, log entry, command, profile or snapshot does
	// not exist (in this organisation).
	ErrNotFound = errors.New("store: not found")
	// ErrConflict: a stream's version is not the one the append expected, or
	// a uniqueness constraint refused the write.
	ErrConflict = errors.New("store: conflict")
	// ErrCommandMismatch: a command ID was used again with another payload.
	ErrCommandMismatch = errors.New("store: command id reused with another payload")
	// ErrInvalid: a malformed request (zero organisation, empty batch, bad
	// kind or type name, ...). It is a programming error of the caller.
	ErrInvalid = errors.New("store: invalid request")
	// ErrClosed: the store or driver was closed.
	ErrClosed = errors.New("store: closed")
	// ErrRetriesExhausted: an act kept conflicting with concurrent writers
	// for the configured number of attempts. It also matches [ErrConflict].
	ErrRetriesExhausted = errors.New("store: retries exhausted")
	// ErrCorrupt: stored data failed a check (a broken hash chain, an
	// undecodable event). [*ChainError] carries the detail.
	ErrCorrupt = errors.New("store: corrupt data")
	// ErrNewerSchema: the database was written by a newer version of an
	// adapter than the one opening it.
	ErrNewerSchema = errors.New("store: database schema is newer than this program")
)

// ConflictError reports a stale expected version. It matches [ErrConflict].
type ConflictError struct {
	Stream   StreamKey
	Expected uint64 // what the append named; 0 = must not exist
	Actual   uint64 // the stream's version found; 0 = it does not exist
}

// Error implements error.
func (e *ConflictError) Error() string {
	if e.Expected == 0 {
		return fmt.Sprintf("store: conflict: %s %s already exists at version %d", e.Stream.Kind, e.Stream.ID, e.Actual)
	}
	return fmt.Sprintf("store: conflict: %s %s is at version %d, expected %d", e.Stream.Kind, e.Stream.ID, e.Actual, e.Expected)
}

// Is reports whether target is [ErrConflict].
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

// NotFoundError names what was not found. It matches [ErrNotFound].
type NotFoundError struct {
	What string // "stream", "entry", "command", "profile", "snapshot"
	Key  string // a readable key, e.g. "consent 5f0c..." or "seq 42"
}

// Error implements error.
func (e *NotFoundError) Error() string {
	if e.Key == "" {
		return fmt.Sprintf("store: %s not found", e.What)
	}
	return fmt.Sprintf("store: %s %s not found", e.What, e.Key)
}

// Is reports whether target is [ErrNotFound].
func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

// StreamNotFound returns the [*NotFoundError] for a missing stream.
func StreamNotFound(k StreamKey) *NotFoundError {
	return &NotFoundError{What: "stream", Key: string(k.Kind) + " " + k.ID.String()}
}

// CommandError reports a command ID reused with another payload. It matches
// [ErrCommandMismatch].
type CommandError struct {
	Command CommandID
	Stored  Hash // the payload hash recorded with the command
	Given   Hash // the payload hash of the refused request
}

// Error implements error.
func (e *CommandError) Error() string {
	return fmt.Sprintf("store: command %s was already used with another payload", e.Command)
}

// Is reports whether target is [ErrCommandMismatch].
func (e *CommandError) Is(target error) bool { return target == ErrCommandMismatch }

// InvalidError reports a malformed request. It matches [ErrInvalid].
type InvalidError struct {
	Op     string // "append", "read log", ...
	Detail string
}

// Error implements error.
func (e *InvalidError) Error() string { return fmt.Sprintf("store: %s: %s", e.Op, e.Detail) }

// Is reports whether target is [ErrInvalid].
func (e *InvalidError) Is(target error) bool { return target == ErrInvalid }

func invalid(op, format string, args ...any) *InvalidError {
	return &InvalidError{Op: op, Detail: fmt.Sprintf(format, args...)}
}

// ChainError names the first log entry that failed verification. It
// matches [ErrCorrupt].
type ChainError struct {
	Org    string
	Seq    uint64 // the first bad entry (or the missing sequence number)
	Reason string
}

// Error implements error.
func (e *ChainError) Error() string {
	return fmt.Sprintf("store: logbook of %s: entry %d: %s", e.Org, e.Seq, e.Reason)
}

// Is reports whether target is [ErrCorrupt].
func (e *ChainError) Is(target error) bool { return target == ErrCorrupt }

// SchemaError reports a database written by a newer schema version. It
// matches [ErrNewerSchema].
type SchemaError struct {
	Found, Supported int
}

// Error implements error.
func (e *SchemaError) Error() string {
	return fmt.Sprintf("store: database schema version %d is newer than the %d this program supports; upgrade the program", e.Found, e.Supported)
}

// Is reports whether target is [ErrNewerSchema].
func (e *SchemaError) Is(target error) bool { return target == ErrNewerSchema }

// Errors of a host's function handed to an act ([Store.ActOrg] and the
// others). Nothing is written when either occurs.
var (
	// ErrForeignEvents: the function returned events that its acts did not
	// yield on the aggregate it was handed: events of a stale copy, of
	// another aggregate or organisation, made up, or some left out.
	ErrForeignEvents = errors.New("store: events not yielded by acts on the aggregate handed over")
	// ErrReadOnly: the function acted on an aggregate it was handed only
	// to read (the organisation beside a consent process, say).
	ErrReadOnly = errors.New("store: act on an aggregate handed over to read")
)

// ActError reports a host's function that broke the rule of its act: it
// matches [ErrReadOnly] when ReadOnly is set, else [ErrForeignEvents].
type ActError struct {
	Act      string // the Store's call, e.g. "act on consent process"
	What     string // the aggregate: "organisation", "consent process", ...
	Returned int    // events the function returned
	Yielded  int    // events its acts yielded on the aggregate
	ReadOnly bool
	Reason   string
}

// Error implements error.
func (e *ActError) Error() string { return "store: " + e.Act + ": " + e.Reason }

// Is reports whether target is the sentinel e matches.
func (e *ActError) Is(target error) bool {
	if e.ReadOnly {
		return target == ErrReadOnly
	}
	return target == ErrForeignEvents
}
