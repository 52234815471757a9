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
	// policy's minimum for the circle's kind.
	CodeTooFewLinks
	// CodeHelpingCircleEnded: a helping circle is past its end date.
	CodeHelpingCircleEnded
	// CodeMissingStakeholder: a co-production [CoverageRule] is not met.
	CodeMissingStakeholder
)

var codeNames = []string{
	"no-leader", "no-delegate", "leader-is-delegate", "link-not-member-of-circle",
	"link-not-member-of-parent", "link-term-ended", "too-few-links", "helping-circle-ended",
	"missing-stakeholder",
}

// Codes lists every valid code in order.
func Codes() []Code {
	out := make([]Code, len(codeNames))
	for i := range out {
		out[i] = Code(i + 1)
	}
	return out
}

func (c Code) String() string { return enum.Name(codeNames, "Code", c) }

// Valid reports whether c is one of the constants.
func (c Code) Valid() bool { return enum.Valid(codeNames, c) }

// MarshalText implements encoding.TextMarshaler; an invalid code is an error.
func (c Code) MarshalText() ([]byte, error) {
	if !c.Valid() {
		return nil, fail("marshal code", ErrInvalidCode, "%d is not a violation code", uint8(c))
	}
	return []byte(c.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (c *Code) UnmarshalText(b []byte) error {
	v, ok := enum.Parse[Code](codeNames, string(b))
	if !ok {
		return fail("parse code", ErrInvalidCode, "%q is not a violation code (want one of %v)", clip(string(b)), codeNames)
	}
	*c = v
	return nil
}

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

var linkStateNames = []string{"working", "vacant", "not-member-of-circle", "not-member-of-parent", "term-ended"}

func (s LinkState) String() string { return enum.Name(linkStateNames, "LinkState", s) }

// Valid reports whether s is one of the constants.
func (s LinkState) Valid() bool { return enum.Valid(linkStateNames, s) }

// MarshalText implements encoding.TextMarshaler.
func (s LinkState) MarshalText() ([]byte, error) {
	if !s.Valid() {
		return nil, fail("marshal link state", ErrInvalidCode, "%d is not a link state", uint8(s))
	}
	return []byte(s.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *LinkState) UnmarshalText(b []byte) error {
	v, ok := enum.Parse[LinkState](linkStateNames, string(b))
	if !ok {
		return fail("parse link state", ErrInvalidCode, "%q is not a link state (want one of %v)", clip(string(b)), linkStateNames)
	}
	*s = v
	return nil
}

// Direction is the way a [Hop] of a feedback path goes. The zero value is
// invalid.
type Direction uint8

// The directions.
const (
	Up   Direction = 1 + iota // from a circle to its parent: carried by the circle's delegate
	Down                      // from a circle to a child: carried by the child's leader
)

var directionNames = []string{"up", "down"}

func (d Direction) String() string { return enum.Name(directionNames, "Direction", d) }

// Valid reports whether d is one of the constants.
func (d Direction) Valid() bool { return enum.Valid(directionNames, d) }

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
func (d Direction) MarshalText() ([]byte, error) {
	if !d.Valid() {
		return nil, fail("marshal direction", ErrInvalidCode, "%d is not a direction", uint8(d))
	}
	return []byte(d.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Direction) UnmarshalText(b []byte) error {
	v, ok := enum.Parse[Direction](directionNames, string(b))
	if !ok {
		return fail("parse direction", ErrInvalidCode, "%q is not a direction (want up or down)", clip(string(b)))
	}
	*d = v
	return nil
}

func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "..."
	}
	return s
}

var _ fmt.Stringer = Code(0)
