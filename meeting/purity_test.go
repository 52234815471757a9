package meeting_test

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
// the packages whose work a meeting takes up (circle, consent, election, review) and the module's internal helpers.
func TestImportsOnlyPurePackages(t *testing.T) {
	pkg, err := build.Import("github.com/coproduce/sociocracy/meeting", ".", 0)
	require.NoError(t, err)
	allowed := []string{"errors", "fmt", "html", "maps", "slices", "strings", "time", "github.com/google/uuid"}
	module := []string{"circle", "consent", "election", "review", "internal/enum", "internal/kernel", "internal/outbox"}
	for _, imp := range pkg.Imports {
		if rest, ok := strings.CutPrefix(imp, "github.com/coproduce/sociocracy/"); ok {
			assert.Contains(t, module, rest)
			continue
		}
		assert.True(t, slices.Contains(allowed, imp), "meeting imports %s", imp)
	}
	for _, name := range pkg.GoFiles {
		src, err := os.ReadFile(filepath.Join(pkg.Dir, name))
		require.NoError(t, err)
		for _, banned := range []string{"time.Now", "time.Since", "time.Sleep", "go func", "panic(", "rand."} {
			assert.NotContains(t, string(src), banned, "%s", name)
		}
	}
}
