package consent

import (
	"errors"
	"fmt"

	"github.com/coproduce/sociocracy/internal/enum"
	"github.com/coproduce/sociocracy/internal/kernel"
)

// Sentinels, one per failure a caller might handle. Every error an act or a
// [Round] method returns is an [*Error] that matches exactly one of these with
// [errors.Is].
var (
	ErrMissingID   = errors.New("consent: missing id")
	ErrInvalidText = errors.New("consent: invalid text")
	// Deprecated: a text that is too long is refused with ErrInvalidText in
	// every package; ErrReasonTooLong is the same value, kept so that old
	// callers still match.
	ErrReasonTooLong      = ErrInvalidText
	ErrMissingReason      = errors.New("consent: a reason is required")
	ErrInvalidPolicy      = errors.New("consent: invalid policy")
	ErrInvalidTime        = errors.New("consent: invalid time")
	ErrInvalidZone        = errors.New("consent: invalid time zone")
	ErrTimeOrder          = errors.New("consent: act dated before the process's last event")
	ErrInvalidParticipant = errors.New("consent: invalid participant list")
	ErrInvalidAnswer      = errors.New("consent: invalid answer kind")
	ErrPhase              = errors.New("consent: not allowed in this phase")
	ErrFinished           = errors.New("consent: the process has ended")
	ErrNotFacilitator     = errors.New("consent: only the facilitator may do this")
	ErrNotProposer        = errors.New("consent: only the proposer may do this")
	ErrNotParticipant     = errors.New("consent: not a participant")
	ErrNotObjector        = errors.New("consent: only the objector may withdraw an objection")
	ErrAlreadyAnswered    = errors.New("consent: already answered in this round")
	ErrAlreadyReacted     = errors.New("consent: already reacted")
	ErrReactionsSkipped   = errors.New("consent: the reaction round was skipped")
	ErrRoundNotOpen       = errors.New("consent: the round has not opened yet")
	ErrRoundClosed        = errors.New("consent: the round is closed")
	ErrAnswersLast        = errors.New("consent: this participant answers last")
	ErrNotAllowedByPolicy = errors.New("consent: not allowed by the circle's policy")
	ErrObjectionOpen      = errors.New("consent: an objection is open")
	ErrAwaitingAnswers    = errors.New("consent: participants have not answered")
	ErrNewRoundNeeded     = errors.New("consent: the proposal changed; a new consent round is needed")
	ErrNoObjection        = errors.New("consent: no such objection")
	ErrNotUnderstood      = errors.New("consent: the objection has not been understood yet")
	ErrAlreadyUnderstood  = errors.New("consent: the objection is already understood")
	ErrAlreadyTested      = errors.New("consent: the objection has already been tested")
	ErrObjectionClosed    = errors.New("consent: the objection is no longer open")
	ErrNoQuestion         = errors.New("consent: no such clarifying question")
	ErrQuestionAnswered   = errors.New("consent: the question has already been answered")
	ErrInvalidReviewDate  = errors.New("consent: invalid review date")
	ErrLazyWindowClosed   = errors.New("consent: the lazy-consent window is closed")
	ErrNotConsented       = errors.New("consent: the person did not consent to this decision")
	ErrSameCircle         = errors.New("consent: a proposal is referred to another circle")
	ErrWrongProcess       = errors.New("consent: event belongs to another process")
	ErrInvalidEvent       = errors.New("consent: invalid event")
	ErrUnknownEventType   = errors.New("consent: unknown event type")
	ErrNotStarted         = errors.New("consent: process not started")
	ErrInvariant          = errors.New("consent: invariant broken")
	ErrUnknownCircle      = errors.New("consent: unknown circle")
	ErrConsentRequired    = errors.New("consent: a join needs the consent of the people the circle supports")
	ErrNotStuck           = errors.New("consent: the process is not stuck")
	ErrNoMandate          = errors.New("consent: no mandate to answer for this person")
	ErrProxyLimit         = errors.New("consent: the proxy holds as many answers as the circle's policy allows")
)

// Error is the typed error of every refused act and failed decode. It names
// the act and carries a message a person can act on; Err is the sentinel it
// matches.
type Error struct {
	Act    string // the act or operation, e.g. "object"
	Err    error  // one of the package's sentinels
	Detail string // what was wrong, in plain words
}

func (e *Error) Error() string { return kernel.Message("consent", e.Act, e.Err, e.Detail) }

// Unwrap returns the sentinel.
func (e *Error) Unwrap() error { return e.Err }

func refuse(act string, sentinel error, format string, args ...any) *Error {
	return &Error{Act: act, Err: sentinel, Detail: fmt.Sprintf(format, args...)}
}

// refuseText is refuse without formatting, for the kernel's codec.
func refuseText(act string, sentinel error, detail string) error {
	return &Error{Act: act, Err: sentinel, Detail: detail}
}

// detailOf returns the plain message of err without package prefixes.
func detailOf(err error) string { return kernel.Plain(err, details) }

// details reads the plain detail of this package's errors.
var details = kernel.DetailOf(func(e *Error) string { return e.Detail })

// withAct renames the act of an *Error (a Round check reused by a process act).
func withAct(act string, err error) error {
	var e *Error
	if errors.As(err, &e) {
		c := *e
		c.Act = act
		return &c
	}
	return err
}

func clip(s string) string { return enum.Clip(s) }
