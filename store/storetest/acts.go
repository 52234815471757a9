package storetest

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/review"
	"github.com/coproduce/sociocracy/store"
)

// The Store's rules for acts under load and from hosts' functions, run over
// the driver under test with default options.
var actTests = []struct {
	name string
	fn   func(t *testing.T, s *store.Store)
}{
	{"StoreTwoStoresOverOneDatabaseLoseNothing", testTwoStores},
	{"StoreTwoOptimisticStoresLoseNothing", testTwoOptimisticStores},
	{"StoreSeesAnotherStoresWrites", testSeesOtherWrites},
	{"StoreActsOnWhatAnotherStoreChanged", testActsOnOtherWrites},
	{"StoreRefusesEventsItsActsDidNotYield", testForeignEvents},
	{"StoreRefusesActsOnAnAggregateHandedToRead", testReadOnly},
	{"StoreDatesEveryAttempt", testDatedPerAttempt},
	{"StoreCollectorKeepsTheFirstRefusal", testCollector},
	{"StoreRoundParticipantsAreTheCircleMembers", testParticipantsAreTheMembers},
	{"StoreRefusalsNamePeopleByTheirLabels", testRefusalLabels},
	{"StoreKeyedChainVerifiesOnlyWithItsKey", testKeyedChain},
	{"StoreWorksWithSmallOrNoCaches", testSmallCaches},
}

func init() { portableTests = append(portableTests, actTests...) }

// headOf returns org's log head, failing the test on error.
func headOf(t *testing.T, s *store.Store, org circle.OrgID) store.Head {
	t.Helper()
	h, err := s.Head(context.Background(), org)
	require.NoError(t, err)
	return h
}

// answerRound opens a consent round for n members on a fresh process and
// returns its ID and the stream version after opening.
func answerRound(t *testing.T, s *store.Store, org circle.OrgID, n int) (consent.ProcessID, uint64) {
	t.Helper()
	ctx := context.Background()
	id := consent.ProcessID(uuid.New())
	_, err := s.StartProcess(ctx, org, startSpec(org, id), &store.WriteOptions{At: at(1)})
	require.NoError(t, err)
	all := members(n)
	require.NoError(t, act(s, org, id, func(p *consent.Process) ([]consent.Event, error) { return p.Present(pid(1), at(2), all) }))
	require.NoError(t, act(s, org, id, func(p *consent.Process) ([]consent.Event, error) { return p.SkipReactions(pid(1), at(3)) }))
	require.NoError(t, act(s, org, id, func(p *consent.Process) ([]consent.Event, error) {
		return p.OpenConsentRound(pid(1), at(4), all, time.Time{})
	}))
	info, err := s.Driver().Stream(ctx, store.ProcessKey(org, id))
	require.NoError(t, err)
	return id, info.Version
}

