package review_test

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/review"
)

// "The calendar flags stuck processes" (issue 16, item 7): a process stuck
// after its policy's rounds is on its circle's agenda; referred up, it is on
// the parent's until the parent takes it up.
func TestTheCalendarFlagsAStuckProcess(t *testing.T) {
	cal, _ := newCalendar()
	o := org()
	observe := func(evs []consent.Event) {
		t.Helper()
		for _, e := range evs {
			got := mustObserve(t, cal, e)
			if !review.Observes(e) {
				require.Empty(t, got, "Observes is true for every event the calendar uses: %s", e.EventType())
			}
		}
	}
	pol := consent.DefaultPolicy()
	pol.StuckAfter = 1
	at := ldn(2026, time.February, 2, 9, 0)
	tick := func() time.Time { at = at.Add(time.Hour); return at }
	p, evs, err := consent.Start(consent.ProcessSpec{ID: procID, Org: orgID, Circle: cid(2), Proposer: pid(2), Facilitator: pid(3),
		Proposal: consent.Proposal{Title: "Lone working", Driver: "Night visits alone feel unsafe.", Text: "Night visits are made in pairs."},
		Policy:   &pol}, at)
	require.NoError(t, err)
	log := evs
	do := func(evs []consent.Event, err error) {
		t.Helper()
		require.NoError(t, err)
		log = append(log, evs...)
	}
	members, _ := consent.Members(o, cid(2))
	do(p.Present(pid(3), tick(), members))
	do(p.SkipReactions(pid(3), tick()))
	do(p.OpenConsentRound(pid(3), tick(), members, time.Time{}))
	do(p.Object(pid(4), tick(), "Pairs are not always available."))
	for _, who := range []int{2, 3, 5} {
		do(p.Consent(pid(who), tick()))
	}
	do(p.Integrate(pid(3), tick()))
	observe(log)
	stuck := review.ItemIDFor(orgID, review.KindStuckDecision, review.DecisionSource(procID))
	it, ok := cal.Item(stuck)
	require.True(t, ok, "the stuck process is flagged")
	assert.Equal(t, cid(2), it.Circle)
	assert.Equal(t, "Stuck decision: Lone working", it.Title)
	assert.Equal(t, review.StatusOpen, it.Status)

	log = nil
	do(p.ReferToParent(pid(3), tick(), o, "The team cannot find pairs; the top circle holds the budget for them."))
	observe(log)
	it, _ = cal.Item(stuck)
	assert.Equal(t, review.StatusRetired, it.Status)
	up := itemsOfKind(cal, review.KindStuckDecision, review.StatusOpen)
	require.Len(t, up, 1)
	assert.Equal(t, cid(1), up[0].Circle, "on the parent's agenda")
	assert.Equal(t, "Decision referred up: Lone working", up[0].Title)

	_, evs, err = consent.TakeUp(o, p, consent.ProcessSpec{ID: consent.ProcessID(circletest.UUID(0xb0, 9)), Org: orgID, Circle: cid(1),
		Proposer: pid(2), Facilitator: pid(5), Proposal: p.Proposal()}, tick())
	require.NoError(t, err)
	observe(evs)
	assert.Empty(t, itemsOfKind(cal, review.KindStuckDecision, review.StatusOpen), "taken up")
}

func mustObserve(t *testing.T, cal *review.Calendar, e consent.Event) []review.Event {
	t.Helper()
	evs, err := cal.Observe(e)
	require.NoError(t, err)
	return evs
}

func itemsOfKind(cal *review.Calendar, k review.Kind, s review.Status) []review.Item {
	var out []review.Item
	for _, it := range cal.Items() {
		if it.Kind == k && it.Status == s {
			out = append(out, it)
		}
	}
	return out
}

