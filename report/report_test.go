package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/internal/strictjson"
	"github.com/coproduce/sociocracy/report"
	"github.com/coproduce/sociocracy/review"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/memstore"
	"github.com/coproduce/sociocracy/store/storetest"
)

var (
	t0      = circletest.T0
	founder = circletest.Person(1)
	ruth    = circletest.Person(2) // receives support
	sam     = circletest.Person(3) // a worker
	top     = circletest.Circle(1)
	team    = circletest.Circle(2)
)

func hours(n int) time.Time { return t0.Add(time.Duration(n) * time.Hour) }
func days(n int) time.Time  { return t0.AddDate(0, 0, n) }

type fixture struct {
	s   *store.Store
	org circle.OrgID
	// processes: A's review is held on time, B's is overdue and heard
	// nobody who receives support, C's review is held late.
	a, b, c consent.ProcessID
	aFirst  uint64 // the entry that started A
}

// newFixture founds an organisation with a care team of three (Ruth
// receives support) and three decisions of the team.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	s := store.New(memstore.New(), nil)
	f := circletest.Founding(1)
	_, err := s.Found(ctx, f, nil)
	require.NoError(t, err)
	fx := &fixture{s: s, org: f.Org, a: consent.ProcessID(uuid.New()), b: consent.ProcessID(uuid.New()), c: consent.ProcessID(uuid.New())}
	_, err = s.ActOrg(ctx, f.Org, func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
		var c store.Collector[circle.Event]
		c.Add(o.AddCircle(founder, at, circle.CircleSpec{ID: team, Parent: top, Name: "Care team East", Kind: circle.KindTeam}))
		c.Add(o.AddPerson(founder, at, circle.PersonSpec{ID: ruth, Label: "Ruth", Class: circle.SupportedPerson}))
		c.Add(o.AddPerson(founder, at, circle.PersonSpec{ID: sam, Label: "Sam", Class: circle.Worker}))
		for _, p := range []circle.PersonID{founder, ruth, sam} {
			c.Add(o.AddMember(founder, at, team, p))
		}
		return c.Result()
	}, &store.WriteOptions{At: hours(1)})
	require.NoError(t, err)
	everyone := []circle.PersonID{founder, ruth, sam}
	silent := consent.DefaultPolicy()
	silent.Absence = consent.AbsenceSilenceIsConsent
	for i, p := range []struct {
		id       consent.ProcessID
		title    string
		review   time.Time
		policy   *consent.Policy
		answer   []circle.PersonID
		deadline time.Time
	}{
		{fx.a, "Keys kept in the key safe", days(30), nil, everyone, time.Time{}},
		{fx.b, "Rota published on Fridays", days(40), &silent, []circle.PersonID{founder, sam}, hours(205)},
		{fx.c, "Medication checks twice a day", days(20), nil, everyone, time.Time{}},
	} {
		base := 100 * (i + 1)
		r, err := s.StartProcess(ctx, f.Org, consent.ProcessSpec{ID: p.id, Circle: team, Proposer: sam, Facilitator: founder, Policy: p.policy,
			Proposal: consent.Proposal{Title: p.title, Driver: "A need of the team", Text: "Ask Ruth Jones first.", ReviewDate: p.review}},
			&store.WriteOptions{At: hours(base)})
		require.NoError(t, err)
		if p.id == fx.a {
			fx.aFirst = r.First
		}
		step := func(n int, act func(pr *consent.Process, at time.Time) ([]consent.Event, error)) {
			t.Helper()
			_, err := s.ActProcess(ctx, f.Org, p.id, func(pr *consent.Process, _ *circle.Organisation, at time.Time) ([]consent.Event, error) {
				return act(pr, at)
			}, &store.WriteOptions{At: hours(base + n)})
			require.NoError(t, err)
		}
		step(1, func(pr *consent.Process, at time.Time) ([]consent.Event, error) {
			return pr.Present(founder, at, everyone)
		})
		step(2, func(pr *consent.Process, at time.Time) ([]consent.Event, error) { return pr.SkipReactions(founder, at) })
		step(3, func(pr *consent.Process, at time.Time) ([]consent.Event, error) {
			return pr.OpenConsentRound(founder, at, everyone, p.deadline)
		})
		for _, who := range p.answer {
			step(4, func(pr *consent.Process, at time.Time) ([]consent.Event, error) { return pr.Consent(who, at) })
		}
		step(6, func(pr *consent.Process, at time.Time) ([]consent.Event, error) { return pr.Adopt(founder, at) })
	}
	complete := func(id consent.ProcessID, at time.Time) {
		t.Helper()
		item := review.ItemIDFor(f.Org, review.KindPolicyReview, review.DecisionSource(id))
		_, err := s.ActCalendar(ctx, f.Org, func(c *review.Calendar, at time.Time) ([]review.Event, error) {
			return c.Complete(founder, at, item, review.Completion{Outcome: review.OutcomeKept, Next: at.AddDate(1, 0, 0)})
		}, &store.WriteOptions{At: at})
		require.NoError(t, err)
	}
	complete(fx.a, days(20)) // due on day 30: on time
	complete(fx.c, days(25)) // due on day 20: late
	return fx
}

