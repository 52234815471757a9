package election

import (
	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/internal/enum"
)

type electionKind struct{}

func (electionKind) IDKind() string { return "election" }

// ElectionID identifies an election.
type ElectionID = circle.ID[electionKind]

// ParseElectionID parses an [ElectionID]; see [circle.ParseID].
func ParseElectionID(s string) (ElectionID, error) { return circle.ParseID[electionKind](s) }

// Phase is where an election stands. The zero value is invalid.
type Phase uint8

// The phases, in order.
const (
	PhaseDescription Phase = 1 + iota // consent round on the role description and term
	PhaseNominating                   // nominations written, hidden
	PhaseChanging                     // nominations revealed; the change round; awaiting a proposal
	PhaseConsenting                   // consent round on the proposed nominee, who answers last
	PhaseElected                      // ended with a role assignment
	PhaseCancelled                    // ended without one
)

var phases = enum.New[Phase]("Phase", "phase", refuser,
	"description", "nominating", "changing", "consenting", "elected", "cancelled")

// Phases lists every phase in order.
func Phases() []Phase { return phases.Values() }

// String returns the text form.
func (p Phase) String() string { return phases.Name(p) }

// Valid reports whether p is one of the constants.
func (p Phase) Valid() bool { return phases.Valid(p) }

// MarshalText implements encoding.TextMarshaler; an invalid value is an error.
func (p Phase) MarshalText() ([]byte, error) { return phases.MarshalText(p) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (p *Phase) UnmarshalText(b []byte) error { return phases.UnmarshalText(b, p) }

// Ended reports whether p is a terminal phase.
func (p Phase) Ended() bool { return p == PhaseElected || p == PhaseCancelled }

// TieRule decides between nominees with the same, highest number of
// nominations. Counts are information for the facilitator, not a vote; a
// tie rule only says how the facilitator's proposal is chosen when the
// counts do not point anywhere.
type TieRule uint8

// The tie rules.
const (
	// TieSelfNominee prefers the one tied nominee who also nominated
	// themselves: the only one who said they want the role.
	TieSelfNominee TieRule = 1 + iota
	// TieIncumbent prefers the current holder of the role, if tied.
	TieIncumbent
	// TieRerun re-runs the change round among the tied nominees
	// ([Election.RerunChanges]); it never picks by itself.
	TieRerun
	// TieFacilitator leaves the choice among the tied to the facilitator's
	// judgement, with reasons.
	TieFacilitator
)

var tieRules = enum.New[TieRule]("TieRule", "tie rule", refuser,
	"self-nominee", "incumbent", "rerun", "facilitator")

// TieRules lists every tie rule in order.
func TieRules() []TieRule { return tieRules.Values() }

// String returns the text form.
func (r TieRule) String() string { return tieRules.Name(r) }

// Valid reports whether r is one of the constants.
func (r TieRule) Valid() bool { return tieRules.Valid(r) }

// MarshalText implements encoding.TextMarshaler; an invalid value is an error.
func (r TieRule) MarshalText() ([]byte, error) { return tieRules.MarshalText(r) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (r *TieRule) UnmarshalText(b []byte) error { return tieRules.UnmarshalText(b, r) }

// Purpose says what a consent round of an election is about.
type Purpose uint8

// The purposes of a round.
const (
	PurposeDescription Purpose = 1 + iota // the role description, qualifications and term
	PurposeNominee                        // the proposed nominee and term
)

var purposes = enum.New[Purpose]("Purpose", "purpose", refuser,
	"description", "nominee")

// Purposes lists every purpose in order.
func Purposes() []Purpose { return purposes.Values() }

// String returns the text form.
func (p Purpose) String() string { return purposes.Name(p) }

// Valid reports whether p is one of the constants.
func (p Purpose) Valid() bool { return purposes.Valid(p) }

// MarshalText implements encoding.TextMarshaler; an invalid value is an error.
func (p Purpose) MarshalText() ([]byte, error) { return purposes.MarshalText(p) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (p *Purpose) UnmarshalText(b []byte) error { return purposes.UnmarshalText(b, p) }

// refuser is the enum.Refuse of the package: a bad enumeration text is
// [ErrInvalidEvent].
func refuser(act, detail string) error { return &Error{Act: act, Err: ErrInvalidEvent, Detail: detail} }
