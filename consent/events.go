package consent

import (
	"time"

	"github.com/coproduce/sociocracy/circle"
)

// Header is carried by every event of a process: which process, of which
// organisation and circle, who acted and when. Consumers such as a review
// calendar read the circle and process from it without loading the process.
type Header struct {
	Process ProcessID       `json:"process"`
	Org     circle.OrgID    `json:"org"`
	Circle  circle.CircleID `json:"circle"`
	Actor   PersonID        `json:"actor"`
	At      time.Time       `json:"at"` // UTC, microsecond precision
}

// EventHeader returns the header; it makes every event type an [Event].
func (h Header) EventHeader() Header { return h }

// Event is what an act yields and what the logbook keeps. Events are plain
// data; applying them in order ([Replay], [Process.Apply]) rebuilds exactly
// the process that produced them.
type Event interface {
	// EventType is the stable name stored with the event ("consent.objection_raised").
	EventType() string
	EventHeader() Header
	apply(p *Process) error
}

// Started records a new process in [PhaseDraft] (see [Start]).
type Started struct {
	Header
	Proposer    PersonID `json:"proposer"`
	Facilitator PersonID `json:"facilitator"`
	Proposal    Proposal `json:"proposal"`
	Policy      Policy   `json:"policy"`
	// Zone is the organisation's IANA time zone, in which a review date
	// [Policy.ReviewMonths] after adoption is computed; "" means UTC.
	Zone string `json:"zone,omitempty"`
	// Review names the agreement of the policy register the process
	// reviews; zero (left out) for a new matter.
	Review Review `json:"review,omitzero"`
	// Kind is the kind of decision ([circle.DecisionMembership] for a
	// membership decision); "" when the host names none.
	Kind circle.DecisionKind `json:"kind,omitempty"`
	// Membership, when set, makes the process a membership decision: its
	// adoption adds or removes the member.
	Membership *MembershipChange `json:"membership,omitempty"`
	// Confidential marks a confidential item (see [ProcessSpec.Confidential]).
	Confidential bool `json:"confidential,omitempty"`
	// History, when set, is the stuck process of a child circle that this
	// process takes up ([TakeUp]).
	History *History `json:"history,omitempty"`
	// Emergency, when set, says the proposal is an emergency decision the
	// proposer took alone, in effect from now; this process reviews it.
	Emergency *Emergency `json:"emergency,omitempty"`
}

// Presented records the proposal presented, with the snapshot of the
// circle's members who take part in clarifying questions and reactions.
type Presented struct {
	Header
	Participants []PersonID `json:"participants"`
	// Excluded are the circle's members left out of the snapshot, each with
	// a reason ([Exclusion]); usually none.
	Excluded []Exclusion `json:"excluded,omitempty"`
}

// QuestionAsked records a clarifying question; questions are numbered from 1.
type QuestionAsked struct {
	Header
	Question int    `json:"question"`
	Text     string `json:"text"`
}

// QuestionAnswered records the proposer's answer to a clarifying question.
type QuestionAnswered struct {
	Header
	Question int    `json:"question"`
	Text     string `json:"text"`
}

// ReactionsOpened records the start of the quick reaction round.
type ReactionsOpened struct {
	Header
}

// ReactionsSkipped records that the facilitator skipped (the rest of) the
// reaction round.
type ReactionsSkipped struct {
	Header
}

// Reacted records a participant's one reaction.
type Reacted struct {
	Header
	Text string `json:"text"`
}

// ProposalAmended records a new proposal version by the proposer: the
// change, the new proposal, and which objections (by objector, in the
// latest round) it addresses; those are resolved by amendment.
type ProposalAmended struct {
	Header
	Version   int        `json:"version"`
	Proposal  Proposal   `json:"proposal"`
	Change    string     `json:"change"`
	Addresses []PersonID `json:"addresses,omitempty"`
}

// ConsentRoundOpened records a consent round on the current proposal
// version, with its participant snapshot, deadline and policy.
type ConsentRoundOpened struct {
	Header
	RoundOpening
	// Excluded are the circle's members left out of the round, each with a
	// reason ([Exclusion]); usually none.
	Excluded []Exclusion `json:"excluded,omitempty"`
}

// Answered records a participant's answer in the open round: consent,
// concern, stand aside or object. An objection is open from here on.
type Answered struct {
	Header
	AnswerGiven
}

// DeadlineSet records a round's new closing time (zero: none).
type DeadlineSet struct {
	Header
	DeadlineChange
}

// SnapshotRetaken records the facilitator re-taking the participant
// snapshot after a membership change: who joined (they must answer) and who
// left (their answers and objections are set aside, not deleted). Round is
// 0 when no consent round has opened yet.
type SnapshotRetaken struct {
	Header
	SnapshotChange
	// Excluded are the circle's members left out of the new snapshot, each
	// with a reason ([Exclusion]); usually none. It replaces the exclusions
	// of the previous snapshot.
	Excluded []Exclusion `json:"excluded,omitempty"`
}

