package consent_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/consent"
)

func TestAReviewLinkIsRecordedWhenTheProcessStarts(t *testing.T) {
	rv := consent.Review{Agreement: consent.AgreementID(uuid.MustParse("aa000000-0000-4000-8000-000000000001")), Retire: true}
	spec := consent.ProcessSpec{ID: consent.ProcessID(uuid.MustParse("0d000000-0000-4000-8000-000000000001")), Org: orgID, Circle: circleID,
		Proposer: proposer, Facilitator: facil, Proposal: consent.Proposal{Title: "Retire the rota", Driver: "d", Text: "t"}, Review: rv}
	_, evs, err := consent.Start(spec, t0)
	require.NoError(t, err)
	st := evs[0].(consent.Started)
	assert.Equal(t, rv, st.Review)
	typ, data, err := consent.MarshalEvent(st)
	require.NoError(t, err)
	assert.Contains(t, string(data), `"review":{"agreement":"aa000000-0000-4000-8000-000000000001","retire":true}`)
	back, err := consent.UnmarshalEvent(typ, data)
	require.NoError(t, err)
	assert.Equal(t, st, back)

	spec.Review = consent.Review{}
	_, evs, err = consent.Start(spec, t0)
	require.NoError(t, err)
	_, data, _ = consent.MarshalEvent(evs[0])
	assert.NotContains(t, string(data), `"review"`, "a process that reviews nothing stores no link, as before")
	assert.True(t, consent.Review{}.IsZero())
	assert.False(t, consent.Review{Retire: true}.IsZero())
	_, err = consent.ParseAgreementID("aa000000-0000-4000-8000-000000000001")
	assert.NoError(t, err)
}
