package consent_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/consent"
)

var (
	t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	p  = circletest.Person
)

func people(ns ...int) []consent.PersonID {
	out := make([]consent.PersonID, len(ns))
	for i, n := range ns {
		out[i] = p(n)
	}
	return out
}

// tb is what helpers need from *testing.T and *rapid.T.
type tb interface {
	require.TestingT
	Helper()
}

func openRound(t tb, o consent.RoundOpening) *consent.Round {
	t.Helper()
	if o.Round == 0 {
		o.Round = 1
	}
	if o.Version == 0 {
		o.Version = 1
	}
	if o.Opens.IsZero() {
		o.Opens = t0
	}
	if o.Policy == (consent.Policy{}) {
		o.Policy = consent.DefaultPolicy()
	}
	o, err := consent.PrepareRound(o)
	require.NoError(t, err)
	r, err := consent.NewRound(o)
	require.NoError(t, err)
	return r
}

// answer decides and applies an answer.
func answer(r *consent.Round, who consent.PersonID, at time.Time, k consent.AnswerKind, reason string) error {
	a, err := r.DecideAnswer(who, at, k, reason)
	if err != nil {
		return err
	}
	return r.Apply(a, at)
}

func TestPrepareRoundSortsAndDeduplicatesTheSnapshot(t *testing.T) {
	o, err := consent.PrepareRound(consent.RoundOpening{
		Round: 1, Version: 1, Participants: people(3, 1, 2, 1), Opens: t0.Add(time.Nanosecond), Policy: consent.DefaultPolicy(),
	})
	require.NoError(t, err)
	assert.Equal(t, people(1, 2, 3), o.Participants)
	assert.Equal(t, t0, o.Opens, "times are UTC at microsecond precision")
}

func TestPrepareRoundRefusesBadOpenings(t *testing.T) {
	ok := consent.RoundOpening{Round: 1, Version: 1, Participants: people(1, 2), Opens: t0, Policy: consent.DefaultPolicy()}
	tests := []struct {
		name   string
		change func(*consent.RoundOpening)
		want   error
	}{
		{"no participants", func(o *consent.RoundOpening) { o.Participants = nil }, consent.ErrInvalidParticipant},
		{"a zero participant", func(o *consent.RoundOpening) { o.Participants = append(o.Participants, consent.PersonID{}) }, consent.ErrMissingID},
		{"round zero", func(o *consent.RoundOpening) { o.Round = 0 }, consent.ErrInvalidEvent},
		{"version zero", func(o *consent.RoundOpening) { o.Version = 0 }, consent.ErrInvalidEvent},
		{"no opening time", func(o *consent.RoundOpening) { o.Opens = time.Time{} }, consent.ErrInvalidTime},
		{"closes when it opens", func(o *consent.RoundOpening) { o.Closes = o.Opens }, consent.ErrInvalidTime},
		{"last is not a participant", func(o *consent.RoundOpening) { o.Last = p(9) }, consent.ErrNotParticipant},
		{"zero policy", func(o *consent.RoundOpening) { o.Policy = consent.Policy{} }, consent.ErrInvalidPolicy},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := ok
			o.Participants = people(1, 2)
			tt.change(&o)
			_, err := consent.PrepareRound(o)
			assert.ErrorIs(t, err, tt.want)
			_, err = consent.NewRound(o)
			assert.ErrorIs(t, err, tt.want)
		})
	}
}

