package main

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The README shows this program verbatim, so the tour it gives compiles and
// runs (scripts/test smoke-runs every example).
func TestTheREADMEShowsThisProgramVerbatim(t *testing.T) {
	src, err := os.ReadFile("main.go")
	require.NoError(t, err)
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	body := string(src)[strings.Index(string(src), "package main"):]
	assert.Contains(t, string(readme), "```go\n"+body+"```", "README.md must include examples/tour/main.go from its package clause on; copy it again")
}
