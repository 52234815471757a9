package linking

import (
	"fmt"
	"strings"
	"time"

	"github.com/coproduce/sociocracy/circle"
)

// Violation is one way the organisation falls short of its policy: what
// ([Code]), where (Circle, and Parent for a link), who (Role and Person,
// when one person's link is at fault) and a plain-English Message a
// secretary can act on.
//
// Fields that do not apply to a code are zero and left out of the JSON
// form. The zero Violation is invalid.
type Violation struct {
	Code       Code            `json:"code"`
	Circle     circle.CircleID `json:"circle"`
	CircleName string          `json:"circleName"`
	// Parent is the parent circle for link codes; zero otherwise.
	Parent circle.CircleID `json:"parent,omitzero"`
	// Role is the link role at fault (leader or delegate), when one is.
	Role circle.Role `json:"role,omitzero"`
	// Person holds Role, or is both leader and delegate.
	Person circle.PersonID `json:"person,omitzero"`
	// Rule names the coverage rule of [CodeMissingStakeholder].
	Rule string `json:"rule,omitempty"`
	// Have and Want count the working linking people of [CodeTooFewLinks].
	Have int `json:"have,omitempty"`
	Want int `json:"want,omitempty"`
	// Date is when a term or a helping circle ended.
	Date    time.Time `json:"date,omitzero"`
	Message string    `json:"message"`
}

// Key identifies a violation across reports: the same problem in two
// reports has the same Key, whatever its message or counts say.
type Key struct {
	Code   Code
	Circle circle.CircleID
	Parent circle.CircleID
	Role   circle.Role
	Person circle.PersonID
	Rule   string
}

// Key returns the identity of v, as [Diff] uses it.
func (v Violation) Key() Key {
	return Key{Code: v.Code, Circle: v.Circle, Parent: v.Parent, Role: v.Role, Person: v.Person, Rule: v.Rule}
}

// String returns "<code> in <circle name>: <message>".
func (v Violation) String() string { return v.Code.String() + " in " + v.CircleName + ": " + v.Message }

// Report is the result of [Validate]: every violation of the organisation at
// one instant, in a deterministic order: by the circle's position in
// [circle.Organisation.Circles] (depth first from the top, parents before
// children), then by code in the order of the constants, then leader before
// delegate, then coverage rules in policy order.
//
// A Report is plain data that marshals to JSON with the field names shown
// and back; it is safe for concurrent reads.
type Report struct {
	Org     circle.OrgID `json:"org"`
	OrgName string       `json:"orgName"`
	// At is the instant the organisation was judged at (UTC, microseconds).
	At time.Time `json:"at"`
	// Circles is the number of circles checked.
	Circles int `json:"circles"`
	// Violations is never nil in a report Validate returns.
	Violations []Violation `json:"violations"`
}

// OK reports whether there are no violations.
func (r *Report) OK() bool { return r == nil || len(r.Violations) == 0 }

// Count returns the number of violations with code c.
func (r *Report) Count(c Code) int {
	n := 0
	if r != nil {
		for _, v := range r.Violations {
			if v.Code == c {
				n++
			}
		}
	}
	return n
}

// For returns the violations that concern circle c, in report order.
func (r *Report) For(c circle.CircleID) []Violation {
	var out []Violation
	if r != nil {
		for _, v := range r.Violations {
			if v.Circle == c {
				out = append(out, v)
			}
		}
	}
	return out
}