func TestRoundAnswerRules(t *testing.T) {
	withAll := consent.DefaultPolicy()
	withAll.AllowStandAside = true
	noConcerns := consent.DefaultPolicy()
	noConcerns.AllowConcerns = false
	tests := []struct {
		name   string
		policy consent.Policy
		who    consent.PersonID
		kind   consent.AnswerKind
		reason string
		want   error
	}{
		{"a participant consents", withAll, p(1), consent.AnswerConsent, "", nil},
		{"a participant objects with a reason", withAll, p(1), consent.AnswerObject, "it harms the night shift", nil},
		{"a concern carries a note", withAll, p(1), consent.AnswerConcern, "watch the cost", nil},
		{"stand aside where policy allows", withAll, p(1), consent.AnswerStandAside, "", nil},
		{"stand aside with a note", withAll, p(1), consent.AnswerStandAside, "not my area", nil},
		{"stand aside with a note too long", withAll, p(1), consent.AnswerStandAside, strings.Repeat("x", 2001), consent.ErrReasonTooLong},
		{"stand aside refused by the default policy", consent.DefaultPolicy(), p(1), consent.AnswerStandAside, "", consent.ErrNotAllowedByPolicy},
		{"concern refused where policy forbids it", noConcerns, p(1), consent.AnswerConcern, "note", consent.ErrNotAllowedByPolicy},
		{"an outsider cannot answer", withAll, p(9), consent.AnswerConsent, "", consent.ErrNotParticipant},
		{"an objection without a reason", withAll, p(1), consent.AnswerObject, "", consent.ErrMissingReason},
		{"an objection with a blank reason", withAll, p(1), consent.AnswerObject, " \t\n", consent.ErrMissingReason},
		{"an objection with a reason too long", withAll, p(1), consent.AnswerObject, strings.Repeat("x", 2001), consent.ErrReasonTooLong},
		{"an objection reason of invalid UTF-8", withAll, p(1), consent.AnswerObject, "\xff", consent.ErrInvalidText},
		{"a concern without a note", withAll, p(1), consent.AnswerConcern, "", consent.ErrMissingReason},
		{"consent takes no reason", withAll, p(1), consent.AnswerConsent, "because", consent.ErrInvalidText},
		{"an invalid answer kind", withAll, p(1), consent.AnswerKind(0), "", consent.ErrInvalidAnswer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := openRound(t, consent.RoundOpening{Participants: people(1, 2), Policy: tt.policy})
			before := r.Tally()
			err := answer(r, tt.who, t0, tt.kind, tt.reason)
			if tt.want == nil {
				require.NoError(t, err)
				a, ok := r.Answer(tt.who)
				require.True(t, ok)
				assert.Equal(t, tt.kind, a.Kind)
				assert.Equal(t, tt.reason, a.Reason)
				return
			}
			assert.ErrorIs(t, err, tt.want)
			var ce *consent.Error
			assert.ErrorAs(t, err, &ce)
			assert.Equal(t, before, r.Tally(), "a refused answer changes nothing")
		})
	}
}

func TestRoundEachParticipantAnswersOnce(t *testing.T) {
	r := openRound(t, consent.RoundOpening{Participants: people(1, 2)})
	require.NoError(t, answer(r, p(1), t0, consent.AnswerConsent, ""))
	err := answer(r, p(1), t0, consent.AnswerObject, "changed my mind")
	assert.ErrorIs(t, err, consent.ErrAlreadyAnswered)
	assert.Equal(t, 1, r.Tally().Consent)
	assert.Equal(t, 0, r.Tally().Object)
}

func TestRoundDeadlineIsHalfOpen(t *testing.T) {
	opens, closes := t0, t0.Add(48*time.Hour)
	policy := consent.DefaultPolicy()
	policy.AllowStandAside = true
	kinds := []struct {
		kind   consent.AnswerKind
		reason string
	}{
		{consent.AnswerConsent, ""},
		{consent.AnswerConcern, "note"},
		{consent.AnswerStandAside, ""},
		{consent.AnswerObject, "reason"},
	}
	// Times are kept at microsecond precision, so closes+1ns counts as closes.
	at := []struct {
		name string
		at   time.Time
		want error
	}{
		{"before opens", opens.Add(-time.Nanosecond), consent.ErrRoundNotOpen},
		{"at opens", opens, nil},
		{"closes - 1ns", closes.Add(-time.Nanosecond), nil},
		{"at closes", closes, consent.ErrRoundClosed},
		{"closes + 1ns", closes.Add(time.Nanosecond), consent.ErrRoundClosed},
		{"closes + 1µs", closes.Add(time.Microsecond), consent.ErrRoundClosed},
	}
	for _, k := range kinds {
		for _, tt := range at {
			t.Run(k.kind.String()+"/"+tt.name, func(t *testing.T) {
				r := openRound(t, consent.RoundOpening{Participants: people(1), Opens: opens, Closes: closes, Policy: policy})
				err := answer(r, p(1), tt.at, k.kind, k.reason)
				if tt.want == nil {
					assert.NoError(t, err)
					assert.True(t, r.IsOpen(tt.at))
				} else {
					assert.ErrorIs(t, err, tt.want)
					assert.False(t, r.IsOpen(tt.at))
				}
			})
		}
	}
}

