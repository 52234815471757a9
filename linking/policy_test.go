package linking_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/linking"
)

func TestPolicyRoundTripsThroughJSON(t *testing.T) {
	p := &linking.Policy{
		Default:  &linking.LinkRule{RequireLeader: true, MinLinks: 1},
		Kinds:    map[circle.Kind]linking.LinkRule{circle.KindHelping: {}, circle.KindTeam: linking.DoubleLinked()},
		Circles:  map[circle.CircleID]linking.LinkRule{team: linking.LeaderOnly()},
		Coverage: []linking.CoverageRule{linking.CoProduction(circle.KindTeam, circle.KindDepartment)},
	}
	data, err := json.Marshal(p)
	require.NoError(t, err)
	assert.JSONEq(t, `{
		"default": {"requireLeader": true, "requireDelegate": false, "minLinks": 1},
		"kinds": {"helping": {"requireLeader": false, "requireDelegate": false, "minLinks": 0},
		          "team": {"requireLeader": true, "requireDelegate": true, "minLinks": 2}},
		"circles": {"c0000000-0000-4000-8000-000000000003": {"requireLeader": true, "requireDelegate": false, "minLinks": 1}},
		"coverage": [{"name": "co-production", "kinds": ["team", "department"], "classes": ["supported-person"], "countAdvocates": true}]
	}`, string(data))
	back, err := linking.ParsePolicy(data)
	require.NoError(t, err)
	assert.Equal(t, p, back)
}

func TestParsePolicyRefusesWhatIsNotAPolicy(t *testing.T) {
	for name, doc := range map[string]string{
		"unknown field":          `{"kinds": {}, "colour": "red"}`,
		"unknown kind":           `{"kinds": {"board": {"requireLeader": true, "requireDelegate": true, "minLinks": 2}}}`,
		"missing rule field":     `{"default": {"requireLeader": true, "minLinks": 2}}`,
		"minimum out of range":   `{"default": {"requireLeader": true, "requireDelegate": true, "minLinks": 3}}`,
		"duplicate key":          `{"kinds": {}, "kinds": {}}`,
		"trailing data":          `{} {}`,
		"bad class":              `{"coverage": [{"name": "x", "kinds": ["team"], "classes": ["Supported Person"], "countAdvocates": false}]}`,
		"coverage without kinds": `{"coverage": [{"name": "x", "kinds": [], "classes": ["worker"], "countAdvocates": false}]}`,
		"not an object":          `[]`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := linking.ParsePolicy([]byte(doc))
			assert.ErrorIs(t, err, linking.ErrInvalidPolicy)
		})
	}
	p, err := linking.ParsePolicy([]byte(`{}`))
	require.NoError(t, err)
	assert.Equal(t, linking.DoubleLinked(), p.Rule(circle.KindTeam), "the empty policy is the default")
}

func FuzzParsePolicy(f *testing.F) {
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"default": {"requireLeader": true, "requireDelegate": false, "minLinks": 1}}`))
	f.Add([]byte(`{"kinds": {"helping": {"requireLeader": false, "requireDelegate": false, "minLinks": 0}}}`))
	f.Add([]byte(`{"coverage": [{"name": "co-production", "kinds": ["team"], "classes": ["supported-person"], "countAdvocates": true, "includeTop": true}]}`))
	f.Add([]byte(`{"kinds": {"team": {"requireLeader": true, "requireDelegate": true, "minLinks": 9}}}`))
	f.Add([]byte(`{"circles": {"c0000000-0000-4000-8000-000000000003": {"requireLeader": true, "requireDelegate": false, "minLinks": 1}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := linking.ParsePolicy(data)
		if err != nil {
			assert.ErrorIs(t, err, linking.ErrInvalidPolicy)
			return
		}
		// Whatever parses is valid, validates the fixture and round-trips.
		require.NoError(t, p.Check())
		_, err = linking.Check(riverside(), p, now)
		require.NoError(t, err)
		again, err := json.Marshal(p)
		require.NoError(t, err)
		back, err := linking.ParsePolicy(again)
		require.NoError(t, err)
		assert.Equal(t, p, back)
	})
}

func FuzzEnumText(f *testing.F) {
	for _, s := range []string{"no-leader", "missing-stakeholder", "working", "term-ended", "up", "down", "", "Code(0)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var c linking.Code
		if c.UnmarshalText([]byte(s)) == nil {
			b, err := c.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, s, string(b))
		}
		var st linking.LinkState
		if st.UnmarshalText([]byte(s)) == nil {
			b, err := st.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, s, string(b))
		}
		var d linking.Direction
		if d.UnmarshalText([]byte(s)) == nil {
			b, err := d.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, s, string(b))
		}
	})
}
