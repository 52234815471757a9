package linking_test

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

// docs/method.md, "The pure core": no clock reads, no randomness, no goroutines,
// no I/O; imports are the standard library's pure packages, package circle
// and the module's internal helpers.
func TestLinkingImportsOnlyPurePackages(t *testing.T) {
	pkg, err := build.Import("github.com/coproduce/sociocracy/linking", ".", 0)
	require.NoError(t, err)
	allowed := []string{"cmp", "errors", "fmt", "iter", "slices", "strconv", "strings", "time"}
	for _, imp := range pkg.Imports {
		if strings.HasPrefix(imp, "github.com/coproduce/sociocracy/") {
			assert.Contains(t, []string{"github.com/coproduce/sociocracy/circle", "github.com/coproduce/sociocracy/internal/enum", "github.com/coproduce/sociocracy/internal/kernel", "github.com/coproduce/sociocracy/internal/strictjson"}, imp)
			continue
		}
		assert.True(t, slices.Contains(allowed, imp), "linking imports %s", imp)
	}
	for _, name := range pkg.GoFiles {
		src, err := os.ReadFile(filepath.Join(pkg.Dir, name))
		require.NoError(t, err)
		for _, banned := range []string{"time.Now", "time.Since", "time.Sleep", "go func", "panic("} {
			assert.NotContains(t, string(src), banned, "%s", name)
		}
	}
}
