package members

import (
	"errors"
	"fmt"

	"github.com/coproduce/sociocracy/internal/enum"
	"github.com/coproduce/sociocracy/internal/kernel"
)

// Sentinels, one per failure a caller might handle. Every error the register
// or a decoder returns is an [*Error] that matches exactly one of these with
// [errors.Is].
var (
	ErrMissingID         = errors.New("members: missing id")
	ErrNotAuthorised     = errors.New("members: actor may not change the member register")
	ErrUnknownPerson     = errors.New("members: unknown person")
	ErrAlreadyMember     = errors.New("members: already a member")
	ErrNotMember         = errors.New("members: not a member")
	ErrInvalidShares     = errors.New("members: invalid shareholding")
	ErrInvalidCondition  = errors.New("members: invalid membership condition")
	ErrUnknownCondition  = errors.New("members: no such membership condition")
	ErrInvalidText       = errors.New("members: invalid text")
	ErrInvalidDate       = errors.New("members: invalid date")
	ErrTimeOrder         = errors.New("members: act dated before the register's latest event")
	ErrWrongOrganisation = errors.New("members: event belongs to another organisation")
	ErrNotOpened         = errors.New("members: register not opened")
	ErrInvalidEvent      = errors.New("members: invalid event")
	ErrUnknownEventType  = errors.New("members: unknown event type")
)

// Error is the typed error of every refusal and failed decode. It names the
// operation and carries a message a person can act on; Err is the sentinel
// it matches.
type Error struct {
	Act    string // the operation, e.g. "observe"
	Err    error  // one of the package's sentinels
	Detail string // what was wrong, in plain words
}

func (e *Error) Error() string { return kernel.Message("members", e.Act, e.Err, e.Detail) }

// Unwrap returns the sentinel.
func (e *Error) Unwrap() error { return e.Err }

func refuse(act string, sentinel error, format string, args ...any) *Error {
	return &Error{Act: act, Err: sentinel, Detail: fmt.Sprintf(format, args...)}
}

func refuseText(act string, sentinel error, detail string) error {
	return &Error{Act: act, Err: sentinel, Detail: detail}
}

func refuser(sentinel error) enum.Refuse {
	return func(act, detail string) error { return &Error{Act: act, Err: sentinel, Detail: detail} }
}

var details = kernel.DetailOf(func(e *Error) string { return e.Detail })
