package election

import (
	"slices"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/internal/kernel"
)

// Every act is a decide method that checks it and builds its events without
// changing anything, and an exported method that commits them. Allowed runs
// the decide methods to list what a person may do.

// Consent records actor's consent in the open round.
func (e *Election) Consent(actor circle.PersonID, at time.Time) ([]Event, error) {
	return e.run(e.decideAnswer("consent", actor, at, consent.AnswerConsent, ""))
}

// Object records actor's objection, with its reason, in the open round.
func (e *Election) Object(actor circle.PersonID, at time.Time, reason string) ([]Event, error) {
	return e.run(e.decideAnswer("object", actor, at, consent.AnswerObject, reason))
}

// RaiseConcern records consent with a concern, where the policy allows it.
func (e *Election) RaiseConcern(actor circle.PersonID, at time.Time, note string) ([]Event, error) {
	return e.run(e.decideAnswer("raise concern", actor, at, consent.AnswerConcern, note))
}

// StandAside records that actor stands aside, where the policy allows it.
func (e *Election) StandAside(actor circle.PersonID, at time.Time, note string) ([]Event, error) {
	return e.run(e.decideAnswer("stand aside", actor, at, consent.AnswerStandAside, note))
}

func (e *Election) decideAnswer(act string, actor circle.PersonID, at time.Time, kind consent.AnswerKind, reason string) ([]Event, error) {
	r, err := e.openRound(act, at)
	if err != nil {
		return nil, err
	}
	if !e.isParticipant[actor] {
		return nil, refuse(act, ErrNotParticipant, "%s is not a participant of this election", actor)
	}
	p, err := r.round.DecideAnswer(actor, at, kind, reason)
	if err != nil {
		return nil, err
	}
	return []Event{Answered{Header: e.header(actor, at), AnswerGiven: p}}, nil
}

// UnderstandObjection records, by the facilitator, how the circle
// understood objector's objection; it must be understood before it is
// resolved by anything but its withdrawal.
func (e *Election) UnderstandObjection(actor circle.PersonID, at time.Time, objector circle.PersonID, understanding string) ([]Event, error) {
	return e.run(e.decideUnderstand(actor, at, objector, understanding))
}

func (e *Election) decideUnderstand(actor circle.PersonID, at time.Time, objector circle.PersonID, understanding string) ([]Event, error) {
	const act = "understand objection"
	r, err := e.facilitatorRound(act, actor, at)
	if err != nil {
		return nil, err
	}
	p, err := r.round.DecideUnderstand(objector, understanding)
	if err != nil {
		return nil, err
	}
	return []Event{ObjectionUnderstood{Header: e.header(actor, at), ObjectionUnderstanding: p}}, nil
}

// TestObjection records, by the facilitator, a validity test of an
// objection where the consent policy tests objections.
func (e *Election) TestObjection(actor circle.PersonID, at time.Time, objector circle.PersonID, valid bool, reasons string) ([]Event, error) {
	const act = "test objection"
	r, err := e.facilitatorRound(act, actor, at)
	if err != nil {
		return nil, err
	}
	p, err := r.round.DecideTest(objector, valid, reasons)
	if err != nil {
		return nil, err
	}
	return e.run([]Event{ObjectionTested{Header: e.header(actor, at), ValidityTest: p}}, nil)
}

// WithdrawObjection withdraws actor's own objection: only the objector can.
func (e *Election) WithdrawObjection(actor circle.PersonID, at time.Time) ([]Event, error) {
	return e.run(e.decideWithdraw(actor, at))
}

func (e *Election) decideWithdraw(actor circle.PersonID, at time.Time) ([]Event, error) {
	r, err := e.openRound("withdraw objection", at)
	if err != nil {
		return nil, err
	}
	p, err := r.round.DecideResolve(actor, actor, consent.ResolvedByWithdrawal, "")
	if err != nil {
		return nil, err
	}
	return []Event{ObjectionResolved{Header: e.header(actor, at), Resolution: p}}, nil
}

