package consent

import (
	"slices"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/internal/kernel"
)

// Acts of a process. Each takes the actor and the time, checks everything
// ([Process.Can] first, then the arguments) and either returns a typed
// [*Error] and changes nothing, or applies its events and returns them for
// the host to store.

// Present presents the proposal (facilitator; [PhaseDraft]) and takes the
// snapshot of members who ask clarifying questions and react (see
// [Members]).
func (p *Process) Present(actor PersonID, at time.Time, members []PersonID, excluded ...Exclusion) ([]Event, error) {
	if err := p.Can(ActPresent, actor, at); err != nil {
		return nil, err
	}
	ps, err := snapshot("present", members)
	if err != nil {
		return nil, err
	}
	if err := p.checkExclusions("present", ps, excluded); err != nil {
		return nil, err
	}
	return p.commit(Presented{Header: p.header(actor, at), Participants: ps, Excluded: slices.Clone(excluded)})
}

// AskClarifying records a clarifying question by a participant
// ([PhasePresented]): a question to understand, not to argue.
func (p *Process) AskClarifying(actor PersonID, at time.Time, question string) ([]Event, error) {
	if err := p.Can(ActAskClarifying, actor, at); err != nil {
		return nil, err
	}
	return p.commit(QuestionAsked{Header: p.header(actor, at), Question: len(p.questions) + 1, Text: question})
}

// AnswerClarifying records the proposer's answer to question number n
// ([PhasePresented]).
func (p *Process) AnswerClarifying(actor PersonID, at time.Time, n int, answer string) ([]Event, error) {
	if err := p.Can(ActAnswerClarifying, actor, at); err != nil {
		return nil, err
	}
	return p.commit(QuestionAnswered{Header: p.header(actor, at), Question: n, Text: answer})
}

// OpenReactions opens the quick reaction round (facilitator;
// [PhasePresented]).
func (p *Process) OpenReactions(actor PersonID, at time.Time) ([]Event, error) {
	if err := p.Can(ActOpenReactions, actor, at); err != nil {
		return nil, err
	}
	return p.commit(ReactionsOpened{Header: p.header(actor, at)})
}

// SkipReactions skips the reaction round, or the rest of it (facilitator;
// [PhasePresented] or [PhaseReactions]). The process is then in
// [PhaseReactions] with reactions closed.
func (p *Process) SkipReactions(actor PersonID, at time.Time) ([]Event, error) {
	if err := p.Can(ActSkipReactions, actor, at); err != nil {
		return nil, err
	}
	return p.commit(ReactionsSkipped{Header: p.header(actor, at)})
}

// React records a participant's one reaction ([PhaseReactions]).
func (p *Process) React(actor PersonID, at time.Time, reaction string) ([]Event, error) {
	if err := p.Can(ActReact, actor, at); err != nil {
		return nil, err
	}
	return p.commit(Reacted{Header: p.header(actor, at), Text: reaction})
}

// Amendment is a new version of the proposal: the whole new proposal, what
// changed, and (during integration) the objectors whose objections it
// addresses.
type Amendment struct {
	Proposal  Proposal
	Change    string
	Addresses []PersonID
}

// Amend records a new proposal version by the proposer. Before any consent
// round ([PhaseDraft], [PhasePresented], [PhaseReactions]: friendly
// amendments) Addresses must be empty. During [PhaseIntegration] it must
// name at least one open, understood objection of the latest round; those
// are resolved by amendment, and a new consent round must follow before
// adoption.
func (p *Process) Amend(actor PersonID, at time.Time, a Amendment) ([]Event, error) {
	if err := p.Can(ActAmend, actor, at); err != nil {
		return nil, err
	}
	addr := slices.Clone(a.Addresses)
	slices.SortFunc(addr, PersonID.Compare)
	addr = slices.Compact(addr)
	if len(addr) == 0 {
		addr = nil
	}
	return p.commit(ProposalAmended{Header: p.header(actor, at), Version: len(p.versions) + 1,
		Proposal: normProposal(a.Proposal), Change: a.Change, Addresses: addr})
}

// OpenConsentRound opens a consent round on the current proposal version
// (facilitator; [PhaseReactions], or [PhaseIntegration] once no objection
// is open). members is the snapshot of the circle's members now (see
// [Members]); closes, when not zero, is the deadline: answers are accepted
// in [at, closes).
func (p *Process) OpenConsentRound(actor PersonID, at time.Time, members []PersonID, closes time.Time, excluded ...Exclusion) ([]Event, error) {
	if err := p.Can(ActOpenConsentRound, actor, at); err != nil {
		return nil, err
	}
	o, err := PrepareRound(RoundOpening{Round: len(p.rounds) + 1, Version: len(p.versions), Participants: members,
		Opens: at, Closes: closes, Policy: p.policy})
	if err != nil {
		return nil, withAct(ActOpenConsentRound.label(), err)
	}
	if err := p.checkExclusions(ActOpenConsentRound.label(), o.Participants, excluded); err != nil {
		return nil, err
	}
	return p.commit(ConsentRoundOpened{Header: p.header(actor, at), RoundOpening: o, Excluded: slices.Clone(excluded)})
}

// Consent records a participant's consent ([PhaseConsent]).
func (p *Process) Consent(actor PersonID, at time.Time) ([]Event, error) {
	return p.answer(ActConsent, actor, at, AnswerConsent, "")
}

