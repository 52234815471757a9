package consent

import (
	"slices"
	"time"

	"github.com/coproduce/sociocracy/circle"
)

// Conflicts of interest (docs/method.md, "Conflict of interest"): a
// participant declares an interest in a proposal before a consent round,
// or someone else raises it and the facilitator rules on it. Under the
// default policy a standing interest takes the participant out of every
// later round of the process, as an exclusion marked [Exclusion.Recused];
// a circle whose policy sets [Policy.KeepInterested] only records it.
// Every interest is on the decision record ([Decision.Interests]).

// Interest is a conflict of interest declared or raised in a process.
type Interest struct {
	Person   PersonID  `json:"person"`
	Interest string    `json:"interest"`
	By       PersonID  `json:"by"` // the person themselves, or who raised it
	At       time.Time `json:"at"`
	// Standing is true when the interest applies: declared by the person,
	// or raised by someone else and upheld by the facilitator.
	Standing bool   `json:"standing,omitempty"`
	Ruled    bool   `json:"ruled,omitempty"` // the facilitator ruled on a raised interest
	Ruling   string `json:"ruling,omitempty"`
}

// InterestDeclared records an interest declared by the person (Actor is
// Person) or raised by someone else.
type InterestDeclared struct {
	Header
	Person   PersonID `json:"person"`
	Interest string   `json:"interest"`
}

// InterestRuled records the facilitator upholding or dismissing an
// interest someone else raised.
type InterestRuled struct {
	Header
	Person PersonID `json:"person"`
	Upheld bool     `json:"upheld"`
	Ruling string   `json:"ruling"`
}

// EventType implements [Event].
func (InterestDeclared) EventType() string { return "consent.interest_declared" }

// EventType implements [Event].
func (InterestRuled) EventType() string { return "consent.interest_ruled" }

// DeclareInterest records that person has an interest in the proposal
// ([PhasePresented], [PhaseReactions] or [PhaseIntegration]: before a
// consent round). Declared by person themselves (actor is person), it
// stands at once; raised by another participant, it stands once the
// facilitator upholds it ([Process.RuleOnInterest]). Person must be a
// member taking part in the process, and has at most one interest on the
// record.
func (p *Process) DeclareInterest(actor PersonID, at time.Time, person PersonID, interest string) ([]Event, error) {
	e := InterestDeclared{Header: p.header(actor, at), Person: person, Interest: interest}
	if err := e.check(p); err != nil {
		return nil, err
	}
	return p.commit(e)
}

// RuleOnInterest records the facilitator (actor) upholding or dismissing
// an interest someone else raised about person, with the reason.
func (p *Process) RuleOnInterest(actor PersonID, at time.Time, person PersonID, upheld bool, ruling string) ([]Event, error) {
	e := InterestRuled{Header: p.header(actor, at), Person: person, Upheld: upheld, Ruling: ruling}
	if err := e.check(p); err != nil {
		return nil, err
	}
	return p.commit(e)
}

// Interests returns the interests on the record, in the order declared.
func (p *Process) Interests() []Interest { return slices.Clone(p.interests) }

// Recused returns, sorted, the people whose standing interest takes them
// out of the next consent round (none when the policy keeps them in).
func (p *Process) Recused() []PersonID {
	if p.policy.KeepInterested {
		return nil
	}
	var out []PersonID
	for _, i := range p.interests {
		if i.Standing {
			out = append(out, i.Person)
		}
	}
	slices.SortFunc(out, PersonID.Compare)
	return out
}

func (p *Process) checkBeforeRound(act string, at time.Time) error {
	at = circle.Normalize(at)
	switch {
	case !p.started:
		return refuse(act, ErrNotStarted, "the process has not been started")
	case at.Before(p.last):
		return refuse(act, ErrTimeOrder, "%s is before the last event at %s", stamp(at), stamp(p.last))
	case p.phase.Ended():
		return refuse(act, ErrFinished, "the process was %s", p.phase)
	case p.phase != PhasePresented && p.phase != PhaseReactions && p.phase != PhaseIntegration:
		return refuse(act, ErrPhase, "%s", phaseMessage(act, p.phase, []Phase{PhasePresented, PhaseReactions, PhaseIntegration}))
	}
	return nil
}

