package linking_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/linking"
)

// want is the part of a violation a table test checks.
type want struct {
	Code   linking.Code
	Circle circle.CircleID
	Role   circle.Role
	Person circle.PersonID
}

func got(r *linking.Report) []want {
	out := []want{}
	for _, v := range r.Violations {
		out = append(out, want{v.Code, v.Circle, v.Role, v.Person})
	}
	return out
}

func TestCheckReportsNothingForAWellLinkedOrganisation(t *testing.T) {
	r, err := linking.Check(riverside(), nil, now)
	require.NoError(t, err)
	assert.True(t, r.OK(), "%s", r)
	assert.Equal(t, 4, r.Circles)
	assert.NotNil(t, r.Violations, "an empty report marshals as [], not null")
}

// Each case checks one rule; the quote is the rule and its source.
func TestCheckReportsEachViolationCode(t *testing.T) {
	const (
		doubleLinking = `"Each circle below the top is linked to its parent by at least two distinct people: its leader and its delegate. Both are full members of both circles, with consent rights in both." (docs/method.md, "Double-linking")`
		roles         = `"Every role is filled for a term; a term end is a review date." (docs/method.md, "Roles")`
		helping       = `"helping circles (temporary, for one task, usually with an end date, formed by a parent)" (docs/method.md, "Circle kinds")`
		helpingExempt = `"Helping circles may be exempt (a policy choice: at least one link)." (docs/method.md, "Double-linking")`
		coProduction  = `"Co-production means people receiving support sit in the circles that decide about their support." (docs/method.md, "Stakeholder class")`
	)
	coverage := &linking.Policy{Coverage: []linking.CoverageRule{linking.CoProduction()}}
	tests := []struct {
		name   string
		rule   string
		policy *linking.Policy
		at     time.Time
		change func(org *circle.Organisation)
		want   []want
	}{
		{
			name: "a circle without a leader has no leader, reported once",
			rule: doubleLinking,
			change: func(org *circle.Organisation) {
				must(org.EndRole(ada, now, team, circle.Leader))
			},
			want: []want{{linking.CodeNoLeader, team, circle.Leader, circle.PersonID{}}},
		},
		{
			name: "a circle without a delegate has no delegate, reported once",
			rule: doubleLinking,
			change: func(org *circle.Organisation) {
				must(org.EndRole(ada, now, team, circle.Delegate))
			},
			want: []want{{linking.CodeNoDelegate, team, circle.Delegate, circle.PersonID{}}},
		},
		{
			name: "a delegate who leaves the parent circle is not a member of the parent",
			rule: doubleLinking,
			change: func(org *circle.Organisation) {
				must(org.RemoveMember(ada, now, ops, dan))
			},
			want: []want{{linking.CodeNotMemberOfParent, team, circle.Delegate, dan}},
		},
		{
			name: "a leader who leaves the parent circle is not a member of the parent",
			rule: doubleLinking,
			change: func(org *circle.Organisation) {
				must(org.RemoveMember(ada, now, ops, fay))
			},
			want: []want{{linking.CodeNotMemberOfParent, team, circle.Leader, fay}},
		},
		{
			name: "a leader whose term has ended no longer counts",
			rule: roles,
			at:   t0.AddDate(1, 0, 0), // every term of the fixture ends here
			want: []want{
				{linking.CodeLinkTermEnded, ops, circle.Leader, ben}, {linking.CodeLinkTermEnded, ops, circle.Delegate, cat},
				{linking.CodeLinkTermEnded, team, circle.Leader, fay}, {linking.CodeLinkTermEnded, team, circle.Delegate, dan},
				{linking.CodeLinkTermEnded, rota, circle.Leader, ben}, {linking.CodeHelpingCircleEnded, rota, circle.Role{}, circle.PersonID{}},
			},
		},
		{
			name: "a term that ends one microsecond after now still counts (terms are half-open)",
			rule: roles,
			at:   t0.AddDate(1, 0, 0).Add(-time.Microsecond),
			want: []want{{linking.CodeHelpingCircleEnded, rota, circle.Role{}, circle.PersonID{}}},
		},
		{
			name: "a helping circle past its end date is reported",
			rule: helping,
			at:   t0.AddDate(0, 3, 0),
			want: []want{{linking.CodeHelpingCircleEnded, rota, circle.Role{}, circle.PersonID{}}},
		},
		{
			name: "a helping circle needs a leader but no delegate by default",
			rule: helpingExempt,
			change: func(org *circle.Organisation) {
				must(org.EndRole(ada, now, rota, circle.Leader))
			},
			want: []want{{linking.CodeNoLeader, rota, circle.Leader, circle.PersonID{}}},
		},
		{
			name:   "a kind the policy exempts is not reported",
			rule:   helpingExempt,
			policy: &linking.Policy{Kinds: map[circle.Kind]linking.LinkRule{circle.KindHelping: {}}},
			change: func(org *circle.Organisation) {
				must(org.EndRole(ada, now, rota, circle.Leader))
			},
			want: []want{},
		},
		{
			name:   "a care team without a supported person or their advocate misses a stakeholder",
			rule:   coProduction,
			policy: coverage,
			change: func(org *circle.Organisation) {
				must(org.AddMember(ada, now, ops, gus))
				must(org.AssignRole(ada, now, team, circle.Delegate, gus, year()))
				must(org.RemoveMember(ada, now, team, dan))
				must(org.RemoveMember(ada, now, team, eve))
			},
			want: []want{{linking.CodeMissingStakeholder, team, circle.Role{}, circle.PersonID{}}},
		},
		{
			name:   "an advocate acting for a supported person covers a care team when the rule counts advocates",
			rule:   coProduction,
			policy: coverage,
			change: func(org *circle.Organisation) {
				must(org.AddMember(ada, now, ops, gus))
				must(org.AssignRole(ada, now, team, circle.Delegate, gus, year()))
				must(org.RemoveMember(ada, now, team, dan))
			},
			want: []want{},
		},
		{
			name: "an advocate does not cover a care team when the rule does not count advocates",
			rule: coProduction,
			policy: &linking.Policy{Coverage: []linking.CoverageRule{{
				Name: "supported-person-present", Kinds: []circle.Kind{circle.KindTeam}, Classes: []circle.StakeholderClass{circle.SupportedPerson},
			}}},
			change: func(org *circle.Organisation) {
				must(org.AddMember(ada, now, ops, gus))
				must(org.AssignRole(ada, now, team, circle.Delegate, gus, year()))
				must(org.RemoveMember(ada, now, team, dan))
			},
			want: []want{{linking.CodeMissingStakeholder, team, circle.Role{}, circle.PersonID{}}},
		},
		{
			name:   "a circle's own rule overrides its kind's rule",
			rule:   helpingExempt,
			policy: &linking.Policy{Circles: map[circle.CircleID]linking.LinkRule{team: linking.LeaderOnly()}},
			change: func(org *circle.Organisation) {
				must(org.EndRole(ada, now, team, circle.Delegate))
				must(org.EndRole(ada, now, ops, circle.Delegate))
			},
			want: []want{{linking.CodeNoDelegate, ops, circle.Delegate, circle.PersonID{}}},
		},
		{
			name:   "the top circle needs no links",
			rule:   doubleLinking,
			policy: &linking.Policy{Kinds: map[circle.Kind]linking.LinkRule{circle.KindMission: linking.DoubleLinked()}},
			want:   []want{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Log(tt.rule)
			org := riverside()
			if tt.change != nil {
				tt.change(org)
			}
			at := tt.at
			if at.IsZero() {
				at = now
			}
			r, err := linking.Check(org, tt.policy, at)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got(r), "%s", r)
			for _, v := range r.Violations {
				assert.NotEmpty(t, v.Message)
			}
		})
	}
}

