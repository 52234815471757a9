package orgchart_test

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/orgchart"
)

func ExampleSVG() {
	org, _ := circletest.Generate(3, 2, 3)
	svg := orgchart.SVG(org, &orgchart.Options{Marks: []orgchart.Mark{}})
	fmt.Println(bytes.Count(svg, []byte(`<rect class="box`)), "boxes")
	fmt.Println(bytes.Count(svg, []byte(`data-role="leader"`)), "leader lines,", bytes.Count(svg, []byte(`data-role="delegate"`)), "delegate lines")
	fmt.Println(bytes.Contains(svg, []byte("leader: Person 4")))
	// Output:
	// 3 boxes
	// 2 leader lines, 2 delegate lines
	// true
}

func ExampleMermaid() {
	org, _ := circletest.Generate(2, 2, 3)
	for _, line := range strings.Split(orgchart.Mermaid(org, &orgchart.Options{Marks: []orgchart.Mark{}}), "\n")[:7] {
		fmt.Println(line)
	}
	// Output:
	// flowchart TD
	//   c1("Mission circle")
	//   c2("Circle 2")
	//   c2l["leader: Person 4"]:::leader
	//   c1 --- c2l --- c2
	//   c2d["delegate: Founder"]:::delegate
	//   c1 --- c2d --- c2
}

func ExampleHTML() {
	org, _ := circletest.Generate(3, 2, 3)
	page := string(orgchart.HTML(org, nil))
	fmt.Println(strings.HasPrefix(page, "<!doctype html>"), strings.Contains(page, `<input id="q" type="search"`), strings.Count(page, "<svg"))
	// Output: true true 1
}