// AmendDescription records, by the facilitator, a new version of the role
// description and term that answers the objections of addresses (each
// understood first), and opens a new round on it.
func (e *Election) AmendDescription(actor circle.PersonID, at time.Time, description, qualifications string, term circle.Term, addresses []circle.PersonID) ([]Event, error) {
	const act = "amend description"
	r, err := e.facilitatorRound(act, actor, at)
	if err != nil {
		return nil, err
	}
	if r.purpose != PurposeDescription {
		return nil, refuse(act, ErrPhase, "the description is amended before nominations")
	}
	if err := firstErr(checkText(act, "description", description, 1, 4000), checkText(act, "qualifications", qualifications, 0, 4000), checkTerm(act, term)); err != nil {
		return nil, err
	}
	addresses = sortedUnique(addresses)
	h := e.header(actor, at)
	var events []Event
	for _, objector := range addresses {
		p, err := r.round.DecideResolve(actor, objector, consent.ResolvedByAmendment, "the description was amended")
		if err != nil {
			return nil, err
		}
		events = append(events, ObjectionResolved{Header: h, Resolution: p})
	}
	term = circle.Term{Start: circle.Normalize(term.Start), End: circle.Normalize(term.End)}
	events = append(events, DescriptionAmended{Header: h, Description: description, Qualifications: qualifications, Term: term, Addresses: addresses})
	next, err := e.nextRound(actor, at, PurposeDescription, circle.PersonID{}, term, description)
	if err != nil {
		return nil, err
	}
	return e.run(append(events, next), nil)
}

// OpenNominations moves, by the facilitator, from the consented description
// to nominations.
func (e *Election) OpenNominations(actor circle.PersonID, at time.Time) ([]Event, error) {
	return e.run(e.decideOpenNominations(actor, at))
}

func (e *Election) decideOpenNominations(actor circle.PersonID, at time.Time) ([]Event, error) {
	const act = "open nominations"
	r, err := e.facilitatorRound(act, actor, at)
	if err != nil {
		return nil, err
	}
	if r.purpose != PurposeDescription {
		return nil, refuse(act, ErrPhase, "nominations open after the description round")
	}
	if err := consented(act, r, at); err != nil {
		return nil, err
	}
	return []Event{NominationsOpened{Header: e.header(actor, at)}}, nil
}

func consented(act string, r *roundState, at time.Time) error {
	switch r.round.Result(at) {
	case consent.ResultConsented:
		return nil
	case consent.ResultObjected:
		return refuse(act, consent.ErrObjectionOpen, "%d objection(s) are open; nothing proceeds over an objection", r.round.OpenObjections())
	}
	return refuse(act, ErrNotConsented, "%d participant(s) have not answered", len(r.round.Missing()))
}

// Nominate records actor's hidden nomination of nominee, with a reason.
// Self-nomination is allowed. When the last participant has nominated, the
// nominations are revealed.
func (e *Election) Nominate(actor circle.PersonID, at time.Time, nominee circle.PersonID, reason string) ([]Event, error) {
	return e.run(e.decideNominate(actor, at, nominee, reason, false))
}

// Pass records that actor nominates nobody, where the policy allows it.
func (e *Election) Pass(actor circle.PersonID, at time.Time, reason string) ([]Event, error) {
	return e.run(e.decideNominate(actor, at, circle.PersonID{}, reason, true))
}

func (e *Election) decideNominate(actor circle.PersonID, at time.Time, nominee circle.PersonID, reason string, pass bool) ([]Event, error) {
	act := "nominate"
	if pass {
		act = "pass"
	}
	if err := e.guard(act, at, PhaseNominating); err != nil {
		return nil, err
	}
	if !e.isParticipant[actor] {
		return nil, refuse(act, ErrNotParticipant, "%s is not a participant of this election", actor)
	}
	if _, done := e.nominations[actor]; done {
		return nil, refuse(act, ErrAlreadyNominated, "%s has already nominated", actor)
	}
	if pass {
		if !e.policy.AllowPass {
			return nil, refuse(act, ErrPassNotAllowed, "every participant nominates someone")
		}
		if err := checkText(act, "note", reason, 0, e.policy.Consent.MaxReason); err != nil {
			return nil, err
		}
	} else {
		if err := e.eligible(act, nominee); err != nil {
			return nil, err
		}
		if err := checkText(act, "reason", reason, 1, e.policy.Consent.MaxReason); err != nil {
			return nil, err
		}
	}
	events := []Event{Nominated{Header: e.header(actor, at), Nominee: nominee, Reason: reason, Pass: pass}}
	if len(e.nominations)+1 == len(e.participants) {
		events = append(events, NominationsRevealed{Header: e.header(actor, at)})
	}
	return events, nil
}

