package election_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/election"
)

// reach returns an election of a four-member team in the given phase.
// Nominations: P2 nominates itself, P3 and P4 nominate P2, P1 nominates P3.
func reach(t *testing.T, phase election.Phase) *election.Election {
	t.Helper()
	e, _, err := election.Call(teamOrg(4), delegateSpec(), at(0))
	require.NoError(t, err)
	if phase == election.PhaseDescription {
		return e
	}
	for i := 1; i <= 4; i++ {
		must(e.Consent(pid(i), at(1)))
	}
	must(e.OpenNominations(pid(1), at(2)))
	if phase == election.PhaseNominating {
		return e
	}
	must(e.Nominate(pid(1), at(3), pid(3), "listens"))
	must(e.Nominate(pid(2), at(3), pid(2), "willing"))
	must(e.Nominate(pid(3), at(3), pid(2), "speaks up"))
	must(e.Nominate(pid(4), at(3), pid(2), "steady"))
	if phase == election.PhaseChanging {
		return e
	}
	must(e.Propose(pid(1), at(4), election.ProposalSpec{Nominee: pid(2), Reasons: "most reasons"}))
	if phase == election.PhaseConsenting {
		return e
	}
	for _, p := range []int{1, 3, 4, 2} {
		must(e.Consent(pid(p), at(5)))
	}
	if phase == election.PhaseElected {
		must(e.Elect(pid(1), at(6)))
		return e
	}
	must(e.Cancel(pid(1), at(6), "the circle is merging"))
	return e
}

// Every act in every phase, by the facilitator (P1), a participant (P3), the
// would-be nominee (P2) and an outsider (P9): the act succeeds exactly when
// Allowed lists it, and a refusal names a sentinel.
func TestStateByActMatrixAgreesWithAllowed(t *testing.T) {
	acts := map[election.Act]func(e *election.Election, p circle.PersonID) ([]election.Event, error){
		election.ActConsent: func(e *election.Election, p circle.PersonID) ([]election.Event, error) { return e.Consent(p, at(10)) },
		election.ActObject: func(e *election.Election, p circle.PersonID) ([]election.Event, error) {
			return e.Object(p, at(10), "r")
		},
		election.ActRaiseConcern: func(e *election.Election, p circle.PersonID) ([]election.Event, error) {
			return e.RaiseConcern(p, at(10), "n")
		},
		election.ActStandAside: func(e *election.Election, p circle.PersonID) ([]election.Event, error) {
			return e.StandAside(p, at(10), "n")
		},
		election.ActWithdrawObjection: func(e *election.Election, p circle.PersonID) ([]election.Event, error) {
			return e.WithdrawObjection(p, at(10))
		},
		election.ActOpenNominations: func(e *election.Election, p circle.PersonID) ([]election.Event, error) {
			return e.OpenNominations(p, at(10))
		},
		election.ActNominate: func(e *election.Election, p circle.PersonID) ([]election.Event, error) {
			return e.Nominate(p, at(10), pid(4), "r")
		},
		election.ActPass: func(e *election.Election, p circle.PersonID) ([]election.Event, error) { return e.Pass(p, at(10), "") },
		election.ActCloseNominations: func(e *election.Election, p circle.PersonID) ([]election.Event, error) {
			return e.CloseNominations(p, at(10))
		},
		election.ActChangeNomination: func(e *election.Election, p circle.PersonID) ([]election.Event, error) {
			return e.ChangeNomination(p, at(10), pid(4), "r")
		},
		election.ActPropose: func(e *election.Election, p circle.PersonID) ([]election.Event, error) {
			return e.Propose(p, at(10), election.ProposalSpec{Nominee: pid(2), Reasons: "r"})
		},
		election.ActProposeAnother: func(e *election.Election, p circle.PersonID) ([]election.Event, error) {
			return e.ProposeAnother(p, at(10), election.ProposalSpec{Nominee: pid(3), Reasons: "r"})
		},
		election.ActDecline: func(e *election.Election, p circle.PersonID) ([]election.Event, error) {
			return e.Decline(p, at(10), "")
		},
		election.ActElect: func(e *election.Election, p circle.PersonID) ([]election.Event, error) { return e.Elect(p, at(10)) },
		election.ActCancel: func(e *election.Election, p circle.PersonID) ([]election.Event, error) {
			return e.Cancel(p, at(10), "r")
		},
	}
	phases := []election.Phase{election.PhaseDescription, election.PhaseNominating, election.PhaseChanging,
		election.PhaseConsenting, election.PhaseElected, election.PhaseCancelled}
	for _, phase := range phases {
		for _, who := range []circle.PersonID{pid(1), pid(2), pid(3), pid(9)} {
			for act, do := range acts {
				e := reach(t, phase)
				allowed := slices.Contains(e.Allowed(who, at(10)), act)
				before, version := e.Record(), e.Version()
				_, err := do(e, who)
				if allowed {
					assert.NoError(t, err, "%s by %s in %s is listed as allowed", act, who, phase)
					continue
				}
				if !assert.Error(t, err, "%s by %s in %s is not listed but succeeded", act, who, phase) {
					continue
				}
				var ee *election.Error
				var ce *consent.Error
				assert.True(t, errors.As(err, &ee) || errors.As(err, &ce), "typed error: %v", err)
				assert.Equal(t, before, e.Record(), "refused %s changed the election", act)
				assert.Equal(t, version, e.Version())
			}
		}
	}
}

