package strictjson

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUnmarshalRefusesDocumentsPastTheLimits(t *testing.T) {
	deep := strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1)
	cases := []struct {
		name, in, path, msg string
	}{
		{"a megabyte of open brackets", strings.Repeat("[", 1<<20), "", "cannot use a JSON array here (want strictjson.doc)"},
		{"a long number", `{"name":"a","circles":[],"n":` + strings.Repeat("1", MaxNumberLen+1) + `}`, "", `unknown field "n"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var d doc
			err := Unmarshal([]byte(c.in), &d)
			var se *Error
			require.ErrorAs(t, err, &se)
			assert.Equal(t, c.path, se.Path)
			assert.Equal(t, c.msg, se.Msg)
			assert.Equal(t, doc{}, d, "a refused document changes nothing")
		})
	}
	t.Run("nesting one past the limit names the place", func(t *testing.T) {
		var v struct {
			Any any `json:"any"`
		}
		err := Unmarshal([]byte(`{"any":`+deep+`}`), &v)
		var se *Error
		require.ErrorAs(t, err, &se)
		assert.Equal(t, "any"+strings.Repeat("[0]", MaxDepth-1), se.Path)
		assert.Equal(t, "objects and arrays nest deeper than the limit of 64 levels", se.Msg)
		assert.ErrorIs(t, err, ErrLimit)
	})
	t.Run("a deep document into an untyped value matches ErrLimit", func(t *testing.T) {
		var v any
		err := Unmarshal([]byte(strings.Repeat("[", 1<<20)), &v)
		require.ErrorIs(t, err, ErrLimit)
		assert.Contains(t, err.Error(), "deeper than the limit of 64 levels")
		var ok any
		require.NoError(t, Unmarshal([]byte(strings.Repeat("[", MaxDepth)+strings.Repeat("]", MaxDepth)), &ok), "exactly the limit is accepted")
	})
	t.Run("a number past its limit matches ErrLimit", func(t *testing.T) {
		var v []int
		err := Unmarshal([]byte("["+strings.Repeat("9", MaxNumberLen+1)+"]"), &v)
		require.ErrorIs(t, err, ErrLimit)
		assert.Equal(t, "[0]: number of 257 bytes is longer than the limit of 256", err.Error())
	})
	t.Run("a document past MaxBytes matches ErrLimit", func(t *testing.T) {
		var v string
		err := Unmarshal(make([]byte, MaxBytes+1), &v)
		require.ErrorIs(t, err, ErrLimit)
	})
	t.Run("other refusals do not match ErrLimit", func(t *testing.T) {
		var d doc
		err := Unmarshal([]byte(`{"name":"a","name":"b"}`), &d)
		require.Error(t, err)
		assert.False(t, errors.Is(err, ErrLimit))
	})
}

func TestUnmarshalRefusesInvalidText(t *testing.T) {
	cases := []struct {
		name, in, path, msg string
	}{
		{"invalid UTF-8 in a value", "{\"name\":\"a\xffb\",\"circles\":[]}", "", "invalid UTF-8 at byte 10"},
		{"invalid UTF-8 in a key", "{\"n\xc3\":\"a\",\"circles\":[]}", "", "invalid UTF-8 at byte 3"},
		{"a lone high surrogate", `{"name":"a\ud800","circles":[]}`, "name", `lone surrogate "\\ud800" in a string: not a character`},
		{"a lone low surrogate", `{"name":"\udc00x","circles":[]}`, "name", `lone surrogate "\\udc00" in a string: not a character`},
		{"a raw control character", "{\"name\":\"a\nb\",\"circles\":[]}", "name", "malformed JSON: control character in a string at byte 10"},
		{"a bad escape", `{"name":"a\qb","circles":[]}`, "name", `malformed JSON: bad escape \q at byte 11`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var d doc
			err := Unmarshal([]byte(c.in), &d)
			var se *Error
			require.ErrorAs(t, err, &se)
			assert.Equal(t, c.path, se.Path)
			assert.Equal(t, c.msg, se.Msg)
		})
	}
	t.Run("a surrogate pair and escapes decode as encoding/json does", func(t *testing.T) {
		in := `{"name":"\ud83d\ude00 \u00e9\n\"\/","circles":[]}`
		var d, want doc
		require.NoError(t, Unmarshal([]byte(in), &d))
		require.NoError(t, json.Unmarshal([]byte(in), &want))
		assert.Equal(t, want, d)
		assert.Equal(t, "😀 é\n\"/", d.Name)
	})
}

type many struct {
	Zeta  string `json:"zeta"`
	Alpha string `json:"alpha"`
	Mid   string `json:"mid"`
	Opt   string `json:"opt,omitzero"`
}

func TestMissingFieldIsTheFirstDeclared(t *testing.T) {
	// Every run names the same field: the first required one, in declaration order.
	for range 50 {
		var m many
		err := Unmarshal([]byte(`{"mid":"x"}`), &m)
		var se *Error
		require.ErrorAs(t, err, &se)
		require.Equal(t, "zeta", se.Path)
		err = Unmarshal([]byte(`{"zeta":"x"}`), &m)
		require.ErrorAs(t, err, &se)
		require.Equal(t, "alpha", se.Path)
	}
}

func TestContainersOfTheWrongKindAreRefusedBeforeTheirContents(t *testing.T) {
	var d doc
	err := Unmarshal([]byte(`{"name":"a","circles":{"x":1}}`), &d)
	var se *Error
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "circles", se.Path)
	assert.Equal(t, "cannot use a JSON object here (want []strictjson.inner)", se.Msg)
	err = Unmarshal([]byte(`{"name":["a"],"circles":[]}`), &d)
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "name", se.Path)
	assert.Equal(t, "cannot use a JSON array here (want string)", se.Msg)
}

type embedded struct {
	Base
	Name string `json:"name"`
}

type Base struct {
	Name string `json:"name"`
	ID   string `json:"id"`
}

func TestEmbeddedFieldsAreShadowedByShallowerOnes(t *testing.T) {
	var e embedded
	require.NoError(t, Unmarshal([]byte(`{"name":"outer","id":"i"}`), &e))
	assert.Equal(t, "outer", e.Name)
	assert.Equal(t, "i", e.ID)
}

type node struct {
	Name string          `json:"name"`
	Kids []node          `json:"kids,omitempty"`
	Next *node           `json:"next,omitempty"`
	Meta map[string]node `json:"meta,omitempty"`
}

func TestRecursiveTypesAreCheckedAtEveryLevel(t *testing.T) {
	var n node
	require.NoError(t, Unmarshal([]byte(`{"name":"a","kids":[{"name":"b","next":{"name":"c"}}],"meta":{"m":{"name":"d"}}}`), &n))
	assert.Equal(t, "c", n.Kids[0].Next.Name)
	err := Unmarshal([]byte(`{"name":"a","kids":[{"name":"b","next":{"name":"c","name":"x"}}]}`), &n)
	var se *Error
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "kids[0].next.name", se.Path)
	err = Unmarshal([]byte(`{"name":"a","meta":{"m":{}}}`), &n)
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "meta.m.name", se.Path)
	assert.Equal(t, "missing field", se.Msg)
}
