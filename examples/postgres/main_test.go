package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/examples/internal/story"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/pgstore"
)

// The story on PostgreSQL, twice on one database: the second telling
// continues from what the first stored. It runs in a fresh schema so it
// shares a test database with anything else.
func TestTheStoryOnPostgreSQL(t *testing.T) {
	dsn := os.Getenv("SOCIOCRACY_PG_DSN")
	if dsn == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("SOCIOCRACY_PG_DSN is not set; in CI the PostgreSQL tests must run (scripts/test sets it)")
		}
		t.Skip("SOCIOCRACY_PG_DSN is not set: the PostgreSQL example is not tested (scripts/test starts a throwaway server and sets it)")
	}
	ctx := context.Background()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "example_" + hex.EncodeToString(b)
	pool, err := pgxpool.New(ctx, dsn)
	require.NoError(t, err)
	t.Cleanup(func() {
		_, _ = pool.Exec(context.Background(), "DROP SCHEMA IF EXISTS "+schema+" CASCADE")
		pool.Close()
	})
	tell := func() string {
		d, err := pgstore.New(pool, &pgstore.Options{Schema: schema})
		require.NoError(t, err)
		require.NoError(t, d.Migrate(ctx))
		s := store.New(d, nil)
		defer s.Close()
		var out bytes.Buffer
		require.NoError(t, story.Run(ctx, &out, s))
		return out.String()
	}
	first := tell()
	assert.Contains(t, first, "Double-linking check: 0 problem(s).")
	assert.Contains(t, first, "Verified: every entry's hash covers the one before it.")
	second := tell()
	assert.Contains(t, second, "continuing from what is stored")
	assert.Contains(t, second, "This run recorded 0 act(s)")
}
