package assembly

import (
	"slices"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/internal/kernel"
)

// Every act is a decide method that checks it and builds its events without
// changing anything, and an exported method that commits them. Allowed runs
// the decide methods to list what a person may do.

func (m *Meeting) guard(act string, at time.Time, phases ...Phase) error {
	if m.phase.Ended() {
		return refuse(act, ErrFinished, "the meeting is %s", m.phase)
	}
	if circle.Normalize(at).Before(m.last) {
		return refuse(act, ErrTimeOrder, "%s is before the meeting's last event at %s", at.UTC().Format(time.RFC3339Nano), m.last.Format(time.RFC3339Nano))
	}
	if !slices.Contains(phases, m.phase) {
		names := make([]string, len(phases))
		for i, ph := range phases {
			names[i] = ph.String()
		}
		return refuse(act, ErrPhase, "%s", kernel.PhaseMessage("meeting", act, m.phase.String(), names...))
	}
	return nil
}

func (m *Meeting) byChair(act string, actor circle.PersonID, at time.Time, phases ...Phase) error {
	if err := m.guard(act, at, phases...); err != nil {
		return err
	}
	if actor != m.chair {
		return refuse(act, ErrNotChair, "%s is not the chair", actor)
	}
	return nil
}

func (m *Meeting) member(act string, p circle.PersonID) error {
	if _, ok := m.members[p]; !ok {
		return refuse(act, ErrNotMember, "%s is not a member entitled to attend", p)
	}
	return nil
}

// resolutionAt returns resolution n at the given stage.
func (m *Meeting) resolutionAt(act string, n int, stages ...Stage) (*resolution, error) {
	if n < 1 || n > len(m.resolutions) {
		return nil, refuse(act, ErrUnknownResolution, "there is no resolution %d (there are %d)", n, len(m.resolutions))
	}
	r := m.resolutions[n-1]
	if !slices.Contains(stages, r.stage) {
		names := make([]string, len(stages))
		for i, s := range stages {
			names[i] = s.String()
		}
		return nil, refuse(act, ErrResolutionPhase, "resolution %d is at the %s stage; %s needs the %s stage", n, r.stage, act, kernel.OneOf(names...))
	}
	return r, nil
}

// Propose puts a resolution on the notice, by the chair, before the
// meeting opens. It needs the same notice as the meeting: at least the
// rules' clear days before the meeting is held.
func (m *Meeting) Propose(actor circle.PersonID, at time.Time, s ResolutionSpec) ([]Event, error) {
	return m.run(m.decidePropose(actor, at, s))
}

func (m *Meeting) decidePropose(actor circle.PersonID, at time.Time, s ResolutionSpec) ([]Event, error) {
	const act = "propose resolution"
	if err := m.byChair(act, actor, at, PhaseCalled); err != nil {
		return nil, err
	}
	if !s.Majority.Valid() {
		return nil, refuse(act, ErrInvalidSpec, "a resolution is %s", kernel.OneOf(majorities.Names()...))
	}
	if err := kernel.FirstErr(checkText(act, "title", s.Title, 1, 200, false), checkText(act, "text", s.Text, 1, 20000, true)); err != nil {
		return nil, err
	}
	if err := notice(act, m.rules, m.zone, circle.Normalize(at), m.held); err != nil {
		return nil, err
	}
	return []Event{Proposed{Header: m.header(actor, at), Resolution: len(m.resolutions) + 1, Majority: s.Majority, Title: s.Title, Text: s.Text}}, nil
}

// AppointProxy appoints holder, a member, the actor's proxy, before the
// meeting ends. The rules must allow proxies and holder must hold fewer
// than the rules' limit ([ErrProxyLimit]); a member present in person, a
// member who holds proxies and a member who appointed one already are
// refused ([ErrProxy]), so that no proxy is held through another.
func (m *Meeting) AppointProxy(actor circle.PersonID, at time.Time, holder circle.PersonID) ([]Event, error) {
	return m.run(m.decideAppoint(actor, at, holder))
}

