package consent_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/consent"
)

func TestStartRefusesBadSpecs(t *testing.T) {
	good := consent.ProcessSpec{ID: procID, Org: orgID, Circle: circleID, Proposer: proposer, Facilitator: facil, Proposal: proposal1}
	bad := consent.DefaultPolicy()
	bad.ReviewMonths = 0
	tests := []struct {
		name   string
		change func(*consent.ProcessSpec)
		want   error
	}{
		{"no process id", func(s *consent.ProcessSpec) { s.ID = consent.ProcessID{} }, consent.ErrMissingID},
		{"no organisation", func(s *consent.ProcessSpec) { s.Org = circle.OrgID{} }, consent.ErrMissingID},
		{"no circle", func(s *consent.ProcessSpec) { s.Circle = circle.CircleID{} }, consent.ErrMissingID},
		{"no proposer", func(s *consent.ProcessSpec) { s.Proposer = consent.PersonID{} }, consent.ErrMissingID},
		{"no facilitator", func(s *consent.ProcessSpec) { s.Facilitator = consent.PersonID{} }, consent.ErrMissingID},
		{"no title", func(s *consent.ProcessSpec) { s.Proposal.Title = "" }, consent.ErrMissingReason},
		{"no driver", func(s *consent.ProcessSpec) { s.Proposal.Driver = " " }, consent.ErrMissingReason},
		{"no text", func(s *consent.ProcessSpec) { s.Proposal.Text = "" }, consent.ErrMissingReason},
		{"title too long", func(s *consent.ProcessSpec) { s.Proposal.Title = strings.Repeat("t", consent.MaxTitle+1) }, consent.ErrReasonTooLong},
		{"review date in the past", func(s *consent.ProcessSpec) { s.Proposal.ReviewDate = t0 }, consent.ErrInvalidReviewDate},
		{"invalid policy", func(s *consent.ProcessSpec) { s.Policy = &bad }, consent.ErrInvalidPolicy},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := good
			tt.change(&s)
			p, evs, err := consent.Start(s, t0)
			assert.ErrorIs(t, err, tt.want)
			assert.Nil(t, p)
			assert.Nil(t, evs)
		})
	}
	_, _, err := consent.Start(good, time.Time{})
	assert.ErrorIs(t, err, consent.ErrInvalidTime)
}

func TestZeroProcessRefusesEveryAct(t *testing.T) {
	var p consent.Process
	for _, a := range consent.Acts() {
		_, err := do(&p, a, canonicalActor(a), t0)
		assert.ErrorIs(t, err, consent.ErrNotStarted, a.String())
	}
	assert.Empty(t, p.Allowed(facil, t0))
}

func TestActsDatedBeforeTheLastEventAreRefused(t *testing.T) {
	f := inReactions(t)
	_, err := f.p.React(member4, f.now.Add(-time.Microsecond), "late")
	assert.ErrorIs(t, err, consent.ErrTimeOrder)
	_, err = f.p.React(member4, f.now, "same instant is fine")
	assert.NoError(t, err)
}

// TestAnsweringActsDeadlineBoundary: "Deadlines are half-open intervals
// [opens, closes)." (docs/method.md, "Asynchronous rounds")
func TestAnsweringActsDeadlineBoundary(t *testing.T) {
	acts := []consent.Act{consent.ActConsent, consent.ActRaiseConcern, consent.ActStandAside, consent.ActObject}
	for _, a := range acts {
		for _, tc := range []struct {
			name   string
			offset time.Duration
			want   error
		}{
			{"closes-1ns", -time.Nanosecond, nil},
			{"closes", 0, consent.ErrRoundClosed},
			{"closes+1ns", time.Nanosecond, consent.ErrRoundClosed},
		} {
			t.Run(a.String()+"/"+tc.name, func(t *testing.T) {
				f := inConsent(t)
				closes := f.p.Round().Closes()
				at := closes.Add(tc.offset)
				assert.Equal(t, tc.want == nil, f.p.Round().IsOpen(at), "open is derived from the stored deadline")
				_, err := do(f.p, a, member5, at)
				if tc.want == nil {
					assert.NoError(t, err)
					return
				}
				assert.ErrorIs(t, err, tc.want)
				assert.NotContains(t, f.p.Allowed(member5, at), a)
			})
		}
	}
}

