package circle_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	ct "github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/internal/golden"
)

// goldenLogs returns event logs that hold every circle event type at least
// once, built through the acts.
func goldenLogs(t *testing.T) [][]circle.Event {
	t.Helper()
	at := ct.T0
	tick := func() time.Time { at = at.Add(time.Hour); return at }
	org, log, err := circle.Found(ct.Founding(1))
	require.NoError(t, err)
	do := func(evs []circle.Event, err error) {
		t.Helper()
		require.NoError(t, err)
		log = append(log, evs...)
	}
	a := ct.Person(1)
	do(org.AddPerson(a, tick(), circle.PersonSpec{ID: ct.Person(2), Label: "Bea", Class: circle.SupportedPerson}))
	do(org.AddPerson(a, tick(), circle.PersonSpec{ID: ct.Person(3), Label: "Cal", Class: circle.Advocate, ActsFor: []circle.PersonID{ct.Person(2)}}))
	do(org.UpdatePerson(a, tick(), circle.PersonSpec{ID: ct.Person(3), Label: "Cal R.", Class: circle.Advocate, ActsFor: []circle.PersonID{ct.Person(2)}}))
	do(org.AddCircle(a, tick(), circle.CircleSpec{ID: ct.Circle(2), Parent: ct.Circle(1), Name: "Care", Kind: circle.KindDepartment, Aim: "Care at home"}))
	do(org.AddCircle(a, tick(), circle.CircleSpec{ID: ct.Circle(3), Parent: ct.Circle(1), Name: "Rota", Kind: circle.KindHelping, Aim: "A fair rota", Ends: ct.T0.AddDate(0, 3, 0)}))
	do(org.ChangeAim(a, tick(), ct.Circle(2), "Good care at home,\nplanned together"))
	do(org.DelegateDomain(a, tick(), ct.Circle(2), "care"))
	do(org.AddMember(a, tick(), ct.Circle(2), ct.Person(1)))
	do(org.AddMember(a, tick(), ct.Circle(2), ct.Person(3)))
	do(org.AssignRole(a, tick(), ct.Circle(2), circle.Leader, ct.Person(1), ct.Term(12)))
	do(org.AssignRole(a, tick(), ct.Circle(2), circle.Operational("rota keeper"), ct.Person(3), ct.Term(6)))
	do(org.EndRole(a, tick(), ct.Circle(2), circle.Operational("rota keeper")))
	do(org.RemoveMember(a, tick(), ct.Circle(2), ct.Person(3)))
	do(org.RevokeDomain(a, tick(), ct.Circle(2), "care"))
	do(org.MoveCircle(a, tick(), ct.Circle(3), ct.Circle(2)))
	do(org.DissolveCircle(a, tick(), ct.Circle(3)))

	doc, err := org.Export()
	require.NoError(t, err)
	_, seeded, err := circle.Seed(doc, a, tick())
	require.NoError(t, err)
	more := mandateLog(t, org, tick)
	return [][]circle.Event{log, seeded, more}
}

// TestStorageFormatIsStable: the stored form of every event type (type name
// and JSON body) is part of the storage format and never changes
// (docs/storage.md). A change to testdata/events.golden is a change of
// format: rewrite it with -update only together with a migration.
func TestStorageFormatIsStable(t *testing.T) {
	golden.CheckEvents(t, "events.golden", goldenLogs(t), circle.MarshalEvent, circle.EventTypes())
}
