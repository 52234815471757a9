package meeting_test

import (
	"slices"
	"time"

	"github.com/google/uuid"
	"pgregory.net/rapid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/meeting"
)

// succeeds reports whether act a by p at when succeeds on a copy of m for
// some argument: every argument a test meeting can take is tried.
func succeeds(m *meeting.Meeting, a meeting.Act, p circle.PersonID, when time.Time) bool {
	try := func(f func(c *meeting.Meeting) ([]meeting.Event, error)) bool {
		_, err := f(m.Clone())
		return err == nil
	}
	items := len(m.Items())
	switch a {
	case meeting.ActAddItems:
		return try(func(c *meeting.Meeting) ([]meeting.Event, error) {
			return c.AddItems(p, when, meeting.ItemSpec{Source: meeting.SourceRequest, Title: "x"})
		})
	case meeting.ActRequestItem:
		return try(func(c *meeting.Meeting) ([]meeting.Event, error) { return c.RequestItem(p, when, "x", false) })
	case meeting.ActOpen:
		return try(func(c *meeting.Meeting) ([]meeting.Event, error) { return c.Open(p, when) })
	case meeting.ActAttend:
		for q := 1; q <= 6; q++ {
			for _, att := range meeting.Attendances() {
				if try(func(c *meeting.Meeting) ([]meeting.Event, error) { return c.Attend(p, when, pid(q), att) }) {
					return true
				}
			}
		}
		return false
	case meeting.ActSendApologies:
		return try(func(c *meeting.Meeting) ([]meeting.Event, error) { return c.SendApologies(p, when) })
	case meeting.ActRecordActs:
		for item := 0; item <= items; item++ {
			if try(func(c *meeting.Meeting) ([]meeting.Event, error) {
				return c.RecordActs(p, when, item, []meeting.Link{{Stream: "consent", ID: uuid.UUID(circletest.UUID(0x9c, 7)), From: 1, To: 1, Types: []string{"consent.answered"}}})
			}) {
				return true
			}
		}
		return false
	case meeting.ActMinute:
		for item := 1; item <= items; item++ {
			if try(func(c *meeting.Meeting) ([]meeting.Event, error) {
				return c.Minute(p, when, item, meeting.OutcomeNoted, "a minute nobody wrote before")
			}) {
				return true
			}
		}
		return false
	case meeting.ActClose:
		return try(func(c *meeting.Meeting) ([]meeting.Event, error) { return c.Close(p, when) })
	case meeting.ActPublish:
		return try(func(c *meeting.Meeting) ([]meeting.Event, error) { return c.Publish(p, when) })
	case meeting.ActCancel:
		return try(func(c *meeting.Meeting) ([]meeting.Event, error) { return c.Cancel(p, when, "") })
	}
	panic("an act the test does not know: " + a.String())
}

// checkAllowed fails t unless Allowed lists, for every person, exactly the
// acts that succeed for some argument.
func checkAllowed(t *rapid.T, m *meeting.Meeting, when time.Time) {
	for q := 1; q <= 5; q++ {
		listed := m.Allowed(pid(q), when)
		for _, a := range meeting.Acts() {
			if ok := succeeds(m, a, pid(q), when); ok != slices.Contains(listed, a) {
				t.Fatalf("P%d %s: Allowed lists it %v, it succeeds %v (%s)", q, a, !ok, ok, m.Phase())
			}
		}
	}
}
