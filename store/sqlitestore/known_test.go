package sqlitestore_test

import (
	"context"
	"fmt"
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
	"github.com/coproduce/sociocracy/store/storetest"
)

// The writer takes an organisation's head from its own last commit rather
// than reading it. Two Drivers over one file stand for two processes: when
// the other one has written in between, an act is still judged on what is
// stored now, not refused on what this process saw last, and its entries
// follow the other process's.
func TestAnActIsJudgedOnWhatAnotherProcessWrote(t *testing.T) {
	ctx := context.Background()
	d1, d2 := twoDrivers(t)
	s1, s2 := store.New(d1, nil), store.New(d2, nil)

	f := circletest.Founding(1)
	f.Org = circle.OrgID(uuid.New())
	_, err := s1.Found(ctx, f, nil)
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

// The writer also remembers the row it last committed for each stream (its
// version, circle and status) and leaves it unwritten when an append keeps
// them. Another process's append in between must neither be overwritten
// nor hidden: its status stays, its version counts.
func TestAStreamRowAnotherProcessWroteStands(t *testing.T) {
	ctx := context.Background()
	d1, d2 := twoDrivers(t)

	org := storetest.NewOrg()
	key := storetest.NewKey(org, store.KindConsent)
	team := circletest.Circle(2)
	appendTo := func(d *sqlitestore.Driver, expected uint64, status string) error {
		b := storetest.One(key, expected, storetest.Records(1, fmt.Sprintf("v%d", expected+1))...)
		b.Streams[0].Circle, b.Streams[0].Status = team, status
		_, err := d.Append(ctx, b)
		return err
	}
	require.NoError(t, appendTo(d1, 0, store.StatusOpen))
	require.NoError(t, appendTo(d1, 1, store.StatusOpen)) // d1 keeps the row as it is
	require.NoError(t, appendTo(d2, 2, store.StatusClosed))

	// d1 still remembers version 2, open: an append expecting it is a
	// conflict, and changes nothing.
	err := appendTo(d1, 2, store.StatusOpen)
	var ce *store.ConflictError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, uint64(3), ce.Actual)

	// An append that leaves the status as it is keeps d2's.
	b := storetest.One(key, 3, storetest.Records(1, "v4")...)
	_, err = d1.Append(ctx, b)
	require.NoError(t, err)
	for _, d := range []*sqlitestore.Driver{d1, d2} {
		info, err := d.Stream(ctx, key)
		require.NoError(t, err)
		assert.Equal(t, uint64(4), info.Version)
		assert.Equal(t, store.StatusClosed, info.Status)
		assert.Equal(t, team, info.Circle)
		closed, err := d.Streams(ctx, store.StreamQuery{Org: org, Kind: store.KindConsent, Status: store.StatusClosed})
		require.NoError(t, err)
		require.Len(t, closed, 1)
		assert.Equal(t, uint64(4), closed[0].Version)
	}

	// And d1, which knows the row now only as "closed at some version it
	// did not write", writes it when the status changes.
	require.NoError(t, appendTo(d1, 4, store.StatusOpen))
	info, err := d2.Stream(ctx, key)
	require.NoError(t, err)
	assert.Equal(t, uint64(5), info.Version)
	assert.Equal(t, store.StatusOpen, info.Status)
	es, err := d2.ReadStream(ctx, key, 0, 0)
	require.NoError(t, err)
	assert.Len(t, es, 5)
}

// twoDrivers opens two drivers over one new file, as two processes would.
func twoDrivers(t *testing.T) (*sqlitestore.Driver, *sqlitestore.Driver) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "two.db")
	var ds [2]*sqlitestore.Driver
	for i := range ds {
		d, err := sqlitestore.OpenMigrated(context.Background(), path, nil)
		require.NoError(t, err)
		t.Cleanup(func() { _ = d.Close() })
		ds[i] = d
	}
	return ds[0], ds[1]
}
