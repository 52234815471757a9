package assembly_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/assembly"
)

const equalCareJSON = `{
  "noticeDays": 14,
  "quorum": {"members": 10, "share": "10%"},
  "proxyLimit": 5,
  "voting": "vote-after-consent",
  "ordinary": {"rule": "more-than", "share": "50%"},
  "special": {"rule": "more-than", "share": "75%"},
  "base": "votes-cast",
  "weighting": "capped",
  "classes": [{"class": "investor", "share": "10%"}]
}`

func TestEqualCaresRulesReadFromJSON(t *testing.T) {
	r, err := assembly.ParseRules([]byte(equalCareJSON))
	require.NoError(t, err)
	assert.Equal(t, assembly.EqualCare(), r)
	require.NoError(t, assembly.EqualCareFixed().Validate())
	assert.Equal(t, "special resolution: more than 75% of the votes cast; investor votes capped at 10%", r.Describe(assembly.Special))
}

func TestParseRulesIsStrict(t *testing.T) {
	for _, tc := range []struct{ name, from, to string }{
		{"an unknown field", `"proxyLimit": 5,`, `"proxyLimit": 5, "proxies": 5,`},
		{"a duplicate key", `"proxyLimit": 5,`, `"proxyLimit": 5, "proxyLimit": 6,`},
		{"a missing field", `"proxyLimit": 5,`, ``},
		{"a share above 1", `"share": "75%"`, `"share": "110%"`},
		{"a share with an exponent", `"share": "75%"`, `"share": "3e1/4"`},
		{"a share that is a number", `"share": "75%"`, `"share": 0.75`},
		{"an unknown weighting", `"capped"`, `"weighted"`},
		{"a threshold nothing meets", `"share": "75%"`, `"share": "100%"`},
		{"a special majority below the ordinary", `"share": "75%"`, `"share": "40%"`},
		{"a class listed twice", `[{"class": "investor", "share": "10%"}]`, `[{"class": "investor", "share": "10%"}, {"class": "investor", "share": "5%"}]`},
		{"caps that leave nothing", `[{"class": "investor", "share": "10%"}]`, `[{"class": "investor", "share": "60%"}, {"class": "worker", "share": "40%"}]`},
		{"a bad class", `"class": "investor"`, `"class": "Investor"`},
		{"negative notice", `"noticeDays": 14`, `"noticeDays": -1`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := strings.Replace(equalCareJSON, tc.from, tc.to, 1)
			require.NotEqual(t, equalCareJSON, doc)
			_, err := assembly.ParseRules([]byte(doc))
			require.ErrorIs(t, err, assembly.ErrInvalidRules)
		})
	}
}

func TestValidateReportsEveryProblemAtOnce(t *testing.T) {
	r := assembly.EqualCare()
	r.NoticeDays, r.ProxyLimit, r.Base = -3, -1, 0
	err := r.Validate()
	require.ErrorIs(t, err, assembly.ErrInvalidRules)
	var joined interface{ Unwrap() []error }
	require.True(t, errors.As(err, &joined))
	assert.Len(t, joined.Unwrap(), 3)
	for _, want := range []string{"noticeDays", "proxyLimit", "base must be votes-cast or members-present"} {
		assert.Contains(t, err.Error(), want)
	}
}

func TestRatioText(t *testing.T) {
	for in, want := range map[string]string{"75%": "3/4", "3/4": "3/4", "6/8": "3/4", "0%": "0/1", "100%": "1/1", "1/3": "1/3"} {
		var r assembly.Ratio
		require.NoError(t, r.UnmarshalText([]byte(in)), in)
		b, err := r.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, want, string(b), in)
	}
	for _, in := range []string{"", "%", "1/0", "4/3", "-1/2", "1/2/3", " 1/2", "1.5%", "99999999/100000000"} {
		var r assembly.Ratio
		require.ErrorIs(t, r.UnmarshalText([]byte(in)), assembly.ErrInvalidRules, in)
	}
	assert.Equal(t, "33.33%", assembly.Frac(1, 3).Percent())
	assert.Equal(t, "10%", assembly.Percent(10).Percent())
}