// everyoneAnswers has the n members answer at once, alternating between the
// stores given, and checks that every answer is acknowledged and stored
// once.
func everyoneAnswers(t *testing.T, stores []*store.Store, org circle.OrgID, id consent.ProcessID, n int, version uint64) {
	t.Helper()
	start := make(chan struct{})
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for i, who := range members(n) {
		s := stores[i%len(stores)]
		wg.Go(func() {
			<-start
			_, err := s.ActProcess(context.Background(), org, id, func(p *consent.Process, _ *circle.Organisation, at time.Time) ([]consent.Event, error) {
				return p.Consent(who, at)
			}, nil)
			errs <- err
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err, "every answer is acknowledged, none given up")
	}
	info, err := stores[0].Driver().Stream(context.Background(), store.ProcessKey(org, id))
	require.NoError(t, err)
	assert.Equal(t, version+uint64(n), info.Version, "every answer is stored once")
	for _, s := range stores {
		p, err := s.Process(context.Background(), org, id)
		require.NoError(t, err)
		for _, who := range members(n) {
			a, ok := p.Round().Answer(who)
			assert.True(t, ok && a.Kind == consent.AnswerConsent, "the answer of %s is recorded", who)
		}
	}
	_, err = stores[0].Verify(context.Background(), org)
	assert.NoError(t, err)
}

// Two Stores over one database (as two processes of a host would have)
// answer one round at once with default options: nothing is given up.
func testTwoStores(t *testing.T, s *store.Store) {
	org := fixture(t, s, 64)
	id, v := answerRound(t, s, org, 64)
	everyoneAnswers(t, []*store.Store{s, store.New(s.Driver(), nil)}, org, id, 64, v)
}

// The same with a driver that offers no [store.Locker]: optimistic appends
// from two Stores conflict, and the default retries absorb it.
func testTwoOptimisticStores(t *testing.T, s *store.Store) {
	org := fixture(t, s, 64)
	id, v := answerRound(t, s, org, 64)
	everyoneAnswers(t, []*store.Store{store.New(optimistic{s.Driver()}, nil), store.New(optimistic{s.Driver()}, nil)}, org, id, 64, v)
}

// A Store that keeps aggregates in memory still sees what another Store
// wrote, at its next read or act.
func testSeesOtherWrites(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org := fixture(t, s, 3)
	other := store.New(s.Driver(), nil)
	addPerson := func(s *store.Store, n int) {
		_, err := s.ActOrg(ctx, org, func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
			return o.AddPerson(pid(1), at, circle.PersonSpec{ID: pid(n), Label: fmt.Sprintf("P%d", n), Class: circle.Worker})
		}, nil)
		require.NoError(t, err)
	}
	has := func(s *store.Store, n int) bool {
		o, err := s.Organisation(ctx, org)
		require.NoError(t, err)
		_, ok := o.Person(pid(n))
		return ok
	}
	// Both Stores have the organisation cached, on both sides.
	require.False(t, has(s, 20))
	require.False(t, has(other, 20))
	addPerson(s, 20)
	assert.True(t, has(other, 20), "a read sees another Store's write")
	addPerson(other, 21) // other's cached copy moves on past s's write
	addPerson(s, 22)     // s's cached copy must take in other's write first
	for _, st := range []*store.Store{s, other} {
		for _, n := range []int{20, 21, 22} {
			assert.True(t, has(st, n), "person %d is seen", n)
		}
	}

	// The calendar too: what one Store schedules, the other's Due shows.
	item := review.ItemSpec{Kind: review.KindCircleReview, Circle: team, Title: "Annual review of the care team",
		Source: review.CircleSource(team), Due: at(60 * 24 * 30)}
	before, err := other.Due(ctx, org, at(60*24*365))
	require.NoError(t, err)
	_, err = s.ActCalendar(ctx, org, func(c *review.Calendar, at time.Time) ([]review.Event, error) {
		return c.Schedule(pid(1), at, item)
	}, nil)
	require.NoError(t, err)
	after, err := other.Due(ctx, org, at(60*24*365))
	require.NoError(t, err)
	assert.Len(t, after, len(before)+1, "another Store's calendar act is seen by Due")
}

// An act checks what it only reads (here the organisation, when a process
// starts in a circle) against what another Store wrote since, though its
// own cached copy is current at the head it last saw: the head has moved.
func testActsOnOtherWrites(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org := fixture(t, s, 3)
	other := store.New(s.Driver(), nil)
	start := func(c circle.CircleID) error {
		spec := startSpec(org, consent.ProcessID(uuid.New()))
		spec.Circle = c
		_, err := s.StartProcess(ctx, org, spec, nil)
		return err
	}
	// s acts twice in a row, so that its second act finds the head it left.
	require.NoError(t, start(team))
	require.NoError(t, start(team))
	added := circle.CircleID(uuid.New())
	_, err := other.ActOrg(ctx, org, func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
		evs, err := o.AddCircle(pid(1), at, circle.CircleSpec{ID: added, Parent: o.Top(), Name: "Housing", Kind: circle.KindTeam})
		if err != nil {
			return nil, err
		}
		for _, p := range []circle.PersonID{pid(1), pid(2)} {
			more, err := o.AddMember(pid(1), at, added, p)
			if err != nil {
				return nil, err
			}
			evs = append(evs, more...)
		}
		return evs, nil
	}, nil)
	require.NoError(t, err)
	assert.NoError(t, start(added), "a process starts in the circle another Store added")

	// And what s wrote, other's next act sees, though other wrote last.
	dissolved := circle.CircleID(uuid.New())
	_, err = other.ActOrg(ctx, org, func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
		return o.AddCircle(pid(1), at, circle.CircleSpec{ID: dissolved, Parent: o.Top(), Name: "Garden", Kind: circle.KindTeam})
	}, nil)
	require.NoError(t, err)
	_, err = s.ActOrg(ctx, org, func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
		return o.DissolveCircle(pid(1), at, dissolved)
	}, nil)
	require.NoError(t, err)
	_, err = other.ActOrg(ctx, org, func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
		return o.AddMember(pid(1), at, dissolved, pid(3))
	}, nil)
	assert.Error(t, err, "other sees that s dissolved the circle")
}

