package orgchart

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
)

type partKind uint8

const (
	partBox partKind = iota
	partText
	partLine
	partKey // the legend's frame
)

type part struct {
	r     rect
	kind  partKind
	owner int // the box a text belongs to, -2 for the legend's own parts, -1 otherwise
	what  string
}

// parts lists every box, text and line of a laid-out chart.
func parts(ch *chart) []part {
	var ps []part
	for i, n := range ch.nodes {
		ps = append(ps, part{n.box(), partBox, i, "box of " + n.c.Name()})
		for _, t := range n.texts() {
			ps = append(ps, part{t.box, partText, i, "text " + strings.Join(t.lines, "/")})
		}
	}
	for _, l := range ch.labels {
		ps = append(ps, part{l.box, partText, -1, "link label " + strings.Join(l.lines, "/")})
	}
	for _, t := range ch.texts {
		if strings.HasPrefix(t.class, "legend") {
			ps = append(ps, part{t.box, partText, -2, "legend " + strings.Join(t.lines, "/")})
		} else {
			ps = append(ps, part{t.box, partText, -1, "title " + strings.Join(t.lines, "/")})
		}
	}
	for _, s := range ch.lines {
		owner := -1
		if s.kind == sample {
			owner = -2
		}
		ps = append(ps, part{s.box(), partLine, owner, fmt.Sprintf("line %v %.0f,%.0f-%.0f,%.0f", s.kind, s.x1, s.y1, s.x2, s.y2)})
	}
	for _, r := range ch.swatch {
		ps = append(ps, part{r, partLine, -2, "legend swatch"})
	}
	ps = append(ps, part{ch.legend, partKey, -2, "legend"})
	return ps
}

// collisions returns every pair of parts that must not touch but do: no
// text overlaps another text, a line or a box it is not written in; no box
// overlaps another box or a line (a line may end on a box's edge); lines
// may cross lines. It sweeps the parts in order of their tops.
func collisions(ch *chart) []string {
	ps := parts(ch)
	slices.SortFunc(ps, func(a, b part) int {
		if a.r.Y < b.r.Y {
			return -1
		}
		if a.r.Y > b.r.Y {
			return 1
		}
		return 0
	})
	var out []string
	for i, a := range ps {
		for _, b := range ps[i+1:] {
			if b.r.Y >= a.r.Y+a.r.H {
				break
			}
			if bad(a, b) {
				out = append(out, a.what+" × "+b.what)
			}
		}
	}
	return out
}

func bad(a, b part) bool {
	if a.kind > b.kind {
		a, b = b, a
	}
	switch {
	case a.kind == partLine && b.kind == partLine:
		return false
	case a.owner == -2 && b.owner == -2:
		return a.kind != partKey && b.kind != partKey && a.r.overlaps(b.r)
	case a.kind == partBox && b.kind == partText && a.owner == b.owner:
		// a box's own text stays inside it
		return !(b.r.X >= a.r.X && b.r.Y >= a.r.Y && b.r.X+b.r.W <= a.r.X+a.r.W && b.r.Y+b.r.H <= a.r.Y+a.r.H)
	case a.kind == partBox && b.kind == partLine:
		inset := rect{a.r.X + lineW, a.r.Y + lineW, a.r.W - 2*lineW, a.r.H - 2*lineW}
		return inset.overlaps(b.r)
	}
	return a.r.overlaps(b.r)
}

func depth(org *circle.Organisation) int {
	d := 0
	for _, id := range org.Circles() {
		d = max(d, org.Depth(id)+1)
	}
	return d
}

func TestCareOrganisationsHaveNoCollisionsAndFitTheWidth(t *testing.T) {
	for _, n := range []int{3, 7, 40, 200, 500} {
		org := careOrg(n)
		require.Equal(t, n, org.CircleCount())
		ch := build(org, &Options{Marks: []Mark{}})
		assert.Empty(t, collisions(ch), "%d circles", n)
		assert.LessOrEqual(t, ch.width, float64(targetWidth), "%d circles: the chart fits 1,600 px at its own size", n)
		assert.Len(t, ch.nodes, n)
	}
}

