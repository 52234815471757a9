package assembly_test

import (
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/coproduce/sociocracy/assembly"
	"github.com/coproduce/sociocracy/circle"
)

func rat(s string) *big.Rat {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		panic(s)
	}
	return r
}

// Worked examples of Equal Care's rules ("an ordinary resolution needs more
// than 50% and a special one more than 75%; investors' votes count for at
// most 10%"), with both readings of the 10%.
func TestTallyWorkedExamples(t *testing.T) {
	workers := func(f, a int) assembly.Count {
		return assembly.Count{Class: circle.Worker, For: f, Against: a, Present: f + a}
	}
	investors := func(f, a int) assembly.Count {
		return assembly.Count{Class: circle.Investor, For: f, Against: a, Present: f + a}
	}
	unweighted := assembly.EqualCare()
	unweighted.Weighting, unweighted.Classes = assembly.Unweighted, nil
	atLeast := unweighted
	atLeast.Special.Rule = assembly.AtLeast
	present := unweighted
	present.Base = assembly.MembersPresent
	for _, tc := range []struct {
		name    string
		rules   assembly.Rules
		m       assembly.Majority
		counts  []assembly.Count
		share   string // the weighted share for
		carried bool
	}{
		{"3 of 4 carries an ordinary resolution", unweighted, assembly.Ordinary, []assembly.Count{workers(3, 1)}, "3/4", true},
		{"exactly 75% is not more than 75%", unweighted, assembly.Special, []assembly.Count{workers(3, 1)}, "3/4", false},
		{"exactly 75% is at least 75%", atLeast, assembly.Special, []assembly.Count{workers(3, 1)}, "3/4", true},
		{"half is not more than half", unweighted, assembly.Ordinary, []assembly.Count{workers(2, 2)}, "1/2", false},
		{"abstentions do not count among votes cast", unweighted, assembly.Ordinary,
			[]assembly.Count{{Class: circle.Worker, For: 2, Against: 1, Abstain: 5, Present: 8}}, "2/3", true},
		{"abstentions count against among members present", present, assembly.Ordinary,
			[]assembly.Count{{Class: circle.Worker, For: 2, Against: 1, Abstain: 5, Present: 8}}, "1/4", false},
		// 17 of 20 others for, 10 investors against: 17/30 unweighted; capped,
		// the investors carry 10% of the total, so 17 of 200/9: 76.5%.
		{"unweighted, ten investors sink a special resolution", unweighted, assembly.Special,
			[]assembly.Count{workers(17, 3), investors(0, 10)}, "17/30", false},
		{"capped at 10%, the investors carry a tenth and it carries", assembly.EqualCare(), assembly.Special,
			[]assembly.Count{workers(17, 3), investors(0, 10)}, "153/200", true},
		{"a fixed 10% gives the same when investors are many", assembly.EqualCareFixed(), assembly.Special,
			[]assembly.Count{workers(17, 3), investors(0, 10)}, "153/200", true},
		// One investor against among 30: under the cap they count as one vote
		// (29/30 for); a fixed 10% scales them up (0.9 for).
		{"a cap leaves a small class alone", assembly.EqualCare(), assembly.Special,
			[]assembly.Count{workers(29, 0), investors(0, 1)}, "29/30", true},
		{"a fixed share scales a small class up", assembly.EqualCareFixed(), assembly.Special,
			[]assembly.Count{workers(29, 0), investors(0, 1)}, "9/10", true},
		{"only investors vote: no cap can hold", assembly.EqualCare(), assembly.Ordinary,
			[]assembly.Count{investors(3, 1)}, "3/4", true},
		{"nobody votes: nothing carries", assembly.EqualCare(), assembly.Ordinary, nil, "0", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := assembly.Tally(tc.rules, tc.m, tc.counts)
			require.NoError(t, err)
			assert.Equal(t, rat(tc.share).RatString(), res.ShareFor().RatString())
			assert.Equal(t, tc.carried, res.Carried)
			assert.Equal(t, tc.rules.Describe(tc.m), res.Rule, "the rule applied is recorded")
			assert.Len(t, res.Classes, len(tc.counts), "the count per class is recorded")
		})
	}
}

