package linking

import (
	"fmt"

	"github.com/coproduce/sociocracy/internal/enum"
)

// Code names what is wrong in a [Violation]. Codes are stored and marshalled
// as text ("no-delegate"); the zero value is invalid.
type Code uint8

// The violation codes, in the order a report lists them within one circle.
const (
	// CodeNoLeader: the circle has no leader, and its kind's rule requires one.
	CodeNoLeader Code = 1 + iota
	// CodeNoDelegate: the circle has no delegate, and its kind's rule requires one.
	CodeNoDelegate
	// CodeLeaderIsDelegate: one person holds both link roles of the circle.
	CodeLeaderIsDelegate
	// CodeNotMemberOfCircle: a leader or delegate is not a member of the
	// circle they link. Acts of package circle never allow this; it is
	// reported for organisations built from inconsistent state.
	CodeNotMemberOfCircle
	// CodeNotMemberOfParent: a leader or delegate is not a member of the
	// parent circle.
	CodeNotMemberOfParent
	// CodeLinkTermEnded: the term of a leader or delegate has ended.
	CodeLinkTermEnded
	// CodeTooFewLinks: fewer distinct working linking people than the
	// policy's minimum for the circle's kind, for a reason no other
	// violation of the circle names (each fault is reported once: a vacant
	// required role, a link held by someone outside a circle or out of term,
	// and one person in both roles are reported by their own codes).
	CodeTooFewLinks
	// CodeHelpingCircleEnded: a helping circle is past its end date.
	CodeHelpingCircleEnded
	// CodeMissingStakeholder: a co-production [CoverageRule] is not met.
	CodeMissingStakeholder
)

var codes = enum.New[Code]("Code", "violation code", refuser,
	"no-leader", "no-delegate", "leader-is-delegate", "link-not-member-of-circle",
	"link-not-member-of-parent", "link-term-ended", "too-few-links", "helping-circle-ended",
	"missing-stakeholder")

// Codes lists every valid code in order.
func Codes() []Code { return codes.Values() }

func (c Code) String() string { return codes.Name(c) }

// Valid reports whether c is one of the constants.
func (c Code) Valid() bool { return codes.Valid(c) }

// MarshalText implements encoding.TextMarshaler; an invalid code is an error.
func (c Code) MarshalText() ([]byte, error) { return codes.MarshalText(c) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (c *Code) UnmarshalText(b []byte) error { return codes.UnmarshalText(b, c) }

// refuser is the enum.Refuse of the package: every bad enumeration text is
// [ErrInvalidCode].
func refuser(op, detail string) error { return &Error{Op: op, Err: ErrInvalidCode, Detail: detail} }

// LinkState says whether a link role of a circle works: held, for a term
// that has not ended, by a member of both the circle and its parent. The
// zero value is invalid.
type LinkState uint8

// The link states. A link that is broken in several ways reports the first
// of them in this order.
const (
	LinkWorking          LinkState = 1 + iota // held, in term, by a member of both circles
	LinkVacant                                // nobody holds the role
	LinkNotInCircle                           // the holder is not a member of the circle
	LinkNotInParent                           // the holder is not a member of the parent circle
	LinkTermEnded                             // the holder's term has ended
	LinkSharedWithLeader                      // the delegate is also the leader: one person, not two links
)

var linkStates = enum.New[LinkState]("LinkState", "link state", refuser,
	"working", "vacant", "not-member-of-circle", "not-member-of-parent", "term-ended", "shared-with-leader")

// LinkStates lists every valid link state in order.
func LinkStates() []LinkState { return linkStates.Values() }

func (s LinkState) String() string { return linkStates.Name(s) }

// Valid reports whether s is one of the constants.
func (s LinkState) Valid() bool { return linkStates.Valid(s) }

// MarshalText implements encoding.TextMarshaler.
func (s LinkState) MarshalText() ([]byte, error) { return linkStates.MarshalText(s) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *LinkState) UnmarshalText(b []byte) error { return linkStates.UnmarshalText(b, s) }

// Direction is the way a [Hop] of a feedback path goes. The zero value is
// invalid.
type Direction uint8

// The directions.
const (
	Up   Direction = 1 + iota // from a circle to its parent: carried by the circle's delegate
	Down                      // from a circle to a child: carried by the child's leader
)

var directions = enum.New[Direction]("Direction", "direction", refuser, "up", "down")

// Directions lists both directions.
func Directions() []Direction { return directions.Values() }

func (d Direction) String() string { return directions.Name(d) }

// Valid reports whether d is one of the constants.
func (d Direction) Valid() bool { return directions.Valid(d) }

// Reverse returns the opposite direction.
func (d Direction) Reverse() Direction {
	switch d {
	case Up:
		return Down
	case Down:
		return Up
	}
	return d
}

// MarshalText implements encoding.TextMarshaler.
func (d Direction) MarshalText() ([]byte, error) { return directions.MarshalText(d) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Direction) UnmarshalText(b []byte) error { return directions.UnmarshalText(b, d) }

func clip(s string) string { return enum.Clip(s) }

var _ fmt.Stringer = Code(0)
