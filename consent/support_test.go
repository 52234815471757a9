package consent_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/consent"
)

// The cast of the support tests, beside the process's: p(5) is a supported
// person, p(6) their advocate (not a member of the circle), p(4) holds a
// proxy for p(3).
var (
	supported   = member5
	advocate    = circletest.Person(6)
	proxyHolder = member4
	advocacy    = circle.MandateID(circletest.UUID(0xad, 1))
	proxying    = circle.MandateID(circletest.UUID(0xad, 2))
)

// supportOrg is the organisation of the tests' circle: p(1)..p(5) members
// of circle 1, p(5) a supported person who named p(6) as advocate for
// every decision of the circle, p(3) who appointed p(4) as proxy until
// well after t0.
func supportOrg(t require.TestingT) *circle.Organisation {
	org, _, err := circle.Found(circletest.Founding(1))
	require.NoError(t, err)
	at := circletest.T0
	tick := func() time.Time { at = at.Add(time.Minute); return at }
	for n := 2; n <= 6; n++ {
		class := circle.Worker
		switch n {
		case 5:
			class = circle.SupportedPerson
		case 6:
			class = circle.Advocate
		}
		spec := circle.PersonSpec{ID: circletest.Person(n), Label: "P" + string(rune('0'+n)), Class: class}
		if n == 6 {
			spec.ActsFor = []circle.PersonID{supported}
		}
		_, err = org.AddPerson(proposer, tick(), spec)
		require.NoError(t, err)
		if n <= 5 {
			_, err = org.AddMember(proposer, tick(), circleID, circletest.Person(n))
			require.NoError(t, err)
		}
	}
	_, err = org.NameAdvocate(supported, tick(), circle.Mandate{ID: advocacy, Principal: supported, Holder: advocate,
		Circles: []circle.CircleID{circleID}})
	require.NoError(t, err)
	_, err = org.AppointProxy(objector, tick(), circle.Mandate{ID: proxying, Principal: objector, Holder: proxyHolder,
		Until: t0.AddDate(0, 1, 0)})
	require.NoError(t, err)
	return org
}

// supportRound is a process in its consent round under pol, with the
// organisation that holds the mandates.
func supportRound(t require.TestingT, pol consent.Policy) (*fixture, *circle.Organisation) {
	f := start(t, pol)
	f.must(f.p.Present(facil, f.tick(), members))
	f.must(f.p.SkipReactions(facil, f.tick()))
	f.must(f.p.OpenConsentRound(facil, f.tick(), members, f.now.Add(48*time.Hour)))
	return f, supportOrg(t)
}

func proxyPolicy(n int) consent.Policy {
	pol := consent.DefaultPolicy()
	pol.Proxies = n
	return pol
}

// supportLog is an adopted decision with an advocate's answer replaced by
// the person's own, a proxy's answer and an assisted entry: every support
// the record shows.
func supportLog(t require.TestingT) []consent.Event {
	f, org := supportRound(t, proxyPolicy(1))
	f.must(f.p.AnswerFor(advocate, f.tick(), org, supported, consent.AnswerObject, "Mornings are when I rest."))
	f.must(f.p.Consent(supported, f.tick()))
	f.must(f.p.AnswerFor(proxyHolder, f.tick(), org, objector, consent.AnswerConsent, ""))
	f.must(f.p.EnterAnswer(facil, f.tick(), member4, consent.EntryPhone, consent.AnswerConsent, ""))
	f.must(f.p.Consent(proposer, f.tick()))
	f.must(f.p.Consent(facil, f.tick()))
	f.must(f.p.Adopt(facil, f.tick()))
	return f.events
}

func TestAnAdvocateAnswersForTheSupportedPerson(t *testing.T) {
	f, org := supportRound(t, consent.DefaultPolicy())
	f.must(f.p.AnswerFor(advocate, f.tick(), org, supported, consent.AnswerConsent, ""))
	a, ok := f.p.Round().Answer(supported)
	require.True(t, ok)
	assert.Equal(t, consent.Support{By: advocate, How: consent.SupportAdvocate, Mandate: advocacy}, a.Support)
	assert.Equal(t, consent.AnswerConsent, a.Kind)
	e := f.events[len(f.events)-1].(consent.Answered)
	assert.Equal(t, advocate, e.Actor, "the header names who gave the answer")
	assert.Equal(t, supported, e.Person, "the answer is the supported person's")
	for _, who := range people(1, 2, 3, 4) {
		f.must(f.p.Consent(who, f.tick()))
	}
	f.must(f.p.Adopt(facil, f.tick()))
	d, _ := f.p.Decision()
	assert.Contains(t, d.Consented, supported)
	s, ok := d.SupportOf(supported)
	assert.True(t, ok)
	assert.Equal(t, advocate, s.By)
	_, ok = d.SupportOf(proposer)
	assert.False(t, ok, "the proposer answered themselves")
	assert.Equal(t, f.p, mustReplay(t, f.events))
}