func TestRoundLastParticipantAnswersAfterEveryoneElse(t *testing.T) {
	// docs/method.md, "Selection": the nominee answers last.
	r := openRound(t, consent.RoundOpening{Participants: people(1, 2, 3), Last: p(2)})
	assert.ErrorIs(t, answer(r, p(2), t0, consent.AnswerConsent, ""), consent.ErrAnswersLast)
	require.NoError(t, answer(r, p(1), t0, consent.AnswerConsent, ""))
	assert.ErrorIs(t, answer(r, p(2), t0, consent.AnswerConsent, ""), consent.ErrAnswersLast)
	require.NoError(t, answer(r, p(3), t0, consent.AnswerConsent, ""))
	require.NoError(t, answer(r, p(2), t0, consent.AnswerConsent, ""))
	assert.Equal(t, consent.ResultConsented, r.Result(t0))

	// A newcomer joins: the last participant's answer is set aside so they
	// answer after the newcomer again.
	c, err := r.DecideRetake(people(1, 2, 3, 4))
	require.NoError(t, err)
	require.NoError(t, r.Apply(c, t0))
	_, answered := r.Answer(p(2))
	assert.False(t, answered)
	assert.Len(t, r.SetAside(), 1)
	assert.ErrorIs(t, answer(r, p(2), t0, consent.AnswerConsent, ""), consent.ErrAnswersLast)
	require.NoError(t, answer(r, p(4), t0, consent.AnswerConsent, ""))
	require.NoError(t, answer(r, p(2), t0, consent.AnswerConsent, ""))
}

func TestRoundObjectionIsUnderstoodThenResolved(t *testing.T) {
	// docs/method.md, "Consent decision-making" 5: "each objection is understood,
	// then resolved".
	r := openRound(t, consent.RoundOpening{Participants: people(1, 2)})
	require.NoError(t, answer(r, p(1), t0, consent.AnswerObject, "no budget for it"))
	require.NoError(t, answer(r, p(2), t0, consent.AnswerConsent, ""))
	assert.Equal(t, consent.ResultObjected, r.Result(t0))
	assert.Equal(t, people(1), r.OpenObjectors())
	c := r.Clone()

	_, err := r.DecideResolve(p(2), p(1), consent.ResolvedByMeasure, "")
	assert.ErrorIs(t, err, consent.ErrNotUnderstood)
	_, err = r.DecideResolve(p(2), p(1), consent.ResolvedByWithdrawal, "")
	assert.ErrorIs(t, err, consent.ErrNotObjector, "only the objector withdraws")
	_, err = r.DecideResolve(p(2), p(2), consent.ResolvedByMeasure, "")
	assert.ErrorIs(t, err, consent.ErrNoObjection)

	u, err := r.DecideUnderstand(p(1), "the budget is fixed until June")
	require.NoError(t, err)
	require.NoError(t, r.Apply(u, t0.Add(time.Minute)))
	_, err = r.DecideUnderstand(p(1), "again")
	assert.ErrorIs(t, err, consent.ErrAlreadyUnderstood)

	res, err := r.DecideResolve(p(2), p(1), consent.ResolvedByMeasure, "cost watched monthly")
	require.NoError(t, err)
	require.NoError(t, r.Apply(res, t0.Add(2*time.Minute)))
	o, ok := r.Objection(p(1))
	require.True(t, ok)
	assert.Equal(t, consent.ObjectionResolved, o.Status)
	assert.Equal(t, consent.ResolvedByMeasure, o.Resolution)
	assert.Equal(t, t0.Add(time.Minute), o.UnderstoodAt)
	assert.Equal(t, consent.ResultConsented, r.Result(t0))
	assert.Empty(t, r.OpenObjectors())
	assert.Equal(t, people(1), c.OpenObjectors(), "a clone is independent")

	_, err = r.DecideResolve(p(1), p(1), consent.ResolvedByWithdrawal, "")
	assert.ErrorIs(t, err, consent.ErrObjectionClosed)
}

func TestRoundObjectorWithdrawsWithoutUnderstanding(t *testing.T) {
	r := openRound(t, consent.RoundOpening{Participants: people(1)})
	require.NoError(t, answer(r, p(1), t0, consent.AnswerObject, "unsure"))
	res, err := r.DecideResolve(p(1), p(1), consent.ResolvedByWithdrawal, "")
	require.NoError(t, err)
	require.NoError(t, r.Apply(res, t0))
	assert.Equal(t, consent.ResultConsented, r.Result(t0))
}