// RaiseConcern records consent with a note that does not block
// ([PhaseConsent]; where the policy allows concerns).
func (p *Process) RaiseConcern(actor PersonID, at time.Time, note string) ([]Event, error) {
	return p.answer(ActRaiseConcern, actor, at, AnswerConcern, note)
}

// StandAside records a participant standing aside, with an optional note
// ([PhaseConsent]; where the policy allows it). Standing aside does not
// block.
func (p *Process) StandAside(actor PersonID, at time.Time, note string) ([]Event, error) {
	return p.answer(ActStandAside, actor, at, AnswerStandAside, note)
}

// Object records a reasoned objection ([PhaseConsent]). The reason is
// required, not blank, and at most [Policy.MaxReason] bytes. Under
// [AbsenceLazyConsent] a participant who did not answer may also object
// after adoption, until [Decision.LazyUntil]; that reopens the decision
// ([DecisionReopened]) and the process returns to [PhaseIntegration].
func (p *Process) Object(actor PersonID, at time.Time, reason string) ([]Event, error) {
	if p.phase == PhaseAdopted && p.started {
		if err := p.Can(ActObject, actor, at); err != nil {
			return nil, err
		}
		g, err := p.latest().DecideLateObjection(actor, reason)
		if err != nil {
			return nil, err
		}
		return p.commit(DecisionReopened{Header: p.header(actor, at), AnswerGiven: g})
	}
	return p.answer(ActObject, actor, at, AnswerObject, reason)
}

func (p *Process) answer(a Act, actor PersonID, at time.Time, kind AnswerKind, reason string) ([]Event, error) {
	if err := p.Can(a, actor, at); err != nil {
		return nil, err
	}
	r := p.latest() // Can checked who may answer and when; the answer itself is left
	if err := r.checkAnswer(a.label(), kind, reason); err != nil {
		return nil, err
	}
	return p.commit(Answered{Header: p.header(actor, at),
		AnswerGiven: AnswerGiven{Round: r.Number(), Person: actor, Answer: kind, Reason: reason}})
}

// SetDeadline sets the open round's closing time (facilitator;
// [PhaseConsent]): later to give absentees time, at (now) to close an
// in-person round, zero for none. Setting it is recorded, never silent.
func (p *Process) SetDeadline(actor PersonID, at, closes time.Time) ([]Event, error) {
	if err := p.Can(ActSetDeadline, actor, at); err != nil {
		return nil, err
	}
	d, err := p.latest().DecideDeadline(at, closes)
	if err != nil {
		return nil, err
	}
	return p.commit(DeadlineSet{Header: p.header(actor, at), DeadlineChange: d})
}

// RetakeSnapshot re-takes the participant snapshot after a membership change
// (facilitator; [PhasePresented], [PhaseReactions] or [PhaseConsent]).
// members is the circle's membership now. In a consent round, people who
// joined must answer, and the answers and objections of people who left
// are set aside, not deleted. The change is recorded even when empty.
func (p *Process) RetakeSnapshot(actor PersonID, at time.Time, members []PersonID, excluded ...Exclusion) ([]Event, error) {
	if err := p.Can(ActRetakeSnapshot, actor, at); err != nil {
		return nil, err
	}
	var c SnapshotChange
	if p.phase == PhaseConsent {
		var err error
		if c, err = p.latest().DecideRetake(members); err != nil {
			return nil, err
		}
	} else {
		ps, err := snapshot("retake snapshot", members)
		if err != nil {
			return nil, err
		}
		c.Joined, c.Left = diffSnapshot(p.members, ps)
	}
	ps, _ := snapshot("retake snapshot", members)
	if err := p.checkExclusions("retake snapshot", ps, excluded); err != nil {
		return nil, err
	}
	return p.commit(SnapshotRetaken{Header: p.header(actor, at), SnapshotChange: c, Excluded: slices.Clone(excluded)})
}

// Integrate moves a completed round with open objections to objection
// integration (facilitator; [PhaseConsent]).
func (p *Process) Integrate(actor PersonID, at time.Time) ([]Event, error) {
	if err := p.Can(ActIntegrate, actor, at); err != nil {
		return nil, err
	}
	evs, err := p.commit(IntegrationBegun{Header: p.header(actor, at), Round: p.latest().Number()})
	if err != nil || p.stuck || len(p.rounds) < p.policy.stuckAfter() {
		return evs, err
	}
	more, err := p.commit(DecisionStuck{Header: p.header(actor, at), Rounds: len(p.rounds), Title: p.Proposal().Title})
	if err != nil {
		return nil, err // not reached: checked above
	}
	return append(evs, more...), nil
}

// UnderstandObjection records how the circle understood objector's
// objection (facilitator; [PhaseConsent] or [PhaseIntegration]). Every
// objection is understood before anyone but its objector resolves it.
func (p *Process) UnderstandObjection(actor PersonID, at time.Time, objector PersonID, understanding string) ([]Event, error) {
	if err := p.Can(ActUnderstandObjection, actor, at); err != nil {
		return nil, err
	}
	u, err := p.latest().DecideUnderstand(objector, understanding)
	if err != nil {
		return nil, withAct(ActUnderstandObjection.label(), err)
	}
	return p.commit(ObjectionUnderstood{Header: p.header(actor, at), ObjectionUnderstanding: u})
}

