package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/memstore"
)

// keyedHistory founds an organisation, starts a process and erases its
// text through s, and returns the organisation.
func keyedHistory(t *testing.T, s *store.Store) circle.OrgID {
	t.Helper()
	ctx := context.Background()
	org, ana, top := circle.OrgID(uuid.New()), circle.PersonID(uuid.New()), circle.CircleID(uuid.New())
	at := time.Date(2026, 3, 2, 18, 0, 0, 0, time.UTC)
	_, err := s.Found(ctx, circle.Founding{
		Org: org, Name: "Care co-op", Zone: "Europe/London", Founder: ana, FounderLabel: "Ana",
		FounderClass: circle.Worker, Top: top, TopName: "Mission circle", TopKind: circle.KindMission,
		TopAim: "Good lives, decided together", At: at,
	}, nil)
	require.NoError(t, err)
	r, err := s.StartProcess(ctx, org, consent.ProcessSpec{
		ID: consent.ProcessID(uuid.New()), Org: org, Circle: top, Proposer: ana, Facilitator: ana,
		Proposal: consent.Proposal{Title: "Rota", Driver: "The rota is unclear.", Text: "Ask Maria, 07700 900123."},
	}, &store.WriteOptions{At: at.Add(time.Hour)})
	require.NoError(t, err)
	_, err = s.EraseText(ctx, org, r.First, []string{"proposal.text"}, store.Erasure{Actor: ana, Reason: "erasure request"}, nil)
	require.NoError(t, err)
	return org
}

func TestStoreAppendsAndVerifiesWithItsChainKey(t *testing.T) {
	ctx := context.Background()
	d := memstore.New()
	keyed := store.New(d, &store.Options{ChainKey: hostKey})
	org := keyedHistory(t, keyed)
	h, err := keyed.Verify(ctx, org)
	require.NoError(t, err, "every entry, the erasure's record included, carries its keyed hash")
	es, err := d.ReadLog(ctx, store.LogQuery{Org: org})
	require.NoError(t, err)
	require.NotEmpty(t, es)
	prev := store.Hash{}
	for _, e := range es {
		assert.Equal(t, e.ComputeKeyedHash(hostKey, prev), e.Hash)
		prev = e.Hash
	}
	assert.Equal(t, es[len(es)-1].Seq, h.Seq)
	_, err = keyed.VerifyAnchor(ctx, org, h)
	require.NoError(t, err)

	_, err = store.New(d, nil).Verify(ctx, org)
	require.ErrorIs(t, err, store.ErrCorrupt, "a Store without the key cannot vouch for a keyed log")
	_, err = store.New(d, &store.Options{ChainKey: attackerKey}).Verify(ctx, org)
	require.ErrorIs(t, err, store.ErrCorrupt, "nor can one with another key")
}

// tailless hides the last entry from reads, as a database whose tail rows
// were deleted while its head row was left.
type tailless struct{ *memstore.Driver }

func (d tailless) ReadLog(ctx context.Context, q store.LogQuery) ([]store.Entry, error) {
	h, err := d.Driver.Head(ctx, q.Org)
	if err != nil {
		return nil, err
	}
	es, err := d.Driver.ReadLog(ctx, q)
	if len(es) > 0 && es[len(es)-1].Seq == h.Seq {
		es = es[:len(es)-1]
	}
	return es, err
}

func TestStoreVerifyComparesTheLogWithTheDriversHead(t *testing.T) {
	ctx := context.Background()
	d := memstore.New()
	org := keyedHistory(t, store.New(d, nil))
	_, err := store.New(d, nil).Verify(ctx, org)
	require.NoError(t, err)
	_, err = store.New(tailless{d}, nil).Verify(ctx, org)
	var ce *store.ChainError
	require.ErrorAs(t, err, &ce)
	assert.Contains(t, ce.Reason, "tail was deleted")
}
