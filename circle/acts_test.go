package circle_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
)

// fixture builds: Ada (worker, founder), Ben (supported person), Cat
// (advocate for Ben), Dan (worker); circles Mission (top; care, finance,
// people) > Care (department; care) > Team North (team; care/north), and
// Mission > Finance (department; finance). Team North: Ada leader, Ben
// delegate, Cat member. Care: Ada, Dan.
func fixture(t testing.TB) *circle.Organisation {
	t.Helper()
	o, _ := recordedFixture(t)
	require.NoError(t, o.Check())
	return o
}

func circ(t testing.TB, o *circle.Organisation, id circle.CircleID) *circle.Circle {
	t.Helper()
	c, ok := o.Circle(id)
	require.True(t, ok, "circle %s", id)
	return c
}

func export(t testing.TB, o *circle.Organisation) string {
	t.Helper()
	b, err := o.Export()
	require.NoError(t, err)
	return string(b)
}

func TestActsRefuseBadInputAndChangeNothing(t *testing.T) {
	ada := pid(1)
	stranger := pid(99)
	cases := []struct {
		name string
		act  func(o *circle.Organisation) ([]circle.Event, error)
		want error
	}{
		{"actor must be a person of the organisation", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.AddMember(stranger, t0, cid(3), pid(4))
		}, circle.ErrUnknownActor},
		{"add person needs an id", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.AddPerson(ada, t0, circle.PersonSpec{Label: "X", Class: circle.Worker})
		}, circle.ErrMissingID},
		{"add person refuses an existing id", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.AddPerson(ada, t0, circle.PersonSpec{ID: pid(2), Label: "X", Class: circle.Worker})
		}, circle.ErrDuplicatePerson},
		{"add person needs a label", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.AddPerson(ada, t0, circle.PersonSpec{ID: pid(5), Class: circle.Worker})
		}, circle.ErrInvalidText},
		{"add person refuses control characters in the label", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.AddPerson(ada, t0, circle.PersonSpec{ID: pid(5), Label: "a\x00b", Class: circle.Worker})
		}, circle.ErrInvalidText},
		{"add person refuses a badly spelled class", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.AddPerson(ada, t0, circle.PersonSpec{ID: pid(5), Label: "X", Class: "Supported Person"})
		}, circle.ErrInvalidClass},
		{"only an advocate acts for someone", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.AddPerson(ada, t0, circle.PersonSpec{ID: pid(5), Label: "X", Class: circle.Worker, ActsFor: []circle.PersonID{pid(2)}})
		}, circle.ErrInvalidAdvocacy},
		{"an advocate acts for a supported person", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.AddPerson(ada, t0, circle.PersonSpec{ID: pid(5), Label: "X", Class: circle.Advocate, ActsFor: []circle.PersonID{pid(4)}})
		}, circle.ErrInvalidAdvocacy},
		{"an advocate acts for a known person", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.AddPerson(ada, t0, circle.PersonSpec{ID: pid(5), Label: "X", Class: circle.Advocate, ActsFor: []circle.PersonID{pid(77)}})
		}, circle.ErrUnknownPerson},
		{"update person refuses an unknown person", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.UpdatePerson(ada, t0, circle.PersonSpec{ID: pid(77), Label: "X", Class: circle.Worker})
		}, circle.ErrUnknownPerson},
		{"a supported person with an advocate stays a supported person", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.UpdatePerson(ada, t0, circle.PersonSpec{ID: pid(2), Label: "Ben", Class: circle.Worker})
		}, circle.ErrInvalidAdvocacy},
		{"add circle refuses an existing id", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.AddCircle(ada, t0, circle.CircleSpec{ID: cid(3), Parent: cid(1), Name: "X", Kind: circle.KindTeam})
		}, circle.ErrDuplicateCircle},
		{"add circle refuses an unknown parent", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.AddCircle(ada, t0, circle.CircleSpec{ID: cid(9), Parent: cid(77), Name: "X", Kind: circle.KindTeam})
		}, circle.ErrUnknownCircle},
		{"add circle refuses the zero kind", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.AddCircle(ada, t0, circle.CircleSpec{ID: cid(9), Parent: cid(1), Name: "X"})
		}, circle.ErrInvalidKind},
		{"there is one mission circle, at the top", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.AddCircle(ada, t0, circle.CircleSpec{ID: cid(9), Parent: cid(1), Name: "X", Kind: circle.KindMission})
		}, circle.ErrInvalidKind},
		{"a general circle sits under the mission circle", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.AddCircle(ada, t0, circle.CircleSpec{ID: cid(9), Parent: cid(2), Name: "X", Kind: circle.KindGeneral})
		}, circle.ErrInvalidKind},
		{"only a helping circle has an end date", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.AddCircle(ada, t0, circle.CircleSpec{ID: cid(9), Parent: cid(1), Name: "X", Kind: circle.KindTeam, Ends: t0.AddDate(0, 3, 0)})
		}, circle.ErrInvalidKind},
		{"change aim refuses an unknown circle", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.ChangeAim(ada, t0, cid(77), "x")
		}, circle.ErrUnknownCircle},
		{"move refuses the top circle", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.MoveCircle(ada, t0, cid(1), cid(2))
		}, circle.ErrTopCircle},
		{"move refuses a cycle", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.MoveCircle(ada, t0, cid(2), cid(3))
		}, circle.ErrCycle},
		{"move refuses a circle below itself", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.MoveCircle(ada, t0, cid(2), cid(2))
		}, circle.ErrCycle},
		{"move refuses a parent that does not hold the domain", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.MoveCircle(ada, t0, cid(3), cid(4))
		}, circle.ErrDomainOutside},
		{"dissolve refuses a circle with children", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.DissolveCircle(ada, t0, cid(2))
		}, circle.ErrHasChildren},
		{"dissolve refuses the top circle", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.DissolveCircle(ada, t0, cid(1))
		}, circle.ErrTopCircle},
		{"delegate refuses a malformed key", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.DelegateDomain(ada, t0, cid(4), "Finance//x")
		}, circle.ErrInvalidDomainKey},
		{"delegate refuses a key outside the parent's domain", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.DelegateDomain(ada, t0, cid(3), "finance/payroll")
		}, circle.ErrDomainOutside},
		{"delegate refuses a key a sibling holds", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.DelegateDomain(ada, t0, cid(4), "care")
		}, circle.ErrDomainOverlap},
		{"delegate refuses a key nested in a sibling's", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.DelegateDomain(ada, t0, cid(4), "care/billing")
		}, circle.ErrDomainOverlap},
		{"delegate refuses a key the circle already covers", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.DelegateDomain(ada, t0, cid(2), "care/rota")
		}, circle.ErrDomainHeld},
		{"revoke refuses a key not held exactly", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.RevokeDomain(ada, t0, cid(2), "care/rota")
		}, circle.ErrDomainNotHeld},
		{"add member refuses an unknown person", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.AddMember(ada, t0, cid(3), pid(77))
		}, circle.ErrUnknownPerson},
		{"add member refuses a member", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.AddMember(ada, t0, cid(3), pid(2))
		}, circle.ErrAlreadyMember},
		{"remove member refuses a non-member", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.RemoveMember(ada, t0, cid(3), pid(4))
		}, circle.ErrNotMember},
		{"a role holder is a member", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.AssignRole(ada, t0, cid(3), circle.Facilitator, pid(4), term(1))
		}, circle.ErrNotMember},
		{"leader and delegate are never the same person", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.AssignRole(ada, t0, cid(3), circle.Leader, pid(2), term(1))
		}, circle.ErrLeaderIsDelegate},
		{"a term ends after it starts", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.AssignRole(ada, t0, cid(3), circle.Facilitator, pid(3), circle.Term{Start: t0, End: t0})
		}, circle.ErrInvalidTerm},
		{"an operational role has a name", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.AssignRole(ada, t0, cid(3), circle.Operational(""), pid(3), term(1))
		}, circle.ErrInvalidRole},
		{"a standard role has no name", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.AssignRole(ada, t0, cid(3), circle.Role{Kind: circle.RoleLeader, Name: "x"}, pid(3), term(1))
		}, circle.ErrInvalidRole},
		{"end role refuses a vacant role", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.EndRole(ada, t0, cid(3), circle.Secretary)
		}, circle.ErrRoleVacant},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := fixture(t)
			before, version := export(t, o), o.Version()
			events, err := c.act(o)
			require.Error(t, err)
			assert.ErrorIs(t, err, c.want)
			var typed *circle.Error
			assert.ErrorAs(t, err, &typed)
			assert.Nil(t, events)
			assert.Equal(t, before, export(t, o), "a refused act changes nothing")
			assert.Equal(t, version, o.Version())
		})
	}
}

