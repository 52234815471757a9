package consent_test

import (
	"fmt"
	"time"

	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/consent"
)

// A full consent decision: one objection, understood and resolved by a
// measure, then a new consent round on the amended version and adoption.
func Example() {
	var (
		ana, ben, cleo, dev = circletest.Person(1), circletest.Person(2), circletest.Person(3), circletest.Person(4)
		circleMembers       = []consent.PersonID{ana, ben, cleo, dev}
		at                  = time.Date(2026, 3, 2, 18, 0, 0, 0, time.UTC)
		log                 []consent.Event
	)
	step := func(evs []consent.Event, err error) {
		if err != nil {
			panic(err)
		}
		log = append(log, evs...)
		at = at.Add(time.Minute)
	}

	p, evs, err := consent.Start(consent.ProcessSpec{
		ID: consent.ProcessID(circletest.UUID(0xb0, 1)), Org: circletest.Org(1), Circle: circletest.Circle(1),
		Proposer: ana, Facilitator: ben,
		Proposal: consent.Proposal{
			Title:  "Night shift handover",
			Driver: "Handover notes get lost between the evening and night shifts.",
			Text:   "Handover happens in person at 22:00, with a written note in the care log.",
		},
	}, at)
	step(evs, err)
	step(p.Present(ben, at, circleMembers))
	step(p.AskClarifying(dev, at, "Who writes the note?"))
	step(p.AnswerClarifying(ana, at, 1, "The evening shift lead."))
	step(p.SkipReactions(ben, at))

	step(p.OpenConsentRound(ben, at, circleMembers, time.Time{}))
	step(p.Consent(ana, at))
	step(p.Consent(ben, at))
	step(p.Object(cleo, at, "Without the night nurse present, medication errors at 22:00 go unnoticed."))
	step(p.Consent(dev, at))
	fmt.Println("round 1:", p.Round().Result(at))
	if _, err := p.Adopt(ben, at); err != nil {
		fmt.Println("adopt refused:", err)
	}

	step(p.Integrate(ben, at))
	step(p.UnderstandObjection(ben, at, cleo, "The risk is a missed medication error, not the handover itself."))
	step(p.AddMeasure(ana, at, cleo, consent.Measure{
		Watch: "medication errors reported on the night shift", Threshold: "more than one a month",
		Owner: cleo, Checkpoint: at.AddDate(0, 1, 0),
	}))
	step(p.OpenConsentRound(ben, at, circleMembers, time.Time{}))
	for _, who := range circleMembers {
		step(p.Consent(who, at))
	}
	step(p.Adopt(ben, at))

	d, _ := p.Decision()
	fmt.Println("phase:", p.Phase())
	fmt.Printf("adopted version %d after %d rounds, review on %s\n", d.Version, d.Rounds, d.ReviewDate.Format(time.DateOnly))
	for _, o := range d.Objections {
		fmt.Printf("objection of round %d: %s, resolved by %s\n", o.Round, o.Status, o.Resolution)
	}
	for _, m := range d.Measures {
		fmt.Printf("measure: watch %q, threshold %q, checkpoint %s\n", m.Watch, m.Threshold, m.Checkpoint.Format(time.DateOnly))
	}
	fmt.Println("events:", len(log))
	// Output:
	// round 1: objected
	// adopt refused: consent: adopt: 1 objection open; nothing is adopted while an objection is open
	// phase: adopted
	// adopted version 2 after 2 rounds, review on 2027-03-02
	// objection of round 1: resolved, resolved by measure
	// measure: watch "medication errors reported on the night shift", threshold "more than one a month", checkpoint 2026-04-02
	// events: 19
}

// An online round with a deadline under lazy consent: the decision is
// adopted when the round closes without objection, and an absentee may
// still object within the window after the record is published, which
// reopens it.
func Example_lazyConsent() {
	var (
		ana, ben, cleo, dev = circletest.Person(1), circletest.Person(2), circletest.Person(3), circletest.Person(4)
		circleMembers       = []consent.PersonID{ana, ben, cleo, dev}
		monday              = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	)
	must := func(_ []consent.Event, err error) {
		if err != nil {
			panic(err)
		}
	}
	policy := consent.DefaultPolicy()
	policy.Absence, policy.LazyWindow = consent.AbsenceLazyConsent, 72*time.Hour

	p, _, err := consent.Start(consent.ProcessSpec{
		ID: consent.ProcessID(circletest.UUID(0xb0, 2)), Org: circletest.Org(1), Circle: circletest.Circle(1),
		Proposer: ana, Facilitator: ben, Policy: &policy,
		Proposal: consent.Proposal{Title: "Buy a second hoist", Driver: "One hoist for two wings.", Text: "Buy a second mobile hoist."},
	}, monday)
	must(nil, err)
	must(p.Present(ben, monday, circleMembers))
	must(p.SkipReactions(ben, monday))
	closes := monday.Add(48 * time.Hour) // Wednesday 09:00
	must(p.OpenConsentRound(ben, monday, circleMembers, closes))
	must(p.Consent(ana, monday.Add(time.Hour)))
	must(p.RaiseConcern(ben, monday.Add(2*time.Hour), "Storage space is tight."))
	must(p.Consent(cleo, closes.Add(-time.Microsecond)))
	_, err = p.Consent(dev, closes)
	fmt.Println("dev at the deadline:", err)

	must(p.Adopt(ben, closes))
	d, _ := p.Decision()
	fmt.Println("silent:", len(d.Silent), "- may object until", d.LazyUntil.Format(time.RFC3339))
	fmt.Println("dev may now:", p.Allowed(dev, closes.Add(24*time.Hour)))

	must(p.Object(dev, closes.Add(24*time.Hour), "The lift cannot take a second hoist."))
	fmt.Println("phase:", p.Phase(), "- open objections:", p.OpenObjections())
	// Output:
	// dev at the deadline: consent: give consent: round 1 closed at 2026-03-04T09:00:00Z
	// silent: 1 - may object until 2026-03-07T09:00:00Z
	// dev may now: [object]
	// phase: integration - open objections: 1
}

