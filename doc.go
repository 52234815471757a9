// Package sociocracy is the root of a library that models sociocratic
// governance: organisations that govern themselves in circles, decide by
// consent, fill roles by sociocratic selection and review everything on a
// schedule. It is written for developers of care platforms (social-care
// co-operatives in which people who receive support, their families, care
// workers and investors govern together) and for any organisation that
// works this way. The root package holds no code; this is the tour.
//
// # The pure core
//
//   - [github.com/coproduce/sociocracy/circle]: the organisation: people
//     (opaque IDs with a stakeholder class), circles with aims, domains and
//     members, roles held for a term. Every change is an act that yields
//     events or a typed error.
//   - [github.com/coproduce/sociocracy/linking]: double-linking rules and
//     co-production coverage: where the structure falls short, who could
//     fill a vacant link, and the path a concern travels between circles.
//   - [github.com/coproduce/sociocracy/consent]: the consent decision
//     process, objections integrated and never overridden.
//   - [github.com/coproduce/sociocracy/election]: the sociocratic selection
//     process for roles.
//   - [github.com/coproduce/sociocracy/review]: one review calendar for
//     every feedback loop: policy reviews, term ends, measures.
//   - [github.com/coproduce/sociocracy/agreement]: the policy register:
//     every adopted decision as an agreement of its circle, with its
//     versions, and what was in force at any instant.
//   - [github.com/coproduce/sociocracy/members]: the register of members
//     and officers, membership conditions that lapse, and the register the
//     law requires as CSV and JSON.
//   - [github.com/coproduce/sociocracy/meeting]: a circle's meetings:
//     agenda, attendance, the acts done in them, minutes for all members.
//   - [github.com/coproduce/sociocracy/assembly]: the members' general
//     meetings: notice, quorum, proxies, consent first then a vote, class
//     weighting.
//
// These packages read no clock, make no IDs and do no I/O: the host passes
// the time and the IDs, and decides where the events go.
//
// # Records
//
//   - [github.com/coproduce/sociocracy/store]: the portable Store a host
//     calls (load an aggregate, run an act, append its events, retry on
//     conflict, keep the hash-chained logbook), and the small Driver
//     interface adapters implement.
//   - [github.com/coproduce/sociocracy/store/sqlitestore]: the embedded
//     default, pure Go.
//   - [github.com/coproduce/sociocracy/store/pgstore]: PostgreSQL, for
//     platforms that run it or outgrow one machine, with row-level security
//     per organisation.
//   - [github.com/coproduce/sociocracy/store/memstore]: in memory, for tests
//     and demonstrations.
//   - [github.com/coproduce/sociocracy/store/storetest]: the conformance
//     suite every adapter passes.
//
// # Pictures and evidence
//
//   - [github.com/coproduce/sociocracy/orgchart]: the organisation as an
//     SVG picture or Mermaid text.
//   - [github.com/coproduce/sociocracy/report]: the governance report of a
//     period, read through the Store, as JSON and as a printable page, each
//     record with its logbook entry.
//   - [github.com/coproduce/sociocracy/cmd/sociocracy]: the command line
//     for people who do not write Go: verify the logbook, the organisation
//     as of a date, the agenda, the calendar, the org chart, the report and
//     the register of members.
//
// # How a host uses them
//
// Model the organisation with circle (found it, add people and circles,
// delegate domains, assign roles), check its structure with linking, run
// decisions and elections with consent and election, keep the review
// calendar with review, and hold meetings and general meetings with meeting
// and assembly. The policy register (agreement) follows the decisions by
// itself; the register of members (members) changes by the secretary's
// acts and follows the top circle's offices. Persist through a store: open a driver (SQLite, or
// PostgreSQL on the host's own pool), wrap it in a Store, and call one Store
// method per act; the Store loads the aggregates, runs the act, appends its
// events and everything that must change with them in one atomic append,
// and keeps the logbook, always scoped to one organisation. The programs
// under examples/ show it end to end; examples/tour is the README's tour.
package sociocracy