// TestObjection records the finding of a validity test of an understood
// objection (facilitator; only under [ValidityGroupTest], recording the
// group's finding, or [ValidityFacilitatorTest], with the reasons). A
// finding of not valid resolves the objection with [ResolvedAsNotValid];
// the policy under which that happened is on the record.
func (p *Process) TestObjection(actor PersonID, at time.Time, objector PersonID, valid bool, reasons string) ([]Event, error) {
	if err := p.Can(ActTestObjection, actor, at); err != nil {
		return nil, err
	}
	v, err := p.latest().DecideTest(objector, valid, reasons)
	if err != nil {
		return nil, err
	}
	return p.commit(ObjectionTested{Header: p.header(actor, at), ValidityTest: v})
}

// ShortenTerm answers objector's understood objection with an earlier
// review date (proposer; [PhaseIntegration]): a new proposal version, so a
// new consent round must follow. The date must be after at and before the
// current review date (proposed, or at plus the policy's interval).
func (p *Process) ShortenTerm(actor PersonID, at time.Time, objector PersonID, reviewDate time.Time, note string) ([]Event, error) {
	if err := p.Can(ActShortenTerm, actor, at); err != nil {
		return nil, err
	}
	res, err := p.latest().DecideResolve(actor, objector, ResolvedByShorterTerm, note)
	if err != nil {
		return nil, err
	}
	return p.commit(TermShortened{Header: p.header(actor, at), Resolution: res, Version: len(p.versions) + 1,
		ReviewDate: normTime(reviewDate)})
}

// AddMeasure answers objector's understood objection with a measure that
// watches the feared harm (proposer; [PhaseIntegration]): a new proposal
// version, so a new consent round must follow. The measure needs what is
// watched, a threshold, an owner and a checkpoint after at.
func (p *Process) AddMeasure(actor PersonID, at time.Time, objector PersonID, m Measure) ([]Event, error) {
	if err := p.Can(ActAddMeasure, actor, at); err != nil {
		return nil, err
	}
	res, err := p.latest().DecideResolve(actor, objector, ResolvedByMeasure, "")
	if err != nil {
		return nil, err
	}
	m.Checkpoint = normTime(m.Checkpoint)
	return p.commit(MeasureAdded{Header: p.header(actor, at), Resolution: res, Version: len(p.versions) + 1, Measure: m})
}

// Defer defers objector's understood objection to a named owner and date
// (facilitator; [PhaseIntegration]). The proposal does not change, so no new
// round is needed for it.
func (p *Process) Defer(actor PersonID, at time.Time, objector, owner PersonID, until time.Time, note string) ([]Event, error) {
	if err := p.Can(ActDefer, actor, at); err != nil {
		return nil, err
	}
	res, err := p.latest().DecideResolve(actor, objector, ResolvedByDeferral, note)
	if err != nil {
		return nil, err
	}
	return p.commit(ObjectionDeferred{Header: p.header(actor, at), Resolution: res, Owner: owner, Until: normTime(until)})
}

// WithdrawObjection withdraws objector's objection ([PhaseConsent] or
// [PhaseIntegration]). Only the objector may do it ([ErrNotObjector]).
func (p *Process) WithdrawObjection(actor PersonID, at time.Time, objector PersonID) ([]Event, error) {
	if err := p.Can(ActWithdrawObjection, actor, at); err != nil {
		return nil, err
	}
	res, err := p.latest().DecideResolve(actor, objector, ResolvedByWithdrawal, "")
	if err != nil {
		return nil, err
	}
	return p.commit(ObjectionWithdrawn{Header: p.header(actor, at), Resolution: res})
}

// Adopt adopts the proposal (facilitator; [PhaseConsent] or
// [PhaseIntegration]) when the latest round is complete, no objection is
// open and the proposal has not changed since that round. The event carries
// the [Decision] record.
func (p *Process) Adopt(actor PersonID, at time.Time) ([]Event, error) {
	if err := p.Can(ActAdopt, actor, at); err != nil {
		return nil, err
	}
	at = circle.Normalize(at)
	return p.commit(DecisionAdopted{Header: p.header(actor, at), Decision: p.record(at)})
}

// WithdrawConsent records a member withdrawing their consent after adoption
// ([PhaseAdopted]; someone who consented, raised a concern, or stayed
// silent where silence counts as consent: under [AbsenceSilenceIsConsent],
// or under [AbsenceLazyConsent] once the window has closed). The decision stays adopted and
// is flagged for early review.
func (p *Process) WithdrawConsent(actor PersonID, at time.Time, reason string) ([]Event, error) {
	if err := p.Can(ActWithdrawConsent, actor, at); err != nil {
		return nil, err
	}
	d := p.decisions[len(p.decisions)-1]
	return p.commit(ConsentWithdrawn{Header: p.header(actor, at), Version: d.Version, Reason: reason,
		ReviewDate: d.ReviewDate, EarlyReview: true})
}

// Withdraw withdraws the proposal (proposer; any phase before adoption).
// The reason is optional.
func (p *Process) Withdraw(actor PersonID, at time.Time, reason string) ([]Event, error) {
	if err := p.Can(ActWithdraw, actor, at); err != nil {
		return nil, err
	}
	return p.commit(ProposalWithdrawn{Header: p.header(actor, at), Reason: reason})
}

// Refer refers the proposal to another circle because it lies outside this
// circle's domain (facilitator; any phase before adoption). The reason is
// required.
func (p *Process) Refer(actor PersonID, at time.Time, to circle.CircleID, reason string) ([]Event, error) {
	if err := p.Can(ActRefer, actor, at); err != nil {
		return nil, err
	}
	return p.commit(Referred{Header: p.header(actor, at), To: to, Reason: reason})
}

