package linking

import (
	"errors"
	"fmt"

	"github.com/coproduce/sociocracy/internal/kernel"
)

// Sentinels, one per failure a caller might handle. Every error the package
// returns is an [*Error] that matches exactly one of these with [errors.Is].
var (
	ErrNoOrganisation = errors.New("linking: no organisation")
	ErrInvalidPolicy  = errors.New("linking: invalid policy")
	ErrUnknownCircle  = errors.New("linking: unknown circle")
	ErrTopCircle      = errors.New("linking: the top circle has no links")
	ErrNotALink       = errors.New("linking: role is not a link role")
	ErrInvalidCode    = errors.New("linking: invalid enumeration text")
)

// Error is the typed error of the package. It names the operation and
// carries a message a person can act on; Err is the sentinel it matches.
type Error struct {
	Op     string // the operation, e.g. "check links" or "feedback path"
	Err    error  // one of the package's sentinels
	Detail string // what was wrong, in plain words
}

func (e *Error) Error() string { return kernel.Message("linking", e.Op, e.Err, e.Detail) }

// Unwrap returns the sentinel.
func (e *Error) Unwrap() error { return e.Err }

func fail(op string, sentinel error, format string, args ...any) *Error {
	return &Error{Op: op, Err: sentinel, Detail: fmt.Sprintf(format, args...)}
}
