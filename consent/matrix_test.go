package consent_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/consent"
)

// TestStateActMatrix runs every act in every phase, by the person who
// normally does it, with valid arguments: it is allowed (nil) or refused
// with the sentinel in the table, and Allowed agrees. A refused act changes
// nothing.
func TestStateActMatrix(t *testing.T) {
	type row = map[consent.Act]error
	phases := []struct {
		phase consent.Phase
		setup func(require.TestingT) *fixture
		allow row // acts not listed are refused with ErrPhase (ErrFinished when terminal)
	}{
		{consent.PhaseDraft, inDraft, row{
			consent.ActPresent: nil, consent.ActAmend: nil, consent.ActWithdraw: nil, consent.ActRefer: nil,
		}},
		{consent.PhasePresented, inPresented, row{
			consent.ActAskClarifying: nil, consent.ActAnswerClarifying: nil, consent.ActOpenReactions: nil,
			consent.ActSkipReactions: nil, consent.ActAmend: nil, consent.ActRetakeSnapshot: nil,
			consent.ActWithdraw: nil, consent.ActRefer: nil,
		}},
		{consent.PhaseReactions, inReactions, row{
			consent.ActReact: nil, consent.ActSkipReactions: nil, consent.ActAmend: nil, consent.ActOpenConsentRound: nil,
			consent.ActRetakeSnapshot: nil, consent.ActWithdraw: nil, consent.ActRefer: nil,
		}},
		{consent.PhaseConsent, inConsent, row{
			consent.ActConsent: nil, consent.ActRaiseConcern: nil, consent.ActStandAside: nil, consent.ActObject: nil,
			consent.ActSetDeadline: nil, consent.ActRetakeSnapshot: nil,
			consent.ActIntegrate:           consent.ErrAwaitingAnswers,
			consent.ActUnderstandObjection: nil,
			consent.ActTestObjection:       consent.ErrNotUnderstood,
			consent.ActWithdrawObjection:   nil,
			consent.ActAdopt:               consent.ErrObjectionOpen,
			consent.ActWithdraw:            nil, consent.ActRefer: nil,
		}},
		{consent.PhaseIntegration, inIntegration, row{
			consent.ActAmend:               nil,
			consent.ActOpenConsentRound:    consent.ErrObjectionOpen,
			consent.ActUnderstandObjection: consent.ErrNoObjection,
			consent.ActTestObjection:       nil, consent.ActShortenTerm: nil, consent.ActAddMeasure: nil, consent.ActDefer: nil,
			consent.ActWithdrawObjection: nil,
			consent.ActAdopt:             consent.ErrObjectionOpen,
			consent.ActWithdraw:          nil, consent.ActRefer: nil,
		}},
		{consent.PhaseAdopted, inAdopted, row{
			consent.ActWithdrawConsent: nil,
		}},
		{consent.PhaseWithdrawn, inWithdrawn, row{}},
		{consent.PhaseReferred, inReferred, row{}},
	}
	for _, ph := range phases {
		for _, a := range consent.Acts() {
			t.Run(ph.phase.String()+"/"+a.String(), func(t *testing.T) {
				f := ph.setup(t)
				require.Equal(t, ph.phase, f.p.Phase())
				want, listed := ph.allow[a]
				if !listed {
					want = consent.ErrPhase
					if ph.phase.Terminal() {
						want = consent.ErrFinished
					}
				}
				actor, at := canonicalActor(a), f.tick()
				allowed := contains(f.p.Allowed(actor, at), a)
				before := f.p.Clone()
				evs, err := do(f.p, a, actor, at)
				if want == nil {
					require.NoError(t, err)
					assert.NotEmpty(t, evs)
					assert.True(t, allowed, "Allowed lists %s", a)
					return
				}
				assert.ErrorIs(t, err, want)
				var ce *consent.Error
				require.ErrorAs(t, err, &ce)
				assert.Empty(t, evs)
				assert.False(t, allowed, "Allowed does not list %s", a)
				assert.Equal(t, before, f.p, "a refused act changes nothing")
			})
		}
	}
}

func contains(acts []consent.Act, a consent.Act) bool {
	for _, x := range acts {
		if x == a {
			return true
		}
	}
	return false
}

