// Package store keeps the records of sociocratic organisations: event
// streams per aggregate, a per-organisation hash-chained logbook, idempotent
// commands and erasable personal profiles, in whatever database a platform
// uses.
//
// # Two halves
//
// Like [database/sql] and gocloud.dev, the package has a small [Driver]
// interface that adapter writers implement (store/memstore,
// store/sqlitestore, store/pgstore) and a concrete portable type that users
// call and that holds every piece of domain logic. Adapters store opaque
// records; the portable type knows the aggregates.
//
// # The logbook
//
// Every event of an organisation gets a gapless sequence number in one log
// ([Entry.Seq]) and a hash that covers the previous entry's hash and the
// entry's canonical bytes ([AppendCanonical], [Entry.ComputeHash]). The
// canonical bytes hold a digest of the event body, not the body, so a body
// holding personal free text can be redacted without breaking the chain;
// each redaction is itself logged.
//
// # Times
//
// Every stored time is UTC with microsecond precision ([circle.Normalize]).
package store
