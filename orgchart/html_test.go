package orgchart

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/internal/browsertest"
)

// The HTML page of a 200-circle chart, in headless Chromium: the chart is
// fitted to the window's width, and searching for a person highlights
// exactly the circles they link, reports how many, and scrolls the first
// into view. The screenshot is kept as a test artefact.
func TestHTMLPageFindsCirclesAndPeople(t *testing.T) {
	browsertest.Node(t)
	org := careOrg(200)
	ch := build(org, &Options{Marks: []Mark{}})
	const who = "kwame mensah"
	var want []string
	for _, n := range ch.nodes {
		s := strings.ToLower(n.c.Name() + " | " + strings.Join(n.lead.text, " ") + " | " + strings.Join(n.dele.text, " "))
		if strings.Contains(s, who) {
			want = append(want, n.c.ID().String())
		}
	}
	require.Greater(t, len(want), 1, "the person links several circles")
	dir := t.ArtifactDir()
	page := filepath.Join(dir, "chart.html")
	require.NoError(t, os.WriteFile(page, HTML(org, &Options{Marks: []Mark{}}), 0o644))
	var got struct {
		Status      string
		Hits        []string
		FirstInView bool
		Fitted      float64
		Errors      []string
	}
	require.NoError(t, json.Unmarshal(browsertest.Run(t, "page.mjs", page, "Kwame Mensah", filepath.Join(dir, "search.png")), &got))
	assert.Empty(t, got.Errors, "the page's script runs without errors")
	assert.Equal(t, want, got.Hits)
	assert.Equal(t, strconv.Itoa(len(want))+" circles match", got.Status)
	assert.True(t, got.FirstInView, "the first match is scrolled into view")
	assert.InDelta(t, ch.width, got.Fitted, 1, "the chart, narrower than the window, is shown at its own size")
}
