package consent

import (
	"slices"
	"strings"
	"time"

	"github.com/coproduce/sociocracy/circle"
)

// Participation classes (docs/method.md, "Participation classes"): only a
// circle's full members have a consent right. Learning members and guests
// are left out of every consent round, each as an [Exclusion] that names
// their class, so every round and every [Decision] records them
// ([Decision.Classes]); learning members' answers are recorded as advice
// ([Process.Advise]), which never blocks. Guests are also left out of
// confidential processes ([ProcessSpec.Confidential]) and of their records
// ([MayRead]).

// Advice is a learning member's answer in a consent round: recorded, with
// no consent right, so an objection among it does not block.
type Advice struct {
	Round  int        `json:"round"`
	Person PersonID   `json:"person"`
	Answer AnswerKind `json:"answer"`
	Reason string     `json:"reason,omitempty"`
	At     time.Time  `json:"at"`
}

// AdviceGiven records a learning member's answer in the open round.
type AdviceGiven struct {
	Header
	Round  int        `json:"round"`
	Answer AnswerKind `json:"answer"`
	Reason string     `json:"reason,omitempty"`
}

// EventType implements [Event].
func (AdviceGiven) EventType() string { return "consent.advice_given" }

// Advise records the answer of a learning member of the circle (actor) in
// the open round ([PhaseConsent]), once per round: they are left out of the
// round by their class ([Exclusion.Class] is circle.ParticipationLearning),
// so their answer is recorded as advice and an objection among it does not
// block. The reason follows the rules of a participant's answer.
func (p *Process) Advise(actor PersonID, at time.Time, kind AnswerKind, reason string) ([]Event, error) {
	e := AdviceGiven{Header: p.header(actor, at), Answer: kind, Reason: reason}
	if r := p.latest(); r != nil {
		e.Round = r.Number()
	}
	if err := e.check(p); err != nil {
		return nil, err
	}
	return p.commit(e)
}

// CanAdvise reports why actor may not advise now (nil: they may).
func (p *Process) CanAdvise(actor PersonID, at time.Time) error {
	e := AdviceGiven{Header: p.header(actor, at), Answer: AnswerConsent}
	if r := p.latest(); r != nil {
		e.Round = r.Number()
	}
	return e.check(p)
}

func (e AdviceGiven) check(p *Process) error {
	const act = "advise"
	at := circle.Normalize(e.At)
	switch {
	case !p.started:
		return refuse(act, ErrNotStarted, "the process has not been started")
	case at.Before(p.last):
		return refuse(act, ErrTimeOrder, "%s is before the last event at %s", stamp(at), stamp(p.last))
	case p.phase.Ended():
		return refuse(act, ErrFinished, "the process was %s", p.phase)
	case p.phase != PhaseConsent:
		return refuse(act, ErrPhase, "%s", phaseMessage(act, p.phase, []Phase{PhaseConsent}))
	}
	r := p.latest()
	switch {
	case !slices.ContainsFunc(p.excluded, func(x Exclusion) bool {
		return x.Person == e.Actor && x.Class == circle.ParticipationLearning
	}):
		return refuse(act, ErrNotParticipant, "%s is not a learning member left out of round %d", e.Actor, r.Number())
	case e.Round != r.Number():
		return invalid(e, "round %d is not the latest", e.Round)
	case r.Closed(at):
		return refuse(act, ErrRoundClosed, "round %d closed at %s", r.Number(), stamp(r.Closes()))
	case slices.ContainsFunc(p.advice, func(a Advice) bool { return a.Round == e.Round && a.Person == e.Actor }):
		return refuse(act, ErrAlreadyAnswered, "%s has already advised in round %d", e.Actor, e.Round)
	}
	return r.checkAnswer(act, e.Answer, e.Reason)
}

func (e AdviceGiven) apply(p *Process) error {
	if err := e.check(p); err != nil {
		return err
	}
	p.advice = append(p.advice, Advice{Round: e.Round, Person: e.Actor, Answer: e.Answer, Reason: e.Reason, At: circle.Normalize(e.At)})
	return nil
}

