package meeting_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/meeting"
)

func TestUnmarshalEventIsStrict(t *testing.T) {
	good := `{"org":"0a000000-0000-4000-8000-000000000001","meeting":"3e000000-0000-4000-8000-000000000001","actor":"50000000-0000-4000-8000-000000000001","at":"2026-01-05T09:30:00Z","item":1,"outcome":"noted","note":""}`
	_, err := meeting.UnmarshalEvent("meeting.minuted", []byte(good))
	require.NoError(t, err)
	for _, tc := range []struct{ name, typ, body string }{
		{"an unknown field", "meeting.minuted", good[:len(good)-1] + `,"extra":1}`},
		{"a duplicate key", "meeting.minuted", good[:len(good)-1] + `,"item":2}`},
		{"a bad outcome", "meeting.minuted", `{"org":"0a000000-0000-4000-8000-000000000001","meeting":"3e000000-0000-4000-8000-000000000001","actor":"50000000-0000-4000-8000-000000000001","at":"2026-01-05T09:30:00Z","item":1,"outcome":"won","note":""}`},
		{"a note with a control character", "meeting.minuted", `{"org":"0a000000-0000-4000-8000-000000000001","meeting":"3e000000-0000-4000-8000-000000000001","actor":"50000000-0000-4000-8000-000000000001","at":"2026-01-05T09:30:00Z","item":1,"outcome":"noted","note":"\u0007"}`},
		{"a link without types", "meeting.acts_recorded", `{"org":"0a000000-0000-4000-8000-000000000001","meeting":"3e000000-0000-4000-8000-000000000001","actor":"50000000-0000-4000-8000-000000000001","at":"2026-01-05T09:30:00Z","links":[{"stream":"consent","id":"9c000000-0000-4000-8000-000000000001","from":1,"to":1,"types":[]}]}`},
		{"an item naming a foreign source", "meeting.items_added", `{"org":"0a000000-0000-4000-8000-000000000001","meeting":"3e000000-0000-4000-8000-000000000001","actor":"50000000-0000-4000-8000-000000000001","at":"2026-01-05T09:30:00Z","items":[{"number":1,"source":"request","title":"x","process":"9c000000-0000-4000-8000-000000000001"}]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := meeting.UnmarshalEvent(tc.typ, []byte(tc.body))
			require.ErrorIs(t, err, meeting.ErrInvalidEvent)
		})
	}
	_, err = meeting.UnmarshalEvent("meeting.adjourned", []byte(`{}`))
	require.ErrorIs(t, err, meeting.ErrUnknownEventType)
}

func FuzzUnmarshalEvent(f *testing.F) {
	for _, log := range goldenLogs() {
		for _, ev := range log {
			typ, data, err := meeting.MarshalEvent(ev)
			require.NoError(f, err)
			f.Add(typ, data)
		}
	}
	f.Fuzz(func(t *testing.T, typ string, data []byte) {
		ev, err := meeting.UnmarshalEvent(typ, data)
		if err != nil {
			assert.True(t, errors.Is(err, meeting.ErrInvalidEvent) || errors.Is(err, meeting.ErrUnknownEventType), "%v", err)
			return
		}
		_, again, err := meeting.MarshalEvent(ev)
		require.NoError(t, err)
		back, err := meeting.UnmarshalEvent(typ, again)
		require.NoError(t, err)
		_, third, _ := meeting.MarshalEvent(back)
		assert.Equal(t, string(again), string(third))
		if _, err := meeting.UnmarshalStoredEvent(typ, again); err != nil {
			t.Fatalf("the fast decoder refuses what the strict one accepted: %v", err)
		}
	})
}