func normTime(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return circle.Normalize(t)
}

func diffSnapshot(old, now []PersonID) (joined, left []PersonID) {
	for _, x := range now {
		if _, ok := slices.BinarySearchFunc(old, x, PersonID.Compare); !ok {
			joined = append(joined, x)
		}
	}
	for _, x := range old {
		if _, ok := slices.BinarySearchFunc(now, x, PersonID.Compare); !ok {
			left = append(left, x)
		}
	}
	return joined, left
}

// --- applying events: each checks everything its act checks, then changes state.

func invalid(e Event, format string, args ...any) error {
	return refuse("apply "+e.EventType(), ErrInvalidEvent, format, args...)
}

func (e Started) apply(p *Process) error {
	const act = "start"
	at := circle.Normalize(e.At)
	switch {
	case p.started:
		return invalid(e, "the process has already started")
	case e.Process.IsZero():
		return refuse(act, ErrMissingID, "the process id is required")
	case e.Org.IsZero():
		return refuse(act, ErrMissingID, "the organisation id is required")
	case e.Circle.IsZero():
		return refuse(act, ErrMissingID, "the circle id is required")
	case e.Proposer.IsZero():
		return refuse(act, ErrMissingID, "the proposer is required")
	case e.Facilitator.IsZero():
		return refuse(act, ErrMissingID, "the facilitator is required")
	case e.Actor != e.Proposer:
		return invalid(e, "the proposer starts the process")
	case at.IsZero():
		return refuse(act, ErrInvalidTime, "the time of the act is required")
	}
	if err := e.Policy.Validate(); err != nil {
		return withAct(act, err)
	}
	if err := checkProposal(act, e.Proposal, at); err != nil {
		return err
	}
	if normProposal(e.Proposal) != e.Proposal {
		return invalid(e, "the review date is not in UTC at microsecond precision")
	}
	if e.Kind != "" && !e.Kind.Valid() {
		return refuse(act, ErrInvalidEvent, "%q is not a decision kind (lowercase words joined by hyphens)", clip(string(e.Kind)))
	}
	if err := checkMembership(act, e); err != nil {
		return err
	}
	if err := checkEmergency(act, e, at); err != nil {
		return err
	}
	if h := e.History; h != nil && (h.Process.IsZero() || h.Circle.IsZero() || h.Circle == e.Circle || h.Rounds < 1) {
		return invalid(e, "a process taken up names the stuck process, its own circle and its rounds")
	}
	zone := time.UTC
	if e.Zone != "" {
		var msg string
		if zone, msg = kernel.LoadZone(e.Zone); zone == nil {
			return refuse(act, ErrInvalidZone, "%s", msg)
		}
	}
	*p = Process{
		id: e.Process, org: e.Org, circle: e.Circle, proposer: e.Proposer, facilitator: e.Facilitator,
		policy: e.Policy, phase: PhaseDraft, started: true, zone: zone, zoneName: e.Zone, kind: e.Kind, confidential: e.Confidential,
		history: e.History.clone(), emergency: emergencyOf(e.Emergency),
		versions: []Version{{Version: 1, Proposal: e.Proposal, At: at, By: e.Actor}},
	}
	if e.Membership != nil {
		m := e.Membership.clone()
		p.membership = &m
	}
	return nil
}

func (e Presented) apply(p *Process) error {
	if err := p.can(ActPresent, e.Actor, circle.Normalize(e.At)); err != nil {
		return err
	}
	ps, err := snapshot("present", e.Participants)
	if err != nil {
		return err
	}
	if !slices.Equal(ps, e.Participants) {
		return invalid(e, "participants must be sorted and distinct")
	}
	if err := p.checkExclusions("present", ps, e.Excluded); err != nil {
		return invalid(e, "%s", detailOf(err))
	}
	p.members, p.phase, p.excluded = ps, PhasePresented, slices.Clone(e.Excluded)
	return nil
}

func (e QuestionAsked) apply(p *Process) error {
	at := circle.Normalize(e.At)
	if err := p.can(ActAskClarifying, e.Actor, at); err != nil {
		return err
	}
	if e.Question != len(p.questions)+1 {
		return invalid(e, "question %d, want %d", e.Question, len(p.questions)+1)
	}
	if err := checkText("ask clarifying", "question", e.Text, p.policy.MaxReason, true); err != nil {
		return err
	}
	p.questions = append(p.questions, Question{Number: e.Question, By: e.Actor, Text: e.Text, AskedAt: at})
	return nil
}

func (e QuestionAnswered) apply(p *Process) error {
	const act = "answer clarifying"
	at := circle.Normalize(e.At)
	if err := p.can(ActAnswerClarifying, e.Actor, at); err != nil {
		return err
	}
	if e.Question < 1 || e.Question > len(p.questions) {
		return refuse(act, ErrNoQuestion, "no question %d", e.Question)
	}
	q := &p.questions[e.Question-1]
	if !q.AnsweredAt.IsZero() {
		return refuse(act, ErrQuestionAnswered, "question %d was answered at %s", e.Question, stamp(q.AnsweredAt))
	}
	if err := checkText(act, "answer", e.Text, p.policy.MaxReason, true); err != nil {
		return err
	}
	q.Answer, q.AnsweredAt = e.Text, at
	return nil
}

func (e ReactionsOpened) apply(p *Process) error {
	if err := p.can(ActOpenReactions, e.Actor, circle.Normalize(e.At)); err != nil {
		return err
	}
	p.phase = PhaseReactions
	return nil
}

