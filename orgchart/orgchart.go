package orgchart

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"fmt"
	"slices"
	"strings"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/internal/enum"
)

// MarkKind says what a [Mark] points at.
type MarkKind uint8

// The kinds of mark.
const (
	MarkLeader   MarkKind = 1 + iota // the circle's leader link is broken
	MarkDelegate                     // the circle's delegate link is broken
	MarkCircle                       // the circle itself has a problem (coverage, end date, too few links)
)

var marks = enum.New[MarkKind]("MarkKind", "mark kind", nil, "leader", "delegate", "circle")

func (k MarkKind) String() string { return marks.Name(k) }

// Mark is one problem to draw in red: a broken link or a circle with a
// problem, with a short note for the legend.
type Mark struct {
	Circle circle.CircleID
	Kind   MarkKind
	Note   string
}

// Options tune a chart. A nil *Options gives the defaults.
type Options struct {
	Title string // drawn at the top; default: the organisation's name
	// Marks are the problems to draw in red. When Marks is nil the chart
	// knows no policy and draws every vacant link as broken; a non-nil slice
	// (from a linking report, say) is the whole truth, and a vacant link it
	// does not mark (a helping circle's delegate, say) is drawn dashed grey.
	Marks []Mark
}

// layout sizes, in SVG user units.
const (
	radius   = 46
	slot     = 190 // horizontal room for one leaf circle and its labels
	level    = 200 // vertical distance between generations
	margin   = 30
	titleH   = 40
	legendH  = 24 // per legend line
	maxLabel = 22 // characters of a name or person label before it is cut
)

type node struct {
	c        *circle.Circle
	x, y     float64
	children []*node
}

// chart is the laid-out organisation shared by the SVG and Mermaid writers.
type chart struct {
	org    *circle.Organisation
	policy bool // marks came from a policy check
	root   *node
	nodes  []*node // parents before children
	marks  map[circle.CircleID][]Mark
	title  string
	width  float64
	height float64
}

func build(org *circle.Organisation, opts *Options) *chart {
	if opts == nil {
		opts = &Options{}
	}
	ch := &chart{org: org, marks: map[circle.CircleID][]Mark{}, title: cmp.Or(opts.Title, org.Name()), policy: opts.Marks != nil}
	for _, m := range opts.Marks {
		ch.marks[m.Circle] = append(ch.marks[m.Circle], m)
	}
	var grow func(id circle.CircleID, depth int) *node
	grow = func(id circle.CircleID, depth int) *node {
		c, _ := org.Circle(id)
		n := &node{c: c, y: margin + titleH + radius + float64(depth)*level}
		ch.nodes = append(ch.nodes, n)
		kids := c.Children()
		slices.SortFunc(kids, func(a, b circle.CircleID) int {
			ca, _ := org.Circle(a)
			cb, _ := org.Circle(b)
			return cmp.Or(strings.Compare(ca.Name(), cb.Name()), a.Compare(b))
		})
		for _, k := range kids {
			n.children = append(n.children, grow(k, depth+1))
		}
		return n
	}
	ch.root = grow(org.Top(), 0)
	// Leaves take one slot each, left to right; a parent sits above the
	// middle of its children.
	next := float64(margin)
	var place func(n *node)
	place = func(n *node) {
		if len(n.children) == 0 {
			n.x = next + slot/2
			next += slot
			return
		}
		for _, k := range n.children {
			place(k)
		}
		n.x = (n.children[0].x + n.children[len(n.children)-1].x) / 2
	}
	place(ch.root)
	ch.width = next + margin
	deepest := 0.0
	for _, n := range ch.nodes {
		deepest = max(deepest, n.y)
	}
	ch.height = deepest + radius + margin + float64(4+ch.markCount())*legendH + margin
	return ch
}

func (ch *chart) markCount() int {
	n := 0
	for _, ms := range ch.marks {
		n += len(ms)
	}
	return n
}

func (ch *chart) marked(id circle.CircleID, kind MarkKind) bool {
	return slices.ContainsFunc(ch.marks[id], func(m Mark) bool { return m.Kind == kind })
}

// linkState is how a link is drawn.
type linkState int

const (
	linkHeld   linkState = iota
	linkVacant           // vacant and not required
	linkBroken           // vacant where required, or marked
)

func (s linkState) class() string {
	return [...]string{"", " vacant", " broken"}[s]
}