func TestRefusalsNameTheirSentinel(t *testing.T) {
	cases := []struct {
		name  string
		phase election.Phase
		act   func(e *election.Election) ([]election.Event, error)
		want  error
	}{
		{"only participants answer", election.PhaseDescription, func(e *election.Election) ([]election.Event, error) { return e.Consent(pid(9), at(10)) }, election.ErrNotParticipant},
		{"nominations wait for the description", election.PhaseDescription, func(e *election.Election) ([]election.Event, error) { return e.OpenNominations(pid(1), at(10)) }, election.ErrNotConsented},
		{"only the facilitator opens nominations", election.PhaseDescription, func(e *election.Election) ([]election.Event, error) { return e.OpenNominations(pid(2), at(10)) }, election.ErrNotFacilitator},
		{"a nominee is a member of the circle", election.PhaseNominating, func(e *election.Election) ([]election.Event, error) { return e.Nominate(pid(2), at(10), pid(9), "r") }, election.ErrNotEligible},
		{"the leader cannot be elected delegate", election.PhaseNominating, func(e *election.Election) ([]election.Event, error) { return e.Nominate(pid(2), at(10), pid(1), "r") }, election.ErrNotEligible},
		{"a nomination has a reason", election.PhaseNominating, func(e *election.Election) ([]election.Event, error) { return e.Nominate(pid(2), at(10), pid(3), "") }, election.ErrMissingReason},
		{"pass only where policy allows", election.PhaseNominating, func(e *election.Election) ([]election.Event, error) { return e.Pass(pid(2), at(10), "") }, election.ErrPassNotAllowed},
		{"one nomination each", election.PhaseChanging, func(e *election.Election) ([]election.Event, error) { return e.Nominate(pid(2), at(10), pid(3), "r") }, election.ErrPhase},
		{"a change names someone else", election.PhaseChanging, func(e *election.Election) ([]election.Event, error) {
			return e.ChangeNomination(pid(2), at(10), pid(2), "r")
		}, election.ErrUnchanged},
		{"the proposed person was nominated", election.PhaseChanging, func(e *election.Election) ([]election.Event, error) {
			return e.Propose(pid(1), at(10), election.ProposalSpec{Nominee: pid(4), Reasons: "r"})
		}, election.ErrNotNominated},
		{"the nominee answers last", election.PhaseConsenting, func(e *election.Election) ([]election.Event, error) { return e.Consent(pid(2), at(10)) }, consent.ErrAnswersLast},
		{"nothing is elected before consent is complete", election.PhaseConsenting, func(e *election.Election) ([]election.Event, error) { return e.Elect(pid(1), at(10)) }, election.ErrNotConsented},
		{"only a nominee declines", election.PhaseConsenting, func(e *election.Election) ([]election.Event, error) { return e.Decline(pid(4), at(10), "") }, election.ErrNotNominee},
		{"an ended election takes no acts", election.PhaseElected, func(e *election.Election) ([]election.Event, error) { return e.Cancel(pid(1), at(10), "r") }, election.ErrFinished},
		{"acts do not go back in time", election.PhaseConsenting, func(e *election.Election) ([]election.Event, error) { return e.Consent(pid(3), at(0)) }, election.ErrTimeOrder},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := reach(t, c.phase)
			before := e.Record()
			_, err := c.act(e)
			assert.ErrorIs(t, err, c.want)
			assert.Equal(t, before, e.Record())
		})
	}
}

// "Nothing is adopted while an objection is open" (docs/method.md, "Consent
// decision-making"): an objection blocks the election until integrated.
func TestAnOpenObjectionBlocksTheElection(t *testing.T) {
	e := reach(t, election.PhaseConsenting)
	must(e.Consent(pid(1), at(5)))
	must(e.Object(pid(3), at(5), "too soon after their last role"))
	must(e.Consent(pid(4), at(5)))
	must(e.Consent(pid(2), at(5)))
	_, err := e.Elect(pid(1), at(6))
	assert.ErrorIs(t, err, consent.ErrObjectionOpen)
	_, err = e.WithdrawObjection(pid(1), at(6))
	assert.ErrorIs(t, err, consent.ErrNoObjection, "only the objector withdraws an objection: the facilitator has none to withdraw")
	_, err = e.ShortenTerm(pid(1), at(6), pid(3), t0.AddDate(0, 6, 0))
	assert.ErrorIs(t, err, consent.ErrNotUnderstood, "an objection is understood before it is integrated")
	must(e.WithdrawObjection(pid(3), at(6)))
	must(e.Elect(pid(1), at(7)))
}