func TestTallyRefusesImpossibleCounts(t *testing.T) {
	r := assembly.EqualCare()
	r.Base = assembly.MembersPresent
	for _, counts := range [][]assembly.Count{
		{{Class: circle.Worker, For: 1}, {Class: circle.Worker, Against: 1}},
		{{Class: circle.Worker, For: -1}},
		{{Class: circle.Worker, For: 3, Present: 2}},
	} {
		_, err := assembly.Tally(r, assembly.Ordinary, counts)
		require.ErrorIs(t, err, assembly.ErrInvalidSpec)
	}
}

var classes = []circle.StakeholderClass{circle.Worker, circle.Investor, circle.SupportedPerson, circle.Advocate}

// drawTally draws rules and counts of up to four classes.
func drawTally(t *rapid.T) (assembly.Rules, []assembly.Count) {
	r := assembly.EqualCare()
	r.Base = assembly.Base(rapid.IntRange(1, 2).Draw(t, "base"))
	r.Weighting = assembly.Weighting(rapid.IntRange(1, 3).Draw(t, "weighting"))
	r.Classes = nil
	if r.Weighting != assembly.Unweighted {
		left := int64(99)
		for i, c := range classes[1:] {
			if i > 0 && rapid.Bool().Draw(t, "more") {
				break
			}
			p := rapid.Int64Range(1, max(1, left/2)).Draw(t, "percent")
			left -= p
			r.Classes = append(r.Classes, assembly.ClassShare{Class: c, Share: assembly.Percent(p)})
		}
	}
	var counts []assembly.Count
	for _, c := range classes {
		if rapid.IntRange(0, 3).Draw(t, "absent") == 0 {
			continue
		}
		n := assembly.Count{Class: c, For: rapid.IntRange(0, 40).Draw(t, "for"), Against: rapid.IntRange(0, 40).Draw(t, "against"),
			Abstain: rapid.IntRange(0, 5).Draw(t, "abstain")}
		n.Present = n.For + n.Against + n.Abstain + rapid.IntRange(0, 5).Draw(t, "silent")
		counts = append(counts, n)
	}
	return r, counts
}

// naiveShare computes the weighted share for from the definitions, the
// slow way: under a cap it tries every set of capped classes and takes the
// one that is consistent; under a fixed share it adds each class's share
// times its own share for.
func naiveShare(r assembly.Rules, counts []assembly.Count) *big.Rat {
	base := func(c assembly.Count) int64 {
		if r.Base == assembly.MembersPresent {
			return int64(c.Present)
		}
		return int64(c.For + c.Against)
	}
	listed := func(c assembly.Count) *big.Rat {
		for _, l := range r.Classes {
			if l.Class == c.Class {
				return l.Share.Rat()
			}
		}
		return nil
	}
	q := func(a, b int64) *big.Rat { return big.NewRat(a, b) }
	var sumFor, sumBase int64
	for _, c := range counts {
		sumFor += int64(c.For)
		sumBase += base(c)
	}
	if sumBase == 0 {
		return new(big.Rat)
	}
	plain := q(sumFor, sumBase)
	switch r.Weighting {
	case assembly.Capped:
		var unlisted int64
		for _, c := range counts {
			if listed(c) == nil {
				unlisted += base(c)
			}
		}
		if unlisted == 0 {
			return plain
		}
		n := len(counts)
		for set := 0; set < 1<<n; set++ {
			u, s := new(big.Rat), new(big.Rat)
			ok := true
			for i, c := range counts {
				in := set&(1<<i) != 0
				if in && listed(c) == nil {
					ok = false
					break
				}
				if in {
					s.Add(s, listed(c))
				} else {
					u.Add(u, q(base(c), 1))
				}
			}
			if !ok {
				continue
			}
			total := new(big.Rat).Quo(u, new(big.Rat).Sub(q(1, 1), s))
			vf := new(big.Rat)
			for i, c := range counts {
				in := set&(1<<i) != 0
				capAt := new(big.Rat)
				if l := listed(c); l != nil {
					capAt.Mul(l, total)
				}
				exceeds := listed(c) != nil && q(base(c), 1).Cmp(capAt) > 0
				if in != exceeds {
					ok = false
					break
				}
				if in {
					vf.Add(vf, new(big.Rat).Mul(capAt, q(int64(c.For), base(c))))
				} else {
					vf.Add(vf, q(int64(c.For), 1))
				}
			}
			if ok {
				return vf.Quo(vf, total)
			}
		}
		panic("no consistent set of capped classes")
	case assembly.FixedShare:
		restShare := q(1, 1)
		for _, l := range r.Classes {
			restShare.Sub(restShare, l.Share.Rat())
		}
		var restFor, restBase int64
		shares, fors := new(big.Rat), new(big.Rat)
		for _, c := range counts {
			if l := listed(c); l == nil {
				restFor += int64(c.For)
				restBase += base(c)
			} else if base(c) > 0 {
				shares.Add(shares, l)
				fors.Add(fors, new(big.Rat).Mul(l, q(int64(c.For), base(c))))
			}
		}
		if restBase > 0 {
			shares.Add(shares, restShare)
			fors.Add(fors, new(big.Rat).Mul(restShare, q(restFor, restBase)))
		}
		return fors.Quo(fors, shares)
	}
	return plain
}