// CloseNominations reveals, by the facilitator, the nominations written so
// far; the change round begins.
func (e *Election) CloseNominations(actor circle.PersonID, at time.Time) ([]Event, error) {
	const act = "close nominations"
	if err := e.facilitator2(act, actor, at, PhaseNominating); err != nil {
		return nil, err
	}
	return e.run([]Event{NominationsRevealed{Header: e.header(actor, at), Closed: true}}, nil)
}

// ChangeNomination records a change of actor's nomination, with a reason,
// in the change round.
func (e *Election) ChangeNomination(actor circle.PersonID, at time.Time, nominee circle.PersonID, reason string) ([]Event, error) {
	return e.run(e.decideChange(actor, at, nominee, reason))
}

func (e *Election) decideChange(actor circle.PersonID, at time.Time, nominee circle.PersonID, reason string) ([]Event, error) {
	const act = "change nomination"
	if err := e.guard(act, at, PhaseChanging); err != nil {
		return nil, err
	}
	if !e.isParticipant[actor] {
		return nil, refuse(act, ErrNotParticipant, "%s is not a participant of this election", actor)
	}
	if err := e.eligible(act, nominee); err != nil {
		return nil, err
	}
	if len(e.among) > 0 && !slices.Contains(e.among, nominee) {
		return nil, refuse(act, ErrNotEligible, "the re-run change round is among the tied nominees only")
	}
	cur := e.nominations[actor]
	if cur.Nominee == nominee {
		return nil, refuse(act, ErrUnchanged, "%s already nominates %s", actor, nominee)
	}
	if err := checkText(act, "reason", reason, 1, e.policy.Consent.MaxReason); err != nil {
		return nil, err
	}
	return []Event{NominationChanged{Header: e.header(actor, at), From: cur.Nominee, To: nominee, Reason: reason}}, nil
}

// RerunChanges restarts, by the facilitator, the change round among the
// nominees tied at the top ([TieRerun]).
func (e *Election) RerunChanges(actor circle.PersonID, at time.Time) ([]Event, error) {
	const act = "re-run change round"
	if err := e.facilitator2(act, actor, at, PhaseChanging); err != nil {
		return nil, err
	}
	tied := topTied(Tally(e.Nominations(actor)), e.declined)
	if len(tied) < 2 {
		return nil, refuse(act, ErrTieRule, "there is no tie to re-run")
	}
	return e.run([]Event{ChangesRerun{Header: e.header(actor, at), Among: tied}}, nil)
}

// ProposalSpec is the facilitator's proposal.
type ProposalSpec struct {
	Nominee circle.PersonID
	Term    circle.Term // zero: the role's term
	Reasons string      // why this person, drawn from the reasons given
	Tie     TieRule     // the tie rule applied, when the top is tied; zero otherwise
}

// Propose proposes, by the facilitator, one nominee and term, and opens the
// consent round on them, the nominee answering last. The nominee must have
// been nominated (and not declined).
func (e *Election) Propose(actor circle.PersonID, at time.Time, p ProposalSpec) ([]Event, error) {
	const act = "propose"
	if err := e.facilitator2(act, actor, at, PhaseChanging); err != nil {
		return nil, err
	}
	return e.run(e.decidePropose(act, actor, at, p))
}

// ProposeAnother replaces, by the facilitator, the nominee under consent
// with another and opens a new round.
func (e *Election) ProposeAnother(actor circle.PersonID, at time.Time, p ProposalSpec) ([]Event, error) {
	const act = "propose another"
	if err := e.facilitator2(act, actor, at, PhaseConsenting); err != nil {
		return nil, err
	}
	if cur, _ := e.Nominee(); cur == p.Nominee {
		return nil, refuse(act, ErrUnchanged, "%s is already proposed", p.Nominee)
	}
	return e.run(e.decidePropose(act, actor, at, p))
}

