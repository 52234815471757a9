package circle_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/coproduce/sociocracy/circle"
	ct "github.com/coproduce/sociocracy/circle/circletest"
)

var (
	advocacyID = circle.MandateID(ct.UUID(0xad, 1))
	proxyID    = circle.MandateID(ct.UUID(0xad, 2))
)

// mandateLog names an advocate, appoints a proxy and revokes the proxy on
// org, whose person 2 is supported and person 3 their advocate; then
// person 1, a member of circle 2, is a learning member for a while.
func mandateLog(t *testing.T, org *circle.Organisation, tick func() time.Time) []circle.Event {
	t.Helper()
	var log []circle.Event
	do := func(evs []circle.Event, err error) {
		t.Helper()
		require.NoError(t, err)
		log = append(log, evs...)
	}
	do(org.NameAdvocate(ct.Person(2), tick(), circle.Mandate{ID: advocacyID, Principal: ct.Person(2), Holder: ct.Person(3),
		Circles: []circle.CircleID{ct.Circle(2)}, Decisions: []circle.DecisionKind{"care-plan", circle.DecisionMembership}}))
	at := tick()
	do(org.AppointProxy(ct.Person(1), at, circle.Mandate{ID: proxyID, Principal: ct.Person(1), Holder: ct.Person(3), Until: at.AddDate(0, 0, 7)}))
	do(org.RevokeMandate(ct.Person(1), tick(), proxyID, "back from leave"))
	do(org.SetParticipation(ct.Person(1), tick(), ct.Circle(2), ct.Person(1), circle.ParticipationLearning))
	do(org.SetParticipation(ct.Person(1), tick(), ct.Circle(2), ct.Person(1), circle.ParticipationFull))
	decision := ct.UUID(0xb0, 1)
	do(org.AdmitByDecision(ct.Person(1), tick(), ct.Circle(2), ct.Person(2), decision))
	do(org.RemoveByDecision(ct.Person(1), tick(), ct.Circle(2), ct.Person(2), decision))
	return log
}

// people2 is an organisation with a supported person (2) and their advocate (3).
func people2(t *testing.T) (*circle.Organisation, func() time.Time) {
	org, _, err := circle.Found(ct.Founding(1))
	require.NoError(t, err)
	at := ct.T0
	tick := func() time.Time { at = at.Add(time.Hour); return at }
	_, err = org.AddPerson(ct.Person(1), tick(), circle.PersonSpec{ID: ct.Person(2), Label: "Bea", Class: circle.SupportedPerson})
	require.NoError(t, err)
	_, err = org.AddPerson(ct.Person(1), tick(), circle.PersonSpec{ID: ct.Person(3), Label: "Cal", Class: circle.Advocate, ActsFor: []circle.PersonID{ct.Person(2)}})
	require.NoError(t, err)
	_, err = org.AddCircle(ct.Person(1), tick(), circle.CircleSpec{ID: ct.Circle(2), Parent: ct.Circle(1), Name: "Care", Kind: circle.KindDepartment, Aim: "Care at home"})
	require.NoError(t, err)
	return org, tick
}

