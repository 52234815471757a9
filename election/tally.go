package election

import (
	"cmp"
	"slices"

	"github.com/coproduce/sociocracy/circle"
)

// Count is how many current nominations name one nominee, and by whom.
type Count struct {
	Nominee    circle.PersonID   `json:"nominee"`
	Count      int               `json:"count"`
	Nominators []circle.PersonID `json:"nominators"` // in ID order
}

// Tally counts nominations per nominee, most first, then by nominee ID.
// Passes are not counted. It is information for the facilitator, never a
// vote: the facilitator proposes from the reasons given.
func Tally(nominations []Nomination) []Count {
	by := map[circle.PersonID]*Count{}
	for _, n := range nominations {
		if n.Pass || n.Nominee.IsZero() {
			continue
		}
		c := by[n.Nominee]
		if c == nil {
			c = &Count{Nominee: n.Nominee}
			by[n.Nominee] = c
		}
		c.Count++
		c.Nominators = append(c.Nominators, n.Nominator)
	}
	out := make([]Count, 0, len(by))
	for _, c := range by {
		slices.SortFunc(c.Nominators, circle.PersonID.Compare)
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b Count) int { return cmp.Or(b.Count-a.Count, a.Nominee.Compare(b.Nominee)) })
	return out
}

// topTied returns the nominees sharing the highest count, leaving out those
// who declined, in ID order.
func topTied(counts []Count, declined map[circle.PersonID]string) []circle.PersonID {
	var out []circle.PersonID
	top := -1
	for _, c := range counts {
		if hasKey(declined, c.Nominee) {
			continue
		}
		if top < 0 {
			top = c.Count
		}
		if c.Count == top {
			out = append(out, c.Nominee)
		}
	}
	return out
}

// BreakTie applies rule to the counts of a tally. It returns the nominee the
// rule picks (zero when it picks nobody) and the tied nominees at the top.
// With one nominee at the top there is no tie and every rule picks them.
//
//   - [TieSelfNominee] picks the one tied nominee who nominated themselves;
//     if none or several did, it picks nobody.
//   - [TieIncumbent] picks the incumbent if they are tied at the top.
//   - [TieRerun] and [TieFacilitator] pick nobody: the change round is
//     re-run among the tied, or the facilitator chooses among them.
func BreakTie(rule TieRule, counts []Count, nominations []Nomination, incumbent circle.PersonID) (circle.PersonID, []circle.PersonID, error) {
	var none circle.PersonID
	if !slices.Contains([]TieRule{TieSelfNominee, TieIncumbent, TieRerun, TieFacilitator}, rule) {
		return none, nil, refuse("break tie", ErrTieRule, "tie rule %d is not valid", uint8(rule))
	}
	tied := topTied(counts, nil)
	if len(tied) == 1 {
		return tied[0], tied, nil
	}
	switch rule {
	case TieSelfNominee:
		var selves []circle.PersonID
		for _, n := range nominations {
			if !n.Pass && n.Nominator == n.Nominee && slices.Contains(tied, n.Nominee) {
				selves = append(selves, n.Nominee)
			}
		}
		if len(selves) == 1 {
			return selves[0], tied, nil
		}
	case TieIncumbent:
		if !incumbent.IsZero() && slices.Contains(tied, incumbent) {
			return incumbent, tied, nil
		}
	}
	return none, tied, nil
}
