package linking_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/linking"
)

// shape is a generated organisation before it is built: a tree of circles,
// a pool of people, memberships and the two links of every circle below
// the top. Everything is an index: circle i is circletest.Circle(i+1),
// person j is circletest.Person(j+1); person 0 founds the organisation.
type shape struct {
	parent   []int // parent[0] is -1
	kind     []circle.Kind
	class    []circle.StakeholderClass
	actsFor  [][]int        // for advocates
	members  [][]int        // members[i], without repeats
	leader   []int          // -1 when vacant
	delegate []int          // -1 when vacant
	termEnd  [][2]time.Time // leader, delegate
}

// drawShape draws a well-linked shape: every circle below the top has a
// leader and a delegate, distinct, both members of it and of its parent,
// in term at now; helping circles end after now.
func drawShape(t *rapid.T) *shape {
	n := rapid.IntRange(1, 12).Draw(t, "circles")
	np := rapid.IntRange(3, 14).Draw(t, "people")
	s := &shape{}
	for j := range np {
		c := rapid.SampledFrom([]circle.StakeholderClass{circle.Worker, circle.SupportedPerson, circle.Advocate, circle.Investor}).Draw(t, fmt.Sprintf("class%d", j))
		if j == 0 {
			c = circle.Worker
		}
		s.class = append(s.class, c)
	}
	s.actsFor = make([][]int, np)
	var supported []int
	for j, c := range s.class {
		if c == circle.SupportedPerson {
			supported = append(supported, j)
		}
	}
	for j, c := range s.class {
		if c == circle.Advocate && len(supported) > 0 && rapid.Bool().Draw(t, fmt.Sprintf("advocates%d", j)) {
			s.actsFor[j] = []int{rapid.SampledFrom(supported).Draw(t, fmt.Sprintf("actsFor%d", j))}
		}
	}
	s.members = make([][]int, n)
	join := func(i, p int) {
		if !slices.Contains(s.members[i], p) {
			s.members[i] = append(s.members[i], p)
		}
	}
	for i := range n {
		if i == 0 {
			s.parent = append(s.parent, -1)
			s.kind = append(s.kind, circle.KindMission)
			s.leader, s.delegate = append(s.leader, -1), append(s.delegate, -1)
			s.termEnd = append(s.termEnd, [2]time.Time{})
			join(0, 0)
			continue
		}
		s.parent = append(s.parent, rapid.IntRange(0, i-1).Draw(t, fmt.Sprintf("parent%d", i)))
		s.kind = append(s.kind, rapid.SampledFrom([]circle.Kind{circle.KindDepartment, circle.KindTeam, circle.KindHelping}).Draw(t, fmt.Sprintf("kind%d", i)))
		l := rapid.IntRange(0, np-1).Draw(t, fmt.Sprintf("leader%d", i))
		d := rapid.IntRange(0, np-1).Filter(func(d int) bool { return d != l }).Draw(t, fmt.Sprintf("delegate%d", i))
		s.leader, s.delegate = append(s.leader, l), append(s.delegate, d)
		months := rapid.IntRange(2, 24)
		s.termEnd = append(s.termEnd, [2]time.Time{t0.AddDate(0, months.Draw(t, "leaderTerm"), 0), t0.AddDate(0, months.Draw(t, "delegateTerm"), 0)})
		for _, p := range []int{l, d} {
			join(i, p)
			join(s.parent[i], p)
		}
	}
	for i := range n {
		for _, p := range rapid.SliceOfNDistinct(rapid.IntRange(0, np-1), 0, 4, rapid.ID[int]).Draw(t, fmt.Sprintf("extra%d", i)) {
			join(i, p)
		}
	}
	return s
}

