package store

import (
	"context"
	"slices"
	"time"

	"github.com/coproduce/sociocracy/agreement"
	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/review"
)

// KindPolicyRegister is the kind of an organisation's policy register
// (package agreement); its ID is the organisation's ID.
const KindPolicyRegister Kind = "policy_register"

// PolicyRegisterKey is the key of org's policy register.
func PolicyRegisterKey(org circle.OrgID) StreamKey {
	return StreamKey{Org: org, Kind: KindPolicyRegister, ID: org.UUID()}
}

var policyRegisterKind = &kind[*agreement.Register, agreement.Event]{
	kind: KindPolicyRegister, what: "policy register",
	decode: agreement.UnmarshalStoredEvent, marshal: agreement.MarshalEvent, replay: agreement.Replay,
	apply: (*agreement.Register).Apply, take: (*agreement.Register).Take,
	meta: func(_ *agreement.Register, e agreement.Event) (circle.CircleID, time.Time) {
		return agreement.CircleOf(e), e.EventHeader().At
	},
}

// observeAll hands the events of an act to org's member register, policy
// register and review calendar, when any of them concerns one, and adds
// what they make of them to b: first the member register's events, then the
// policy register's, then the calendar's, which observes the act's events
// and then the policy register's. The policy register is opened with the
// first event it observes; the member register only by an act on it.
func observeAll[E any](ctx context.Context, s *Store, r Reader, b *Batch, org circle.OrgID, evs []E) error {
	if err := observeMembers(ctx, s, r, b, org, evs); err != nil {
		return err
	}
	reg, regEvs, err := observePolicies(ctx, s, r, b, org, evs)
	if err != nil {
		return err
	}
	if len(regEvs) == 0 && !slices.ContainsFunc(evs, func(e E) bool { return review.Observes(e) }) {
		return nil
	}
	cal, err := checkout(ctx, s, r, calendarKind, CalendarKey(org))
	if err != nil {
		return err
	}
	var out []review.Event
	for _, e := range evs {
		got, err := cal.agg.Observe(e)
		if err != nil {
			return err
		}
		out = append(out, got...)
	}
	for _, e := range regEvs {
		got, err := cal.agg.ObserveAgreement(reg, e)
		if err != nil {
			return err
		}
		out = append(out, got...)
	}
	calendarKind.take(cal.agg) // the calendar's own acts, appended below
	if len(out) > 0 {
		if err := cal.append(b, out, StreamAppend{}); err != nil {
			return err
		}
	}
	cal.checkin(s)
	return nil
}

// observePolicies hands evs to org's policy register and appends what it
// makes of them to b. It returns the register (as it stands after them) and
// its events; none when no event concerns it.
func observePolicies[E any](ctx context.Context, s *Store, r Reader, b *Batch, org circle.OrgID, evs []E) (*agreement.Register, []agreement.Event, error) {
	i := slices.IndexFunc(evs, func(e E) bool { return agreement.Observes(e) })
	if i < 0 {
		return nil, nil, nil
	}
	key := PolicyRegisterKey(org)
	var opened []agreement.Event
	h, err := checkout(ctx, s, r, policyRegisterKind, key)
	if isNotFound(err) {
		// The register opens with the first decision it sees.
		first := any(evs[i]).(interface{ EventType() string })
		actor, at := headerOf(first)
		reg, oevs, oerr := agreement.Open(org, actor, at)
		if oerr != nil {
			return nil, nil, oerr
		}
		h, err, opened = fresh(policyRegisterKind, key, reg), nil, oevs
	}
	if err != nil {
		return nil, nil, err
	}
	var out []agreement.Event
	for _, e := range evs {
		got, err := h.agg.Observe(e)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, got...)
	}
	policyRegisterKind.take(h.agg) // the register's own events, appended below
	if len(out) == 0 && opened != nil {
		return nil, nil, nil // nothing to record: the register stays unopened
	}
	if all := append(opened, out...); len(all) > 0 {
		if err := h.append(b, all, StreamAppend{}); err != nil {
			return nil, nil, err
		}
	}
	h.checkin(s)
	return h.agg, out, nil
}

// headerOf returns the actor and time of an event of a core package.
func headerOf(e any) (circle.PersonID, time.Time) {
	switch e := e.(type) {
	case interface{ EventHeader() circle.Header }:
		h := e.EventHeader()
		return h.Actor, h.At
	case interface {
		EventHeader() consent.Header
	}:
		h := e.EventHeader()
		return h.Actor, h.At
	}
	return circle.PersonID{}, time.Time{}
}

// registerCopies returns the entries of org's policy register, which may
// hold copies of a decision's text, for an erasure of text in the stream
// where (none when where is the register itself).
func registerCopies(ctx context.Context, r Reader, where StreamKey) ([]Entry, error) {
	if where.Kind == KindPolicyRegister {
		return nil, nil
	}
	es, err := r.ReadStream(ctx, PolicyRegisterKey(where.Org), 0, 0)
	if err != nil && !isNotFound(err) {
		return nil, err
	}
	return es, nil
}

// PolicyRegister returns the policy register of org as stored: a copy of its
// own. An organisation that has adopted no decision yet has no register:
// the error matches [ErrNotFound].
func (s *Store) PolicyRegister(ctx context.Context, org circle.OrgID) (*agreement.Register, error) {
	return readWith(ctx, s, policyRegisterKind, PolicyRegisterKey(org), (*agreement.Register).Clone)
}

// AgreementsInForce returns the agreements of the whole of org in force at
// t, each with the version in force then, in the order they were first
// adopted ([agreement.Register.InForce]). t may be any instant, past or
// present. An organisation that has adopted no decision yet has none; an
// organisation that does not exist is [ErrNotFound].
func (s *Store) AgreementsInForce(ctx context.Context, org circle.OrgID, t time.Time) ([]agreement.InForce, error) {
	return s.inForce(ctx, org, func(r *agreement.Register) []agreement.InForce { return r.InForce(t) })
}

// AgreementsInForceIn is [Store.AgreementsInForce] for the agreements of
// circle c ([agreement.Register.InForceIn]).
func (s *Store) AgreementsInForceIn(ctx context.Context, org circle.OrgID, c circle.CircleID, t time.Time) ([]agreement.InForce, error) {
	return s.inForce(ctx, org, func(r *agreement.Register) []agreement.InForce { return r.InForceIn(c, t) })
}

func (s *Store) inForce(ctx context.Context, org circle.OrgID, f func(*agreement.Register) []agreement.InForce) ([]agreement.InForce, error) {
	out, err := readWith(ctx, s, policyRegisterKind, PolicyRegisterKey(org), f)
	if isNotFound(err) {
		if _, oerr := s.d.Stream(ctx, OrgKey(org)); oerr != nil {
			return nil, notFound("organisation", oerr)
		}
		return nil, nil
	}
	return out, err
}
