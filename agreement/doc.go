// Package agreement is the policy register of an organisation that governs
// itself in circles: every decision a circle adopts by consent becomes one
// of its standing agreements, with its text, every version it has had, the
// decision that made each version and its review date (docs/method.md,
// "Policy register").
//
// # Words
//
// Co-operatives' rules and the sociocratic handbooks call these standing
// decisions "policies". Package consent already uses that word for a
// circle's decision rules ([consent.Policy]: objection validity, absence,
// review months), so this package calls what a decision became an
// [Agreement], and its versions [Version]s. The register of agreements is
// what the organisation's rules call its policy register; "policy" in this
// package's API always means [consent.Policy].
//
// # How agreements change
//
// Only a consent decision (or the end of a circle) changes the register, so
// the [Register] has no acts of its own: it observes the consent events of
// the organisation and the dissolution of circles ([Register.Observe], as
// the review calendar does) and a store appends
// what it makes of them together with the decision, in one append:
//
//   - a decision on a new matter becomes a new agreement of its circle
//     (version 1, [ChangeAdopted]), whose ID [IDFor] derives from the
//     decision's process;
//   - a review is a consent process linked to the agreement it reviews
//     ([consent.ProcessSpec.Review], recorded as [ReviewStarted]); once its
//     decision is adopted the agreement is kept (the same title and text, a
//     new review date: [ChangeKept]), amended (a new title or text:
//     [ChangeAmended]) or, when the review was started to retire it,
//     retired;
//   - a late objection under lazy consent reopens a decision: the version
//     it made leaves force, and the version before it, if any, is in force
//     again ([ChangeRestored]);
//   - a dissolved circle's agreements leave force with it
//     ([CircleDissolved]).
//
// A version is in force from its decision's adoption until, not including,
// the instant the next version, a retirement or a reopening ended it. The
// register keeps every version with that interval, so [Register.InForce]
// and [Register.InForceIn] answer "what was in force at t" for any instant t,
// past or present, without replaying anything.
//
// # Authority
//
// Who may propose, consent and adopt is decided by package consent; the
// register refuses what would make its record wrong: a review of an
// agreement that does not exist, belongs to another circle or is retired
// ([ErrUnknownAgreement], [ErrWrongCircle], [ErrRetired]). The store then
// starts nothing. [Register.Reviewable] lists the agreements a person may
// start a review of.
//
// # Purity and concurrency
//
// The package reads no clock, makes no random IDs and does no I/O. A
// Register is not safe for concurrent use; concurrent reads without writes
// are safe.
package agreement
