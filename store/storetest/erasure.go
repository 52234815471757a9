package storetest

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/store"
)

// The erasure rules of the Store, run over the driver under test.
var erasureTests = []struct {
	name string
	fn   func(t *testing.T, s *store.Store)
}{
	{"StoreErasePersonIsAtomicAndIdempotent", testErasePersonAtomic},
	{"StoreConcurrentErasuresOfOneEntryBothHold", testConcurrentErasures},
	{"StoreEraseTextRefusesTheStoresOwnRecords", testEraseStoreRecord},
	{"StoreEraseTextReachesEveryCopy", testEraseCopies},
}

func init() { portableTests = append(portableTests, erasureTests...) }

var erasure = store.Erasure{Actor: pid(1), Reason: "erasure request of 2 March"}

// "Any failure of the second step leaves the profile gone and the erasure
// never logged": the profile goes exactly when the erasure is recorded.
func testErasePersonAtomic(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org := fixture(t, s, 3)
	profile := store.Profile{Name: "Maria Lopez", Email: "maria@example.org"}
	require.NoError(t, s.SetProfile(ctx, org, pid(2), profile))
	before := headOf(t, s, org)

	_, err := s.ErasePerson(ctx, org, pid(2), store.Erasure{Actor: pid(1)}, nil)
	assert.ErrorIs(t, err, store.ErrInvalid, "an erasure without a reason is refused")
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = s.ErasePerson(cancelled, org, pid(2), erasure, nil)
	assert.ErrorIs(t, err, context.Canceled)
	got, err := s.Profile(ctx, org, pid(2))
	require.NoError(t, err, "a failed erasure leaves the profile")
	assert.Equal(t, profile, got)
	assert.Equal(t, before, headOf(t, s, org), "and records nothing")

	cmd := store.Command{ID: store.CommandID(uuid.New()), Payload: []byte("erase maria")}
	first, err := s.ErasePerson(ctx, org, pid(2), erasure, &store.WriteOptions{Command: cmd})
	require.NoError(t, err)
	_, err = s.Profile(ctx, org, pid(2))
	assert.ErrorIs(t, err, store.ErrNotFound, "erased")
	again, err := s.ErasePerson(ctx, org, pid(2), erasure, &store.WriteOptions{Command: cmd})
	require.NoError(t, err, "a retried erasure is not refused as not found")
	assert.True(t, again.Duplicate)
	assert.Equal(t, first.First, again.First)
	_, err = s.ErasePerson(ctx, org, pid(3), erasure, nil)
	assert.ErrorIs(t, err, store.ErrNotFound, "no profile to erase")
	_, err = s.Verify(ctx, org)
	assert.NoError(t, err)
}

// "Two concurrent EraseText calls on one entry silently undo each other":
// each is computed inside the append serialisation, so both hold.
func testConcurrentErasures(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org := fixture(t, s, 3)
	for range 10 {
		id := consent.ProcessID(uuid.New())
		r, err := s.StartProcess(ctx, org, startSpec(org, id), nil)
		require.NoError(t, err)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for _, field := range []string{"proposal.text", "proposal.driver"} {
			wg.Go(func() {
				<-start
				_, err := s.EraseText(ctx, org, r.First, []string{field}, erasure, nil)
				assert.NoError(t, err)
			})
		}
		close(start)
		wg.Wait()
		p, err := s.Process(ctx, org, id)
		require.NoError(t, err)
		assert.Equal(t, store.Erased, p.Proposal().Text)
		assert.Equal(t, store.Erased, p.Proposal().Driver, "neither erasure undid the other")
	}
	_, err := s.Verify(ctx, org)
	assert.NoError(t, err)
}

// "EraseText on a store.* record returns nil and makes every later Verify
// fail": it is refused, and the chain stays valid.
func testEraseStoreRecord(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org := fixture(t, s, 3)
	require.NoError(t, s.SetProfile(ctx, org, pid(2), store.Profile{Name: "Maria Lopez"}))
	r, err := s.ErasePerson(ctx, org, pid(2), erasure, nil)
	require.NoError(t, err)
	_, err = s.EraseText(ctx, org, r.First, []string{"reason"}, erasure, nil)
	assert.ErrorIs(t, err, store.ErrInvalid)
	_, err = s.EraseText(ctx, org, 0, []string{"reason"}, erasure, nil)
	assert.ErrorIs(t, err, store.ErrNotFound, "entries are numbered from 1")
	_, err = s.Verify(ctx, org)
	assert.NoError(t, err)
}

