package agreement_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/agreement"
	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
)

func TestADecisionOnANewMatterBecomesAnAgreementOfItsCircle(t *testing.T) {
	r, _ := open()
	evs := observe(r, adopted(proc(1), cid(2), day(1), "Evening visits", "Same two workers"))
	require.Len(t, evs, 1)
	a, ok := r.Agreement(agreement.IDFor(orgID, proc(1)))
	require.True(t, ok)
	assert.Equal(t, cid(2), a.Circle)
	assert.Equal(t, agreement.StateInForce, a.State)
	require.Len(t, a.Versions, 1)
	v := a.Current()
	assert.Equal(t, agreement.ChangeAdopted, v.Change)
	assert.Equal(t, proc(1), v.Decision)
	assert.Equal(t, "Same two workers", v.Text)
	assert.Equal(t, day(1).AddDate(1, 0, 0), v.ReviewDate)
	assert.Equal(t, day(1), v.From)
	id, ok := r.ByDecision(proc(1))
	assert.True(t, ok)
	assert.Equal(t, a.ID, id)
}

// docs/method.md, "Reviews and feedback loops": "A review reopens the
// matter: the policy is kept (with a new review date), amended through a
// consent process, or retired."
func TestAReviewKeepsAmendsOrRetires(t *testing.T) {
	id := agreement.IDFor(orgID, proc(1))
	tests := []struct {
		name          string
		review        consent.Review
		title, text   string
		state         agreement.State
		change        agreement.Change
		versions      int
		inForceAfter  bool
		wantEventType string
	}{
		{"the same title and text keep it, with a new review date", consent.Review{Agreement: id}, "Evening visits", "Same two workers",
			agreement.StateInForce, agreement.ChangeKept, 2, true, "agreement.kept"},
		{"a new text amends it", consent.Review{Agreement: id}, "Evening visits", "Same two workers, named a week ahead",
			agreement.StateInForce, agreement.ChangeAmended, 2, true, "agreement.amended"},
		{"a new title amends it", consent.Review{Agreement: id}, "Evening and night visits", "Same two workers",
			agreement.StateInForce, agreement.ChangeAmended, 2, true, "agreement.amended"},
		{"a review to retire retires it", consent.Review{Agreement: id, Retire: true}, "Retire evening visits", "No longer needed",
			agreement.StateRetired, agreement.ChangeAdopted, 1, false, "agreement.retired"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := open()
			observe(r, adopted(proc(1), cid(2), day(1), "Evening visits", "Same two workers"))
			require.Len(t, observe(r, started(proc(2), cid(2), day(100), tt.review)), 1)
			a, _ := r.Agreement(id)
			assert.Equal(t, []consent.ProcessID{proc(2)}, a.Reviews, "the review is on record while it runs")
			evs := observe(r, adopted(proc(2), cid(2), day(120), tt.title, tt.text))
			require.Len(t, evs, 1)
			assert.Equal(t, tt.wantEventType, evs[0].EventType())
			a, _ = r.Agreement(id)
			assert.Equal(t, tt.state, a.State)
			assert.Empty(t, a.Reviews)
			require.Len(t, a.Versions, tt.versions)
			assert.Equal(t, tt.change, a.Current().Change)
			_, inForce := a.At(day(121))
			assert.Equal(t, tt.inForceAfter, inForce)
			v, ok := a.At(day(119))
			require.True(t, ok, "the first version was in force before the review's decision")
			assert.Equal(t, "Same two workers", v.Text)
			assert.Equal(t, day(120), a.Versions[0].Until, "the first version ends when the review's decision is adopted")
			got, _ := r.ByDecision(proc(2))
			assert.Equal(t, id, got)
		})
	}
}

