package meeting_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"pgregory.net/rapid"

	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/meeting"
)

// The model keeps what the meeting's rules depend on, written out naively.
// P1 facilitates, P2 keeps the minutes, P3 is a member, P4 and P5 are not.
type model struct {
	phase      meeting.Phase
	items      int
	processes  map[int]bool // the processes on the agenda
	attendance map[int]meeting.Attendance
	minutes    map[int]string // item -> outcome and note
}

const members = 3

func (m *model) host(p int) bool { return p == 1 || p == 2 }
func (m *model) before() bool {
	return m.phase == meeting.PhasePlanned || m.phase == meeting.PhaseInSession
}
func (m *model) inSession() bool { return m.phase == meeting.PhaseInSession }
func (m *model) minutable() bool {
	return m.phase == meeting.PhaseInSession || m.phase == meeting.PhaseClosed
}
func (m *model) allMinuted() bool    { return len(m.minutes) == m.items }
func (m *model) isMember(p int) bool { return p >= 1 && p <= members }

type machine struct {
	m       *meeting.Meeting
	model   *model
	history []meeting.Event
	clock   int // the latest minute used
	last    int // the minute of the latest event
}

// state is everything a reader can learn of a meeting.
func state(m *meeting.Meeting) string {
	s := fmt.Sprintf("%s v%d %s %+v %+v", m.Phase(), m.Version(), m.Title(), m.Items(), m.Links())
	for p := 1; p <= 5; p++ {
		a, ok := m.AttendanceOf(pid(p))
		s += fmt.Sprintf(" P%d:%v/%v %v", p, a, ok, m.Allowed(pid(p), at(1000)))
	}
	if mn, err := m.Minutes(pid(1)); err == nil {
		s += fmt.Sprintf(" %+v", mn)
	}
	return s
}

// run checks that the act is allowed exactly when the model says so; a
// refused act changes nothing; an allowed one updates the model.
func (s *machine) run(t *rapid.T, name string, allowed bool, act func() ([]meeting.Event, error), apply func()) {
	before := state(s.m)
	evs, err := act()
	if allowed != (err == nil) {
		t.Fatalf("%s: model allowed=%v, meeting error %v", name, allowed, err)
	}
	if err != nil {
		if state(s.m) != before {
			t.Fatalf("%s: refused act changed the meeting", name)
		}
		return
	}
	s.history = append(s.history, evs...)
	s.last = s.clock
	apply()
}

func TestMeetingStateMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		mt, evs := convene(members)
		s := &machine{m: mt, history: evs, model: &model{phase: meeting.PhasePlanned, processes: map[int]bool{},
			attendance: map[int]meeting.Attendance{}, minutes: map[int]string{}}}
		m := s.model
		person := rapid.IntRange(1, 5)
		// now is the next minute, or now and then a minute already past,
		// which every act refuses.
		now := func(t *rapid.T) (time.Time, bool) {
			if rapid.IntRange(0, 19).Draw(t, "late") == 0 && s.last > 0 {
				return at(s.last - 1), false
			}
			s.clock++
			return at(s.clock), true
		}
		ended := func() bool { return m.phase == meeting.PhasePublished || m.phase == meeting.PhaseCancelled }
		t.Repeat(map[string]func(*rapid.T){
			"": func(t *rapid.T) {
				got, err := meeting.Replay(s.history)
				if err != nil {
					t.Fatal(err)
				}
				if state(got) != state(s.m) {
					t.Fatalf("replay differs from the live meeting:\n%s\n%s", state(got), state(s.m))
				}
				if state(s.m.Clone()) != state(s.m) {
					t.Fatal("a clone differs")
				}
				// Property: Allowed lists exactly the acts that succeed.
				checkAllowed(t, s.m, at(s.clock+1))
			},
			"add process": func(t *rapid.T) {
				p, n := person.Draw(t, "actor"), rapid.IntRange(1, 3).Draw(t, "process")
				when, inOrder := now(t)
				allowed := inOrder && !ended() && m.before() && m.host(p) && !m.processes[n]
				s.run(t, "add", allowed, func() ([]meeting.Event, error) {
					return s.m.AddItems(pid(p), when, meeting.ItemSpec{Source: meeting.SourceProcess, Title: "Proposal",
						Process: consent.ProcessID(circletest.UUID(0x9c, n))})
				}, func() { m.items++; m.processes[n] = true })
			},
			"request": func(t *rapid.T) {
				p := person.Draw(t, "actor")
				conf := rapid.Bool().Draw(t, "confidential")
				when, inOrder := now(t)
				allowed := inOrder && !ended() && m.before() && m.isMember(p)
				s.run(t, "request", allowed, func() ([]meeting.Event, error) { return s.m.RequestItem(pid(p), when, "A matter", conf) },
					func() { m.items++ })
			},
			"open": func(t *rapid.T) {
				p := person.Draw(t, "actor")
				when, inOrder := now(t)
				allowed := inOrder && !ended() && m.phase == meeting.PhasePlanned && p == 1
				s.run(t, "open", allowed, func() ([]meeting.Event, error) { return s.m.Open(pid(p), when) },
					func() { m.phase = meeting.PhaseInSession })
			},
			"attend": func(t *rapid.T) {
				p, who := person.Draw(t, "actor"), person.Draw(t, "person")
				a := meeting.Attendance(rapid.IntRange(1, 4).Draw(t, "attendance"))
				when, inOrder := now(t)
				cur, has := m.attendance[who]
				allowed := inOrder && !ended() && (m.inSession() || (m.phase == meeting.PhasePlanned && a == meeting.Apologies)) &&
					m.host(p) && (a == meeting.Guest) != m.isMember(who) && !(has && cur == a)
				s.run(t, "attend", allowed, func() ([]meeting.Event, error) { return s.m.Attend(pid(p), when, pid(who), a) },
					func() { m.attendance[who] = a })
			},
			"apologies": func(t *rapid.T) {
				p := person.Draw(t, "actor")
				when, inOrder := now(t)
				allowed := inOrder && !ended() && m.before() && m.isMember(p) && m.attendance[p] != meeting.Apologies
				s.run(t, "apologies", allowed, func() ([]meeting.Event, error) { return s.m.SendApologies(pid(p), when) },
					func() { m.attendance[p] = meeting.Apologies })
			},
			"record": func(t *rapid.T) {
				p, item := person.Draw(t, "actor"), rapid.IntRange(0, 4).Draw(t, "item")
				when, inOrder := now(t)
				allowed := inOrder && !ended() && m.inSession() && m.host(p) && item <= m.items
				s.run(t, "record", allowed, func() ([]meeting.Event, error) {
					return s.m.RecordActs(pid(p), when, item, []meeting.Link{{Stream: "consent", ID: uuid.UUID(circletest.UUID(0x9c, 1)), From: 1, To: 2, Types: []string{"consent.answered"}}})
				}, func() {})
			},
			"minute": func(t *rapid.T) {
				p, item := person.Draw(t, "actor"), rapid.IntRange(1, 4).Draw(t, "item")
				o := meeting.Outcome(rapid.IntRange(1, 5).Draw(t, "outcome"))
				note := rapid.SampledFrom([]string{"", "agreed"}).Draw(t, "note")
				when, inOrder := now(t)
				cur, has := m.minutes[item]
				allowed := inOrder && !ended() && m.minutable() && p == 2 && item <= m.items && !(has && cur == o.String()+note)
				s.run(t, "minute", allowed, func() ([]meeting.Event, error) { return s.m.Minute(pid(p), when, item, o, note) },
					func() { m.minutes[item] = o.String() + note })
			},
			"close": func(t *rapid.T) {
				p := person.Draw(t, "actor")
				when, inOrder := now(t)
				allowed := inOrder && !ended() && m.inSession() && p == 1
				s.run(t, "close", allowed, func() ([]meeting.Event, error) { return s.m.Close(pid(p), when) }, func() {
					m.phase = meeting.PhaseClosed
					for q := 1; q <= members; q++ {
						if _, ok := m.attendance[q]; !ok {
							m.attendance[q] = meeting.Absent
						}
					}
				})
			},
			"publish": func(t *rapid.T) {
				p := person.Draw(t, "actor")
				when, inOrder := now(t)
				allowed := inOrder && !ended() && m.phase == meeting.PhaseClosed && p == 2 && m.allMinuted()
				s.run(t, "publish", allowed, func() ([]meeting.Event, error) { return s.m.Publish(pid(p), when) },
					func() { m.phase = meeting.PhasePublished })
			},
			"cancel": func(t *rapid.T) {
				p := person.Draw(t, "actor")
				if p == 1 && rapid.IntRange(0, 9).Draw(t, "rarely") > 0 {
					return // keep meetings running most of the time
				}
				when, inOrder := now(t)
				allowed := inOrder && !ended() && m.phase == meeting.PhasePlanned && p == 1
				s.run(t, "cancel", allowed, func() ([]meeting.Event, error) { return s.m.Cancel(pid(p), when, "") },
					func() { m.phase = meeting.PhaseCancelled })
			},
		})
	})
}

// Property: whatever the acts, an outsider's published minutes never show
// a confidential item's title or note, and a member's always do.
func TestPropertyConfidentialItemsNeverLeak(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m, _ := convene(members)
		n := rapid.IntRange(1, 8).Draw(t, "items")
		secret := map[int]bool{}
		for i := 1; i <= n; i++ {
			conf := rapid.Bool().Draw(t, "confidential")
			secret[i] = conf
			must(m.RequestItem(pid(3), at(1), fmt.Sprintf("Matter %d title", i), conf))
		}
		must(m.Open(pid(1), at(2)))
		for i := 1; i <= n; i++ {
			must(m.Minute(pid(2), at(3), i, meeting.OutcomeNoted, fmt.Sprintf("note of matter %d", i)))
		}
		must(m.Close(pid(1), at(4)))
		must(m.Publish(pid(2), at(5)))
		outsider := pid(rapid.IntRange(4, 50).Draw(t, "outsider"))
		out, err := m.Minutes(outsider)
		if err != nil {
			t.Fatal(err)
		}
		in, _ := m.Minutes(pid(rapid.IntRange(1, members).Draw(t, "member")))
		text, page := out.Text(names, nil), out.HTML(names, nil)
		inText := in.Text(names, nil)
		for i := 1; i <= n; i++ {
			title, note := fmt.Sprintf("Matter %d title", i), fmt.Sprintf("note of matter %d", i)
			leaked := containsAny(text, title, note) || containsAny(page, title, note)
			if secret[i] == leaked {
				t.Fatalf("item %d confidential=%v, shown to an outsider=%v", i, secret[i], leaked)
			}
			if !containsAny(inText, title) || !containsAny(inText, note) {
				t.Fatalf("item %d is hidden from a member", i)
			}
		}
	})
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if len(sub) > 0 && len(s) >= len(sub) {
			for i := 0; i+len(sub) <= len(s); i++ {
				if s[i:i+len(sub)] == sub {
					return true
				}
			}
		}
	}
	return false
}