func (m *Meeting) decideAppoint(actor circle.PersonID, at time.Time, holder circle.PersonID) ([]Event, error) {
	const act = "appoint proxy"
	if err := kernel.FirstErr(m.guard(act, at, PhaseCalled, PhaseInSession), m.member(act, actor), m.member(act, holder)); err != nil {
		return nil, err
	}
	_, has := m.proxies[actor]
	_, holderHas := m.proxies[holder]
	switch {
	case m.rules.ProxyLimit == 0:
		return nil, refuse(act, ErrProxy, "the rules allow no proxies")
	case actor == holder:
		return nil, refuse(act, ErrProxy, "a member cannot be their own proxy")
	case m.present[actor]:
		return nil, refuse(act, ErrProxy, "%s is present in person and votes themselves", actor)
	case has:
		return nil, refuse(act, ErrProxy, "%s has a proxy already; revoke it first", actor)
	case m.holds[actor] > 0:
		return nil, refuse(act, ErrProxy, "%s holds proxies of others and cannot pass them on", actor)
	case holderHas:
		return nil, refuse(act, ErrProxy, "%s has appointed a proxy of their own and cannot hold one", holder)
	case m.holds[holder] >= m.rules.ProxyLimit:
		return nil, refuse(act, ErrProxyLimit, "%s holds %d proxies; the rules allow %d", holder, m.holds[holder], m.rules.ProxyLimit)
	}
	return []Event{ProxyAppointed{Header: m.header(actor, at), Holder: holder}}, nil
}

// RevokeProxy revokes the actor's proxy, before the meeting ends. Votes the
// proxy has cast stand.
func (m *Meeting) RevokeProxy(actor circle.PersonID, at time.Time) ([]Event, error) {
	return m.run(m.decideRevoke(actor, at))
}

func (m *Meeting) decideRevoke(actor circle.PersonID, at time.Time) ([]Event, error) {
	const act = "revoke proxy"
	if err := m.guard(act, at, PhaseCalled, PhaseInSession); err != nil {
		return nil, err
	}
	if _, ok := m.proxies[actor]; !ok {
		return nil, refuse(act, ErrProxy, "%s has no proxy", actor)
	}
	return []Event{ProxyRevoked{Header: m.header(actor, at)}}, nil
}

// Register records person, a member, present in person: by the chair, or
// by the member themselves. A proxy the member appointed ends: their own
// vote wins.
func (m *Meeting) Register(actor circle.PersonID, at time.Time, person circle.PersonID) ([]Event, error) {
	return m.run(m.decideRegister(actor, at, person))
}

func (m *Meeting) decideRegister(actor circle.PersonID, at time.Time, person circle.PersonID) ([]Event, error) {
	const act = "register"
	if err := kernel.FirstErr(m.guard(act, at, PhaseCalled, PhaseInSession), m.member(act, person)); err != nil {
		return nil, err
	}
	if actor != person && actor != m.chair {
		return nil, refuse(act, ErrNotChair, "only the chair registers someone else")
	}
	if m.present[person] {
		return nil, refuse(act, ErrAlreadyPresent, "%s is registered present already", person)
	}
	_, proxy := m.proxies[person]
	return []Event{Registered{Header: m.header(actor, at), Person: person, ProxyEnded: proxy}}, nil
}

// Open opens the meeting, by the chair, once it is time and it is
// quorate ([ErrNoQuorum] otherwise).
func (m *Meeting) Open(actor circle.PersonID, at time.Time) ([]Event, error) {
	return m.run(m.decideOpen(actor, at))
}

func (m *Meeting) decideOpen(actor circle.PersonID, at time.Time) ([]Event, error) {
	const act = "open meeting"
	if err := m.byChair(act, actor, at, PhaseCalled); err != nil {
		return nil, err
	}
	if circle.Normalize(at).Before(m.held) {
		return nil, refuse(act, ErrPhase, "the meeting is called for %s", m.held.In(m.zone).Format("2 January 2006 15:04"))
	}
	need, have := m.rules.Quorum.Need(len(m.list)), m.Attending()
	if have < need {
		return nil, refuse(act, ErrNoQuorum, "%d members attend in person or by proxy; the quorum is %d", have, need)
	}
	return []Event{Opened{Header: m.header(actor, at), Present: have, Need: need}}, nil
}

// Abandon calls the meeting off before it opens, by the chair (when it is
// inquorate, say).
func (m *Meeting) Abandon(actor circle.PersonID, at time.Time, reason string) ([]Event, error) {
	return m.run(m.decideAbandon(actor, at, reason))
}

func (m *Meeting) decideAbandon(actor circle.PersonID, at time.Time, reason string) ([]Event, error) {
	const act = "abandon meeting"
	if err := kernel.FirstErr(m.byChair(act, actor, at, PhaseCalled), checkText(act, "reason", reason, 0, 4000, true)); err != nil {
		return nil, err
	}
	return []Event{Abandoned{Header: m.header(actor, at), Reason: reason}}, nil
}