func TestActsYieldEventsThatReplayToTheSameOrganisation(t *testing.T) {
	ada := pid(1)
	cases := []struct {
		name  string
		act   func(o *circle.Organisation) ([]circle.Event, error)
		types []string
		check func(t *testing.T, o *circle.Organisation)
	}{
		{"update person", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.UpdatePerson(ada, t0, circle.PersonSpec{ID: pid(4), Label: "Daniel", Class: circle.Investor})
		}, []string{"circle.person_updated"}, func(t *testing.T, o *circle.Organisation) {
			p, _ := o.Person(pid(4))
			assert.Equal(t, "Daniel", p.Label())
			assert.Equal(t, circle.Investor, p.Class())
		}},
		{"add a helping circle with an end date", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.AddCircle(ada, t0, circle.CircleSpec{ID: cid(9), Parent: cid(2), Name: "Winter plan", Kind: circle.KindHelping, Ends: t0.AddDate(0, 3, 0)})
		}, []string{"circle.circle_added"}, func(t *testing.T, o *circle.Organisation) {
			c, ok := o.Circle(cid(9))
			require.True(t, ok)
			assert.Equal(t, t0.AddDate(0, 3, 0), c.Ends())
			assert.Equal(t, []circle.CircleID{cid(3), cid(9)}, circ(t, o, cid(2)).Children())
		}},
		{"change aim", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.ChangeAim(ada, t0, cid(3), "Support at home")
		}, []string{"circle.aim_changed"}, func(t *testing.T, o *circle.Organisation) {
			assert.Equal(t, "Support at home", circ(t, o, cid(3)).Aim())
		}},
		{"move a circle to a parent that holds its domain", func(o *circle.Organisation) ([]circle.Event, error) {
			added, err := o.AddCircle(ada, t0, circle.CircleSpec{ID: cid(9), Parent: cid(2), Name: "Rota", Kind: circle.KindTeam})
			require.NoError(t, err)
			moved, err := o.MoveCircle(ada, t0, cid(9), cid(3))
			return append(added, moved...), err
		}, []string{"circle.circle_added", "circle.circle_moved"}, func(t *testing.T, o *circle.Organisation) {
			assert.Equal(t, []circle.CircleID{cid(3), cid(2), cid(1)}, o.Ancestors(cid(9)))
			assert.Empty(t, circ(t, o, cid(2)).Children()[1:])
		}},
		{"dissolving ends the roles first", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.DissolveCircle(ada, t0, cid(3))
		}, []string{"circle.role_ended", "circle.role_ended", "circle.circle_dissolved"}, func(t *testing.T, o *circle.Organisation) {
			_, ok := o.Circle(cid(3))
			assert.False(t, ok)
			assert.Equal(t, []circle.CircleID{cid(1), cid(2)}, o.CirclesOf(pid(1)))
		}},
		{"revoking a key revokes it below, deepest first", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.RevokeDomain(ada, t0, cid(2), "care")
		}, []string{"circle.domain_revoked", "circle.domain_revoked"}, func(t *testing.T, o *circle.Organisation) {
			assert.Empty(t, circ(t, o, cid(3)).Domain())
			_, held := o.DomainHolder("care/north")
			assert.True(t, held, "the top circle still holds care")
		}},
		{"revoking a key reaches grandchildren (found by the state machine)", func(o *circle.Organisation) ([]circle.Event, error) {
			added, err := o.AddCircle(ada, t0, circle.CircleSpec{ID: cid(9), Parent: cid(3), Name: "Rota", Kind: circle.KindTeam})
			require.NoError(t, err)
			delegated, err := o.DelegateDomain(ada, t0, cid(9), "care/north/rota")
			require.NoError(t, err)
			revoked, err := o.RevokeDomain(ada, t0, cid(1), "care")
			return append(append(added, delegated...), revoked...), err
		}, []string{"circle.circle_added", "circle.domain_delegated", "circle.domain_revoked", "circle.domain_revoked", "circle.domain_revoked", "circle.domain_revoked"}, func(t *testing.T, o *circle.Organisation) {
			for _, c := range []circle.CircleID{cid(1), cid(2), cid(3), cid(9)} {
				assert.NotContains(t, circ(t, o, c).Domain(), circle.DomainKey("care"))
			}
			assert.Empty(t, circ(t, o, cid(9)).Domain())
		}},
		{"removing a member vacates their roles", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.RemoveMember(ada, t0, cid(3), pid(2))
		}, []string{"circle.role_ended", "circle.member_removed"}, func(t *testing.T, o *circle.Organisation) {
			_, held := circ(t, o, cid(3)).Holder(circle.Delegate)
			assert.False(t, held)
		}},
		{"assigning a filled role replaces the holder", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.AssignRole(ada, t0, cid(3), circle.Delegate, pid(3), term(2))
		}, []string{"circle.role_ended", "circle.role_assigned"}, func(t *testing.T, o *circle.Organisation) {
			a, _ := circ(t, o, cid(3)).Holder(circle.Delegate)
			assert.Equal(t, pid(3), a.Holder)
		}},
		{"end role", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.EndRole(ada, t0, cid(3), circle.Leader)
		}, []string{"circle.role_ended"}, func(t *testing.T, o *circle.Organisation) {
			assert.Empty(t, o.RolesOf(pid(1)))
		}},
		{"operational role", func(o *circle.Organisation) ([]circle.Event, error) {
			return o.AssignRole(ada, t0, cid(3), circle.Operational("Rota keeper"), pid(3), term(1))
		}, []string{"circle.role_assigned"}, func(t *testing.T, o *circle.Organisation) {
			assert.Equal(t, "operational:Rota keeper", o.RolesOf(pid(3))[0].Role.String())
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// Record every event from founding on, so the replay starts from scratch.
			o, history := recordedFixture(t)
			events, err := c.act(o)
			require.NoError(t, err)
			var types []string
			for _, e := range events {
				types = append(types, e.EventType())
			}
			assert.Equal(t, c.types, types)
			c.check(t, o)
			require.NoError(t, o.Check())
			replayed, err := circle.Replay(append(history, events...))
			require.NoError(t, err)
			assert.Equal(t, export(t, o), export(t, replayed))
			assert.Equal(t, o.Version(), replayed.Version())
		})
	}
}

