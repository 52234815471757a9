package store

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRedactJSON(t *testing.T) {
	cases := []struct {
		name   string
		in     string
		fields []string
		want   string
		ok     bool
	}{
		{"top-level string", `{"reason":"Maria is ill","n":1}`, []string{"reason"}, `{"n":1,"reason":"[erased]"}`, true},
		{"nested", `{"proposal":{"title":"T","text":"secret"}}`, []string{"proposal.text"}, `{"proposal":{"text":"[erased]","title":"T"}}`, true},
		{"through an array", `{"qs":[{"q":"a"},{"q":"b"}]}`, []string{"qs.q"}, `{"qs":[{"q":"[erased]"},{"q":"[erased]"}]}`, true},
		{"an array of strings", `{"notes":["a","b"]}`, []string{"notes"}, `{"notes":["[erased]","[erased]"]}`, true},
		{"large numbers survive", `{"n":12345678901234567890,"t":"x"}`, []string{"t"}, `{"n":12345678901234567890,"t":"[erased]"}`, true},
		{"missing field", `{"a":"x"}`, []string{"b"}, "", false},
		{"not text", `{"a":1}`, []string{"a"}, "", false},
		{"object, not text", `{"a":{"b":"c"}}`, []string{"a"}, "", false},
		{"not JSON", `{`, []string{"a"}, "", false},
	}
	for _, c := range cases {
		got, err := redactJSON([]byte(c.in), c.fields)
		if !c.ok {
			assert.ErrorIs(t, err, ErrInvalid, c.name)
			continue
		}
		require.NoError(t, err, c.name)
		assert.JSONEq(t, c.want, string(got), c.name)
		if c.name == "large numbers survive" {
			assert.Contains(t, string(got), "12345678901234567890", "numbers are kept digit for digit")
		}
	}
}

func FuzzRedactJSON(f *testing.F) {
	f.Add([]byte(`{"proposal":{"text":"secret","title":"t"}}`), "proposal.text")
	f.Add([]byte(`{"a":[{"b":"x"},{"b":"y"}]}`), "a.b")
	f.Add([]byte(`[1,2]`), "a")
	f.Add([]byte(`{"a":"x"}`), "")
	f.Fuzz(func(t *testing.T, body []byte, field string) {
		out, err := redactJSON(body, []string{field})
		if err != nil {
			return
		}
		if !json.Valid(out) {
			t.Fatalf("redaction of valid input gave invalid JSON: %s", out)
		}
		// Erasing again is a no-op on the text.
		again, err := redactJSON(out, []string{field})
		if err != nil {
			t.Fatalf("a second erasure of the same field failed: %v", err)
		}
		var a, b any
		_ = json.Unmarshal(out, &a)
		_ = json.Unmarshal(again, &b)
		assert.Equal(t, a, b)
	})
}
