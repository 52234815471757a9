package review

import (
	"github.com/coproduce/sociocracy/internal/enum"
)

// Kind is the kind of a review item. The zero value is invalid.
type Kind uint8

// The item kinds (GLOSSARY.md, "Reviews and feedback loops").
const (
	KindPolicyReview      Kind = 1 + iota // an adopted policy's review date
	KindTermEnd                           // the end of a role's term
	KindHelpingCircleEnd                  // the end date of a helping circle
	KindMeasureCheckpoint                 // a checkpoint of a measure attached to a policy
	KindEarlyReview                       // a policy re-opened early (consent withdrawn after adoption)
	KindCircleReview                      // a circle's regular review, on a recurring rule
	KindDeferredObjection                 // an objection deferred to a named owner and date
)

var kindNames = []string{"policy-review", "term-end", "helping-circle-end", "measure-checkpoint", "early-review", "circle-review", "deferred-objection"}

// Kinds lists every valid kind in order.
func Kinds() []Kind {
	return []Kind{KindPolicyReview, KindTermEnd, KindHelpingCircleEnd, KindMeasureCheckpoint, KindEarlyReview, KindCircleReview, KindDeferredObjection}
}

func (k Kind) String() string { return enum.Name(kindNames, "Kind", k) }

// Valid reports whether k is one of the constants.
func (k Kind) Valid() bool { return enum.Valid(kindNames, k) }

// MarshalText implements encoding.TextMarshaler; an invalid kind is an error.
func (k Kind) MarshalText() ([]byte, error) {
	if !k.Valid() {
		return nil, refuse("marshal kind", ErrInvalidKind, "%d is not an item kind", uint8(k))
	}
	return []byte(k.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *Kind) UnmarshalText(b []byte) error {
	v, ok := enum.Parse[Kind](kindNames, string(b))
	if !ok {
		return refuse("parse kind", ErrInvalidKind, "%q is not an item kind (want one of %v)", clip(string(b)), kindNames)
	}
	*k = v
	return nil
}

// Status is where an item stands. The zero value is invalid.
type Status uint8

// The item statuses.
const (
	StatusOpen     Status = 1 + iota // scheduled: it has a due date and shows in the queries
	StatusAmending                   // reviewed, and a consent process is amending the matter; no due date until it is scheduled again
	StatusRetired                    // no longer reviewed: retired by a review, or its source ended
)

var statusNames = []string{"open", "amending", "retired"}

func (s Status) String() string { return enum.Name(statusNames, "Status", s) }

// Valid reports whether s is one of the constants.
func (s Status) Valid() bool { return enum.Valid(statusNames, s) }

// MarshalText implements encoding.TextMarshaler.
func (s Status) MarshalText() ([]byte, error) {
	if !s.Valid() {
		return nil, refuse("marshal status", ErrInvalidEvent, "%d is not a status", uint8(s))
	}
	return []byte(s.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Status) UnmarshalText(b []byte) error {
	v, ok := enum.Parse[Status](statusNames, string(b))
	if !ok {
		return refuse("parse status", ErrInvalidEvent, "%q is not a status (want one of %v)", clip(string(b)), statusNames)
	}
	*s = v
	return nil
}

// Outcome is the result of a review (GLOSSARY.md: "A review re-opens the
// matter as a consent process: keep (new review date), amend, or retire").
// The zero value is invalid.
type Outcome uint8

// The review outcomes.
const (
	OutcomeKept    Outcome = 1 + iota // kept as it is, with a next review date
	OutcomeAmended                    // to be amended by a consent process
	OutcomeRetired                    // retired: no further reviews
)

var outcomeNames = []string{"kept", "amended", "retired"}

func (o Outcome) String() string { return enum.Name(outcomeNames, "Outcome", o) }

// Valid reports whether o is one of the constants.
func (o Outcome) Valid() bool { return enum.Valid(outcomeNames, o) }

// MarshalText implements encoding.TextMarshaler.
func (o Outcome) MarshalText() ([]byte, error) {
	if !o.Valid() {
		return nil, refuse("marshal outcome", ErrInvalidOutcome, "%d is not an outcome", uint8(o))
	}
	return []byte(o.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (o *Outcome) UnmarshalText(b []byte) error {
	v, ok := enum.Parse[Outcome](outcomeNames, string(b))
	if !ok {
		return refuse("parse outcome", ErrInvalidOutcome, "%q is not an outcome (want one of %v)", clip(string(b)), outcomeNames)
	}
	*o = v
	return nil
}

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
)

var sourceKindNames = []string{"decision", "assignment", "circle", "measure", "host"}

func (k SourceKind) String() string { return enum.Name(sourceKindNames, "SourceKind", k) }

// Valid reports whether k is one of the constants.
func (k SourceKind) Valid() bool { return enum.Valid(sourceKindNames, k) }

// MarshalText implements encoding.TextMarshaler.
func (k SourceKind) MarshalText() ([]byte, error) {
	if !k.Valid() {
		return nil, refuse("marshal source kind", ErrInvalidSource, "%d is not a source kind", uint8(k))
	}
	return []byte(k.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *SourceKind) UnmarshalText(b []byte) error {
	v, ok := enum.Parse[SourceKind](sourceKindNames, string(b))
	if !ok {
		return refuse("parse source kind", ErrInvalidSource, "%q is not a source kind (want one of %v)", clip(string(b)), sourceKindNames)
	}
	*k = v
	return nil
}

// Stage is the stage of a reminder. The zero value is invalid.
type Stage uint8

// The reminder stages, in the order an item passes through them.
const (
	StageAhead     Stage = 1 + iota // a lead time before the due date
	StageDue                        // the due instant has come
	StageEscalated                  // overdue beyond the grace period (see [Reminder.Level])
)

var stageNames = []string{"ahead", "due", "escalated"}

func (s Stage) String() string { return enum.Name(stageNames, "Stage", s) }

// Valid reports whether s is one of the constants.
func (s Stage) Valid() bool { return enum.Valid(stageNames, s) }

// MarshalText implements encoding.TextMarshaler.
func (s Stage) MarshalText() ([]byte, error) {
	if !s.Valid() {
		return nil, refuse("marshal stage", ErrInvalidEvent, "%d is not a reminder stage", uint8(s))
	}
	return []byte(s.String()), nil
}

// Freq is the unit of a recurrence [Rule]. The zero value is invalid.
type Freq uint8

// The recurrence units.
const (
	Weekly  Freq = 1 + iota // every N weeks
	Monthly                 // every N months
)

var freqNames = []string{"weekly", "monthly"}

func (f Freq) String() string { return enum.Name(freqNames, "Freq", f) }

// Valid reports whether f is one of the constants.
func (f Freq) Valid() bool { return enum.Valid(freqNames, f) }