// String returns the report as text for a secretary: a summary line, then
// the problems grouped by circle, one line each.
func (r *Report) String() string {
	if r == nil {
		return "no report"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Linking report for %q at %s: %s checked, ", r.OrgName, r.At.UTC().Format("2006-01-02 15:04 UTC"), plural(r.Circles, "circle", "circles"))
	if len(r.Violations) == 0 {
		b.WriteString("no problems.\n")
		return b.String()
	}
	fmt.Fprintf(&b, "%s.\n", plural(len(r.Violations), "problem", "problems"))
	for i, v := range r.Violations {
		if i == 0 || r.Violations[i-1].Circle != v.Circle {
			fmt.Fprintf(&b, "\n%s:\n", v.CircleName)
		}
		fmt.Fprintf(&b, "  - %s [%s]\n", v.Message, v.Code)
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Validate judges the organisation against the policy at instant now and
// reports every violation at once (see [Report] for the order). A nil policy
// means the Sociocracy For All defaults. It fails only when org is nil or
// the policy does not pass [Policy.Check].
//
// What is checked, for every circle below the top, with the rule of its
// kind ([Policy.Rule]):
//   - a required leader or delegate is missing;
//   - one person is both leader and delegate;
//   - a leader or delegate is not a member of the circle or of its parent,
//     or their term has ended at now;
//   - fewer distinct working linking people than the rule's minimum, a
//     working link being a leader or delegate, in term, who is a member of
//     both circles.
//
// Leader and delegate, when present, are checked even where the rule does
// not require them: a link that exists must work. For every circle: a
// helping circle whose end date is not after now; each coverage rule.
//
// Validate does not change the organisation. Its cost is linear in the
// number of circles (plus their members, for kinds a coverage rule covers),
// and it allocates only for the report and the problems it finds.
func Validate(org *circle.Organisation, p *Policy, now time.Time) (*Report, error) {
	const op = "validate"
	if org == nil {
		return nil, fail(op, ErrNoOrganisation, "no organisation to validate")
	}
	if err := p.Check(); err != nil {
		return nil, err
	}
	now = circle.Normalize(now)
	ids := org.Circles()
	return &Report{
		Org: org.ID(), OrgName: org.Name(), At: now, Circles: len(ids),
		Violations: validate(orgSource{org}, ids, p, now),
	}, nil
}

// validator holds what one run of validate needs.
type validator struct {
	src   source
	now   time.Time
	zone  *time.Location
	rules [8]LinkRule // by kind; the kinds of package circle fit
	cover []coverage
	out   []Violation
}

type coverage struct {
	rule    *CoverageRule
	kinds   [8]bool
	classes []circle.StakeholderClass
}

func validate(src source, ids []circle.CircleID, p *Policy, now time.Time) []Violation {
	v := validator{src: src, now: now, zone: src.zone()}
	if v.zone == nil {
		v.zone = time.UTC
	}
	for _, k := range circle.Kinds() {
		if int(k) < len(v.rules) {
			v.rules[k] = p.Rule(k)
		}
	}
	if p != nil {
		for i := range p.Coverage {
			r := &p.Coverage[i]
			cv := coverage{rule: r, classes: r.Classes}
			for _, k := range r.Kinds {
				if int(k) < len(cv.kinds) {
					cv.kinds[k] = true
				}
			}
			v.cover = append(v.cover, cv)
		}
	}
	for _, id := range ids {
		c, ok := src.node(id)
		if !ok {
			continue
		}
		v.circle(c)
	}
	if v.out == nil {
		v.out = []Violation{}
	}
	return v.out
}

func (v *validator) rule(k circle.Kind) LinkRule {
	if int(k) < len(v.rules) {
		return v.rules[k]
	}
	return DoubleLinked
}

func (v *validator) circle(c node) {
	pid, hasParent := c.Parent()
	if hasParent {
		parent, ok := v.src.node(pid)
		if !ok {
			parent = nil
		}
		v.links(c, parent, pid)
	}
	if c.Kind() == circle.KindHelping {
		if end := c.Ends(); !end.IsZero() && !v.now.Before(end) {
			v.add(Violation{Code: CodeHelpingCircleEnded, Circle: c.ID(), CircleName: c.Name(), Date: end,
				Message: fmt.Sprintf("Helping circle %q was due to end on %s. Dissolve it, or agree a new end date if its task continues.", c.Name(), v.date(end))})
		}
	}
	for i := range v.cover {
		cv := &v.cover[i]
		if int(c.Kind()) < len(cv.kinds) && cv.kinds[c.Kind()] && (hasParent || cv.rule.IncludeTop) && !v.covered(c, cv) {
			v.add(Violation{Code: CodeMissingStakeholder, Circle: c.ID(), CircleName: c.Name(), Rule: cv.rule.Name,
				Message: fmt.Sprintf("Circle %q has no member who is %s (rule %q). Invite one to join the circle.", c.Name(), describeClasses(cv.rule), cv.rule.Name)})
		}
	}
}

func (v *validator) links(c, parent node, pid circle.CircleID) {
	r := v.rule(c.Kind())
	cid, name := c.ID(), c.Name()
	parentName := pid.String()
	if parent != nil {
		parentName = parent.Name()
	}
	l, hasL := c.Holder(circle.Leader)
	d, hasD := c.Holder(circle.Delegate)
	if r.RequireLeader && !hasL {
		v.add(Violation{Code: CodeNoLeader, Circle: cid, CircleName: name, Parent: pid, Role: circle.Leader,
			Message: fmt.Sprintf("Circle %q has no leader. The parent circle %q chooses a leader, with the consent of %q; the leader is a member of both circles.", name, parentName, name)})
	}
	if r.RequireDelegate && !hasD {
		v.add(Violation{Code: CodeNoDelegate, Circle: cid, CircleName: name, Parent: pid, Role: circle.Delegate,
			Message: fmt.Sprintf("Circle %q has no delegate. The circle chooses a delegate from its members and %q confirms them; the delegate is a member of both circles.", name, parentName)})
	}
	if hasL && hasD && l.Holder == d.Holder {
		v.add(Violation{Code: CodeLeaderIsDelegate, Circle: cid, CircleName: name, Parent: pid, Person: l.Holder,
			Message: fmt.Sprintf("%s is both leader and delegate of circle %q. They must be two different people: the circle chooses another delegate.", label(v.src, l.Holder), name)})
	}
	// Each fault of each present link, code by code, leader before delegate.
	inChildL, inChildD := hasL && c.IsMember(l.Holder), hasD && c.IsMember(d.Holder)
	inParentL := hasL && parent != nil && parent.IsMember(l.Holder)
	inParentD := hasD && parent != nil && parent.IsMember(d.Holder)
	endedL, endedD := hasL && l.Term.Ended(v.now), hasD && d.Term.Ended(v.now)
	if hasL && !inChildL {
		v.notIn(CodeNotMemberOfCircle, c, pid, l, name, "choose another leader")
	}
	if hasD && !inChildD {
		v.notIn(CodeNotMemberOfCircle, c, pid, d, name, "choose another delegate")
	}
	if hasL && !inParentL {
		v.notIn(CodeNotMemberOfParent, c, pid, l, parentName, "ask the parent circle to choose another leader")
	}
	if hasD && !inParentD {
		v.notIn(CodeNotMemberOfParent, c, pid, d, parentName, "choose another delegate")
	}
	if endedL {
		v.ended(c, pid, l)
	}
	if endedD {
		v.ended(c, pid, d)
	}
	have := 0
	okL := hasL && inChildL && inParentL && !endedL
	okD := hasD && inChildD && inParentD && !endedD
	if okL {
		have++
	}
	if okD && !(okL && d.Holder == l.Holder) {
		have++
	}
	if have < r.MinLinks {
		v.add(Violation{Code: CodeTooFewLinks, Circle: cid, CircleName: name, Parent: pid, Have: have, Want: r.MinLinks,
			Message: fmt.Sprintf("Circle %q is linked to %q by %s; the policy for %s circles asks for %d distinct people, each a leader or delegate in term and a member of both circles.",
				name, parentName, plural(have, "working link", "working links"), c.Kind(), r.MinLinks)})
	}
}

func (v *validator) notIn(code Code, c node, pid circle.CircleID, a circle.Assignment, where, fix string) {
	who := label(v.src, a.Holder)
	what := "the parent circle"
	if code == CodeNotMemberOfCircle {
		what = "the circle"
	}
	v.add(Violation{Code: code, Circle: c.ID(), CircleName: c.Name(), Parent: pid, Role: a.Role, Person: a.Holder,
		Message: fmt.Sprintf("%s, %s of circle %q, is not a member of %s %q. Add %s to %q so the link works, or %s.", who, a.Role, c.Name(), what, where, who, where, fix)})
}

func (v *validator) ended(c node, pid circle.CircleID, a circle.Assignment) {
	who := label(v.src, a.Holder)
	v.add(Violation{Code: CodeLinkTermEnded, Circle: c.ID(), CircleName: c.Name(), Parent: pid, Role: a.Role, Person: a.Holder, Date: a.Term.End,
		Message: fmt.Sprintf("The term of %s as %s of circle %q ended on %s. Hold a selection for the role (%s may be chosen again).", who, a.Role, c.Name(), v.date(a.Term.End), who)})
}

func (v *validator) covered(c node, cv *coverage) bool {
	for _, m := range c.Members() {
		_, class, ok := v.src.person(m)
		if !ok {
			continue
		}
		for _, want := range cv.classes {
			if class == want {
				return true
			}
		}
		if cv.rule.CountAdvocates && class == circle.Advocate {
			for _, s := range v.src.actsFor(m) {
				if _, sc, ok := v.src.person(s); ok {
					for _, want := range cv.classes {
						if sc == want {
							return true
						}
					}
				}
			}
		}
	}
	return false
}

func describeClasses(r *CoverageRule) string {
	parts := make([]string, len(r.Classes))
	for i, c := range r.Classes {
		parts[i] = article(string(c)) + " " + string(c)
	}
	s := strings.Join(parts, " or ")
	if r.CountAdvocates {
		s += " (or an advocate acting for one)"
	}
	return s
}

func article(s string) string {
	if s != "" && strings.ContainsRune("aeiou", rune(s[0])) {
		return "an"
	}
	return "a"
}

func (v *validator) date(t time.Time) string { return t.In(v.zone).Format("2 January 2006") }

func (v *validator) add(x Violation) { v.out = append(v.out, x) }

// Changes is what [Diff] reports: the violations a change introduces and
// those it resolves, each in the order of the report it comes from.
type Changes struct {
	Introduced []Violation `json:"introduced"`
	Resolved   []Violation `json:"resolved"`
}

// Empty reports whether nothing was introduced or resolved.
func (c Changes) Empty() bool { return len(c.Introduced) == 0 && len(c.Resolved) == 0 }

// String lists the changes as text, introduced first.
func (c Changes) String() string {
	if c.Empty() {
		return "No linking problems introduced or resolved.\n"
	}
	var b strings.Builder
	for _, v := range c.Introduced {
		fmt.Fprintf(&b, "+ %s [%s]\n", v.Message, v.Code)
	}
	for _, v := range c.Resolved {
		fmt.Fprintf(&b, "- %s [%s]\n", v.Message, v.Code)
	}
	return b.String()
}

// Diff compares two reports of the same organisation, typically before and
// after a proposed change, by [Violation.Key]: a violation is introduced when
// its key is in after but not before, resolved when it is in before but not
// after. A problem that only changes its details (a circle going from one
// working link to none keeps its [CodeTooFewLinks] key) is neither. A nil
// report counts as one without violations.
func Diff(before, after *Report) Changes {
	keys := func(r *Report) map[Key]bool {
		m := map[Key]bool{}
		if r != nil {
			for _, v := range r.Violations {
				m[v.Key()] = true
			}
		}
		return m
	}
	b, a := keys(before), keys(after)
	ch := Changes{Introduced: []Violation{}, Resolved: []Violation{}}
	if after != nil {
		for _, v := range after.Violations {
			if !b[v.Key()] {
				ch.Introduced = append(ch.Introduced, v)
			}
		}
	}
	if before != nil {
		for _, v := range before.Violations {
			if !a[v.Key()] {
				ch.Resolved = append(ch.Resolved, v)
			}
		}
	}
	return ch
}
