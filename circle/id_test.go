package circle_test

import (
	"encoding/json"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
)

func TestIDsParseOnlyTheCanonicalForm(t *testing.T) {
	good := "50000000-0000-4000-8000-000000000007"
	id, err := circle.ParsePersonID(good)
	require.NoError(t, err)
	assert.Equal(t, pid(7), id)
	assert.Equal(t, good, id.String())

	for _, bad := range []string{
		"", "not-a-uuid", "50000000000040008000000000000007",
		"{50000000-0000-4000-8000-000000000007}", "urn:uuid:50000000-0000-4000-8000-000000000007",
		"50000000-0000-4000-8000-00000000000g", " 50000000-0000-4000-8000-00000000007",
	} {
		_, err := circle.ParsePersonID(bad)
		assert.ErrorIs(t, err, circle.ErrInvalidID, "%q", bad)
		var idErr *circle.IDError
		if assert.ErrorAs(t, err, &idErr) {
			assert.Equal(t, "person", idErr.Kind)
		}
	}
}

func TestIDsMarshalAsTextAndKeepTheirKindApart(t *testing.T) {
	type doc struct {
		Person circle.PersonID `json:"person"`
		Circle circle.CircleID `json:"circle"`
	}
	in := doc{Person: pid(1), Circle: cid(2)}
	b, err := json.Marshal(in)
	require.NoError(t, err)
	assert.JSONEq(t, `{"person":"50000000-0000-4000-8000-000000000001","circle":"c0000000-0000-4000-8000-000000000002"}`, string(b))
	var out doc
	require.NoError(t, json.Unmarshal(b, &out))
	assert.Equal(t, in, out)

	err = json.Unmarshal([]byte(`{"person":"nope","circle":"c0000000-0000-4000-8000-000000000002"}`), &out)
	assert.ErrorIs(t, err, circle.ErrInvalidID)
	assert.Contains(t, err.Error(), "invalid person id")
	assert.True(t, circle.PersonID{}.IsZero())
	assert.Negative(t, pid(1).Compare(pid(2)))
}

func FuzzParseID(f *testing.F) {
	f.Add("50000000-0000-4000-8000-000000000007")
	f.Add("{50000000-0000-4000-8000-000000000007}")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		id, err := circle.ParseCircleID(s)
		if err != nil {
			assert.ErrorIs(t, err, circle.ErrInvalidID)
			return
		}
		// Property: what parses prints back as the same canonical text, lowercased.
		again, err := circle.ParseCircleID(id.String())
		require.NoError(t, err)
		assert.Equal(t, id, again)
	})
}

// IDs are built and parsed from any module by naming their type.
func TestIDsAreUsableFromAnyModule(t *testing.T) {
	u := uuid.MustParse("0a000000-0000-4000-8000-000000000007")
	id := circle.FromUUID[circle.PersonID](u)
	assert.Equal(t, u, id.UUID())
	back, err := circle.ParseAs[circle.PersonID](id.String())
	require.NoError(t, err)
	assert.Equal(t, id, back)
	assert.Equal(t, id, circle.MustParseAs[circle.PersonID](id.String()))
	_, err = circle.ParseAs[circle.CircleID]("{" + id.String() + "}")
	assert.ErrorIs(t, err, circle.ErrInvalidID)
	assert.Panics(t, func() { circle.MustParseAs[circle.OrgID]("nope") })
}
