package orgchart

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/coproduce/sociocracy/circle"
)

// Sizes, in SVG user units (pixels when the chart is drawn at its own size).
const (
	targetWidth = 1600 // the layout keeps the chart this wide or narrower when the depth allows

	margin    = 24
	headerH   = 60 // the title and subtitle above the top circle
	titleSize = 20
	cardW     = 236 // a circle's box
	cardPad   = 12
	nameSize  = 14 // a circle's name, bold
	nameLH    = 17
	infoSize  = 12 // kind and member count
	infoLH    = 15
	labelSize = 12 // the person on a link line
	labelLH   = 15
	legendSz  = 13
	legendLH  = 17
	legendW   = 380

	indent    = 204 // from a column's left edge to its circles' boxes: the room for link labels
	spineL    = 14  // the leader spine's distance from the column's left edge
	spineD    = 26  // the delegate spine's
	labelX    = 34  // where link labels start, from the column's left edge
	labelMaxW = indent - labelX - 8
	branchGap = 6 // each branch lies this far above (leader) or below (delegate) the box's middle
	kidGap    = 12
	colGap    = 36
	busTop    = 14 // the leader bus, below the parent's box
	busStep   = 12 // the delegate bus, below the leader bus
	colTop    = 40 // multi-column children start this far below the parent's box
	lineW     = 2
)

type rect struct{ X, Y, W, H float64 }

func (r rect) overlaps(o rect) bool {
	return r.X < o.X+o.W && o.X < r.X+r.W && r.Y < o.Y+o.H && o.Y < r.Y+r.H
}

// lineKind is what a drawn line is.
type lineKind uint8

const (
	spine  lineKind = iota // a column's vertical trunk for one role, shared by the circles of the column
	bus                    // a horizontal trunk from a parent to its columns
	branch                 // from a spine to one child's box: the child's own link
	sample                 // a legend sample
)

// seg is one straight line of the picture, horizontal or vertical.
type seg struct {
	x1, y1, x2, y2 float64
	kind           lineKind
	role           circle.RoleKind // leader or delegate
	state          linkState
	child          circle.CircleID // branch only
}

func (s seg) box() rect {
	x, y := min(s.x1, s.x2), min(s.y1, s.y2)
	return rect{x - lineW/2, y - lineW/2, max(s.x1, s.x2) - x + lineW, max(s.y1, s.y2) - y + lineW}
}

// label is a block of text lines, left aligned, with its estimated box.
type label struct {
	x, y  float64 // the first line's baseline start
	lines []string
	size  float64
	lh    float64
	class string
	attrs string // extra SVG attributes, already escaped
	box   rect
}

func newLabel(x, firstBaseline float64, lines []string, size, lh float64, bold bool, class string) label {
	w := 0.0
	for _, l := range lines {
		w = max(w, textWidth(l, size, bold))
	}
	top := firstBaseline - ascent*size
	h := float64(len(lines)-1)*lh + (ascent+descent)*size
	return label{x: x, y: firstBaseline, lines: lines, size: size, lh: lh, class: class, box: rect{x, top, w, h}}
}

// link is one of a child's two links to its parent, as drawn.
type link struct {
	text  []string // the label, wrapped
	state linkState
}

type node struct {
	c     *circle.Circle
	kids  []*node
	name  []string // wrapped
	info  string
	lead  link // this circle's links to its parent
	dele  link
	cardH float64

	// Set by measure, relative to the top left corner of this node's box.
	w, h   float64 // the block: the box and everything below it
	kx, ky []float64
	cols   []column
	head   float64 // the root only: room beside its box (for the legend) before its children start

	// Set by place: the box in chart coordinates.
	x, y float64
}

type column struct {
	x          float64
	first, end int // kids[first:end]
}

func (n *node) measureCard() {
	n.name = wrapText(n.c.Name(), cardW-2*cardPad, nameSize, true)
	n.cardH = 8 + float64(len(n.name))*nameLH + infoLH + 8
}

// yLead and yDele are the heights, from the top of a box, at which the
// circle's leader and delegate lines meet it.
func (n *node) yLead() float64 { return n.cardH/2 - branchGap }
func (n *node) yDele() float64 { return n.cardH/2 + branchGap }

// labelAbove is how far the leader label reaches above the box's top (0 if
// it stays below it); labelBelow is where the delegate label ends, from the
// box's top.
func (n *node) labelAbove() float64 {
	top := n.yLead() - 5 - float64(len(n.lead.text)-1)*labelLH - ascent*labelSize
	return max(0, -top)
}

func (n *node) labelBelow() float64 {
	return n.yDele() + 4 + float64(len(n.dele.text)-1)*labelLH + (ascent+descent)*labelSize
}

