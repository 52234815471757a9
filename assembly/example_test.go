package assembly_test

import (
	"fmt"
	"math/big"

	"github.com/coproduce/sociocracy/assembly"
	"github.com/coproduce/sociocracy/circle"
)

// An AGM under Equal Care Co-op's rules passes a special resolution: an
// investor objects, so it goes to a vote, in which the investors' votes are
// capped at 10% of the total.
func Example() {
	org := coopOrg(5, 2) // five workers (P1 chairs), two investors
	m, _, err := assembly.Call(org, spec(), rules(), at(0))
	if err != nil {
		panic(err)
	}
	must(m.Propose(pid(1), at(1), assembly.ResolutionSpec{Majority: assembly.Special, Title: "Amend rule 12", Text: "Rule 12 is replaced by: ..."}))
	for _, p := range []int{1, 2, 3, 6, 7} {
		must(m.Register(pid(p), at(2), pid(p)))
	}
	must(m.AppointProxy(pid(4), at(2), pid(2))) // P4 cannot come; P2 holds their proxy
	must(m.Open(pid(1), after(0)))
	must(m.SeekConsent(pid(1), after(1), 1))
	must(m.Object(pid(6), after(2), 1, "investors lose their seat on the board"))
	must(m.CallVote(pid(1), after(3), 1))
	for _, p := range []int{1, 2, 3} {
		must(m.Vote(pid(p), after(4), 1, assembly.For, circle.PersonID{}))
	}
	must(m.Vote(pid(2), after(4), 1, assembly.For, pid(4)))
	must(m.Vote(pid(6), after(4), 1, assembly.Against, circle.PersonID{}))
	must(m.Vote(pid(7), after(4), 1, assembly.Against, circle.PersonID{}))
	must(m.Count(pid(1), after(5), 1))

	r, _ := m.Resolution(1)
	fmt.Println(r.Title+":", r.Stage)
	fmt.Println("rule:", r.Result.Rule)
	for _, c := range r.Result.Classes {
		fmt.Printf("%-9s for %d, against %d, each vote weighs %s\n", c.Class, c.For, c.Against, c.Weight)
	}
	share := r.Result.ShareFor()
	percent := new(big.Rat).Mul(share, big.NewRat(100, 1))
	fmt.Printf("for: %s of the weighted votes cast (%s%%)\n", share.RatString(), percent.FloatString(1))
	// Output:
	// Amend rule 12: carried
	// rule: special resolution: more than 75% of the votes cast; investor votes capped at 10%
	// investor  for 0, against 2, each vote weighs 2/9
	// worker    for 4, against 0, each vote weighs 1
	// for: 9/10 of the weighted votes cast (90.0%)
}

// Tally counts a vote under the rules, exactly: with a fixed share, a small
// class is scaled up to its share; with a cap, it is left alone.
func ExampleTally() {
	counts := []assembly.Count{
		{Class: circle.Worker, For: 29, Present: 29},
		{Class: circle.Investor, Against: 1, Present: 1},
	}
	for _, r := range []assembly.Rules{assembly.EqualCare(), assembly.EqualCareFixed()} {
		res, err := assembly.Tally(r, assembly.Special, counts)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%-11s for %s, carried %v\n", r.Weighting, res.ShareFor().RatString(), res.Carried)
	}
	// Output:
	// capped      for 29/30, carried true
	// fixed-share for 9/10, carried true
}
