package orgchart

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"fmt"
	"slices"
	"strconv"
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

// chart is the laid-out organisation: every box, line and label with its
// position, shared by the SVG writer and the tests of the geometry.
type chart struct {
	org    *circle.Organisation
	policy bool // marks came from a policy check
	root   *node
	nodes  []*node // parents before children
	marks  map[circle.CircleID][]Mark
	title  string
	width  float64
	height float64

	lines  []seg
	labels []label // link labels
	texts  []label // the title and the legend's text
	legend rect
	swatch []rect // the legend's sample box, if any
}

func build(org *circle.Organisation, opts *Options) *chart {
	if opts == nil {
		opts = &Options{}
	}
	ch := &chart{org: org, marks: map[circle.CircleID][]Mark{}, title: cmp.Or(opts.Title, org.Name()), policy: opts.Marks != nil}
	for _, m := range opts.Marks {
		if _, ok := org.Circle(m.Circle); ok {
			ch.marks[m.Circle] = append(ch.marks[m.Circle], m)
		}
	}
	ch.root = ch.grow(org.Top())
	top := float64(margin + headerH)
	legend := ch.legendItems()
	ch.root.head = legend.h
	ch.root.measure(targetWidth - 2*margin)
	ch.place(ch.root, margin, top)
	lx := margin + cardW + 40.0
	ch.layLegend(legend, lx, top)
	ch.width = max(margin+ch.root.w, lx+legendW) + margin
	ch.height = max(top+ch.root.h, ch.legend.Y+ch.legend.H) + margin
	ch.texts = append(ch.texts,
		newLabel(margin, margin+ascent*titleSize, []string{ch.title}, titleSize, titleSize, true, "title"),
		newLabel(margin, margin+ascent*titleSize+22, []string{plural(org.CircleCount(), "circle") + ", each joined to its parent circle by two links: its leader and its delegate"}, infoSize, infoLH, false, "subtitle"))
	return ch
}

// box is the rectangle of a circle's box.
func (n *node) box() rect { return rect{n.x, n.y, cardW, n.cardH} }

// texts are the name and info lines inside a circle's box.
func (n *node) texts() []label {
	name := newLabel(n.x+cardPad, n.y+8+ascent*nameSize, n.name, nameSize, nameLH, true, "name")
	info := newLabel(n.x+cardPad, n.y+8+float64(len(n.name))*nameLH+ascent*infoSize, []string{n.info}, infoSize, infoLH, false, "info")
	return []label{name, info}
}

type legendEntry struct {
	line  *seg // a sample line, or nil
	box   string
	text  string
	class string
	attrs string
	bold  bool
}

type legendPlan struct {
	entries []legendEntry
	wrapped [][]string
	h       float64
}

