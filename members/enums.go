package members

import "github.com/coproduce/sociocracy/internal/enum"

// ConditionKind is a condition a membership depends on, which can lapse.
// The zero value is invalid.
type ConditionKind uint8

// The membership conditions (docs/method.md, "Member register").
const (
	ConditionSupport    ConditionKind = 1 + iota // a supported member: while the co-op supports them
	ConditionInvestment                          // an investor member: while their investment is held
	ConditionWork                                // a worker member: while they work for the co-op
)

var conditionKinds = enum.New[ConditionKind]("ConditionKind", "membership condition", refuser(ErrInvalidCondition),
	"support", "investment", "work")

// ConditionKinds lists every condition kind in order.
func ConditionKinds() []ConditionKind { return conditionKinds.Values() }

// String returns the text form.
func (k ConditionKind) String() string { return conditionKinds.Name(k) }

// Valid reports whether k is one of the constants.
func (k ConditionKind) Valid() bool { return conditionKinds.Valid(k) }

// MarshalText implements encoding.TextMarshaler; an invalid value is an error.
func (k ConditionKind) MarshalText() ([]byte, error) { return conditionKinds.MarshalText(k) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *ConditionKind) UnmarshalText(b []byte) error { return conditionKinds.UnmarshalText(b, k) }

// Act names an act on the member register, for [Register.Allowed]. The
// zero value is invalid.
type Act uint8

// The acts, one per method of [Register].
const (
	ActAdmit          Act = 1 + iota // [Register.Admit]
	ActCease                         // [Register.Cease]
	ActSetShares                     // [Register.SetShares]
	ActSetCondition                  // [Register.SetCondition]
	ActLapseCondition                // [Register.LapseCondition]
	ActClearCondition                // [Register.ClearCondition]
)

var acts = enum.New[Act]("Act", "act", refuser(ErrInvalidEvent),
	"admit", "cease", "set-shares", "set-condition", "lapse-condition", "clear-condition")

// Acts lists every act in order.
func Acts() []Act { return acts.Values() }

// String returns the text form.
func (a Act) String() string { return acts.Name(a) }

// Valid reports whether a is one of the constants.
func (a Act) Valid() bool { return acts.Valid(a) }

// MarshalText implements encoding.TextMarshaler; an invalid value is an error.
func (a Act) MarshalText() ([]byte, error) { return acts.MarshalText(a) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (a *Act) UnmarshalText(b []byte) error { return acts.UnmarshalText(b, a) }