func TestRoundValidityTest(t *testing.T) {
	tests := []struct {
		name    string
		rule    consent.ValidityRule
		valid   bool
		reasons string
		want    error
		status  consent.ObjectionStatus
	}{
		{"SoFA: every stated objection is valid, no test", consent.ValidityAllStated, false, "x", consent.ErrNotAllowedByPolicy, consent.ObjectionOpen},
		{"S3: the group finds it does not qualify", consent.ValidityGroupTest, false, "", nil, consent.ObjectionResolved},
		{"S3: the group finds it qualifies", consent.ValidityGroupTest, true, "", nil, consent.ObjectionOpen},
		{"Holacracy: the facilitator records reasons", consent.ValidityFacilitatorTest, false, "no harm to the role's purpose shown", nil, consent.ObjectionResolved},
		{"Holacracy: reasons are required", consent.ValidityFacilitatorTest, false, "", consent.ErrMissingReason, consent.ObjectionOpen},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pol := consent.DefaultPolicy()
			pol.Validity = tt.rule
			r := openRound(t, consent.RoundOpening{Participants: people(1, 2), Policy: pol})
			require.NoError(t, answer(r, p(1), t0, consent.AnswerObject, "reason"))
			_, err := r.DecideTest(p(1), true, "r")
			if tt.rule != consent.ValidityAllStated {
				assert.ErrorIs(t, err, consent.ErrNotUnderstood, "understood before tested")
			}
			u, err := r.DecideUnderstand(p(1), "understood")
			require.NoError(t, err)
			require.NoError(t, r.Apply(u, t0))
			v, err := r.DecideTest(p(1), tt.valid, tt.reasons)
			if tt.want != nil {
				assert.ErrorIs(t, err, tt.want)
			} else {
				require.NoError(t, err)
				require.NoError(t, r.Apply(v, t0))
			}
			o, _ := r.Objection(p(1))
			assert.Equal(t, tt.status, o.Status)
			if tt.status == consent.ObjectionResolved {
				assert.Equal(t, consent.ResolvedAsNotValid, o.Resolution)
				assert.Equal(t, tt.rule, o.TestRule)
			}
		})
	}
}

func TestRoundRetakeSetsAsideAnswersOfPeopleWhoLeft(t *testing.T) {
	r := openRound(t, consent.RoundOpening{Participants: people(1, 2, 3)})
	require.NoError(t, answer(r, p(1), t0, consent.AnswerObject, "reason"))
	require.NoError(t, answer(r, p(2), t0, consent.AnswerConsent, ""))
	c, err := r.DecideRetake(people(2, 3, 4))
	require.NoError(t, err)
	assert.Equal(t, people(4), c.Joined)
	assert.Equal(t, people(1), c.Left)
	require.NoError(t, r.Apply(c, t0))

	assert.Equal(t, people(2, 3, 4), r.Participants())
	assert.Equal(t, people(3, 4), r.Missing())
	require.Len(t, r.SetAside(), 1)
	assert.Equal(t, p(1), r.SetAside()[0].Person, "set aside, not deleted")
	require.Len(t, r.Objections(), 1)
	assert.Equal(t, consent.ObjectionSetAside, r.Objections()[0].Status)
	assert.Equal(t, consent.Tally{Participants: 3, Consent: 1, Missing: 2, SetAside: 1}, r.Tally())
	assert.ErrorIs(t, answer(r, p(1), t0, consent.AnswerConsent, ""), consent.ErrNotParticipant)

	// Re-applying the same change no longer fits.
	assert.ErrorIs(t, r.Apply(c, t0), consent.ErrInvalidEvent)
}

func TestRoundCompletenessFollowsTheAbsenceRule(t *testing.T) {
	closes := t0.Add(time.Hour)
	tests := []struct {
		rule   consent.AbsenceRule
		window time.Duration
		before consent.Result
		after  consent.Result
	}{
		{consent.AbsenceHold, 0, consent.ResultPending, consent.ResultPending},
		{consent.AbsenceLazyConsent, time.Hour, consent.ResultPending, consent.ResultConsented},
		{consent.AbsenceSilenceIsConsent, 0, consent.ResultPending, consent.ResultConsented},
	}
	for _, tt := range tests {
		t.Run(tt.rule.String(), func(t *testing.T) {
			pol := consent.DefaultPolicy()
			pol.Absence, pol.LazyWindow = tt.rule, tt.window
			r := openRound(t, consent.RoundOpening{Participants: people(1, 2), Closes: closes, Policy: pol})
			require.NoError(t, answer(r, p(1), t0, consent.AnswerConsent, ""))
			assert.Equal(t, tt.before, r.Result(closes.Add(-time.Microsecond)))
			assert.Equal(t, tt.after, r.Result(closes))
		})
	}
}

