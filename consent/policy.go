package consent

import (
	"time"

	"github.com/coproduce/sociocracy/circle"
)

// Policy is the set of rules a circle has chosen, by consent, for its
// consent decisions. Every round records the policy it ran under and every
// [Decision] carries it, so a reader of the record knows which rules applied.
//
// The zero Policy is invalid; start from [DefaultPolicy].
type Policy struct {
	// Validity is how the circle decides whether a stated objection counts.
	Validity ValidityRule `json:"validity"`
	// Absence is what the silence of a participant who did not answer means.
	Absence AbsenceRule `json:"absence"`
	// LazyWindow is how long after adoption an absentee may still object
	// under [AbsenceLazyConsent]; it must be positive under that rule and
	// zero otherwise. Stored in JSON as nanoseconds.
	LazyWindow time.Duration `json:"lazyWindow,omitempty"`
	// AllowConcerns permits [AnswerConcern].
	AllowConcerns bool `json:"allowConcerns"`
	// AllowStandAside permits [AnswerStandAside].
	AllowStandAside bool `json:"allowStandAside"`
	// ReviewMonths is the default term of a decision whose proposal names no
	// review date: the review date is the adoption time plus this many
	// calendar months (UTC). 1 to 120.
	ReviewMonths int `json:"reviewMonths"`
	// MaxReason bounds, in bytes, every reason, note and free text an act
	// records (objection reasons, concerns, understandings, questions). 1 to
	// [MaxTextLimit].
	MaxReason int `json:"maxReason"`
	// Proxies is how many participants one holder may answer for as their
	// proxy in a round ([SupportProxy]); 0, the default, means the circle
	// does not accept proxies. Advocates are always accepted.
	Proxies int `json:"proxies,omitempty"`
	// JoinConsentOf, when set, is a stakeholder class whose members in the
	// circle must each consent to every joiner (themselves, entered for
	// them, or through their advocate), whatever the absence rule: a care
	// team sets [circle.SupportedPerson]. "" (the default): a join needs
	// the circle's consent as any decision does.
	JoinConsentOf circle.StakeholderClass `json:"joinConsentOf,omitempty"`
	// KeepInterested, when true, only records a declared conflict of
	// interest; by default (false) a participant with a standing interest
	// is recused: left out of the later consent rounds of the process.
	KeepInterested bool `json:"keepInterested,omitempty"`
	// StuckAfter is how many consent rounds without consent make a
	// process stuck, so that its facilitator may refer it to the parent
	// circle; 0 means [DefaultStuckAfter] (3).
	StuckAfter int `json:"stuckAfter,omitempty"`
	// EmergencyRole is the role whose holder may decide alone in an
	// emergency ([ProcessSpec.Emergency]); zero means circle.Leader.
	// EmergencyScope, when set, is the domain key such decisions must lie
	// within; "" means the circle's own domain. EmergencyDays is how many
	// days later the consent round on such a decision must open; 0 means
	// [DefaultEmergencyDays] (7). NoEmergency, when true, allows none.
	EmergencyRole  circle.Role      `json:"emergencyRole,omitzero"`
	EmergencyScope circle.DomainKey `json:"emergencyScope,omitempty"`
	EmergencyDays  int              `json:"emergencyDays,omitempty"`
	NoEmergency    bool             `json:"noEmergency,omitempty"`
}

// MaxProxies is the largest [Policy.Proxies] a policy may set.
const MaxProxies = 1000

// MaxTextLimit is the largest [Policy.MaxReason] a policy may set. Proposal
// texts are bounded separately by [MaxProposalText].
const MaxTextLimit = 16 << 10

// MaxProposalText bounds, in bytes, a proposal's text.
const MaxProposalText = 256 << 10

// DefaultPolicy returns the Sociocracy For All defaults: every stated
// objection is valid, absent members hold the decision, concerns are
// allowed, standing aside is not, a twelve-month review interval and reasons
// of at most 2,000 bytes.
func DefaultPolicy() Policy {
	return Policy{
		Validity:        ValidityAllStated,
		Absence:         AbsenceHold,
		AllowConcerns:   true,
		AllowStandAside: false,
		ReviewMonths:    12,
		MaxReason:       2000,
	}
}

// Validate reports the first rule p breaks, as an [*Error] matching
// [ErrInvalidPolicy].
func (p Policy) Validate() error {
	const act = "validate policy"
	switch {
	case !p.Validity.Valid():
		return refuse(act, ErrInvalidPolicy, "validity rule %d is not valid", uint8(p.Validity))
	case !p.Absence.Valid():
		return refuse(act, ErrInvalidPolicy, "absence rule %d is not valid", uint8(p.Absence))
	case p.Absence == AbsenceLazyConsent && p.LazyWindow <= 0:
		return refuse(act, ErrInvalidPolicy, "lazy consent needs a positive window")
	case p.Absence != AbsenceLazyConsent && p.LazyWindow != 0:
		return refuse(act, ErrInvalidPolicy, "a lazy-consent window is only meaningful under lazy consent")
	case p.ReviewMonths < 1 || p.ReviewMonths > 120:
		return refuse(act, ErrInvalidPolicy, "review interval must be 1 to 120 months, not %d", p.ReviewMonths)
	case p.JoinConsentOf != "" && !p.JoinConsentOf.Valid():
		return refuse(act, ErrInvalidPolicy, "%q is not a stakeholder class", clip(string(p.JoinConsentOf)))
	case p.validateEmergency(act) != nil:
		return p.validateEmergency(act)
	case p.StuckAfter < 0 || p.StuckAfter > MaxStuckAfter:
		return refuse(act, ErrInvalidPolicy, "rounds before a process is stuck must be 0 (the default, %d) to %d, not %d", DefaultStuckAfter, MaxStuckAfter, p.StuckAfter)
	case p.Proxies < 0 || p.Proxies > MaxProxies:
		return refuse(act, ErrInvalidPolicy, "proxies per holder must be 0 to %d, not %d", MaxProxies, p.Proxies)
	case p.MaxReason < 1 || p.MaxReason > MaxTextLimit:
		return refuse(act, ErrInvalidPolicy, "maximum reason length must be 1 to %d bytes, not %d", MaxTextLimit, p.MaxReason)
	}
	return nil
}

// reviewDate is the default review date of a decision adopted at t.