func (e *Election) decidePropose(act string, actor circle.PersonID, at time.Time, p ProposalSpec) ([]Event, error) {
	if err := e.eligible(act, p.Nominee); err != nil {
		return nil, err
	}
	counts := Tally(e.Nominations(actor))
	if !slices.ContainsFunc(counts, func(c Count) bool { return c.Nominee == p.Nominee }) {
		return nil, refuse(act, ErrNotNominated, "%s has no nomination; the facilitator proposes someone nominated", p.Nominee)
	}
	if err := checkText(act, "reasons", p.Reasons, 1, e.policy.Consent.MaxReason); err != nil {
		return nil, err
	}
	term := p.Term
	if term == (circle.Term{}) {
		term = e.term
	}
	if err := checkTerm(act, term); err != nil {
		return nil, err
	}
	term = circle.Term{Start: circle.Normalize(term.Start), End: circle.Normalize(term.End)}
	if p.Tie != 0 {
		chosen, tied, err := BreakTie(p.Tie, counts, e.Nominations(actor), e.incumbent)
		if err != nil {
			return nil, err
		}
		switch {
		case p.Tie == TieRerun:
			return nil, refuse(act, ErrTieRule, "the re-run rule picks nobody; re-run the change round instead")
		case p.Tie == TieFacilitator && !slices.Contains(tied, p.Nominee):
			return nil, refuse(act, ErrTieRule, "%s is not among the tied nominees", p.Nominee)
		case p.Tie != TieFacilitator && chosen != p.Nominee:
			return nil, refuse(act, ErrTieRule, "the %s rule picks %s, not %s", p.Tie, chosen, p.Nominee)
		}
	}
	h := e.header(actor, at)
	opened, err := e.nextRound(actor, at, PurposeNominee, p.Nominee, term, e.description)
	if err != nil {
		return nil, err
	}
	return []Event{Proposed{Header: h, Nominee: p.Nominee, Term: term, Reasons: p.Reasons, Tie: p.Tie}, opened}, nil
}

// ShortenTerm integrates objector's (understood) objection by shortening
// the proposed term to end at end, and opens a new round on the nominee.
func (e *Election) ShortenTerm(actor circle.PersonID, at time.Time, objector circle.PersonID, end time.Time) ([]Event, error) {
	const act = "shorten term"
	r, err := e.facilitatorRound(act, actor, at)
	if err != nil {
		return nil, err
	}
	if r.purpose != PurposeNominee {
		return nil, refuse(act, ErrPhase, "the term of a proposed nominee is shortened in the consent round")
	}
	end = circle.Normalize(end)
	if !end.After(r.term.Start) || !end.Before(r.term.End) {
		return nil, refuse(act, ErrInvalidTerm, "the new end must fall after the term's start and before its current end")
	}
	p, err := r.round.DecideResolve(actor, objector, consent.ResolvedByShorterTerm, "term shortened to "+end.Format(time.DateOnly))
	if err != nil {
		return nil, err
	}
	h := e.header(actor, at)
	next, err := e.nextRound(actor, at, PurposeNominee, r.nominee, circle.Term{Start: r.term.Start, End: end}, e.description)
	if err != nil {
		return nil, err
	}
	return e.run([]Event{ObjectionResolved{Header: h, Resolution: p}, TermShortened{Header: h, Objector: objector, End: end}, next}, nil)
}

// nextRound builds the opening of the round after the current ones.
func (e *Election) nextRound(actor circle.PersonID, at time.Time, purpose Purpose, nominee circle.PersonID, term circle.Term, description string) (RoundOpened, error) {
	opened, err := e.openRoundEvent(actor, at, purpose, nominee, term)
	opened.Description = description
	return opened, err
}

// Decline records that actor, a nominee, declines; a proposed nominee who
// declines ends the round, and the facilitator proposes again.
func (e *Election) Decline(actor circle.PersonID, at time.Time, reason string) ([]Event, error) {
	return e.run(e.decideDecline(actor, at, reason))
}

func (e *Election) decideDecline(actor circle.PersonID, at time.Time, reason string) ([]Event, error) {
	const act = "decline"
	if err := e.guard(act, at, PhaseChanging, PhaseConsenting); err != nil {
		return nil, err
	}
	if _, done := e.declined[actor]; done {
		return nil, refuse(act, ErrDeclined, "%s has already declined", actor)
	}
	proposed, _ := e.Nominee()
	nominated := slices.ContainsFunc(e.Nominations(actor), func(n Nomination) bool { return n.Nominee == actor })
	if proposed != actor && !nominated {
		return nil, refuse(act, ErrNotNominee, "%s is not a nominee", actor)
	}
	if err := checkText(act, "reason", reason, 0, e.policy.Consent.MaxReason); err != nil {
		return nil, err
	}
	return []Event{Declined{Header: e.header(actor, at), Reason: reason}}, nil
}

