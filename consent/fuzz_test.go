package consent_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/consent"
)

// seedLogs are event logs of every phase, every event type included.
func seedLogs(t require.TestingT) [][]consent.Event {
	var logs [][]consent.Event
	for _, setup := range []func(require.TestingT) *fixture{inAdopted, inWithdrawn, inReferred} {
		logs = append(logs, setup(t).events)
	}
	f := inIntegration(t)
	f.must(f.p.TestObjection(facil, f.tick(), objector, true, "it qualifies"))
	f.must(f.p.Defer(facil, f.tick(), objector, member4, f.now.AddDate(0, 1, 0), "next month"))
	logs = append(logs, f.events)
	g := inIntegration(t)
	g.must(g.p.ShortenTerm(proposer, g.tick(), objector, g.now.AddDate(0, 3, 0), "trial"))
	g.must(g.p.OpenConsentRound(facil, g.tick(), members, g.now.Add(48*60*60*1e9)))
	g.must(g.p.RetakeSnapshot(facil, g.tick(), people(1, 2, 3, 4)))
	g.must(g.p.SetDeadline(facil, g.tick(), g.now.Add(24*60*60*1e9)))
	g.must(g.p.StandAside(member4, g.tick(), "not my area"))
	g.must(g.p.RaiseConcern(objector, g.tick(), "watch it"))
	logs = append(logs, g.events)
	h := inIntegration(t)
	prop := h.p.Proposal()
	prop.Text += " v2"
	h.must(h.p.Amend(proposer, h.tick(), consent.Amendment{Proposal: prop, Change: "v2", Addresses: []consent.PersonID{objector}}))
	h.must(h.p.OpenConsentRound(facil, h.tick(), members, h.now.Add(48*60*60*1e9)))
	for _, who := range members {
		h.must(h.p.Consent(who, h.tick()))
	}
	h.must(h.p.Adopt(facil, h.tick()))
	h.must(h.p.WithdrawConsent(member4, h.tick(), "no longer"))
	logs = append(logs, h.events)
	k := inPresented(t)
	k.must(k.p.SkipReactions(facil, k.tick()))
	k.must(k.p.OpenConsentRound(facil, k.tick(), members, k.now.Add(48*60*60*1e9)))
	k.must(k.p.Object(objector, k.tick(), "reason"))
	k.must(k.p.UnderstandObjection(facil, k.tick(), objector, "understood"))
	for _, who := range people(1, 2, 4, 5) {
		k.must(k.p.Consent(who, k.tick()))
	}
	k.must(k.p.Integrate(facil, k.tick()))
	k.must(k.p.AddMeasure(proposer, k.tick(), objector, consent.Measure{Watch: "w", Threshold: "t", Owner: objector, Checkpoint: k.now.AddDate(0, 1, 0)}))
	logs = append(logs, k.events)
	return logs
}

// participationLogs hold the events of supported answers and membership
// decisions.
func participationLogs(t require.TestingT) [][]consent.Event {
	return [][]consent.Event{supportLog(t), joinLog(t), removalLog(t), classLog(t), interestLog(t), stuckLog(t), takeUpLog(t), emergencyLog(t)}
}

func TestEveryEventTypeRoundTrips(t *testing.T) {
	seen := map[string]bool{}
	for _, log := range append(seedLogs(t), participationLogs(t)...) {
		back := roundtrip(t, log)
		assert.Equal(t, log, back)
		for _, e := range log {
			seen[e.EventType()] = true
		}
	}
	lazy, _ := lazyAdopted(t)
	lazy.must(lazy.p.Object(member5, lazy.tick(), "I was away"))
	assert.Equal(t, lazy.events, roundtrip(t, lazy.events))
	seen[consent.DecisionReopened{}.EventType()] = true
	for _, typ := range consent.EventTypes() {
		assert.True(t, seen[typ], "no seed of %s", typ)
	}
}