func TestLazyConsentWindowBoundary(t *testing.T) {
	for _, tc := range []struct {
		name   string
		offset time.Duration
		want   error
	}{
		{"until-1ns", -time.Nanosecond, nil},
		{"until", 0, consent.ErrLazyWindowClosed},
		{"until+1ns", time.Nanosecond, consent.ErrLazyWindowClosed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, until := lazyAdopted(t)
			_, err := f.p.Object(member5, until.Add(tc.offset), "I was away; this breaks the rota.")
			if tc.want == nil {
				require.NoError(t, err)
				assert.Equal(t, consent.PhaseIntegration, f.p.Phase(), "the objection reopens the decision")
				return
			}
			assert.ErrorIs(t, err, tc.want)
			assert.Equal(t, consent.PhaseAdopted, f.p.Phase())
		})
	}
}

// lazyAdopted adopts under lazy consent with p(5) absent.
func lazyAdopted(t *testing.T) (*fixture, time.Time) {
	pol := consent.DefaultPolicy()
	pol.Absence, pol.LazyWindow = consent.AbsenceLazyConsent, 72*time.Hour
	f := start(t, pol)
	f.must(f.p.Present(facil, f.tick(), members))
	f.must(f.p.SkipReactions(facil, f.tick()))
	closes := f.now.Add(24 * time.Hour)
	f.must(f.p.OpenConsentRound(facil, f.tick(), members, closes))
	for _, who := range people(1, 2, 3, 4) {
		f.must(f.p.Consent(who, f.tick()))
	}
	_, err := f.p.Adopt(facil, f.tick())
	require.ErrorIs(t, err, consent.ErrAwaitingAnswers, "before the deadline an absentee may still answer")
	f.now = closes
	f.must(f.p.Adopt(facil, closes))
	d, ok := f.p.Decision()
	require.True(t, ok)
	require.Equal(t, people(5), d.Silent)
	require.Equal(t, closes.Add(72*time.Hour), d.LazyUntil)
	return f, d.LazyUntil
}

func TestLazyObjectionOnlyByAbsentees(t *testing.T) {
	f, _ := lazyAdopted(t)
	_, err := f.p.Object(member4, f.tick(), "changed my mind")
	assert.ErrorIs(t, err, consent.ErrAlreadyAnswered)
	_, err = f.p.Object(outsider, f.tick(), "not mine to say")
	assert.ErrorIs(t, err, consent.ErrNotParticipant)
	_, err = f.p.Consent(member5, f.tick())
	assert.ErrorIs(t, err, consent.ErrPhase)
}

func TestLazySilenceCountsAsConsentOnceTheWindowCloses(t *testing.T) {
	f, until := lazyAdopted(t)
	_, err := f.p.WithdrawConsent(member5, until.Add(-time.Microsecond), "I never agreed")
	assert.ErrorIs(t, err, consent.ErrNotConsented, "inside the window an absentee objects instead")
	assert.Equal(t, []consent.Act{consent.ActObject}, f.p.Allowed(member5, until.Add(-time.Microsecond)))
	assert.Equal(t, []consent.Act{consent.ActWithdrawConsent}, f.p.Allowed(member5, until))
	f.must(f.p.WithdrawConsent(member5, until, "I never agreed"))
}

// TestObjectionResolvedByAmendmentNeedsANewRound: "Then a new consent round
// on the amended version." (docs/method.md, "Consent decision-making" 5)
func TestObjectionResolvedByAmendmentNeedsANewRound(t *testing.T) {
	f := inIntegration(t)
	prop := f.p.Proposal()
	prop.Text = "Handover happens in person at 21:30, with a written note in the care log."
	f.must(f.p.Amend(proposer, f.tick(), consent.Amendment{Proposal: prop, Change: "moved to 21:30", Addresses: []consent.PersonID{objector}}))
	assert.Equal(t, 2, f.p.ProposalVersion())
	assert.Equal(t, 0, f.p.OpenObjections())

	_, err := f.p.Adopt(facil, f.tick())
	assert.ErrorIs(t, err, consent.ErrNewRoundNeeded)

	f.must(f.p.OpenConsentRound(facil, f.tick(), members, time.Time{}))
	for _, who := range members {
		f.must(f.p.Consent(who, f.tick()))
	}
	f.must(f.p.Adopt(facil, f.tick()))
	d, ok := f.p.Decision()
	require.True(t, ok)
	assert.Equal(t, 2, d.Version)
	assert.Equal(t, 2, d.Rounds)
	assert.Equal(t, prop.Text, d.Text)
	assert.Equal(t, members, d.Consented)
	require.Len(t, d.Objections, 1)
	assert.Equal(t, consent.ResolvedByAmendment, d.Objections[0].Resolution)
	assert.Equal(t, f.now.AddDate(0, 12, 0), d.ReviewDate, "the policy's default term")
}