// Elect ends the election, by the facilitator, once the round on the
// nominee is complete with no open objection. The outcome is a role
// assignment for the consented term.
func (e *Election) Elect(actor circle.PersonID, at time.Time) ([]Event, error) {
	return e.run(e.decideElect(actor, at))
}

func (e *Election) decideElect(actor circle.PersonID, at time.Time) ([]Event, error) {
	const act = "elect"
	r, err := e.facilitatorRound(act, actor, at)
	if err != nil {
		return nil, err
	}
	if r.purpose != PurposeNominee {
		return nil, refuse(act, ErrPhase, "propose a nominee first")
	}
	if err := consented(act, r, at); err != nil {
		return nil, err
	}
	o := Outcome{Election: e.id, Circle: e.circle, Role: e.role, Person: r.nominee, Term: r.term, At: circle.Normalize(at)}
	return []Event{Elected{Header: e.header(actor, at), Outcome: o}}, nil
}

// Cancel ends the election, by the facilitator, without a result.
func (e *Election) Cancel(actor circle.PersonID, at time.Time, reason string) ([]Event, error) {
	const act = "cancel"
	if err := e.facilitator2(act, actor, at, PhaseDescription, PhaseNominating, PhaseChanging, PhaseConsenting); err != nil {
		return nil, err
	}
	if err := checkText(act, "reason", reason, 1, e.policy.Consent.MaxReason); err != nil {
		return nil, err
	}
	return e.run([]Event{Cancelled{Header: e.header(actor, at), Reason: reason}}, nil)
}

// run commits the events of a decided act.
func (e *Election) run(events []Event, err error) ([]Event, error) {
	if err != nil {
		return nil, err
	}
	return e.commit(events...)
}

// guard checks that the election is running, in one of phases, and that at
// does not go back in time.
func (e *Election) guard(act string, at time.Time, phases ...Phase) error {
	if e.phase.Ended() {
		return refuse(act, ErrFinished, "the election is %s", e.phase)
	}
	if circle.Normalize(at).Before(e.last) {
		return refuse(act, ErrTimeOrder, "%s is before the election's last event at %s", at.UTC().Format(time.RFC3339Nano), e.last.Format(time.RFC3339Nano))
	}
	if !slices.Contains(phases, e.phase) {
		names := make([]string, len(phases))
		for i, ph := range phases {
			names[i] = ph.String()
		}
		return refuse(act, ErrPhase, "%s", kernel.PhaseMessage("election", act, e.phase.String(), names...))
	}
	return nil
}

func (e *Election) facilitator2(act string, actor circle.PersonID, at time.Time, phases ...Phase) error {
	if err := e.guard(act, at, phases...); err != nil {
		return err
	}
	if actor != e.facilitator {
		return refuse(act, ErrNotFacilitator, "%s is not the facilitator", actor)
	}
	return nil
}

func (e *Election) openRound(act string, at time.Time) (*roundState, error) {
	if err := e.guard(act, at, PhaseDescription, PhaseConsenting); err != nil {
		return nil, err
	}
	return e.current(), nil
}

func (e *Election) facilitatorRound(act string, actor circle.PersonID, at time.Time) (*roundState, error) {
	if err := e.facilitator2(act, actor, at, PhaseDescription, PhaseConsenting); err != nil {
		return nil, err
	}
	return e.current(), nil
}

// eligible checks that nominee may hold the role.
func (e *Election) eligible(act string, nominee circle.PersonID) error {
	switch {
	case nominee.IsZero():
		return refuse(act, ErrMissingID, "a nominee is required")
	case !e.isParticipant[nominee]:
		return refuse(act, ErrNotEligible, "%s is not a member of the circle", nominee)
	case e.ineligible[nominee] != "":
		return refuse(act, ErrNotEligible, "%s %s", nominee, e.ineligible[nominee])
	case e.declined[nominee] != "" || hasKey(e.declined, nominee):
		return refuse(act, ErrDeclined, "%s declined", nominee)
	}
	return nil
}

func hasKey[K comparable, V any](m map[K]V, k K) bool { _, ok := m[k]; return ok }

func sortedUnique(ps []circle.PersonID) []circle.PersonID {
	out := slices.Clone(ps)
	slices.SortFunc(out, circle.PersonID.Compare)
	return slices.Compact(out)
}