// "The Store accepts from a closure only the events of acts applied to the
// aggregate it handed over" (a stale copy, another organisation's events,
// events left out or added): each is refused, typed, and nothing is
// written; the next act works.
func testForeignEvents(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org := fixture(t, s, 3)
	elsewhere := fixture(t, s, 3)
	stale, err := s.Organisation(ctx, org)
	require.NoError(t, err)
	otherOrg, err := s.Organisation(ctx, elsewhere)
	require.NoError(t, err)
	spec := func(n int) circle.PersonSpec {
		return circle.PersonSpec{ID: pid(n), Label: fmt.Sprintf("P%d", n), Class: circle.Worker}
	}
	cases := map[string]func(o *circle.Organisation, at time.Time) ([]circle.Event, error){
		"a stale copy's events": func(_ *circle.Organisation, at time.Time) ([]circle.Event, error) {
			return stale.AddPerson(pid(1), at, spec(30))
		},
		"another organisation's events": func(_ *circle.Organisation, at time.Time) ([]circle.Event, error) {
			return otherOrg.AddPerson(pid(1), at, spec(31))
		},
		"an act's events left out": func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
			first, err := o.AddPerson(pid(1), at, spec(32))
			if err != nil {
				return nil, err
			}
			_, err = o.AddPerson(pid(1), at, spec(33))
			return first, err
		},
		"events added to an act's": func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
			evs, err := o.AddPerson(pid(1), at, spec(34))
			forged, _ := stale.AddPerson(pid(1), at, spec(35))
			return append(evs, forged...), err
		},
		"no act at all, made-up events": func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
			return []circle.Event{circle.MemberAdded{Header: circle.Header{Org: org, Actor: pid(1), At: at}, Circle: team, Person: pid(99)}}, nil
		},
	}
	for name, fn := range cases {
		t.Run(name, func(t *testing.T) {
			before := headOf(t, s, org)
			_, err := s.ActOrg(ctx, org, fn, nil)
			require.ErrorIs(t, err, store.ErrForeignEvents)
			var ae *store.ActError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, "organisation", ae.What)
			assert.Equal(t, before, headOf(t, s, org), "nothing is written")
			o, err := s.Organisation(ctx, org)
			require.NoError(t, err)
			require.NoError(t, o.Check(), "the organisation still replays and holds")
		})
	}
	// The Store's copy was not left changed by a refused function.
	_, err = s.ActOrg(ctx, org, func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
		return o.AddPerson(pid(1), at, spec(32)) // refused above, so free again
	}, nil)
	require.NoError(t, err)
	_, err = s.Verify(ctx, org)
	require.NoError(t, err)

	// A process act that returns another process's events.
	id, _ := answerRound(t, s, org, 3)
	id2, _ := answerRound(t, s, org, 3)
	p2, err := s.Process(ctx, org, id2)
	require.NoError(t, err)
	before := headOf(t, s, org)
	_, err = s.ActProcess(ctx, org, id, func(_ *consent.Process, _ *circle.Organisation, at time.Time) ([]consent.Event, error) {
		return p2.Consent(pid(2), at)
	}, nil)
	require.ErrorIs(t, err, store.ErrForeignEvents)
	assert.Equal(t, before, headOf(t, s, org), "nothing is written")
	require.NoError(t, act(s, org, id, func(p *consent.Process) ([]consent.Event, error) { return p.Consent(pid(2), at(5)) }))
}

// The organisation handed to a consent process's act is there to be read:
// acting on it is refused, and nothing is written.
func testReadOnly(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org := fixture(t, s, 3)
	id, _ := answerRound(t, s, org, 3)
	before := headOf(t, s, org)
	_, err := s.ActProcess(ctx, org, id, func(p *consent.Process, o *circle.Organisation, at time.Time) ([]consent.Event, error) {
		if _, err := o.AddPerson(pid(1), at, circle.PersonSpec{ID: pid(40), Label: "P40", Class: circle.Worker}); err != nil {
			return nil, err
		}
		return p.Consent(pid(2), at)
	}, nil)
	require.ErrorIs(t, err, store.ErrReadOnly)
	assert.Equal(t, before, headOf(t, s, org), "nothing is written")
	o, err := s.Organisation(ctx, org)
	require.NoError(t, err)
	_, ok := o.Person(pid(40))
	assert.False(t, ok, "the act on the organisation did not take effect")
	// And the Store's own copy was not left changed: the person can be added.
	_, err = s.ActOrg(ctx, org, func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
		return o.AddPerson(pid(1), at, circle.PersonSpec{ID: pid(40), Label: "P40", Class: circle.Worker})
	}, nil)
	require.NoError(t, err)
}

