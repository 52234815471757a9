package review

import (
	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
)

// Observes reports whether [Calendar.Observe] may do anything with e: a
// store that keeps the calendar apart from the other aggregates loads it
// only for the events that concern it. When Observes(e) is false,
// Observe(e) returns no events and no error.
func Observes(e any) bool {
	switch e := e.(type) {
	case circle.RoleAssigned, circle.RoleEnded, circle.CircleDissolved, circle.Imported:
		return true
	case circle.CircleAdded:
		return e.Kind == circle.KindHelping && !e.Ends.IsZero()
	case consent.DecisionAdopted, consent.MeasureAdded, consent.ObjectionDeferred,
		consent.ProposalWithdrawn, consent.Referred, consent.ConsentWithdrawn, consent.DecisionReopened,
		consent.DecisionStuck, consent.ReferredToParent, consent.ConsentRoundOpened:
		return true
	case consent.Started:
		return e.History != nil || e.Emergency != nil
	}
	return false
}
