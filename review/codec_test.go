package review_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/review"
)

// sampleEvents returns one event of every type, as acts produce them.
func sampleEvents() []review.Event {
	c, events := newCalendar()
	due := ldn(2026, time.July, 1, 10, 0)
	events = append(events, must(c.Schedule(pid(1), t0, policy(1, cid(2), due)))...)
	id := events[1].(review.ItemScheduled).Item
	events = append(events, must(c.Reschedule(pid(3), t0, id, due.AddDate(0, 1, 0), "summer; holidays,\nand more"))...)
	rec := review.ItemSpec{Kind: review.KindCircleReview, Circle: cid(2), Title: "Care team review", Source: review.CircleSource(cid(2)),
		Recurrence: review.Recurrence{Rule: review.Every(6, review.Monthly).On(1, time.Monday), Start: ldn(2026, time.January, 10, 19, 0)}}
	events = append(events, must(c.Schedule(pid(1), t0, rec))...)
	events = append(events, must(c.Complete(pid(3), due.AddDate(0, 1, 0), id, review.Completion{Outcome: review.OutcomeAmended,
		Process: consent.ProcessID(uuid.MustParse("0d0d0d0d-0000-4000-8000-000000000001")), Note: "tighten the wording"}))...)
	events = append(events, must(c.Retire(pid(1), due.AddDate(0, 1, 0), id, "policy withdrawn"))...)
	return events
}

func TestEventsRoundTripThroughTheirStoredForm(t *testing.T) {
	events := sampleEvents()
	seen := map[string]bool{}
	for _, e := range events {
		typ, data, err := review.MarshalEvent(e)
		require.NoError(t, err)
		seen[typ] = true
		back, err := review.UnmarshalEvent(typ, data)
		require.NoError(t, err, "%s %s", typ, data)
		assert.Equal(t, e, back)
	}
	assert.Len(t, seen, len(review.EventTypes()), "every event type is covered")
	_, data, _ := review.MarshalEvent(events[1])
	assert.JSONEq(t, `{"org":"0a000000-0000-4000-8000-000000000001","actor":"50000000-0000-4000-8000-000000000001","at":"2026-01-05T09:30:00Z",
		"item":"`+events[1].(review.ItemScheduled).Item.String()+`","kind":"policy-review","circle":"c0000000-0000-4000-8000-000000000002",
		"title":"Review policy 1","source":{"kind":"host","ref":"decision-1"},"due":"2026-07-01T09:00:00Z"}`, string(data),
		"field names are the storage format")
	_, data, _ = review.MarshalEvent(events[3])
	assert.Contains(t, string(data), `"recurrence":{"rule":"every 6 months on the first Monday","start":"2026-01-10T19:00:00Z"}`)
}

