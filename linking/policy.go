package linking

import (
	"slices"
	"strings"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/internal/strictjson"
)

// LinkRule says what links a circle of some kind needs to its parent. The
// zero LinkRule requires nothing: the kind is exempt.
type LinkRule struct {
	// RequireLeader reports a circle without a leader ([CodeNoLeader]).
	RequireLeader bool `json:"requireLeader"`
	// RequireDelegate reports a circle without a delegate ([CodeNoDelegate]).
	RequireDelegate bool `json:"requireDelegate"`
	// MinLinks is the number of distinct working linking people the circle
	// needs ([CodeTooFewLinks]): 0, 1 or 2, since a circle has two link roles.
	MinLinks int `json:"minLinks"`
}

// DoubleLinked returns the Sociocracy For All rule for circles below the
// top: a leader and a delegate, two distinct people, both members of both
// circles.
func DoubleLinked() LinkRule {
	return LinkRule{RequireLeader: true, RequireDelegate: true, MinLinks: 2}
}

// LeaderOnly returns the default rule for helping circles: a helping circle
// is formed by its parent and linked by the leader it is given
// (docs/method.md, "Double-linking": helping circles may be exempt, at least
// one link).
func LeaderOnly() LinkRule { return LinkRule{RequireLeader: true, MinLinks: 1} }

// DefaultRule returns the rule that applies to circles of kind k when a
// policy does not override it: [LeaderOnly] for helping circles,
// [DoubleLinked] for every other kind. The top circle has no parent and is
// never checked for links, whatever its kind.
func DefaultRule(k circle.Kind) LinkRule {
	if k == circle.KindHelping {
		return LeaderOnly()
	}
	return DoubleLinked()
}

// CoverageRule is a co-production rule: every circle of one of Kinds must
// have at least one member of one of Classes ([CodeMissingStakeholder]).
//
// An advocate is a member of class [circle.Advocate]. Listing Advocate in
// Classes counts every advocate; setting CountAdvocates instead counts only
// an advocate who acts for someone of one of Classes, which is what "a
// supported person or their advocate" means:
//
//	linking.CoverageRule{
//		Name:           "co-production",
//		Kinds:          []circle.Kind{circle.KindTeam},
//		Classes:        []circle.StakeholderClass{circle.SupportedPerson},
//		CountAdvocates: true,
//	}
//
// The person the advocate acts for need not be a member of the circle.
type CoverageRule struct {
	// Name identifies the rule in reports: lowercase words joined by hyphens,
	// 1 to 40 bytes, unique within a policy.
	Name string `json:"name"`
	// Kinds are the circle kinds the rule applies to; at least one.
	Kinds []circle.Kind `json:"kinds"`
	// Classes are the stakeholder classes that satisfy the rule; at least one.
	Classes []circle.StakeholderClass `json:"classes"`
	// CountAdvocates lets an advocate who acts for a person of one of Classes
	// satisfy the rule.
	CountAdvocates bool `json:"countAdvocates"`
	// IncludeTop applies the rule to the top circle too when its kind is in
	// Kinds; by default the top circle is left out.
	IncludeTop bool `json:"includeTop,omitempty"`
}

// CoProduction returns the rule "every circle of the given kinds (care
// teams, when none are given) includes a supported person or their
// advocate", named "co-production".
func CoProduction(kinds ...circle.Kind) CoverageRule {
	if len(kinds) == 0 {
		kinds = []circle.Kind{circle.KindTeam}
	}
	return CoverageRule{
		Name:           "co-production",
		Kinds:          slices.Clone(kinds),
		Classes:        []circle.StakeholderClass{circle.SupportedPerson},
		CountAdvocates: true,
	}
}

// Policy is what an organisation has agreed about linking and co-production.
// A nil *Policy and the zero Policy both mean the Sociocracy For All
// defaults ([DefaultRule]) with no coverage rules.
//
// A Policy is plain data that marshals to JSON; it is read, never changed,
// by the functions of this package, so one Policy may be shared by
// concurrent callers as long as nobody modifies it.
type Policy struct {
	// Default, when set, replaces [DefaultRule] for every kind not in Kinds.
	Default *LinkRule `json:"default,omitempty"`
	// Kinds overrides the rule for circles of a kind.
	Kinds map[circle.Kind]LinkRule `json:"kinds,omitempty"`
	// Circles overrides the rule for one circle, whatever its kind: a
	// circle the organisation has agreed to link differently. Entries for
	// circles that do not exist (any more) are ignored.
	Circles map[circle.CircleID]LinkRule `json:"circles,omitempty"`
	// Coverage lists the co-production rules, reported in this order.
	Coverage []CoverageRule `json:"coverage,omitempty"`
}