// SeekConsent puts resolution n to the meeting for consent, by the chair:
// one resolution is taken at a time.
func (m *Meeting) SeekConsent(actor circle.PersonID, at time.Time, n int) ([]Event, error) {
	return m.run(m.decideSeek(actor, at, n))
}

func (m *Meeting) decideSeek(actor circle.PersonID, at time.Time, n int) ([]Event, error) {
	const act = "seek consent"
	if err := m.byChair(act, actor, at, PhaseInSession); err != nil {
		return nil, err
	}
	if _, err := m.resolutionAt(act, n, StageProposed); err != nil {
		return nil, err
	}
	for _, r := range m.resolutions {
		if r.stage == StageConsent || r.stage == StageVoting {
			return nil, refuse(act, ErrResolutionPhase, "resolution %d is being taken; decide it first", r.number)
		}
	}
	return []Event{ConsentSought{Header: m.header(actor, at), Resolution: n}}, nil
}

// Object records the actor's objection to resolution n, with its reason:
// a member present in person, once per resolution.
func (m *Meeting) Object(actor circle.PersonID, at time.Time, n int, reason string) ([]Event, error) {
	return m.run(m.decideObject(actor, at, n, reason))
}

func (m *Meeting) decideObject(actor circle.PersonID, at time.Time, n int, reason string) ([]Event, error) {
	const act = "object"
	if err := m.guard(act, at, PhaseInSession); err != nil {
		return nil, err
	}
	r, err := m.resolutionAt(act, n, StageConsent)
	if err != nil {
		return nil, err
	}
	if !m.present[actor] {
		return nil, refuse(act, ErrNotPresent, "%s is not present in person", actor)
	}
	if slices.ContainsFunc(r.objections, func(o Objection) bool { return o.Member == actor }) {
		return nil, refuse(act, ErrAlreadyVoted, "%s has objected to resolution %d already", actor, n)
	}
	if err := checkText(act, "reason", reason, 1, 4000, true); err != nil {
		return nil, err
	}
	return []Event{Objected{Header: m.header(actor, at), Resolution: n, Reason: reason}}, nil
}

// WithdrawObjection withdraws the actor's own open objection to
// resolution n.
func (m *Meeting) WithdrawObjection(actor circle.PersonID, at time.Time, n int) ([]Event, error) {
	return m.run(m.decideWithdrawObjection(actor, at, n))
}

func (m *Meeting) decideWithdrawObjection(actor circle.PersonID, at time.Time, n int) ([]Event, error) {
	const act = "withdraw objection"
	if err := m.guard(act, at, PhaseInSession); err != nil {
		return nil, err
	}
	r, err := m.resolutionAt(act, n, StageConsent)
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(r.objections, func(o Objection) bool { return o.Member == actor && o.Open }) {
		return nil, refuse(act, ErrNoObjection, "%s has no open objection to resolution %d", actor, n)
	}
	return []Event{ObjectionWithdrawn{Header: m.header(actor, at), Resolution: n}}, nil
}

func openObjections(r *resolution) int {
	n := 0
	for _, o := range r.objections {
		if o.Open {
			n++
		}
	}
	return n
}

// DeclareConsent declares resolution n carried by consent, by the chair,
// when no objection is open ([ErrObjectionOpen] otherwise).
func (m *Meeting) DeclareConsent(actor circle.PersonID, at time.Time, n int) ([]Event, error) {
	return m.run(m.decideConsent(actor, at, n))
}

func (m *Meeting) decideConsent(actor circle.PersonID, at time.Time, n int) ([]Event, error) {
	const act = "declare consent"
	if err := m.byChair(act, actor, at, PhaseInSession); err != nil {
		return nil, err
	}
	r, err := m.resolutionAt(act, n, StageConsent)
	if err != nil {
		return nil, err
	}
	if k := openObjections(r); k > 0 {
		return nil, refuse(act, ErrObjectionOpen, "%d objection(s) to resolution %d stand", k, n)
	}
	return []Event{Decided{Header: m.header(actor, at), Resolution: n, Carried: true, ByConsent: true}}, nil
}

// CallVote calls a vote on resolution n, by the chair, when an objection
// stands and the rules decide by vote after consent ([ErrNoVote] when they
// do not; [ErrNoObjection] when no objection stands: declare consent).
func (m *Meeting) CallVote(actor circle.PersonID, at time.Time, n int) ([]Event, error) {
	return m.run(m.decideCallVote(actor, at, n))
}

