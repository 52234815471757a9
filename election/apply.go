package election

import (
	"github.com/coproduce/sociocracy/internal/kernel"
	"slices"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
)

// Replay rebuilds an election from its events, the first of which must be
// [Called]. An event that does not fit is refused with [ErrInvalidEvent]
// naming its position.
func Replay(events []Event) (*Election, error) { return replayer.Run(events) }

var replayer = kernel.Replay[*Election, Event]{
	Opening:   "election.called",
	Opens:     func(e Event) bool { _, ok := e.(Called); return ok },
	NotOpened: func(d string) error { return refuse("replay", ErrNotCalled, "%s", d) },
	Invalid:   func(i int, err error) error { return refuse("replay", ErrInvalidEvent, "event %d: %v", i, err) },
	Open: func(ev Event) (*Election, error) {
		e := &Election{}
		if err := ev.apply(e); err != nil {
			return nil, err
		}
		e.version++
		return e, nil
	},
	Apply: (*Election).Apply,
}

// Apply applies one stored event after those already applied. It refuses an
// event of another election or one that does not fit; on error nothing
// changed.
func (e *Election) Apply(ev Event) error {
	h := ev.EventHeader()
	if _, ok := ev.(Called); ok {
		return refuse("apply", ErrInvalidEvent, "election %s is already called", e.id)
	}
	if h.Org != e.org || h.Election != e.id {
		return refuse("apply", ErrWrongElection, "event of election %s applied to %s", h.Election, e.id)
	}
	if err := ev.apply(e); err != nil {
		return err
	}
	e.version++
	return nil
}

func bad(format string, args ...any) error { return refuse("apply", ErrInvalidEvent, format, args...) }

func (e *Election) stamp(at time.Time) { e.last = at }

func (ev Called) apply(e *Election) error {
	if e.phase != 0 {
		return bad("election already called")
	}
	*e = Election{
		org: ev.Org, id: ev.Election, circle: ev.Circle, role: ev.Role, facilitator: ev.Facilitator,
		description: ev.Description, qualifications: ev.Qualifications, term: ev.Term,
		participants: sortedUnique(ev.Participants), isParticipant: map[circle.PersonID]bool{},
		incumbent: ev.Incumbent, ineligible: map[circle.PersonID]string{}, ineligibleList: slices.Clone(ev.Ineligible),
		policy: ev.Policy, phase: PhaseDescription, last: ev.At,
		nominations: map[circle.PersonID]Nomination{}, declined: map[circle.PersonID]string{},
	}
	for _, p := range e.participants {
		e.isParticipant[p] = true
	}
	for _, in := range ev.Ineligible {
		e.ineligible[in.Person] = in.Reason
	}
	return nil
}

func (ev RoundOpened) apply(e *Election) error {
	if ev.Round != len(e.rounds)+1 {
		return bad("round %d opened after %d rounds", ev.Round, len(e.rounds))
	}
	r, err := consent.NewRound(ev.RoundOpening)
	if err != nil {
		return err
	}
	switch ev.Purpose {
	case PurposeDescription:
		if e.phase != PhaseDescription {
			return bad("a description round opens only in the description phase")
		}
	case PurposeNominee:
		if e.phase != PhaseChanging && e.phase != PhaseConsenting {
			return bad("a nominee round opens after a proposal")
		}
		e.phase = PhaseConsenting
	default:
		return bad("round purpose %d", uint8(ev.Purpose))
	}
	e.rounds = append(e.rounds, roundState{purpose: ev.Purpose, nominee: ev.Nominee, term: ev.Term, description: ev.Description, round: r})
	e.stamp(ev.At)
	return nil
}

func (e *Election) applyRound(p consent.RoundEvent, at time.Time) error {
	r := e.current()
	if r == nil {
		return bad("no round is open")
	}
	if err := r.round.Apply(p, at); err != nil {
		return err
	}
	e.stamp(at)
	return nil
}

