package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/review"
	"github.com/coproduce/sociocracy/store"
)

// The participation part of the suite: answers given for someone and
// membership decided by consent, through the Store.
var participationTests = []struct {
	name string
	fn   func(t *testing.T, s *store.Store)
}{
	{"StoreMembershipDecisionEnactsInTheSameAppend", testStoreMembership},
	{"StoreRefusesAnAnswerWithoutItsMandate", testStoreMandateChecked},
	{"StoreKeepsLearningMembersOutOfRounds", testStoreClasses},
	{"StoreStuckProcessGoesUpAndIsTakenUp", testStoreStuck},
	{"StoreEmergencyDecisionWaitsOnTheAgenda", testStoreEmergency},
}

func runParticipationTests(t *testing.T, newDriver NewDriver) {
	for _, tc := range participationTests {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t)
			require.NotNil(t, d, "newDriver returned nil")
			t.Cleanup(func() { _ = d.Close() })
			tc.fn(t, store.New(d, nil))
		})
	}
}

// careTeam founds a team of three workers, Person(1) to Person(3), with a
// supported member, Person(5), who named Person(6) their advocate, and a
// worker who may join, Person(4). It returns the organisation and the
// advocate's mandate.
func careTeam(t *testing.T, s *store.Store) (circle.OrgID, circle.MandateID) {
	t.Helper()
	org := fixture(t, s, 3)
	mandate := circle.MandateID(circletest.UUID(0xad, 1))
	_, err := s.ActOrg(context.Background(), org, func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
		var c store.Collector[circle.Event]
		c.Add(o.AddPerson(pid(1), at, circle.PersonSpec{ID: pid(4), Label: "New worker", Class: circle.Worker}))
		c.Add(o.AddPerson(pid(1), at, circle.PersonSpec{ID: pid(5), Label: "Supported", Class: circle.SupportedPerson}))
		c.Add(o.AddPerson(pid(1), at, circle.PersonSpec{ID: pid(6), Label: "Advocate", Class: circle.Advocate, ActsFor: []circle.PersonID{pid(5)}}))
		c.Add(o.AddMember(pid(1), at, team, pid(5)))
		c.Add(o.NameAdvocate(pid(5), at, circle.Mandate{ID: mandate, Principal: pid(5), Holder: pid(6)}))
		return c.Result()
	}, nil)
	require.NoError(t, err)
	return org, mandate
}

// openJoin starts the decision that Person(4) joins the team, under the
// care-team policy, and opens its consent round.
func openJoin(t *testing.T, s *store.Store, org circle.OrgID) consent.ProcessID {
	t.Helper()
	ctx := context.Background()
	pol := consent.DefaultPolicy()
	pol.JoinConsentOf = circle.SupportedPerson
	id := consent.ProcessID(NewKey(org, store.KindConsent).ID)
	_, err := s.StartProcess(ctx, org, consent.ProcessSpec{ID: id, Circle: team, Proposer: pid(2), Facilitator: pid(1), Policy: &pol,
		Proposal:   consent.Proposal{Title: "P4 joins the team", Driver: "Sundays are short of a worker.", Text: "P4 joins Care team North."},
		Membership: &consent.MembershipChange{Change: consent.MembershipJoin, Person: pid(4)}}, nil)
	require.NoError(t, err)
	_, err = s.ActProcess(ctx, org, id, func(p *consent.Process, o *circle.Organisation, at time.Time) ([]consent.Event, error) {
		ps, err := consent.Participants(o, team)
		if err != nil {
			return nil, err
		}
		var c store.Collector[consent.Event]
		c.Add(p.Present(pid(1), at, ps))
		c.Add(p.SkipReactions(pid(1), at))
		c.Add(p.OpenConsentRound(pid(1), at, ps, time.Time{}))
		return c.Result()
	}, nil)
	require.NoError(t, err)
	return id
}

func testStoreMembership(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org, _ := careTeam(t, s)
	id := openJoin(t, s, org)
	_, err := s.ActProcess(ctx, org, id, func(p *consent.Process, o *circle.Organisation, at time.Time) ([]consent.Event, error) {
		var c store.Collector[consent.Event]
		c.Add(p.AnswerFor(pid(6), at, o, pid(5), consent.AnswerConsent, ""))
		for _, who := range []circle.PersonID{pid(1), pid(2), pid(3)} {
			c.Add(p.Consent(who, at))
		}
		return c.Result()
	}, nil)
	require.NoError(t, err)
	r, err := s.ActProcess(ctx, org, id, func(p *consent.Process, _ *circle.Organisation, at time.Time) ([]consent.Event, error) {
		return p.Adopt(pid(1), at)
	}, nil)
	require.NoError(t, err)
	es, err := s.Entries(ctx, r)
	require.NoError(t, err)
	var types []string
	for _, e := range es {
		types = append(types, e.Type)
	}
	assert.Contains(t, types, "consent.decision_adopted")
	assert.Contains(t, types, "circle.member_added", "the adoption adds the member in the same append")
	o, err := s.Organisation(ctx, org)
	require.NoError(t, err)
	c, _ := o.Circle(team)
	assert.True(t, c.IsMember(pid(4)))
	p, err := s.Process(ctx, org, id)
	require.NoError(t, err)
	d, _ := p.Decision()
	sup, ok := d.SupportOf(pid(5))
	assert.True(t, ok && sup.By == pid(6) && sup.How == consent.SupportAdvocate, "the record shows the advocate's answer")
	_, err = s.Verify(ctx, org)
	assert.NoError(t, err)
}