// TestAuthority: in a phase where an act is allowed to the right person,
// anyone else is refused with the sentinel that names why.
func TestAuthority(t *testing.T) {
	tests := []struct {
		act   consent.Act
		setup func(require.TestingT) *fixture
		who   consent.PersonID
		want  error
	}{
		{consent.ActPresent, inDraft, proposer, consent.ErrNotFacilitator},
		{consent.ActAskClarifying, inPresented, outsider, consent.ErrNotParticipant},
		{consent.ActAnswerClarifying, inPresented, facil, consent.ErrNotProposer},
		{consent.ActOpenReactions, inPresented, proposer, consent.ErrNotFacilitator},
		{consent.ActSkipReactions, inReactions, member4, consent.ErrNotFacilitator},
		{consent.ActReact, inReactions, outsider, consent.ErrNotParticipant},
		{consent.ActAmend, inReactions, facil, consent.ErrNotProposer},
		{consent.ActAmend, inIntegration, objector, consent.ErrNotProposer},
		{consent.ActOpenConsentRound, inReactions, proposer, consent.ErrNotFacilitator},
		{consent.ActConsent, inConsent, outsider, consent.ErrNotParticipant},
		{consent.ActObject, inConsent, outsider, consent.ErrNotParticipant},
		{consent.ActRaiseConcern, inConsent, outsider, consent.ErrNotParticipant},
		{consent.ActStandAside, inConsent, outsider, consent.ErrNotParticipant},
		{consent.ActSetDeadline, inConsent, proposer, consent.ErrNotFacilitator},
		{consent.ActRetakeSnapshot, inConsent, proposer, consent.ErrNotFacilitator},
		{consent.ActUnderstandObjection, inConsent, objector, consent.ErrNotFacilitator},
		{consent.ActTestObjection, inIntegration, proposer, consent.ErrNotFacilitator},
		{consent.ActShortenTerm, inIntegration, facil, consent.ErrNotProposer},
		{consent.ActAddMeasure, inIntegration, facil, consent.ErrNotProposer},
		{consent.ActDefer, inIntegration, proposer, consent.ErrNotFacilitator},
		{consent.ActWithdrawObjection, inIntegration, facil, consent.ErrNotObjector},
		{consent.ActWithdrawObjection, inIntegration, proposer, consent.ErrNotObjector},
		{consent.ActAdopt, readyToAdopt, proposer, consent.ErrNotFacilitator},
		{consent.ActIntegrate, readyToIntegrate, proposer, consent.ErrNotFacilitator},
		{consent.ActWithdrawConsent, inAdopted, outsider, consent.ErrNotConsented},
		{consent.ActWithdraw, inReactions, facil, consent.ErrNotProposer},
		{consent.ActRefer, inReactions, proposer, consent.ErrNotFacilitator},
	}
	for _, tt := range tests {
		t.Run(tt.act.String()+"/by "+tt.who.String()[:8], func(t *testing.T) {
			f := tt.setup(t)
			at := f.tick()
			require.NoError(t, f.p.Can(tt.act, canonicalActor(tt.act), at), "the right person may")
			before := f.p.Clone()
			_, err := do(f.p, tt.act, tt.who, at)
			assert.ErrorIs(t, err, tt.want)
			assert.NotContains(t, f.p.Allowed(tt.who, at), tt.act)
			assert.Equal(t, before, f.p)
		})
	}
}

// TestWithdrawObjectionOfAnotherIsRefused: "Only the objector withdraws
// their own objection." (docs/method.md, "Consent decision-making" 6)
func TestWithdrawObjectionOfAnotherIsRefused(t *testing.T) {
	f := inIntegration(t)
	// member4 objects in no round; the facilitator tries to withdraw p(3)'s objection.
	_, err := f.p.WithdrawObjection(facil, f.tick(), objector)
	assert.ErrorIs(t, err, consent.ErrNotObjector)
	assert.Equal(t, 1, f.p.OpenObjections())
}

// TestNothingIsAdoptedWhileAnObjectionIsOpen: "Nothing is adopted while a
// reasoned objection is open; no facilitator, leader or majority can
// override one." (docs/method.md, "Consent decision-making" 6)
func TestNothingIsAdoptedWhileAnObjectionIsOpen(t *testing.T) {
	f := inIntegration(t) // four of five consented: a majority
	for _, who := range members {
		_, err := f.p.Adopt(who, f.tick())
		assert.Error(t, err)
	}
	_, err := f.p.Adopt(facil, f.tick())
	assert.ErrorIs(t, err, consent.ErrObjectionOpen)
	assert.Equal(t, consent.PhaseIntegration, f.p.Phase())
}