// "The decision takes effect at once, opens a consent process that must be
// held within a set number of days, and escalates on the review calendar
// when it is not" (issue 16, item 6).
func TestAnEmergencyDecisionStaysOnTheAgendaUntilItsRoundOpens(t *testing.T) {
	cal, _ := newCalendar()
	o := org()
	at := ldn(2026, time.February, 2, 9, 0)
	_, err := o.DelegateDomain(pid(1), at, cid(2), "care")
	require.NoError(t, err)
	p, evs, err := consent.StartIn(o, consent.ProcessSpec{ID: procID, Org: orgID, Circle: cid(2), Proposer: pid(2), Facilitator: pid(3),
		Proposal:  consent.Proposal{Title: "Pairs at Flat 4", Driver: "A worker was threatened.", Text: "Night visits to Flat 4 are made in pairs."},
		Emergency: &consent.EmergencySpec{Domain: "care/nights"}}, at)
	require.NoError(t, err)
	for _, e := range evs {
		mustObserve(t, cal, e)
	}
	m, _ := p.Emergency()
	id := review.ItemIDFor(orgID, review.KindEmergencyReview, review.DecisionSource(procID))
	it, ok := cal.Item(id)
	require.True(t, ok)
	assert.Equal(t, m.HoldBy, it.Due)
	assert.Equal(t, pid(2), it.Holder)
	assert.Empty(t, cal.Overdue(m.HoldBy.Add(-time.Minute)))
	assert.Len(t, cal.Overdue(m.HoldBy.Add(24*time.Hour)), 1, "overdue the day after its round should have opened")
	escalated := false
	for _, r := range cal.Reminders(m.HoldBy.AddDate(0, 0, 30), o, nil) {
		escalated = escalated || (r.Item == id && r.Stage == review.StageEscalated)
	}
	assert.True(t, escalated, "a month late, its review has escalated")

	later := m.HoldBy.Add(-24 * time.Hour)
	members, _ := consent.Members(o, cid(2))
	var log []consent.Event
	for _, step := range []func() ([]consent.Event, error){
		func() ([]consent.Event, error) { return p.Present(pid(3), later, members) },
		func() ([]consent.Event, error) { return p.SkipReactions(pid(3), later) },
		func() ([]consent.Event, error) { return p.OpenConsentRound(pid(3), later, members, time.Time{}) },
	} {
		evs, err := step()
		require.NoError(t, err)
		log = append(log, evs...)
	}
	for _, e := range log {
		mustObserve(t, cal, e)
	}
	it, _ = cal.Item(id)
	assert.Equal(t, review.StatusRetired, it.Status, "the consent round opened in time")
}

// stuckAndEmergencyEvents are the consent events of a stuck process
// referred up and taken up, and of an emergency decision whose round opens.
func stuckAndEmergencyEvents(t *rapid.T) []consent.Event {
	o := org()
	at := ldn(2026, time.February, 2, 9, 0)
	if _, err := o.DelegateDomain(pid(1), at, cid(2), "care"); err != nil {
		t.Fatal(err)
	}
	var log []consent.Event
	do := func(evs []consent.Event, err error) {
		if err != nil {
			t.Fatal(err)
		}
		log = append(log, evs...)
	}
	pol := consent.DefaultPolicy()
	pol.StuckAfter = 1
	members, _ := consent.Members(o, cid(2))
	p, evs, err := consent.StartIn(o, consent.ProcessSpec{ID: procID, Org: orgID, Circle: cid(2), Proposer: pid(2), Facilitator: pid(3), Policy: &pol,
		Proposal:  consent.Proposal{Title: "Pairs at Flat 4", Driver: "A worker was threatened.", Text: "Night visits to Flat 4 are made in pairs."},
		Emergency: &consent.EmergencySpec{Domain: "care/nights"}}, at)
	do(evs, err)
	do(p.Present(pid(3), at, members))
	do(p.SkipReactions(pid(3), at))
	do(p.OpenConsentRound(pid(3), at, members, time.Time{}))
	do(p.Object(pid(4), at, "Pairs are not always available."))
	for _, who := range []int{2, 3, 5} {
		do(p.Consent(pid(who), at))
	}
	do(p.Integrate(pid(3), at))
	do(p.ReferToParent(pid(3), at, o, "The team cannot staff pairs."))
	_, evs, err = consent.TakeUp(o, p, consent.ProcessSpec{ID: consent.ProcessID(circletest.UUID(0xb0, 9)), Org: orgID, Circle: cid(1),
		Proposer: pid(2), Facilitator: pid(5), Proposal: p.Proposal()}, at.Add(time.Hour))
	do(evs, err)
	return log
}

// Property: observing the events of stuck and emergency decisions, each
// once or several times, leaves the calendar with the same items as
// observing each once; and every item they schedule is retired by the end.
func TestObservingStuckAndEmergencyEventsAgainChangesNothing(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		log := stuckAndEmergencyEvents(rt)
		once, _ := newCalendar()
		again, _ := newCalendar()
		for i, e := range log {
			if _, err := once.Observe(e); err != nil {
				rt.Fatal(err)
			}
			for range rapid.IntRange(1, 3).Draw(rt, fmt.Sprintf("times %d", i)) {
				if _, err := again.Observe(e); err != nil {
					rt.Fatal(err)
				}
			}
		}
		if !reflect.DeepEqual(once.Items(), again.Items()) {
			rt.Fatalf("observing again changed the calendar:\n%v\n%v", once.Items(), again.Items())
		}
		for _, it := range once.Items() {
			if (it.Kind == review.KindStuckDecision || it.Kind == review.KindEmergencyReview) && it.Status != review.StatusRetired {
				rt.Fatalf("%s item %q is still %s", it.Kind, it.Title, it.Status)
			}
		}
	})
}