func (m *Meeting) decideCallVote(actor circle.PersonID, at time.Time, n int) ([]Event, error) {
	const act = "call vote"
	if err := m.byChair(act, actor, at, PhaseInSession); err != nil {
		return nil, err
	}
	r, err := m.resolutionAt(act, n, StageConsent)
	if err != nil {
		return nil, err
	}
	if m.rules.Voting != VoteAfterConsent {
		return nil, refuse(act, ErrNoVote, "the rules decide by consent only: integrate the objection or withdraw the resolution")
	}
	if openObjections(r) == 0 {
		return nil, refuse(act, ErrNoObjection, "no objection stands: the resolution is carried by consent")
	}
	return []Event{VoteCalled{Header: m.header(actor, at), Resolution: n}}, nil
}

// Vote casts a vote on resolution n: the actor's own (member zero or the
// actor), when present in person, or, as their proxy, the vote of member,
// who is not present. A member votes once; their own vote replaces one
// their proxy cast.
func (m *Meeting) Vote(actor circle.PersonID, at time.Time, n int, c Choice, member circle.PersonID) ([]Event, error) {
	return m.run(m.decideVote(actor, at, n, c, member))
}

func (m *Meeting) decideVote(actor circle.PersonID, at time.Time, n int, c Choice, member circle.PersonID) ([]Event, error) {
	const act = "vote"
	if err := m.guard(act, at, PhaseInSession); err != nil {
		return nil, err
	}
	r, err := m.resolutionAt(act, n, StageVoting)
	if err != nil {
		return nil, err
	}
	if !c.Valid() {
		return nil, refuse(act, ErrInvalidSpec, "a vote is %s", kernel.OneOf(choices.Names()...))
	}
	if member.IsZero() {
		member = actor
	}
	if !m.present[actor] {
		return nil, refuse(act, ErrNotPresent, "%s is not present in person", actor)
	}
	prev, voted := r.votes[member]
	if member == actor {
		if err := m.member(act, actor); err != nil {
			return nil, err
		}
		if voted && prev.by == actor {
			return nil, refuse(act, ErrAlreadyVoted, "%s has voted on resolution %d", actor, n)
		}
	} else {
		if h, ok := m.proxies[member]; !ok || h != actor {
			return nil, refuse(act, ErrNotEntitled, "%s does not hold the proxy of %s", actor, member)
		}
		if voted {
			return nil, refuse(act, ErrAlreadyVoted, "the vote of %s on resolution %d is cast", member, n)
		}
	}
	return []Event{Voted{Header: m.header(actor, at), Resolution: n, Member: member, Choice: c}}, nil
}

// Counts returns the count of each class on resolution n as it stands:
// votes for, against and abstaining, and members attending (in person or
// by proxy), sorted by class.
func (m *Meeting) Counts(n int) []Count {
	if n < 1 || n > len(m.resolutions) {
		return nil
	}
	r := m.resolutions[n-1]
	by := map[circle.StakeholderClass]*Count{}
	get := func(c circle.StakeholderClass) *Count {
		if by[c] == nil {
			by[c] = &Count{Class: c}
		}
		return by[c]
	}
	for _, p := range m.list {
		if m.attends(p) {
			get(m.members[p]).Present++
		}
	}
	for p, v := range r.votes {
		c := get(m.members[p])
		switch v.choice {
		case For:
			c.For++
		case Against:
			c.Against++
		case Abstain:
			c.Abstain++
		}
		if !m.attends(p) {
			c.Present++ // voted by a proxy since revoked: counted as present for that vote
		}
	}
	out := make([]Count, 0, len(by))
	for _, c := range by {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b Count) int {
		if a.Class < b.Class {
			return -1
		}
		if a.Class > b.Class {
			return 1
		}
		return 0
	})
	return out
}

// Count closes the vote on resolution n, by the chair, and records the
// result: the count per class and the rule applied ([Tally]).
func (m *Meeting) Count(actor circle.PersonID, at time.Time, n int) ([]Event, error) {
	return m.run(m.decideCount(actor, at, n))
}

func (m *Meeting) decideCount(actor circle.PersonID, at time.Time, n int) ([]Event, error) {
	const act = "count votes"
	if err := m.byChair(act, actor, at, PhaseInSession); err != nil {
		return nil, err
	}
	r, err := m.resolutionAt(act, n, StageVoting)
	if err != nil {
		return nil, err
	}
	res, err := Tally(m.rules, r.majority, m.Counts(n))
	if err != nil {
		return nil, err
	}
	return []Event{Decided{Header: m.header(actor, at), Resolution: n, Carried: res.Carried, Result: &res}}, nil
}

