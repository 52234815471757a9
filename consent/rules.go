package consent

import (
	"slices"
	"time"

	"github.com/coproduce/sociocracy/circle"
)

// The rules of the method for every act of a process (docs/method.md,
// "Consent decision-making"): in which phases it may happen, who may do it,
// and what else must hold. [Process.Can] applies them in that order and
// reports the first that fails; the act then checks its own arguments.
var rules = [...]rule{
	ActPresent:             {in(PhaseDraft), byFacilitator, nil},
	ActAskClarifying:       {in(PhasePresented), byParticipant, nil},
	ActAnswerClarifying:    {in(PhasePresented), byProposer, aQuestionIsUnanswered},
	ActOpenReactions:       {in(PhasePresented), byFacilitator, nil},
	ActSkipReactions:       {in(PhasePresented, PhaseReactions), byFacilitator, reactionsNotSkipped},
	ActReact:               {in(PhaseReactions), byParticipant, onceAndNotSkipped},
	ActAmend:               {in(PhaseDraft, PhasePresented, PhaseReactions, PhaseIntegration), byProposer, inIntegrationAnObjectionIsUnderstood},
	ActOpenConsentRound:    {in(PhaseReactions, PhaseIntegration), byFacilitator, noObjectionIsOpen},
	ActConsent:             {in(PhaseConsent), byAnyone, mayAnswer},
	ActRaiseConcern:        {in(PhaseConsent), byAnyone, mayAnswer},
	ActStandAside:          {in(PhaseConsent), byAnyone, mayAnswer},
	ActObject:              {in(PhaseConsent), byAnyone, mayAnswer}, // and, late, under lazy consent: see lateObjection
	ActSetDeadline:         {in(PhaseConsent), byFacilitator, nil},
	ActRetakeSnapshot:      {in(PhasePresented, PhaseReactions, PhaseConsent), byFacilitator, nil},
	ActIntegrate:           {in(PhaseConsent), byFacilitator, completeWithAnObjection},
	ActUnderstandObjection: {in(PhaseConsent, PhaseIntegration), byFacilitator, anObjectionAwaitsUnderstanding},
	ActTestObjection:       {in(PhaseConsent, PhaseIntegration), byFacilitator, anObjectionAwaitsATest},
	ActShortenTerm:         {in(PhaseIntegration), byProposer, anObjectionIsUnderstood},
	ActAddMeasure:          {in(PhaseIntegration), byProposer, anObjectionIsUnderstood},
	ActDefer:               {in(PhaseIntegration), byFacilitator, anObjectionIsUnderstood},
	ActWithdrawObjection:   {in(PhaseConsent, PhaseIntegration), byAnyone, ownOpenObjection},
	ActAdopt:               {in(PhaseConsent, PhaseIntegration), byFacilitator, adoptable},
	ActWithdrawConsent:     {in(PhaseAdopted), byAnyone, consentToWithdraw},
	ActWithdraw:            {before, byProposer, nil},
	ActRefer:               {before, byFacilitator, nil},
}

// before is every phase before an outcome.
var before = in(PhaseDraft, PhasePresented, PhaseReactions, PhaseConsent, PhaseIntegration)

// rule is the rule of one act.
type rule struct {
	phases []Phase
	who    who
	also   func(p *Process, c ask) error // nil: nothing else
}

// who may do an act.
type who uint8

const (
	byAnyone      who = iota // whoever the further condition allows
	byFacilitator            // the process's facilitator
	byProposer               // the proposer
	byParticipant            // someone in the current snapshot of participants
)

// ask is one question to the rules: may actor do act at at?
type ask struct {
	act   Act
	label string
	actor PersonID
	at    time.Time
	r     *Round  // the latest round, or nil
	s     Support // for an answer: who gives it for actor, and how
}

func in(phases ...Phase) []Phase { return phases }

// can is every precondition of an act that does not depend on its
// arguments; at is normalised.
func (p *Process) can(a Act, actor PersonID, at time.Time) error {
	return p.canAs(a, actor, at, Support{})
}

