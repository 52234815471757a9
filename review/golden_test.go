package review_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/internal/golden"
	"github.com/coproduce/sociocracy/review"
)

// TestStorageFormatIsStable: the stored form of every event type (type name
// and JSON body) is part of the storage format and never changes
// (docs/storage.md). A change to testdata/events.golden is a change of
// format: rewrite it with -update only together with a migration.
func TestStorageFormatIsStable(t *testing.T) {
	var buf strings.Builder
	seen := map[string]bool{}
	buf.WriteString("# log 0\n")
	for _, e := range sampleEvents() {
		typ, data, err := review.MarshalEvent(e)
		require.NoError(t, err)
		seen[typ] = true
		fmt.Fprintf(&buf, "%s %s\n", typ, data)
	}
	for _, typ := range review.EventTypes() {
		require.True(t, seen[typ], "the golden log lacks %s", typ)
	}
	golden.Check(t, "events.golden", buf.String())
}
