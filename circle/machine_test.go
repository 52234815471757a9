package circle_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
)

// The model: the organisation as plain maps, with every rule written out
// naively. The state machine runs random acts, valid and invalid, against
// both and compares them after every step.

type modelCircle struct {
	parent  int // 0 for the top circle
	domain  map[string]bool
	members map[int]bool
	roles   map[circle.Role]int
	classes map[int]circle.Participation // members who are not full
}

type model struct {
	people   map[int]circle.StakeholderClass
	circles  map[int]*modelCircle
	mandates map[int]*modelMandate
}

// modelMandate is a mandate as the model sees it.
type modelMandate struct {
	principal, holder int
	kind              circle.MandateKind
	revoked           bool
}

var (
	modelKeys  = []string{"care", "care/rota", "care/rota/weekends", "care/north", "finance", "finance/payroll", "people", "gardening"}
	modelRoles = []circle.Role{circle.Leader, circle.Delegate, circle.Facilitator}
)

func overlaps(a, b string) bool { return circle.DomainKey(a).Overlaps(circle.DomainKey(b)) }

func (m *model) isAncestor(anc, c int) bool {
	for cur := m.circles[c].parent; cur != 0; cur = m.circles[cur].parent {
		if cur == anc {
			return true
		}
	}
	return false
}

func (m *model) children(p int) []int {
	var out []int
	for id, c := range m.circles {
		if c.parent == p {
			out = append(out, id)
		}
	}
	return out
}

// delegable reports whether parent may hold k for its child c (c excluded
// from the siblings).
func (m *model) delegable(parent, c int, k string) bool {
	inParent := false
	for pk := range m.circles[parent].domain {
		if circle.DomainKey(pk).Contains(circle.DomainKey(k)) {
			inParent = true
		}
	}
	if !inParent {
		return false
	}
	for _, sib := range m.children(parent) {
		if sib == c {
			continue
		}
		for sk := range m.circles[sib].domain {
			if overlaps(sk, k) {
				return false
			}
		}
	}
	return true
}

type machine struct {
	org     *circle.Organisation
	m       *model
	history []circle.Event
}

func newMachine(t *rapid.T) *machine {
	org, events, err := circle.Found(founding())
	if err != nil {
		t.Fatal(err)
	}
	return &machine{
		org: org, history: events,
		m: &model{
			people: map[int]circle.StakeholderClass{1: circle.Worker},
			circles: map[int]*modelCircle{1: {
				domain:  map[string]bool{"care": true, "finance": true, "people": true},
				members: map[int]bool{1: true}, roles: map[circle.Role]int{}, classes: map[int]circle.Participation{},
			}},
			mandates: map[int]*modelMandate{},
		},
	}
}

// run applies an act the model expects to be allowed or refused, and
// checks the organisation agrees; on success the model is updated by apply.
func (s *machine) run(t *rapid.T, allowed bool, act func() ([]circle.Event, error), apply func()) {
	before, version := exportRapid(t, s.org), s.org.Version()
	events, err := act()
	if allowed {
		if err != nil {
			t.Fatalf("model allows, organisation refuses: %v", err)
		}
		s.history = append(s.history, events...)
		apply()
		return
	}
	if err == nil {
		t.Fatalf("model refuses, organisation allows (events %v)", events)
	}
	if after := exportRapid(t, s.org); after != before || s.org.Version() != version {
		t.Fatalf("refused act changed the organisation: %v", err)
	}
}

