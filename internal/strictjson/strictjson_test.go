package strictjson

import (
	"testing"

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
	for _, s := range []string{`{"name":"a"}`, `{"name":"a","name":"b"}`, `{"NAME":1}`, `[`, `{"circles":[{"parent":"x"}]} x`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var d doc
		if err := Unmarshal(data, &d); err == nil {
			// Property: anything accepted is also accepted by a plain decode.
			var again doc
			require.NoError(t, Unmarshal(data, &again))
			assert.Equal(t, d, again)
		}
	})
}