func TestUnmarshalEventIsStrict(t *testing.T) {
	_, err := consent.UnmarshalEvent("consent.nope", []byte(`{}`))
	assert.ErrorIs(t, err, consent.ErrUnknownEventType)
	log := inConsent(t).events
	typ, data, err := consent.MarshalEvent(log[len(log)-1])
	require.NoError(t, err)
	tests := []struct {
		name string
		data string
	}{
		{"unknown field", string(data[:len(data)-1]) + `,"extra":1}`},
		{"duplicate field", string(data[:len(data)-1]) + `,"answer":"consent"}`},
		{"missing field", `{"process":"b0000000-0000-4000-8000-000000000001"}`},
		{"bad enum", replace(string(data), `"answer":"consent"`, `"answer":"yes"`)},
		{"bad id", replace(string(data), `"person":"5`, `"person":"x`)},
		{"trailing data", string(data) + `{}`},
		{"not JSON", `{`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := consent.UnmarshalEvent(typ, []byte(tt.data))
			assert.ErrorIs(t, err, consent.ErrInvalidEvent)
		})
	}
	_, _, err = consent.MarshalEvent(nil)
	assert.ErrorIs(t, err, consent.ErrInvalidEvent)
}

func replace(s, old, new string) string {
	for i := 0; i+len(old) <= len(s); i++ {
		if s[i:i+len(old)] == old {
			return s[:i] + new + s[i+len(old):]
		}
	}
	panic("no " + old + " in " + s)
}

// FuzzUnmarshalEvent decodes arbitrary stored events. Decoding never
// panics; what decodes re-encodes to an equal event; and applying it after
// a valid log either fits or is refused without changing the process.
func FuzzUnmarshalEvent(f *testing.F) {
	logs := append(seedLogs(f), participationLogs(f)...)
	for _, log := range logs {
		for _, e := range log {
			typ, data, err := consent.MarshalEvent(e)
			require.NoError(f, err)
			f.Add(typ, data)
		}
	}
	f.Add("consent.answered", []byte(`{"process":"","answer":"object"}`))
	f.Add("consent.nope", []byte(`null`))
	bases := make([]*consent.Process, len(logs))
	for i, log := range logs {
		p, err := consent.Replay(log[:len(log)/2+1])
		require.NoError(f, err)
		bases[i] = p
	}
	f.Fuzz(func(t *testing.T, typ string, data []byte) {
		e, err := consent.UnmarshalEvent(typ, data)
		if err != nil {
			var ce *consent.Error
			if !errors.As(err, &ce) || (!errors.Is(err, consent.ErrInvalidEvent) && !errors.Is(err, consent.ErrUnknownEventType)) {
				t.Fatalf("untyped error: %v", err)
			}
			return
		}
		typ2, data2, err := consent.MarshalEvent(e)
		if err != nil {
			return // a decoded value the encoder refuses (an invalid enum never decodes, so rare)
		}
		e2, err := consent.UnmarshalEvent(typ2, data2)
		if err != nil {
			t.Fatalf("re-decoding %s %s: %v", typ2, data2, err)
		}
		if !reflect.DeepEqual(e, e2) {
			t.Fatalf("round trip changed the event:\n%#v\n%#v", e, e2)
		}
		for _, base := range bases {
			p := base.Clone()
			if err := p.Apply(e); err != nil && !reflect.DeepEqual(p, base) {
				t.Fatalf("a refused event changed the process: %v", err)
			}
		}
	})
}

// FuzzUnmarshalText decodes the text form of every enumeration.
func FuzzUnmarshalText(f *testing.F) {
	for _, s := range []string{"consent", "object", "stand-aside", "stand_aside", "hold", "lazy-consent", "group-test", "measure", "open", "adopted", "withdraw-objection", "", "Consent"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		check := func(u interface{ UnmarshalText([]byte) error }, m func() ([]byte, error)) {
			if err := u.UnmarshalText([]byte(s)); err != nil {
				if !errors.Is(err, consent.ErrInvalidEvent) {
					t.Fatalf("untyped error %v", err)
				}
				return
			}
			b, err := m()
			if err != nil || string(b) != s {
				t.Fatalf("%q re-encodes as %q, %v", s, b, err)
			}
		}
		var a consent.AnswerKind
		check(&a, func() ([]byte, error) { return a.MarshalText() })
		var v consent.ValidityRule
		check(&v, func() ([]byte, error) { return v.MarshalText() })
		var ab consent.AbsenceRule
		check(&ab, func() ([]byte, error) { return ab.MarshalText() })
		var r consent.ResolutionKind
		check(&r, func() ([]byte, error) { return r.MarshalText() })
		var st consent.ObjectionStatus
		check(&st, func() ([]byte, error) { return st.MarshalText() })
		var o consent.Result
		check(&o, func() ([]byte, error) { return o.MarshalText() })
		var ph consent.Phase
		check(&ph, func() ([]byte, error) { return ph.MarshalText() })
		var act consent.Act
		check(&act, func() ([]byte, error) { return act.MarshalText() })
	})
}