func exportRapid(t *rapid.T, o *circle.Organisation) string {
	b, err := o.Export()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func (s *machine) check(t *rapid.T) {
	// Invariants hold.
	if err := s.org.Check(); err != nil {
		t.Fatalf("invariant broken: %v", err)
	}
	// The organisation equals the model.
	if got, want := s.org.People(), slices.SortedFunc(maps.Keys(s.m.people), func(a, b int) int { return pid(a).Compare(pid(b)) }); !slices.Equal(got, mapIDs(want, pid)) {
		t.Fatalf("people %v, model %v", got, want)
	}
	if s.org.CircleCount() != len(s.m.circles) {
		t.Fatalf("%d circles, model %d", s.org.CircleCount(), len(s.m.circles))
	}
	for id, mc := range s.m.circles {
		c, ok := s.org.Circle(cid(id))
		if !ok {
			t.Fatalf("circle %d missing", id)
		}
		if p, _ := c.Parent(); (mc.parent == 0) != c.IsTop() || (mc.parent != 0 && p != cid(mc.parent)) {
			t.Fatalf("circle %d parent %v, model %d", id, p, mc.parent)
		}
		var keys []circle.DomainKey
		for k := range mc.domain {
			keys = append(keys, circle.DomainKey(k))
		}
		slices.Sort(keys)
		if !slices.Equal(c.Domain(), keys) {
			t.Fatalf("circle %d domain %v, model %v", id, c.Domain(), keys)
		}
		if got, want := c.Members(), slices.SortedFunc(maps.Keys(mc.members), func(a, b int) int { return pid(a).Compare(pid(b)) }); !slices.Equal(got, mapIDs(want, pid)) {
			t.Fatalf("circle %d members %v, model %v", id, got, want)
		}
		for _, m := range c.Members() {
			want := circle.ParticipationFull
			for p := range mc.members {
				if pid(p) == m && mc.classes[p] != 0 {
					want = mc.classes[p]
				}
			}
			if got := c.Participation(m); got != want {
				t.Fatalf("circle %d: %v is %s, model %s", id, m, got, want)
			}
		}
		for _, r := range modelRoles {
			a, held := c.Holder(r)
			holder, mheld := mc.roles[r]
			if held != mheld || (held && a.Holder != pid(holder)) {
				t.Fatalf("circle %d %s held=%v by %v, model held=%v by %d", id, r, held, a.Holder, mheld, holder)
			}
		}
	}
	// Replaying the stored form of every event so far rebuilds the same organisation.
	decoded := make([]circle.Event, 0, len(s.history))
	for _, e := range s.history {
		typ, data, err := circle.MarshalEvent(e)
		if err != nil {
			t.Fatal(err)
		}
		back, err := circle.UnmarshalEvent(typ, data)
		if err != nil {
			t.Fatalf("decode %s: %v\n%s", typ, err, data)
		}
		decoded = append(decoded, back)
	}
	replayed, err := circle.Replay(decoded)
	if err != nil {
		t.Fatalf("replay: %v", err)
	}
	if exportRapid(t, replayed) != exportRapid(t, s.org) || replayed.Version() != s.org.Version() {
		t.Fatalf("replay differs from the live organisation")
	}
	// Mandates and participation classes, which the document does not
	// carry: the live organisation equals the model and the replay.
	for id, mm := range s.m.mandates {
		got, ok := s.org.Mandate(mandateID(id))
		if !ok || got.Principal != pid(mm.principal) || got.Holder != pid(mm.holder) || got.Kind != mm.kind || got.Revoked.IsZero() == mm.revoked {
			t.Fatalf("mandate %d: %+v, model %+v", id, got, *mm)
		}
	}
	for p := range s.m.people {
		if got, want := len(s.org.MandatesOf(pid(p)))+len(s.org.MandatesHeldBy(pid(p))), s.m.mandatesOf(p); got != want {
			t.Fatalf("person %d in %d mandates, model %d", p, got, want)
		}
		if !reflectEqual(s.org.MandatesHeldBy(pid(p)), replayed.MandatesHeldBy(pid(p))) {
			t.Fatalf("person %d: replayed mandates differ", p)
		}
	}
	for id := range s.m.circles {
		live, _ := s.org.Circle(cid(id))
		back, _ := replayed.Circle(cid(id))
		for _, m := range live.Members() {
			if live.Participation(m) != back.Participation(m) {
				t.Fatalf("circle %d: replayed class of %v differs", id, m)
			}
		}
	}
}

func mandateID(n int) circle.MandateID { return circle.MandateID(circletest.UUID(0xad, n)) }

func (m *model) mandatesOf(p int) int {
	n := 0
	for _, mm := range m.mandates {
		if mm.principal == p {
			n++
		}
		if mm.holder == p {
			n++
		}
	}
	return n
}

func reflectEqual(a, b []circle.Mandate) bool {
	return slices.EqualFunc(a, b, func(x, y circle.Mandate) bool {
		return x.ID == y.ID && x.Principal == y.Principal && x.Holder == y.Holder && x.Kind == y.Kind &&
			x.From.Equal(y.From) && x.Until.Equal(y.Until) && x.Revoked.Equal(y.Revoked) &&
			slices.Equal(x.Circles, y.Circles) && slices.Equal(x.Decisions, y.Decisions)
	})
}

func mapIDs[T any](ns []int, f func(int) T) []T {
	out := make([]T, len(ns))
	for i, n := range ns {
		out[i] = f(n)
	}
	return out
}

func TestOrganisationStateMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := newMachine(t)
		person := rapid.IntRange(1, 7)
		circ := rapid.IntRange(1, 6)
		key := rapid.SampledFrom(modelKeys)
		role := rapid.SampledFrom(modelRoles)
		ada := pid(1)
		t.Repeat(map[string]func(*rapid.T){
			"": s.check,
			"add person": func(t *rapid.T) {
				p := person.Draw(t, "p")
				class := rapid.SampledFrom([]circle.StakeholderClass{circle.Worker, circle.SupportedPerson, circle.Advocate, circle.Investor}).Draw(t, "class")
				spec := circle.PersonSpec{ID: pid(p), Label: fmt.Sprintf("P%d", p), Class: class}
				_, exists := s.m.people[p]
				allowed := !exists
				if class == circle.Advocate {
					q := person.Draw(t, "actsFor")
					spec.ActsFor = []circle.PersonID{pid(q)}
					allowed = allowed && q != p && s.m.people[q] == circle.SupportedPerson
				}
				s.run(t, allowed, func() ([]circle.Event, error) { return s.org.AddPerson(ada, t0, spec) },
					func() { s.m.people[p] = class })
			},
			"stranger acts": func(t *rapid.T) {
				s.run(t, false, func() ([]circle.Event, error) { return s.org.AddMember(pid(99), t0, cid(1), ada) }, nil)
			},
			"add circle": func(t *rapid.T) {
				c, parent := circ.Draw(t, "c"), circ.Draw(t, "parent")
				kind := rapid.SampledFrom([]circle.Kind{circle.KindDepartment, circle.KindTeam, circle.KindHelping}).Draw(t, "kind")
				_, exists := s.m.circles[c]
				_, parentOK := s.m.circles[parent]
				s.run(t, !exists && parentOK, func() ([]circle.Event, error) {
					return s.org.AddCircle(ada, t0, circle.CircleSpec{ID: cid(c), Parent: cid(parent), Name: fmt.Sprintf("C%d", c), Kind: kind})
				}, func() {
					s.m.circles[c] = &modelCircle{parent: parent, domain: map[string]bool{}, members: map[int]bool{}, roles: map[circle.Role]int{}, classes: map[int]circle.Participation{}}
				})
			},
			"add member": func(t *rapid.T) {
				c, p := circ.Draw(t, "c"), person.Draw(t, "p")
				mc, ok := s.m.circles[c]
				_, known := s.m.people[p]
				s.run(t, ok && known && !mc.members[p], func() ([]circle.Event, error) { return s.org.AddMember(ada, t0, cid(c), pid(p)) },
					func() { mc.members[p] = true })
			},
			"remove member": func(t *rapid.T) {
				c, p := circ.Draw(t, "c"), person.Draw(t, "p")
				mc, ok := s.m.circles[c]
				s.run(t, ok && mc.members[p], func() ([]circle.Event, error) { return s.org.RemoveMember(ada, t0, cid(c), pid(p)) },
					func() {
						delete(mc.members, p)
						delete(mc.classes, p)
						maps.DeleteFunc(mc.roles, func(_ circle.Role, h int) bool { return h == p })
					})
			},
			"leave": func(t *rapid.T) {
				c, p := circ.Draw(t, "c"), person.Draw(t, "p")
				mc, ok := s.m.circles[c]
				_, known := s.m.people[p]
				s.run(t, ok && known && mc.members[p], func() ([]circle.Event, error) { return s.org.Leave(pid(p), t0, cid(c)) },
					func() {
						delete(mc.members, p)
						delete(mc.classes, p)
						maps.DeleteFunc(mc.roles, func(_ circle.Role, h int) bool { return h == p })
					})
			},
			"set participation": func(t *rapid.T) {
				c, p := circ.Draw(t, "c"), person.Draw(t, "p")
				k := rapid.SampledFrom(circle.Participations()).Draw(t, "class")
				mc, ok := s.m.circles[c]
				current := circle.ParticipationFull
				if ok && mc.classes[p] != 0 {
					current = mc.classes[p]
				}
				s.run(t, ok && mc.members[p] && k != current, func() ([]circle.Event, error) {
					return s.org.SetParticipation(ada, t0, cid(c), pid(p), k)
				}, func() {
					if k == circle.ParticipationFull {
						delete(mc.classes, p)
					} else {
						mc.classes[p] = k
					}
				})
			},
			"grant mandate": func(t *rapid.T) {
				n := rapid.IntRange(1, 4).Draw(t, "mandate")
				by, principal, holder := person.Draw(t, "by"), person.Draw(t, "principal"), person.Draw(t, "holder")
				kind := rapid.SampledFrom(circle.MandateKinds()).Draw(t, "kind")
				_, exists := s.m.mandates[n]
				_, pk := s.m.people[principal]
				_, hk := s.m.people[holder]
				_, byk := s.m.people[by]
				spec := circle.Mandate{ID: mandateID(n), Principal: pid(principal), Holder: pid(holder), Until: t0.AddDate(0, 1, 0)}
				act := s.org.NameAdvocate
				if kind == circle.MandateProxy {
					act = s.org.AppointProxy
				}
				s.run(t, byk && !exists && pk && hk && principal != holder && by == principal, func() ([]circle.Event, error) {
					return act(pid(by), t0, spec)
				}, func() { s.m.mandates[n] = &modelMandate{principal: principal, holder: holder, kind: kind} })
			},
			"revoke mandate": func(t *rapid.T) {
				n, by := rapid.IntRange(1, 4).Draw(t, "mandate"), person.Draw(t, "by")
				mm, ok := s.m.mandates[n]
				_, byk := s.m.people[by]
				s.run(t, byk && ok && !mm.revoked && (by == mm.principal || by == mm.holder), func() ([]circle.Event, error) {
					return s.org.RevokeMandate(pid(by), t0, mandateID(n), "")
				}, func() { mm.revoked = true })
			},
			"assign role": func(t *rapid.T) {
				c, p, r := circ.Draw(t, "c"), person.Draw(t, "p"), role.Draw(t, "role")
				mc, ok := s.m.circles[c]
				allowed := ok && mc.members[p]
				if allowed && r.IsLink() {
					other := circle.Leader
					if r == circle.Leader {
						other = circle.Delegate
					}
					if h, held := mc.roles[other]; held && h == p {
						allowed = false
					}
				}
				s.run(t, allowed, func() ([]circle.Event, error) { return s.org.AssignRole(ada, t0, cid(c), r, pid(p), term(1)) },
					func() { mc.roles[r] = p })
			},
			"end role": func(t *rapid.T) {
				c, r := circ.Draw(t, "c"), role.Draw(t, "role")
				mc, ok := s.m.circles[c]
				_, held := mc.rolesOrEmpty()[r]
				s.run(t, ok && held, func() ([]circle.Event, error) { return s.org.EndRole(ada, t0, cid(c), r) },
					func() { delete(mc.roles, r) })
			},
			"delegate domain": func(t *rapid.T) {
				c, k := circ.Draw(t, "c"), key.Draw(t, "key")
				mc, ok := s.m.circles[c]
				allowed := ok
				if ok {
					for held := range mc.domain {
						if overlaps(held, k) {
							allowed = false
						}
					}
					if mc.parent != 0 && !s.m.delegable(mc.parent, c, k) {
						allowed = false
					}
				}
				s.run(t, allowed, func() ([]circle.Event, error) { return s.org.DelegateDomain(ada, t0, cid(c), circle.DomainKey(k)) },
					func() { mc.domain[k] = true })
			},
			"revoke domain": func(t *rapid.T) {
				c, k := circ.Draw(t, "c"), key.Draw(t, "key")
				mc, ok := s.m.circles[c]
				s.run(t, ok && mc.domain[k], func() ([]circle.Event, error) { return s.org.RevokeDomain(ada, t0, cid(c), circle.DomainKey(k)) },
					func() {
						delete(mc.domain, k)
						for id, other := range s.m.circles {
							if s.m.isAncestor(c, id) {
								maps.DeleteFunc(other.domain, func(held string, _ bool) bool { return circle.DomainKey(k).Contains(circle.DomainKey(held)) })
							}
						}
					})
			},
			"move circle": func(t *rapid.T) {
				c, to := circ.Draw(t, "c"), circ.Draw(t, "to")
				mc, ok := s.m.circles[c]
				_, toOK := s.m.circles[to]
				allowed := ok && toOK && mc.parent != 0 && to != c && !s.m.isAncestor(c, to)
				if allowed {
					for k := range mc.domain {
						if !s.m.delegable(to, c, k) {
							allowed = false
						}
					}
				}
				s.run(t, allowed, func() ([]circle.Event, error) { return s.org.MoveCircle(ada, t0, cid(c), cid(to)) },
					func() { mc.parent = to })
			},
			"dissolve circle": func(t *rapid.T) {
				c := circ.Draw(t, "c")
				mc, ok := s.m.circles[c]
				s.run(t, ok && mc.parent != 0 && len(s.m.children(c)) == 0, func() ([]circle.Event, error) { return s.org.DissolveCircle(ada, t0, cid(c)) },
					func() { delete(s.m.circles, c) })
			},
		})
	})
}