func (e ReactionsSkipped) apply(p *Process) error {
	if err := p.can(ActSkipReactions, e.Actor, circle.Normalize(e.At)); err != nil {
		return err
	}
	p.phase, p.skipped = PhaseReactions, true
	return nil
}

func (e Reacted) apply(p *Process) error {
	at := circle.Normalize(e.At)
	if err := p.can(ActReact, e.Actor, at); err != nil {
		return err
	}
	if err := checkText("react", "reaction", e.Text, p.policy.MaxReason, true); err != nil {
		return err
	}
	p.reactions = append(p.reactions, Reaction{By: e.Actor, Text: e.Text, At: at})
	return nil
}

func (e ProposalAmended) apply(p *Process) error {
	const act = "amend"
	at := circle.Normalize(e.At)
	if err := p.can(ActAmend, e.Actor, at); err != nil {
		return err
	}
	if e.Version != len(p.versions)+1 {
		return invalid(e, "version %d, want %d", e.Version, len(p.versions)+1)
	}
	if err := checkProposal(act, e.Proposal, at); err != nil {
		return err
	}
	if normProposal(e.Proposal) != e.Proposal {
		return invalid(e, "the review date is not in UTC at microsecond precision")
	}
	if err := checkText(act, "change", e.Change, p.policy.MaxReason, true); err != nil {
		return err
	}
	for i, x := range e.Addresses {
		if i > 0 && e.Addresses[i-1].Compare(x) >= 0 {
			return invalid(e, "addressed objectors must be sorted and distinct")
		}
	}
	var res []Resolution
	if p.phase == PhaseIntegration {
		if len(e.Addresses) == 0 {
			return refuse(act, ErrNoObjection, "an amendment during integration names the objections it addresses")
		}
		r := p.latest()
		for _, x := range e.Addresses {
			rs, err := r.DecideResolve(e.Actor, x, ResolvedByAmendment, e.Change)
			if err != nil {
				return err
			}
			res = append(res, rs)
		}
	} else if len(e.Addresses) > 0 {
		return refuse(act, ErrNoObjection, "there are no objections before a consent round")
	}
	p.versions = append(p.versions, Version{Version: e.Version, Proposal: e.Proposal, Change: e.Change,
		Addresses: slices.Clone(e.Addresses), At: at, By: e.Actor})
	p.needsRound = true
	for _, rs := range res {
		if err := p.latest().Apply(rs, at); err != nil {
			return err // not reached: each was decided above
		}
	}
	return nil
}

func (e ConsentRoundOpened) apply(p *Process) error {
	at := circle.Normalize(e.At)
	if err := p.can(ActOpenConsentRound, e.Actor, at); err != nil {
		return err
	}
	o := e.RoundOpening
	switch {
	case o.Round != len(p.rounds)+1:
		return invalid(e, "round %d, want %d", o.Round, len(p.rounds)+1)
	case o.Version != len(p.versions):
		return invalid(e, "version %d, want the current version %d", o.Version, len(p.versions))
	case o.Policy != p.policy:
		return invalid(e, "the round's policy differs from the process's")
	case !o.Last.IsZero():
		return invalid(e, "a consent process has no participant who answers last")
	case o.Opens.Before(at):
		return invalid(e, "the round opens before it was opened")
	}
	r, err := NewRound(o)
	if err != nil {
		return err
	}
	if !openingEqual(r.opening, o) {
		return invalid(e, "the opening is not normalised (participants sorted and distinct, times UTC to the microsecond)")
	}
	if err := p.checkExclusions(ActOpenConsentRound.label(), r.opening.Participants, e.Excluded); err != nil {
		return invalid(e, "%s", detailOf(err))
	}
	if err := p.checkSubjectExcluded(ActOpenConsentRound.label(), r.opening.Participants, e.Excluded); err != nil {
		return err
	}
	if err := p.checkRecused(ActOpenConsentRound.label(), r.opening.Participants, e.Excluded); err != nil {
		return err
	}
	p.rounds = append(p.rounds, r)
	p.members = slices.Clone(r.opening.Participants)
	p.excluded = slices.Clone(e.Excluded)
	p.phase, p.needsRound = PhaseConsent, false
	return nil
}

func answerAct(k AnswerKind) (Act, bool) {
	switch k {
	case AnswerConsent:
		return ActConsent, true
	case AnswerConcern:
		return ActRaiseConcern, true
	case AnswerStandAside:
		return ActStandAside, true
	case AnswerObject:
		return ActObject, true
	}
	return 0, false
}

func (e Answered) apply(p *Process) error {
	at := circle.Normalize(e.At)
	a, ok := answerAct(e.Answer)
	if !ok {
		return refuse("answer", ErrInvalidAnswer, "%d is not an answer kind", uint8(e.Answer))
	}
	if err := checkSupport(a.label(), e.Person, e.Support); err != nil {
		return err
	}
	if e.Support.IsZero() != (e.Person == e.Actor) || (!e.Support.IsZero() && e.Support.By != e.Actor) {
		return invalid(e, "an answer is given by its person, or for them by the one its support names")
	}
	if err := p.canAs(a, e.Person, at, e.Support); err != nil {
		return err
	}
	if e.Support.How == SupportAssisted && e.Actor != p.facilitator {
		return refuse(a.label(), ErrNotFacilitator, "%s is not the facilitator; only the facilitator enters an answer for someone", e.Actor)
	}
	if p.phase != PhaseConsent {
		return refuse(a.label(), ErrPhase, "%s; a late objection is a %s event", phaseMessage(a.label(), p.phase, []Phase{PhaseConsent}), DecisionReopened{}.EventType())
	}
	r := p.latest()
	if e.Late || e.Round != r.Number() {
		return invalid(e, "an answer is given in time, in the latest round")
	}
	if err := r.checkAnswer(a.label(), e.Answer, e.Reason); err != nil {
		return err
	}
	r.record(e.AnswerGiven, at)
	return nil
}

