package pgstore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/storetest"
)

// A page of a long log that the planner's statistics know nothing of (a
// new organisation, no ANALYZE since it was written) is read in the order
// of the primary key, never by sorting every entry after the page's start:
// that sort made each page cost as much as the rest of the log, and a
// Verify of 1,000,000 entries take over 2.8 s.
func TestALogPageReadsInIndexOrder(t *testing.T) {
	ctx := context.Background()
	d := newDriver(t)
	org := storetest.NewOrg()
	require.NoError(t, storetest.FillLog(ctx, d, org, 50_000))
	setOrg, page := d.LogPage()

	tx, err := pg.app.Begin(ctx)
	require.NoError(t, err)
	defer func() { _ = tx.Rollback(ctx) }()
	_, err = tx.Exec(ctx, setOrg, org.String())
	require.NoError(t, err)
	text := explain(t, tx, "explain "+page, org.UUID(), 10_000, 10_000)
	assert.Contains(t, text, "Index Scan", text)
	assert.NotContains(t, text, "Sort", text)
}

// One stream is found by its primary key, whatever the planner knows: on a
// kind with many streams and no statistics, the generic plans of the
// statements that read or update one stream never scan an index that lists
// the kind's streams by circle or status (an act's stream update did, and
// cost as many index entries as the kind has streams).
func TestAStreamIsFoundByItsKey(t *testing.T) {
	ctx := context.Background()
	d := newDriver(t)
	org := storetest.NewOrg()
	var key store.StreamKey
	for i := range 2_000 {
		key = storetest.NewKey(org, store.KindConsent)
		b := storetest.One(key, 0, storetest.Records(1, "s")...)
		b.Streams[0].Circle = circletest.Circle(1 + i%4)
		b.Streams[0].Status = []string{store.StatusOpen, store.StatusClosed}[i%2]
		_, err := d.Append(ctx, b)
		require.NoError(t, err)
	}
	setOrg, _ := d.LogPage()
	k := fmt.Sprintf("'%s', '%s', '%s'", org, key.Kind, key.ID)
	params := []string{k, k, k + ", 2, null, ''", k + ", 2, null, '', 1"}
	for i, q := range d.StreamLookups() {
		tx, err := pg.app.Begin(ctx)
		require.NoError(t, err)
		defer func() { _ = tx.Rollback(ctx) }()
		_, err = tx.Exec(ctx, setOrg, org.String())
		require.NoError(t, err)
		_, err = tx.Exec(ctx, "set local plan_cache_mode = force_generic_plan")
		require.NoError(t, err)
		_, err = tx.Exec(ctx, fmt.Sprintf("prepare lookup%d as %s", i, q))
		require.NoError(t, err)
		text := explain(t, tx, fmt.Sprintf("explain execute lookup%d(%s)", i, params[i]), pgx.QueryExecModeSimpleProtocol)
		require.NoError(t, tx.Rollback(ctx))
		assert.Contains(t, text, "streams_pkey", "%s\n%s", q, text)
	}
}

// explain runs an EXPLAIN statement in tx and returns its plan as text.
func explain(t *testing.T, tx pgx.Tx, sql string, args ...any) string {
	t.Helper()
	rows, err := tx.Query(context.Background(), sql, args...)
	require.NoError(t, err)
	var plan []string
	for rows.Next() {
		var line string
		require.NoError(t, rows.Scan(&line))
		plan = append(plan, line)
	}
	require.NoError(t, rows.Err())
	return strings.Join(plan, "\n")
}