// recordedFixture builds the fixture and returns its events too.
func recordedFixture(t testing.TB) (*circle.Organisation, []circle.Event) {
	t.Helper()
	o, history, err := circle.Found(founding())
	require.NoError(t, err)
	rec := func(events []circle.Event, err error) {
		require.NoError(t, err)
		history = append(history, events...)
	}
	ada := pid(1)
	rec(o.AddPerson(ada, t0, circle.PersonSpec{ID: pid(2), Label: "Ben", Class: circle.SupportedPerson}))
	rec(o.AddPerson(ada, t0, circle.PersonSpec{ID: pid(3), Label: "Cat", Class: circle.Advocate, ActsFor: []circle.PersonID{pid(2)}}))
	rec(o.AddPerson(ada, t0, circle.PersonSpec{ID: pid(4), Label: "Dan", Class: circle.Worker}))
	rec(o.AddCircle(ada, t0, circle.CircleSpec{ID: cid(2), Parent: cid(1), Name: "Care", Kind: circle.KindDepartment}))
	rec(o.DelegateDomain(ada, t0, cid(2), "care"))
	rec(o.AddCircle(ada, t0, circle.CircleSpec{ID: cid(3), Parent: cid(2), Name: "Team North", Kind: circle.KindTeam}))
	rec(o.DelegateDomain(ada, t0, cid(3), "care/north"))
	rec(o.AddCircle(ada, t0, circle.CircleSpec{ID: cid(4), Parent: cid(1), Name: "Finance", Kind: circle.KindDepartment}))
	rec(o.DelegateDomain(ada, t0, cid(4), "finance"))
	rec(o.AddMember(ada, t0, cid(2), pid(1)))
	rec(o.AddMember(ada, t0, cid(2), pid(4)))
	rec(o.AddMember(ada, t0, cid(3), pid(1)))
	rec(o.AddMember(ada, t0, cid(3), pid(2)))
	rec(o.AddMember(ada, t0, cid(3), pid(3)))
	rec(o.AssignRole(ada, t0, cid(3), circle.Leader, pid(1), term(1)))
	rec(o.AssignRole(ada, t0, cid(3), circle.Delegate, pid(2), term(1)))
	return o, history
}

