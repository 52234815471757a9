package strictjson

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type inner struct {
	Parent string `json:"parent"`
}

type doc struct {
	Name    string  `json:"name"`
	Circles []inner `json:"circles"`
	Note    string  `json:"note,omitempty"`
}

func TestUnmarshalRefusesWhatEncodingJSONAccepts(t *testing.T) {
	cases := []struct {
		name, in, path, msg string
	}{
		{"unknown field", `{"name":"a","colour":1}`, "", `unknown field "colour"`},
		{"duplicate key", `{"name":"a","name":"b"}`, "name", "duplicate key"},
		{"case variant duplicate", `{"name":"a","Name":"b"}`, "Name", `key "Name" repeats "name" in another case`},
		{"case variant alone", `{"NAME":"a"}`, "NAME", `key "NAME" must be spelled "name"`},
		{"nested path", `{"circles":[{"parent":"x"},{"parent":"y","parent":"z"}]}`, "circles[1].parent", "duplicate key"},
		{"trailing data", `{"name":"a","circles":[]} {}`, "", "trailing data after the document"},
		{"truncated", `{"name":`, "name", "unexpected end of document"},
		{"wrong type", `{"name":3,"circles":[]}`, "name", "cannot use a JSON number here (want string)"},
		{"missing field", `{"name":"a"}`, "circles", "missing field"},
		{"missing nested field", `{"name":"a","circles":[{}]}`, "circles[0].parent", "missing field"},
		{"unknown nested field", `{"name":"a","circles":[{"parent":"p","x":1}]}`, "circles[0]", `unknown field "x"`},
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
}

func TestUnmarshalAcceptsAWellFormedDocument(t *testing.T) {
	var d doc
	require.NoError(t, Unmarshal([]byte(`{"name":"a","circles":[{"parent":"p"}]}`), &d), "an omitempty field may be absent")
	assert.Equal(t, doc{Name: "a", Circles: []inner{{Parent: "p"}}}, d)
}

func FuzzUnmarshal(f *testing.F) {
	for _, s := range []string{
		`{"name":"a"}`, `{"name":"a","name":"b"}`, `{"NAME":1}`, `[`, `{"circles":[{"parent":"x"}]} x`,
		`{"name":"a","circles":[{"parent":"p"}]}`, `{"name":"\ud83d\ude00","circles":[]}`, `{"name":"\ud800","circles":[]}`,
		"{\"name\":\"\xff\",\"circles\":[]}", `{"name":"a","circles":[],"note":"x"}`, `{"name":-0.5e+3,"circles":[]}`,
		strings.Repeat("[", 100000), strings.Repeat("[", 64) + strings.Repeat("]", 64), `{"circles":{"parent":{}}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var d doc
		if err := Unmarshal(data, &d); err != nil {
			var se *Error
			require.ErrorAs(t, err, &se, "every refusal is an *Error")
			return
		}
		// Property: anything accepted is valid UTF-8 and decodes with
		// encoding/json to the same value.
		require.True(t, utf8.Valid(data))
		var plain doc
		require.NoError(t, json.Unmarshal(data, &plain))
		assert.Equal(t, plain, d)
	})
}

func FuzzUnmarshalUntyped(f *testing.F) {
	for _, s := range []string{`[]`, `{"a":[1,2,{"b":null}]}`, `{"a":1,"A":2}`, `"\u0041"`, `1e400`, `[true,false,null]`, strings.Repeat("[", 65)} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v any
		err := Unmarshal(data, &v)
		var plain any
		plainErr := json.Unmarshal(data, &plain)
		if err == nil {
			// Property: what the scanner accepts, encoding/json accepts too, to the same value.
			require.NoError(t, plainErr)
			assert.Equal(t, plain, v)
		}
	})
}
