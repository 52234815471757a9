// Package storetest is the conformance suite of
// [github.com/coproduce/sociocracy/store]: the whole contract of a
// [store.Driver], in one call.
//
// An adapter's test runs
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Driver { return memstore.New() })
//	}
//
// The function is called once per subtest and may return the same database
// every time: every subtest uses fresh, random organisation and stream IDs,
// so a shared PostgreSQL database works and subtests never see each other's
// data. The suite closes each driver it is given when the subtest ends
// (Close must therefore not close a database the harness shares).
//
// # What it checks
//
// Round-trips of every field (times in UTC at microsecond precision,
// empty, binary and large bodies); errors by [errors.Is] and their typed
// detail ([store.ErrNotFound], [store.ErrConflict], [store.ErrCommandMismatch],
// [store.ErrInvalid], [store.ErrClosed]); a race of 64 writers from the same
// version with exactly one winner; atomic multi-stream appends that leave
// nothing behind when one part fails; idempotent commands, concurrent ones
// included; tenant isolation; the hash chain and the detection of altered,
// deleted and reordered entries; redaction that keeps the chain valid;
// profiles and their erasure; Locker where the driver has it; that
// slices are never aliased; use after close; cancelled contexts; and a
// rapid state-machine test of the driver against a map model. Everything
// runs under -race.
//
// The suite has teeth: store/storetest's own tests run it against
// deliberately broken adapters and require it to fail.
package storetest
