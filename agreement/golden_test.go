package agreement_test

import (
	"testing"

	"github.com/coproduce/sociocracy/agreement"
	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/internal/golden"
)

// sampleLog returns a register's log with one event of every type, as
// Observe produces them.
func sampleLog() []agreement.Event {
	r, evs := open()
	a1, a2 := agreement.IDFor(orgID, proc(1)), agreement.IDFor(orgID, proc(2))
	evs = append(evs, observe(r,
		adopted(proc(1), cid(2), day(1), "Evening visits", "Same two workers for evening visits"),
		adopted(proc(2), cid(3), day(2), "Budget", "Monthly budget review"),
		started(proc(3), cid(2), day(100), consent.Review{Agreement: a1}),
		adopted(proc(3), cid(2), day(110), "Evening visits", "Same two workers for evening visits"),
		started(proc(4), cid(2), day(200), consent.Review{Agreement: a1}),
		adopted(proc(4), cid(2), day(210), "Evening visits", "Same two workers, named a week ahead"),
		consent.DecisionReopened{Header: hdr(proc(4), cid(2), day(211))},
		started(proc(5), cid(3), day(300), consent.Review{Agreement: a2}),
		consent.ProposalWithdrawn{Header: hdr(proc(5), cid(3), day(301))},
		started(proc(6), cid(3), day(302), consent.Review{Agreement: a2, Retire: true}),
		adopted(proc(6), cid(3), day(310), "Retire the budget review", "The board does it"),
		circle.CircleDissolved{Header: circle.Header{Org: orgID, Actor: pid(1), At: day(400)}, Circle: cid(2)},
	)...)
	return evs
}

// TestStorageFormatIsStable: the stored form of every event type (type name
// and JSON body) is part of the storage format and never changes
// (docs/storage.md). A change to testdata/events.golden is a change of
// format: rewrite it with -update only together with a migration.
func TestStorageFormatIsStable(t *testing.T) {
	golden.CheckEvents(t, "events.golden", [][]agreement.Event{sampleLog()}, agreement.MarshalEvent, agreement.EventTypes())
}
