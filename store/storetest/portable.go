package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/election"
	"github.com/coproduce/sociocracy/review"
	"github.com/coproduce/sociocracy/store"
)

// The portable part of the suite: the domain flows through [store.Store]
// over the driver under test.
var portableTests = []struct {
	name string
	fn   func(t *testing.T, s *store.Store)
}{
	{"StoreOrganisationRoundTrip", testStoreOrganisation},
	{"StoreConsentAdoptionSchedulesItsReview", testStoreConsent},
	{"Store64ConcurrentActsOnOneProcessNoneLost", testStoreConcurrentActs},
	{"StoreElectionAssignsTheRoleInTheSameAppend", testStoreElection},
	{"StoreCommandsAreIdempotent", testStoreIdempotent},
	{"StoreRetryOfADoneCommandAmongManyActsIsOneEffect", testStoreRetryInACrowd},
	{"StoreTenantsAreIsolated", testStoreTenancy},
	{"StoreErasureKeepsRecordsAndChain", testStoreErasure},
	{"StoreRetriesHonourTheContext", testStoreContext},
	{"StoreLogbookQueries", testStoreLogQueries},
	{"StoreMeetingsRecordTheirActs", testStoreMeetings},
	{"StoreGeneralMeetingCarriesAWeightedSpecialResolution", testStoreGeneralMeetings},
}

// t0 is the time the fixtures start at.
var t0 = circletest.T0

func pid(n int) circle.PersonID { return circletest.Person(n) }

// team is the circle the fixtures work in.
var team = circletest.Circle(2)

// fixture founds a fresh organisation with a team circle of n members,
// Person(1) to Person(n), Person(1) its leader.
func fixture(t *testing.T, s *store.Store, n int) circle.OrgID {
	t.Helper()
	ctx := context.Background()
	f := circletest.Founding(1)
	f.Org = NewOrg()
	_, err := s.Found(ctx, f, nil)
	require.NoError(t, err)
	_, err = s.ActOrg(ctx, f.Org, func(o *circle.Organisation, _ time.Time) ([]circle.Event, error) {
		var all []circle.Event
		add := func(evs []circle.Event, err error) error {
			all = append(all, evs...)
			return err
		}
		if err := add(o.AddCircle(pid(1), t0, circle.CircleSpec{ID: team, Parent: o.Top(), Name: "Care team North", Kind: circle.KindTeam})); err != nil {
			return nil, err
		}
		for i := 1; i <= n; i++ {
			if i > 1 {
				if err := add(o.AddPerson(pid(1), t0, circle.PersonSpec{ID: pid(i), Label: fmt.Sprintf("P%d", i), Class: circle.Worker})); err != nil {
					return nil, err
				}
			}
			if err := add(o.AddMember(pid(1), t0, team, pid(i))); err != nil {
				return nil, err
			}
		}
		return all, add(o.AssignRole(pid(1), t0, team, circle.Leader, pid(1), circletest.Term(12)))
	}, nil)
	require.NoError(t, err)
	return f.Org
}

func at(n int) time.Time { return t0.Add(time.Duration(n) * time.Minute) }

func testStoreOrganisation(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org := fixture(t, s, 4)
	o, err := s.Organisation(ctx, org)
	require.NoError(t, err)

	// The same acts in memory give the same organisation as the store's
	// replay: every circle event type round-trips.
	f := circletest.Founding(1)
	f.Org = org
	mem, evs, err := circle.Found(f)
	require.NoError(t, err)
	entries, err := s.Log(ctx, store.LogQuery{Org: org})
	require.NoError(t, err)
	var stored []circle.Event
	for _, e := range entries {
		if e.Stream.Kind != store.KindOrganisation {
			continue
		}
		ev, err := circle.UnmarshalEvent(e.Type, e.Data)
		require.NoError(t, err)
		stored = append(stored, ev)
	}
	require.Equal(t, evs[0], stored[0], "the founding event round-trips")
	for _, ev := range stored[1:] {
		require.NoError(t, mem.Apply(ev))
	}
	want, err := mem.Export()
	require.NoError(t, err)
	got, err := o.Export()
	require.NoError(t, err)
	assert.JSONEq(t, string(want), string(got), "replaying the stored stream equals the organisation built in memory")
	assert.Equal(t, mem.Version(), o.Version())

	// Founding twice is a conflict.
	_, err = s.Found(ctx, f, nil)
	assert.ErrorIs(t, err, store.ErrConflict)

	// The leader's term end is on the calendar, from the same append as
	// the assignment.
	cal, err := s.Calendar(ctx, org)
	require.NoError(t, err)
	items := cal.ItemsOf(team)
	require.Len(t, items, 1)
	assert.Equal(t, review.KindTermEnd, items[0].Kind)

	_, err = s.Verify(ctx, org)
	assert.NoError(t, err)
}