func TestAmendmentDuringIntegrationMustAddressAnUnderstoodObjection(t *testing.T) {
	f := inIntegration(t)
	prop := f.p.Proposal()
	_, err := f.p.Amend(proposer, f.tick(), consent.Amendment{Proposal: prop, Change: "tidy"})
	assert.ErrorIs(t, err, consent.ErrNoObjection)
	_, err = f.p.Amend(proposer, f.tick(), consent.Amendment{Proposal: prop, Change: "x", Addresses: people(4)})
	assert.ErrorIs(t, err, consent.ErrNoObjection)
	_, err = f.p.Amend(proposer, f.tick(), consent.Amendment{Proposal: prop, Change: "", Addresses: []consent.PersonID{objector}})
	assert.ErrorIs(t, err, consent.ErrMissingReason)

	g := inReactions(t)
	_, err = g.p.Amend(proposer, g.tick(), consent.Amendment{Proposal: prop, Change: "x", Addresses: []consent.PersonID{objector}})
	assert.ErrorIs(t, err, consent.ErrNoObjection, "no objections before a consent round")
}

// TestObjectionIsUnderstoodBeforeItIsResolved: "each objection is
// understood, then resolved" (docs/method.md, "Consent decision-making" 5).
func TestObjectionIsUnderstoodBeforeItIsResolved(t *testing.T) {
	f := readyToIntegrate(t)
	f.must(f.p.Integrate(facil, f.tick()))
	for _, a := range []consent.Act{consent.ActAmend, consent.ActShortenTerm, consent.ActAddMeasure, consent.ActDefer} {
		_, err := do(f.p, a, canonicalActor(a), f.tick())
		assert.ErrorIs(t, err, consent.ErrNotUnderstood, a.String())
	}
	// The objector may always withdraw.
	f.must(f.p.WithdrawObjection(objector, f.tick(), objector))
}

func TestMeasureAndShorterTermAreNewVersions(t *testing.T) {
	f := inIntegration(t)
	m := consent.Measure{Watch: "late medications", Threshold: "more than two a week", Owner: objector, Checkpoint: f.now.AddDate(0, 1, 0)}
	bad := m
	bad.Owner = consent.PersonID{}
	_, err := f.p.AddMeasure(proposer, f.tick(), objector, bad)
	assert.ErrorIs(t, err, consent.ErrMissingID)
	bad = m
	bad.Checkpoint = f.now.Add(-time.Hour)
	_, err = f.p.AddMeasure(proposer, f.tick(), objector, bad)
	assert.ErrorIs(t, err, consent.ErrInvalidTime)
	bad = m
	bad.Threshold = ""
	_, err = f.p.AddMeasure(proposer, f.tick(), objector, bad)
	assert.ErrorIs(t, err, consent.ErrMissingReason)

	evs, err := f.p.AddMeasure(proposer, f.tick(), objector, m)
	require.NoError(t, err)
	ma := evs[0].(consent.MeasureAdded)
	assert.Equal(t, circleID, ma.Circle, "a review calendar reads the circle from the event")
	assert.Equal(t, procID, ma.Process)
	assert.Equal(t, m.Checkpoint, ma.Measure.Checkpoint)
	assert.True(t, f.p.NeedsRound())
	assert.Equal(t, 2, f.p.ProposalVersion())

	g := inIntegration(t)
	_, err = g.p.ShortenTerm(proposer, g.tick(), objector, g.now.AddDate(2, 0, 0), "")
	assert.ErrorIs(t, err, consent.ErrInvalidReviewDate, "not longer than the current term")
	_, err = g.p.ShortenTerm(proposer, g.tick(), objector, g.now, "")
	assert.ErrorIs(t, err, consent.ErrInvalidReviewDate, "not in the past")
	rd := g.now.AddDate(0, 3, 0)
	g.must(g.p.ShortenTerm(proposer, g.tick(), objector, rd, "a trial"))
	assert.Equal(t, rd, g.p.Proposal().ReviewDate)
	g.must(g.p.OpenConsentRound(facil, g.tick(), members, time.Time{}))
	for _, who := range members {
		g.must(g.p.Consent(who, g.tick()))
	}
	g.must(g.p.Adopt(facil, g.tick()))
	d, _ := g.p.Decision()
	assert.Equal(t, rd, d.ReviewDate)
}

