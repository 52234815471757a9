package members_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/members"
)

func TestAdmissionAndCessationRecordThePeriodsOfMembership(t *testing.T) {
	o, _ := org(t, 3)
	r, _ := open(t, o)
	must(r.Admit(o, sec, day(1), pid(2), 1))
	must(r.Cease(o, sec, day(10), pid(2), "resigned"))
	must(r.Admit(o, sec, day(20), pid(2), 0))
	m, ok := r.Member(pid(2))
	require.True(t, ok)
	assert.Equal(t, circle.Investor, m.Class, "the class the organisation gives")
	require.Len(t, m.Periods, 2, "a former member admitted again has a new period")
	assert.Equal(t, members.Period{Admitted: day(1), Ceased: day(10), Reason: "resigned"}, m.Periods[0])
	assert.True(t, m.Current())
	for _, tc := range []struct {
		n      int
		member bool
	}{{0, false}, {1, true}, {9, true}, {10, false}, {15, false}, {20, true}} {
		_, in := m.At(day(tc.n))
		assert.Equal(t, tc.member, in, "day %d", tc.n)
		assert.Len(t, r.Members(day(tc.n)), map[bool]int{true: 1, false: 0}[tc.member], "day %d", tc.n)
	}
	assert.Equal(t, 1, m.SharesAt(day(5)))
	assert.Equal(t, 0, m.SharesAt(day(12)), "a ceased member holds no shares")
	assert.Len(t, r.Everyone(), 1)
}

func TestActsAreRefusedWithTheirReasonAndChangeNothing(t *testing.T) {
	o, _ := org(t, 4)
	tests := []struct {
		name string
		act  func(r *members.Register) ([]members.Event, error)
		want error
	}{
		{"someone outside the top circle admits", func(r *members.Register) ([]members.Event, error) { return r.Admit(o, pid(2), day(2), pid(3), 0) }, members.ErrNotAuthorised},
		{"a stranger is admitted", func(r *members.Register) ([]members.Event, error) { return r.Admit(o, sec, day(2), pid(99), 0) }, members.ErrUnknownPerson},
		{"a member is admitted twice", func(r *members.Register) ([]members.Event, error) { return r.Admit(o, sec, day(2), pid(2), 0) }, members.ErrAlreadyMember},
		{"negative shares", func(r *members.Register) ([]members.Event, error) { return r.Admit(o, sec, day(2), pid(3), -1) }, members.ErrInvalidShares},
		{"a non-member ceases", func(r *members.Register) ([]members.Event, error) { return r.Cease(o, sec, day(2), pid(3), "gone") }, members.ErrNotMember},
		{"a cessation without a reason", func(r *members.Register) ([]members.Event, error) { return r.Cease(o, sec, day(2), pid(2), "") }, members.ErrInvalidText},
		{"an act dated before the latest", func(r *members.Register) ([]members.Event, error) { return r.Admit(o, sec, day(0), pid(3), 0) }, members.ErrTimeOrder},
		{"an invalid condition", func(r *members.Register) ([]members.Event, error) {
			return r.SetCondition(o, sec, day(2), pid(2), members.ConditionKind(0), day(9))
		}, members.ErrInvalidCondition},
		{"a lapse of a condition never set", func(r *members.Register) ([]members.Event, error) {
			return r.LapseCondition(o, sec, day(2), pid(2), members.ConditionInvestment, "withdrawn")
		}, members.ErrUnknownCondition},
		{"a lapse of a lapsed condition", func(r *members.Register) ([]members.Event, error) {
			return r.LapseCondition(o, sec, day(2), pid(2), members.ConditionSupport, "again")
		}, members.ErrInvalidCondition},
		{"another organisation's register", func(r *members.Register) ([]members.Event, error) {
			other, _, _ := circle.Found(circle.Founding{Org: circle.OrgID(pid(50)), Name: "Other", Zone: "UTC", Founder: sec, FounderLabel: "S",
				FounderClass: circle.Worker, Top: top, TopName: "Top", TopKind: circle.KindGeneral, At: t0})
			return r.Admit(other, sec, day(2), pid(2), 0)
		}, members.ErrWrongOrganisation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := open(t, o)
			must(r.Admit(o, sec, day(1), pid(2), 0))
			must(r.SetCondition(o, sec, day(1), pid(2), members.ConditionSupport, day(30)))
			must(r.LapseCondition(o, sec, day(1), pid(2), members.ConditionSupport, "support ended"))
			before, version := r.Everyone(), r.Version()
			evs, err := tt.act(r)
			require.Error(t, err)
			assert.True(t, errors.Is(err, tt.want), "got %v", err)
			assert.True(t, strings.HasPrefix(err.Error(), "members: "), err.Error())
			assert.Nil(t, evs)
			assert.Equal(t, version, r.Version())
			assert.Equal(t, before, r.Everyone())
		})
	}
}

