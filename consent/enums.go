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

var answerNames = []string{"consent", "concern", "stand_aside", "object"}

// ValidityRule says how a circle decides whether a stated objection counts
// (GLOSSARY.md, "Objection validity"). The zero value is invalid.
type ValidityRule uint8

// The objection validity rules.
const (
	ValidityAllStated       ValidityRule = 1 + iota // every stated objection is valid (Sociocracy For All; the default)
	ValidityGroupTest                               // the group tests whether the argument qualifies (Sociocracy 3.0)
	ValidityFacilitatorTest                         // the facilitator tests the argument against fixed criteria and records the reasons (Holacracy)
)

var validityNames = []string{"all_stated", "group_test", "facilitator_test"}

// AbsenceRule says what the silence of a participant who did not answer
// means (GLOSSARY.md, "Absent members"). The zero value is invalid.
type AbsenceRule uint8

// The absent-member rules.
const (
	AbsenceHold             AbsenceRule = 1 + iota // the decision waits until everyone has answered (the default)
	AbsenceLazyConsent                             // absentees may object within a window after the record is published
	AbsenceSilenceIsConsent                        // once the round has closed, silence counts as consent
)

var absenceNames = []string{"hold", "lazy_consent", "silence_is_consent"}

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

var resolutionNames = []string{"amendment", "shorter_term", "measure", "deferral", "withdrawal", "not_valid"}

// ObjectionStatus is where an objection stands. The zero value is invalid.
type ObjectionStatus uint8

// The objection statuses.
const (
	ObjectionOpen     ObjectionStatus = 1 + iota // blocks adoption
	ObjectionResolved                            // resolved; see [Objection.Resolution]
	ObjectionSetAside                            // the objector left the circle; kept on record, no longer blocks
)

var objectionStatusNames = []string{"open", "resolved", "set_aside"}

// Outcome is the state of a consent round at a given time. The zero value
// is invalid.
type Outcome uint8

// The round outcomes.
const (
	OutcomePending   Outcome = 1 + iota // answers are still awaited
	OutcomeConsented                    // complete, and no objection is open
	OutcomeObjected                     // complete, or not, with at least one open objection
)

var outcomeNames = []string{"pending", "consented", "objected"}

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

var phaseNames = []string{"draft", "presented", "reactions", "consent", "integration", "adopted", "withdrawn", "referred"}

// Terminal reports whether no act can change a process in phase p.
func (p Phase) Terminal() bool { return p == PhaseWithdrawn || p == PhaseReferred }

// String returns the text form.
func (a AnswerKind) String() string { return enum.Name(answerNames, "AnswerKind", a) }

// String returns the text form.
func (v ValidityRule) String() string { return enum.Name(validityNames, "ValidityRule", v) }

// String returns the text form.
func (a AbsenceRule) String() string { return enum.Name(absenceNames, "AbsenceRule", a) }

// String returns the text form.
func (r ResolutionKind) String() string { return enum.Name(resolutionNames, "ResolutionKind", r) }

// String returns the text form.
func (s ObjectionStatus) String() string {
	return enum.Name(objectionStatusNames, "ObjectionStatus", s)
}

// String returns the text form.
func (o Outcome) String() string { return enum.Name(outcomeNames, "Outcome", o) }

// String returns the text form.
func (p Phase) String() string { return enum.Name(phaseNames, "Phase", p) }

// Valid reports whether a is one of the constants.
func (a AnswerKind) Valid() bool { return enum.Valid(answerNames, a) }

// Valid reports whether v is one of the constants.
func (v ValidityRule) Valid() bool { return enum.Valid(validityNames, v) }

// Valid reports whether a is one of the constants.
func (a AbsenceRule) Valid() bool { return enum.Valid(absenceNames, a) }

// Valid reports whether r is one of the constants.
func (r ResolutionKind) Valid() bool { return enum.Valid(resolutionNames, r) }

// Valid reports whether s is one of the constants.
func (s ObjectionStatus) Valid() bool { return enum.Valid(objectionStatusNames, s) }

// Valid reports whether o is one of the constants.
func (o Outcome) Valid() bool { return enum.Valid(outcomeNames, o) }

// Valid reports whether p is one of the constants.
func (p Phase) Valid() bool { return enum.Valid(phaseNames, p) }

// MarshalText implements encoding.TextMarshaler; invalid values are an error.
func (a AnswerKind) MarshalText() ([]byte, error) { return marshalEnum(answerNames, "answer kind", a) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (a *AnswerKind) UnmarshalText(b []byte) error {
	return unmarshalEnum(answerNames, "answer kind", b, a)
}

// MarshalText implements encoding.TextMarshaler; invalid values are an error.
func (v ValidityRule) MarshalText() ([]byte, error) {
	return marshalEnum(validityNames, "validity rule", v)
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (v *ValidityRule) UnmarshalText(b []byte) error {
	return unmarshalEnum(validityNames, "validity rule", b, v)
}

// MarshalText implements encoding.TextMarshaler; invalid values are an error.
func (a AbsenceRule) MarshalText() ([]byte, error) {
	return marshalEnum(absenceNames, "absence rule", a)
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (a *AbsenceRule) UnmarshalText(b []byte) error {
	return unmarshalEnum(absenceNames, "absence rule", b, a)
}

// MarshalText implements encoding.TextMarshaler; invalid values are an error.
func (r ResolutionKind) MarshalText() ([]byte, error) {
	return marshalEnum(resolutionNames, "resolution kind", r)
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (r *ResolutionKind) UnmarshalText(b []byte) error {
	return unmarshalEnum(resolutionNames, "resolution kind", b, r)
}

// MarshalText implements encoding.TextMarshaler; invalid values are an error.
func (s ObjectionStatus) MarshalText() ([]byte, error) {
	return marshalEnum(objectionStatusNames, "objection status", s)
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *ObjectionStatus) UnmarshalText(b []byte) error {
	return unmarshalEnum(objectionStatusNames, "objection status", b, s)
}

// MarshalText implements encoding.TextMarshaler; invalid values are an error.
func (o Outcome) MarshalText() ([]byte, error) { return marshalEnum(outcomeNames, "outcome", o) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (o *Outcome) UnmarshalText(b []byte) error { return unmarshalEnum(outcomeNames, "outcome", b, o) }

// MarshalText implements encoding.TextMarshaler; invalid values are an error.
func (p Phase) MarshalText() ([]byte, error) { return marshalEnum(phaseNames, "phase", p) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (p *Phase) UnmarshalText(b []byte) error { return unmarshalEnum(phaseNames, "phase", b, p) }

func marshalEnum[E ~uint8](names []string, what string, v E) ([]byte, error) {
	if !enum.Valid(names, v) {
		return nil, refuse("marshal "+what, ErrInvalidEvent, "%d is not a valid %s", uint8(v), what)
	}
	return []byte(names[v-1]), nil
}

func unmarshalEnum[E ~uint8](names []string, what string, b []byte, v *E) error {
	p, ok := enum.Parse[E](names, string(b))
	if !ok {
		return refuse("parse "+what, ErrInvalidEvent, "%q is not a %s (want one of %v)", clip(string(b)), what, names)
	}
	*v = p
	return nil
}