func (e DecisionReopened) apply(p *Process) error {
	at := circle.Normalize(e.At)
	if err := p.can(ActObject, e.Actor, at); err != nil {
		return err
	}
	if p.phase != PhaseAdopted || p.policy.Absence != AbsenceLazyConsent {
		return refuse("object", ErrPhase, "only an adopted decision under lazy consent is reopened")
	}
	if e.Person != e.Actor || !e.Late || e.Answer != AnswerObject || !e.Support.IsZero() {
		return invalid(e, "a late objection is raised by its objector")
	}
	if err := p.latest().Apply(e.AnswerGiven, at); err != nil {
		return err
	}
	p.phase = PhaseIntegration
	return nil
}

func (e DeadlineSet) apply(p *Process) error {
	at := circle.Normalize(e.At)
	if err := p.can(ActSetDeadline, e.Actor, at); err != nil {
		return err
	}
	return p.latest().Apply(e.DeadlineChange, at)
}

func (e SnapshotRetaken) apply(p *Process) error {
	at := circle.Normalize(e.At)
	if err := p.can(ActRetakeSnapshot, e.Actor, at); err != nil {
		return err
	}
	if err := p.checkExclusions("retake snapshot", withChange(p.members, e.SnapshotChange), e.Excluded); err != nil {
		return invalid(e, "%s", detailOf(err))
	}
	if p.phase == PhaseConsent {
		if err := p.checkSubjectExcluded("retake snapshot", withChange(p.members, e.SnapshotChange), e.Excluded); err != nil {
			return err
		}
		if err := p.checkRecused("retake snapshot", withChange(p.members, e.SnapshotChange), e.Excluded); err != nil {
			return err
		}
		r := p.latest()
		if err := r.Apply(e.SnapshotChange, at); err != nil {
			return err
		}
		p.members = slices.Clone(r.opening.Participants)
		p.excluded = slices.Clone(e.Excluded)
		return nil
	}
	if e.Round != 0 {
		return invalid(e, "round %d: no consent round is open", e.Round)
	}
	member := func(x PersonID) bool {
		_, ok := slices.BinarySearchFunc(p.members, x, PersonID.Compare)
		return ok
	}
	for i, x := range e.Joined {
		if x.IsZero() || member(x) || (i > 0 && e.Joined[i-1].Compare(x) >= 0) {
			return invalid(e, "joined list must be sorted new participants")
		}
	}
	for i, x := range e.Left {
		if !member(x) || (i > 0 && e.Left[i-1].Compare(x) >= 0) {
			return invalid(e, "left list must be sorted current participants")
		}
	}
	if len(p.members)+len(e.Joined)-len(e.Left) < 1 {
		return refuse("retake snapshot", ErrInvalidParticipant, "the snapshot would be empty")
	}
	var ps []PersonID
	for _, x := range p.members {
		if _, gone := slices.BinarySearchFunc(e.Left, x, PersonID.Compare); !gone {
			ps = append(ps, x)
		}
	}
	ps = append(ps, e.Joined...)
	slices.SortFunc(ps, PersonID.Compare)
	p.members = ps
	p.excluded = slices.Clone(e.Excluded)
	return nil
}

// withChange returns the snapshot ps after c: without who left, with who
// joined. It is for checks only and tolerates a change that does not fit.
func withChange(ps []PersonID, c SnapshotChange) []PersonID {
	out := make([]PersonID, 0, len(ps)+len(c.Joined))
	for _, x := range ps {
		if !slices.Contains(c.Left, x) {
			out = append(out, x)
		}
	}
	return append(out, c.Joined...)
}

func (e IntegrationBegun) apply(p *Process) error {
	if err := p.can(ActIntegrate, e.Actor, circle.Normalize(e.At)); err != nil {
		return err
	}
	if e.Round != p.latest().Number() {
		return invalid(e, "round %d is not the latest", e.Round)
	}
	p.phase = PhaseIntegration
	return nil
}

func (e ObjectionUnderstood) apply(p *Process) error {
	at := circle.Normalize(e.At)
	if err := p.can(ActUnderstandObjection, e.Actor, at); err != nil {
		return err
	}
	return withAct(ActUnderstandObjection.label(), p.latest().Apply(e.ObjectionUnderstanding, at))
}

func (e ObjectionTested) apply(p *Process) error {
	at := circle.Normalize(e.At)
	if err := p.can(ActTestObjection, e.Actor, at); err != nil {
		return err
	}
	return p.latest().Apply(e.ValidityTest, at)
}

