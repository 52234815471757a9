package assembly_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/assembly"
	"github.com/coproduce/sociocracy/circle"
)

func TestCallNeedsClearDaysOfNotice(t *testing.T) {
	org := coopOrg(3, 0)
	r := rules() // 14 clear days
	s := spec()
	// Notice on 5 January: the 6th to the 19th are 14 clear days, so the
	// 20th is the first day the meeting can be held.
	s.Held = time.Date(2026, 1, 19, 18, 0, 0, 0, time.UTC)
	_, _, err := assembly.Call(org, s, r, at(0))
	require.ErrorIs(t, err, assembly.ErrNotice)
	assert.Contains(t, err.Error(), "the rules ask for 14 clear days' notice; 19 January 2026 leaves 13")
	s.Held = time.Date(2026, 1, 20, 9, 0, 0, 0, time.UTC)
	_, _, err = assembly.Call(org, s, r, at(0))
	require.NoError(t, err)

	bad := r
	bad.ProxyLimit = -1
	_, _, err = assembly.Call(org, spec(), bad, at(0))
	require.ErrorIs(t, err, assembly.ErrInvalidRules)
	s = spec()
	s.Chair = pid(99)
	_, _, err = assembly.Call(org, s, r, at(0))
	require.ErrorIs(t, err, assembly.ErrNotMember)
}

// The members entitled to attend are the ones the host names (from its
// register of members), each a person of the organisation, once, with a
// class; unnamed, they are the organisation's people.
func TestCallTakesTheMembersItIsGiven(t *testing.T) {
	org := coopOrg(3, 0)
	m, _, err := assembly.Call(org, spec(), rules(), at(0))
	require.NoError(t, err)
	assert.Len(t, m.Members(), len(org.People()), "nil: every person of the organisation")

	s := spec()
	s.Members = []assembly.Member{{Person: pid(2), Class: circle.Worker}, {Person: pid(1), Class: circle.Worker}}
	m, _, err = assembly.Call(org, s, rules(), at(0))
	require.NoError(t, err)
	got := m.Members()
	require.Len(t, got, 2)
	assert.ElementsMatch(t, []circle.PersonID{pid(1), pid(2)}, []circle.PersonID{got[0].Person, got[1].Person})

	for name, tc := range map[string]struct {
		members []assembly.Member
		is      error
	}{
		"a stranger":    {[]assembly.Member{{Person: pid(99), Class: circle.Worker}}, assembly.ErrNotMember},
		"named twice":   {[]assembly.Member{{Person: pid(1), Class: circle.Worker}, {Person: pid(1), Class: circle.Worker}}, assembly.ErrInvalidSpec},
		"with no class": {[]assembly.Member{{Person: pid(1)}}, assembly.ErrInvalidSpec},
	} {
		s := spec()
		s.Members = tc.members
		_, _, err := assembly.Call(org, s, rules(), at(0))
		assert.ErrorIs(t, err, tc.is, name)
	}
}

func TestResolutionsNeedTheSameNotice(t *testing.T) {
	m, _ := call(3, 0, rules())
	must(m.Propose(pid(1), at(1), assembly.ResolutionSpec{Majority: assembly.Special, Title: "Amend rule 12", Text: "Rule 12 reads ..."}))
	_, err := m.Propose(pid(1), time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC), assembly.ResolutionSpec{Majority: assembly.Ordinary, Title: "Late", Text: "x"})
	require.ErrorIs(t, err, assembly.ErrNotice)
	_, err = m.Propose(pid(2), at(2), assembly.ResolutionSpec{Majority: assembly.Ordinary, Title: "By a member", Text: "x"})
	require.ErrorIs(t, err, assembly.ErrNotChair)
}

// "No one holds more than 5 proxies" (Equal Care Co-op's rules; 2 here),
// and a proxy is never held through another.
func TestProxiesAreLimitedPerHolder(t *testing.T) {
	m, _ := call(6, 0, rules())
	must(m.AppointProxy(pid(3), at(1), pid(2)))
	must(m.AppointProxy(pid(4), at(1), pid(2)))
	_, err := m.AppointProxy(pid(5), at(1), pid(2))
	require.ErrorIs(t, err, assembly.ErrProxyLimit)
	_, err = m.AppointProxy(pid(2), at(1), pid(5))
	require.ErrorIs(t, err, assembly.ErrProxy, "a holder cannot pass proxies on")
	_, err = m.AppointProxy(pid(5), at(1), pid(3))
	require.ErrorIs(t, err, assembly.ErrProxy, "a member with a proxy of their own holds none")
	_, err = m.AppointProxy(pid(5), at(1), pid(5))
	require.ErrorIs(t, err, assembly.ErrProxy)
	_, err = m.AppointProxy(pid(3), at(1), pid(6))
	require.ErrorIs(t, err, assembly.ErrProxy, "revoke first")
	must(m.RevokeProxy(pid(3), at(2)))
	must(m.AppointProxy(pid(5), at(3), pid(2)))

	none := rules()
	none.ProxyLimit = 0
	m, _ = call(3, 0, none)
	_, err = m.AppointProxy(pid(3), at(1), pid(2))
	require.ErrorIs(t, err, assembly.ErrProxy)
}