func (fx *fixture) build(t *testing.T, opts report.Options) *report.Report {
	t.Helper()
	r, err := report.Build(context.Background(), fx.s, fx.org, opts)
	require.NoError(t, err)
	return r
}

func byTitle(r *report.Report) map[string]report.Decision {
	out := map[string]report.Decision{}
	for _, d := range r.Decisions {
		out[d.Title] = d
	}
	return out
}

func TestReviewsAreHeldOnTimeLateOrOverdue(t *testing.T) {
	fx := newFixture(t)
	r := fx.build(t, report.Options{From: t0, Until: days(60)})
	d := byTitle(r)
	require.Len(t, d, 3)
	assert.Equal(t, report.ReviewOnTime, d["Keys kept in the key safe"].Review.Status)
	assert.Equal(t, report.ReviewOverdue, d["Rota published on Fridays"].Review.Status)
	assert.Equal(t, report.ReviewLate, d["Medication checks twice a day"].Review.Status)
	assert.NotNil(t, d["Keys kept in the key safe"].Review.Entry, "a held review names its entry")

	// As of day 35 the rota's review (day 40) was not due yet; the
	// report of a period reads the calendar as it stood at its end.
	early := byTitle(fx.build(t, report.Options{From: t0, Until: days(35)}))
	assert.Equal(t, report.ReviewNotDue, early["Rota published on Fridays"].Review.Status)
	// As of day 22, C's review was overdue: not yet held.
	earlier := byTitle(fx.build(t, report.Options{From: t0, Until: days(22)}))
	assert.Equal(t, report.ReviewOverdue, earlier["Medication checks twice a day"].Review.Status)

	var kinds []string
	for _, o := range r.Overdue {
		kinds = append(kinds, o.Kind.String()+" "+o.Title)
		assert.Positive(t, o.DaysLate)
	}
	assert.Contains(t, kinds, "policy-review Policy review: Rota published on Fridays")
}

func TestCoProductionCountsDecisionsThatHeardNoSupportedPerson(t *testing.T) {
	fx := newFixture(t)
	r := fx.build(t, report.Options{From: t0, Until: days(60)})
	require.Len(t, r.CoProduction, 1)
	cov := r.CoProduction[0]
	assert.Equal(t, "Care team East", cov.Circle.Name)
	require.Len(t, cov.Members, 1)
	assert.Equal(t, "Ruth", cov.Members[0].Label)
	assert.Equal(t, 1, cov.NotHeard, "Ruth was silent on the rota, where silence counts as consent")
	d := byTitle(r)["Rota published on Fridays"]
	assert.Equal(t, consent.AbsenceSilenceIsConsent, d.Rules.Absence, "the rule applied is on the record")
	require.Len(t, d.Silent, 1)
	assert.Equal(t, circle.SupportedPerson, d.Silent[0].Class)
}

func TestPeriodAndScope(t *testing.T) {
	fx := newFixture(t)
	tests := []struct {
		name      string
		opts      report.Options
		decisions int
	}{
		{"a period holding every adoption lists them all", report.Options{From: t0, Until: days(60)}, 3},
		{"a period ending before the second adoption lists the first", report.Options{From: t0, Until: hours(200)}, 1},
		{"the period is half-open: an adoption at its end is left out", report.Options{From: t0, Until: hours(106)}, 0},
		{"and one at its start is in", report.Options{From: hours(106), Until: hours(107)}, 1},
		{"a circle without decisions has none", report.Options{Circle: top, From: t0, Until: days(60)}, 0},
		{"the team's report has the team's", report.Options{Circle: team, From: t0, Until: days(60)}, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := fx.build(t, tc.opts)
			assert.Len(t, r.Decisions, tc.decisions)
			if !tc.opts.Circle.IsZero() {
				require.NotNil(t, r.Circle)
				for _, m := range r.Membership {
					assert.Equal(t, tc.opts.Circle, m.Circle.ID)
				}
			}
		})
	}
}