func testStoreMandateChecked(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org, mandate := careTeam(t, s)
	id := openJoin(t, s, org)
	old, err := s.Organisation(ctx, org) // a copy the host kept, mandate and all
	require.NoError(t, err)
	_, err = s.ActOrg(ctx, org, func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
		return o.RevokeMandate(pid(5), at, mandate, "I answer myself")
	}, nil)
	require.NoError(t, err)
	before, err := s.Driver().Stream(ctx, store.ProcessKey(org, id))
	require.NoError(t, err)
	_, err = s.ActProcess(ctx, org, id, func(p *consent.Process, _ *circle.Organisation, at time.Time) ([]consent.Event, error) {
		return p.AnswerFor(pid(6), at, old, pid(5), consent.AnswerConsent, "")
	}, nil)
	assert.ErrorIs(t, err, consent.ErrNoMandate, "the Store checks the mandate against the organisation it holds")
	after, err := s.Driver().Stream(ctx, store.ProcessKey(org, id))
	require.NoError(t, err)
	assert.Equal(t, before.Version, after.Version, "nothing was written")
}

func testStoreClasses(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org := fixture(t, s, 3)
	_, err := s.ActOrg(ctx, org, func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
		return o.SetParticipation(pid(1), at, team, pid(3), circle.ParticipationLearning)
	}, nil)
	require.NoError(t, err)
	id := consent.ProcessID(NewKey(org, store.KindConsent).ID)
	_, err = s.StartProcess(ctx, org, consent.ProcessSpec{ID: id, Circle: team, Proposer: pid(2), Facilitator: pid(1),
		Proposal: consent.Proposal{Title: "Rota swaps", Driver: "Swaps are lost.", Text: "Swaps go on the shared board."}}, nil)
	require.NoError(t, err)
	all := []circle.PersonID{pid(1), pid(2), pid(3)}
	_, err = s.ActProcess(ctx, org, id, func(p *consent.Process, _ *circle.Organisation, at time.Time) ([]consent.Event, error) {
		var c store.Collector[consent.Event]
		c.Add(p.Present(pid(1), at, all))
		c.Add(p.SkipReactions(pid(1), at))
		c.Add(p.OpenConsentRound(pid(1), at, all, time.Time{}))
		return c.Result()
	}, nil)
	assert.ErrorIs(t, err, consent.ErrInvalidParticipant, "a learning member has no consent right")
	_, err = s.ActProcess(ctx, org, id, func(p *consent.Process, o *circle.Organisation, at time.Time) ([]consent.Event, error) {
		var c store.Collector[consent.Event]
		ps, ex, err := p.Snapshot(o)
		c.Add(nil, err)
		c.Add(p.Present(pid(1), at, ps, ex...))
		c.Add(p.SkipReactions(pid(1), at))
		ps, ex, err = p.Snapshot(o)
		c.Add(nil, err)
		c.Add(p.OpenConsentRound(pid(1), at, ps, time.Time{}, ex...))
		c.Add(p.Advise(pid(3), at, consent.AnswerObject, "I would try it for a month first."))
		return c.Result()
	}, nil)
	require.NoError(t, err)
	p, err := s.Process(ctx, org, id)
	require.NoError(t, err)
	assert.Equal(t, []circle.PersonID{pid(1), pid(2)}, p.Participants())
	assert.Len(t, p.Advice(), 1)
	assert.Equal(t, 0, p.OpenObjections(), "advice does not block")
}

