package consent_test

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
)

// Property: in a removal decided by a circle with a learning member and a
// guest, random acts by random people are accepted exactly when a naive
// model says so: full members other than the subject answer once; the
// subject is heard once a round and never answers; the learning member
// advises once a round and never answers; the guest does neither; an
// objection of the subject or advice never blocks adoption; a refused act
// changes nothing; and replay equals the live process. Once adopted, the
// record holds what the subject said and the advice.
func TestRemovalWithClassesStateMachine(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		org := classOrg(rt) // p(4) learning, p(8) guest
		subject := rapid.SampledFrom(people(3, 5)).Draw(rt, "subject")
		f := &fixture{t: rt, now: t0}
		p, evs, err := consent.StartIn(org, consent.ProcessSpec{ID: procID, Org: orgID, Circle: circleID, Proposer: proposer, Facilitator: facil,
			Proposal: proposal1, Membership: &consent.MembershipChange{Change: consent.MembershipRemove, Person: subject}}, f.now)
		require.NoError(rt, err)
		f.p, f.events = p, evs
		ps, ex, err := f.p.Snapshot(org)
		require.NoError(rt, err)
		f.must(f.p.Present(facil, f.tick(), ps, ex...))
		f.must(f.p.SkipReactions(facil, f.tick()))
		ps, ex, err = f.p.Snapshot(org)
		require.NoError(rt, err)
		f.must(f.p.OpenConsentRound(facil, f.tick(), ps, time.Time{}, ex...))
		require.NoError(rt, consent.CheckMembers(org, f.p))

		var full []consent.PersonID
		for _, m := range members {
			if m != member4 && m != subject {
				full = append(full, m)
			}
		}
		answered := map[consent.PersonID]bool{}
		heard, advised, adopted := false, false, false
		pool := append(people(1, 2, 3, 4, 5), guest, outsider)
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
			"answer": func(rt *rapid.T) {
				who := rapid.SampledFrom(pool).Draw(rt, "who")
				object := rapid.Bool().Draw(rt, "object")
				if object && slices.Contains(full, who) {
					// A full member's objection blocks and goes to
					// integration, which this model does not follow; an
					// objection is tried only by those without a consent
					// right, and must be refused.
					return
				}
				ok := !adopted && slices.Contains(full, who) && !answered[who] && !object
				if try(ok, func() ([]consent.Event, error) {
					if object {
						return f.p.Object(who, f.tick(), "I object.")
					}
					return f.p.Consent(who, f.tick())
				}) {
					answered[who] = true
				}
			},
			"hear": func(rt *rapid.T) {
				who := rapid.SampledFrom(pool).Draw(rt, "who")
				if try(!adopted && who == subject && !heard, func() ([]consent.Event, error) {
					return f.p.HearSubject(who, f.tick(), "I was not told what went wrong.", rapid.Bool().Draw(rt, "objects"))
				}) {
					heard = true
				}
			},
			"advise": func(rt *rapid.T) {
				who := rapid.SampledFrom(pool).Draw(rt, "who")
				if try(!adopted && who == member4 && !advised, func() ([]consent.Event, error) {
					return f.p.Advise(who, f.tick(), consent.AnswerObject, "Give it a month.")
				}) {
					advised = true
				}
			},
			"adopt": func(rt *rapid.T) {
				all := true
				for _, m := range full {
					all = all && answered[m]
				}
				if try(!adopted && all, func() ([]consent.Event, error) { return f.p.Adopt(facil, f.tick()) }) {
					adopted = true
				}
			},
			"": func(rt *rapid.T) {
				require.Equal(rt, f.p, mustReplay(rt, f.events), "replay equals state")
				require.Equal(rt, 0, f.p.OpenObjections(), "nothing without a consent right blocks")
				if d, ok := f.p.Decision(); ok {
					require.Equal(rt, heard, len(d.Heard) == 1)
					require.Equal(rt, advised, len(d.Advice) == 1)
					evs, err := f.p.Enact(org.Clone())
					require.NoError(rt, err)
					removed := evs[len(evs)-1].(circle.MemberRemoved)
					require.Equal(rt, subject, removed.Person)
				}
			},
		})
	})
}
