package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/election"
	"github.com/coproduce/sociocracy/review"
	"github.com/coproduce/sociocracy/store"
)

// The past through the Store: each aggregate as of an instant
// (store/history.go).
var historyTests = []struct {
	name string
	fn   func(t *testing.T, s *store.Store)
}{
	{"HistoryOrganisationAsOfEveryAct", testHistoryOrganisation},
	{"HistoryProcessAndCalendarAsOfEveryAct", testHistoryProcess},
	{"HistoryElectionAsOfEveryAct", testHistoryElection},
	{"HistoryErasedTextStaysErasedInThePast", testHistoryErasure},
	{"HistoryAsOfAnyInstantIsTheReplayOfThePrefix", testHistoryProperty},
}

func init() { portableTests = append(portableTests, historyTests...) }

// dated is WriteOptions dating an act.
func dated(t time.Time) *store.WriteOptions { return &store.WriteOptions{At: t} }

// exported is the organisation's export, for comparing organisations.
func exported(t *testing.T, o *circle.Organisation) string {
	t.Helper()
	b, err := o.Export()
	require.NoError(t, err)
	return string(b)
}

func testHistoryOrganisation(t *testing.T, s *store.Store) {
	ctx := context.Background()
	f := circletest.Founding(1)
	f.Org, f.At = NewOrg(), at(0)
	org := f.Org
	_, err := s.Found(ctx, f, nil)
	require.NoError(t, err)

	// Each act at its own minute; what the organisation was after it.
	steps := []func(o *circle.Organisation, at time.Time) ([]circle.Event, error){
		func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
			return o.AddCircle(pid(1), at, circle.CircleSpec{ID: team, Parent: o.Top(), Name: "Care team North", Kind: circle.KindTeam})
		},
		func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
			return o.AddPerson(pid(1), at, circle.PersonSpec{ID: pid(2), Label: "P2", Class: circle.SupportedPerson})
		},
		func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
			return o.AddMember(pid(1), at, team, pid(2))
		},
		func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
			return o.AddMember(pid(1), at, team, pid(1))
		},
		func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
			return o.AssignRole(pid(1), at, team, circle.Leader, pid(1), circle.Term{Start: at, End: at.AddDate(1, 0, 0)})
		},
		func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
			return o.RemoveMember(pid(1), at, team, pid(2))
		},
		func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
			return o.EndRole(pid(1), at, team, circle.Leader)
		},
	}
	was := []string{}
	o, err := s.Organisation(ctx, org)
	require.NoError(t, err)
	was = append(was, exported(t, o))
	for i, step := range steps {
		_, err := s.ActOrg(ctx, org, step, dated(at(i+1)))
		require.NoError(t, err, "step %d", i+1)
		o, err := s.Organisation(ctx, org)
		require.NoError(t, err)
		was = append(was, exported(t, o))
	}

	// A fresh Store (nothing cached) and the one that did the acts agree.
	for _, reader := range []*store.Store{s, store.New(s.Driver(), nil)} {
		for i, want := range was {
			got, err := reader.OrganisationAt(ctx, org, at(i))
			require.NoError(t, err)
			assert.JSONEq(t, want, exported(t, got), "as of the minute of act %d: the act is included", i)
			if i > 0 {
				got, err := reader.OrganisationAt(ctx, org, at(i).Add(-time.Microsecond))
				require.NoError(t, err)
				assert.JSONEq(t, was[i-1], exported(t, got), "a microsecond before act %d: it is not", i)
				got, err = reader.OrganisationAt(ctx, org, at(i).Add(30*time.Second))
				require.NoError(t, err)
				assert.JSONEq(t, want, exported(t, got), "between acts %d and %d", i, i+1)
			}
		}
		now, err := reader.OrganisationAt(ctx, org, at(0).AddDate(50, 0, 0))
		require.NoError(t, err)
		assert.JSONEq(t, was[len(was)-1], exported(t, now), "as of the future: the organisation as it is")
	}

	// The copy handed out is the caller's own.
	got, err := s.OrganisationAt(ctx, org, at(100))
	require.NoError(t, err)
	_, err = got.AddPerson(pid(1), at(101), circle.PersonSpec{ID: pid(9), Label: "P9", Class: circle.Worker})
	require.NoError(t, err)
	again, err := s.OrganisationAt(ctx, org, at(100))
	require.NoError(t, err)
	_, ok := again.Person(pid(9))
	assert.False(t, ok, "changing a copy changes nothing stored")

	// Before the founding, and with no instant, or another organisation.
	_, err = s.OrganisationAt(ctx, org, at(0).Add(-time.Microsecond))
	assert.ErrorIs(t, err, store.ErrNotFound, "before the founding the organisation did not exist")
	_, err = s.OrganisationAt(ctx, org, time.Time{})
	assert.ErrorIs(t, err, store.ErrInvalid)
	_, err = s.OrganisationAt(ctx, NewOrg(), at(3))
	assert.ErrorIs(t, err, store.ErrNotFound)
	_, err = s.OrganisationAt(ctx, circle.OrgID{}, at(3))
	assert.ErrorIs(t, err, store.ErrInvalid)
}

