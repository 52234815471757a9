package orgchart

import (
	"encoding/json"
	"fmt"
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

type mermaidBox struct{ X, Y, W, H float64 }

func (b mermaidBox) rect() rect { return rect(b) }

// The Mermaid text is rendered by the real mermaid library in headless
// Chromium: it parses, every circle stands wholly above each of its
// children (so the top circle is at the top), every link label has its
// own node, and no two nodes or labels overlap. The renderings are kept as
// test artefacts.
func TestMermaidRendersTheRightWayUpWithoutCollisions(t *testing.T) {
	browsertest.Node(t)
	vacant, _ := circletest.Generate(12, 4, 4)
	circletest.Must(vacant.EndRole(circletest.Person(1), circletest.T0, circletest.Circle(3), circle.Leader))
	cases := []struct {
		name string
		org  *circle.Organisation
		opts *Options
	}{
		{"7 circles", careOrg(7), &Options{Marks: []Mark{}}},
		{"40 circles", careOrg(40), &Options{Marks: []Mark{}}},
		{"vacancy", vacant, &Options{Marks: []Mark{{Circle: circletest.Circle(3), Kind: MarkLeader, Note: "no leader"}, {Circle: circletest.Circle(5), Kind: MarkCircle, Note: "x"}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.ArtifactDir()
			text := Mermaid(tc.org, tc.opts)
			src := filepath.Join(dir, "chart.mmd")
			require.NoError(t, os.WriteFile(src, []byte(text), 0o644))
			var got struct {
				Error  string
				Nodes  map[string]mermaidBox
				Labels []struct {
					Text string
					mermaidBox
				}
			}
			require.NoError(t, json.Unmarshal(browsertest.Run(t, "mermaid.mjs", src, filepath.Join(dir, "chart.png")), &got))
			require.Empty(t, got.Error, "mermaid renders the text")
			ch := build(tc.org, tc.opts)
			ids := map[circle.CircleID]string{}
			for i, n := range ch.nodes {
				ids[n.c.ID()] = fmt.Sprintf("c%d", i+1)
			}
			require.Len(t, got.Nodes, len(ch.nodes)*3-2, "a node per circle and per link label")
			for _, n := range ch.nodes {
				p, ok := got.Nodes[ids[n.c.ID()]]
				require.True(t, ok, "circle %s is drawn", n.c.Name())
				for _, k := range n.kids {
					c := got.Nodes[ids[k.c.ID()]]
					assert.LessOrEqual(t, p.Y+p.H, c.Y, "%s stands above its child %s", n.c.Name(), k.c.Name())
					for _, role := range []string{"l", "d"} {
						l := got.Nodes[ids[k.c.ID()]+role]
						assert.True(t, p.Y+p.H <= l.Y && l.Y+l.H <= c.Y, "the %s label of %s lies between the circles", role, k.c.Name())
					}
				}
			}
			var boxes []rect
			var names []string
			for id, b := range got.Nodes {
				boxes, names = append(boxes, b.rect()), append(names, id)
			}
			for _, l := range got.Labels {
				boxes, names = append(boxes, l.rect()), append(names, "edge label "+l.Text)
			}
			for i := range boxes {
				for j := i + 1; j < len(boxes); j++ {
					assert.False(t, boxes[i].overlaps(boxes[j]), "%s overlaps %s", names[i], names[j])
				}
			}
		})
	}
}

func TestMermaidText(t *testing.T) {
	org, _ := circletest.Generate(5, 4, 4)
	circletest.Must(org.EndRole(circletest.Person(1), circletest.T0, circletest.Circle(3), circle.Leader))
	got := Mermaid(org, &Options{Marks: []Mark{{Circle: circletest.Circle(3), Kind: MarkLeader, Note: "no leader"}, {Circle: circletest.Circle(2), Kind: MarkCircle, Note: "x"}}})
	lines := strings.Split(strings.TrimSpace(got), "\n")
	assert.Equal(t, "flowchart TD", lines[0])
	assert.Contains(t, got, `c1("Mission circle")`)
	assert.Contains(t, got, `c3l["leader: vacant"]:::leaderbroken`)
	assert.Contains(t, got, `c1 -.- c3l -.- c3`, "from parent to child, dotted when vacant")
	assert.Contains(t, got, `c1 --- c2d --- c2`)
	assert.Contains(t, got, `c2 ~~~ c5l`, "the fourth child wraps below the first")
	assert.Contains(t, got, "linkStyle 15,16 stroke:#7a3e9d", "invisible links count in linkStyle numbers")
	assert.Contains(t, got, "class c2 problem")
	assert.Contains(t, got, "linkStyle 4,5 stroke:#c62828")
	assert.Equal(t, got, Mermaid(org, &Options{Marks: []Mark{{Circle: circletest.Circle(3), Kind: MarkLeader, Note: "no leader"}, {Circle: circletest.Circle(2), Kind: MarkCircle, Note: "x"}}}))
}
