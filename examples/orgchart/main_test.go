package main

import (
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/internal/browsertest"
)

func TestRunWritesAWellFormedChartOfTheCooperative(t *testing.T) {
	path := filepath.Join(t.TempDir(), "chart.svg")
	var out bytes.Buffer
	require.NoError(t, run(&out, path, true))
	assert.Contains(t, out.String(), "wrote the org chart of Riverside Care Co-operative (7 circles)")
	assert.Contains(t, out.String(), "flowchart TD")

	doc, err := os.ReadFile(path)
	require.NoError(t, err)
	circles, links, broken := 0, 0, 0
	dec := xml.NewDecoder(bytes.NewReader(doc))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err, "valid XML")
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		attrs := map[string]string{}
		for _, a := range se.Attr {
			attrs[a.Name.Local] = a.Value
		}
		switch {
		case se.Name.Local == "rect" && strings.HasPrefix(attrs["class"], "box") && attrs["width"] == "236" && attrs["height"] != "16.0":
			circles++
		case se.Name.Local == "line" && attrs["data-child"] != "":
			links++
			if strings.Contains(attrs["class"], "broken") {
				broken++
			}
		}
	}
	assert.Equal(t, 7, circles, "one shape per circle")
	assert.Equal(t, 12, links, "two link lines per child circle")
	assert.Equal(t, 1, broken, "Care team North has no delegate; the helping circle needs none")
	assert.Contains(t, out.String(), "Care team North", "the report names the circle without a delegate")
}

// TestChartRendersInABrowser opens the SVG in headless Chromium and takes a
// screenshot, to confirm a real renderer draws it.
func TestChartRendersInABrowser(t *testing.T) {
	dir := t.ArtifactDir()
	svg := filepath.Join(dir, "chart.svg")
	require.NoError(t, run(io.Discard, svg, false))
	shot := filepath.Join(dir, "chart.png")
	browsertest.Screenshot(t, svg, shot, 1600, 900)
	png, err := os.ReadFile(shot)
	require.NoError(t, err, "the screenshot exists")
	require.Greater(t, len(png), 1000)
	assert.Equal(t, []byte("\x89PNG\r\n\x1a\n"), png[:8], "a PNG image")
	if keep := os.Getenv("ORGCHART_SCREENSHOT"); keep != "" {
		require.NoError(t, os.WriteFile(keep, png, 0o644))
	}
}

// The README embeds docs/carecoop.svg; it must be what this program draws.
func TestTheREADMEPictureIsUpToDate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "chart.svg")
	require.NoError(t, run(io.Discard, path, false))
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	got, err := os.ReadFile("../../docs/carecoop.svg")
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got), "regenerate it: go run ./examples/orgchart -o docs/carecoop.svg")
}
