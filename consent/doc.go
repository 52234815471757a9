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
