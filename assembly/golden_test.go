package assembly_test

import (
	"testing"

	"github.com/coproduce/sociocracy/assembly"
	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/internal/golden"
)

// goldenLogs returns logs of general meetings that hold every event type at
// least once, built through the acts.
func goldenLogs() [][]assembly.Event {
	m, log := call(5, 2, rules())
	do := func(evs []assembly.Event, err error) {
		if err != nil {
			panic(err)
		}
		log = append(log, evs...)
	}
	do(m.Propose(pid(1), at(1), assembly.ResolutionSpec{Majority: assembly.Ordinary, Title: "Receive the accounts", Text: "The accounts for 2025 are received."}))
	do(m.Propose(pid(1), at(1), assembly.ResolutionSpec{Majority: assembly.Special, Title: "Amend rule 12", Text: "Rule 12 is replaced by: ..."}))
	do(m.Propose(pid(1), at(1), assembly.ResolutionSpec{Majority: assembly.Ordinary, Title: "Move the office", Text: "The office moves."}))
	do(m.AppointProxy(pid(5), at(2), pid(3)))
	do(m.AppointProxy(pid(4), at(2), pid(3)))
	do(m.RevokeProxy(pid(4), at(3)))
	for _, p := range []int{1, 2, 3, 4, 6, 7} {
		do(m.Register(pid(p), at(4), pid(p)))
	}
	do(m.Open(pid(1), after(0)))
	do(m.SeekConsent(pid(1), after(1), 1))
	do(m.Object(pid(2), after(2), 1, "a question first"))
	do(m.WithdrawObjection(pid(2), after(3), 1))
	do(m.DeclareConsent(pid(1), after(4), 1))
	do(m.SeekConsent(pid(1), after(5), 2))
	do(m.Object(pid(6), after(6), 2, "investors lose their seat"))
	do(m.CallVote(pid(1), after(7), 2))
	for _, p := range []int{1, 2, 3, 4} {
		do(m.Vote(pid(p), after(8), 2, assembly.For, circle.PersonID{}))
	}
	do(m.Vote(pid(3), after(8), 2, assembly.For, pid(5)))
	do(m.Vote(pid(6), after(8), 2, assembly.Against, circle.PersonID{}))
	do(m.Vote(pid(7), after(8), 2, assembly.Abstain, circle.PersonID{}))
	do(m.Count(pid(1), after(9), 2))
	do(m.Withdraw(pid(1), after(10), 3, "not ready"))
	do(m.Close(pid(1), after(11)))
	a, alog := call(3, 0, rules())
	alog = append(alog, must(a.Abandon(pid(1), after(0), "inquorate"))...)
	return [][]assembly.Event{log, alog}
}

// TestStorageFormatIsStable: the stored form of every event type (type name
// and JSON body) is part of the storage format and never changes
// (docs/storage.md). A change to testdata/events.golden is a change of
// format: rewrite it with -update only together with a migration.
func TestStorageFormatIsStable(t *testing.T) {
	golden.CheckEvents(t, "events.golden", goldenLogs(), assembly.MarshalEvent, assembly.EventTypes())
}
