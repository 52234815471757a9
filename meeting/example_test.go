package meeting_test

import (
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/meeting"
	"github.com/coproduce/sociocracy/review"
)

// A circle meets: the agenda is built from what is due and what is open,
// a member asks for a confidential item, attendance is recorded, an act
// done in the meeting is linked, and the minutes are published and printed
// as a guest reads them.
func Example() {
	org := teamOrg(3)
	m, _, err := meeting.Convene(org, spec(), at(0))
	if err != nil {
		panic(err)
	}
	proc := consent.ProcessID(circletest.UUID(0x9c, 1))
	items := meeting.AgendaFrom(meeting.Sources{
		Due: []review.Item{{ID: review.ItemID(circletest.UUID(0x4e, 1)), Title: "Evening visits policy"}},
	})
	items = append(items, meeting.ItemSpec{Source: meeting.SourceProcess, Title: "Consent: Rota swaps", Process: proc})
	must(m.AddItems(pid(2), at(1), items...))
	must(m.RequestItem(pid(3), at(2), "A person's support plan", true))
	must(m.SendApologies(pid(3), at(3)))
	must(m.Open(pid(1), at(60)))
	must(m.Attend(pid(2), at(60), pid(1), meeting.Present))
	must(m.Attend(pid(2), at(60), pid(2), meeting.Present))
	must(m.Attend(pid(2), at(60), pid(4), meeting.Guest))
	must(m.RecordActs(pid(2), at(70), 2, []meeting.Link{{Stream: "consent", ID: uuid.UUID(proc), From: 5, To: 9,
		Types: []string{"consent.answered", "consent.decision_adopted"}}}))
	must(m.Minute(pid(2), at(71), 1, meeting.OutcomeDecided, "Kept; next review in six months."))
	must(m.Minute(pid(2), at(72), 2, meeting.OutcomeDecided, "Adopted after one objection was integrated."))
	must(m.Minute(pid(2), at(73), 3, meeting.OutcomeDeferred, "To the March meeting."))
	must(m.Close(pid(1), at(90)))
	must(m.Publish(pid(2), at(120)))

	mn, err := m.Minutes(pid(4)) // the guest
	if err != nil {
		panic(err)
	}
	london, _ := time.LoadLocation("Europe/London")
	fmt.Print(mn.Text(names, london))
	// Output:
	// Minutes: Care team North, January
	// =================================
	// Opened Mon 5 Jan 2026 10:30, closed 11:00; published Mon 5 Jan 2026 11:30 (Europe/London).
	// Facilitator: P1. Secretary: P2.
	//
	// Present:   P1, P2
	// Apologies: P3
	// Guests:    P4
	//
	// Agenda and what happened
	//
	// 1. Review: Evening visits policy
	//    Outcome: decided.
	//    Kept; next review in six months.
	//
	// 2. Consent: Rota swaps
	//    Outcome: decided.
	//    Adopted after one objection was integrated.
	//    - consent process: decision adopted (events 5 to 9)
	//
	// 3. Confidential item
	//    Withheld: confidential to the circle's members.
}

// Allowed lists what a person may do now, for a screen's buttons.
func ExampleMeeting_Allowed() {
	m, _ := convene(3)
	fmt.Println("facilitator:", m.Allowed(pid(1), at(1)))
	fmt.Println("member:     ", m.Allowed(pid(3), at(1)))
	fmt.Println("outsider:   ", m.Allowed(pid(4), at(1)))
	// Output:
	// facilitator: [add-items request-item open attend send-apologies cancel]
	// member:      [request-item send-apologies]
	// outsider:    []
}