// build builds the shape through circle's acts. With shuffle, people,
// circles (parents still before children), memberships and roles are added
// in an order drawn from t.
func (s *shape) build(t *rapid.T, shuffle bool) *circle.Organisation {
	f := circletest.Founding(1)
	f.FounderClass = s.class[0]
	org, _, err := circle.Found(f)
	require.NoError(t, err)
	perm := func(n int, label string) []int {
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		if shuffle {
			return rapid.Permutation(idx).Draw(t, label)
		}
		return idx
	}
	act := func(_ []circle.Event, err error) { require.NoError(t, err) }
	// Supported people before the advocates who act for them.
	for _, pass := range []bool{false, true} {
		for _, j := range perm(len(s.class), "people") {
			if j == 0 || (len(s.actsFor[j]) > 0) != pass {
				continue
			}
			spec := circle.PersonSpec{ID: pid(j + 1), Label: fmt.Sprintf("P%d", j+1), Class: s.class[j]}
			for _, x := range s.actsFor[j] {
				spec.ActsFor = append(spec.ActsFor, pid(x+1))
			}
			act(org.AddPerson(pid(1), t0, spec))
		}
	}
	added := []bool{true}
	added = append(added, make([]bool, len(s.parent)-1)...)
	for remaining := len(s.parent) - 1; remaining > 0; {
		for _, i := range perm(len(s.parent), "circles") {
			if added[i] || !added[s.parent[i]] {
				continue
			}
			spec := circle.CircleSpec{ID: cid(i + 1), Parent: cid(s.parent[i] + 1), Name: fmt.Sprintf("C%d", i+1), Kind: s.kind[i]}
			if s.kind[i] == circle.KindHelping {
				spec.Ends = t0.AddDate(1, 0, 0)
			}
			act(org.AddCircle(pid(1), t0, spec))
			added[i] = true
			remaining--
		}
	}
	type pair struct{ c, p int }
	var pairs []pair
	for i, ms := range s.members {
		for _, p := range ms {
			if i != 0 || p != 0 {
				pairs = append(pairs, pair{i, p})
			}
		}
	}
	for _, k := range perm(len(pairs), "memberships") {
		act(org.AddMember(pid(1), t0, cid(pairs[k].c+1), pid(pairs[k].p+1)))
	}
	for _, k := range perm(2*len(s.parent), "roles") {
		i, r, holder := k/2, circle.Leader, s.leader[k/2]
		if k%2 == 1 {
			r, holder = circle.Delegate, s.delegate[i]
		}
		if holder < 0 {
			continue
		}
		act(org.AssignRole(pid(1), t0, cid(i+1), r, pid(holder+1), circle.Term{Start: t0, End: s.termEnd[i][k%2]}))
	}
	return org
}

func TestPropertyAWellLinkedOrganisationHasNoViolations(t *testing.T) {
	// Property: an organisation whose every circle below the top has a
	// leader and a delegate, distinct, in term, members of both circles,
	// has no violations under the default policy.
	rapid.Check(t, func(t *rapid.T) {
		s := drawShape(t)
		r, err := linking.Check(s.build(t, false), nil, now)
		require.NoError(t, err)
		assert.Empty(t, r.Violations, "%s", r)
	})
}

func TestPropertyRemovingALinkFromTheParentBreaksExactlyThatLink(t *testing.T) {
	// Property: removing from a parent circle one person who links a child
	// to it (and holds no role in the parent) yields, for every child that
	// person links, "not a member of the parent" for each of their link
	// roles, and "too few links" only where the remaining links fall below
	// the minimum for a reason no other violation names; nothing else
	// changes.
	rapid.Check(t, func(t *rapid.T) {
		s := drawShape(t)
		if len(s.parent) < 2 {
			t.Skip("no child circle")
		}
		org := s.build(t, false)
		child := rapid.IntRange(1, len(s.parent)-1).Draw(t, "child")
		p := s.leader[child]
		if rapid.Bool().Draw(t, "delegate") {
			p = s.delegate[child]
		}
		par := s.parent[child]
		if s.leader[par] == p || s.delegate[par] == p || (par == 0 && p == 0) {
			t.Skip("the person holds a role in the parent too")
		}
		_, err := org.RemoveMember(pid(1), now, cid(par+1), pid(p+1))
		require.NoError(t, err)

		var want []string
		for i := range s.parent {
			if s.parent[i] != par || (s.leader[i] != p && s.delegate[i] != p) {
				continue
			}
			if s.leader[i] == p {
				want = append(want, fmt.Sprintf("%s C%d leader P%d", linking.CodeNotMemberOfParent, i+1, p+1))
			}
			if s.delegate[i] == p {
				want = append(want, fmt.Sprintf("%s C%d delegate P%d", linking.CodeNotMemberOfParent, i+1, p+1))
			}
			id := cid(i + 1)
			if rule := linking.DefaultRule(s.kind[i]); naiveLinks(org, id, now) < rule.MinLinks &&
				naiveLinks(org, id, now)+naiveExplained(org, id, now, rule) < rule.MinLinks {
				want = append(want, fmt.Sprintf("%s C%d", linking.CodeTooFewLinks, i+1))
			}
		}
		r, err := linking.Check(org, nil, now)
		require.NoError(t, err)
		var got []string
		for _, v := range r.Violations {
			if v.Person.IsZero() {
				got = append(got, fmt.Sprintf("%s %s", v.Code, v.CircleName))
			} else {
				got = append(got, fmt.Sprintf("%s %s %s P%d", v.Code, v.CircleName, v.Role, personIndex(v.Person)))
			}
		}
		slices.Sort(want)
		slices.Sort(got)
		assert.Equal(t, want, got)
	})
}