// docs/method.md, "Member register": a condition that lapses is applied by
// an act, never silently.
func TestALapsedConditionChangesNothingUntilAnActAppliesIt(t *testing.T) {
	o, _ := org(t, 3)
	r, _ := open(t, o)
	must(r.Admit(o, sec, day(1), pid(2), 0))
	must(r.SetCondition(o, sec, day(1), pid(2), members.ConditionSupport, day(90)))
	assert.Empty(t, r.Lapsed())
	must(r.LapseCondition(o, sec, day(40), pid(2), members.ConditionSupport, "support ended"))
	m, _ := r.Member(pid(2))
	assert.True(t, m.Current(), "still a member after the lapse")
	c, _ := m.Condition(members.ConditionSupport)
	assert.Equal(t, day(40), c.Lapsed)
	assert.Len(t, r.Lapsed(), 1)
	assert.Equal(t, []members.Act{members.ActCease, members.ActSetShares, members.ActSetCondition, members.ActClearCondition}, r.Allowed(o, sec, pid(2)))

	// The circle decides the member stays: the condition is cleared.
	must(r.ClearCondition(o, sec, day(41), pid(2), members.ConditionSupport, "stays as a worker member"))
	m, _ = r.Member(pid(2))
	assert.Empty(t, m.Conditions)
	assert.Empty(t, r.Lapsed())

	// Or it applies the lapse: the membership ceases, and its conditions with it.
	must(r.SetCondition(o, sec, day(42), pid(2), members.ConditionInvestment, members.Condition{}.Until))
	must(r.LapseCondition(o, sec, day(50), pid(2), members.ConditionInvestment, "investment withdrawn"))
	must(r.Cease(o, sec, day(51), pid(2), "investment withdrawn"))
	m, _ = r.Member(pid(2))
	assert.False(t, m.Current())
	assert.Empty(t, m.Conditions)
	assert.Empty(t, r.Lapsed())
}

func TestAllowedListsWhatTheActorMayDo(t *testing.T) {
	o, _ := org(t, 3)
	r, _ := open(t, o)
	assert.Equal(t, []members.Act{members.ActAdmit}, r.Allowed(o, sec, pid(2)))
	assert.Empty(t, r.Allowed(o, pid(2), pid(3)), "only the top circle keeps the register")
	assert.Empty(t, r.Allowed(o, sec, pid(99)), "nobody admits a stranger")
	must(r.Admit(o, sec, day(1), pid(2), 0))
	assert.Equal(t, []members.Act{members.ActCease, members.ActSetShares, members.ActSetCondition}, r.Allowed(o, sec, pid(2)))
	must(r.SetCondition(o, sec, day(1), pid(2), members.ConditionWork, day(9)))
	assert.Equal(t, []members.Act{members.ActCease, members.ActSetShares, members.ActSetCondition, members.ActLapseCondition, members.ActClearCondition},
		r.Allowed(o, sec, pid(2)))
}

func TestOfficersFollowTheTopCircle(t *testing.T) {
	o, _ := org(t, 3)
	r, opened := open(t, o)
	assert.Len(t, opened[0].(members.Opened).Offices, 1, "the founder's seat on the top circle when the register opens")
	see := func(evs []circle.Event, err error) {
		require.NoError(t, err)
		for _, e := range evs {
			must(r.Observe(e))
		}
	}
	see(o.AddMember(sec, day(1), top, pid(2)))
	see(o.AddMember(sec, day(1), team, pid(3)))
	see(o.AssignRole(sec, day(2), top, circle.Secretary, pid(2), circle.Term{Start: day(2), End: day(367)}))
	see(o.EndRole(sec, day(100), top, circle.Secretary))
	see(o.RemoveMember(sec, day(101), top, pid(2)))
	var titles []string
	for _, off := range r.Offices() {
		titles = append(titles, off.Title())
	}
	assert.Equal(t, []string{"committee member", "committee member", "secretary"}, titles, "the team circle holds no office")
	sec2 := r.Offices()[2]
	assert.Equal(t, day(2), sec2.From)
	assert.Equal(t, day(100), sec2.Until)
	assert.Equal(t, day(367), sec2.TermEnd)
	assert.Len(t, r.OfficesAt(day(50)), 3)
	assert.Len(t, r.OfficesAt(day(200)), 1)
	evs, err := r.Observe(circle.MemberAdded{Header: circle.Header{Org: orgID, Actor: sec, At: day(1)}, Circle: top, Person: sec})
	require.NoError(t, err)
	assert.Empty(t, evs, "a seat already held: observed twice, once")
	_, err = r.Observe(circle.MemberAdded{Header: circle.Header{Org: circle.OrgID(pid(7)), Actor: sec, At: day(1)}, Circle: top, Person: sec})
	assert.ErrorIs(t, err, members.ErrWrongOrganisation)
	_, err = r.Observe(42)
	assert.ErrorIs(t, err, members.ErrInvalidEvent)
}

