package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/store"
)

// A driver that reads many profiles at once ([store.ProfilesReader])
// answers as Profile answers each: the profiles set and not erased, of
// this organisation only, however many people are asked for.
func testProfilesAtOnce(t *testing.T, d store.Driver) {
	pr, ok := d.(store.ProfilesReader)
	if !ok {
		t.Skip("the driver does not implement store.ProfilesReader (optional)")
	}
	ctx := context.Background()
	org, other := NewOrg(), NewOrg()
	people := make([]circle.PersonID, 1_203) // more than a query's worth in some adapters
	for i := range people {
		people[i] = circle.PersonID(uuid.New())
		if i%3 != 2 {
			require.NoError(t, d.PutProfile(ctx, org, people[i], fmt.Appendf(nil, `{"name":"P%d"}`, i)))
		}
	}
	require.NoError(t, d.EraseProfile(ctx, org, people[0]))
	stranger := circle.PersonID(uuid.New())
	require.NoError(t, d.PutProfile(ctx, other, stranger, []byte(`{"name":"Elsewhere"}`)))

	got, err := pr.Profiles(ctx, org, append(people, stranger, people[1]))
	require.NoError(t, err)
	want := map[circle.PersonID][]byte{}
	for _, p := range append(people, stranger) {
		data, err := d.Profile(ctx, org, p)
		if err == nil {
			want[p] = data
		} else {
			require.ErrorIs(t, err, store.ErrNotFound)
		}
	}
	assert.Len(t, want, 801, "two in three set, one of them erased")
	assert.Equal(t, want, got, "every profile Profile reads, and nothing else")
	assert.NotContains(t, got, people[0], "an erased profile is never served")
	assert.NotContains(t, got, stranger, "another organisation's profile is not this one's")

	// Fewer people, which some adapters look up rather than walk.
	for _, n := range []int{1, 3, 600} {
		few, err := pr.Profiles(ctx, org, people[:n])
		require.NoError(t, err)
		for _, p := range people[:n] {
			assert.Equal(t, want[p], few[p], "%d people asked for", n)
		}
		count := 0
		for _, p := range people[:n] {
			if _, ok := want[p]; ok {
				count++
			}
		}
		assert.Len(t, few, count, "%d people asked for", n)
	}

	none, err := pr.Profiles(ctx, NewOrg(), people[:3])
	require.NoError(t, err)
	assert.Empty(t, none, "an organisation with no profiles")
	empty, err := pr.Profiles(ctx, org, nil)
	require.NoError(t, err)
	assert.Empty(t, empty)
	_, err = pr.Profiles(ctx, org, []circle.PersonID{{}})
	assert.ErrorIs(t, err, store.ErrInvalid)
	_, err = pr.Profiles(ctx, circle.OrgID{}, people[:1])
	assert.ErrorIs(t, err, store.ErrInvalid)
}
