package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/agreement"
	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
	mreg "github.com/coproduce/sociocracy/members"
	"github.com/coproduce/sociocracy/review"
	"github.com/coproduce/sociocracy/store"
)

// registerTests are the conformance tests of the registers kept through
// the portable type.
var registerTests = []struct {
	name string
	fn   func(t *testing.T, s *store.Store)
}{
	{"StorePolicyRegisterFollowsDecisionsInTheSameAppend", testPolicyRegisterFollowsDecisions},
	{"StoreReviewOfAnUnknownAgreementStartsNothing", testReviewOfUnknownAgreement},
	{"StoreEraseTextReachesThePolicyRegister", testErasePolicyRegister},
	{"StorePolicyRegisterOfAnOrganisationWithoutDecisions", testPolicyRegisterEmpty},
}

func init() { portableTests = append(portableTests, registerTests...) }

// decide runs consent process spec of org to adoption, its acts at minute
// from on, and returns the receipts of its start and its adoption.
func decide(t *testing.T, s *store.Store, org circle.OrgID, spec consent.ProcessSpec, from int) (started, adopted store.Receipt) {
	t.Helper()
	ctx := context.Background()
	started, err := s.StartProcess(ctx, org, spec, &store.WriteOptions{At: at(from)})
	require.NoError(t, err)
	all := members(4)
	for i, fn := range []func(p *consent.Process, at time.Time) ([]consent.Event, error){
		func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.Present(pid(1), at, all) },
		func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.SkipReactions(pid(1), at) },
		func(p *consent.Process, at time.Time) ([]consent.Event, error) {
			return p.OpenConsentRound(pid(1), at, all, time.Time{})
		},
		func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.Consent(pid(1), at) },
		func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.Consent(pid(2), at) },
		func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.Consent(pid(3), at) },
		func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.Consent(pid(4), at) },
		func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.Adopt(pid(1), at) },
	} {
		rc, err := s.ActProcess(ctx, org, spec.ID, func(p *consent.Process, _ *circle.Organisation, at time.Time) ([]consent.Event, error) {
			return fn(p, at)
		}, &store.WriteOptions{At: at(from + 1 + i)})
		require.NoError(t, err)
		adopted = rc
	}
	return started, adopted
}

func kindsOf(t *testing.T, s *store.Store, rc store.Receipt) []store.Kind {
	t.Helper()
	entries, err := s.Entries(context.Background(), rc)
	require.NoError(t, err)
	var out []store.Kind
	for _, e := range entries {
		out = append(out, e.Stream.Kind)
	}
	return out
}

