package orgchart_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/linking"
	"github.com/coproduce/sociocracy/orgchart"
)

// svgElement is the part of an SVG element the structure checks read.
type svgElement struct {
	Name  string
	Attrs map[string]string
}

// elements parses doc as XML and returns every element in order; it fails
// the test if doc is not well-formed.
func elements(t *testing.T, doc []byte) []svgElement {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var out []svgElement
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out
		}
		require.NoError(t, err, "the SVG is well-formed XML")
		if se, ok := tok.(xml.StartElement); ok {
			e := svgElement{Name: se.Name.Local, Attrs: map[string]string{}}
			for _, a := range se.Attr {
				e.Attrs[a.Name.Local] = a.Value
			}
			out = append(out, e)
		}
	}
}

func count(els []svgElement, name, class string) int {
	n := 0
	for _, e := range els {
		if e.Name == name && strings.Contains(" "+e.Attrs["class"]+" ", " "+class+" ") {
			n++
		}
	}
	return n
}

func TestSVGDrawsOneCirclePerCircleAndTwoLinksPerChild(t *testing.T) {
	org, _ := circletest.Generate(12, 3, 4)
	doc := orgchart.SVG(org, nil)
	els := elements(t, doc)
	assert.Equal(t, "svg", els[0].Name)
	assert.Equal(t, 12, count(els, "rect", "box"), "one box per circle, and no legend sample of a problem circle")
	branches := 0
	for _, e := range els {
		if e.Name == "line" && e.Attrs["data-child"] != "" {
			branches++
		}
	}
	assert.Equal(t, 11*2, branches, "two links per child")
	assert.Equal(t, 0, count(els, "line", "broken"), "every child is double-linked, and the legend shows no broken sample")
	assert.NotContains(t, string(doc), "broken where it is required", "the legend lists only what is shown")
	assert.Contains(t, string(doc), "the leader&#39;s link")
	for _, id := range org.Circles()[1:] {
		roles := map[string]bool{}
		for _, e := range els {
			if e.Name == "line" && e.Attrs["data-child"] == id.String() {
				roles[e.Attrs["data-role"]] = true
			}
		}
		assert.Equal(t, map[string]bool{"leader": true, "delegate": true}, roles, "child %s", id)
	}
	assert.Equal(t, doc, orgchart.SVG(org, nil), "the same organisation gives the same bytes")
}

func TestSVGMarksVacantAndBrokenLinksAndProblemCirclesInRed(t *testing.T) {
	org, _ := circletest.Generate(4, 3, 4)
	circletest.Must(org.EndRole(circletest.Person(1), circletest.T0, circletest.Circle(2), circle.Delegate))
	doc := orgchart.SVG(org, &orgchart.Options{Title: "Care <co-op> & friends", Marks: []orgchart.Mark{
		{Circle: circletest.Circle(2), Kind: orgchart.MarkDelegate, Note: "no delegate"},
		{Circle: circletest.Circle(3), Kind: orgchart.MarkLeader, Note: "leader is not a member of the parent"},
		{Circle: circletest.Circle(4), Kind: orgchart.MarkCircle, Note: "no supported person or advocate"},
	}})
	els := elements(t, doc)
	var broken []string
	for _, e := range els {
		if e.Name == "line" && strings.Contains(e.Attrs["class"], "broken") && e.Attrs["data-child"] != "" {
			broken = append(broken, e.Attrs["data-child"]+" "+e.Attrs["data-role"])
		}
	}
	assert.ElementsMatch(t, []string{
		circletest.Circle(2).String() + " delegate", // vacant
		circletest.Circle(3).String() + " leader",   // marked
	}, broken)
	assert.Equal(t, 1+1, count(els, "rect", "problem"), "the marked circle and the legend's sample")
	assert.Contains(t, string(doc), "broken where it is required", "the legend explains the red lines shown")
	assert.Contains(t, string(doc), "delegate: vacant")
	assert.Contains(t, string(doc), "Care &lt;co-op&gt; &amp; friends", "text is escaped")
	assert.Contains(t, string(doc), "no supported person or advocate", "the legend explains each mark")
}

func TestVacantLinksAreBrokenUnlessAPolicyCheckSaysOtherwise(t *testing.T) {
	org, _ := circletest.Generate(2, 3, 4)
	circletest.Must(org.EndRole(circletest.Person(1), circletest.T0, circletest.Circle(2), circle.Delegate))
	unchecked := elements(t, orgchart.SVG(org, nil))
	checked := elements(t, orgchart.SVG(org, &orgchart.Options{Marks: []orgchart.Mark{}}))
	classOf := func(els []svgElement) string {
		for _, e := range els {
			if e.Attrs["data-child"] == circletest.Circle(2).String() && e.Attrs["data-role"] == "delegate" {
				return e.Attrs["class"]
			}
		}
		return ""
	}
	assert.Equal(t, "link delegate broken", classOf(unchecked), "no marks given: a vacant link is drawn broken")
	assert.Equal(t, "link delegate vacant", classOf(checked), "a clean check: the vacancy is allowed")
}

func TestMarksFromReport(t *testing.T) {
	org, _ := circletest.Generate(4, 3, 4)
	circletest.Must(org.EndRole(circletest.Person(1), circletest.T0, circletest.Circle(2), circle.Delegate))
	report, err := linking.Check(org, nil, circletest.T0)
	require.NoError(t, err)
	marks := orgchart.MarksFromReport(report)
	require.NotEmpty(t, marks)
	assert.Contains(t, marks, orgchart.Mark{Circle: circletest.Circle(2), Kind: orgchart.MarkDelegate, Note: "no delegate"})
	for _, m := range marks {
		assert.Equal(t, circletest.Circle(2), m.Circle, "only the circle without a delegate is marked")
	}
	assert.NotNil(t, orgchart.MarksFromReport(nil))
}
