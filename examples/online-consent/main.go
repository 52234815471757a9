// Command online-consent runs an asynchronous consent round over a
// simulated week, with a fake clock: Care team South decides online, with a
// deadline, under lazy consent. Every twelve hours a reminder job asks the
// review calendar what is due and sends each reminder once, even though it
// runs twice each time (as a job that is retried after a crash would). At
// the deadline an answer is refused; silence under lazy consent does not
// block, and the absent member keeps a window in which to object.
//
//	go run ./examples/online-consent
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/examples/internal/coop"
	"github.com/coproduce/sociocracy/review"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "online-consent:", err)
		os.Exit(1)
	}
}

// clock is the fake clock: the example never reads the real one.
type clock struct{ now time.Time }

func (c *clock) advance(d time.Duration) { c.now = c.now.Add(d) }

func run(w io.Writer) error {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		return err
	}
	founded := time.Date(2026, 8, 3, 9, 0, 0, 0, london) // the helping circle ends 3 months later
	org, orgEvents, err := coop.Build(founded)
	if err != nil {
		return err
	}
	amara := coop.Person("Amara")
	cal, _, err := review.OpenFor(org, amara, founded)
	if err != nil {
		return err
	}
	for _, e := range orgEvents {
		if _, err := cal.Observe(e); err != nil {
			return err
		}
	}

	// Monday 26 October 2026, 09:00 in London: the week begins.
	clk := &clock{now: time.Date(2026, 10, 26, 9, 0, 0, 0, london)}
	south := coop.Circle(coop.CareSouth)
	members, err := consent.Members(org, south)
	if err != nil {
		return err
	}
	hamid, femi, iris, kit, lena := coop.Person("Hamid"), coop.Person("Femi"), coop.Person("Iris"), coop.Person("Kit"), coop.Person("Lena")
	name := func(p circle.PersonID) string { pp, _ := org.Person(p); return pp.Label() }

	policy := consent.DefaultPolicy()
	policy.Absence, policy.LazyWindow = consent.AbsenceLazyConsent, 72*time.Hour
	proc, _, err := consent.StartIn(org, consent.ProcessSpec{
		ID: consent.ProcessID(uuid.NewSHA1(uuid.NameSpaceOID, []byte("online-consent/weekend-pairs"))), Org: org.ID(), Circle: south,
		Proposer: femi, Facilitator: hamid, Policy: &policy,
		Proposal: consent.Proposal{
			Title:  "Weekend visits in pairs",
			Driver: "Lone weekend visits leave workers without help when a hoist is needed.",
			Text:   "From December, weekend visits that need a hoist are made by two workers.",
		},
	}, clk.now)
	if err != nil {
		return err
	}
	closes := clk.now.Add(7 * 24 * time.Hour) // next Monday 09:00: the round is [opens, closes)
	steps := []func() ([]consent.Event, error){
		func() ([]consent.Event, error) { return proc.Present(hamid, clk.now, members) },
		func() ([]consent.Event, error) { return proc.SkipReactions(hamid, clk.now) },
		func() ([]consent.Event, error) { return proc.OpenConsentRound(hamid, clk.now, members, closes) },
	}
	for _, s := range steps {
		if _, err := s(); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "Mon 26 Oct 09:00  %s opens an online consent round on %q; it closes %s.\n",
		name(hamid), proc.Proposal().Title, closes.In(london).Format("Mon 2 Jan 15:04"))

	// Answers arrive during the week; Lena is away and never answers.
	answers := map[time.Duration]func() (string, error){
		12 * time.Hour: func() (string, error) { _, err := proc.Consent(femi, clk.now); return name(femi) + " consents", err },
		36 * time.Hour: func() (string, error) {
			_, err := proc.RaiseConcern(iris, clk.now, "Pairs may be hard to staff at Christmas.")
			return name(iris) + " consents with a concern: pairs may be hard to staff at Christmas", err
		},
		60 * time.Hour: func() (string, error) { _, err := proc.Consent(hamid, clk.now); return name(hamid) + " consents", err },
		84 * time.Hour: func() (string, error) { _, err := proc.Consent(kit, clk.now); return name(kit) + " consents", err },
	}
	sent := map[string]bool{} // a host keeps these keys in a unique column
	remind := func() (int, error) {
		n := 0
		for _, r := range cal.Reminders(clk.now, org, &review.ReminderPolicy{Ahead: []int{7, 1}}) {
			if sent[r.Key()] {
				continue
			}
			sent[r.Key()] = true
			n++
			var to []string
			for _, rc := range r.To {
				to = append(to, name(rc.Person))
			}
			fmt.Fprintf(w, "%s  reminder: %q is due %s (%d day(s) ahead), to %v\n",
				clk.now.In(london).Format("Mon 2 Jan 15:04"), r.Title, r.Due.In(london).Format("Mon 2 Jan"), r.Days, to)
		}
		return n, nil
	}
	start := clk.now
	for clk.now.Before(closes) {
		clk.advance(12 * time.Hour)
		if a, ok := answers[clk.now.Sub(start)]; ok {
			line, err := a()
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "%s  %s.\n", clk.now.In(london).Format("Mon 2 Jan 15:04"), line)
		}
		if _, err := remind(); err != nil {
			return err
		}
		again, _ := remind() // the job runs twice; nothing is sent twice
		if again != 0 {
			return fmt.Errorf("a reminder was sent twice")
		}
	}

	// The deadline boundary: one nanosecond before it an answer is on time;
	// at the deadline it is refused.
	fmt.Fprintf(w, "%s  round open a nanosecond before the deadline: %v; at it: %v.\n",
		closes.In(london).Format("Mon 2 Jan 15:04"), proc.Round().IsOpen(closes.Add(-time.Nanosecond)), proc.Round().IsOpen(closes))
	_, err = proc.Consent(lena, closes)
	if !errors.Is(err, consent.ErrRoundClosed) {
		return fmt.Errorf("an answer at the deadline was not refused: %v", err)
	}
	fmt.Fprintf(w, "%s  %s answers at the deadline: refused (%v).\n", closes.In(london).Format("Mon 2 Jan 15:04"), name(lena), err)

	clk.now = closes
	adopted, err := proc.Adopt(hamid, clk.now)
	if err != nil {
		return err
	}
	for _, e := range adopted {
		if _, err := cal.Observe(e); err != nil {
			return err
		}
	}
	d, _ := proc.Decision()
	silent := make([]string, 0, len(d.Silent))
	for _, p := range d.Silent {
		silent = append(silent, name(p))
	}
	fmt.Fprintf(w, "%s  adopted under lazy consent; silent: %v, who may object until %s.\n",
		clk.now.In(london).Format("Mon 2 Jan 15:04"), silent, d.LazyUntil.In(london).Format("Mon 2 Jan 15:04"))
	for _, it := range cal.ItemsOf(south) {
		if it.Kind == review.KindPolicyReview {
			fmt.Fprintf(w, "                   the review calendar now holds its policy review, due %s.\n", it.Due.In(london).Format("2 Jan 2006"))
		}
	}

	// After the window, silence stays consent: a late objection is refused.
	clk.now = d.LazyUntil.Add(time.Hour)
	_, err = proc.Object(lena, clk.now, "I was away.")
	if err == nil {
		return fmt.Errorf("a late objection after the window was accepted")
	}
	fmt.Fprintf(w, "%s  %s objects after the window: refused (%v).\n", clk.now.In(london).Format("Mon 2 Jan 15:04"), name(lena), err)
	if !slices.Contains([]consent.Phase{consent.PhaseAdopted}, proc.Phase()) {
		return fmt.Errorf("the decision is %s, not adopted", proc.Phase())
	}
	fmt.Fprintf(w, "Reminders sent: %d, each once.\n", len(sent))
	return nil
}
