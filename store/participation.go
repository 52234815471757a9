package store

import (
	"context"
	"slices"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
)

// enactMembership carries out a membership decision that the act adopted
// (docs/method.md, "Membership by consent"): the joiner is added to the
// circle, or the member removed, by [consent.Process.Enact], and those
// events go into the same append as the adoption, with what the review
// calendar makes of them, as an election's outcome assigns its role. When
// the change no longer fits the organisation (the joiner joined meanwhile),
// the act is refused and nothing is written.
func (s *Store) enactMembership(ctx context.Context, r Reader, b *Batch, o *held[*circle.Organisation, circle.Event], p *consent.Process, evs []consent.Event) error {
	if _, ok := p.Membership(); !ok || !slices.ContainsFunc(evs, func(e consent.Event) bool {
		_, adopted := e.(consent.DecisionAdopted)
		return adopted
	}) {
		return nil
	}
	enacted, err := p.Enact(o.agg)
	if err != nil {
		return err
	}
	orgKind.take(o.agg) // the Store's own act, appended below
	if err := o.append(b, enacted, StreamAppend{}); err != nil {
		return err
	}
	return observe(ctx, s, r, b, o.key.Org, enacted)
}
