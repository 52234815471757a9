// Package golden pins stored forms in files under testdata: a test renders
// what it stores as text, and Check compares it with the file, line by line,
// or rewrites the file when the test runs with -update. It is for tests only.
package golden

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// Check compares got with the file testdata/name. A change to a golden file
// is a change of storage format: rewrite it with -update only together with
// a migration, and say so in the commit.
func Check(t testing.TB, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden: %v (run the test with -update to write it)", err)
	}
	wl, gl := strings.Split(string(want), "\n"), strings.Split(got, "\n")
	for i := range max(len(wl), len(gl)) {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			t.Fatalf("%s line %d:\nwant %s\ngot  %s", path, i+1, w, g)
		}
	}
}

// CheckEvents renders logs of events in their stored form, one line per
// event ("type body") under a "# log N" line per log, checks that every
// type of types occurs, and compares the text with testdata/name as
// [Check] does. It is the storage-format test of every core package.
func CheckEvents[E any](t testing.TB, name string, logs [][]E, marshal func(E) (string, []byte, error), types []string) {
	t.Helper()
	var buf strings.Builder
	seen := map[string]bool{}
	for i, log := range logs {
		fmt.Fprintf(&buf, "# log %d\n", i)
		for _, e := range log {
			typ, data, err := marshal(e)
			if err != nil {
				t.Fatalf("golden: marshal %T: %v", e, err)
			}
			seen[typ] = true
			fmt.Fprintf(&buf, "%s %s\n", typ, data)
		}
	}
	for _, typ := range types {
		if !seen[typ] {
			t.Fatalf("golden: the logs lack an event of type %s", typ)
		}
	}
	Check(t, name, buf.String())
}