func (ev Answered) apply(e *Election) error { return e.applyRound(ev.AnswerGiven, ev.At) }
func (ev ObjectionUnderstood) apply(e *Election) error {
	return e.applyRound(ev.ObjectionUnderstanding, ev.At)
}
func (ev ObjectionTested) apply(e *Election) error   { return e.applyRound(ev.ValidityTest, ev.At) }
func (ev ObjectionResolved) apply(e *Election) error { return e.applyRound(ev.Resolution, ev.At) }

func (ev DescriptionAmended) apply(e *Election) error {
	if e.phase != PhaseDescription {
		return bad("the description is amended in the description phase")
	}
	e.description, e.qualifications, e.term = ev.Description, ev.Qualifications, ev.Term
	e.stamp(ev.At)
	return nil
}

func (ev NominationsOpened) apply(e *Election) error {
	if e.phase != PhaseDescription {
		return bad("nominations open after the description phase")
	}
	e.phase = PhaseNominating
	e.stamp(ev.At)
	return nil
}

func (ev Nominated) apply(e *Election) error {
	if e.phase != PhaseNominating || !e.isParticipant[ev.Actor] || hasKey(e.nominations, ev.Actor) {
		return bad("%s cannot nominate now", ev.Actor)
	}
	e.nominations[ev.Actor] = Nomination{Nominator: ev.Actor, Nominee: ev.Nominee, Reason: ev.Reason, Pass: ev.Pass, At: ev.At}
	e.order = append(e.order, ev.Actor)
	e.stamp(ev.At)
	return nil
}

func (ev NominationsRevealed) apply(e *Election) error {
	if e.phase != PhaseNominating {
		return bad("nominations are revealed at the end of the nominating phase")
	}
	e.revealed = true
	e.phase = PhaseChanging
	e.stamp(ev.At)
	return nil
}

func (ev NominationChanged) apply(e *Election) error {
	if e.phase != PhaseChanging || !e.isParticipant[ev.Actor] {
		return bad("%s cannot change a nomination now", ev.Actor)
	}
	e.nominations[ev.Actor] = Nomination{Nominator: ev.Actor, Nominee: ev.To, Reason: ev.Reason, At: ev.At}
	e.changes = append(e.changes, Change{Nominator: ev.Actor, From: ev.From, To: ev.To, Reason: ev.Reason, At: ev.At})
	e.stamp(ev.At)
	return nil
}

func (ev ChangesRerun) apply(e *Election) error {
	if e.phase != PhaseChanging {
		return bad("the change round is re-run in the changing phase")
	}
	e.among = sortedUnique(ev.Among)
	e.stamp(ev.At)
	return nil
}

func (ev Proposed) apply(e *Election) error {
	if e.phase != PhaseChanging && e.phase != PhaseConsenting {
		return bad("a nominee is proposed after the nominations")
	}
	e.proposals = append(e.proposals, Proposal{Nominee: ev.Nominee, Term: ev.Term, Reasons: ev.Reasons, Tie: ev.Tie, At: ev.At})
	e.stamp(ev.At)
	return nil
}

func (ev TermShortened) apply(e *Election) error {
	if e.phase != PhaseConsenting {
		return bad("a term is shortened in the consenting phase")
	}
	e.stamp(ev.At)
	return nil
}

func (ev Declined) apply(e *Election) error {
	if e.phase != PhaseChanging && e.phase != PhaseConsenting {
		return bad("%s cannot decline now", ev.Actor)
	}
	e.declined[ev.Actor] = ev.Reason
	if nominee, ok := e.Nominee(); ok && nominee == ev.Actor {
		e.phase = PhaseChanging // the round on them ends; the facilitator proposes again
	}
	e.stamp(ev.At)
	return nil
}

func (ev Elected) apply(e *Election) error {
	if e.phase != PhaseConsenting {
		return bad("an election ends with a result from the consenting phase")
	}
	o := ev.Outcome
	e.outcome = &o
	e.phase = PhaseElected
	e.stamp(ev.At)
	return nil
}

func (ev Cancelled) apply(e *Election) error {
	if e.phase.Ended() {
		return bad("the election has ended")
	}
	e.cancelled = ev.Reason
	e.phase = PhaseCancelled
	e.stamp(ev.At)
	return nil
}
