package assembly

import (
	"math/big"
	"slices"
	"strings"

	"github.com/coproduce/sociocracy/circle"
)

// Count is what one stakeholder class did on one resolution: its votes for,
// against and abstaining, and its members present (in person or by proxy),
// who may be more than those who voted.
type Count struct {
	Class   circle.StakeholderClass `json:"class"`
	For     int                     `json:"for"`
	Against int                     `json:"against"`
	Abstain int                     `json:"abstain"`
	Present int                     `json:"present"`
}

// ClassResult is a class's count with the weight one of its votes carried,
// exactly ("1/1", "9/41").
type ClassResult struct {
	Count
	Weight string `json:"weight"`
}

// Result is the outcome of a vote on a resolution, with everything needed
// to check it: the count per class and the weight of each class's votes,
// the weighted totals (exact rationals, "n/d"), the rule applied and
// whether the resolution carried.
type Result struct {
	Majority  Majority      `json:"majority"`
	Threshold Threshold     `json:"threshold"`
	Base      Base          `json:"base"`
	Weighting Weighting     `json:"weighting"`
	Rule      string        `json:"rule"` // the rule applied, in words ([Rules.Describe])
	Classes   []ClassResult `json:"classes"`
	For       string        `json:"for"`     // weighted votes for
	Against   string        `json:"against"` // weighted votes against
	Total     string        `json:"total"`   // the weighted base the threshold is a share of
	Carried   bool          `json:"carried"`
}

// ShareFor returns the weighted share of the base that voted for, exactly.
func (r Result) ShareFor() *big.Rat {
	f, _ := new(big.Rat).SetString(r.For)
	t, _ := new(big.Rat).SetString(r.Total)
	if f == nil || t == nil || t.Sign() == 0 {
		return new(big.Rat)
	}
	return f.Quo(f, t)
}

// Tally counts a vote on a resolution of kind m under rules r, with exact
// arithmetic. counts has one entry per class that took part (a class
// listed twice, a negative count or, when the base is the members present,
// more votes than members present, is refused with [ErrInvalidSpec]).
//
// Each class's base is its votes cast (for and against) or its members
// present, as the rules choose. Under a Capped weighting, a listed class
// whose base would be more than its cap of the weighted total has its votes
// scaled down until it carries exactly its cap, and the others count one
// each; a class at or below its cap counts one each too. When only listed
// classes took part no cap can hold, and every vote counts one. Under a
// FixedShare weighting, each listed class that took part carries exactly
// its share of the weighted total and the unlisted classes together the
// rest, one vote each among them; the shares of classes that did not take
// part are shared among those that did, in proportion. The resolution
// carries when the weighted votes for meet the threshold of the weighted
// total; a vote with nobody in the base carries nothing.
func Tally(r Rules, m Majority, counts []Count) (Result, error) {
	const act = "tally"
	cs := slices.Clone(counts)
	slices.SortFunc(cs, func(a, b Count) int { return strings.Compare(string(a.Class), string(b.Class)) })
	for i, c := range cs {
		switch {
		case i > 0 && cs[i-1].Class == c.Class:
			return Result{}, refuse(act, ErrInvalidSpec, "class %s is counted twice", c.Class)
		case c.For < 0 || c.Against < 0 || c.Abstain < 0 || c.Present < 0:
			return Result{}, refuse(act, ErrInvalidSpec, "class %s has a negative count", c.Class)
		case r.Base == MembersPresent && c.For+c.Against+c.Abstain > c.Present:
			return Result{}, refuse(act, ErrInvalidSpec, "class %s cast %d votes with %d members present", c.Class, c.For+c.Against+c.Abstain, c.Present)
		}
	}
	base := make([]*big.Rat, len(cs))
	for i, c := range cs {
		n := c.For + c.Against
		if r.Base == MembersPresent {
			n = c.Present
		}
		base[i] = big.NewRat(int64(n), 1)
	}
	weights := weigh(r, cs, base)
	res := Result{Majority: m, Threshold: r.Threshold(m), Base: r.Base, Weighting: r.Weighting, Rule: r.Describe(m)}
	vf, va, total := new(big.Rat), new(big.Rat), new(big.Rat)
	for i, c := range cs {
		w := weights[i]
		vf.Add(vf, new(big.Rat).Mul(w, big.NewRat(int64(c.For), 1)))
		va.Add(va, new(big.Rat).Mul(w, big.NewRat(int64(c.Against), 1)))
		total.Add(total, new(big.Rat).Mul(w, base[i]))
		res.Classes = append(res.Classes, ClassResult{Count: c, Weight: w.RatString()})
	}
	res.For, res.Against, res.Total = vf.RatString(), va.RatString(), total.RatString()
	res.Carried = res.Threshold.Met(vf, total)
	return res, nil
}

// weigh returns the weight of one vote of each class.
func weigh(r Rules, cs []Count, base []*big.Rat) []*big.Rat {
	one := big.NewRat(1, 1)
	w := make([]*big.Rat, len(cs))
	for i := range w {
		w[i] = new(big.Rat).Set(one)
	}
	share := make([]*big.Rat, len(cs)) // nil: not listed
	for i, c := range cs {
		for _, l := range r.Classes {
			if l.Class == c.Class {
				share[i] = l.Share.Rat()
			}
		}
	}
	switch r.Weighting {
	case Capped:
		unlisted := new(big.Rat)
		for i := range cs {
			if share[i] == nil {
				unlisted.Add(unlisted, base[i])
			}
		}
		if unlisted.Sign() == 0 {
			return w
		}
		capped := make([]bool, len(cs))
		var total *big.Rat
		for {
			u, s := new(big.Rat), new(big.Rat)
			for i := range cs {
				if capped[i] {
					s.Add(s, share[i])
				} else {
					u.Add(u, base[i])
				}
			}
			total = u.Quo(u, s.Sub(one, s)) // the weighted total
			more := false
			for i := range cs {
				if share[i] != nil && !capped[i] && base[i].Cmp(new(big.Rat).Mul(share[i], total)) > 0 {
					capped[i], more = true, true
				}
			}
			if !more {
				break
			}
		}
		for i := range cs {
			if capped[i] {
				w[i] = new(big.Rat).Quo(new(big.Rat).Mul(share[i], total), base[i])
			}
		}
	case FixedShare:
		all, rest, restShare, sum := new(big.Rat), new(big.Rat), new(big.Rat).Set(one), new(big.Rat)
		for i := range cs {
			all.Add(all, base[i])
			if share[i] == nil {
				rest.Add(rest, base[i])
			} else if base[i].Sign() > 0 {
				sum.Add(sum, share[i])
			}
		}
		for _, l := range r.Classes {
			restShare.Sub(restShare, l.Share.Rat())
		}
		if rest.Sign() > 0 {
			sum.Add(sum, restShare)
		}
		if sum.Sign() == 0 {
			return w
		}
		for i := range cs {
			if base[i].Sign() == 0 {
				continue
			}
			s, b := share[i], base[i]
			if s == nil {
				s, b = restShare, rest
			}
			// The class (or the unlisted classes together) carries s/sum
			// of the total, which is kept at the unweighted total.
			x := new(big.Rat).Quo(s, sum)
			w[i] = x.Quo(x.Mul(x, all), b)
		}
	}
	return w
}
