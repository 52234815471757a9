package election

import (
	"errors"
	"fmt"

	"github.com/coproduce/sociocracy/internal/kernel"
)

// Sentinels, one per failure a caller might handle. Rules of a consent round
// (only participants answer, the nominee answers last, deadlines, reasons)
// are refused with the consent package's sentinels.
var (
	ErrMissingID        = errors.New("election: missing id")
	ErrInvalidSpec      = errors.New("election: invalid election")
	ErrUnknownCircle    = errors.New("election: unknown circle")
	ErrNoParent         = errors.New("election: the top circle has no parent to send a delegate to")
	ErrPhase            = errors.New("election: not allowed in this phase")
	ErrFinished         = errors.New("election: the election has ended")
	ErrNotFacilitator   = errors.New("election: only the facilitator may do this")
	ErrNotParticipant   = errors.New("election: not a participant")
	ErrAlreadyNominated = errors.New("election: already nominated")
	ErrNotEligible      = errors.New("election: not eligible for the role")
	ErrPassNotAllowed   = errors.New("election: passing is not allowed by the policy")
	ErrMissingReason    = errors.New("election: a reason is required")
	ErrInvalidText      = errors.New("election: invalid text")
	ErrUnchanged        = errors.New("election: the nomination is unchanged")
	ErrNotNominated     = errors.New("election: the person was not nominated")
	ErrDeclined         = errors.New("election: the person declined")
	ErrNotNominee       = errors.New("election: only the nominee may do this")
	ErrTieRule          = errors.New("election: the proposal does not follow the tie rule")
	ErrInvalidTerm      = errors.New("election: invalid term")
	ErrNotConsented     = errors.New("election: consent is not complete")
	ErrTimeOrder        = errors.New("election: act dated before the election's last event")
	ErrWrongElection    = errors.New("election: event belongs to another election")
	ErrInvalidEvent     = errors.New("election: invalid event")
	ErrUnknownEventType = errors.New("election: unknown event type")
	ErrNotCalled        = errors.New("election: election not called")
)

// Error is the typed error of every refused act. Err is the sentinel it matches.
type Error struct {
	Act    string
	Err    error
	Detail string
}

func (e *Error) Error() string { return kernel.Message("election", e.Act, e.Err, e.Detail) }

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
