package kernel_test

import (
	"go/build"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// docs/method.md, "The pure core": the kernel the core packages share is as
// pure as they are: no clock, no randomness, no goroutines, no I/O.
func TestKernelIsPure(t *testing.T) {
	allowed := []string{"encoding/json", "errors", "fmt", "reflect", "slices", "strconv", "strings", "sync", "time", "unicode/utf8"}
	for _, path := range []string{"github.com/coproduce/sociocracy/internal/kernel", "github.com/coproduce/sociocracy/internal/enum"} {
		pkg, err := build.Import(path, ".", 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range pkg.Imports {
			if !strings.HasPrefix(imp, "github.com/coproduce/sociocracy/internal/") && !slices.Contains(allowed, imp) {
				t.Errorf("%s imports %s", path, imp)
			}
		}
		for _, name := range pkg.GoFiles {
			src, err := os.ReadFile(filepath.Join(pkg.Dir, name))
			if err != nil {
				t.Fatal(err)
			}
			for _, banned := range []string{"time.Now", "time.Since", "time.Sleep", "go func", "math/rand", "\"os\"", "context"} {
				if strings.Contains(string(src), banned) {
					t.Errorf("%s/%s contains %s", path, name, banned)
				}
			}
		}
	}
}