func testHistoryProcess(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org := fixture(t, s, 3)
	id := consent.ProcessID(uuid.New())
	_, err := s.StartProcess(ctx, org, startSpec(org, id), dated(at(1)))
	require.NoError(t, err)
	all := members(3)
	acts := []func(p *consent.Process, at time.Time) ([]consent.Event, error){
		func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.Present(pid(1), at, all) },
		func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.SkipReactions(pid(1), at) },
		func(p *consent.Process, at time.Time) ([]consent.Event, error) {
			return p.OpenConsentRound(pid(1), at, all, time.Time{})
		},
		func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.Consent(pid(1), at) },
		func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.Consent(pid(2), at) },
		func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.Consent(pid(3), at) },
		func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.Adopt(pid(1), at) },
	}
	type state struct {
		phase   consent.Phase
		version uint64
		items   int
	}
	snap := func() state {
		p, err := s.Process(ctx, org, id)
		require.NoError(t, err)
		c, err := s.Calendar(ctx, org)
		require.NoError(t, err)
		return state{p.Phase(), p.Version(), len(c.ItemsOf(team))}
	}
	was := []state{snap()}
	for i, a := range acts {
		_, err := s.ActProcess(ctx, org, id, func(p *consent.Process, _ *circle.Organisation, at time.Time) ([]consent.Event, error) {
			return a(p, at)
		}, dated(at(i+2)))
		require.NoError(t, err)
		was = append(was, snap())
	}
	require.Equal(t, consent.PhaseAdopted, was[len(was)-1].phase)
	require.Greater(t, was[len(was)-1].items, was[0].items, "the adoption put its review on the calendar")

	for i, want := range was {
		p, err := s.ProcessAt(ctx, org, id, at(i+1))
		require.NoError(t, err)
		c, err := s.CalendarAt(ctx, org, at(i+1))
		require.NoError(t, err)
		assert.Equal(t, want, state{p.Phase(), p.Version(), len(c.ItemsOf(team))}, "as of act %d", i+1)
	}
	p, err := s.ProcessAt(ctx, org, id, at(3).Add(-time.Microsecond))
	require.NoError(t, err)
	assert.Equal(t, consent.PhasePresented, p.Phase(), "a microsecond before the reactions were skipped")
	_, err = s.ProcessAt(ctx, org, id, at(1).Add(-time.Microsecond))
	assert.ErrorIs(t, err, store.ErrNotFound, "before it started the process did not exist")
	_, err = s.ProcessAt(ctx, org, consent.ProcessID(uuid.New()), at(5))
	assert.ErrorIs(t, err, store.ErrNotFound)
	_, err = s.ProcessAt(ctx, org, id, time.Time{})
	assert.ErrorIs(t, err, store.ErrInvalid)

	// The round as it stood: who had answered.
	p, err = s.ProcessAt(ctx, org, id, at(6))
	require.NoError(t, err)
	r := p.Round()
	require.NotNil(t, r)
	_, answered := r.Answer(pid(2))
	assert.True(t, answered)
	_, answered = r.Answer(pid(3))
	assert.False(t, answered, "P3 had not answered yet")

	cal, err := s.CalendarAt(ctx, org, at(0))
	require.NoError(t, err)
	var reviews int
	for _, it := range cal.ItemsOf(team) {
		if it.Kind == review.KindPolicyReview {
			reviews++
		}
	}
	assert.Zero(t, reviews, "no policy review before the decision")
}

func testHistoryElection(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org := fixture(t, s, 3)
	id := election.ElectionID(uuid.New())
	spec := election.Spec{ID: id, Circle: team, Role: circle.Delegate, Facilitator: pid(1),
		Description: "Carries the team's concerns to the general circle", Term: circletest.Term(12), Policy: election.DefaultPolicy()}
	_, err := s.CallElection(ctx, org, spec, dated(at(1)))
	require.NoError(t, err)
	acts := []func(e *election.Election, at time.Time) ([]election.Event, error){
		func(e *election.Election, at time.Time) ([]election.Event, error) { return e.Consent(pid(1), at) },
		func(e *election.Election, at time.Time) ([]election.Event, error) { return e.Consent(pid(2), at) },
		func(e *election.Election, at time.Time) ([]election.Event, error) { return e.Consent(pid(3), at) },
		func(e *election.Election, at time.Time) ([]election.Event, error) {
			return e.OpenNominations(pid(1), at)
		},
		func(e *election.Election, at time.Time) ([]election.Event, error) {
			return e.Nominate(pid(1), at, pid(2), "she listens")
		},
		func(e *election.Election, at time.Time) ([]election.Event, error) {
			return e.Nominate(pid(2), at, pid(2), "I would like to")
		},
		func(e *election.Election, at time.Time) ([]election.Event, error) {
			return e.Nominate(pid(3), at, pid(2), "she listens")
		},
	}
	type state struct {
		phase   election.Phase
		version uint64
	}
	was := []state{}
	e, err := s.Election(ctx, org, id)
	require.NoError(t, err)
	was = append(was, state{e.Phase(), e.Version()})
	for i, a := range acts {
		_, err := s.ActElection(ctx, org, id, func(e *election.Election, _ *circle.Organisation, at time.Time) ([]election.Event, error) {
			return a(e, at)
		}, dated(at(i+2)))
		require.NoError(t, err)
		e, err := s.Election(ctx, org, id)
		require.NoError(t, err)
		was = append(was, state{e.Phase(), e.Version()})
	}
	require.NotEqual(t, was[0].phase, was[len(was)-1].phase)
	for i, want := range was {
		e, err := s.ElectionAt(ctx, org, id, at(i+1))
		require.NoError(t, err)
		assert.Equal(t, want, state{e.Phase(), e.Version()}, "as of act %d", i+1)
	}
	_, err = s.ElectionAt(ctx, org, id, at(0))
	assert.ErrorIs(t, err, store.ErrNotFound, "before it was called the election did not exist")
}

