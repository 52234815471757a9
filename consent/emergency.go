package consent

import (
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/internal/kernel"
)

// Emergency decisions (docs/method.md, "Emergency decisions"): the holder
// of the role the circle's policy names ([Policy.EmergencyRole], by
// default the leader) may decide alone in an emergency, within the
// policy's scope. The decision takes effect at once and opens a consent
// process on it, whose consent round must open within
// [Policy.EmergencyDays] (by default [DefaultEmergencyDays]); a review
// calendar keeps it on the circle's agenda until then, and an overdue item
// escalates as every overdue item does.

// DefaultEmergencyDays is how many days after an emergency decision its
// consent round must open, when the policy names none.
const DefaultEmergencyDays = 7

// MaxEmergencyDays is the largest [Policy.EmergencyDays] a policy may set.
const MaxEmergencyDays = 90

// Emergency records an emergency decision: taken alone by the holder of
// Role, about Domain, in effect from the process's start; its consent round
// must open before HoldBy.
type Emergency struct {
	Role   circle.Role      `json:"role"`
	Domain circle.DomainKey `json:"domain"`
	HoldBy time.Time        `json:"holdBy"`
}

// EmergencySpec is what an emergency decision needs besides the process:
// the domain key the decision is about, which must lie within the policy's
// scope.
type EmergencySpec struct {
	Domain circle.DomainKey
}

func (p Policy) emergencyRole() circle.Role {
	if p.EmergencyRole == (circle.Role{}) {
		return circle.Leader
	}
	return p.EmergencyRole
}

func (p Policy) emergencyDays() int {
	if p.EmergencyDays == 0 {
		return DefaultEmergencyDays
	}
	return p.EmergencyDays
}

// validateEmergency checks the emergency fields of a policy.
func (p Policy) validateEmergency(act string) error {
	switch {
	case p.EmergencyDays < 0 || p.EmergencyDays > MaxEmergencyDays:
		return refuse(act, ErrInvalidPolicy, "days to hold an emergency decision's consent round must be 0 (the default, %d) to %d, not %d", DefaultEmergencyDays, MaxEmergencyDays, p.EmergencyDays)
	case p.EmergencyScope != "" && !p.EmergencyScope.Valid():
		return refuse(act, ErrInvalidPolicy, "%q is not a domain key", clip(string(p.EmergencyScope)))
	}
	if p.EmergencyRole != (circle.Role{}) {
		if _, err := p.EmergencyRole.MarshalText(); err != nil {
			return refuse(act, ErrInvalidPolicy, "the emergency role is not a role: %s", detailOf(err))
		}
	}
	return nil
}

// prepareEmergency checks that the proposer may decide alone in an
// emergency in circle c and fills in the record: they hold the policy's
// role there, the policy allows emergency decisions, and the domain lies
// within the policy's scope (by default, the circle's own domain).
func prepareEmergency(org *circle.Organisation, c *circle.Circle, s *ProcessSpec, pol Policy, at time.Time) error {
	const act = "decide in an emergency"
	role := pol.emergencyRole()
	e := s.Emergency
	switch {
	case pol.NoEmergency:
		return refuse(act, ErrNotAllowedByPolicy, "the circle's policy allows no emergency decisions")
	case s.Membership != nil || s.History != nil:
		return refuse(act, ErrInvalidEvent, "an emergency decision is neither a membership decision nor a process taken up")
	case !e.Domain.Valid():
		return refuse(act, ErrInvalidEvent, "%q is not a domain key", clip(string(e.Domain)))
	}
	holder, ok := c.Holder(role)
	if !ok || holder.Holder != s.Proposer {
		return refuse(act, ErrNotAllowedByPolicy, "%s does not hold the %s role of %s, who alone may decide in an emergency", label(org, s.Proposer), role, c.Name())
	}
	within := false
	if pol.EmergencyScope != "" {
		within = pol.EmergencyScope.Contains(e.Domain)
	} else {
		for _, k := range c.Domain() {
			within = within || k.Contains(e.Domain)
		}
	}
	if !within {
		return refuse(act, ErrNotAllowedByPolicy, "%s lies outside what the %s of %s may decide alone", e.Domain, role, c.Name())
	}
	hold := circle.Normalize(kernel.AddDays(at, pol.emergencyDays(), org.Zone()))
	s.emergency = &Emergency{Role: role, Domain: e.Domain, HoldBy: hold}
	return nil
}

// checkEmergency checks the emergency a Started event carries.
func checkEmergency(act string, e Started, at time.Time) error {
	m := e.Emergency
	if m == nil {
		return nil
	}
	if _, err := m.Role.MarshalText(); err != nil {
		return refuse(act, ErrInvalidEvent, "the emergency role is not a role")
	}
	switch {
	case !m.Domain.Valid():
		return refuse(act, ErrInvalidEvent, "%q is not a domain key", clip(string(m.Domain)))
	case !m.HoldBy.After(at) || circle.Normalize(m.HoldBy) != m.HoldBy:
		return refuse(act, ErrInvalidTime, "the consent round of an emergency decision is held after it, by %s", stamp(m.HoldBy))
	case e.Membership != nil || e.History != nil || e.Policy.NoEmergency:
		return invalid(e, "an emergency decision is neither a membership decision nor a process taken up, under a policy that allows it")
	}
	return nil
}

// Emergency returns the emergency decision the process reviews, when it
// began as one: in effect since the process started, its consent round due
// to open by [Emergency.HoldBy].
func (p *Process) Emergency() (Emergency, bool) {
	if p.emergency == nil {
		return Emergency{}, false
	}
	return *p.emergency, true
}

// EmergencyOverdue reports whether an emergency decision's consent round
// should have opened by at and has not.
func (p *Process) EmergencyOverdue(at time.Time) bool {
	return p.emergency != nil && len(p.rounds) == 0 && !circle.Normalize(at).Before(p.emergency.HoldBy)
}

func emergencyOf(e *Emergency) *Emergency {
	if e == nil {
		return nil
	}
	m := *e
	return &m
}
