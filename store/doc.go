// Package store keeps the records of sociocratic organisations: event
// streams per aggregate, a per-organisation hash-chained logbook, idempotent
// commands and erasable personal profiles, in whatever database a platform
// uses.
//
// # Two halves
//
// Like [database/sql] and gocloud.dev, the package has a small [Driver]
// interface that adapter writers implement (store/memstore, the reference;
// store/sqlitestore, the embedded default; store/pgstore) and a concrete
// portable type, [Store], that users call and that holds every piece of
// domain logic. Adapters store opaque records; the Store knows the
// aggregates. New driver abilities arrive as optional interfaces (today
// [Snapshotter]), never as new methods on Driver. The conformance suite
// store/storetest is the whole contract: an adapter passes it or is wrong.
//
// # The Store
//
// Every act is one call: [Store.ActOrg], [Store.StartProcess],
// [Store.ActProcess], [Store.CallElection], [Store.ActElection],
// [Store.ActCalendar]. The Store loads the aggregates the act needs,
// runs it, and appends its events together with everything that must
// change with them, in one atomic [Batch]: the review calendar observes
// every organisation and consent event ([review.Calendar.Observe]), and an
// election that ends with an outcome assigns the role in the organisation
// ([election.Outcome.Assign]) and schedules its term end. When a concurrent
// writer got there first (a stale expected version: [ErrConflict]) the Store
// reloads and tries again, a bounded number of times with jittered backoff,
// honouring ctx; then it gives up with a [*RetryError].
//
// Queries: [Store.Organisation], [Store.Process], [Store.Election],
// [Store.Calendar], [Store.Due], [Store.OpenProcesses],
// [Store.OpenElections], [Store.Log] (an organisation's or a circle's
// logbook in a time range), [Store.Head], [Store.Verify].
//
// # Idempotency
//
// An act may carry a [Command]: a retried request with the same ID and
// payload has one effect and returns the original [Receipt]; the same ID
// with another payload fails with [ErrCommandMismatch].
//
// # Tenancy
//
// Every key, query and batch names its organisation, and drivers never
// read or write across organisations: the same ID under another
// organisation names nothing.
//
// # The logbook
//
// Every event of an organisation gets a gapless sequence number in one log
// ([Entry.Seq]) and a hash that covers the previous entry's hash and the
// entry's canonical bytes ([AppendCanonical], [Entry.ComputeHash]). The
// Store computes them ([Batch.Seal]) inside the driver's per-organisation
// serialisation, so adapters never hash. [Verifier] walks a log and names
// the first bad entry; [Store.VerifyAnchor] also checks a head anchored
// elsewhere, which reveals a log cut back or rewritten.
//
// # Erasure
//
// Personal data live in [Profile]s, apart from the events, which carry
// person IDs only; [Store.ErasePerson] deletes a profile and logs the
// erasure. Free text that holds personal data (a proposal's text, an
// objection's reason) is erased with [Store.EraseText]: the canonical bytes
// hold a digest of the event body, not the body, so replacing the text
// leaves every hash valid, and the redaction is itself logged so that
// [Verifier] tells it from tampering.
//
// # Times
//
// Every stored time is UTC with microsecond precision ([circle.Normalize]);
// the suite checks that adapters return exactly that.
package store