func TestRoundDeadlineCanBeMovedExplicitly(t *testing.T) {
	r := openRound(t, consent.RoundOpening{Participants: people(1), Closes: t0.Add(time.Hour)})
	_, err := r.DecideDeadline(t0.Add(2*time.Hour), t0.Add(90*time.Minute))
	assert.ErrorIs(t, err, consent.ErrInvalidTime, "not into the past")
	_, err = r.DecideDeadline(t0, t0)
	assert.ErrorIs(t, err, consent.ErrInvalidTime, "not at or before the opening")
	d, err := r.DecideDeadline(t0.Add(2*time.Hour), t0.Add(3*time.Hour))
	require.NoError(t, err)
	require.NoError(t, r.Apply(d, t0.Add(2*time.Hour)))
	assert.True(t, r.IsOpen(t0.Add(2*time.Hour)))
	d, err = r.DecideDeadline(t0.Add(2*time.Hour), time.Time{})
	require.NoError(t, err)
	require.NoError(t, r.Apply(d, t0.Add(2*time.Hour)))
	assert.True(t, r.Closes().IsZero())
}

func TestRoundApplyRefusesEventsThatDoNotFit(t *testing.T) {
	r := openRound(t, consent.RoundOpening{Participants: people(1)})
	assert.ErrorIs(t, r.Apply(consent.AnswerGiven{Round: 2, Person: p(1), Answer: consent.AnswerConsent}, t0), consent.ErrInvalidEvent)
	assert.ErrorIs(t, r.Apply(consent.AnswerGiven{Round: 1, Person: p(5), Answer: consent.AnswerConsent}, t0), consent.ErrNotParticipant)
	assert.ErrorIs(t, r.Apply(consent.Resolution{Round: 1, Objector: p(1), How: consent.ResolvedAsNotValid}, t0), consent.ErrInvalidEvent)
	var zero consent.Round
	assert.ErrorIs(t, zero.Apply(consent.AnswerGiven{Round: 1}, t0), consent.ErrInvalidEvent)
	_, err := zero.DecideAnswer(p(1), t0, consent.AnswerConsent, "")
	assert.ErrorIs(t, err, consent.ErrNotParticipant, "the zero round refuses every answer")
	assert.Equal(t, consent.ResultPending, zero.Result(t0), "the zero round is never complete")
}

// Property: the tally equals a naive recount of the answers, and each
// participant has at most one current answer.
func TestRoundTallyEqualsNaiveRecount(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		pol := consent.DefaultPolicy()
		pol.AllowStandAside = rapid.Bool().Draw(rt, "standAside")
		n := rapid.IntRange(1, 8).Draw(rt, "n")
		ids := make([]int, n)
		for i := range ids {
			ids[i] = i + 1
		}
		r := openRound(rt, consent.RoundOpening{Participants: people(ids...), Policy: pol})
		for range rapid.IntRange(0, 30).Draw(rt, "steps") {
			who := p(rapid.IntRange(1, n+2).Draw(rt, "who"))
			switch rapid.IntRange(0, 2).Draw(rt, "what") {
			case 0:
				k := consent.AnswerKind(rapid.IntRange(1, 4).Draw(rt, "kind"))
				reason := ""
				if k == consent.AnswerObject || k == consent.AnswerConcern {
					reason = "r"
				}
				_ = answer(r, who, t0, k, reason)
			case 1:
				if res, err := r.DecideResolve(who, who, consent.ResolvedByWithdrawal, ""); err == nil {
					require.NoError(rt, r.Apply(res, t0))
				}
			case 2:
				var keep []int
				for i := 1; i <= n+2; i++ {
					if rapid.Bool().Draw(rt, "keep") {
						keep = append(keep, i)
					}
				}
				if c, err := r.DecideRetake(people(keep...)); err == nil {
					require.NoError(rt, r.Apply(c, t0))
				}
			}
			var naive consent.Tally
			seen := map[consent.PersonID]bool{}
			for _, a := range r.Answers() {
				require.False(rt, seen[a.Person], "one current answer per participant")
				seen[a.Person] = true
				require.True(rt, r.IsParticipant(a.Person))
				switch a.Kind {
				case consent.AnswerConsent:
					naive.Consent++
				case consent.AnswerConcern:
					naive.Concern++
				case consent.AnswerStandAside:
					naive.StandAside++
				case consent.AnswerObject:
					naive.Object++
				}
			}
			naive.Participants = len(r.Participants())
			naive.Missing = naive.Participants - len(seen)
			naive.SetAside = len(r.SetAside())
			for _, o := range r.Objections() {
				if o.Status == consent.ObjectionOpen {
					naive.OpenObjections++
					require.True(rt, r.IsParticipant(o.Objector), "an open objection belongs to a participant")
				}
			}
			require.Equal(rt, naive, r.Tally())
		}
	})
}
