package meeting_test

import (
	"testing"

	"github.com/google/uuid"

	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/internal/golden"
	"github.com/coproduce/sociocracy/meeting"
	"github.com/coproduce/sociocracy/review"
)

// goldenLogs returns meeting logs that hold every event type at least
// once, built through the acts.
func goldenLogs() [][]meeting.Event {
	m, log := convene(3)
	do := func(evs []meeting.Event, err error) {
		if err != nil {
			panic(err)
		}
		log = append(log, evs...)
	}
	do(m.AddItems(pid(2), at(1),
		meeting.ItemSpec{Source: meeting.SourceReview, Title: "Review: Evening visits", Review: review.ItemID(circletest.UUID(0x4e, 1))},
		meeting.ItemSpec{Source: meeting.SourceProcess, Title: "Consent: Rota swaps", Process: consent.ProcessID(circletest.UUID(0x9c, 1))}))
	do(m.RequestItem(pid(3), at(2), "A person's support plan", true))
	do(m.SendApologies(pid(3), at(3)))
	do(m.Open(pid(1), at(10)))
	do(m.Attend(pid(2), at(10), pid(4), meeting.Guest))
	do(m.Attend(pid(2), at(10), pid(1), meeting.Present))
	do(m.RecordActs(pid(2), at(20), 2, []meeting.Link{{Stream: "consent", ID: uuid.UUID(circletest.UUID(0x9c, 1)), From: 4, To: 9,
		Types: []string{"consent.answered", "consent.decision_adopted"}}, {Stream: "review", ID: uuid.UUID(circletest.Org(1)), From: 12, To: 12, Types: []string{"review.item_scheduled"}}}))
	do(m.Minute(pid(2), at(21), 1, meeting.OutcomeDecided, "Kept for six months."))
	do(m.Minute(pid(2), at(22), 2, meeting.OutcomeDecided, "Adopted with a measure."))
	do(m.Minute(pid(2), at(23), 3, meeting.OutcomeDeferred, "To the next meeting."))
	do(m.Close(pid(1), at(30)))
	do(m.Publish(pid(2), at(60)))
	c, clog := convene(3)
	clog = append(clog, must(c.Cancel(pid(1), at(1), "The office is closed."))...)
	return [][]meeting.Event{log, clog}
}

// TestStorageFormatIsStable: the stored form of every event type (type name
// and JSON body) is part of the storage format and never changes
// (docs/storage.md). A change to testdata/events.golden is a change of
// format: rewrite it with -update only together with a migration.
func TestStorageFormatIsStable(t *testing.T) {
	golden.CheckEvents(t, "events.golden", goldenLogs(), meeting.MarshalEvent, meeting.EventTypes())
}