// "The person's own answer always stands over the advocate's" (issue 16,
// item 3; docs/method.md, "Taking part").
func TestThePersonsOwnAnswerStandsOverTheAdvocates(t *testing.T) {
	t.Run("own answer replaces the advocate's objection", func(t *testing.T) {
		f, org := supportRound(t, consent.DefaultPolicy())
		f.must(f.p.AnswerFor(advocate, f.tick(), org, supported, consent.AnswerObject, "Too early in the day."))
		require.Equal(t, 1, f.p.OpenObjections())
		assert.Empty(t, f.p.AnswersFor(org, advocate, f.now), "the advocate has answered")
		assert.Contains(t, f.p.Allowed(supported, f.now), consent.ActConsent, "the person may still answer")
		f.must(f.p.Consent(supported, f.tick()))
		assert.Equal(t, 0, f.p.OpenObjections(), "the advocate's objection is set aside")
		a, _ := f.p.Round().Answer(supported)
		assert.True(t, a.Support.IsZero())
		require.Len(t, f.p.Round().Superseded(), 1)
		assert.Equal(t, consent.ObjectionSetAside, f.p.Objections()[0].Status)
		assert.Equal(t, advocate, f.p.Objections()[0].Support.By, "the record says who raised it")
		assert.Equal(t, f.p, mustReplay(t, f.events))
	})
	t.Run("the advocate cannot replace the person's own answer", func(t *testing.T) {
		f, org := supportRound(t, consent.DefaultPolicy())
		f.must(f.p.Object(supported, f.tick(), "I need the evening."))
		_, err := f.p.AnswerFor(advocate, f.tick(), org, supported, consent.AnswerConsent, "")
		assert.ErrorIs(t, err, consent.ErrAlreadyAnswered)
	})
	t.Run("an assisted entry is the person's own and stands too", func(t *testing.T) {
		f, org := supportRound(t, consent.DefaultPolicy())
		f.must(f.p.AnswerFor(advocate, f.tick(), org, supported, consent.AnswerConsent, ""))
		f.must(f.p.EnterAnswer(facil, f.tick(), supported, consent.EntryPaper, consent.AnswerObject, "Not on Sundays."))
		a, _ := f.p.Round().Answer(supported)
		assert.Equal(t, consent.Support{By: facil, How: consent.SupportAssisted, Mode: consent.EntryPaper}, a.Support)
		_, err := f.p.AnswerFor(advocate, f.tick(), org, supported, consent.AnswerConsent, "")
		assert.ErrorIs(t, err, consent.ErrAlreadyAnswered)
	})
}

func TestAnswersForSomeoneAreRefusedOutsideTheirMandate(t *testing.T) {
	other := circletest.Circle(9)
	tests := []struct {
		name  string
		setup func(t *testing.T, org *circle.Organisation, at time.Time)
		pol   consent.Policy
		by    consent.PersonID
		who   consent.PersonID
		want  error
	}{
		{name: "someone with no mandate", by: member4, who: supported, want: consent.ErrNoMandate},
		{name: "an advocate for someone else", by: advocate, who: objector, want: consent.ErrNoMandate},
		{name: "a revoked mandate", by: advocate, who: supported, want: consent.ErrNoMandate,
			setup: func(t *testing.T, org *circle.Organisation, at time.Time) {
				_, err := org.RevokeMandate(supported, at, advocacy, "I will answer myself")
				require.NoError(t, err)
			}},
		{name: "a mandate for another circle", by: member4, who: supported, want: consent.ErrNoMandate,
			setup: func(t *testing.T, org *circle.Organisation, at time.Time) {
				_, err := org.AddCircle(proposer, at, circle.CircleSpec{ID: other, Parent: circleID, Name: "Other", Kind: circle.KindDepartment, Aim: "Other work"})
				require.NoError(t, err)
				_, err = org.NameAdvocate(supported, at, circle.Mandate{ID: circle.MandateID(circletest.UUID(0xad, 9)),
					Principal: supported, Holder: member4, Circles: []circle.CircleID{other}})
				require.NoError(t, err)
			}},
		{name: "a mandate for other kinds of decision", by: member4, who: supported, want: consent.ErrNoMandate,
			setup: func(t *testing.T, org *circle.Organisation, at time.Time) {
				_, err := org.NameAdvocate(supported, at, circle.Mandate{ID: circle.MandateID(circletest.UUID(0xad, 9)),
					Principal: supported, Holder: member4, Decisions: []circle.DecisionKind{"care-plan"}})
				require.NoError(t, err)
			}},
		{name: "a mandate for another process", by: member4, who: supported, want: consent.ErrNoMandate,
			setup: func(t *testing.T, org *circle.Organisation, at time.Time) {
				_, err := org.NameAdvocate(supported, at, circle.Mandate{ID: circle.MandateID(circletest.UUID(0xad, 9)),
					Principal: supported, Holder: member4, Process: uuid.UUID(circletest.UUID(0xb0, 7))})
				require.NoError(t, err)
			}},
		{name: "a proxy where the policy takes none", by: proxyHolder, who: objector, want: consent.ErrNotAllowedByPolicy},
		{name: "a proxy beyond the policy's limit", by: proxyHolder, who: objector, pol: proxyPolicy(1), want: consent.ErrProxyLimit,
			setup: func(t *testing.T, org *circle.Organisation, at time.Time) {
				_, err := org.AppointProxy(proposer, at, circle.Mandate{ID: circle.MandateID(circletest.UUID(0xad, 9)),
					Principal: proposer, Holder: proxyHolder, Until: at.AddDate(0, 2, 0)})
				require.NoError(t, err)
			}},
		{name: "an outsider's principal", by: advocate, who: outsider, want: consent.ErrNotParticipant},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pol := tc.pol
			if pol == (consent.Policy{}) {
				pol = consent.DefaultPolicy()
			}
			f, org := supportRound(t, pol)
			if tc.setup != nil {
				tc.setup(t, org, f.tick())
			}
			if tc.want == consent.ErrProxyLimit {
				f.must(f.p.AnswerFor(proxyHolder, f.tick(), org, proposer, consent.AnswerConsent, ""))
			}
			before := f.p.Clone()
			_, err := f.p.AnswerFor(tc.by, f.tick(), org, tc.who, consent.AnswerConsent, "")
			assert.ErrorIs(t, err, tc.want)
			assert.Equal(t, before, f.p, "a refused act changes nothing")
		})
	}
}