func TestFoundRefusesUnknownZonesInsteadOfUTC(t *testing.T) {
	for _, zone := range []string{"", "Local", "Europe/Atlantis", "../../etc/passwd"} {
		f := founding()
		f.Zone = zone
		_, _, err := circle.Found(f)
		assert.ErrorIs(t, err, circle.ErrInvalidZone, "zone %q", zone)
	}
	f := founding()
	f.TopKind = circle.KindTeam
	_, _, err := circle.Found(f)
	assert.ErrorIs(t, err, circle.ErrInvalidKind)
	f = founding()
	f.Domain = []circle.DomainKey{"care", "care/rota"}
	_, _, err = circle.Found(f)
	assert.ErrorIs(t, err, circle.ErrDomainKeyCollision)
}

func TestQueries(t *testing.T) {
	o := fixture(t)
	assert.Equal(t, []circle.CircleID{cid(1), cid(2), cid(3), cid(4)}, o.Circles(), "parents before children")
	assert.Equal(t, []circle.CircleID{cid(2), cid(1)}, o.Ancestors(cid(3)))
	assert.Equal(t, 2, o.Depth(cid(3)))
	path, ok := o.PathBetween(cid(3), cid(4))
	require.True(t, ok)
	assert.Equal(t, []circle.CircleID{cid(3), cid(2), cid(1), cid(4)}, path)
	path, _ = o.PathBetween(cid(3), cid(3))
	assert.Equal(t, []circle.CircleID{cid(3)}, path)
	path, _ = o.PathBetween(cid(1), cid(3))
	assert.Equal(t, []circle.CircleID{cid(1), cid(2), cid(3)}, path)
	_, ok = o.PathBetween(cid(1), cid(77))
	assert.False(t, ok)
	assert.Equal(t, []circle.CircleID{cid(1), cid(2), cid(3)}, o.CirclesOf(pid(1)))
	assert.Equal(t, []circle.PersonID{pid(1), pid(2), pid(3)}, circ(t, o, cid(3)).Members())
	roles := o.RolesOf(pid(1))
	require.Len(t, roles, 1)
	assert.Equal(t, circle.Leader, roles[0].Role)
	for key, want := range map[circle.DomainKey]circle.CircleID{"care": cid(2), "care/north/rota": cid(3), "finance": cid(4), "people": cid(1)} {
		got, ok := o.DomainHolder(key)
		assert.True(t, ok)
		assert.Equal(t, want, got, "holder of %s", key)
	}
	_, ok = o.DomainHolder("gardening")
	assert.False(t, ok)
	cat, _ := o.Person(pid(3))
	assert.Equal(t, []circle.PersonID{pid(2)}, cat.ActsFor())
}

