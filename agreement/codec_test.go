package agreement_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/agreement"
)

func TestEventsRoundTripThroughBothDecoders(t *testing.T) {
	for _, e := range sampleLog() {
		typ, data, err := agreement.MarshalEvent(e)
		require.NoError(t, err)
		strict, err := agreement.UnmarshalEvent(typ, data)
		require.NoError(t, err, "%s %s", typ, data)
		assert.Equal(t, e, strict)
		stored, err := agreement.UnmarshalStoredEvent(typ, data)
		require.NoError(t, err)
		assert.Equal(t, e, stored)
	}
}

func TestUnmarshalEventIsStrict(t *testing.T) {
	good := `{"org":"0a000000-0000-4000-8000-000000000001","actor":"50000000-0000-4000-8000-000000000001","at":"2026-01-05T09:30:00Z",` +
		`"agreement":"11111111-2222-4333-8444-555555555555","circle":"c0000000-0000-4000-8000-000000000002","decision":"0d000000-0000-4000-8000-000000000001"}`
	_, err := agreement.UnmarshalEvent("agreement.retired", []byte(good))
	require.NoError(t, err)
	for name, body := range map[string]string{
		"an unknown field":   good[:len(good)-1] + `,"extra":1}`,
		"a duplicate key":    good[:len(good)-1] + `,"circle":"c0000000-0000-4000-8000-000000000002"}`,
		"a missing field":    `{"org":"0a000000-0000-4000-8000-000000000001","actor":"50000000-0000-4000-8000-000000000001","at":"2026-01-05T09:30:00Z","agreement":"11111111-2222-4333-8444-555555555555","circle":"c0000000-0000-4000-8000-000000000002"}`,
		"a zero id":          `{"org":"0a000000-0000-4000-8000-000000000001","actor":"50000000-0000-4000-8000-000000000001","at":"2026-01-05T09:30:00Z","agreement":"00000000-0000-0000-0000-000000000000","circle":"c0000000-0000-4000-8000-000000000002","decision":"0d000000-0000-4000-8000-000000000001"}`,
		"a malformed id":     `{"org":"0a000000-0000-4000-8000-000000000001","actor":"50000000-0000-4000-8000-000000000001","at":"2026-01-05T09:30:00Z","agreement":"nope","circle":"c0000000-0000-4000-8000-000000000002","decision":"0d000000-0000-4000-8000-000000000001"}`,
		"a case-variant key": `{"Org":"0a000000-0000-4000-8000-000000000001","actor":"50000000-0000-4000-8000-000000000001","at":"2026-01-05T09:30:00Z","agreement":"11111111-2222-4333-8444-555555555555","circle":"c0000000-0000-4000-8000-000000000002","decision":"0d000000-0000-4000-8000-000000000001"}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := agreement.UnmarshalEvent("agreement.retired", []byte(body))
			assert.ErrorIs(t, err, agreement.ErrInvalidEvent)
		})
	}
	_, err = agreement.UnmarshalEvent("agreement.nope", []byte(good))
	assert.ErrorIs(t, err, agreement.ErrUnknownEventType)
	_, err = agreement.UnmarshalStoredEvent("agreement.nope", []byte(good))
	assert.ErrorIs(t, err, agreement.ErrUnknownEventType)
}

// FuzzUnmarshalEvent decodes arbitrary events. Decoding never panics; what
// decodes re-encodes to an equal event; and applying it to a register
// either fits or is refused without changing the register.
func FuzzUnmarshalEvent(f *testing.F) {
	log := sampleLog()
	for _, e := range log {
		typ, data, err := agreement.MarshalEvent(e)
		require.NoError(f, err)
		f.Add(typ, data)
	}
	f.Add("agreement.kept", []byte(`{"agreement":"","version":-1}`))
	f.Add("agreement.nope", []byte(`null`))
	base, err := agreement.Replay(log[:len(log)/2])
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, typ string, data []byte) {
		e, err := agreement.UnmarshalEvent(typ, data)
		if err != nil {
			var ae *agreement.Error
			if !errors.As(err, &ae) || (!errors.Is(err, agreement.ErrInvalidEvent) && !errors.Is(err, agreement.ErrUnknownEventType) && !errors.Is(err, agreement.ErrMissingID)) {
				t.Fatalf("untyped error: %v", err)
			}
			return
		}
		typ2, data2, err := agreement.MarshalEvent(e)
		if err != nil {
			t.Fatalf("a decoded event does not encode: %v", err)
		}
		e2, err := agreement.UnmarshalEvent(typ2, data2)
		if err != nil {
			t.Fatalf("re-decoding %s %s: %v", typ2, data2, err)
		}
		if !reflect.DeepEqual(e, e2) {
			t.Fatalf("round trip changed the event:\n%#v\n%#v", e, e2)
		}
		r := base.Clone()
		if err := r.Apply(e); err != nil && !reflect.DeepEqual(r, base) {
			t.Fatalf("a refused event changed the register: %v", err)
		}
	})
}