func TestBuildRefusesWhatItCannotReport(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	tests := []struct {
		name string
		org  circle.OrgID
		opts report.Options
		want error
	}{
		{"no organisation", circle.OrgID{}, report.Options{From: t0, Until: days(1)}, report.ErrInvalid},
		{"no start", fx.org, report.Options{Until: days(1)}, report.ErrInvalid},
		{"no end", fx.org, report.Options{From: t0}, report.ErrInvalid},
		{"an end before the start", fx.org, report.Options{From: days(2), Until: days(1)}, report.ErrInvalid},
		{"an empty period", fx.org, report.Options{From: days(1), Until: days(1)}, report.ErrInvalid},
		{"a circle that is not there", fx.org, report.Options{Circle: circletest.Circle(99), From: t0, Until: days(1)}, report.ErrNoCircle},
		{"a period before the founding", fx.org, report.Options{From: t0.AddDate(-1, 0, 0), Until: t0.Add(-time.Hour)}, store.ErrNotFound},
		{"an organisation that is not there", circletest.Org(77), report.Options{From: t0, Until: days(1)}, store.ErrNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := report.Build(ctx, fx.s, tc.org, tc.opts)
			assert.ErrorIs(t, err, tc.want)
			assert.Nil(t, r)
			if err != nil {
				assert.True(t, strings.HasPrefix(err.Error(), "report: "), err.Error())
			}
		})
	}
}

func TestErasedTextStaysErasedInTheReport(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	_, err := fx.s.EraseText(ctx, fx.org, fx.aFirst, []string{"proposal.text"}, store.Erasure{Actor: founder, Reason: "erasure request"}, &store.WriteOptions{At: days(50)})
	require.NoError(t, err)
	// A report of a period before the erasure: the text is erased there too.
	r := fx.build(t, report.Options{From: t0, Until: days(40)})
	d := byTitle(r)["Keys kept in the key safe"]
	assert.Equal(t, store.Erased, d.Text)
	b, err := r.JSON()
	require.NoError(t, err)
	var page bytes.Buffer
	require.NoError(t, r.HTML(&page))
	// The other decisions still name her: only the erased entry's copies go.
	assert.Equal(t, 2, strings.Count(string(b), "Ruth Jones"), "only A's text was erased")
	assert.Contains(t, page.String(), "[erased]")
	assert.True(t, r.Log.Verified, "erasure keeps the log valid")
}

// The JSON form decodes strictly into the report's own types and encodes
// back to the same bytes.
func TestJSONRoundTrips(t *testing.T) {
	r := newFixture(t).build(t, report.Options{From: t0, Until: days(60)})
	b, err := r.JSON()
	require.NoError(t, err)
	var back report.Report
	require.NoError(t, strictjson.Unmarshal(b, &back))
	again, err := back.JSON()
	require.NoError(t, err)
	assert.Equal(t, string(b), string(again))
	var generic map[string]any
	require.NoError(t, json.Unmarshal(b, &generic))
	assert.Equal(t, report.Schema, generic["schema"])
}

// A log longer than the pages Build reads it in: every membership change
// of the period is there once, and the period's last entry is named.
func TestALongLogIsReadWhole(t *testing.T) {
	ctx := context.Background()
	s := store.New(memstore.New(), nil)
	org, err := storetest.FillHistory(ctx, s, 30_000)
	require.NoError(t, err)
	from, until := storetest.HistoryStart.AddDate(2, 0, 0), storetest.HistoryStart.AddDate(9, 0, 0)
	r, err := report.Build(ctx, s, org, report.Options{From: from, Until: until})
	require.NoError(t, err)
	es, err := s.Log(ctx, store.LogQuery{Org: org, Until: until})
	require.NoError(t, err)
	require.Greater(t, len(es), 20_000)
	joined := 0
	for _, e := range es {
		if e.Type == (circle.MemberAdded{}).EventType() && !e.At.Before(from) {
			joined++
		}
	}
	assert.Equal(t, joined, len(r.Membership))
	assert.Equal(t, es[len(es)-1].Seq, r.Log.PeriodEnd.Seq)
	assert.Equal(t, es[len(es)-1].Hash, r.Log.PeriodEnd.Hash)
	seen := map[uint64]bool{}
	for _, m := range r.Membership {
		assert.False(t, seen[m.Entry.Seq], "entry %d once", m.Entry.Seq)
		seen[m.Entry.Seq] = true
	}
}