// linkLabel returns "leader: Ada" or "leader: vacant", and how to draw it.
func (ch *chart) linkLabel(c *circle.Circle, role circle.Role, kind MarkKind) (string, linkState) {
	a, held := c.Holder(role)
	switch {
	case !held && (!ch.policy || ch.marked(c.ID(), kind)):
		return role.String() + ": vacant", linkBroken
	case !held:
		return role.String() + ": none", linkVacant
	case ch.marked(c.ID(), kind):
		return role.String() + ": " + ch.personLabel(a.Holder), linkBroken
	}
	return role.String() + ": " + ch.personLabel(a.Holder), linkHeld
}

func (ch *chart) personLabel(id circle.PersonID) string {
	if p, ok := ch.org.Person(id); ok {
		return cut(p.Label())
	}
	return id.String()[:8]
}

// SVG draws the organisation as a standalone SVG document.
func SVG(org *circle.Organisation, opts *Options) []byte {
	ch := build(org, opts)
	var b bytes.Buffer
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	w(`<svg xmlns="http://www.w3.org/2000/svg" width="%g" height="%g" viewBox="0 0 %g %g" font-family="Helvetica, Arial, sans-serif">`+"\n",
		ch.width, ch.height, ch.width, ch.height)
	w(`<title>%s</title>`+"\n", esc(ch.title))
	w(`<style>.circle{fill:#f4f8fb;stroke:#2d5f7f;stroke-width:2}.circle.problem{stroke:#c62828;stroke-width:3}`)
	w(`.link{stroke:#2d5f7f;stroke-width:2}.link.broken{stroke:#c62828;stroke-dasharray:6 4}.link.vacant{stroke:#aab;stroke-dasharray:2 4}`)
	w(`.label{font-size:11px;fill:#1d3b4f;paint-order:stroke;stroke:white;stroke-width:3px}.label.broken{fill:#c62828}.label.vacant{fill:#889}.name{font-size:13px;font-weight:bold;fill:#1d3b4f}.kind{font-size:10px;fill:#557}</style>` + "\n")
	w(`<rect width="100%%" height="100%%" fill="white"/>` + "\n")
	w(`<text x="%d" y="%d" class="name" font-size="18">%s</text>`+"\n", margin, margin+8, esc(ch.title))

	// Links first, so circles are drawn over their ends.
	w(`<g id="links">` + "\n")
	for _, n := range ch.nodes {
		for _, k := range n.children {
			for i, link := range []struct {
				role circle.Role
				kind MarkKind
				dx   float64
			}{{circle.Leader, MarkLeader, -9}, {circle.Delegate, MarkDelegate, 9}} {
				label, state := ch.linkLabel(k.c, link.role, link.kind)
				x1, y1 := k.x+link.dx, k.y-radius+2
				x2, y2 := n.x+link.dx, n.y+radius-2
				w(`<line class="link%s" data-child="%s" data-role="%s" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`+"\n",
					state.class(), k.c.ID(), link.role, x1, y1, x2, y2)
				// The two labels stand above the child, leader first, where
				// the child's slot leaves them room.
				w(`<text class="label%s" x="%.1f" y="%.1f" text-anchor="middle">%s</text>`+"\n",
					state.class(), k.x, k.y-radius-30+float64(i)*14, esc(label))
			}
		}
	}
	w("</g>\n")

	w(`<g id="circles">` + "\n")
	for _, n := range ch.nodes {
		class := "circle"
		if ch.marked(n.c.ID(), MarkCircle) {
			class += " problem"
		}
		w(`<g data-circle="%s">`, n.c.ID())
		w(`<circle class="%s" cx="%.1f" cy="%.1f" r="%d"/>`, class, n.x, n.y, radius)
		lines := wrap(n.c.Name())
		for i, line := range lines {
			w(`<text class="name" x="%.1f" y="%.1f" text-anchor="middle">%s</text>`, n.x, n.y-4+float64(i*15)-float64(len(lines)-1)*7, esc(line))
		}
		w(`<text class="kind" x="%.1f" y="%.1f" text-anchor="middle">%s · %d</text>`, n.x, n.y+radius-12, n.c.Kind(), n.c.MemberCount())
		w("</g>\n")
	}
	w("</g>\n")

	// Legend.
	y := ch.height - margin - float64(3+ch.markCount())*legendH
	w(`<g id="legend">` + "\n")
	w(`<line class="link" x1="%d" y1="%.1f" x2="%d" y2="%.1f"/><text class="label" x="%d" y="%.1f">link held (the leader's line on the left, the delegate's on the right)</text>`+"\n", margin, y, margin+40, y, margin+50, y+4)
	y += legendH
	w(`<line class="link broken" x1="%d" y1="%.1f" x2="%d" y2="%.1f"/><text class="label broken" x="%d" y="%.1f">link vacant or broken where it is required</text>`+"\n", margin, y, margin+40, y, margin+50, y+4)
	y += legendH
	if ch.policy {
		w(`<line class="link vacant" x1="%d" y1="%.1f" x2="%d" y2="%.1f"/><text class="label vacant" x="%d" y="%.1f">link vacant, not required (a helping circle's delegate)</text>`+"\n", margin, y, margin+40, y, margin+50, y+4)
		y += legendH
	}
	w(`<circle class="circle problem" cx="%d" cy="%.1f" r="8"/><text class="label broken" x="%d" y="%.1f">circle with a problem (the circle's number is its members)</text>`+"\n", margin+20, y, margin+50, y+4)
	for _, m := range ch.sortedMarks() {
		y += legendH
		c, _ := org.Circle(m.Circle)
		w(`<text class="label broken" data-mark="%s" x="%d" y="%.1f">%s: %s</text>`+"\n", m.Kind, margin+50, y+4, esc(c.Name()), esc(m.Note))
	}
	w("</g>\n</svg>\n")
	return b.Bytes()
}

