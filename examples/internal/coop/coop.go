// Package coop builds the care co-operative the examples share: Riverside
// Care Co-operative, modelled on the seed text. People who receive support
// (and their advocates) sit beside care workers in the care teams; a mission
// circle with an outside expert and an investor sits at the top; a general
// circle links the department circles; a helping circle plans for winter.
//
// IDs are derived from names (UUID version 5), so every run of every example
// names the same people and circles with the same IDs.
package coop

import (
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/linking"
)

var namespace = uuid.MustParse("6f1d2c3e-8a4b-5c6d-9e0f-1a2b3c4d5e6f")

// OrgID is the co-operative's ID.
var OrgID = circle.OrgID(uuid.NewSHA1(namespace, []byte("org/Riverside Care Co-operative")))

// Person returns the ID of the person with the given label.
func Person(label string) circle.PersonID {
	return circle.PersonID(uuid.NewSHA1(namespace, []byte("person/"+label)))
}

// Circle returns the ID of the circle with the given name.
func Circle(name string) circle.CircleID {
	return circle.CircleID(uuid.NewSHA1(namespace, []byte("circle/"+name)))
}

// The circles, by name.
const (
	Mission      = "Mission circle"
	General      = "General circle"
	CareNorth    = "Care team North"
	CareSouth    = "Care team South"
	Finance      = "Finance circle"
	PeopleCircle = "People circle"
	Winter       = "Winter planning"
)

// The people, by label, with their stakeholder class.
var people = []struct {
	label   string
	class   circle.StakeholderClass
	actsFor string
}{
	{"Amara", circle.Worker, ""}, // founder, a care worker
	{"Ben", circle.SupportedPerson, ""},
	{"Carol", circle.Advocate, "Ben"}, // Ben's sister
	{"Dev", circle.Worker, ""},
	{"Erin", circle.Worker, ""},
	{"Femi", circle.SupportedPerson, ""},
	{"Grace", circle.Investor, ""},
	{"Hamid", circle.Worker, ""},
	{"Iris", circle.Advocate, "Femi"}, // Femi's mother
	{"Jo", "outside-expert", ""},      // a class the host defines
	{"Kit", circle.Worker, ""},
	{"Lena", circle.SupportedPerson, ""},
}

var circles = []struct {
	name, parent string
	kind         circle.Kind
	aim          string
	domain       circle.DomainKey
	members      []string
	leader       string
	delegate     string
}{
	{General, Mission, circle.KindGeneral, "Coordinate the departments and decide who decides", "", []string{"Amara", "Grace", "Dev", "Hamid", "Femi", "Erin"}, "Amara", "Grace"},
	{CareNorth, General, circle.KindTeam, "Good support at home for people in the north of town", "care/north", []string{"Ben", "Carol", "Dev", "Erin"}, "Dev", ""},
	{CareSouth, General, circle.KindTeam, "Good support at home for people in the south of town", "care/south", []string{"Femi", "Iris", "Hamid", "Kit", "Lena"}, "Hamid", "Femi"},
	{Finance, General, circle.KindDepartment, "Keep the co-operative solvent and fair to its members", "finance", []string{"Grace", "Amara", "Kit"}, "Amara", "Grace"},
	{PeopleCircle, General, circle.KindDepartment, "Recruit, train and look after the people who work here", "people", []string{"Erin", "Amara", "Lena"}, "Amara", "Erin"},
}

// Founding returns the founding of the co-operative at the given time:
// Amara, a care worker, founds it with its mission circle.
func Founding(at time.Time) circle.Founding {
	return circle.Founding{
		Org: OrgID, Name: "Riverside Care Co-operative", Zone: "Europe/London",
		Founder: Person("Amara"), FounderLabel: "Amara", FounderClass: circle.Worker,
		Top: Circle(Mission), TopName: Mission, TopKind: circle.KindMission,
		TopAim: "Good lives at home for everyone we support, decided together",
		Domain: []circle.DomainKey{"care", "finance", "people"},
		At:     at,
	}
}

// Step is one act of building the co-operative, with a name that is unique
// and stable, so a store can make it idempotent.
type Step struct {
	Name string
	Act  func(o *circle.Organisation) ([]circle.Event, error)
}

