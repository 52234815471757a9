package election

import (
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/internal/enum"
)

// Act names an act of an election, for [Election.Allowed].
type Act uint8

// The acts.
const (
	ActConsent Act = 1 + iota
	ActObject
	ActRaiseConcern
	ActStandAside
	ActUnderstandObjection
	ActWithdrawObjection
	ActAmendDescription
	ActOpenNominations
	ActNominate
	ActPass
	ActCloseNominations
	ActChangeNomination
	ActPropose
	ActProposeAnother
	ActShortenTerm
	ActDecline
	ActElect
	ActCancel
)

var acts = enum.New[Act]("Act", "act", refuser,
	"consent", "object", "raise-concern", "stand-aside", "understand-objection", "withdraw-objection",
	"amend-description", "open-nominations", "nominate", "pass", "close-nominations", "change-nomination",
	"propose", "propose-another", "shorten-term", "decline", "elect", "cancel")

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

// Allowed lists the acts person may do at time at, so a screen can show the
// right buttons. Every act not listed is refused. An act whose success
// depends on its arguments (whom to nominate, which objection to resolve)
// is listed when some argument would succeed.
func (e *Election) Allowed(person circle.PersonID, at time.Time) []Act {
	var out []Act
	try := func(a Act, err error) {
		if err == nil {
			out = append(out, a)
		}
	}
	const note = "a reason"
	try(ActConsent, errOf(e.decideAnswer("consent", person, at, consent.AnswerConsent, "")))
	try(ActObject, errOf(e.decideAnswer("object", person, at, consent.AnswerObject, note)))
	try(ActRaiseConcern, errOf(e.decideAnswer("raise concern", person, at, consent.AnswerConcern, note)))
	try(ActStandAside, errOf(e.decideAnswer("stand aside", person, at, consent.AnswerStandAside, note)))
	if r := e.current(); r != nil && person == e.facilitator {
		for _, o := range r.round.Objections() {
			if _, err := e.decideUnderstand(person, at, o.Objector, "understood"); err == nil {
				out = append(out, ActUnderstandObjection)
				break
			}
		}
	}
	try(ActWithdrawObjection, errOf(e.decideWithdraw(person, at)))
	if e.phase == PhaseDescription && person == e.facilitator && e.guard("amend", at, PhaseDescription) == nil {
		out = append(out, ActAmendDescription)
	}
	try(ActOpenNominations, errOf(e.decideOpenNominations(person, at)))
	for _, nominee := range e.participants {
		if _, err := e.decideNominate(person, at, nominee, note, false); err == nil {
			out = append(out, ActNominate)
			break
		}
	}
	try(ActPass, errOf(e.decideNominate(person, at, circle.PersonID{}, "", true)))
	if person == e.facilitator && e.facilitator2("close", person, at, PhaseNominating) == nil {
		out = append(out, ActCloseNominations)
	}
	for _, nominee := range e.participants {
		if _, err := e.decideChange(person, at, nominee, note); err == nil {
			out = append(out, ActChangeNomination)
			break
		}
	}
	for _, c := range Tally(e.Nominations(person)) {
		if e.facilitator2("propose", person, at, PhaseChanging) == nil {
			if _, err := e.decidePropose("propose", person, at, ProposalSpec{Nominee: c.Nominee, Reasons: note}); err == nil {
				out = append(out, ActPropose)
				break
			}
		}
	}
	if nominee, ok := e.Nominee(); ok && e.facilitator2("propose another", person, at, PhaseConsenting) == nil {
		for _, c := range Tally(e.Nominations(person)) {
			if c.Nominee == nominee {
				continue
			}
			if _, err := e.decidePropose("propose another", person, at, ProposalSpec{Nominee: c.Nominee, Reasons: note}); err == nil {
				out = append(out, ActProposeAnother)
				break
			}
		}
	}
	if r := e.current(); r != nil && r.purpose == PurposeNominee && person == e.facilitator && e.guard("shorten", at, PhaseConsenting) == nil {
		for _, o := range r.round.Objections() {
			if o.Status == consent.ObjectionOpen && o.Understood() {
				out = append(out, ActShortenTerm)
				break
			}
		}
	}
	try(ActDecline, errOf(e.decideDecline(person, at, "")))
	try(ActElect, errOf(e.decideElect(person, at)))
	if person == e.facilitator && !e.phase.Ended() && e.guard("cancel", at, e.phase) == nil {
		out = append(out, ActCancel)
	}
	return out
}

func errOf(_ []Event, err error) error { return err }
