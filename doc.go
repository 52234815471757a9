// Package sociocracy is the root of a library that models sociocratic
// governance: organisations that govern themselves in circles, decide by
// consent, fill roles by sociocratic selection and review everything on a
// schedule. It is written for developers of care platforms (social-care
// co-operatives in which people who receive support, their families, care
// workers and investors govern together) and for any organisation that
// works this way. The root package holds no code; this is the tour.
//
// # Packages
//
//   - [github.com/coproduce/sociocracy/circle]: the organisation: people
//     (opaque IDs with a stakeholder class), circles with aims, domains and
//     members, roles held for a term. Every change is an act that yields
//     events.
//   - [github.com/coproduce/sociocracy/linking]: double-linking rules and
//     co-production coverage: where the structure falls short, who could
//     fill a vacant link, and the path a concern travels between circles.
//   - [github.com/coproduce/sociocracy/consent]: the consent decision
//     process, objections integrated and never overridden.
//   - [github.com/coproduce/sociocracy/election]: the sociocratic selection
//     process for roles.
//   - [github.com/coproduce/sociocracy/review]: one review calendar for
//     every feedback loop: policy reviews, term ends, measures.
//   - [github.com/coproduce/sociocracy/store]: the portable Store a host
//     calls (one method per act, each one atomic append with everything
//     that must change with it), the hash-chained logbook and the small
//     Driver interface adapters implement.
//   - [github.com/coproduce/sociocracy/store/sqlitestore] (the embedded
//     default), [github.com/coproduce/sociocracy/store/pgstore] (PostgreSQL)
//     and [github.com/coproduce/sociocracy/store/memstore] (in memory, the
//     reference); [github.com/coproduce/sociocracy/store/storetest] is the
//     conformance suite every adapter passes.
//   - [github.com/coproduce/sociocracy/orgchart]: the organisation as an
//     SVG picture or Mermaid text, beside linking because it draws what
//     linking finds.
//
// The examples directory holds runnable programs; examples/carecoop is the
// README's first command.
//
// # How a host uses them
//
// Model the organisation with circle (found it, add people and circles,
// delegate domains, assign roles), check its structure with linking, run
// decisions and elections with consent and election, and keep the review
// calendar with review. The core packages are pure: they read no clock, make
// no IDs and do no I/O, so the host passes the time and the IDs and decides
// where the events go. A store persists them: it loads an aggregate, runs an
// act, appends the events and keeps the logbook, scoped to one organisation.
package sociocracy
