package assembly_test

import (
	"slices"
	"time"

	"pgregory.net/rapid"

	"github.com/coproduce/sociocracy/assembly"
	"github.com/coproduce/sociocracy/circle"
)

// succeeds reports whether act a by p at when succeeds on a copy of m for
// some argument: every argument the test meeting can take is tried.
func succeeds(m *assembly.Meeting, a assembly.Act, p circle.PersonID, when time.Time) bool {
	try := func(f func(c *assembly.Meeting) ([]assembly.Event, error)) bool {
		_, err := f(m.Clone())
		return err == nil
	}
	some := func(f func(n int) func(c *assembly.Meeting) ([]assembly.Event, error)) bool {
		for n := 1; n <= len(m.Resolutions()); n++ {
			if try(f(n)) {
				return true
			}
		}
		return false
	}
	switch a {
	case assembly.ActPropose:
		return try(func(c *assembly.Meeting) ([]assembly.Event, error) {
			return c.Propose(p, when, assembly.ResolutionSpec{Majority: assembly.Ordinary, Title: "t", Text: "t"})
		})
	case assembly.ActAppointProxy:
		for h := 1; h <= people+1; h++ {
			if try(func(c *assembly.Meeting) ([]assembly.Event, error) { return c.AppointProxy(p, when, pid(h)) }) {
				return true
			}
		}
		return false
	case assembly.ActRevokeProxy:
		return try(func(c *assembly.Meeting) ([]assembly.Event, error) { return c.RevokeProxy(p, when) })
	case assembly.ActRegister:
		for q := 1; q <= people+1; q++ {
			if try(func(c *assembly.Meeting) ([]assembly.Event, error) { return c.Register(p, when, pid(q)) }) {
				return true
			}
		}
		return false
	case assembly.ActOpen:
		return try(func(c *assembly.Meeting) ([]assembly.Event, error) { return c.Open(p, when) })
	case assembly.ActSeekConsent:
		return some(func(n int) func(c *assembly.Meeting) ([]assembly.Event, error) {
			return func(c *assembly.Meeting) ([]assembly.Event, error) { return c.SeekConsent(p, when, n) }
		})
	case assembly.ActObject:
		return some(func(n int) func(c *assembly.Meeting) ([]assembly.Event, error) {
			return func(c *assembly.Meeting) ([]assembly.Event, error) { return c.Object(p, when, n, "why") }
		})
	case assembly.ActWithdrawObjection:
		return some(func(n int) func(c *assembly.Meeting) ([]assembly.Event, error) {
			return func(c *assembly.Meeting) ([]assembly.Event, error) { return c.WithdrawObjection(p, when, n) }
		})
	case assembly.ActDeclareConsent:
		return some(func(n int) func(c *assembly.Meeting) ([]assembly.Event, error) {
			return func(c *assembly.Meeting) ([]assembly.Event, error) { return c.DeclareConsent(p, when, n) }
		})
	case assembly.ActCallVote:
		return some(func(n int) func(c *assembly.Meeting) ([]assembly.Event, error) {
			return func(c *assembly.Meeting) ([]assembly.Event, error) { return c.CallVote(p, when, n) }
		})
	case assembly.ActVote:
		for q := 0; q <= people+1; q++ {
			var member circle.PersonID
			if q > 0 {
				member = pid(q)
			}
			if some(func(n int) func(c *assembly.Meeting) ([]assembly.Event, error) {
				return func(c *assembly.Meeting) ([]assembly.Event, error) {
					return c.Vote(p, when, n, assembly.Against, member)
				}
			}) {
				return true
			}
		}
		return false
	case assembly.ActCount:
		return some(func(n int) func(c *assembly.Meeting) ([]assembly.Event, error) {
			return func(c *assembly.Meeting) ([]assembly.Event, error) { return c.Count(p, when, n) }
		})
	case assembly.ActWithdraw:
		return some(func(n int) func(c *assembly.Meeting) ([]assembly.Event, error) {
			return func(c *assembly.Meeting) ([]assembly.Event, error) { return c.Withdraw(p, when, n, "") }
		})
	case assembly.ActClose:
		return try(func(c *assembly.Meeting) ([]assembly.Event, error) { return c.Close(p, when) })
	case assembly.ActAbandon:
		return try(func(c *assembly.Meeting) ([]assembly.Event, error) { return c.Abandon(p, when, "") })
	}
	panic("an act the test does not know: " + a.String())
}

// checkAllowed fails t unless Allowed lists, for every person, exactly the
// acts that succeed for some argument.
func checkAllowed(t *rapid.T, m *assembly.Meeting, when time.Time) {
	for q := 1; q <= people+1; q++ {
		listed := m.Allowed(pid(q), when)
		for _, a := range assembly.Acts() {
			if ok := succeeds(m, a, pid(q), when); ok != slices.Contains(listed, a) {
				t.Fatalf("P%d %s: Allowed lists it %v, it succeeds %v (%s)", q, a, !ok, ok, m.Phase())
			}
		}
	}
}