// adviceOf returns the advice given in round n.
func (p *Process) adviceOf(n int) []Advice {
	var out []Advice
	for _, a := range p.advice {
		if a.Round == n {
			out = append(out, a)
		}
	}
	return out
}

// Advice returns the advice given in every round, in order.
func (p *Process) Advice() []Advice { return slices.Clone(p.advice) }

// Confidential reports whether the process is a confidential item: guests
// are left out of it and of its records.
func (p *Process) Confidential() bool { return p.confidential }

// classReason is the reason recorded for a member left out by their class.
func classReason(k circle.Participation) string {
	if k == circle.ParticipationGuest {
		return "a guest of the circle: no consent right"
	}
	return "a learning member of the circle: speaks, and their answers are recorded as advice, without a consent right"
}

// Snapshot returns the participants and exclusions the process's next
// snapshot must have in org (see [CheckMembers]): for a consent round (once
// the reactions are done), the circle's full members, with every learning
// member and guest left out by their class, the member whose removal is
// decided left out as the round's recorded exclusion, and everyone with a
// standing conflict of interest recused ([Process.Recused]); before that (to
// present the proposal), every member, less the guests of a confidential
// process. Pass them to [Process.Present], [Process.OpenConsentRound] or
// [Process.RetakeSnapshot].
func (p *Process) Snapshot(org *circle.Organisation) ([]PersonID, []Exclusion, error) {
	ci, ok := org.Circle(p.circle)
	if !ok || org.ID() != p.org {
		return nil, nil, refuse("snapshot", ErrUnknownCircle, "no circle %s in the organisation", p.circle)
	}
	round := p.phase == PhaseReactions || p.phase == PhaseIntegration || p.phase == PhaseConsent
	var excluded []Exclusion
	subject, removal := p.RemovalExclusion()
	var ps []PersonID
	recused := p.Recused()
	for _, m := range ci.Members() {
		k := ci.Participation(m)
		byClass := k != circle.ParticipationFull && (round || k == circle.ParticipationGuest && p.confidential)
		isRecused := round && slices.Contains(recused, m)
		switch {
		case removal && round && m == subject.Person:
			x := subject
			x.Recused = isRecused
			if isRecused {
				x.Reason += "; " + recusalReason
			}
			excluded = append(excluded, x)
		case byClass || isRecused:
			x := Exclusion{Person: m, Recused: isRecused}
			if byClass {
				x.Class, x.Reason = k, classReason(k)
			}
			if isRecused {
				x.Reason = strings.TrimPrefix(x.Reason+"; "+recusalReason, "; ")
			}
			excluded = append(excluded, x)
		default:
			ps = append(ps, m)
		}
	}
	return ps, excluded, nil
}

// checkClasses is the part of CheckMembers about participation classes:
// an exclusion that names a class names the member's class in org; in a
// consent round every participant is a full member and every other member
// is excluded; before one, a confidential process leaves its guests out.
func checkClasses(org *circle.Organisation, ci *circle.Circle, p *Process) []string {
	var problems []string
	round := len(p.rounds) > 0
	excluded := make(map[PersonID]bool, len(p.excluded))
	for _, x := range p.excluded {
		excluded[x.Person] = true
		if x.Class != 0 && ci.IsMember(x.Person) && ci.Participation(x.Person) != x.Class {
			problems = append(problems, label(org, x.Person)+" is left out as a "+x.Class.String()+" member but is a "+ci.Participation(x.Person).String()+" member")
		}
	}
	for _, x := range p.Participants() {
		k := ci.Participation(x)
		switch {
		case k == 0, k == circle.ParticipationFull:
		case round:
			problems = append(problems, label(org, x)+" is a "+k.String()+" member, without a consent right, and is left out of the round by their class")
		case k == circle.ParticipationGuest && p.confidential:
			problems = append(problems, label(org, x)+" is a guest, left out of a confidential item")
		}
	}
	return problems
}

// MayRead reports whether reader may read process p and its records: every
// person may, except that a guest of p's circle does not read a
// confidential process (a host applies it on its read side).
func MayRead(org *circle.Organisation, p *Process, reader PersonID) bool {
	if !p.confidential {
		return true
	}
	ci, ok := org.Circle(p.circle)
	return !ok || ci.Participation(reader) != circle.ParticipationGuest
}
