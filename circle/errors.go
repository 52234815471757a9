package circle

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinels, one per failure a caller might handle. Every error an act
// returns is an [*Error] that matches exactly one of these with [errors.Is].
var (
	ErrInvalidID          = errors.New("circle: invalid id")
	ErrMissingID          = errors.New("circle: missing id")
	ErrInvalidText        = errors.New("circle: invalid text")
	ErrInvalidZone        = errors.New("circle: invalid time zone")
	ErrInvalidKind        = errors.New("circle: invalid circle kind")
	ErrInvalidClass       = errors.New("circle: invalid stakeholder class")
	ErrInvalidRole        = errors.New("circle: invalid role")
	ErrInvalidTerm        = errors.New("circle: invalid term")
	ErrInvalidDomainKey   = errors.New("circle: invalid domain key")
	ErrInvalidAdvocacy    = errors.New("circle: invalid advocacy")
	ErrUnknownActor       = errors.New("circle: actor is not a person of the organisation")
	ErrUnknownPerson      = errors.New("circle: unknown person")
	ErrUnknownCircle      = errors.New("circle: unknown circle")
	ErrDuplicatePerson    = errors.New("circle: person already exists")
	ErrDuplicateCircle    = errors.New("circle: circle already exists")
	ErrCycle              = errors.New("circle: circles would form a cycle")
	ErrTopCircle          = errors.New("circle: not allowed on the top circle")
	ErrHasChildren        = errors.New("circle: circle has child circles")
	ErrDomainOutside      = errors.New("circle: domain key outside the parent's domain")
	ErrDomainOverlap      = errors.New("circle: domain key overlaps a sibling's domain")
	ErrDomainHeld         = errors.New("circle: domain key already held")
	ErrDomainNotHeld      = errors.New("circle: domain key not held")
	ErrAlreadyMember      = errors.New("circle: already a member")
	ErrNotMember          = errors.New("circle: not a member")
	ErrLeaderIsDelegate   = errors.New("circle: leader and delegate must be different people")
	ErrRoleVacant         = errors.New("circle: role is vacant")
	ErrWrongOrganisation  = errors.New("circle: event belongs to another organisation")
	ErrNotFounded         = errors.New("circle: organisation not founded")
	ErrInvalidEvent       = errors.New("circle: invalid event")
	ErrInvalidDocument    = errors.New("circle: invalid organisation document")
	ErrInvariant          = errors.New("circle: invariant broken")
	ErrUnknownEventType   = errors.New("circle: unknown event type")
	ErrDomainKeyCollision = errors.New("circle: domain keys of one circle overlap")
)

// Error is the typed error of every refused act and failed decode. It names
// the act and carries a message a person can act on; Err is the sentinel it
// matches.
type Error struct {
	Act    string // the act or operation, e.g. "add member"
	Err    error  // one of the package's sentinels
	Detail string // what was wrong, in plain words
}

func (e *Error) Error() string {
	if e.Detail == "" {
		return fmt.Sprintf("circle: %s: %s", e.Act, trimPkg(e.Err.Error()))
	}
	return fmt.Sprintf("circle: %s: %s", e.Act, e.Detail)
}

// Unwrap returns the sentinel.
func (e *Error) Unwrap() error { return e.Err }

func refuse(act string, sentinel error, format string, args ...any) *Error {
	return &Error{Act: act, Err: sentinel, Detail: fmt.Sprintf(format, args...)}
}

func trimPkg(s string) string {
	const p = "circle: "
	if len(s) > len(p) && s[:len(p)] == p {
		return s[len(p):]
	}
	return s
}

// detail returns the plain message of err without package prefixes: the
// Detail of every *Error inside it (joined errors included), or its text.
func detail(err error) string {
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		var parts []string
		for _, e := range joined.Unwrap() {
			parts = append(parts, detail(e))
		}
		return strings.Join(parts, "; ")
	}
	var ce *Error
	if errors.As(err, &ce) && ce.Detail != "" {
		return ce.Detail
	}
	return trimPkg(err.Error())
}