func TestInForceAnswersForAnyInstant(t *testing.T) {
	r, _ := open()
	a1, a2 := agreement.IDFor(orgID, proc(1)), agreement.IDFor(orgID, proc(2))
	observe(r,
		adopted(proc(1), cid(2), day(1), "Rota", "v1"),
		adopted(proc(2), cid(3), day(2), "Budget", "b1"),
		started(proc(3), cid(2), day(10), consent.Review{Agreement: a1}),
		adopted(proc(3), cid(2), day(20), "Rota", "v2"),
		started(proc(4), cid(3), day(30), consent.Review{Agreement: a2, Retire: true}),
		adopted(proc(4), cid(3), day(40), "Retire the budget", "done"),
	)
	texts := func(in []agreement.InForce) []string {
		var out []string
		for _, f := range in {
			out = append(out, f.Version.Text)
		}
		return out
	}
	assert.Empty(t, r.InForce(t0), "before any decision")
	assert.Equal(t, []string{"v1"}, texts(r.InForce(day(1))), "from the instant of adoption")
	assert.Equal(t, []string{"v1", "b1"}, texts(r.InForce(day(19))))
	assert.Equal(t, []string{"v2", "b1"}, texts(r.InForce(day(20))), "the amendment from its adoption, not before")
	assert.Equal(t, []string{"v2"}, texts(r.InForce(day(40))), "the retirement from its adoption")
	assert.Equal(t, []string{"v1"}, texts(r.InForceIn(cid(2), day(5))))
	assert.Equal(t, []string{"b1"}, texts(r.InForceIn(cid(3), day(39))))
	assert.Empty(t, r.InForceIn(cid(3), day(41)))
	assert.Empty(t, r.InForceIn(cid(9), day(41)), "a circle without agreements")
	assert.Len(t, r.Agreements(), 2, "a retired agreement stays in the register")
	assert.Len(t, r.Of(cid(3)), 1)
}

func TestAReviewThatTheRegisterCannotRecordIsRefusedAndChangesNothing(t *testing.T) {
	id := agreement.IDFor(orgID, proc(1))
	tests := []struct {
		name   string
		setup  []any
		review consent.Review
		in     circle.CircleID
		want   error
	}{
		{"an unknown agreement", nil, consent.Review{Agreement: agreement.IDFor(orgID, proc(9))}, cid(2), agreement.ErrUnknownAgreement},
		{"an agreement of another circle", nil, consent.Review{Agreement: id}, cid(3), agreement.ErrWrongCircle},
		{"a retirement that names no agreement", nil, consent.Review{Retire: true}, cid(2), agreement.ErrMissingID},
		{"a retired agreement", []any{
			started(proc(5), cid(2), day(5), consent.Review{Agreement: id, Retire: true}),
			adopted(proc(5), cid(2), day(6), "Retire", "r"),
		}, consent.Review{Agreement: id}, cid(2), agreement.ErrRetired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := open()
			observe(r, adopted(proc(1), cid(2), day(1), "Rota", "v1"))
			observe(r, tt.setup...)
			before, version := r.Agreements(), r.Version()
			evs, err := r.Observe(started(proc(2), tt.in, day(10), tt.review))
			require.Error(t, err)
			assert.True(t, errors.Is(err, tt.want), "got %v", err)
			var e *agreement.Error
			require.ErrorAs(t, err, &e)
			assert.Contains(t, err.Error(), "agreement: start review: ")
			assert.Nil(t, evs)
			assert.Equal(t, version, r.Version())
			assert.Equal(t, before, r.Agreements())
		})
	}
}