// Property: the tally's weighted share for equals the naive computation
// from the definitions, and it carries exactly when that share meets the
// threshold.
func TestPropertyTallyMatchesNaive(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r, counts := drawTally(t)
		require.NoError(t, r.Validate())
		m := assembly.Majority(rapid.IntRange(1, 2).Draw(t, "majority"))
		res, err := assembly.Tally(r, m, counts)
		require.NoError(t, err)
		want := naiveShare(r, counts)
		if res.ShareFor().Cmp(want) != 0 {
			t.Fatalf("share for %s, naively %s", res.ShareFor().RatString(), want.RatString())
		}
		th := r.Threshold(m)
		carried := want.Cmp(th.Share.Rat()) > 0 || th.Rule == assembly.AtLeast && want.Cmp(th.Share.Rat()) == 0
		if rat(res.Total).Sign() == 0 {
			carried = false
		}
		if res.Carried != carried {
			t.Fatalf("carried %v; share %s against %s", res.Carried, want.RatString(), th)
		}
	})
}

// Property: under a fixed share, each listed class that takes part carries
// exactly its share of the weighted total (renormalised over the classes
// that take part); under a cap, no listed class carries more than its cap
// while unlisted classes take part, and a class under its cap counts one
// per vote.
func TestPropertyWeightsKeepTheirShares(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r, counts := drawTally(t)
		res, err := assembly.Tally(r, assembly.Ordinary, counts)
		require.NoError(t, err)
		total := rat(res.Total)
		if total.Sign() == 0 {
			return
		}
		share := map[circle.StakeholderClass]*big.Rat{}
		for _, l := range r.Classes {
			share[l.Class] = l.Share.Rat()
		}
		carried := map[circle.StakeholderClass]*big.Rat{}
		unlisted := false
		norm := new(big.Rat)
		restShare := big.NewRat(1, 1)
		for _, l := range r.Classes {
			restShare.Sub(restShare, l.Share.Rat())
		}
		for _, c := range res.Classes {
			b := int64(c.For + c.Against)
			if r.Base == assembly.MembersPresent {
				b = int64(c.Present)
			}
			carried[c.Class] = new(big.Rat).Quo(new(big.Rat).Mul(rat(c.Weight), big.NewRat(b, 1)), total)
			if s, ok := share[c.Class]; ok && b > 0 {
				norm.Add(norm, s)
			}
			if _, ok := share[c.Class]; !ok && b > 0 {
				unlisted = true
			}
		}
		if unlisted {
			norm.Add(norm, restShare)
		}
		for _, c := range res.Classes {
			s, ok := share[c.Class]
			if !ok || carried[c.Class].Sign() == 0 {
				continue
			}
			switch r.Weighting {
			case assembly.FixedShare:
				want := new(big.Rat).Quo(s, norm)
				if carried[c.Class].Cmp(want) != 0 {
					t.Fatalf("%s carries %s, not its share %s", c.Class, carried[c.Class].RatString(), want.RatString())
				}
			case assembly.Capped:
				if unlisted && carried[c.Class].Cmp(s) > 0 {
					t.Fatalf("%s carries %s, more than its cap %s", c.Class, carried[c.Class].RatString(), s.RatString())
				}
				if rat(c.Weight).Cmp(big.NewRat(1, 1)) > 0 {
					t.Fatalf("%s's votes weigh %s: a cap never adds weight", c.Class, c.Weight)
				}
			}
		}
	})
}
