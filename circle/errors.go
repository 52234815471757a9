package circle

import (
	"errors"
	"fmt"

	"github.com/coproduce/sociocracy/internal/kernel"
)

// Sentinels, one per failure a caller might handle. Every error an act
// returns is an [*Error] that matches exactly one of these with [errors.Is].
var (
	ErrInvalidID            = errors.New("circle: invalid id")
	ErrMissingID            = errors.New("circle: missing id")
	ErrInvalidText          = errors.New("circle: invalid text")
	ErrInvalidZone          = errors.New("circle: invalid time zone")
	ErrInvalidKind          = errors.New("circle: invalid circle kind")
	ErrInvalidClass         = errors.New("circle: invalid stakeholder class")
	ErrInvalidRole          = errors.New("circle: invalid role")
	ErrInvalidTerm          = errors.New("circle: invalid term")
	ErrInvalidDomainKey     = errors.New("circle: invalid domain key")
	ErrInvalidAdvocacy      = errors.New("circle: invalid advocacy")
	ErrInvalidMandate       = errors.New("circle: invalid mandate")
	ErrInvalidParticipation = errors.New("circle: invalid participation class")
	ErrDuplicateMandate     = errors.New("circle: mandate already exists")
	ErrUnknownMandate       = errors.New("circle: unknown or revoked mandate")
	ErrNotPrincipal         = errors.New("circle: only the person answered for may do this")
	ErrUnknownActor         = errors.New("circle: actor is not a person of the organisation")
	ErrUnknownPerson        = errors.New("circle: unknown person")
	ErrUnknownCircle        = errors.New("circle: unknown circle")
	ErrDuplicatePerson      = errors.New("circle: person already exists")
	ErrDuplicateCircle      = errors.New("circle: circle already exists")
	ErrCycle                = errors.New("circle: circles would form a cycle")
	ErrTopCircle            = errors.New("circle: not allowed on the top circle")
	ErrHasChildren          = errors.New("circle: circle has child circles")
	ErrDomainOutside        = errors.New("circle: domain key outside the parent's domain")
	ErrDomainOverlap        = errors.New("circle: domain key overlaps a sibling's domain")
	ErrDomainHeld           = errors.New("circle: domain key already held")
	ErrDomainNotHeld        = errors.New("circle: domain key not held")
	ErrAlreadyMember        = errors.New("circle: already a member")
	ErrNotMember            = errors.New("circle: not a member")
	ErrLeaderIsDelegate     = errors.New("circle: leader and delegate must be different people")
	ErrRoleVacant           = errors.New("circle: role is vacant")
	ErrWrongOrganisation    = errors.New("circle: event belongs to another organisation")
	ErrNotFounded           = errors.New("circle: organisation not founded")
	ErrInvalidEvent         = errors.New("circle: invalid event")
	ErrTimeOrder            = errors.New("circle: act dated before the organisation's latest event")
	ErrInvalidDocument      = errors.New("circle: invalid organisation document")
	ErrInvariant            = errors.New("circle: invariant broken")
	ErrUnknownEventType     = errors.New("circle: unknown event type")
	ErrDomainKeyCollision   = errors.New("circle: domain keys of one circle overlap")
)

// Error is the typed error of every refused act and failed decode. It names
// the act and carries a message a person can act on; Err is the sentinel it
// matches.
type Error struct {
	Act    string // the act or operation, e.g. "add member"
	Err    error  // one of the package's sentinels
	Detail string // what was wrong, in plain words
}

func (e *Error) Error() string { return kernel.Message("circle", e.Act, e.Err, e.Detail) }

// Unwrap returns the sentinel.
func (e *Error) Unwrap() error { return e.Err }

func refuse(act string, sentinel error, format string, args ...any) *Error {
	return &Error{Act: act, Err: sentinel, Detail: fmt.Sprintf(format, args...)}
}

// refuseText is refuse without formatting, for the kernel's codec and enums.
func refuseText(act string, sentinel error, detail string) error {
	return &Error{Act: act, Err: sentinel, Detail: detail}
}

// details reads the plain detail of this package's errors.
var details = kernel.DetailOf(func(e *Error) string { return e.Detail })

// detail returns the plain message of err without package prefixes: the
// Detail of every *Error inside it (joined errors included), or its text.
func detail(err error) string { return kernel.Plain(err, details) }
