package assembly_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/assembly"
)

func TestUnmarshalEventChecksWhatActsWouldWrite(t *testing.T) {
	var decided map[string]any
	for _, ev := range goldenLogs()[0] {
		if d, ok := ev.(assembly.Decided); ok && d.Result != nil {
			_, data, err := assembly.MarshalEvent(d)
			require.NoError(t, err)
			require.NoError(t, json.Unmarshal(data, &decided))
		}
	}
	require.NotNil(t, decided)
	with := func(forValue string) []byte {
		decided["result"].(map[string]any)["for"] = forValue
		b, err := json.Marshal(decided)
		require.NoError(t, err)
		return b
	}
	_, err := assembly.UnmarshalEvent("assembly.decided", with("9/10"))
	require.NoError(t, err)
	for _, bad := range []string{"1e999999999", "-1/2", "0x10", "1/2/3", ""} {
		_, err := assembly.UnmarshalEvent("assembly.decided", with(bad))
		require.ErrorIs(t, err, assembly.ErrInvalidEvent, bad)
	}
	_, data, err := assembly.MarshalEvent(goldenLogs()[0][0])
	require.NoError(t, err)
	broken := strings.Replace(string(data), `"proxyLimit":2`, `"proxyLimit":-2`, 1)
	require.NotEqual(t, string(data), broken)
	_, err = assembly.UnmarshalEvent("assembly.called", []byte(broken))
	require.ErrorIs(t, err, assembly.ErrInvalidEvent, "rules no organisation could adopt")
}

func FuzzUnmarshalEvent(f *testing.F) {
	for _, log := range goldenLogs() {
		for _, ev := range log {
			typ, data, err := assembly.MarshalEvent(ev)
			require.NoError(f, err)
			f.Add(typ, data)
		}
	}
	f.Fuzz(func(t *testing.T, typ string, data []byte) {
		ev, err := assembly.UnmarshalEvent(typ, data)
		if err != nil {
			assert.True(t, errors.Is(err, assembly.ErrInvalidEvent) || errors.Is(err, assembly.ErrUnknownEventType), "%v", err)
			return
		}
		_, again, err := assembly.MarshalEvent(ev)
		require.NoError(t, err)
		back, err := assembly.UnmarshalEvent(typ, again)
		require.NoError(t, err)
		_, third, _ := assembly.MarshalEvent(back)
		assert.Equal(t, string(again), string(third))
	})
}

func FuzzParseRules(f *testing.F) {
	f.Add([]byte(equalCareJSON))
	f.Add([]byte(`{"noticeDays":0,"quorum":{},"proxyLimit":0,"voting":"consent-only","ordinary":{"rule":"at-least","share":"1/2"},"special":{"rule":"at-least","share":"2/3"},"base":"members-present","weighting":"unweighted","classes":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := assembly.ParseRules(data)
		if err != nil {
			require.ErrorIs(t, err, assembly.ErrInvalidRules)
			return
		}
		require.NoError(t, r.Validate(), "parsed rules are valid")
		// Any counts tally without error under rules that parse.
		_, err = assembly.Tally(r, assembly.Special, []assembly.Count{{Class: "worker", For: 3, Against: 1, Present: 5}, {Class: "investor", For: 1, Against: 2, Present: 3}})
		require.NoError(t, err)
	})
}