func (c *modelCircle) rolesOrEmpty() map[circle.Role]int {
	if c == nil {
		return nil
	}
	return c.roles
}

// Property: a delegated key always lies inside the parent's domain and never
// overlaps a sibling's, whatever order of delegations is attempted.
func TestDomainDelegationProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		org, _, _ := circle.Found(founding())
		ada := pid(1)
		for i := 2; i <= 5; i++ {
			parent := rapid.IntRange(1, i-1).Draw(t, "parent")
			if _, err := org.AddCircle(ada, t0, circle.CircleSpec{ID: cid(i), Parent: cid(parent), Name: "c", Kind: circle.KindTeam}); err != nil {
				t.Fatal(err)
			}
		}
		for range rapid.IntRange(0, 30).Draw(t, "n") {
			c := rapid.IntRange(1, 5).Draw(t, "c")
			k := circle.DomainKey(rapid.SampledFrom(modelKeys).Draw(t, "k"))
			_, _ = org.DelegateDomain(ada, t0, cid(c), k)
		}
		for _, id := range org.Circles() {
			c, _ := org.Circle(id)
			parentID, hasParent := c.Parent()
			if !hasParent {
				continue
			}
			parent, _ := org.Circle(parentID)
			for _, k := range c.Domain() {
				inside := slices.ContainsFunc(parent.Domain(), func(pk circle.DomainKey) bool { return pk.Contains(k) })
				if !inside {
					t.Fatalf("%s holds %s outside its parent's %v", id, k, parent.Domain())
				}
				for _, sib := range parent.Children() {
					if sib == id {
						continue
					}
					s, _ := org.Circle(sib)
					for _, sk := range s.Domain() {
						if sk.Overlaps(k) {
							t.Fatalf("siblings hold overlapping %s and %s", k, sk)
						}
					}
				}
			}
		}
	})
}