func testPolicyRegisterFollowsDecisions(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org := fixture(t, s, 4)
	first := consent.ProcessID(uuid.New())
	_, rc := decide(t, s, org, startSpec(org, first), 10)
	assert.Contains(t, kindsOf(t, s, rc), store.KindPolicyRegister, "the decision and its agreement are appended together")

	id := agreement.IDFor(org, first)
	in, err := s.AgreementsInForceIn(ctx, org, team, at(100))
	require.NoError(t, err)
	require.Len(t, in, 1)
	assert.Equal(t, id, in[0].Agreement)
	assert.Equal(t, "Night shift handover", in[0].Version.Title)
	assert.Equal(t, first, in[0].Version.Decision)

	// A review is a consent process linked to the agreement; it amends it.
	second := consent.ProcessID(uuid.New())
	spec := startSpec(org, second)
	spec.Review = consent.Review{Agreement: id}
	spec.Proposal.Text = "Handover happens in person at 22:00 and is written in the shared log."
	started, rc := decide(t, s, org, spec, 200)
	assert.Contains(t, kindsOf(t, s, started), store.KindPolicyRegister, "the review is on record from its start")
	assert.Contains(t, kindsOf(t, s, rc), store.KindPolicyRegister)

	for _, tc := range []struct {
		at   time.Time
		text string
	}{
		{at(100), "Handover happens in person at 22:00; Maria Lopez writes the note."},
		{at(300), spec.Proposal.Text},
	} {
		in, err := s.AgreementsInForce(ctx, org, tc.at)
		require.NoError(t, err)
		require.Len(t, in, 1, "at %s", tc.at)
		assert.Equal(t, tc.text, in[0].Version.Text, "what was in force at %s", tc.at)
	}
	in, err = s.AgreementsInForce(ctx, org, at(5))
	require.NoError(t, err)
	assert.Empty(t, in, "nothing was in force before the first decision")

	// The calendar retired the reviewed version's review in the same append;
	// the amendment's review took over.
	cal, err := s.Calendar(ctx, org)
	require.NoError(t, err)
	old, ok := cal.Item(review.ItemIDFor(org, review.KindPolicyReview, review.DecisionSource(first)))
	require.True(t, ok)
	assert.Equal(t, review.StatusRetired, old.Status)
	nw, ok := cal.Item(review.ItemIDFor(org, review.KindPolicyReview, review.DecisionSource(second)))
	require.True(t, ok)
	assert.Equal(t, review.StatusOpen, nw.Status)

	// The register replays from the driver to the same state: a Store
	// without caches reads it afresh.
	reg, err := s.PolicyRegister(ctx, org)
	require.NoError(t, err)
	cold := store.New(s.Driver(), &store.Options{CacheAggregates: -1})
	back, err := cold.PolicyRegister(ctx, org)
	require.NoError(t, err)
	assert.Equal(t, reg.Agreements(), back.Agreements())
	assert.Equal(t, reg.Version(), back.Version())
	a, _ := back.Agreement(id)
	require.Len(t, a.Versions, 2)
	assert.Equal(t, agreement.ChangeAmended, a.Current().Change)
	_, err = s.Verify(ctx, org)
	assert.NoError(t, err)

	// A dissolved circle's agreements leave force with it, in the same append.
	rc, err = s.ActOrg(ctx, org, func(o *circle.Organisation, _ time.Time) ([]circle.Event, error) {
		return o.DissolveCircle(pid(1), at(400), team)
	}, &store.WriteOptions{At: at(400)})
	require.NoError(t, err)
	assert.Contains(t, kindsOf(t, s, rc), store.KindPolicyRegister)
	in, err = s.AgreementsInForceIn(ctx, org, team, at(401))
	require.NoError(t, err)
	assert.Empty(t, in)
	in, err = s.AgreementsInForceIn(ctx, org, team, at(399))
	require.NoError(t, err)
	assert.Len(t, in, 1, "what was in force before stays on record")

	// Another organisation sees none of it.
	other := fixture(t, s, 2)
	in, err = s.AgreementsInForce(ctx, other, at(300))
	require.NoError(t, err)
	assert.Empty(t, in)
}

func testReviewOfUnknownAgreement(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org := fixture(t, s, 4)
	head, err := s.Head(ctx, org)
	require.NoError(t, err)
	spec := startSpec(org, consent.ProcessID(uuid.New()))
	spec.Review = consent.Review{Agreement: agreement.IDFor(org, consent.ProcessID(uuid.New()))}
	_, err = s.StartProcess(ctx, org, spec, nil)
	assert.ErrorIs(t, err, agreement.ErrUnknownAgreement)
	after, err := s.Head(ctx, org)
	require.NoError(t, err)
	assert.Equal(t, head.Seq, after.Seq, "nothing was appended")
	open, err := s.OpenProcesses(ctx, org, team)
	require.NoError(t, err)
	assert.Empty(t, open)
}

func testErasePolicyRegister(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org := fixture(t, s, 4)
	id := consent.ProcessID(uuid.New())
	started, _ := decide(t, s, org, startSpec(org, id), 10)
	_, err := s.EraseText(ctx, org, started.First, []string{"proposal.text"}, erasure, nil)
	require.NoError(t, err)
	in, err := s.AgreementsInForce(ctx, org, at(100))
	require.NoError(t, err)
	require.Len(t, in, 1)
	assert.Equal(t, store.Erased, in[0].Version.Text, "the register's copy of the text is erased with it")
	assert.Equal(t, "Night shift handover", in[0].Version.Title, "what was not erased stays")
	cold := store.New(s.Driver(), &store.Options{CacheAggregates: -1})
	reg, err := cold.PolicyRegister(ctx, org)
	require.NoError(t, err)
	a, _ := reg.Agreement(agreement.IDFor(org, id))
	assert.Equal(t, store.Erased, a.Current().Text, "and stays erased when read afresh")
	_, err = s.Verify(ctx, org)
	assert.NoError(t, err)
}

