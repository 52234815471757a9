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
// [Locker], [ProfilesReader], and [Prefetcher] on the Reader a build is
// handed), never as new methods on Driver; the Store works without them,
// more slowly. The conformance suite
// store/storetest is the whole contract: an adapter passes it or is wrong.
//
// # The Store
//
// Every act is one call, and every write method has the same shape: ctx,
// the organisation, the aggregate's ID where there is one, the act or spec,
// then a [*WriteOptions] (nil for none) holding the [Command] that makes
// it idempotent: [Store.ActOrg], [Store.StartProcess], [Store.ActProcess],
// [Store.TakeUp], [Store.CallElection], [Store.ActElection], [Store.ActCalendar],
// [Store.ActMembers], [Store.ErasePerson], [Store.EraseText] ([Store.Found] and [Store.Seed]
// take the organisation from the founding or the document they start it
// from). The Store loads the aggregates
// the act needs, runs it, and appends its events together with everything
// that must change with them, in one atomic [Batch]: the review calendar
// observes the organisation and consent events that concern it
// ([review.Observes], [review.Calendar.Observe]), and an election that ends
// with an outcome assigns the role in the organisation
// ([election.Outcome.Assign]) and schedules its term end, as an adopted
// membership decision adds or removes its member ([consent.Process.Enact]).
// Every act on a process is checked against the organisation the Store
// holds: its snapshot ([consent.CheckMembers]), the mandates answers are
// given under and the parent a stuck process is referred to
// ([consent.CheckAgainst]).
//
// A host's function receives the aggregate and the time of the attempt,
// and returns the events of its acts; a [Collector] gathers several:
//
//	s.ActOrg(ctx, org, func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
//		var acts store.Collector[circle.Event]
//		acts.Add(o.AddPerson(actor, at, spec))
//		acts.Add(o.AddMember(actor, at, team, spec.ID))
//		return acts.Result()
//	}, &store.WriteOptions{Command: cmd})
//
// The Store appends only the events that the function's acts yielded on
// the aggregate it was handed (each aggregate records them: see
// [circle.Organisation.Take]); anything else (events of a stale copy, of
// another aggregate or organisation, some left out) is refused with
// [ErrForeignEvents], and an act on an aggregate handed over only to read
// (the organisation beside a consent process) with [ErrReadOnly]. Nothing
// is written then, and the Store's copy is dropped.
//
// An act the core refuses writes nothing either. Its error comes back as a
// [Refusal] whose message names the people and circles by their labels in
// the organisation ("Sam Okafor is not a participant of round 2"), since
// the core's acts on a process or an election do not hold the organisation
// and can only name IDs; errors.Is and errors.As still reach the core's
// sentinel and typed error, IDs and all.
//
// # Registers
//
// The policy register (package agreement) observes the consent events of
// every act, as the calendar does: an adopted decision becomes an agreement
// of its circle, and a review ([consent.ProcessSpec.Review]) keeps, amends
// or retires one, in the decision's append, with the calendar retiring the
// reviewed version's review ([review.Calendar.ObserveAgreement]). The
// register opens with the first decision it sees; decisions adopted before
// then are not in it. [Store.AgreementsInForce] and
// [Store.AgreementsInForceIn] answer for any instant.
//
// The member register (package members) changes by [Store.ActMembers] and
// opens with its first act, taking the offices the top circle holds then;
// once open it follows the top circle's members and roles through every act
// on the organisation, and the calendar shows its membership conditions
// ([review.Calendar.ObserveMembers]). [Store.MembersAt],
// [Store.StatutoryRegister] and [Store.InspectableRegister] answer for any
// instant, with names and addresses read from the profiles at the time of
// the call.
//
// # Acts done in a meeting
//
// [Store.ConveneMeeting] and [Store.ActMeeting] keep a circle's meetings
// ([meeting.Meeting]); [Store.MeetingAgenda] gathers what an agenda is
// built from and [Store.Minutes] reads the minutes as one person of the
// organisation may. Any act whose [WriteOptions] name a meeting (and an
// agenda item) is recorded by that meeting in the same atomic append: a
// [meeting.ActsRecorded] by the meeting's secretary linking every stream
// the act wrote, with the versions it added. When the meeting cannot
// record it (it is not in session), the act is refused and nothing is
// written. [Store.CallGeneralMeeting] and [Store.ActGeneralMeeting] keep
// the members' general meetings ([assembly.Meeting]) the same way.
//
// # Under load
//
// Acts on one organisation never race each other: the Store builds each
// act's batch while the organisation's append serialisation is held, inside
// the driver when it offers [Locker] (memstore, sqlitestore and pgstore
// do: SQLite builds the acts of many writers inside one group commit,
// PostgreSQL under the lock of the organisation's head row), else under a
// lock of its own with an optimistic append. So, with default options, many
// people answering one consent round at once all succeed. Only Stores over
// one database with a driver without Locker can conflict; the Store then
// reloads and tries again with jittered backoff, honouring ctx, until
// [Options.MaxAttempts] or [Options.RetryFor] runs out ([*RetryError],
// matching [ErrRetriesExhausted]).
//
// Where the build's Reader offers [Prefetcher] (pgstore, which answers in
// one round trip, and memstore, the reference), an act asks at once what it
// would otherwise ask read by read: whether the organisation's logbook has
// new erasures, what each aggregate it loads missed since the Store last
// saw it, and its command. An answer on an existing process then costs two
// round trips on PostgreSQL: those reads with the lock, and the append with
// its commit. SQLite's reads cost no round trip, so sqlitestore does not
// offer it: asking in advance would only add the reads an act may not need.
//
// Each attempt is dated by the Store's clock ([Options.Clock], default
// [time.Now]; [WriteOptions.At] fixes a time instead), never before the
// latest event of the aggregates it loaded, so a retried act, or a clock
// that steps back, is never refused for time order. The core packages stay
// pure: the time is an argument of every act.
//
// # Choosing IDs
//
// The host mints the IDs of what it starts (a process, an election, a
// meeting) and of its commands. Mint them time-ordered, with
// uuid.NewV7: an adapter keeps a stream's row and its entries' stream
// index in key order, so a new aggregate with a time-ordered ID is written
// beside the one started before it, where a random ID (uuid.New, version 4)
// puts it on a random page of each of those indexes. On SQLite, whose
// every commit writes each page it changed, 32 writers starting processes
// commit about 40% fewer acts a second with random IDs than with
// time-ordered ones (BenchmarkWriters in sqlitestore). It is a matter of
// speed alone: any UUID is a valid ID (the examples name theirs from their
// content, with uuid.NewSHA1, so that their output is the same every run).
//
// # What a Store keeps in memory
//
// A Store keeps the aggregates it has replayed, at the stream version they
// were replayed to, so that an act costs the same whatever the length of the
// history behind it: one read of the entries since, the act, one append.
// The calendar is loaded only for events that concern it, and an act on it
// touches only the items it changes. There are two caches, each bounded by
// [Options.CacheAggregates] aggregates (default 1,024; the memory is that of
// the aggregates, roughly the size of their stored events):
//
//   - the write side holds the aggregates acts run on. An act checks one out
//     (nobody else sees it while the act runs), brings it up to date and
//     checks it back in at the version its append gives it. When anything
//     goes wrong (the act is refused, the function's events are refused, the
//     append fails), the copy is dropped or found stale at its next use, and
//     the stream is replayed again. When it is full it forgets half of
//     its aggregates, those acts used least first: an organisation every
//     act uses stays while the streams of processes started and left come
//     and go;
//   - the read side holds the organisations and calendars readers ask for.
//     [Store.Organisation] and [Store.Calendar] hand out a deep copy, which
//     the caller owns; [Store.Due] answers from the cached calendar itself.
//     Consent processes and elections are replayed for each read (their
//     streams are short).
//
// The stream stays the truth. Each use of a cached aggregate first reads the
// stream from the cached version on: the entry at that version must still be
// there with the same digest (else the copy is replayed: its append was
// rolled back, or the log rewritten), and newer entries, written by another
// Store or process, are applied. So a Store sees another's writes at its
// next read or act. A Store that has not seen an organisation yet (a process
// that just started) replays it once: the cold-read benchmark of
// [github.com/coproduce/sociocracy/store/storetest.RunBenchmarks] measures
// that.
//
// One exception spares an act those reads. Every append moves the
// organisation's log head (the sequence number and hash of its last entry),
// whoever makes it; so when an act finds, inside the driver's serialisation,
// the very head that the Store's own last append of the organisation left
// ([Result.Head]), nobody has written to the organisation since, and every
// aggregate that append left in the write cache is current. The act then
// uses those copies without reading their streams (on PostgreSQL its first
// round trip takes only the lock and the command: see
// [Prefetch.Unless]). The Store counts this only when the append's entries
// came straight after the head the act saw, and never after an append that
// redacts or erases (the next act checks the erasures as usual). Copies an
// act checked in are trusted only once its append is known to have
// committed: an append that fails leaves them to be read again. Inside a
// driver's group commit (several acts in one transaction), an act that
// finds the head the act before it will leave trusts that act's copies as
// it left them: both commit or neither does. That holds whether the act
// before trusted its copies or read them (it read inside the driver's
// serialisation), so one act that had to read does not leave every act
// after it in the group to read too. The memory for this is one head per
// organisation acted on (bounded like the record of erasures) and the
// copies the last act still pending hands on (at most 64, the latest).
//
// Queries: [Store.Organisation], [Store.Process], [Store.Election],
// [Store.Calendar], [Store.Due], [Store.OpenProcesses],
// [Store.OpenElections], [Store.Log] (an organisation's or a circle's
// logbook in a time range), [Store.Head], [Store.Verify]; and the past, each
// aggregate as it stood at an instant: [Store.OrganisationAt],
// [Store.CalendarAt], [Store.ProcessAt], [Store.ElectionAt] ([Store.OrganisationAt]
// says what "as of" means).
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
// the first bad entry; [VerifyLog] walks it through a driver and checks it
// against the driver's own [Driver.Head] and, when given, a head anchored
// elsewhere ([Store.VerifyAnchor]) and a [ChainKey].
//
// # Threat model
//
// The logbook is evidence, so consider an insider who can read and write
// the database directly (an administrator, a stolen backup restored with
// edits) and wants to change what it says. Three levels of protection, each
// adding to the one before:
//
//   - the plain chain: SHA-256 hashes, checked against the driver's head;
//   - an anchored head: a [Head] the host exported earlier and keeps
//     outside the database (with a notary, in an email, in another
//     system), given to [VerifyLog] as VerifyOptions.Anchor;
//   - keyed heads: every hash an HMAC-SHA256 under a [ChainKey] the host
//     holds outside the database ([Options.ChainKey] for a Store;
//     [Batch.Key] and VerifyOptions.Key underneath), so each
//     entry's hash is a signed head of the log up to it, and every
//     redaction record is signed with it.
//
// What each level detects ("yes": [VerifyLog] fails with [ErrCorrupt]):
//
//	attack by an insider                                  plain  anchored  keyed
//	a body altered in place                               yes    yes       yes
//	an entry deleted from the middle, or reordered        yes    yes       yes
//	the tail deleted, the driver's head row left          yes    yes       yes
//	an entry rewritten and the chain recomputed from it   no     yes (1)   yes
//	an entry appended, the head moved to it               no     no        yes
//	a redaction forged (body replaced, flagged, and a
//	  "text erased" record appended)                      no     no        yes
//	the tail after the anchor rewritten and recomputed    no     no        yes
//	the tail deleted and the driver's head rewound        no     yes (2)   no (3)
//
// (1) when the rewritten entry is at or before the anchor. (2) when the cut
// reaches back before the anchor. (3) keyed heads prove who wrote an entry,
// not that none was removed from the end: anchor a keyed head now and then
// (for example after every meeting) to close that too. A redaction whose
// record was cut away with the tail is still caught at every level (the
// body no longer matches its digest). Every row is a test
// (TestThreatModel). Whoever holds both the database and the key can forge
// anything: keep the key out of the database, its backups and its
// administrators' reach.
//
// # Erasure
//
// Personal data live in [Profile]s, apart from the events, which carry
// person IDs only; [Store.ErasePerson] deletes a profile and records the
// erasure in one atomic append ([Batch.ErasedProfiles]). Free text that holds
// personal data (a proposal's text, an objection's reason) is erased with
// [Store.EraseText], which also erases the copies the library made of it
// (the decision record, calendar titles): the canonical bytes hold a digest
// of the event body, not the body, so replacing the text leaves every hash
// valid, and each redaction is itself logged so that [Verifier] tells it
// from tampering. Both are computed inside the organisation's append
// serialisation, take a [Command] for retries, and make every Store over
// the same database drop its cached copies at its next read or act.
//
// # Times
//
// Every stored time is UTC with microsecond precision ([circle.Normalize]);
// the suite checks that adapters return exactly that.
package store