func TestAReopenedDecisionLeavesForceAndTheVersionBeforeReturns(t *testing.T) {
	r, _ := open()
	id := agreement.IDFor(orgID, proc(1))
	observe(r, adopted(proc(1), cid(2), day(1), "Rota", "v1"),
		started(proc(2), cid(2), day(10), consent.Review{Agreement: id}),
		adopted(proc(2), cid(2), day(20), "Rota", "v2"))
	reopen := consent.DecisionReopened{Header: hdr(proc(2), cid(2), day(21))}
	evs := observe(r, reopen)
	require.Len(t, evs, 1)
	a, _ := r.Agreement(id)
	require.Len(t, a.Versions, 3)
	assert.Equal(t, agreement.ChangeRestored, a.Current().Change)
	assert.Equal(t, "v1", a.Current().Text)
	v, _ := a.At(day(20))
	assert.Equal(t, "v2", v.Text)
	assert.Empty(t, observe(r, reopen), "observed twice: once")

	// Reopening the only decision leaves nothing in force until it is adopted again.
	observe(r, adopted(proc(3), cid(3), day(30), "Budget", "b1"))
	observe(r, consent.DecisionReopened{Header: hdr(proc(3), cid(3), day(31))})
	b, _ := r.Agreement(agreement.IDFor(orgID, proc(3)))
	assert.Equal(t, agreement.StateReopened, b.State)
	assert.Empty(t, r.InForceIn(cid(3), day(32)))
	observe(r, adopted(proc(3), cid(3), day(33), "Budget", "b1 amended"))
	b, _ = r.Agreement(agreement.IDFor(orgID, proc(3)))
	assert.Equal(t, agreement.StateInForce, b.State)
	assert.Equal(t, 2, b.Current().Version)
	assert.Equal(t, "b1 amended", b.Current().Text)
}

func TestAReviewWithdrawnOrReferredChangesNothingButEnds(t *testing.T) {
	for name, end := range map[string]consent.Event{
		"withdrawn": consent.ProposalWithdrawn{Header: hdr(proc(2), cid(2), day(11)), Reason: "not now"},
		"referred":  consent.Referred{Header: hdr(proc(2), cid(2), day(11)), To: cid(3), Reason: "theirs"},
	} {
		t.Run(name, func(t *testing.T) {
			r, _ := open()
			id := agreement.IDFor(orgID, proc(1))
			observe(r, adopted(proc(1), cid(2), day(1), "Rota", "v1"), started(proc(2), cid(2), day(10), consent.Review{Agreement: id}))
			evs := observe(r, end)
			require.Len(t, evs, 1)
			assert.Equal(t, "agreement.review_ended", evs[0].EventType())
			a, _ := r.Agreement(id)
			assert.Empty(t, a.Reviews)
			assert.Len(t, a.Versions, 1)
			assert.Empty(t, observe(r, end), "observed twice: once")
		})
	}
}

func TestObservingAnEventTwiceHasTheEffectOfOnce(t *testing.T) {
	r, _ := open()
	id := agreement.IDFor(orgID, proc(1))
	evs := []any{
		adopted(proc(1), cid(2), day(1), "Rota", "v1"),
		started(proc(2), cid(2), day(10), consent.Review{Agreement: id}),
		adopted(proc(2), cid(2), day(20), "Rota", "v2"),
	}
	for _, e := range evs {
		observe(r, e)
		v := r.Version()
		assert.Empty(t, observe(r, e), "%T again", e)
		assert.Equal(t, v, r.Version())
	}
}

func TestObserveRefusesWhatIsNotAnEventOfThisOrganisation(t *testing.T) {
	r, _ := open()
	other := adopted(proc(1), cid(2), day(1), "Rota", "v1")
	other.Org = orgID
	other.Header.Org = circle.OrgID(proc(7))
	_, err := r.Observe(other)
	assert.ErrorIs(t, err, agreement.ErrWrongOrganisation)
	_, err = r.Observe("consent.decision_adopted")
	assert.ErrorIs(t, err, agreement.ErrInvalidEvent)
	_, err = r.Observe((*consent.DecisionAdopted)(nil))
	assert.ErrorIs(t, err, agreement.ErrInvalidEvent)
	ptr := adopted(proc(1), cid(2), day(1), "Rota", "v1")
	assert.Len(t, must(r.Observe(&ptr)), 1, "a pointer is observed as its event")
	evs, err := r.Observe(circle.MemberAdded{Header: circle.Header{Org: orgID, Actor: pid(1), At: day(2)}})
	assert.NoError(t, err)
	assert.Empty(t, evs, "events of other packages are ignored")
	assert.False(t, agreement.Observes(circle.MemberAdded{}))
	assert.False(t, agreement.Observes(started(proc(3), cid(2), day(3), consent.Review{})), "a start that reviews nothing")
	assert.True(t, agreement.Observes(started(proc(3), cid(2), day(3), consent.Review{Agreement: agreement.IDFor(orgID, proc(1))})))
}