func (e TermShortened) apply(p *Process) error {
	const act = "shorten term"
	at := circle.Normalize(e.At)
	if err := p.can(ActShortenTerm, e.Actor, at); err != nil {
		return err
	}
	if e.How != ResolvedByShorterTerm || e.Version != len(p.versions)+1 {
		return invalid(e, "want resolution %s and version %d", ResolvedByShorterTerm, len(p.versions)+1)
	}
	r := p.latest()
	if _, err := r.DecideResolve(e.Actor, e.Objector, e.How, e.Note); err != nil {
		return err
	}
	current := p.reviewDate(at)
	if e.ReviewDate.IsZero() || !e.ReviewDate.After(at) || !e.ReviewDate.Before(current) || normTime(e.ReviewDate) != e.ReviewDate {
		return refuse(act, ErrInvalidReviewDate, "the review date %s must be after %s and before the current %s", stamp(e.ReviewDate), stamp(at), stamp(current))
	}
	prop := p.Proposal()
	prop.ReviewDate = e.ReviewDate
	change := "review date moved to " + stamp(e.ReviewDate)
	if e.Note != "" {
		change += ": " + e.Note
	}
	p.versions = append(p.versions, Version{Version: e.Version, Proposal: prop, Change: change,
		Addresses: []PersonID{e.Objector}, At: at, By: e.Actor})
	p.needsRound = true
	return r.Apply(e.Resolution, at)
}

func (e MeasureAdded) apply(p *Process) error {
	const act = "add measure"
	at := circle.Normalize(e.At)
	if err := p.can(ActAddMeasure, e.Actor, at); err != nil {
		return err
	}
	if e.How != ResolvedByMeasure || e.Version != len(p.versions)+1 {
		return invalid(e, "want resolution %s and version %d", ResolvedByMeasure, len(p.versions)+1)
	}
	r := p.latest()
	if _, err := r.DecideResolve(e.Actor, e.Objector, e.How, e.Note); err != nil {
		return err
	}
	m := e.Measure
	if err := checkText(act, "what is watched", m.Watch, p.policy.MaxReason, true); err != nil {
		return err
	}
	if err := checkText(act, "threshold", m.Threshold, p.policy.MaxReason, true); err != nil {
		return err
	}
	if m.Owner.IsZero() {
		return refuse(act, ErrMissingID, "the measure needs an owner")
	}
	if m.Checkpoint.IsZero() || !m.Checkpoint.After(at) || normTime(m.Checkpoint) != m.Checkpoint {
		return refuse(act, ErrInvalidTime, "the checkpoint %s must be after %s", stamp(m.Checkpoint), stamp(at))
	}
	p.versions = append(p.versions, Version{Version: e.Version, Proposal: p.Proposal(), Change: "measure: " + m.Watch,
		Addresses: []PersonID{e.Objector}, At: at, By: e.Actor})
	p.measures = append(p.measures, MeasureRecord{Round: e.Round, Objector: e.Objector, Measure: m})
	p.needsRound = true
	return r.Apply(e.Resolution, at)
}

func (e ObjectionDeferred) apply(p *Process) error {
	const act = "defer"
	at := circle.Normalize(e.At)
	if err := p.can(ActDefer, e.Actor, at); err != nil {
		return err
	}
	if e.How != ResolvedByDeferral {
		return invalid(e, "want resolution %s", ResolvedByDeferral)
	}
	r := p.latest()
	if _, err := r.DecideResolve(e.Actor, e.Objector, e.How, e.Note); err != nil {
		return err
	}
	if e.Owner.IsZero() {
		return refuse(act, ErrMissingID, "a deferral needs an owner")
	}
	if e.Until.IsZero() || !e.Until.After(at) || normTime(e.Until) != e.Until {
		return refuse(act, ErrInvalidTime, "the deferral date %s must be after %s", stamp(e.Until), stamp(at))
	}
	p.deferrals = append(p.deferrals, Deferral{Round: e.Round, Objector: e.Objector, Owner: e.Owner, Until: e.Until, Note: e.Note})
	return r.Apply(e.Resolution, at)
}

func (e ObjectionWithdrawn) apply(p *Process) error {
	at := circle.Normalize(e.At)
	if err := p.can(ActWithdrawObjection, e.Actor, at); err != nil {
		return err
	}
	if e.How != ResolvedByWithdrawal {
		return invalid(e, "want resolution %s", ResolvedByWithdrawal)
	}
	r := p.latest()
	if _, err := r.DecideResolve(e.Actor, e.Objector, e.How, e.Note); err != nil {
		return err
	}
	return r.Apply(e.Resolution, at)
}

func (e DecisionAdopted) apply(p *Process) error {
	at := circle.Normalize(e.At)
	if err := p.can(ActAdopt, e.Actor, at); err != nil {
		return err
	}
	d := p.record(at)
	if !decisionEqual(d, e.Decision) {
		return invalid(e, "the decision record does not match the process")
	}
	p.decisions = append(p.decisions, d)
	p.phase = PhaseAdopted
	return nil
}

func (e ConsentWithdrawn) apply(p *Process) error {
	at := circle.Normalize(e.At)
	if err := p.can(ActWithdrawConsent, e.Actor, at); err != nil {
		return err
	}
	if err := checkText("withdraw consent", "reason", e.Reason, p.policy.MaxReason, true); err != nil {
		return err
	}
	d := &p.decisions[len(p.decisions)-1]
	if e.Version != d.Version || !e.ReviewDate.Equal(d.ReviewDate) || !e.EarlyReview {
		return invalid(e, "version, review date and early-review flag must match the decision")
	}
	d.ConsentWithdrawals = append(d.ConsentWithdrawals, ConsentWithdrawal{Person: e.Actor, Reason: e.Reason, At: at})
	d.EarlyReview = true
	return nil
}

