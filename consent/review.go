package consent

import "github.com/coproduce/sociocracy/circle"

type agreementKind struct{}

func (agreementKind) IDKind() string { return "agreement" }

// AgreementID identifies an agreement of a circle's policy register (package
// agreement): what an adopted decision became. It lives here, beside
// [Review], because a process that reviews an agreement names it when it
// starts, and this package cannot import the register.
type AgreementID = circle.ID[agreementKind]

// ParseAgreementID parses an [AgreementID] in the canonical 36-character
// form; see [circle.ParseID].
func ParseAgreementID(s string) (AgreementID, error) { return circle.ParseID[agreementKind](s) }

// Review links a process to the agreement of the policy register it
// reviews: once adopted, its decision keeps the agreement (the same title
// and text, a new review date), amends it (a new version) or, when Retire
// is set, retires it. The zero Review means the process reviews nothing: its
// decision, once adopted, becomes a new agreement of the circle.
type Review struct {
	Agreement AgreementID `json:"agreement"`
	Retire    bool        `json:"retire,omitempty"` // the proposal is to retire the agreement
}

// IsZero reports whether r links to no agreement.
func (r Review) IsZero() bool { return r.Agreement.IsZero() && !r.Retire }
