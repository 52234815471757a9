package consent_test

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/consent"
)

// interestLog: p(3) declares an interest and is recused; p(1) raises one
// of p(5)'s, which the facilitator dismisses, and one of p(4)'s, which he
// upholds; the decision is adopted without p(3) and p(4).
func interestLog(t require.TestingT) []consent.Event {
	f := inReactions(t)
	f.must(f.p.DeclareInterest(objector, f.tick(), objector, "My partner runs the agency that would take the night shifts."))
	f.must(f.p.DeclareInterest(proposer, f.tick(), member5, "P5 works for that agency at weekends."))
	f.must(f.p.RuleOnInterest(facil, f.tick(), member5, false, "P5 left the agency last year."))
	f.must(f.p.DeclareInterest(proposer, f.tick(), member4, "P4 would be paid for the extra shifts."))
	f.must(f.p.RuleOnInterest(facil, f.tick(), member4, true, "The shifts would be P4's."))
	ps, ex := recusing(f, members)
	f.must(f.p.OpenConsentRound(facil, f.tick(), ps, time.Time{}, ex...))
	for _, who := range ps {
		f.must(f.p.Consent(who, f.tick()))
	}
	f.must(f.p.Adopt(facil, f.tick()))
	return f.events
}

// recusing splits ms into the participants of the next round and the
// exclusions of those the process recuses.
func recusing(f *fixture, ms []consent.PersonID) ([]consent.PersonID, []consent.Exclusion) {
	var ps []consent.PersonID
	var ex []consent.Exclusion
	for _, m := range ms {
		if slices.Contains(f.p.Recused(), m) {
			ex = append(ex, consent.Exclusion{Person: m, Reason: "recused: declared a conflict of interest", Recused: true})
			continue
		}
		ps = append(ps, m)
	}
	return ps, ex
}

func TestADeclaredInterestRecusesTheParticipant(t *testing.T) {
	t.Run("the recused are out of the round and on the record", func(t *testing.T) {
		p := mustReplay(t, interestLog(t))
		d, ok := p.Decision()
		require.True(t, ok)
		assert.Equal(t, []consent.PersonID{objector, member4}, d.Recused)
		require.Len(t, d.Interests, 3)
		assert.False(t, d.Interests[1].Standing, "the dismissed interest")
		assert.NotContains(t, d.Consented, objector)
	})
	t.Run("a round that keeps a recused participant in is refused", func(t *testing.T) {
		f := inReactions(t)
		f.must(f.p.DeclareInterest(objector, f.tick(), objector, "My partner runs the agency."))
		_, err := f.p.OpenConsentRound(facil, f.tick(), members, time.Time{})
		assert.ErrorIs(t, err, consent.ErrInvalidParticipant)
	})
	t.Run("a raised interest stands only once upheld", func(t *testing.T) {
		f := inReactions(t)
		f.must(f.p.DeclareInterest(proposer, f.tick(), objector, "P3's partner runs the agency."))
		assert.Empty(t, f.p.Recused())
		_, err := f.p.RuleOnInterest(proposer, f.tick(), objector, true, "yes")
		assert.ErrorIs(t, err, consent.ErrNotFacilitator)
		f.must(f.p.RuleOnInterest(facil, f.tick(), objector, true, "It is so."))
		assert.Equal(t, []consent.PersonID{objector}, f.p.Recused())
		_, err = f.p.RuleOnInterest(facil, f.tick(), objector, false, "again")
		assert.ErrorIs(t, err, consent.ErrAlreadyTested, "ruled once")
	})
	t.Run("a policy that keeps the interested in only records it", func(t *testing.T) {
		pol := flexPolicy()
		pol.KeepInterested = true
		f := start(t, pol)
		f.must(f.p.Present(facil, f.tick(), members))
		f.must(f.p.DeclareInterest(objector, f.tick(), objector, "My partner runs the agency."))
		f.must(f.p.SkipReactions(facil, f.tick()))
		assert.Empty(t, f.p.Recused())
		f.must(f.p.OpenConsentRound(facil, f.tick(), members, time.Time{}))
	})
	t.Run("not during a consent round, not by outsiders, once a person", func(t *testing.T) {
		f := inConsent(t)
		_, err := f.p.DeclareInterest(objector, f.tick(), objector, "late")
		assert.ErrorIs(t, err, consent.ErrPhase)
		g := inReactions(t)
		_, err = g.p.DeclareInterest(outsider, g.tick(), objector, "I heard something")
		assert.ErrorIs(t, err, consent.ErrNotParticipant)
		g.must(g.p.DeclareInterest(objector, g.tick(), objector, "My partner runs the agency."))
		_, err = g.p.DeclareInterest(member4, g.tick(), objector, "also this")
		assert.ErrorIs(t, err, consent.ErrAlreadyAnswered)
	})
}
