package meeting

import (
	"errors"
	"fmt"

	"github.com/coproduce/sociocracy/internal/kernel"
)

// Sentinels, one per failure a caller might handle.
var (
	ErrMissingID        = errors.New("meeting: missing id")
	ErrUnknownCircle    = errors.New("meeting: unknown circle")
	ErrNotMember        = errors.New("meeting: not a member of the circle")
	ErrNotFacilitator   = errors.New("meeting: only the facilitator may do this")
	ErrNotSecretary     = errors.New("meeting: only the secretary may do this")
	ErrNotHost          = errors.New("meeting: only the facilitator or the secretary may do this")
	ErrPhase            = errors.New("meeting: not allowed in this phase")
	ErrFinished         = errors.New("meeting: the meeting has ended")
	ErrInvalidText      = errors.New("meeting: invalid text")
	ErrInvalidItem      = errors.New("meeting: invalid agenda item")
	ErrDuplicateItem    = errors.New("meeting: already on the agenda")
	ErrUnknownItem      = errors.New("meeting: no such agenda item")
	ErrInvalidLink      = errors.New("meeting: invalid link")
	ErrAttendance       = errors.New("meeting: attendance not allowed")
	ErrUnchanged        = errors.New("meeting: nothing would change")
	ErrUnminuted        = errors.New("meeting: an agenda item has no minute")
	ErrNotPublished     = errors.New("meeting: the minutes are not published")
	ErrTimeOrder        = errors.New("meeting: act dated before the meeting's last event")
	ErrWrongMeeting     = errors.New("meeting: event belongs to another meeting")
	ErrInvalidEvent     = errors.New("meeting: invalid event")
	ErrUnknownEventType = errors.New("meeting: unknown event type")
	ErrNotConvened      = errors.New("meeting: meeting not convened")
)

// Error is the typed error of every refused act. Err is the sentinel it matches.
type Error struct {
	Act    string
	Err    error
	Detail string
}

func (e *Error) Error() string { return kernel.Message("meeting", e.Act, e.Err, e.Detail) }

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

// refuser is the enum.Refuse of the package: a bad enumeration text is
// [ErrInvalidEvent].
func refuser(act, detail string) error { return &Error{Act: act, Err: ErrInvalidEvent, Detail: detail} }