func TestTimesAreStoredInUTCToTheMicrosecond(t *testing.T) {
	o := fixture(t)
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	at := time.Date(2026, 6, 1, 12, 0, 0, 123456789, paris)
	events, err := o.ChangeAim(pid(1), at, cid(3), "x")
	require.NoError(t, err)
	got := events[0].EventHeader().At
	assert.Equal(t, time.UTC, got.Location())
	assert.Equal(t, 123456000, got.Nanosecond())
	assert.True(t, got.Equal(at.Truncate(time.Microsecond)))
}

func TestErrorsMatchOnlyTheirSentinel(t *testing.T) {
	o := fixture(t)
	_, err := o.AddMember(pid(1), t0, cid(3), pid(2))
	assert.ErrorIs(t, err, circle.ErrAlreadyMember)
	assert.False(t, errors.Is(err, circle.ErrNotMember))
	assert.Regexp(t, `^circle: add member: `, err.Error())
}

func TestReplayRefusesAStreamThatMakesTheLeaderTheDelegate(t *testing.T) {
	o, history := recordedFixture(t)
	ended, err := o.EndRole(pid(1), t0, cid(3), circle.Delegate)
	require.NoError(t, err)
	forged := circle.RoleAssigned{Header: ended[0].EventHeader(), Assignment: circle.Assignment{
		Circle: cid(3), Role: circle.Delegate, Holder: pid(1), Term: term(1)}}
	_, err = circle.Replay(append(append(history, ended...), forged))
	assert.ErrorIs(t, err, circle.ErrInvalidEvent)
	assert.ErrorIs(t, o.Apply(forged), circle.ErrInvalidEvent)
}

func TestAllWalksTheTreeInTheOrderOfCircles(t *testing.T) {
	o := fixture(t)
	var walked []circle.CircleID
	for c := range o.All() {
		walked = append(walked, c.ID())
	}
	assert.Equal(t, o.Circles(), walked)
	n := 0
	for range circ(t, o, cid(3)).MembersUnordered() {
		n++
	}
	assert.Equal(t, 3, n)
	for c := range o.All() {
		_ = c
		break // stopping early is allowed
	}
}