// "A handler that takes at := time.Now() and then calls ActProcess has its
// retried attempts refused": the Store dates each attempt itself, so a
// retried act is never refused for time order, and a clock that steps back
// does not make an act refused either.
func testDatedPerAttempt(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org := fixture(t, s, 12)
	id, v := answerRound(t, s, org, 12)

	// Each Store's clock steps back by a minute at every reading after the
	// first: only the Store's "never before the latest event" keeps acts in
	// time order.
	var ticks atomic.Int64
	stepping := func() time.Time { return time.Now().Add(-time.Duration(ticks.Add(1)) * time.Minute) }
	stores := []*store.Store{
		store.New(optimistic{s.Driver()}, &store.Options{Clock: stepping}),
		store.New(optimistic{s.Driver()}, &store.Options{Clock: stepping}),
		store.New(s.Driver(), &store.Options{Clock: stepping}),
	}
	everyoneAnswers(t, stores, org, id, 12, v)

	// The times handed over are those stored.
	var handed time.Time
	fixed := time.Date(2031, 5, 6, 7, 8, 9, 123456000, time.UTC)
	clocked := store.New(s.Driver(), &store.Options{Clock: func() time.Time { return fixed }})
	r, err := clocked.ActOrg(ctx, org, func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
		handed = at
		return o.AddPerson(pid(1), at, circle.PersonSpec{ID: pid(50), Label: "P50", Class: circle.Worker})
	}, nil)
	require.NoError(t, err)
	assert.True(t, handed.Equal(fixed), "the act is dated by the Store's clock")
	es, err := s.Entries(ctx, r)
	require.NoError(t, err)
	require.Len(t, es, 1)
	assert.True(t, es[0].At.Equal(fixed), "and stored at that time")
}

// A Collector keeps the first refusal: nothing of the function's acts is
// written, and the error is the core's own.
func testCollector(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org := fixture(t, s, 3)
	before := headOf(t, s, org)
	_, err := s.ActOrg(ctx, org, func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
		var c store.Collector[circle.Event]
		c.Add(o.AddPerson(pid(1), at, circle.PersonSpec{ID: pid(60), Label: "P60", Class: circle.Worker}))
		c.Add(o.AddMember(pid(1), at, team, pid(60)))
		c.Add(o.AddMember(pid(1), at, team, pid(60))) // refused: already a member
		c.Add(o.AddMember(pid(1), at, team, pid(61))) // ignored after the refusal
		return c.Result()
	}, nil)
	require.ErrorIs(t, err, circle.ErrAlreadyMember)
	assert.Equal(t, before, headOf(t, s, org), "nothing is written")

	r, err := s.ActOrg(ctx, org, func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
		var c store.Collector[circle.Event]
		c.Add(o.AddPerson(pid(1), at, circle.PersonSpec{ID: pid(60), Label: "P60", Class: circle.Worker}))
		c.Add(o.AddMember(pid(1), at, team, pid(60)))
		return c.Result()
	}, nil)
	require.NoError(t, err)
	assert.Equal(t, uint64(2), r.Last-r.First+1, "both acts in one append")
}

// "A round's participants are exactly the circle's members at that time":
// the Store refuses a snapshot with a stranger in it or a member left out
// (unless the exclusion is recorded), and writes nothing.
func testParticipantsAreTheMembers(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org := fixture(t, s, 4)
	_, err := s.ActOrg(ctx, org, func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
		return o.AddPerson(pid(1), at, circle.PersonSpec{ID: pid(9), Label: "Outsider", Class: circle.Investor})
	}, nil)
	require.NoError(t, err)
	id := consent.ProcessID(uuid.New())
	_, err = s.StartProcess(ctx, org, startSpec(org, id), nil)
	require.NoError(t, err)
	present := func(people []circle.PersonID) error {
		_, err := s.ActProcess(ctx, org, id, func(p *consent.Process, _ *circle.Organisation, at time.Time) ([]consent.Event, error) {
			return p.Present(pid(1), at, people)
		}, nil)
		return err
	}
	before := headOf(t, s, org)
	for name, people := range map[string][]circle.PersonID{
		"a stranger added":  append(members(4), pid(9)),
		"a member left out": members(3),
	} {
		err := present(people)
		assert.ErrorIs(t, err, consent.ErrInvalidParticipant, name)
		assert.Equal(t, before, headOf(t, s, org), "%s: nothing is written", name)
	}
	require.NoError(t, present(members(4)), "exactly the members are accepted")
}

