package orgchart

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/internal/browsertest"
)

// pngSize reads the width and height from a PNG's header.
func pngSize(t *testing.T, png []byte) (int, int) {
	t.Helper()
	require.Greater(t, len(png), 24)
	require.Equal(t, []byte("\x89PNG\r\n\x1a\n"), png[:8], "a PNG image")
	return int(binary.BigEndian.Uint32(png[16:20])), int(binary.BigEndian.Uint32(png[20:24]))
}

// The charts of a 7-, a 40- and a 200-circle co-operative are rendered by
// headless Chromium in a window 1,600 px wide, the width the layout keeps
// to, and kept as test artefacts (go test -artifacts -outputdir DIR) to be
// looked at. With ORGCHART_DOCS=1 the screenshots are also copied to docs/
// (the 200-circle one at half size), where the package documentation
// points.
func TestChartsInChromium(t *testing.T) {
	browsertest.Chromium(t)
	for _, n := range []int{7, 40, 200} {
		t.Run(fmt.Sprintf("%d circles", n), func(t *testing.T) {
			dir := t.ArtifactDir()
			org := careOrg(n)
			opts := &Options{Marks: []Mark{}}
			if n == 7 {
				// One problem of each kind, so the legend shows them.
				ids := org.Circles()
				opts.Marks = []Mark{{Circle: ids[1], Kind: MarkCircle, Note: "no supported person or advocate among its members"}}
			}
			ch := build(org, opts)
			svg := filepath.Join(dir, fmt.Sprintf("orgchart-%d.svg", n))
			require.NoError(t, os.WriteFile(svg, SVG(org, opts), 0o644))
			shot := filepath.Join(dir, fmt.Sprintf("orgchart-%d.png", n))
			height := int(math.Ceil(ch.height))
			browsertest.Screenshot(t, svg, shot, targetWidth, height)
			png, err := os.ReadFile(shot)
			require.NoError(t, err)
			w, h := pngSize(t, png)
			assert.Equal(t, targetWidth, w)
			assert.Equal(t, height, h)
			assert.Greater(t, len(png), 20000, "a picture, not a blank page")
			if os.Getenv("ORGCHART_DOCS") != "" {
				out := filepath.Join("..", "docs", fmt.Sprintf("orgchart-%d.png", n))
				if n < 200 {
					require.NoError(t, os.WriteFile(out, png, 0o644))
					return
				}
				page := filepath.Join(dir, "half.html")
				require.NoError(t, os.WriteFile(page, []byte(`<!doctype html><body style="margin:0"><img src="`+filepath.Base(svg)+`" width="`+fmt.Sprint(targetWidth/2)+`"></body>`), 0o644))
				browsertest.Screenshot(t, page, out, targetWidth/2, height/2)
			}
		})
	}
}

// Chromium's own measure of every text of a chart must lie inside the box
// the layout estimated for it; otherwise the collision tests, which use the
// estimates, would prove nothing about what a reader sees.
func TestBrowserTextFitsTheLayoutsEstimates(t *testing.T) {
	browsertest.Node(t)
	org, _ := circletest.Generate(30, 5, 4)
	odd := []string{"Łucja Świątkowska-Żółtowska", "李小龍 and Zoë Ørsted", "WWWWWWWWWWWWWWWWWWWWWWWWW", "i", "Mmmm Wwww Mmmm Wwww Mmmm"}
	for i, l := range odd {
		p, _ := org.Person(circletest.Person(2 + i))
		circletest.Must(org.UpdatePerson(circletest.Person(1), circletest.T0, circle.PersonSpec{ID: p.ID(), Label: l, Class: p.Class()}))
	}
	for _, c := range []*circle.Organisation{org, careOrg(40)} {
		opts := &Options{Marks: []Mark{{Circle: c.Circles()[2], Kind: MarkLeader, Note: "leader is not a member of the parent circle"}}}
		ch := build(c, opts)
		path := filepath.Join(t.TempDir(), "chart.svg")
		require.NoError(t, os.WriteFile(path, SVG(c, opts), 0o644))
		var got struct {
			Fonts string
			Boxes []struct {
				Class, Text string
				X, Y, W, H  float64
			}
		}
		require.NoError(t, json.Unmarshal(browsertest.Run(t, "svgtext.mjs", path), &got))
		want := ch.drawnTexts()
		require.Len(t, got.Boxes, len(want))
		const slack = 1
		for i, b := range got.Boxes {
			e := want[i].box
			require.Equal(t, strings.Join(want[i].lines, ""), b.Text)
			if b.X < e.X-slack || b.Y < e.Y-slack || b.X+b.W > e.X+e.W+slack || b.Y+b.H > e.Y+e.H+slack {
				t.Errorf("%q (%s): drawn at %.1f,%.1f %.1f×%.1f, estimated %.1f,%.1f %.1f×%.1f", b.Text, b.Class, b.X, b.Y, b.W, b.H, e.X, e.Y, e.W, e.H)
			}
		}
	}
}
