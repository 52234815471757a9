// Package orgchart draws an organisation as a picture: an SVG org chart in
// pure Go (no Graphviz binary) and Mermaid text for Markdown.
//
// Circles are drawn as circles in their hierarchy, the top circle at the
// top. Each child is joined to its parent by two lines, one labelled with
// its leader and one with its delegate: double-linking made visible. A link
// that is vacant or broken, and a circle that misses a required stakeholder
// class, are drawn in red and explained in the legend.
//
// The package sits beside package linking rather than inside it: linking
// answers questions about structure, orgchart only draws the answers, and a
// host that never draws pays nothing for it. What counts as broken comes in
// as [Mark] values; [MarksFromReport] turns a linking report into marks.
//
// Output is deterministic: the same organisation and marks give the same
// bytes, so charts can be committed and compared in tests.
package orgchart