func TestViolationMessagesNameTheCircleThePersonAndTheFix(t *testing.T) {
	org := riverside()
	must(org.RemoveMember(ada, now, ops, dan))
	r, err := linking.Check(org, nil, now)
	require.NoError(t, err)
	require.Len(t, r.Violations, 1, "one fault, reported once, with its cause")
	v := r.Violations[0]
	assert.Equal(t, `Dan, delegate of circle "Care team North", is not a member of the parent circle "Operations". Add Dan to "Operations" so the link works, or choose another delegate.`, v.Message)
	assert.Equal(t, ops, v.Parent)
	assert.Equal(t, "Care team North", v.CircleName)
}

func TestTermEndDatesAreShownInTheOrganisationsZone(t *testing.T) {
	org := riverside()
	// 23:30 UTC on 30 June is 00:30 on 1 July in London (summer time).
	end := time.Date(2026, 6, 30, 23, 30, 0, 0, time.UTC)
	must(org.AssignRole(ada, now, team, circle.Leader, fay, circle.Term{Start: t0, End: end}))
	r, err := linking.Check(org, nil, end)
	require.NoError(t, err)
	require.Equal(t, linking.CodeLinkTermEnded, r.Violations[0].Code)
	assert.Contains(t, r.Violations[0].Message, "ended on 1 July 2026")
}