func (e ProposalWithdrawn) apply(p *Process) error {
	if err := p.can(ActWithdraw, e.Actor, circle.Normalize(e.At)); err != nil {
		return err
	}
	if err := checkText("withdraw", "reason", e.Reason, p.policy.MaxReason, false); err != nil {
		return err
	}
	p.phase, p.endReason = PhaseWithdrawn, e.Reason
	return nil
}

func (e Referred) apply(p *Process) error {
	const act = "refer"
	if err := p.can(ActRefer, e.Actor, circle.Normalize(e.At)); err != nil {
		return err
	}
	if e.To.IsZero() {
		return refuse(act, ErrMissingID, "the circle referred to is required")
	}
	if e.To == p.circle {
		return refuse(act, ErrSameCircle, "a proposal is referred to a circle other than %s", p.circle)
	}
	if err := checkText(act, "reason", e.Reason, p.policy.MaxReason, true); err != nil {
		return err
	}
	p.phase, p.referredTo, p.endReason = PhaseReferred, e.To, e.Reason
	return nil
}

func openingEqual(a, b RoundOpening) bool {
	return a.Round == b.Round && a.Version == b.Version && a.Opens.Equal(b.Opens) && a.Closes.Equal(b.Closes) &&
		a.Last == b.Last && a.Policy == b.Policy && slices.Equal(a.Participants, b.Participants)
}

// decisionEqual compares two decision records field by field (times with
// Equal); it is what replay uses to check a stored record.
func decisionEqual(a, b Decision) bool {
	sameTimes := a.AdoptedAt.Equal(b.AdoptedAt) && a.ReviewDate.Equal(b.ReviewDate) && a.LazyUntil.Equal(b.LazyUntil)
	scalars := a.Process == b.Process && a.Org == b.Org && a.Circle == b.Circle && a.Title == b.Title &&
		a.Driver == b.Driver && a.Text == b.Text && a.Version == b.Version && a.Proposer == b.Proposer &&
		a.Facilitator == b.Facilitator && a.Round == b.Round && a.Rounds == b.Rounds && a.Policy == b.Policy &&
		a.EarlyReview == b.EarlyReview && a.Kind == b.Kind && a.Confidential == b.Confidential &&
		(a.Emergency == nil) == (b.Emergency == nil) && (a.Emergency == nil || *a.Emergency == *b.Emergency) &&
		(a.Membership == nil) == (b.Membership == nil) && (a.Membership == nil || membershipEqual(*a.Membership, *b.Membership))
	answerEq := func(x, y Answer) bool {
		return x.Person == y.Person && x.Kind == y.Kind && x.Reason == y.Reason && x.At.Equal(y.At) && x.Late == y.Late &&
			x.Support == y.Support
	}
	objEq := func(x, y Objection) bool {
		return x.Round == y.Round && x.Objector == y.Objector && x.Reason == y.Reason && x.RaisedAt.Equal(y.RaisedAt) &&
			x.Late == y.Late && x.Support == y.Support && x.Understanding == y.Understanding && x.UnderstoodAt.Equal(y.UnderstoodAt) &&
			x.Tested == y.Tested && x.Valid == y.Valid && x.TestReasons == y.TestReasons && x.TestRule == y.TestRule &&
			x.Status == y.Status && x.Resolution == y.Resolution && x.Note == y.Note && x.ClosedAt.Equal(y.ClosedAt)
	}
	measureEq := func(x, y MeasureRecord) bool {
		return x.Round == y.Round && x.Objector == y.Objector && x.Watch == y.Watch && x.Threshold == y.Threshold &&
			x.Owner == y.Owner && x.Checkpoint.Equal(y.Checkpoint)
	}
	deferralEq := func(x, y Deferral) bool {
		return x.Round == y.Round && x.Objector == y.Objector && x.Owner == y.Owner && x.Until.Equal(y.Until) && x.Note == y.Note
	}
	withdrawalEq := func(x, y ConsentWithdrawal) bool {
		return x.Person == y.Person && x.Reason == y.Reason && x.At.Equal(y.At)
	}
	return sameTimes && scalars &&
		slices.Equal(a.Consented, b.Consented) && slices.EqualFunc(a.StoodAside, b.StoodAside, answerEq) && slices.Equal(a.Silent, b.Silent) &&
		slices.EqualFunc(a.Concerns, b.Concerns, answerEq) && slices.EqualFunc(a.Objections, b.Objections, objEq) &&
		slices.EqualFunc(a.Measures, b.Measures, measureEq) && slices.EqualFunc(a.Deferrals, b.Deferrals, deferralEq) &&
		slices.EqualFunc(a.ConsentWithdrawals, b.ConsentWithdrawals, withdrawalEq) &&
		slices.EqualFunc(a.Support, b.Support, answerEq) && slices.EqualFunc(a.Superseded, b.Superseded, answerEq) &&
		slices.EqualFunc(a.Heard, b.Heard, func(x, y Hearing) bool {
			return x.Round == y.Round && x.Statement == y.Statement && x.Objects == y.Objects && x.At.Equal(y.At)
		}) &&
		slices.Equal(a.Classes, b.Classes) && slices.Equal(a.Recused, b.Recused) &&
		slices.EqualFunc(a.Interests, b.Interests, interestEqual) &&
		slices.EqualFunc(a.Advice, b.Advice, func(x, y Advice) bool {
			return x.Round == y.Round && x.Person == y.Person && x.Answer == y.Answer && x.Reason == y.Reason && x.At.Equal(y.At)
		})
}