// takesPart reports whether x is in the process now: in the latest
// snapshot of participants, or left out of it by a recusal.
func (p *Process) takesPart(x PersonID) bool {
	return p.IsParticipant(x) || slices.ContainsFunc(p.excluded, func(e Exclusion) bool { return e.Person == x && e.Recused })
}

func (e InterestDeclared) check(p *Process) error {
	const act = "declare interest"
	if err := p.checkBeforeRound(act, e.At); err != nil {
		return err
	}
	switch {
	case !p.takesPart(e.Actor):
		return refuse(act, ErrNotParticipant, "%s is not a participant", e.Actor)
	case !p.takesPart(e.Person):
		return refuse(act, ErrNotParticipant, "%s is not a participant", e.Person)
	case slices.ContainsFunc(p.interests, func(i Interest) bool { return i.Person == e.Person }):
		return refuse(act, ErrAlreadyAnswered, "an interest of %s is already on the record", e.Person)
	}
	return checkText(act, "interest", e.Interest, p.policy.MaxReason, true)
}

func (e InterestDeclared) apply(p *Process) error {
	if err := e.check(p); err != nil {
		return err
	}
	p.interests = append(p.interests, Interest{Person: e.Person, Interest: e.Interest, By: e.Actor,
		At: circle.Normalize(e.At), Standing: e.Actor == e.Person})
	return nil
}

func (e InterestRuled) check(p *Process) error {
	const act = "rule on interest"
	if err := p.checkBeforeRound(act, e.At); err != nil {
		return err
	}
	if e.Actor != p.facilitator {
		return refuse(act, ErrNotFacilitator, "%s is not the facilitator", e.Actor)
	}
	i := slices.IndexFunc(p.interests, func(i Interest) bool { return i.Person == e.Person })
	switch {
	case i < 0:
		return refuse(act, ErrNoObjection, "no interest of %s is on the record", e.Person)
	case p.interests[i].By == e.Person || p.interests[i].Ruled:
		return refuse(act, ErrAlreadyTested, "the interest of %s is not awaiting a ruling", e.Person)
	}
	return checkText(act, "ruling", e.Ruling, p.policy.MaxReason, true)
}

func (e InterestRuled) apply(p *Process) error {
	if err := e.check(p); err != nil {
		return err
	}
	i := slices.IndexFunc(p.interests, func(i Interest) bool { return i.Person == e.Person })
	p.interests[i].Ruled, p.interests[i].Standing, p.interests[i].Ruling = true, e.Upheld, e.Ruling
	return nil
}

// recusalReason is the reason recorded for a recused participant.
const recusalReason = "recused: declared a conflict of interest"

// checkRecused: a consent round leaves out every recused participant, as
// an exclusion marked Recused, and marks nobody else so.
func (p *Process) checkRecused(act string, participants []PersonID, excluded []Exclusion) error {
	recused := p.Recused()
	for _, x := range recused {
		if slices.Contains(participants, x) || !slices.ContainsFunc(excluded, func(e Exclusion) bool { return e.Person == x && e.Recused }) {
			return refuse(act, ErrInvalidParticipant, "%s declared a conflict of interest and is left out of the round, recused", x)
		}
	}
	for _, e := range excluded {
		if e.Recused && !slices.Contains(recused, e.Person) {
			return refuse(act, ErrInvalidParticipant, "%s has no standing interest to be recused for", e.Person)
		}
	}
	return nil
}

func interestEqual(a, b Interest) bool {
	return a.Person == b.Person && a.Interest == b.Interest && a.By == b.By && a.At.Equal(b.At) &&
		a.Standing == b.Standing && a.Ruled == b.Ruled && a.Ruling == b.Ruling
}
