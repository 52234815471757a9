package assembly

import (
	"slices"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/internal/kernel"
)

// Replay rebuilds a general meeting from its events, the first of which
// must be [Called]. An event that does not fit is refused with
// [ErrInvalidEvent] naming its position.
func Replay(events []Event) (*Meeting, error) { return replayer.Run(events) }

var replayer = kernel.Replay[*Meeting, Event]{
	Opening:   "assembly.called",
	Opens:     func(e Event) bool { _, ok := e.(Called); return ok },
	NotOpened: func(d string) error { return refuse("replay", ErrNotCalled, "%s", d) },
	Invalid:   func(i int, err error) error { return refuse("replay", ErrInvalidEvent, "event %d: %v", i, err) },
	Open: func(e Event) (*Meeting, error) {
		m := &Meeting{}
		if err := e.apply(m); err != nil {
			return nil, err
		}
		m.version++
		return m, nil
	},
	Apply: (*Meeting).Apply,
}

// Apply applies one stored event after those already applied. It refuses an
// event of another meeting or one that does not fit; on error nothing
// changed.
func (m *Meeting) Apply(ev Event) error {
	h := ev.EventHeader()
	if _, ok := ev.(Called); ok {
		return refuse("apply", ErrInvalidEvent, "meeting %s is already called", m.id)
	}
	if h.Org != m.org || h.Meeting != m.id {
		return refuse("apply", ErrWrongMeeting, "event of meeting %s applied to %s", h.Meeting, m.id)
	}
	if err := ev.apply(m); err != nil {
		return err
	}
	m.version++
	return nil
}

func bad(format string, args ...any) error { return refuse("apply", ErrInvalidEvent, format, args...) }

func (m *Meeting) stamp(at time.Time) { m.last = at }

func (m *Meeting) res(n int) (*resolution, error) {
	if n < 1 || n > len(m.resolutions) {
		return nil, bad("no resolution %d", n)
	}
	return m.resolutions[n-1], nil
}

func (ev Called) apply(m *Meeting) error {
	if m.phase != 0 {
		return bad("meeting already called")
	}
	loc, ok := kernel.Zone(ev.Zone)
	if !ok && ev.Zone != "UTC" {
		return bad("zone %q is not an IANA time zone", ev.Zone)
	}
	if loc == nil {
		loc = time.UTC
	}
	*m = Meeting{org: ev.Org, id: ev.Meeting, kind: ev.Kind, title: ev.Title, chair: ev.Chair, held: ev.Held,
		notice: ev.At, zone: loc, rules: ev.Rules, members: map[circle.PersonID]circle.StakeholderClass{},
		phase: PhaseCalled, last: ev.At, proxies: map[circle.PersonID]circle.PersonID{},
		holds: map[circle.PersonID]int{}, present: map[circle.PersonID]bool{}}
	m.rules.Classes = slices.Clone(ev.Rules.Classes)
	for _, mb := range ev.Members {
		if _, dup := m.members[mb.Person]; !dup {
			m.list = append(m.list, mb.Person)
		}
		m.members[mb.Person] = mb.Class
	}
	slices.SortFunc(m.list, circle.PersonID.Compare)
	return nil
}

func (ev Proposed) apply(m *Meeting) error {
	if m.phase != PhaseCalled || ev.Resolution != len(m.resolutions)+1 {
		return bad("resolution %d cannot be proposed now", ev.Resolution)
	}
	m.resolutions = append(m.resolutions, &resolution{number: ev.Resolution, majority: ev.Majority, title: ev.Title,
		text: ev.Text, stage: StageProposed, votes: map[circle.PersonID]vote{}})
	m.stamp(ev.At)
	return nil
}

func (ev ProxyAppointed) apply(m *Meeting) error {
	if m.phase.Ended() {
		return bad("proxies are appointed before the meeting ends")
	}
	if _, ok := m.proxies[ev.Actor]; ok {
		return bad("%s has a proxy already", ev.Actor)
	}
	m.proxies[ev.Actor] = ev.Holder
	m.holds[ev.Holder]++
	m.stamp(ev.At)
	return nil
}

