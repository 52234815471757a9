package consent_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/internal/golden"
)

// TestStorageFormatIsStable: the stored form of every event type (type name
// and JSON body) is part of the storage format and never changes
// (docs/storage.md). A change to testdata/events.golden is a change of
// format: rewrite it with -update only together with a migration.
func TestStorageFormatIsStable(t *testing.T) {
	var buf bytes.Buffer
	lazy, until := lazyAdopted(t)
	lazy.must(lazy.p.Object(member5, until.Add(-time.Hour), "I was away; this breaks the rota."))
	seen := map[string]bool{}
	for i, log := range append(seedLogs(t), lazy.events) {
		fmt.Fprintf(&buf, "# log %d\n", i)
		for _, e := range log {
			typ, data, err := consent.MarshalEvent(e)
			require.NoError(t, err)
			seen[typ] = true
			fmt.Fprintf(&buf, "%s %s\n", typ, data)
		}
	}
	for _, typ := range consent.EventTypes() {
		require.True(t, seen[typ], "the golden logs lack %s", typ)
	}
	golden.Check(t, "events.golden", buf.String())
}