func testStoreStuck(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org := fixture(t, s, 3)
	_, err := s.ActOrg(ctx, org, func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
		return o.AddMember(pid(1), at, o.Top(), pid(2))
	}, nil)
	require.NoError(t, err)
	pol := consent.DefaultPolicy()
	pol.StuckAfter = 1
	id := consent.ProcessID(NewKey(org, store.KindConsent).ID)
	_, err = s.StartProcess(ctx, org, consent.ProcessSpec{ID: id, Circle: team, Proposer: pid(2), Facilitator: pid(1), Policy: &pol,
		Proposal: consent.Proposal{Title: "Pairs at night", Driver: "Night visits alone feel unsafe.", Text: "Night visits are made in pairs."}}, nil)
	require.NoError(t, err)
	all := []circle.PersonID{pid(1), pid(2), pid(3)}
	act := func(f func(p *consent.Process, o *circle.Organisation, at time.Time) ([]consent.Event, error)) error {
		_, err := s.ActProcess(ctx, org, id, f, nil)
		return err
	}
	require.NoError(t, act(func(p *consent.Process, _ *circle.Organisation, at time.Time) ([]consent.Event, error) {
		var c store.Collector[consent.Event]
		c.Add(p.Present(pid(1), at, all))
		c.Add(p.SkipReactions(pid(1), at))
		c.Add(p.OpenConsentRound(pid(1), at, all, time.Time{}))
		c.Add(p.Object(pid(3), at, "There are not enough workers for pairs."))
		c.Add(p.Consent(pid(1), at))
		c.Add(p.Consent(pid(2), at))
		c.Add(p.Integrate(pid(1), at))
		return c.Result()
	}))
	items, err := s.Due(ctx, org, time.Now().Add(time.Hour))
	require.NoError(t, err)
	assert.True(t, slices.ContainsFunc(items, func(it review.Item) bool { return it.Kind == review.KindStuckDecision && it.Circle == team }),
		"the calendar flags the stuck process")
	// A host's copy of the organisation in which the team sits under
	// another circle cannot send it there: the Store checks the referral.
	held, err := s.Organisation(ctx, org)
	require.NoError(t, err)
	fake := held.Clone()
	other := circletest.Circle(77)
	now := time.Now()
	_, err = fake.AddCircle(pid(1), now, circle.CircleSpec{ID: other, Parent: fake.Top(), Name: "Elsewhere", Kind: circle.KindDepartment})
	require.NoError(t, err)
	_, err = fake.MoveCircle(pid(1), now, team, other)
	require.NoError(t, err)
	err = act(func(p *consent.Process, _ *circle.Organisation, at time.Time) ([]consent.Event, error) {
		return p.ReferToParent(pid(1), at, fake, "To the circle of my choosing.")
	})
	assert.ErrorIs(t, err, consent.ErrSameCircle)
	require.NoError(t, act(func(p *consent.Process, o *circle.Organisation, at time.Time) ([]consent.Event, error) {
		return p.ReferToParent(pid(1), at, o, "The team cannot staff pairs; the mission circle holds the budget.")
	}))
	top := circletest.Circle(1)
	taken := consent.ProcessID(NewKey(org, store.KindConsent).ID)
	_, err = s.TakeUp(ctx, org, id, consent.ProcessSpec{ID: taken, Circle: top, Proposer: pid(2), Facilitator: pid(1),
		Proposal: consent.Proposal{Title: "Pairs at night", Driver: "Referred up by Care team North.", Text: "Night visits are made in pairs."}}, nil)
	require.NoError(t, err)
	p, err := s.Process(ctx, org, taken)
	require.NoError(t, err)
	h, ok := p.TakesUp()
	require.True(t, ok)
	assert.Equal(t, id, h.Process)
	assert.Len(t, h.Objections, 1)
	items, err = s.Due(ctx, org, time.Now().Add(time.Hour))
	require.NoError(t, err)
	assert.False(t, slices.ContainsFunc(items, func(it review.Item) bool { return it.Kind == review.KindStuckDecision }),
		"nothing stuck is left on the agenda")
	_, err = s.TakeUp(ctx, org, id, consent.ProcessSpec{ID: consent.ProcessID(NewKey(org, store.KindConsent).ID), Circle: team, Proposer: pid(2), Facilitator: pid(1),
		Proposal: consent.Proposal{Title: "Pairs", Driver: "d", Text: "t"}}, nil)
	assert.ErrorIs(t, err, consent.ErrNotStuck, "only the parent it went to takes it up")
}

func testStoreEmergency(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org := fixture(t, s, 3)
	_, err := s.ActOrg(ctx, org, func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
		return o.DelegateDomain(pid(1), at, team, "care")
	}, nil)
	require.NoError(t, err)
	spec := consent.ProcessSpec{Circle: team, Proposer: pid(1), Facilitator: pid(2),
		Proposal:  consent.Proposal{Title: "Pairs at Flat 4", Driver: "A worker was threatened.", Text: "Night visits to Flat 4 are made in pairs."},
		Emergency: &consent.EmergencySpec{Domain: "care/nights"}}
	spec.ID = consent.ProcessID(NewKey(org, store.KindConsent).ID)
	bad := spec
	bad.Proposer = pid(3)
	_, err = s.StartProcess(ctx, org, bad, nil)
	assert.ErrorIs(t, err, consent.ErrNotAllowedByPolicy, "only the leader decides alone")
	_, err = s.StartProcess(ctx, org, spec, nil)
	require.NoError(t, err)
	p, err := s.Process(ctx, org, spec.ID)
	require.NoError(t, err)
	m, ok := p.Emergency()
	require.True(t, ok)
	items, err := s.Due(ctx, org, m.HoldBy.Add(time.Hour))
	require.NoError(t, err)
	assert.True(t, slices.ContainsFunc(items, func(it review.Item) bool {
		return it.Kind == review.KindEmergencyReview && it.Due.Equal(m.HoldBy) && it.Holder == pid(1)
	}), "its consent round is on the agenda, due by %s", m.HoldBy)
}
