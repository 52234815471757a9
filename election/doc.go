// Package election runs the sociocratic selection process for a role
// (docs/method.md, "Selection"; Sociocracy For All, "Many Voices One Song",
// on selection): nobody campaigns and nobody votes. The circle consents to
// the role's description and term, every member nominates one person with a
// reason, the nominations are revealed, anyone may change theirs with a
// reason, the facilitator proposes one nominee, and the circle consents to
// that person and term, the nominee answering last.
//
// # The process
//
// [Call] opens an [Election] for one role of one circle and, at once, a
// consent round on the role's description, qualifications and term
// (phase [PhaseDescription]). Then:
//
//   - [Election.OpenNominations]: the facilitator, once the description is
//     consented.
//   - [Election.Nominate] or [Election.Pass] (where [Policy.AllowPass]):
//     each participant once. Nominations stay hidden from everyone but
//     their author ([Election.Nominations]) until all are in or the
//     facilitator calls [Election.CloseNominations].
//   - [Election.ChangeNomination]: anyone may change their nomination, with
//     a reason, while the facilitator has not proposed.
//   - [Election.Propose]: the facilitator proposes a nominee and term, with
//     reasons. [Tally] counts nominations as information, never as a vote;
//     [BreakTie] applies a [TieRule] when the top is tied.
//   - The consent round on the nominee runs on [consent.Round], the same
//     engine as every consent decision: [Election.Consent],
//     [Election.Object], [Election.RaiseConcern], [Election.StandAside],
//     [Election.UnderstandObjection], [Election.TestObjection],
//     [Election.WithdrawObjection], [Election.ShortenTerm]. The nominee
//     answers last. [Election.ProposeAnother] replaces the nominee.
//   - [Election.Decline]: a nominee may decline at any point.
//   - [Election.Elect]: the facilitator, once the round is complete with no
//     open objection. The [Outcome] maps to one act of package circle,
//     [Outcome.Assign]; a store applies both in one atomic step.
//   - [Election.Cancel]: the facilitator ends the election without a result.
//
// # Eligibility
//
// Only members of the circle, as snapshotted when the election is called,
// may be nominated. A circle's leader cannot be elected its delegate, nor its
// delegate its leader. A delegate must be able to join the parent circle, so
// the top circle, which has none, elects no delegate. The election is held
// by the circle whose role it is; a leader elected this way still needs the
// parent circle's confirmation, which package linking checks through
// membership of both circles.
//
// # Authority and records
//
// Only participants nominate and answer; only the facilitator advances the
// process; only the objector withdraws an objection; only the nominee
// declines. Refused acts return an [*Error] (or the consent package's error
// for a rule of the round) and change nothing. [Election.Allowed] lists what
// a person may do now. [Election.Record] keeps every nomination, change and
// reason, each proposal, each round and the outcome.
//
// Nominations are hidden by this package's API, not by its events: a
// [Nominated] event holds its nominee, because replay needs it. A store or
// host that shows an election's events to readers withholds them with
// [Withheld], [Reveals] and [Redacted] (or [WithheldType], [RevealsType] and
// [RedactStored] on stored bodies): until the election's
// election.nominations_revealed, a reader other than the nominator sees who
// nominated and when, never whom or why.
//
// The package is pure: times and IDs are arguments.
package election