func personIndex(p circle.PersonID) int {
	for i := 1; i < 100; i++ {
		if pid(i) == p {
			return i
		}
	}
	return -1
}

func TestPropertyTheReportDoesNotDependOnTheOrderOfBuilding(t *testing.T) {
	// Property: the same organisation built through its acts in two
	// different orders gives an identical report, then and after the same
	// breakage.
	rapid.Check(t, func(t *rapid.T) {
		s := drawShape(t)
		breakage := drawBreakage(t, s)
		at := now.AddDate(0, rapid.IntRange(0, 24).Draw(t, "months"), 0)
		policy := drawPolicy(t)
		var reports [2]*linking.Report
		for k, shuffle := range []bool{false, true} {
			org := s.build(t, shuffle)
			breakage.apply(org)
			r, err := linking.Check(org, policy, at)
			require.NoError(t, err)
			reports[k] = r
		}
		assert.Equal(t, reports[0], reports[1])
	})
}

// breakage is a list of acts drawn once and applied to several copies.
type breakage []func(org *circle.Organisation)

func (b breakage) apply(org *circle.Organisation) {
	for _, f := range b {
		f(org)
	}
}

// drawBreakage draws acts that may break links: ending roles, removing
// members, reassigning roles with short terms, adding members.
func drawBreakage(t *rapid.T, s *shape) breakage {
	n, np := len(s.parent), len(s.class)
	var b breakage
	for range rapid.IntRange(0, 8).Draw(t, "acts") {
		c := cid(rapid.IntRange(1, n).Draw(t, "c"))
		p := pid(rapid.IntRange(1, np).Draw(t, "p"))
		r := rapid.SampledFrom([]circle.Role{circle.Leader, circle.Delegate}).Draw(t, "role")
		months := rapid.IntRange(1, 6).Draw(t, "months")
		switch rapid.IntRange(0, 3).Draw(t, "act") {
		case 0:
			b = append(b, func(org *circle.Organisation) { _, _ = org.EndRole(pid(1), now, c, r) })
		case 1:
			b = append(b, func(org *circle.Organisation) { _, _ = org.RemoveMember(pid(1), now, c, p) })
		case 2:
			b = append(b, func(org *circle.Organisation) {
				_, _ = org.AssignRole(pid(1), now, c, r, p, circle.Term{Start: t0, End: now.AddDate(0, months, 0)})
			})
		case 3:
			b = append(b, func(org *circle.Organisation) { _, _ = org.AddMember(pid(1), now, c, p) })
		}
	}
	return b
}

func drawPolicy(t *rapid.T) *linking.Policy {
	if rapid.Bool().Draw(t, "default policy") {
		return nil
	}
	p := &linking.Policy{Kinds: map[circle.Kind]linking.LinkRule{}}
	for _, k := range circle.Kinds() {
		if rapid.Bool().Draw(t, "override") {
			p.Kinds[k] = linking.LinkRule{
				RequireLeader:   rapid.Bool().Draw(t, "leader"),
				RequireDelegate: rapid.Bool().Draw(t, "delegate"),
				MinLinks:        rapid.IntRange(0, 2).Draw(t, "min"),
			}
		}
	}
	if rapid.Bool().Draw(t, "circle rule") {
		p.Circles = map[circle.CircleID]linking.LinkRule{
			cid(rapid.IntRange(1, 12).Draw(t, "circle")): {MinLinks: rapid.IntRange(0, 2).Draw(t, "circle min")},
		}
	}
	if rapid.Bool().Draw(t, "coverage") {
		p.Coverage = append(p.Coverage, linking.CoProduction(circle.KindTeam, circle.KindDepartment))
	}
	return p
}

