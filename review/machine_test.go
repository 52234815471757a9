package review_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"pgregory.net/rapid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/review"
)

// modelItem is what the naive model keeps of an item.
type modelItem struct {
	status   review.Status
	due      time.Time
	revision int
	reviews  int
}

// Property: under any sequence of acts, the calendar agrees with a naive
// model of the acts' rules: each act succeeds or fails as the model says,
// with the sentinel it says; a refused act changes nothing; the items'
// status, due date, revision and review count match; the open count and
// the due index agree with the model.
func TestPropertyCalendarMatchesModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c, _ := newCalendar()
		model := map[review.ItemID]*modelItem{}
		base := ldn(2026, time.January, 1, 9, 0)
		instant := func(label string) time.Time {
			return base.Add(time.Duration(rapid.IntRange(0, 2000).Draw(t, label)) * time.Hour)
		}
		// A small pool of sources, so acts meet existing, open and closed items.
		spec := func() review.ItemSpec {
			return policy(rapid.IntRange(0, 8).Draw(t, "source"), cid(rapid.IntRange(1, 3).Draw(t, "circle")), instant("due"))
		}
		pickID := func() review.ItemID {
			return review.ItemIDFor(orgID, review.KindPolicyReview, review.HostSource("decision-"+itoa(rapid.IntRange(0, 9).Draw(t, "item"))))
		}
		// apply runs an act, checks its result against want (nil: success)
		// and, on refusal, that nothing changed.
		apply := func(name string, want error, act func() ([]review.Event, error)) bool {
			before, version := c.Items(), c.Version()
			events, err := act()
			switch {
			case want == nil && err != nil:
				t.Fatalf("%s refused: %v", name, err)
			case want != nil && !errors.Is(err, want):
				t.Fatalf("%s: got %v, want %v", name, err, want)
			case err != nil:
				if c.Version() != version || len(c.Items()) != len(before) {
					t.Fatalf("refused %s changed the calendar", name)
				}
				return false
			}
			if c.Version() != version+uint64(len(events)) {
				t.Fatalf("%s: version %d after %d events from %d", name, c.Version(), len(events), version)
			}
			return len(events) > 0
		}
		t.Repeat(map[string]func(*rapid.T){
			"schedule": func(t *rapid.T) {
				s := spec()
				id := review.ItemIDFor(orgID, s.Kind, s.Source)
				m, exists := model[id]
				var want error
				if exists && m.status == review.StatusOpen {
					want = review.ErrDuplicateItem
				}
				if apply("schedule", want, func() ([]review.Event, error) { return c.Schedule(pid(1), t0, s) }) {
					if exists {
						m.status, m.due, m.revision = review.StatusOpen, circle.Normalize(s.Due), m.revision+1
					} else {
						model[id] = &modelItem{status: review.StatusOpen, due: circle.Normalize(s.Due)}
					}
				}
			},
			"reschedule": func(t *rapid.T) {
				id, to := pickID(), instant("to")
				m, exists := model[id]
				var want error
				switch {
				case !exists:
					want = review.ErrUnknownItem
				case m.status != review.StatusOpen:
					want = review.ErrItemClosed
				}
				if apply("reschedule", want, func() ([]review.Event, error) { return c.Reschedule(pid(2), t0, id, to, "moved") }) {
					m.due, m.revision = to, m.revision+1
				}
			},
			"complete": func(t *rapid.T) {
				id := pickID()
				done := review.Completion{Outcome: review.Outcome(rapid.IntRange(0, 3).Draw(t, "outcome"))}
				if rapid.Bool().Draw(t, "with next") {
					done.Next = instant("next")
				}
				if rapid.Bool().Draw(t, "with process") {
					done.Process = consent.ProcessID(uuid.MustParse("0d0d0d0d-0000-4000-8000-000000000001"))
				}
				m, exists := model[id]
				var want error
				switch {
				case !exists:
					want = review.ErrUnknownItem
				case m.status != review.StatusOpen:
					want = review.ErrItemClosed
				case !done.Outcome.Valid():
					want = review.ErrInvalidOutcome
				case done.Outcome == review.OutcomeKept && done.Next.IsZero():
					want = review.ErrInvalidDate
				case done.Outcome == review.OutcomeAmended && done.Process.IsZero():
					want = review.ErrMissingProcess
				case done.Outcome == review.OutcomeRetired && !done.Next.IsZero():
					want = review.ErrInvalidDate
				case !done.Next.IsZero() && !done.Next.After(m.due):
					want = review.ErrInvalidDate
				}
				if apply("complete", want, func() ([]review.Event, error) { return c.Complete(pid(3), t0, id, done) }) {
					m.reviews++
					m.revision++
					switch {
					case done.Outcome == review.OutcomeRetired:
						m.status, m.due = review.StatusRetired, time.Time{}
					case !done.Next.IsZero():
						m.due = done.Next
					default:
						m.status, m.due = review.StatusAmending, time.Time{}
					}
				}
			},
			"retire": func(t *rapid.T) {
				id := pickID()
				m, exists := model[id]
				var want error
				switch {
				case !exists:
					want = review.ErrUnknownItem
				case m.status == review.StatusRetired:
					want = review.ErrItemClosed
				}
				if apply("retire", want, func() ([]review.Event, error) { return c.Retire(pid(1), t0, id, "gone") }) {
					m.status, m.due, m.revision = review.StatusRetired, time.Time{}, m.revision+1
				}
			},
			"": func(t *rapid.T) {
				items := c.Items()
				if len(items) != len(model) {
					t.Fatalf("%d items, model has %d", len(items), len(model))
				}
				open := 0
				for _, it := range items {
					m := model[it.ID]
					if m == nil || it.Status != m.status || !it.Due.Equal(m.due) || it.Revision != m.revision || it.Reviews != m.reviews {
						t.Fatalf("item %s: %v %s rev %d reviews %d; model %+v", it.Title, it.Status, it.Due, it.Revision, it.Reviews, m)
					}
					if m.status == review.StatusOpen {
						open++
					}
				}
				if c.Len() != open || len(c.Due(base.AddDate(5, 0, 0))) != open {
					t.Fatalf("%d open in the index, model has %d", c.Len(), open)
				}
			},
		})
	})
}
