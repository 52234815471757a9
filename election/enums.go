package election

import (
	"fmt"

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

var phaseNames = []string{"description", "nominating", "changing", "consenting", "elected", "cancelled"}

func (p Phase) String() string { return enum.Name(phaseNames, "Phase", p) }

// Ended reports whether p is a terminal phase.
func (p Phase) Ended() bool { return p == PhaseElected || p == PhaseCancelled }

// MarshalText implements encoding.TextMarshaler.
func (p Phase) MarshalText() ([]byte, error) { return marshalEnum(phaseNames, "phase", p) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (p *Phase) UnmarshalText(b []byte) error { return unmarshalEnum(phaseNames, "phase", b, p) }

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

var tieNames = []string{"self-nominee", "incumbent", "rerun", "facilitator"}

func (r TieRule) String() string { return enum.Name(tieNames, "TieRule", r) }

// MarshalText implements encoding.TextMarshaler.
func (r TieRule) MarshalText() ([]byte, error) { return marshalEnum(tieNames, "tie rule", r) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (r *TieRule) UnmarshalText(b []byte) error { return unmarshalEnum(tieNames, "tie rule", b, r) }

// Purpose says what a consent round of an election is about.
type Purpose uint8

// The purposes of a round.
const (
	PurposeDescription Purpose = 1 + iota // the role description, qualifications and term
	PurposeNominee                        // the proposed nominee and term
)

var purposeNames = []string{"description", "nominee"}

func (p Purpose) String() string { return enum.Name(purposeNames, "Purpose", p) }

// MarshalText implements encoding.TextMarshaler.
func (p Purpose) MarshalText() ([]byte, error) { return marshalEnum(purposeNames, "purpose", p) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (p *Purpose) UnmarshalText(b []byte) error {
	return unmarshalEnum(purposeNames, "purpose", b, p)
}

func marshalEnum[E ~uint8](names []string, what string, v E) ([]byte, error) {
	if !enum.Valid(names, v) {
		return nil, fmt.Errorf("election: %d is not a %s", uint8(v), what)
	}
	return []byte(enum.Name(names, what, v)), nil
}

func unmarshalEnum[E ~uint8](names []string, what string, b []byte, v *E) error {
	p, ok := enum.Parse[E](names, string(b))
	if !ok {
		return refuse("parse "+what, ErrInvalidEvent, "%q is not a %s (want one of %v)", b, what, names)
	}
	*v = p
	return nil
}
