package assembly

import (
	"errors"
	"fmt"
	"math/big"
	"slices"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/internal/kernel"
	"github.com/coproduce/sociocracy/internal/strictjson"
)

// Threshold is the majority a kind of resolution needs: more than, or at
// least, a share of the base.
type Threshold struct {
	Rule  Comparison `json:"rule"`
	Share Ratio      `json:"share"`
}

// String says the threshold for people: "more than 75%".
func (t Threshold) String() string {
	word := "more than"
	if t.Rule == AtLeast {
		word = "at least"
	}
	return word + " " + t.Share.Percent()
}

// Met reports whether for out of base meets the threshold, exactly. A zero
// base meets no threshold.
func (t Threshold) Met(votesFor, base *big.Rat) bool {
	if base.Sign() <= 0 {
		return false
	}
	need := new(big.Rat).Mul(t.Share.Rat(), base)
	c := votesFor.Cmp(need)
	if t.Rule == AtLeast {
		return c >= 0
	}
	return c > 0
}

// Quorum is how many members must be present, in person or by proxy, for a
// general meeting to decide: at least Members of them and at least Share of
// all the members, whichever is more. Either may be zero.
type Quorum struct {
	Members int   `json:"members,omitzero"`
	Share   Ratio `json:"share,omitzero"`
}

// Need returns the number of members present a quorum needs out of n.
func (q Quorum) Need(n int) int {
	need := q.Members
	if q.Share.Den > 0 {
		// ceil(n * num / den)
		s := (int64(n)*q.Share.Num + q.Share.Den - 1) / q.Share.Den
		need = max(need, int(s))
	}
	return need
}

// ClassShare is the cap or fixed share of one stakeholder class.
type ClassShare struct {
	Class circle.StakeholderClass `json:"class"`
	Share Ratio                   `json:"share"`
}

// Rules are an organisation's rules for its general meetings: the notice,
// the quorum, proxies, whether a resolution that finds no consent goes to
// a vote, the majorities and what they are a share of, and how the votes
// of stakeholder classes are weighted. They are the organisation's policy:
// [ParseRules] reads them strictly and [Rules.Validate] reports every
// problem at once. [EqualCare] is a documented example.
type Rules struct {
	// NoticeDays is the number of clear days between the notice and the
	// meeting (neither day counted), in the organisation's zone.
	NoticeDays int    `json:"noticeDays"`
	Quorum     Quorum `json:"quorum"`
	// ProxyLimit is the most proxies one member may hold; 0 allows none.
	ProxyLimit int       `json:"proxyLimit"`
	Voting     Voting    `json:"voting"`
	Ordinary   Threshold `json:"ordinary"`
	Special    Threshold `json:"special"`
	Base       Base      `json:"base"`
	Weighting  Weighting `json:"weighting"`
	// Classes are the caps (Capped) or fixed shares (FixedShare) of the
	// weighted classes; empty when Unweighted.
	Classes []ClassShare `json:"classes"`
}

// Threshold returns the threshold of a kind of resolution.
func (r Rules) Threshold(m Majority) Threshold {
	if m == Special {
		return r.Special
	}
	return r.Ordinary
}

// EqualCare returns the rules of Equal Care Co-op's members' meetings, as
// its rules read: "by consent in the first instance, with voting to
// follow"; an ordinary resolution needs more than 50% and a special one
// more than 75% of the votes cast; investors' votes count for at most 10%
// of the total (a cap: [EqualCareFixed] reads it as a fixed 10%, as the
// co-op's own documents also do); no one holds more than 5 proxies. The
// notice (14 clear days) and quorum (10 members or a tenth, whichever is
// more) are this example's choice, not quoted from the rules.
func EqualCare() Rules {
	return Rules{
		NoticeDays: 14,
		Quorum:     Quorum{Members: 10, Share: Frac(1, 10)},
		ProxyLimit: 5,
		Voting:     VoteAfterConsent,
		Ordinary:   Threshold{Rule: MoreThan, Share: Frac(1, 2)},
		Special:    Threshold{Rule: MoreThan, Share: Frac(3, 4)},
		Base:       VotesCast,
		Weighting:  Capped,
		Classes:    []ClassShare{{Class: circle.Investor, Share: Frac(1, 10)}},
	}
}

// EqualCareFixed is [EqualCare] with investors carrying a fixed 10% of the
// votes cast rather than at most 10%.
func EqualCareFixed() Rules {
	r := EqualCare()
	r.Weighting = FixedShare
	return r
}