func TestMandatesAreThePrincipalsToGiveAndTakeBack(t *testing.T) {
	org, tick := people2(t)
	m := circle.Mandate{ID: advocacyID, Principal: ct.Person(2), Holder: ct.Person(3)}
	tests := []struct {
		name string
		act  func() ([]circle.Event, error)
		want error
	}{
		{"someone else names the advocate", func() ([]circle.Event, error) { return org.NameAdvocate(ct.Person(3), tick(), m) }, circle.ErrNotPrincipal},
		{"a proxy without an end", func() ([]circle.Event, error) {
			return org.AppointProxy(ct.Person(2), tick(), circle.Mandate{ID: proxyID, Principal: ct.Person(2), Holder: ct.Person(3)})
		}, circle.ErrInvalidMandate},
		{"an advocate for themselves", func() ([]circle.Event, error) {
			return org.NameAdvocate(ct.Person(2), tick(), circle.Mandate{ID: advocacyID, Principal: ct.Person(2), Holder: ct.Person(2)})
		}, circle.ErrInvalidMandate},
		{"an unknown holder", func() ([]circle.Event, error) {
			return org.NameAdvocate(ct.Person(2), tick(), circle.Mandate{ID: advocacyID, Principal: ct.Person(2), Holder: ct.Person(9)})
		}, circle.ErrUnknownPerson},
		{"an unknown circle", func() ([]circle.Event, error) {
			return org.NameAdvocate(ct.Person(2), tick(), circle.Mandate{ID: advocacyID, Principal: ct.Person(2), Holder: ct.Person(3), Circles: []circle.CircleID{ct.Circle(9)}})
		}, circle.ErrUnknownCircle},
		{"a badly spelled kind of decision", func() ([]circle.Event, error) {
			return org.NameAdvocate(ct.Person(2), tick(), circle.Mandate{ID: advocacyID, Principal: ct.Person(2), Holder: ct.Person(3), Decisions: []circle.DecisionKind{"Care Plan"}})
		}, circle.ErrInvalidMandate},
		{"no id", func() ([]circle.Event, error) {
			return org.NameAdvocate(ct.Person(2), tick(), circle.Mandate{Principal: ct.Person(2), Holder: ct.Person(3)})
		}, circle.ErrMissingID},
		{"revoking an unknown mandate", func() ([]circle.Event, error) { return org.RevokeMandate(ct.Person(2), tick(), proxyID, "") }, circle.ErrUnknownMandate},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := org.Clone()
			_, err := tc.act()
			assert.ErrorIs(t, err, tc.want)
			assert.Equal(t, before, org, "a refused act changes nothing")
		})
	}
	_, err := org.NameAdvocate(ct.Person(2), tick(), m)
	require.NoError(t, err)
	_, err = org.RevokeMandate(ct.Person(1), tick(), advocacyID, "")
	assert.ErrorIs(t, err, circle.ErrNotPrincipal, "only the principal or the holder ends it")
	at := tick()
	_, err = org.RevokeMandate(ct.Person(2), at, advocacyID, "I answer myself now")
	require.NoError(t, err)
	got, _ := org.Mandate(advocacyID)
	assert.True(t, got.InForce(at.Add(-time.Minute)))
	assert.False(t, got.InForce(at), "revoked")
	_, err = org.RevokeMandate(ct.Person(3), tick(), advocacyID, "")
	assert.ErrorIs(t, err, circle.ErrUnknownMandate, "already revoked")
	assert.Len(t, org.MandatesOf(ct.Person(2)), 1)
	assert.Len(t, org.MandatesHeldBy(ct.Person(3)), 1)
}

func TestMandateEventsReplay(t *testing.T) {
	logs := goldenLogs(t)
	org, err := circle.Replay(append(logs[0], logs[2]...))
	require.NoError(t, err)
	adv, ok := org.Mandate(advocacyID)
	require.True(t, ok)
	assert.Equal(t, []circle.DecisionKind{"care-plan", circle.DecisionMembership}, adv.Decisions)
	proxy, _ := org.Mandate(proxyID)
	assert.False(t, proxy.Revoked.IsZero(), "the proxy was revoked")
	c := org.Clone()
	assert.Equal(t, org, c)
	_, err = c.RevokeMandate(ct.Person(2), proxy.Revoked.Add(24*time.Hour), advocacyID, "")
	require.NoError(t, err)
	adv, _ = org.Mandate(advocacyID)
	assert.True(t, adv.Revoked.IsZero(), "acts on a clone leave the original")
	// A grant that does not fit is refused on replay.
	g := logs[2][0].(circle.MandateGranted)
	g.Actor = ct.Person(3)
	_, err = circle.Replay(append(logs[0], g))
	assert.ErrorIs(t, err, circle.ErrInvalidEvent)
}

