package review

import (
	"errors"
	"fmt"

	"github.com/coproduce/sociocracy/internal/enum"
	"github.com/coproduce/sociocracy/internal/kernel"
)

// Sentinels, one per failure a caller might handle. Every error an act or a
// decoder returns is an [*Error] that matches exactly one of these with
// [errors.Is].
var (
	ErrMissingID         = errors.New("review: missing id")
	ErrInvalidZone       = errors.New("review: invalid time zone")
	ErrInvalidKind       = errors.New("review: invalid item kind")
	ErrInvalidSource     = errors.New("review: invalid source")
	ErrInvalidText       = errors.New("review: invalid text")
	ErrInvalidDate       = errors.New("review: invalid date")
	ErrInvalidRule       = errors.New("review: invalid recurrence rule")
	ErrInvalidOutcome    = errors.New("review: invalid outcome")
	ErrMissingProcess    = errors.New("review: amended review names no consent process")
	ErrUnknownItem       = errors.New("review: unknown item")
	ErrDuplicateItem     = errors.New("review: item already scheduled")
	ErrItemClosed        = errors.New("review: item is closed")
	ErrWrongOrganisation = errors.New("review: event belongs to another organisation")
	ErrNotOpened         = errors.New("review: calendar not opened")
	ErrInvalidEvent      = errors.New("review: invalid event")
	ErrUnknownEventType  = errors.New("review: unknown event type")
	ErrTimeOrder         = errors.New("review: act dated before the calendar's latest event")
)

// Error is the typed error of every refused act and failed decode. It names
// the act and carries a message a person can act on; Err is the sentinel it
// matches.
type Error struct {
	Act    string // the act or operation, e.g. "complete review"
	Err    error  // one of the package's sentinels
	Detail string // what was wrong, in plain words
}

func (e *Error) Error() string { return kernel.Message("review", e.Act, e.Err, e.Detail) }

// Unwrap returns the sentinel.
func (e *Error) Unwrap() error { return e.Err }

func refuse(act string, sentinel error, format string, args ...any) *Error {
	return &Error{Act: act, Err: sentinel, Detail: fmt.Sprintf(format, args...)}
}

// refuseText is refuse without formatting, for the kernel's codec.
func refuseText(act string, sentinel error, detail string) error {
	return &Error{Act: act, Err: sentinel, Detail: detail}
}

// details reads the plain detail of this package's errors.
var details = kernel.DetailOf(func(e *Error) string { return e.Detail })

// detail returns the plain message of err without package prefixes.
func detail(err error) string { return kernel.Plain(err, details) }

// firstErr returns the first error that is not nil (kernel.FirstErr).
func firstErr(errs ...error) error { return kernel.FirstErr(errs...) }

func clip(s string) string { return enum.Clip(s) }
