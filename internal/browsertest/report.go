package browsertest

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
	"time"
)

// AxeResult is what the accessibility checker (axe-core, testdata/js/axe.mjs)
// found on a page, at a desktop and a phone width.
type AxeResult struct {
	Violations []AxeViolation `json:"violations"`
	Passes     int            `json:"passes"` // rules passed, both widths together
	Errors     []string       `json:"errors"` // script errors on the page
}

// AxeViolation is one rule a page breaks.
type AxeViolation struct {
	Width  int      `json:"width"`
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// Axe runs axe-core's WCAG 2.2 A and AA rules on the HTML page at path in
// headless Chromium.
func Axe(tb testing.TB, path string) AxeResult {
	tb.Helper()
	Node(tb)
	if _, err := os.Stat(filepath.Join(Dir(), "node_modules", "axe-core", "package.json")); err != nil {
		missing(tb, "the npm package axe-core", "cd testdata/js && npm ci")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		tb.Fatal(err)
	}
	var res AxeResult
	if err := json.Unmarshal(Run(tb, "axe.mjs", abs), &res); err != nil {
		tb.Fatalf("axe.mjs: %v", err)
	}
	return res
}

// PrintPDF prints the HTML page at path to a PDF file at pdf through
// headless Chromium, without the browser's own header and footer.
func PrintPDF(tb testing.TB, path, pdf string) {
	tb.Helper()
	browser := Chromium(tb)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	abs, err := filepath.Abs(path)
	if err != nil {
		tb.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+tb.TempDir(), "--no-pdf-header-footer", "--print-to-pdf="+pdf, "file://"+abs)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		tb.Fatalf("chromium print of %s: %v\n%s", path, err, stderr.String())
	}
}

// PDFPages renders every page of the PDF file at pdf to a PNG (pdftoppm,
// at dpi dots per inch) in dir and returns their paths in page order.
func PDFPages(tb testing.TB, pdf, dir string, dpi int) []string {
	tb.Helper()
	tool, err := exec.LookPath("pdftoppm")
	if err != nil {
		missing(tb, "pdftoppm", "apt-get install poppler-utils")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, tool, "-r", itoa(dpi), "-png", pdf, filepath.Join(dir, "page"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		tb.Fatalf("pdftoppm %s: %v\n%s", pdf, err, stderr.String())
	}
	pages, err := filepath.Glob(filepath.Join(dir, "page-*.png"))
	if err != nil {
		tb.Fatal(err)
	}
	sort.Slice(pages, func(i, j int) bool {
		if len(pages[i]) != len(pages[j]) {
			return len(pages[i]) < len(pages[j])
		}
		return pages[i] < pages[j]
	})
	return pages
}
