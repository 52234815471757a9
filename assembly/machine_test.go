package assembly_test

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"

	"github.com/coproduce/sociocracy/assembly"
	"github.com/coproduce/sociocracy/circle"
)

// The model of a general meeting of P1 to P5 (workers; P1 chairs) and P6,
// P7 (investors), under Equal Care's rules with a quorum of 3 and at most 2
// proxies each, with two resolutions on the notice: 1 ordinary, 2 special.
type mvote struct {
	choice assembly.Choice
	by     int
}

type mres struct {
	majority   assembly.Majority
	stage      assembly.Stage
	objections map[int]bool // member -> open
	votes      map[int]mvote
}

type amodel struct {
	phase   assembly.Phase
	present map[int]bool
	proxies map[int]int // principal -> holder
	res     [3]*mres    // 1-based
}

const people = 7

func (m *amodel) holds(h int) int {
	n := 0
	for _, x := range m.proxies {
		if x == h {
			n++
		}
	}
	return n
}

func (m *amodel) attending() int {
	n := 0
	for p := 1; p <= people; p++ {
		if h, ok := m.proxies[p]; m.present[p] || ok && m.present[h] {
			n++
		}
	}
	return n
}

func (m *amodel) taking() bool {
	return m.res[1].stage == assembly.StageConsent || m.res[1].stage == assembly.StageVoting ||
		m.res[2].stage == assembly.StageConsent || m.res[2].stage == assembly.StageVoting
}

func (m *amodel) open(n int) int {
	k := 0
	for _, o := range m.res[n].objections {
		if o {
			k++
		}
	}
	return k
}

func astate(m *assembly.Meeting) string {
	s := fmt.Sprintf("%s v%d %d", m.Phase(), m.Version(), m.Attending())
	for _, r := range m.Resolutions() {
		res := r.Result
		r.Result = nil
		s += fmt.Sprintf(" %+v", r)
		if res != nil {
			s += fmt.Sprintf(" result %+v", *res)
		}
	}
	for p := 1; p <= people; p++ {
		h, ok := m.Proxy(pid(p))
		s += fmt.Sprintf(" P%d:%v/%v/%v %v", p, m.Present(pid(p)), h, ok, m.Allowed(pid(p), after(10000)))
	}
	return s + fmt.Sprint(m.Counts(1), m.Counts(2))
}

func TestGeneralMeetingStateMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := rules()
		m, history := call(5, 2, r)
		for _, maj := range []assembly.Majority{assembly.Ordinary, assembly.Special} {
			history = append(history, must(m.Propose(pid(1), at(1), assembly.ResolutionSpec{Majority: maj, Title: "R", Text: "R"}))...)
		}
		mod := &amodel{phase: assembly.PhaseCalled, present: map[int]bool{}, proxies: map[int]int{}}
		for n, maj := range []assembly.Majority{0, assembly.Ordinary, assembly.Special} {
			if n > 0 {
				mod.res[n] = &mres{majority: maj, stage: assembly.StageProposed, objections: map[int]bool{}, votes: map[int]mvote{}}
			}
		}
		clock := 0
		var actions map[string]func(*rapid.T)
		person := rapid.IntRange(1, people+1) // P8 is not a member
		num := rapid.IntRange(1, 3)           // there is no resolution 3
		ended := func() bool { return mod.phase.Ended() }
		do := func(t *rapid.T, name string, allowed bool, act func() ([]assembly.Event, error), apply func()) {
			before := astate(m)
			evs, err := act()
			if allowed != (err == nil) {
				t.Fatalf("%s: model allowed=%v, meeting error %v", name, allowed, err)
			}
			if err != nil {
				if astate(m) != before {
					t.Fatalf("%s: refused act changed the meeting", name)
				}
				return
			}
			history = append(history, evs...)
			apply()
		}
		now := func() int { clock++; return clock }
		inSession := func() bool { return mod.phase == assembly.PhaseInSession }
		stage := func(n int, s assembly.Stage) bool { return n <= 2 && mod.res[n].stage == s }
		// Random acts rarely get far; a guided step takes the natural next
		// act (checked by the same rules), so that votes are cast and
		// counted too.
		step := func(t *rapid.T) {
			when := after(now())
			switch {
			case mod.phase == assembly.PhaseCalled:
				for p := 1; p <= people; p++ {
					if !mod.present[p] && rapid.Bool().Draw(t, "come") {
						_, oneHas := mod.proxies[1]
						if _, proxied := mod.proxies[p]; !proxied && !oneHas && p > 1 && rapid.Bool().Draw(t, "by proxy") && mod.holds(1) < r.ProxyLimit && mod.holds(p) == 0 {
							do(t, "guided appoint", true, func() ([]assembly.Event, error) { return m.AppointProxy(pid(p), when, pid(1)) },
								func() { mod.proxies[p] = 1 })
							return
						}
						do(t, "guided register", true, func() ([]assembly.Event, error) { return m.Register(pid(p), when, pid(p)) },
							func() { mod.present[p] = true; delete(mod.proxies, p) })
						return
					}
				}
				if mod.attending() >= 3 {
					do(t, "guided open", true, func() ([]assembly.Event, error) { return m.Open(pid(1), when) },
						func() { mod.phase = assembly.PhaseInSession })
				}
			case inSession():
				for n := 1; n <= 2; n++ {
					res := mod.res[n]
					switch res.stage {
					case assembly.StageConsent:
						for p := 1; p <= people; p++ {
							if _, did := res.objections[p]; mod.present[p] && !did && len(res.objections) == 0 && rapid.Bool().Draw(t, "object") {
								do(t, "guided object", true, func() ([]assembly.Event, error) { return m.Object(pid(p), when, n, "a reason") },
									func() { res.objections[p] = true })
								return
							}
						}
						if mod.open(n) > 0 {
							do(t, "guided call", true, func() ([]assembly.Event, error) { return m.CallVote(pid(1), when, n) },
								func() { res.stage = assembly.StageVoting })
							return
						}
						do(t, "guided consent", true, func() ([]assembly.Event, error) { return m.DeclareConsent(pid(1), when, n) },
							func() { res.stage = assembly.StageCarried })
						return
					case assembly.StageVoting:
						for p := 1; p <= people; p++ {
							if v, voted := res.votes[p]; mod.present[p] && !(voted && v.by == p) {
								c := assembly.Choice(rapid.IntRange(1, 3).Draw(t, "choice"))
								do(t, "guided vote", true, func() ([]assembly.Event, error) { return m.Vote(pid(p), when, n, c, circle.PersonID{}) },
									func() { res.votes[p] = mvote{choice: c, by: p} })
								return
							}
						}
						for p, h := range mod.proxies {
							if _, voted := res.votes[p]; mod.present[h] && !voted {
								c := assembly.Choice(rapid.IntRange(1, 3).Draw(t, "choice"))
								do(t, "guided proxy vote", true, func() ([]assembly.Event, error) { return m.Vote(pid(h), when, n, c, pid(p)) },
									func() { res.votes[p] = mvote{choice: c, by: h} })
								return
							}
						}
						actions["count"](t)
						return
					}
				}
				for n := 1; n <= 2; n++ {
					if mod.res[n].stage == assembly.StageProposed {
						do(t, "guided seek", true, func() ([]assembly.Event, error) { return m.SeekConsent(pid(1), when, n) },
							func() { mod.res[n].stage = assembly.StageConsent })
						return
					}
				}
				do(t, "guided close", true, func() ([]assembly.Event, error) { return m.Close(pid(1), when) },
					func() { mod.phase = assembly.PhaseClosed })
			}
		}
		actions = map[string]func(*rapid.T){
			"": func(t *rapid.T) {
				got, err := assembly.Replay(history)
				if err != nil {
					t.Fatal(err)
				}
				if astate(got) != astate(m) || astate(m.Clone()) != astate(m) {
					t.Fatalf("replay or clone differs from the live meeting:\n%s\n%s", astate(got), astate(m))
				}
				// Property: Allowed lists exactly the acts that succeed.
				checkAllowed(t, m, after(clock+1))
			},
			"register": func(t *rapid.T) {
				a, p := person.Draw(t, "actor"), person.Draw(t, "person")
				when := after(now())
				allowed := !ended() && p <= people && (a == p || a == 1) && !mod.present[p]
				do(t, "register", allowed, func() ([]assembly.Event, error) { return m.Register(pid(a), when, pid(p)) },
					func() { mod.present[p] = true; delete(mod.proxies, p) })
			},
			"appoint": func(t *rapid.T) {
				a, h := person.Draw(t, "actor"), person.Draw(t, "holder")
				when := after(now())
				_, has := mod.proxies[a]
				_, holderHas := mod.proxies[h]
				allowed := !ended() && a <= people && h <= people && a != h && !mod.present[a] && !has &&
					mod.holds(a) == 0 && !holderHas && mod.holds(h) < r.ProxyLimit
				do(t, "appoint", allowed, func() ([]assembly.Event, error) { return m.AppointProxy(pid(a), when, pid(h)) },
					func() { mod.proxies[a] = h })
			},
			"revoke": func(t *rapid.T) {
				a := person.Draw(t, "actor")
				when := after(now())
				_, has := mod.proxies[a]
				do(t, "revoke", !ended() && has, func() ([]assembly.Event, error) { return m.RevokeProxy(pid(a), when) },
					func() { delete(mod.proxies, a) })
			},
			"open": func(t *rapid.T) {
				a := person.Draw(t, "actor")
				when := after(now())
				allowed := mod.phase == assembly.PhaseCalled && a == 1 && mod.attending() >= 3
				do(t, "open", allowed, func() ([]assembly.Event, error) { return m.Open(pid(a), when) },
					func() { mod.phase = assembly.PhaseInSession })
			},
			"propose": func(t *rapid.T) {
				when := after(now())
				do(t, "propose", false, func() ([]assembly.Event, error) {
					return m.Propose(pid(1), when, assembly.ResolutionSpec{Majority: assembly.Ordinary, Title: "Late", Text: "Late"})
				}, func() {})
			},
			"seek": func(t *rapid.T) {
				a, n := person.Draw(t, "actor"), num.Draw(t, "n")
				when := after(now())
				allowed := inSession() && a == 1 && stage(n, assembly.StageProposed) && !mod.taking()
				do(t, "seek", allowed, func() ([]assembly.Event, error) { return m.SeekConsent(pid(a), when, n) },
					func() { mod.res[n].stage = assembly.StageConsent })
			},
			"object": func(t *rapid.T) {
				a, n := person.Draw(t, "actor"), num.Draw(t, "n")
				when := after(now())
				did := false
				if n <= 2 {
					_, did = mod.res[n].objections[a]
				}
				allowed := inSession() && stage(n, assembly.StageConsent) && mod.present[a] && !did
				do(t, "object", allowed, func() ([]assembly.Event, error) { return m.Object(pid(a), when, n, "a reason") },
					func() { mod.res[n].objections[a] = true })
			},
			"withdraw objection": func(t *rapid.T) {
				a, n := person.Draw(t, "actor"), num.Draw(t, "n")
				when := after(now())
				allowed := inSession() && stage(n, assembly.StageConsent) && mod.res[n].objections[a]
				do(t, "withdraw objection", allowed, func() ([]assembly.Event, error) { return m.WithdrawObjection(pid(a), when, n) },
					func() { mod.res[n].objections[a] = false })
			},
			"declare consent": func(t *rapid.T) {
				a, n := person.Draw(t, "actor"), num.Draw(t, "n")
				when := after(now())
				allowed := inSession() && a == 1 && stage(n, assembly.StageConsent) && mod.open(n) == 0
				do(t, "declare", allowed, func() ([]assembly.Event, error) { return m.DeclareConsent(pid(a), when, n) },
					func() { mod.res[n].stage = assembly.StageCarried })
			},
			"call vote": func(t *rapid.T) {
				a, n := person.Draw(t, "actor"), num.Draw(t, "n")
				when := after(now())
				allowed := inSession() && a == 1 && stage(n, assembly.StageConsent) && mod.open(n) > 0
				do(t, "call vote", allowed, func() ([]assembly.Event, error) { return m.CallVote(pid(a), when, n) },
					func() { mod.res[n].stage = assembly.StageVoting })
			},
			"vote": func(t *rapid.T) {
				a, n := person.Draw(t, "actor"), num.Draw(t, "n")
				member := rapid.IntRange(0, people+1).Draw(t, "member")
				c := assembly.Choice(rapid.IntRange(1, 3).Draw(t, "choice"))
				when := after(now())
				who := member
				if who == 0 {
					who = a
				}
				allowed := inSession() && stage(n, assembly.StageVoting) && mod.present[a]
				if allowed {
					prev, voted := mod.res[n].votes[who]
					if who == a {
						allowed = a <= people && !(voted && prev.by == a)
					} else {
						h, ok := mod.proxies[who]
						allowed = ok && h == a && !voted
					}
				}
				var arg circle.PersonID
				if member > 0 {
					arg = pid(member)
				}
				do(t, "vote", allowed, func() ([]assembly.Event, error) { return m.Vote(pid(a), when, n, c, arg) },
					func() { mod.res[n].votes[who] = mvote{choice: c, by: a} })
			},
			"count": func(t *rapid.T) {
				a, n := person.Draw(t, "actor"), num.Draw(t, "n")
				when := after(now())
				allowed := inSession() && a == 1 && stage(n, assembly.StageVoting)
				do(t, "count", allowed, func() ([]assembly.Event, error) { return m.Count(pid(a), when, n) }, func() {
					want := naiveShare(r, mod.counts(n))
					res, _ := m.Resolution(n)
					if res.Result == nil || res.Result.ShareFor().Cmp(want) != 0 {
						t.Fatalf("resolution %d: share for %v, the model counts %s", n, res.Result, want.RatString())
					}
					mod.res[n].stage = assembly.StageLost
					if res.Result.Carried {
						mod.res[n].stage = assembly.StageCarried
					}
				})
			},
			"withdraw": func(t *rapid.T) {
				a, n := person.Draw(t, "actor"), num.Draw(t, "n")
				if rapid.IntRange(0, 4).Draw(t, "rarely") > 0 {
					return
				}
				when := after(now())
				allowed := !ended() && a == 1 && n <= 2 && !mod.res[n].stage.Decided()
				do(t, "withdraw", allowed, func() ([]assembly.Event, error) { return m.Withdraw(pid(a), when, n, "") },
					func() { mod.res[n].stage = assembly.StageWithdrawn })
			},
			"close": func(t *rapid.T) {
				a := person.Draw(t, "actor")
				when := after(now())
				allowed := inSession() && a == 1 && mod.res[1].stage.Decided() && mod.res[2].stage.Decided()
				do(t, "close", allowed, func() ([]assembly.Event, error) { return m.Close(pid(a), when) },
					func() { mod.phase = assembly.PhaseClosed })
			},
			"abandon": func(t *rapid.T) {
				a := person.Draw(t, "actor")
				if a == 1 && rapid.IntRange(0, 9).Draw(t, "rarely") > 0 {
					return
				}
				when := after(now())
				allowed := mod.phase == assembly.PhaseCalled && a == 1
				do(t, "abandon", allowed, func() ([]assembly.Event, error) { return m.Abandon(pid(a), when, "") },
					func() { mod.phase = assembly.PhaseAbandoned })
			},
		}
		for i := range 8 {
			actions["step "+string(rune('a'+i))] = step
		}
		t.Repeat(actions)
	})
}

// counts returns the model's count of resolution n per class.
func (m *amodel) counts(n int) []assembly.Count {
	class := func(p int) circle.StakeholderClass {
		if p >= 6 {
			return circle.Investor
		}
		return circle.Worker
	}
	by := map[circle.StakeholderClass]*assembly.Count{}
	get := func(p int) *assembly.Count {
		c := class(p)
		if by[c] == nil {
			by[c] = &assembly.Count{Class: c}
		}
		return by[c]
	}
	attends := func(p int) bool { h, ok := m.proxies[p]; return m.present[p] || ok && m.present[h] }
	for p := 1; p <= people; p++ {
		if attends(p) {
			get(p).Present++
		}
	}
	for p, v := range m.res[n].votes {
		c := get(p)
		switch v.choice {
		case assembly.For:
			c.For++
		case assembly.Against:
			c.Against++
		default:
			c.Abstain++
		}
		if !attends(p) {
			c.Present++
		}
	}
	var out []assembly.Count
	for _, c := range by {
		out = append(out, *c)
	}
	return out
}