func (m *Meeting) endProxy(p circle.PersonID) {
	if h, ok := m.proxies[p]; ok {
		delete(m.proxies, p)
		if m.holds[h]--; m.holds[h] <= 0 {
			delete(m.holds, h)
		}
	}
}

func (ev ProxyRevoked) apply(m *Meeting) error {
	if _, ok := m.proxies[ev.Actor]; !ok {
		return bad("%s has no proxy to revoke", ev.Actor)
	}
	m.endProxy(ev.Actor)
	m.stamp(ev.At)
	return nil
}

func (ev Registered) apply(m *Meeting) error {
	if m.phase.Ended() || m.present[ev.Person] {
		return bad("%s cannot be registered now", ev.Person)
	}
	m.present[ev.Person] = true
	m.endProxy(ev.Person)
	m.stamp(ev.At)
	return nil
}

func (ev Opened) apply(m *Meeting) error {
	if m.phase != PhaseCalled {
		return bad("a meeting opens once, after its notice")
	}
	m.phase = PhaseInSession
	m.stamp(ev.At)
	return nil
}

func (ev Abandoned) apply(m *Meeting) error {
	if m.phase != PhaseCalled {
		return bad("only a meeting not yet opened is abandoned")
	}
	m.phase, m.reason = PhaseAbandoned, ev.Reason
	m.stamp(ev.At)
	return nil
}

func (m *Meeting) move(n int, from, to Stage, at time.Time) (*resolution, error) {
	if m.phase != PhaseInSession {
		return nil, bad("resolutions are taken in session")
	}
	r, err := m.res(n)
	if err != nil {
		return nil, err
	}
	if r.stage != from {
		return nil, bad("resolution %d is %s, not %s", n, r.stage, from)
	}
	r.stage = to
	m.stamp(at)
	return r, nil
}

func (ev ConsentSought) apply(m *Meeting) error {
	_, err := m.move(ev.Resolution, StageProposed, StageConsent, ev.At)
	return err
}

func (ev Objected) apply(m *Meeting) error {
	r, err := m.move(ev.Resolution, StageConsent, StageConsent, ev.At)
	if err != nil {
		return err
	}
	r.objections = append(r.objections, Objection{Member: ev.Actor, Reason: ev.Reason, Open: true})
	return nil
}

func (ev ObjectionWithdrawn) apply(m *Meeting) error {
	r, err := m.move(ev.Resolution, StageConsent, StageConsent, ev.At)
	if err != nil {
		return err
	}
	for i := range r.objections {
		if r.objections[i].Member == ev.Actor && r.objections[i].Open {
			r.objections[i].Open = false
			return nil
		}
	}
	return bad("%s has no open objection to resolution %d", ev.Actor, ev.Resolution)
}

func (ev VoteCalled) apply(m *Meeting) error {
	_, err := m.move(ev.Resolution, StageConsent, StageVoting, ev.At)
	return err
}

func (ev Voted) apply(m *Meeting) error {
	r, err := m.move(ev.Resolution, StageVoting, StageVoting, ev.At)
	if err != nil {
		return err
	}
	r.votes[ev.Member] = vote{choice: ev.Choice, by: ev.Actor}
	return nil
}

func (ev Decided) apply(m *Meeting) error {
	r, err := m.res(ev.Resolution)
	if err != nil {
		return err
	}
	from := StageVoting
	if ev.ByConsent {
		from = StageConsent
	}
	to := StageLost
	if ev.Carried {
		to = StageCarried
	}
	if _, err := m.move(ev.Resolution, from, to, ev.At); err != nil {
		return err
	}
	r.byConsent = ev.ByConsent
	if ev.Result != nil {
		res := cloneResult(*ev.Result)
		r.result = &res
	}
	return nil
}

func (ev Withdrawn) apply(m *Meeting) error {
	r, err := m.res(ev.Resolution)
	if err != nil {
		return err
	}
	if r.stage.Decided() || m.phase.Ended() {
		return bad("resolution %d cannot be withdrawn now", ev.Resolution)
	}
	r.stage = StageWithdrawn
	m.stamp(ev.At)
	return nil
}

func (ev Closed) apply(m *Meeting) error {
	if m.phase != PhaseInSession {
		return bad("a meeting closes from session")
	}
	m.phase = PhaseClosed
	m.stamp(ev.At)
	return nil
}