func TestConsentWithdrawnAfterTheDecisionIsReported(t *testing.T) {
	fx := newFixture(t)
	_, err := fx.s.ActProcess(context.Background(), fx.org, fx.b, func(p *consent.Process, _ *circle.Organisation, at time.Time) ([]consent.Event, error) {
		return p.WithdrawConsent(sam, at, "Fridays clash with the new school run")
	}, &store.WriteOptions{At: days(45)})
	require.NoError(t, err)
	before := byTitle(fx.build(t, report.Options{From: t0, Until: days(44)}))["Rota published on Fridays"]
	assert.Empty(t, before.Withdrawals, "not yet withdrawn by the end of that period")
	after := byTitle(fx.build(t, report.Options{From: t0, Until: days(60)}))["Rota published on Fridays"]
	require.Len(t, after.Withdrawals, 1)
	w := after.Withdrawals[0]
	assert.Equal(t, "Sam", w.Person.Label)
	assert.Equal(t, "Fridays clash with the new school run", w.Reason)
	assert.Equal(t, days(45), w.At)
	assert.NotZero(t, w.Entry.Seq)
	// A decision adopted before the period is not the period's, even when
	// consent to it is withdrawn in the period.
	late := fx.build(t, report.Options{From: days(44), Until: days(60)})
	assert.Empty(t, late.Decisions)
}

// An objection deferred to a named person, another tested and found not
// valid under the group-test rule: both are on the record with how.
func TestDeferralsAndValidityTestsAreReported(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	id := consent.ProcessID(uuid.New())
	policy := consent.DefaultPolicy()
	policy.Validity = consent.ValidityGroupTest
	everyone := []circle.PersonID{founder, ruth, sam}
	_, err := fx.s.StartProcess(ctx, fx.org, consent.ProcessSpec{ID: id, Circle: team, Proposer: founder, Facilitator: founder, Policy: &policy,
		Proposal: consent.Proposal{Title: "A second key holder", Driver: "One key holder is too few", Text: "Sam holds a key too."}},
		&store.WriteOptions{At: days(26)})
	require.NoError(t, err)
	for i, act := range []func(p *consent.Process, at time.Time) ([]consent.Event, error){
		func(p *consent.Process, at time.Time) ([]consent.Event, error) {
			return p.Present(founder, at, everyone)
		},
		func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.SkipReactions(founder, at) },
		func(p *consent.Process, at time.Time) ([]consent.Event, error) {
			return p.OpenConsentRound(founder, at, everyone, time.Time{})
		},
		func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.Consent(founder, at) },
		func(p *consent.Process, at time.Time) ([]consent.Event, error) {
			return p.Object(ruth, at, "I have not met Sam's cover worker yet")
		},
		func(p *consent.Process, at time.Time) ([]consent.Event, error) {
			return p.Object(sam, at, "I dislike keys")
		},
		func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.Integrate(founder, at) },
		func(p *consent.Process, at time.Time) ([]consent.Event, error) {
			return p.UnderstandObjection(founder, at, ruth, "Ruth wants to meet whoever may come in")
		},
		func(p *consent.Process, at time.Time) ([]consent.Event, error) {
			return p.UnderstandObjection(founder, at, sam, "Sam does not like keys")
		},
		func(p *consent.Process, at time.Time) ([]consent.Event, error) {
			return p.Defer(founder, at, ruth, founder, days(40), "meet the cover worker first")
		},
		func(p *consent.Process, at time.Time) ([]consent.Event, error) {
			return p.TestObjection(founder, at, sam, false, "it names no harm to the team's aim")
		},
		func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.Adopt(founder, at) },
	} {
		_, err := fx.s.ActProcess(ctx, fx.org, id, func(p *consent.Process, _ *circle.Organisation, at time.Time) ([]consent.Event, error) {
			return act(p, at)
		}, &store.WriteOptions{At: days(26).Add(time.Duration(i+1) * time.Hour)})
		require.NoError(t, err, "step %d", i+1)
	}
	d := byTitle(fx.build(t, report.Options{From: t0, Until: days(60)}))["A second key holder"]
	assert.Equal(t, consent.ValidityGroupTest, d.Rules.Validity)
	require.Len(t, d.Deferrals, 1)
	assert.Equal(t, "Ruth", d.Deferrals[0].Objector.Label)
	assert.Equal(t, "Founder", d.Deferrals[0].Owner.Label)
	assert.Equal(t, days(40), d.Deferrals[0].Until)
	require.Len(t, d.Objections, 2)
	byObjector := map[string]report.Objection{}
	for _, o := range d.Objections {
		byObjector[o.Objector.Label] = o
	}
	assert.Equal(t, "deferral", byObjector["Ruth"].Resolution.String())
	assert.NotNil(t, byObjector["Ruth"].Resolved)
	test := byObjector["Sam"].Test
	require.NotNil(t, test)
	assert.False(t, test.Valid)
	assert.Equal(t, "it names no harm to the team's aim", test.Reasons)
	assert.Equal(t, "not-valid", byObjector["Sam"].Resolution.String())
	require.NotNil(t, byObjector["Sam"].Resolved, "the test's entry resolved it")
	var page bytes.Buffer
	require.NoError(t, fx.build(t, report.Options{From: t0, Until: days(60)}).HTML(&page))
	assert.Contains(t, page.String(), "found not valid, because “it names no harm to the team&#39;s aim”")
	assert.Contains(t, page.String(), "deferred to Founder, to be taken up by")
}