func TestReviewableListsTheAgreementsOfTheActorsCircles(t *testing.T) {
	f := circleFixture(t)
	r, _ := open()
	observe(r, adopted(proc(1), f.team, day(1), "Rota", "v1"), adopted(proc(2), f.top, day(1), "Budget", "b1"))
	assert.Equal(t, []agreement.ID{agreement.IDFor(orgID, proc(1))}, r.Reviewable(f.o, f.member), "a team member reviews the team's")
	assert.Len(t, r.Reviewable(f.o, f.founder), 2, "the founder is in both circles")
	assert.Empty(t, r.Reviewable(f.o, pid(99)), "a stranger reviews nothing")
}

func TestOpenRefusesMissingIDs(t *testing.T) {
	_, _, err := agreement.Open(circle.OrgID{}, pid(1), t0)
	assert.ErrorIs(t, err, agreement.ErrMissingID)
	_, _, err = agreement.Open(orgID, circle.PersonID{}, t0)
	assert.ErrorIs(t, err, agreement.ErrMissingID)
	_, err = agreement.Replay(nil)
	assert.ErrorIs(t, err, agreement.ErrNotOpened)
}

type orgFixture struct {
	o               *circle.Organisation
	top, team       circle.CircleID
	founder, member circle.PersonID
}

func circleFixture(t *testing.T) orgFixture {
	f := orgFixture{top: cid(1), team: cid(2), founder: pid(1), member: pid(2)}
	o, _, err := circle.Found(circle.Founding{Org: orgID, Name: "Co-op", Zone: "Europe/London", Founder: f.founder, FounderLabel: "A",
		FounderClass: circle.Worker, Top: f.top, TopName: "General", TopKind: circle.KindGeneral, At: t0})
	require.NoError(t, err)
	for _, act := range []func() ([]circle.Event, error){
		func() ([]circle.Event, error) {
			return o.AddPerson(f.founder, t0, circle.PersonSpec{ID: f.member, Label: "B", Class: circle.SupportedPerson})
		},
		func() ([]circle.Event, error) {
			return o.AddCircle(f.founder, t0, circle.CircleSpec{ID: f.team, Parent: f.top, Name: "Team", Kind: circle.KindTeam})
		},
		func() ([]circle.Event, error) { return o.AddMember(f.founder, t0, f.team, f.member) },
		func() ([]circle.Event, error) { return o.AddMember(f.founder, t0, f.team, f.founder) },
	} {
		_, err := act()
		require.NoError(t, err)
	}
	f.o = o
	return f
}

func TestADissolvedCirclesAgreementsLeaveForce(t *testing.T) {
	r, _ := open()
	observe(r, adopted(proc(1), cid(2), day(1), "Rota", "v1"), adopted(proc(2), cid(2), day(2), "Budget", "b1"),
		adopted(proc(3), cid(3), day(3), "Other", "o1"))
	dissolve := circle.CircleDissolved{Header: circle.Header{Org: orgID, Actor: pid(1), At: day(10)}, Circle: cid(2)}
	evs := observe(r, dissolve)
	require.Len(t, evs, 1)
	assert.Empty(t, r.InForceIn(cid(2), day(11)))
	assert.Len(t, r.InForceIn(cid(2), day(9)), 2, "in force until the circle was dissolved")
	assert.Len(t, r.InForce(day(11)), 1, "other circles keep theirs")
	a, _ := r.Agreement(agreement.IDFor(orgID, proc(1)))
	assert.Equal(t, agreement.StateRetired, a.State)
	assert.True(t, a.RetiredBy.IsZero(), "retired with its circle, by no decision")
	assert.Empty(t, observe(r, dissolve), "observed twice: once")
	assert.True(t, agreement.Observes(dissolve))
}
