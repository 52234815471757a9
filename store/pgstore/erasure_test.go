package pgstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/pgstore"
)

// PostgreSQL keeps an erased row's old version in its table file as a dead
// tuple until the table is rewritten: the package documentation tells a
// host to run VACUUM FULL on the entries and profiles tables after an
// erasure. This test shows the old bytes in the raw pages after the
// erasure, and gone after VACUUM FULL.
func TestErasedBytesAreGoneAfterVacuumFull(t *testing.T) {
	needPG(t)
	ctx := context.Background()
	schema := FreshSchema()
	dropLater(t, schema)
	d, err := pgstore.New(pg.app, &pgstore.Options{Schema: schema})
	require.NoError(t, err)
	require.NoError(t, d.Migrate(ctx))
	s := store.New(d, nil)

	const name, story = "Zebedee Quixote-Marchbanks", "the ramp at the back door"
	f := circletest.Founding(91)
	f.Org = circle.OrgID(circletest.UUID(0x91, 1))
	f.At = time.Time{}
	_, err = s.Found(ctx, f, nil)
	require.NoError(t, err)
	team := circletest.Circle(2)
	_, err = s.ActOrg(ctx, f.Org, func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
		var c store.Collector[circle.Event]
		c.Add(o.AddCircle(circletest.Person(1), at, circle.CircleSpec{ID: team, Parent: o.Top(), Name: "Care team", Kind: circle.KindTeam}))
		c.Add(o.AddMember(circletest.Person(1), at, team, circletest.Person(1)))
		return c.Result()
	}, nil)
	require.NoError(t, err)
	require.NoError(t, s.SetProfile(ctx, f.Org, circletest.Person(1), store.Profile{Name: name}))
	started, err := s.StartProcess(ctx, f.Org, consent.ProcessSpec{ID: consent.ProcessID(circletest.UUID(0x91, 2)), Circle: team,
		Proposer: circletest.Person(1), Facilitator: circletest.Person(1),
		Proposal: consent.Proposal{Title: "Ramp", Driver: "Winter", Text: "Zebedee asks for " + story + " to be fixed."}}, nil)
	require.NoError(t, err)

	_, err = pg.admin.Exec(ctx, "create extension if not exists pageinspect")
	require.NoError(t, err)
	// inPages reports whether any raw page of the table holds what.
	inPages := func(table, what string) bool {
		t.Helper()
		var found bool
		err := pg.admin.QueryRow(ctx, `select coalesce(bool_or(position(convert_to($2, 'UTF8') in get_raw_page($1::text, b::int)) > 0), false)
			from generate_series(0, pg_relation_size($1::text::regclass) / current_setting('block_size')::int - 1) b`,
			schema+"."+table, what).Scan(&found)
		require.NoError(t, err)
		return found
	}
	require.True(t, inPages("profiles", name), "the test sees the profile in the raw pages")

	erasure := store.Erasure{Actor: circletest.Person(1), Reason: "erasure request"}
	_, err = s.EraseText(ctx, f.Org, started.First, []string{"proposal.text"}, erasure, nil)
	require.NoError(t, err)
	_, err = s.ErasePerson(ctx, f.Org, circletest.Person(1), erasure, nil)
	require.NoError(t, err)
	stale := inPages("profiles", name) || inPages("entries", story)
	t.Logf("erased bytes still in the raw pages before VACUUM FULL: %v", stale)

	for _, table := range []string{"entries", "profiles"} {
		_, err = pg.admin.Exec(ctx, "vacuum full "+schema+"."+table)
		require.NoError(t, err)
	}
	assert.False(t, inPages("profiles", name), "after VACUUM FULL no byte of the erased profile is left")
	assert.False(t, inPages("entries", story), "nor of the erased text")
	_, err = s.Verify(ctx, f.Org)
	assert.NoError(t, err)
}