func TestCheckRefusesANilOrganisationAndABadPolicy(t *testing.T) {
	_, err := linking.Check(nil, nil, now)
	assert.ErrorIs(t, err, linking.ErrNoOrganisation)
	bad := []*linking.Policy{
		{Default: &linking.LinkRule{MinLinks: 3}},
		{Kinds: map[circle.Kind]linking.LinkRule{circle.KindTeam: {MinLinks: -1}}},
		{Kinds: map[circle.Kind]linking.LinkRule{circle.Kind(99): {}}},
		{Circles: map[circle.CircleID]linking.LinkRule{{}: {}}},
		{Circles: map[circle.CircleID]linking.LinkRule{team: {MinLinks: 5}}},
		{Coverage: []linking.CoverageRule{{Name: "Bad Name", Kinds: []circle.Kind{circle.KindTeam}, Classes: []circle.StakeholderClass{circle.Worker}}}},
		{Coverage: []linking.CoverageRule{{Name: "x", Classes: []circle.StakeholderClass{circle.Worker}}}},
		{Coverage: []linking.CoverageRule{{Name: "x", Kinds: []circle.Kind{circle.KindTeam}}}},
		{Coverage: []linking.CoverageRule{{Name: "x", Kinds: []circle.Kind{circle.KindTeam}, Classes: []circle.StakeholderClass{"Not A Class"}}}},
		{Coverage: []linking.CoverageRule{linking.CoProduction(), linking.CoProduction()}},
	}
	for i, p := range bad {
		_, err := linking.Check(riverside(), p, now)
		assert.ErrorIs(t, err, linking.ErrInvalidPolicy, "policy %d", i)
		var e *linking.Error
		assert.True(t, errors.As(err, &e), "policy %d: typed error", i)
	}
}

func TestPolicyRuleFallsBackToDefaultThenToSoFA(t *testing.T) {
	var nilPolicy *linking.Policy
	assert.Equal(t, linking.DoubleLinked(), nilPolicy.Rule(circle.KindTeam))
	assert.Equal(t, linking.LeaderOnly(), nilPolicy.Rule(circle.KindHelping))
	one := linking.LinkRule{RequireLeader: true, MinLinks: 1}
	p := &linking.Policy{Default: &one, Kinds: map[circle.Kind]linking.LinkRule{circle.KindTeam: linking.DoubleLinked()}}
	assert.Equal(t, linking.DoubleLinked(), p.Rule(circle.KindTeam))
	assert.Equal(t, one, p.Rule(circle.KindDepartment))
	assert.Equal(t, one, p.Rule(circle.KindHelping))
	p.Circles = map[circle.CircleID]linking.LinkRule{team: {}}
	assert.Equal(t, linking.LinkRule{}, p.CircleRule(team, circle.KindTeam))
	assert.Equal(t, linking.DoubleLinked(), p.CircleRule(ops, circle.KindTeam))
	assert.Equal(t, linking.DoubleLinked(), nilPolicy.CircleRule(team, circle.KindTeam))
}

func TestReportRoundTripsThroughJSONWithStableFieldNames(t *testing.T) {
	org := riverside()
	must(org.EndRole(ada, now, team, circle.Delegate))
	r, err := linking.Check(org, nil, now)
	require.NoError(t, err)
	data, err := json.Marshal(r)
	require.NoError(t, err)
	var back linking.Report
	require.NoError(t, json.Unmarshal(data, &back))
	assert.Equal(t, *r, back)
	var raw map[string]any
	require.NoError(t, json.Unmarshal(data, &raw))
	for _, k := range []string{"org", "orgName", "at", "circles", "violations"} {
		assert.Contains(t, raw, k)
	}
	first := raw["violations"].([]any)[0].(map[string]any)
	assert.Equal(t, "no-delegate", first["code"])
	assert.Equal(t, "delegate", first["role"])
	assert.NotContains(t, first, "person", "zero fields are left out")
	assert.NotContains(t, first, "date")
}