func TestAClassChangeInTheOrganisationReachesTheRegister(t *testing.T) {
	o, _ := org(t, 3)
	r, _ := open(t, o)
	must(r.Admit(o, sec, day(1), pid(2), 0))
	evs, err := o.UpdatePerson(sec, day(2), circle.PersonSpec{ID: pid(2), Label: "P", Class: circle.Worker})
	require.NoError(t, err)
	got := must(r.Observe(evs[0]))
	require.Len(t, got, 1)
	m, _ := r.Member(pid(2))
	assert.Equal(t, circle.Worker, m.Class)
	assert.Equal(t, []circle.PersonID{pid(2)}, r.ByClass(day(3))[circle.Worker])
}

func TestTheStatutoryRegisterShowsEveryMembershipWithTheHostsContacts(t *testing.T) {
	o, _ := org(t, 4)
	r, _ := open(t, o)
	must(r.Admit(o, sec, day(1), pid(2), 5))
	must(r.Admit(o, sec, day(2), pid(3), 1))
	must(r.Cease(o, sec, day(30), pid(3), "resigned"))
	must(r.SetShares(o, sec, day(31), pid(2), 7))
	contacts := map[circle.PersonID]members.Contact{pid(1): {Name: "Sam Okafor", Address: "1 Mill Lane"}, pid(2): {Name: "Ana, \"Nan\" Silva", Address: "2 High St\nLeeds"}}
	lookup := func(p circle.PersonID) (members.Contact, bool) { c, ok := contacts[p]; return c, ok }

	s := r.Statutory(day(40), lookup, &members.Options{Shares: true})
	require.Len(t, s.Members, 2)
	assert.Equal(t, "Ana, \"Nan\" Silva", s.Members[0].Name)
	assert.Equal(t, 7, *s.Members[0].Shares)
	assert.True(t, s.Members[1].Erased, "no profile: no name or address, ever")
	assert.Empty(t, s.Members[1].Name)
	assert.Equal(t, day(30), s.Members[1].Ceased)
	require.Len(t, s.Officers, 1)
	assert.Equal(t, "committee member", s.Officers[0].Office)

	past := r.Statutory(day(20), lookup, &members.Options{Shares: true})
	assert.Equal(t, 5, *past.Members[0].Shares, "the shares held then")
	assert.True(t, past.Members[1].Ceased.IsZero(), "not ceased yet then")

	csvText := string(s.MembersCSV())
	assert.Equal(t, "person,name,address,class,admitted,ceased,shares\n"+
		pid(2).String()+",\"Ana, \"\"Nan\"\" Silva\",\"2 High St\nLeeds\",investor,2026-01-06,,7\n"+
		pid(3).String()+",,,supported-person,2026-01-07,2026-02-04,0\n", csvText)
	assert.Equal(t, "person,name,address,office,appointed,ceased,term end\n"+pid(1).String()+",Sam Okafor,1 Mill Lane,committee member,2026-01-05,,\n",
		string(s.OfficersCSV()))
	js, err := s.JSON()
	require.NoError(t, err)
	var back members.Statutory
	require.NoError(t, json.Unmarshal(js, &back))
	assert.Equal(t, s, back, "the JSON export round-trips")

	noShares := r.Statutory(day(40), lookup, nil)
	assert.Nil(t, noShares.Members[0].Shares)
	assert.NotContains(t, string(noShares.MembersCSV()), "shares")
}

func TestTheInspectablePartWithholdsOtherMembersShares(t *testing.T) {
	o, _ := org(t, 4)
	r, _ := open(t, o)
	must(r.Admit(o, sec, day(1), pid(2), 5))
	must(r.Admit(o, sec, day(2), pid(3), 1))
	s := r.Inspectable(day(3), nil, &members.Options{Shares: true}, pid(3))
	require.Len(t, s.Members, 2)
	assert.Nil(t, s.Members[0].Shares, "another member's shares are withheld")
	require.NotNil(t, s.Members[1].Shares)
	assert.Equal(t, 1, *s.Members[1].Shares, "the viewer sees their own")
	assert.NotContains(t, string(s.MembersCSV()), ",5\n")
}

func TestOpenRefusesMissingIDs(t *testing.T) {
	_, _, err := members.Open(circle.OrgID{}, top, sec, t0, nil)
	assert.ErrorIs(t, err, members.ErrMissingID)
	_, _, err = members.Open(orgID, circle.CircleID{}, sec, t0, nil)
	assert.ErrorIs(t, err, members.ErrMissingID)
	_, _, err = members.OpenFor(nil, sec, t0)
	assert.ErrorIs(t, err, members.ErrMissingID)
	_, err = members.Replay(nil)
	assert.ErrorIs(t, err, members.ErrNotOpened)
}