// Property: a mandate is in force at t exactly when From <= t, t < Until
// (when set) and t < Revoked (when set); and it covers a decision exactly
// when it is in force and the circle, kind and process are within its
// scope.
func TestMandateScopeIsExact(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		hour := func(label string) time.Time {
			return ct.T0.Add(time.Duration(rapid.IntRange(0, 48).Draw(rt, label)) * time.Hour)
		}
		m := circle.Mandate{From: hour("from")}
		if rapid.Bool().Draw(rt, "until?") {
			m.Until = hour("until")
		}
		if rapid.Bool().Draw(rt, "revoked?") {
			m.Revoked = hour("revoked")
		}
		circles := []circle.CircleID{ct.Circle(1), ct.Circle(2), ct.Circle(3)}
		kinds := []circle.DecisionKind{"rota", "care-plan", circle.DecisionMembership}
		m.Circles = rapid.SliceOfDistinct(rapid.SampledFrom(circles), func(c circle.CircleID) circle.CircleID { return c }).Draw(rt, "circles")
		m.Decisions = rapid.SliceOfDistinct(rapid.SampledFrom(kinds), func(k circle.DecisionKind) circle.DecisionKind { return k }).Draw(rt, "kinds")
		at := hour("at")
		c := rapid.SampledFrom(circles).Draw(rt, "circle")
		k := rapid.SampledFrom(kinds).Draw(rt, "kind")
		inForce := !at.Before(m.From) && (m.Until.IsZero() || at.Before(m.Until)) && (m.Revoked.IsZero() || at.Before(m.Revoked))
		assert.Equal(rt, inForce, m.InForce(at))
		inScope := func() bool {
			okC, okK := len(m.Circles) == 0, len(m.Decisions) == 0
			for _, x := range m.Circles {
				okC = okC || x == c
			}
			for _, x := range m.Decisions {
				okK = okK || x == k
			}
			return okC && okK
		}
		assert.Equal(rt, inForce && inScope(), m.Covers(c, k, [16]byte{}, at))
	})
}

func TestLeavingIsTheMembersOwnAct(t *testing.T) {
	org, tick := people2(t)
	_, err := org.AddMember(ct.Person(1), tick(), ct.Circle(2), ct.Person(2))
	require.NoError(t, err)
	_, err = org.Leave(ct.Person(3), tick(), ct.Circle(2))
	assert.ErrorIs(t, err, circle.ErrNotMember, "someone else cannot leave for a member")
	evs, err := org.Leave(ct.Person(2), tick(), ct.Circle(2))
	require.NoError(t, err)
	left := evs[len(evs)-1].(circle.MemberRemoved)
	assert.Equal(t, ct.Person(2), left.Actor)
	c, _ := org.Circle(ct.Circle(2))
	assert.False(t, c.IsMember(ct.Person(2)))
}

func TestParticipationClassesPerCircle(t *testing.T) {
	org, tick := people2(t)
	care := ct.Circle(2)
	_, err := org.AddMember(ct.Person(1), tick(), care, ct.Person(3))
	require.NoError(t, err)
	c, _ := org.Circle(care)
	assert.Equal(t, circle.ParticipationFull, c.Participation(ct.Person(3)), "a member is full unless set otherwise")
	assert.Equal(t, circle.Participation(0), c.Participation(ct.Person(2)), "not a member")
	tests := []struct {
		name  string
		who   circle.PersonID
		class circle.Participation
		want  error
	}{
		{"a person who is not a member", ct.Person(2), circle.ParticipationGuest, circle.ErrNotMember},
		{"the class they already have", ct.Person(3), circle.ParticipationFull, circle.ErrInvalidParticipation},
		{"no class", ct.Person(3), 0, circle.ErrInvalidParticipation},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := org.Clone()
			_, err := org.SetParticipation(ct.Person(1), tick(), care, tc.who, tc.class)
			assert.ErrorIs(t, err, tc.want)
			assert.Equal(t, before, org)
		})
	}
	_, err = org.SetParticipation(ct.Person(1), tick(), care, ct.Person(3), circle.ParticipationGuest)
	require.NoError(t, err)
	c, _ = org.Circle(care)
	assert.Equal(t, circle.ParticipationGuest, c.Participation(ct.Person(3)))
	cl := org.Clone()
	_, err = cl.SetParticipation(ct.Person(1), tick(), care, ct.Person(3), circle.ParticipationLearning)
	require.NoError(t, err)
	assert.Equal(t, circle.ParticipationGuest, c.Participation(ct.Person(3)), "acts on a clone leave the original")
	_, err = org.Leave(ct.Person(3), tick(), care)
	require.NoError(t, err)
	_, err = org.AddMember(ct.Person(1), tick(), care, ct.Person(3))
	require.NoError(t, err)
	assert.Equal(t, circle.ParticipationFull, c.Participation(ct.Person(3)), "rejoining starts as a full member")
}