// canAs is can for an answer that s.By gives for actor (s zero: actor's
// own); at is normalised by the caller or here.
func (p *Process) canAs(a Act, actor PersonID, at time.Time, s Support) error {
	if !a.Valid() {
		return refuse("act", ErrInvalidEvent, "%d is not an act", uint8(a))
	}
	at = circle.Normalize(at)
	c := ask{act: a, label: a.label(), actor: actor, at: at, r: p.latest(), s: s}
	switch {
	case !p.started:
		return refuse(c.label, ErrNotStarted, "the process has not been started")
	case at.IsZero():
		return refuse(c.label, ErrInvalidTime, "the time of the act is required")
	case at.Before(p.last):
		return refuse(c.label, ErrTimeOrder, "%s is before the last event at %s", stamp(at), stamp(p.last))
	case p.phase.Ended():
		return refuse(c.label, ErrFinished, "the process was %s", p.phase)
	case a == ActObject && p.phase == PhaseAdopted && p.policy.Absence == AbsenceLazyConsent:
		return lateObjection(p, c)
	}
	r := rules[a]
	if !slices.Contains(r.phases, p.phase) {
		return refuse(c.label, ErrPhase, "%s", phaseMessage(c.label, p.phase, r.phases))
	}
	switch r.who {
	case byFacilitator:
		if actor != p.facilitator {
			return refuse(c.label, ErrNotFacilitator, "%s is not the facilitator", actor)
		}
	case byProposer:
		if actor != p.proposer {
			return refuse(c.label, ErrNotProposer, "%s is not the proposer", actor)
		}
	case byParticipant:
		if _, ok := slices.BinarySearchFunc(p.members, actor, PersonID.Compare); !ok {
			return refuse(c.label, ErrNotParticipant, "%s is not a participant", actor)
		}
	}
	if r.also != nil {
		return r.also(p, c)
	}
	return nil
}

// lateObjection: under lazy consent, a participant who did not answer may
// object after adoption, until the window closes.
func lateObjection(p *Process, c ask) error {
	d := p.decisions[len(p.decisions)-1]
	switch {
	case !c.at.Before(d.LazyUntil):
		return refuse(c.label, ErrLazyWindowClosed, "objections were possible until %s", stamp(d.LazyUntil))
	case !c.r.member[c.actor]:
		return refuse(c.label, ErrNotParticipant, "%s is not a participant of round %d", c.actor, c.r.Number())
	}
	if _, ok := c.r.answers[c.actor]; ok {
		return refuse(c.label, ErrAlreadyAnswered, "%s answered in round %d; only absentees may object late", c.actor, c.r.Number())
	}
	return nil
}

func aQuestionIsUnanswered(p *Process, c ask) error {
	for _, q := range p.questions {
		if q.AnsweredAt.IsZero() {
			return nil
		}
	}
	return refuse(c.label, ErrNoQuestion, "no unanswered question")
}

func reactionsNotSkipped(p *Process, c ask) error {
	if p.skipped {
		return refuse(c.label, ErrReactionsSkipped, "the reaction round was already skipped")
	}
	return nil
}

func onceAndNotSkipped(p *Process, c ask) error {
	if p.skipped {
		return refuse(c.label, ErrReactionsSkipped, "the facilitator skipped the reaction round")
	}
	for _, x := range p.reactions {
		if x.By == c.actor {
			return refuse(c.label, ErrAlreadyReacted, "%s has already reacted", c.actor)
		}
	}
	return nil
}

// inIntegrationAnObjectionIsUnderstood: an amendment during integration
// answers an understood objection.
func inIntegrationAnObjectionIsUnderstood(p *Process, c ask) error {
	if p.phase == PhaseIntegration {
		return anObjectionIsUnderstood(p, c)
	}
	return nil
}

func noObjectionIsOpen(p *Process, c ask) error {
	if c.r != nil && c.r.OpenObjections() > 0 {
		return refuse(c.label, ErrObjectionOpen, "%s of round %d open", count(c.r.OpenObjections(), "objection"), c.r.Number())
	}
	return nil
}

// mayAnswer: the round's own rules (participant, open, once, the last
// answers last), then the policy's for concerns and standing aside.
func mayAnswer(_ *Process, c ask) error {
	if err := c.r.canAnswer(c.label, c.actor, c.s, c.at); err != nil {
		return err
	}
	switch {
	case c.act == ActRaiseConcern && !c.r.opening.Policy.AllowConcerns:
		return refuse(c.label, ErrNotAllowedByPolicy, "the circle's policy does not allow concerns")
	case c.act == ActStandAside && !c.r.opening.Policy.AllowStandAside:
		return refuse(c.label, ErrNotAllowedByPolicy, "the circle's policy does not allow standing aside")
	}
	return nil
}