func TestDeferralNeedsNoNewRound(t *testing.T) {
	f := inIntegration(t)
	until := f.now.AddDate(0, 0, 14)
	_, err := f.p.Defer(facil, f.tick(), objector, consent.PersonID{}, until, "")
	assert.ErrorIs(t, err, consent.ErrMissingID)
	f.must(f.p.Defer(facil, f.tick(), objector, member4, until, "at the next meeting"))
	f.must(f.p.Adopt(facil, f.tick()))
	d, _ := f.p.Decision()
	require.Len(t, d.Deferrals, 1)
	assert.Equal(t, consent.Deferral{Round: 1, Objector: objector, Owner: member4, Until: until, Note: "at the next meeting"}, d.Deferrals[0])
	assert.Equal(t, consent.ResolvedByDeferral, d.Objections[0].Resolution)
}

// TestValidityRuleIsRecorded: "A circle chooses one, by consent, and each
// decision records which rule applied." (docs/method.md, "Objection validity")
func TestValidityRuleIsRecorded(t *testing.T) {
	pol := consent.DefaultPolicy()
	pol.Validity = consent.ValidityFacilitatorTest
	f := start(t, pol)
	f.must(f.p.Present(facil, f.tick(), members))
	f.must(f.p.SkipReactions(facil, f.tick()))
	f.must(f.p.OpenConsentRound(facil, f.tick(), members, time.Time{}))
	f.must(f.p.Object(objector, f.tick(), "I prefer mornings."))
	for _, who := range people(1, 2, 4, 5) {
		f.must(f.p.Consent(who, f.tick()))
	}
	f.must(f.p.UnderstandObjection(facil, f.tick(), objector, "a preference, no harm named"))
	_, err := f.p.TestObjection(facil, f.tick(), objector, false, "")
	assert.ErrorIs(t, err, consent.ErrMissingReason, "the facilitator records the reasons")
	f.must(f.p.TestObjection(facil, f.tick(), objector, false, "names no harm to the circle's aim"))
	f.must(f.p.Adopt(facil, f.tick()))
	d, _ := f.p.Decision()
	assert.Equal(t, consent.ValidityFacilitatorTest, d.Policy.Validity)
	require.Len(t, d.Objections, 1)
	assert.Equal(t, consent.ResolvedAsNotValid, d.Objections[0].Resolution)
	assert.Equal(t, "names no harm to the circle's aim", d.Objections[0].TestReasons)
}

func TestSilenceIsConsent(t *testing.T) {
	pol := consent.DefaultPolicy()
	pol.Absence = consent.AbsenceSilenceIsConsent
	f := start(t, pol)
	f.must(f.p.Present(facil, f.tick(), members))
	f.must(f.p.SkipReactions(facil, f.tick()))
	f.must(f.p.OpenConsentRound(facil, f.tick(), members, time.Time{}))
	f.must(f.p.Consent(proposer, f.tick()))
	_, err := f.p.Adopt(facil, f.tick())
	assert.ErrorIs(t, err, consent.ErrAwaitingAnswers, "an open round without a deadline waits")
	f.must(f.p.SetDeadline(facil, f.tick(), f.now)) // the facilitator closes the in-person round
	_, err = f.p.Consent(member4, f.now)
	assert.ErrorIs(t, err, consent.ErrRoundClosed)
	f.must(f.p.Adopt(facil, f.tick()))
	d, _ := f.p.Decision()
	assert.Equal(t, people(2, 3, 4, 5), d.Silent)
	assert.True(t, d.LazyUntil.IsZero())
	f.must(f.p.WithdrawConsent(member4, f.tick(), "I never agreed"))
	d, _ = f.p.Decision()
	assert.True(t, d.EarlyReview)
}