func startSpec(org circle.OrgID, id consent.ProcessID) consent.ProcessSpec {
	return consent.ProcessSpec{
		ID: id, Org: org, Circle: team, Proposer: pid(2), Facilitator: pid(1),
		Proposal: consent.Proposal{
			Title:  "Night shift handover",
			Driver: "Handover notes get lost between the evening and night shifts.",
			Text:   "Handover happens in person at 22:00; Maria Lopez writes the note.",
		},
	}
}

func members(n int) []circle.PersonID {
	out := make([]circle.PersonID, n)
	for i := range out {
		out[i] = pid(i + 1)
	}
	slices.SortFunc(out, func(a, b circle.PersonID) int { return a.Compare(b) })
	return out
}

func act(s *store.Store, org circle.OrgID, id consent.ProcessID, fn func(p *consent.Process) ([]consent.Event, error)) error {
	_, err := s.ActProcess(context.Background(), org, id, func(p *consent.Process, _ *circle.Organisation, _ time.Time) ([]consent.Event, error) {
		return fn(p)
	}, nil)
	return err
}

func testStoreConsent(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org := fixture(t, s, 4)
	id := consent.ProcessID(uuid.New())
	_, err := s.StartProcess(ctx, org, startSpec(org, id), &store.WriteOptions{At: at(1)})
	require.NoError(t, err)
	open, err := s.OpenProcesses(ctx, org, team)
	require.NoError(t, err)
	assert.Equal(t, []consent.ProcessID{id}, open)

	all := members(4)
	require.NoError(t, act(s, org, id, func(p *consent.Process) ([]consent.Event, error) { return p.Present(pid(1), at(2), all) }))
	require.NoError(t, act(s, org, id, func(p *consent.Process) ([]consent.Event, error) { return p.SkipReactions(pid(1), at(3)) }))
	require.NoError(t, act(s, org, id, func(p *consent.Process) ([]consent.Event, error) {
		return p.OpenConsentRound(pid(1), at(4), all, time.Time{})
	}))
	for _, who := range all {
		require.NoError(t, act(s, org, id, func(p *consent.Process) ([]consent.Event, error) { return p.Consent(who, at(5)) }))
	}
	var r store.Receipt
	r, err = s.ActProcess(ctx, org, id, func(p *consent.Process, _ *circle.Organisation, _ time.Time) ([]consent.Event, error) {
		return p.Adopt(pid(1), at(6))
	}, nil)
	require.NoError(t, err)

	// The adoption and its policy review were appended together.
	entries, err := s.Entries(ctx, r)
	require.NoError(t, err)
	var kinds []store.Kind
	for _, e := range entries {
		kinds = append(kinds, e.Stream.Kind)
	}
	assert.Contains(t, kinds, store.KindConsent)
	assert.Contains(t, kinds, store.KindReview, "the review calendar is updated in the same append as the decision")

	p, err := s.Process(ctx, org, id)
	require.NoError(t, err)
	assert.Equal(t, consent.PhaseAdopted, p.Phase())
	due, err := s.Due(ctx, org, t0.AddDate(2, 0, 0))
	require.NoError(t, err)
	var reviews int
	for _, it := range due {
		if it.Kind == review.KindPolicyReview {
			reviews++
		}
	}
	assert.Equal(t, 1, reviews, "the decision's review is due")
	open, err = s.OpenProcesses(ctx, org, team)
	require.NoError(t, err)
	assert.Empty(t, open, "an adopted process is no longer open")

	// Replay of the stored stream equals the process acted on in memory.
	mem, evs, err := consent.Start(startSpec(org, id), at(1))
	require.NoError(t, err)
	_ = evs
	stored, err := s.Driver().ReadStream(ctx, store.ProcessKey(org, id), 1, 0)
	require.NoError(t, err)
	for _, e := range stored {
		ev, err := consent.UnmarshalEvent(e.Type, e.Data)
		require.NoError(t, err)
		require.NoError(t, mem.Apply(ev))
	}
	assert.Equal(t, mem.Phase(), p.Phase())
	assert.Equal(t, mem.Version(), p.Version())
	md, _ := mem.Decision()
	pd, _ := p.Decision()
	assert.Equal(t, md, pd)
	_, err = s.Verify(ctx, org)
	assert.NoError(t, err)
}

