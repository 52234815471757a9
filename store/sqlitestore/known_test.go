package sqlitestore_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/sqlitestore"
)

// The writer takes an organisation's head from its own last commit rather
// than reading it. Two Drivers over one file stand for two processes: when
// the other one has written in between, an act is still judged on what is
// stored now, not refused on what this process saw last, and its entries
// follow the other process's.
func TestAnActIsJudgedOnWhatAnotherProcessWrote(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "two.db")
	d1, err := sqlitestore.OpenMigrated(ctx, path, nil)
	require.NoError(t, err)
	defer d1.Close()
	d2, err := sqlitestore.OpenMigrated(ctx, path, nil)
	require.NoError(t, err)
	defer d2.Close()
	s1, s2 := store.New(d1, nil), store.New(d2, nil)

	f := circletest.Founding(1)
	f.Org = circle.OrgID(uuid.New())
	_, err = s1.Found(ctx, f, nil)
	require.NoError(t, err)
	at := f.At.Add(time.Hour)
	team := circletest.Circle(2)
	_, err = s1.ActOrg(ctx, f.Org, func(o *circle.Organisation, _ time.Time) ([]circle.Event, error) {
		return o.AddCircle(circletest.Person(1), at, circle.CircleSpec{ID: team, Parent: o.Top(), Name: "Team", Kind: circle.KindTeam})
	}, nil)
	require.NoError(t, err)

	// The other process enrols a person this one has never seen.
	newcomer := circletest.Person(9)
	res2, err := s2.ActOrg(ctx, f.Org, func(o *circle.Organisation, _ time.Time) ([]circle.Event, error) {
		return o.AddPerson(circletest.Person(1), at, circle.PersonSpec{ID: newcomer, Label: "Newcomer", Class: circle.Worker})
	}, nil)
	require.NoError(t, err)

	// On this process's last view the newcomer is unknown and the act
	// would be refused; on the stored organisation it holds.
	res1, err := s1.ActOrg(ctx, f.Org, func(o *circle.Organisation, _ time.Time) ([]circle.Event, error) {
		return o.AddMember(circletest.Person(1), at, team, newcomer)
	}, nil)
	require.NoError(t, err, "the act is judged on the organisation as stored")
	assert.Equal(t, res2.Last+1, res1.First, "its entries follow the other process's")

	// And the other way round: an act this process's last view allows but
	// the stored organisation refuses is refused.
	_, err = s2.ActOrg(ctx, f.Org, func(o *circle.Organisation, _ time.Time) ([]circle.Event, error) {
		return o.AddMember(circletest.Person(1), at, team, newcomer)
	}, nil)
	require.Error(t, err, "the newcomer is a member already")

	h, err := s1.Verify(ctx, f.Org)
	require.NoError(t, err)
	assert.Equal(t, res1.Last, h.Seq)
}
