package linking_test

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/linking"
)

// naiveKeys computes the keys of every violation the slow, obvious way:
// member lists searched linearly, roles found by scanning Roles(), every
// rule spelled out again from docs/method.md.
func naiveKeys(org *circle.Organisation, p *linking.Policy, at time.Time) []linking.Key {
	var out []linking.Key
	for _, id := range org.Circles() {
		c, _ := org.Circle(id)
		members := c.Members()
		parentID, hasParent := c.Parent()
		if hasParent {
			parent, _ := org.Circle(parentID)
			parentMembers := parent.Members()
			rule := p.CircleRule(id, c.Kind())
			holders := map[circle.Role]circle.Assignment{}
			for _, a := range c.Roles() {
				if a.Role == circle.Leader || a.Role == circle.Delegate {
					holders[a.Role] = a
				}
			}
			key := func(code linking.Code, r circle.Role, person circle.PersonID) linking.Key {
				return linking.Key{Code: code, Circle: id, Parent: parentID, Role: r, Person: person}
			}
			l, hasL := holders[circle.Leader]
			d, hasD := holders[circle.Delegate]
			if rule.RequireLeader && !hasL {
				out = append(out, key(linking.CodeNoLeader, circle.Leader, circle.PersonID{}))
			}
			if rule.RequireDelegate && !hasD {
				out = append(out, key(linking.CodeNoDelegate, circle.Delegate, circle.PersonID{}))
			}
			if hasL && hasD && l.Holder == d.Holder {
				out = append(out, key(linking.CodeLeaderIsDelegate, circle.Role{}, l.Holder))
			}
			working := map[circle.PersonID]bool{}
			for _, a := range holders {
				inChild := slices.Contains(members, a.Holder)
				inParent := slices.Contains(parentMembers, a.Holder)
				ended := !at.Before(a.Term.End)
				if !inChild {
					out = append(out, key(linking.CodeNotMemberOfCircle, a.Role, a.Holder))
				}
				if !inParent {
					out = append(out, key(linking.CodeNotMemberOfParent, a.Role, a.Holder))
				}
				if ended {
					out = append(out, key(linking.CodeLinkTermEnded, a.Role, a.Holder))
				}
				if inChild && inParent && !ended {
					working[a.Holder] = true
				}
			}
			if len(working) < rule.MinLinks && len(working)+naiveExplained(org, id, at, rule) < rule.MinLinks {
				out = append(out, key(linking.CodeTooFewLinks, circle.Role{}, circle.PersonID{}))
			}
		}
		if c.Kind() == circle.KindHelping && !c.Ends().IsZero() && !c.Ends().After(at) {
			out = append(out, linking.Key{Code: linking.CodeHelpingCircleEnded, Circle: id})
		}
		if p == nil {
			continue
		}
		for _, r := range p.Coverage {
			if !slices.Contains(r.Kinds, c.Kind()) || (!hasParent && !r.IncludeTop) {
				continue
			}
			covered := false
			for _, m := range members {
				person, _ := org.Person(m)
				if slices.Contains(r.Classes, person.Class()) {
					covered = true
				}
				if r.CountAdvocates && person.Class() == circle.Advocate {
					for _, s := range person.ActsFor() {
						sp, _ := org.Person(s)
						if slices.Contains(r.Classes, sp.Class()) {
							covered = true
						}
					}
				}
			}
			if !covered {
				out = append(out, linking.Key{Code: linking.CodeMissingStakeholder, Circle: id, Rule: r.Name})
			}
		}
	}
	return out
}

func TestPropertyCheckAgreesWithANaiveReference(t *testing.T) {
	// Property: the set of violations Check reports, by key, is the set
	// a naive reference implementation of every rule finds, for random
	// organisations, breakages, instants and policies.
	rapid.Check(t, func(t *rapid.T) {
		s := drawShape(t)
		org := s.build(t, false)
		drawBreakage(t, s).apply(org)
		at := now.AddDate(0, rapid.IntRange(0, 24).Draw(t, "months"), 0)
		policy := drawPolicy(t)
		r, err := linking.Check(org, policy, at)
		require.NoError(t, err)
		var got []linking.Key
		for _, v := range r.Violations {
			got = append(got, v.Key())
		}
		assert.ElementsMatch(t, naiveKeys(org, policy, at), got)
	})
}
