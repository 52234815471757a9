package agreement

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
	ErrMissingID         = errors.New("agreement: missing id")
	ErrUnknownAgreement  = errors.New("agreement: unknown agreement")
	ErrWrongCircle       = errors.New("agreement: agreement belongs to another circle")
	ErrRetired           = errors.New("agreement: agreement is retired")
	ErrWrongOrganisation = errors.New("agreement: event belongs to another organisation")
	ErrNotOpened         = errors.New("agreement: register not opened")
	ErrInvalidEvent      = errors.New("agreement: invalid event")
	ErrUnknownEventType  = errors.New("agreement: unknown event type")
	ErrInvalidChange     = errors.New("agreement: invalid change")
)

// Error is the typed error of every refusal and failed decode. It names the
// operation and carries a message a person can act on; Err is the sentinel
// it matches.
type Error struct {
	Act    string // the operation, e.g. "observe"
	Err    error  // one of the package's sentinels
	Detail string // what was wrong, in plain words
}

func (e *Error) Error() string { return kernel.Message("agreement", e.Act, e.Err, e.Detail) }

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