func testStoreConcurrentActs(t *testing.T, s *store.Store) {
	ctx := context.Background()
	const n = 64
	org := fixture(t, s, n)
	id := consent.ProcessID(uuid.New())
	_, err := s.StartProcess(ctx, org, startSpec(org, id), &store.WriteOptions{At: at(1)})
	require.NoError(t, err)
	all := members(n)
	require.NoError(t, act(s, org, id, func(p *consent.Process) ([]consent.Event, error) { return p.Present(pid(1), at(2), all) }))
	require.NoError(t, act(s, org, id, func(p *consent.Process) ([]consent.Event, error) { return p.SkipReactions(pid(1), at(3)) }))
	require.NoError(t, act(s, org, id, func(p *consent.Process) ([]consent.Event, error) {
		return p.OpenConsentRound(pid(1), at(4), all, time.Time{})
	}))

	// 64 members answer at once; every act goes through the retry path.
	start := make(chan struct{})
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for _, who := range all {
		wg.Go(func() {
			<-start
			errs <- act(s, org, id, func(p *consent.Process) ([]consent.Event, error) { return p.Consent(who, at(5)) })
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err, "no act is lost to a conflict")
	}
	p, err := s.Process(ctx, org, id)
	require.NoError(t, err)
	r := p.Round()
	require.NotNil(t, r)
	for _, who := range all {
		a, ok := r.Answer(who)
		if assert.True(t, ok, "the answer of %s is recorded", who) {
			assert.Equal(t, consent.AnswerConsent, a.Kind)
		}
	}
	entries, err := s.Driver().ReadStream(ctx, store.ProcessKey(org, id), 0, 0)
	require.NoError(t, err)
	answered := 0
	for _, e := range entries {
		if e.Type == (consent.Answered{}).EventType() {
			answered++
		}
	}
	assert.Equal(t, n, answered, "each answer is recorded once")
	_, err = s.Verify(ctx, org)
	assert.NoError(t, err)
}

func testStoreElection(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org := fixture(t, s, 4)
	id := election.ElectionID(uuid.New())
	spec := election.Spec{
		ID: id, Circle: team, Role: circle.Delegate, Facilitator: pid(1),
		Description: "Carries the team's concerns to the general circle",
		Term:        circletest.Term(12), Policy: election.DefaultPolicy(),
	}
	_, err := s.CallElection(ctx, org, spec, &store.WriteOptions{At: at(0)})
	require.NoError(t, err)
	open, err := s.OpenElections(ctx, org, team)
	require.NoError(t, err)
	assert.Equal(t, []election.ElectionID{id}, open)
	el := func(fn func(e *election.Election) ([]election.Event, error)) store.Receipt {
		t.Helper()
		r, err := s.ActElection(ctx, org, id, func(e *election.Election, _ *circle.Organisation, _ time.Time) ([]election.Event, error) {
			return fn(e)
		}, nil)
		require.NoError(t, err)
		return r
	}
	for i := 1; i <= 4; i++ {
		el(func(e *election.Election) ([]election.Event, error) { return e.Consent(pid(i), at(1)) })
	}
	el(func(e *election.Election) ([]election.Event, error) { return e.OpenNominations(pid(1), at(2)) })
	// Nominations are hidden until all are in: the logbook withholds them
	// from every reader before the reveal, and shows them after.
	nominations := func() []store.Entry {
		t.Helper()
		es, err := s.Log(ctx, store.LogQuery{Org: org, Circle: team})
		require.NoError(t, err)
		var out []store.Entry
		for _, e := range es {
			if e.Type == (election.Nominated{}).EventType() {
				out = append(out, e)
			}
		}
		return out
	}
	for i, nominee := range []int{3, 2, 2, 3} {
		r := el(func(e *election.Election) ([]election.Event, error) {
			return e.Nominate(pid(i+1), at(3), pid(nominee), "because of how she listens")
		})
		if i == 1 {
			got := nominations()
			require.Len(t, got, 2)
			for j, e := range got {
				assert.True(t, e.Withheld, "a nomination before the reveal is withheld")
				assert.NotContains(t, string(e.Data), "listens", "its reason is not shown")
				assert.NotContains(t, string(e.Data), pid(3).String(), "nor its nominee")
				assert.Contains(t, string(e.Data), pid(j+1).String(), "who nominated stays")
			}
			es, err := s.Entries(ctx, r)
			require.NoError(t, err)
			require.NotEmpty(t, es)
			assert.True(t, es[0].Withheld, "the receipt's entries withhold it too")
		}
	}
	for _, e := range nominations() {
		assert.False(t, e.Withheld, "after the reveal every nomination is shown")
		assert.Contains(t, string(e.Data), "listens")
	}
	el(func(e *election.Election) ([]election.Event, error) {
		return e.Propose(pid(1), at(5), election.ProposalSpec{Nominee: pid(2), Reasons: "nominated, and willing"})
	})
	for _, p := range []int{1, 3, 4, 2} {
		el(func(e *election.Election) ([]election.Event, error) { return e.Consent(pid(p), at(6)) })
	}
	r := el(func(e *election.Election) ([]election.Event, error) { return e.Elect(pid(1), at(7)) })

	entries, err := s.Entries(ctx, r)
	require.NoError(t, err)
	var types []string
	for _, e := range entries {
		types = append(types, e.Type)
	}
	assert.Contains(t, types, circle.RoleAssigned{}.EventType(), "the outcome assigns the role in the same append")
	assert.Contains(t, types, review.ItemScheduled{}.EventType(), "and schedules the term end")

	o, err := s.Organisation(ctx, org)
	require.NoError(t, err)
	c, _ := o.Circle(team)
	d, ok := c.Holder(circle.Delegate)
	require.True(t, ok)
	assert.Equal(t, pid(2), d.Holder)
	open, err = s.OpenElections(ctx, org, team)
	require.NoError(t, err)
	assert.Empty(t, open)
	_, err = s.Verify(ctx, org)
	assert.NoError(t, err)
}

func testStoreIdempotent(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org := fixture(t, s, 2)
	cmd := store.Command{ID: store.CommandID(uuid.New()), Payload: []byte(`{"act":"add person","label":"P9"}`)}
	addP9 := func(o *circle.Organisation, _ time.Time) ([]circle.Event, error) {
		return o.AddPerson(pid(1), at(1), circle.PersonSpec{ID: pid(9), Label: "P9", Class: circle.Worker})
	}
	first, err := s.ActOrg(ctx, org, addP9, &store.WriteOptions{Command: cmd})
	require.NoError(t, err)
	assert.False(t, first.Duplicate)
	again, err := s.ActOrg(ctx, org, addP9, &store.WriteOptions{Command: cmd})
	require.NoError(t, err, "a retried command is not refused as a duplicate person")
	assert.True(t, again.Duplicate)
	assert.Equal(t, first.First, again.First, "the original result")
	assert.Equal(t, first.Last, again.Last)

	_, err = s.ActOrg(ctx, org, addP9, &store.WriteOptions{Command: store.Command{ID: cmd.ID, Payload: []byte(`{"act":"add person","label":"P10"}`)}})
	assert.ErrorIs(t, err, store.ErrCommandMismatch)

	// Concurrent retries of one new command: one effect.
	cmd2 := store.Command{ID: store.CommandID(uuid.New()), Payload: []byte("p10")}
	start := make(chan struct{})
	results := make(chan store.Receipt, 16)
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			<-start
			r, err := s.ActOrg(ctx, org, func(o *circle.Organisation, _ time.Time) ([]circle.Event, error) {
				return o.AddPerson(pid(1), at(2), circle.PersonSpec{ID: pid(10), Label: "P10", Class: circle.Worker})
			}, &store.WriteOptions{Command: cmd2})
			assert.NoError(t, err)
			results <- r
		})
	}
	close(start)
	wg.Wait()
	close(results)
	fresh := 0
	var firsts []uint64
	for r := range results {
		if !r.Duplicate {
			fresh++
		}
		firsts = append(firsts, r.First)
	}
	assert.Equal(t, 1, fresh)
	for _, f := range firsts {
		assert.Equal(t, firsts[0], f, "every retry returns the one result")
	}
	entries, err := s.Log(ctx, store.LogQuery{Org: org})
	require.NoError(t, err)
	added := 0
	for _, e := range entries {
		if e.Type == (circle.PersonAdded{}).EventType() && e.Command == cmd2.ID {
			added++
		}
	}
	assert.Equal(t, 1, added)
}

