package members_test

import (
	"testing"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/internal/golden"
	"github.com/coproduce/sociocracy/members"
)

// sampleLog returns a register's log with one event of every type, as the
// acts and Observe produce them.
func sampleLog(t testing.TB) []members.Event {
	o, _ := org(t, 4)
	r, log := open(t, o)
	add := func(evs []members.Event, err error) {
		if err != nil {
			t.Fatal(err)
		}
		log = append(log, evs...)
	}
	see := func(evs []circle.Event, err error) {
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range evs {
			add(r.Observe(e))
		}
	}
	add(r.Admit(o, sec, day(1), pid(2), 5))
	add(r.Admit(o, sec, day(1), pid(3), 0))
	add(r.SetShares(o, sec, day(2), pid(2), 10))
	add(r.SetCondition(o, sec, day(3), pid(3), members.ConditionSupport, day(200)))
	add(r.LapseCondition(o, sec, day(150), pid(3), members.ConditionSupport, "support plan ended"))
	add(r.ClearCondition(o, sec, day(151), pid(3), members.ConditionSupport, "stays as a member in their own right"))
	add(r.Cease(o, sec, day(160), pid(3), "resigned"))
	see(o.UpdatePerson(sec, day(161), circle.PersonSpec{ID: pid(2), Label: "P", Class: circle.Worker}))
	see(o.AddMember(sec, day(162), top, pid(2)))
	see(o.AssignRole(sec, day(163), top, circle.Secretary, pid(2), circle.Term{Start: day(163), End: day(528)}))
	see(o.EndRole(sec, day(300), top, circle.Secretary))
	return log
}

// TestStorageFormatIsStable: the stored form of every event type is part of
// the storage format and never changes (docs/storage.md).
func TestStorageFormatIsStable(t *testing.T) {
	golden.CheckEvents(t, "events.golden", [][]members.Event{sampleLog(t)}, members.MarshalEvent, members.EventTypes())
}