func TestADeclinedNomineeCannotBeProposed(t *testing.T) {
	e := reach(t, election.PhaseConsenting)
	must(e.Decline(pid(2), at(5), "not this year"))
	assert.Equal(t, election.PhaseChanging, e.Phase(), "the round on a nominee who declines ends")
	_, err := e.Propose(pid(1), at(6), election.ProposalSpec{Nominee: pid(2), Reasons: "r"})
	assert.ErrorIs(t, err, election.ErrDeclined)
	must(e.Propose(pid(1), at(6), election.ProposalSpec{Nominee: pid(3), Reasons: "the other nominee"}))
	nominee, _ := e.Nominee()
	assert.Equal(t, pid(3), nominee)
}

func TestCallChecksEligibilityRules(t *testing.T) {
	org := teamOrg(3)
	spec := delegateSpec()
	spec.Circle = org.Top()
	_, _, err := election.Call(org, spec, at(0))
	assert.ErrorIs(t, err, election.ErrNoParent, "the top circle sends no delegate")

	spec = delegateSpec()
	spec.Facilitator = pid(9)
	_, _, err = election.Call(org, spec, at(0))
	assert.ErrorIs(t, err, election.ErrNotParticipant)

	spec = delegateSpec()
	spec.Term = circle.Term{Start: t0, End: t0}
	_, _, err = election.Call(org, spec, at(0))
	assert.ErrorIs(t, err, election.ErrInvalidTerm)

	// For a leader election, the delegate is the one who is not eligible.
	circletest.Must(org.AssignRole(pid(1), t0, team, circle.Delegate, pid(2), circletest.Term(12)))
	spec = delegateSpec()
	spec.Role = circle.Leader
	e, _, err := election.Call(org, spec, at(0))
	require.NoError(t, err)
	rec := e.Record()
	assert.Equal(t, pid(1), rec.Incumbent)
	require.Len(t, rec.Ineligible, 1)
	assert.Equal(t, pid(2), rec.Ineligible[0].Person)
}

func TestTieRules(t *testing.T) {
	nom := func(from, to int) election.Nomination {
		return election.Nomination{Nominator: pid(from), Nominee: pid(to), Reason: "r"}
	}
	// P2 and P3 tie with two each; P2 nominated themselves; P3 is the incumbent.
	noms := []election.Nomination{nom(2, 2), nom(4, 2), nom(3, 4), nom(5, 3), nom(6, 3)}
	counts := election.Tally(noms)
	cases := []struct {
		rule election.TieRule
		want circle.PersonID
	}{
		{election.TieSelfNominee, pid(2)},
		{election.TieIncumbent, pid(3)},
		{election.TieRerun, circle.PersonID{}},
		{election.TieFacilitator, circle.PersonID{}},
	}
	for _, c := range cases {
		t.Run(c.rule.String(), func(t *testing.T) {
			got, tied, err := election.BreakTie(c.rule, counts, noms, pid(3))
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
			assert.Equal(t, []circle.PersonID{pid(2), pid(3)}, tied)
		})
	}
	// Without a tie every rule picks the one at the top.
	got, _, err := election.BreakTie(election.TieRerun, election.Tally(noms[:2]), noms[:2], pid(3))
	require.NoError(t, err)
	assert.Equal(t, pid(2), got)
	_, _, err = election.BreakTie(0, counts, noms, pid(3))
	assert.ErrorIs(t, err, election.ErrTieRule)
}

func TestProposalMustFollowItsTieRuleAndRerunRestrictsChanges(t *testing.T) {
	e := reach(t, election.PhaseChanging) // P2: 3, P3: 1
	must(e.ChangeNomination(pid(4), at(4), pid(3), "changed my mind"))
	must(e.ChangeNomination(pid(2), at(4), pid(3), "P3 is better placed"))
	// Now P2: 1 (P3's), P3: 3. Make a tie: P3's nominator P1 moves to P2.
	must(e.ChangeNomination(pid(1), at(5), pid(2), "balance"))
	counts := election.Tally(e.Nominations(pid(1)))
	require.Equal(t, 2, counts[0].Count)
	require.Equal(t, 2, counts[1].Count)
	_, err := e.Propose(pid(1), at(6), election.ProposalSpec{Nominee: pid(3), Reasons: "r", Tie: election.TieRerun})
	assert.ErrorIs(t, err, election.ErrTieRule)
	must(e.RerunChanges(pid(1), at(6)))
	_, err = e.ChangeNomination(pid(3), at(7), pid(4), "someone new")
	assert.ErrorIs(t, err, election.ErrNotEligible, "a re-run change round is among the tied")
	must(e.Propose(pid(1), at(8), election.ProposalSpec{Nominee: pid(3), Reasons: "my judgement", Tie: election.TieFacilitator}))
}