// measure lays out n's block within width avail: its children stacked in
// columns below and to the right of its box, as many columns as fit and
// shorten the block.
func (n *node) measure(avail float64) {
	n.w, n.h = cardW, n.cardH
	if len(n.kids) == 0 {
		return
	}
	type item struct{ w, h, top float64 }
	items := make([]item, len(n.kids))
	total := 0.0
	for i, k := range n.kids {
		k.measure(avail - indent)
		above := k.labelAbove()
		items[i] = item{w: indent + k.w, h: above + max(k.h, k.labelBelow()), top: above}
		total += items[i].h
	}
	// split packs the items into columns no taller than limit, in order.
	split := func(limit float64) []column {
		var cols []column
		start, hgt := 0, 0.0
		for i, it := range items {
			if i > start && hgt+kidGap+it.h > limit {
				cols = append(cols, column{first: start, end: i})
				start, hgt = i, 0
			}
			if i > start {
				hgt += kidGap
			}
			hgt += it.h
		}
		return append(cols, column{first: start, end: len(items)})
	}
	size := func(cols []column) (w, h float64) {
		for j, c := range cols {
			cw, ch := 0.0, 0.0
			for i := c.first; i < c.end; i++ {
				cw = max(cw, items[i].w)
				ch += items[i].h
			}
			ch += float64(c.end-c.first-1) * kidGap
			if j > 0 {
				w += colGap
			}
			w, h = w+cw, max(h, ch)
		}
		return w, h
	}
	best := split(total + float64(len(items))*kidGap)
	_, bestH := size(best)
	if len(items) > 1 {
		tallest := slices.MaxFunc(items, func(a, b item) int { return cmp.Compare(a.h, b.h) }).h
		for k := 2; k <= len(items); k++ {
			limit := max(tallest, (total+float64(len(items)-k)*kidGap)/float64(k))
			cols := split(limit)
			for len(cols) > k { // raise the limit until k columns suffice
				limit += 8
				cols = split(limit)
			}
			w, h := size(cols)
			if w > avail {
				break
			}
			if h < bestH-1 {
				best, bestH = cols, h
			}
		}
	}
	n.cols = best
	top := max(n.cardH, n.head) + 14
	if len(best) > 1 {
		top = max(n.cardH, n.head) + colTop
	}
	n.kx, n.ky = make([]float64, len(n.kids)), make([]float64, len(n.kids))
	x := 0.0
	for j := range n.cols {
		c := &n.cols[j]
		c.x = x
		y, cw := top, 0.0
		for i := c.first; i < c.end; i++ {
			n.kx[i], n.ky[i] = x+indent, y+items[i].top
			y += items[i].h + kidGap
			cw = max(cw, items[i].w)
		}
		n.h = max(n.h, y-kidGap)
		x += cw + colGap
	}
	n.w = max(n.w, x-colGap)
}

// place puts n's box at (x, y) and appends its lines and labels.
func (ch *chart) place(n *node, x, y float64) {
	n.x, n.y = x, y
	ch.nodes = append(ch.nodes, n)
	if len(n.kids) == 0 {
		return
	}
	bottom := y + n.cardH
	role := []circle.RoleKind{circle.RoleLeader, circle.RoleDelegate}
	off := []float64{spineL, spineD}
	starts := []float64{bottom, bottom}
	if len(n.cols) > 1 {
		last := n.cols[len(n.cols)-1].x
		for r := range 2 {
			by := bottom - n.cardH + max(n.cardH, n.head) + busTop + float64(r)*busStep
			ch.lines = append(ch.lines,
				seg{x1: x + off[r], y1: bottom, x2: x + off[r], y2: by, kind: spine, role: role[r]},
				seg{x1: x + off[r], y1: by, x2: x + last + off[r], y2: by, kind: bus, role: role[r]})
			starts[r] = by
		}
	}
	for _, c := range n.cols {
		for i := c.first; i < c.end; i++ {
			k := n.kids[i]
			ch.place(k, x+n.kx[i], y+n.ky[i])
		}
		lastKid := n.kids[c.end-1]
		ys := []float64{lastKid.y + lastKid.yLead(), lastKid.y + lastKid.yDele()}
		for r := range 2 {
			start := starts[r]
			ch.lines = append(ch.lines, seg{x1: x + c.x + off[r], y1: start, x2: x + c.x + off[r], y2: ys[r], kind: spine, role: role[r]})
		}
		for i := c.first; i < c.end; i++ {
			k := n.kids[i]
			cx := x + c.x
			yl, yd := k.y+k.yLead(), k.y+k.yDele()
			ch.lines = append(ch.lines,
				seg{x1: cx + spineL, y1: yl, x2: k.x, y2: yl, kind: branch, role: circle.RoleLeader, state: k.lead.state, child: k.c.ID()},
				seg{x1: cx + spineD, y1: yd, x2: k.x, y2: yd, kind: branch, role: circle.RoleDelegate, state: k.dele.state, child: k.c.ID()})
			nl := float64(len(k.lead.text))
			ch.labels = append(ch.labels,
				newLabel(cx+labelX, yl-5-(nl-1)*labelLH, k.lead.text, labelSize, labelLH, false, "label leader"+k.lead.state.class()),
				newLabel(cx+labelX, yd+4+ascent*labelSize, k.dele.text, labelSize, labelLH, false, "label delegate"+k.dele.state.class()))
		}
	}
}

// grow builds the tree below id, children in name order.
func (ch *chart) grow(id circle.CircleID) *node {
	c, _ := ch.org.Circle(id)
	n := &node{c: c}
	n.measureCard()
	n.info = c.Kind().String() + " circle · " + plural(c.MemberCount(), "member")
	kids := c.Children()
	names := make(map[circle.CircleID]string, len(kids))
	for _, k := range kids {
		kc, _ := ch.org.Circle(k)
		names[k] = kc.Name()
	}
	slices.SortFunc(kids, func(a, b circle.CircleID) int {
		return cmp.Or(strings.Compare(names[a], names[b]), a.Compare(b))
	})
	for _, k := range kids {
		kn := ch.grow(k)
		l, ls := ch.linkLabel(kn.c, circle.Leader, MarkLeader)
		d, ds := ch.linkLabel(kn.c, circle.Delegate, MarkDelegate)
		kn.lead = link{wrapText(l, labelMaxW, labelSize, false), ls}
		kn.dele = link{wrapText(d, labelMaxW, labelSize, false), ds}
		n.kids = append(n.kids, kn)
	}
	return n
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}
