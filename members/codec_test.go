package members_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/members"
)

func TestEventsRoundTripThroughBothDecoders(t *testing.T) {
	log := sampleLog(t)
	for _, e := range log {
		typ, data, err := members.MarshalEvent(e)
		require.NoError(t, err)
		strict, err := members.UnmarshalEvent(typ, data)
		require.NoError(t, err, "%s %s", typ, data)
		assert.Equal(t, e, strict)
		stored, err := members.UnmarshalStoredEvent(typ, data)
		require.NoError(t, err)
		assert.Equal(t, e, stored)
	}
	back, err := members.Replay(log)
	require.NoError(t, err)
	assert.Equal(t, uint64(len(log)), back.Version())
}

func TestUnmarshalEventIsStrict(t *testing.T) {
	good := `{"org":"0a000000-0000-4000-8000-000000000001","actor":"50000000-0000-4000-8000-000000000001","at":"2026-01-05T09:30:00Z","person":"50000000-0000-4000-8000-000000000002","shares":3}`
	_, err := members.UnmarshalEvent("members.shares_set", []byte(good))
	require.NoError(t, err)
	for name, body := range map[string]string{
		"an unknown field":   strings.Replace(good, `"shares":3`, `"shares":3,"extra":1`, 1),
		"a duplicate key":    strings.Replace(good, `"shares":3`, `"shares":3,"shares":4`, 1),
		"a missing field":    strings.Replace(good, `,"shares":3`, ``, 1),
		"a case-variant key": strings.Replace(good, `"shares"`, `"Shares"`, 1),
		"a malformed id":     strings.Replace(good, `"50000000-0000-4000-8000-000000000002"`, `"x"`, 1),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := members.UnmarshalEvent("members.shares_set", []byte(body))
			assert.ErrorIs(t, err, members.ErrInvalidEvent)
		})
	}
	_, err = members.UnmarshalEvent("members.shares_set", []byte(strings.Replace(good, `"shares":3`, `"shares":-3`, 1)))
	assert.ErrorIs(t, err, members.ErrInvalidEvent)
	assert.ErrorContains(t, err, "shares -3 are negative")
	_, err = members.UnmarshalEvent("members.shares_set", []byte(strings.Replace(good, `"50000000-0000-4000-8000-000000000002"`, `"00000000-0000-0000-0000-000000000000"`, 1)))
	assert.ErrorIs(t, err, members.ErrInvalidEvent)
	assert.ErrorContains(t, err, "person id is required")
	_, err = members.UnmarshalEvent("members.condition_set", []byte(strings.Replace(good, `"shares":3`, `"condition":"luck"`, 1)))
	assert.ErrorIs(t, err, members.ErrInvalidEvent)
	_, err = members.UnmarshalEvent("members.nope", []byte(good))
	assert.ErrorIs(t, err, members.ErrUnknownEventType)
}

// FuzzUnmarshalEvent decodes arbitrary events. Decoding never panics; what
// decodes re-encodes to an equal event; and applying it to a register
// either fits or is refused without changing the register.
func FuzzUnmarshalEvent(f *testing.F) {
	log := sampleLog(f)
	for _, e := range log {
		typ, data, err := members.MarshalEvent(e)
		require.NoError(f, err)
		f.Add(typ, data)
	}
	f.Add("members.admitted", []byte(`{"person":"","shares":-1}`))
	f.Add("members.nope", []byte(`null`))
	base, err := members.Replay(log[:len(log)/2])
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, typ string, data []byte) {
		e, err := members.UnmarshalEvent(typ, data)
		if err != nil {
			var me *members.Error
			if !errors.As(err, &me) {
				t.Fatalf("untyped error: %v", err)
			}
			return
		}
		typ2, data2, err := members.MarshalEvent(e)
		if err != nil {
			return // a decoded value the encoder refuses (an operational role without a name, say)
		}
		e2, err := members.UnmarshalEvent(typ2, data2)
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
