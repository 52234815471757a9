// Package orgchart draws an organisation as a picture: an SVG org chart in
// pure Go (no Graphviz binary) and Mermaid text for Markdown.
//
// # The layout, and why
//
// The SVG is an indented tree that wraps into columns. Each circle is a box
// holding its full name (wrapped, never cut), its kind and its number of
// members. Below a box, its child circles stand in one or more columns,
// each box indented to the right of two vertical trunks: the leader's
// (blue) and the delegate's (purple). From the trunks a separate line runs
// to every child, the leader's just above the middle of the child's box and
// the delegate's just below it, each with its label on it: "leader: Ada
// Okafor" above the leader's line, "delegate: Femi Bello" below the
// delegate's. Double-linking is thus drawn as what it is, two links with
// two people, and which line is whose can be read without the colours.
// Where a child's line crosses the other role's trunk it passes over it on
// a white gap, as a bridge.
//
// When a circle has many children, they wrap into as many columns as fit
// in a chart 1,600 px wide and make the chart shorter, each column with its
// own pair of trunks fed by a pair of horizontal buses. So a care
// co-operative with a team for each person it supports (hundreds of
// circles below one coordinating circle) grows downwards in a few columns
// rather than sideways into one unreadable row, and reading it is like
// reading a long document: scroll down, never zoom. The other layouts
// considered lose here: a top-down tidy tree is as wide as its widest level
// (6,330 px at 40 circles), and nested circles shrink a deep team to a dot
// and leave no room for the two named links of every circle.
//
// Text sizes: circle names 14 px bold, kinds and link labels 12 px, the key
// 13 px. The layout keeps the chart at most 1,600 px wide whenever the tree
// is at most 7 levels deep (every generated organisation of up to 500
// circles in the tests is), so when the whole width of the chart fits a
// 1,600 px wide screen the smallest text is 12 px. A deeper tree grows
// wider instead, and its text shrinks in proportion when it is fitted.
//
// No label overlaps another label, a line or a box, and no box overlaps a
// line or another box: the tests check this on the layout's own geometry
// for organisations from 3 to 500 circles, and check in headless Chromium
// that every text the browser draws lies within the box the layout
// reserved for it (the layout estimates text widths from the metrics of
// Helvetica and its metric twins Arial and Liberation Sans, erring wide).
// docs/orgchart-7.png, docs/orgchart-40.png and docs/orgchart-200.png
// (the last at half size) are screenshots of charts the tests draw.
//
// [HTML] wraps the SVG in a web page with a search box (a circle's name or
// the name of a person on its links highlights it and scrolls to it), zoom
// buttons and panning by dragging, for reading a large organisation on a
// screen.
//
// The key stands beside the top circle and lists only what the chart
// shows: a red dashed line for a link vacant or broken where it is
// required, a dotted grey one for a vacancy that is allowed, a red box for
// a circle with a problem, and each problem found.
//
// # Mermaid
//
// [Mermaid] writes a flowchart from the top circle down, every edge from
// parent to child so that Mermaid's layout puts the top circle at the top.
// Each of a child's two links is a line through a small node holding its
// label, so Mermaid gives every label a place of its own rather than
// stacking the two labels of a double link (or the labels of a fan-out) on
// each other; a circle's fourth and later children wrap into further rows
// by invisible links. The tests render the text with the mermaid npm
// package in headless Chromium and check that every circle stands above its
// children and that no node or label overlaps another. Mermaid suits a
// README's small charts; a large organisation reads better as the SVG,
// since Mermaid's layout grows as wide as the widest level.
//
// The package sits beside package linking rather than inside it: linking
// answers questions about structure, orgchart only draws the answers, and a
// host that never draws pays nothing for it. What counts as broken comes in
// as [Mark] values; [MarksFromReport] turns a linking report into marks.
//
// Output is deterministic: the same organisation and marks give the same
// bytes, so charts can be committed and compared in tests.
package orgchart