func TestAMeetingOpensOnlyWhenQuorate(t *testing.T) {
	m, _ := call(6, 0, rules()) // quorum 3
	must(m.Register(pid(1), at(1), pid(1)))
	must(m.Register(pid(2), at(1), pid(2)))
	_, err := m.Open(pid(1), after(0))
	require.ErrorIs(t, err, assembly.ErrNoQuorum)
	must(m.AppointProxy(pid(5), at(2), pid(2)))
	assert.Equal(t, 3, m.Attending(), "a member is present by a proxy who is present")
	_, err = m.Open(pid(1), at(3))
	require.ErrorIs(t, err, assembly.ErrPhase, "not before the time it was called for")
	_, err = m.Open(pid(2), after(0))
	require.ErrorIs(t, err, assembly.ErrNotChair)
	must(m.Open(pid(1), after(0)))
	assert.True(t, m.Quorate())
}

// "By consent in the first instance, with voting to follow" (Equal Care
// Co-op's rules): a resolution without objection is carried by consent; one
// with an objection standing goes to a vote, which counts proxies and
// weights classes.
func TestConsentFirstThenVote(t *testing.T) {
	m, _ := call(5, 2, rules()) // P1-P5 workers, P6-P7 investors
	must(m.Propose(pid(1), at(1), assembly.ResolutionSpec{Majority: assembly.Ordinary, Title: "Accounts", Text: "The accounts are received."}))
	must(m.Propose(pid(1), at(1), assembly.ResolutionSpec{Majority: assembly.Special, Title: "Amend rule 12", Text: "Rule 12 reads ..."}))
	for _, p := range []int{1, 2, 3, 6, 7} {
		must(m.Register(pid(p), at(2), pid(p)))
	}
	must(m.AppointProxy(pid(4), at(2), pid(2)))
	must(m.Open(pid(1), after(0)))

	must(m.SeekConsent(pid(1), after(1), 1))
	_, err := m.SeekConsent(pid(1), after(1), 2)
	require.ErrorIs(t, err, assembly.ErrResolutionPhase, "one resolution at a time")
	_, err = m.CallVote(pid(1), after(2), 1)
	require.ErrorIs(t, err, assembly.ErrNoObjection)
	must(m.DeclareConsent(pid(1), after(2), 1))
	r1, _ := m.Resolution(1)
	assert.Equal(t, assembly.StageCarried, r1.Stage)
	assert.True(t, r1.ByConsent)

	must(m.SeekConsent(pid(1), after(3), 2))
	_, err = m.Object(pid(4), after(4), 2, "absent members cannot object")
	require.ErrorIs(t, err, assembly.ErrNotPresent)
	must(m.Object(pid(6), after(4), 2, "investors lose their seat"))
	_, err = m.DeclareConsent(pid(1), after(5), 2)
	require.ErrorIs(t, err, assembly.ErrObjectionOpen, "nobody overrides an open objection by declaring consent")
	must(m.CallVote(pid(1), after(5), 2))
	for _, p := range []int{1, 2, 3} {
		must(m.Vote(pid(p), after(6), 2, assembly.For, circle.PersonID{}))
	}
	must(m.Vote(pid(2), after(6), 2, assembly.For, pid(4))) // P4's vote, by proxy
	_, err = m.Vote(pid(3), after(6), 2, assembly.For, pid(4))
	require.ErrorIs(t, err, assembly.ErrNotEntitled)
	_, err = m.Vote(pid(2), after(6), 2, assembly.Against, pid(4))
	require.ErrorIs(t, err, assembly.ErrAlreadyVoted)
	must(m.Vote(pid(6), after(6), 2, assembly.Against, circle.PersonID{}))
	must(m.Vote(pid(7), after(6), 2, assembly.Against, circle.PersonID{}))
	_, err = m.Close(pid(1), after(7))
	require.ErrorIs(t, err, assembly.ErrOpenResolution)
	must(m.Count(pid(1), after(7), 2))

	// Unweighted, 4 of 6 is not more than 75%; with investors capped at 10%
	// of the total, the 4 workers' votes are 90% of it.
	r2, _ := m.Resolution(2)
	require.NotNil(t, r2.Result)
	assert.Equal(t, assembly.StageCarried, r2.Stage)
	assert.Equal(t, "9/10", r2.Result.ShareFor().RatString())
	assert.Equal(t, "special resolution: more than 75% of the votes cast; investor votes capped at 10%", r2.Result.Rule)
	require.Len(t, r2.Result.Classes, 2)
	assert.Equal(t, assembly.Count{Class: circle.Investor, Against: 2, Present: 2}, r2.Result.Classes[0].Count)
	assert.Equal(t, "2/9", r2.Result.Classes[0].Weight)
	assert.Equal(t, assembly.Count{Class: circle.Worker, For: 4, Present: 4}, r2.Result.Classes[1].Count)
	must(m.Close(pid(1), after(8)))
}

