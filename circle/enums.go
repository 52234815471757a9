package circle

import (
	"github.com/coproduce/sociocracy/internal/enum"
)

// Kind is the kind of a circle (docs/method.md, "Circle kinds"). The zero value
// is invalid.
type Kind uint8

// The circle kinds.
const (
	KindMission    Kind = 1 + iota // board-like top circle; may include outside experts
	KindGeneral                    // leaders and delegates of the department circles
	KindDepartment                 // a department: the people closest to the work
	KindTeam                       // a team or sub-circle, e.g. a care team
	KindHelping                    // temporary, for one task, usually with an end date
)

var kinds = enum.New[Kind]("Kind", "circle kind", refuser(ErrInvalidKind),
	"mission", "general", "department", "team", "helping")

// Kinds lists every valid kind in order.
func Kinds() []Kind { return kinds.Values() }

func (k Kind) String() string { return kinds.Name(k) }

// Valid reports whether k is one of the constants.
func (k Kind) Valid() bool { return kinds.Valid(k) }

// MarshalText implements encoding.TextMarshaler; invalid kinds are an error.
func (k Kind) MarshalText() ([]byte, error) { return kinds.MarshalText(k) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *Kind) UnmarshalText(b []byte) error { return kinds.UnmarshalText(b, k) }

// refuser returns the enum.Refuse of a sentinel.
func refuser(sentinel error) enum.Refuse {
	return func(act, detail string) error { return refuseText(act, sentinel, detail) }
}

// RoleKind is the kind of a role in a circle (docs/method.md, "Roles").
type RoleKind uint8

// The role kinds.
const (
	RoleLeader      RoleKind = 1 + iota // top-down link, chosen by the parent circle
	RoleDelegate                        // bottom-up link, chosen by the circle itself
	RoleFacilitator                     // runs meetings and processes
	RoleSecretary                       // keeps minutes, the logbook and review dates
	RoleOperational                     // any role the circle defines, named by it
)

var roleKinds = enum.New[RoleKind]("RoleKind", "role kind", refuser(ErrInvalidRole),
	"leader", "delegate", "facilitator", "secretary", "operational")

// RoleKinds lists every valid role kind in order.
func RoleKinds() []RoleKind { return roleKinds.Values() }

func (k RoleKind) String() string { return roleKinds.Name(k) }

// Valid reports whether k is one of the constants.
func (k RoleKind) Valid() bool { return roleKinds.Valid(k) }

// MarshalText implements encoding.TextMarshaler; invalid kinds are an error.
func (k RoleKind) MarshalText() ([]byte, error) { return roleKinds.MarshalText(k) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *RoleKind) UnmarshalText(b []byte) error { return roleKinds.UnmarshalText(b, k) }

// Role names a role in a circle. The four standard roles have no Name;
// an operational role has the name the circle gave it (1 to 80 bytes of
// text). The zero Role is invalid.
type Role struct {
	Kind RoleKind
	Name string // only for RoleOperational
}

// The standard roles.
var (
	Leader      = Role{Kind: RoleLeader}
	Delegate    = Role{Kind: RoleDelegate}
	Facilitator = Role{Kind: RoleFacilitator}
	Secretary   = Role{Kind: RoleSecretary}
)

// Operational returns the operational role with the given name.
func Operational(name string) Role { return Role{Kind: RoleOperational, Name: name} }

// IsLink reports whether r is the leader or the delegate role.
func (r Role) IsLink() bool { return r.Kind == RoleLeader || r.Kind == RoleDelegate }

// String returns the text form: "leader", "delegate", "facilitator",
// "secretary" or "operational:<name>".
func (r Role) String() string {
	if r.Kind == RoleOperational {
		return "operational:" + r.Name
	}
	return r.Kind.String()
}

func (r Role) validate(act string) error {
	switch {
	case !r.Kind.Valid():
		return refuse(act, ErrInvalidRole, "role kind %d is not valid", uint8(r.Kind))
	case r.Kind == RoleOperational:
		if err := checkText(act, "operational role name", r.Name, 1, 80, false); err != nil {
			return refuse(act, ErrInvalidRole, "%s", detail(err))
		}
	case r.Name != "":
		return refuse(act, ErrInvalidRole, "the %s role takes no name", r.Kind)
	}
	return nil
}

// MarshalText implements encoding.TextMarshaler.
func (r Role) MarshalText() ([]byte, error) {
	if err := r.validate("marshal role"); err != nil {
		return nil, err
	}
	return []byte(r.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (r *Role) UnmarshalText(b []byte) error {
	p, err := ParseRole(string(b))
	if err != nil {
		return err
	}
	*r = p
	return nil
}

// ParseRole parses the text form of [Role.String].
func ParseRole(s string) (Role, error) {
	const op = "parse role"
	if len(s) > len("operational:") && s[:len("operational:")] == "operational:" {
		r := Operational(s[len("operational:"):])
		return r, r.validate(op)
	}
	k, ok := roleKinds.Parse(s)
	if !ok || k == RoleOperational {
		return Role{}, refuse(op, ErrInvalidRole, "%q is not a role (want leader, delegate, facilitator, secretary or operational:<name>)", clip(s))
	}
	return Role{Kind: k}, nil
}

// StakeholderClass says why a person is in the organisation. The library
// defines the four classes of a multi-stakeholder care co-operative; a host
// may use its own, spelled as lowercase words joined by hyphens
// ("volunteer", "local-authority"), 1 to 40 bytes.
type StakeholderClass string

// The stakeholder classes every care co-operative has.
const (
	SupportedPerson StakeholderClass = "supported-person" // receives support
	Advocate        StakeholderClass = "advocate"         // family or friend acting for a supported person
	Worker          StakeholderClass = "worker"           // care worker or staff
	Investor        StakeholderClass = "investor"         // invests money or other resources
)

// Valid reports whether c is spelled as a class must be.
func (c StakeholderClass) Valid() bool { return len(c) <= 40 && isSlug(string(c)) }

func isSlug(s string) bool { return enum.IsSlug(s) }

// UnmarshalText implements encoding.TextUnmarshaler and refuses badly spelled classes.
func (c *StakeholderClass) UnmarshalText(b []byte) error {
	v := StakeholderClass(b)
	if !v.Valid() {
		return refuse("parse stakeholder class", ErrInvalidClass, "%q is not a stakeholder class (lowercase words joined by hyphens, at most 40 bytes)", clip(string(b)))
	}
	*c = v
	return nil
}

func clip(s string) string { return enum.Clip(s) }
