package agreement

import "github.com/coproduce/sociocracy/internal/enum"

// Change is how a version of an agreement came about. The zero value is
// invalid.
type Change uint8

// The changes (docs/method.md, "Policy register").
const (
	ChangeAdopted  Change = 1 + iota // a decision adopted a new agreement (or adopted it again after it was reopened)
	ChangeAmended                    // a review amended it: new title or text
	ChangeKept                       // a review kept it: the same title and text, a new review date
	ChangeRestored                   // the decision of the next version was reopened by a late objection: this version is back in force
)

var changes = enum.New[Change]("Change", "change", refuser(ErrInvalidChange),
	"adopted", "amended", "kept", "restored")

// Changes lists every change in order.
func Changes() []Change { return changes.Values() }

// String returns the text form.
func (c Change) String() string { return changes.Name(c) }

// Valid reports whether c is one of the constants.
func (c Change) Valid() bool { return changes.Valid(c) }

// MarshalText implements encoding.TextMarshaler; an invalid value is an error.
func (c Change) MarshalText() ([]byte, error) { return changes.MarshalText(c) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (c *Change) UnmarshalText(b []byte) error { return changes.UnmarshalText(b, c) }

// State is where an agreement stands now. The zero value is invalid.
type State uint8

// The states of an agreement.
const (
	StateInForce  State = 1 + iota // its latest version is in force
	StateRetired                   // a review retired it, or its circle was dissolved
	StateReopened                  // its only decision was reopened by a late objection: nothing is in force until it is adopted again
)

var states = enum.New[State]("State", "state", refuser(ErrInvalidEvent),
	"in-force", "retired", "reopened")

// States lists every state in order.
func States() []State { return states.Values() }

// String returns the text form.
func (s State) String() string { return states.Name(s) }

// Valid reports whether s is one of the constants.
func (s State) Valid() bool { return states.Valid(s) }

// MarshalText implements encoding.TextMarshaler; an invalid value is an error.
func (s State) MarshalText() ([]byte, error) { return states.MarshalText(s) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *State) UnmarshalText(b []byte) error { return states.UnmarshalText(b, s) }
