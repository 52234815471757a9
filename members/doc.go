// Package members is the register of members and officers of an
// organisation that governs itself in circles (docs/method.md, "Member
// register"): who is a member, in which stakeholder class, since when and
// until when, with the shares they hold where the co-op has them, the
// conditions their membership depends on, and the officers with the dates
// of their offices.
//
// # Members
//
// A [Register] belongs to one organisation. A person of the organisation
// (package circle) becomes a member by [Register.Admit] and stops by
// [Register.Cease]; a former member may be admitted again, as a new period
// of membership. The acts are the top circle's (the committee of a society
// admits its members): only a member of it may take them, and
// [Register.Allowed] lists what one may do now. Each act either returns an
// [*Error] matching one of the package's sentinels and changes nothing, or
// returns the events it applied; an act dated before the register's latest
// event is refused ([ErrTimeOrder]).
//
// # Conditions that lapse
//
// Some memberships hold only while something else does: a supported member
// while the co-op supports them, an investor member while the investment is
// held ([ConditionKind]). [Register.SetCondition] records the condition and
// the date it is known to end; [Register.LapseCondition] records that it no
// longer holds. Neither changes the membership: the review calendar shows
// the end date and the lapse on the top circle's agenda (package review
// observes this package's events), and the circle applies the lapse by an
// act, [Register.Cease], or decides that the member stays
// ([Register.ClearCondition]). A membership never ends silently.
//
// # Officers
//
// The officers are the organisation's top circle: each of its members holds
// a seat, and each of its roles (leader, facilitator, secretary, the roles
// it defines) is an office with its term. [Register.Observe] follows the
// top circle's events, so the register keeps when each office began and
// ended; [OpenFor] starts a register with the offices held when it opens.
//
// # The register the law requires
//
// [Register.Statutory] builds the register as it stood at any instant, with
// names and addresses from a [Lookup] the host passes (the Store's erasable
// profiles), so a person whose profile was erased is shown without them and
// never served again; [Register.Inspectable] builds what one member may
// inspect. [Statutory.MembersCSV], [Statutory.OfficersCSV] and
// [Statutory.JSON] export it.
//
// # Purity and concurrency
//
// The package reads no clock, makes no random IDs and does no I/O. A
// Register is not safe for concurrent use; concurrent reads without writes
// are safe.
package members