// IntegrationBegun records the facilitator moving a completed round with
// objections to objection integration.
type IntegrationBegun struct {
	Header
	Round int `json:"round"`
}

// ObjectionUnderstood records how the circle understood an objection.
type ObjectionUnderstood struct {
	Header
	ObjectionUnderstanding
}

// ObjectionTested records the finding of a validity test (S3 or Holacracy
// policy). A finding of not valid resolves the objection.
type ObjectionTested struct {
	Header
	ValidityTest
}

// TermShortened records the proposer answering an objection with an
// earlier review date: a new proposal version, so a new round follows.
type TermShortened struct {
	Header
	Resolution
	Version    int       `json:"version"`
	ReviewDate time.Time `json:"reviewDate"`
}

// MeasureAdded records the proposer answering an objection with a measure
// that watches the feared harm: a new proposal version, so a new round
// follows. The measure is a review item: a calendar should watch
// Measure.Checkpoint for the circle in the header.
type MeasureAdded struct {
	Header
	Resolution
	Version int     `json:"version"`
	Measure Measure `json:"measure"`
}

// ObjectionDeferred records the facilitator deferring an objection to a
// named owner and date; the date is a review item.
type ObjectionDeferred struct {
	Header
	Resolution
	Owner PersonID  `json:"owner"`
	Until time.Time `json:"until"`
}

// ObjectionWithdrawn records an objector withdrawing their own objection.
type ObjectionWithdrawn struct {
	Header
	Resolution
}

// DecisionAdopted records the adoption and carries the whole decision
// record, review date included.
type DecisionAdopted struct {
	Header
	Decision Decision `json:"decision"`
}

// DecisionReopened records an absentee's objection within the lazy-consent
// window: the decision is reopened and the objection goes to integration.
type DecisionReopened struct {
	Header
	AnswerGiven
}

// ConsentWithdrawn records a member withdrawing their consent after
// adoption. The decision stays adopted and is flagged for early review
// (EarlyReview is always true; ReviewDate is the decision's regular date).
type ConsentWithdrawn struct {
	Header
	Version     int       `json:"version"`
	Reason      string    `json:"reason"`
	ReviewDate  time.Time `json:"reviewDate"`
	EarlyReview bool      `json:"earlyReview"`
}

// ProposalWithdrawn records the proposer withdrawing the proposal.
type ProposalWithdrawn struct {
	Header
	Reason string `json:"reason,omitempty"`
}

// Referred records the facilitator referring the proposal to another
// circle because it lies outside this circle's domain.
type Referred struct {
	Header
	To     circle.CircleID `json:"to"`
	Reason string          `json:"reason"`
}

// EventType implements [Event].
func (Started) EventType() string { return "consent.started" }

// EventType implements [Event].
func (Presented) EventType() string { return "consent.presented" }

// EventType implements [Event].
func (QuestionAsked) EventType() string { return "consent.question_asked" }

// EventType implements [Event].
func (QuestionAnswered) EventType() string { return "consent.question_answered" }

// EventType implements [Event].
func (ReactionsOpened) EventType() string { return "consent.reactions_opened" }

// EventType implements [Event].
func (ReactionsSkipped) EventType() string { return "consent.reactions_skipped" }

// EventType implements [Event].
func (Reacted) EventType() string { return "consent.reacted" }

// EventType implements [Event].
func (ProposalAmended) EventType() string { return "consent.proposal_amended" }

// EventType implements [Event].
func (ConsentRoundOpened) EventType() string { return "consent.round_opened" }

// EventType implements [Event].
func (Answered) EventType() string { return "consent.answered" }

// EventType implements [Event].
func (DeadlineSet) EventType() string { return "consent.deadline_set" }

// EventType implements [Event].
func (SnapshotRetaken) EventType() string { return "consent.snapshot_retaken" }

// EventType implements [Event].
func (IntegrationBegun) EventType() string { return "consent.integration_begun" }

// EventType implements [Event].
func (ObjectionUnderstood) EventType() string { return "consent.objection_understood" }

// EventType implements [Event].
func (ObjectionTested) EventType() string { return "consent.objection_tested" }

// EventType implements [Event].
func (TermShortened) EventType() string { return "consent.term_shortened" }

// EventType implements [Event].
func (MeasureAdded) EventType() string { return "consent.measure_added" }

// EventType implements [Event].
func (ObjectionDeferred) EventType() string { return "consent.objection_deferred" }

// EventType implements [Event].
func (ObjectionWithdrawn) EventType() string { return "consent.objection_withdrawn" }

// EventType implements [Event].
func (DecisionAdopted) EventType() string { return "consent.decision_adopted" }

// EventType implements [Event].
func (DecisionReopened) EventType() string { return "consent.decision_reopened" }

// EventType implements [Event].
func (ConsentWithdrawn) EventType() string { return "consent.consent_withdrawn" }

// EventType implements [Event].
func (ProposalWithdrawn) EventType() string { return "consent.proposal_withdrawn" }

// EventType implements [Event].
func (Referred) EventType() string { return "consent.referred" }