// CircleRule returns the rule that applies to circle c of kind k (below
// the top): its entry in Circles, else [Policy.Rule] of its kind.
func (p *Policy) CircleRule(c circle.CircleID, k circle.Kind) LinkRule {
	if p != nil {
		if r, ok := p.Circles[c]; ok {
			return r
		}
	}
	return p.Rule(k)
}

// Rule returns the rule that applies to circles of kind k (below the top)
// without a rule of their own in Circles.
func (p *Policy) Rule(k circle.Kind) LinkRule {
	if p != nil {
		if r, ok := p.Kinds[k]; ok {
			return r
		}
		if p.Default != nil {
			return *p.Default
		}
	}
	return DefaultRule(k)
}

// Check reports whether the policy can be applied: minimums within 0 to 2,
// valid kinds, and coverage rules with a valid unique name, at least one
// valid kind and at least one valid class. A nil Policy is valid.
func (p *Policy) Check() error {
	const op = "check policy"
	if p == nil {
		return nil
	}
	checkRule := func(what string, r LinkRule) error {
		if r.MinLinks < 0 || r.MinLinks > 2 {
			return fail(op, ErrInvalidPolicy, "%s: minimum links must be 0, 1 or 2 (a circle has one leader and one delegate), not %d", what, r.MinLinks)
		}
		return nil
	}
	if p.Default != nil {
		if err := checkRule("default rule", *p.Default); err != nil {
			return err
		}
	}
	kinds := make([]circle.Kind, 0, len(p.Kinds))
	for k := range p.Kinds {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		if !k.Valid() {
			return fail(op, ErrInvalidPolicy, "rule for kind %d, which is not a circle kind", uint8(k))
		}
		if err := checkRule("rule for "+k.String()+" circles", p.Kinds[k]); err != nil {
			return err
		}
	}
	ids := make([]circle.CircleID, 0, len(p.Circles))
	for id := range p.Circles {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, circle.CircleID.Compare)
	for _, id := range ids {
		if id.IsZero() {
			return fail(op, ErrInvalidPolicy, "rule for the nil circle id")
		}
		if err := checkRule("rule for circle "+id.String(), p.Circles[id]); err != nil {
			return err
		}
	}
	seen := map[string]bool{}
	for i, r := range p.Coverage {
		if !circle.StakeholderClass(r.Name).Valid() {
			return fail(op, ErrInvalidPolicy, "coverage rule %d: name %q must be lowercase words joined by hyphens, 1 to 40 bytes", i, clip(r.Name))
		}
		if seen[r.Name] {
			return fail(op, ErrInvalidPolicy, "coverage rule %d: name %q is used twice", i, r.Name)
		}
		seen[r.Name] = true
		if len(r.Kinds) == 0 {
			return fail(op, ErrInvalidPolicy, "coverage rule %q names no circle kinds", r.Name)
		}
		for _, k := range r.Kinds {
			if !k.Valid() {
				return fail(op, ErrInvalidPolicy, "coverage rule %q: kind %d is not a circle kind", r.Name, uint8(k))
			}
		}
		if len(r.Classes) == 0 {
			return fail(op, ErrInvalidPolicy, "coverage rule %q names no stakeholder classes", r.Name)
		}
		for _, c := range r.Classes {
			if !c.Valid() {
				return fail(op, ErrInvalidPolicy, "coverage rule %q: %q is not a stakeholder class", r.Name, clip(string(c)))
			}
		}
	}
	return nil
}

// ParsePolicy decodes a policy a host stored as JSON (the form
// encoding/json gives a [Policy]) strictly: unknown or duplicate fields,
// missing required fields, unknown kinds and trailing data are refused,
// and the result must pass [Policy.Check]. Errors match [ErrInvalidPolicy].
func ParsePolicy(data []byte) (*Policy, error) {
	const op = "parse policy"
	var p Policy
	if err := strictjson.Unmarshal(data, &p); err != nil {
		return nil, fail(op, ErrInvalidPolicy, "%s", trimCause(err.Error()))
	}
	if err := p.Check(); err != nil {
		return nil, err
	}
	// An empty list or map means the same as none; keep one form.
	if len(p.Kinds) == 0 {
		p.Kinds = nil
	}
	if len(p.Circles) == 0 {
		p.Circles = nil
	}
	if len(p.Coverage) == 0 {
		p.Coverage = nil
	}
	return &p, nil
}

// trimCause drops package prefixes that nested errors repeat.
func trimCause(s string) string {
	for _, p := range []string{"strictjson: ", "linking: ", "circle: "} {
		s = strings.ReplaceAll(s, p, "")
	}
	return s
}
