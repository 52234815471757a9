// Package browsertest lets tests check the library's output with
// independent software: the machine's Chromium, and the npm packages of
// testdata/js (mermaid, ical.js, puppeteer-core) run by Node.
//
// A test that needs a missing tool is skipped with a message saying how to
// install it, except when the environment variable CI is set: then it fails,
// so that CI never passes without the checks (.ci/run installs everything).
package browsertest

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// missing skips the test, or fails it in CI.
func missing(tb testing.TB, what, install string) {
	tb.Helper()
	if os.Getenv("CI") != "" {
		tb.Fatalf("%s is missing, and CI is set: the check must run (%s; .ci/run does it)", what, install)
	}
	tb.Skipf("%s is missing (%s); skipping this check", what, install)
}

// Chromium returns the path of the chromium binary.
func Chromium(tb testing.TB) string {
	tb.Helper()
	p, err := exec.LookPath("chromium")
	if err != nil {
		missing(tb, "chromium", "apt-get install chromium")
	}
	return p
}

// Dir returns the directory of the Node harness, testdata/js.
func Dir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata", "js")
}

// Node checks that node, Chromium and the harness's npm packages are
// present and returns node's path.
func Node(tb testing.TB) string {
	tb.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		missing(tb, "node", "apt-get install nodejs")
	}
	Chromium(tb)
	for _, pkg := range []string{"mermaid", "ical.js", "puppeteer-core"} {
		if _, err := os.Stat(filepath.Join(Dir(), "node_modules", pkg, "package.json")); err != nil {
			missing(tb, "the npm package "+pkg, "cd testdata/js && npm ci")
		}
	}
	return node
}

// Run runs the harness script (a file of testdata/js) with args and returns
// its standard output; a non-zero exit fails the test with its standard
// error. It gives up after two minutes.
func Run(tb testing.TB, script string, args ...string) []byte {
	tb.Helper()
	node := Node(tb)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, append([]string{filepath.Join(Dir(), script)}, args...)...)
	cmd.Dir = Dir()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		tb.Fatalf("node %s %v: %v\n%s", script, args, err, stderr.String())
	}
	return stdout.Bytes()
}

// Screenshot renders the page or image at path in headless Chromium at the
// given window size and writes a PNG to png.
func Screenshot(tb testing.TB, path, png string, width, height int) {
	tb.Helper()
	browser := Chromium(tb)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	abs, err := filepath.Abs(path)
	if err != nil {
		tb.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
		"--user-data-dir="+tb.TempDir(), "--window-size="+itoa(width)+","+itoa(height),
		"--screenshot="+png, "file://"+abs)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		tb.Fatalf("chromium screenshot of %s: %v\n%s", path, err, stderr.String())
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
