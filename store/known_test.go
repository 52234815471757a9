package store_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/memstore"
)

// countingDriver is a plain Driver (no Locker, no Prefetcher) that counts
// the stream reads it answers and can fail the next append after the
// batch was built, as a lost connection would.
type countingDriver struct {
	store.Driver
	reads    atomic.Int64
	failNext atomic.Bool
}

var errLostConnection = errors.New("connection lost")

func (d *countingDriver) ReadStream(ctx context.Context, key store.StreamKey, after uint64, limit int) ([]store.Entry, error) {
	d.reads.Add(1)
	return d.Driver.ReadStream(ctx, key, after, limit)
}

func (d *countingDriver) Append(ctx context.Context, b *store.Batch) (store.Result, error) {
	if d.failNext.CompareAndSwap(true, false) {
		return store.Result{}, errLostConnection
	}
	return d.Driver.Append(ctx, b)
}

// knownFixture founds an organisation with a team of three and one
// presented consent process, through s.
func knownFixture(t *testing.T, s *store.Store) (circle.OrgID, consent.ProcessID) {
	t.Helper()
	ctx := context.Background()
	f := circletest.Founding(1)
	f.Org = circle.OrgID(uuid.New())
	_, err := s.Found(ctx, f, nil)
	require.NoError(t, err)
	team := circletest.Circle(2)
	_, err = s.ActOrg(ctx, f.Org, func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
		evs, err := o.AddCircle(circletest.Person(1), at, circle.CircleSpec{ID: team, Parent: o.Top(), Name: "Team", Kind: circle.KindTeam})
		if err != nil {
			return nil, err
		}
		for i := 1; i <= 3; i++ {
			if i > 1 {
				more, err := o.AddPerson(circletest.Person(1), at, circle.PersonSpec{ID: circletest.Person(i), Label: "P", Class: circle.Worker})
				if err != nil {
					return nil, err
				}
				evs = append(evs, more...)
			}
			more, err := o.AddMember(circletest.Person(1), at, team, circletest.Person(i))
			if err != nil {
				return nil, err
			}
			evs = append(evs, more...)
		}
		return evs, nil
	}, nil)
	require.NoError(t, err)
	id := consent.ProcessID(uuid.New())
	_, err = s.StartProcess(ctx, f.Org, consent.ProcessSpec{ID: id, Org: f.Org, Circle: team, Proposer: circletest.Person(2), Facilitator: circletest.Person(1),
		Proposal: consent.Proposal{Title: "Rota", Driver: "The rota is unclear.", Text: "Publish the rota on Fridays."}}, nil)
	require.NoError(t, err)
	return f.Org, id
}

func ask(s *store.Store, org circle.OrgID, id consent.ProcessID, q string) error {
	_, err := s.ActProcess(context.Background(), org, id, func(p *consent.Process, _ *circle.Organisation, at time.Time) ([]consent.Event, error) {
		if p.Phase() == consent.PhaseDraft {
			return p.Present(circletest.Person(1), at, []circle.PersonID{circletest.Person(1), circletest.Person(2), circletest.Person(3)})
		}
		return p.AskClarifying(circletest.Person(3), at, q)
	}, nil)
	return err
}

// An act that finds the head the Store's own last append left reads no
// stream: its cached aggregates are current. One that finds another head
// reads again, and sees what the other writer did.
func TestActAtTheKnownHeadReadsNothing(t *testing.T) {
	d := &countingDriver{Driver: memstore.New()}
	s := store.New(d, nil)
	org, id := knownFixture(t, s)
	require.NoError(t, ask(s, org, id, "present"))
	require.NoError(t, ask(s, org, id, "Who publishes it?"))

	d.reads.Store(0)
	require.NoError(t, ask(s, org, id, "From when?"))
	assert.Zero(t, d.reads.Load(), "an act at the known head reads no stream")

	// Another Store writes: the next act reads, and acts on what it read.
	other := store.New(d, nil)
	require.NoError(t, ask(other, org, id, "Who checks it?"))
	d.reads.Store(0)
	require.NoError(t, ask(s, org, id, "And on holidays?"))
	assert.NotZero(t, d.reads.Load(), "an act after another writer's reads its streams")
	p, err := s.Process(context.Background(), org, id)
	require.NoError(t, err)
	assert.Len(t, p.Questions(), 4, "every question is on the process")
}

// An append that fails after the build leaves the cached aggregate at a
// version the stream never reached: the next act must not trust it.
func TestActAfterAFailedAppendReadsAgain(t *testing.T) {
	d := &countingDriver{Driver: memstore.New()}
	s := store.New(d, nil)
	org, id := knownFixture(t, s)
	require.NoError(t, ask(s, org, id, "present"))
	require.NoError(t, ask(s, org, id, "Who publishes it?"))

	d.failNext.Store(true)
	require.ErrorIs(t, ask(s, org, id, "lost"), errLostConnection)
	require.NoError(t, ask(s, org, id, "From when?"), "the act after a failed append works")
	p, err := s.Process(context.Background(), org, id)
	require.NoError(t, err)
	require.Len(t, p.Questions(), 2, "the lost question is not there, the next one is")
	assert.Equal(t, "From when?", p.Questions()[1].Text)
	_, err = s.Verify(context.Background(), org)
	assert.NoError(t, err)
}

// replayCounter counts the reads of key from its first entry: replays.
type replayCounter struct {
	store.Driver
	key     store.StreamKey
	replays atomic.Int64
}

func (d *replayCounter) ReadStream(ctx context.Context, key store.StreamKey, after uint64, limit int) ([]store.Entry, error) {
	if key == d.key && after == 0 {
		d.replays.Add(1)
	}
	return d.Driver.ReadStream(ctx, key, after, limit)
}

// A cache that fills with the streams of new processes forgets those
// first: the organisation every act uses stays cached and is not replayed
// (an organisation with a long history would cost a replay of all of it).
func TestTheOrganisationStaysCachedWhileNewProcessesComeAndGo(t *testing.T) {
	ctx := context.Background()
	d := &replayCounter{Driver: memstore.New()}
	s := store.New(d, &store.Options{CacheAggregates: 32})
	org, _ := knownFixture(t, s)
	d.key = store.OrgKey(org)
	d.replays.Store(0)
	for range 10 * 32 {
		_, err := s.StartProcess(ctx, org, consent.ProcessSpec{ID: consent.ProcessID(uuid.New()), Circle: circletest.Circle(2),
			Proposer: circletest.Person(2), Facilitator: circletest.Person(1),
			Proposal: consent.Proposal{Title: "Rota", Driver: "The rota is unclear.", Text: "Publish the rota on Fridays."}}, nil)
		require.NoError(t, err)
	}
	assert.Zero(t, d.replays.Load(), "the organisation is never replayed while processes start")
}