// legendItems lists what the legend explains: only what the chart shows.
func (ch *chart) legendItems() legendPlan {
	shown := map[[2]int]bool{} // role, state
	var walk func(n *node)
	walk = func(n *node) {
		for _, k := range n.kids {
			shown[[2]int{int(circle.RoleLeader), int(k.lead.state)}] = true
			shown[[2]int{int(circle.RoleDelegate), int(k.dele.state)}] = true
			walk(k)
		}
	}
	walk(ch.root)
	var es []legendEntry
	es = append(es, legendEntry{text: "Key", class: "legend head", bold: true},
		legendEntry{text: "Each box is a circle: its name, its kind and how many members it has.", class: "legend"})
	if shown[[2]int{int(circle.RoleLeader), int(linkHeld)}] {
		es = append(es, legendEntry{line: &seg{kind: sample, role: circle.RoleLeader}, text: "the leader's link (chosen by the parent circle), with the leader's name", class: "legend"})
	}
	if shown[[2]int{int(circle.RoleDelegate), int(linkHeld)}] {
		es = append(es, legendEntry{line: &seg{kind: sample, role: circle.RoleDelegate}, text: "the delegate's link (chosen by the circle itself), with the delegate's name", class: "legend"})
	}
	if shown[[2]int{int(circle.RoleLeader), int(linkVacant)}] || shown[[2]int{int(circle.RoleDelegate), int(linkVacant)}] {
		es = append(es, legendEntry{line: &seg{kind: sample, role: circle.RoleDelegate, state: linkVacant}, text: "a link left vacant where none is required (a helping circle's delegate)", class: "legend"})
	}
	if shown[[2]int{int(circle.RoleLeader), int(linkBroken)}] || shown[[2]int{int(circle.RoleDelegate), int(linkBroken)}] {
		es = append(es, legendEntry{line: &seg{kind: sample, role: circle.RoleLeader, state: linkBroken}, text: "a link vacant or broken where it is required", class: "legend broken"})
	}
	marks := ch.sortedMarks()
	if slices.ContainsFunc(marks, func(m Mark) bool { return m.Kind == MarkCircle }) {
		es = append(es, legendEntry{box: "problem", text: "a circle with a problem", class: "legend broken"})
	}
	if len(marks) > 0 {
		es = append(es, legendEntry{text: "Problems found", class: "legend head broken", bold: true})
		for _, m := range marks {
			c, _ := ch.org.Circle(m.Circle)
			es = append(es, legendEntry{text: c.Name() + ": " + m.Note, class: "legend broken", attrs: ` data-mark="` + m.Kind.String() + `"`})
		}
	}
	p := legendPlan{entries: es}
	p.h = 10
	for _, e := range es {
		w := float64(legendW - 20)
		if e.line != nil || e.box != "" {
			w -= 52
		}
		lines := wrapText(e.text, w, legendSz, e.bold)
		p.wrapped = append(p.wrapped, lines)
		p.h += float64(len(lines))*legendLH + 6
	}
	p.h += 4
	return p
}

func (ch *chart) layLegend(p legendPlan, x, y float64) {
	ch.legend = rect{x, y, legendW, p.h}
	cy := y + 10
	for i, e := range p.entries {
		tx := x + 10
		lines := p.wrapped[i]
		if e.line != nil || e.box != "" {
			mid := cy + (ascent*legendSz)/2 + 2
			if e.line != nil {
				s := *e.line
				s.x1, s.y1, s.x2, s.y2 = tx, mid, tx+40, mid
				ch.lines = append(ch.lines, s)
			} else {
				ch.swatch = append(ch.swatch, rect{tx + 6, mid - 8, 28, 16})
			}
			tx += 52
		}
		l := newLabel(tx, cy+ascent*legendSz, lines, legendSz, legendLH, e.bold, e.class)
		l.attrs = e.attrs
		ch.texts = append(ch.texts, l)
		cy += float64(len(lines))*legendLH + 6
	}
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
		return p.Label()
	}
	return id.String()[:8]
}

// Colours: the leader's and the delegate's lines differ in hue (blue and
// purple) and the label on each line names its role, so neither colour
// vision nor the colours alone are needed to tell them apart.
const style = `.box{fill:#f4f8fb;stroke:#2d5f7f;stroke-width:1.5}.box.problem{fill:#fff5f5;stroke:#c62828;stroke-width:3}` +
	`.link{fill:none;stroke-width:2}.link.leader{stroke:#1f5f99}.link.delegate{stroke:#7a3e9d}` +
	`.link.broken{stroke:#c62828;stroke-dasharray:6 4}.link.vacant{stroke:#8a8fa3;stroke-dasharray:2 4}.casing{fill:none;stroke:#fff;stroke-width:6}` +
	`.label{font-size:12px}.label.leader{fill:#1f5f99}.label.delegate{fill:#7a3e9d}.label.broken{fill:#c62828}.label.vacant{fill:#6b7085}` +
	`.name{font-size:14px;font-weight:bold;fill:#1d3b4f}.info{font-size:12px;fill:#4a5a68}.subtitle{font-size:12px;fill:#4a5a68}.title{font-size:20px;font-weight:bold;fill:#1d3b4f}` +
	`.legend{font-size:13px;fill:#1d3b4f}.legend.head{font-weight:bold}.legend.broken{fill:#c62828}.key{fill:#fbfcfd;stroke:#c5d0da}`