func TestReportPrintsAsTextGroupedByCircle(t *testing.T) {
	org := riverside()
	must(org.EndRole(ada, now, team, circle.Delegate))
	r, err := linking.Check(org, nil, t0.AddDate(0, 3, 0))
	require.NoError(t, err)
	assert.Equal(t, `Linking report for "Riverside Care Co-operative" at 2026-04-05 09:30 UTC: 4 circles checked, 2 problems.

Care team North:
  - Circle "Care team North" has no delegate. The circle chooses a delegate from its members and "Operations" confirms them; the delegate is a member of both circles. [no-delegate]

Rota review:
  - Helping circle "Rota review" was due to end on 5 April 2026. Dissolve it, or agree a new end date if its task continues. [helping-circle-ended]
`, r.String())
}

func TestDiffReportsWhatAChangeIntroducesAndResolves(t *testing.T) {
	org := riverside()
	before, err := linking.Check(org, nil, now)
	require.NoError(t, err)
	must(org.EndRole(ada, now, team, circle.Delegate))
	after, err := linking.Check(org, nil, now)
	require.NoError(t, err)

	ch := linking.Diff(before, after)
	assert.Equal(t, []want{{linking.CodeNoDelegate, team, circle.Delegate, circle.PersonID{}}},
		got(&linking.Report{Violations: ch.Introduced}))
	assert.Empty(t, ch.Resolved)

	back := linking.Diff(after, before)
	assert.Equal(t, ch.Introduced, back.Resolved)
	assert.Empty(t, back.Introduced)
	assert.True(t, linking.Diff(after, after).Empty())
	assert.Equal(t, after.Violations, linking.Diff(nil, after).Introduced)
}

func TestDiffKeepsAProblemWhoseDetailsChange(t *testing.T) {
	org := riverside()
	must(org.EndRole(ada, now, team, circle.Delegate))
	before, _ := linking.Check(org, nil, now)
	must(org.EndRole(ada, now, team, circle.Leader))
	after, _ := linking.Check(org, nil, now)
	ch := linking.Diff(before, after)
	assert.Equal(t, []want{{linking.CodeNoLeader, team, circle.Leader, circle.PersonID{}}}, got(&linking.Report{Violations: ch.Introduced}),
		"each vacant role is its own problem, reported once")
	assert.Empty(t, ch.Resolved)
}

func TestPreviewWarnsBeforeTheOnlyDelegateIsRemoved(t *testing.T) {
	org := riverside()
	ch, after, err := linking.Preview(org, nil, now, func(o *circle.Organisation) error {
		_, err := o.RemoveMember(ada, now, team, dan)
		return err
	})
	require.NoError(t, err)
	assert.Equal(t, []want{{linking.CodeNoDelegate, team, circle.Delegate, circle.PersonID{}}},
		got(&linking.Report{Violations: ch.Introduced}))
	assert.Len(t, after.Violations, 1)
	c, _ := org.Circle(team)
	assert.True(t, c.IsMember(dan), "the organisation itself is untouched")

	_, _, err = linking.Preview(org, nil, now, func(o *circle.Organisation) error {
		_, err := o.RemoveMember(ada, now, team, ada)
		return err
	})
	assert.ErrorIs(t, err, circle.ErrNotMember, "a refused act comes back unchanged")
}

func TestCodesMarshalAsTextAndRefuseUnknownText(t *testing.T) {
	for _, c := range linking.Codes() {
		b, err := c.MarshalText()
		require.NoError(t, err)
		var back linking.Code
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, c, back)
	}
	_, err := linking.Code(0).MarshalText()
	assert.ErrorIs(t, err, linking.ErrInvalidCode)
	var c linking.Code
	assert.ErrorIs(t, c.UnmarshalText([]byte("No-Leader")), linking.ErrInvalidCode)
	assert.Equal(t, "Code(0)", linking.Code(0).String())
}
