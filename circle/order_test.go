package circle_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	ct "github.com/coproduce/sociocracy/circle/circletest"
)

// Acts are in time order, as in every core package: an act dated before the
// organisation's latest event is refused and changes nothing; a replayed
// stream out of time order is refused.
func TestActsAreInTimeOrder(t *testing.T) {
	org, log, err := circle.Found(ct.Founding(1))
	require.NoError(t, err)
	a := ct.Person(1)
	later := ct.T0.Add(time.Hour)
	evs, err := org.AddPerson(a, later, circle.PersonSpec{ID: ct.Person(2), Label: "Bea", Class: circle.Worker})
	require.NoError(t, err)
	log = append(log, evs...)
	before, err := org.Export()
	require.NoError(t, err)

	_, err = org.AddCircle(a, ct.T0, circle.CircleSpec{ID: ct.Circle(2), Parent: ct.Circle(1), Name: "Care", Kind: circle.KindTeam})
	require.ErrorIs(t, err, circle.ErrTimeOrder)
	assert.Contains(t, err.Error(), "before the organisation's latest event")
	after, err := org.Export()
	require.NoError(t, err)
	assert.Equal(t, string(before), string(after), "a refused act changes nothing")
	evs, err = org.AddCircle(a, later, circle.CircleSpec{ID: ct.Circle(2), Parent: ct.Circle(1), Name: "Care", Kind: circle.KindTeam})
	require.NoError(t, err, "the same instant is in order")
	log = append(log, evs...)
	want, err := org.Export()
	require.NoError(t, err)
	got, err := mustReplay(t, log).Export()
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got))

	early := circle.PersonAdded{Header: circle.Header{Org: ct.Org(1), Actor: a, At: ct.T0.Add(-time.Minute)},
		Person: circle.PersonRecord{ID: ct.Person(3), Label: "Cal", Class: circle.Worker}}
	_, err = circle.Replay(append(log, early))
	assert.ErrorIs(t, err, circle.ErrInvalidEvent, "a stream that does not fit")
	assert.Contains(t, err.Error(), "before the organisation's latest event")
	assert.ErrorIs(t, org.Clone().Apply(early), circle.ErrTimeOrder)
}

func mustReplay(t *testing.T, log []circle.Event) *circle.Organisation {
	t.Helper()
	o, err := circle.Replay(log)
	require.NoError(t, err)
	return o
}