func testHistoryErasure(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org := fixture(t, s, 3)
	id := consent.ProcessID(uuid.New())
	r, err := s.StartProcess(ctx, org, startSpec(org, id), dated(at(1)))
	require.NoError(t, err)
	p, err := s.ProcessAt(ctx, org, id, at(1))
	require.NoError(t, err)
	require.Contains(t, p.Proposal().Text, "Maria Lopez")

	_, err = s.EraseText(ctx, org, r.First, []string{"proposal.text"}, store.Erasure{Actor: pid(1), Reason: "erasure request"}, dated(at(2)))
	require.NoError(t, err)
	for _, when := range []time.Time{at(1), at(2).Add(-time.Microsecond), at(3)} {
		p, err := s.ProcessAt(ctx, org, id, when)
		require.NoError(t, err)
		assert.Equal(t, store.Erased, p.Proposal().Text, "as of %s, before the erasure too, the text is erased", when)
		assert.Equal(t, "Night shift handover", p.Proposal().Title)
	}
	cal, err := s.CalendarAt(ctx, org, at(1))
	require.NoError(t, err)
	for _, it := range cal.ItemsOf(team) {
		assert.NotContains(t, it.Title, "Maria", "no copy on the calendar of the past either")
	}
}

// Property: the organisation as of any instant is the replay of exactly
// the organisation's events dated at or before it, on every adapter, and
// the same whether the reading Store had the organisation cached or not.
func testHistoryProperty(t *testing.T, s *store.Store) {
	ctx := context.Background()
	rapid.Check(t, func(rt *rapid.T) {
		f := circletest.Founding(1)
		f.Org, f.At = NewOrg(), t0
		org := f.Org
		_, err := s.Found(ctx, f, nil)
		require.NoError(rt, err)
		when := t0
		n := rapid.IntRange(1, 8).Draw(rt, "acts")
		people := 1
		for i := range n {
			when = when.Add(time.Duration(rapid.IntRange(0, 3).Draw(rt, fmt.Sprint("gap", i))) * time.Minute)
			_, err := s.ActOrg(ctx, org, func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
				var c store.Collector[circle.Event]
				for range rapid.IntRange(1, 3).Draw(rt, fmt.Sprint("people", i)) {
					people++
					c.Add(o.AddPerson(pid(1), at, circle.PersonSpec{ID: pid(people), Label: fmt.Sprint("P", people), Class: circle.Worker}))
					c.Add(o.AddMember(pid(1), at, o.Top(), pid(people)))
				}
				return c.Result()
			}, dated(when))
			require.NoError(rt, err)
		}
		es, err := s.Driver().ReadStream(ctx, store.OrgKey(org), 0, 0)
		require.NoError(rt, err)
		probe := t0.Add(time.Duration(rapid.Int64Range(0, int64(when.Sub(t0)+time.Minute)/int64(time.Microsecond)).Draw(rt, "probe")) * time.Microsecond)
		var evs []circle.Event
		for _, e := range es {
			if e.At.After(probe) {
				continue
			}
			ev, err := circle.UnmarshalEvent(e.Type, e.Data)
			require.NoError(rt, err)
			evs = append(evs, ev)
		}
		want, err := circle.Replay(evs)
		require.NoError(rt, err)
		wantDoc, err := want.Export()
		require.NoError(rt, err)
		reader := s
		if rapid.Bool().Draw(rt, "fresh store") {
			reader = store.New(s.Driver(), nil)
		}
		got, err := reader.OrganisationAt(ctx, org, probe)
		require.NoError(rt, err)
		gotDoc, err := got.Export()
		require.NoError(rt, err)
		require.JSONEq(rt, string(wantDoc), string(gotDoc), "as of %s", probe)
		require.Equal(rt, want.Version(), got.Version())
	})
}