func testStoreTenancy(t *testing.T, s *store.Store) {
	ctx := context.Background()
	a, b := fixture(t, s, 2), fixture(t, s, 2)
	id := consent.ProcessID(uuid.New())
	_, err := s.StartProcess(ctx, a, startSpec(a, id), &store.WriteOptions{At: at(1)})
	require.NoError(t, err)
	_, err = s.Process(ctx, b, id)
	assert.ErrorIs(t, err, store.ErrNotFound, "a process of A is not found through B")
	err = act(s, b, id, func(p *consent.Process) ([]consent.Event, error) { return p.Present(pid(1), at(2), members(2)) })
	assert.ErrorIs(t, err, store.ErrNotFound, "nor acted on through B")
	open, err := s.OpenProcesses(ctx, b, team)
	require.NoError(t, err)
	assert.Empty(t, open)
	// A spec naming A, acted through B's ID, still lands in A only: the
	// organisation is the spec's.
	la, err := s.Log(ctx, store.LogQuery{Org: a})
	require.NoError(t, err)
	lb, err := s.Log(ctx, store.LogQuery{Org: b})
	require.NoError(t, err)
	for _, e := range la {
		assert.Equal(t, a, e.Org)
	}
	for _, e := range lb {
		assert.Equal(t, b, e.Org)
		assert.NotEqual(t, store.KindConsent, e.Stream.Kind)
	}
}