// naiveLinks counts, the slow obvious way, the distinct people who hold the
// leader or delegate role of c, whose term has not ended at now, and who
// appear in the member lists of both c and its parent.
func naiveLinks(org *circle.Organisation, c circle.CircleID, at time.Time) int {
	child, _ := org.Circle(c)
	parentID, _ := child.Parent()
	parent, _ := org.Circle(parentID)
	people := map[circle.PersonID]bool{}
	for _, a := range child.Roles() {
		if a.Role != circle.Leader && a.Role != circle.Delegate {
			continue
		}
		if !at.Before(a.Term.End) {
			continue
		}
		if slices.Contains(child.Members(), a.Holder) && slices.Contains(parent.Members(), a.Holder) {
			people[a.Holder] = true
		}
	}
	return len(people)
}

// naiveExplained counts the link roles of circle c whose shortfall another
// violation already names: a role required and vacant, a role held by
// someone who is not a working link, and a delegate who is also the leader.
func naiveExplained(org *circle.Organisation, c circle.CircleID, at time.Time, rule linking.LinkRule) int {
	child, _ := org.Circle(c)
	parentID, _ := child.Parent()
	parent, _ := org.Circle(parentID)
	l, hasL := child.Holder(circle.Leader)
	d, hasD := child.Holder(circle.Delegate)
	working := func(a circle.Assignment) bool {
		return at.Before(a.Term.End) && slices.Contains(child.Members(), a.Holder) && slices.Contains(parent.Members(), a.Holder)
	}
	n := 0
	if (rule.RequireLeader && !hasL) || (hasL && !working(l)) {
		n++
	}
	if (rule.RequireDelegate && !hasD) || (hasD && !working(d)) || (hasL && hasD && l.Holder == d.Holder && working(d)) {
		n++
	}
	return n
}

func TestPropertyTooFewLinksMatchesANaiveCount(t *testing.T) {
	// Property: a circle below the top has a "too few links" violation if
	// and only if fewer than its kind's minimum of distinct people hold its
	// leader or delegate role, in term, as members of both circles, counted
	// by a naive reference implementation, and no other violation of the
	// circle explains the shortfall (each fault is reported once); the
	// violation's counts agree.
	rapid.Check(t, func(t *rapid.T) {
		s := drawShape(t)
		org := s.build(t, false)
		drawBreakage(t, s).apply(org)
		at := now.AddDate(0, rapid.IntRange(0, 24).Draw(t, "months"), 0)
		policy := drawPolicy(t)
		r, err := linking.Check(org, policy, at)
		require.NoError(t, err)
		for _, id := range org.Circles()[1:] {
			c, _ := org.Circle(id)
			rule := policy.CircleRule(id, c.Kind())
			want := rule.MinLinks
			have := naiveLinks(org, id, at)
			explained := naiveExplained(org, id, at, rule)
			var found []linking.Violation
			for _, v := range r.For(id) {
				if v.Code == linking.CodeTooFewLinks {
					found = append(found, v)
				}
			}
			if have < want && have+explained < want {
				require.Len(t, found, 1, "%s: %d of %d links", c.Name(), have, want)
				assert.Equal(t, have, found[0].Have)
				assert.Equal(t, want, found[0].Want)
			} else {
				assert.Empty(t, found, "%s: %d of %d links", c.Name(), have, want)
			}
		}
	})
}

func TestPropertyTheReportIsSortedAndRoundTripsThroughJSON(t *testing.T) {
	// Property: violations come in depth-first circle order, then by code;
	// no two share a key; the report survives a JSON round trip.
	rapid.Check(t, func(t *rapid.T) {
		s := drawShape(t)
		org := s.build(t, false)
		drawBreakage(t, s).apply(org)
		r, err := linking.Check(org, drawPolicy(t), now.AddDate(0, rapid.IntRange(0, 24).Draw(t, "months"), 0))
		require.NoError(t, err)
		pos := map[circle.CircleID]int{}
		for i, id := range org.Circles() {
			pos[id] = i
		}
		keys := map[linking.Key]bool{}
		for i, v := range r.Violations {
			assert.False(t, keys[v.Key()], "duplicate key %v", v.Key())
			keys[v.Key()] = true
			if i > 0 {
				prev := r.Violations[i-1]
				assert.LessOrEqual(t, pos[prev.Circle], pos[v.Circle])
				if prev.Circle == v.Circle {
					assert.LessOrEqual(t, prev.Code, v.Code)
				}
			}
		}
		data, err := json.Marshal(r)
		require.NoError(t, err)
		var back linking.Report
		require.NoError(t, json.Unmarshal(data, &back))
		assert.Equal(t, *r, back)
	})
}