// Steps returns the acts that build the co-operative after its founding,
// in order, all by Amara at the given time. Every circle is double-linked
// except Care team North, which has a leader but no delegate yet: the
// examples show that violation and fix it by a selection. The helping
// circle ends three months after at.
func Steps(at time.Time) []Step {
	amara := Person("Amara")
	var steps []Step
	add := func(name string, act func(o *circle.Organisation) ([]circle.Event, error)) {
		steps = append(steps, Step{Name: name, Act: act})
	}
	for _, p := range people[1:] { // Amara founded it
		spec := circle.PersonSpec{ID: Person(p.label), Label: p.label, Class: p.class}
		if p.actsFor != "" {
			spec.ActsFor = []circle.PersonID{Person(p.actsFor)}
		}
		add("add person "+p.label, func(o *circle.Organisation) ([]circle.Event, error) { return o.AddPerson(amara, at, spec) })
	}
	join := func(c, p string) {
		add("add "+p+" to "+c, func(o *circle.Organisation) ([]circle.Event, error) {
			return o.AddMember(amara, at, Circle(c), Person(p))
		})
	}
	assign := func(c string, r circle.Role, p string, term circle.Term) {
		add("assign "+r.String()+" of "+c, func(o *circle.Organisation) ([]circle.Event, error) {
			return o.AssignRole(amara, at, Circle(c), r, Person(p), term)
		})
	}
	delegate := func(c string, k circle.DomainKey) {
		add("delegate "+string(k)+" to "+c, func(o *circle.Organisation) ([]circle.Event, error) { return o.DelegateDomain(amara, at, Circle(c), k) })
	}
	for _, m := range []string{"Jo", "Grace"} {
		join(Mission, m)
	}
	term := circle.Term{Start: at, End: at.AddDate(1, 0, 0)}
	for _, c := range circles {
		spec := circle.CircleSpec{ID: Circle(c.name), Parent: Circle(c.parent), Name: c.name, Kind: c.kind, Aim: c.aim}
		add("add circle "+c.name, func(o *circle.Organisation) ([]circle.Event, error) { return o.AddCircle(amara, at, spec) })
		if c.domain != "" {
			delegate(c.name, c.domain)
		} else {
			for _, k := range []circle.DomainKey{"care", "finance", "people"} {
				delegate(c.name, k)
			}
		}
		for _, m := range c.members {
			join(c.name, m)
		}
		if c.leader != "" {
			assign(c.name, circle.Leader, c.leader, term)
		}
		if c.delegate != "" {
			assign(c.name, circle.Delegate, c.delegate, term)
		}
	}
	// A helping circle under Care team South, for one task, with an end date.
	winter := circle.CircleSpec{ID: Circle(Winter), Parent: Circle(CareSouth), Name: Winter, Kind: circle.KindHelping,
		Aim: "Plan cover for the winter months", Ends: at.AddDate(0, 3, 0)}
	add("add circle "+Winter, func(o *circle.Organisation) ([]circle.Event, error) { return o.AddCircle(amara, at, winter) })
	delegate(Winter, "care/south/winter")
	for _, m := range []string{"Kit", "Lena"} {
		join(Winter, m)
	}
	assign(Winter, circle.Leader, "Kit", circle.Term{Start: at, End: at.AddDate(0, 3, 0)})
	return steps
}

// Build founds the co-operative at the given time and runs [Steps] in
// memory, returning the organisation and every event.
func Build(at time.Time) (*circle.Organisation, []circle.Event, error) {
	org, events, err := circle.Found(Founding(at))
	if err != nil {
		return nil, nil, err
	}
	for _, s := range Steps(at) {
		evs, err := s.Act(org)
		if err != nil {
			return nil, nil, fmt.Errorf("coop: %s: %w", s.Name, err)
		}
		events = append(events, evs...)
	}
	return org, events, nil
}

// Policy is the linking policy the co-operative consented to: the Sociocracy
// For All defaults, and co-production in every care team.
func Policy() *linking.Policy {
	return &linking.Policy{Coverage: []linking.CoverageRule{linking.CoProduction(circle.KindTeam)}}
}
