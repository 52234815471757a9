package election

import (
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
)

// Header is carried by every event of an election.
type Header struct {
	Org      circle.OrgID    `json:"org"`
	Election ElectionID      `json:"election"`
	Actor    circle.PersonID `json:"actor"`
	At       time.Time       `json:"at"` // UTC, microsecond precision
}

// EventHeader returns the header; it makes every event type an [Event].
func (h Header) EventHeader() Header { return h }

// Event is what an act yields. Replaying an election's events ([Replay])
// rebuilds it exactly.
type Event interface {
	EventType() string // stable name, "election.<snake_case>"
	EventHeader() Header
	apply(e *Election) error
}

// Ineligible names a participant who may not be nominated, and why.
type Ineligible struct {
	Person circle.PersonID `json:"person"`
	Reason string          `json:"reason"`
}

// Called opens an election: the role, its description and term, who takes
// part (the circle's members when it was called) and who is not eligible.
type Called struct {
	Header
	Circle         circle.CircleID   `json:"circle"`
	Role           circle.Role       `json:"role"`
	Facilitator    circle.PersonID   `json:"facilitator"`
	Description    string            `json:"description"`
	Qualifications string            `json:"qualifications"`
	Term           circle.Term       `json:"term"`
	Participants   []circle.PersonID `json:"participants"`
	Incumbent      circle.PersonID   `json:"incumbent,omitzero"`
	Ineligible     []Ineligible      `json:"ineligible"`
	Policy         Policy            `json:"policy"`
}

// RoundOpened opens a consent round: on the description (Nominee zero) or
// on a nominee and term.
type RoundOpened struct {
	Header
	Purpose     Purpose         `json:"purpose"`
	Nominee     circle.PersonID `json:"nominee,omitzero"`
	Term        circle.Term     `json:"term"`
	Description string          `json:"description"`
	consent.RoundOpening
}

// Answered records an answer in the current round (consent, concern, stand
// aside or objection).
type Answered struct {
	Header
	consent.AnswerGiven
}

// ObjectionUnderstood records how the circle understood an objection.
type ObjectionUnderstood struct {
	Header
	consent.ObjectionUnderstanding
}

// ObjectionTested records a validity test of an objection.
type ObjectionTested struct {
	Header
	consent.ValidityTest
}

// ObjectionResolved records how an objection was resolved.
type ObjectionResolved struct {
	Header
	consent.Resolution
}

// DescriptionAmended records a new version of the role description and
// term, which objections it answers; a new round follows.
type DescriptionAmended struct {
	Header
	Description    string            `json:"description"`
	Qualifications string            `json:"qualifications"`
	Term           circle.Term       `json:"term"`
	Addresses      []circle.PersonID `json:"addresses"` // objectors whose objections it answers
}

// NominationsOpened records that the description was consented and
// nominations may be written.
type NominationsOpened struct{ Header }

// Nominated records one participant's hidden nomination (or pass).
type Nominated struct {
	Header
	Nominee circle.PersonID `json:"nominee,omitzero"` // zero for a pass
	Reason  string          `json:"reason"`
	Pass    bool            `json:"pass,omitempty"`
}

// NominationsRevealed records that nominations became visible: all were in,
// or the facilitator closed them.
type NominationsRevealed struct {
	Header
	Closed bool `json:"closed,omitempty"` // closed by the facilitator before all were in
}

// NominationChanged records a change in the change round.
type NominationChanged struct {
	Header
	From   circle.PersonID `json:"from,omitzero"`
	To     circle.PersonID `json:"to"`
	Reason string          `json:"reason"`
}

// ChangesRerun restricts a re-run change round to the tied nominees.
type ChangesRerun struct {
	Header
	Among []circle.PersonID `json:"among"`
}

// Proposed records the facilitator's proposal of a nominee and term.
type Proposed struct {
	Header
	Nominee circle.PersonID `json:"nominee"`
	Term    circle.Term     `json:"term"`
	Reasons string          `json:"reasons"`
	Tie     TieRule         `json:"tie,omitzero"` // the rule applied to a tie, if any
}

// TermShortened records an objection integrated by a shorter term; a new
// round on the same nominee follows.
type TermShortened struct {
	Header
	Objector circle.PersonID `json:"objector"`
	End      time.Time       `json:"end"`
}

// Declined records a nominee declining.
type Declined struct {
	Header
	Reason string `json:"reason"`
}

// Elected ends the election with its outcome.
type Elected struct {
	Header
	Outcome Outcome `json:"outcome"`
}

// Cancelled ends the election without a result.
type Cancelled struct {
	Header
	Reason string `json:"reason"`
}

func (Called) EventType() string              { return "election.called" }
func (RoundOpened) EventType() string         { return "election.round_opened" }
func (Answered) EventType() string            { return "election.answered" }
func (ObjectionUnderstood) EventType() string { return "election.objection_understood" }
func (ObjectionTested) EventType() string     { return "election.objection_tested" }
func (ObjectionResolved) EventType() string   { return "election.objection_resolved" }
func (DescriptionAmended) EventType() string  { return "election.description_amended" }
func (NominationsOpened) EventType() string   { return "election.nominations_opened" }
func (Nominated) EventType() string           { return "election.nominated" }
func (NominationsRevealed) EventType() string { return "election.nominations_revealed" }
func (NominationChanged) EventType() string   { return "election.nomination_changed" }
func (ChangesRerun) EventType() string        { return "election.changes_rerun" }
func (Proposed) EventType() string            { return "election.proposed" }
func (TermShortened) EventType() string       { return "election.term_shortened" }
func (Declined) EventType() string            { return "election.declined" }
func (Elected) EventType() string             { return "election.elected" }
func (Cancelled) EventType() string           { return "election.cancelled" }