// TestAbsentMembersHoldTheDecision: "hold the decision until they answer
// (default)" (docs/method.md, "Absent members").
func TestAbsentMembersHoldTheDecision(t *testing.T) {
	f := inConsent(t)
	f.must(f.p.WithdrawObjection(objector, f.tick(), objector))
	f.must(f.p.Consent(member4, f.tick()))
	closes := f.p.Round().Closes()
	_, err := f.p.Adopt(facil, closes.Add(time.Hour))
	assert.ErrorIs(t, err, consent.ErrAwaitingAnswers, "the deadline passing does not make silence consent")
	f.now = closes.Add(time.Hour)
	f.must(f.p.SetDeadline(facil, f.now, f.now.Add(24*time.Hour)))
	f.must(f.p.Consent(member5, f.tick()))
	f.must(f.p.Adopt(facil, f.tick()))
}

// TestMembershipChangeIsRecordedNeverSilent: "a membership change later does
// not silently change an open or closed outcome" (docs/method.md,
// "Asynchronous rounds").
func TestMembershipChangeIsRecordedNeverSilent(t *testing.T) {
	f := inConsent(t)
	now := people(1, 2, 4, 5, 6) // p(3), the objector, left; p(6) joined
	evs, err := f.p.RetakeSnapshot(facil, f.tick(), now)
	require.NoError(t, err)
	f.events = append(f.events, evs...)
	sr := evs[0].(consent.SnapshotRetaken)
	assert.Equal(t, people(6), sr.Joined)
	assert.Equal(t, people(3), sr.Left)
	r := f.p.Round()
	assert.Equal(t, now, r.Participants())
	assert.Equal(t, people(4, 5, 6), r.Missing(), "the newcomer must answer")
	require.Len(t, r.SetAside(), 1)
	assert.Equal(t, objector, r.SetAside()[0].Person)
	assert.Equal(t, consent.ObjectionSetAside, r.Objections()[0].Status)
	for _, who := range people(4, 5, 6) {
		f.must(f.p.Consent(who, f.tick()))
	}
	f.must(f.p.Adopt(facil, f.tick()))
	d, _ := f.p.Decision()
	require.Len(t, d.Objections, 1, "the set-aside objection stays on the record")
	assert.Equal(t, consent.ObjectionSetAside, d.Objections[0].Status)
}

func TestWithdrawConsentFlagsEarlyReview(t *testing.T) {
	f := inAdopted(t)
	evs, err := f.p.WithdrawConsent(member4, f.tick(), "The handover runs late every night.")
	require.NoError(t, err)
	cw := evs[0].(consent.ConsentWithdrawn)
	assert.True(t, cw.EarlyReview)
	assert.Equal(t, circleID, cw.Circle)
	d, _ := f.p.Decision()
	assert.True(t, d.EarlyReview)
	require.Len(t, d.ConsentWithdrawals, 1)
	assert.Equal(t, cw.ReviewDate, d.ReviewDate)
	_, err = f.p.WithdrawConsent(member4, f.tick(), "again")
	assert.ErrorIs(t, err, consent.ErrNotConsented)
	_, err = f.p.WithdrawConsent(objector, f.tick(), "I objected and withdrew")
	assert.ErrorIs(t, err, consent.ErrNotConsented)
	_, err = f.p.WithdrawConsent(member5, f.tick(), "")
	assert.ErrorIs(t, err, consent.ErrMissingReason)
}

func TestReferRules(t *testing.T) {
	f := inPresented(t)
	_, err := f.p.Refer(facil, f.tick(), circleID, "x")
	assert.ErrorIs(t, err, consent.ErrSameCircle)
	_, err = f.p.Refer(facil, f.tick(), circle.CircleID{}, "x")
	assert.ErrorIs(t, err, consent.ErrMissingID)
	_, err = f.p.Refer(facil, f.tick(), otherID, "")
	assert.ErrorIs(t, err, consent.ErrMissingReason)
	f.must(f.p.Refer(facil, f.tick(), otherID, "outside our domain"))
	to, ok := f.p.ReferredTo()
	assert.True(t, ok)
	assert.Equal(t, otherID, to)
}

