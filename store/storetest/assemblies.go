package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/assembly"
	"github.com/coproduce/sociocracy/circle"
	mreg "github.com/coproduce/sociocracy/members"
	"github.com/coproduce/sociocracy/store"
)

// testStoreGeneralMeetings: an AGM through the Store, from its notice to a
// special resolution carried by a vote with investors' votes capped; every
// act one append, a retried command one effect, the stored meeting the
// live one.
func testStoreGeneralMeetings(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org := fixture(t, s, 4) // four workers
	_, err := s.ActOrg(ctx, org, func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
		var c store.Collector[circle.Event]
		for i := 5; i <= 6; i++ {
			c.Add(o.AddPerson(pid(1), at, circle.PersonSpec{ID: pid(i), Label: fmt.Sprintf("P%d", i), Class: circle.Investor}))
		}
		return c.Result()
	}, &store.WriteOptions{At: at(1)})
	require.NoError(t, err)
	rules := assembly.EqualCare()
	rules.Quorum = assembly.Quorum{Members: 3}
	id := assembly.MeetingID(uuid.New())
	held := t0.AddDate(0, 0, 20)
	_, err = s.CallGeneralMeeting(ctx, org, assembly.Spec{ID: id, Kind: assembly.Annual, Title: "AGM 2026", Chair: pid(1), Held: held}, rules, &store.WriteOptions{At: at(2)})
	require.NoError(t, err)
	early := assembly.MeetingID(uuid.New())
	_, err = s.CallGeneralMeeting(ctx, org, assembly.Spec{ID: early, Kind: assembly.Extraordinary, Title: "EGM", Chair: pid(1), Held: t0.AddDate(0, 0, 3)}, rules, &store.WriteOptions{At: at(2)})
	require.ErrorIs(t, err, assembly.ErrNotice, "the core's refusal comes through")
	open, err := s.OpenGeneralMeetings(ctx, org)
	require.NoError(t, err)
	assert.Equal(t, []assembly.MeetingID{id}, open)

	step := 0
	act := func(when time.Time, f func(m *assembly.Meeting, at time.Time) ([]assembly.Event, error)) store.Receipt {
		t.Helper()
		step++
		r, err := s.ActGeneralMeeting(ctx, org, id, func(m *assembly.Meeting, _ *circle.Organisation, at time.Time) ([]assembly.Event, error) {
			return f(m, at)
		}, &store.WriteOptions{At: when, Command: store.Command{ID: store.CommandID(uuid.New()), Payload: fmt.Appendf(nil, "step %d", step)}})
		require.NoError(t, err)
		return r
	}
	act(at(3), func(m *assembly.Meeting, at time.Time) ([]assembly.Event, error) {
		return m.Propose(pid(1), at, assembly.ResolutionSpec{Majority: assembly.Special, Title: "Amend rule 12", Text: "Rule 12 is replaced by ..."})
	})
	for _, p := range []int{1, 2, 3, 5, 6} {
		act(at(4), func(m *assembly.Meeting, at time.Time) ([]assembly.Event, error) {
			return m.Register(pid(p), at, pid(p))
		})
	}
	cmd := store.Command{ID: store.CommandID(uuid.New()), Payload: []byte("P4 appoints P2")}
	appoint := func(m *assembly.Meeting, _ *circle.Organisation, at time.Time) ([]assembly.Event, error) {
		return m.AppointProxy(pid(4), at, pid(2))
	}
	first, err := s.ActGeneralMeeting(ctx, org, id, appoint, &store.WriteOptions{At: at(5), Command: cmd})
	require.NoError(t, err)
	again, err := s.ActGeneralMeeting(ctx, org, id, appoint, &store.WriteOptions{At: at(5), Command: cmd})
	require.NoError(t, err)
	assert.True(t, again.Duplicate)
	assert.Equal(t, first.First, again.First)

	during := func(n int) time.Time { return held.Add(time.Duration(n) * time.Minute) }
	act(during(0), func(m *assembly.Meeting, at time.Time) ([]assembly.Event, error) { return m.Open(pid(1), at) })
	act(during(1), func(m *assembly.Meeting, at time.Time) ([]assembly.Event, error) { return m.SeekConsent(pid(1), at, 1) })
	act(during(2), func(m *assembly.Meeting, at time.Time) ([]assembly.Event, error) {
		return m.Object(pid(5), at, 1, "investors lose their seat")
	})
	act(during(3), func(m *assembly.Meeting, at time.Time) ([]assembly.Event, error) { return m.CallVote(pid(1), at, 1) })
	for _, v := range []struct {
		by, member int
		c          assembly.Choice
	}{{1, 0, assembly.For}, {2, 0, assembly.For}, {3, 0, assembly.For}, {2, 4, assembly.For}, {5, 0, assembly.Against}, {6, 0, assembly.Against}} {
		act(during(4), func(m *assembly.Meeting, at time.Time) ([]assembly.Event, error) {
			var member circle.PersonID
			if v.member > 0 {
				member = pid(v.member)
			}
			return m.Vote(pid(v.by), at, 1, v.c, member)
		})
	}
	r := act(during(5), func(m *assembly.Meeting, at time.Time) ([]assembly.Event, error) { return m.Count(pid(1), at, 1) })
	act(during(6), func(m *assembly.Meeting, at time.Time) ([]assembly.Event, error) { return m.Close(pid(1), at) })

	es, err := s.Entries(ctx, r)
	require.NoError(t, err)
	require.Len(t, es, 1)
	assert.Equal(t, "assembly.decided", es[0].Type)
	assert.Equal(t, store.KindAssembly, es[0].Stream.Kind)
	m, err := s.GeneralMeeting(ctx, org, id)
	require.NoError(t, err)
	assert.Equal(t, assembly.PhaseClosed, m.Phase())
	res, ok := m.Resolution(1)
	require.True(t, ok)
	assert.Equal(t, assembly.StageCarried, res.Stage, "4 of 6 is 90% of the votes cast with investors capped at 10%")
	require.NotNil(t, res.Result)
	assert.Equal(t, "9/10", res.Result.ShareFor().RatString())
	open, err = s.OpenGeneralMeetings(ctx, org)
	require.NoError(t, err)
	assert.Empty(t, open)
	_, err = s.Verify(ctx, org)
	require.NoError(t, err)
}

