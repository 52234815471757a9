package review

import (
	"github.com/coproduce/sociocracy/internal/enum"
)

// Kind is the kind of a review item. The zero value is invalid.
type Kind uint8

// The item kinds (docs/method.md, "Reviews and feedback loops").
const (
	KindPolicyReview      Kind = 1 + iota // an adopted policy's review date
	KindTermEnd                           // the end of a role's term
	KindHelpingCircleEnd                  // the end date of a helping circle
	KindMeasureCheckpoint                 // a checkpoint of a measure attached to a policy
	KindEarlyReview                       // a policy re-opened early (consent withdrawn after adoption)
	KindCircleReview                      // a circle's regular review, on a recurring rule
	KindDeferredObjection                 // an objection deferred to a named owner and date
	KindMemberCondition                   // a membership condition that ends or has lapsed (package members), for the top circle to apply
	KindStuckDecision                     // a consent process stuck, or referred up to the parent circle
	KindEmergencyReview                   // an emergency decision whose consent process must be held
)

var kinds = enum.New[Kind]("Kind", "item kind", refuser(ErrInvalidKind),
	"policy-review", "term-end", "helping-circle-end", "measure-checkpoint", "early-review", "circle-review", "deferred-objection",
	"membership-condition", "stuck-decision", "emergency-review")

// Kinds lists every item kind in order.
func Kinds() []Kind { return kinds.Values() }

// String returns the text form.
func (k Kind) String() string { return kinds.Name(k) }

// Valid reports whether k is one of the constants.
func (k Kind) Valid() bool { return kinds.Valid(k) }

// MarshalText implements encoding.TextMarshaler; an invalid value is an error.
func (k Kind) MarshalText() ([]byte, error) { return kinds.MarshalText(k) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *Kind) UnmarshalText(b []byte) error { return kinds.UnmarshalText(b, k) }

// Status is where an item stands. The zero value is invalid.
type Status uint8

// The item statuses.
const (
	StatusOpen     Status = 1 + iota // scheduled: it has a due date and shows in the queries
	StatusAmending                   // reviewed, and a consent process is amending the matter; no due date until it is scheduled again
	StatusRetired                    // no longer reviewed: retired by a review, or its source ended
)

var statuses = enum.New[Status]("Status", "status", refuser(ErrInvalidEvent),
	"open", "amending", "retired")

// Statuses lists every status in order.
func Statuses() []Status { return statuses.Values() }

// String returns the text form.
func (s Status) String() string { return statuses.Name(s) }

// Valid reports whether s is one of the constants.
func (s Status) Valid() bool { return statuses.Valid(s) }

// MarshalText implements encoding.TextMarshaler; an invalid value is an error.
func (s Status) MarshalText() ([]byte, error) { return statuses.MarshalText(s) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Status) UnmarshalText(b []byte) error { return statuses.UnmarshalText(b, s) }

// Outcome is the result of a review (docs/method.md: "A review re-opens the
// matter as a consent process: keep (new review date), amend, or retire").
// The zero value is invalid.
type Outcome uint8

// The review outcomes.
const (
	OutcomeKept    Outcome = 1 + iota // kept as it is, with a next review date
	OutcomeAmended                    // to be amended by a consent process
	OutcomeRetired                    // retired: no further reviews
)

var outcomes = enum.New[Outcome]("Outcome", "outcome", refuser(ErrInvalidOutcome),
	"kept", "amended", "retired")

// Outcomes lists every outcome in order.
func Outcomes() []Outcome { return outcomes.Values() }

// String returns the text form.
func (o Outcome) String() string { return outcomes.Name(o) }

// Valid reports whether o is one of the constants.
func (o Outcome) Valid() bool { return outcomes.Valid(o) }

// MarshalText implements encoding.TextMarshaler; an invalid value is an error.
func (o Outcome) MarshalText() ([]byte, error) { return outcomes.MarshalText(o) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (o *Outcome) UnmarshalText(b []byte) error { return outcomes.UnmarshalText(b, o) }

// SourceKind says what kind of record an item comes from. The zero value is
// invalid.
type SourceKind uint8

// The source kinds.
const (
	SourceDecision   SourceKind = 1 + iota // an adopted consent decision (its ID)
	SourceAssignment                       // a role assignment (see [AssignmentSource])
	SourceCircle                           // a circle (its ID): helping-circle ends, regular reviews
	SourceMeasure                          // a measure attached to a decision (its ID)
	SourceHost                             // anything else the host keeps, by the host's own reference
	SourceMembership                       // a condition of a membership (see [MembershipSource])
)

var sourceKinds = enum.New[SourceKind]("SourceKind", "source kind", refuser(ErrInvalidSource),
	"decision", "assignment", "circle", "measure", "host", "membership")

// SourceKinds lists every source kind in order.
func SourceKinds() []SourceKind { return sourceKinds.Values() }

// String returns the text form.
func (k SourceKind) String() string { return sourceKinds.Name(k) }

// Valid reports whether k is one of the constants.
func (k SourceKind) Valid() bool { return sourceKinds.Valid(k) }

// MarshalText implements encoding.TextMarshaler; an invalid value is an error.
func (k SourceKind) MarshalText() ([]byte, error) { return sourceKinds.MarshalText(k) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *SourceKind) UnmarshalText(b []byte) error { return sourceKinds.UnmarshalText(b, k) }

// Stage is the stage of a reminder. The zero value is invalid.
type Stage uint8

// The reminder stages, in the order an item passes through them.
const (
	StageAhead     Stage = 1 + iota // a lead time before the due date
	StageDue                        // the due instant has come
	StageEscalated                  // overdue beyond the grace period (see [Reminder.Level])
)

var stages = enum.New[Stage]("Stage", "reminder stage", refuser(ErrInvalidEvent),
	"ahead", "due", "escalated")

// Stages lists every reminder stage in order.
func Stages() []Stage { return stages.Values() }

// String returns the text form.
func (s Stage) String() string { return stages.Name(s) }

// Valid reports whether s is one of the constants.
func (s Stage) Valid() bool { return stages.Valid(s) }

// MarshalText implements encoding.TextMarshaler; an invalid value is an error.
func (s Stage) MarshalText() ([]byte, error) { return stages.MarshalText(s) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Stage) UnmarshalText(b []byte) error { return stages.UnmarshalText(b, s) }

// Freq is the unit of a recurrence [Rule]. The zero value is invalid.
type Freq uint8

// The recurrence units.
const (
	Weekly  Freq = 1 + iota // every N weeks
	Monthly                 // every N months
)

var freqs = enum.New[Freq]("Freq", "recurrence unit", refuser(ErrInvalidRule),
	"weekly", "monthly")

// Freqs lists every recurrence unit in order.
func Freqs() []Freq { return freqs.Values() }

// String returns the text form.
func (f Freq) String() string { return freqs.Name(f) }

// Valid reports whether f is one of the constants.
func (f Freq) Valid() bool { return freqs.Valid(f) }

// MarshalText implements encoding.TextMarshaler; an invalid value is an error.
func (f Freq) MarshalText() ([]byte, error) { return freqs.MarshalText(f) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (f *Freq) UnmarshalText(b []byte) error { return freqs.UnmarshalText(b, f) }

// refuser returns the enum.Refuse of a sentinel.
func refuser(sentinel error) enum.Refuse {
	return func(act, detail string) error { return &Error{Act: act, Err: sentinel, Detail: detail} }
}