func testStoreErasure(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org := fixture(t, s, 3)
	require.NoError(t, s.SetProfile(ctx, org, pid(2), store.Profile{Name: "Maria Lopez", Email: "maria@example.org"}))
	id := consent.ProcessID(uuid.New())
	r, err := s.StartProcess(ctx, org, startSpec(org, id), &store.WriteOptions{At: at(1)})
	require.NoError(t, err)
	anchor, err := s.Head(ctx, org)
	require.NoError(t, err)
	// A second Store over the same database (another process of the host)
	// holds the process in memory before the erasure.
	other := store.New(s.Driver(), nil)
	textSeen := func() string {
		var text string
		_, err := other.ActProcess(ctx, org, id, func(p *consent.Process, _ *circle.Organisation, _ time.Time) ([]consent.Event, error) {
			text = p.Proposal().Text
			return nil, nil
		}, nil)
		require.NoError(t, err)
		return text
	}
	require.Contains(t, textSeen(), "Maria Lopez")

	_, err = s.ErasePerson(ctx, org, pid(2), store.Erasure{Actor: pid(1), Reason: "erasure request"}, &store.WriteOptions{At: at(2)})
	require.NoError(t, err)
	_, err = s.Profile(ctx, org, pid(2))
	assert.ErrorIs(t, err, store.ErrNotFound)
	_, err = s.ErasePerson(ctx, org, pid(2), store.Erasure{Actor: pid(1), Reason: "again"}, &store.WriteOptions{At: at(2)})
	assert.ErrorIs(t, err, store.ErrNotFound)

	// The proposal's text named her: erase it.
	_, err = s.EraseText(ctx, org, r.First, []string{"proposal.text"}, store.Erasure{Actor: pid(1), Reason: "erasure request"}, &store.WriteOptions{At: at(3)})
	require.NoError(t, err)
	p, err := s.Process(ctx, org, id)
	require.NoError(t, err, "the process still replays")
	assert.Equal(t, store.Erased, p.Proposal().Text)
	assert.Equal(t, "Night shift handover", p.Proposal().Title, "other text stays")
	assert.Equal(t, store.Erased, textSeen(), "another Store stops serving the erased text at once")
	entries, err := s.Log(ctx, store.LogQuery{Org: org})
	require.NoError(t, err)
	for _, e := range entries {
		assert.NotContains(t, string(e.Data), "Maria", "no readable copy of the erased text (entry %d)", e.Seq)
	}
	_, err = s.VerifyAnchor(ctx, org, anchor)
	assert.NoError(t, err, "erasure leaves the chain and the anchored head valid")
	o, err := s.Organisation(ctx, org)
	require.NoError(t, err)
	_, ok := o.Person(pid(2))
	assert.True(t, ok, "the person's ID stays in the records")

	_, err = s.EraseText(ctx, org, r.First, []string{"proposal.nothing"}, store.Erasure{Actor: pid(1), Reason: "x"}, &store.WriteOptions{At: at(3)})
	assert.ErrorIs(t, err, store.ErrInvalid)
	_, err = s.EraseText(ctx, org, 9999, []string{"proposal.text"}, store.Erasure{Actor: pid(1), Reason: "x"}, &store.WriteOptions{At: at(3)})
	assert.ErrorIs(t, err, store.ErrNotFound)
}