// The report says how each answer was given: by the person, through their
// advocate, or entered for them by the facilitator, with who did it.
func TestAnswersSayWhoGaveThemAndHow(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	pat := circletest.Person(4)
	_, err := fx.s.ActOrg(ctx, fx.org, func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
		var c store.Collector[circle.Event]
		c.Add(o.AddPerson(founder, at, circle.PersonSpec{ID: pat, Label: "Pat", Class: circle.Advocate, ActsFor: []circle.PersonID{ruth}}))
		c.Add(o.NameAdvocate(ruth, at, circle.Mandate{ID: circle.MandateID(uuid.New()), Principal: ruth, Holder: pat}))
		return c.Result()
	}, &store.WriteOptions{At: days(50)})
	require.NoError(t, err)
	d := consent.ProcessID(uuid.New())
	_, err = fx.s.StartProcess(ctx, fx.org, consent.ProcessSpec{ID: d, Circle: team, Proposer: sam, Facilitator: founder,
		Proposal: consent.Proposal{Title: "Visits rearranged by text message", Driver: "Late changes", Text: "Text a day ahead.", ReviewDate: days(200)}},
		&store.WriteOptions{At: days(51)})
	require.NoError(t, err)
	everyone := []circle.PersonID{founder, ruth, sam}
	n := 0
	step := func(act func(pr *consent.Process, o *circle.Organisation, at time.Time) ([]consent.Event, error)) {
		t.Helper()
		n++
		_, err := fx.s.ActProcess(ctx, fx.org, d, act, &store.WriteOptions{At: days(51).Add(time.Duration(n) * time.Minute)})
		require.NoError(t, err)
	}
	step(func(pr *consent.Process, _ *circle.Organisation, at time.Time) ([]consent.Event, error) {
		return pr.Present(founder, at, everyone)
	})
	step(func(pr *consent.Process, _ *circle.Organisation, at time.Time) ([]consent.Event, error) {
		return pr.SkipReactions(founder, at)
	})
	step(func(pr *consent.Process, _ *circle.Organisation, at time.Time) ([]consent.Event, error) {
		return pr.OpenConsentRound(founder, at, everyone, time.Time{})
	})
	step(func(pr *consent.Process, o *circle.Organisation, at time.Time) ([]consent.Event, error) {
		return pr.AnswerFor(pat, at, o, ruth, consent.AnswerConsent, "")
	})
	step(func(pr *consent.Process, _ *circle.Organisation, at time.Time) ([]consent.Event, error) {
		return pr.EnterAnswer(founder, at, sam, consent.EntryPhone, consent.AnswerConsent, "")
	})
	step(func(pr *consent.Process, _ *circle.Organisation, at time.Time) ([]consent.Event, error) {
		return pr.Consent(founder, at)
	})
	step(func(pr *consent.Process, _ *circle.Organisation, at time.Time) ([]consent.Event, error) {
		return pr.Adopt(founder, at)
	})

	r := fx.build(t, report.Options{From: days(50), Until: days(60)})
	dec, ok := byTitle(r)["Visits rearranged by text message"]
	require.True(t, ok)
	how := map[string]report.Answer{}
	for _, a := range dec.Answers {
		how[a.Person.Label] = a
	}
	require.Len(t, how, 3)
	assert.Equal(t, report.HowAdvocate, how["Ruth"].How)
	require.NotNil(t, how["Ruth"].By)
	assert.Equal(t, "Pat", how["Ruth"].By.Label)
	assert.Equal(t, report.HowAssisted, how["Sam"].How)
	assert.Equal(t, "phone", how["Sam"].Mode)
	require.NotNil(t, how["Sam"].By)
	assert.Equal(t, founder, how["Sam"].By.ID)
	assert.Equal(t, report.HowInPerson, how[how["Sam"].By.Label].How)
	assert.Nil(t, how[how["Sam"].By.Label].By, "someone who answered themselves has no helper")

	var page bytes.Buffer
	require.NoError(t, r.HTML(&page))
	assert.Contains(t, page.String(), "through their advocate, Pat")
	assert.Contains(t, page.String(), "by phone, entered by")
}
