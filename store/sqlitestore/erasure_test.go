package sqlitestore_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/sqlitestore"
)

// After an erasure the database file and its WAL hold none of the erased
// bytes: secure_delete zeroes what the erasure frees, and the WAL is
// emptied into the file.
func TestErasedBytesLeaveTheFileAndTheWAL(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "coop.db")
	d, err := sqlitestore.OpenMigrated(ctx, path, nil)
	require.NoError(t, err)
	s := store.New(d, nil)
	defer s.Close()

	const name, story = "Zebedee Quixote-Marchbanks", "Zebedee needs the ramp at the back door fixed before winter."
	f := circletest.Founding(88)
	f.At = time.Time{}
	_, err = s.Found(ctx, f, nil)
	require.NoError(t, err)
	org, team := f.Org, circletest.Circle(2)
	_, err = s.ActOrg(ctx, org, func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
		var c store.Collector[circle.Event]
		c.Add(o.AddCircle(circletest.Person(1), at, circle.CircleSpec{ID: team, Parent: o.Top(), Name: "Care team", Kind: circle.KindTeam}))
		c.Add(o.AddPerson(circletest.Person(1), at, circle.PersonSpec{ID: circletest.Person(2), Label: "Z", Class: circle.SupportedPerson}))
		c.Add(o.AddMember(circletest.Person(1), at, team, circletest.Person(1)))
		c.Add(o.AddMember(circletest.Person(1), at, team, circletest.Person(2)))
		return c.Result()
	}, nil)
	require.NoError(t, err)
	require.NoError(t, s.SetProfile(ctx, org, circletest.Person(2), store.Profile{Name: name, Phone: "+44 7700 900123"}))
	id := consent.ProcessID(circletest.UUID(0x88, 1))
	started, err := s.StartProcess(ctx, org, consent.ProcessSpec{ID: id, Circle: team, Proposer: circletest.Person(2), Facilitator: circletest.Person(1),
		Proposal: consent.Proposal{Title: "The back door ramp", Driver: "Winter is coming", Text: story}}, nil)
	require.NoError(t, err)

	holds := func(what string) bool {
		t.Helper()
		found := false
		for _, p := range []string{path, path + "-wal"} {
			b, err := os.ReadFile(p)
			if err != nil && !os.IsNotExist(err) {
				require.NoError(t, err)
			}
			found = found || bytes.Contains(b, []byte(what))
		}
		return found
	}
	require.True(t, holds(name), "the profile is in the files before the erasure (the test can see it)")
	require.True(t, holds("ramp at the back door"), "and so is the proposal's text")

	_, err = s.EraseText(ctx, org, started.First, []string{"proposal.text"}, store.Erasure{Actor: circletest.Person(1), Reason: "erasure request"}, nil)
	require.NoError(t, err)
	_, err = s.ErasePerson(ctx, org, circletest.Person(2), store.Erasure{Actor: circletest.Person(1), Reason: "erasure request"}, nil)
	require.NoError(t, err)

	assert.False(t, holds(name), "no byte of the erased profile is left in the file or the WAL")
	assert.False(t, holds("ramp at the back door"), "nor of the erased text")
	_, err = s.Verify(ctx, org)
	assert.NoError(t, err)
}
