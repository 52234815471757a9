// Package linking checks the structure that makes sociocracy's feedback
// loops work: double-linking (docs/method.md, "Double-linking"). Every circle
// below the top is linked to its parent by at least two distinct people, its
// leader and its delegate, both full members of both circles. The package
// also checks co-production coverage (people receiving support sit in the
// circles that decide about their support), proposes candidates for a vacant
// or broken link, and traces the path a concern takes between two circles.
//
// It reads a [circle.Organisation] and never changes it.
//
// # Validation
//
// [Check] judges an organisation against a [Policy] at an instant and
// returns a [Report] of every [Violation] at once, in a deterministic order,
// each with a [Code], the circle, the link role and person at fault, and a
// message a secretary can act on. A report marshals to JSON and prints as
// text ([Report.String]). [Diff] compares two reports by [Violation.Key], so
// a host can warn before a change that removes the only delegate of a
// circle: validate a copy of the organisation with the change applied
// ([Preview] does this) and show what the change introduces.
//
// # Policy
//
// A nil [*Policy] means the Sociocracy For All defaults ([DefaultRule]):
// every circle below the top needs a leader and a delegate, two distinct
// working links ([DoubleLinked]); a helping circle needs only a leader
// ([LeaderOnly]); the top circle, having no parent, needs none. A policy may
// override the rule per circle kind or for one circle, and add co-production
// [CoverageRule]s such as [CoProduction]. A policy is plain data: store it
// as JSON and read it back with [ParsePolicy], which refuses anything that
// is not a valid policy.
//
// # Fixing and following links
//
// [Candidates] lists who may fill a leader or delegate role under the rules
// and what each must do first (join the circle, join the parent).
// [FeedbackPath] returns the chain of circles and linking people through
// which a concern travels: up through delegates, down through leaders, via
// the lowest common ancestor. A vacant or broken link is reported as a gap
// ([Hop.Gap]), with the other link of the circle as a possible backup; the
// path never pretends a link works. [Links] returns the two links of one
// circle.
//
// # Purity and concurrency
//
// The package reads no clock (the instant is an argument), does no I/O and
// starts no goroutines. Its functions only read the organisation, so they
// may run concurrently with each other, but not with an act on the same
// organisation.
package linking