// Property: the tally equals a naive recount: for every nominee, the number
// of nominations naming them, passes excluded; sorted by count, then ID.
func TestTallyMatchesANaiveRecount(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var noms []election.Nomination
		for i := range rapid.IntRange(0, 30).Draw(t, "n") {
			pass := rapid.IntRange(0, 5).Draw(t, "pass") == 0
			n := election.Nomination{Nominator: pid(i + 1), Pass: pass}
			if !pass {
				n.Nominee = pid(rapid.IntRange(1, 6).Draw(t, "nominee"))
			}
			noms = append(noms, n)
		}
		tally := election.Tally(noms)
		total := 0
		for i, c := range tally {
			naive := 0
			for _, n := range noms {
				if !n.Pass && n.Nominee == c.Nominee {
					naive++
				}
			}
			if naive != c.Count || len(c.Nominators) != c.Count {
				t.Fatalf("%s: tally %d, recount %d", c.Nominee, c.Count, naive)
			}
			if i > 0 && (tally[i-1].Count < c.Count || (tally[i-1].Count == c.Count && tally[i-1].Nominee.Compare(c.Nominee) > 0)) {
				t.Fatal("tally out of order")
			}
			total += c.Count
		}
		passes := 0
		for _, n := range noms {
			if n.Pass {
				passes++
			}
		}
		if total+passes != len(noms) {
			t.Fatalf("tally counts %d of %d nominations", total, len(noms)-passes)
		}
	})
}

func FuzzUnmarshalEvent(f *testing.F) {
	e, events, err := election.Call(teamOrg(3), delegateSpec(), at(0))
	require.NoError(f, err)
	events = append(events, must(e.Consent(pid(1), at(1)))...)
	events = append(events, must(e.Object(pid(2), at(1), "why"))...)
	for _, ev := range events {
		typ, data, err := election.MarshalEvent(ev)
		require.NoError(f, err)
		f.Add(typ, data)
	}
	f.Add("election.nominated", []byte(`{"org":"x"}`))
	f.Fuzz(func(t *testing.T, typ string, data []byte) {
		ev, err := election.UnmarshalEvent(typ, data)
		if err != nil {
			assert.True(t, errors.Is(err, election.ErrInvalidEvent) || errors.Is(err, election.ErrUnknownEventType), "%v", err)
			return
		}
		_, again, err := election.MarshalEvent(ev)
		require.NoError(t, err)
		back, err := election.UnmarshalEvent(typ, again)
		require.NoError(t, err)
		_, third, _ := election.MarshalEvent(back)
		assert.Equal(t, string(again), string(third))
	})
}

// BenchmarkElection200 runs a whole election of 200 participants: the
// description round, 200 nominations, 20 changes, a proposal, a round with
// one objection integrated by a shorter term, a second round, the result.
func BenchmarkElection200(b *testing.B) {
	const n = 200
	org := teamOrg(n)
	b.ReportAllocs()
	for b.Loop() {
		e, _, err := election.Call(org, delegateSpec(), at(0))
		if err != nil {
			b.Fatal(err)
		}
		for i := 1; i <= n; i++ {
			must(e.Consent(pid(i), at(1)))
		}
		must(e.OpenNominations(pid(1), at(2)))
		for i := 1; i <= n; i++ {
			must(e.Nominate(pid(i), at(3), pid(3+i%7), "reason"))
		}
		for i := 1; i <= 20; i++ {
			must(e.ChangeNomination(pid(i), at(4), pid(2), "changed"))
		}
		must(e.Propose(pid(1), at(5), election.ProposalSpec{Nominee: pid(2), Reasons: "most reasons"}))
		for i := 1; i <= n; i++ {
			if i == 2 {
				continue
			}
			if i == 3 {
				must(e.Object(pid(i), at(6), "shorter first term"))
				continue
			}
			must(e.Consent(pid(i), at(6)))
		}
		must(e.Consent(pid(2), at(6)))
		must(e.UnderstandObjection(pid(1), at(7), pid(3), "wants a review sooner"))
		must(e.ShortenTerm(pid(1), at(7), pid(3), t0.AddDate(0, 6, 0)))
		for i := 1; i <= n; i++ {
			if i != 2 {
				must(e.Consent(pid(i), at(8)))
			}
		}
		must(e.Consent(pid(2), at(8)))
		must(e.Elect(pid(1), at(9)))
	}
}