func testPolicyRegisterEmpty(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org := fixture(t, s, 2)
	in, err := s.AgreementsInForce(ctx, org, at(1))
	require.NoError(t, err)
	assert.Empty(t, in)
	_, err = s.PolicyRegister(ctx, org)
	assert.ErrorIs(t, err, store.ErrNotFound)

	// A proposal withdrawn before any decision records nothing in the register.
	id := consent.ProcessID(uuid.New())
	_, err = s.StartProcess(ctx, org, startSpec(org, id), nil)
	require.NoError(t, err)
	rc, err := s.ActProcess(ctx, org, id, func(p *consent.Process, _ *circle.Organisation, at time.Time) ([]consent.Event, error) {
		return p.Withdraw(pid(2), at, "not now")
	}, nil)
	require.NoError(t, err)
	assert.NotContains(t, kindsOf(t, s, rc), store.KindPolicyRegister)
	_, err = s.PolicyRegister(ctx, org)
	assert.ErrorIs(t, err, store.ErrNotFound, "the register opens with its first record")

	_, err = s.AgreementsInForce(ctx, NewOrg(), at(1))
	assert.ErrorIs(t, err, store.ErrNotFound, "an organisation that does not exist")
}

var memberTests = []struct {
	name string
	fn   func(t *testing.T, s *store.Store)
}{
	{"StoreMemberRegisterExportsWithProfilesAndForgetsTheErased", testMemberRegisterExport},
	{"StoreMembershipConditionsAreOnTheCalendarInTheSameAppend", testMembershipConditions},
	{"StoreOfficersFollowTheTopCircle", testOfficers},
	{"StoreARefusedActOnTheMemberRegisterAppendsNothing", testMemberRegisterRefused},
	{"StoreMemberRegisterCommandsAreIdempotentAndTenantsApart", testMemberRegisterIdempotent},
}

func init() { portableTests = append(portableTests, memberTests...) }

func actMembers(t *testing.T, s *store.Store, org circle.OrgID, n int, fn func(r *mreg.Register, o *circle.Organisation, at time.Time) ([]mreg.Event, error)) store.Receipt {
	t.Helper()
	rc, err := s.ActMembers(context.Background(), org, fn, &store.WriteOptions{At: at(n)})
	require.NoError(t, err)
	return rc
}