// How another process embeds a consent round: here a selection where the
// nominee answers last. The host keeps its own events; the round checks
// the answers and keeps the tally.
func ExampleRound() {
	var (
		ana, ben, cleo = circletest.Person(1), circletest.Person(2), circletest.Person(3)
		nominee        = cleo
		at             = time.Date(2026, 3, 2, 18, 0, 0, 0, time.UTC)
	)
	// The host's own event types embed the round payloads.
	type roundOpened struct{ consent.RoundOpening }
	type answered struct{ consent.AnswerGiven }

	opening, err := consent.PrepareRound(consent.RoundOpening{
		Round: 1, Version: 1, Participants: []consent.PersonID{ana, ben, cleo},
		Opens: at, Last: nominee, Policy: consent.DefaultPolicy(),
	})
	if err != nil {
		panic(err)
	}
	ev := roundOpened{opening} // stored by the host
	r, _ := consent.NewRound(ev.RoundOpening)

	give := func(who consent.PersonID, kind consent.AnswerKind, reason string) {
		g, err := r.DecideAnswer(who, at, kind, reason)
		if err != nil {
			fmt.Println("refused:", err)
			return
		}
		e := answered{g}                                   // stored by the host
		if err := r.Apply(e.AnswerGiven, at); err != nil { // applied live and on replay
			panic(err)
		}
	}
	give(nominee, consent.AnswerConsent, "")
	give(ana, consent.AnswerConsent, "")
	give(ben, consent.AnswerObject, "Cleo already holds two roles.")
	give(nominee, consent.AnswerConsent, "")
	fmt.Println(r.Result(at), r.Tally().OpenObjections)

	u, _ := r.DecideUnderstand(ben, "workload, not suitability")
	_ = r.Apply(u, at)
	w, _ := r.DecideResolve(ben, ben, consent.ResolvedByWithdrawal, "Cleo hands one role over.")
	_ = r.Apply(w, at)
	fmt.Println(r.Result(at))
	// Output:
	// refused: consent: give consent: 50000000-0000-4000-8000-000000000003 answers after the 2 others
	// objected 1
	// consented
}

// Allowed tells a UI which buttons to show a person: here, during a consent
// round, for a participant who has not answered, for the facilitator, and
// for someone outside the circle.
func ExampleProcess_Allowed() {
	ana, ben, cleo, outsider := circletest.Person(1), circletest.Person(2), circletest.Person(3), circletest.Person(9)
	at := time.Date(2026, 3, 2, 18, 0, 0, 0, time.UTC)
	p, _, _ := consent.Start(consent.ProcessSpec{
		ID: consent.ProcessID(circletest.UUID(0xb0, 3)), Org: circletest.Org(1), Circle: circletest.Circle(1),
		Proposer: ana, Facilitator: ben,
		Proposal: consent.Proposal{Title: "Rota app", Driver: "Paper rotas get lost.", Text: "Use the shared rota app."},
	}, at)
	_, _ = p.Present(ben, at, []consent.PersonID{ana, ben, cleo})
	_, _ = p.SkipReactions(ben, at)
	_, _ = p.OpenConsentRound(ben, at, []consent.PersonID{ana, ben, cleo}, at.Add(24*time.Hour))
	_, _ = p.Object(ana, at, "The app costs more than we budgeted.")

	fmt.Println("cleo:", p.Allowed(cleo, at))
	fmt.Println("ben: ", p.Allowed(ben, at))
	fmt.Println("ana: ", p.Allowed(ana, at))
	fmt.Println("outsider:", p.Allowed(outsider, at))
	fmt.Println("cleo after the deadline:", p.Allowed(cleo, at.Add(24*time.Hour)))
	// Output:
	// cleo: [consent raise-concern object]
	// ben:  [consent raise-concern object set-deadline retake-snapshot understand-objection refer]
	// ana:  [withdraw-objection withdraw]
	// outsider: []
	// cleo after the deadline: []
}