func TestTheDocumentCarriesMandatesAndClasses(t *testing.T) {
	logs := goldenLogs(t)
	org, err := circle.Replay(append(logs[0], logs[2]...))
	require.NoError(t, err)
	_, err = org.SetParticipation(ct.Person(1), ct.T0.AddDate(0, 1, 0), ct.Circle(2), ct.Person(1), circle.ParticipationGuest)
	require.NoError(t, err)
	doc, err := org.Export()
	require.NoError(t, err)
	back, err := circle.Import(doc)
	require.NoError(t, err)
	again, err := back.Export()
	require.NoError(t, err)
	assert.Equal(t, string(doc), string(again), "export, import, export is stable")
	m, ok := back.Mandate(proxyID)
	require.True(t, ok)
	assert.False(t, m.Revoked.IsZero(), "a revoked mandate stays revoked")
	c, _ := back.Circle(ct.Circle(2))
	assert.Equal(t, circle.ParticipationGuest, c.Participation(ct.Person(1)))
	assert.Len(t, back.MandatesHeldBy(ct.Person(3)), 2)

	for name, edit := range map[string]func(string) string{
		"a full member's class": func(s string) string {
			return strings.Replace(s, `"class": "guest"`, `"class": "full"`, 1)
		},
		"a mandate of an unknown person": func(s string) string {
			return strings.Replace(s, `"holder": "`+ct.Person(3).String()+`"`, `"holder": "`+ct.Person(42).String()+`"`, 1)
		},
	} {
		t.Run("refused: "+name, func(t *testing.T) {
			bad := edit(string(doc))
			require.NotEqual(t, string(doc), bad)
			_, err := circle.Import([]byte(bad))
			assert.ErrorIs(t, err, circle.ErrInvalidDocument)
		})
	}
}

func TestAMembershipByDecisionNamesTheDecision(t *testing.T) {
	org, tick := people2(t)
	_, err := org.AdmitByDecision(ct.Person(1), tick(), ct.Circle(2), ct.Person(2), [16]byte{})
	assert.ErrorIs(t, err, circle.ErrMissingID)
	evs, err := org.AdmitByDecision(ct.Person(1), tick(), ct.Circle(2), ct.Person(2), ct.UUID(0xb0, 1))
	require.NoError(t, err)
	assert.Equal(t, ct.UUID(0xb0, 1), evs[0].(circle.MemberAdded).Decision)
	_, err = org.AdmitByDecision(ct.Person(1), tick(), ct.Circle(2), ct.Person(2), ct.UUID(0xb0, 1))
	assert.ErrorIs(t, err, circle.ErrAlreadyMember)
	evs, err = org.RemoveByDecision(ct.Person(1), tick(), ct.Circle(2), ct.Person(2), ct.UUID(0xb0, 2))
	require.NoError(t, err)
	assert.Equal(t, ct.UUID(0xb0, 2), evs[len(evs)-1].(circle.MemberRemoved).Decision)
}