func TestOnlyTheFacilitatorEntersAnAnswerForSomeone(t *testing.T) {
	f, _ := supportRound(t, consent.DefaultPolicy())
	_, err := f.p.EnterAnswer(proposer, f.tick(), supported, consent.EntryInPerson, consent.AnswerConsent, "")
	assert.ErrorIs(t, err, consent.ErrNotFacilitator)
	_, err = f.p.EnterAnswer(facil, f.tick(), supported, 0, consent.AnswerConsent, "")
	assert.ErrorIs(t, err, consent.ErrInvalidEvent, "the entry mode is required")
	f.must(f.p.EnterAnswer(facil, f.tick(), supported, consent.EntryInPerson, consent.AnswerConsent, ""))
}

func TestCheckSupportRefusesAnAnswerWithoutItsMandate(t *testing.T) {
	f, org := supportRound(t, consent.DefaultPolicy())
	evs, err := f.p.AnswerFor(advocate, f.tick(), org, supported, consent.AnswerConsent, "")
	require.NoError(t, err)
	assert.NoError(t, consent.CheckSupport(org, f.p, evs))
	// The organisation the store holds, where the mandate was revoked.
	held := supportOrg(t)
	_, err = held.RevokeMandate(supported, t0, advocacy, "")
	require.NoError(t, err)
	assert.ErrorIs(t, consent.CheckSupport(held, f.p, evs), consent.ErrNoMandate)
}

func TestDecisionRecordShowsTheSupportGiven(t *testing.T) {
	log := supportLog(t)
	p := mustReplay(t, log)
	d, ok := p.Decision()
	require.True(t, ok)
	require.Len(t, d.Support, 2)
	assert.Equal(t, consent.SupportProxy, d.Support[0].Support.How, "p(3)'s answer, by proxy")
	assert.Equal(t, consent.SupportAssisted, d.Support[1].Support.How, "p(4)'s answer, entered by phone")
	assert.Equal(t, consent.EntryPhone, d.Support[1].Support.Mode)
	require.Len(t, d.Superseded, 1)
	assert.Equal(t, advocate, d.Superseded[0].Support.By, "the advocate's answer that p(5)'s own replaced")
	assert.Equal(t, log, roundtrip(t, log))
}

func mustReplay(t require.TestingT, events []consent.Event) *consent.Process {
	p, err := consent.Replay(roundtrip(t, events))
	require.NoError(t, err)
	return p
}

func TestDecisionAnswersSayWhoGaveEachAndHow(t *testing.T) {
	d, ok := mustReplay(t, supportLog(t)).Decision()
	require.True(t, ok)
	got := d.Answers()
	require.Len(t, got, 5, "every participant of the deciding round")
	by := map[consent.PersonID]consent.AnswerRecord{}
	for _, a := range got {
		by[a.Person] = a
	}
	assert.Equal(t, proposer, by[proposer].By, "in person")
	assert.True(t, by[proposer].Support.IsZero())
	assert.Equal(t, proxyHolder, by[objector].By, "by proxy")
	assert.Equal(t, consent.SupportProxy, by[objector].Support.How)
	assert.Equal(t, facil, by[member4].By, "entered by the facilitator")
	assert.Equal(t, consent.SupportAssisted, by[member4].Support.How)
	assert.Equal(t, supported, by[supported].By, "the person's own answer, after the advocate's")
	assert.Equal(t, consent.AnswerConsent, by[supported].Kind)
}
