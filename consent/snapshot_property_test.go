package consent_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
)

// Property: whatever the members' participation classes, the conflicts of
// interest declared and whether the process removes a member, the
// snapshots the process asks for (Process.Snapshot) are the ones the store
// accepts (CheckMembers), and a consent round's participants are exactly
// the full members, less the member to be removed and the recused; the
// decision record names every member left out by class and every recusal.
func TestSnapshotsAreExactlyWhatTheStoreAccepts(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		org := supportOrg(rt)
		at := t0.Add(-time.Hour)
		classes := map[consent.PersonID]circle.Participation{}
		for _, m := range people(3, 4, 5) { // the proposer and facilitator stay full
			k := rapid.SampledFrom(circle.Participations()).Draw(rt, "class")
			classes[m] = k
			if k != circle.ParticipationFull {
				_, err := org.SetParticipation(proposer, at, circleID, m, k)
				require.NoError(rt, err)
			}
		}
		spec := consent.ProcessSpec{ID: procID, Org: orgID, Circle: circleID, Proposer: proposer, Facilitator: facil, Proposal: proposal1,
			Confidential: rapid.Bool().Draw(rt, "confidential")}
		var subject consent.PersonID
		if rapid.Bool().Draw(rt, "removal") {
			subject = rapid.SampledFrom(people(3, 4, 5)).Draw(rt, "subject")
			spec.Membership = &consent.MembershipChange{Change: consent.MembershipRemove, Person: subject}
		}
		f := &fixture{t: rt, now: t0}
		p, evs, err := consent.StartIn(org, spec, f.now)
		require.NoError(rt, err)
		f.p, f.events = p, evs
		ps, ex, err := f.p.Snapshot(org)
		require.NoError(rt, err)
		f.must(f.p.Present(facil, f.tick(), ps, ex...))
		require.NoError(rt, consent.CheckMembers(org, f.p))
		for _, m := range ps {
			if rapid.Bool().Draw(rt, "interest") {
				f.must(f.p.DeclareInterest(m, f.tick(), m, "A relative would gain from it."))
			}
		}
		f.must(f.p.SkipReactions(facil, f.tick()))
		ps, ex, err = f.p.Snapshot(org)
		require.NoError(rt, err)
		if len(ps) == 0 {
			return // everyone recused or left out: no round can open
		}
		f.must(f.p.OpenConsentRound(facil, f.tick(), ps, time.Time{}, ex...))
		require.NoError(rt, consent.CheckMembers(org, f.p))
		var want []consent.PersonID
		for _, m := range members {
			k, ok := classes[m]
			if (ok && k != circle.ParticipationFull) || m == subject || slices.Contains(f.p.Recused(), m) {
				continue
			}
			want = append(want, m)
		}
		require.Equal(rt, want, f.p.Participants())
		for _, who := range f.p.Participants() {
			f.must(f.p.Consent(who, f.tick()))
		}
		f.must(f.p.Adopt(facil, f.tick()))
		d, _ := f.p.Decision()
		nonFull := 0
		for _, k := range classes {
			if k != circle.ParticipationFull {
				nonFull++
			}
		}
		if subject != (consent.PersonID{}) && classes[subject] != circle.ParticipationFull {
			nonFull-- // left out as the subject of the removal
		}
		require.Len(rt, d.Classes, nonFull, "every member left out by class is on the record")
		require.ElementsMatch(rt, f.p.Recused(), d.Recused)
		require.Equal(rt, f.p, mustReplay(rt, f.events))
		snap, err := json.Marshal(f.p)
		require.NoError(rt, err)
		var back consent.Process
		require.NoError(rt, back.UnmarshalJSON(snap), "%s", snap)
		require.Equal(rt, f.p, &back, "a snapshot round-trips")
	})
}
