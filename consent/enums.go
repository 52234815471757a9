package consent

import (
	"github.com/coproduce/sociocracy/internal/enum"
)

// AnswerKind is a participant's answer in a consent round. The zero value is
// invalid.
type AnswerKind uint8

// The answers a participant can give.
const (
	AnswerConsent    AnswerKind = 1 + iota // "I can live with it": consent
	AnswerConcern                          // consent, with a note that does not block (where policy allows)
	AnswerStandAside                       // neither consent nor objection, does not block (where policy allows)
	AnswerObject                           // a reasoned objection; blocks until resolved
)

var answers = enum.New[AnswerKind]("AnswerKind", "answer kind", refuser(ErrInvalidEvent),
	"consent", "concern", "stand-aside", "object")

// Answers lists every answer kind in order.
func Answers() []AnswerKind { return answers.Values() }

// ValidityRule says how a circle decides whether a stated objection counts
// (docs/method.md, "Objection validity"). The zero value is invalid.
type ValidityRule uint8

// The objection validity rules.
const (
	ValidityAllStated       ValidityRule = 1 + iota // every stated objection is valid (Sociocracy For All; the default)
	ValidityGroupTest                               // the group tests whether the argument qualifies (Sociocracy 3.0)
	ValidityFacilitatorTest                         // the facilitator tests the argument against fixed criteria and records the reasons (Holacracy)
)

var validities = enum.New[ValidityRule]("ValidityRule", "validity rule", refuser(ErrInvalidEvent),
	"all-stated", "group-test", "facilitator-test")

// ValidityRules lists every validity rule in order.
func ValidityRules() []ValidityRule { return validities.Values() }

// AbsenceRule says what the silence of a participant who did not answer
// means (docs/method.md, "Absent members"). The zero value is invalid.
type AbsenceRule uint8

// The absent-member rules.
const (
	AbsenceHold             AbsenceRule = 1 + iota // the decision waits until everyone has answered (the default)
	AbsenceLazyConsent                             // absentees may object within a window after the record is published
	AbsenceSilenceIsConsent                        // once the round has closed, silence counts as consent
)

var absences = enum.New[AbsenceRule]("AbsenceRule", "absence rule", refuser(ErrInvalidEvent),
	"hold", "lazy-consent", "silence-is-consent")

// AbsenceRules lists every absence rule in order.
func AbsenceRules() []AbsenceRule { return absences.Values() }

// ResolutionKind says how an objection stopped blocking. The zero value is
// invalid.
type ResolutionKind uint8

// The ways an objection is resolved.
const (
	ResolvedByAmendment   ResolutionKind = 1 + iota // the proposer amended the proposal
	ResolvedByShorterTerm                           // the proposer shortened the term (an earlier review date)
	ResolvedByMeasure                               // a measure watches the feared harm
	ResolvedByDeferral                              // deferred to a named owner and date
	ResolvedByWithdrawal                            // the objector withdrew it
	ResolvedAsNotValid                              // the validity test found it does not qualify (S3 or Holacracy policy only)
)

var resolutions = enum.New[ResolutionKind]("ResolutionKind", "resolution kind", refuser(ErrInvalidEvent),
	"amendment", "shorter-term", "measure", "deferral", "withdrawal", "not-valid")

// ResolutionKinds lists every resolution kind in order.
func ResolutionKinds() []ResolutionKind { return resolutions.Values() }

// ObjectionStatus is where an objection stands. The zero value is invalid.
type ObjectionStatus uint8

// The objection statuses.
const (
	ObjectionOpen     ObjectionStatus = 1 + iota // blocks adoption
	ObjectionResolved                            // resolved; see [Objection.Resolution]
	ObjectionSetAside                            // the objector left the circle; kept on record, no longer blocks
)

var objectionStatuses = enum.New[ObjectionStatus]("ObjectionStatus", "objection status", refuser(ErrInvalidEvent),
	"open", "resolved", "set-aside")

// ObjectionStatuses lists every objection status in order.
func ObjectionStatuses() []ObjectionStatus { return objectionStatuses.Values() }

// Result is the state of a consent round at a given time. The zero value
// is invalid.
type Result uint8

// The round results.
const (
	ResultPending   Result = 1 + iota // answers are still awaited
	ResultConsented                   // complete, and no objection is open
	ResultObjected                    // complete, or not, with at least one open objection
)

var results = enum.New[Result]("Result", "round result", refuser(ErrInvalidEvent),
	"pending", "consented", "objected")

// Results lists every round result in order.
func Results() []Result { return results.Values() }

// Phase is where a consent process stands. The zero value is invalid.
type Phase uint8

// The phases of a consent process, in their usual order. Withdrawn and
// Referred are terminal; Adopted is final except that an objection within
// a lazy-consent window reopens the decision.
const (
	PhaseDraft       Phase = 1 + iota // the proposer prepares the proposal
	PhasePresented                    // presented; clarifying questions and answers
	PhaseReactions                    // the quick reaction round (possibly skipped)
	PhaseConsent                      // a consent round is running
	PhaseIntegration                  // objections are being integrated
	PhaseAdopted                      // adopted: a decision record exists
	PhaseWithdrawn                    // withdrawn by the proposer
	PhaseReferred                     // referred to another circle
)