// ParseRules reads rules from JSON strictly (unknown, missing and
// duplicate fields, bad values refused, naming the place) and validates
// them ([Rules.Validate]). Every error matches [ErrInvalidRules].
func ParseRules(data []byte) (Rules, error) {
	var r Rules
	if err := strictjson.Unmarshal(data, &r); err != nil {
		return Rules{}, refuse("parse rules", ErrInvalidRules, "%s", kernel.DecodeDetail(err, details))
	}
	if err := r.Validate(); err != nil {
		return Rules{}, err
	}
	return r, nil
}

// Validate reports every problem of r at once, joined; each matches
// [ErrInvalidRules].
func (r Rules) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, refuse("validate rules", ErrInvalidRules, format, args...))
	}
	if r.NoticeDays < 0 || r.NoticeDays > 366 {
		bad("noticeDays is %d; it must be 0 to 366 clear days", r.NoticeDays)
	}
	if r.Quorum.Members < 0 {
		bad("quorum.members is %d; it cannot be negative", r.Quorum.Members)
	}
	if r.Quorum.Share != (Ratio{}) && !r.Quorum.Share.Valid() {
		bad("quorum.share %d/%d is not a share from 0 to 1", r.Quorum.Share.Num, r.Quorum.Share.Den)
	}
	if r.ProxyLimit < 0 {
		bad("proxyLimit is %d; 0 allows no proxies", r.ProxyLimit)
	}
	if !r.Voting.Valid() {
		bad("voting must be %s", kernel.OneOf(votings.Names()...))
	}
	if !r.Base.Valid() {
		bad("base must be %s", kernel.OneOf(bases.Names()...))
	}
	for _, t := range []struct {
		name string
		t    Threshold
	}{{"ordinary", r.Ordinary}, {"special", r.Special}} {
		switch {
		case !t.t.Rule.Valid():
			bad("%s.rule must be %s", t.name, kernel.OneOf(comparisons.Names()...))
		case !t.t.Share.Valid() || t.t.Share.Num == 0 || (t.t.Rule == MoreThan && t.t.Share.Num == t.t.Share.Den):
			bad("%s.share %s is a threshold nothing or everything meets", t.name, t.t.Share)
		}
	}
	if r.Ordinary.Share.Valid() && r.Special.Share.Valid() && r.Special.Share.Rat().Cmp(r.Ordinary.Share.Rat()) < 0 {
		bad("the special majority (%s) is smaller than the ordinary one (%s)", r.Special, r.Ordinary)
	}
	switch r.Weighting {
	case Unweighted:
		if len(r.Classes) > 0 {
			bad("classes are listed but the weighting is unweighted")
		}
	case Capped, FixedShare:
		if len(r.Classes) == 0 {
			bad("a %s weighting lists at least one class", r.Weighting)
		}
	default:
		bad("weighting must be %s", kernel.OneOf(weightings.Names()...))
	}
	sum := new(big.Rat)
	var seen []circle.StakeholderClass
	for i, c := range r.Classes {
		if !c.Class.Valid() {
			bad("classes[%d].class %q is not a stakeholder class", i, c.Class)
		}
		if slices.Contains(seen, c.Class) {
			bad("classes[%d]: class %s is listed twice", i, c.Class)
		}
		seen = append(seen, c.Class)
		if !c.Share.Valid() || c.Share.Num == 0 || (r.Weighting == FixedShare && c.Share.Num == c.Share.Den) {
			bad("classes[%d].share %s must be more than 0 and less than 1", i, c.Share)
			continue
		}
		sum.Add(sum, c.Share.Rat())
	}
	if r.Weighting != Unweighted && sum.Cmp(big.NewRat(1, 1)) >= 0 {
		bad("the %s shares add up to %s; they must leave a share for the classes not listed", r.Weighting, sum.RatString())
	}
	return errors.Join(errs...)
}

// Describe says the rules applied to a resolution, for the record: "special
// resolution: more than 75% of the votes cast; investor votes capped at 10%".
func (r Rules) Describe(m Majority) string {
	s := fmt.Sprintf("%s resolution: %s of the %s", m, r.Threshold(m), map[Base]string{VotesCast: "votes cast", MembersPresent: "members present"}[r.Base])
	for _, c := range r.Classes {
		switch r.Weighting {
		case Capped:
			s += fmt.Sprintf("; %s votes capped at %s", c.Class, c.Share.Percent())
		case FixedShare:
			s += fmt.Sprintf("; %s votes a fixed %s", c.Class, c.Share.Percent())
		}
	}
	return s
}