func testMemberRegisterExport(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org := fixture(t, s, 4)
	rc := actMembers(t, s, org, 10, func(r *mreg.Register, o *circle.Organisation, at time.Time) ([]mreg.Event, error) {
		var c store.Collector[mreg.Event]
		for i := 1; i <= 3; i++ {
			c.Add(r.Admit(o, pid(1), at, pid(i), i))
		}
		return c.Result()
	})
	assert.Contains(t, kindsOf(t, s, rc), store.KindMemberRegister)
	require.NoError(t, s.SetProfile(ctx, org, pid(2), store.Profile{Name: "Maria Lopez", Address: "4 Canal St"}))
	actMembers(t, s, org, 20, func(r *mreg.Register, o *circle.Organisation, at time.Time) ([]mreg.Event, error) {
		return r.Cease(o, pid(1), at, pid(3), "resigned")
	})

	st, err := s.StatutoryRegister(ctx, org, at(30), &mreg.Options{Shares: true})
	require.NoError(t, err)
	require.Len(t, st.Members, 3)
	assert.Equal(t, "Maria Lopez", st.Members[1].Name)
	assert.Equal(t, "4 Canal St", st.Members[1].Address)
	assert.Equal(t, at(20).UTC().Truncate(time.Microsecond), st.Members[2].Ceased)
	assert.Contains(t, string(st.MembersCSV()), "Maria Lopez")
	past, err := s.StatutoryRegister(ctx, org, at(15), nil)
	require.NoError(t, err)
	assert.True(t, past.Members[2].Ceased.IsZero(), "the register as it stood then")
	now, err := s.MembersAt(ctx, org, at(30))
	require.NoError(t, err)
	assert.Len(t, now, 2)

	in, err := s.InspectableRegister(ctx, org, pid(1), at(30), &mreg.Options{Shares: true})
	require.NoError(t, err)
	assert.Nil(t, in.Members[1].Shares, "another member's shares are withheld")
	assert.Equal(t, 1, *in.Members[0].Shares)
	_, err = s.InspectableRegister(ctx, org, pid(4), at(30), nil)
	assert.ErrorIs(t, err, mreg.ErrNotMember, "someone who is not a member inspects nothing")

	_, err = s.ErasePerson(ctx, org, pid(2), erasure, nil)
	require.NoError(t, err)
	st, err = s.StatutoryRegister(ctx, org, at(30), &mreg.Options{Shares: true})
	require.NoError(t, err)
	assert.True(t, st.Members[1].Erased)
	assert.Empty(t, st.Members[1].Name)
	assert.NotContains(t, string(st.MembersCSV()), "Maria")
	js, err := st.JSON()
	require.NoError(t, err)
	assert.NotContains(t, string(js), "Canal", "an erased person is never served again")

	reg, err := s.MemberRegister(ctx, org)
	require.NoError(t, err)
	cold := store.New(s.Driver(), &store.Options{CacheAggregates: -1})
	back, err := cold.MemberRegister(ctx, org)
	require.NoError(t, err)
	assert.Equal(t, reg.Everyone(), back.Everyone(), "the register replays from the driver to the same state")
	assert.Equal(t, reg.Offices(), back.Offices())
	_, err = s.Verify(ctx, org)
	assert.NoError(t, err)
}

func testMembershipConditions(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org := fixture(t, s, 3)
	ends := t0.AddDate(0, 6, 0)
	rc := actMembers(t, s, org, 10, func(r *mreg.Register, o *circle.Organisation, at time.Time) ([]mreg.Event, error) {
		var c store.Collector[mreg.Event]
		c.Add(r.Admit(o, pid(1), at, pid(2), 0))
		c.Add(r.SetCondition(o, pid(1), at, pid(2), mreg.ConditionSupport, ends))
		return c.Result()
	})
	assert.Contains(t, kindsOf(t, s, rc), store.KindReview, "the condition's end date is on the calendar from the same append")
	item := func(lapsed bool) review.Item {
		cal, err := s.Calendar(ctx, org)
		require.NoError(t, err)
		it, _ := cal.Item(review.ItemIDFor(org, review.KindMemberCondition, review.MembershipSource(pid(2), mreg.ConditionSupport, lapsed)))
		return it
	}
	assert.Equal(t, review.StatusOpen, item(false).Status)
	assert.Equal(t, ends, item(false).Due)

	actMembers(t, s, org, 20, func(r *mreg.Register, o *circle.Organisation, at time.Time) ([]mreg.Event, error) {
		return r.LapseCondition(o, pid(1), at, pid(2), mreg.ConditionSupport, "support ended")
	})
	due, err := s.Due(ctx, org, at(21))
	require.NoError(t, err)
	var kinds []review.Kind
	for _, it := range due {
		kinds = append(kinds, it.Kind)
	}
	assert.Contains(t, kinds, review.KindMemberCondition, "the lapse is due at once")
	now, err := s.MembersAt(ctx, org, at(21))
	require.NoError(t, err)
	assert.Len(t, now, 1, "the lapse alone ends nothing")

	actMembers(t, s, org, 30, func(r *mreg.Register, o *circle.Organisation, at time.Time) ([]mreg.Event, error) {
		return r.Cease(o, pid(1), at, pid(2), "support ended")
	})
	assert.Equal(t, review.StatusRetired, item(true).Status, "applied by the act: off the agenda")
	now, err = s.MembersAt(ctx, org, at(31))
	require.NoError(t, err)
	assert.Empty(t, now)
}