func (ch *chart) sortedMarks() []Mark {
	var out []Mark
	for _, n := range ch.nodes { // in drawing order
		out = append(out, ch.marks[n.c.ID()]...)
	}
	return out
}

// Mermaid writes the organisation as a Mermaid flowchart: one node per
// circle, two labelled edges per child, broken links dotted and red.
func Mermaid(org *circle.Organisation, opts *Options) string {
	ch := build(org, opts)
	ids := map[circle.CircleID]string{}
	for i, n := range ch.nodes {
		ids[n.c.ID()] = fmt.Sprintf("c%d", i+1)
	}
	var b strings.Builder
	b.WriteString("flowchart TD\n")
	for _, n := range ch.nodes {
		fmt.Fprintf(&b, "  %s((\"%s\"))\n", ids[n.c.ID()], mermaidText(n.c.Name()))
	}
	edge := 0
	var broken []int
	for _, n := range ch.nodes {
		for _, k := range n.children {
			for _, link := range []struct {
				role circle.Role
				kind MarkKind
			}{{circle.Leader, MarkLeader}, {circle.Delegate, MarkDelegate}} {
				label, state := ch.linkLabel(k.c, link.role, link.kind)
				arrow := "---"
				if state != linkHeld {
					arrow = "-.-"
				}
				if state == linkBroken {
					broken = append(broken, edge)
				}
				fmt.Fprintf(&b, "  %s %s|\"%s\"| %s\n", ids[k.c.ID()], arrow, mermaidText(label), ids[n.c.ID()])
				edge++
			}
		}
	}
	b.WriteString("  classDef problem stroke:#c62828,stroke-width:3px\n")
	for _, n := range ch.nodes {
		if ch.marked(n.c.ID(), MarkCircle) {
			fmt.Fprintf(&b, "  class %s problem\n", ids[n.c.ID()])
		}
	}
	for _, e := range broken {
		fmt.Fprintf(&b, "  linkStyle %d stroke:#c62828\n", e)
	}
	return b.String()
}

func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// mermaidText keeps a label inside Mermaid's quoted strings.
func mermaidText(s string) string {
	return strings.NewReplacer(`"`, "#quot;", "\n", " ", "|", "#124;").Replace(s)
}

func cut(s string) string {
	r := []rune(s)
	if len(r) <= maxLabel {
		return s
	}
	return string(r[:maxLabel-1]) + "…"
}

// wrap splits a circle's name over at most two lines of about 14 characters.
func wrap(name string) []string {
	name = cut(name)
	if len([]rune(name)) <= 14 {
		return []string{name}
	}
	words := strings.Fields(name)
	var first string
	for len(words) > 0 && len([]rune(first))+len([]rune(words[0])) < 14 {
		first = strings.TrimSpace(first + " " + words[0])
		words = words[1:]
	}
	if first == "" {
		return []string{name}
	}
	return []string{first, strings.Join(words, " ")}
}
