package linking_test

import (
	"fmt"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/linking"
)

// A care co-operative whose new care team has a leader but no delegate yet,
// and no supported person among its members.
func ExampleCheck() {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	ada, ben, cat := pid(1), pid(2), pid(3)
	board, team := cid(1), cid(2)
	org, _, _ := circle.Found(circle.Founding{
		Org: circle.OrgID(ada.UUID()), Name: "Riverside Care Co-operative", Zone: "Europe/London",
		Founder: ada, FounderLabel: "Ada", FounderClass: circle.Worker,
		Top: board, TopName: "Board", TopKind: circle.KindMission, At: at,
	})
	must(org.AddPerson(ada, at, circle.PersonSpec{ID: ben, Label: "Ben", Class: circle.Worker}))
	must(org.AddPerson(ada, at, circle.PersonSpec{ID: cat, Label: "Cat", Class: circle.Worker}))
	must(org.AddCircle(ada, at, circle.CircleSpec{ID: team, Parent: board, Name: "Care team", Kind: circle.KindTeam}))
	must(org.AddMember(ada, at, team, ben))
	must(org.AddMember(ada, at, team, cat))
	must(org.AddMember(ada, at, board, ben))
	must(org.AssignRole(ada, at, team, circle.Leader, ben, circle.Term{Start: at, End: at.AddDate(1, 0, 0)}))

	policy := &linking.Policy{Coverage: []linking.CoverageRule{linking.CoProduction()}}
	report, err := linking.Check(org, policy, at)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(report)
	// Output:
	// Linking report for "Riverside Care Co-operative" at 2026-03-02 10:00 UTC: 2 circles checked, 2 problems.
	//
	// Care team:
	//   - Circle "Care team" has no delegate. The circle chooses a delegate from its members and "Board" confirms them; the delegate is a member of both circles. [no-delegate]
	//   - Circle "Care team" has no member who is a supported-person or an advocate acting for one (rule "co-production"). Invite one to join the circle. [missing-stakeholder]
}

// Who carries a concern from a care team to a helping circle beside it, and
// what happens when the care team has no delegate.
func ExampleFeedbackPath() {
	org := riverside()
	path, _ := linking.FeedbackPath(org, team, rota, now)
	fmt.Print(path)

	must(org.EndRole(ada, now, team, circle.Delegate))
	path, _ = linking.FeedbackPath(org, team, rota, now)
	fmt.Print(path)
	fmt.Println("complete:", path.Complete())
	// Output:
	// From "Care team North" to "Rota review" via "Operations": 2 hops.
	//   up "Care team North" -> "Operations": Dan (delegate)
	//   down "Operations" -> "Rota review": Ben (leader)
	// From "Care team North" to "Rota review" via "Operations": 2 hops.
	//   up "Care team North" -> "Operations": GAP: "Care team North" has no delegate
	//     Fay (leader) could carry it instead
	//   down "Operations" -> "Rota review": Ben (leader)
	// complete: false
}

// Who could become the delegate of a care team whose delegate left.
func ExampleCandidates() {
	org := riverside()
	must(org.RemoveMember(ada, now, team, dan))
	cands, _ := linking.Candidates(org, team, circle.Delegate, now)
	for _, c := range cands {
		fmt.Printf("%s (%s): %s\n", c.Label, c.Class, c.Note)
	}
	// Output:
	// Eve (advocate): A member of "Care team North"; must join the parent circle "Operations".
	// Gus (investor): A member of "Care team North"; must join the parent circle "Operations".
}

// A host warns before someone removes a care team's only delegate.
func ExamplePreview() {
	org := riverside()
	changes, _, err := linking.Preview(org, nil, now, func(o *circle.Organisation) error {
		_, err := o.RemoveMember(ada, now, team, dan)
		return err
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(changes)
	// Output:
	// + Circle "Care team North" has no delegate. The circle chooses a delegate from its members and "Operations" confirms them; the delegate is a member of both circles. [no-delegate]
}

// Per-kind overrides: departments need both links, teams only a leader,
// helping circles nothing.
func ExamplePolicy() {
	policy := &linking.Policy{Kinds: map[circle.Kind]linking.LinkRule{
		circle.KindTeam:    linking.LeaderOnly(),
		circle.KindHelping: {},
	}}
	for _, k := range []circle.Kind{circle.KindDepartment, circle.KindTeam, circle.KindHelping} {
		fmt.Printf("%s: %+v\n", k, policy.Rule(k))
	}
	// Output:
	// department: {RequireLeader:true RequireDelegate:true MinLinks:2}
	// team: {RequireLeader:true RequireDelegate:false MinLinks:1}
	// helping: {RequireLeader:false RequireDelegate:false MinLinks:0}
}