// Property: export, import, export is byte-identical, and the imported
// organisation answers queries as the original does.
func TestDocumentRoundTripProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := newMachine(t)
		ada := pid(1)
		for i := range rapid.IntRange(0, 25).Draw(t, "n") {
			p := rapid.IntRange(2, 6).Draw(t, "p")
			c := rapid.IntRange(2, 6).Draw(t, "c")
			switch rapid.IntRange(0, 4).Draw(t, "act") {
			case 0:
				_, _ = s.org.AddPerson(ada, t0, circle.PersonSpec{ID: pid(p), Label: strings.Repeat("é", i%3+1), Class: circle.SupportedPerson})
			case 1:
				_, _ = s.org.AddCircle(ada, t0, circle.CircleSpec{ID: cid(c), Parent: cid(rapid.IntRange(1, 6).Draw(t, "parent")), Name: "c", Kind: circle.KindHelping, Ends: t0.AddDate(0, i, 0)})
			case 2:
				_, _ = s.org.AddMember(ada, t0.AddDate(0, 0, i), cid(c), pid(p))
			case 3:
				_, _ = s.org.AssignRole(ada, t0, cid(c), rapid.SampledFrom(modelRoles).Draw(t, "role"), pid(p), term(2))
			case 4:
				_, _ = s.org.DelegateDomain(ada, t0, cid(c), circle.DomainKey(rapid.SampledFrom(modelKeys).Draw(t, "k")))
			}
		}
		first := exportRapid(t, s.org)
		imported, err := circle.Import([]byte(first))
		if err != nil {
			t.Fatalf("import of an export: %v\n%s", err, first)
		}
		if again := exportRapid(t, imported); again != first {
			t.Fatalf("export differs after import:\n%s\n---\n%s", first, again)
		}
	})
}