// Generated double-linked organisations of 3 to 500 circles, of any fan-out,
// with people labelled anything from one letter to long unbroken words: no
// label or box overlaps a label, a line or a box, every name is drawn whole,
// and the chart is at most 1,600 px wide whenever the tree is at most 7
// levels deep.
func TestLayoutNeverOverlapsLabelsAndLines(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(3, 500).Draw(t, "circles")
		fanout := rapid.IntRange(1, 40).Draw(t, "fanout")
		org, _ := circletest.Generate(n, fanout, 4)
		labels := rapid.SliceOfN(rapid.StringMatching(`[A-Za-zéł' -]{1,60}|[A-Z]{30,45}`), 0, 12).Draw(t, "labels")
		for i, l := range labels {
			p := circletest.Person(2 + i)
			if pp, ok := org.Person(p); ok && strings.TrimSpace(l) != "" {
				circletest.Must(org.UpdatePerson(circletest.Person(1), circletest.T0, circle.PersonSpec{ID: p, Label: strings.TrimSpace(l), Class: pp.Class()}))
			}
		}
		// A few more circles with names of any length, their links vacant.
		extra := rapid.SliceOfN(rapid.StringMatching(`[A-Za-zé&' -]{1,40}( [A-Za-z]{1,50}){0,6}`), 0, 5).Draw(t, "names")
		for i, name := range extra {
			if name = strings.TrimSpace(name); name == "" {
				continue
			}
			parent := circletest.Circle(rapid.IntRange(1, n).Draw(t, "parent"))
			circletest.Must(org.AddCircle(circletest.Person(1), circletest.T0, circle.CircleSpec{ID: circletest.Circle(n + 1 + i), Parent: parent, Name: name, Kind: circle.KindTeam}))
		}
		var marks []Mark
		if rapid.Bool().Draw(t, "marked") {
			marks = []Mark{{Circle: circletest.Circle(n), Kind: MarkCircle, Note: rapid.StringMatching(`[a-z ]{1,120}`).Draw(t, "note")}}
		}
		ch := build(org, &Options{Marks: marks})
		if c := collisions(ch); len(c) > 0 {
			t.Fatalf("%d collisions, the first: %s", len(c), c[0])
		}
		for _, nd := range ch.nodes {
			if got := strings.Join(nd.name, " "); strings.ReplaceAll(got, " ", "") != strings.ReplaceAll(nd.c.Name(), " ", "") {
				t.Fatalf("name %q drawn as %q", nd.c.Name(), got)
			}
		}
		if depth(org) <= 7 && ch.width > targetWidth {
			t.Fatalf("depth %d, width %.0f", depth(org), ch.width)
		}
	})
}

func TestACollisionIsFound(t *testing.T) {
	ch := build(careOrg(7), nil)
	require.Empty(t, collisions(ch))
	l := ch.labels[0]
	l.box.Y = ch.lines[0].y1
	l.box.X = ch.lines[0].x1 - 2
	ch.labels = append(ch.labels, l)
	assert.NotEmpty(t, collisions(ch), "a label moved onto a line is reported")
}

func TestWrapKeepsEveryCharacter(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.StringMatching(`[A-Za-zé ]{0,80}`).Draw(t, "s")
		w := rapid.Float64Range(20, 300).Draw(t, "width")
		lines := wrapText(s, w, 12, false)
		assert.Equal(t, strings.Join(strings.Fields(s), ""), strings.ReplaceAll(strings.Join(lines, ""), " ", ""))
		for _, l := range lines {
			if len([]rune(l)) > 1 && textWidth(l, 12, false) > w {
				t.Fatalf("line %q is wider than %.0f", l, w)
			}
		}
	})
}

func BenchmarkLayout500(b *testing.B) {
	org := careOrg(500)
	b.ResetTimer()
	for b.Loop() {
		build(org, nil)
	}
}

func BenchmarkLayout500Generated(b *testing.B) {
	org, _ := circletest.Generate(500, 4, 4)
	b.ResetTimer()
	for b.Loop() {
		build(org, nil)
	}
}

func BenchmarkSVG500(b *testing.B) {
	org := careOrg(500)
	b.ResetTimer()
	for b.Loop() {
		SVG(org, nil)
	}
}