func TestUnmarshalEventIsStrict(t *testing.T) {
	good := `{"org":"0a000000-0000-4000-8000-000000000001","actor":"50000000-0000-4000-8000-000000000001","at":"2026-01-05T09:30:00Z","item":"11111111-2222-4333-8444-555555555555","reason":"gone"}`
	_, err := review.UnmarshalEvent("review.item_retired", []byte(good))
	require.NoError(t, err)
	sched := func(field, value string) string {
		fields := map[string]string{
			"org": `"0a000000-0000-4000-8000-000000000001"`, "actor": `"50000000-0000-4000-8000-000000000001"`, "at": `"2026-01-05T09:30:00Z"`,
			"item": `"11111111-2222-4333-8444-555555555555"`, "kind": `"policy-review"`, "circle": `"c0000000-0000-4000-8000-000000000002"`,
			"title": `"Review"`, "source": `{"kind":"host","ref":"x"}`, "due": `"2026-07-01T09:00:00Z"`,
		}
		if value == "" {
			delete(fields, field)
		} else {
			fields[field] = value
		}
		out := "{"
		for _, k := range []string{"org", "actor", "at", "item", "kind", "circle", "title", "source", "due", "recurrence"} {
			if v, ok := fields[k]; ok {
				if len(out) > 1 {
					out += ","
				}
				out += `"` + k + `":` + v
			}
		}
		return out + "}"
	}
	_, err = review.UnmarshalEvent("review.item_scheduled", []byte(sched("kind", `"policy-review"`)))
	require.NoError(t, err, "the base document is good")
	tests := []struct {
		name, typ, data string
		want            error
	}{
		{"an unknown type", "review.item_deleted", good, review.ErrUnknownEventType},
		{"an unknown field", "review.item_retired", good[:len(good)-1] + `,"extra":1}`, review.ErrInvalidEvent},
		{"a duplicate key", "review.item_retired", good[:len(good)-1] + `,"reason":"again"}`, review.ErrInvalidEvent},
		{"a key in another case", "review.item_retired", `{"ORG":"0a000000-0000-4000-8000-000000000001"}`, review.ErrInvalidEvent},
		{"trailing data", "review.item_retired", good + "{}", review.ErrInvalidEvent},
		{"a missing field", "review.item_scheduled", sched("due", ""), review.ErrInvalidEvent},
		{"an invalid kind", "review.item_scheduled", sched("kind", `"policy"`), review.ErrInvalidEvent},
		{"an invalid source kind", "review.item_scheduled", sched("source", `{"kind":"rumour","ref":"x"}`), review.ErrInvalidEvent},
		{"an empty source reference", "review.item_scheduled", sched("source", `{"kind":"host","ref":""}`), review.ErrInvalidEvent},
		{"a malformed ID", "review.item_scheduled", sched("item", `"1111"`), review.ErrInvalidEvent},
		{"a nil item ID", "review.item_scheduled", sched("item", `"00000000-0000-0000-0000-000000000000"`), review.ErrInvalidEvent},
		{"a rule in other words", "review.item_scheduled", sched("recurrence", `{"rule":"monthly","start":"2026-01-10T19:00:00Z"}`), review.ErrInvalidEvent},
		{"a due date in year 1", "review.item_scheduled", sched("due", `"0001-01-01T00:00:00Z"`), review.ErrInvalidEvent},
		{"a title of two lines", "review.item_scheduled", sched("title", `"a\nb"`), review.ErrInvalidEvent},
		{"a kept review without a next date", "review.review_completed",
			`{"org":"0a000000-0000-4000-8000-000000000001","actor":"50000000-0000-4000-8000-000000000001","at":"2026-01-05T09:30:00Z","item":"11111111-2222-4333-8444-555555555555","reviewed":"2026-01-05T09:30:00Z","outcome":"kept"}`,
			review.ErrInvalidEvent},
		{"an unknown zone", "review.opened",
			`{"org":"0a000000-0000-4000-8000-000000000001","actor":"50000000-0000-4000-8000-000000000001","at":"2026-01-05T09:30:00Z","zone":"Mars/Olympus"}`,
			review.ErrInvalidEvent},
		{"not JSON", "review.opened", `{"org":`, review.ErrInvalidEvent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := review.UnmarshalEvent(tt.typ, []byte(tt.data))
			assert.ErrorIs(t, err, tt.want)
			assert.Nil(t, e)
		})
	}
}

func TestReplayRefusesInconsistentStreams(t *testing.T) {
	events := sampleEvents()
	_, err := review.Replay(nil)
	assert.ErrorIs(t, err, review.ErrNotOpened)
	_, err = review.Replay(events[1:])
	assert.ErrorIs(t, err, review.ErrNotOpened)
	_, err = review.Replay(append(events[:1:1], events[2]))
	assert.ErrorIs(t, err, review.ErrInvalidEvent, "rescheduling an item never scheduled")
	_, err = review.Replay(append(events[:2:2], events[1]))
	assert.ErrorIs(t, err, review.ErrInvalidEvent, "scheduling an open item again")
	c := must(review.Replay(events))
	assert.ErrorIs(t, c.Apply(events[0]), review.ErrInvalidEvent, "opening twice")
	other := review.ItemRetired{Header: circle.Header{Org: circletestOrg(2), Actor: pid(1), At: t0}, Item: events[1].(review.ItemScheduled).Item, Reason: "x"}
	assert.ErrorIs(t, c.Apply(other), review.ErrWrongOrganisation)
}

// FuzzUnmarshalEvent: no input panics, and whatever decodes re-encodes to a
// form that decodes to the same event.
func FuzzUnmarshalEvent(f *testing.F) {
	for _, e := range sampleEvents() {
		typ, data, err := review.MarshalEvent(e)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(typ, data)
	}
	f.Add("review.item_retired", []byte(`{"org":"0a000000-0000-4000-8000-000000000001","org":"x"}`))
	f.Add("review.opened", []byte(`{"org":"0a000000-0000-4000-8000-000000000001","actor":"50000000-0000-4000-8000-000000000001","at":"2026-01-05T09:30:00Z","zone":"Local"}`))
	f.Fuzz(func(t *testing.T, typ string, data []byte) {
		e, err := review.UnmarshalEvent(typ, data)
		if err != nil {
			return
		}
		typ2, data2, err := review.MarshalEvent(e)
		if err != nil {
			t.Fatalf("a decoded event does not encode: %v", err)
		}
		back, err := review.UnmarshalEvent(typ2, data2)
		if err != nil {
			t.Fatalf("re-encoded %s does not decode: %v\n%s", typ2, err, data2)
		}
		if typ2 != typ {
			t.Fatalf("type %s became %s", typ, typ2)
		}
		_, data3, err := review.MarshalEvent(back)
		if err != nil || string(data3) != string(data2) {
			t.Fatalf("the round trip changed %s:\n%s\n%s (%v)", typ, data2, data3, err)
		}
	})
}
