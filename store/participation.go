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

// TakeUp starts, in the parent circle spec.Circle of org, a consent process
// that takes up the stuck process from, which was referred up to it, with
// its history attached ([consent.TakeUp]), and takes the process off the
// parent's agenda, in one append. A zero spec.Org is org.
func (s *Store) TakeUp(ctx context.Context, org circle.OrgID, from consent.ProcessID, spec consent.ProcessSpec, w *WriteOptions) (Receipt, error) {
	if spec.Org.IsZero() {
		spec.Org = org
	}
	if spec.Org != org {
		return Receipt{}, invalid("take up", "the process is for organisation %s, not %s", spec.Org, org)
	}
	return s.run(ctx, org, w.command(), false, func(ctx context.Context, r Reader) (*Batch, error) {
		o, err := checkout(ctx, s, r, orgKind, OrgKey(org))
		if err != nil {
			return nil, err
		}
		stuck, err := checkout(ctx, s, r, processKind, ProcessKey(org, from))
		if err != nil {
			return nil, err
		}
		p, evs, err := consent.TakeUp(o.agg, stuck.agg, spec, s.at(w, o.l.at, stuck.l.at))
		if err != nil {
			return nil, err
		}
		h := fresh(processKind, ProcessKey(org, p.ID()), p)
		b := &Batch{}
		if err := h.append(b, evs, StreamAppend{Circle: p.Circle(), Status: processStatus(p)}); err != nil {
			return nil, err
		}
		if err := observe(ctx, s, r, b, org, evs); err != nil {
			return nil, err
		}
		o.checkin(s)
		stuck.checkin(s)
		h.checkin(s)
		return b, nil
	})
}