func testOfficers(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org := fixture(t, s, 3)
	actMembers(t, s, org, 10, func(r *mreg.Register, o *circle.Organisation, at time.Time) ([]mreg.Event, error) {
		return r.Admit(o, pid(1), at, pid(2), 0)
	})
	reg, err := s.MemberRegister(ctx, org)
	require.NoError(t, err)
	require.Len(t, reg.Offices(), 1, "the founder's seat on the top circle, from the opening")
	var top circle.CircleID
	_, err = s.ActOrg(ctx, org, func(o *circle.Organisation, _ time.Time) ([]circle.Event, error) {
		top = o.Top()
		var c store.Collector[circle.Event]
		c.Add(o.AddMember(pid(1), at(20), top, pid(2)))
		c.Add(o.AssignRole(pid(1), at(20), top, circle.Secretary, pid(2), circle.Term{Start: at(20), End: at(20).AddDate(1, 0, 0)}))
		return c.Result()
	}, &store.WriteOptions{At: at(20)})
	require.NoError(t, err)
	_, err = s.ActOrg(ctx, org, func(o *circle.Organisation, _ time.Time) ([]circle.Event, error) {
		var c store.Collector[circle.Event]
		c.Add(o.EndRole(pid(1), at(30), top, circle.Secretary))
		c.Add(o.RemoveMember(pid(1), at(30), top, pid(2)))
		return c.Result()
	}, &store.WriteOptions{At: at(30)})
	require.NoError(t, err)
	st, err := s.StatutoryRegister(ctx, org, at(40), nil)
	require.NoError(t, err)
	var offices []string
	for _, e := range st.Officers {
		offices = append(offices, e.Office)
		if e.Person == pid(2) {
			assert.Equal(t, at(30).UTC().Truncate(time.Microsecond), e.Ceased)
		}
	}
	assert.Equal(t, []string{"committee member", "committee member", "secretary"}, offices)
	csv := string(st.OfficersCSV())
	assert.Contains(t, csv, "secretary")
}

func testMemberRegisterRefused(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org := fixture(t, s, 3)
	head, err := s.Head(ctx, org)
	require.NoError(t, err)
	_, err = s.ActMembers(ctx, org, func(r *mreg.Register, o *circle.Organisation, at time.Time) ([]mreg.Event, error) {
		return r.Admit(o, pid(2), at, pid(3), 0) // pid(2) is not in the top circle
	}, nil)
	assert.ErrorIs(t, err, mreg.ErrNotAuthorised)
	after, err := s.Head(ctx, org)
	require.NoError(t, err)
	assert.Equal(t, head.Seq, after.Seq, "nothing was appended, not even the register's opening")
	_, err = s.MemberRegister(ctx, org)
	assert.ErrorIs(t, err, store.ErrNotFound)
}

func testMemberRegisterIdempotent(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org := fixture(t, s, 3)
	cmd := store.Command{ID: store.CommandID(uuid.New()), Payload: []byte(`{"admit":2}`)}
	var first store.Receipt
	for i := range 2 {
		rc, err := s.ActMembers(ctx, org, func(r *mreg.Register, o *circle.Organisation, at time.Time) ([]mreg.Event, error) {
			return r.Admit(o, pid(1), at, pid(2), 0)
		}, &store.WriteOptions{Command: cmd})
		require.NoError(t, err, "a retried command is not refused as a second admission")
		if i == 0 {
			first = rc
		} else {
			assert.True(t, rc.Duplicate)
			assert.Equal(t, first.First, rc.First)
		}
	}
	reg, err := s.MemberRegister(ctx, org)
	require.NoError(t, err)
	m, _ := reg.Member(pid(2))
	assert.Len(t, m.Periods, 1, "one effect")

	other := fixture(t, s, 3)
	_, err = s.MembersAt(ctx, other, at(1))
	assert.ErrorIs(t, err, store.ErrNotFound, "another organisation has no register of its own yet, and sees nothing of this one")
	_, err = s.StatutoryRegister(ctx, other, at(1), nil)
	assert.ErrorIs(t, err, store.ErrNotFound)
}
