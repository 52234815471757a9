// Package consent runs consent decision-making (docs/method.md, "Consent
// decision-making"): decisions are made when there are no reasoned
// objections; nobody votes, and no facilitator, leader or majority can
// override an objection. It runs the process exactly, in person or online,
// and keeps a record someone outside the circle can read.
//
// # The process
//
// A [Process] belongs to one circle and has a proposer, a facilitator and a
// [Proposal] (title, driver, text, optional review date). [Start] opens it in
// [PhaseDraft]; acts, each a method named for the sociocratic act, move it
// through [PhasePresented] (clarifying questions and answers),
// [PhaseReactions] (each participant reacts at most once, or the facilitator
// skips), [PhaseConsent] (a consent round), [PhaseIntegration] (objections
// understood and resolved) to [PhaseAdopted], or end it in [PhaseWithdrawn]
// or [PhaseReferred] (outside this circle's domain, to a named circle).
//
// Every act takes the actor and the time, `(actor, at, ...) ([]Event,
// error)`. It either refuses with an [*Error] that matches one sentinel
// ([ErrNotFacilitator], [ErrObjectionOpen], [ErrRoundClosed], ...) and changes
// nothing, or applies and returns its events for the host to store. Acts
// dated before the latest event are refused ([ErrTimeOrder]).
// [Process.Allowed] lists what a person may do now; everything else is
// refused, whatever its arguments.
//
// # Authority
//
// Enforced here, not by the host: only participants answer
// ([ErrNotParticipant]); only the facilitator advances phases, understands,
// tests and defers objections ([ErrNotFacilitator]); only the proposer
// amends, shortens the term, adds measures and withdraws the proposal
// ([ErrNotProposer]); only the objector withdraws an objection
// ([ErrNotObjector]). Nothing is adopted while an objection is open
// ([ErrObjectionOpen]).
//
// # Objections
//
// An objection is first understood ([Process.UnderstandObjection]), then
// resolved, each way its own act and event: an amendment by the proposer
// ([Process.Amend], [ProposalAmended]), a shorter term
// ([Process.ShortenTerm], [TermShortened]), a measure ([Process.AddMeasure],
// [MeasureAdded]), a deferral to an owner and date ([Process.Defer],
// [ObjectionDeferred]), or withdrawal by the objector
// ([Process.WithdrawObjection], [ObjectionWithdrawn]). Amendments, shorter
// terms and measures make a new proposal version, so a new consent round
// must follow ([ErrNewRoundNeeded]). Under a testing policy the facilitator
// records the validity test ([Process.TestObjection]).
//
// # Policy
//
// A circle's [Policy] is recorded on every round and every [Decision]:
// objection validity ([ValidityAllStated], the Sociocracy For All default;
// [ValidityGroupTest], S3; [ValidityFacilitatorTest], Holacracy), absent
// members ([AbsenceHold], the default; [AbsenceLazyConsent] with a window in
// which absentees may still object and reopen the decision;
// [AbsenceSilenceIsConsent]), whether concerns and standing aside are
// allowed, the default review interval and the maximum reason length.
//
// # Deadlines and snapshots
//
// A round's participants are a snapshot of the circle's members taken when
// it opens (see [Members]). An online round answers in the half-open
// interval [opens, closes): an answer at closes is refused with
// [ErrRoundClosed]. Whether a round is open is derived from the stored
// deadline and the time of the act ([Round.IsOpen]), so no scheduler is
// needed for correctness. Times are kept in UTC at microsecond precision
// ([circle.Normalize]); closes plus one nanosecond is closes. A membership
// change is an explicit act ([Process.RetakeSnapshot]): newcomers must
// answer, answers and objections of people who left are set aside, not
// deleted.
//
// # The round, shared with elections
//
// [Round] is one consent round and the engine of every consent decision in
// the library. The election package embeds it to consent to a nominee, with
// the rule that the nominee answers last ([RoundOpening.Last]). Its
// documentation says how to embed it: decide with a Decide method, put the
// payload in your own event, apply it with [Round.Apply].
//
// # Records and review
//
// [DecisionAdopted] carries the [Decision]: final text and version,
// adoption time, review date (always set), who consented, concerns, who
// stood aside or stayed silent, every objection and how it was resolved,
// measures, deferrals, and the policy that applied. Every event's [Header]
// names the organisation, circle and process, so a review calendar can take
// [MeasureAdded] checkpoints, [ObjectionDeferred] dates, the
// [DecisionAdopted] review date and [ConsentWithdrawn] early-review flags
// straight from the event stream.
//
// # Taking part
//
// Who takes part and how (docs/method.md, "Taking part"):
//
//   - What a person may do. [Process.AllowedParts] lists the acts of
//     taking part ([PartAct]) a person may do now, and for whom, as
//     [Process.Allowed] does for the acts of the process.
//   - Answers given for someone. [Process.AnswerFor] records an answer an
//     advocate or proxy gives for a participant under a mandate the
//     participant gave (circle.Mandate, kept by the organisation and found
//     with [Process.MandateFor]; [ErrNoMandate] otherwise); a proxy answers
//     only where [Policy.Proxies] allows, within its limit per holder
//     ([ErrProxyLimit]). [Process.EnterAnswer] records an answer a
//     participant gave in person, by phone or on paper, entered by the
//     facilitator. Each answer carries a [Support] saying who gave it and
//     how; the event's header names who acted and its person whom the
//     answer is for. A participant's own answer replaces one given for
//     them in the same round ([Round.Superseded]); nothing replaces their
//     own. [Process.AnswersFor] lists whom a holder may answer for now, as
//     [Process.Allowed] does for a person's own acts; [CheckSupport] is the
//     store's check of each mandate against the organisation it holds.
//   - The record of support. [Decision.Support] lists the answers of the
//     deciding round given with support, [Decision.Superseded] the
//     advocates' and proxies' answers that a participant's own replaced,
//     and [Decision.SupportOf] tells how one person's answer was given;
//     [Decision.Answers] lists every participant's answer with who gave it
//     and how (in person, through an advocate, by proxy, or entered for
//     them), the form a governance report reads. The
//     answers of every round, with their support, are in [Round.Answers];
//     an objection raised for someone carries its [Objection.Support].
//   - Membership decisions. A process started with a [MembershipChange]
//     ([ProcessSpec.Membership], checked against the organisation by
//     [StartIn]) decides who joins the circle or which member is removed.
//     [Process.Enact] is the act on the organisation that carries out the
//     adopted decision; a store appends it with the adoption. Under
//     [Policy.JoinConsentOf] (a care team sets circle.SupportedPerson) a
//     join needs the own consent of each member of that class
//     ([ErrConsentRequired]). A removal's rounds leave out the member to be
//     removed as their one recorded exclusion ([Process.RemovalExclusion]);
//     that member is heard ([Process.HearSubject]) without blocking, and
//     what they said is on the record ([Decision.Heard]).
//   - Participation classes. Only the circle's full members consent:
//     [Process.Snapshot] gives the participants and exclusions a round
//     must have, learning members and guests left out by their class
//     ([Exclusion.Class], checked against the organisation by
//     [CheckMembers]) and listed on the record ([Decision.Classes]). A
//     learning member's answer is advice ([Process.Advise],
//     [Decision.Advice]), which never blocks. A confidential process
//     ([ProcessSpec.Confidential]) leaves guests out from its
//     presentation on, and [MayRead] tells a host that a guest does not
//     read it.
//   - Conflicts of interest. [Process.DeclareInterest] records an interest
//     declared by the participant, or raised by another and then ruled on
//     by the facilitator ([Process.RuleOnInterest]), before a consent
//     round. Unless [Policy.KeepInterested], a standing interest recuses
//     the participant: later rounds leave them out as an exclusion marked
//     [Exclusion.Recused] ([Process.Recused]), and the record lists
//     [Decision.Interests] and [Decision.Recused].
//   - Stuck decisions. Integrating round [Policy.StuckAfter] (by default
//     [DefaultStuckAfter]) or later without consent records the process
//     as stuck ([DecisionStuck], [Process.Stuck]), which a review calendar
//     flags. Its facilitator may refer it to the parent circle
//     ([Process.ReferToParent]), which takes it up with its [History]
//     ([TakeUp], [Process.TakesUp]). [CheckAgainst] is the store's check
//     of an act's events against the organisation.
//   - Emergency decisions. A process started with
//     [ProcessSpec.Emergency] through [StartIn] is an emergency decision
//     the proposer takes alone, in effect at once: they must hold
//     [Policy.EmergencyRole] (by default the leader) and decide within
//     [Policy.EmergencyScope] (by default the circle's domain). The
//     process is the consent process on it; its round must open within
//     [Policy.EmergencyDays] ([Emergency.HoldBy]; [Process.EmergencyOverdue]),
//     and a review calendar keeps it on the agenda, escalating when late.
//
// # Storage
//
// [MarshalEvent] and [UnmarshalEvent] give each event a stable type name and
// JSON body; decoding is strict. [Replay] and [Process.Apply] rebuild a
// process from stored events and check each one as it is applied. A
// *Process also marshals to a JSON snapshot of its state
// ([Process.MarshalJSON]), decoded strictly and checked with
// [Process.Check], which reports every broken invariant at once.
//
// The package is pure: no clock, no randomness, no I/O. Times and IDs are
// arguments. A [Process] or [Round] is not safe for concurrent use; hosts
// serialise acts on one process (a store does so by [Process.Version]).
package consent
