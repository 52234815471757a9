package meeting_test

import (
	"fmt"
	"testing"

	"github.com/google/uuid"

	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/meeting"
)

// bigMeeting is the whole history of a meeting of a circle of n members
// with items agenda items, each with a recorded act and a minute.
func bigMeeting(n, items int) []meeting.Event {
	m, log, err := meeting.Convene(teamOrg(n), spec(), at(0))
	if err != nil {
		panic(err)
	}
	do := func(evs []meeting.Event, err error) {
		if err != nil {
			panic(err)
		}
		log = append(log, evs...)
	}
	for i := 1; i <= items; i++ {
		do(m.RequestItem(pid(1+i%n), at(1), fmt.Sprintf("Item %d", i), i%5 == 0))
	}
	do(m.Open(pid(1), at(2)))
	for i := 1; i <= n; i++ {
		do(m.Attend(pid(2), at(3), pid(i), meeting.Present))
	}
	for i := 1; i <= items; i++ {
		do(m.RecordActs(pid(2), at(5), i, []meeting.Link{{Stream: "consent", ID: uuid.UUID(circletest.UUID(0x9c, i)), From: 1, To: 3, Types: []string{"consent.answered"}}}))
		do(m.Minute(pid(2), at(5), i, meeting.OutcomeNoted, "noted"))
	}
	do(m.Close(pid(1), at(6)))
	do(m.Publish(pid(2), at(7)))
	return log
}

// BenchmarkReplay200x50 replays a meeting of 200 members and 50 items (a
// large circle meeting: 354 events).
func BenchmarkReplay200x50(b *testing.B) {
	log := bigMeeting(200, 50)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := meeting.Replay(log); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMinutesText200x50 builds and renders the published minutes of
// that meeting for an outsider.
func BenchmarkMinutesText200x50(b *testing.B) {
	m, err := meeting.Replay(bigMeeting(200, 50))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		mn, err := m.Minutes(pid(999))
		if err != nil {
			b.Fatal(err)
		}
		_ = mn.Text(nil, nil)
	}
}

// BenchmarkAllowed200x50 lists the acts of the secretary in session.
func BenchmarkAllowed200x50(b *testing.B) {
	log := bigMeeting(200, 50)
	m, err := meeting.Replay(log[:len(log)-2]) // in session
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = m.Allowed(pid(2), at(8))
	}
}
