package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/examples/internal/story"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/sqlitestore"
)

func open(t *testing.T, path string) *store.Store {
	t.Helper()
	d, err := sqlitestore.OpenMigrated(context.Background(), path, nil)
	require.NoError(t, err)
	s := store.New(d, nil)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestTheStoryRunsAndASecondRunContinuesFromTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "carecoop.db")
	var first bytes.Buffer
	require.NoError(t, story.Run(context.Background(), &first, open(t, path)))
	out := first.String()
	for _, want := range []string{
		`[no-delegate] Circle "Care team North" has no delegate`,
		"Ben objected:",
		"resolved by measure",
		"resolved by shorter term",
		"Adopted (version 3, after 2 rounds, no objection open); review by 1 Feb 2027.",
		"Ben is elected delegate until 5 Nov 2027; the nominee consented last.",
		"Double-linking check: 0 problem(s).",
		"measure-checkpoint",
		"policy-review",
		"term-end",
		"Verified: every entry's hash covers the one before it.",
		"0 were already in the store",
	} {
		assert.Contains(t, out, want)
	}

	var second bytes.Buffer
	require.NoError(t, story.Run(context.Background(), &second, open(t, path)))
	again := second.String()
	assert.Contains(t, again, "continuing from what is stored")
	assert.Contains(t, again, "This run recorded 0 act(s)")
	// Nothing was duplicated: the logbook and the agenda read the same.
	tail := func(s string) string {
		return s[strings.Index(s, "7. What the co-operative"):strings.Index(s, "This run recorded")]
	}
	assert.Equal(t, tail(out), tail(again))
}
