package consent_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/consent"
)

// supportModel is the naive picture of a round's answers: who answered,
// whether it was their own answer, and how many each proxy holder gave.
type supportModel struct {
	answered map[consent.PersonID]bool
	own      map[consent.PersonID]bool
	proxied  map[consent.PersonID]int
	limit    int
}

// mayAnswer says whether an answer for who is accepted: own answers over
// nothing or over an answer given for them; an answer for someone only
// over nothing.
func (m supportModel) mayAnswer(who consent.PersonID, own bool) bool {
	if !m.answered[who] {
		return true
	}
	return own && !m.own[who]
}

// Property: whatever order people answer in, themselves, through their
// advocate or proxy, or entered by the facilitator, the round keeps one
// answer per participant; a person's own answer replaces an answer given
// for them and is never replaced; a proxy holder never answers for more
// people than the policy allows; an act is accepted exactly when the model
// says so; a refused act changes nothing; AnswersFor names exactly whom a
// holder may answer for; and replay equals the live process.
func TestSupportedAnswersStateMachine(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		limit := rapid.IntRange(0, 2).Draw(rt, "proxies")
		f, org := supportRound(rt, proxyPolicy(limit))
		_, err := org.AppointProxy(proposer, circletest.T0.Add(24*time.Hour), circle.Mandate{ID: circle.MandateID(circletest.UUID(0xad, 3)),
			Principal: proposer, Holder: proxyHolder, Until: t0.AddDate(0, 1, 0)})
		require.NoError(rt, err)
		m := supportModel{answered: map[consent.PersonID]bool{}, own: map[consent.PersonID]bool{}, proxied: map[consent.PersonID]int{}, limit: limit}
		pool := append(people(1, 2, 3, 4, 5), outsider)
		kinds := []consent.AnswerKind{consent.AnswerConsent, consent.AnswerConcern, consent.AnswerObject}
		reason := func(k consent.AnswerKind) string {
			if k == consent.AnswerConsent {
				return ""
			}
			return "a reason"
		}
		try := func(want bool, act func() ([]consent.Event, error)) bool {
			before := f.p.Clone()
			evs, err := act()
			if err != nil {
				require.Equal(rt, before, f.p, "a refused act changes nothing: %v", err)
				require.False(rt, want, "refused: %v", err)
				return false
			}
			require.True(rt, want, "accepted against the model")
			f.events = append(f.events, evs...)
			return true
		}
		rt.Repeat(map[string]func(*rapid.T){
			"own": func(rt *rapid.T) {
				who := rapid.SampledFrom(pool).Draw(rt, "who")
				k := rapid.SampledFrom(kinds).Draw(rt, "kind")
				if try(who != outsider && m.mayAnswer(who, true), func() ([]consent.Event, error) {
					switch k {
					case consent.AnswerConsent:
						return f.p.Consent(who, f.tick())
					case consent.AnswerConcern:
						return f.p.RaiseConcern(who, f.tick(), reason(k))
					}
					return f.p.Object(who, f.tick(), reason(k))
				}) {
					m.answered[who], m.own[who] = true, true
				}
			},
			"enter": func(rt *rapid.T) {
				by := rapid.SampledFrom([]consent.PersonID{facil, proposer}).Draw(rt, "by")
				who := rapid.SampledFrom(pool).Draw(rt, "who")
				k := rapid.SampledFrom(kinds).Draw(rt, "kind")
				mode := rapid.SampledFrom(consent.EntryModes()).Draw(rt, "mode")
				ok := by == facil && who != outsider && who != by && m.mayAnswer(who, true)
				if try(ok, func() ([]consent.Event, error) {
					return f.p.EnterAnswer(by, f.tick(), who, mode, k, reason(k))
				}) {
					m.answered[who], m.own[who] = true, true
				}
			},
			"advocate": func(rt *rapid.T) {
				k := rapid.SampledFrom(kinds).Draw(rt, "kind")
				if try(m.mayAnswer(supported, false), func() ([]consent.Event, error) {
					return f.p.AnswerFor(advocate, f.tick(), org, supported, k, reason(k))
				}) {
					m.answered[supported], m.own[supported] = true, false
				}
			},
			"proxy": func(rt *rapid.T) {
				who := rapid.SampledFrom([]consent.PersonID{objector, proposer}).Draw(rt, "principal")
				ok := m.mayAnswer(who, false) && m.proxied[proxyHolder] < limit
				if try(ok, func() ([]consent.Event, error) {
					return f.p.AnswerFor(proxyHolder, f.tick(), org, who, consent.AnswerConsent, "")
				}) {
					m.answered[who], m.own[who] = true, false
					m.proxied[proxyHolder]++
				}
			},
			"": func(rt *rapid.T) {
				r := f.p.Round()
				proxied := 0
				for _, who := range members {
					a, ok := r.Answer(who)
					require.Equal(rt, m.answered[who], ok, "answered: %s", who)
					if ok {
						require.Equal(rt, m.own[who], !a.Support.ForSomeone(), "own answer of %s", who)
						if a.Support.How == consent.SupportProxy {
							proxied++
						}
					}
				}
				require.LessOrEqual(rt, proxied, limit, "proxies within the policy's limit")
				// Own answers that replaced one given for them.
				for _, s := range r.Superseded() {
					require.True(rt, s.Support.ForSomeone())
					require.True(rt, m.own[s.Person])
				}
				// Proxy answers in the model are counted for the ones still
				// current.
				m.proxied[proxyHolder] = proxied
				var want []consent.PersonID
				for _, who := range []consent.PersonID{proposer, objector} {
					if m.mayAnswer(who, false) && m.proxied[proxyHolder] < limit {
						want = append(want, who)
					}
				}
				got := f.p.AnswersFor(org, proxyHolder, f.now)
				require.ElementsMatch(rt, want, got, "AnswersFor the proxy holder")
				require.Equal(rt, f.p, mustReplay(rt, f.events), "replay equals state")
				snap, err := json.Marshal(f.p)
				require.NoError(rt, err)
				var back consent.Process
				require.NoError(rt, back.UnmarshalJSON(snap), "%s", snap)
				require.Equal(rt, f.p, &back, "a snapshot round-trips")
			},
		})
	})
}
