package members_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/members"
)

// modelMember is what the naive model keeps of a person's entry.
type modelMember struct {
	member     bool
	periods    int
	shares     int
	conditions map[members.ConditionKind]bool // kind -> lapsed
}

// Property: under any sequence of acts by anyone, the register agrees with a
// naive model of the acts' rules: each act succeeds or fails as the model
// says, with the sentinel it says; a refused act changes nothing; every
// entry's membership, periods, shares and conditions match; the members now
// are the model's; and replaying the events rebuilds the same register.
func TestPropertyRegisterMatchesModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		o, _ := org(t, 6)
		r, log := open(t, o)
		model := map[circle.PersonID]*modelMember{}
		now := t0
		actor := func() circle.PersonID { return pid(rapid.IntRange(1, 2).Draw(t, "actor")) }   // 1 is in the top circle, 2 is not
		person := func() circle.PersonID { return pid(rapid.IntRange(2, 7).Draw(t, "person")) } // 7 is a stranger
		kind := func() members.ConditionKind {
			return members.ConditionKind(rapid.IntRange(0, 3).Draw(t, "condition"))
		}
		// run checks an act against the model's verdict; it reports whether
		// the act applied.
		run := func(name string, want error, act func(at time.Time) ([]members.Event, error)) bool {
			at := now.Add(time.Duration(rapid.IntRange(-1, 48).Draw(t, "hours")) * time.Hour)
			if at.Before(now) {
				want = members.ErrTimeOrder // checked before anything but the organisation and the actor's ID
			}
			version, before := r.Version(), r.Everyone()
			evs, err := act(at)
			switch {
			case want == nil && err != nil:
				t.Fatalf("%s refused: %v", name, err)
			case want != nil && !errors.Is(err, want):
				t.Fatalf("%s: got %v, want %v", name, err, want)
			case err != nil:
				if r.Version() != version || !reflect.DeepEqual(before, r.Everyone()) {
					t.Fatalf("refused %s changed the register", name)
				}
				return false
			}
			log = append(log, evs...)
			if len(evs) > 0 {
				now = at
			}
			return true
		}
		// gate is the model's verdict on who acts, on whom, before the act's own rules.
		gate := func(a, p circle.PersonID, wantMember bool) (*modelMember, error) {
			m := model[p]
			switch {
			case a != sec:
				return m, members.ErrNotAuthorised
			case p == pid(7) && !wantMember:
				return m, members.ErrUnknownPerson
			case wantMember && (m == nil || !m.member):
				return m, members.ErrNotMember
			case !wantMember && m != nil && m.member:
				return m, members.ErrAlreadyMember
			}
			return m, nil
		}
		t.Repeat(map[string]func(*rapid.T){
			"admit": func(t *rapid.T) {
				a, p, n := actor(), person(), rapid.IntRange(-1, 5).Draw(t, "shares")
				m, want := gate(a, p, false)
				if want == nil && n < 0 {
					want = members.ErrInvalidShares
				}
				if run("admit", want, func(at time.Time) ([]members.Event, error) { return r.Admit(o, a, at, p, n) }) {
					if m == nil {
						m = &modelMember{}
						model[p] = m
					}
					m.member, m.periods, m.shares, m.conditions = true, m.periods+1, n, map[members.ConditionKind]bool{}
				}
			},
			"cease": func(t *rapid.T) {
				a, p := actor(), person()
				m, want := gate(a, p, true)
				if run("cease", want, func(at time.Time) ([]members.Event, error) { return r.Cease(o, a, at, p, "gone") }) {
					m.member, m.shares, m.conditions = false, 0, nil
				}
			},
			"set shares": func(t *rapid.T) {
				a, p, n := actor(), person(), rapid.IntRange(-1, 5).Draw(t, "shares")
				m, want := gate(a, p, true)
				if want == nil && n < 0 {
					want = members.ErrInvalidShares
				}
				if run("set shares", want, func(at time.Time) ([]members.Event, error) { return r.SetShares(o, a, at, p, n) }) {
					m.shares = n
				}
			},
			"set condition": func(t *rapid.T) {
				a, p, k := actor(), person(), kind()
				m, want := gate(a, p, true)
				if want == nil && !k.Valid() {
					want = members.ErrInvalidCondition
				}
				if run("set condition", want, func(at time.Time) ([]members.Event, error) { return r.SetCondition(o, a, at, p, k, day(400)) }) {
					m.conditions[k] = false
				}
			},
			"lapse condition": func(t *rapid.T) {
				a, p, k := actor(), person(), kind()
				m, want := gate(a, p, true)
				if want == nil {
					lapsed, has := m.conditions[k]
					switch {
					case !has:
						want = members.ErrUnknownCondition
					case lapsed:
						want = members.ErrInvalidCondition
					}
				}
				if run("lapse condition", want, func(at time.Time) ([]members.Event, error) { return r.LapseCondition(o, a, at, p, k, "ended") }) {
					m.conditions[k] = true
				}
			},
			"clear condition": func(t *rapid.T) {
				a, p, k := actor(), person(), kind()
				m, want := gate(a, p, true)
				if _, has := m.conditionsOf()[k]; want == nil && !has {
					want = members.ErrUnknownCondition
				}
				if run("clear condition", want, func(at time.Time) ([]members.Event, error) { return r.ClearCondition(o, a, at, p, k, "stays") }) {
					delete(m.conditions, k)
				}
			},
			"": func(t *rapid.T) {
				current := 0
				for p, m := range model {
					got, ok := r.Member(p)
					if !ok || got.Current() != m.member || len(got.Periods) != m.periods || got.SharesAt(now) != m.shares || len(got.Conditions) != len(m.conditions) {
						t.Fatalf("entry %s: %+v; model %+v", p, got, m)
					}
					for _, c := range got.Conditions {
						if lapsed, ok := m.conditions[c.Kind]; !ok || lapsed != !c.Lapsed.IsZero() {
							t.Fatalf("entry %s condition %s: %+v; model %v", p, c.Kind, c, m.conditions)
						}
					}
					if m.member {
						current++
					}
				}
				if n := len(r.Members(now)); n != current {
					t.Fatalf("%d members now, model has %d", n, current)
				}
				back, err := members.Replay(log)
				if err != nil {
					t.Fatalf("replay: %v", err)
				}
				if !reflect.DeepEqual(back.Everyone(), r.Everyone()) || !reflect.DeepEqual(back.Offices(), r.Offices()) || back.Version() != r.Version() {
					t.Fatalf("replay differs from the live register")
				}
			},
		})
	})
}

