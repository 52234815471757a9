package assembly

import (
	"errors"
	"fmt"

	"github.com/coproduce/sociocracy/internal/kernel"
)

// Sentinels, one per failure a caller might handle.
var (
	ErrInvalidRules      = errors.New("assembly: invalid rules")
	ErrMissingID         = errors.New("assembly: missing id")
	ErrInvalidSpec       = errors.New("assembly: invalid meeting")
	ErrNotice            = errors.New("assembly: not enough notice")
	ErrNotMember         = errors.New("assembly: not a member of the organisation")
	ErrNotChair          = errors.New("assembly: only the chair may do this")
	ErrPhase             = errors.New("assembly: not allowed in this phase")
	ErrFinished          = errors.New("assembly: the meeting has ended")
	ErrInvalidText       = errors.New("assembly: invalid text")
	ErrUnknownResolution = errors.New("assembly: no such resolution")
	ErrResolutionPhase   = errors.New("assembly: not allowed at this stage of the resolution")
	ErrProxy             = errors.New("assembly: proxy not allowed")
	ErrProxyLimit        = errors.New("assembly: the holder holds as many proxies as the rules allow")
	ErrNotPresent        = errors.New("assembly: not present")
	ErrAlreadyPresent    = errors.New("assembly: already registered present")
	ErrNoQuorum          = errors.New("assembly: the meeting is not quorate")
	ErrObjectionOpen     = errors.New("assembly: an objection is open")
	ErrNoObjection       = errors.New("assembly: no open objection")
	ErrNoVote            = errors.New("assembly: the rules do not decide by vote")
	ErrAlreadyVoted      = errors.New("assembly: already voted")
	ErrNotEntitled       = errors.New("assembly: no vote to cast")
	ErrOpenResolution    = errors.New("assembly: a resolution is not decided")
	ErrTimeOrder         = errors.New("assembly: act dated before the meeting's last event")
	ErrWrongMeeting      = errors.New("assembly: event belongs to another meeting")
	ErrInvalidEvent      = errors.New("assembly: invalid event")
	ErrUnknownEventType  = errors.New("assembly: unknown event type")
	ErrNotCalled         = errors.New("assembly: meeting not called")
)

// Error is the typed error of every refused act. Err is the sentinel it matches.
type Error struct {
	Act    string
	Err    error
	Detail string
}

func (e *Error) Error() string { return kernel.Message("assembly", e.Act, e.Err, e.Detail) }

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