func init() {
	portableTests = append(portableTests, struct {
		name string
		fn   func(t *testing.T, s *store.Store)
	}{"StoreGeneralMeetingMembersAreTheRegistersMembers", testGeneralMeetingMembers})
}

// An organisation that keeps a register of members calls its general
// meetings for the register's members, as they stand at the notice: a
// person of the organisation who is not a member is not entitled to
// attend, and one who ceased is no longer.
func testGeneralMeetingMembers(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org := fixture(t, s, 4)
	rules := assembly.EqualCare()
	rules.Quorum = assembly.Quorum{Members: 1}
	call := func(n int) *assembly.Meeting {
		t.Helper()
		id := assembly.MeetingID(uuid.New())
		_, err := s.CallGeneralMeeting(ctx, org, assembly.Spec{ID: id, Kind: assembly.Annual, Title: "AGM", Chair: pid(1), Held: t0.AddDate(0, 1, 0)}, rules, &store.WriteOptions{At: at(n)})
		require.NoError(t, err)
		m, err := s.GeneralMeeting(ctx, org, id)
		require.NoError(t, err)
		return m
	}
	people := func(m *assembly.Meeting) []circle.PersonID {
		var out []circle.PersonID
		for _, mb := range m.Members() {
			out = append(out, mb.Person)
		}
		return out
	}
	assert.Len(t, people(call(2)), 4, "without a register: every person of the organisation")

	actMembers(t, s, org, 3, func(r *mreg.Register, o *circle.Organisation, at time.Time) ([]mreg.Event, error) {
		var c store.Collector[mreg.Event]
		for _, p := range []int{1, 2, 3} {
			c.Add(r.Admit(o, pid(1), at, pid(p), 1))
		}
		return c.Result()
	})
	assert.ElementsMatch(t, []circle.PersonID{pid(1), pid(2), pid(3)}, people(call(4)), "the register's members; P4 is not one")

	actMembers(t, s, org, 5, func(r *mreg.Register, o *circle.Organisation, at time.Time) ([]mreg.Event, error) {
		return r.Cease(o, pid(1), at, pid(3), "moved away")
	})
	assert.ElementsMatch(t, []circle.PersonID{pid(1), pid(2)}, people(call(6)), "P3 ceased before the notice")
}