func (m *modelMember) conditionsOf() map[members.ConditionKind]bool {
	if m == nil {
		return nil
	}
	return m.conditions
}

// Property: the members at any instant are exactly those a naive scan of
// the periods finds, and the statutory register at that instant lists every
// period begun by then.
func TestPropertyMembersAtAnyInstantMatchAScan(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		o, _ := org(t, 6)
		r, _ := open(t, o)
		now := t0
		for range rapid.IntRange(0, 30).Draw(t, "steps") {
			now = now.Add(time.Duration(rapid.IntRange(0, 5).Draw(t, "gap")) * time.Hour)
			p := pid(rapid.IntRange(2, 6).Draw(t, "person"))
			if m, ok := r.Member(p); ok && m.Current() {
				must(r.Cease(o, sec, now, p, "gone"))
			} else {
				must(r.Admit(o, sec, now, p, 0))
			}
		}
		at := t0.Add(time.Duration(rapid.IntRange(-1, int(now.Sub(t0)/time.Hour)+1).Draw(t, "at")) * time.Hour)
		var want []circle.PersonID
		begun := 0
		for _, m := range r.Everyone() {
			for _, p := range m.Periods {
				if !at.Before(p.Admitted) {
					begun++
				}
				if !at.Before(p.Admitted) && (p.Ceased.IsZero() || at.Before(p.Ceased)) {
					want = append(want, m.Person)
				}
			}
		}
		var got []circle.PersonID
		for _, m := range r.Members(at) {
			got = append(got, m.Person)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("members at %s: %v, scan %v", at, got, want)
		}
		if n := len(r.Statutory(at, nil, nil).Members); n != begun {
			t.Fatalf("statutory register at %s has %d entries, scan %d", at, n, begun)
		}
	})
}