// Withdraw withdraws resolution n, by the chair, before it is decided.
func (m *Meeting) Withdraw(actor circle.PersonID, at time.Time, n int, reason string) ([]Event, error) {
	return m.run(m.decideWithdraw(actor, at, n, reason))
}

func (m *Meeting) decideWithdraw(actor circle.PersonID, at time.Time, n int, reason string) ([]Event, error) {
	const act = "withdraw resolution"
	if err := m.byChair(act, actor, at, PhaseCalled, PhaseInSession); err != nil {
		return nil, err
	}
	if _, err := m.resolutionAt(act, n, StageProposed, StageConsent, StageVoting); err != nil {
		return nil, err
	}
	if err := checkText(act, "reason", reason, 0, 4000, true); err != nil {
		return nil, err
	}
	return []Event{Withdrawn{Header: m.header(actor, at), Resolution: n, Reason: reason}}, nil
}

// Close closes the meeting, by the chair, once every resolution is
// decided or withdrawn ([ErrOpenResolution] otherwise).
func (m *Meeting) Close(actor circle.PersonID, at time.Time) ([]Event, error) {
	return m.run(m.decideClose(actor, at))
}

func (m *Meeting) decideClose(actor circle.PersonID, at time.Time) ([]Event, error) {
	const act = "close meeting"
	if err := m.byChair(act, actor, at, PhaseInSession); err != nil {
		return nil, err
	}
	for _, r := range m.resolutions {
		if !r.stage.Decided() {
			return nil, refuse(act, ErrOpenResolution, "resolution %d, %q, is %s", r.number, r.title, r.stage)
		}
	}
	return []Event{Closed{Header: m.header(actor, at)}}, nil
}

// Allowed lists the acts person may do at time at, so a screen can show
// the right buttons. Every act not listed is refused. An act whose success
// depends on its arguments (which resolution, whose proxy) is listed when
// some argument would succeed.
func (m *Meeting) Allowed(person circle.PersonID, at time.Time) []Act {
	var out []Act
	some := func(a Act, ok bool) {
		if ok {
			out = append(out, a)
		}
	}
	each := func(f func(n int) error) bool {
		for n := 1; n <= len(m.resolutions); n++ {
			if f(n) == nil {
				return true
			}
		}
		return false
	}
	some(ActPropose, errOf(m.decidePropose(person, at, ResolutionSpec{Majority: Ordinary, Title: "t", Text: "t"})) == nil)
	some(ActAppointProxy, slices.ContainsFunc(m.list, func(h circle.PersonID) bool { return errOf(m.decideAppoint(person, at, h)) == nil }))
	some(ActRevokeProxy, errOf(m.decideRevoke(person, at)) == nil)
	some(ActRegister, slices.ContainsFunc(m.list, func(p circle.PersonID) bool { return errOf(m.decideRegister(person, at, p)) == nil }))
	some(ActOpen, errOf(m.decideOpen(person, at)) == nil)
	some(ActSeekConsent, each(func(n int) error { return errOf(m.decideSeek(person, at, n)) }))
	some(ActObject, each(func(n int) error { return errOf(m.decideObject(person, at, n, "a reason")) }))
	some(ActWithdrawObjection, each(func(n int) error { return errOf(m.decideWithdrawObjection(person, at, n)) }))
	some(ActDeclareConsent, each(func(n int) error { return errOf(m.decideConsent(person, at, n)) }))
	some(ActCallVote, each(func(n int) error { return errOf(m.decideCallVote(person, at, n)) }))
	some(ActVote, each(func(n int) error {
		if errOf(m.decideVote(person, at, n, For, person)) == nil {
			return nil
		}
		for p, h := range m.proxies {
			if h == person && errOf(m.decideVote(person, at, n, For, p)) == nil {
				return nil
			}
		}
		return ErrNotEntitled
	}))
	some(ActCount, each(func(n int) error { return errOf(m.decideCount(person, at, n)) }))
	some(ActWithdraw, each(func(n int) error { return errOf(m.decideWithdraw(person, at, n, "")) }))
	some(ActClose, errOf(m.decideClose(person, at)) == nil)
	some(ActAbandon, errOf(m.decideAbandon(person, at, "")) == nil)
	return out
}

func errOf(_ []Event, err error) error { return err }