// SVG draws the organisation as a standalone SVG document.
func SVG(org *circle.Organisation, opts *Options) []byte {
	ch := build(org, opts)
	var b bytes.Buffer
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	w(`<svg xmlns="http://www.w3.org/2000/svg" width="%g" height="%g" viewBox="0 0 %g %g" font-family="Helvetica, Arial, 'Liberation Sans', sans-serif">`+"\n",
		ch.width, ch.height, ch.width, ch.height)
	w(`<title>%s</title>`+"\n", esc(ch.title))
	w("<style>%s</style>\n", style)
	w(`<rect width="100%%" height="100%%" fill="white"/>` + "\n")

	// Trunks first, then each child's own branches over them, each on a
	// white casing so that a crossing reads as a bridge, not a junction.
	w(`<g id="links">` + "\n")
	for _, pass := range []lineKind{spine, bus, branch} {
		for _, s := range ch.lines {
			if s.kind != pass {
				continue
			}
			if s.kind != spine {
				w(`<line class="casing" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, s.x1, s.y1, s.x2, s.y2)
			}
			data := ""
			if s.kind == branch {
				data = fmt.Sprintf(` data-child="%s" data-role="%s"`, s.child, roleName(s.role))
			}
			w(`<line class="link %s%s"%s x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`+"\n", roleName(s.role), s.state.class(), data, s.x1, s.y1, s.x2, s.y2)
		}
	}
	w("</g>\n")

	texts := ch.drawnTexts()
	w(`<g id="circles">` + "\n")
	for i, n := range ch.nodes {
		class := "box"
		if ch.marked(n.c.ID(), MarkCircle) {
			class += " problem"
		}
		search := strings.ToLower(n.c.Name() + " | " + strings.Join(n.lead.text, " ") + " | " + strings.Join(n.dele.text, " "))
		w(`<g data-circle="%s" data-search="%s"><rect class="%s" x="%.1f" y="%.1f" width="%d" height="%.1f" rx="10"/>`, n.c.ID(), escAttr(search), class, n.x, n.y, cardW, n.cardH)
		writeLabel(&b, texts[2*i])
		writeLabel(&b, texts[2*i+1])
		w("</g>\n")
	}
	w("</g>\n")
	texts = texts[2*len(ch.nodes):]
	w(`<g id="link-labels">` + "\n")
	for _, l := range texts[:len(ch.labels)] {
		writeLabel(&b, l)
	}
	w("</g>\n")
	texts = texts[len(ch.labels):]

	w(`<g id="legend">` + "\n")
	w(`<rect class="key" x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="6"/>`+"\n", ch.legend.X, ch.legend.Y, ch.legend.W, ch.legend.H)
	for _, s := range ch.lines {
		if s.kind == sample {
			w(`<line class="link %s%s" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`+"\n", roleName(s.role), s.state.class(), s.x1, s.y1, s.x2, s.y2)
		}
	}
	for _, r := range ch.swatch {
		w(`<rect class="box problem" x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="4"/>`+"\n", r.X, r.Y, r.W, r.H)
	}
	w("</g>\n")
	for _, t := range texts {
		writeLabel(&b, t)
	}
	w("</svg>\n")
	return b.Bytes()
}

// drawnTexts returns every text of the chart in the order the SVG holds
// them: each circle's name and info, the link labels, then the title and
// the legend.
func (ch *chart) drawnTexts() []label {
	var out []label
	for _, n := range ch.nodes {
		out = append(out, n.texts()...)
	}
	out = append(out, ch.labels...)
	return append(out, ch.texts...)
}

func roleName(r circle.RoleKind) string {
	if r == circle.RoleDelegate {
		return "delegate"
	}
	return "leader"
}

func writeLabel(b *bytes.Buffer, l label) {
	fmt.Fprintf(b, `<text class="%s"%s x="%.1f" y="%.1f">`, l.class, l.attrs, l.x, l.y)
	for i, line := range l.lines {
		if i == 0 {
			fmt.Fprintf(b, "<tspan>%s</tspan>", esc(line))
		} else {
			fmt.Fprintf(b, `<tspan x="%.1f" dy="%g">%s</tspan>`, l.x, l.lh, esc(line))
		}
	}
	b.WriteString("</text>\n")
}

func (ch *chart) sortedMarks() []Mark {
	var out []Mark
	var walk func(n *node)
	walk = func(n *node) { // in drawing order
		out = append(out, ch.marks[n.c.ID()]...)
		for _, k := range n.kids {
			walk(k)
		}
	}
	walk(ch.root)
	return out
}

// mermaidRow is how many children of a circle Mermaid draws side by side;
// more wrap into further rows.
const mermaidRow = 3

// Mermaid writes the organisation as a Mermaid flowchart from the top
// circle down. Each circle is a rounded box; each of a child's two links is
// a line from the parent through a small node holding its label ("leader:
// Ada Okafor") to the child, so the two lines stay apart and Mermaid's
// layout gives every label its own place. Broken links are dotted and red,
// allowed vacancies dotted grey, circles with a problem outlined in red.
func Mermaid(org *circle.Organisation, opts *Options) string {
	ch := build(org, opts)
	ids := map[circle.CircleID]string{}
	for i, n := range ch.nodes {
		ids[n.c.ID()] = "c" + strconv.Itoa(i+1)
	}
	var b strings.Builder
	b.WriteString("flowchart TD\n")
	for _, n := range ch.nodes {
		fmt.Fprintf(&b, "  %s(\"%s\")\n", ids[n.c.ID()], mermaidText(strings.Join(n.name, " ")))
	}
	edge := 0
	var styles []string
	for _, n := range ch.nodes {
		for i, k := range n.kids {
			for r, l := range []link{k.lead, k.dele} {
				role := []string{"leader", "delegate"}[r]
				mid := ids[k.c.ID()] + role[:1]
				fmt.Fprintf(&b, "  %s[\"%s\"]:::%s%s\n", mid, mermaidText(strings.Join(l.text, " ")), role, strings.ReplaceAll(l.state.class(), " ", ""))
				arrow := "---"
				if l.state != linkHeld {
					arrow = "-.-"
				}
				fmt.Fprintf(&b, "  %s %s %s %s %s\n", ids[n.c.ID()], arrow, mid, arrow, ids[k.c.ID()])
				if i >= mermaidRow {
					// An invisible link puts this child a row below the one
					// mermaidRow places before it: wide levels wrap.
					fmt.Fprintf(&b, "  %s ~~~ %s\n", ids[n.kids[i-mermaidRow].c.ID()], mid)
				}
				colour := []string{"#1f5f99", "#7a3e9d"}[r]
				switch l.state {
				case linkBroken:
					colour = "#c62828"
				case linkVacant:
					colour = "#8a8fa3"
				}
				styles = append(styles, fmt.Sprintf("  linkStyle %d,%d stroke:%s,stroke-width:2px\n", edge, edge+1, colour))
				edge += 2
				if i >= mermaidRow {
					edge++
				}
			}
		}
	}
	b.WriteString("  classDef leader fill:#ffffff,stroke:none,color:#1f5f99\n")
	b.WriteString("  classDef delegate fill:#ffffff,stroke:none,color:#7a3e9d\n")
	b.WriteString("  classDef leaderbroken fill:#ffffff,stroke:none,color:#c62828\n")
	b.WriteString("  classDef delegatebroken fill:#ffffff,stroke:none,color:#c62828\n")
	b.WriteString("  classDef leadervacant fill:#ffffff,stroke:none,color:#6b7085\n")
	b.WriteString("  classDef delegatevacant fill:#ffffff,stroke:none,color:#6b7085\n")
	b.WriteString("  classDef problem stroke:#c62828,stroke-width:3px\n")
	for _, n := range ch.nodes {
		if ch.marked(n.c.ID(), MarkCircle) {
			fmt.Fprintf(&b, "  class %s problem\n", ids[n.c.ID()])
		}
	}
	for _, s := range styles {
		b.WriteString(s)
	}
	return b.String()
}

// escAttr escapes s for a double-quoted attribute value.
func escAttr(s string) string { return strings.ReplaceAll(esc(s), `"`, "&#34;") }

func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// mermaidText keeps a label inside Mermaid's quoted strings.
func mermaidText(s string) string {
	return strings.NewReplacer(`"`, "#quot;", "\n", " ", "|", "#124;").Replace(s)
}