// "Erased text stays readable through its copies (the decision record
// repeats the proposal and the objections; review item titles repeat the
// proposal title)": one call erases them all.
func testEraseCopies(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org := fixture(t, s, 3)
	id := consent.ProcessID(uuid.New())
	spec := startSpec(org, id)
	spec.Proposal.Title = "Evening visits for Maria Lopez"
	spec.Proposal.Text = "Maria Lopez has the same two workers for her evening visits."
	started, err := s.StartProcess(ctx, org, spec, nil)
	require.NoError(t, err)
	all := members(3)
	for _, fn := range []func(p *consent.Process, at time.Time) ([]consent.Event, error){
		func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.Present(pid(1), at, all) },
		func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.SkipReactions(pid(1), at) },
		func(p *consent.Process, at time.Time) ([]consent.Event, error) {
			return p.OpenConsentRound(pid(1), at, all, time.Time{})
		},
		func(p *consent.Process, at time.Time) ([]consent.Event, error) {
			return p.Object(pid(3), at, "Maria Lopez asked for a named reserve worker too.")
		},
	} {
		_, err := s.ActProcess(ctx, org, id, func(p *consent.Process, _ *circle.Organisation, at time.Time) ([]consent.Event, error) {
			return fn(p, at)
		}, nil)
		require.NoError(t, err)
	}
	objection := headOf(t, s, org).Seq
	for _, fn := range []func(p *consent.Process, at time.Time) ([]consent.Event, error){
		func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.Consent(pid(1), at) },
		func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.Consent(pid(2), at) },
		func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.Integrate(pid(1), at) },
		func(p *consent.Process, at time.Time) ([]consent.Event, error) {
			return p.WithdrawObjection(pid(3), at, pid(3))
		},
		func(p *consent.Process, at time.Time) ([]consent.Event, error) {
			return p.OpenConsentRound(pid(1), at, all, time.Time{})
		},
		func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.Consent(pid(1), at) },
		func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.Consent(pid(2), at) },
		func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.Consent(pid(3), at) },
		func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.Adopt(pid(1), at) },
	} {
		_, err := s.ActProcess(ctx, org, id, func(p *consent.Process, _ *circle.Organisation, at time.Time) ([]consent.Event, error) {
			return fn(p, at)
		}, nil)
		require.NoError(t, err)
	}
	other := store.New(s.Driver(), nil)
	cal, err := other.Calendar(ctx, org)
	require.NoError(t, err)
	titled := 0
	for _, it := range cal.Items() {
		if strings.Contains(it.Title, "Maria Lopez") {
			titled++
		}
	}
	require.NotZero(t, titled, "the calendar repeats the proposal's title")

	_, err = s.EraseText(ctx, org, started.First, []string{"proposal.title", "proposal.text"}, erasure, nil)
	require.NoError(t, err)
	_, err = s.EraseText(ctx, org, objection, []string{"reason"}, erasure, nil)
	require.NoError(t, err)

	entries, err := s.Log(ctx, store.LogQuery{Org: org})
	require.NoError(t, err)
	for _, e := range entries {
		assert.NotContains(t, string(e.Data), "Maria Lopez", "no readable copy is left (entry %d, %s)", e.Seq, e.Type)
	}
	p, err := s.Process(ctx, org, id)
	require.NoError(t, err, "the process still replays")
	d, ok := p.Decision()
	require.True(t, ok)
	assert.Equal(t, store.Erased, d.Title, "the decision record's copy is erased")
	for _, st := range []*store.Store{s, other} {
		cal, err := st.Calendar(ctx, org)
		require.NoError(t, err, "the calendar still replays")
		for _, it := range cal.Items() {
			assert.NotContains(t, it.Title, "Maria Lopez", "every Store's calendar titles are erased")
		}
	}
	_, err = s.Verify(ctx, org)
	assert.NoError(t, err, "every erasure is recorded, so the chain verifies")
}
