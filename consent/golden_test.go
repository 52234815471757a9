package consent_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/consent"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestStorageFormatIsStable: the stored form of every event type (type name
// and JSON body) is part of the storage format and never changes. A change
// to testdata/events.golden is a change of format: rewrite it with -update
// only together with a migration.
func TestStorageFormatIsStable(t *testing.T) {
	var buf bytes.Buffer
	for i, log := range seedLogs(t) {
		fmt.Fprintf(&buf, "# log %d\n", i)
		for _, e := range log {
			typ, data, err := consent.MarshalEvent(e)
			require.NoError(t, err)
			fmt.Fprintf(&buf, "%s %s\n", typ, data)
		}
	}
	path := filepath.Join("testdata", "events.golden")
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	got := strings.Split(buf.String(), "\n")
	for i, line := range strings.Split(string(want), "\n") {
		require.Less(t, i, len(got), "the stored form lost lines")
		require.Equal(t, line, got[i], "line %d of %s", i+1, path)
	}
	require.Equal(t, string(want), buf.String())
}