func TestAMembersOwnVoteWins(t *testing.T) {
	m, _ := call(4, 0, rules())
	must(m.Propose(pid(1), at(1), assembly.ResolutionSpec{Majority: assembly.Ordinary, Title: "T", Text: "T"}))
	for _, p := range []int{1, 2, 3} {
		must(m.Register(pid(p), at(2), pid(p)))
	}
	must(m.AppointProxy(pid(4), at(2), pid(2)))
	must(m.Open(pid(1), after(0)))
	must(m.SeekConsent(pid(1), after(1), 1))
	must(m.Object(pid(3), after(1), 1, "no"))
	must(m.CallVote(pid(1), after(1), 1))
	must(m.Vote(pid(2), after(2), 1, assembly.For, pid(4)))
	evs := must(m.Register(pid(4), after(3), pid(4))) // arrives late
	assert.True(t, evs[0].(assembly.Registered).ProxyEnded)
	must(m.Vote(pid(4), after(4), 1, assembly.Against, circle.PersonID{}))
	_, err := m.Vote(pid(4), after(4), 1, assembly.For, circle.PersonID{})
	require.ErrorIs(t, err, assembly.ErrAlreadyVoted)
	counts := m.Counts(1)
	require.Len(t, counts, 1)
	assert.Equal(t, assembly.Count{Class: circle.Worker, For: 0, Against: 1, Present: 4}, counts[0])
}

func TestConsentOnlyRulesNeverVote(t *testing.T) {
	r := rules()
	r.Voting = assembly.ConsentOnly
	m, _ := call(3, 0, r)
	must(m.Propose(pid(1), at(1), assembly.ResolutionSpec{Majority: assembly.Ordinary, Title: "T", Text: "T"}))
	for _, p := range []int{1, 2, 3} {
		must(m.Register(pid(p), at(2), pid(p)))
	}
	must(m.Open(pid(1), after(0)))
	must(m.SeekConsent(pid(1), after(1), 1))
	must(m.Object(pid(2), after(1), 1, "not yet"))
	_, err := m.CallVote(pid(1), after(2), 1)
	require.ErrorIs(t, err, assembly.ErrNoVote)
	must(m.Withdraw(pid(1), after(2), 1, "to be reworked with Ben"))
	must(m.Close(pid(1), after(3)))
	assert.Equal(t, assembly.PhaseClosed, m.Phase())
}

func TestAllowedFollowsTheMeeting(t *testing.T) {
	m, _ := call(4, 0, rules())
	assert.Equal(t, []assembly.Act{assembly.ActPropose, assembly.ActAppointProxy, assembly.ActRegister, assembly.ActAbandon}, m.Allowed(pid(1), at(1)))
	assert.Equal(t, []assembly.Act{assembly.ActAppointProxy, assembly.ActRegister}, m.Allowed(pid(2), at(1)))
	assert.Empty(t, m.Allowed(pid(99), at(1)))
}

func TestActsKeepTimeOrder(t *testing.T) {
	m, _ := call(3, 0, rules())
	must(m.Register(pid(2), at(10), pid(2)))
	_, err := m.Register(pid(3), at(9), pid(3))
	require.ErrorIs(t, err, assembly.ErrTimeOrder)
	before := m.Version()
	_, err = m.AppointProxy(pid(3), at(9), pid(2))
	require.ErrorIs(t, err, assembly.ErrTimeOrder)
	assert.Equal(t, before, m.Version(), "a refused act changes nothing")
}

func TestAnAbandonedMeetingTakesNoActs(t *testing.T) {
	m, _ := call(3, 0, rules())
	must(m.Abandon(pid(1), after(0), "inquorate"))
	for _, err := range []error{
		errOf(m.Register(pid(2), after(1), pid(2))),
		errOf(m.Open(pid(1), after(1))),
		errOf(m.AppointProxy(pid(2), after(1), pid(3))),
	} {
		require.ErrorIs(t, err, assembly.ErrFinished)
	}
	assert.Empty(t, m.Allowed(pid(1), after(1)))
}

func errOf(_ []assembly.Event, err error) error { return err }