func TestPropertyDiffAccountsForEveryKey(t *testing.T) {
	// Property: the keys after a change are the keys before, minus those
	// resolved, plus those introduced.
	rapid.Check(t, func(t *rapid.T) {
		s := drawShape(t)
		org := s.build(t, false)
		at := now.AddDate(0, rapid.IntRange(0, 24).Draw(t, "months"), 0)
		before, err := linking.Check(org, nil, at)
		require.NoError(t, err)
		drawBreakage(t, s).apply(org)
		after, err := linking.Check(org, nil, at)
		require.NoError(t, err)
		ch := linking.Diff(before, after)
		keys := map[linking.Key]bool{}
		for _, v := range before.Violations {
			keys[v.Key()] = true
		}
		for _, v := range ch.Resolved {
			require.True(t, keys[v.Key()])
			delete(keys, v.Key())
		}
		for _, v := range ch.Introduced {
			require.False(t, keys[v.Key()])
			keys[v.Key()] = true
		}
		want := map[linking.Key]bool{}
		for _, v := range after.Violations {
			want[v.Key()] = true
		}
		assert.Equal(t, want, keys)
	})
}

func TestPropertyAFeedbackPathReversedIsThePathBack(t *testing.T) {
	// Property: the feedback path from B to A is the path from A to B
	// reversed: the same circles in the opposite order, the same lowest
	// common ancestor, and each hop crossed the other way over the same
	// links (gaps included).
	rapid.Check(t, func(t *rapid.T) {
		s := drawShape(t)
		org := s.build(t, false)
		drawBreakage(t, s).apply(org)
		a := cid(rapid.IntRange(1, len(s.parent)).Draw(t, "a"))
		b := cid(rapid.IntRange(1, len(s.parent)).Draw(t, "b"))
		ab, err := linking.FeedbackPath(org, a, b, now)
		require.NoError(t, err)
		ba, err := linking.FeedbackPath(org, b, a, now)
		require.NoError(t, err)
		rev := slices.Clone(ba.Circles)
		slices.Reverse(rev)
		assert.Equal(t, ab.Circles, rev)
		assert.Equal(t, ab.Via, ba.Via)
		require.Len(t, ba.Hops, len(ab.Hops))
		assert.Equal(t, len(ab.Circles)-1, len(ab.Hops))
		for i, h := range ab.Hops {
			back := ba.Hops[len(ba.Hops)-1-i]
			assert.Equal(t, h.From, back.To)
			assert.Equal(t, h.To, back.From)
			assert.Equal(t, h.Direction.Reverse(), back.Direction)
			assert.Equal(t, h.Leader, back.Leader)
			assert.Equal(t, h.Delegate, back.Delegate)
			assert.Equal(t, h.Blocked(), back.Blocked())
		}
		// The path climbs, then descends: never down then up.
		for i := 1; i < len(ab.Hops); i++ {
			assert.False(t, ab.Hops[i-1].Direction == linking.Down && ab.Hops[i].Direction == linking.Up)
		}
	})
}

func TestPropertyEveryCandidateIsEligible(t *testing.T) {
	// Property: every candidate for a link role may be assigned it once they
	// have joined the circles they must join, and the link then works.
	rapid.Check(t, func(t *rapid.T) {
		s := drawShape(t)
		if len(s.parent) < 2 {
			t.Skip("no child circle")
		}
		org := s.build(t, false)
		c := cid(rapid.IntRange(2, len(s.parent)).Draw(t, "c"))
		r := rapid.SampledFrom([]circle.Role{circle.Leader, circle.Delegate}).Draw(t, "role")
		cands, err := linking.Candidates(org, c, r, now)
		require.NoError(t, err)
		require.NotEmpty(t, cands, "the incumbent at least")
		k := rapid.IntRange(0, len(cands)-1).Draw(t, "k")
		cd := cands[k]
		for _, j := range cd.MustJoin {
			_, err := org.AddMember(pid(1), now, j, cd.Person)
			require.NoError(t, err)
		}
		_, err = org.AssignRole(pid(1), now, c, r, cd.Person, circle.Term{Start: now, End: now.AddDate(1, 0, 0)})
		require.NoError(t, err)
		links, err := linking.Links(org, c, now)
		require.NoError(t, err)
		i := 0
		if r == circle.Delegate {
			i = 1
		}
		assert.True(t, links[i].Working(), "%+v", links[i])
	})
}