// A refused act's message names the people and circles the organisation
// knows by their labels, while programs still reach the core's sentinel
// and typed error, with its IDs.
func testRefusalLabels(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org := fixture(t, s, 4)
	_, err := s.ActOrg(ctx, org, func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
		return o.AddPerson(pid(1), at, circle.PersonSpec{ID: pid(9), Label: "Outsider Nine", Class: circle.Investor})
	}, nil)
	require.NoError(t, err)
	id, _ := answerRound(t, s, org, 4)
	before := headOf(t, s, org)
	_, err = s.ActProcess(ctx, org, id, func(p *consent.Process, _ *circle.Organisation, at time.Time) ([]consent.Event, error) {
		return p.Consent(pid(9), at)
	}, nil)
	require.ErrorIs(t, err, consent.ErrNotParticipant)
	assert.Contains(t, err.Error(), "Outsider Nine", "the message names the person by label")
	assert.NotContains(t, err.Error(), pid(9).String(), "and not by ID")
	var ce *consent.Error
	require.ErrorAs(t, err, &ce, "the core's typed error is still reachable")
	assert.Contains(t, ce.Error(), pid(9).String(), "with the ID for programs")
	var r *store.Refusal
	require.ErrorAs(t, err, &r)
	assert.Equal(t, before, headOf(t, s, org), "a refusal writes nothing")

	// An ID the organisation does not know stays as it is.
	stranger := circle.PersonID(uuid.New())
	_, err = s.ActProcess(ctx, org, id, func(p *consent.Process, _ *circle.Organisation, at time.Time) ([]consent.Event, error) {
		return p.Consent(stranger, at)
	}, nil)
	require.ErrorIs(t, err, consent.ErrNotParticipant)
	assert.Contains(t, err.Error(), stranger.String())
}

// With [store.Options.ChainKey], every entry the Store appends carries its
// keyed hash, and verification holds only with that key.
func testKeyedChain(t *testing.T, s *store.Store) {
	ctx := context.Background()
	key, err := store.NewChainKey([]byte("0123456789abcdef0123456789abcdef-secret-of-the-host"))
	require.NoError(t, err)
	other, err := store.NewChainKey([]byte("another secret, not the host's, 0123456789abcdef"))
	require.NoError(t, err)
	keyed := store.New(s.Driver(), &store.Options{ChainKey: key})
	org := fixture(t, keyed, 3)
	id, _ := answerRound(t, keyed, org, 3)
	require.NoError(t, act(keyed, org, id, func(p *consent.Process) ([]consent.Event, error) { return p.Consent(pid(2), at(5)) }))
	_, err = keyed.Verify(ctx, org)
	require.NoError(t, err, "the log verifies with its key")
	_, err = store.New(s.Driver(), &store.Options{ChainKey: other}).Verify(ctx, org)
	assert.ErrorIs(t, err, store.ErrCorrupt, "and not with another key")
}

// A Store whose caches hold two aggregates, or none, gives the same
// results: the caches only save work.
func testSmallCaches(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org := fixture(t, s, 3)
	for _, size := range []int{2, -1} {
		small := store.New(s.Driver(), &store.Options{CacheAggregates: size})
		var ids []consent.ProcessID
		for range 5 {
			id, _ := answerRound(t, small, org, 3)
			ids = append(ids, id)
		}
		for _, id := range ids {
			for _, who := range members(3) {
				require.NoError(t, act(small, org, id, func(p *consent.Process) ([]consent.Event, error) { return p.Consent(who, at(5)) }),
					"cache of %d", size)
			}
		}
		for _, id := range ids {
			p, err := s.Process(ctx, org, id)
			require.NoError(t, err)
			assert.Len(t, p.Round().Answers(), 3, "cache of %d: every answer stored", size)
		}
		_, err := small.Due(ctx, org, at(60*24*365*3))
		require.NoError(t, err)
	}
	_, err := s.Verify(ctx, org)
	assert.NoError(t, err)
}