func completeWithAnObjection(_ *Process, c ask) error {
	switch {
	case c.r.OpenObjections() == 0:
		return refuse(c.label, ErrNoObjection, "no open objection to integrate")
	case !c.r.Complete(c.at):
		return refuse(c.label, ErrAwaitingAnswers, "%s not answered", count(len(c.r.Missing()), "participant has", "participants have"))
	}
	return nil
}

func anObjectionAwaitsUnderstanding(_ *Process, c ask) error {
	for _, o := range c.r.objections {
		if o.Status == ObjectionOpen && !o.Understood() {
			return nil
		}
	}
	return refuse(c.label, ErrNoObjection, "no open objection awaits understanding")
}

func anObjectionAwaitsATest(p *Process, c ask) error {
	if p.policy.Validity == ValidityAllStated {
		return refuse(c.label, ErrNotAllowedByPolicy, "under the circle's policy every stated objection is valid")
	}
	pending := false
	for _, o := range c.r.objections {
		if o.Status == ObjectionOpen && !o.Tested {
			if o.Understood() {
				return nil
			}
			pending = true
		}
	}
	if pending {
		return refuse(c.label, ErrNotUnderstood, "understand an objection before testing it")
	}
	return refuse(c.label, ErrNoObjection, "no open objection awaits a test")
}

// anObjectionIsUnderstood: an open objection has been understood, so it may
// be resolved ("each objection is understood, then resolved").
func anObjectionIsUnderstood(_ *Process, c ask) error {
	if c.r == nil {
		return refuse(c.label, ErrNoObjection, "no objection to resolve")
	}
	open := false
	for _, o := range c.r.objections {
		if o.Status == ObjectionOpen {
			open = true
			if o.Understood() {
				return nil
			}
		}
	}
	if open {
		return refuse(c.label, ErrNotUnderstood, "understand an objection before resolving it")
	}
	return refuse(c.label, ErrNoObjection, "no open objection")
}

// ownOpenObjection: only the objector withdraws an objection.
func ownOpenObjection(_ *Process, c ask) error {
	if i, ok := c.r.current[c.actor]; ok && c.r.objections[i].Status == ObjectionOpen {
		return nil
	}
	if c.r.OpenObjections() > 0 {
		return refuse(c.label, ErrNotObjector, "%s has no open objection; only an objector withdraws an objection", c.actor)
	}
	return refuse(c.label, ErrNoObjection, "no open objection")
}

// adoptable: nothing is adopted while an objection is open, before the
// current version has had its round, or while answers are awaited.
func adoptable(p *Process, c ask) error {
	switch {
	case c.r.OpenObjections() > 0:
		return refuse(c.label, ErrObjectionOpen, "%s open; nothing is adopted while an objection is open", count(c.r.OpenObjections(), "objection"))
	case p.needsRound:
		return refuse(c.label, ErrNewRoundNeeded, "version %d has not had a consent round", len(p.versions))
	case !c.r.Complete(c.at):
		return refuse(c.label, ErrAwaitingAnswers, "%s not answered", count(len(c.r.Missing()), "participant has", "participants have"))
	}
	if rd := p.reviewDate(c.at); !rd.After(c.at) {
		return refuse(c.label, ErrInvalidReviewDate, "the review date %s has passed; amend the proposal", stamp(rd))
	}
	return joinConsentGiven(p, c)
}

// consentToWithdraw: someone whose consent is part of the decision may
// withdraw it, once.
func consentToWithdraw(p *Process, c ask) error {
	d := p.decisions[len(p.decisions)-1]
	for _, w := range d.ConsentWithdrawals {
		if w.Person == c.actor {
			return refuse(c.label, ErrNotConsented, "%s has already withdrawn their consent", c.actor)
		}
	}
	if consentedTo(d, c.actor, c.at) {
		return nil
	}
	return refuse(c.label, ErrNotConsented, "%s did not consent to this decision", c.actor)
}