func testStoreContext(t *testing.T, s *store.Store) {
	org := fixture(t, s, 2)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.ActOrg(ctx, org, func(o *circle.Organisation, _ time.Time) ([]circle.Event, error) {
		return o.AddPerson(pid(1), at(1), circle.PersonSpec{ID: pid(9), Label: "P9", Class: circle.Worker})
	}, nil)
	assert.ErrorIs(t, err, context.Canceled)

	// An act whose every append conflicts gives up after the bounded
	// attempts with a typed error.
	// Only a driver without Locker conflicts: hide it, and let a second
	// Store (another process, say) write between every load and append.
	tight := store.New(optimistic{s.Driver()}, &store.Options{MaxAttempts: 3})
	other := store.New(optimistic{s.Driver()}, nil)
	calls := 0
	_, err = tight.ActOrg(context.Background(), org, func(o *circle.Organisation, _ time.Time) ([]circle.Event, error) {
		calls++
		// A concurrent writer moves the stream on under every attempt.
		_, err := other.ActOrg(context.Background(), org, func(o *circle.Organisation, _ time.Time) ([]circle.Event, error) {
			return o.UpdatePerson(pid(1), at(2), circle.PersonSpec{ID: pid(2), Label: fmt.Sprintf("P2 v%d", calls), Class: circle.Worker})
		}, nil)
		if err != nil {
			return nil, err
		}
		return o.UpdatePerson(pid(1), at(2), circle.PersonSpec{ID: pid(1), Label: "Founder", Class: circle.Investor})
	}, nil)
	assert.ErrorIs(t, err, store.ErrRetriesExhausted)
	assert.ErrorIs(t, err, store.ErrConflict)
	var re *store.RetryError
	if assert.ErrorAs(t, err, &re) {
		assert.Equal(t, 3, re.Attempts)
	}
	assert.Equal(t, 3, calls)
}