var phases = enum.New[Phase]("Phase", "phase", refuser(ErrInvalidEvent),
	"draft", "presented", "reactions", "consent", "integration", "adopted", "withdrawn", "referred")

// Phases lists every phase in order.
func Phases() []Phase { return phases.Values() }

// Ended reports whether no act can change a process in phase p (withdrawn
// or referred; an adopted decision may still be reopened under lazy
// consent). It is the word election.Phase uses too.
func (p Phase) Ended() bool { return p == PhaseWithdrawn || p == PhaseReferred }

// Terminal is [Phase.Ended].
//
// Deprecated: use Ended, the word every package uses.
func (p Phase) Terminal() bool { return p.Ended() }

// String returns the text form.
func (a AnswerKind) String() string { return answers.Name(a) }

// Valid reports whether a is one of the constants.
func (a AnswerKind) Valid() bool { return answers.Valid(a) }

// MarshalText implements encoding.TextMarshaler; an invalid value is an error.
func (a AnswerKind) MarshalText() ([]byte, error) { return answers.MarshalText(a) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (a *AnswerKind) UnmarshalText(b []byte) error { return answers.UnmarshalText(b, a) }

// String returns the text form.
func (v ValidityRule) String() string { return validities.Name(v) }

// Valid reports whether v is one of the constants.
func (v ValidityRule) Valid() bool { return validities.Valid(v) }

// MarshalText implements encoding.TextMarshaler; an invalid value is an error.
func (v ValidityRule) MarshalText() ([]byte, error) { return validities.MarshalText(v) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (v *ValidityRule) UnmarshalText(b []byte) error { return validities.UnmarshalText(b, v) }

// String returns the text form.
func (a AbsenceRule) String() string { return absences.Name(a) }

// Valid reports whether a is one of the constants.
func (a AbsenceRule) Valid() bool { return absences.Valid(a) }

// MarshalText implements encoding.TextMarshaler; an invalid value is an error.
func (a AbsenceRule) MarshalText() ([]byte, error) { return absences.MarshalText(a) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (a *AbsenceRule) UnmarshalText(b []byte) error { return absences.UnmarshalText(b, a) }

// String returns the text form.
func (r ResolutionKind) String() string { return resolutions.Name(r) }

// Valid reports whether r is one of the constants.
func (r ResolutionKind) Valid() bool { return resolutions.Valid(r) }

// MarshalText implements encoding.TextMarshaler; an invalid value is an error.
func (r ResolutionKind) MarshalText() ([]byte, error) { return resolutions.MarshalText(r) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (r *ResolutionKind) UnmarshalText(b []byte) error { return resolutions.UnmarshalText(b, r) }

// String returns the text form.
func (s ObjectionStatus) String() string { return objectionStatuses.Name(s) }

// Valid reports whether s is one of the constants.
func (s ObjectionStatus) Valid() bool { return objectionStatuses.Valid(s) }

// MarshalText implements encoding.TextMarshaler; an invalid value is an error.
func (s ObjectionStatus) MarshalText() ([]byte, error) { return objectionStatuses.MarshalText(s) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *ObjectionStatus) UnmarshalText(b []byte) error { return objectionStatuses.UnmarshalText(b, s) }

// String returns the text form.
func (o Result) String() string { return results.Name(o) }

// Valid reports whether o is one of the constants.
func (o Result) Valid() bool { return results.Valid(o) }

// MarshalText implements encoding.TextMarshaler; an invalid value is an error.
func (o Result) MarshalText() ([]byte, error) { return results.MarshalText(o) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (o *Result) UnmarshalText(b []byte) error { return results.UnmarshalText(b, o) }

// String returns the text form.
func (p Phase) String() string { return phases.Name(p) }

// Valid reports whether p is one of the constants.
func (p Phase) Valid() bool { return phases.Valid(p) }

// MarshalText implements encoding.TextMarshaler; an invalid value is an error.
func (p Phase) MarshalText() ([]byte, error) { return phases.MarshalText(p) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (p *Phase) UnmarshalText(b []byte) error { return phases.UnmarshalText(b, p) }

// refuser returns the enum.Refuse of a sentinel.
func refuser(sentinel error) enum.Refuse {
	return func(act, detail string) error { return &Error{Act: act, Err: sentinel, Detail: detail} }
}

// Outcome is the earlier name of [Result].
//
// Deprecated: use [Result]. In this library an outcome is what a process
// came to (election.Outcome, review.Outcome); where a round stands
// while it runs is its result.
type Outcome = Result

// The earlier names of the round results.
//
// Deprecated: use [ResultPending], [ResultConsented] and [ResultObjected].
const (
	OutcomePending   = ResultPending
	OutcomeConsented = ResultConsented
	OutcomeObjected  = ResultObjected
)

// Outcomes is the earlier name of [Results].
//
// Deprecated: use [Results].
func Outcomes() []Result { return Results() }