func TestClarifyingQuestions(t *testing.T) {
	f := inPresented(t)
	_, err := f.p.AnswerClarifying(proposer, f.tick(), 2, "no such")
	assert.ErrorIs(t, err, consent.ErrNoQuestion)
	f.must(f.p.AnswerClarifying(proposer, f.tick(), 1, "The evening lead."))
	_, err = f.p.AnswerClarifying(proposer, f.tick(), 1, "again")
	assert.ErrorIs(t, err, consent.ErrNoQuestion, "no unanswered question is left")
	f.must(f.p.AskClarifying(member5, f.tick(), "And at weekends?"))
	_, err = f.p.AnswerClarifying(proposer, f.tick(), 1, "again")
	assert.ErrorIs(t, err, consent.ErrQuestionAnswered)
	assert.Len(t, f.p.Questions(), 2)
}

// TestReactionsOncePerParticipant: "everyone reacts once" (docs/method.md,
// "Consent decision-making" 3).
func TestReactionsOncePerParticipant(t *testing.T) {
	f := inReactions(t)
	f.must(f.p.React(member4, f.tick(), "fine"))
	_, err := f.p.React(member4, f.tick(), "again")
	assert.ErrorIs(t, err, consent.ErrAlreadyReacted)
	f.must(f.p.SkipReactions(facil, f.tick()))
	_, err = f.p.React(member5, f.tick(), "too late")
	assert.ErrorIs(t, err, consent.ErrReactionsSkipped)
	assert.True(t, f.p.ReactionsSkipped())
}

func TestStartInUsesTheCircle(t *testing.T) {
	org, _, err := circle.Found(circletest.Founding(1))
	require.NoError(t, err)
	top := org.Top()
	founder := org.People()[0]
	ms, err := consent.Members(org, top)
	require.NoError(t, err)
	assert.Equal(t, []consent.PersonID{founder}, ms)
	_, err = consent.Members(org, otherID)
	assert.ErrorIs(t, err, consent.ErrUnknownCircle)

	spec := consent.ProcessSpec{ID: procID, Org: org.ID(), Circle: top, Proposer: founder, Facilitator: founder, Proposal: proposal1}
	p, _, err := consent.StartIn(org, spec, t0)
	require.NoError(t, err)
	assert.Equal(t, top, p.Circle())
	spec.Proposer = outsider
	_, _, err = consent.StartIn(org, spec, t0)
	assert.ErrorIs(t, err, consent.ErrNotParticipant)
	spec.Circle = otherID
	_, _, err = consent.StartIn(org, spec, t0)
	assert.ErrorIs(t, err, consent.ErrUnknownCircle)
}

func TestReplayRebuildsTheProcess(t *testing.T) {
	for name, setup := range map[string]func(require.TestingT) *fixture{
		"draft": inDraft, "presented": inPresented, "reactions": inReactions, "consent": inConsent,
		"integration": inIntegration, "adopted": inAdopted, "withdrawn": inWithdrawn, "referred": inReferred,
	} {
		t.Run(name, func(t *testing.T) {
			f := setup(t)
			got, err := consent.Replay(roundtrip(t, f.events))
			require.NoError(t, err)
			assert.Equal(t, f.p, got)
		})
	}
}

func TestReplayRefusesStreamsThatDoNotFit(t *testing.T) {
	f := inAdopted(t)
	_, err := consent.Replay(nil)
	assert.ErrorIs(t, err, consent.ErrNotStarted)
	_, err = consent.Replay(f.events[1:])
	assert.ErrorIs(t, err, consent.ErrNotStarted)
	_, err = consent.Replay(append(f.events[:1:1], f.events[0]))
	assert.ErrorIs(t, err, consent.ErrInvalidEvent)

	// The adoption moved before the objection was withdrawn.
	n := len(f.events)
	swapped := append([]consent.Event{}, f.events[:n-2]...)
	swapped = append(swapped, f.events[n-1], f.events[n-2])
	_, err = consent.Replay(swapped)
	assert.ErrorIs(t, err, consent.ErrInvalidEvent)

	// A tampered decision record.
	ad := f.events[n-1].(consent.DecisionAdopted)
	ad.Decision.Consented = nil
	_, err = consent.Replay(append(append([]consent.Event{}, f.events[:n-1]...), ad))
	assert.ErrorIs(t, err, consent.ErrInvalidEvent)

	// An event of another process.
	other := f.events[1].(consent.Presented)
	other.Process = consent.ProcessID(circletest.UUID(0xb0, 2))
	_, err = consent.Replay([]consent.Event{f.events[0], other})
	assert.ErrorIs(t, err, consent.ErrWrongProcess)
}
