package assembly_test

import (
	"go/build"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// docs/method.md, "The pure core": no clock reads, no randomness, no
// goroutines, no I/O; imports are the standard library's pure packages,
// package circle and the module's internal helpers.
func TestImportsOnlyPurePackages(t *testing.T) {
	pkg, err := build.Import("github.com/coproduce/sociocracy/assembly", ".", 0)
	require.NoError(t, err)
	allowed := []string{"errors", "fmt", "maps", "math/big", "slices", "strconv", "strings", "time"}
	module := []string{"circle", "internal/enum", "internal/kernel", "internal/outbox", "internal/strictjson"}
	for _, imp := range pkg.Imports {
		if rest, ok := strings.CutPrefix(imp, "github.com/coproduce/sociocracy/"); ok {
			assert.Contains(t, module, rest)
			continue
		}
		assert.True(t, slices.Contains(allowed, imp), "assembly imports %s", imp)
	}
	for _, name := range pkg.GoFiles {
		src, err := os.ReadFile(filepath.Join(pkg.Dir, name))
		require.NoError(t, err)
		for _, banned := range []string{"time.Now", "time.Since", "time.Sleep", "go func", "panic(", "rand."} {
			assert.NotContains(t, string(src), banned, "%s", name)
		}
	}
}
