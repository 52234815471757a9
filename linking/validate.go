package linking

import (
	"fmt"
	"iter"
	"slices"
	"strconv"
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
// form. The zero Violation is invalid (its Code is).
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
// reports has the same Key, whatever its message or counts say. Link
// violations include the parent, so moving a circle under another parent
// resolves its old link problems and introduces new ones.
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

// Report is the result of [Check]: every violation of the organisation at
// one instant, in a deterministic order: by the circle's position in
// [circle.Organisation.Circles] (depth first from the top, parents before
// children), then by code in the order of the constants, then leader before
// delegate, then coverage rules in policy order.
//
// A Report is plain data that marshals to JSON with the field names shown
// and back; it is safe for concurrent reads. The zero Report has no
// violations. Messages and names carry circle names and the display labels
// the host chose for people: treat a stored report like a profile, not like
// a logbook entry.
type Report struct {
	Org     circle.OrgID `json:"org"`
	OrgName string       `json:"orgName"`
	// At is the instant the organisation was judged at (UTC, microseconds).
	At time.Time `json:"at"`
	// Circles is the number of circles checked.
	Circles int `json:"circles"`
	// Violations is never nil in a report Check returns.
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
	return strconv.Itoa(n) + " " + many
}

// roleName spells the link roles without allocating.
func roleName(r circle.Role) string {
	switch r {
	case circle.Leader:
		return "leader"
	case circle.Delegate:
		return "delegate"
	}
	return r.String()
}

// msg formats a message: %q quotes the next argument as Go does, %s
// inserts it as it is. It reuses one buffer, so a message costs one
// allocation, where fmt.Sprintf costs one per argument too.
func (v *validator) msg(format string, args ...string) string {
	b := v.buf[:0]
	for i := 0; i < len(format); i++ {
		if format[i] == '%' && i+1 < len(format) && len(args) > 0 {
			switch format[i+1] {
			case 'q':
				b = strconv.AppendQuote(b, args[0])
				args, i = args[1:], i+1
				continue
			case 's':
				b = append(b, args[0]...)
				args, i = args[1:], i+1
				continue
			}
		}
		b = append(b, format[i])
	}
	v.buf = b
	return string(b)
}

// Check judges the organisation against the policy at instant now and
// reports every violation at once (see [Report] for the order). A nil policy
// means the Sociocracy For All defaults. It fails only when org is nil or
// the policy does not pass [Policy.Check].
//
// What is checked, for every circle below the top, with the rule the policy
// gives it ([Policy.CircleRule]):
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
// Check does not change the organisation. Its cost is linear in the
// number of circles (plus their members, for kinds a coverage rule covers),
// and it allocates only for the report and the problems it finds.
func Check(org *circle.Organisation, p *Policy, now time.Time) (*Report, error) {
	const op = "check links"
	if org == nil {
		return nil, fail(op, ErrNoOrganisation, "no organisation to validate")
	}
	if err := p.Check(); err != nil {
		return nil, err
	}
	now = circle.Normalize(now)
	return &Report{
		Org: org.ID(), OrgName: org.Name(), At: now, Circles: org.CircleCount(),
		Violations: validate(org, org.All(), p, now),
	}, nil
}

// Validate is the earlier name of [Check].
//
// Deprecated: use [Check]; in this library Check judges an aggregate's
// invariants and reports every broken one, and Validate checks a value
// against its own rules ([Policy.Validate]).
func Validate(org *circle.Organisation, p *Policy, now time.Time) (*Report, error) {
	return Check(org, p, now)
}

// validator holds what one run of validate needs.
type validator struct {
	org    *circle.Organisation
	policy *Policy // for per-circle rules; nil when there are none
	now    time.Time
	zone   *time.Location
	rules  [8]LinkRule // by kind; the kinds of package circle fit
	cover  []coverage
	out    []Violation
	buf    []byte // scratch for messages
}

type coverage struct {
	rule  *CoverageRule
	kinds [8]bool
	desc  string // who satisfies the rule, in words
}

func newValidator(org *circle.Organisation, p *Policy, now time.Time) *validator {
	v := &validator{org: org, now: now, zone: org.Zone()}
	if v.zone == nil {
		v.zone = time.UTC
	}
	for _, k := range circle.Kinds() {
		if int(k) < len(v.rules) {
			v.rules[k] = p.Rule(k)
		}
	}
	if p != nil && len(p.Circles) > 0 {
		v.policy = p
	}
	if p != nil {
		for i := range p.Coverage {
			cv := coverage{rule: &p.Coverage[i]}
			cv.desc = describeClasses(cv.rule)
			for _, k := range cv.rule.Kinds {
				if int(k) < len(cv.kinds) {
					cv.kinds[k] = true
				}
			}
			v.cover = append(v.cover, cv)
		}
	}
	return v
}

func validate(org *circle.Organisation, circles iter.Seq[*circle.Circle], p *Policy, now time.Time) []Violation {
	v := newValidator(org, p, now)
	// circles come in depth-first order, so the circles from the top to the
	// current one form a stack holding the current circle's parent: no
	// lookup needed.
	var path []*circle.Circle
	for c := range circles {
		id := c.ID()
		pid, hasParent := c.Parent()
		var parent *circle.Circle
		if hasParent {
			for len(path) > 0 && path[len(path)-1].ID() != pid {
				path = path[:len(path)-1]
			}
			if len(path) > 0 {
				parent = path[len(path)-1]
			} else {
				parent, _ = org.Circle(pid) // not in depth-first order after all
			}
		}
		path = append(path, c)
		if hasParent {
			s := subject{id: id, name: c.Name(), kind: c.Kind(), parent: pid, parentCircle: parent}
			v.links(s, factsOf(c, parent, circle.Leader, now), factsOf(c, parent, circle.Delegate, now))
		}
		v.circle(c, hasParent)
	}
	if v.out == nil {
		v.out = []Violation{}
	}
	return v.out
}

func (v *validator) rule(c circle.CircleID, k circle.Kind) LinkRule {
	if v.policy != nil {
		if r, ok := v.policy.Circles[c]; ok {
			return r
		}
	}
	if int(k) < len(v.rules) {
		return v.rules[k]
	}
	return DoubleLinked()
}

// circle checks what does not concern links: a helping circle's end and
// coverage.
func (v *validator) circle(c *circle.Circle, hasParent bool) {
	if c.Kind() == circle.KindHelping {
		if end := c.Ends(); !end.IsZero() && !v.now.Before(end) {
			v.add(Violation{Code: CodeHelpingCircleEnded, Circle: c.ID(), CircleName: c.Name(), Date: end,
				Message: v.msg("Helping circle %q was due to end on %s. Dissolve it, or agree a new end date if its task continues.", c.Name(), v.date(end))})
		}
	}
	for i := range v.cover {
		cv := &v.cover[i]
		if int(c.Kind()) < len(cv.kinds) && cv.kinds[c.Kind()] && (hasParent || cv.rule.IncludeTop) && !v.covered(c, cv.rule) {
			v.add(Violation{Code: CodeMissingStakeholder, Circle: c.ID(), CircleName: c.Name(), Rule: cv.rule.Name,
				Message: v.msg("Circle %q has no member who is %s (rule %q). Invite one to join the circle.", c.Name(), cv.desc, cv.rule.Name)})
		}
	}
}

// subject is the circle whose links are judged.
type subject struct {
	id           circle.CircleID
	name         string
	kind         circle.Kind
	parent       circle.CircleID
	parentCircle *circle.Circle // nil when unknown
}

func (s subject) parentName() string {
	if s.parentCircle != nil {
		return s.parentCircle.Name()
	}
	return s.parent.String()
}

// links judges the two links of circle s.
func (v *validator) links(s subject, l, d linkFacts) {
	r := v.rule(s.id, s.kind)
	cid, name, pid := s.id, s.name, s.parent
	if r.RequireLeader && !l.held {
		v.add(Violation{Code: CodeNoLeader, Circle: cid, CircleName: name, Parent: pid, Role: circle.Leader,
			Message: v.msg("Circle %q has no leader. The parent circle %q chooses a leader, with the consent of %q; the leader is a member of both circles.", name, s.parentName(), name)})
	}
	if r.RequireDelegate && !d.held {
		v.add(Violation{Code: CodeNoDelegate, Circle: cid, CircleName: name, Parent: pid, Role: circle.Delegate,
			Message: v.msg("Circle %q has no delegate. The circle chooses a delegate from its members and %q confirms them; the delegate is a member of both circles.", name, s.parentName())})
	}
	if l.held && d.held && l.a.Holder == d.a.Holder {
		v.add(Violation{Code: CodeLeaderIsDelegate, Circle: cid, CircleName: name, Parent: pid, Person: l.a.Holder,
			Message: v.msg("%s is both leader and delegate of circle %q. They must be two different people: the circle chooses another delegate.", label(v.org, l.a.Holder), name)})
	}
	// Each fault of each present link, code by code, leader before delegate.
	if l.held && !l.inCircle {
		v.notIn(CodeNotMemberOfCircle, s, l.a, name, "choose another leader")
	}
	if d.held && !d.inCircle {
		v.notIn(CodeNotMemberOfCircle, s, d.a, name, "choose another delegate")
	}
	if l.held && !l.inParent {
		v.notIn(CodeNotMemberOfParent, s, l.a, s.parentName(), "ask the parent circle to choose another leader")
	}
	if d.held && !d.inParent {
		v.notIn(CodeNotMemberOfParent, s, d.a, s.parentName(), "choose another delegate")
	}
	if l.held && l.ended {
		v.ended(s, l.a)
	}
	if d.held && d.ended {
		v.ended(s, d.a)
	}
	have := 0
	if l.working() {
		have++
	}
	if d.working() && !(l.working() && d.a.Holder == l.a.Holder) {
		have++
	}
	// Each fault is reported once: a link already reported above (missing
	// where required, held by someone outside a circle, out of term, or the
	// delegate who is also the leader) explains its own shortfall, so
	// too-few-links is reported only for a shortfall no other violation
	// names (a link the kind's rule does not require, but the policy's
	// minimum counts).
	explained := 0
	if (r.RequireLeader && !l.held) || (l.held && !l.working()) {
		explained++
	}
	if (r.RequireDelegate && !d.held) || (d.held && !d.working()) ||
		(l.held && d.held && l.a.Holder == d.a.Holder && d.working()) {
		explained++
	}
	if have < r.MinLinks && have+explained < r.MinLinks {
		v.add(Violation{Code: CodeTooFewLinks, Circle: cid, CircleName: name, Parent: pid, Have: have, Want: r.MinLinks,
			Message: v.msg("Circle %q is linked to %q by %s; the policy asks for %s, each a leader or delegate in term and a member of both circles.",
				name, s.parentName(), plural(have, "working link", "working links"), plural(r.MinLinks, "person", "distinct people"))})
	}
}

func (v *validator) notIn(code Code, s subject, a circle.Assignment, where, fix string) {
	who := label(v.org, a.Holder)
	what := "the parent circle"
	if code == CodeNotMemberOfCircle {
		what = "the circle"
	}
	v.add(Violation{Code: code, Circle: s.id, CircleName: s.name, Parent: s.parent, Role: a.Role, Person: a.Holder,
		Message: v.msg("%s, %s of circle %q, is not a member of %s %q. Add %s to %q so the link works, or %s.", who, roleName(a.Role), s.name, what, where, who, where, fix)})
}

func (v *validator) ended(s subject, a circle.Assignment) {
	who := label(v.org, a.Holder)
	v.add(Violation{Code: CodeLinkTermEnded, Circle: s.id, CircleName: s.name, Parent: s.parent, Role: a.Role, Person: a.Holder, Date: a.Term.End,
		Message: v.msg("The term of %s as %s of circle %q ended on %s. Hold a selection for the role (%s may be chosen again).", who, roleName(a.Role), s.name, v.date(a.Term.End), who)})
}

func (v *validator) covered(c *circle.Circle, r *CoverageRule) bool {
	for m := range c.MembersUnordered() {
		p, ok := v.org.Person(m)
		if !ok {
			continue
		}
		if slices.Contains(r.Classes, p.Class()) {
			return true
		}
		if r.CountAdvocates && p.Class() == circle.Advocate {
			for _, s := range p.ActsFor() {
				if sp, ok := v.org.Person(s); ok && slices.Contains(r.Classes, sp.Class()) {
					return true
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
		s += " or an advocate acting for one"
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
// those it resolves, each in the order of the report it comes from. The
// zero Changes is empty.
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
