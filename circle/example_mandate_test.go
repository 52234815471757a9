package circle_test

import (
	"fmt"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
)

// A supported person names their sister as advocate for the decisions of
// one care team, then takes the mandate back.
func ExampleOrganisation_NameAdvocate() {
	org, _, _ := circle.Found(founding())
	ada, ben, cara := pid(1), pid(2), pid(3)
	_, _ = org.AddPerson(ada, t0, circle.PersonSpec{ID: ben, Label: "Ben", Class: circle.SupportedPerson})
	_, _ = org.AddPerson(ada, t0, circle.PersonSpec{ID: cara, Label: "Cara", Class: circle.Advocate, ActsFor: []circle.PersonID{ben}})
	_, _ = org.AddCircle(ada, t0, circle.CircleSpec{ID: cid(2), Parent: org.Top(), Name: "Care team North", Kind: circle.KindTeam})
	id := circle.MandateID(circletest.UUID(0xad, 1))

	_, err := org.NameAdvocate(cara, t0, circle.Mandate{ID: id, Principal: ben, Holder: cara})
	fmt.Println(err)
	_, err = org.NameAdvocate(ben, t0, circle.Mandate{ID: id, Principal: ben, Holder: cara, Circles: []circle.CircleID{cid(2)}})
	fmt.Println(err)
	m, _ := org.Mandate(id)
	fmt.Println(m.Kind, m.Covers(cid(2), "care-plan", [16]byte{}, t0.Add(time.Hour)), m.Covers(org.Top(), "care-plan", [16]byte{}, t0.Add(time.Hour)))

	_, _ = org.RevokeMandate(ben, t0.Add(2*time.Hour), id, "I will answer for myself")
	m, _ = org.Mandate(id)
	fmt.Println(m.InForce(t0.Add(3 * time.Hour)))
	// Output:
	// circle: name advocate: only Ben names who answers for them, not Cara
	// <nil>
	// advocate true false
	// false
}
