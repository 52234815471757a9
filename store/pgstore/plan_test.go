package pgstore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
	rows, err := tx.Query(ctx, "explain "+page, org.UUID(), 10_000, 10_000)
	require.NoError(t, err)
	var plan []string
	for rows.Next() {
		var line string
		require.NoError(t, rows.Scan(&line))
		plan = append(plan, line)
	}
	require.NoError(t, rows.Err())
	text := strings.Join(plan, "\n")
	assert.Contains(t, text, "Index Scan", text)
	assert.NotContains(t, text, "Sort", text)
}