func testStoreLogQueries(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org := fixture(t, s, 2)
	for i := range 3 {
		_, err := s.StartProcess(ctx, org, startSpec(org, consent.ProcessID(uuid.New())), &store.WriteOptions{At: at(10 * (i + 1))})
		require.NoError(t, err)
	}
	byCircle, err := s.Log(ctx, store.LogQuery{Org: org, Circle: team})
	require.NoError(t, err)
	require.NotEmpty(t, byCircle)
	for _, e := range byCircle {
		assert.Equal(t, team, e.Circle)
	}
	// Times with nanoseconds are rounded up: "since 10:00:00.0000005"
	// does not include 10:00:00.000000.
	ranged, err := s.Log(ctx, store.LogQuery{Org: org, Since: at(10).Add(500), Until: at(30).Add(1)})
	require.NoError(t, err)
	require.Len(t, ranged, 2)
	assert.Equal(t, circle.Normalize(at(20)), ranged[0].At)
	assert.Equal(t, circle.Normalize(at(30)), ranged[1].At)
	_, err = s.Log(ctx, store.LogQuery{})
	assert.ErrorIs(t, err, store.ErrInvalid)
	h, err := s.Verify(ctx, org)
	require.NoError(t, err)
	dh, err := s.Head(ctx, org)
	require.NoError(t, err)
	assert.Equal(t, dh, h)
	assert.Equal(t, uint64(len(mustLog(t, s, org))), h.Seq)
	_ = errors.Is
}

func mustLog(t *testing.T, s *store.Store, org circle.OrgID) []store.Entry {
	t.Helper()
	es, err := s.Log(context.Background(), store.LogQuery{Org: org})
	require.NoError(t, err)
	return es
}

// optimistic hides a driver's optional abilities, so that the Store uses
// plain optimistic appends on it.
type optimistic struct{ store.Driver }

// A retry of a command already performed, whose act would succeed again (a
// question can be asked twice), arrives among many new acts of the same
// organisation at once: it returns the original receipt and writes
// nothing, and every other act commits. (An adapter that commits
// concurrent acts together must tell the retry inside the crowd, where it
// is rarely the first.)
func testStoreRetryInACrowd(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org := fixture(t, s, 3)
	id := consent.ProcessID(uuid.New())
	_, err := s.StartProcess(ctx, org, startSpec(org, id), &store.WriteOptions{At: at(1)})
	require.NoError(t, err)
	require.NoError(t, act(s, org, id, func(p *consent.Process) ([]consent.Event, error) { return p.Present(pid(1), at(2), members(3)) }))
	ask := func(cmd store.Command) (store.Receipt, error) {
		return s.ActProcess(ctx, org, id, func(p *consent.Process, _ *circle.Organisation, at time.Time) ([]consent.Event, error) {
			return p.AskClarifying(pid(3), at, string(cmd.Payload))
		}, &store.WriteOptions{Command: cmd})
	}
	const rounds, crowd, retries = 4, 16, 2
	for round := range rounds {
		done := store.Command{ID: store.CommandID(uuid.New()), Payload: fmt.Appendf(nil, "Who writes the note on Sundays (%d)?", round)}
		first, err := ask(done)
		require.NoError(t, err)
		start := make(chan struct{})
		var wg sync.WaitGroup
		var mu sync.Mutex
		var fresh, dup []store.Receipt
		for i := range crowd + retries {
			wg.Go(func() {
				cmd := done
				if i < crowd {
					cmd = store.Command{ID: store.CommandID(uuid.New()), Payload: fmt.Appendf(nil, "Question %d.%d?", round, i)}
				}
				<-start
				r, err := ask(cmd)
				if !assert.NoError(t, err) {
					return
				}
				mu.Lock()
				defer mu.Unlock()
				if r.Duplicate {
					dup = append(dup, r)
				} else {
					fresh = append(fresh, r)
				}
			})
		}
		close(start)
		wg.Wait()
		assert.Len(t, fresh, crowd, "round %d: every new act commits", round)
		if assert.Len(t, dup, retries, "round %d: every retry is the duplicate", round) {
			for _, r := range dup {
				assert.Equal(t, first.First, r.First, "round %d: the original receipt", round)
				assert.Equal(t, first.Last, r.Last)
			}
		}
		p, err := s.Process(ctx, org, id)
		require.NoError(t, err)
		asked := 0
		for _, q := range p.Questions() {
			if q.Text == string(done.Payload) {
				asked++
			}
		}
		assert.Equal(t, 1, asked, "round %d: the retried question is asked once", round)
		assert.Len(t, p.Questions(), (round+1)*(crowd+1))
	}
	_, err = s.Verify(ctx, org)
	assert.NoError(t, err)
}
